import type { Metadata } from "next";
import { Suspense } from "react";
import { OrganizerWizard } from "@/components/organizer/OrganizerWizard";

export const metadata: Metadata = { title: "New competition" };

export default function NewCompetitionPage() {
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <header className="space-y-2">
        <h1 className="text-2xl font-bold tracking-tight">New competition</h1>
        <p className="text-slate-600 dark:text-slate-300">
          Turn a labelled CSV into a trustless competition: the data is hashed in your browser, the reward is escrowed by the contract, the chain draws
          the train/test split, and models are scored on chain against test data you reveal at the end.
        </p>
      </header>
      {/* useSearchParams (the draft id) needs a Suspense boundary. */}
      <Suspense fallback={<p role="status">Loading…</p>}>
        <OrganizerWizard />
      </Suspense>
    </div>
  );
}

import type { Metadata } from "next";
import { NewProblemWizard } from "@/components/contributor/NewProblemWizard";

export const metadata: Metadata = { title: "New problem" };

export default function NewProblemPage() {
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <header className="space-y-2">
        <h1 className="text-2xl font-bold tracking-tight">New problem</h1>
        <p className="text-slate-600 dark:text-slate-300">
          Turn a labelled test set into a DaiMoN problem: a DEL function f trained in your browser hides the labels behind distances, improvers prove
          better models against it, validators verify and vote, and every improvement mints the problem&apos;s token.
        </p>
      </header>
      <NewProblemWizard />
    </div>
  );
}

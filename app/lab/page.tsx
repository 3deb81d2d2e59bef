import type { Metadata } from "next";
import { ScoringLab } from "@/components/lab/ScoringLab";

export const metadata: Metadata = { title: "Scoring lab" };

export default function LabPage() {
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <header className="space-y-2">
        <h1 className="text-2xl font-bold tracking-tight">Scoring lab</h1>
        <p className="text-slate-600 dark:text-slate-300">
          How this browser previews scores: which ONNX Runtime Web backend it gets (WebGPU when the browser offers an adapter, WASM otherwise), how many
          samples per second each one scores, and whether every prediction equals the contract&apos;s own forward pass.
        </p>
      </header>
      <ScoringLab />
    </div>
  );
}

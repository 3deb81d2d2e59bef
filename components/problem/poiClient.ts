/** Shared pieces of the improver's and the validator's panels: the problem as PROVE/VERIFY see it, progress in words. */
import type { ProblemState } from "@/lib/chain/daimon";
import type { PoiProblem, PoiProgress } from "@/lib/daimon/poi";
import type { PoiRun } from "@/lib/workers/poiProtocol";
import { formatNumber } from "@/lib/web/format";

export type PoiStep =
  | { kind: "download"; done: number; total: number; what?: string }
  | { kind: "run"; progress: PoiProgress; tuples: number };

export function poiProblemOf(state: ProblemState): PoiProblem {
  return {
    classCount: state.config.classCount,
    testSetSize: state.config.testSetSize,
    embeddingSize: state.config.embeddingSize,
    inputShape: state.inputShape,
  };
}

/** Props for <ProgressBar> describing a step of PROVE or VERIFY. */
export function poiProgressLabel(step: PoiStep): { label: string; value: number; max: number; detail?: string } {
  if (step.kind === "download") {
    return { label: step.what ?? "Downloading and checking the tuples' Z and f from IPFS", value: step.done, max: step.total, detail: `${step.done} / ${step.total} files` };
  }
  const { progress, tuples } = step;
  const of = tuples > 1 ? ` (tuple ${progress.tuple + 1} of ${tuples})` : "";
  if (progress.phase === "model") {
    return {
      label: `Running the model on the test inputs Z${of}`,
      value: progress.done,
      max: progress.total,
      detail: `${formatNumber(progress.done)} / ${formatNumber(progress.total)} inputs`,
    };
  }
  return { label: `Running the DEL function f on the predicted labels${of}`, value: progress.done, max: progress.total };
}

export function describeBackend(run: PoiRun): string {
  return `ran on ONNX Runtime Web ${run.backend === "ort-webgpu" ? "with WebGPU" : "on WASM"} in ${Math.round(run.ms)} ms`;
}

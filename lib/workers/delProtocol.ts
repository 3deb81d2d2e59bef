/**
 * Messages between the page and the DEL worker (lib/workers/del.worker.ts): the problem contributor's browser trains
 * the DEL function f for the private labels x_t (lib/daimon/delTrainer.ts), measures it on held-out perturbations
 * and with the two label-recovery attacks (lib/daimon/delMetrics.ts), exports it to ONNX (lib/daimon/delOnnx.ts) and
 * computes y_t = f(x_t) with ONNX Runtime's WASM kernels (lib/daimon/poi.ts computeTarget, as provers compute y).
 * Nothing here leaves the browser but what the page then publishes (f and y_t). Everything is structured-cloneable.
 */
import type { Hex } from "viem";
import type { DelTrainingProgress } from "../daimon/delTrainer";

export interface TrainRequest {
  readonly id: number;
  readonly kind: "train";
  /** x_t, labels 0…C−1. */
  readonly labels: Int32Array;
  readonly classCount: number;
  readonly n: number;
  readonly hidden: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly seed: number;
}

export interface CancelRequest {
  readonly id: number;
  readonly kind: "cancel";
}

export type DelWorkerRequest = TrainRequest | CancelRequest;

export interface DelQuality {
  readonly pearson: number;
  readonly mae: number;
  readonly maeLowError: number;
  readonly pairOrdering: number;
  readonly pairs: number;
  readonly misorderedPairs: number;
  readonly maxAbsError: number;
  readonly samples: number;
}

export interface LabelRecovery {
  /** Share of x_t recovered by inspecting f's weights (no queries). */
  readonly weightInspection: number;
  /** Share recovered by one coordinate-descent sweep (queries of f against y_t). */
  readonly coordinateDescent: number;
  readonly coordinateDescentQueries: number;
  /** 1/C: what guessing gets. */
  readonly chance: number;
}

export interface TrainedDel {
  /** f as ONNX (what is uploaded as the tuple's delCid). */
  readonly del: Uint8Array;
  /** y_t packed as the contract's int16 vector. */
  readonly target: Hex;
  readonly vector: number[];
  readonly quality: DelQuality;
  readonly recovery: LabelRecovery;
  readonly trainingSeconds: number;
  readonly hidden: number;
  readonly steps: number;
}

export type DelWorkerResponse =
  | { readonly id: number; readonly kind: "progress"; readonly progress: DelTrainingProgress }
  | { readonly id: number; readonly kind: "phase"; readonly phase: "evaluating" | "exporting" }
  | { readonly id: number; readonly kind: "trained"; readonly result: TrainedDel }
  | { readonly id: number; readonly kind: "cancelled" }
  | { readonly id: number; readonly kind: "error"; readonly message: string };

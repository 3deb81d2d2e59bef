/**
 * Messages between the page and the score worker (lib/workers/score.worker.ts). The worker imports a submitter's
 * model file, quantizes it on the revealed training data with lib/danku, and scores the quantized model with
 * onnxruntime-web (lib/ort) on the training and, once revealed, the test data: the numbers the chain will compute.
 * Everything here is structured-cloneable.
 */
import type { AnyQuantizationReport, ModelKind } from "../danku/anyModel";
import type { ImageShape } from "../danku/cnn/model";
import type { ModelFileFormat } from "../danku/modelImport";
import type { ScoreResult, ScorerBackend } from "../ort/scorer";
import type { ExactGraphVariant } from "../danku/onnxExport";

export type PreviewPhase = "import" | "quantize" | "training" | "test";

export interface PreviewRequest {
  readonly id: number;
  readonly kind: "preview";
  readonly file: Blob;
  readonly fileName: string;
  readonly featureCount: number;
  readonly classCount: number;
  /** The competition's image shape (metadata.dataset.imageShape), for image competitions: what a CNN must read. */
  readonly imageShape?: ImageShape;
  /** Revealed training points as encoded on chain (features then label, one byte each). Also the calibration data. */
  readonly trainingPoints: Uint8Array;
  /** Revealed test points, once the organizer revealed them. */
  readonly testPoints?: Uint8Array;
  /** "auto": WebGPU when the browser has a hardware adapter and the model is float-exact, else WASM. */
  readonly preferredBackend: "auto" | "webgpu" | "wasm";
}

export type ScoreWorkerRequest = PreviewRequest;

export interface DatasetScore {
  /** The quantized model, as the contract scores it. */
  readonly quantized: Omit<ScoreResult, "backend">;
  /** The float model from the file, for the loss from quantization. */
  readonly float: { readonly correct: number; readonly total: number };
}

export interface PreviewResult {
  readonly format: ModelFileFormat;
  /** "dense" (format version 1) or "cnn" (version 2, image competitions only). */
  readonly kind: ModelKind;
  /** The architecture in one line: "784-128-10" for dense models, the layers for CNNs (lib/danku/anyModel.ts). */
  readonly network: string;
  /** Dense layer widths n0…nL (what the on-chain evaluation's gas model takes); absent for CNNs. */
  readonly widths?: number[];
  /** Multiply-accumulates per point. */
  readonly macs: number;
  /** The encoded quantized model (docs/protocol.md §4.1, docs/cnn.md §2): what is committed, revealed and evaluated. */
  readonly modelBytes: Uint8Array;
  readonly report: AnyQuantizationReport;
  readonly backend: ScorerBackend;
  readonly variant: ExactGraphVariant;
  /** Why the scorer is not on WebGPU, or where ops run elsewhere; for people. */
  readonly notes: string[];
  readonly training: DatasetScore;
  readonly test?: DatasetScore;
  /** Wall-clock milliseconds of the ORT scoring (both data sets). */
  readonly scoringMs: number;
}

export type ScoreWorkerResponse =
  | { readonly id: number; readonly kind: "progress"; readonly phase: PreviewPhase; readonly done: number; readonly total: number }
  | { readonly id: number; readonly kind: "previewed"; readonly result: PreviewResult }
  | { readonly id: number; readonly kind: "error"; readonly message: string };

/**
 * Preview scoring with ONNX Runtime Web: the contract's exact forward pass run on WebGPU when the browser has an
 * adapter and the model is provably exact in float32, on WASM otherwise. Both model kinds (lib/danku/anyModel.ts):
 * dense models run lib/danku/onnxExport.ts's graphs, CNNs lib/danku/cnn/onnxExport.ts's (integer: ConvInteger,
 * MaxPool, AveragePool-based exact floor average, MatMulInteger; float-exact: Conv, MaxPool, AveragePool, MatMul and
 * the float activation ops), each bit-exact with its reference forward pass.
 *
 * Placement, as ONNX Runtime Web 1.30 does it:
 *  - "ort-webgpu" runs the float-exact graph; all of its ops (MatMul, Add, Relu, Mul, Floor, Min, ArgMax) have WebGPU
 *    kernels. ONNX Runtime places any node the WebGPU provider lacks on its CPU (WASM) provider by itself.
 *  - "ort-wasm" runs the integer graph (MatMulInteger → int32, Add int32 bias, Max, BitShift, Min, ArgMax) on the WASM
 *    (CPU) provider. ONNX Runtime has no WebGPU kernel for MatMulInteger, so the integer graph never runs on WebGPU:
 *    a model that is not provably exact in float32 runs here even when WebGPU is available, and the notes say so.
 *
 * Predictions are checked against the lowest-index argmax of the returned logits (which are exact integers); if the
 * runtime's ArgMax ever broke a tie differently, the contract's rule wins and a note says so.
 *
 * No fs, no Node APIs: the same code runs in pages, workers and Node (tests inject `require("onnxruntime-web")`).
 */
import type * as OrtNamespace from "onnxruntime-web";
import { EXACT_GRAPH_INPUT, EXACT_GRAPH_LOGITS, EXACT_GRAPH_PREDICTION, type ExactGraphVariant } from "../danku/onnxExport";
import {
  anyExactGraphOps,
  anyModelShape,
  buildAnyExactOnnxGraph,
  isAnyFloatExact,
  validateAnyModelForScoring,
  type AnyFloatExactness,
  type AnyModel,
} from "../danku/anyModel";
import { accumulateConfusion, emptyConfusion, perClassAccuracy, summarizeConfusion, type ClassAccuracy } from "../danku/confusion";
import { labelsOf, rowSource, type PredictInput, type ScoreInput } from "./input";
import { probeWebGpu, type GpuLike } from "./webgpu";

/** The parts of an onnxruntime-web entry module the scorer uses (`onnxruntime-web`, `/webgpu`, `/wasm` all fit). */
export type OrtModule = Pick<typeof OrtNamespace, "InferenceSession" | "Tensor" | "env">;
type Session = OrtNamespace.InferenceSession;

export type PreferredBackend = "webgpu" | "wasm" | "auto";
export type ScorerBackend = "ort-webgpu" | "ort-wasm";
export type ProgressCallback = (done: number, total: number) => void;

/** Rows per `session.run`: large enough to amortize the call, small enough for steady progress and bounded memory. */
export const DEFAULT_BATCH_SIZE = 4096;
/** Where the app serves ORT's .mjs/.wasm files (scripts/copy-ort-assets.cjs copies them to public/ort/). */
export const DEFAULT_ORT_WASM_PATH = "/ort/";

export interface CreateScorerOptions {
  /** A dense (version 1) or convolutional (version 2) model. */
  readonly model: AnyModel;
  /** "auto" (default): WebGPU when there is a hardware adapter and the model is float-exact, else WASM. */
  readonly preferredBackend?: PreferredBackend;
  /** One onnxruntime-web module for both backends (Node tests inject `require("onnxruntime-web")`). */
  readonly ort?: OrtModule;
  /** Loads the module per backend when `ort` is not given. Default {@link defaultOrtLoader}. */
  readonly loadOrt?: OrtLoader;
  /** Default {@link DEFAULT_BATCH_SIZE}. */
  readonly batchSize?: number;
  /**
   * `ort.env.wasm.wasmPaths`. Default: "/ort/" in browsers and workers when not already set; untouched in Node.
   * `null` leaves it alone everywhere.
   */
  readonly wasmPaths?: string | null;
  /** `ort.env.wasm.numThreads`, if given (ORT's default: several threads when cross-origin isolated, else one). */
  readonly numThreads?: number;
  /** Stands in for `navigator.gpu` (tests); `null` means no WebGPU. */
  readonly gpu?: GpuLike | null;
  /**
   * Default true: reject models the contract would reject at reveal. false: score any model whose arithmetic is valid
   * (int8 weights, |bias| ≤ 2^30, shifts 0..31, widths ≤ 1024) even if it is too large to reveal. Dense models only:
   * a CNN is always validated as its reveal would be.
   */
  readonly requireRevealable?: boolean;
  /** Graph on the WASM backend. Default "integer" (exact for every model); "float-exact" only if the model allows. */
  readonly wasmVariant?: ExactGraphVariant;
}

export interface ScoreResult {
  /** The contract's score: points whose prediction equals the label. */
  readonly correct: number;
  readonly total: number;
  /** `confusion[label][prediction]`. */
  readonly confusion: number[][];
  readonly perClass: ClassAccuracy[];
  readonly backend: ScorerBackend;
}

export interface Scorer {
  readonly backend: ScorerBackend;
  readonly variant: ExactGraphVariant;
  /** Why the scorer is not on the backend asked for, or where ops run elsewhere; for people. */
  readonly fallbackNotes: readonly string[];
  readonly exactness: AnyFloatExactness;
  readonly featureCount: number;
  readonly classCount: number;
  /** Predicted class per row, with the contract's rule (argmax, ties to the lowest index). */
  predict(points: PredictInput, onProgress?: ProgressCallback, signal?: AbortSignal): Promise<Int32Array>;
  score(points: ScoreInput, onProgress?: ProgressCallback, signal?: AbortSignal): Promise<ScoreResult>;
  /** Frees the session (WASM memory, GPU buffers). The scorer cannot be used afterwards. */
  release(): Promise<void>;
}

function isBrowserLike(): boolean {
  const scope = globalThis as { document?: unknown; WorkerGlobalScope?: unknown; process?: { versions?: { node?: string } } };
  if (scope.process?.versions?.node) return false;
  return scope.document !== undefined || scope.WorkerGlobalScope !== undefined;
}

export type OrtLoader = (backend: "webgpu" | "wasm") => Promise<OrtModule>;

/**
 * WebGPU: `onnxruntime-web/webgpu` (the native WebGPU provider; its CPU part is the asyncify WASM build).
 * WASM: `onnxruntime-web/wasm` (the plain WASM build). Not the WebGPU entry for both: its asyncify build ran the
 * integer graph about 10× slower (784-128-10, Node 20, one thread: ≈ 9k vs ≈ 110k rows/s).
 */
export const defaultOrtLoader: OrtLoader = async (backend) =>
  backend === "webgpu" ? ((await import("onnxruntime-web/webgpu")) as OrtModule) : ((await import("onnxruntime-web/wasm")) as OrtModule);

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describeInexact(model: AnyModel, exactness: AnyFloatExactness): string {
  return (
    `this model is not provably exact in float32 (layer ${exactness.worstLayer + 1} can reach |${exactness.worstMagnitude}| > 2^24), ` +
    `so it runs as the integer graph (${anyExactGraphOps(model, "integer").join(", ")}); ONNX Runtime has no WebGPU kernel for ` +
    "MatMulInteger (nor ConvInteger), so the integer graph runs on WASM"
  );
}

/** Lowest index of the largest value in row r (the contract's argmax). */
function rowArgmax(logits: Int32Array | Float32Array, r: number, classCount: number): number {
  const base = r * classCount;
  let best = 0;
  for (let j = 1; j < classCount; j++) if (logits[base + j]! > logits[base + best]!) best = j;
  return best;
}

export async function createScorer(options: CreateScorerOptions): Promise<Scorer> {
  const { model } = options;
  const requireRevealable = options.requireRevealable ?? true;
  validateAnyModelForScoring(model, requireRevealable);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const wasmPaths = options.wasmPaths === undefined ? (isBrowserLike() ? DEFAULT_ORT_WASM_PATH : null) : options.wasmPaths;
  const loader = options.loadOrt ?? defaultOrtLoader;
  /** The module for a backend, with the env settings applied (they must be set before its first session). */
  const runtime = async (provider: "webgpu" | "wasm"): Promise<OrtModule> => {
    const ort = options.ort ?? (await loader(provider));
    if (wasmPaths !== null && (options.wasmPaths !== undefined || ort.env.wasm.wasmPaths === undefined)) {
      ort.env.wasm.wasmPaths = wasmPaths;
    }
    if (options.numThreads !== undefined) ort.env.wasm.numThreads = options.numThreads;
    return ort;
  };

  const { featureCount, classCount } = anyModelShape(model);
  const exactness = isAnyFloatExact(model);
  const preferred = options.preferredBackend ?? "auto";
  const notes: string[] = [];

  const open = async (variant: ExactGraphVariant, provider: "webgpu" | "wasm"): Promise<{ ort: OrtModule; session: Session }> => {
    const ort = await runtime(provider);
    const session = await ort.InferenceSession.create(buildAnyExactOnnxGraph(model, variant, requireRevealable), {
      executionProviders: [provider],
      graphOptimizationLevel: "all",
    });
    return { ort, session };
  };

  let opened: { ort: OrtModule; session: Session } | undefined;
  let backend: ScorerBackend = "ort-wasm";
  let variant: ExactGraphVariant = options.wasmVariant ?? "integer";
  if (variant === "float-exact" && !exactness.exact) {
    notes.push(`wasmVariant "float-exact" was asked for, but ${describeInexact(model, exactness)}`);
    variant = "integer";
  }

  if (preferred !== "wasm") {
    const probe = await probeWebGpu(options.gpu === undefined ? undefined : options.gpu);
    if (!probe.available) {
      notes.push(`${probe.reason}; running on WASM`);
    } else if (!exactness.exact) {
      notes.push(describeInexact(model, exactness));
    } else if (preferred === "auto" && probe.isFallbackAdapter) {
      notes.push(`the WebGPU adapter is a software fallback (${probe.description}), which is slower than WASM; running on WASM`);
    } else {
      try {
        opened = await open("float-exact", "webgpu");
        backend = "ort-webgpu";
        variant = "float-exact";
        notes.push(
          `WebGPU (${probe.description}) runs the float-exact graph (${anyExactGraphOps(model, "float-exact").join(", ")}), exact because ` +
            `every intermediate stays within 2^24 (worst |${exactness.worstMagnitude}|); ONNX Runtime places any op WebGPU lacks on WASM`,
        );
      } catch (error) {
        notes.push(`the WebGPU session could not be created (${message(error)}); running on WASM`);
      }
    }
  }
  let current = opened ?? (await open(variant, "wasm"));
  let released = false;
  let queue: Promise<unknown> = Promise.resolve();
  let argmaxNoted = false;

  /** Runs one batch; a WebGPU failure at run time (e.g. device lost) moves the scorer to WASM once. */
  const runBatch = async (rows: ReturnType<typeof rowSource>, start: number, end: number): Promise<Int32Array> => {
    const count = end - start;
    const feed = (): OrtNamespace.InferenceSession.FeedsType => ({
      [EXACT_GRAPH_INPUT]:
        variant === "integer"
          ? new current.ort.Tensor("uint8", rows.bytes(start, end), [count, featureCount])
          : new current.ort.Tensor("float32", rows.floats(start, end), [count, featureCount]),
    });
    let outputs: OrtNamespace.InferenceSession.OnnxValueMapType;
    try {
      outputs = await current.session.run(feed());
    } catch (error) {
      if (backend !== "ort-webgpu") throw error;
      notes.push(`WebGPU failed while scoring (${message(error)}); continuing on WASM`);
      await current.session.release().catch(() => undefined);
      variant = options.wasmVariant === "float-exact" ? "float-exact" : "integer";
      backend = "ort-wasm";
      current = await open(variant, "wasm");
      outputs = await current.session.run(feed());
    }
    const logits = outputs[EXACT_GRAPH_LOGITS]?.data;
    const prediction = outputs[EXACT_GRAPH_PREDICTION]?.data;
    if (!(logits instanceof Int32Array || logits instanceof Float32Array) || logits.length !== count * classCount) {
      throw new Error(`ONNX Runtime returned no usable ${EXACT_GRAPH_LOGITS} for a batch of ${count} rows`);
    }
    const result = new Int32Array(count);
    let disagreements = 0;
    for (let r = 0; r < count; r++) {
      const expected = rowArgmax(logits, r, classCount);
      const reported = prediction instanceof BigInt64Array ? Number(prediction[r]) : prediction instanceof Int32Array ? prediction[r] : undefined;
      if (reported !== expected) disagreements++;
      result[r] = expected;
    }
    if (disagreements > 0 && !argmaxNoted) {
      argmaxNoted = true;
      notes.push(
        `ONNX Runtime's ArgMax on ${backend} disagreed with the contract's argmax on ${disagreements} rows of a batch; ` +
          "predictions use the contract's rule (lowest index) on the exact logits",
      );
    }
    return result;
  };

  const predictNow = async (points: PredictInput, onProgress?: ProgressCallback, signal?: AbortSignal): Promise<Int32Array> => {
    if (released) throw new Error("this scorer has been released");
    const rows = rowSource(points, featureCount);
    const predictions = new Int32Array(rows.count);
    onProgress?.(0, rows.count);
    for (let start = 0; start < rows.count; start += batchSize) {
      signal?.throwIfAborted();
      const end = Math.min(rows.count, start + batchSize);
      predictions.set(await runBatch(rows, start, end), start);
      onProgress?.(end, rows.count);
    }
    return predictions;
  };

  /** One run at a time per session: calls queue behind each other. */
  const serialized = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  };

  const scorer: Scorer = {
    get backend() {
      return backend;
    },
    get variant() {
      return variant;
    },
    fallbackNotes: notes,
    exactness,
    featureCount,
    classCount,
    predict: (points, onProgress, signal) => serialized(() => predictNow(points, onProgress, signal)),
    score: (points, onProgress, signal) =>
      serialized(async () => {
        const labels = labelsOf(points);
        const predictions = await predictNow(points, onProgress, signal);
        if (labels.length !== predictions.length) throw new RangeError(`${labels.length} labels for ${predictions.length} points`);
        const confusion = emptyConfusion(classCount);
        accumulateConfusion(confusion, predictions, labels);
        const summary = summarizeConfusion(confusion);
        return { ...summary, perClass: perClassAccuracy(confusion), backend };
      }),
    release: () =>
      serialized(async () => {
        if (released) return;
        released = true;
        await current.session.release();
      }),
  };
  return scorer;
}

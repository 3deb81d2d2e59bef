/**
 * Proof-of-improvement (DaiMoN paper §VI): PROVE and VERIFY as clients run them, with ONNX Runtime Web so the same
 * code runs in Node (the CLI, tests), browsers and workers. The ONNX Runtime module is injected (`ort`) or loaded
 * from `onnxruntime-web/wasm` like lib/ort/scorer.ts does; in browsers its .wasm files come from "/ort/".
 *
 *   PROVE(M)  g = digest(M) = the IPFS CID of the model file (lib/ipfs/cid.ts, what the contract registers),
 *             per tuple: x = argmax M(Z) (labels 0…C−1), y = f(x) with the tuple's DEL ONNX file,
 *             y quantized to int16 (lib/daimon/fixedPoint.ts) exactly as `submitProof` takes it.
 *   VERIFY(M, π, d_c, δ)
 *             digest(M) = π.g; f(M(Z)) = π.y per tuple after quantization (exactly, or within a tolerance of
 *             units per entry); d(π.y, y_t) computed with the contract's fixed-point mirror satisfies d < d_c − δ.
 * The paper's signatures are the transactions: the contract records the improver (msg.sender) of a proof and the
 * validator of a vote, so VERIFY here checks everything else and says in sentences what failed.
 *
 * File formats (docs/daimon.md "Client formats"): M is a DanKu v1 integer model (lib/danku/encoding.ts; its labels
 * are the integer forward pass on Z's feature bytes, bit-exact with the chain's label disputes, lib/daimon/disputes.ts)
 * or an ONNX classifier with one float32 input
 * [N, ...inputShape] and either scores [N, C] (argmax, ties to the lowest class) or labels [N] (int64/int32);
 * an ONNX model's proof cannot survive an availability dispute (the chain only runs DanKu v1 models, §14.3);
 * Z is a DMZ1 file (lib/daimon/inputs.ts); f is the DEL graph of lib/daimon/delOnnx.ts (int32 labels [N, m] in,
 * float32 y [N, n] out).
 */
import type * as OrtNamespace from "onnxruntime-web";
import { onnx } from "onnx-proto";
import { bytesToHex, hexToBytes, isHex, zeroHash, type Address, type Hex } from "viem";
import { computeCid, normalizeCid } from "../ipfs/cid";
import { DEFAULT_ORT_WASM_PATH, defaultOrtLoader, type OrtModule } from "../ort/scorer";
import { DEL_ONNX_INPUT, DEL_ONNX_OUTPUT } from "./delOnnx";
import { proofHash, type ProofBinding } from "./encoding";
import { decodeIntegerModel, inputPoints, integerLabels, proofBinding } from "./disputes";
import { NO_DELQ_CHECKPOINTS, delqCommit, delqRoot, evaluateDelq, packCheckpoints, tupleDelqOrNull } from "./delQuantized";
import type { QuantizedModel } from "../danku/encoding";
import { WAD, cosineDistance, isImprovement, meanRoundedUp, packOutputs, quantizeVector, unpackVector, type FixedVector } from "./fixedPoint";
import { decodeTestInputs, sampleShape, testInputCount, type TestInputs } from "./inputs";

type Session = OrtNamespace.InferenceSession;

/** Inputs per run of the model: amortizes the call while keeping memory bounded for large inputs. */
export const DEFAULT_MODEL_BATCH_SIZE = 256;

/** A problem, a file or a model that PROVE or VERIFY cannot work with; the message says why, for people. */
export class PoiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PoiError";
  }
}

export interface PoiProgress {
  /** "model": M on Z; "del": f on the predicted labels. */
  readonly phase: "model" | "del";
  /** Tuple index. */
  readonly tuple: number;
  readonly done: number;
  readonly total: number;
}

export interface PoiRuntimeOptions {
  /** The onnxruntime-web module (Node: `require("onnxruntime-web")`, its Node build). */
  readonly ort?: OrtModule;
  /** Loads the module when `ort` is not given (default: `onnxruntime-web/wasm`). */
  readonly loadOrt?: () => Promise<OrtModule>;
  /** `ort.env.wasm.wasmPaths`: default "/ort/" in browsers and workers when not already set, untouched in Node. */
  readonly wasmPaths?: string | null;
  readonly numThreads?: number;
  /**
   * Execution providers of every session, in order of preference (default ["wasm"]). ["webgpu", "wasm"] needs the
   * `onnxruntime-web/webgpu` module as `ort`; nodes WebGPU has no kernel for run on WASM.
   */
  readonly executionProviders?: readonly ("webgpu" | "wasm")[];
  /** Default {@link DEFAULT_MODEL_BATCH_SIZE}; a model whose batch dimension is fixed runs with that size. */
  readonly batchSize?: number;
  /** Name of the model output to use; default: the first output with C scores or one label per input. */
  readonly outputName?: string;
  readonly onProgress?: (progress: PoiProgress) => void;
  readonly signal?: AbortSignal;
}

function isBrowserLike(): boolean {
  const scope = globalThis as { document?: unknown; WorkerGlobalScope?: unknown; process?: { versions?: { node?: string } } };
  if (scope.process?.versions?.node) return false;
  return scope.document !== undefined || scope.WorkerGlobalScope !== undefined;
}

async function openRuntime(options: PoiRuntimeOptions): Promise<OrtModule> {
  const ort = options.ort ?? (await (options.loadOrt ?? (() => defaultOrtLoader("wasm")))());
  const wasmPaths = options.wasmPaths === undefined ? (isBrowserLike() ? DEFAULT_ORT_WASM_PATH : null) : options.wasmPaths;
  // Settings apply before the first session only; an explicit value wins over one already set.
  if (wasmPaths !== null && (options.wasmPaths !== undefined || ort.env.wasm.wasmPaths === undefined)) ort.env.wasm.wasmPaths = wasmPaths;
  if (options.numThreads !== undefined) ort.env.wasm.numThreads = options.numThreads;
  return ort;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function withSession<T>(
  ort: OrtModule,
  bytes: Uint8Array,
  what: string,
  body: (session: Session) => Promise<T>,
  providers: readonly ("webgpu" | "wasm")[] = ["wasm"],
): Promise<T> {
  let session: Session;
  try {
    session = await ort.InferenceSession.create(bytes, { executionProviders: [...providers], graphOptimizationLevel: "all" });
  } catch (error) {
    throw new PoiError(`${what} is not an ONNX model that ONNX Runtime can load: ${message(error)}`);
  }
  try {
    return await body(session);
  } finally {
    await session.release();
  }
}

function tensorMetadata(session: Session, kind: "input" | "output", index: number): OrtNamespace.InferenceSession.TensorValueMetadata | undefined {
  // Older runtimes have no metadata; the checks that need it are then left to the run itself.
  const list = kind === "input" ? session.inputMetadata : session.outputMetadata;
  const meta = list?.[index];
  return meta && meta.isTensor ? meta : undefined;
}

// ------------------------------------------------------------------ f: the DEL function

export interface DelFunctionShape {
  /** Labels f takes (the tuple's m). */
  readonly m: number;
  readonly classCount: number;
  readonly hidden: number;
  /** Entries of y. */
  readonly n: number;
}

function dimensions(tensor: onnx.ITensorProto | undefined, name: string): number[] {
  if (!tensor) throw new PoiError(`the DEL file has no initializer ${name}: it is not a DEL graph (lib/daimon/delOnnx.ts)`);
  return (tensor.dims ?? []).map((d) => Number(String(d)));
}

/** m, C, H and n of a DEL ONNX file, from its initializers' shapes (the weights themselves are not copied). */
export function readDelShape(bytes: Uint8Array): DelFunctionShape {
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new PoiError(`the DEL file is not an ONNX model: ${message(error)}`);
  }
  const initializers = new Map((model.graph?.initializer ?? []).map((t) => [t.name ?? "", t]));
  const [rows, hidden] = dimensions(initializers.get("W1"), "W1");
  const [hidden2, n] = dimensions(initializers.get("W2"), "W2");
  const [m] = dimensions(initializers.get("offsets"), "offsets");
  if (rows === undefined || hidden === undefined || n === undefined || m === undefined || hidden !== hidden2 || !(m > 0)) {
    throw new PoiError("the DEL file's W1, W2 and offsets do not have the shapes of a DEL graph");
  }
  const declared = (model.metadataProps ?? []).find((p) => p.key === "daimon.del.classCount")?.value;
  const classCount = declared ? Number(declared) : rows / m;
  if (!Number.isInteger(classCount) || classCount * m !== rows) throw new PoiError(`the DEL file's W1 has ${rows} rows, not m·C for m = ${m}`);
  return { m, classCount, hidden, n };
}

/** y = f(x) for one label vector x (labels 0…C−1, validated by the caller), as ONNX Runtime computes it. */
export async function runDel(del: Uint8Array, labels: Int32Array, options: PoiRuntimeOptions = {}): Promise<Float32Array> {
  const ort = await openRuntime(options);
  return withSession(ort, del, "the DEL file", (session) => runDelSession(ort, session, labels), options.executionProviders);
}

async function runDelSession(ort: OrtModule, session: Session, labels: Int32Array): Promise<Float32Array> {
  if (!session.inputNames.includes(DEL_ONNX_INPUT) || !session.outputNames.includes(DEL_ONNX_OUTPUT)) {
    throw new PoiError(`the DEL file does not take "${DEL_ONNX_INPUT}" and give "${DEL_ONNX_OUTPUT}": it is not a DEL graph (lib/daimon/delOnnx.ts)`);
  }
  let outputs: OrtNamespace.InferenceSession.OnnxValueMapType;
  try {
    outputs = await session.run({ [DEL_ONNX_INPUT]: new ort.Tensor("int32", labels, [1, labels.length]) });
  } catch (error) {
    throw new PoiError(`running the DEL function on ${labels.length} labels failed: ${message(error)}`);
  }
  const y = outputs[DEL_ONNX_OUTPUT]?.data;
  if (!(y instanceof Float32Array)) throw new PoiError("the DEL function returned no float32 output");
  const bad = y.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new PoiError(`the DEL function's output entry ${bad} is ${y[bad]} (a dead network gives NaN); this f cannot be used`);
  return y.slice();
}

/** y_t for a tuple: f(x_t) by ONNX Runtime, packed as the contract's int16 vector (what `addTuple` takes). */
export async function computeTarget(del: Uint8Array, trueLabels: Int32Array, options: PoiRuntimeOptions = {}): Promise<{ target: Hex; vector: number[]; float: Float32Array }> {
  const float = await runDel(del, trueLabels, options);
  const vector = quantizeVector(Array.from(float));
  return { target: bytesToHex(packOutputs([vector])), vector, float };
}

// ------------------------------------------------------------------ M: the classification model

function argmaxRow(scores: ArrayLike<number>, row: number, classCount: number, absoluteRow: number): number {
  const base = row * classCount;
  let best = 0;
  for (let c = 0; c < classCount; c++) {
    const v = scores[base + c] as number;
    if (Number.isNaN(v)) throw new PoiError(`the model's score for input ${absoluteRow}, class ${c} is NaN; its prediction is undefined`);
    if (v > (scores[base + best] as number)) best = c;
  }
  return best;
}

type OutputKind = { name: string; kind: "scores" | "labels" };

/** Picks the output that carries the prediction: C scores per input, else one integer label per input. */
function chooseOutput(outputs: OrtNamespace.InferenceSession.OnnxValueMapType, names: readonly string[], count: number, classCount: number, wanted?: string): OutputKind {
  const describe = () =>
    names
      .map((n) => {
        const t = outputs[n];
        return t ? `${n}: ${t.type} [${t.dims.join(", ")}]` : n;
      })
      .join("; ");
  const classify = (name: string): OutputKind | undefined => {
    const t = outputs[name];
    if (!t) return undefined;
    if ((t.type === "float32" || t.type === "float64") && t.data.length === count * classCount) return { name, kind: "scores" };
    if ((t.type === "int64" || t.type === "int32") && t.data.length === count) return { name, kind: "labels" };
    return undefined;
  };
  if (wanted !== undefined) {
    if (!names.includes(wanted)) throw new PoiError(`the model has no output "${wanted}" (it has ${names.join(", ")})`);
    const chosen = classify(wanted);
    if (!chosen) throw new PoiError(`the model's output ${describe()} gives neither ${classCount} scores nor one label per input`);
    return chosen;
  }
  const scores = names.map(classify).find((o) => o?.kind === "scores");
  const labels = names.map(classify).find((o) => o?.kind === "labels");
  const chosen = scores ?? labels;
  if (!chosen) {
    throw new PoiError(
      `the model's outputs (${describe()}) give neither ${classCount} scores per input nor one label per input; ` +
        `a DaiMoN model outputs scores [N, ${classCount}] or labels [N]`,
    );
  }
  return chosen;
}

/**
 * x = M(Z): the predicted label (0…C−1) of every test input: argmax of the scores, ties to the lowest class, or the
 * model's own integer labels. Refuses models whose input does not fit Z with a sentence that says why.
 */
export async function predictLabels(model: Uint8Array, inputs: TestInputs, classCount: number, options: PoiRuntimeOptions & { tuple?: number } = {}): Promise<Int32Array> {
  const ort = await openRuntime(options);
  return withSession(ort, model, "the model file", (session) => predictWithSession(ort, session, inputs, classCount, options), options.executionProviders);
}

async function predictWithSession(ort: OrtModule, session: Session, inputs: TestInputs, classCount: number, options: PoiRuntimeOptions & { tuple?: number }): Promise<Int32Array> {
  const m = testInputCount(inputs);
  const sample = sampleShape(inputs);
  const width = sample.reduce((a, b) => a * b, 1);
  const expected = `one float32 tensor [N, ${sample.join(", ")}]`;
  if (session.inputNames.length !== 1) {
    throw new PoiError(`the model has ${session.inputNames.length} inputs (${session.inputNames.join(", ")}); a DaiMoN model takes ${expected}`);
  }
  const inputName = session.inputNames[0] as string;
  let batchSize = options.batchSize ?? DEFAULT_MODEL_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const meta = tensorMetadata(session, "input", 0);
  if (meta) {
    if (meta.type !== "float32") throw new PoiError(`the model's input "${inputName}" is ${meta.type}; a DaiMoN model takes ${expected}`);
    if (meta.shape.length > 0) {
      const shown = `[${meta.shape.join(", ")}]`;
      if (meta.shape.length !== 1 + sample.length) throw new PoiError(`the model's input "${inputName}" has shape ${shown}; the problem's test inputs need ${expected}`);
      sample.forEach((d, i) => {
        const dim = meta.shape[i + 1];
        if (typeof dim === "number" && dim !== d) throw new PoiError(`the model's input "${inputName}" has shape ${shown}; the problem's test inputs need ${expected}`);
      });
      const fixed = meta.shape[0];
      if (typeof fixed === "number" && fixed > 0) {
        if (fixed !== 1 && fixed !== m) throw new PoiError(`the model's input has a fixed batch of ${fixed}; export it with a dynamic batch dimension (or 1)`);
        batchSize = fixed;
      }
    }
  }
  const tuple = options.tuple ?? 0;
  const labels = new Int32Array(m);
  let output: OutputKind | undefined;
  options.onProgress?.({ phase: "model", tuple, done: 0, total: m });
  for (let start = 0; start < m; start += batchSize) {
    options.signal?.throwIfAborted();
    const end = Math.min(m, start + batchSize);
    const count = end - start;
    let outputs: OrtNamespace.InferenceSession.OnnxValueMapType;
    try {
      outputs = await session.run({ [inputName]: new ort.Tensor("float32", inputs.data.subarray(start * width, end * width), [count, ...sample]) });
    } catch (error) {
      throw new PoiError(`running the model on test inputs ${start}…${end - 1} failed: ${message(error)}`);
    }
    output ??= chooseOutput(outputs, session.outputNames, count, classCount, options.outputName);
    const data = outputs[output.name]?.data;
    if (output.kind === "scores") {
      if (!(data instanceof Float32Array || data instanceof Float64Array) || data.length !== count * classCount) {
        throw new PoiError(`the model's output "${output.name}" changed shape between batches`);
      }
      for (let r = 0; r < count; r++) labels[start + r] = argmaxRow(data, r, classCount, start + r);
    } else {
      if (!(data instanceof BigInt64Array || data instanceof Int32Array) || data.length !== count) {
        throw new PoiError(`the model's output "${output.name}" changed shape between batches`);
      }
      for (let r = 0; r < count; r++) {
        const label = Number(data[r]);
        if (!Number.isInteger(label) || label < 0 || label >= classCount) {
          throw new PoiError(`the model labels input ${start + r} as ${label}; labels are 0…${classCount - 1}`);
        }
        labels[start + r] = label;
      }
    }
    options.onProgress?.({ phase: "model", tuple, done: end, total: m });
  }
  return labels;
}

// ------------------------------------------------------------------ tuples and the problem

/** What PROVE and VERIFY need to know about the problem (from its ProblemConfig and input shape). */
export interface PoiProblem {
  readonly classCount: number;
  readonly testSetSize?: number;
  readonly embeddingSize?: number;
  readonly inputShape?: readonly number[];
}

/** One test dataset tuple (Z, f, y_t) with its files' bytes. CIDs, when given, are checked against the bytes. */
export interface PoiTuple {
  /** Z: the DMZ1 file, or already decoded. */
  readonly inputs: Uint8Array | TestInputs;
  /** f: the DEL ONNX file. */
  readonly del: Uint8Array;
  /** y_t: packed int16 (hex or bytes), or the int16 entries. */
  readonly target: Hex | Uint8Array | FixedVector;
  readonly inputsCid?: string;
  readonly delCid?: string;
  /** The tuple's delRoot on chain: when given, f_q of `del` must have it (else the proof would lose output disputes). */
  readonly delRoot?: Hex;
}

interface PreparedTuple {
  readonly inputs: TestInputs;
  readonly del: Uint8Array;
  readonly delRoot?: Hex;
  readonly target: number[];
  readonly shape: DelFunctionShape;
}

function targetVector(target: PoiTuple["target"]): number[] {
  if (typeof target === "string") {
    // The Hex type is a template literal; a caller's plain string may still not be hex.
    const text: string = target;
    if (!isHex(text)) throw new PoiError(`y_t ${text.slice(0, 20)}… is not hex`);
    return unpackVector(hexToBytes(text));
  }
  if (target instanceof Uint8Array) return unpackVector(target);
  return [...target];
}

async function checkCid(bytes: Uint8Array, cid: string, what: string): Promise<void> {
  let expected: string;
  try {
    expected = normalizeCid(cid);
  } catch (error) {
    throw new PoiError(`${what}: ${message(error)}`);
  }
  const actual = await computeCid(bytes);
  if (actual !== expected) throw new PoiError(`${what}: the file's CID is ${actual}, the tuple names ${cid}; it is not the tuple's file`);
}

/** Decodes and cross-checks one tuple: Z, f, y_t and the problem must agree on m, C, n and the input shape. */
async function prepareTuple(tuple: PoiTuple, index: number, problem: PoiProblem): Promise<PreparedTuple> {
  const where = `tuple ${index}`;
  if (tuple.inputsCid !== undefined && tuple.inputs instanceof Uint8Array) await checkCid(tuple.inputs, tuple.inputsCid, `${where}'s test inputs Z`);
  if (tuple.delCid !== undefined) await checkCid(tuple.del, tuple.delCid, `${where}'s DEL function f`);
  let inputs: TestInputs;
  try {
    inputs = tuple.inputs instanceof Uint8Array ? decodeTestInputs(tuple.inputs) : tuple.inputs;
  } catch (error) {
    throw new PoiError(`${where}'s test inputs: ${message(error)}`);
  }
  const shape = readDelShape(tuple.del);
  const m = testInputCount(inputs);
  const sample = sampleShape(inputs);
  if (shape.m !== m) throw new PoiError(`${where}: Z has ${m} test inputs but f takes ${shape.m} labels`);
  if (problem.testSetSize !== undefined && problem.testSetSize !== m) throw new PoiError(`${where}: Z has ${m} test inputs, the problem's test set size is ${problem.testSetSize}`);
  if (shape.classCount !== problem.classCount) throw new PoiError(`${where}: f was trained for ${shape.classCount} classes, the problem has ${problem.classCount}`);
  if (problem.inputShape && (problem.inputShape.length !== sample.length || problem.inputShape.some((d, i) => d !== sample[i]))) {
    throw new PoiError(`${where}: Z's inputs have shape [${sample.join(", ")}], the problem's input shape is [${problem.inputShape.join(", ")}]`);
  }
  const target = targetVector(tuple.target);
  if (target.length !== shape.n) throw new PoiError(`${where}: y_t has ${target.length} entries but f outputs ${shape.n}`);
  if (problem.embeddingSize !== undefined && problem.embeddingSize !== shape.n) {
    throw new PoiError(`${where}: f outputs ${shape.n} entries, the problem's embedding size is ${problem.embeddingSize}`);
  }
  return { inputs, del: tuple.del, target, shape, ...(tuple.delRoot === undefined ? {} : { delRoot: tuple.delRoot }) };
}

interface ComputedOutput {
  readonly labels: Int32Array;
  readonly float: Float32Array;
  /** f_q(labels) (the integer path a dispute recomputes), or the float output quantized when f has no f_q. */
  readonly vector: number[];
  /** f_q's c_0…c_S on the labels (lib/daimon/delQuantized.ts), what the proof posts for output disputes. */
  readonly checkpoints: readonly Hex[];
}

/**
 * y and the checkpoints from f_q (the tuple's DEL file quantized, lib/daimon/delQuantized.ts `tupleDelq`): exactly
 * what an output dispute recomputes, so an honest proof survives every step. A DEL file without f_q keeps the float
 * path (its tuple's delRoot is zero: nothing to dispute against).
 */
function delqResult(tuple: PreparedTuple, labels: Int32Array, float: Float32Array): ComputedOutput {
  const q = tupleDelqOrNull(tuple.del);
  if (tuple.delRoot !== undefined) {
    const root = q ? delqRoot(delqCommit(q)) : zeroHash;
    if (root.toLowerCase() !== tuple.delRoot.toLowerCase()) {
      throw new PoiError(`the f_q of a tuple's DEL file has root ${root}, the tuple commits ${tuple.delRoot}: a proof from it would lose its output disputes`);
    }
  }
  if (!q) return { labels, float, vector: quantizeVector(Array.from(float)), checkpoints: NO_DELQ_CHECKPOINTS };
  const e = evaluateDelq(q, labels);
  return { labels, float, vector: e.outputs, checkpoints: e.checkpoints };
}

/** The integer model's labels of one tuple (lib/daimon/disputes.ts), refusing a model that does not fit Z. */
function integerTupleLabels(model: QuantizedModel, inputs: TestInputs, classCount: number, tuple: number, options: PoiRuntimeOptions): Int32Array {
  const width = sampleShape(inputs).reduce((a, b) => a * b, 1);
  const widths = model.widths;
  if (widths[0] !== width) throw new PoiError(`the integer model takes ${widths[0]} features, tuple ${tuple}'s test inputs have ${width}`);
  if (widths[widths.length - 1] !== classCount) throw new PoiError(`the integer model has ${widths[widths.length - 1]} outputs, the problem has ${classCount} classes`);
  const m = testInputCount(inputs);
  options.onProgress?.({ phase: "model", tuple, done: 0, total: m });
  const labels = integerLabels(model, inputPoints(inputs));
  options.onProgress?.({ phase: "model", tuple, done: m, total: m });
  return labels;
}

/**
 * f(M(Z)) for every tuple: predicted labels, the float output and its int16 quantization. A DanKu v1 integer model's
 * labels come from the integer forward pass (what a label dispute runs on chain), an ONNX model's from ONNX Runtime.
 */
async function computeOutputs(model: Uint8Array, tuples: readonly PreparedTuple[], problem: PoiProblem, options: PoiRuntimeOptions): Promise<ComputedOutput[]> {
  const ort = await openRuntime(options);
  const integer = decodeIntegerModel(model);
  if (integer) {
    const results: ComputedOutput[] = [];
    for (const [index, tuple] of tuples.entries()) {
      options.signal?.throwIfAborted();
      const labels = integerTupleLabels(integer, tuple.inputs, problem.classCount, index, options);
      options.onProgress?.({ phase: "del", tuple: index, done: 0, total: 1 });
      const float = await withSession(ort, tuple.del, `tuple ${index}'s DEL file`, (session) => runDelSession(ort, session, labels), options.executionProviders);
      options.onProgress?.({ phase: "del", tuple: index, done: 1, total: 1 });
      results.push(delqResult(tuple, labels, float));
    }
    return results;
  }
  return withSession(ort, model, "the model file", async (modelSession) => {
    const results: ComputedOutput[] = [];
    for (const [index, tuple] of tuples.entries()) {
      const labels = await predictWithSession(ort, modelSession, tuple.inputs, problem.classCount, { ...options, tuple: index });
      options.signal?.throwIfAborted();
      options.onProgress?.({ phase: "del", tuple: index, done: 0, total: 1 });
      const float = await withSession(ort, tuple.del, `tuple ${index}'s DEL file`, (session) => runDelSession(ort, session, labels), options.executionProviders);
      options.onProgress?.({ phase: "del", tuple: index, done: 1, total: 1 });
      results.push(delqResult(tuple, labels, float));
    }
    return results;
  }, options.executionProviders);
}

/** Per-tuple distances d(y_i, y_t,i) and their mean rounded up, as `submitProof` computes them (WAD). */
function distancesOf(outputs: readonly FixedVector[], targets: readonly FixedVector[]): { distances: bigint[]; distance: bigint } {
  const distances = targets.map((t, i) => {
    try {
      return cosineDistance(outputs[i] as FixedVector, t);
    } catch (error) {
      throw new PoiError(`tuple ${i}: the distance is undefined (${message(error)})`);
    }
  });
  return { distances, distance: distances.length === 0 ? WAD : meanRoundedUp(distances.reduce((a, b) => a + b, 0n), BigInt(distances.length)) };
}

/** A WAD distance as a decimal for people ("0.123457"). */
export function formatDistance(value: bigint, digits = 6): string {
  return (Number(value) / 1e18).toFixed(digits);
}

// ------------------------------------------------------------------ PROVE

export interface ProveInput {
  /** M: the model file (DanKu v1 integer model, or ONNX). */
  readonly model: Uint8Array;
  /** Every tuple of the problem, in tuple order. */
  readonly tuples: readonly PoiTuple[];
  readonly problem: PoiProblem;
  /** With both, the proof hash a vote must name is computed too. */
  readonly problemAddress?: Address;
  readonly improver?: Address;
}

export interface PoiProof {
  /** g = digest(M): the model file's CIDv1, what `register` hides and `submitProof` names. */
  readonly cid: string;
  /** y per tuple, quantized to int16 (what the contract stores). */
  readonly outputs: number[][];
  /** The outputs packed and concatenated in tuple order: `submitProof`'s second argument. */
  readonly packedOutputs: Hex;
  /** M(Z) per tuple (labels 0…C−1). */
  readonly predictedLabels: Int32Array[];
  /** f(M(Z)) per tuple as ONNX Runtime returned it. */
  readonly floatOutputs: Float32Array[];
  /** d(y_i, y_t,i) per tuple and their mean rounded up (WAD), as the contract will compute them. */
  readonly distances: bigint[];
  readonly distance: bigint;
  /** keccak256(model file) and the predicted labels' root: `submitProof`'s binding (docs/daimon.md §14.3). */
  readonly binding: ProofBinding;
  /** Whether M is a DanKu v1 integer model, the only kind whose proof survives an availability dispute. */
  readonly integerModel: boolean;
  readonly proofHash?: Hex;
}

/** PROVE(M): the digest and the DEL outputs of the model's predictions on every tuple's Z. */
export async function prove(input: ProveInput, options: PoiRuntimeOptions = {}): Promise<PoiProof> {
  if (input.tuples.length === 0) throw new PoiError("the problem has no tuples, so there is nothing to prove against");
  const cid = await computeCid(input.model);
  const tuples: PreparedTuple[] = [];
  for (const [i, t] of input.tuples.entries()) tuples.push(await prepareTuple(t, i, input.problem));
  const computed = await computeOutputs(input.model, tuples, input.problem, options);
  const outputs = computed.map((c) => c.vector);
  const packedOutputs = bytesToHex(packOutputs(outputs));
  const { distances, distance } = distancesOf(outputs, tuples.map((t) => t.target));
  const binding = proofBinding(input.model, computed.map((c) => c.labels), packCheckpoints(computed.map((c) => c.checkpoints)));
  return {
    cid,
    outputs,
    packedOutputs,
    predictedLabels: computed.map((c) => c.labels),
    floatOutputs: computed.map((c) => c.float),
    distances,
    distance,
    binding,
    integerModel: decodeIntegerModel(input.model) !== null,
    ...(input.problemAddress && input.improver ? { proofHash: proofHash(input.problemAddress, input.improver, cid, binding, packedOutputs) } : {}),
  };
}

// ------------------------------------------------------------------ VERIFY

/** A submitted proof as `ProofSubmitted` reports it (the fields beyond cid and outputs are checked when given). */
export interface SubmittedProof {
  readonly cid: string;
  /** The packed outputs of every tuple, concatenated (hex or bytes). */
  readonly outputs: Hex | Uint8Array;
  readonly improver?: Address;
  readonly problem?: Address;
  readonly proofHash?: Hex;
  /** The proof's binding (`ProofBound`): checked against the model file and the recomputed labels when given. */
  readonly binding?: ProofBinding;
  /** The aggregate and per-tuple distances the contract computed. */
  readonly distance?: bigint;
  readonly distances?: readonly bigint[];
}

export interface VerifyInput {
  /** M: the model file downloaded by the proof's CID. */
  readonly model: Uint8Array;
  readonly proof: SubmittedProof;
  readonly tuples: readonly PoiTuple[];
  readonly problem: PoiProblem;
  /** d_c (WAD): the best distance before the proof's round. */
  readonly bestDistance: bigint;
  /** δ (WAD). */
  readonly margin: bigint;
  /**
   * Largest accepted difference per int16 entry between the submitted y and f(M(Z)) (default 0: equal after
   * quantization). docs/daimon.md §7 suggests 1 where prover and validator run different runtimes.
   */
  readonly tolerance?: number;
}

export type PoiCheckName = "digest" | "tuples" | "outputs" | "binding" | "distance" | "claimed-distance" | "proof-hash";

export interface PoiCheck {
  readonly name: PoiCheckName;
  readonly ok: boolean;
  /** One sentence for people. */
  readonly detail: string;
}

export interface PoiVerification {
  /** All checks passed: the validator may vote for the proof (naming `proofHash`). */
  readonly verified: boolean;
  readonly checks: PoiCheck[];
  /** The failed checks' sentences (empty when verified). */
  readonly reasons: string[];
  /** One line: the decision and its main reason. */
  readonly summary: string;
  /** d(π.y, y_t) per tuple and aggregated (WAD), when the submitted outputs have the right shape. */
  readonly distances: bigint[] | null;
  readonly distance: bigint | null;
  /** f(M(Z)) per tuple as recomputed here (int16), when the model and files could be run. */
  readonly recomputed: number[][] | null;
  /** The proof hash for the vote, when the problem and improver are known. */
  readonly proofHash: Hex | null;
}

function describeDifference(submitted: readonly number[], recomputed: readonly number[], tolerance: number, tuple: number): string | undefined {
  let differing = 0;
  let worst = 0;
  let worstAt = 0;
  for (let i = 0; i < recomputed.length; i++) {
    const gap = Math.abs((submitted[i] as number) - (recomputed[i] as number));
    if (gap > 0) differing++;
    if (gap > worst) {
      worst = gap;
      worstAt = i;
    }
  }
  if (worst <= tolerance) return undefined;
  return (
    `tuple ${tuple}: ${differing} of ${recomputed.length} entries of the submitted y differ from f(M(Z)) ` +
    `(largest difference ${worst} units at entry ${worstAt}, ${tolerance === 0 ? "none allowed" : `at most ${tolerance} allowed`})`
  );
}

/**
 * VERIFY(M, π, d_c, δ): recomputes digest(M) and f(M(Z)) for every tuple and checks them and the distance against
 * the submitted proof. Never throws for a bad proof or bad files: every failure is a check with a reason.
 */
export async function verify(input: VerifyInput, options: PoiRuntimeOptions = {}): Promise<PoiVerification> {
  const tolerance = input.tolerance ?? 0;
  if (!Number.isInteger(tolerance) || tolerance < 0) throw new RangeError(`the tolerance is a whole number of int16 units ≥ 0, got ${tolerance}`);
  const checks: PoiCheck[] = [];
  const check = (name: PoiCheckName, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  const { proof } = input;

  // 1. digest(M) = π.g
  const cid = await computeCid(input.model);
  let claimedCid: string | undefined;
  try {
    claimedCid = normalizeCid(proof.cid);
  } catch (error) {
    check("digest", false, `the proof's CID is unusable: ${message(error)}`);
  }
  if (claimedCid !== undefined) {
    check("digest", cid === claimedCid, cid === claimedCid ? `the model file's CID is the proof's ${cid}` : `the model file's CID is ${cid}, the proof names ${proof.cid}: this is not the proof's model`);
  }

  // The tuples: files match their CIDs and agree with each other and the problem.
  const prepared: PreparedTuple[] = [];
  try {
    for (const [i, t] of input.tuples.entries()) prepared.push(await prepareTuple(t, i, input.problem));
    if (prepared.length === 0) throw new PoiError("the problem has no tuples");
    check("tuples", true, `${prepared.length} tuple(s): Z, f and y_t match their CIDs and the problem`);
  } catch (error) {
    check("tuples", false, message(error));
  }
  const tuplesOk = checks.every((c) => c.name !== "tuples" || c.ok);

  // The submitted outputs, split per tuple.
  let submitted: number[][] | null = null;
  if (tuplesOk) {
    const bytes = typeof proof.outputs === "string" ? (isHex(proof.outputs) ? hexToBytes(proof.outputs) : null) : proof.outputs;
    const expectedBytes = prepared.reduce((s, t) => s + 2 * t.shape.n, 0);
    if (!bytes || bytes.length !== expectedBytes) {
      check("outputs", false, `the submitted outputs are ${bytes ? `${bytes.length} bytes` : "not hex"}; ${prepared.length} tuple(s) need ${expectedBytes} bytes (${prepared.map((t) => t.shape.n).join(" + ")} int16 entries)`);
    } else {
      let at = 0;
      submitted = prepared.map((t) => {
        const v = unpackVector(bytes.subarray(at, at + 2 * t.shape.n));
        at += 2 * t.shape.n;
        return v;
      });
    }
  }

  // 2. π.y = f(M(Z)), after quantization (within the tolerance).
  let recomputed: number[][] | null = null;
  let binding: ProofBinding | null = null;
  if (tuplesOk && submitted) {
    try {
      const computed = await computeOutputs(input.model, prepared, input.problem, options);
      recomputed = computed.map((c) => c.vector);
      binding = proofBinding(input.model, computed.map((c) => c.labels), packCheckpoints(computed.map((c) => c.checkpoints)));
      const differences = recomputed.map((r, i) => describeDifference(submitted![i] as number[], r, tolerance, i)).filter((d): d is string => d !== undefined);
      check(
        "outputs",
        differences.length === 0,
        differences.length === 0
          ? `f(M(Z)) reproduces the submitted y of every tuple${tolerance > 0 ? ` within ${tolerance} unit(s) per entry` : " exactly"}`
          : `${differences.join("; ")}: the proof's y is not what this model produces`,
      );
    } catch (error) {
      if (error instanceof Error && error.name === "AbortError") throw error;
      check("outputs", false, `f(M(Z)) could not be computed: ${message(error)}`);
    }
  }

  // The binding a dispute checks: keccak256 of these model bytes and the root of M(Z).
  if (binding && proof.binding) {
    const sameModel = proof.binding.modelHash.toLowerCase() === binding.modelHash.toLowerCase();
    const sameLabels = proof.binding.labelsRoot.toLowerCase() === binding.labelsRoot.toLowerCase();
    const sameCheckpoints = proof.binding.checkpoints.toLowerCase() === binding.checkpoints.toLowerCase();
    check(
      "binding",
      sameModel && sameLabels && sameCheckpoints,
      !sameModel
        ? `the proof is bound to model hash ${proof.binding.modelHash}, this file hashes to ${binding.modelHash}: it is not the bound model`
        : !sameLabels
          ? `the proof's labels root ${proof.binding.labelsRoot} is not the root ${binding.labelsRoot} of this model's labels: a label dispute wins`
          : !sameCheckpoints
            ? "the proof's f_q checkpoints are not f_q's on these labels: an output dispute wins (the CLI's `daimon dispute-output` finds the step)"
            : decodeIntegerModel(input.model)
            ? "the proof is bound to this integer model and its labels: every label dispute fails"
            : "the proof is bound to this file and its labels, but the file is not a DanKu v1 model: an availability dispute voids it",
    );
  }

  // 3. d(π.y, y_t) < d_c − δ, in the contract's fixed point.
  let distances: bigint[] | null = null;
  let distance: bigint | null = null;
  if (submitted) {
    try {
      ({ distances, distance } = distancesOf(submitted, prepared.map((t) => t.target)));
      const ok = isImprovement(distance, input.bestDistance, input.margin);
      const perTuple = distances.length > 1 ? ` (per tuple ${distances.map((d) => formatDistance(d)).join(", ")})` : "";
      check(
        "distance",
        ok,
        `d = ${formatDistance(distance)}${perTuple} is ${ok ? "" : "not "}below d_c − δ = ${formatDistance(input.bestDistance)} − ${formatDistance(input.margin)}` +
          (ok ? "" : ": the proof is no improvement"),
      );
      if (proof.distance !== undefined) {
        const same = proof.distance === distance && (proof.distances === undefined || proof.distances.every((d, i) => d === distances![i]));
        check("claimed-distance", same, same ? "the contract's distances equal the recomputed ones" : `the contract reports d = ${formatDistance(proof.distance)}, recomputed ${formatDistance(distance)}`);
      }
    } catch (error) {
      check("distance", false, message(error));
    }
  }

  // The hash a vote must name.
  let hash: Hex | null = null;
  const hashBinding = proof.binding ?? binding;
  if (!hashBinding) {
    // Nothing to hash with: neither the proof's binding nor a recomputed one.
  } else if (proof.problem && proof.improver && typeof proof.outputs === "string") {
    hash = proofHash(proof.problem, proof.improver, proof.cid, hashBinding, proof.outputs);
    if (proof.proofHash !== undefined) {
      const same = proof.proofHash.toLowerCase() === hash.toLowerCase();
      check("proof-hash", same, same ? `the proof hash ${hash} covers this problem, improver, CID and y` : `the reported proof hash ${proof.proofHash} is not ${hash}, the hash of this proof's contents`);
    }
  } else if (proof.problem && proof.improver) {
    hash = proofHash(proof.problem, proof.improver, proof.cid, hashBinding, bytesToHex(proof.outputs as Uint8Array));
  }

  const reasons = checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
  const verified = reasons.length === 0 && checks.some((c) => c.name === "outputs") && checks.some((c) => c.name === "distance");
  const summary = verified
    ? `verified: the model reproduces the proof and d = ${formatDistance(distance ?? WAD)} improves on d_c = ${formatDistance(input.bestDistance)} by more than δ`
    : `not verified: ${reasons[0] ?? "the proof could not be checked"}`;
  return { verified, checks, reasons, summary, distances, distance, recomputed, proofHash: hash };
}

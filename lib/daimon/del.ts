/**
 * The DEL function (Distance Embedding for Labels, DaiMoN paper §II–III): an MLP f that maps a predicted label
 * vector x ∈ {0..C−1}^m to a unit vector y ∈ R^n, trained for one test label vector x_t so that the modified cosine
 * distance d(f(x), f(x_t)) approximates the error e(x, x_t). Verifiers compare d(f(x), y_t) instead of e, so the
 * test labels x_t never appear on the ledger, only f and y_t = f(x_t).
 *
 * The network (docs/daimon-del.md "DEL"):
 *   a = b1 + Σ_i W1[i·C + x_i]      one-hot input through a gather: row i·C + c of W1 [m·C, H] is position i, label c
 *   h = ReLU(a)                     H hidden units (the paper: 1024)
 *   z = h·W2 + b2                   W2 [H, n]
 *   y = z / ‖z‖₂                    unit-normalized output (y = 0 if z = 0)
 * The one-hot gather is exactly a dense layer on the one-hot encoding of x (m·C inputs, m of them 1), without the
 * m·C-wide multiply. Parameters are float32 (what the ONNX graph holds); this file computes in float64 from them, so
 * the TypeScript forward is the reference the float32 ONNX run is compared with.
 *
 * The key identity for speed: for x that differs from x_t only at positions K,
 *   a(x) = a(x_t) + Σ_{k∈K} (W1[k·C + x_k] − W1[k·C + x_t,k]),
 * so a perturbed vector costs O(|K|·H) once a(x_t) is known ({@link delPreActivationPerturbed}).
 */
import { LabelVectorError, checkClassCount, type DelRandom, type LabelVector, type Perturbation } from "./generateData";

export interface DelShape {
  /** Test set size: the length of a label vector. */
  readonly m: number;
  /** Number of classes C; labels are 0..C−1. */
  readonly classCount: number;
  /** Hidden units H. */
  readonly hidden: number;
  /** Embedding dimension n. */
  readonly n: number;
}

export interface DelParameters extends DelShape {
  /** [m·C, H] row-major; row i·C + c belongs to label c at position i. */
  readonly w1: Float32Array;
  /** [H] */
  readonly b1: Float32Array;
  /** [H, n] row-major. */
  readonly w2: Float32Array;
  /** [n] */
  readonly b2: Float32Array;
}

export class DelShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DelShapeError";
  }
}

/** Largest m·C·H the float32 W1 may have: a JavaScript typed array holds at most 2^32 − 1 elements (16 GiB). */
export const MAX_DEL_FIRST_LAYER = 2 ** 32 - 1;

export function checkDelShape(shape: DelShape): void {
  const { m, classCount, hidden, n } = shape;
  if (!Number.isInteger(m) || m < 1) throw new DelShapeError(`m must be a positive integer, got ${m}`);
  checkClassCount(classCount);
  if (!Number.isInteger(hidden) || hidden < 1) throw new DelShapeError(`the hidden width must be a positive integer, got ${hidden}`);
  if (!Number.isInteger(n) || n < 2) throw new DelShapeError(`the embedding dimension n must be an integer ≥ 2, got ${n}`);
  if (m * classCount * hidden > MAX_DEL_FIRST_LAYER) {
    throw new DelShapeError(`m·C·H = ${m * classCount * hidden} first-layer weights exceed one typed array (${MAX_DEL_FIRST_LAYER})`);
  }
}

export function checkDelParameters(params: DelParameters): void {
  checkDelShape(params);
  const { m, classCount, hidden, n } = params;
  const expect = (what: string, got: number, want: number) => {
    if (got !== want) throw new DelShapeError(`${what} has ${got} values, the shape needs ${want}`);
  };
  expect("W1", params.w1.length, m * classCount * hidden);
  expect("b1", params.b1.length, hidden);
  expect("W2", params.w2.length, hidden * n);
  expect("b2", params.b2.length, n);
}

/** Bytes of the float32 parameters (W1 dominates: 4·m·C·H). */
export function delParameterBytes(shape: DelShape): number {
  return 4 * (shape.m * shape.classCount * shape.hidden + shape.hidden + shape.hidden * shape.n + shape.n);
}

/**
 * Random initial parameters: He-uniform W1 ~ U(±√(6/m)) (variance 2/m for the m active one-hot inputs, so each a_j
 * starts with variance 2), W2 ~ U(±√(3/H)) (variance 1/H), zero biases. Uniform rather than normal: one 32-bit draw
 * per weight, which matters for the 102 M weights of W1 at m = 10,000.
 */
export function initDelParameters(shape: DelShape, random: DelRandom): DelParameters {
  checkDelShape(shape);
  const { m, classCount, hidden, n } = shape;
  const uniform = (length: number, bound: number) => {
    const out = new Float32Array(length);
    const scale = (2 * bound) / 2 ** 32;
    for (let i = 0; i < length; i++) out[i] = random.uint32() * scale - bound;
    return out;
  };
  return {
    m,
    classCount,
    hidden,
    n,
    w1: uniform(m * classCount * hidden, Math.sqrt(6 / m)),
    b1: new Float32Array(hidden),
    w2: uniform(hidden * n, Math.sqrt(3 / hidden)),
    b2: new Float32Array(n),
  };
}

function checkLabels(params: DelShape, x: ArrayLike<number>): void {
  if (x.length !== params.m) throw new LabelVectorError(`the DEL function takes ${params.m} labels, got ${x.length}`);
}

/** a = b1 + Σ_i W1[i·C + x_i], in float64. O(m·H). */
export function delPreActivation(params: DelParameters, x: ArrayLike<number>, out: Float64Array = new Float64Array(params.hidden)): Float64Array {
  checkLabels(params, x);
  const { m, classCount: C, hidden: H, w1, b1 } = params;
  for (let j = 0; j < H; j++) out[j] = b1[j] as number;
  for (let i = 0; i < m; i++) {
    const label = x[i] as number;
    if (!Number.isInteger(label) || label < 0 || label >= C) {
      throw new LabelVectorError(`label ${i} is ${label}; labels must be integers 0..${C - 1}`);
    }
    const row = (i * C + label) * H;
    for (let j = 0; j < H; j++) out[j] = (out[j] as number) + (w1[row + j] as number);
  }
  return out;
}

/** a(x) from a(x_t) for x = x_t with `perturbation` applied: a(x_t) + Σ_k (W1[k·C + x_k] − W1[k·C + x_t,k]). */
export function delPreActivationPerturbed(
  params: DelParameters,
  xt: LabelVector,
  preActivationT: Float64Array,
  perturbation: Perturbation,
  out: Float64Array = new Float64Array(params.hidden),
): Float64Array {
  const { classCount: C, hidden: H, w1 } = params;
  out.set(preActivationT);
  const { positions, labels } = perturbation;
  for (let p = 0; p < positions.length; p++) {
    const k = positions[p] as number;
    const add = (k * C + (labels[p] as number)) * H;
    const sub = (k * C + (xt[k] as number)) * H;
    for (let j = 0; j < H; j++) out[j] = (out[j] as number) + ((w1[add + j] as number) - (w1[sub + j] as number));
  }
  return out;
}

/**
 * From the pre-activation a to z = ReLU(a)·W2 + b2 (written to `z`) and its norm; returns ‖z‖. Float64.
 */
export function delOutputLayer(params: DelParameters, a: Float64Array, z: Float64Array): number {
  const { hidden: H, n, w2, b2 } = params;
  for (let o = 0; o < n; o++) z[o] = b2[o] as number;
  for (let j = 0; j < H; j++) {
    const h = a[j] as number;
    if (h <= 0) continue;
    const row = j * n;
    for (let o = 0; o < n; o++) z[o] = (z[o] as number) + h * (w2[row + o] as number);
  }
  let sq = 0;
  for (let o = 0; o < n; o++) sq += (z[o] as number) * (z[o] as number);
  return Math.sqrt(sq);
}

/** y = z / ‖z‖ in place (y = 0 when z = 0). */
export function normalizeInPlace(z: Float64Array, norm: number): Float64Array {
  const inv = norm > 0 ? 1 / norm : 0;
  for (let o = 0; o < z.length; o++) z[o] = (z[o] as number) * inv;
  return z;
}

/** y = f(x) ∈ R^n, unit length, computed in float64 from the float32 parameters. */
export function delForward(params: DelParameters, x: ArrayLike<number>): Float64Array {
  const a = delPreActivation(params, x);
  const z = new Float64Array(params.n);
  return normalizeInPlace(z, delOutputLayer(params, a, z));
}

/** f(x) for x = x_t with `perturbation` applied, given a(x_t) (O(|K|·H + H·n)). */
export function delForwardPerturbed(params: DelParameters, xt: LabelVector, preActivationT: Float64Array, perturbation: Perturbation): Float64Array {
  const a = delPreActivationPerturbed(params, xt, preActivationT, perturbation);
  const z = new Float64Array(params.n);
  return normalizeInPlace(z, delOutputLayer(params, a, z));
}

/**
 * The paper's modified cosine distance, in float64:
 *   d(y1, y2) = 1 − y1·y2 / (‖y1‖‖y2‖)  if y1·y2 ≥ 0,  and 1 otherwise,
 * so d ∈ [0, 1]. A zero vector is at distance 1 from everything (its cosine is undefined).
 */
export function modifiedCosineDistance(y1: ArrayLike<number>, y2: ArrayLike<number>): number {
  if (y1.length !== y2.length) throw new RangeError(`vectors of length ${y1.length} and ${y2.length}`);
  let dot = 0;
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < y1.length; i++) {
    const a = y1[i] as number;
    const b = y2[i] as number;
    dot += a * b;
    s1 += a * a;
    s2 += b * b;
  }
  if (!(s1 > 0) || !(s2 > 0) || dot < 0) return 1;
  // Rounding can push the cosine of two equal vectors a hair above 1; the distance is never negative.
  return Math.max(0, 1 - dot / Math.sqrt(s1 * s2));
}

/** e(x, x_t): the fraction of labels that differ (re-exported here next to d for readers of this module). */
export { labelError as delError } from "./generateData";

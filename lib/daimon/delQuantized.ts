/**
 * The quantized DEL function f_q: an exact-integer version of lib/daimon/del.ts that the chain can recompute one
 * bounded segment at a time (docs/daimon.md §14.3, "f in exact integers"). Everything here is bit-exact with
 * contracts/daimon/DaimonDelEvaluator.sol; the float f (del.ts) stays the training and PROVE path and is cross-checked
 * against this one (docs/daimon.md §14.3.1 gives the measured agreement).
 *
 * Integer rule (all exact; no scale is used at evaluation time):
 *   a_j = B1_j + Σ_{i<m} W1[(i·C + x_i)·H + j]        int8 W1, int32 B1, int32 running sum (|a| < 2³¹ by checkDelq)
 *   h_j = max(a_j, 0)                                  ReLU
 *   z_o = B2_o + Σ_j h_j · W2[j·n + o]                 int8 W2 (the n × H matrix stored as H rows of n, as the float
 *                                                      W2 [H, n]: row j = hidden unit j), int64 B2, |z| < 2⁵³
 *   M = max_o |z_o|;  y_o = sign(z_o) · ⌊(2·|z_o|·32767 + M) / (2M)⌋   (y = 0 if M = 0)
 * y is §2's int16 vector: round(z_o·32767/M) half away from zero, which is exactly what quantizeVector does to the
 * float f's z/‖z‖ (the per-layer scales s1, s2 > 0 commute with ReLU and cancel in the max-normalization, so f_q is
 * the float network on the dequantized weights).
 *
 * Checkpoints: c_j = keccak256(state bytes of a after the points [0, j·K)), j = 0…S, S = ⌈m/K⌉; c_0 = keccak256(B1)
 * (the commitment's b1Hash), c_S is the pre-activation the output step starts from. A state is H big-endian int32.
 *
 * Commitment (fRoot), leaves and nodes as lib/danku/claims.ts (leaf = keccak256(0x00 ‖ bytes), node =
 * keccak256(0x01 ‖ left ‖ right), bytes32(0) padding to a power of two):
 *   w1Root: tree over the rows of W1, leaf index i·Cp + c (Cp = C rounded up to a power of two), points padded to
 *           mp = 2^⌈log2 m⌉; leaf = leafHash(row of H int8). Point i's rows are an aligned subtree of Cp leaves and
 *           segment j's points an aligned subtree of K·Cp leaves: that subtree's root is chunk j's hash.
 *   w2Root: tree over the H rows of W2 (n int8 each), padded to 2^⌈log2 H⌉.
 *   b1Hash = keccak256(B1 as H int32), b2Hash = keccak256(B2 as n int64), both big-endian.
 *   fRoot  = keccak256(abi.encode("DELQ1", m, C, H, n, K, b1Hash, w1Root, w2Root, b2Hash)).
 * Labels: labelsRoot = revealTree (claims.ts) over the m labels, each leaf's bytes the label as uint16 big-endian.
 */
import { bytesToHex, encodeAbiParameters, keccak256, type Hex } from "viem";
import { revealProof, revealTree, type RevealTree } from "../danku/claims";
import type { DelParameters } from "./del";
import { readDelOnnx } from "./delOnnx";
import { labelsTree as proofLabelsTree, paddedLabelCount } from "./disputes";
import { evaluateDel, meanAbsoluteError, pairOrdering, pearson, type HeldOutSet } from "./delMetrics";
import { INT16_MAX, MAX_EMBEDDING, cosineDistance, fromWad } from "./fixedPoint";

/** Largest segment size: the 16-bit lanes of the on-chain accumulator hold K·255 < 2¹⁶ (contract). */
export const DELQ_MAX_SEGMENT = 256;
/** Hidden width bounds: a multiple of the 32-byte EVM word, at most the paper's 1,024 (keeps one output step ≤ the cap). */
export const DELQ_MAX_HIDDEN = 1024;
export const DELQ_HIDDEN_STEP = 32;
/** The EIP-7825 per-transaction cap (osaka) every dispute step must stay under. */
export const TX_GAS_CAP = 16_777_216;
/** K's budget: a segment's estimated gas (EIP-7623 floor on its calldata, 40 gas per non-zero byte) stays below this. */
export const DELQ_SEGMENT_GAS_BUDGET = 14_000_000;
/** Floor gas per non-zero calldata byte (EIP-7623); int8 weights are priced as all non-zero (worst case). */
export const FLOOR_GAS_PER_BYTE = 40;
/** Calldata bytes a segment step carries besides its K points: the state (4H), the commitment, paths, ABI words. */
const SEGMENT_FIXED_BYTES = (hidden: number) => 4 * hidden + 2_048;
const DOMAIN = "DELQ1";
const MAGIC = [0x44, 0x45, 0x4c, 0x51]; // "DELQ"
const FORMAT_VERSION = 1;
const HEADER_BYTES = 4 + 1 + 4 + 2 + 2 + 2 + 2 + 8 + 8; // 33
const ZERO32 = new Uint8Array(32);
const EXACT = 2 ** 53;

export class DelqError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DelqError";
  }
}

/** The quantized DEL function. */
export interface QuantizedDel {
  readonly m: number;
  readonly classCount: number;
  readonly hidden: number;
  readonly n: number;
  /** Points per checkpoint segment (a power of two ≤ 256 and ≤ 2^⌈log2 m⌉; {@link segmentSize}). */
  readonly k: number;
  /** W1 ≈ s1 · W1q (information only: the evaluation never uses the scales). */
  readonly scale1: number;
  /** W2 ≈ s2 · W2q. */
  readonly scale2: number;
  /** [m·C·H]: row i·C + c is position i, label c. */
  readonly w1: Int8Array;
  /** [H] in units of s1. */
  readonly b1: Int32Array;
  /** [H·n]: row j is hidden unit j's n output weights (the float W2 [H, n] layout). */
  readonly w2: Int8Array;
  /** [n] in units of s1·s2. */
  readonly b2: BigInt64Array;
}

function nextPow2(x: number): number {
  let p = 1;
  while (p < x) p *= 2;
  return p;
}

function log2(p: number): number {
  return Math.round(Math.log2(p));
}

/** Cp: C rounded up to a power of two (rows per point in the W1 tree). */
export function paddedClasses(classCount: number): number {
  return nextPow2(classCount);
}

/** Calldata bytes of a full segment step (K points) — what K's rule prices. */
export function segmentCalldataBytes(k: number, hidden: number, classCount: number, m: number): number {
  const lc = log2(paddedClasses(classCount));
  const depth = log2(nextPow2(m));
  // Per point: its row (H), its label (2) and the lc siblings inside its Cp rows; per step: the state, the two
  // paths above the segment (≤ depth siblings each) and fixed ABI overhead.
  return k * (hidden + 2 + 32 * lc) + SEGMENT_FIXED_BYTES(hidden) + 2 * 32 * depth;
}

/**
 * K's rule: the largest power of two K ≤ 256 (the accumulator lanes) and ≤ 2^⌈log2 m⌉ whose segment step, priced at
 * the EIP-7623 floor of 40 gas per calldata byte (every byte non-zero), stays within DELQ_SEGMENT_GAS_BUDGET (14 M,
 * 83 % of the 16,777,216 cap). Execution is cheaper than the floor here (packed additions, docs §14.3.1), so the
 * floor is the gas. H = 1,024, C = 10: K = 256 (≈ 12.8 M estimated).
 */
export function segmentSize(hidden: number, classCount: number, m: number): number {
  let k = Math.min(DELQ_MAX_SEGMENT, nextPow2(m));
  while (k > 1 && 21_000 + FLOOR_GAS_PER_BYTE * segmentCalldataBytes(k, hidden, classCount, m) > DELQ_SEGMENT_GAS_BUDGET) k /= 2;
  return k;
}

/** S = ⌈m/K⌉: segments; the checkpoints are c_0…c_S (S + 1 hashes, c_0 = b1Hash). */
export function segmentCount(q: Pick<QuantizedDel, "m" | "k">): number {
  return Math.ceil(q.m / q.k);
}

function int8Max(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i] as number));
  return max;
}

/** Checks shapes, K, H and the bounds that keep the integer rule exact (|a| < 2³¹, |z| < 2⁵³). */
export function checkDelq(q: QuantizedDel): void {
  const { m, classCount: C, hidden: H, n, k } = q;
  if (!Number.isInteger(m) || m < 1 || m > 2 ** 23) throw new DelqError(`m must be an integer 1…2²³, got ${m}`);
  if (!Number.isInteger(C) || C < 2 || C > 65_535) throw new DelqError(`C must be an integer 2…65,535, got ${C}`);
  if (!Number.isInteger(H) || H < DELQ_HIDDEN_STEP || H > DELQ_MAX_HIDDEN || H % DELQ_HIDDEN_STEP !== 0) {
    throw new DelqError(`H must be a multiple of ${DELQ_HIDDEN_STEP} in ${DELQ_HIDDEN_STEP}…${DELQ_MAX_HIDDEN}, got ${H}`);
  }
  if (!Number.isInteger(n) || n < 2 || n > MAX_EMBEDDING) throw new DelqError(`n must be an integer 2…${MAX_EMBEDDING}, got ${n}`);
  if (!Number.isInteger(k) || k < 1 || k > DELQ_MAX_SEGMENT || nextPow2(k) !== k || k > nextPow2(m)) {
    throw new DelqError(`K must be a power of two ≤ ${DELQ_MAX_SEGMENT} and ≤ 2^⌈log2 m⌉, got ${k}`);
  }
  if (q.w1.length !== m * C * H) throw new DelqError(`W1 has ${q.w1.length} weights, the shape needs ${m * C * H}`);
  if (q.b1.length !== H) throw new DelqError(`B1 has ${q.b1.length} entries, H = ${H}`);
  if (q.w2.length !== n * H) throw new DelqError(`W2 has ${q.w2.length} weights, n·H = ${n * H}`);
  if (q.b2.length !== n) throw new DelqError(`B2 has ${q.b2.length} entries, n = ${n}`);
  if (int8Max(q.w1) > 127 || int8Max(q.w2) > 127) throw new DelqError("weights are int8 in −127…127 (−128 is not used)");
  const b1Max = int8Max(q.b1);
  const aMax = b1Max + 127 * m;
  if (aMax >= 2 ** 31) throw new DelqError(`|B1| + 127·m = ${aMax} does not fit the int32 pre-activation`);
  let b2Max = 0n;
  for (const b of q.b2) {
    const abs = b < 0n ? -b : b;
    if (abs > b2Max) b2Max = abs;
  }
  if (Number(b2Max) + aMax * 127 * H >= EXACT) throw new DelqError("|B2| + max|h|·127·H reaches 2⁵³: z would not be exact");
}

// ------------------------------------------------------------------ quantizer

function roundHalfAway(v: number): number {
  return Math.sign(v) * Math.floor(Math.abs(v) + 0.5) + 0;
}

/**
 * Quantizes the float f: per-layer scales s1 = max|W1|/127, s2 = max|W2|/127 (round half away from zero, so every
 * weight is in −127…127), B1 = round(b1/s1), B2 = round(b2/(s1·s2)). K defaults to
 * {@link segmentSize}.
 */
export function quantizeDel(params: DelParameters, options: { k?: number } = {}): QuantizedDel {
  const { m, classCount: C, hidden: H, n } = params;
  const s1 = int8Max(params.w1) / 127 || 1;
  const s2 = int8Max(params.w2) / 127 || 1;
  const w1 = new Int8Array(m * C * H);
  for (let i = 0; i < w1.length; i++) w1[i] = roundHalfAway((params.w1[i] as number) / s1);
  const b1 = new Int32Array(H);
  for (let j = 0; j < H; j++) b1[j] = roundHalfAway((params.b1[j] as number) / s1);
  const w2 = new Int8Array(n * H);
  for (let i = 0; i < w2.length; i++) w2[i] = roundHalfAway((params.w2[i] as number) / s2);
  const b2 = new BigInt64Array(n);
  for (let o = 0; o < n; o++) b2[o] = BigInt(roundHalfAway((params.b2[o] as number) / (s1 * s2)));
  const q: QuantizedDel = { m, classCount: C, hidden: H, n, k: options.k ?? segmentSize(H, C, m), scale1: s1, scale2: s2, w1, b1, w2, b2 };
  checkDelq(q);
  return q;
}

/** The float parameters f_q stands for (W ≈ s·Wq), for comparing f_q with f on the float path. */
export function dequantizeDel(q: QuantizedDel): DelParameters {
  const { m, classCount, hidden: H, n } = q;
  return {
    m,
    classCount,
    hidden: H,
    n,
    w1: Float32Array.from(q.w1, (w) => w * q.scale1),
    b1: Float32Array.from(q.b1, (b) => b * q.scale1),
    w2: Float32Array.from(q.w2, (w) => w * q.scale2),
    b2: Float32Array.from(q.b2, (b) => Number(b) * q.scale1 * q.scale2),
  };
}

// ------------------------------------------------------------------ evaluation

/** H big-endian int32: the bytes a checkpoint hashes and a segment step carries. */
export function stateBytes(a: Int32Array): Uint8Array {
  const out = new Uint8Array(4 * a.length);
  const view = new DataView(out.buffer);
  for (let j = 0; j < a.length; j++) view.setInt32(4 * j, a[j] as number);
  return out;
}

export function stateHash(a: Int32Array): Hex {
  return keccak256(stateBytes(a));
}

function checkLabels(q: QuantizedDel, x: ArrayLike<number>): void {
  if (x.length !== q.m) throw new DelqError(`f takes ${q.m} labels, got ${x.length}`);
  for (let i = 0; i < x.length; i++) {
    const label = x[i] as number;
    if (!Number.isInteger(label) || label < 0 || label >= q.classCount) throw new DelqError(`label ${i} is ${label}; labels are 0…${q.classCount - 1}`);
  }
}

/** Adds the rows of points [from, to) to `a` in place (the gather; exact in doubles, then stored as int32). */
function addPoints(q: QuantizedDel, x: ArrayLike<number>, from: number, to: number, a: Int32Array): void {
  const { classCount: C, hidden: H, w1 } = q;
  for (let i = from; i < to; i++) {
    const row = (i * C + (x[i] as number)) * H;
    for (let j = 0; j < H; j++) a[j] = (a[j] as number) + (w1[row + j] as number);
  }
}

/** The output step: h = ReLU(a), z = B2 + W2·h (exact bigint), y by the integer rule. */
export function delqOutputs(q: QuantizedDel, a: Int32Array): { z: bigint[]; outputs: number[] } {
  const { hidden: H, n, w2 } = q;
  const acc = new Float64Array(n); // exact: |Σ| < 2⁵³ (checkDelq)
  for (let j = 0; j < H; j++) {
    const h = a[j] as number;
    if (h <= 0) continue;
    const row = j * n;
    for (let o = 0; o < n; o++) acc[o] = (acc[o] as number) + h * (w2[row + o] as number);
  }
  const z: bigint[] = [];
  let max = 0n;
  for (let o = 0; o < n; o++) {
    const zo = (q.b2[o] as bigint) + BigInt(acc[o] as number);
    z.push(zo);
    const abs = zo < 0n ? -zo : zo;
    if (abs > max) max = abs;
  }
  return { z, outputs: outputRule(z, max) };
}

/** y_o = sign(z_o)·⌊(2|z_o|·32767 + M)/(2M)⌋, M = max|z| (all 0 when M = 0). */
export function outputRule(z: readonly bigint[], max: bigint): number[] {
  if (max === 0n) return z.map(() => 0);
  const unit = BigInt(INT16_MAX);
  return z.map((zo) => {
    const abs = zo < 0n ? -zo : zo;
    const y = Number((2n * abs * unit + max) / (2n * max));
    return zo < 0n && y > 0 ? -y : y;
  });
}

export interface DelqEvaluation {
  /** c_0…c_S. */
  readonly checkpoints: Hex[];
  /** The state at each checkpoint (what a segment dispute starts from). */
  readonly states: Int32Array[];
  /** The int16 output vector of §2. */
  readonly outputs: number[];
}

/** f_q(x) with every checkpoint: the reference the chain's segments and output step must reproduce. */
export function evaluateDelq(q: QuantizedDel, x: ArrayLike<number>): DelqEvaluation {
  checkLabels(q, x);
  const a = Int32Array.from(q.b1);
  const states = [Int32Array.from(a)];
  const S = segmentCount(q);
  for (let s = 0; s < S; s++) {
    addPoints(q, x, s * q.k, Math.min(q.m, (s + 1) * q.k), a);
    states.push(Int32Array.from(a));
  }
  return { checkpoints: states.map(stateHash), states, outputs: delqOutputs(q, a).outputs };
}

/** f_q(x) only (no checkpoints). */
export function delqForward(q: QuantizedDel, x: ArrayLike<number>): number[] {
  checkLabels(q, x);
  const a = Int32Array.from(q.b1);
  addPoints(q, x, 0, q.m, a);
  return delqOutputs(q, a).outputs;
}

/** The pre-activation of x_t changed at a few positions (the incremental forward of del.ts, exact). */
export function delqPreActivationPerturbed(q: QuantizedDel, xt: ArrayLike<number>, at: Int32Array, positions: ArrayLike<number>, labels: ArrayLike<number>): Int32Array {
  const { classCount: C, hidden: H, w1 } = q;
  const a = Int32Array.from(at);
  for (let p = 0; p < positions.length; p++) {
    const k = positions[p] as number;
    const add = (k * C + (labels[p] as number)) * H;
    const sub = (k * C + (xt[k] as number)) * H;
    for (let j = 0; j < H; j++) a[j] = (a[j] as number) + (w1[add + j] as number) - (w1[sub + j] as number);
  }
  return a;
}

/** The first segment j whose recomputation from claimed checkpoint j differs from claimed checkpoint j + 1, the
 * output step (S) if only the outputs are wrong, or null when the claim is f_q(x) (what a challenger disputes). */
export function firstWrongSegment(q: QuantizedDel, x: ArrayLike<number>, claimed: { checkpoints: readonly Hex[]; outputs: readonly number[] }): number | null {
  const truth = evaluateDelq(q, x);
  const S = segmentCount(q);
  if (claimed.checkpoints.length !== S + 1) throw new DelqError(`a claim has ${S + 1} checkpoints, got ${claimed.checkpoints.length}`);
  if (claimed.checkpoints[0] !== truth.checkpoints[0]) return 0;
  for (let j = 0; j < S; j++) if (claimed.checkpoints[j + 1] !== truth.checkpoints[j + 1]) return j;
  return truth.outputs.every((y, o) => y === claimed.outputs[o]) ? null : S;
}

// ------------------------------------------------------------------ hashing and trees

function keccakBytes(data: Uint8Array): Uint8Array {
  return keccak256(data, "bytes");
}

function leafOf(bytes: Uint8Array, scratch: Uint8Array): Uint8Array {
  scratch[0] = 0;
  scratch.set(bytes, 1);
  return keccakBytes(scratch.subarray(0, bytes.length + 1));
}

const NODE = new Uint8Array(65);
function nodeOf(left: Uint8Array, right: Uint8Array): Uint8Array {
  NODE[0] = 1;
  NODE.set(left, 1);
  NODE.set(right, 33);
  return keccakBytes(NODE);
}

/** Zero-subtree roots: Z_0 = bytes32(0), Z_{l+1} = node(Z_l, Z_l). */
function zeroHashes(levels: number): Uint8Array[] {
  const out: Uint8Array[] = [ZERO32];
  for (let l = 0; l < levels; l++) out.push(nodeOf(out[l]!, out[l]!));
  return out;
}

function reduce(leaves: Uint8Array[]): Uint8Array[][] {
  const levels = [leaves];
  while (levels[levels.length - 1]!.length > 1) {
    const below = levels[levels.length - 1]!;
    const above: Uint8Array[] = [];
    for (let i = 0; i < below.length; i += 2) above.push(nodeOf(below[i]!, below[i + 1]!));
    levels.push(above);
  }
  return levels;
}

/** The leaves of point i's Cp rows (zero leaves for c ≥ C and for padding points). */
function pointLeaves(q: QuantizedDel, i: number, scratch: Uint8Array): Uint8Array[] {
  const Cp = paddedClasses(q.classCount);
  const H = q.hidden;
  const out: Uint8Array[] = [];
  for (let c = 0; c < Cp; c++) {
    out.push(i < q.m && c < q.classCount ? leafOf(asBytes(q.w1.subarray((i * q.classCount + c) * H, (i * q.classCount + c + 1) * H)), scratch) : ZERO32);
  }
  return out;
}

function asBytes(a: Int8Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** The chunk hash of segment j: the root of its K·Cp rows (= the w1 tree's node at height log2(K·Cp)). */
export function chunkHash(q: QuantizedDel, j: number): Uint8Array {
  const scratch = new Uint8Array(q.hidden + 1);
  const Cp = paddedClasses(q.classCount);
  const zeros = zeroHashes(log2(Cp));
  const points: Uint8Array[] = [];
  for (let p = 0; p < q.k; p++) {
    const i = j * q.k + p;
    points.push(i < q.m ? reduce(pointLeaves(q, i, scratch)).pop()![0]! : zeros[log2(Cp)]!);
  }
  return reduce(points).pop()![0]!;
}

/** The tree over chunk hashes (padded with zero subtrees to 2^⌈log2 m⌉ / K chunks): w1Root and segment paths. */
export interface DelqChunkTree {
  readonly chunkHashes: Uint8Array[];
  readonly levels: Uint8Array[][];
}

/** Chunk hashes from the W1 bytes (every row hashed once: O(m·C·H)). */
export function delqChunkHashes(q: QuantizedDel): Uint8Array[] {
  return Array.from({ length: segmentCount(q) }, (_, j) => chunkHash(q, j));
}

export function delqChunkTree(q: Pick<QuantizedDel, "m" | "k" | "classCount">, chunkHashes: Uint8Array[]): DelqChunkTree {
  const chunks = nextPow2(q.m) / q.k;
  const zero = zeroHashes(log2(q.k * paddedClasses(q.classCount)))[log2(q.k * paddedClasses(q.classCount))]!;
  const leaves = Array.from({ length: chunks }, (_, j) => chunkHashes[j] ?? zero);
  return { chunkHashes, levels: reduce(leaves) };
}

/** The commitment the chain checks against fRoot. */
export interface DelqCommit {
  readonly m: number;
  readonly classCount: number;
  readonly hidden: number;
  readonly n: number;
  readonly k: number;
  readonly b1Hash: Hex;
  readonly w1Root: Hex;
  readonly w2Root: Hex;
  readonly b2Hash: Hex;
}

export function b2Bytes(b2: BigInt64Array): Uint8Array {
  const out = new Uint8Array(8 * b2.length);
  const view = new DataView(out.buffer);
  b2.forEach((b, o) => view.setBigInt64(8 * o, b));
  return out;
}

/** The W2 tree over its H rows (n int8 each). */
export function w2Levels(q: QuantizedDel): Uint8Array[][] {
  const scratch = new Uint8Array(q.n + 1);
  const leaves: Uint8Array[] = [];
  for (let j = 0; j < nextPow2(q.hidden); j++) leaves.push(j < q.hidden ? leafOf(asBytes(q.w2.subarray(j * q.n, (j + 1) * q.n)), scratch) : ZERO32);
  return reduce(leaves);
}

export function delqCommit(q: QuantizedDel, chunkHashes: Uint8Array[] = delqChunkHashes(q)): DelqCommit {
  const tree = delqChunkTree(q, chunkHashes);
  return {
    m: q.m,
    classCount: q.classCount,
    hidden: q.hidden,
    n: q.n,
    k: q.k,
    b1Hash: stateHash(q.b1),
    w1Root: bytesToHex(tree.levels[tree.levels.length - 1]![0]!),
    w2Root: bytesToHex(w2Levels(q).pop()![0]!),
    b2Hash: keccak256(b2Bytes(q.b2)),
  };
}

/** fRoot = keccak256(abi.encode("DELQ1", m, C, H, n, K, b1Hash, w1Root, w2Root, b2Hash)) — as DaimonDelEvaluator.fRoot. */
export function delqRoot(c: DelqCommit): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "string" }, { type: "uint256" }, { type: "uint256" }, { type: "uint256" }, { type: "uint256" }, { type: "uint256" }, { type: "bytes32" }, { type: "bytes32" }, { type: "bytes32" }, { type: "bytes32" }],
      [DOMAIN, BigInt(c.m), BigInt(c.classCount), BigInt(c.hidden), BigInt(c.n), BigInt(c.k), c.b1Hash, c.w1Root, c.w2Root, c.b2Hash],
    ),
  );
}

/** The commitment as the contract's DelCommit tuple (uint256 fields as bigint). */
export function delqCommitArgs(c: DelqCommit) {
  return {
    m: BigInt(c.m),
    classCount: BigInt(c.classCount),
    hidden: BigInt(c.hidden),
    n: BigInt(c.n),
    k: BigInt(c.k),
    b1Hash: c.b1Hash,
    w1Root: c.w1Root,
    w2Root: c.w2Root,
    b2Hash: c.b2Hash,
  };
}

/** A label's leaf bytes: uint16 big-endian. */
export function labelLeafBytes(label: number): Uint8Array {
  return new Uint8Array([(label >> 8) & 0xff, label & 0xff]);
}

/** labelsRoot's tree: claims.ts revealTree over the labels (uint16 big-endian each), padded to 2^⌈log2 m⌉. */
export function labelsTree(x: ArrayLike<number>): RevealTree {
  return revealTree(Array.from(x as ArrayLike<number>, (label) => labelLeafBytes(label)));
}

// ------------------------------------------------------------------ dispute arguments

/** The arguments of DaimonDelEvaluator.segment for segment j (everything but the commitment and the roots). */
export interface SegmentArgs {
  readonly j: bigint;
  readonly state: Hex;
  readonly labels: Hex;
  readonly rows: Hex;
  readonly rowSiblings: Hex[];
  readonly w1Path: Hex[];
  readonly labelsPath: Hex[];
}

function siblingsFrom(levels: readonly (readonly Uint8Array[])[], index: number, from: number, to: number): Hex[] {
  const out: Hex[] = [];
  let at = index;
  for (let l = from; l < to; l++) {
    out.push(bytesToHex(levels[l]![at ^ 1]!));
    at >>= 1;
  }
  return out;
}

/** Segment j's step from `state` (the claimed checkpoint j's state) with the labels x. */
export function segmentArgs(q: QuantizedDel, tree: DelqChunkTree, labels: RevealTree, x: ArrayLike<number>, j: number, state: Int32Array): SegmentArgs {
  const S = segmentCount(q);
  if (!Number.isInteger(j) || j < 0 || j >= S) throw new DelqError(`segment ${j} is not in 0…${S - 1}`);
  const from = j * q.k;
  const to = Math.min(q.m, from + q.k);
  const H = q.hidden;
  const scratch = new Uint8Array(H + 1);
  const rows = new Uint8Array((to - from) * H);
  const labelBytes = new Uint8Array((to - from) * 2);
  const rowSiblings: Hex[] = [];
  for (let i = from; i < to; i++) {
    const c = x[i] as number;
    rows.set(asBytes(q.w1.subarray((i * q.classCount + c) * H, (i * q.classCount + c + 1) * H)), (i - from) * H);
    labelBytes.set(labelLeafBytes(c), (i - from) * 2);
    const point = reduce(pointLeaves(q, i, scratch));
    rowSiblings.push(...siblingsFrom(point, c, 0, point.length - 1));
  }
  const segmentLevel = log2(q.k);
  const labelsPath = revealProof(labels, from).slice(segmentLevel);
  return {
    j: BigInt(j),
    state: bytesToHex(stateBytes(state)),
    labels: bytesToHex(labelBytes),
    rows: bytesToHex(rows),
    rowSiblings,
    w1Path: siblingsFrom(tree.levels, j, 0, tree.levels.length - 1),
    labelsPath,
  };
}

/** The arguments of DaimonDelEvaluator.output (the final step from checkpoint S). */
export function outputArgs(q: QuantizedDel, state: Int32Array): { state: Hex; b2: Hex; w2: Hex } {
  return { state: bytesToHex(stateBytes(state)), b2: bytesToHex(b2Bytes(q.b2)), w2: bytesToHex(asBytes(q.w2)) };
}

// ------------------------------------------------------------------ file format

/**
 * The .delq file: a prefix that fixes fRoot, then W1 in chunks that can be checked one by one as they stream in:
 *   "DELQ" | version u8 | m u32 | C u16 | H u16 | n u16 | K u16 | s1 f64 | s2 f64       (33 bytes, big-endian)
 *   B1 (H int32) | B2 (n int64) | W2 (H rows of n int8) | chunk hashes (S × 32)
 *   W1 chunk 0 … S−1: chunk j is the rows of points [jK, min(m, (j+1)K)), C rows of H int8 each.
 * The prefix alone gives fRoot (w1Root is the tree over the chunk hashes), so a reader verifies every chunk against
 * its hash as it arrives and writes it straight into the one W1 buffer (no second copy). m = 10,000, C = 10,
 * H = 1,024, n = 256: 102.4 MB of W1 + 0.27 MB prefix.
 */
export function delqPrefixBytes(shape: Pick<QuantizedDel, "m" | "k" | "hidden" | "n">): number {
  return HEADER_BYTES + 4 * shape.hidden + 8 * shape.n + shape.n * shape.hidden + 32 * segmentCount(shape);
}

export function delqFileBytes(q: Pick<QuantizedDel, "m" | "k" | "hidden" | "n" | "classCount">): number {
  return delqPrefixBytes(q) + q.m * q.classCount * q.hidden;
}

/** Encodes f_q; `chunkHashes` may be passed when already computed. */
export function encodeDelq(q: QuantizedDel, chunkHashes: Uint8Array[] = delqChunkHashes(q)): Uint8Array {
  checkDelq(q);
  const out = new Uint8Array(delqFileBytes(q));
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out[4] = FORMAT_VERSION;
  view.setUint32(5, q.m);
  view.setUint16(9, q.classCount);
  view.setUint16(11, q.hidden);
  view.setUint16(13, q.n);
  view.setUint16(15, q.k);
  view.setFloat64(17, q.scale1);
  view.setFloat64(25, q.scale2);
  let at = HEADER_BYTES;
  out.set(stateBytes(q.b1), at);
  at += 4 * q.hidden;
  out.set(b2Bytes(q.b2), at);
  at += 8 * q.n;
  out.set(asBytes(q.w2), at);
  at += q.n * q.hidden;
  for (const h of chunkHashes) {
    out.set(h, at);
    at += 32;
  }
  out.set(asBytes(q.w1), at);
  return out;
}

/**
 * Streaming decoder: push the file's bytes in any pieces; the prefix is parsed as soon as it is complete (then
 * `root` is known), every W1 chunk is verified against its hash when complete (a tampered chunk throws at once, with
 * its index), and W1 is written into one preallocated buffer. `finish()` returns f_q once every chunk arrived.
 */
export class DelqStreamDecoder {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private header: Omit<QuantizedDel, "w1"> | null = null;
  private w1: Int8Array | null = null;
  private hashes: Uint8Array[] = [];
  private chunk = 0;
  /** fRoot, once the prefix is in. */
  root: Hex | null = null;
  commit: DelqCommit | null = null;

  /** Bytes of W1 verified so far (for progress). */
  get verifiedBytes(): number {
    if (!this.header) return 0;
    return Math.min(this.header.m, this.chunk * this.header.k) * this.header.classCount * this.header.hidden;
  }

  push(bytes: Uint8Array): void {
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    for (;;) {
      const need = this.nextNeed();
      if (need === 0 || this.pendingBytes < need) return;
      this.consume(this.take(need));
    }
  }

  private nextNeed(): number {
    if (!this.header) {
      if (this.pendingBytes < HEADER_BYTES) return HEADER_BYTES;
      const head = this.peek(HEADER_BYTES);
      const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
      if (MAGIC.some((b, i) => head[i] !== b) || head[4] !== FORMAT_VERSION) throw new DelqError("not a DELQ version 1 file");
      return delqPrefixBytes({ m: view.getUint32(5), hidden: view.getUint16(11), n: view.getUint16(13), k: view.getUint16(15) });
    }
    const S = segmentCount(this.header);
    if (this.chunk >= S) return 0;
    return (Math.min(this.header.m, (this.chunk + 1) * this.header.k) - this.chunk * this.header.k) * this.header.classCount * this.header.hidden;
  }

  private peek(count: number): Uint8Array {
    const out = new Uint8Array(count);
    let at = 0;
    for (const p of this.pending) {
      if (at >= count) break;
      const n = Math.min(p.length, count - at);
      out.set(p.subarray(0, n), at);
      at += n;
    }
    return out;
  }

  private take(count: number): Uint8Array {
    const out = this.peek(count);
    let left = count;
    while (left > 0) {
      const p = this.pending[0]!;
      if (p.length <= left) {
        this.pending.shift();
        left -= p.length;
      } else {
        this.pending[0] = p.subarray(left);
        left = 0;
      }
    }
    this.pendingBytes -= count;
    return out;
  }

  private consume(bytes: Uint8Array): void {
    if (!this.header) {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const m = view.getUint32(5);
      const classCount = view.getUint16(9);
      const hidden = view.getUint16(11);
      const n = view.getUint16(13);
      const k = view.getUint16(15);
      let at = HEADER_BYTES;
      const b1 = new Int32Array(hidden);
      for (let j = 0; j < hidden; j++, at += 4) b1[j] = view.getInt32(at);
      const b2 = new BigInt64Array(n);
      for (let o = 0; o < n; o++, at += 8) b2[o] = view.getBigInt64(at);
      const w2 = new Int8Array(bytes.slice(at, at + n * hidden).buffer);
      at += n * hidden;
      const S = Math.ceil(m / k);
      this.hashes = Array.from({ length: S }, (_, j) => bytes.slice(at + 32 * j, at + 32 * (j + 1)));
      this.header = { m, classCount, hidden, n, k, scale1: view.getFloat64(17), scale2: view.getFloat64(25), b1, w2, b2 };
      this.w1 = new Int8Array(m * classCount * hidden);
      // Shape checks before any W1 arrives (with an empty W1 of the right length).
      checkDelq({ ...this.header, w1: this.w1 });
      this.commit = delqCommit({ ...this.header, w1: this.w1 }, this.hashes);
      this.root = delqRoot(this.commit);
      return;
    }
    const h = this.header;
    const offset = this.chunk * h.k * h.classCount * h.hidden;
    this.w1!.set(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset);
    const got = chunkHash({ ...h, w1: this.w1! }, this.chunk);
    if (bytesToHex(got) !== bytesToHex(this.hashes[this.chunk]!)) throw new DelqError(`W1 chunk ${this.chunk} does not match its hash in the prefix`);
    this.chunk++;
  }

  finish(): QuantizedDel {
    if (!this.header || this.chunk < segmentCount(this.header)) {
      throw new DelqError(`the file is incomplete: ${this.verifiedBytes} bytes of W1 verified`);
    }
    if (this.pendingBytes > 0) throw new DelqError(`${this.pendingBytes} bytes after the last chunk`);
    const q = { ...this.header, w1: this.w1! };
    checkDelq(q);
    return q;
  }
}

/** Decodes (and verifies) a whole .delq file. */
export function decodeDelq(bytes: Uint8Array): QuantizedDel {
  const decoder = new DelqStreamDecoder();
  decoder.push(bytes);
  return decoder.finish();
}


// ------------------------------------------------------------------ f_q against f

/** Spearman's rank correlation (average ranks for ties). */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ranks = (v: ArrayLike<number>) => {
    const order = Array.from({ length: v.length }, (_, i) => i).sort((i, j) => (v[i] as number) - (v[j] as number));
    const r = new Float64Array(v.length);
    for (let s = 0; s < order.length; ) {
      let t = s;
      while (t + 1 < order.length && v[order[t + 1]!] === v[order[s]!]) t++;
      for (let u = s; u <= t; u++) r[order[u]!] = (s + t) / 2;
      s = t + 1;
    }
    return r;
  };
  return pearson(ranks(a), ranks(b));
}

export interface DelqComparison {
  /** Spearman and Pearson of d(f_q(x), f_q(x_t)) against d(f(x), f(x_t)) over the held-out set. */
  readonly spearman: number;
  readonly pearson: number;
  /** Mean and largest |d_q − d|. */
  readonly meanAbsGap: number;
  readonly maxAbsGap: number;
  /** docs/daimon-del.md's figures of f_q (d_q against e) next to those of f. */
  readonly quantized: { readonly pearson: number; readonly mae: number; readonly pairOrdering: number; readonly pairs: number; readonly misorderedPairs: number };
  readonly float: { readonly pearson: number; readonly mae: number; readonly pairOrdering: number; readonly pairs: number; readonly misorderedPairs: number };
}

/**
 * How f_q's distance tracks f's on held-out perturbations of x_t: d_q is the chain's distance (fixedPoint
 * cosineDistance, WAD) between the int16 outputs of f_q, d the float distance of del.ts.
 */
export function compareQuantizedDel(params: DelParameters, q: QuantizedDel, xt: ArrayLike<number>, set: HeldOutSet): DelqComparison {
  const float = evaluateDel(params, xt, set);
  const aT = Int32Array.from(q.b1);
  checkLabels(q, xt);
  addPoints(q, xt, 0, q.m, aT);
  const yT = delqOutputs(q, aT).outputs;
  const dq = Float64Array.from(set.perturbations, (p) => {
    const y = delqOutputs(q, delqPreActivationPerturbed(q, xt, aT, p.positions, p.labels)).outputs;
    return y.every((v) => v === 0) ? 1 : fromWad(cosineDistance(y, yT));
  });
  let maxAbsGap = 0;
  for (let i = 0; i < dq.length; i++) maxAbsGap = Math.max(maxAbsGap, Math.abs((dq[i] as number) - (float.distances[i] as number)));
  const ordering = pairOrdering(set.errors, dq, set.lowErrorBound, 0.01);
  return {
    spearman: spearman(dq, float.distances),
    pearson: pearson(dq, float.distances),
    meanAbsGap: meanAbsoluteError(dq, float.distances),
    maxAbsGap,
    quantized: { pearson: pearson(set.errors, dq), mae: meanAbsoluteError(set.errors, dq), pairOrdering: ordering.share, pairs: ordering.pairs, misorderedPairs: ordering.misordered },
    float: { pearson: float.pearson, mae: float.mae, pairOrdering: float.pairOrdering, pairs: float.pairs, misorderedPairs: float.misorderedPairs },
  };
}

// ------------------------------------------------------------------ a proof's f_q claim and its output disputes

/** `struct OutputClaim` (IDaimonProblem.sol): what both output-dispute steps name. */
export interface OutputClaimArgs {
  readonly tuple: bigint;
  readonly f: ReturnType<typeof delqCommitArgs>;
  readonly outputs: Hex;
  readonly checkpoints: Hex;
  readonly tupleLabelsRoot: Hex;
  readonly tupleLabelsPath: Hex[];
}

/** One output dispute: a segment step (`disputeOutput`) or the output step (`disputeOutputLayer`). */
export type OutputDisputeArgs =
  | { readonly kind: "segment"; readonly step: number; readonly claim: OutputClaimArgs; readonly segment: SegmentArgs }
  | { readonly kind: "output"; readonly step: number; readonly claim: OutputClaimArgs; readonly output: { state: Hex; b2: Hex; w2: Hex } };

const WORD = 32;

/**
 * A proof's `checkpoints` argument from each tuple's c_0…c_S (tuple order; c_0 = b1Hash is f's, so it is left out):
 * per tuple S_t as one 32-byte big-endian word, then c_1 … c_{S_t}.
 */
export function packCheckpoints(perTuple: readonly (readonly Hex[])[]): Hex {
  const words: Uint8Array[] = [];
  for (const c of perTuple) {
    if (c.length < 2) throw new DelqError(`a tuple's checkpoints are c_0…c_S with S ≥ 1, got ${c.length}`);
    const count = new Uint8Array(WORD);
    new DataView(count.buffer).setUint32(WORD - 4, c.length - 1);
    words.push(count);
    for (const h of c.slice(1)) words.push(hexToBytes32(h));
  }
  const out = new Uint8Array(words.length * WORD);
  words.forEach((w, i) => out.set(w, i * WORD));
  return bytesToHex(out);
}

function hexToBytes32(h: Hex): Uint8Array {
  if (!/^0x[0-9a-fA-F]{64}$/.test(h)) throw new DelqError(`${h} is not a 32-byte hash`);
  return Uint8Array.from({ length: WORD }, (_, i) => parseInt(h.slice(2 + 2 * i, 4 + 2 * i), 16));
}

/**
 * The claimed c_1…c_{S_t} of every tuple read back from `checkpoints` (what `ProofCheckpoints` published), or null
 * from the first tuple whose run is not there (too few bytes, or a count above m): such a proof loses any output
 * dispute of that tuple (the contract's `_laidOut`).
 */
export function unpackCheckpoints(checkpoints: Hex, tupleCount: number, m: number): (Hex[] | null)[] {
  const bytes = checkpoints.length <= 2 ? new Uint8Array(0) : Uint8Array.from({ length: (checkpoints.length - 2) / 2 }, (_, i) => parseInt(checkpoints.slice(2 + 2 * i, 4 + 2 * i), 16));
  const out: (Hex[] | null)[] = [];
  let at = 0;
  let broken = false;
  for (let t = 0; t < tupleCount; t++) {
    if (broken || at + WORD > bytes.length) {
      broken = true;
      out.push(null);
      continue;
    }
    const high = bytes.subarray(at, at + WORD - 4).some((b) => b !== 0);
    const count = new DataView(bytes.buffer, bytes.byteOffset + at + WORD - 4, 4).getUint32(0);
    if (high || count > m || at + WORD * (count + 1) > bytes.length) {
      broken = true;
      out.push(null);
      continue;
    }
    const hashes: Hex[] = [];
    for (let j = 0; j < count; j++) hashes.push(bytesToHex(bytes.subarray(at + WORD * (j + 1), at + WORD * (j + 2))));
    out.push(hashes);
    at += WORD * (count + 1);
  }
  return out;
}

/**
 * The root of tuple `tuple`'s m labels (this file's {@link labelsTree}) and its path to the proof's labelsRoot (the
 * tree over every tuple's labels, lib/daimon/disputes.ts `labelsTree`, in which tuple t's labels are the aligned
 * subtree t): ⌈log₂ k⌉ siblings, none with one tuple.
 */
export function tupleLabelsProof(labels: readonly ArrayLike<number>[], tuple: number): { root: Hex; path: Hex[] } {
  const x = labels[tuple];
  if (!x) throw new DelqError(`there is no tuple ${tuple} among ${labels.length}`);
  const root = labelsTree(x).root;
  const mp = paddedLabelCount(x.length);
  return { root, path: revealProof(proofLabelsTree(labels), tuple * mp).slice(log2(mp)) };
}

/** Tuple `tuple`'s int16 vector in the packed outputs: bytes [2n·t, 2n·(t+1)). */
function tupleOutputs(outputs: Hex, tuple: number, n: number): number[] {
  const from = 2 + 4 * n * tuple;
  const hex = outputs.slice(from, from + 4 * n);
  if (hex.length !== 4 * n) throw new DelqError(`the outputs have no vector for tuple ${tuple}`);
  return Array.from({ length: n }, (_, o) => {
    const v = parseInt(hex.slice(4 * o, 4 * o + 4), 16);
    return v >= 0x8000 ? v - 0x10000 : v;
  });
}

/** What an output dispute of tuple `tuple` is built from: its f_q, the proof's labels (every tuple) and its bytes. */
export interface OutputClaimInput {
  readonly q: QuantizedDel;
  readonly tuple: number;
  readonly labels: readonly ArrayLike<number>[];
  readonly checkpoints: Hex;
  readonly outputs: Hex;
}

/** The `OutputClaim` both dispute steps take for tuple `tuple` of a proof. */
export function outputClaimArgs(args: OutputClaimInput): OutputClaimArgs {
  const labelsProof = tupleLabelsProof(args.labels, args.tuple);
  return {
    tuple: BigInt(args.tuple),
    f: delqCommitArgs(delqCommit(args.q)),
    outputs: args.outputs,
    checkpoints: args.checkpoints,
    tupleLabelsRoot: labelsProof.root,
    tupleLabelsPath: labelsProof.path,
  };
}

/**
 * The output dispute a challenger sends against tuple `tuple` of a proof, or null when that tuple's claim is f_q of
 * its labels (every step would revert `OutputCorrect`). `labels` are the proof's labels (every tuple, from
 * `LabelsPosted`), `checkpoints` and `outputs` the proof's bytes (`ProofCheckpoints`, `ProofSubmitted`). The step is
 * the first wrong one: segment j when c_{j+1} is not what f_q gives from the right c_j, S (the output step) when only
 * y is wrong; a layout that is not f's (count ≠ S, bytes missing) loses at any step (the output step is sent).
 */
export function outputDispute(args: OutputClaimInput): OutputDisputeArgs | null {
  const { q, tuple } = args;
  const x = args.labels[tuple];
  if (!x) throw new DelqError(`the labels have no tuple ${tuple}`);
  const truth = evaluateDelq(q, x);
  const S = segmentCount(q);
  const claim = outputClaimArgs(args);
  const output = (): OutputDisputeArgs => ({ kind: "output", step: S, claim, output: outputArgs(q, truth.states[S] as Int32Array) });
  const claimed = unpackCheckpoints(args.checkpoints, args.labels.length, q.m)[tuple];
  if (!claimed || claimed.length !== S) return output();
  const wrong = firstWrongSegment(q, x, { checkpoints: [truth.checkpoints[0] as Hex, ...claimed], outputs: tupleOutputs(args.outputs, tuple, q.n) });
  if (wrong === null) return null;
  if (wrong === S) return output();
  const tree = delqChunkTree(q, delqChunkHashes(q));
  return { kind: "segment", step: wrong, claim, segment: segmentArgs(q, tree, labelsTree(x), x, wrong, truth.states[wrong] as Int32Array) };
}

/** What an honest proof posts for every tuple: f_q's checkpoints (packed) and outputs on the labels, tuple order. */
export function delqClaim(fs: readonly QuantizedDel[], labels: readonly ArrayLike<number>[]): { checkpoints: Hex; outputs: number[][] } {
  if (fs.length !== labels.length) throw new DelqError(`${fs.length} f_q for ${labels.length} tuples of labels`);
  const evaluations = fs.map((q, t) => evaluateDelq(q, labels[t] as ArrayLike<number>));
  return { checkpoints: packCheckpoints(evaluations.map((e) => e.checkpoints)), outputs: evaluations.map((e) => e.outputs) };
}

/**
 * A tuple's f_q: the quantization of its DEL ONNX file (delCid), so f_q follows from what the tuple publishes; its
 * `delqRoot` is the tuple's delRoot. Deterministic: readDelOnnx gives f's float32 weights exactly and the quantizer
 * rounds them with integer-exact rules. The .delq file (`encodeDelq`) is the same f_q for readers that stream it.
 */
export function tupleDelq(delOnnx: Uint8Array): QuantizedDel {
  return quantizeDel(readDelOnnx(delOnnx));
}

/** {@link tupleDelq}, or null when f has no f_q (H not a multiple of 32 up to 1,024, or another bound of `checkDelq`). */
export function tupleDelqOrNull(delOnnx: Uint8Array): QuantizedDel | null {
  try {
    return tupleDelq(delOnnx);
  } catch (error) {
    if (error instanceof DelqError) return null;
    throw error;
  }
}

/**
 * A tuple's delRoot: fRoot of {@link tupleDelq}; bytes32(0) when f has no f_q (no f hashes to it, so that tuple's
 * outputs cannot be disputed: docs/daimon.md §14.3.1).
 */
export function tupleDelRoot(delOnnx: Uint8Array): Hex {
  const q = tupleDelqOrNull(delOnnx);
  return q ? delqRoot(delqCommit(q)) : ZERO_ROOT;
}

const ZERO_ROOT: Hex = `0x${"0".repeat(64)}`;

/** The checkpoints a proof posts for a tuple without f_q (one zero hash: no output dispute of it can start). */
export const NO_DELQ_CHECKPOINTS: readonly Hex[] = [ZERO_ROOT, ZERO_ROOT];

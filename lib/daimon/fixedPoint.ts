/**
 * The DaiMoN fixed-point arithmetic, bit for bit as contracts/daimon/DaimonMath.sol computes it (docs/daimon.md
 * §2–§4): the protocol constants, the packed int16 vector format of DEL outputs, the integer square roots, the
 * modified cosine distance, the aggregate distance of a proof, and the reward R(d, d_c) with the validators' shares.
 * Clients and tests use these functions and nothing else; all of them are plain functions over bigint.
 */

/** 1 in the fixed-point format of distances, margins and rewards. */
export const WAD = 10n ** 18n;
/** Internal scale of the reward series. */
export const FINE = 10n ** 36n;
const WAD_SQUARED = 10n ** 36n;
const ROOT_SCALE = 10n ** 54n;

/** Protocol constants; mirror contracts/daimon/DaimonLimits.sol (a test compares them). */
export const DAIMON_LIMITS = {
  WAD,
  MIN_CLASSES: 2n,
  MAX_CLASSES: 65_535n,
  MIN_TEST_SET_SIZE: 1n,
  MAX_TEST_SET_SIZE: 4_294_967_295n,
  MIN_EMBEDDING: 2n,
  MAX_EMBEDDING: 256n,
  MAX_TUPLES: 8n,
  MIN_PERIOD: 10n,
  MAX_PERIOD: 2_000_000n,
  MIN_REWARD_SHAPE: 1n,
  MAX_REWARD_SHAPE: 32n,
  MIN_MIN_VOTES: 1n,
  MAX_MIN_VOTES: 1000n,
  MAX_MARGIN: WAD / 2n,
  MAX_REWARD_SCALE: 10n ** 30n,
  MAX_INPUT_RANK: 8n,
  MAX_NAME_BYTES: 64n,
  MAX_SYMBOL_BYTES: 16n,
  MAX_CID_BYTES: 128n,
  /** R: blocks a registration must age before its proof is accepted (docs/daimon.md §7). */
  REGISTRATION_AGE: 8n,
  /** The bond every proof carries, in wei (docs/daimon.md §14.3); a winning challenger takes it. */
  PROOF_BOND: 10n ** 16n,
  /** The bond of an availability dispute, in wei: the improver's if his model is posted in time. */
  AVAILABILITY_BOND: 10n ** 15n,
  /** Smallest dispute window W in blocks. */
  MIN_DISPUTE_WINDOW: 3n,
  /** The bond every vote carries, in wei (docs/daimon.md §14.4): slashed to a winning challenger, else withdrawable after the round. */
  VOTE_BOND: 10n ** 15n,
  /** Votes a proof can take. */
  MAX_VOTES: 1000n,
  /** The committed proof's validators together get ⌊improverReward / 4⌋, in equal shares per vote. */
  VALIDATOR_POOL_DIVISOR: 4n,
} as const;

/**
 * Round `round`'s dispute schedule (DaimonLimits.disputeWindow / availabilityPeriod, §14.3): proofs are accepted before
 * `submissionsClose` = end − W (W = max(⌊T_b/4⌋, 3)), availability disputes before `availabilityClose` = end − 2·T_a
 * (T_a = max(⌊W/3⌋, 1) blocks to post the model after one), label disputes and postings before `end`.
 */
export function disputeSchedule(definitionEnd: bigint, competitionPeriod: bigint, round: bigint): {
  submissionsClose: bigint;
  availabilityClose: bigint;
  availabilityPeriod: bigint;
  end: bigint;
} {
  const end = definitionEnd + (round + 1n) * competitionPeriod;
  const quarter = competitionPeriod / 4n;
  const window = quarter < DAIMON_LIMITS.MIN_DISPUTE_WINDOW ? DAIMON_LIMITS.MIN_DISPUTE_WINDOW : quarter;
  const third = window / 3n;
  const availabilityPeriod = third === 0n ? 1n : third;
  return { submissionsClose: end - window, availabilityClose: end - 2n * availabilityPeriod, availabilityPeriod, end };
}

export const MAX_EMBEDDING = Number(DAIMON_LIMITS.MAX_EMBEDDING);

/** The first block in which a proof may use a registration mined in block `registeredAt` (its age R, §7). */
export function registrationUsableFrom(registeredAt: bigint): bigint {
  return registeredAt + DAIMON_LIMITS.REGISTRATION_AGE;
}
export const MAX_TUPLES = Number(DAIMON_LIMITS.MAX_TUPLES);
export const INT16_MAX = 32_767;
export const INT16_MIN = -32_768;

// ------------------------------------------------------------------ vectors

/** A DEL output vector in the contract's format: int16 entries (−32768…32767). */
export type FixedVector = readonly number[];

/**
 * Quantizes a float DEL output y to int16: q_i = round(y_i · 32767 / max|y|), half away from zero, so the largest
 * entry becomes ±32767. The cosine distance does not depend on the scale, so nothing is lost but the rounding
 * (≤ ½ unit per entry). Throws on a non-finite entry, an all-zero vector or a length outside 1…256.
 */
export function quantizeVector(y: readonly number[]): number[] {
  if (y.length === 0 || y.length > MAX_EMBEDDING) throw new RangeError(`a DEL output has 1…${MAX_EMBEDDING} entries, got ${y.length}`);
  let max = 0;
  for (const [i, v] of y.entries()) {
    if (!Number.isFinite(v)) throw new RangeError(`DEL output entry ${i} is not finite: ${v}`);
    max = Math.max(max, Math.abs(v));
  }
  if (max === 0) throw new RangeError("the DEL output is the zero vector, which has no direction");
  const scale = INT16_MAX / max;
  return y.map((v) => {
    const q = Math.sign(v) * Math.floor(Math.abs(v) * scale + 0.5);
    return Math.max(-INT16_MAX, Math.min(INT16_MAX, q)) + 0; // + 0 turns −0 into 0
  });
}

/** Packs int16 entries big-endian, two's complement (2 bytes each). */
export function packVector(v: FixedVector): Uint8Array {
  const out = new Uint8Array(v.length * 2);
  for (const [i, x] of v.entries()) {
    if (!Number.isInteger(x) || x < INT16_MIN || x > INT16_MAX) throw new RangeError(`entry ${i} is not an int16: ${x}`);
    const u = x < 0 ? x + 0x10000 : x;
    out[2 * i] = u >> 8;
    out[2 * i + 1] = u & 0xff;
  }
  return out;
}

/** Unpacks big-endian int16 entries. */
export function unpackVector(bytes: Uint8Array): number[] {
  if (bytes.length % 2 !== 0) throw new RangeError(`a packed vector has an even number of bytes, got ${bytes.length}`);
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i += 2) {
    const u = ((bytes[i] as number) << 8) | (bytes[i + 1] as number);
    out.push(u >= 0x8000 ? u - 0x10000 : u);
  }
  return out;
}

/** A proof's outputs: one vector per tuple, in tuple order, concatenated. */
export function packOutputs(vectors: readonly FixedVector[]): Uint8Array {
  const parts = vectors.map(packVector);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A float DEL output as the contract's packed vector (y_t of a tuple): quantized, then packed. */
export function encodeDelOutput(y: readonly number[]): Uint8Array {
  return packVector(quantizeVector(y));
}

/** A proof's float DEL outputs, one per tuple in tuple order, as `submitProof` takes them. */
export function encodeDelOutputs(ys: readonly (readonly number[])[]): Uint8Array {
  return packOutputs(ys.map(quantizeVector));
}

// ------------------------------------------------------------------ integer square roots

/** ⌊√x⌋ for x ≥ 0 (OpenZeppelin's Math.sqrt; the floor square root is unique, so any exact method agrees). */
export function isqrt(x: bigint): bigint {
  if (x < 0n) throw new RangeError("isqrt of a negative number");
  if (x < 2n) return x;
  // Newton from a power of two above √x: decreases monotonically to ⌊√x⌋.
  let r = 1n << BigInt(Math.ceil(x.toString(2).length / 2));
  for (;;) {
    const next = (r + x / r) >> 1n;
    if (next >= r) return r;
    r = next;
  }
}

/** ⌈√x⌉. */
export function isqrtCeil(x: bigint): bigint {
  const r = isqrt(x);
  return r * r < x ? r + 1n : r;
}

// ------------------------------------------------------------------ distance

/** y1·y2, ‖y1‖², ‖y2‖² exactly. */
export function dotAndNorms(y1: FixedVector, y2: FixedVector): { dot: bigint; norm1: bigint; norm2: bigint } {
  if (y1.length !== y2.length) throw new RangeError(`vectors of different lengths: ${y1.length} and ${y2.length}`);
  let dot = 0;
  let norm1 = 0;
  let norm2 = 0;
  // |sums| ≤ 256 · 2^30 < 2^53: exact in doubles.
  for (let i = 0; i < y1.length; i++) {
    const a = y1[i] as number;
    const b = y2[i] as number;
    dot += a * b;
    norm1 += a * a;
    norm2 += b * b;
  }
  return { dot: BigInt(dot), norm1: BigInt(norm1), norm2: BigInt(norm2) };
}

/** DaimonMath.cosineDistance: WAD − ⌊dot·WAD² / ⌈√(‖y1‖²‖y2‖²·WAD²)⌉⌋ if dot > 0, else WAD. Norms must be > 0. */
export function cosineDistanceFromParts(dot: bigint, norm1: bigint, norm2: bigint): bigint {
  if (norm1 === 0n || norm2 === 0n) throw new RangeError("the distance to a zero vector is undefined");
  if (dot <= 0n) return WAD;
  const denominator = isqrtCeil(norm1 * norm2 * WAD_SQUARED);
  return WAD - (dot * WAD_SQUARED) / denominator;
}

/** The paper's modified cosine distance d(y1, y2) in WAD, as the contract computes it. */
export function cosineDistance(y1: FixedVector, y2: FixedVector): bigint {
  const { dot, norm1, norm2 } = dotAndNorms(y1, y2);
  return cosineDistanceFromParts(dot, norm1, norm2);
}

/** The same distance in double precision, on the float vectors (the paper's definition). */
export function cosineDistanceFloat(y1: readonly number[], y2: readonly number[]): number {
  let dot = 0;
  let n1 = 0;
  let n2 = 0;
  for (let i = 0; i < y1.length; i++) {
    const a = y1[i] as number;
    const b = y2[i] as number;
    dot += a * b;
    n1 += a * a;
    n2 += b * b;
  }
  return dot >= 0 ? 1 - dot / Math.sqrt(n1 * n2) : 1;
}

/** ⌈sum / count⌉: the aggregate distance is the mean of the per-tuple distances, rounded up. */
export function meanRoundedUp(sum: bigint, count: bigint): bigint {
  if (count <= 0n) throw new RangeError("the mean of nothing");
  return (sum + count - 1n) / count;
}

/** Per-tuple distances of a proof's outputs to the tuples' targets and the aggregate distance (submitProof). */
export function proofDistance(
  targets: readonly FixedVector[],
  outputs: readonly FixedVector[],
): { distances: bigint[]; distance: bigint } {
  if (targets.length !== outputs.length) throw new RangeError(`${outputs.length} outputs for ${targets.length} tuples`);
  const distances = targets.map((t, i) => cosineDistance(outputs[i] as FixedVector, t));
  const distance = targets.length === 0 ? WAD : meanRoundedUp(distances.reduce((a, b) => a + b, 0n), BigInt(targets.length));
  return { distances, distance };
}

/** Whether a proof of distance `d` is accepted against the best distance `dc` with margin `margin`: d + δ < d_c. */
export function isImprovement(d: bigint, dc: bigint, margin: bigint): boolean {
  return d + margin < dc;
}

// ------------------------------------------------------------------ reward

/** The WAD nearest to the double `x` in [0, 1] (its exact decimal expansion, rounded to 18 places). */
export function toWad(x: number): bigint {
  if (!(x >= 0 && x <= 1)) throw new RangeError(`expected 0 ≤ x ≤ 1, got ${x}`);
  return BigInt(x.toFixed(18).replace(".", ""));
}

/** A WAD as a double (relative error ≤ 2⁻⁵²). */
export function fromWad(x: bigint): number {
  return Number(x) / 1e18;
}

/**
 * DaimonMath.upperTail: G_a(d) = 1 − I_{1−d}(a, ½) = √d · Σ_{j<a} c_j (1−d)^j, c_j = C(2j, j)/4^j, in WAD rounded
 * down; the series in 1e36 units with every term rounded down.
 */
export function upperTail(d: bigint, a: number): bigint {
  if (d < 0n || d > WAD) throw new RangeError(`a distance is a WAD in [0, 1e18], got ${d}`);
  if (!Number.isInteger(a) || a < 1) throw new RangeError(`the reward shape a is a positive integer, got ${a}`);
  const x = WAD - d;
  let term = FINE;
  let sum = FINE;
  for (let j = 1n; j < BigInt(a); j++) {
    term = (term * x * (2n * j - 1n)) / (2n * j * WAD);
    sum += term;
  }
  return (sum * isqrt(d * ROOT_SCALE)) / ROOT_SCALE;
}

/** DaimonMath.reward: R(d, d_c) = I_{1−d}(a, ½) − I_{1−d_c}(a, ½) in WAD; 0 when d ≥ d_c (never negative). */
export function reward(d: bigint, dc: bigint, a: number): bigint {
  if (d >= dc) return 0n;
  const high = upperTail(dc, a);
  const low = upperTail(d, a);
  return high > low ? high - low : 0n;
}

/** The improver's token amount: ⌊rewardScale · R / WAD⌋. */
export function scaleReward(r: bigint, rewardScale: bigint): bigint {
  return (rewardScale * r) / WAD;
}

/** The improver's token amount for a block of distance `d` that improved on `dc`. */
export function improverReward(d: bigint, dc: bigint, a: number, rewardScale: bigint): bigint {
  return scaleReward(reward(d, dc, a), rewardScale);
}

/** What all validators of a committed proof get together: ⌊improverReward / 4⌋ (docs/daimon.md §4). */
export function validatorPool(improverAmount: bigint): bigint {
  return improverAmount / DAIMON_LIMITS.VALIDATOR_POOL_DIVISOR;
}

/**
 * Each of the `voteCount` votes on a committed proof gets ⌊⌊improverReward / 4⌋ / voteCount⌋, whatever its position
 * (DaimonMath.validatorShare); 0 without votes.
 */
export function validatorShare(improverAmount: bigint, voteCount: number | bigint): bigint {
  const n = BigInt(voteCount);
  if (n < 0n) throw new RangeError(`a vote count is not negative, got ${n}`);
  return n === 0n ? 0n : validatorPool(improverAmount) / n;
}

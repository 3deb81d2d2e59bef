/**
 * GENERATEDATA, the DaiMoN paper's perturbation procedure (§II-B, §III), and the seedable PRNG that the DEL trainer,
 * its metrics and the tests share.
 *
 * Labels: the paper numbers classes 1..C (Q = {1, …, C}); this library, the ONNX graph and the contracts use 0..C−1,
 * so the paper's class c is label c − 1 here. Nothing else changes: e(x, x_t) and GENERATEDATA only compare labels.
 *
 * The paper's procedure, for a test label vector x_t ∈ Q^m:
 *   1. pick v uniformly in {1, …, m};
 *   2. pick a random set K of v positions;
 *   3. x ← x_t; for every k ∈ K, x_k ← c with c uniform in Q (c may equal the old label, so e ≤ v/m).
 * Step 2 says "a random set K in {1, …, m}^v": we read it as v *distinct* positions (a set), drawn uniformly by a
 * partial Fisher–Yates shuffle. Then E[e] = (1 − 1/C)·v/m, so a uniform v puts most samples at large error; the
 * low-error region (which decides which models win) gets dense coverage only from {@link PerturbationOptions.maxChanged}.
 *
 * Framework-free; runs in Node, browsers and workers. Not a CSPRNG: it is for reproducible experiments only.
 */

/** splitmix32 step: spreads a 32-bit seed over the generator state. */
function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) >>> 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return [next, (z ^ (z >>> 16)) >>> 0];
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state, period ≥ 2^32), seeded by splitmix32.
 * Same seed, same stream, on every JavaScript engine.
 */
export class DelRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`a seed must be a finite number, got ${seed}`);
    // Seeds above 2^32 keep their high bits: fold them in so 2^32 + 1 and 1 differ.
    let s = (Math.floor(seed) >>> 0) ^ Math.floor(Math.abs(seed) / 2 ** 32);
    let out: number;
    [s, out] = splitmix32(s);
    this.a = out;
    [s, out] = splitmix32(s);
    this.b = out;
    [s, out] = splitmix32(s);
    this.c = out;
    [, out] = splitmix32(s);
    this.d = out;
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  float(): number {
    return ((this.uint32() >>> 5) * 67108864 + (this.uint32() >>> 6)) / 9007199254740992;
  }

  /** Uniform integer in 0..bound−1 without modulo bias (rejection), bound in 1..2^32. */
  below(bound: number): number {
    if (!Number.isInteger(bound) || bound < 1 || bound > 2 ** 32) throw new RangeError(`cannot draw below ${bound}`);
    const limit = 2 ** 32 - (2 ** 32 % bound);
    for (;;) {
      const u = this.uint32();
      if (u < limit) return u % bound;
    }
  }

  /** Standard normal (Box–Muller, both values used). */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    let u = 0;
    while (u === 0) u = this.float();
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** An independent generator derived from this one's next draws (for separate streams: init, data, metrics). */
  fork(): DelRandom {
    return new DelRandom(this.uint32() ^ Math.imul(this.uint32(), 0x9e3779b1));
  }
}

/** A label vector: m labels, each 0..C−1. */
export type LabelVector = Int32Array;

export class LabelVectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LabelVectorError";
  }
}

/** Checks 1 ≤ m, 2 ≤ C ≤ 65,536 and every label an integer 0..C−1; returns a copy as {@link LabelVector}. */
export function toLabelVector(labels: ArrayLike<number>, classCount: number): LabelVector {
  checkClassCount(classCount);
  if (labels.length < 1) throw new LabelVectorError("a label vector needs at least one label");
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number;
    if (!Number.isInteger(label) || label < 0 || label >= classCount) {
      throw new LabelVectorError(`label ${i} is ${label}; labels must be integers 0..${classCount - 1} (the paper's class c is label c − 1)`);
    }
    out[i] = label;
  }
  return out;
}

export function checkClassCount(classCount: number): void {
  if (!Number.isInteger(classCount) || classCount < 2 || classCount > 65_536) {
    throw new LabelVectorError(`the class count must be an integer 2..65536, got ${classCount}`);
  }
}

/** A uniformly random label vector (the paper's GENERATEINVERSEDATARANDOM draw; also a stand-in x_t for benchmarks). */
export function randomLabelVector(m: number, classCount: number, random: DelRandom): LabelVector {
  checkClassCount(classCount);
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`m must be a positive integer, got ${m}`);
  const out = new Int32Array(m);
  for (let i = 0; i < m; i++) out[i] = random.below(classCount);
  return out;
}

/**
 * A perturbation of x_t stored sparsely: the positions whose label actually changed (ascending) and their new labels.
 * Positions GENERATEDATA picked but redrew with the same label are not listed (they do not count in e).
 */
export interface Perturbation {
  readonly positions: Int32Array;
  readonly labels: Int32Array;
  /** v: how many positions were drawn (≥ positions.length). */
  readonly drawn: number;
}

export interface PerturbationOptions {
  /**
   * Upper end of v, drawn uniformly in 1..maxChanged. Default m: the paper's GENERATEDATA. A smaller value gives a
   * dedicated low-error sample (e ≤ maxChanged/m), used to cover the region that decides which models win.
   */
  readonly maxChanged?: number;
}

/**
 * Reusable state for drawing many perturbations of the same x_t in O(v) each: a permutation of 0..m−1 that partial
 * Fisher–Yates keeps shuffling (any permutation is a valid starting point, so no reset is needed).
 */
export class PerturbationSampler {
  private readonly order: Int32Array;
  /** Scratch: the new label of each changed position, read back in position order. */
  private readonly newLabel: Int32Array;
  readonly m: number;

  constructor(
    readonly xt: LabelVector,
    readonly classCount: number,
  ) {
    checkClassCount(classCount);
    this.m = xt.length;
    this.order = new Int32Array(this.m);
    this.newLabel = new Int32Array(this.m);
    for (let i = 0; i < this.m; i++) this.order[i] = i;
  }

  /** One GENERATEDATA draw, as a {@link Perturbation}. */
  sample(random: DelRandom, options: PerturbationOptions = {}): Perturbation {
    const { m, order, xt, classCount } = this;
    const maxChanged = options.maxChanged ?? m;
    if (!Number.isInteger(maxChanged) || maxChanged < 1 || maxChanged > m) {
      throw new RangeError(`maxChanged must be an integer 1..${m}, got ${maxChanged}`);
    }
    const v = 1 + random.below(maxChanged);
    const changed = new Int32Array(v);
    let count = 0;
    for (let i = 0; i < v; i++) {
      const j = i + random.below(m - i);
      const k = order[j] as number;
      order[j] = order[i] as number;
      order[i] = k;
      const c = random.below(classCount);
      if (c !== xt[k]) {
        this.newLabel[k] = c;
        changed[count++] = k;
      }
    }
    const positions = changed.slice(0, count).sort();
    const labels = new Int32Array(count);
    for (let i = 0; i < count; i++) labels[i] = this.newLabel[positions[i] as number] as number;
    return { positions, labels, drawn: v };
  }
}

/** The perturbation applied: a full label vector x. */
export function applyPerturbation(xt: LabelVector, perturbation: Perturbation): LabelVector {
  const x = xt.slice();
  perturbation.positions.forEach((k, i) => {
    x[k] = perturbation.labels[i] as number;
  });
  return x;
}

/** The positions where x differs from x_t, as a {@link Perturbation} (drawn = number of differences). */
export function perturbationBetween(xt: LabelVector, x: ArrayLike<number>): Perturbation {
  if (x.length !== xt.length) throw new LabelVectorError(`x has ${x.length} labels, x_t has ${xt.length}`);
  const positions: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < xt.length; i++) {
    if (x[i] !== xt[i]) {
      positions.push(i);
      labels.push(x[i] as number);
    }
  }
  return { positions: Int32Array.from(positions), labels: Int32Array.from(labels), drawn: positions.length };
}

/** The paper's GENERATEDATA(x_t): one perturbed label vector (v uniform in 1..m, or 1..maxChanged). */
export function generateData(xt: LabelVector, classCount: number, random: DelRandom, options: PerturbationOptions = {}): LabelVector {
  return applyPerturbation(xt, new PerturbationSampler(xt, classCount).sample(random, options));
}

/** e(x, x_t) = (1/m) Σ 1(x_i ≠ x_t,i), the paper's error of a predicted label vector. */
export function labelError(x: ArrayLike<number>, xt: ArrayLike<number>): number {
  if (x.length !== xt.length) throw new LabelVectorError(`x has ${x.length} labels, x_t has ${xt.length}`);
  let wrong = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== xt[i]) wrong++;
  return wrong / x.length;
}

/** e of a perturbation without materializing x. */
export function perturbationError(perturbation: Perturbation, m: number): number {
  return perturbation.positions.length / m;
}

/**
 * How well a trained DEL function preserves the error (the paper's Figure 2), measured on held-out perturbations of
 * x_t drawn with a seed the training never used:
 *  - pearson: Pearson correlation of e and d over the whole held-out set;
 *  - mae: mean |e − d| over the whole held-out set;
 *  - pairOrdering: among held-out pairs with both e < 0.2 (the low-error region, where the models that win are) and
 *    |e_i − e_j| > 0.01, the share that d orders like e (d_i < d_j exactly when e_i < e_j; a tie in d counts wrong).
 * Correlation alone proves little: an untrained network already reaches r ≈ 0.93–0.97, because a random first layer
 * already moves f(x) away from f(x_t) roughly in proportion to the number of changed labels.
 *
 * The held-out set mixes two samples (docs/daimon-del.md "DEL"): `paperCount` draws of the paper's GENERATEDATA
 * (v uniform in 1..m, so e spreads over 0..(1 − 1/C)) and `lowErrorCount` draws with v uniform in
 * 1..⌈0.2·m·C/(C − 1)⌉, so e covers 0..≈0.2 densely enough for the pair-ordering figure to mean something.
 */
import { delOutputLayer, delPreActivation, delPreActivationPerturbed, modifiedCosineDistance, normalizeInPlace, type DelParameters } from "./del";
import { DelRandom, PerturbationSampler, toLabelVector, type LabelVector, type Perturbation } from "./generateData";

export interface HeldOutOptions {
  /** Seed of the held-out draws; use one the training did not (default 0x5eed). */
  readonly seed?: number;
  /** GENERATEDATA draws (default 1000). */
  readonly paperCount?: number;
  /** Dedicated low-error draws (default 1000). */
  readonly lowErrorCount?: number;
  /** Upper end of the low-error region (default 0.2). */
  readonly lowErrorBound?: number;
}

export interface HeldOutSet {
  readonly perturbations: readonly Perturbation[];
  /** e of each perturbation. */
  readonly errors: Float64Array;
  /** 0: from GENERATEDATA, 1: from the low-error generator. */
  readonly source: Uint8Array;
  readonly lowErrorBound: number;
}

/** Draws the held-out perturbations of x_t (labels 0..C−1). */
export function heldOutPerturbations(xt: ArrayLike<number>, classCount: number, options: HeldOutOptions = {}): HeldOutSet {
  const labels = toLabelVector(xt, classCount);
  const m = labels.length;
  const paperCount = options.paperCount ?? 1000;
  const lowErrorCount = options.lowErrorCount ?? 1000;
  const bound = options.lowErrorBound ?? 0.2;
  if (!(bound > 0 && bound <= 1)) throw new RangeError(`the low-error bound must be in (0, 1], got ${bound}`);
  const random = new DelRandom(options.seed ?? 0x5eed);
  const sampler = new PerturbationSampler(labels, classCount);
  // E[e | v] = (1 − 1/C)·v/m: draw v up to where the expected error reaches the bound.
  const maxChanged = Math.max(1, Math.min(m, Math.ceil((bound * m * classCount) / (classCount - 1))));
  const perturbations: Perturbation[] = [];
  const source = new Uint8Array(paperCount + lowErrorCount);
  for (let i = 0; i < paperCount; i++) perturbations.push(sampler.sample(random));
  for (let i = 0; i < lowErrorCount; i++) {
    perturbations.push(sampler.sample(random, { maxChanged }));
    source[paperCount + i] = 1;
  }
  const errors = Float64Array.from(perturbations, (p) => p.positions.length / m);
  return { perturbations, errors, source, lowErrorBound: bound };
}

/** Pearson correlation coefficient (NaN when either side is constant). */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length < 2) throw new RangeError("pearson needs two series of the same length ≥ 2");
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] as number;
    mb += b[i] as number;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

export function meanAbsoluteError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length < 1) throw new RangeError("MAE needs two series of the same length ≥ 1");
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] as number) - (b[i] as number));
  return sum / a.length;
}

export interface PairOrdering {
  /** Share of qualifying pairs that d orders like e (NaN when there are none). */
  readonly share: number;
  /** Qualifying pairs: both e < maxError, |e_i − e_j| > minGap. */
  readonly pairs: number;
  readonly misordered: number;
}

/** The low-error pair-ordering figure (see the file comment). O(k²) in the number k of samples with e < maxError. */
export function pairOrdering(errors: ArrayLike<number>, distances: ArrayLike<number>, maxError = 0.2, minGap = 0.01): PairOrdering {
  if (errors.length !== distances.length) throw new RangeError("errors and distances differ in length");
  const keep: number[] = [];
  for (let i = 0; i < errors.length; i++) if ((errors[i] as number) < maxError) keep.push(i);
  let pairs = 0;
  let misordered = 0;
  for (let p = 0; p < keep.length; p++) {
    const i = keep[p] as number;
    const ei = errors[i] as number;
    const di = distances[i] as number;
    for (let q = p + 1; q < keep.length; q++) {
      const j = keep[q] as number;
      const gap = (errors[j] as number) - ei;
      if (Math.abs(gap) <= minGap) continue;
      pairs++;
      const dGap = (distances[j] as number) - di;
      if (!(gap > 0 ? dGap > 0 : dGap < 0)) misordered++;
    }
  }
  return { share: pairs === 0 ? NaN : 1 - misordered / pairs, pairs, misordered };
}

/** d(f(x), f(x_t)) for every held-out perturbation, computed incrementally from a(x_t). Float64. */
export function heldOutDistances(params: DelParameters, xt: LabelVector, set: HeldOutSet): Float64Array {
  const aT = delPreActivation(params, xt);
  const yT = new Float64Array(params.n);
  normalizeInPlace(yT, delOutputLayer(params, aT, yT));
  const a = new Float64Array(params.hidden);
  const y = new Float64Array(params.n);
  return Float64Array.from(set.perturbations, (p) => {
    delPreActivationPerturbed(params, xt, aT, p, a);
    normalizeInPlace(y, delOutputLayer(params, a, y));
    return modifiedCosineDistance(y, yT);
  });
}

export interface DelEvaluation {
  readonly pearson: number;
  readonly mae: number;
  readonly pairOrdering: number;
  readonly pairs: number;
  readonly misorderedPairs: number;
  /** Mean |e − d| over held-out samples with e < the low-error bound. */
  readonly maeLowError: number;
  /** Pearson and MAE over the GENERATEDATA part alone (the paper's Figure 2 distribution). */
  readonly pearsonPaper: number;
  readonly maePaper: number;
  /** Largest |e − d| over the held-out set. */
  readonly maxAbsError: number;
  readonly samples: number;
  readonly lowErrorSamples: number;
  /** e and d of every held-out sample (for plots). */
  readonly errors: Float64Array;
  readonly distances: Float64Array;
}

/** The held-out figures of a DEL function for x_t. */
export function evaluateDel(params: DelParameters, xt: ArrayLike<number>, set: HeldOutSet): DelEvaluation {
  const labels = toLabelVector(xt, params.classCount);
  const distances = heldOutDistances(params, labels, set);
  const { errors, source, lowErrorBound } = set;
  const ordering = pairOrdering(errors, distances, lowErrorBound, 0.01);
  const pick = (keep: (i: number) => boolean) => {
    const e: number[] = [];
    const d: number[] = [];
    for (let i = 0; i < errors.length; i++) {
      if (keep(i)) {
        e.push(errors[i] as number);
        d.push(distances[i] as number);
      }
    }
    return { e, d };
  };
  const low = pick((i) => (errors[i] as number) < lowErrorBound);
  const paper = pick((i) => source[i] === 0);
  let maxAbsError = 0;
  for (let i = 0; i < errors.length; i++) maxAbsError = Math.max(maxAbsError, Math.abs((errors[i] as number) - (distances[i] as number)));
  return {
    pearson: pearson(errors, distances),
    mae: meanAbsoluteError(errors, distances),
    pairOrdering: ordering.share,
    pairs: ordering.pairs,
    misorderedPairs: ordering.misordered,
    maeLowError: low.e.length > 0 ? meanAbsoluteError(low.e, low.d) : NaN,
    pearsonPaper: paper.e.length > 1 ? pearson(paper.e, paper.d) : NaN,
    maePaper: paper.e.length > 0 ? meanAbsoluteError(paper.e, paper.d) : NaN,
    maxAbsError,
    samples: errors.length,
    lowErrorSamples: low.e.length,
    errors,
    distances,
  };
}

/**
 * Two label-recovery attacks on a published DEL function (f and y_t), measured so that nobody mistakes the
 * brute-force odds of lib/daimon/bruteForce.ts for the security of DEL (docs/daimon-del.md "What DEL does not hide").
 * Both return a guess of x_t; compare it with x_t to get the share recovered (chance is 1/C).
 */
export interface LabelRecoveryOptions {
  /** Attack the first `positions` positions only (default all m): the cost grows with it. */
  readonly positions?: number;
  readonly seed?: number;
}

export interface LabelGuess {
  /** Guessed labels of positions 0..positions−1. */
  readonly labels: Int32Array;
  /** Forward evaluations of f the attack made (0 for the weight inspection). */
  readonly queries: number;
}

/**
 * White box, no queries: per position k, centre the C rows W1[k·C + c] on their mean; take the top principal
 * direction u of all centred rows (power iteration); guess the label whose centred row projects furthest along ±u.
 * The sign is the one whose full guess (other positions random) lands nearer y_t. This works when training moved
 * the rows of the true labels along a shared direction, which is what makes d grow with the number of changes.
 */
export function weightInspectionAttack(params: DelParameters, yt: ArrayLike<number>, options: LabelRecoveryOptions = {}): LabelGuess {
  const { m, classCount: C, hidden: H, w1 } = params;
  const positions = Math.min(m, options.positions ?? m);
  const random = new DelRandom(options.seed ?? 0xa77ac);
  const centred = new Float32Array(positions * C * H);
  const mean = new Float64Array(H);
  for (let k = 0; k < positions; k++) {
    mean.fill(0);
    for (let c = 0; c < C; c++) for (let j = 0; j < H; j++) mean[j] = (mean[j] as number) + (w1[(k * C + c) * H + j] as number) / C;
    for (let c = 0; c < C; c++) {
      const row = (k * C + c) * H;
      for (let j = 0; j < H; j++) centred[row + j] = (w1[row + j] as number) - (mean[j] as number);
    }
  }
  let u = Float64Array.from({ length: H }, () => random.normal());
  const rows = positions * C;
  for (let iteration = 0; iteration < 20; iteration++) {
    const next = new Float64Array(H);
    for (let r = 0; r < rows; r++) {
      const o = r * H;
      let dot = 0;
      for (let j = 0; j < H; j++) dot += (centred[o + j] as number) * (u[j] as number);
      for (let j = 0; j < H; j++) next[j] = (next[j] as number) + dot * (centred[o + j] as number);
    }
    let norm = 0;
    for (let j = 0; j < H; j++) norm += (next[j] as number) ** 2;
    norm = Math.sqrt(norm);
    if (!(norm > 0)) break;
    for (let j = 0; j < H; j++) next[j] = (next[j] as number) / norm;
    u = next;
  }
  const guess = (sign: number) => {
    const labels = new Int32Array(positions);
    for (let k = 0; k < positions; k++) {
      let best = 0;
      let bestValue = -Infinity;
      for (let c = 0; c < C; c++) {
        const o = (k * C + c) * H;
        let dot = 0;
        for (let j = 0; j < H; j++) dot += (centred[o + j] as number) * (u[j] as number);
        if (sign * dot > bestValue) {
          bestValue = sign * dot;
          best = c;
        }
      }
      labels[k] = best;
    }
    return labels;
  };
  const plus = guess(1);
  const minus = guess(-1);
  const filler = Int32Array.from({ length: m - positions }, () => random.below(C));
  const distanceOf = (labels: Int32Array) => {
    const x = new Int32Array(m);
    x.set(labels);
    x.set(filler, positions);
    const a = delPreActivation(params, x);
    const y = new Float64Array(params.n);
    return modifiedCosineDistance(normalizeInPlace(y, delOutputLayer(params, a, y)), yt);
  };
  return { labels: distanceOf(plus) <= distanceOf(minus) ? plus : minus, queries: 0 };
}

/**
 * Queries only (f as a black box and y_t): start from a random label vector and sweep the positions once; at each,
 * evaluate all C labels and keep the one with the smallest d(f(x), y_t). C queries per position, each O(H·n) here
 * thanks to the incremental first layer.
 */
export function coordinateDescentAttack(params: DelParameters, yt: ArrayLike<number>, options: LabelRecoveryOptions = {}): LabelGuess {
  const { m, classCount: C, hidden: H, n, w1 } = params;
  const positions = Math.min(m, options.positions ?? m);
  const random = new DelRandom(options.seed ?? 0xc00d);
  const x = Int32Array.from({ length: m }, () => random.below(C));
  const a = delPreActivation(params, x);
  const trial = new Float64Array(H);
  const y = new Float64Array(n);
  let queries = 0;
  for (let k = 0; k < positions; k++) {
    const current = (k * C + (x[k] as number)) * H;
    let best = x[k] as number;
    let bestDistance = Infinity;
    for (let c = 0; c < C; c++) {
      const row = (k * C + c) * H;
      for (let j = 0; j < H; j++) trial[j] = (a[j] as number) + ((w1[row + j] as number) - (w1[current + j] as number));
      const d = modifiedCosineDistance(normalizeInPlace(y, delOutputLayer(params, trial, y)), yt);
      queries++;
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    const chosen = (k * C + best) * H;
    for (let j = 0; j < H; j++) a[j] = (a[j] as number) + ((w1[chosen + j] as number) - (w1[current + j] as number));
    x[k] = best;
  }
  return { labels: x.slice(0, positions), queries };
}

/** Share of positions where a guess equals x_t. */
export function recoveredShare(guess: ArrayLike<number>, xt: ArrayLike<number>): number {
  let hits = 0;
  for (let i = 0; i < guess.length; i++) if (guess[i] === xt[i]) hits++;
  return hits / guess.length;
}

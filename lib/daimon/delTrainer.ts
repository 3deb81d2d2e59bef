/**
 * Training of the DEL function (lib/daimon/del.ts) for one test label vector x_t: hand-written backpropagation,
 * Adam, a cosine-decayed learning rate, mini-batches of GENERATEDATA perturbations. Deterministic for a seed (one
 * thread, fixed summation order), framework-free (Node, browsers, workers), with a progress callback and an
 * AbortSignal. Choices and their reasons are in docs/daimon-del.md "DEL".
 *
 * One step, for a batch of B perturbations x_s of x_t with errors e_s = e(x_s, x_t):
 *   forward   a_t = b1 + Σ_i W1[i·C + x_t,i]                       O(m·H), once per step
 *             a_s = a_t + Σ_{k∈K_s} (W1[k·C + x_s,k] − W1[k·C + x_t,k])   O(|K_s|·H)
 *             y = normalize(ReLU(a)·W2 + b2),  d_s = d(y_s, y_t)
 *   loss      L = (1/B) Σ_s ℓ(d_s − e_s)   (ℓ: smooth L1 by default, see {@link DelLoss})
 *   backward  through both y_s and y_t (f(x_t) depends on the parameters too).
 * The first-layer gradient is sparse in the same way as the forward: with g_t = ∂L/∂a_t and g_s = ∂L/∂a_s,
 *   row (k, x_t,k) gets g_t + Σ_s g_s − Σ_{s: k∈K_s} g_s,   row (k, c ≠ x_t,k) gets Σ_{s: k∈K_s, x_s,k = c} g_s,
 * so it is computed per position, C rows at a time, inside the Adam pass: no dense m·C·H gradient buffer exists.
 *
 * Memory: W1 and its two Adam moments are float32, 12·m·C·H bytes (m = 1,000, C = 10, H = 1,024: 123 MB;
 * m = 10,000: 1.23 GB); everything else is O(B·H + H·n). Time per step: O(m·H) for a_t, O(Σ_s |K_s|·H) forward and
 * backward, O(B·H·n) for the output layer, and O(m·C·H) for the dense Adam update of W1 (standard Adam: a row
 * without gradient this step still moves with its momentum), which dominates at m = 10,000.
 */
import {
  checkDelParameters,
  delOutputLayer,
  delPreActivation,
  initDelParameters,
  type DelParameters,
  type DelShape,
} from "./del";
import { DelRandom, PerturbationSampler, toLabelVector, type LabelVector, type Perturbation } from "./generateData";

/**
 * The per-sample loss ℓ(r) of the residual r = d − e:
 * - "l1": |r|, the paper's loss;
 * - "smooth-l1" (default): r²/(2δ) for |r| ≤ δ, |r| − δ/2 beyond (Huber scaled to slope 1): the paper's L1 away from
 *   the target, but a gradient that shrinks to 0 at r = 0, so late steps settle instead of chattering by ±lr;
 * - "mse": r².
 */
export type DelLoss = "l1" | "smooth-l1" | "mse";

export interface DelTrainingOptions {
  /** Embedding dimension n. */
  readonly n: number;
  /** Hidden units H (default 1024, the paper's). */
  readonly hidden?: number;
  /** Optimizer steps (default 400). */
  readonly steps?: number;
  /** Perturbations per step (default 128). */
  readonly batchSize?: number;
  /** Peak Adam learning rate of b1, W2 and b2 (default 1e-3). */
  readonly learningRate?: number;
  /**
   * Peak Adam learning rate of W1 (default 6e-3 · min(1, 1000/m)). Adam moves every active row by about the same
   * step, and a(x) sums m rows, so the step of a scales with m: this keeps it the same for every m.
   */
  readonly firstLayerLearningRate?: number;
  /** Linear warm-up steps before the cosine decay (default 5% of the steps). */
  readonly warmupSteps?: number;
  /** The cosine ends at this fraction of the peak learning rate (default 0.01). */
  readonly finalLearningRateFraction?: number;
  readonly loss?: DelLoss;
  /** δ of the smooth L1 loss (default 0.005). */
  readonly smoothL1Delta?: number;
  /**
   * Share of each batch drawn from the low-error generator instead of the paper's GENERATEDATA (default 0.5): v
   * uniform in 1..⌈lowErrorMaxDrawn·m⌉, so e ≲ (1 − 1/C)·lowErrorMaxDrawn. The paper's v uniform in 1..m puts only
   * ~20% of samples below e = 0.2, the region where DEL must rank close models correctly.
   */
  readonly lowErrorFraction?: number;
  /** Fraction of m the low-error generator may redraw (default 0.3, i.e. e up to ≈ 0.27 for C = 10). */
  readonly lowErrorMaxDrawn?: number;
  /** Seed of initialization and training data (default 1). */
  readonly seed?: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly adamEpsilon?: number;
  /** Start from these parameters instead of a random initialization (they are copied). */
  readonly initialParameters?: DelParameters;
}

export interface DelTrainingProgress {
  /** Steps done (1..steps). */
  readonly step: number;
  readonly steps: number;
  /** Mean loss of this step's batch. */
  readonly loss: number;
  /** Exponential moving average (0.9) of the batch mean |d − e|. */
  readonly meanAbsError: number;
  readonly learningRate: number;
  readonly elapsedSeconds: number;
  /** Estimated seconds left, from the mean step time so far. */
  readonly etaSeconds: number;
}

export interface DelTrainingRun {
  /** Called at most every `progressIntervalMs` and after the last step. */
  readonly onProgress?: (progress: DelTrainingProgress) => void;
  /** Default 250 ms. The trainer also yields to the event loop this often, so aborts and UI updates get through. */
  readonly progressIntervalMs?: number;
  /** Aborting rejects {@link trainDel} with the signal's reason between two steps. */
  readonly signal?: AbortSignal;
}

export interface DelTrainingResult {
  readonly parameters: DelParameters;
  /** y_t = f(x_t) (float64 from the final float32 parameters), what the problem contributor publishes. */
  readonly yt: Float64Array;
  readonly steps: number;
  readonly seconds: number;
  /** Per step: batch mean loss and batch mean |d − e|. */
  readonly history: readonly { readonly loss: number; readonly meanAbsError: number }[];
  readonly options: ResolvedDelTrainingOptions;
}

export type ResolvedDelTrainingOptions = Required<Omit<DelTrainingOptions, "initialParameters">>;

/** The settings of the default CLI run (m = 1,000, n = 64 reaches MAE ≤ 0.01 and ≥ 0.99 pair ordering). */
export function resolveDelTrainingOptions(m: number, options: DelTrainingOptions): ResolvedDelTrainingOptions {
  const steps = options.steps ?? 400;
  const resolved: ResolvedDelTrainingOptions = {
    n: options.n,
    hidden: options.hidden ?? 1024,
    steps,
    batchSize: options.batchSize ?? 128,
    learningRate: options.learningRate ?? 1e-3,
    firstLayerLearningRate: options.firstLayerLearningRate ?? 6e-3 * Math.min(1, 1000 / m),
    warmupSteps: options.warmupSteps ?? Math.round(0.05 * steps),
    finalLearningRateFraction: options.finalLearningRateFraction ?? 0.01,
    loss: options.loss ?? "smooth-l1",
    smoothL1Delta: options.smoothL1Delta ?? 0.005,
    lowErrorFraction: options.lowErrorFraction ?? 0.5,
    lowErrorMaxDrawn: options.lowErrorMaxDrawn ?? 0.3,
    seed: options.seed ?? 1,
    beta1: options.beta1 ?? 0.9,
    beta2: options.beta2 ?? 0.999,
    adamEpsilon: options.adamEpsilon ?? 1e-8,
  };
  const positiveInteger = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  };
  positiveInteger("steps", resolved.steps);
  positiveInteger("batchSize", resolved.batchSize);
  const inRange = (name: string, v: number, lo: number, hi: number) => {
    if (!(v >= lo && v <= hi)) throw new RangeError(`${name} must be within ${lo}..${hi}, got ${v}`);
  };
  inRange("learningRate", resolved.learningRate, 0, 1);
  inRange("firstLayerLearningRate", resolved.firstLayerLearningRate, 0, 1);
  inRange("warmupSteps", resolved.warmupSteps, 0, resolved.steps - 1);
  inRange("finalLearningRateFraction", resolved.finalLearningRateFraction, 0, 1);
  inRange("smoothL1Delta", resolved.smoothL1Delta, 1e-9, 1);
  inRange("lowErrorFraction", resolved.lowErrorFraction, 0, 1);
  inRange("lowErrorMaxDrawn", resolved.lowErrorMaxDrawn, 1 / m, 1);
  inRange("beta1", resolved.beta1, 0, 0.999999);
  inRange("beta2", resolved.beta2, 0, 0.999999999);
  inRange("adamEpsilon", resolved.adamEpsilon, 0, 1);
  if (!["l1", "smooth-l1", "mse"].includes(resolved.loss)) throw new RangeError(`unknown loss ${String(resolved.loss)}`);
  return resolved;
}

/** Bytes the trainer holds: W1 and two Adam moments (float32), the small layers with theirs, and batch buffers. */
export function delTrainingBytes(shape: DelShape, batchSize: number): number {
  const { m, classCount: C, hidden: H, n } = shape;
  return 12 * (m * C * H + H + H * n + n) + 8 * (batchSize + 1) * (2 * H + 2 * n) + 8 * (C * H + H * n);
}

/** The gradient of one batch, in the factored form the first-layer update uses. Float64. */
export interface DelBatchGradient {
  /** Mean loss over the batch. */
  readonly loss: number;
  /** d_s and e_s of each sample. */
  readonly distances: Float64Array;
  readonly errors: Float64Array;
  /** ∂L/∂a_t through the x_t path only [H]. */
  readonly preActivationGradT: Float64Array;
  /** ∂L/∂a_s [B, H]. */
  readonly preActivationGrad: Float64Array;
  readonly b1: Float64Array;
  readonly w2: Float64Array;
  readonly b2: Float64Array;
  /** Which samples changed each position (built by the forward pass, reused by the update). */
  readonly positionIndex: PositionIndex;
}

/** CSR over positions: entries starts[k]..starts[k+1]−1 are the samples that changed position k, and their labels. */
export interface PositionIndex {
  readonly starts: Int32Array;
  readonly samples: Int32Array;
  readonly labels: Int32Array;
}

/** ℓ(r) and ℓ'(r). */
function lossAndSlope(kind: DelLoss, delta: number, r: number): [number, number] {
  if (kind === "mse") return [r * r, 2 * r];
  const abs = Math.abs(r);
  if (kind === "l1") return [abs, r > 0 ? 1 : r < 0 ? -1 : 0];
  if (abs <= delta) return [(r * r) / (2 * delta), r / delta];
  return [abs - delta / 2, r > 0 ? 1 : -1];
}

function copyParameters(p: DelParameters): DelParameters {
  checkDelParameters(p);
  return { m: p.m, classCount: p.classCount, hidden: p.hidden, n: p.n, w1: p.w1.slice(), b1: p.b1.slice(), w2: p.w2.slice(), b2: p.b2.slice() };
}

/**
 * The training state. {@link trainDel} drives it; tests use {@link DelTrainer.batchGradient} and
 * {@link DelTrainer.step} directly.
 */
export class DelTrainer {
  readonly xt: LabelVector;
  readonly parameters: DelParameters;
  readonly options: ResolvedDelTrainingOptions;
  /** Steps taken so far. */
  stepsDone = 0;

  private readonly sampler: PerturbationSampler;
  private readonly dataRandom: DelRandom;
  private readonly lowErrorMaxChanged: number;
  // Adam moments, same layout as the parameters.
  private readonly mW1: Float32Array;
  private readonly vW1: Float32Array;
  private readonly mB1: Float32Array;
  private readonly vB1: Float32Array;
  private readonly mW2: Float32Array;
  private readonly vW2: Float32Array;
  private readonly mB2: Float32Array;
  private readonly vB2: Float32Array;
  // Batch buffers: row 0..B−1 samples, row B the x_t path.
  private readonly preActivations: Float64Array;
  private readonly outputs: Float64Array;
  private readonly norms: Float64Array;
  private readonly outputGrads: Float64Array;
  private readonly firstLayerRows: Float64Array;

  constructor(xt: ArrayLike<number>, classCount: number, options: DelTrainingOptions) {
    this.xt = toLabelVector(xt, classCount);
    const m = this.xt.length;
    this.options = resolveDelTrainingOptions(m, options);
    const { hidden: H, n, batchSize: B, seed } = this.options;
    const root = new DelRandom(seed);
    const initRandom = root.fork();
    this.dataRandom = root.fork();
    if (options.initialParameters) {
      const p = options.initialParameters;
      if (p.m !== m || p.classCount !== classCount || p.hidden !== H || p.n !== n) {
        throw new RangeError(`initial parameters are m=${p.m} C=${p.classCount} H=${p.hidden} n=${p.n}, training wants m=${m} C=${classCount} H=${H} n=${n}`);
      }
      this.parameters = copyParameters(p);
    } else {
      this.parameters = initDelParameters({ m, classCount, hidden: H, n }, initRandom);
    }
    this.sampler = new PerturbationSampler(this.xt, classCount);
    this.lowErrorMaxChanged = Math.max(1, Math.min(m, Math.ceil(this.options.lowErrorMaxDrawn * m)));
    const w1Size = this.parameters.w1.length;
    this.mW1 = new Float32Array(w1Size);
    this.vW1 = new Float32Array(w1Size);
    this.mB1 = new Float32Array(H);
    this.vB1 = new Float32Array(H);
    this.mW2 = new Float32Array(H * n);
    this.vW2 = new Float32Array(H * n);
    this.mB2 = new Float32Array(n);
    this.vB2 = new Float32Array(n);
    this.preActivations = new Float64Array((B + 1) * H);
    this.outputs = new Float64Array((B + 1) * n);
    this.norms = new Float64Array(B + 1);
    this.outputGrads = new Float64Array((B + 1) * n);
    this.firstLayerRows = new Float64Array(classCount * H);
  }

  /** One batch: the first round(B·lowErrorFraction) perturbations from the low-error generator, the rest GENERATEDATA. */
  sampleBatch(batchSize = this.options.batchSize): Perturbation[] {
    const low = Math.round(batchSize * this.options.lowErrorFraction);
    const batch: Perturbation[] = [];
    for (let s = 0; s < batchSize; s++) {
      batch.push(this.sampler.sample(this.dataRandom, s < low ? { maxChanged: this.lowErrorMaxChanged } : {}));
    }
    return batch;
  }

  /** The learning-rate multiplier at `step` (0-based): linear warm-up, then cosine from 1 to the final fraction. */
  scheduleAt(step: number): number {
    const { steps, warmupSteps, finalLearningRateFraction: floor } = this.options;
    if (step < warmupSteps) return (step + 1) / (warmupSteps + 1);
    const progress = steps - warmupSteps <= 1 ? 1 : (step - warmupSteps) / (steps - warmupSteps - 1);
    return floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
  }

  /** Loss and gradient of a batch at the current parameters (does not change them). */
  batchGradient(batch: readonly Perturbation[]): DelBatchGradient {
    const { parameters: p, xt } = this;
    const { hidden: H, n, w1, w2, classCount: C } = p;
    const B = batch.length;
    if (B > this.options.batchSize) throw new RangeError(`a batch of ${B} exceeds the configured ${this.options.batchSize}`);
    const { preActivations: A, outputs: Y, norms, outputGrads: GY } = this;
    const m = xt.length;

    // x_t path in row B.
    const aT = A.subarray(B * H, (B + 1) * H);
    delPreActivation(p, xt, aT);
    const yT = Y.subarray(B * n, (B + 1) * n);
    norms[B] = delOutputLayer(p, aT, yT);
    const rT = norms[B] as number;
    scale(yT, rT > 0 ? 1 / rT : 0);

    // a_s = a_t + Σ_k (W1[k·C + x_s,k] − W1[k·C + x_t,k]), position by position: the C rows of a position stay in
    // cache while every sample that changed it reads them (sample by sample, each would stream W1 from memory).
    const index = this.positionIndex(batch);
    for (let s = 0; s < B; s++) A.set(aT, s * H);
    for (let k = 0; k < m; k++) {
      const end = index.starts[k + 1] as number;
      const begin = index.starts[k] as number;
      if (begin === end) continue;
      const sub = (k * C + (xt[k] as number)) * H;
      for (let e = begin; e < end; e++) {
        const to = (index.samples[e] as number) * H;
        const add = (k * C + (index.labels[e] as number)) * H;
        for (let j = 0; j < H; j++) A[to + j] = (A[to + j] as number) + ((w1[add + j] as number) - (w1[sub + j] as number));
      }
    }
    const distances = new Float64Array(B);
    const errors = new Float64Array(B);
    for (let s = 0; s < B; s++) {
      const a = A.subarray(s * H, (s + 1) * H);
      const y = Y.subarray(s * n, (s + 1) * n);
      norms[s] = delOutputLayer(p, a, y);
      const r = norms[s] as number;
      scale(y, r > 0 ? 1 / r : 0);
      errors[s] = batch[s]!.positions.length / m;
    }

    // Loss and ∂L/∂y for every row; the modified distance is flat (d = 1) where the cosine is negative.
    const { loss: kind, smoothL1Delta: delta } = this.options;
    GY.fill(0);
    const gyT = GY.subarray(B * n, (B + 1) * n);
    let total = 0;
    for (let s = 0; s < B; s++) {
      const y = Y.subarray(s * n, (s + 1) * n);
      let cos = 0;
      for (let o = 0; o < n; o++) cos += (y[o] as number) * (yT[o] as number);
      const usable = (norms[s] as number) > 0 && rT > 0 && cos >= 0;
      const d = usable ? Math.max(0, 1 - cos) : 1;
      distances[s] = d;
      const [l, slope] = lossAndSlope(kind, delta, d - (errors[s] as number));
      total += l;
      if (!usable) continue;
      // d = 1 − y·y_t: ∂d/∂y = −y_t, ∂d/∂y_t = −y.
      const c = slope / B;
      const gy = GY.subarray(s * n, (s + 1) * n);
      for (let o = 0; o < n; o++) {
        gy[o] = -c * (yT[o] as number);
        gyT[o] = (gyT[o] as number) - c * (y[o] as number);
      }
    }

    // Back through the normalization and the output layer, per row (samples and x_t).
    const gradW2 = new Float64Array(H * n);
    const gradB2 = new Float64Array(n);
    const gradA = new Float64Array(B * H);
    const gradAT = new Float64Array(H);
    const dz = new Float64Array(n);
    for (let s = 0; s <= B; s++) {
      const r = norms[s] as number;
      if (!(r > 0)) continue;
      const y = Y.subarray(s * n, (s + 1) * n);
      const gy = GY.subarray(s * n, (s + 1) * n);
      let yg = 0;
      for (let o = 0; o < n; o++) yg += (y[o] as number) * (gy[o] as number);
      let any = false;
      for (let o = 0; o < n; o++) {
        const v = ((gy[o] as number) - (y[o] as number) * yg) / r;
        dz[o] = v;
        if (v !== 0) any = true;
        gradB2[o] = (gradB2[o] as number) + v;
      }
      if (!any) continue;
      const a = A.subarray(s * H, (s + 1) * H);
      const ga = s < B ? gradA.subarray(s * H, (s + 1) * H) : gradAT;
      for (let j = 0; j < H; j++) {
        const h = a[j] as number;
        if (h <= 0) continue;
        const row = j * n;
        let dh = 0;
        for (let o = 0; o < n; o++) {
          const g = dz[o] as number;
          dh += (w2[row + o] as number) * g;
          gradW2[row + o] = (gradW2[row + o] as number) + h * g;
        }
        ga[j] = dh;
      }
    }
    const gradB1 = gradAT.slice();
    for (let s = 0; s < B; s++) {
      const o = s * H;
      for (let j = 0; j < H; j++) gradB1[j] = (gradB1[j] as number) + (gradA[o + j] as number);
    }
    return { loss: total / B, distances, errors, preActivationGradT: gradAT, preActivationGrad: gradA, b1: gradB1, w2: gradW2, b2: gradB2, positionIndex: index };
  }

  /**
   * ∂L/∂W1 as a dense [m·C, H] array (tests and debugging only: the update never builds it).
   */
  firstLayerGradient(gradient: DelBatchGradient): Float64Array {
    const { m, classCount: C, hidden: H } = this.parameters;
    const out = new Float64Array(m * C * H);
    for (let k = 0; k < m; k++) {
      this.firstLayerRowsAt(k, gradient);
      out.set(this.firstLayerRows, k * C * H);
    }
    return out;
  }

  /** Which samples changed each position, as CSR over positions (counting sort: O(m + Σ|K_s|)). */
  private positionIndex(batch: readonly Perturbation[]): PositionIndex {
    const m = this.xt.length;
    const starts = new Int32Array(m + 1);
    let total = 0;
    for (const { positions } of batch) {
      for (let q = 0; q < positions.length; q++) starts[(positions[q] as number) + 1]!++;
      total += positions.length;
    }
    for (let k = 0; k < m; k++) starts[k + 1] = (starts[k + 1] as number) + (starts[k] as number);
    const fill = starts.slice(0, m);
    const samples = new Int32Array(total);
    const labels = new Int32Array(total);
    batch.forEach(({ positions, labels: newLabels }, s) => {
      for (let q = 0; q < positions.length; q++) {
        const k = positions[q] as number;
        const at = fill[k]!++;
        samples[at] = s;
        labels[at] = newLabels[q] as number;
      }
    });
    return { starts, samples, labels };
  }

  /**
   * The C gradient rows of position k into {@link firstLayerRows}: row c ≠ x_t,k sums g_s over the samples that set
   * position k to c; the x_t,k row is the rest of g_t + Σ_s g_s (= ∂L/∂b1), since every sample, and x_t, holds
   * exactly one label at k. That costs C·H instead of one more H-wide subtraction per change.
   */
  private firstLayerRowsAt(k: number, gradient: DelBatchGradient): void {
    const { hidden: H, classCount: C } = this.parameters;
    const rows = this.firstLayerRows;
    rows.fill(0);
    const { starts, samples, labels } = gradient.positionIndex;
    const ga = gradient.preActivationGrad;
    const end = starts[k + 1] as number;
    for (let e = starts[k] as number; e < end; e++) {
      const from = (samples[e] as number) * H;
      const to = (labels[e] as number) * H;
      for (let j = 0; j < H; j++) rows[to + j] = (rows[to + j] as number) + (ga[from + j] as number);
    }
    const label = this.xt[k] as number;
    const base = label * H;
    rows.set(gradient.b1, base);
    for (let c = 0; c < C; c++) {
      if (c === label) continue;
      const other = c * H;
      for (let j = 0; j < H; j++) rows[base + j] = (rows[base + j] as number) - (rows[other + j] as number);
    }
  }

  /** One Adam update with `gradient` (of `batch`) at learning-rate multiplier `schedule`. */
  applyGradient(gradient: DelBatchGradient, schedule: number): void {
    const t = ++this.stepsDone;
    const { beta1, beta2, adamEpsilon: eps, learningRate, firstLayerLearningRate } = this.options;
    const bc1 = 1 - beta1 ** t;
    const sqrtBc2 = Math.sqrt(1 - beta2 ** t);
    const p = this.parameters;
    const keep1 = 1 - beta1;
    const keep2 = 1 - beta2;
    const invSqrtBc2 = 1 / sqrtBc2;
    // w −= lr·m̂/(√v̂ + ε) with m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t) (Kingma & Ba; PyTorch's placement of ε).
    const adam = (w: Float32Array, mo: Float32Array, ve: Float32Array, g: Float64Array, wOffset: number, length: number, lr: number) => {
      const step = lr / bc1;
      for (let i = 0; i < length; i++) {
        const gi = g[i] as number;
        const wi = wOffset + i;
        const mi = beta1 * (mo[wi] as number) + keep1 * gi;
        const vi = beta2 * (ve[wi] as number) + keep2 * gi * gi;
        mo[wi] = mi;
        ve[wi] = vi;
        w[wi] = (w[wi] as number) - (step * mi) / (Math.sqrt(vi) * invSqrtBc2 + eps);
      }
    };
    const lrRest = learningRate * schedule;
    adam(p.b1, this.mB1, this.vB1, gradient.b1, 0, p.hidden, lrRest);
    adam(p.w2, this.mW2, this.vW2, gradient.w2, 0, p.w2.length, lrRest);
    adam(p.b2, this.mB2, this.vB2, gradient.b2, 0, p.n, lrRest);
    const lr1 = firstLayerLearningRate * schedule;
    const { m, classCount: C, hidden: H } = p;
    const block = C * H;
    for (let k = 0; k < m; k++) {
      this.firstLayerRowsAt(k, gradient);
      adam(p.w1, this.mW1, this.vW1, this.firstLayerRows, k * block, block, lr1);
    }
  }

  /** Samples a batch, computes its gradient and applies it; returns the batch's mean loss and mean |d − e|. */
  step(): { loss: number; meanAbsError: number } {
    const batch = this.sampleBatch();
    const gradient = this.batchGradient(batch);
    this.applyGradient(gradient, this.scheduleAt(this.stepsDone));
    let mae = 0;
    for (let s = 0; s < batch.length; s++) mae += Math.abs((gradient.distances[s] as number) - (gradient.errors[s] as number));
    return { loss: gradient.loss, meanAbsError: mae / batch.length };
  }
}

function scale(v: Float64Array, factor: number): void {
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * factor;
}

const now = (): number => (typeof performance !== "undefined" ? performance.now() : Date.now());

/** Lets timers, I/O and abort events run between steps (setTimeout exists in Node, browsers and workers). */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Trains a DEL function for x_t (labels 0..C−1). Resolves with the parameters and y_t; rejects with the signal's
 * reason when aborted. Reports progress through `run.onProgress`.
 */
export async function trainDel(
  xt: ArrayLike<number>,
  classCount: number,
  options: DelTrainingOptions,
  run: DelTrainingRun = {},
): Promise<DelTrainingResult> {
  const { onProgress, signal } = run;
  const interval = run.progressIntervalMs ?? 250;
  signal?.throwIfAborted();
  const started = now();
  const trainer = new DelTrainer(xt, classCount, options);
  const { steps } = trainer.options;
  const history: { loss: number; meanAbsError: number }[] = [];
  let smoothed = NaN;
  let lastReport = now();
  for (let step = 1; step <= steps; step++) {
    const lr = trainer.options.learningRate * trainer.scheduleAt(trainer.stepsDone);
    const result = trainer.step();
    history.push(result);
    smoothed = Number.isNaN(smoothed) ? result.meanAbsError : 0.9 * smoothed + 0.1 * result.meanAbsError;
    const t = now();
    if (t - lastReport >= interval || step === steps) {
      lastReport = t;
      const elapsed = (t - started) / 1000;
      onProgress?.({
        step,
        steps,
        loss: result.loss,
        meanAbsError: smoothed,
        learningRate: lr,
        elapsedSeconds: elapsed,
        etaSeconds: (elapsed / step) * (steps - step),
      });
      if (step < steps) await yieldToEventLoop();
      signal?.throwIfAborted();
    }
  }
  const parameters = trainer.parameters;
  const aT = delPreActivation(parameters, trainer.xt);
  const yt = new Float64Array(parameters.n);
  const norm = delOutputLayer(parameters, aT, yt);
  scale(yt, norm > 0 ? 1 / norm : 0);
  return { parameters, yt, steps, seconds: (now() - started) / 1000, history, options: trainer.options };
}

/**
 * A small, dependency-free baseline trainer: one hidden ReLU layer, softmax cross-entropy, plain SGD. It exists so
 * demos, seeding and tests have models that were actually fitted to data; real submitters train elsewhere and
 * import JSON or ONNX. Deterministic for a given seed.
 */
import type { DataPoint } from "./encoding";
import type { FloatModel } from "./floatModel";

export interface BaselineTrainingOptions {
  hidden: number;
  classes: number;
  epochs: number;
  seed: number;
  /** SGD learning rate on inputs scaled to 0..1. */
  rate: number;
}

/** mulberry32: a small seeded PRNG for reproducible initialization and shuffles (not a CSPRNG). */
export function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Trains a one-hidden-layer ReLU network with softmax cross-entropy by plain SGD on inputs scaled to 0..1, then folds
 * the 1/255 input scaling into the first layer so the returned model reads raw byte features (docs/protocol.md §4.2).
 */
export function trainBaselineMlp(points: readonly DataPoint[], options: BaselineTrainingOptions): FloatModel {
  if (points.length === 0) throw new RangeError("training needs at least one point");
  const rand = seededUniform(options.seed);
  const inputs = points[0]!.features.length;
  const init = (fanIn: number) => (rand() * 2 - 1) * Math.sqrt(6 / fanIn);
  const w1 = Array.from({ length: options.hidden }, () => Array.from({ length: inputs }, () => init(inputs)));
  const b1 = new Array<number>(options.hidden).fill(0);
  const w2 = Array.from({ length: options.classes }, () => Array.from({ length: options.hidden }, () => init(options.hidden)));
  const b2 = new Array<number>(options.classes).fill(0);
  const order = points.map((_, i) => i);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const index of order) {
      const point = points[index]!;
      const x = Array.from(point.features, (v) => v / 255);
      const h = w1.map((row, j) => Math.max(0, row.reduce((s, w, i) => s + w * x[i]!, b1[j]!)));
      const z = w2.map((row, k) => row.reduce((s, w, j) => s + w * h[j]!, b2[k]!));
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const sum = e.reduce((a, b) => a + b, 0);
      const dz = e.map((v, k) => v / sum - (k === point.label ? 1 : 0));
      const dh = h.map((hj, j) => (hj > 0 ? dz.reduce((s, d, k) => s + d * w2[k]![j]!, 0) : 0));
      for (let k = 0; k < options.classes; k++) {
        for (let j = 0; j < options.hidden; j++) w2[k]![j]! -= options.rate * dz[k]! * h[j]!;
        b2[k]! -= options.rate * dz[k]!;
      }
      for (let j = 0; j < options.hidden; j++) {
        for (let i = 0; i < inputs; i++) w1[j]![i]! -= options.rate * dh[j]! * x[i]!;
        b1[j]! -= options.rate * dh[j]!;
      }
    }
  }
  return {
    layers: [
      { weights: w1.map((row) => row.map((w) => w / 255)), biases: b1 },
      { weights: w2, biases: b2 },
    ],
  };
}

/**
 * Deterministic fixtures for the lib tests: a seeded byte source (reproducible shuffles and nonces), Gaussian-blob
 * datasets, and a tiny MLP trainer so quantization is tested on a model that was actually fitted to data.
 */
import type { DataPoint } from "../../lib/danku/encoding";
import type { FloatModel } from "../../lib/danku/floatModel";

/** splitmix32: small, fast, good enough to drive tests reproducibly. Not a CSPRNG. */
export function seededRandom(seed: number): (n: number) => Uint8Array {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  return (n: number) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const word = next();
      for (let k = 0; k < 4 && i + k < n; k++) out[i + k] = (word >>> (8 * k)) & 0xff;
    }
    return out;
  };
}

/** Uniform floats in [0, 1) from a seed. */
export function seededFloats(seed: number): () => number {
  const bytes = seededRandom(seed);
  return () => {
    const b = bytes(4);
    return ((b[0]! | (b[1]! << 8) | (b[2]! << 16)) >>> 0) / 2 ** 24;
  };
}

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** `perClass` points per class around fixed random centres in byte space, clamped to 0..255. */
export function blobDataset(options: { seed: number; classes: number; features: number; perClass: number; spread: number }): DataPoint[] {
  const rand = seededFloats(options.seed);
  const centres = Array.from({ length: options.classes }, () => Array.from({ length: options.features }, () => 40 + rand() * 175));
  const points: DataPoint[] = [];
  for (let c = 0; c < options.classes; c++) {
    for (let p = 0; p < options.perClass; p++) {
      const features = Uint8Array.from(centres[c]!, (mu) => Math.min(255, Math.max(0, Math.round(mu + options.spread * gaussian(rand)))));
      points.push({ features, label: c });
    }
  }
  return points;
}

/**
 * Trains a one-hidden-layer ReLU network with softmax cross-entropy by plain SGD on inputs scaled to 0..1, then folds
 * the 1/255 input scaling into the first layer so the returned model reads raw byte features (docs/protocol.md §4.2).
 */
export function trainMlp(points: readonly DataPoint[], options: { hidden: number; classes: number; epochs: number; seed: number; rate: number }): FloatModel {
  const rand = seededFloats(options.seed);
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

/**
 * Deterministic fixtures for the lib tests: a seeded byte source (reproducible shuffles and nonces), Gaussian-blob
 * datasets, and a tiny MLP trainer so quantization is tested on a model that was actually fitted to data.
 */
import type { DataPoint } from "../../lib/danku/encoding";

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


export { trainBaselineMlp as trainMlp } from "../../lib/danku/train";

/**
 * The reference integer forward pass: bit-exact with the on-chain evaluator (docs/protocol.md §4).
 * Every intermediate stays well inside ±2^53, so plain JavaScript numbers are exact.
 */
import type { DataPoint, QuantizedModel } from "./encoding";

/** Output-layer pre-activations z_j for one input. */
export function logits(model: QuantizedModel, features: ArrayLike<number>): number[] {
  let activations: ArrayLike<number> = features;
  const depth = model.layers.length;
  let z: number[] = [];
  for (let l = 0; l < depth; l++) {
    const layer = model.layers[l]!;
    const fanIn = model.widths[l]!;
    z = layer.biases.map((bias, j) => {
      const row = layer.weights[j]!;
      let sum = bias;
      for (let i = 0; i < fanIn; i++) sum += row[i]! * activations[i]!;
      return sum;
    });
    if (l < depth - 1) {
      const divisor = 2 ** layer.shift;
      activations = z.map((value) => (value <= 0 ? 0 : Math.min(Math.floor(value / divisor), 255)));
    }
  }
  return z;
}

/** Index of the largest output; ties go to the lowest index. */
export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let j = 1; j < values.length; j++) if (values[j]! > values[best]!) best = j;
  return best;
}

export function predict(model: QuantizedModel, features: ArrayLike<number>): number {
  return argmax(logits(model, features));
}

export interface AccuracyResult {
  readonly correct: number;
  readonly total: number;
}

export function evaluateAccuracy(model: QuantizedModel, points: readonly DataPoint[]): AccuracyResult {
  let correct = 0;
  for (const point of points) if (predict(model, point.features) === point.label) correct++;
  return { correct, total: points.length };
}

/** The qualification rule of docs/protocol.md §7, in integers as the contract does it. */
export function meetsMinimumAccuracy(result: AccuracyResult, minAccuracyBps: number): boolean {
  return result.correct * 10_000 >= minAccuracyBps * result.total;
}

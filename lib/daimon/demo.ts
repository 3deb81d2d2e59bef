/**
 * A synthetic DaiMoN classification problem for the demo seeding, the CLI tests and the PoI tests: Gaussian blobs
 * around C centroids in F dimensions, and nearest-centroid classifiers whose quality is set by how far their centroids
 * are moved from the true ones. Deterministic for a seed; no training needed, so seeding stays fast.
 */
import type { FloatModel } from "../danku/floatModel";
import { DelRandom } from "./generateData";
import type { LabelledTestSet } from "./inputs";

export interface SyntheticTestSetOptions {
  /** Test points m. */
  readonly m: number;
  readonly classCount: number;
  /** Input values per point F (input shape [F]). */
  readonly features: number;
  readonly seed: number;
  /** Standard deviation of each coordinate around its class centroid (default 0.2; centroids lie in [0, 1]^F). */
  readonly spread?: number;
}

export interface SyntheticTestSet extends LabelledTestSet {
  /** The true class centroids, [C][F]. */
  readonly centroids: number[][];
}

/** m points, label i uniform in 0…C−1, input = centroid of its label + N(0, spread²) per coordinate. */
export function syntheticTestSet(options: SyntheticTestSetOptions): SyntheticTestSet {
  const { m, classCount, features, seed } = options;
  const spread = options.spread ?? 0.2;
  const random = new DelRandom(seed);
  const centroids = Array.from({ length: classCount }, () => Array.from({ length: features }, () => random.float()));
  const labels = new Int32Array(m);
  const data = new Float32Array(m * features);
  for (let i = 0; i < m; i++) {
    const label = random.below(classCount);
    labels[i] = label;
    const centre = centroids[label] as number[];
    for (let f = 0; f < features; f++) data[i * features + f] = (centre[f] as number) + spread * random.normal();
  }
  return { inputs: { shape: [m, features], data }, labels, centroids };
}

/**
 * The nearest-centroid classifier as one linear layer: argmin‖x − μ_c‖² = argmax (μ_c·x − ‖μ_c‖²/2). `jitter` moves
 * every centroid coordinate by N(0, jitter²) first: 0 gives the best classifier of isotropic blobs with equal priors,
 * larger values give worse ones.
 */
export function nearestCentroidModel(centroids: readonly (readonly number[])[], options: { jitter?: number; seed?: number } = {}): FloatModel {
  const random = new DelRandom(options.seed ?? 1);
  const jitter = options.jitter ?? 0;
  const moved = centroids.map((c) => c.map((v) => v + jitter * random.normal()));
  return {
    layers: [
      {
        weights: moved,
        biases: moved.map((c) => -0.5 * c.reduce((s, v) => s + v * v, 0)),
      },
    ],
  };
}


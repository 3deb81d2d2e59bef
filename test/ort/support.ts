/**
 * Shared by the ORT tests: onnxruntime-web (Node build, WASM provider, one thread), random quantized networks that
 * cover the whole fixed-point range, and random datasets.
 */
import fc from "fast-check";
import type { DataPoint, QuantizedLayer, QuantizedModel } from "../../lib/danku/encoding";
import { MAX_BIAS_MAGNITUDE } from "../../lib/danku/constants";
import { FLOAT32_EXACT_INTEGER_LIMIT } from "../../lib/danku/onnxExport";
import * as onnxruntime from "onnxruntime-web";
import type { OrtModule } from "../../lib/ort";

// In Node this resolves to onnxruntime-web's Node build (WASM provider only).
export const ort: OrtModule = onnxruntime;
// Two shared cores: one WASM thread, and no worker threads left behind after the tests.
ort.env.wasm.numThreads = 1;
ort.env.logLevel = "error";

export const SEED = Number(process.env.ORT_PROPERTY_SEED ?? 20250611);

export function runOptions(numRuns: number) {
  return { seed: SEED, numRuns, endOnFailure: true } as const;
}

export async function assertProperty(property: fc.IAsyncProperty<unknown>, numRuns: number): Promise<void> {
  const details = await fc.check(property, runOptions(numRuns));
  if (details.failed) {
    throw new Error(
      `property failed with seed ${SEED} (ORT_PROPERTY_SEED=${SEED}, path ${details.counterexamplePath}):\n` +
        fc.defaultReportMessage(details).slice(0, 6000),
    );
  }
}

const biasArb = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: -4000, max: 4000 }) },
  { weight: 2, arbitrary: fc.integer({ min: -MAX_BIAS_MAGNITUDE, max: MAX_BIAS_MAGNITUDE }) },
  // Around the float32 limit: the float-exact graph is exact right up to it.
  { weight: 1, arbitrary: fc.integer({ min: -FLOAT32_EXACT_INTEGER_LIMIT, max: FLOAT32_EXACT_INTEGER_LIMIT }) },
  { weight: 1, arbitrary: fc.constantFrom(-MAX_BIAS_MAGNITUDE, MAX_BIAS_MAGNITUDE, 0) },
);
/** Biases that keep every float-exact bound below 2^24 for F ≤ 64 and widths ≤ 32 (Σ|W|·255 ≤ 128·255·64 < 2^21.1). */
export const floatFriendlyBiasArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -4000, max: 4000 }) },
  { weight: 2, arbitrary: fc.integer({ min: -(2 ** 23), max: 2 ** 23 }) },
  { weight: 1, arbitrary: fc.constantFrom(-(2 ** 23), 2 ** 23, 0) },
);
const weightArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -128, max: 127 }) },
  { weight: 1, arbitrary: fc.constantFrom(-128, 127, 0) },
);
const shiftArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 4, max: 14 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 31 }) },
);

function matrixArb(fanIn: number, fanOut: number): fc.Arbitrary<number[][]> {
  const random = fc.array(fc.array(weightArb, { minLength: fanIn, maxLength: fanIn }), { minLength: fanOut, maxLength: fanOut });
  // Extremes: every weight −128 or 127 (largest |Σ W·a|, and the int16 pair sums that saturate some u8×s8 kernels).
  const constant = fc.constantFrom(-128, 127).map((w) => Array.from({ length: fanOut }, () => new Array<number>(fanIn).fill(w)));
  const alternating = fc.constant(
    Array.from({ length: fanOut }, (_, j) => Array.from({ length: fanIn }, (_, i) => ((i + j) % 2 === 0 ? 127 : -128))),
  );
  return fc.oneof({ weight: 8, arbitrary: random }, { weight: 1, arbitrary: constant }, { weight: 1, arbitrary: alternating });
}

function layerArb(fanIn: number, fanOut: number, isOutput: boolean, biasArb: fc.Arbitrary<number>): fc.Arbitrary<QuantizedLayer> {
  const plain = fc.record({
    shift: isOutput ? fc.constant(0) : shiftArb,
    biases: fc.array(biasArb, { minLength: fanOut, maxLength: fanOut }),
    weights: matrixArb(fanIn, fanOut),
  });
  if (isOutput) {
    // Ties: copy neurons over others, so argmax must pick the lowest index among equal outputs.
    const tied = fc
      .tuple(plain, fc.array(fc.tuple(fc.nat(fanOut - 1), fc.nat(fanOut - 1)), { minLength: 1, maxLength: 4 }))
      .map(([layer, copies]) => {
        const biases = [...layer.biases];
        const weights = layer.weights.map((row) => [...row]);
        for (const [from, to] of copies) {
          biases[to] = biases[from] as number;
          weights[to] = [...(weights[from] as number[])];
        }
        return { shift: 0, biases, weights };
      });
    // All outputs equal: prediction 0 for every point.
    const allTied = fc.tuple(biasArb, fc.array(weightArb, { minLength: fanIn, maxLength: fanIn })).map(([bias, row]) => ({
      shift: 0,
      biases: new Array<number>(fanOut).fill(bias),
      weights: Array.from({ length: fanOut }, () => [...row]),
    }));
    return fc.oneof({ weight: 4, arbitrary: plain }, { weight: 2, arbitrary: tied }, { weight: 1, arbitrary: allTied });
  }
  // Saturation at 255 near the largest shifts: big positive biases with shifts 15–24 (255·2^shift ≈ z).
  const saturating = fc.integer({ min: 15, max: 24 }).chain((shift) =>
    fc.record({
      shift: fc.constant(shift),
      biases: fc.array(biasArb.map((b) => Math.abs(b) + 255 * 2 ** shift > MAX_BIAS_MAGNITUDE ? MAX_BIAS_MAGNITUDE : Math.abs(b) + 255 * 2 ** shift), { minLength: fanOut, maxLength: fanOut }),
      weights: matrixArb(fanIn, fanOut),
    }),
  );
  return fc.oneof({ weight: 4, arbitrary: plain }, { weight: 1, arbitrary: saturating });
}

/**
 * Depth 1–3, hidden widths 1–32, the given input and output widths. `floatFriendly` draws biases that keep the model
 * float-exact (for F ≤ 64), so the float-exact graph gets tested as often as the integer one.
 */
export function modelArb(featureCount: number, classCount: number, floatFriendly = false, maxHidden = 32): fc.Arbitrary<QuantizedModel> {
  const biases = floatFriendly ? floatFriendlyBiasArb : biasArb;
  return fc
    .array(fc.integer({ min: 1, max: maxHidden }), { minLength: 0, maxLength: 2 })
    .chain((hidden) => {
      const widths = [featureCount, ...hidden, classCount];
      return fc
        .tuple(...widths.slice(1).map((fanOut, l) => layerArb(widths[l] as number, fanOut, l === widths.length - 2, biases)))
        .map((layers) => ({ widths, layers }));
    });
}

/** Random feature rows with some all-0 and all-255 rows; labels any class. */
export function pointsArb(featureCount: number, classCount: number, min: number, max: number): fc.Arbitrary<DataPoint[]> {
  const row = fc.oneof(
    { weight: 8, arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: featureCount, maxLength: featureCount }) },
    { weight: 1, arbitrary: fc.constantFrom(0, 255).map((v) => new Array<number>(featureCount).fill(v)) },
  );
  return fc.array(fc.record({ features: row, label: fc.nat(classCount - 1) }), { minLength: min, maxLength: max });
}

/** Deterministic pseudo-random integers (for large fixed fixtures where fast-check would be slow to shrink). */
export function seededInts(seed: number): (min: number, max: number) => number {
  let state = seed >>> 0;
  return (min, max) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return min + Math.floor((state / 2 ** 32) * (max - min + 1));
  };
}

export function randomModel(widths: readonly number[], seed: number, shift = 10, biasRange = 4000): QuantizedModel {
  const int = seededInts(seed);
  return {
    widths,
    layers: widths.slice(1).map((fanOut, l) => ({
      shift: l === widths.length - 2 ? 0 : shift,
      biases: Array.from({ length: fanOut }, () => int(-biasRange, biasRange)),
      weights: Array.from({ length: fanOut }, () => Array.from({ length: widths[l] as number }, () => int(-128, 127))),
    })),
  };
}

export function randomRows(count: number, featureCount: number, seed: number): Uint8Array {
  const int = seededInts(seed);
  const bytes = new Uint8Array(count * featureCount);
  for (let i = 0; i < bytes.length; i++) bytes[i] = int(0, 255);
  return bytes;
}

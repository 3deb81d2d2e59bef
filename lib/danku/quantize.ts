/**
 * Float model → fixed-point model (docs/protocol.md §4.3). Only power-of-two scales are used, so every rescale the
 * on-chain evaluator does is an exact right shift and the quantized network is a plain integer program:
 *
 *   weights   Wq = round(W · 2^e_l)                 (e_l: the largest exponent keeping |Wq| ≤ 127)
 *   inputs    a_0 exact (c_0 = 0)
 *   layer l   z_q ≈ z · 2^(e_l + c_{l−1}),  Bq = clamp(round(b · 2^(e_l + c_{l−1})), ±2^30)
 *   hidden    a_l = min(floor(relu(z_q) / 2^s_l), 255) ≈ relu(z) · 2^c_l,  s_l = e_l + c_{l−1} − c_l ∈ 0..31
 *
 * `c_l` is the largest exponent with `max_h · 2^c_l ≤ 255` over the calibration data (float activations), moved into
 * the range allowed by 0 ≤ s_l ≤ 31 when necessary. Rounding is half away from zero, so positive and negative weights
 * are treated symmetrically and −128 is never produced.
 */
import { MAX_BIAS_MAGNITUDE, MAX_SHIFT } from "./constants";
import { validateModel, type DataPoint, type QuantizedLayer, type QuantizedModel } from "./encoding";
import { floatActivations, floatAccuracy, floatModelWidths, floatPredict, type FloatModel } from "./floatModel";
import { evaluateAccuracy, predict, type AccuracyResult } from "./forward";

const MAX_WEIGHT = 127;
const MAX_ACTIVATION = 255;

/** Rounds half away from zero and never returns −0 (so equal models compare equal). */
export function roundHalfAwayFromZero(x: number): number {
  return (x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5)) + 0;
}

/** x · 2^e without overflowing the intermediate power (|e| may exceed 1023 for extreme weights). */
export function scaleByPowerOfTwo(x: number, e: number): number {
  if (!Number.isInteger(e)) throw new RangeError(`the exponent must be an integer, got ${e}`);
  let value = x;
  let rest = e;
  while (rest > 1000) {
    value *= 2 ** 1000;
    rest -= 1000;
  }
  while (rest < -1000) {
    value *= 2 ** -1000;
    rest += 1000;
  }
  return value * 2 ** rest;
}

/** The largest e with `round(m · 2^e) ≤ limit` for m > 0 (a 127.5 after scaling would round to 128, so it is excluded). */
export function largestExponent(m: number, limit: number): number {
  if (!(m > 0) || !Number.isFinite(m)) throw new RangeError(`largestExponent needs a positive finite magnitude, got ${m}`);
  // log2(limit) − log2(m) rather than log2(limit / m): the quotient overflows for subnormal m.
  let e = Math.floor(Math.log2(limit) - Math.log2(m));
  while (roundHalfAwayFromZero(scaleByPowerOfTwo(m, e)) > limit) e--;
  while (roundHalfAwayFromZero(scaleByPowerOfTwo(m, e + 1)) <= limit) e++;
  return e;
}

/** The largest c with `m · 2^c ≤ limit` (no rounding: activations are floored, so any value ≤ 255 fits). */
export function largestActivationExponent(m: number): number {
  if (!Number.isFinite(m)) throw new RangeError("the float model's activations overflow on the calibration data");
  let c = Math.floor(Math.log2(MAX_ACTIVATION) - Math.log2(m));
  while (scaleByPowerOfTwo(m, c) > MAX_ACTIVATION) c--;
  while (scaleByPowerOfTwo(m, c + 1) <= MAX_ACTIVATION) c++;
  return c;
}

/**
 * e_l of a layer (§4.3): the largest exponent keeping |Wq| ≤ 127, or, when every weight is zero, the one that gives the
 * biases the most precision (largest |Bq| ≤ 2^30), or 0 when the biases are zero too. Shared with the CNN quantizer.
 */
export function layerWeightExponent(maxAbsWeight: number, biases: readonly number[], inputExponent: number): number {
  if (maxAbsWeight > 0) return largestExponent(maxAbsWeight, MAX_WEIGHT);
  const maxAbsBias = biases.reduce((m, b) => Math.max(m, Math.abs(b)), 0);
  return maxAbsBias > 0 ? largestExponent(maxAbsBias, MAX_BIAS_MAGNITUDE) - inputExponent : 0;
}

/**
 * c_l of a hidden layer (§4.3): the largest exponent with max_h · 2^c ≤ 255, moved into the range 0 ≤ s_l ≤ 31 of
 * s_l = preActivationExponent − c_l. Shared with the CNN quantizer.
 */
export function hiddenOutputExponent(preActivationExponent: number, maxActivation: number): number {
  // A layer that is never active on the calibration data can take any scale; shift 0 is the natural choice.
  const wanted = maxActivation > 0 ? largestActivationExponent(maxActivation) : preActivationExponent;
  return Math.min(preActivationExponent, Math.max(preActivationExponent - MAX_SHIFT, wanted));
}

export interface QuantizedLayerReport {
  /** max |W| of the float layer. */
  readonly maxAbsWeight: number;
  /** e_l: Wq = round(W · 2^e_l). */
  readonly weightExponent: number;
  /** c_{l−1}: the scale of this layer's inputs. */
  readonly inputExponent: number;
  /** e_l + c_{l−1}: the scale of the integer pre-activations and biases. */
  readonly preActivationExponent: number;
  /** c_l for hidden layers; undefined for the output layer (its logits stay at the pre-activation scale). */
  readonly outputExponent: number | undefined;
  /** Largest float activation on the calibration data (hidden layers only). */
  readonly maxActivation: number | undefined;
  readonly shift: number;
  /** Biases that hit ±2^30 (the float bias is too large for this layer's scale). */
  readonly clampedBiases: number;
  /** Non-zero float weights that rounded to 0. */
  readonly zeroedWeights: number;
}

export interface QuantizationReport {
  readonly float: AccuracyResult;
  readonly quantized: AccuracyResult;
  /** Fractions 0..1 on the calibration data. */
  readonly floatAccuracy: number;
  readonly quantizedAccuracy: number;
  /** floatAccuracy − quantizedAccuracy (positive = quantization lost accuracy). */
  readonly accuracyLoss: number;
  /** Fraction of calibration points where float and quantized predictions agree. */
  readonly agreement: number;
  readonly weightExponents: number[];
  /** c_0 … c_{L−1}: the exponents of every layer's input activations. */
  readonly activationExponents: number[];
  readonly shifts: number[];
  readonly layers: QuantizedLayerReport[];
}

export interface QuantizationResult {
  readonly model: QuantizedModel;
  readonly report: QuantizationReport;
}

/**
 * Quantizes `floatModel` using `calibration` (normally the revealed training data) to pick activation scales, then
 * measures float and quantized accuracy on the same points. The result passes `validateModel` (checked here; a model
 * over the evaluator's size limit throws ModelFormatError). `competition` additionally pins inputs/outputs.
 *
 * A layer whose weights are all zero has no largest weight exponent; its exponent is chosen to give its biases the
 * most precision (largest |Bq| ≤ 2^30), or 0 when its biases are zero too.
 */
export function quantizeModel(
  floatModel: FloatModel,
  calibration: readonly DataPoint[],
  options: { competition?: { featureCount: number; classCount: number } } = {},
): QuantizationResult {
  if (calibration.length === 0) throw new RangeError("quantization needs at least one calibration point to choose activation scales");
  const widths = floatModelWidths(floatModel);
  const depth = floatModel.layers.length;

  const maxActivations = new Array<number>(depth - 1).fill(0);
  for (const point of calibration) {
    const outputs = floatActivations(floatModel, point.features);
    for (let l = 0; l < depth - 1; l++) {
      for (const v of outputs[l] as number[]) if (v > (maxActivations[l] as number)) maxActivations[l] = v;
    }
  }

  const layers: QuantizedLayer[] = [];
  const reports: QuantizedLayerReport[] = [];
  let inputExponent = 0;
  floatModel.layers.forEach((layer, l) => {
    const isOutput = l === depth - 1;
    let maxAbsWeight = 0;
    for (const row of layer.weights) for (const w of row) maxAbsWeight = Math.max(maxAbsWeight, Math.abs(w));
    const weightExponent = layerWeightExponent(maxAbsWeight, layer.biases, inputExponent);
    const preActivationExponent = weightExponent + inputExponent;

    let zeroedWeights = 0;
    const weights = layer.weights.map((row) =>
      row.map((w) => {
        const q = roundHalfAwayFromZero(scaleByPowerOfTwo(w, weightExponent));
        if (q === 0 && w !== 0) zeroedWeights++;
        return q;
      }),
    );
    let clampedBiases = 0;
    const biases = layer.biases.map((b) => {
      const q = roundHalfAwayFromZero(scaleByPowerOfTwo(b, preActivationExponent));
      if (Math.abs(q) <= MAX_BIAS_MAGNITUDE) return q;
      clampedBiases++;
      return q < 0 ? -MAX_BIAS_MAGNITUDE : MAX_BIAS_MAGNITUDE;
    });

    let shift = 0;
    let outputExponent: number | undefined;
    let maxActivation: number | undefined;
    if (!isOutput) {
      maxActivation = maxActivations[l] as number;
      outputExponent = hiddenOutputExponent(preActivationExponent, maxActivation);
      shift = preActivationExponent - outputExponent;
    }
    layers.push({ shift, biases, weights });
    reports.push({
      maxAbsWeight,
      weightExponent,
      inputExponent,
      preActivationExponent,
      outputExponent,
      maxActivation,
      shift,
      clampedBiases,
      zeroedWeights,
    });
    if (outputExponent !== undefined) inputExponent = outputExponent;
  });

  const model: QuantizedModel = { widths, layers };
  validateModel(model, options.competition);

  const float = floatAccuracy(floatModel, calibration);
  const quantized = evaluateAccuracy(model, calibration);
  let agree = 0;
  for (const point of calibration) if (predict(model, point.features) === floatPredict(floatModel, point.features)) agree++;
  const total = calibration.length;
  return {
    model,
    report: {
      float,
      quantized,
      floatAccuracy: float.correct / total,
      quantizedAccuracy: quantized.correct / total,
      accuracyLoss: (float.correct - quantized.correct) / total,
      agreement: agree / total,
      weightExponents: reports.map((r) => r.weightExponent),
      activationExponents: reports.map((r) => r.inputExponent),
      shifts: reports.map((r) => r.shift),
      layers: reports,
    },
  };
}

/**
 * Float CNN → fixed-point CNN (docs/cnn.md §4), with the dense quantizer's rules (docs/protocol.md §4.3) and its
 * helpers: per-layer power-of-two weight exponents, activation exponents from the calibration data, shifts 0..31.
 * Pools and flatten keep the scale of their input: max and floor(sum / count) of values at scale 2^c are again at
 * scale 2^c, so only convolutions and dense layers have exponents and shifts.
 */
import { MAX_BIAS_MAGNITUDE } from "../constants";
import type { DataPoint } from "../encoding";
import type { AccuracyResult } from "../forward";
import { hiddenOutputExponent, layerWeightExponent, roundHalfAwayFromZero, scaleByPowerOfTwo } from "../quantize";
import { validateCnnModel } from "./encoding";
import { cnnPredict, evaluateCnnAccuracy, floatCnnActivations, floatCnnPredict } from "./forward";
import type { CnnLayer, CnnModel, FloatCnnModel } from "./model";

export interface CnnLayerQuantization {
  readonly kind: CnnLayer["kind"];
  /** e_l (conv2d and dense only). */
  readonly weightExponent: number | undefined;
  /** The scale exponent of this layer's input activations. */
  readonly inputExponent: number;
  /** The scale exponent of its output (undefined for the output layer, whose logits stay at e_l + c_{l−1}). */
  readonly outputExponent: number | undefined;
  readonly shift: number;
  readonly clampedBiases: number;
  readonly zeroedWeights: number;
}

export interface CnnQuantizationResult {
  readonly model: CnnModel;
  readonly report: {
    readonly float: AccuracyResult;
    readonly quantized: AccuracyResult;
    /** Fraction of calibration points where the float and quantized predictions agree. */
    readonly agreement: number;
    readonly layers: CnnLayerQuantization[];
  };
}

/** Deep map over the nested weight arrays of a layer. */
function mapWeights<T extends readonly unknown[]>(weights: T, f: (w: number) => number): T {
  return weights.map((v) => (Array.isArray(v) ? mapWeights(v, f) : f(v as number))) as unknown as T;
}

function maxAbs(weights: readonly unknown[]): number {
  let m = 0;
  mapWeights(weights, (w) => {
    m = Math.max(m, Math.abs(w));
    return w;
  });
  return m;
}

/**
 * Quantizes `floatModel` with `calibration` (normally the training data) choosing the activation scales, then
 * measures float and quantized accuracy on the same points. The result passes {@link validateCnnModel} (checked here,
 * with `competition` pinning the input size and classes when given).
 */
export function quantizeCnnModel(
  floatModel: FloatCnnModel,
  calibration: readonly DataPoint[],
  options: { competition?: { featureCount: number; classCount: number } } = {},
): CnnQuantizationResult {
  if (calibration.length === 0) throw new RangeError("quantization needs at least one calibration point to choose activation scales");
  const depth = floatModel.layers.length;
  const maxActivations = new Array<number>(depth).fill(0);
  for (const point of calibration) {
    floatCnnActivations(floatModel, point.features).forEach((values, l) => {
      for (const v of values) if (v > (maxActivations[l] as number)) maxActivations[l] = v;
    });
  }
  let inputExponent = 0;
  const reports: CnnLayerQuantization[] = [];
  const layers: CnnLayer[] = floatModel.layers.map((layer, l) => {
    if (layer.kind !== "conv2d" && layer.kind !== "dense") {
      reports.push({ kind: layer.kind, weightExponent: undefined, inputExponent, outputExponent: inputExponent, shift: 0, clampedBiases: 0, zeroedWeights: 0 });
      return layer;
    }
    const isOutput = l === depth - 1;
    const weightExponent = layerWeightExponent(maxAbs(layer.weights), layer.biases, inputExponent);
    const preActivationExponent = weightExponent + inputExponent;
    let zeroedWeights = 0;
    let clampedBiases = 0;
    const quantizeWeight = (w: number) => {
      const q = roundHalfAwayFromZero(scaleByPowerOfTwo(w, weightExponent));
      if (q === 0 && w !== 0) zeroedWeights++;
      return q;
    };
    const biases = layer.biases.map((b) => {
      const q = roundHalfAwayFromZero(scaleByPowerOfTwo(b, preActivationExponent));
      if (Math.abs(q) <= MAX_BIAS_MAGNITUDE) return q;
      clampedBiases++;
      return q < 0 ? -MAX_BIAS_MAGNITUDE : MAX_BIAS_MAGNITUDE;
    });
    const outputExponent = isOutput ? undefined : hiddenOutputExponent(preActivationExponent, maxActivations[l] as number);
    const shift = outputExponent === undefined ? 0 : preActivationExponent - outputExponent;
    const weights = mapWeights(layer.weights, quantizeWeight);
    reports.push({ kind: layer.kind, weightExponent, inputExponent, outputExponent, shift, clampedBiases, zeroedWeights });
    if (outputExponent !== undefined) inputExponent = outputExponent;
    return layer.kind === "conv2d"
      ? { ...layer, shift, biases, weights: weights as typeof layer.weights }
      : { ...layer, shift, biases, weights: weights as typeof layer.weights };
  });
  const model: CnnModel = { input: floatModel.input, layers };
  validateCnnModel(model, options.competition);
  let floatCorrect = 0;
  let agree = 0;
  for (const point of calibration) {
    const floatPrediction = floatCnnPredict(floatModel, point.features);
    if (floatPrediction === point.label) floatCorrect++;
    if (floatPrediction === cnnPredict(model, point.features)) agree++;
  }
  return {
    model,
    report: {
      float: { correct: floatCorrect, total: calibration.length },
      quantized: evaluateCnnAccuracy(model, calibration),
      agreement: agree / calibration.length,
      layers: reports,
    },
  };
}

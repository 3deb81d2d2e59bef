/**
 * The two model kinds in one place: dense networks (format version 1, docs/protocol.md §4.1) and convolutional ones
 * (version 2, docs/cnn.md). Every caller that handles "a model" (import, quantization, commitment, scoring, claims,
 * the ORT preview) dispatches here, never on its own: a float model's kind is its shape (a float CNN has an `input`
 * image shape, a float dense model only layers), a quantized model's likewise, and bytes carry it in their version
 * byte.
 */
import { decodeModel, encodeModel, macsPerPoint, ModelFormatError, validateModel, type DataPoint, type ModelSizeLimit, type QuantizedModel } from "./encoding";
import { evaluateAccuracy, predict, type AccuracyResult } from "./forward";
import { floatAccuracy, floatModelWidths, checkModelAgainstCompetition, FloatModelError, type FloatModel } from "./floatModel";
import { quantizeModel, type QuantizationReport } from "./quantize";
import { buildExactOnnxGraph, EXACT_GRAPH_OPS, isFloatExact, validateModelArithmetic, type ExactGraphVariant } from "./onnxExport";
import { decodeCnnModel, encodeCnnModel, validateCnnModel } from "./cnn/encoding";
import { cnnPredict, evaluateCnnAccuracy, floatCnnPredict } from "./cnn/forward";
import { CNN_MODEL_FORMAT_VERSION, cnnMacs, cnnWork, layerShapes, shapeSize, type CnnModel, type FloatCnnModel, type ImageShape } from "./cnn/model";
import { quantizeCnnModel, type CnnQuantizationResult } from "./cnn/quantize";
import { buildCnnExactOnnxGraph, CNN_EXACT_GRAPH_OPS, CNN_FLOAT_EXACT_GRAPH_OPS, isCnnFloatExact } from "./cnn/onnxExport";

/** Model format version of dense networks (the first byte of their encoding). */
export const DENSE_MODEL_FORMAT_VERSION = 1;

export type ModelKind = "dense" | "cnn";
/** A float model as a data scientist hands it in: the importer's output, the quantizer's input. */
export type AnyFloatModel = FloatModel | FloatCnnModel;
/** A quantized model of either kind: what the bytes decode to and the chain evaluates. */
export type AnyModel = QuantizedModel | CnnModel;

/** A competition's shape as a model sees it; `imageShape` (metadata.dataset.imageShape) only for image datasets. */
export interface ModelCompetition {
  readonly featureCount: number;
  readonly classCount: number;
  readonly imageShape?: ImageShape | undefined;
  /**
   * How it scores submissions, when known: CNNs are scored by claims and disputes only (docs/cnn.md), so an
   * "onchain" competition refuses them.
   */
  readonly evaluationMode?: "onchain" | "claim" | undefined;
}

export function isFloatCnnModel(model: AnyFloatModel): model is FloatCnnModel {
  return "input" in model;
}

export function isCnnModel(model: AnyModel): model is CnnModel {
  return "input" in model;
}

export function floatModelKind(model: AnyFloatModel): ModelKind {
  return isFloatCnnModel(model) ? "cnn" : "dense";
}

export function modelKind(model: AnyModel): ModelKind {
  return isCnnModel(model) ? "cnn" : "dense";
}

export function formatImageShape(shape: ImageShape): string {
  return `${shape.height} × ${shape.width} × ${shape.channels}`;
}

/**
 * Throws unless a float CNN fits the competition: the competition must be an image competition (an image shape in
 * its metadata) of exactly the CNN's input shape. The sentences say what is wrong and what to do.
 */
export function checkCnnAgainstCompetition(model: FloatCnnModel, competition: ModelCompetition): void {
  const shape = competition.imageShape;
  const ours = formatImageShape(model.input);
  if (!shape) {
    throw new FloatModelError(
      `this is a convolutional network over ${ours} images, but the competition has no image shape (its data is not an image dataset), so a ` +
        `convolution has no rows and columns to slide over; submit a dense network over its ${competition.featureCount} features instead`,
    );
  }
  if (shape.height !== model.input.height || shape.width !== model.input.width || shape.channels !== model.input.channels) {
    throw new FloatModelError(
      `the network reads ${ours} images (height × width × channels, from its ONNX input [N, C, H, W]) but the competition's images are ` +
        `${formatImageShape(shape)}; export it with a dummy input of shape [1, ${shape.channels}, ${shape.height}, ${shape.width}]`,
    );
  }
  if (competition.evaluationMode === "onchain") {
    throw new FloatModelError(
      "this competition evaluates every model on chain, which only dense networks can be (a convolutional network is scored by claims and " +
        "disputes: docs/cnn.md); submit a dense network, or a CNN to a claim-mode competition",
    );
  }
  if (shapeSize(model.input) !== competition.featureCount) {
    throw new FloatModelError(`the network reads ${shapeSize(model.input)} bytes but the competition's points have ${competition.featureCount} features`);
  }
  const shapes = layerShapes(model.input, model.layers);
  const outputs = (shapes[shapes.length - 1] as ImageShape | undefined)?.channels ?? 0;
  if (outputs !== competition.classCount) {
    throw new FloatModelError(`the network has ${outputs} outputs but the competition has ${competition.classCount} classes`);
  }
}

/** Checks a float model of either kind against the competition (dense: lib/danku/floatModel.ts's rules). */
export function checkAnyModelAgainstCompetition(model: AnyFloatModel, competition: ModelCompetition): void {
  if (isFloatCnnModel(model)) checkCnnAgainstCompetition(model, competition);
  else checkModelAgainstCompetition(model, competition);
}

/** The CNN quantizer's report with the dense report's headline fractions, so both kinds read the same. */
type CnnQuantizerReport = CnnQuantizationResult["report"];
export interface CnnQuantizationReport extends CnnQuantizerReport {
  readonly floatAccuracy: number;
  readonly quantizedAccuracy: number;
  readonly accuracyLoss: number;
}

export type AnyQuantizationReport = QuantizationReport | CnnQuantizationReport;

export type QuantizedAny<M extends AnyFloatModel> = M extends FloatCnnModel
  ? { model: CnnModel; report: CnnQuantizationReport }
  : { model: QuantizedModel; report: QuantizationReport };

function fraction(result: AccuracyResult): number {
  return result.total === 0 ? 0 : result.correct / result.total;
}

/** Quantizes a float model of either kind on `calibration` (docs/protocol.md §4.3, docs/cnn.md §4). */
export function quantizeAnyModel<M extends AnyFloatModel>(
  floatModel: M,
  calibration: readonly DataPoint[],
  competition: { featureCount: number; classCount: number },
): QuantizedAny<M>;
export function quantizeAnyModel(
  floatModel: AnyFloatModel,
  calibration: readonly DataPoint[],
  competition: { featureCount: number; classCount: number },
): { model: AnyModel; report: AnyQuantizationReport } {
  if (!isFloatCnnModel(floatModel)) return quantizeModel(floatModel, calibration, { competition });
  const { model, report } = quantizeCnnModel(floatModel, calibration, { competition });
  const floatAccuracy = fraction(report.float);
  const quantizedAccuracy = fraction(report.quantized);
  return { model, report: { ...report, floatAccuracy, quantizedAccuracy, accuracyLoss: floatAccuracy - quantizedAccuracy } };
}

/** The float model's own accuracy (argmax, ties to the lowest index), either kind. */
export function floatAnyAccuracy(model: AnyFloatModel, points: readonly DataPoint[]): AccuracyResult {
  if (!isFloatCnnModel(model)) return floatAccuracy(model, points);
  let correct = 0;
  for (const point of points) if (floatCnnPredict(model, point.features) === point.label) correct++;
  return { correct, total: points.length };
}

/** The bytes a model is committed, revealed and evaluated as (version 1 or 2). Validates first. */
/**
 * `limit` bounds dense model bytes: MAX_MODEL_BYTES by default, MAX_CLAIM_MODE_MODEL_BYTES for a claim-mode competition,
 * whose reveal keeps only the hash (docs/protocol.md §11.8); convolutional models keep MAX_MODEL_BYTES.
 */
export function encodeAnyModel(model: AnyModel, limit: ModelSizeLimit = {}): Uint8Array {
  return isCnnModel(model) ? encodeCnnModel(model) : encodeModel(model, limit);
}

/** The format version of encoded model bytes: their first byte. */
export function modelBytesVersion(bytes: Uint8Array): number {
  if (bytes.length === 0) throw new ModelFormatError("the model bytes are empty");
  return bytes[0] as number;
}

/**
 * Bytes → model, dispatching on the version byte (1 dense, 2 convolutional), rejecting what the contract rejects.
 * `expected` pins the input size and class count to the competition's.
 */
export function decodeAnyModel(bytes: Uint8Array, expected?: { featureCount: number; classCount: number }, limit: ModelSizeLimit = {}): AnyModel {
  const version = modelBytesVersion(bytes);
  if (version === CNN_MODEL_FORMAT_VERSION) return decodeCnnModel(bytes, expected);
  if (version !== DENSE_MODEL_FORMAT_VERSION) {
    throw new ModelFormatError(`model format version ${version} is unknown; dense models are version ${DENSE_MODEL_FORMAT_VERSION}, convolutional ones ${CNN_MODEL_FORMAT_VERSION}`);
  }
  const model = decodeModel(bytes, limit);
  if (expected) validateModel(model, expected, limit);
  return model;
}

/** Validates a model as its reveal would (`expected`: the competition's feature and class counts). */
export function validateAnyModel(model: AnyModel, expected?: { featureCount: number; classCount: number }): void {
  if (isCnnModel(model)) validateCnnModel(model, expected);
  else validateModel(model, expected);
}

/** The predicted class of one point (the reference forward pass, bit-exact with the chain), either kind. */
export function predictAny(model: AnyModel, features: ArrayLike<number>): number {
  return isCnnModel(model) ? cnnPredict(model, features) : predict(model, features);
}

export function evaluateAnyAccuracy(model: AnyModel, points: readonly DataPoint[]): AccuracyResult {
  return isCnnModel(model) ? evaluateCnnAccuracy(model, points) : evaluateAccuracy(model, points);
}

/** Multiply-accumulates per point (dense: Σ n_{l−1}·n_l; CNN: convolutions and dense layers, docs/cnn.md §3). */
export function anyModelMacs(model: AnyModel): number {
  return isCnnModel(model) ? cnnMacs(model.input, model.layers) : macsPerPoint(model.widths);
}

/** Input bytes per point and output classes. */
export function anyModelShape(model: AnyModel): { featureCount: number; classCount: number } {
  if (!isCnnModel(model)) return { featureCount: model.widths[0] as number, classCount: model.widths[model.widths.length - 1] as number };
  const shapes = layerShapes(model.input, model.layers);
  return { featureCount: shapeSize(model.input), classCount: (shapes[shapes.length - 1] as ImageShape).channels };
}

function describeLayers(input: ImageShape, layers: FloatCnnModel["layers"]): string {
  const parts = layers.map((layer) => {
    switch (layer.kind) {
      case "conv2d":
        return `conv${layer.kernelH}×${layer.kernelW}/${layer.strideH}→${layer.biases.length}`;
      case "maxpool":
      case "avgpool":
        return `${layer.kind === "maxpool" ? "max" : "avg"}pool${layer.kernelH}×${layer.kernelW}/${layer.strideH}`;
      case "flatten":
        return "flatten";
      case "dense":
        return `dense→${layer.biases.length}`;
    }
  });
  return [`${input.height}×${input.width}×${input.channels}`, ...parts].join(" · ");
}

/** A one-line architecture for people: "784-128-10" (dense), "28×28×1 · conv5×5/1→6 · maxpool2×2/2 · … " (CNN). */
export function describeAnyModel(model: AnyModel | AnyFloatModel): string {
  if ("input" in model) return describeLayers(model.input, model.layers);
  return "widths" in model ? model.widths.join("-") : floatModelWidths(model).join("-");
}

/** The dense widths n0…nL of a dense model (what the on-chain evaluation's gas model takes); undefined for CNNs. */
export function denseWidths(model: AnyModel | AnyFloatModel): number[] | undefined {
  if ("input" in model) return undefined;
  return "widths" in model ? [...model.widths] : floatModelWidths(model);
}

/** The CNN's work units per point (docs/cnn.md §3), undefined for dense models. */
export function anyModelWork(model: AnyModel): number | undefined {
  return isCnnModel(model) ? cnnWork(model.input, model.layers) : undefined;
}

// ------------------------------------------------------------------ exact ONNX graphs (the ORT preview)

/** Whether the float-exact graph is provably exact, with the worst bound and where it occurs (0-based layer). */
export interface AnyFloatExactness {
  readonly exact: boolean;
  readonly worstMagnitude: number;
  readonly worstLayer: number;
  readonly limit: number;
}

export function isAnyFloatExact(model: AnyModel): AnyFloatExactness {
  return isCnnModel(model) ? isCnnFloatExact(model) : isFloatExact(model);
}

/** The ops of a model kind's exact graph variant (for people and notes). */
export function anyExactGraphOps(model: AnyModel, variant: ExactGraphVariant): readonly string[] {
  if (!isCnnModel(model)) return EXACT_GRAPH_OPS[variant];
  return variant === "integer" ? CNN_EXACT_GRAPH_OPS : CNN_FLOAT_EXACT_GRAPH_OPS;
}

/**
 * Validates the model as the scorer needs it: as a reveal would (`requireRevealable`, the default), or (dense only)
 * just its arithmetic, for models too large to reveal.
 */
export function validateAnyModelForScoring(model: AnyModel, requireRevealable = true): void {
  if (isCnnModel(model)) validateCnnModel(model);
  else if (requireRevealable) validateModel(model);
  else validateModelArithmetic(model);
}

/**
 * The serialized exact ONNX graph of either kind: input `features` [N, F] (uint8 for "integer", float32 for
 * "float-exact"), outputs `logits` [N, classes] and `prediction` [N], bit-exact with the reference forward pass.
 */
export function buildAnyExactOnnxGraph(model: AnyModel, variant: ExactGraphVariant, requireRevealable = true): Uint8Array {
  return isCnnModel(model) ? buildCnnExactOnnxGraph(model, variant) : buildExactOnnxGraph(model, { variant, requireRevealable });
}

/**
 * Convolutional models, format version 2 (docs/cnn.md): the types, shape inference and the evaluator's limits.
 * Activations are HWC row-major bytes throughout: index (y·W + x)·C + c, the order the competition's features use.
 */

/** Model format version of convolutional networks (version 1 is the dense format of docs/protocol.md §4.1). */
export const CNN_MODEL_FORMAT_VERSION = 2;
/** Layers of all kinds together, flatten included. */
export const CNN_MAX_LAYERS = 16;
/** Kernel height/width of convolutions and pools. */
export const CNN_MAX_KERNEL = 8;
export const CNN_MAX_STRIDE = 8;
/** Output channels of a convolution. */
export const CNN_MAX_CHANNELS = 64;
/** Input image height/width. */
export const CNN_MAX_SIDE = 1024;
/** Bytes of any layer's output activation tensor (H·W·C): the evaluator keeps one point's activations in memory. */
export const CNN_MAX_ACTIVATIONS = 8192;
/** Width of a dense layer. */
export const CNN_MAX_DENSE_WIDTH = 1024;
/**
 * Work per point, in gas-like units: every cost the on-chain interpreter (contracts/danku/DankuCnnEvaluator.sol)
 * has, each charged with a weight fitted from its measured gas (docs/cnn.md §7; {@link CNN_WORK_WEIGHTS}). The bound
 * keeps a one-point dispute inside one 16,777,216-gas transaction with ≥ 10 % to spare: 12,000,000 units × ≤ 1.0 gas
 * per unit (the largest measured ratio, docs/cnn.md §7) + ≤ 2.4 M of fixed costs (the dispute's calldata with
 * 100,000 prediction bytes, the point and proof, its bookkeeping, the evaluator's memory) ≤ 14.4 M < 0.9 × 16,777,216.
 */
export const CNN_MAX_WORK = 12_000_000;

/**
 * Units per interpreter step, rounded up from the least-squares fit of docs/cnn.md §7 (so each weight bounds the gas
 * of its step). Conv2d and dense layers (dense = a 1×1 convolution of its 1×1×n input): per output row, per output
 * position, per position × lane group (bias load, ReLU/shift/saturation, store), per receptive-field row of a group
 * (the dot-product call; 3 one-input steps included, the most a clipped row can leave after its four-input steps),
 * per lane word (one input × eight multiply-accumulates), and the parameter expansion (per group's bias word, per
 * weight record). Pools: per output position, per value, per window row of a value, per byte read. Every layer pays
 * `layer` (dispatch, shapes, the loop constants).
 */
export const CNN_WORK_WEIGHTS = {
  layer: 15_000,
  outputRow: 250,
  position: 500,
  group: 600,
  row: 400,
  word: 48,
  biasWord: 400,
  expandWord: 240,
  poolPosition: 160,
  poolValue: 210,
  poolRow: 100,
  poolRead: 100,
} as const;
export const CNN_LANES = 8;

export type CnnLayerKind = "conv2d" | "maxpool" | "avgpool" | "flatten" | "dense";

/** Descriptor kind byte of each layer kind (docs/cnn.md §2). */
export const CNN_KIND_CODES: Readonly<Record<CnnLayerKind, number>> = { conv2d: 1, maxpool: 2, avgpool: 3, flatten: 4, dense: 5 };

export interface ImageShape {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

export interface Window2d {
  readonly kernelH: number;
  readonly kernelW: number;
  readonly strideH: number;
  readonly strideW: number;
}

export interface Conv2dLayer<T = number> extends Window2d {
  readonly kind: "conv2d";
  /** Zero padding added on both sides of each axis. */
  readonly padH: number;
  readonly padW: number;
  /** Right shift after ReLU (as a dense hidden layer). */
  readonly shift: number;
  /** One per output channel. */
  readonly biases: readonly T[];
  /** weights[out][ky][kx][in] */
  readonly weights: readonly (readonly (readonly (readonly T[])[])[])[];
}

export interface PoolLayer extends Window2d {
  readonly kind: "maxpool" | "avgpool";
}

export interface FlattenLayer {
  readonly kind: "flatten";
}

export interface DenseLayer<T = number> {
  readonly kind: "dense";
  /** Right shift after ReLU; 0 on the output layer (no ReLU there). */
  readonly shift: number;
  readonly biases: readonly T[];
  /** weights[out][in], inputs in HWC flatten order. */
  readonly weights: readonly (readonly T[])[];
}

export type CnnLayer<T = number> = Conv2dLayer<T> | PoolLayer | FlattenLayer | DenseLayer<T>;

/** A quantized convolutional network (int8 weights, integer biases). */
export interface CnnModel {
  readonly input: ImageShape;
  readonly layers: readonly CnnLayer[];
}

/** A float convolutional network (the quantizer's input; the ONNX importer's output). Shifts are ignored. */
export interface FloatCnnModel {
  readonly input: ImageShape;
  readonly layers: readonly CnnLayer<number>[];
}

/** Output size of a window along one axis, or 0 when the window does not fit. */
export function windowOutput(size: number, kernel: number, stride: number, pad: number): number {
  const span = size + 2 * pad - kernel;
  return span < 0 ? 0 : Math.floor(span / stride) + 1;
}

/** Output shape of each layer (after flatten: height = width = 1, channels = the vector's length). */
export function layerShapes(input: ImageShape, layers: readonly CnnLayer<unknown>[]): ImageShape[] {
  const shapes: ImageShape[] = [];
  let shape = input;
  for (const layer of layers) {
    switch (layer.kind) {
      case "conv2d":
        shape = {
          height: windowOutput(shape.height, layer.kernelH, layer.strideH, layer.padH),
          width: windowOutput(shape.width, layer.kernelW, layer.strideW, layer.padW),
          channels: layer.biases.length,
        };
        break;
      case "maxpool":
      case "avgpool":
        shape = {
          height: windowOutput(shape.height, layer.kernelH, layer.strideH, 0),
          width: windowOutput(shape.width, layer.kernelW, layer.strideW, 0),
          channels: shape.channels,
        };
        break;
      case "flatten":
        shape = { height: 1, width: 1, channels: shape.height * shape.width * shape.channels };
        break;
      case "dense":
        shape = { height: 1, width: 1, channels: layer.biases.length };
        break;
    }
    shapes.push(shape);
  }
  return shapes;
}

export function shapeSize(shape: ImageShape): number {
  return shape.height * shape.width * shape.channels;
}

/**
 * Work units of one layer (see {@link CNN_MAX_WORK}), given its input and output shapes. Counted without padding
 * clipping: a clipped window has fewer rows and lane words, never more (its extra one-input steps are in `row`).
 */
export function layerWork(layer: CnnLayer<unknown>, inShape: ImageShape, outShape: ImageShape): number {
  const w = CNN_WORK_WEIGHTS;
  const convolution = (kh: number, kw: number, ci: number): number => {
    const groups = Math.ceil(outShape.channels / CNN_LANES);
    const positions = outShape.height * outShape.width;
    const perGroup = w.group + kh * (w.row + kw * ci * w.word);
    const expansion = groups * (w.biasWord + kh * kw * ci * w.expandWord);
    return w.layer + outShape.height * w.outputRow + positions * (w.position + groups * perGroup) + expansion;
  };
  switch (layer.kind) {
    case "conv2d":
      return convolution(layer.kernelH, layer.kernelW, inShape.channels);
    case "dense":
      return convolution(1, 1, shapeSize(inShape));
    case "maxpool":
    case "avgpool":
      return w.layer + outShape.height * outShape.width * (w.poolPosition + outShape.channels * (w.poolValue + layer.kernelH * (w.poolRow + layer.kernelW * w.poolRead)));
    case "flatten":
      return w.layer;
  }
}

/** Total work units per point (see {@link CNN_MAX_WORK}). */
export function cnnWork(input: ImageShape, layers: readonly CnnLayer<unknown>[]): number {
  const shapes = layerShapes(input, layers);
  return layers.reduce((sum, layer, l) => sum + layerWork(layer, l === 0 ? input : (shapes[l - 1] as ImageShape), shapes[l] as ImageShape), 0);
}

/** Plain multiply-accumulates per point (no padding lanes, no pooling), for people. */
export function cnnMacs(input: ImageShape, layers: readonly CnnLayer<unknown>[]): number {
  const shapes = layerShapes(input, layers);
  let macs = 0;
  layers.forEach((layer, l) => {
    const inShape = l === 0 ? input : (shapes[l - 1] as ImageShape);
    const out = shapes[l] as ImageShape;
    if (layer.kind === "conv2d") macs += shapeSize(out) * layer.kernelH * layer.kernelW * inShape.channels;
    if (layer.kind === "dense") macs += out.channels * shapeSize(inShape);
  });
  return macs;
}

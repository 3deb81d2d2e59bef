/**
 * Byte encoding of convolutional models, format version 2 (docs/cnn.md §2), with validation that names the defect
 * the way the dense format's ModelDefect does (docs/protocol.md §4.1), so a future on-chain evaluator can revert
 * with the same (reason, index) pairs.
 */
import { MAX_BIAS_MAGNITUDE, MAX_CLASSES, MAX_FEATURES, MAX_MODEL_BYTES, MAX_SHIFT, MIN_CLASSES, WEIGHT_OFFSET } from "../constants";
import { ModelFormatError } from "../encoding";
import {
  CNN_KIND_CODES,
  CNN_LANES,
  CNN_MAX_ACTIVATIONS,
  CNN_MAX_CHANNELS,
  CNN_MAX_DENSE_WIDTH,
  CNN_MAX_KERNEL,
  CNN_MAX_LAYERS,
  CNN_MAX_SIDE,
  CNN_MAX_STRIDE,
  CNN_MAX_WORK,
  CNN_MODEL_FORMAT_VERSION,
  cnnWork,
  layerShapes,
  shapeSize,
  type CnnLayer,
  type CnnLayerKind,
  type CnnModel,
  type ImageShape,
} from "./model";

/** Reasons a version-2 model is rejected, in the order of their codes (docs/cnn.md §3). */
export const CNN_MODEL_DEFECTS = [
  "TooShort",
  "Version",
  "LayerCount",
  "InputShape",
  "InputFeatures",
  "Kind",
  "Order",
  "UnusedField",
  "Kernel",
  "Stride",
  "Padding",
  "Channels",
  "Shift",
  "OutputShift",
  "EmptyOutput",
  "Activations",
  "OutputWidth",
  "Work",
  "Length",
  "Bias",
  "PaddingLane",
  "TooLarge",
  // Library-only (a structured model the bytes cannot express): arrays of the wrong size, weights outside int8.
  "Structure",
  "Weight",
] as const;
export type CnnModelDefect = (typeof CNN_MODEL_DEFECTS)[number];

/** A model the (future) contract would reject, with the defect and its index as the revert would carry them. */
export class CnnModelFormatError extends ModelFormatError {
  constructor(
    readonly defect: CnnModelDefect,
    readonly index: number,
    reason: string,
  ) {
    super(`${reason} (${defect}, ${index})`);
    this.name = "CnnModelFormatError";
  }
}

const HEADER_BYTES = 8;
const DESCRIPTOR_BYTES = 10;
const KIND_BY_CODE = new Map<number, CnnLayerKind>(Object.entries(CNN_KIND_CODES).map(([kind, code]) => [code, kind as CnnLayerKind]));

/** The fixed-size record of one layer: every field, 0 where the kind does not use it. */
export interface CnnDescriptor {
  readonly kind: number;
  readonly kernelH: number;
  readonly kernelW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padH: number;
  readonly padW: number;
  readonly shift: number;
  /** Output channels (conv2d) or width (dense). */
  readonly out: number;
}

export function descriptorOf(layer: CnnLayer<unknown>): CnnDescriptor {
  const zero = { kernelH: 0, kernelW: 0, strideH: 0, strideW: 0, padH: 0, padW: 0, shift: 0, out: 0 };
  const kind = CNN_KIND_CODES[layer.kind];
  switch (layer.kind) {
    case "conv2d":
      return { ...zero, kind, kernelH: layer.kernelH, kernelW: layer.kernelW, strideH: layer.strideH, strideW: layer.strideW, padH: layer.padH, padW: layer.padW, shift: layer.shift, out: layer.biases.length };
    case "maxpool":
    case "avgpool":
      return { ...zero, kind, kernelH: layer.kernelH, kernelW: layer.kernelW, strideH: layer.strideH, strideW: layer.strideW };
    case "flatten":
      return { ...zero, kind };
    case "dense":
      return { ...zero, kind, shift: layer.shift, out: layer.biases.length };
  }
}

const defect = (d: CnnModelDefect, index: number, reason: string) => new CnnModelFormatError(d, index, reason);
const inRange = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;

/** Bytes of the parameters (biases and lane-major weights) of a layer with this descriptor and input shape. */
function parameterBytes(d: CnnDescriptor, inShape: ImageShape): number {
  const groups = Math.ceil(d.out / CNN_LANES);
  if (d.kind === CNN_KIND_CODES.conv2d) return 4 * d.out + groups * d.kernelH * d.kernelW * inShape.channels * CNN_LANES;
  if (d.kind === CNN_KIND_CODES.dense) return 4 * d.out + groups * shapeSize(inShape) * CNN_LANES;
  return 0;
}

/**
 * Every check that needs only the header and the descriptors, in the order of docs/cnn.md §3. Returns the layer
 * shapes and the exact encoded length. `layers` rebuilds the kinds for shape inference.
 */
function checkDescriptors(
  input: ImageShape,
  descriptors: readonly CnnDescriptor[],
  expected: { featureCount: number; classCount: number } | undefined,
): { shapes: ImageShape[]; length: number } {
  const L = descriptors.length;
  if (L < 2 || L > CNN_MAX_LAYERS) throw defect("LayerCount", L, `a convolutional model has 2 to ${CNN_MAX_LAYERS} layers (flatten and at least one dense layer included), this one has ${L}`);
  ([input.height, input.width, input.channels] as const).forEach((v, i) => {
    const max = i === 2 ? CNN_MAX_CHANNELS : CNN_MAX_SIDE;
    if (!inRange(v, 1, max)) throw defect("InputShape", i, `input ${["height", "width", "channels"][i]} is ${v}; it must be 1..${max}`);
  });
  const features = shapeSize(input);
  if (features > MAX_FEATURES) throw defect("InputFeatures", features, `the input image has ${features} bytes (H·W·C), over the limit of ${MAX_FEATURES} features`);
  if (expected && features !== expected.featureCount) {
    throw defect("InputFeatures", features, `the model reads ${input.height}×${input.width}×${input.channels} = ${features} bytes but the competition's points have ${expected.featureCount} features`);
  }
  let flattened = false;
  let shape = input;
  let work = 0;
  let length = HEADER_BYTES + DESCRIPTOR_BYTES * L;
  const shapes: ImageShape[] = [];
  descriptors.forEach((d, l) => {
    const kind = KIND_BY_CODE.get(d.kind);
    if (!kind) throw defect("Kind", l, `layer ${l} has kind byte ${d.kind}; kinds are 1 conv2d, 2 maxpool, 3 avgpool, 4 flatten, 5 dense`);
    const isLast = l === L - 1;
    if ((kind === "conv2d" || kind === "maxpool" || kind === "avgpool") && flattened) throw defect("Order", l, `layer ${l} (${kind}) comes after flatten; convolutions and pools work on images, before the flatten`);
    if (kind === "flatten" && flattened) throw defect("Order", l, `layer ${l} is a second flatten`);
    if (kind === "dense" && !flattened) throw defect("Order", l, `layer ${l} (dense) comes before the flatten; put a flatten layer between the image layers and the dense layers`);
    if (isLast && kind !== "dense") throw defect("Order", l, `the last layer is ${kind}; it must be a dense layer with one output per class`);
    const windowed = kind === "conv2d" || kind === "maxpool" || kind === "avgpool";
    const unused: [string, number][] = [];
    if (!windowed) unused.push(["kernelH", d.kernelH], ["kernelW", d.kernelW], ["strideH", d.strideH], ["strideW", d.strideW]);
    if (kind !== "conv2d") unused.push(["padH", d.padH], ["padW", d.padW]);
    if (kind !== "conv2d" && kind !== "dense") unused.push(["shift", d.shift], ["out", d.out]);
    const set = unused.find(([, v]) => v !== 0);
    if (set) throw defect("UnusedField", l, `layer ${l} (${kind}) has ${set[0]} = ${set[1]}; a ${kind} layer does not use it and it must be 0`);
    if (windowed) {
      if (!inRange(d.kernelH, 1, CNN_MAX_KERNEL) || !inRange(d.kernelW, 1, CNN_MAX_KERNEL)) throw defect("Kernel", l, `layer ${l} (${kind}) kernel ${d.kernelH}×${d.kernelW}; each side must be 1..${CNN_MAX_KERNEL}`);
      if (!inRange(d.strideH, 1, CNN_MAX_STRIDE) || !inRange(d.strideW, 1, CNN_MAX_STRIDE)) throw defect("Stride", l, `layer ${l} (${kind}) stride ${d.strideH}×${d.strideW}; each must be 1..${CNN_MAX_STRIDE}`);
      if (!inRange(d.padH, 0, d.kernelH - 1) || !inRange(d.padW, 0, d.kernelW - 1)) throw defect("Padding", l, `layer ${l} (${kind}) padding ${d.padH}×${d.padW}; padding must be below the kernel size (${d.kernelH}×${d.kernelW})`);
    }
    if (kind === "conv2d" && !inRange(d.out, 1, CNN_MAX_CHANNELS)) throw defect("Channels", l, `layer ${l} (conv2d) has ${d.out} output channels; 1..${CNN_MAX_CHANNELS} are allowed`);
    if (kind === "dense" && !inRange(d.out, 1, CNN_MAX_DENSE_WIDTH)) throw defect("Channels", l, `layer ${l} (dense) has ${d.out} outputs; 1..${CNN_MAX_DENSE_WIDTH} are allowed`);
    if (!inRange(d.shift, 0, MAX_SHIFT)) throw defect("Shift", l, `layer ${l} shift ${d.shift} is outside 0..${MAX_SHIFT}`);
    if (isLast && d.shift !== 0) throw defect("OutputShift", l, `the output layer's shift is ${d.shift}; it must be 0 (the logits are not shifted)`);
    const layer = { kind, kernelH: d.kernelH, kernelW: d.kernelW, strideH: d.strideH, strideW: d.strideW, padH: d.padH, padW: d.padW, biases: new Array<number>(d.out) } as CnnLayer<unknown>;
    const next = layerShapes(shape, [layer])[0] as ImageShape;
    if (next.height < 1 || next.width < 1) throw defect("EmptyOutput", l, `layer ${l} (${kind}): a ${d.kernelH}×${d.kernelW} window does not fit its ${shape.height}×${shape.width} input`);
    if (shapeSize(next) > CNN_MAX_ACTIVATIONS) throw defect("Activations", l, `layer ${l} outputs ${next.height}×${next.width}×${next.channels} = ${shapeSize(next)} values, over the limit of ${CNN_MAX_ACTIVATIONS}`);
    if (kind === "flatten") flattened = true;
    work += cnnWork(shape, [layer]);
    length += parameterBytes(d, shape);
    shapes.push(next);
    shape = next;
  });
  const classes = shape.channels;
  if (classes < MIN_CLASSES || classes > MAX_CLASSES || (expected && classes !== expected.classCount)) {
    throw defect("OutputWidth", classes, `the model has ${classes} outputs; ` + (expected ? `the competition has ${expected.classCount} classes` : `a classifier needs ${MIN_CLASSES}..${MAX_CLASSES}`));
  }
  if (work > CNN_MAX_WORK) throw defect("Work", work, `one point costs ${work} work units (the evaluator's gas per layer, position, lane group, window row, lane word and pooled byte, docs/cnn.md §3), over the limit of ${CNN_MAX_WORK} that keeps a one-point dispute inside one transaction; use fewer or smaller layers (fewer output positions, channels or pooled bytes)`);
  if (length > MAX_MODEL_BYTES) throw defect("TooLarge", length, `the encoded model is ${length} bytes; the limit is ${MAX_MODEL_BYTES}`);
  return { shapes, length };
}

function descriptorsAndInput(model: CnnModel): { input: ImageShape; descriptors: CnnDescriptor[] } {
  return { input: model.input, descriptors: model.layers.map(descriptorOf) };
}

/** Exact encoded length (validates the descriptors). */
export function encodedCnnModelLength(model: CnnModel): number {
  const { input, descriptors } = descriptorsAndInput(model);
  return checkDescriptors(input, descriptors, undefined).length;
}

/**
 * Checks everything the bytes would be checked for, plus the array shapes and int8 range a structured model can get
 * wrong. `expected` pins the input size and the class count to the competition's.
 */
export function validateCnnModel(model: CnnModel, expected?: { featureCount: number; classCount: number }): void {
  const { input, descriptors } = descriptorsAndInput(model);
  const { shapes } = checkDescriptors(input, descriptors, expected);
  let offset = HEADER_BYTES + DESCRIPTOR_BYTES * model.layers.length;
  model.layers.forEach((layer, l) => {
    const inShape = l === 0 ? input : (shapes[l - 1] as ImageShape);
    const d = descriptors[l] as CnnDescriptor;
    if (layer.kind === "conv2d" || layer.kind === "dense") {
      layer.biases.forEach((b, j) => {
        if (!Number.isInteger(b) || Math.abs(b) > MAX_BIAS_MAGNITUDE) throw defect("Bias", offset + 4 * j, `layer ${l} bias ${j} is ${b}; biases must be integers within ±2^30`);
      });
      const fan = layer.kind === "conv2d" ? [layer.kernelH, layer.kernelW, inShape.channels] : [shapeSize(inShape)];
      const check = (value: unknown, depth: number, where: string): void => {
        if (depth === fan.length) {
          if (typeof value !== "number" || !inRange(value, -128, 127)) throw defect("Weight", l, `layer ${l} weight ${where} is ${String(value)}; weights must be int8 (-128..127)`);
          return;
        }
        if (!Array.isArray(value) || value.length !== fan[depth]) {
          throw defect("Structure", l, `layer ${l} weights${where} must have ${fan[depth]} entries (${layer.kind} weights are ${layer.kind === "conv2d" ? "[out][ky][kx][in]" : "[out][in]"})`);
        }
        value.forEach((v: unknown, i) => check(v, depth + 1, `${where}[${i}]`));
      };
      if (layer.weights.length !== layer.biases.length) throw defect("Structure", l, `layer ${l} has ${layer.weights.length} weight rows for ${layer.biases.length} biases`);
      layer.weights.forEach((row, j) => check(row, 0, `[${j}]`));
    }
    offset += parameterBytes(d, inShape);
  });
}

/** Model → bytes (docs/cnn.md §2). Validates first. */
export function encodeCnnModel(model: CnnModel): Uint8Array {
  validateCnnModel(model);
  const { input, layers } = model;
  const shapes = layerShapes(input, layers);
  const out = new Uint8Array(encodedCnnModelLength(model));
  const view = new DataView(out.buffer);
  out[0] = CNN_MODEL_FORMAT_VERSION;
  out[1] = layers.length;
  view.setUint16(2, input.height);
  view.setUint16(4, input.width);
  view.setUint16(6, input.channels);
  let at = HEADER_BYTES;
  for (const layer of layers) {
    const d = descriptorOf(layer);
    out.set([d.kind, d.kernelH, d.kernelW, d.strideH, d.strideW, d.padH, d.padW, d.shift], at);
    view.setUint16(at + 8, d.out);
    at += DESCRIPTOR_BYTES;
  }
  layers.forEach((layer, l) => {
    if (layer.kind !== "conv2d" && layer.kind !== "dense") return;
    const inShape = l === 0 ? input : (shapes[l - 1] as ImageShape);
    for (const b of layer.biases) {
      view.setInt32(at, b);
      at += 4;
    }
    const fanOut = layer.biases.length;
    const fanIn = layer.kind === "conv2d" ? layer.kernelH * layer.kernelW * inShape.channels : shapeSize(inShape);
    const weight = (j: number, i: number): number => {
      if (layer.kind === "dense") return (layer.weights[j] as readonly number[])[i] as number;
      // i enumerates (ky, kx, ci) with ci fastest: the order the evaluator walks a receptive field in HWC memory.
      const ci = i % inShape.channels;
      const kx = Math.floor(i / inShape.channels) % layer.kernelW;
      const ky = Math.floor(i / (inShape.channels * layer.kernelW));
      return (((layer.weights[j] as readonly (readonly (readonly number[])[])[])[ky] as readonly (readonly number[])[])[kx] as readonly number[])[ci] as number;
    };
    for (let g = 0; g < Math.ceil(fanOut / CNN_LANES); g++) {
      for (let i = 0; i < fanIn; i++) {
        for (let k = 0; k < CNN_LANES; k++) {
          const j = g * CNN_LANES + k;
          out[at++] = j < fanOut ? weight(j, i) + WEIGHT_OFFSET : WEIGHT_OFFSET;
        }
      }
    }
  });
  return out;
}

/** Bytes → model, rejecting anything the (future) contract would reject, with the defect of docs/cnn.md §3. */
export function decodeCnnModel(bytes: Uint8Array, expected?: { featureCount: number; classCount: number }): CnnModel {
  if (bytes.length < HEADER_BYTES) throw defect("TooShort", bytes.length, `${bytes.length} bytes cannot hold the ${HEADER_BYTES}-byte header`);
  if (bytes.length > MAX_MODEL_BYTES) throw defect("TooLarge", bytes.length, `the model is ${bytes.length} bytes; the limit is ${MAX_MODEL_BYTES}`);
  if (bytes[0] !== CNN_MODEL_FORMAT_VERSION) throw defect("Version", bytes[0] as number, `model format version ${bytes[0]}; convolutional models are version ${CNN_MODEL_FORMAT_VERSION}`);
  const L = bytes[1] as number;
  if (L < 2 || L > CNN_MAX_LAYERS) throw defect("LayerCount", L, `a convolutional model has 2 to ${CNN_MAX_LAYERS} layers, the header says ${L}`);
  if (bytes.length < HEADER_BYTES + DESCRIPTOR_BYTES * L) throw defect("TooShort", bytes.length, `${bytes.length} bytes end inside the ${L} layer descriptors`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const input: ImageShape = { height: view.getUint16(2), width: view.getUint16(4), channels: view.getUint16(6) };
  const descriptors: CnnDescriptor[] = [];
  for (let l = 0; l < L; l++) {
    const at = HEADER_BYTES + DESCRIPTOR_BYTES * l;
    const b = (k: number) => bytes[at + k] as number;
    descriptors.push({ kind: b(0), kernelH: b(1), kernelW: b(2), strideH: b(3), strideW: b(4), padH: b(5), padW: b(6), shift: b(7), out: view.getUint16(at + 8) });
  }
  const { shapes, length } = checkDescriptors(input, descriptors, expected);
  if (bytes.length !== length) throw defect("Length", length, `a model with these layers is ${length} bytes, got ${bytes.length}`);
  let at = HEADER_BYTES + DESCRIPTOR_BYTES * L;
  const layers: CnnLayer[] = descriptors.map((d, l) => {
    const kind = KIND_BY_CODE.get(d.kind) as CnnLayerKind;
    const inShape = l === 0 ? input : (shapes[l - 1] as ImageShape);
    if (kind === "flatten") return { kind };
    if (kind === "maxpool" || kind === "avgpool") return { kind, kernelH: d.kernelH, kernelW: d.kernelW, strideH: d.strideH, strideW: d.strideW };
    const biases: number[] = [];
    for (let j = 0; j < d.out; j++) {
      const b = view.getInt32(at);
      if (Math.abs(b) > MAX_BIAS_MAGNITUDE) throw defect("Bias", at, `layer ${l} bias ${j} is ${b}; biases must be within ±2^30`);
      biases.push(b);
      at += 4;
    }
    const fanIn = kind === "conv2d" ? d.kernelH * d.kernelW * inShape.channels : shapeSize(inShape);
    const rows: number[][] = Array.from({ length: d.out }, () => new Array<number>(fanIn).fill(0));
    for (let g = 0; g < Math.ceil(d.out / CNN_LANES); g++) {
      for (let i = 0; i < fanIn; i++) {
        for (let k = 0; k < CNN_LANES; k++) {
          const j = g * CNN_LANES + k;
          const stored = bytes[at + k] as number;
          if (j < d.out) (rows[j] as number[])[i] = stored - WEIGHT_OFFSET;
          else if (stored !== WEIGHT_OFFSET) throw defect("PaddingLane", at, `layer ${l}: padding lane ${k} of group ${g} is ${stored}; padding bytes must be 128`);
        }
        at += CNN_LANES;
      }
    }
    if (kind === "dense") return { kind, shift: d.shift, biases, weights: rows };
    const C = inShape.channels;
    const weights = rows.map((row) =>
      Array.from({ length: d.kernelH }, (_, ky) => Array.from({ length: d.kernelW }, (_, kx) => row.slice((ky * d.kernelW + kx) * C, (ky * d.kernelW + kx + 1) * C))),
    );
    return { kind, kernelH: d.kernelH, kernelW: d.kernelW, strideH: d.strideH, strideW: d.strideW, padH: d.padH, padW: d.padW, shift: d.shift, biases, weights };
  });
  return { input, layers };
}

/**
 * Byte encodings of data points, data groups, models and submission commitments (docs/protocol.md §2, §4.1, §5).
 * Everything here must match the contracts byte for byte.
 */
import { encodeAbiParameters, keccak256, concat, toHex, type Address, type Hex } from "viem";
import {
  LANES,
  MAX_BIAS_MAGNITUDE,
  MAX_CLASSES,
  MAX_FEATURES,
  MAX_LANE_WORDS,
  MAX_LAYERS,
  MAX_LAYER_WIDTH,
  MAX_MODEL_BYTES,
  MAX_SHIFT,
  MIN_CLASSES,
  MODEL_FORMAT_VERSION,
  WEIGHT_OFFSET,
} from "./constants";

/** One labelled example: feature bytes (0..255) and a class index. */
export interface DataPoint {
  readonly features: ArrayLike<number>;
  readonly label: number;
}

/** A quantized dense network in the contract's fixed-point format (docs/protocol.md §4). */
export interface QuantizedModel {
  /** Layer widths n0 (features) … nL (classes). */
  readonly widths: readonly number[];
  readonly layers: readonly QuantizedLayer[];
}

export interface QuantizedLayer {
  /** Right shift applied after ReLU on hidden layers; must be 0 on the output layer. */
  readonly shift: number;
  /** One integer bias per output neuron, |b| ≤ 2^30. */
  readonly biases: readonly number[];
  /** int8 weights indexed [out][in]. */
  readonly weights: readonly (readonly number[])[];
}

/** Raised for any model that the contract would reject at reveal. `reason` is a sentence for people. */
export class ModelFormatError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "ModelFormatError";
  }
}

/** Raised for data that cannot be encoded as the protocol's points. */
export class DataFormatError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "DataFormatError";
  }
}

export function pointSize(featureCount: number): number {
  return featureCount + 1;
}

/** Concatenated point bytes: F feature bytes then one label byte, per point. */
export function encodePoints(points: readonly DataPoint[], featureCount: number, classCount: number): Uint8Array {
  const size = pointSize(featureCount);
  const out = new Uint8Array(points.length * size);
  points.forEach((point, p) => {
    if (point.features.length !== featureCount) {
      throw new DataFormatError(`point ${p} has ${point.features.length} features, expected ${featureCount}`);
    }
    for (let f = 0; f < featureCount; f++) {
      const v = point.features[f] as number;
      if (!Number.isInteger(v) || v < 0 || v > 255) {
        throw new DataFormatError(`point ${p} feature ${f} is ${v}; features must be integers 0..255`);
      }
      out[p * size + f] = v;
    }
    if (!Number.isInteger(point.label) || point.label < 0 || point.label >= classCount) {
      throw new DataFormatError(`point ${p} has label ${point.label}; labels must be class indices 0..${classCount - 1}`);
    }
    out[p * size + featureCount] = point.label;
  });
  return out;
}

/** Inverse of {@link encodePoints}. */
export function decodePoints(bytes: Uint8Array, featureCount: number): DataPoint[] {
  const size = pointSize(featureCount);
  if (bytes.length % size !== 0) {
    throw new DataFormatError(`${bytes.length} bytes is not a whole number of ${size}-byte points`);
  }
  const points: DataPoint[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) {
    points.push({ features: bytes.slice(offset, offset + featureCount), label: bytes[offset + featureCount] as number });
  }
  return points;
}

/** keccak256(points ‖ nonce): the hashed data group of docs/protocol.md §2. */
export function groupHash(pointBytes: Uint8Array, nonce: Hex): Hex {
  if (nonce.length !== 66) throw new DataFormatError("a group nonce must be 32 bytes");
  return keccak256(concat([toHex(pointBytes), nonce]));
}

/** keccak256 of the ordered group hashes; part of the split seed. */
export function groupHashesDigest(hashes: readonly Hex[]): Hex {
  return keccak256(concat([...hashes]));
}

export function modelHash(modelBytes: Uint8Array): Hex {
  return keccak256(toHex(modelBytes));
}

/** The commitment a submitter posts during the submission period (docs/protocol.md §5). */
export function submissionCommitment(args: {
  competition: Address;
  submitter: Address;
  modelHash: Hex;
  salt: Hex;
}): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "address" }, { type: "address" }, { type: "bytes32" }, { type: "bytes32" }],
      [args.competition, args.submitter, args.modelHash, args.salt],
    ),
  );
}

/** Number of 256-bit lane words the evaluator expands the model into. */
export function laneWords(widths: readonly number[]): number {
  let words = 0;
  for (let l = 1; l < widths.length; l++) {
    words += (widths[l - 1] as number) * Math.ceil((widths[l] as number) / LANES);
  }
  return words;
}

/** Multiply-accumulates per evaluated point. */
export function macsPerPoint(widths: readonly number[]): number {
  let macs = 0;
  for (let l = 1; l < widths.length; l++) macs += (widths[l - 1] as number) * (widths[l] as number);
  return macs;
}

/**
 * Checks everything the contract checks at reveal. `expected` pins the input and output widths to the
 * competition's feature and class counts.
 */
/**
 * Size limit of the encoded model: MAX_MODEL_BYTES (the default, on-chain evaluation) or MAX_CLAIM_MODE_MODEL_BYTES for
 * a claim-mode competition, where the contract keeps only the model's hash (docs/protocol.md §11).
 */
export interface ModelSizeLimit {
  maxModelBytes?: number;
}

export function validateModel(model: QuantizedModel, expected?: { featureCount: number; classCount: number }, limit: ModelSizeLimit = {}): void {
  const maxModelBytes = limit.maxModelBytes ?? MAX_MODEL_BYTES;
  const { widths, layers } = model;
  const depth = layers.length;
  if (depth < 1 || depth > MAX_LAYERS) throw new ModelFormatError(`a model needs 1 to ${MAX_LAYERS} layers, this one has ${depth}`);
  if (widths.length !== depth + 1) throw new ModelFormatError(`${depth} layers need ${depth + 1} widths, got ${widths.length}`);
  widths.forEach((w, i) => {
    if (!Number.isInteger(w) || w < 1 || w > MAX_LAYER_WIDTH) {
      throw new ModelFormatError(`layer width ${i} is ${w}; widths must be 1..${MAX_LAYER_WIDTH}`);
    }
  });
  const inputs = widths[0] as number;
  const outputs = widths[depth] as number;
  if (inputs > MAX_FEATURES) throw new ModelFormatError(`${inputs} inputs exceed the limit of ${MAX_FEATURES}`);
  if (outputs < MIN_CLASSES || outputs > MAX_CLASSES) {
    throw new ModelFormatError(`${outputs} outputs; a classifier needs ${MIN_CLASSES}..${MAX_CLASSES} classes`);
  }
  if (expected && inputs !== expected.featureCount) {
    throw new ModelFormatError(`the model takes ${inputs} inputs but the competition's data has ${expected.featureCount} features`);
  }
  if (expected && outputs !== expected.classCount) {
    throw new ModelFormatError(`the model has ${outputs} outputs but the competition has ${expected.classCount} classes`);
  }
  const words = laneWords(widths);
  if (words > MAX_LANE_WORDS) {
    throw new ModelFormatError(`the model is too large for the evaluator: ${words} lane words, limit ${MAX_LANE_WORDS}`);
  }
  const length = encodedModelLength(widths);
  if (length > maxModelBytes) {
    throw new ModelFormatError(`the encoded model is ${length} bytes; a reveal must fit one transaction, limit ${maxModelBytes} bytes`);
  }
  layers.forEach((layer, l) => {
    const fanIn = widths[l] as number;
    const fanOut = widths[l + 1] as number;
    const isOutput = l === depth - 1;
    if (!Number.isInteger(layer.shift) || layer.shift < 0 || layer.shift > MAX_SHIFT) {
      throw new ModelFormatError(`layer ${l + 1} shift ${layer.shift} is outside 0..${MAX_SHIFT}`);
    }
    if (isOutput && layer.shift !== 0) throw new ModelFormatError("the output layer's shift must be 0");
    if (layer.biases.length !== fanOut) {
      throw new ModelFormatError(`layer ${l + 1} has ${layer.biases.length} biases for ${fanOut} neurons`);
    }
    layer.biases.forEach((b, j) => {
      if (!Number.isInteger(b) || Math.abs(b) > MAX_BIAS_MAGNITUDE) {
        throw new ModelFormatError(`layer ${l + 1} bias ${j} is ${b}; biases must be integers within ±2^30`);
      }
    });
    if (layer.weights.length !== fanOut) {
      throw new ModelFormatError(`layer ${l + 1} has ${layer.weights.length} weight rows for ${fanOut} neurons`);
    }
    layer.weights.forEach((row, j) => {
      if (row.length !== fanIn) {
        throw new ModelFormatError(`layer ${l + 1} neuron ${j} has ${row.length} weights for ${fanIn} inputs`);
      }
      row.forEach((w, i) => {
        if (!Number.isInteger(w) || w < -128 || w > 127) {
          throw new ModelFormatError(`layer ${l + 1} weight [${j}][${i}] is ${w}; weights must be int8 (-128..127)`);
        }
      });
    });
  });
}

/** Exact byte length of an encoded model with these widths. */
export function encodedModelLength(widths: readonly number[]): number {
  let length = 2 + 2 * widths.length;
  for (let l = 1; l < widths.length; l++) {
    const fanOut = widths[l] as number;
    length += 1 + 4 * fanOut + (widths[l - 1] as number) * Math.ceil(fanOut / LANES) * LANES;
  }
  return length;
}

/** Model → bytes, as committed and revealed (docs/protocol.md §4.1). Validates first. */
export function encodeModel(model: QuantizedModel, limit: ModelSizeLimit = {}): Uint8Array {
  validateModel(model, undefined, limit);
  const { widths, layers } = model;
  const out = new Uint8Array(encodedModelLength(widths));
  const view = new DataView(out.buffer);
  let at = 0;
  out[at++] = MODEL_FORMAT_VERSION;
  out[at++] = layers.length;
  for (const w of widths) {
    view.setUint16(at, w);
    at += 2;
  }
  layers.forEach((layer, l) => {
    const fanIn = widths[l] as number;
    const fanOut = widths[l + 1] as number;
    out[at++] = layer.shift;
    for (const b of layer.biases) {
      view.setInt32(at, b);
      at += 4;
    }
    const groups = Math.ceil(fanOut / LANES);
    for (let g = 0; g < groups; g++) {
      for (let i = 0; i < fanIn; i++) {
        for (let k = 0; k < LANES; k++) {
          const j = g * LANES + k;
          out[at++] = j < fanOut ? ((layer.weights[j] as readonly number[])[i] as number) + WEIGHT_OFFSET : WEIGHT_OFFSET;
        }
      }
    }
  });
  return out;
}

/** Bytes → model, rejecting anything the contract would reject. */
export function decodeModel(bytes: Uint8Array, limit: ModelSizeLimit = {}): QuantizedModel {
  if (bytes.length < 2) throw new ModelFormatError("the model bytes are too short to hold a header");
  if (bytes[0] !== MODEL_FORMAT_VERSION) throw new ModelFormatError(`unknown model format version ${bytes[0]}`);
  const depth = bytes[1] as number;
  if (depth < 1 || depth > MAX_LAYERS) throw new ModelFormatError(`a model needs 1 to ${MAX_LAYERS} layers, header says ${depth}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 2 + 2 * (depth + 1)) throw new ModelFormatError("the model bytes end inside the width table");
  const widths: number[] = [];
  for (let l = 0; l <= depth; l++) widths.push(view.getUint16(2 + 2 * l));
  widths.forEach((w, i) => {
    if (w < 1 || w > MAX_LAYER_WIDTH) throw new ModelFormatError(`layer width ${i} is ${w}; widths must be 1..${MAX_LAYER_WIDTH}`);
  });
  const expectedLength = encodedModelLength(widths);
  if (bytes.length !== expectedLength) {
    throw new ModelFormatError(`a model with widths ${widths.join("-")} is ${expectedLength} bytes, got ${bytes.length}`);
  }
  let at = 2 + 2 * (depth + 1);
  const layers: QuantizedLayer[] = [];
  for (let l = 1; l <= depth; l++) {
    const fanIn = widths[l - 1] as number;
    const fanOut = widths[l] as number;
    const shift = bytes[at++] as number;
    const biases: number[] = [];
    for (let j = 0; j < fanOut; j++) {
      biases.push(view.getInt32(at));
      at += 4;
    }
    const weights: number[][] = Array.from({ length: fanOut }, () => new Array<number>(fanIn).fill(0));
    const groups = Math.ceil(fanOut / LANES);
    for (let g = 0; g < groups; g++) {
      for (let i = 0; i < fanIn; i++) {
        for (let k = 0; k < LANES; k++) {
          const j = g * LANES + k;
          const stored = bytes[at++] as number;
          if (j < fanOut) (weights[j] as number[])[i] = stored - WEIGHT_OFFSET;
          else if (stored !== WEIGHT_OFFSET) throw new ModelFormatError(`layer ${l} padding lane ${k} of group ${g} must be 128`);
        }
      }
    }
    layers.push({ shift, biases, weights });
  }
  const model: QuantizedModel = { widths, layers };
  validateModel(model, undefined, limit);
  return model;
}

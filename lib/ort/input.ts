/**
 * The shapes of data a scorer accepts, and how one batch of it becomes the graph's `features` tensor data.
 * Pure code (no ONNX Runtime, no fs): shared by the browser, workers and Node.
 */
import { DataFormatError, pointSize, type DataPoint } from "../danku/encoding";

/** Feature rows concatenated: N·F bytes, row after row (the layout of the graph's input). */
export interface FeatureRows {
  readonly features: Uint8Array;
}

/** Feature rows with one label (class index) per row. */
export interface LabelledRows extends FeatureRows {
  readonly labels: ArrayLike<number>;
}

/** Unlabelled input of `predict`: rows as a flat byte array, as arrays of numbers, or labelled points. */
export type PredictInput = Uint8Array | FeatureRows | readonly ArrayLike<number>[] | readonly DataPoint[];
/** Labelled input of `score`. */
export type ScoreInput = LabelledRows | readonly DataPoint[];

/** Uniform random access to the rows of any {@link PredictInput}. */
export interface RowSource {
  readonly count: number;
  /** Rows `start..end−1` as uint8 (a view when the input is already flat bytes). */
  bytes(start: number, end: number): Uint8Array;
  /** Rows `start..end−1` as float32 values 0..255. */
  floats(start: number, end: number): Float32Array;
}

function isDataPoint(row: ArrayLike<number> | DataPoint): row is DataPoint {
  return typeof row === "object" && row !== null && "features" in row && "label" in row;
}

function isFeatureRows(input: PredictInput): input is FeatureRows {
  return !(input instanceof Uint8Array) && !Array.isArray(input) && typeof input === "object" && "features" in input;
}

function checkedByte(value: number | undefined, row: number, feature: number): number {
  if (value === undefined || !Number.isInteger(value) || value < 0 || value > 255) {
    throw new DataFormatError(`point ${row} feature ${feature} is ${String(value)}; features must be integers 0..255`);
  }
  return value;
}

export function rowSource(input: PredictInput, featureCount: number): RowSource {
  if (input instanceof Uint8Array || isFeatureRows(input)) {
    const flat = input instanceof Uint8Array ? input : input.features;
    if (flat.length % featureCount !== 0) {
      throw new DataFormatError(`${flat.length} feature bytes is not a whole number of ${featureCount}-feature rows`);
    }
    return {
      count: flat.length / featureCount,
      bytes: (start, end) => flat.subarray(start * featureCount, end * featureCount),
      floats: (start, end) => Float32Array.from(flat.subarray(start * featureCount, end * featureCount)),
    };
  }
  const rows: readonly (ArrayLike<number> | DataPoint)[] = input;
  const featuresOf = (r: number): ArrayLike<number> => {
    const row = rows[r]!;
    const features = isDataPoint(row) ? row.features : row;
    if (features.length !== featureCount) {
      throw new DataFormatError(`point ${r} has ${features.length} features, expected ${featureCount}`);
    }
    return features;
  };
  const fill = <T extends Uint8Array | Float32Array>(target: T, start: number, end: number): T => {
    for (let r = start; r < end; r++) {
      const features = featuresOf(r);
      const base = (r - start) * featureCount;
      for (let f = 0; f < featureCount; f++) target[base + f] = checkedByte(features[f], r, f);
    }
    return target;
  };
  return {
    count: rows.length,
    bytes: (start, end) => fill(new Uint8Array((end - start) * featureCount), start, end),
    floats: (start, end) => fill(new Float32Array((end - start) * featureCount), start, end),
  };
}

export function labelsOf(input: ScoreInput): ArrayLike<number> {
  if (Array.isArray(input)) return (input as readonly DataPoint[]).map((point) => point.label);
  return (input as LabelledRows).labels;
}

/** The protocol's point bytes (F feature bytes then one label byte per point, docs/protocol.md §2) as labelled rows. */
export function labelledRowsFromPointBytes(pointBytes: Uint8Array, featureCount: number): LabelledRows {
  const size = pointSize(featureCount);
  if (pointBytes.length % size !== 0) {
    throw new DataFormatError(`${pointBytes.length} bytes is not a whole number of ${size}-byte points`);
  }
  const count = pointBytes.length / size;
  const features = new Uint8Array(count * featureCount);
  const labels = new Uint8Array(count);
  for (let p = 0; p < count; p++) {
    features.set(pointBytes.subarray(p * size, p * size + featureCount), p * featureCount);
    labels[p] = pointBytes[p * size + featureCount]!;
  }
  return { features, labels };
}

/**
 * The float model users train and hand to the CLI/UI (docs/protocol.md §4.2):
 * `{"layers":[{"weights": number[out][in], "biases": number[out]}, …]}`, ReLU between layers, argmax at the end,
 * inputs are the byte features as floats 0..255. It is never on chain; {@link quantizeModel} turns it into the
 * fixed-point format. Validation here is strict so a bad file fails with a message that says where, not later
 * as a confusing quantization or reveal error.
 */
import { MAX_CLASSES, MAX_FEATURES, MAX_LANE_WORDS, MAX_LAYERS, MAX_LAYER_WIDTH, MIN_CLASSES } from "./constants";
import { laneWords, type DataPoint } from "./encoding";
import { argmax, type AccuracyResult } from "./forward";

export interface FloatLayer {
  /** weights[out][in] */
  readonly weights: readonly (readonly number[])[];
  readonly biases: readonly number[];
}

export interface FloatModel {
  readonly layers: readonly FloatLayer[];
}

export class FloatModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FloatModelError";
  }
}

/** n0 (inputs), n1, …, nL (outputs). */
export function floatModelWidths(model: FloatModel): number[] {
  const first = model.layers[0];
  if (!first) throw new FloatModelError("the model has no layers");
  return [(first.weights[0] ?? []).length, ...model.layers.map((layer) => layer.weights.length)];
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return String(value);
  return typeof value === "string" ? `the string ${JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value)}` : typeof value;
}

function readNumbers(value: unknown, where: string, expectedLength: number | undefined, lengthWhy: string): number[] {
  if (!Array.isArray(value)) throw new FloatModelError(`${where} must be an array of numbers, got ${describeValue(value)}`);
  if (expectedLength !== undefined && value.length !== expectedLength) {
    throw new FloatModelError(`${where} has ${value.length} values, expected ${expectedLength} (${lengthWhy})`);
  }
  return value.map((v: unknown, i) => {
    if (typeof v !== "number") throw new FloatModelError(`${where}[${i}] must be a number, got ${describeValue(v)}`);
    if (!Number.isFinite(v)) throw new FloatModelError(`${where}[${i}] is ${v}; weights and biases must be finite`);
    return v;
  });
}

/**
 * The first bare NaN / Infinity / -Infinity token outside string literals (what Python's json.dump writes for
 * non-finite floats), with its 1-based line and column; undefined when there is none.
 */
export function findNonFiniteLiteral(text: string): { token: string; line: number; column: number } | undefined {
  let line = 1;
  let lineStart = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === "\n") {
      line++;
      lineStart = i + 1;
    } else if (ch === "N" || ch === "I" || ch === "-") {
      const match = /^(?:NaN|-?Infinity)/.exec(text.slice(i, i + 9));
      const before = i === 0 ? "" : (text[i - 1] as string);
      if (match && !/[A-Za-z0-9_]/.test(before)) return { token: match[0], line, column: i - lineStart + 1 };
    }
  }
  return undefined;
}

/**
 * Validates and copies a float model from JSON text or an already-parsed value. Checks: an object with a non-empty
 * `layers` array (≤ MAX_LAYERS), each layer's `weights` a rectangular non-empty matrix whose column count equals the
 * previous layer's row count, `biases` one per row, every width ≤ MAX_LAYER_WIDTH, every entry a finite number.
 * Note that JSON has no NaN/Infinity literals; they can only arrive through an already-parsed value.
 */
export function parseFloatModelJson(input: unknown): FloatModel {
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input) as unknown;
    } catch (error) {
      const nonFinite = findNonFiniteLiteral(input);
      if (nonFinite) {
        throw new FloatModelError(
          `the model file contains ${nonFinite.token} at line ${nonFinite.line}, column ${nonFinite.column}: a weight or bias ` +
            "is not a finite number (Python's json.dump writes NaN/Infinity for them, JSON has no such values). " +
            "The training diverged or a layer was never initialized: retrain (e.g. a lower learning rate) and export again.",
        );
      }
      throw new FloatModelError(`the model file is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new FloatModelError(`a float model must be an object {"layers": [...]}, got ${describeValue(value)}`);
  }
  const rawLayers = (value as { layers?: unknown }).layers;
  if (rawLayers === undefined) throw new FloatModelError('the model has no "layers" field');
  if (!Array.isArray(rawLayers)) throw new FloatModelError(`"layers" must be an array, got ${describeValue(rawLayers)}`);
  if (rawLayers.length < 1 || rawLayers.length > MAX_LAYERS) {
    throw new FloatModelError(`a model needs 1 to ${MAX_LAYERS} layers, this one has ${rawLayers.length}`);
  }
  let fanIn: number | undefined;
  const layers: FloatLayer[] = rawLayers.map((raw: unknown, l) => {
    const where = `layers[${l}]`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      throw new FloatModelError(`${where} must be an object with "weights" and "biases", got ${describeValue(raw)}`);
    }
    const { weights: rawWeights, biases: rawBiases } = raw as { weights?: unknown; biases?: unknown };
    if (!Array.isArray(rawWeights)) throw new FloatModelError(`${where}.weights must be an array of rows, got ${describeValue(rawWeights)}`);
    if (rawWeights.length < 1 || rawWeights.length > MAX_LAYER_WIDTH) {
      throw new FloatModelError(`${where} has ${rawWeights.length} neurons (weight rows); widths must be 1..${MAX_LAYER_WIDTH}`);
    }
    const why = l === 0 ? "the first row's length" : `layers[${l - 1}] has that many neurons`;
    const weights = rawWeights.map((row: unknown, j) => {
      const values = readNumbers(row, `${where}.weights[${j}]`, fanIn, why);
      fanIn ??= values.length;
      return values;
    });
    const width = (weights[0] as number[]).length;
    if (width < 1 || width > MAX_LAYER_WIDTH) {
      throw new FloatModelError(`${where} has ${width} inputs per neuron; widths must be 1..${MAX_LAYER_WIDTH}`);
    }
    if (rawBiases === undefined) throw new FloatModelError(`${where} has no "biases"`);
    const biases = readNumbers(rawBiases, `${where}.biases`, weights.length, "one per weight row");
    fanIn = weights.length;
    return { weights, biases };
  });
  return { layers };
}

/**
 * Throws unless the model fits the competition and the evaluator: inputs = featureCount, outputs = classCount,
 * 2..255 outputs, ≤ MAX_FEATURES inputs, and the lane-word budget of docs/protocol.md §4.1.
 */
export function checkModelAgainstCompetition(model: FloatModel, competition: { featureCount: number; classCount: number }): void {
  const widths = floatModelWidths(model);
  const inputs = widths[0] as number;
  const outputs = widths[widths.length - 1] as number;
  if (inputs !== competition.featureCount) {
    throw new FloatModelError(`the model takes ${inputs} inputs but the competition's data has ${competition.featureCount} features`);
  }
  if (outputs !== competition.classCount) {
    throw new FloatModelError(`the model has ${outputs} outputs but the competition has ${competition.classCount} classes`);
  }
  if (inputs > MAX_FEATURES) throw new FloatModelError(`${inputs} inputs exceed the limit of ${MAX_FEATURES}`);
  if (outputs < MIN_CLASSES || outputs > MAX_CLASSES) {
    throw new FloatModelError(`${outputs} outputs; a classifier needs ${MIN_CLASSES}..${MAX_CLASSES} classes`);
  }
  const words = laneWords(widths);
  if (words > MAX_LANE_WORDS) {
    throw new FloatModelError(
      `the model is too large for the on-chain evaluator: ${words} lane words (Σ inputs × ⌈outputs/8⌉ over layers), limit ${MAX_LANE_WORDS}`,
    );
  }
}

/** Every layer's output for one input: hidden layers after ReLU, the last one raw (logits). */
export function floatActivations(model: FloatModel, features: ArrayLike<number>): number[][] {
  const outputs: number[][] = [];
  let input: ArrayLike<number> = features;
  model.layers.forEach((layer, l) => {
    const row0 = layer.weights[0];
    if (row0 && row0.length !== input.length) {
      throw new FloatModelError(`layer ${l} expects ${row0.length} inputs, got ${input.length}`);
    }
    const isOutput = l === model.layers.length - 1;
    const z = layer.weights.map((row, j) => {
      let sum = layer.biases[j] as number;
      for (let i = 0; i < row.length; i++) sum += (row[i] as number) * (input[i] as number);
      return isOutput ? sum : Math.max(sum, 0);
    });
    outputs.push(z);
    input = z;
  });
  return outputs;
}

/** Output logits for one input (features as 0..255 floats). */
export function floatForward(model: FloatModel, features: ArrayLike<number>): number[] {
  const all = floatActivations(model, features);
  return all[all.length - 1] ?? [];
}

/** argmax of the logits; ties to the lowest index, as on chain. */
export function floatPredict(model: FloatModel, features: ArrayLike<number>): number {
  return argmax(floatForward(model, features));
}

export function floatAccuracy(model: FloatModel, points: readonly DataPoint[]): AccuracyResult {
  let correct = 0;
  for (const point of points) if (floatPredict(model, point.features) === point.label) correct++;
  return { correct, total: points.length };
}

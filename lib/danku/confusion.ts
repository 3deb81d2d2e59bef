/**
 * Confusion matrix and per-class accuracy: plain counting, shared by the reference scorer (lib/danku/forward.ts) and
 * the ONNX Runtime preview (lib/ort). `correct` is the trace, which is exactly the contract's score (docs/protocol.md §7).
 */
import { DataFormatError, type DataPoint } from "./encoding";
import { anyModelShape, predictAny, type AnyModel } from "./anyModel";

export interface ConfusionSummary {
  /** Points whose prediction equals the label: the contract's `correct`. */
  readonly correct: number;
  readonly total: number;
  /** `confusion[label][prediction]`: rows are the true classes, columns the predicted ones. */
  readonly confusion: number[][];
}

export interface ClassAccuracy {
  readonly classIndex: number;
  /** Points whose label is this class. */
  readonly support: number;
  /** Of those, how many were predicted as this class. */
  readonly correct: number;
  /** correct / support, or null for a class with no points (no accuracy to speak of). */
  readonly recall: number | null;
  /** Points predicted as this class that really are, over all points predicted as it; null if never predicted. */
  readonly precision: number | null;
}

/** An empty classCount × classCount matrix. */
export function emptyConfusion(classCount: number): number[][] {
  return Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
}

/**
 * Adds points to a confusion matrix in place (handy when predictions arrive in batches). Labels and predictions must
 * be class indices `0..classCount−1`.
 */
export function accumulateConfusion(
  confusion: number[][],
  predictions: ArrayLike<number>,
  labels: ArrayLike<number>,
  labelOffset = 0,
): void {
  const classCount = confusion.length;
  for (let p = 0; p < predictions.length; p++) {
    const label = labels[labelOffset + p];
    const predicted = predictions[p]!;
    if (label === undefined || !Number.isInteger(label) || label < 0 || label >= classCount) {
      throw new DataFormatError(`point ${labelOffset + p} has label ${String(label)}; labels must be 0..${classCount - 1}`);
    }
    if (!Number.isInteger(predicted) || predicted < 0 || predicted >= classCount) {
      throw new DataFormatError(`prediction ${predicted} for point ${labelOffset + p} is not a class index 0..${classCount - 1}`);
    }
    const row = confusion[label]!;
    row[predicted] = row[predicted]! + 1;
  }
}

export function summarizeConfusion(confusion: number[][]): ConfusionSummary {
  let correct = 0;
  let total = 0;
  confusion.forEach((row, label) => {
    correct += row[label] ?? 0;
    for (const count of row) total += count;
  });
  return { correct, total, confusion };
}

/** Confusion matrix of predictions against labels (same length). */
export function confusionMatrix(predictions: ArrayLike<number>, labels: ArrayLike<number>, classCount: number): ConfusionSummary {
  if (predictions.length !== labels.length) {
    throw new DataFormatError(`${predictions.length} predictions for ${labels.length} labels`);
  }
  const confusion = emptyConfusion(classCount);
  accumulateConfusion(confusion, predictions, labels);
  return summarizeConfusion(confusion);
}

export function perClassAccuracy(confusion: readonly (readonly number[])[]): ClassAccuracy[] {
  return confusion.map((row, classIndex) => {
    let support = 0;
    for (const count of row) support += count;
    let predictedAs = 0;
    for (const other of confusion) predictedAs += other[classIndex] ?? 0;
    const correct = row[classIndex] ?? 0;
    return {
      classIndex,
      support,
      correct,
      recall: support === 0 ? null : correct / support,
      precision: predictedAs === 0 ? null : correct / predictedAs,
    };
  });
}

/** The reference (lib/danku/anyModel.ts predictAny: either kind) confusion matrix of a model on labelled points. */
export function evaluateConfusion(model: AnyModel, points: readonly DataPoint[]): ConfusionSummary {
  const { classCount } = anyModelShape(model);
  const predictions = points.map((point) => predictAny(model, point.features));
  return confusionMatrix(predictions, points.map((point) => point.label), classCount);
}

/**
 * What a submission commits, in one place: a float model → the exact model bytes `commit` hashes, reveals and the
 * contract evaluates. `commit` (CLI and browser) and every preview (`score` in the CLI, the browser's preview)
 * go through {@link modelToCommit}, and previews score the model decoded from its bytes
 * ({@link scoreModelToCommit}), so a preview scores exactly the bytes that would be committed.
 *
 * Quantization picks its activation scales from calibration rows (lib/danku/quantize.ts), so the bytes depend on
 * them. They are always the rows `commit` has: the competition's revealed training data. Never the rows being
 * scored: a preview on the test data (or on any held-out rows) that calibrated on those rows would score a model
 * that is never committed, and could disagree with the chain.
 */
import type { Hex } from "viem";
import { decodeModel, encodeModel, modelHash, type DataPoint, type QuantizedModel } from "./encoding";
import { evaluateAccuracy, type AccuracyResult } from "./forward";
import { floatAccuracy, type FloatModel } from "./floatModel";
import { prepareSubmissionModel } from "./modelImport";
import type { QuantizationReport } from "./quantize";

export interface ModelToCommit {
  /** The encoded model (docs/protocol.md §4.1): what is committed (by its hash), revealed and evaluated. */
  readonly bytes: Uint8Array;
  /** The model decoded from `bytes`: what the chain evaluates. */
  readonly model: QuantizedModel;
  readonly hash: Hex;
  /** Quantization report; its accuracies are on the training (calibration) rows. */
  readonly report: QuantizationReport;
  /** Number of training rows the quantization was calibrated on. */
  readonly calibrationPoints: number;
}

/**
 * The float model as it will be committed to a competition with `competition`'s shape: checked against it, quantized
 * with activation scales calibrated on `training` (the competition's revealed training rows: what `commit` has),
 * encoded, and decoded again (so the model returned is the bytes' model, not a copy that could differ).
 */
export function modelToCommit(
  floatModel: FloatModel,
  training: readonly DataPoint[],
  competition: { featureCount: number; classCount: number },
): ModelToCommit {
  const prepared = prepareSubmissionModel(floatModel, training, competition);
  const bytes = encodeModel(prepared.model);
  return { bytes, model: decodeModel(bytes), hash: modelHash(bytes), report: prepared.report, calibrationPoints: training.length };
}

/** The score the chain computes for these bytes on `points` (the reference forward pass, lib/danku/forward.ts). */
export function scoreModelToCommit(committed: ModelToCommit, points: readonly DataPoint[]): AccuracyResult {
  return evaluateAccuracy(committed.model, points);
}

export interface PreviewScore {
  /** The bytes commit would submit (calibrated on the training rows). */
  readonly committed: ModelToCommit;
  /** The chain's score of those bytes on the scored rows. */
  readonly score: AccuracyResult;
  /** The float model's own score on the scored rows. */
  readonly float: AccuracyResult;
}

/**
 * What `score` prints: the model commit would submit (quantized on `training`), scored on `scored` (the training
 * rows themselves, the test data, or held-out rows) exactly as the chain scores it, next to the float model's score.
 */
export function previewScore(
  floatModel: FloatModel,
  data: { readonly training: readonly DataPoint[]; readonly scored: readonly DataPoint[]; readonly featureCount: number; readonly classCount: number },
): PreviewScore {
  const committed = modelToCommit(floatModel, data.training, { featureCount: data.featureCount, classCount: data.classCount });
  return { committed, score: scoreModelToCommit(committed, data.scored), float: floatAccuracy(floatModel, data.scored) };
}

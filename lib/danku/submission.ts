/**
 * What a submission commits, in one place: a float model → the exact model bytes `commit` hashes, reveals and the
 * contract evaluates. `commit` (CLI and browser) and every preview (`score` in the CLI, the browser's preview)
 * go through {@link modelToCommit}, and previews score the model decoded from its bytes
 * ({@link scoreModelToCommit}), so a preview scores exactly the bytes that would be committed.
 *
 * Both model kinds go through here (lib/danku/anyModel.ts): a dense float model becomes version-1 bytes, a float
 * CNN (only for an image competition of its input shape) version-2 bytes; the hash covers those bytes either way.
 *
 * Quantization picks its activation scales from calibration rows (lib/danku/quantize.ts), so the bytes depend on
 * them. They are always the rows `commit` has: the competition's revealed training data. Never the rows being
 * scored: a preview on the test data (or on any held-out rows) that calibrated on those rows would score a model
 * that is never committed, and could disagree with the chain.
 */
import type { Hex } from "viem";
import { modelHash, type DataPoint, type QuantizedModel } from "./encoding";
import type { AccuracyResult } from "./forward";
import type { FloatModel } from "./floatModel";
import { prepareSubmissionModel } from "./modelImport";
import type { QuantizationReport } from "./quantize";
import type { CnnModel, FloatCnnModel } from "./cnn/model";
import {
  decodeAnyModel,
  encodeAnyModel,
  evaluateAnyAccuracy,
  floatAnyAccuracy,
  isCnnModel,
  type AnyFloatModel,
  type AnyModel,
  type AnyQuantizationReport,
  type CnnQuantizationReport,
  type ModelCompetition,
} from "./anyModel";

export interface ModelToCommitOf<M extends AnyModel, R extends AnyQuantizationReport> {
  /** The encoded model (docs/protocol.md §4.1, docs/cnn.md §2): what is committed (by its hash), revealed and evaluated. */
  readonly bytes: Uint8Array;
  /** The model decoded from `bytes`: what the chain evaluates. */
  readonly model: M;
  readonly hash: Hex;
  /** Quantization report; its accuracies are on the training (calibration) rows. */
  readonly report: R;
  /** Number of training rows the quantization was calibrated on. */
  readonly calibrationPoints: number;
}

export type DenseModelToCommit = ModelToCommitOf<QuantizedModel, QuantizationReport>;
export type CnnModelToCommit = ModelToCommitOf<CnnModel, CnnQuantizationReport>;
export type ModelToCommit = DenseModelToCommit | CnnModelToCommit;

/** The commitment type of a float model type: dense → {@link DenseModelToCommit}, CNN → {@link CnnModelToCommit}. */
export type ModelToCommitFor<M extends AnyFloatModel> = M extends FloatCnnModel ? CnnModelToCommit : M extends FloatModel ? DenseModelToCommit : ModelToCommit;

/**
 * The float model as it will be committed to a competition with `competition`'s shape: checked against it (a CNN
 * against its image shape), quantized with activation scales calibrated on `training` (the competition's revealed
 * training rows: what `commit` has), encoded, and decoded again (so the model returned is the bytes' model, not a
 * copy that could differ).
 */
export function modelToCommit<M extends AnyFloatModel>(floatModel: M, training: readonly DataPoint[], competition: ModelCompetition): ModelToCommitFor<M> {
  const prepared = prepareSubmissionModel<AnyFloatModel>(floatModel, training, competition);
  const bytes = encodeAnyModel(prepared.model);
  const committed = { bytes, model: decodeAnyModel(bytes), hash: modelHash(bytes), report: prepared.report, calibrationPoints: training.length };
  if (isCnnModel(committed.model) !== isCnnModel(prepared.model)) throw new Error("the encoded model decoded to the other kind");
  return committed as ModelToCommitFor<M>;
}

/** The score the chain computes for these bytes on `points` (the reference forward pass of the model's kind). */
export function scoreModelToCommit(committed: ModelToCommit, points: readonly DataPoint[]): AccuracyResult {
  return evaluateAnyAccuracy(committed.model, points);
}

export interface PreviewScore<C extends ModelToCommit = ModelToCommit> {
  /** The bytes commit would submit (calibrated on the training rows). */
  readonly committed: C;
  /** The chain's score of those bytes on the scored rows. */
  readonly score: AccuracyResult;
  /** The float model's own score on the scored rows. */
  readonly float: AccuracyResult;
}

/**
 * What `score` prints: the model commit would submit (quantized on `training`), scored on `scored` (the training
 * rows themselves, the test data, or held-out rows) exactly as the chain scores it, next to the float model's score.
 */
export function previewScore<M extends AnyFloatModel>(
  floatModel: M,
  data: {
    readonly training: readonly DataPoint[];
    readonly scored: readonly DataPoint[];
    readonly featureCount: number;
    readonly classCount: number;
    readonly imageShape?: ModelCompetition["imageShape"];
  },
): PreviewScore<ModelToCommitFor<M>> {
  const committed = modelToCommit(floatModel, data.training, { featureCount: data.featureCount, classCount: data.classCount, imageShape: data.imageShape });
  return { committed, score: scoreModelToCommit(committed, data.scored), float: floatAnyAccuracy(floatModel, data.scored) };
}

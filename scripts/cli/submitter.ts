/**
 * Data-scientist commands: score (offline), commit, reveal-model, evaluate. Models of both kinds
 * (lib/danku/anyModel.ts): dense ones (JSON or ONNX) for any competition, convolutional ONNX files for image
 * competitions, whose image shape `score --competition` and `commit` read from the competition's metadata on IPFS.
 */
import { readFileSync } from "node:fs";
import { bytesToHex, hexToBytes } from "viem";
import { readCompetition, readRevealedModel, readRevealedPoints, readSubmission } from "../../lib/chain/danku";
import { commitSubmission, evaluateSubmissionToEnd, revealSubmissionModel } from "../../lib/chain/flows";
import { importModelFile } from "../../lib/danku/modelImport";
import { modelToCommit, previewScore, scoreModelToCommit } from "../../lib/danku/submission";
import { floatModelWidths, type FloatModel } from "../../lib/danku/floatModel";
import { anyModelMacs, denseWidths, describeAnyModel, formatImageShape, isFloatCnnModel, modelKind, type AnyFloatModel } from "../../lib/danku/anyModel";
import type { ImageShape } from "../../lib/danku/cnn/model";
import { parseCompetitionMetadata } from "../../lib/danku/metadata";
import type { CompetitionState } from "../../lib/chain/danku";
import { readEvaluationMode } from "../../lib/chain/claims";
import { openIpfs, type IpfsLocationOptions } from "./daimonIpfs";
import { MAX_CLASSES, MIN_CLASSES } from "../../lib/danku/constants";
import type { ParsedDataset } from "../../lib/danku/dataset";
import { estimateEvaluationGas } from "../../lib/danku/gasModel";
import { modelHash, submissionCommitment, type DataPoint } from "../../lib/danku/encoding";
import { meetsMinimumAccuracy } from "../../lib/danku/forward";
import { buildSubmissionFile, parseSubmissionFile, serializeSubmissionFile } from "../../lib/danku/secrets";
import { CliError, connect, Output, parseAddress, readTextFile, signer, type GlobalOptions } from "./context";
import { fullEvaluationCommand } from "./claims";
import { readCsvDataset, writeAtomically, writeNewFile } from "./files";

function randomSalt(): `0x${string}` {
  return bytesToHex(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}

function readModelBytes(file: string): Uint8Array {
  readTextFile(file, "model file");
  return new Uint8Array(readFileSync(file));
}

/** `--image-shape HxWxC` (e.g. 28x28x1) → the image shape; the channels are 1 (grayscale) or 3 (RGB). */
export function parseImageShapeOption(value: string): ImageShape {
  const match = /^\s*(\d+)\s*[x×]\s*(\d+)\s*[x×]\s*(\d+)\s*$/i.exec(value);
  const [height, width, channels] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  if (!match || height < 1 || width < 1 || (channels !== 1 && channels !== 3)) {
    throw new CliError(`--image-shape must be height x width x channels with 1 or 3 channels, such as 28x28x1; got ${value}`);
  }
  return { height, width, channels };
}

/**
 * The image shape of a competition, from its metadata document on IPFS (metadata.dataset.imageShape): only CNNs need
 * it, so dense models never touch IPFS. Undefined for a competition whose data is not images.
 */
async function competitionImageShape(state: CompetitionState, options: IpfsLocationOptions): Promise<ImageShape | undefined> {
  if (!state.metadataCid) {
    throw new CliError(
      `competition ${state.address} has no metadata document, so it declares no image shape and a convolutional network cannot be checked against it; submit a dense network`,
    );
  }
  const ipfs = openIpfs(options);
  const bytes = await ipfs.get(state.metadataCid, "the competition's metadata");
  try {
    return parseCompetitionMetadata(new TextDecoder().decode(bytes)).dataset.imageShape;
  } catch (error) {
    throw new CliError(`the competition's metadata ${state.metadataCid} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A class name that is a class number as written by people and by the dataset export: "0", "1", … "254". */
function classNumber(name: string): number | undefined {
  return /^(0|[1-9][0-9]{0,2})$/.test(name) ? Number(name) : undefined;
}

/**
 * Class indices for datasets that may not hold every class (a held-out file, a small sample): without `declared`,
 * the classes of `reference` in §2.1 order (as `create` numbers them); with `declared` (--classes), that many
 * classes, which must cover the ones seen — and when more are declared than seen, the labels must be the class
 * numbers themselves (0 … n−1), since names say nothing about the numbers of the classes that are missing.
 */
function classIndexing(reference: ParsedDataset, declared: number | undefined, where: string): { classCount: number; indexOf: (name: string) => number | undefined } {
  const seen = reference.classNames;
  if (declared === undefined || declared === seen.length) {
    const positions = new Map(seen.map((name, i) => [name, i]));
    return { classCount: seen.length, indexOf: (name) => positions.get(name) };
  }
  if (declared < seen.length) {
    throw new CliError(`--classes ${declared} is fewer than the ${seen.length} classes in ${where} (${seen.join(", ")}); pass --classes ${seen.length} or more`);
  }
  const numbers = seen.map(classNumber);
  if (numbers.some((n) => n === undefined)) {
    throw new CliError(
      `--classes ${declared} declares more classes than the ${seen.length} in ${where}, but its labels are names (${seen.slice(0, 5).join(", ")}), ` +
        `so the numbers of the missing classes are unknown: write the labels as class numbers 0…${declared - 1}, or pass --training with a file that holds every class`,
    );
  }
  const largest = Math.max(...(numbers as number[]));
  if (largest >= declared) {
    throw new CliError(`${where} has class number ${largest}, but --classes ${declared} allows only 0…${declared - 1}; pass --classes ${largest + 1} or more`);
  }
  return { classCount: declared, indexOf: classNumber };
}

/** `dataset`'s points with labels renumbered by `indexOf` (names of `dataset.classNames`). */
function relabel(dataset: ParsedDataset, indexOf: (name: string) => number | undefined, where: string, reference: string): DataPoint[] {
  const indices = dataset.classNames.map((name) => {
    const index = indexOf(name);
    if (index === undefined) throw new CliError(`${where} has the class "${name}", which ${reference} does not have`);
    return index;
  });
  return dataset.points.map((point) => ({ features: point.features, label: indices[point.label] as number }));
}

/**
 * What `score` scores and how the model is quantized for it. The calibration rows are always the ones `commit` would
 * quantize on (lib/danku/submission.ts): a competition's revealed training data, whichever data is scored; for a
 * dataset, its training rows — `--training <csv>` when the scored rows are held out, else the scored CSV itself
 * (which is then taken to be the training data, as a competition's downloaded training CSV is).
 */
interface ScoringPlan {
  /** "dataset" or "competition": what messages call it. */
  readonly kind: "dataset" | "competition";
  readonly points: DataPoint[];
  readonly source: string;
  /** The rows the quantization is calibrated on, and that in words. */
  readonly training: DataPoint[];
  readonly calibration: string;
  readonly featureCount: number;
  readonly classCount: number;
  /** The image shape the data's features are (--image-shape, or the competition's metadata), for CNNs. */
  readonly imageShape?: ImageShape | undefined;
}

async function datasetPlan(options: ScoreOptions, data: string): Promise<ScoringPlan> {
  const imageShape = options.imageShape === undefined ? undefined : parseImageShapeOption(options.imageShape);
  if (!options.label) throw new CliError("--label names the label column of --data (and of --training)");
  if (options.test) throw new CliError("--test picks a competition's revealed test data; with --data, the CSV is what is scored");
  const declared = options.classes === undefined ? undefined : Number(options.classes);
  if (declared !== undefined && !(Number.isInteger(declared) && declared >= MIN_CLASSES && declared <= MAX_CLASSES)) {
    throw new CliError(`--classes must be a whole number of classes between ${MIN_CLASSES} and ${MAX_CLASSES}, got ${options.classes}`);
  }
  const scored = await readCsvDataset(data, { labelColumn: options.label });
  if (!options.training) {
    const { classCount, indexOf } = classIndexing(scored, declared, `dataset ${data}`);
    const points = relabel(scored, indexOf, `dataset ${data}`, "it");
    return {
      kind: "dataset",
      points,
      source: data,
      training: points,
      calibration: `the ${points.length} rows of ${data}, taken as the training data (commit quantizes on a competition's revealed training data; to score held-out rows, pass that as --training <csv>)`,
      featureCount: scored.featureNames.length,
      classCount,
      imageShape,
    };
  }
  const training = await readCsvDataset(options.training, { labelColumn: options.label });
  if (training.featureNames.join("\u0000") !== scored.featureNames.join("\u0000")) {
    throw new CliError(`--training ${options.training} has the features ${training.featureNames.join(", ")}, but --data ${data} has ${scored.featureNames.join(", ")}`);
  }
  training.featureMappings.forEach((mapping, f) => {
    if (JSON.stringify(mapping) !== JSON.stringify(scored.featureMappings[f])) {
      throw new CliError(
        `feature "${training.featureNames[f]}" is not bytes 0..255 in both files, so --training ${options.training} and --data ${data} map it to bytes differently; ` +
          "give both as the byte features of the competition (its downloaded CSVs are)",
      );
    }
  });
  const { classCount, indexOf } = classIndexing(training, declared, `training dataset ${options.training}`);
  return {
    kind: "dataset",
    points: relabel(scored, indexOf, `dataset ${data}`, `--training ${options.training}`),
    source: data,
    training: relabel(training, indexOf, `training dataset ${options.training}`, "it"),
    calibration: `the ${training.points.length} rows of the training data ${options.training}, as commit quantizes on a competition's training data`,
    featureCount: scored.featureNames.length,
    classCount,
    imageShape,
  };
}

/** The data a model is scored on: a dataset CSV, or the competition's revealed training (or test) data. */
async function scoringPlan(options: ScoreOptions, floatModel: AnyFloatModel): Promise<ScoringPlan> {
  if (options.data && options.competition) {
    throw new CliError(
      "pass --data (a dataset) or --competition (its revealed data), not both; to score your own rows as they would be committed to a competition, " +
        "pass its training data (the CSV on its page) as --training",
    );
  }
  if (options.data) return datasetPlan(options, options.data);
  if (options.training || options.classes !== undefined || options.imageShape !== undefined) {
    throw new CliError("--training, --classes and --image-shape go with --data; a competition has its own training data, classes and image shape");
  }
  if (!options.competition) throw new CliError("pass --data <csv> --label <column>, or --competition <address> to score on revealed data");
  const context = await connect(options);
  const competition = parseAddress(options.competition, "--competition");
  const state = await readCompetition(context.client, competition);
  const { featureCount, classCount } = state.config;
  // commit quantizes on the revealed training data, so the preview does too, even when it scores the test data.
  const training = await readRevealedPoints(context.client, competition, true, featureCount);
  if (training.length === 0) throw new CliError(`no training data has been revealed on ${competition} yet, so a model cannot be quantized for it`);
  const calibration = `the ${training.length} revealed training points of ${competition}, as commit does`;
  const imageShape = isFloatCnnModel(floatModel) ? await competitionImageShape(state, options) : undefined;
  if (!options.test) return { kind: "competition", points: training, source: `training data of ${competition}`, training, calibration, featureCount, classCount, imageShape };
  const test = await readRevealedPoints(context.client, competition, false, featureCount);
  if (test.length === 0) throw new CliError(`no test data has been revealed on ${competition} yet`);
  return { kind: "competition", points: test, source: `test data of ${competition}`, training, calibration, featureCount, classCount, imageShape };
}

/**
 * The model's shape against the data, in words that name what there is (a dataset, or a competition). A CNN is
 * checked against the image shape by modelToCommit (lib/danku/anyModel.ts checkCnnAgainstCompetition); with --data
 * it needs --image-shape.
 */
function checkModelShape(floatModel: AnyFloatModel, plan: ScoringPlan): void {
  if (isFloatCnnModel(floatModel)) {
    if (plan.kind === "dataset" && !plan.imageShape) {
      throw new CliError(
        `the model is a convolutional network over ${formatImageShape(floatModel.input)} images; pass --image-shape ${floatModel.input.height}x${floatModel.input.width}x${floatModel.input.channels} ` +
          `if the features of ${plan.source} are those images, row by row (height × width × channels, as an image competition's points are)`,
      );
    }
    return;
  }
  checkDenseModelShape(floatModel, plan);
}

function checkDenseModelShape(floatModel: FloatModel, plan: ScoringPlan): void {
  const widths = floatModelWidths(floatModel);
  const inputs = widths[0] as number;
  const outputs = widths[widths.length - 1] as number;
  const what = plan.kind === "dataset" ? `dataset ${plan.source}` : "competition";
  if (inputs !== plan.featureCount) throw new CliError(`the model takes ${inputs} inputs but the ${what} has ${plan.featureCount} features`);
  if (outputs !== plan.classCount) {
    throw new CliError(
      `the model has ${outputs} outputs but the ${what} has ${plan.classCount} classes` +
        (plan.kind === "dataset" && outputs > plan.classCount ? `; if it holds only some of the model's classes, pass --classes ${outputs}` : ""),
    );
  }
}

export interface ScoreOptions extends GlobalOptions, IpfsLocationOptions {
  model: string;
  /** With --data: the image shape of its features (HxWxC), for convolutional networks. */
  imageShape?: string;
  data?: string;
  label?: string;
  training?: string;
  classes?: string;
  competition?: string;
  test?: boolean;
  minAccuracy?: string;
}

export async function scoreCommand(options: ScoreOptions, output: Output): Promise<void> {
  const floatModel = importModelFile(readModelBytes(options.model), options.model);
  const plan = await scoringPlan(options, floatModel);
  checkModelShape(floatModel, plan);
  // Exactly the bytes commit would submit (calibrated on the training rows), scored as the chain scores them.
  const { committed, score: result, float } = previewScore(floatModel, {
    training: plan.training,
    scored: plan.points,
    featureCount: plan.featureCount,
    classCount: plan.classCount,
    imageShape: plan.imageShape,
  });
  const widths = denseWidths(committed.model);
  // The gas model is the dense evaluator's; CNNs are scored by claims (docs/cnn.md), with no evaluation estimate.
  const gas = widths ? estimateEvaluationGas(widths, result.total) : undefined;
  const accuracy = result.total === 0 ? 0 : result.correct / result.total;
  const floatFraction = float.total === 0 ? 0 : float.correct / float.total;
  const minBps = options.minAccuracy ? Math.round(Number(options.minAccuracy) * 10_000) : undefined;
  output.result(
    [
      `data: ${plan.source} (${result.total} points, ${plan.classCount} classes)`,
      `quantized on: ${plan.calibration}`,
      `network: ${describeAnyModel(committed.model)} (${modelKind(committed.model) === "cnn" ? "convolutional, " : ""}${anyModelMacs(committed.model)} MACs per point, ${committed.bytes.length} bytes)`,
      `float accuracy: ${(floatFraction * 100).toFixed(2)} %`,
      `on-chain score: ${result.correct}/${result.total} = ${(accuracy * 100).toFixed(2)} % (quantization cost ${((floatFraction - accuracy) * 100).toFixed(2)} points)`,
      ...(gas ? [`estimated evaluation gas: ${gas.totalGas.toLocaleString("en-US")} in ${gas.transactions} transaction(s)`] : []),
      ...(minBps === undefined ? [] : [`meets the minimum accuracy: ${meetsMinimumAccuracy(result, minBps) ? "yes" : "no"}`]),
    ].join("\n"),
    {
      source: plan.source,
      calibration: { source: options.data ? (options.training ?? options.data) : `training data of ${options.competition}`, points: committed.calibrationPoints },
      classCount: plan.classCount,
      kind: modelKind(committed.model),
      network: describeAnyModel(committed.model),
      ...(widths ? { widths } : {}),
      macs: anyModelMacs(committed.model),
      modelBytes: committed.bytes.length,
      modelHash: committed.hash,
      correct: result.correct,
      total: result.total,
      accuracy,
      floatAccuracy: floatFraction,
      quantizationLoss: floatFraction - accuracy,
      ...(gas ? { estimatedGas: gas.totalGas, estimatedTransactions: gas.transactions } : {}),
    },
  );
}

export interface CommitOptions extends GlobalOptions, IpfsLocationOptions {
  competition: string;
  model: string;
  out: string;
  force?: boolean;
}

export async function commitCommand(options: CommitOptions, output: Output): Promise<void> {
  const floatModel = importModelFile(readModelBytes(options.model), options.model);
  const context = await connect(options);
  const competition = parseAddress(options.competition, "--competition");
  const state = await readCompetition(context.client, competition);
  if (state.stage !== "Submission") throw new CliError(`the competition is in the ${state.stage} stage; commitments are only accepted during Submission`);
  const training = await readRevealedPoints(context.client, competition, true, state.config.featureCount);
  if (training.length === 0) throw new CliError(`no training data has been revealed on ${competition} yet, so a model cannot be quantized for it`);
  // A CNN is checked against the competition's image shape, from its metadata (dense models need no metadata).
  const imageShape = isFloatCnnModel(floatModel) ? await competitionImageShape(state, options) : undefined;
  const evaluationMode = isFloatCnnModel(floatModel) ? await readEvaluationMode(context.client, competition) : undefined;
  const committed = modelToCommit(floatModel, training, { featureCount: state.config.featureCount, classCount: state.config.classCount, imageShape, evaluationMode });
  const modelBytes = committed.bytes;
  const wallet = signer(context);
  const salt = randomSalt();
  const hash = committed.hash;
  const commitment = submissionCommitment({ competition, submitter: wallet.account.address, modelHash: hash, salt });
  const file = buildSubmissionFile({
    chainId: context.chain.id,
    competition,
    submitter: wallet.account.address,
    salt,
    modelBytes,
  });
  // The salt and the exact model bytes are saved before the commitment is sent: the reveal needs both.
  writeNewFile(options.out, serializeSubmissionFile(file), { force: options.force });
  output.progress(`submission file written to ${options.out}; committing…`);
  const { submissionId, transaction, blockNumber } = await commitSubmission(wallet, context.client, { competition, commitment });
  writeAtomically(options.out, serializeSubmissionFile({ ...file, submissionId }));
  const training_accuracy = scoreModelToCommit(committed, training);
  output.result(
    [
      `submission ${submissionId} committed in block ${blockNumber}`,
      `training-data score: ${training_accuracy.correct}/${training_accuracy.total}`,
      `reveal after block ${state.deadlines.submissionEnd - 1n}: modelbounty reveal-model --submission ${options.out}`,
    ].join("\n"),
    { competition, submissionId, commitment, modelHash: hash, kind: modelKind(committed.model), modelBytes: modelBytes.length, transaction, file: options.out },
  );
}

export async function revealModelCommand(options: GlobalOptions & { submission: string }, output: Output): Promise<void> {
  const file = parseSubmissionFile(readTextFile(options.submission, "submission file"));
  if (file.submissionId === undefined) throw new CliError(`${options.submission} has no submission id: its commitment was never confirmed`);
  const context = await connect(options);
  if (context.chain.id !== file.chainId) throw new CliError(`${options.submission} belongs to chain ${file.chainId}, but the RPC is chain ${context.chain.id}`);
  const wallet = signer(context);
  if (wallet.account.address.toLowerCase() !== file.submitter.toLowerCase()) {
    throw new CliError(`only the committer ${file.submitter} can reveal this model; the key in the environment is ${wallet.account.address}`);
  }
  const onChain = await readSubmission(context.client, file.competition, file.submissionId);
  const modelBytes = hexToBytes(file.modelHex);
  const expected = submissionCommitment({ competition: file.competition, submitter: file.submitter, modelHash: modelHash(modelBytes), salt: file.salt });
  if (onChain.commitment !== expected) throw new CliError(`the submission file does not match the on-chain commitment of submission ${file.submissionId}`);
  const sent = await revealSubmissionModel(wallet, context.client, {
    competition: file.competition,
    submissionId: file.submissionId,
    modelHex: file.modelHex,
    salt: file.salt,
  });
  output.result(`model of submission ${file.submissionId} revealed (gas ${sent.gasUsed})`, {
    competition: file.competition,
    submissionId: file.submissionId,
    transaction: sent.hash,
    gasUsed: sent.gasUsed,
  });
}

export async function evaluateCommand(options: GlobalOptions & { competition: string; submissionId: string }, output: Output): Promise<void> {
  const context = await connect(options);
  const competition = parseAddress(options.competition, "--competition");
  const id = Number(options.submissionId);
  if (!Number.isInteger(id) || id < 0) throw new CliError(`--submission-id must be a non-negative integer, got ${options.submissionId}`);
  const state = await readCompetition(context.client, competition);
  if (state.stage !== "Evaluation") throw new CliError(`the competition is in the ${state.stage} stage; evaluation happens in the Evaluation stage`);
  if (!state.usesTestData) {
    throw new CliError(
      "the organizer did not reveal the test data in full, so there is no evaluation (there is no training-data fallback): " +
        "after the evaluation period, finalize shares the pool equally among the revealed submissions (docs/protocol.md §7.1)",
    );
  }
  if (id >= state.submissionCount) throw new CliError(`there is no submission ${id}; the competition has ${state.submissionCount}`);
  const submission = await readSubmission(context.client, competition, id);
  if (!submission.revealed) throw new CliError(`submission ${id} was never revealed, so it cannot be evaluated`);
  if (submission.evaluated) throw new CliError(`submission ${id} is already evaluated: ${submission.correct} correct`);
  // Claim mode: the full evaluation of docs/protocol.md §11.9, one transaction per test root.
  if ((await readEvaluationMode(context.client, competition)) === "claim") return fullEvaluationCommand(context, competition, id, state.config.featureCount, output);
  const wallet = signer(context);
  const model = await readRevealedModel(context.client, competition, id);
  const { correct, total, transactions } = await evaluateSubmissionToEnd(
    wallet,
    context.client,
    { competition, submissionId: id, widths: model?.widths },
    (cursor, all, correctSoFar) => output.progress(`evaluated ${cursor}/${all} points (${correctSoFar} correct so far)`),
  );
  const after = await readCompetition(context.client, competition);
  output.result(
    `submission ${id}: ${correct}/${total} correct on the test data in ${transactions.length} transaction(s)` +
      (after.best.exists && after.best.id === id ? " — currently the best" : ""),
    { competition, submissionId: id, correct, total, isBest: after.best.exists && after.best.id === id, transactions },
  );
}

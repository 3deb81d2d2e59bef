/**
 * Data-scientist commands: score (offline), commit, reveal-model, evaluate.
 */
import { readFileSync } from "node:fs";
import { bytesToHex, hexToBytes } from "viem";
import { readCompetition, readRevealedModel, readRevealedPoints, readSubmission } from "../../lib/chain/danku";
import { commitSubmission, evaluateSubmissionToEnd, revealSubmissionModel } from "../../lib/chain/flows";
import { importModelFile, prepareSubmissionModel } from "../../lib/danku/modelImport";
import { estimateEvaluationGas } from "../../lib/danku/gasModel";
import { encodeModel, macsPerPoint, modelHash, submissionCommitment, type DataPoint } from "../../lib/danku/encoding";
import { evaluateAccuracy, meetsMinimumAccuracy } from "../../lib/danku/forward";
import { buildSubmissionFile, parseSubmissionFile, serializeSubmissionFile } from "../../lib/danku/secrets";
import { CliError, connect, Output, parseAddress, readTextFile, signer, type GlobalOptions } from "./context";
import { readCsvDataset, writeAtomically, writeNewFile } from "./files";

function randomSalt(): `0x${string}` {
  return bytesToHex(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}

function readModelBytes(file: string): Uint8Array {
  readTextFile(file, "model file");
  return new Uint8Array(readFileSync(file));
}

/** The data a model is scored on: a CSV file, or the competition's revealed training (or test) data. */
async function scoringData(
  options: { data?: string; label?: string; competition?: string; test?: boolean } & GlobalOptions,
): Promise<{ points: DataPoint[]; featureCount: number; classCount: number; source: string }> {
  if (options.data) {
    if (!options.label) throw new CliError("--label names the label column of --data");
    const dataset = await readCsvDataset(options.data, { labelColumn: options.label });
    return { points: dataset.points, featureCount: dataset.featureNames.length, classCount: dataset.classNames.length, source: options.data };
  }
  if (!options.competition) throw new CliError("pass --data <csv> --label <column>, or --competition <address> to score on revealed data");
  const context = await connect(options);
  const competition = parseAddress(options.competition, "--competition");
  const state = await readCompetition(context.client, competition);
  const training = !options.test;
  const points = await readRevealedPoints(context.client, competition, training, state.config.featureCount);
  if (points.length === 0) throw new CliError(`no ${training ? "training" : "test"} data has been revealed on ${competition} yet`);
  return {
    points,
    featureCount: state.config.featureCount,
    classCount: state.config.classCount,
    source: `${training ? "training" : "test"} data of ${competition}`,
  };
}

export interface ScoreOptions extends GlobalOptions {
  model: string;
  data?: string;
  label?: string;
  competition?: string;
  test?: boolean;
  minAccuracy?: string;
}

export async function scoreCommand(options: ScoreOptions, output: Output): Promise<void> {
  const floatModel = importModelFile(readModelBytes(options.model), options.model);
  const data = await scoringData(options);
  const prepared = prepareSubmissionModel(floatModel, data.points, { featureCount: data.featureCount, classCount: data.classCount });
  const result = evaluateAccuracy(prepared.model, data.points);
  const gas = estimateEvaluationGas(prepared.model.widths, result.total);
  const accuracy = result.total === 0 ? 0 : result.correct / result.total;
  const minBps = options.minAccuracy ? Math.round(Number(options.minAccuracy) * 10_000) : undefined;
  output.result(
    [
      `data: ${data.source} (${result.total} points)`,
      `network: ${prepared.model.widths.join("-")} (${macsPerPoint(prepared.model.widths)} MACs per point)`,
      `float accuracy: ${(prepared.report.floatAccuracy * 100).toFixed(2)} %`,
      `on-chain score: ${result.correct}/${result.total} = ${(accuracy * 100).toFixed(2)} % (quantization cost ${(prepared.report.accuracyLoss * 100).toFixed(2)} points)`,
      `estimated evaluation gas: ${gas.totalGas.toLocaleString("en-US")} in ${gas.transactions} transaction(s)`,
      ...(minBps === undefined ? [] : [`meets the minimum accuracy: ${meetsMinimumAccuracy(result, minBps) ? "yes" : "no"}`]),
    ].join("\n"),
    {
      source: data.source,
      widths: prepared.model.widths,
      correct: result.correct,
      total: result.total,
      accuracy,
      floatAccuracy: prepared.report.floatAccuracy,
      quantizationLoss: prepared.report.accuracyLoss,
      estimatedGas: gas.totalGas,
      estimatedTransactions: gas.transactions,
    },
  );
}

export interface CommitOptions extends GlobalOptions {
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
  const prepared = prepareSubmissionModel(floatModel, training, { featureCount: state.config.featureCount, classCount: state.config.classCount });
  const modelBytes = encodeModel(prepared.model);
  const wallet = signer(context);
  const salt = randomSalt();
  const hash = modelHash(modelBytes);
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
  const training_accuracy = evaluateAccuracy(prepared.model, training);
  output.result(
    [
      `submission ${submissionId} committed in block ${blockNumber}`,
      `training-data score: ${training_accuracy.correct}/${training_accuracy.total}`,
      `reveal after block ${state.deadlines.submissionEnd - 1n}: modelbounty reveal-model --submission ${options.out}`,
    ].join("\n"),
    { competition, submissionId, commitment, modelHash: hash, transaction, file: options.out },
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

/**
 * Organizer commands: create (init1 + init2), reveal-training, reveal-test, cancel.
 */
import { readFileSync } from "node:fs";
import { parseEther, type Address, type PublicClient } from "viem";
import { dankuCompetitionAbi } from "../../lib/generated/abis";
import { readCompetition, readGroupHashes, type CompetitionConfig, type DankuWallet } from "../../lib/chain/danku";
import { launchCompetition, revealPendingGroups } from "../../lib/chain/flows";
import { sendContractTransaction } from "../../lib/chain/transactions";
import { parseCsvDataset } from "../../lib/danku/dataset";
import { buildDataGroups, trainingGroupCount } from "../../lib/danku/groups";
import { manipulationOdds } from "../../lib/danku/odds";
import { buildSecrets, parseSecrets, serializeSecrets, verifySecretsAgainstHashes, type DankuSecrets } from "../../lib/danku/secrets";
import { BPS, MAX_PERIOD, MIN_PERIOD } from "../../lib/danku/constants";
import { CliError, connect, eth, Output, parseAddress, readTextFile, resolveFactory, signer, type GlobalOptions } from "./context";
import { writeAtomically, writeNewFile } from "./files";

export interface CreateOptions extends GlobalOptions {
  data: string;
  label: string;
  reward: string;
  groups?: string;
  groupSize?: string;
  trainingRatio: string;
  minAccuracy: string;
  init2Window: string;
  trainingRevealPeriod: string;
  submissionPeriod: string;
  modelRevealPeriod: string;
  testRevealPeriod: string;
  evaluationPeriod: string;
  metadataCid: string;
  secrets: string;
  force?: boolean;
}

function integerOption(value: string, name: string, min: number, max: number): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new CliError(`--${name} must be an integer between ${min} and ${max}, got ${value}`);
  }
  return parsed;
}

function ratioToBps(value: string, name: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0 || parsed > 1) throw new CliError(`--${name} must be a number between 0 and 1, got ${value}`);
  return Math.round(parsed * BPS);
}

function parseReward(value: string): bigint {
  let reward: bigint;
  try {
    reward = parseEther(value);
  } catch {
    throw new CliError(`--reward must be an amount of ETH such as 0.5, got ${value}`);
  }
  if (reward <= 0n) throw new CliError("--reward must be greater than zero");
  return reward;
}

export async function createCommand(options: CreateOptions, output: Output): Promise<void> {
  // Everything that can be wrong with the input is checked before any key is touched or transaction sent.
  const dataset = parseCsvDataset(readTextFile(options.data, "dataset"), { labelColumn: options.label });
  const pointCount = dataset.points.length;
  const groupCount = options.groups
    ? integerOption(options.groups, "groups", 2, pointCount)
    : Math.max(2, Math.floor(pointCount / integerOption(options.groupSize ?? "5", "group-size", 1, pointCount)));
  const trainingBps = ratioToBps(options.trainingRatio, "training-ratio");
  const nTrain = trainingGroupCount(groupCount, trainingBps);
  const config: CompetitionConfig = {
    featureCount: dataset.featureNames.length,
    classCount: dataset.classNames.length,
    trainingBps,
    minAccuracyBps: ratioToBps(options.minAccuracy, "min-accuracy"),
    init2Window: integerOption(options.init2Window, "init2-window", 1, 255),
    trainingRevealPeriod: integerOption(options.trainingRevealPeriod, "training-reveal-period", MIN_PERIOD, MAX_PERIOD),
    submissionPeriod: integerOption(options.submissionPeriod, "submission-period", MIN_PERIOD, MAX_PERIOD),
    modelRevealPeriod: integerOption(options.modelRevealPeriod, "model-reveal-period", MIN_PERIOD, MAX_PERIOD),
    testRevealPeriod: integerOption(options.testRevealPeriod, "test-reveal-period", MIN_PERIOD, MAX_PERIOD),
    evaluationPeriod: integerOption(options.evaluationPeriod, "evaluation-period", MIN_PERIOD, MAX_PERIOD),
  };
  const reward = parseReward(options.reward);

  const context = await connect(options);
  const wallet = signer(context);
  const factory = resolveFactory(options, context.chain.id);

  output.progress(`hashing ${groupCount} data groups of ${pointCount} points…`);
  const groups = buildDataGroups(dataset.points, { groupCount, featureCount: config.featureCount, classCount: config.classCount });
  const secrets = buildSecrets({
    chainId: context.chain.id,
    featureCount: config.featureCount,
    classCount: config.classCount,
    featureNames: dataset.featureNames,
    classNames: dataset.classNames,
    featureMappings: dataset.featureMappings,
    groups,
  });
  // The secrets exist on disk before the first transaction: without them nobody can ever reveal the data.
  writeNewFile(options.secrets, serializeSecrets(secrets), { force: options.force });
  output.progress(`secrets written to ${options.secrets} — keep this file; the reveals are impossible without it`);

  output.progress(`creating the competition with a reward of ${eth(reward)}…`);
  const launched = await launchCompetition(
    wallet,
    context.client,
    { factory, config, groupHashes: groups.map((g) => g.hash), metadataCid: options.metadataCid, reward },
    (address, init1Block) => {
      // Record the address at once: if init2 fails, the secrets file still names its competition.
      writeAtomically(options.secrets, serializeSecrets({ ...secrets, competition: address }));
      output.progress(`competition ${address} created in block ${init1Block}; selecting the training groups (init2)…`);
    },
  );
  const created = { address: launched.address, init1Block: launched.init1Block };
  const split = launched.split;
  const odds = manipulationOdds({ groupCount, trainingBps, attempts: 1 });
  output.result(
    [
      `competition: ${created.address}`,
      `groups: ${groupCount} (${nTrain} training, ${groupCount - nTrain} test), ${pointCount} points`,
      `training groups: ${split.training.slice().sort((a, b) => a - b).join(", ")}`,
      `odds an organizer gets a chosen split in one draw: ${(odds * 100).toPrecision(3)} %`,
      `next: modelbounty reveal-training --competition ${created.address} --secrets ${options.secrets}`,
    ].join("\n"),
    {
      competition: created.address,
      init1Block: created.init1Block,
      groupCount,
      trainingGroups: split.training,
      testGroups: split.test,
      secrets: options.secrets,
      manipulationOdds: odds,
    },
  );
}

export interface RevealOptions extends GlobalOptions {
  competition: string;
  secrets: string;
}

/** Loads the secrets file and proves it belongs to this competition before anything is sent. */
async function loadVerifiedSecrets(
  client: PublicClient,
  competition: Address,
  file: string,
): Promise<DankuSecrets> {
  const secrets = parseSecrets(readFileSync(file, "utf8"));
  const hashes = await readGroupHashes(client, competition);
  const check = verifySecretsAgainstHashes(secrets, hashes);
  if (!check.ok) throw new CliError(`the secrets file does not match competition ${competition}: ${check.message}`);
  return secrets;
}

async function revealGroups(
  options: RevealOptions,
  output: Output,
  training: boolean,
): Promise<void> {
  const context = await connect(options);
  const competition = parseAddress(options.competition, "--competition");
  readTextFile(options.secrets, "secrets file");
  const secrets = await loadVerifiedSecrets(context.client, competition, options.secrets);
  const state = await readCompetition(context.client, competition);
  const required = training ? "TrainingReveal" : "TestReveal";
  if (state.stage !== required) {
    throw new CliError(`the competition is in the ${state.stage} stage; ${training ? "training" : "test"} data can only be revealed in ${required}`);
  }
  const wallet: DankuWallet = signer(context);
  const { revealedGroups: revealed, transactions } = await revealPendingGroups(
    wallet,
    context.client,
    { competition, groups: secrets.groups, training },
    (done, total, batch, batches) => {
      if (total === 0) throw new CliError(`every ${training ? "training" : "test"} group is already revealed`);
      if (batch > 0) output.progress(`batch ${batch}/${batches}: ${done}/${total} groups revealed`);
    },
  );
  output.result(`revealed ${revealed} ${training ? "training" : "test"} groups in ${transactions.length} transactions`, {
    competition,
    revealedGroups: revealed,
    transactions,
  });
}

export function revealTrainingCommand(options: RevealOptions, output: Output): Promise<void> {
  return revealGroups(options, output, true);
}

export function revealTestCommand(options: RevealOptions, output: Output): Promise<void> {
  return revealGroups(options, output, false);
}

export async function cancelCommand(options: GlobalOptions & { competition: string }, output: Output): Promise<void> {
  const context = await connect(options);
  const competition = parseAddress(options.competition, "--competition");
  const wallet = signer(context);
  const sent = await sendContractTransaction(wallet, context.client, {
    address: competition,
    abi: dankuCompetitionAbi,
    functionName: "cancel",
    args: [],
  });
  output.result(`competition ${competition} cancelled; the organizer and donors can withdraw`, { competition, transaction: sent.hash });
}

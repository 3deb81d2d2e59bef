/**
 * Organizer commands: create (init1 + init2), reveal-training, reveal-test, cancel.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseEther, parseUnits, type Address, type PublicClient } from "viem";
import { dankuCompetitionAbi } from "../../lib/generated/abis";
import { readCompetition, readGroupHashes, type CompetitionConfig, type DankuWallet } from "../../lib/chain/danku";
import { launchCompetition, mineLocalBlocks, revealPendingGroups } from "../../lib/chain/flows";
import { sendContractTransaction } from "../../lib/chain/transactions";
import { type ParsedDataset } from "../../lib/danku/dataset";
import {
  buildCompetitionMetadata,
  MAX_DESCRIPTION_LENGTH,
  MAX_TITLE_LENGTH,
  MetadataError,
  type CompetitionMetadata,
} from "../../lib/danku/metadata";
import {
  buildDataGroups,
  groupPointCounts,
  groupSizes,
  minimumEvaluationPeriod,
  trainingGroupCount,
  WORST_CASE_POINTS_PER_EVALUATION_TX,
} from "../../lib/danku/groups";
import { manipulationOdds } from "../../lib/danku/odds";
import { buildSecrets, parseSecrets, serializeSecrets, verifySecretsAgainstHashes, type DankuSecrets } from "../../lib/danku/secrets";
import {
  BPS,
  EVALUATION_PERIOD_FACTOR,
  MAX_BOND_GAS_PRICE,
  MAX_CHALLENGE_WINDOW,
  MAX_PERIOD,
  MIN_BOND_GAS_PRICE,
  MIN_CHALLENGE_WINDOW,
  MIN_PERIOD,
} from "../../lib/danku/constants";
import { claimBond } from "../../lib/danku/claims";
import { CliError, connect, eth, Output, parseAddress, readTextFile, resolveFactory, signer, type GlobalOptions } from "./context";
import {
  evaluationFit,
  formatEvaluationFit,
  formatForfeitRule,
  formatGroupSizes,
  formatPlacementOdds,
  groupSizeSummary,
  placementOdds,
  resolveSplitDelay,
} from "./commitments";
import { readCsvDataset, readImageDataset, refuseOverwrite, writeAtomically, writeNewFile } from "./files";
import type { ImageDataset, ImageShape } from "../../lib/danku/images";
import { openIpfs, type CliIpfs, type IpfsLocationOptions } from "./daimonIpfs";
import { LOCAL_CHAIN_ID } from "../../lib/danku/split";

export interface CreateOptions extends GlobalOptions, IpfsLocationOptions {
  /** A CSV dataset (with --label); or --images, or --idx-images and --idx-labels. */
  data?: string;
  label?: string;
  /** PNGs: a folder or a .zip, with their labels CSV inside or named by --labels (docs/protocol.md §2.3). */
  images?: string;
  labels?: string;
  /** An IDX pair as MNIST ships it (optionally gzipped). */
  idxImages?: string;
  idxLabels?: string;
  reward: string;
  groups?: string;
  groupSize?: string;
  trainingRatio: string;
  minAccuracy: string;
  init2Window: string;
  splitDelay?: string;
  trainingRevealPeriod: string;
  submissionPeriod: string;
  modelRevealPeriod: string;
  testRevealPeriod: string;
  evaluationPeriod?: string;
  metadataCid: string;
  /** With --description: the metadata document create builds and uploads (instead of --metadata-cid). */
  title?: string;
  description?: string;
  secrets: string;
  force?: boolean;
  /** "onchain" (default) or "claim" (docs/protocol.md §11), with the claim terms below. */
  mode?: string;
  challengeWindow?: string;
  /** In gwei: claimBond = CLAIM_BOND_GAS × this. */
  bondGasPrice?: string;
}

/** --challenge-window's default: 100 blocks (20 minutes at 12 s) for checkers to see and dispute a claim. */
export const DEFAULT_CHALLENGE_WINDOW = "100";
/** --bond-gas-price's default in gwei: the contract's minimum. */
export const DEFAULT_BOND_GAS_PRICE_GWEI = "1";

/** The claim terms --mode claim asks for (undefined for on-chain evaluation), range-checked before anything is sent. */
function claimTermsFor(options: CreateOptions): { challengeWindow: number; bondGasPrice: bigint } | undefined {
  const mode = options.mode ?? "onchain";
  if (mode !== "claim" && mode !== "onchain") throw new CliError(`--mode must be onchain or claim, got ${mode}`);
  if (mode === "onchain") {
    if (options.challengeWindow !== undefined || options.bondGasPrice !== undefined) {
      throw new CliError("--challenge-window and --bond-gas-price are claim-mode terms: pass --mode claim with them");
    }
    return undefined;
  }
  const challengeWindow = integerOption(options.challengeWindow ?? DEFAULT_CHALLENGE_WINDOW, "challenge-window", MIN_CHALLENGE_WINDOW, MAX_CHALLENGE_WINDOW);
  const gwei = options.bondGasPrice ?? DEFAULT_BOND_GAS_PRICE_GWEI;
  let bondGasPrice: bigint;
  try {
    bondGasPrice = parseUnits(gwei, 9);
  } catch {
    throw new CliError(`--bond-gas-price must be a gas price in gwei such as 1.5, got ${gwei}`);
  }
  if (bondGasPrice < BigInt(MIN_BOND_GAS_PRICE) || bondGasPrice > BigInt(MAX_BOND_GAS_PRICE)) {
    throw new CliError(`--bond-gas-price must be between ${MIN_BOND_GAS_PRICE / 1e9} and ${MAX_BOND_GAS_PRICE / 1e9} gwei, got ${gwei}`);
  }
  return { challengeWindow, bondGasPrice };
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

/** The evaluation period used when --evaluation-period is not given: 100 blocks, or the contract's minimum if longer. */
const DEFAULT_EVALUATION_PERIOD = 100;

/**
 * --evaluation-period, checked against the contract's rule before anything is sent: the period must hold the
 * worst-case evaluation of one submission on every committed point (docs/protocol.md §7.2).
 */
function evaluationPeriodFor(value: string | undefined, totalPoints: number, claimMode: boolean): number {
  // The claim mode has no full evaluation, so the evaluation-fits rule does not apply to it (docs/protocol.md §11.1).
  const minimum = claimMode ? MIN_PERIOD : minimumEvaluationPeriod(totalPoints);
  if (value === undefined) return Math.min(MAX_PERIOD, Math.max(DEFAULT_EVALUATION_PERIOD, minimum));
  const period = integerOption(value, "evaluation-period", MIN_PERIOD, MAX_PERIOD);
  if (period < minimum) {
    const transactions = Math.ceil(totalPoints / WORST_CASE_POINTS_PER_EVALUATION_TX);
    throw new CliError(
      `--evaluation-period ${period} is too short for ${totalPoints} points: the contract requires at least ${minimum} blocks ` +
        `(a worst-case model is evaluated ${WORST_CASE_POINTS_PER_EVALUATION_TX} points per 15 M-gas transaction, so ` +
        `${transactions} transaction(s), one per block, ×${EVALUATION_PERIOD_FACTOR} slack so that every revealed ` +
        `submission can be evaluated in time — docs/protocol.md §7.2); nothing was sent`,
    );
  }
  return period;
}

/**
 * The metadata document --title and --description describe, built like the web wizard builds it
 * (lib/danku/metadata.ts), or undefined without --title. Checked before anything is uploaded or sent.
 */
function competitionMetadata(options: CreateOptions, input: DatasetInput, groupCount: number): CompetitionMetadata | undefined {
  const dataset = input.dataset;
  if (options.title === undefined) {
    if (options.description !== undefined) throw new CliError("--description goes into the competition's metadata, which needs a --title too");
    return undefined;
  }
  if (options.metadataCid !== "") {
    throw new CliError("pass either --title (and --description) to upload new metadata, or --metadata-cid for an uploaded document, not both");
  }
  const title = options.title.trim();
  const description = (options.description ?? "").trim();
  if (title === "") throw new CliError(`--title is empty; a competition's title has 1 to ${MAX_TITLE_LENGTH} characters`);
  if (title.length > MAX_TITLE_LENGTH) {
    throw new CliError(`--title is ${title.length} characters long; the limit is ${MAX_TITLE_LENGTH} characters; nothing was sent`);
  }
  if (description.length > MAX_DESCRIPTION_LENGTH) {
    throw new CliError(`--description is ${description.length} characters long; the limit is ${MAX_DESCRIPTION_LENGTH} characters; nothing was sent`);
  }
  try {
    return buildCompetitionMetadata({
      title,
      description,
      dataset: {
        name: input.name,
        featureNames: dataset.featureNames,
        classNames: dataset.classNames,
        featureMappings: dataset.featureMappings,
        pointCount: dataset.points.length,
        groupCount,
        labelColumn: input.labelColumn,
        ...(input.imageShape ? { imageShape: input.imageShape } : {}),
      },
    });
  } catch (error) {
    if (error instanceof MetadataError) throw new CliError(`the competition's metadata is invalid: ${error.message}; nothing was sent`);
    throw error;
  }
}

/** The dataset create hashes, with what its metadata says about it. */
interface DatasetInput {
  readonly dataset: ParsedDataset;
  /** The dataset's name in the metadata: the CSV's, the folder's or archive's, or the IDX image file's. */
  readonly name: string;
  readonly labelColumn: string;
  readonly imageShape?: ImageShape;
}

/** Reads the one dataset the options name: a CSV (--data, --label), PNGs (--images, --labels) or an IDX pair. */
async function readDatasetInput(options: CreateOptions): Promise<DatasetInput> {
  const given = [options.data && "--data", options.images && "--images", (options.idxImages || options.idxLabels) && "--idx-images/--idx-labels"].filter(Boolean);
  if (given.length !== 1) {
    throw new CliError(
      given.length === 0
        ? "create needs a dataset: --data <csv> --label <column>, --images <folder|zip> [--labels <csv>], or --idx-images <file> --idx-labels <file>"
        : `give one dataset, not ${given.join(" and ")}`,
    );
  }
  if (options.data) {
    if (!options.label) throw new CliError("--label names the label column of --data (e.g. --label variety)");
    if (options.labels) throw new CliError("--labels is the labels CSV of --images; a --data CSV holds its labels in the --label column");
    return { dataset: await readCsvDataset(options.data, { labelColumn: options.label }), name: path.basename(options.data), labelColumn: options.label };
  }
  if (options.label) throw new CliError("--label is for --data CSVs; image datasets take their labels from --labels (PNGs) or --idx-labels");
  let dataset: ImageDataset;
  if (options.images) dataset = readImageDataset({ kind: "png", images: options.images, ...(options.labels ? { labels: options.labels } : {}) });
  else {
    if (!options.idxImages || !options.idxLabels) throw new CliError("an IDX dataset needs both --idx-images (idx3) and --idx-labels (idx1), as MNIST ships them");
    if (options.labels) throw new CliError("--labels is the labels CSV of --images; an IDX pair takes its labels from --idx-labels");
    if (path.resolve(options.idxImages) === path.resolve(options.idxLabels)) {
      throw new CliError(`--idx-images and --idx-labels both name ${options.idxImages}; give the images (idx3) and the labels (idx1) file`);
    }
    dataset = readImageDataset({ kind: "idx", images: options.idxImages, labels: options.idxLabels });
  }
  const name = path.basename((options.images ?? options.idxImages) as string);
  return { dataset, name, labelColumn: dataset.labelColumn, imageShape: dataset.imageShape };
}

export async function createCommand(options: CreateOptions, output: Output): Promise<void> {
  // Everything that can be wrong with the input is checked before any key is touched or transaction sent.
  const input = await readDatasetInput(options);
  const dataset = input.dataset;
  const pointCount = dataset.points.length;
  const groupCount = options.groups
    ? integerOption(options.groups, "groups", 2, pointCount)
    : Math.max(2, Math.floor(pointCount / integerOption(options.groupSize ?? "5", "group-size", 1, pointCount)));
  const trainingBps = ratioToBps(options.trainingRatio, "training-ratio");
  const nTrain = trainingGroupCount(groupCount, trainingBps);
  const sizes = groupSizeSummary(groupSizes(pointCount, groupCount));
  // Range-check an explicit --split-delay now; its default depends on the chain, known once connected.
  if (options.splitDelay !== undefined) resolveSplitDelay(options.splitDelay, 0);
  const claimTerms = claimTermsFor(options);
  const periods = {
    featureCount: dataset.featureNames.length,
    classCount: dataset.classNames.length,
    trainingBps,
    minAccuracyBps: ratioToBps(options.minAccuracy, "min-accuracy"),
    init2Window: integerOption(options.init2Window, "init2-window", 1, 255),
    trainingRevealPeriod: integerOption(options.trainingRevealPeriod, "training-reveal-period", MIN_PERIOD, MAX_PERIOD),
    submissionPeriod: integerOption(options.submissionPeriod, "submission-period", MIN_PERIOD, MAX_PERIOD),
    modelRevealPeriod: integerOption(options.modelRevealPeriod, "model-reveal-period", MIN_PERIOD, MAX_PERIOD),
    testRevealPeriod: integerOption(options.testRevealPeriod, "test-reveal-period", MIN_PERIOD, MAX_PERIOD),
    evaluationPeriod: evaluationPeriodFor(options.evaluationPeriod, sizes.totalPoints, claimTerms !== undefined),
  };
  const reward = parseReward(options.reward);
  const metadata = competitionMetadata(options, input, groupCount);
  const ipfs: CliIpfs | undefined = metadata ? openIpfs(options) : undefined;
  refuseOverwrite(options.secrets, { force: options.force });

  const context = await connect(options);
  const wallet = signer(context);
  const factory = resolveFactory(options, context.chain.id);
  const local = context.chain.id === LOCAL_CHAIN_ID;
  const config: CompetitionConfig = { ...periods, splitDelay: resolveSplitDelay(options.splitDelay, context.chain.id) };

  output.progress(`hashing ${groupCount} data groups of ${pointCount} points…`);
  const groups = buildDataGroups(dataset.points, { groupCount, featureCount: config.featureCount, classCount: config.classCount });
  const pointCounts = groupPointCounts(groups);
  const secrets = buildSecrets({
    chainId: context.chain.id,
    featureCount: config.featureCount,
    classCount: config.classCount,
    featureNames: dataset.featureNames,
    classNames: dataset.classNames,
    featureMappings: dataset.featureMappings,
    groups,
  });
  let metadataCid = options.metadataCid;
  if (metadata && ipfs) {
    // Uploaded before the secrets are written, so an unreachable IPFS leaves nothing behind to --force over.
    output.progress(`uploading the competition's metadata ("${metadata.title}") to ${ipfs.location}…`);
    metadataCid = await ipfs.add(new TextEncoder().encode(`${JSON.stringify(metadata, null, 2)}\n`));
  }
  // The secrets exist on disk before the first transaction: without them nobody can ever reveal the data.
  writeNewFile(options.secrets, serializeSecrets(secrets), { force: options.force });
  output.progress(`secrets written to ${options.secrets} — keep this file; the reveals are impossible without it`);

  output.progress(`creating the competition with a reward of ${eth(reward)}…`);
  let lastWaitReport: bigint | undefined;
  const launched = await launchCompetition(
    wallet,
    context.client,
    { factory, config, groupHashes: groups.map((g) => g.hash), groupPointCounts: pointCounts, metadataCid, reward, ...(claimTerms ? { claimTerms } : {}) },
    {
      onCreated: (address, init1Block) => {
        // Record the address at once: if init2 fails, the secrets file still names its competition.
        writeAtomically(options.secrets, serializeSecrets({ ...secrets, competition: address }));
        output.progress(
          `competition ${address} created in block ${init1Block}; the split is seeded by block ${init1Block + BigInt(config.splitDelay)}` +
            ` — from that block on, cancelling burns the reward`,
        );
      },
      onWaiting: (blockNumber, seedBlock) => {
        if (lastWaitReport === blockNumber) return;
        lastWaitReport = blockNumber;
        output.progress(`waiting for the seed block ${seedBlock} (now ${blockNumber})${local ? ", mining it on the local chain" : ""}…`);
      },
      // A local dev chain mines only on transactions: mine the missing blocks instead of waiting for ever.
      advance: local ? mineLocalBlocks(context.client) : undefined,
    },
  );
  const seedBlock = launched.init1Block + BigInt(config.splitDelay);
  const split = launched.split;
  const odds = manipulationOdds({ groupCount, trainingBps, attempts: 1 });
  const placement = placementOdds(groupCount, nTrain);
  const fit = evaluationFit(sizes.totalPoints, config.evaluationPeriod);
  output.result(
    [
      `competition: ${launched.address}`,
      metadata ? `title: ${metadata.title} (metadata ${metadataCid})` : metadataCid ? `metadata: ${metadataCid}` : "metadata: none (lists as untitled; pass --title)",
      `groups: ${groupCount} (${nTrain} training, ${groupCount - nTrain} test), ${pointCount} points`,
      ...(input.imageShape
        ? [`images: ${input.imageShape.height} × ${input.imageShape.width} × ${input.imageShape.channels} (${config.featureCount} features, row-major), from ${input.name}`]
        : []),
      `group sizes: ${formatGroupSizes(sizes)}`,
      `split: seeded by the hash of block ${seedBlock} (created in ${launched.init1Block}, split delay ${config.splitDelay})`,
      `training groups: ${split.training.slice().sort((a, b) => a - b).join(", ")}`,
      claimTerms
        ? `evaluation: claim mode, challenge window ${claimTerms.challengeWindow} blocks, claim bond ${eth(claimBond(claimTerms.bondGasPrice))} (docs/protocol.md §11)`
        : formatEvaluationFit(fit),
      formatPlacementOdds(placement, groupCount, nTrain, reward),
      `odds of one exact split in one draw (1/C(${groupCount},${nTrain})): ${(odds * 100).toPrecision(3)} %`,
      formatForfeitRule(seedBlock, reward),
      `next: modelbounty reveal-training --competition ${launched.address} --secrets ${options.secrets}`,
    ].join("\n"),
    {
      competition: launched.address,
      metadataCid,
      title: metadata?.title,
      pointCount,
      featureCount: config.featureCount,
      imageShape: input.imageShape ?? null,
      init1Block: launched.init1Block,
      splitDelay: config.splitDelay,
      splitSeedBlock: seedBlock,
      groupCount,
      groupPointCounts: pointCounts,
      groupSizes: sizes,
      trainingGroups: split.training,
      testGroups: split.test,
      evaluationPeriod: config.evaluationPeriod,
      mode: claimTerms ? "claim" : "onchain",
      claimTerms: claimTerms ? { ...claimTerms, bond: claimBond(claimTerms.bondGasPrice) } : null,
      worstCaseEvaluation: fit,
      secrets: options.secrets,
      manipulationOdds: odds,
      groupPlacementOdds: placement,
      forfeit: { fromBlock: seedBlock, amount: reward },
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

export async function cancelCommand(
  options: GlobalOptions & { competition: string; forfeitReward?: boolean },
  output: Output,
): Promise<void> {
  const context = await connect(options);
  const competition = parseAddress(options.competition, "--competition");
  const wallet = signer(context);
  const before = await readCompetition(context.client, competition);
  const seedBlock = before.deadlines.splitSeedBlock;
  // The cancel is mined in the next block at the earliest: from the seed block on it burns the reward (§3).
  const forfeits = before.blockNumber + 1n >= seedBlock;
  const organizer = wallet.account.address.toLowerCase() === before.organizer.toLowerCase();
  if (forfeits && organizer && !options.forfeitReward && (before.stage === "AwaitingSplit" || before.stage === "TrainingReveal")) {
    throw new CliError(
      `cancelling now burns the ${eth(before.reward)} reward: the split's seed block ${seedBlock} exists ` +
        `(block ${before.blockNumber}), so backing out could buy a redraw (docs/protocol.md §3); donors are still refunded. ` +
        `Pass --forfeit-reward to cancel anyway; nothing was sent`,
    );
  }
  const sent = await sendContractTransaction(wallet, context.client, {
    address: competition,
    abi: dankuCompetitionAbi,
    functionName: "cancel",
    args: [],
  });
  const after = await readCompetition(context.client, competition);
  output.result(
    after.rewardForfeited
      ? `competition ${competition} cancelled after the seed block ${seedBlock}: the ${eth(after.reward)} reward is forfeited (locked for ever); donors can withdraw their donations`
      : `competition ${competition} cancelled before the seed block ${seedBlock}; the organizer and donors can withdraw`,
    { competition, transaction: sent.hash, rewardForfeited: after.rewardForfeited, splitSeedBlock: seedBlock },
  );
}

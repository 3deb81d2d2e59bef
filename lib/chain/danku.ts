/**
 * DanKu chain access through viem: every read and write the CLI and the web app make against a competition.
 * Event reading stays behind these functions so an indexer can replace `getLogs` later (scaffold-eth's advice).
 */
import { unrevealableGroup } from "./gas";
import {
  getAddress,
  parseEventLogs,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { multicall } from "viem/actions";
import { scanBlockRanges, type BlockRangeOptions } from "./follow";
import { competitionFactoryAbi, dankuCompetitionAbi } from "../generated/abis";
import { readClaimModeModelBytes, readClaimModeTestPoints, readClaimModeTrainingPoints, readEvaluationMode } from "./claims";
import { decodeClaimModel, type ClaimModel } from "../danku/claims";
import { MAX_CLAIM_MODE_MODEL_BYTES } from "../danku/constants";
import { decodeModel, decodePoints, type DataPoint, type QuantizedModel } from "../danku/encoding";

export type DankuWallet = WalletClient<Transport, Chain | undefined, Account>;

/** Mirrors `enum Stage` in contracts/danku/IDankuCompetition.sol. */
export const STAGES = [
  "AwaitingSplit",
  "TrainingReveal",
  "Submission",
  "ModelReveal",
  "TestReveal",
  "Evaluation",
  "AwaitingFinalization",
  "Finalized",
  "Cancelled",
  "SetupExpired",
] as const;
export type StageName = (typeof STAGES)[number];

export const STAGE_DESCRIPTIONS: Record<StageName, string> = {
  AwaitingSplit: "waiting for the random train/test split (init2)",
  TrainingReveal: "the organizer is revealing the training data",
  Submission: "open for model commitments",
  ModelReveal: "submitters reveal their committed models",
  TestReveal: "the organizer reveals the test data",
  Evaluation: "models are being evaluated on chain",
  AwaitingFinalization: "evaluation is over; anyone can finalize",
  Finalized: "finalized",
  Cancelled: "cancelled; refunds available",
  SetupExpired: "setup lapsed; anyone can cancel",
};

export interface CompetitionConfig {
  featureCount: number;
  classCount: number;
  trainingBps: number;
  minAccuracyBps: number;
  init2Window: number;
  /** Blocks after init1 whose hash seeds the split (docs/protocol.md §3). */
  splitDelay: number;
  trainingRevealPeriod: number;
  submissionPeriod: number;
  modelRevealPeriod: number;
  testRevealPeriod: number;
  evaluationPeriod: number;
}

export interface SubmissionState {
  id: number;
  submitter: Address;
  commitment: Hex;
  modelHash: Hex;
  revealed: boolean;
  evaluated: boolean;
  cursor: number;
  correct: number;
  commitBlock: bigint;
}

export interface CompetitionState {
  address: Address;
  stage: StageName;
  organizer: Address;
  reward: bigint;
  totalDonations: bigint;
  config: CompetitionConfig;
  metadataCid: string;
  groupCount: number;
  trainingGroupCount: number;
  init1Block: bigint;
  splitDone: boolean;
  deadlines: {
    splitSeedBlock: bigint;
    init2Deadline: bigint;
    trainingRevealDeadline: bigint;
    submissionEnd: bigint;
    modelRevealEnd: bigint;
    testRevealEnd: bigint;
    evaluationEnd: bigint;
  };
  trainingPoints: number;
  testPoints: number;
  usesTestData: boolean;
  submissionCount: number;
  best: { exists: boolean; id: number; correct: number };
  blockNumber: bigint;
  /** Points of all groups, committed at creation. */
  totalCommittedPoints: number;
  /** Committed points of the training and test groups (0 before the split). */
  committedTrainingPoints: number;
  committedTestPoints: number;
  /** The organizer backed out after the seed block: the reward is burned (docs/protocol.md §3). */
  rewardForfeited: boolean;
  /** Finalized without a complete test reveal: the reward is shared by the revealed submissions, donors are refunded (§7.1). */
  testWithheld: boolean;
}

function configFromChain(raw: {
  featureCount: number;
  classCount: number;
  trainingBps: number;
  minAccuracyBps: number;
  init2Window: number;
  splitDelay: number;
  trainingRevealPeriod: number;
  submissionPeriod: number;
  modelRevealPeriod: number;
  testRevealPeriod: number;
  evaluationPeriod: number;
}): CompetitionConfig {
  return { ...raw };
}

export async function readCompetition(client: PublicClient, address: Address): Promise<CompetitionState> {
  const contract = { address, abi: dankuCompetitionAbi } as const;
  const [
    stage,
    organizer,
    reward,
    totalDonations,
    config,
    metadataCid,
    groupCount,
    trainingGroupCount,
    init1Block,
    splitDone,
    deadlines,
    trainingPoints,
    testPoints,
    usesTestData,
    submissionCount,
    best,
    blockNumber,
    summary,
  ] = await Promise.all([
    client.readContract({ ...contract, functionName: "stage" }),
    client.readContract({ ...contract, functionName: "organizer" }),
    client.readContract({ ...contract, functionName: "reward" }),
    client.readContract({ ...contract, functionName: "totalDonations" }),
    client.readContract({ ...contract, functionName: "config" }),
    client.readContract({ ...contract, functionName: "metadataCid" }),
    client.readContract({ ...contract, functionName: "groupCount" }),
    client.readContract({ ...contract, functionName: "trainingGroupCount" }),
    client.readContract({ ...contract, functionName: "init1Block" }),
    client.readContract({ ...contract, functionName: "splitDone" }),
    client.readContract({ ...contract, functionName: "deadlines" }),
    client.readContract({ ...contract, functionName: "pointCount", args: [true] }),
    client.readContract({ ...contract, functionName: "pointCount", args: [false] }),
    client.readContract({ ...contract, functionName: "usesTestData" }),
    client.readContract({ ...contract, functionName: "submissionCount" }),
    client.readContract({ ...contract, functionName: "best" }),
    client.getBlockNumber(),
    client.readContract({ ...contract, functionName: "summary" }),
  ]);
  return {
    address: getAddress(address),
    stage: STAGES[Number(stage)] ?? "Cancelled",
    organizer,
    reward,
    totalDonations,
    config: configFromChain(config),
    metadataCid,
    groupCount: Number(groupCount),
    trainingGroupCount: Number(trainingGroupCount),
    init1Block,
    splitDone,
    deadlines,
    trainingPoints: Number(trainingPoints),
    testPoints: Number(testPoints),
    usesTestData,
    submissionCount: Number(submissionCount),
    best: { exists: best[0], id: Number(best[1]), correct: Number(best[2]) },
    blockNumber,
    totalCommittedPoints: Number(summary.totalCommittedPoints),
    committedTrainingPoints: Number(summary.committedTrainingPoints),
    committedTestPoints: Number(summary.committedTestPoints),
    rewardForfeited: summary.rewardForfeited,
    testWithheld: summary.testWithheld,
  };
}

export async function readSubmission(client: PublicClient, competition: Address, id: number): Promise<SubmissionState> {
  const raw = await client.readContract({
    address: competition,
    abi: dankuCompetitionAbi,
    functionName: "submissionAt",
    args: [BigInt(id)],
  });
  return {
    id,
    submitter: raw.submitter,
    commitment: raw.commitment,
    modelHash: raw.modelHash,
    revealed: raw.revealed,
    evaluated: raw.evaluated,
    cursor: Number(raw.cursor),
    correct: Number(raw.correct),
    commitBlock: BigInt(raw.commitBlock),
  };
}

export async function readSubmissions(client: PublicClient, competition: Address): Promise<SubmissionState[]> {
  const count = Number(
    await client.readContract({ address: competition, abi: dankuCompetitionAbi, functionName: "submissionCount" }),
  );
  return Promise.all(Array.from({ length: count }, (_, id) => readSubmission(client, competition, id)));
}

export async function readGroupHashes(client: PublicClient, competition: Address): Promise<Hex[]> {
  const count = Number(await client.readContract({ address: competition, abi: dankuCompetitionAbi, functionName: "groupCount" }));
  return Promise.all(
    Array.from({ length: count }, (_, g) =>
      client.readContract({ address: competition, abi: dankuCompetitionAbi, functionName: "groupHashAt", args: [BigInt(g)] }),
    ),
  );
}

export async function readGroupFlags(
  client: PublicClient,
  competition: Address,
  groupCount: number,
): Promise<{ isTraining: boolean[]; isRevealed: boolean[] }> {
  const indices = Array.from({ length: groupCount }, (_, g) => BigInt(g));
  const [isTraining, isRevealed] = await Promise.all([
    Promise.all(indices.map((g) => client.readContract({ address: competition, abi: dankuCompetitionAbi, functionName: "isTrainingGroup", args: [g] }))),
    Promise.all(indices.map((g) => client.readContract({ address: competition, abi: dankuCompetitionAbi, functionName: "isGroupRevealed", args: [g] }))),
  ]);
  return { isTraining, isRevealed };
}

/**
 * Reads the revealed points (training or test) back, in reveal order: from the data contracts, or, for the test data
 * of a claim-mode competition (which keeps only labels and roots on chain, docs/protocol.md §11), rebuilt from the
 * reveal transactions' calldata and verified against the stored roots.
 */
export async function readRevealedPoints(
  client: PublicClient,
  competition: Address,
  training: boolean,
  featureCount: number,
): Promise<DataPoint[]> {
  if ((await readEvaluationMode(client, competition)) === "claim") {
    // Claim mode keeps neither as contract code: both are rebuilt from the reveal transactions' calldata.
    return training ? readClaimModeTrainingPoints(client, competition, featureCount) : readClaimModeTestPoints(client, competition, featureCount);
  }
  const chunkCount = Number(
    await client.readContract({ address: competition, abi: dankuCompetitionAbi, functionName: "dataChunkCount", args: [training] }),
  );
  const points: DataPoint[] = [];
  for (let i = 0; i < chunkCount; i++) {
    const [pointer, pointCount] = await client.readContract({
      address: competition,
      abi: dankuCompetitionAbi,
      functionName: "dataChunkAt",
      args: [training, BigInt(i)],
    });
    const code = await client.getCode({ address: pointer });
    if (!code) throw new Error(`data chunk ${i} at ${pointer} has no code`);
    // Data contracts start with a STOP byte so they can never be called (BlobStore).
    const bytes = hexToBytesStrict(code).slice(1, 1 + Number(pointCount) * (featureCount + 1));
    points.push(...decodePoints(bytes, featureCount));
  }
  return points;
}

/**
 * The model bytes a submitter revealed; undefined before reveal. On-chain mode: read back from the model's data
 * contracts. Claim mode: from the reveal transaction's calldata, checked against the revealed hash
 * (readClaimModeModelBytes in lib/chain/claims.ts; the contract stores no model code there).
 */
export async function readRevealedModelBytes(client: PublicClient, competition: Address, submissionId: number): Promise<Uint8Array | undefined> {
  const chunks = await client.readContract({
    address: competition,
    abi: dankuCompetitionAbi,
    functionName: "modelChunks",
    args: [BigInt(submissionId)],
  });
  if (chunks.length === 0) {
    return (await readEvaluationMode(client, competition)) === "claim" ? readClaimModeModelBytes(client, competition, submissionId) : undefined;
  }
  const codes = await Promise.all(chunks.map((pointer) => client.getCode({ address: pointer })));
  const parts = codes.map((code, i) => {
    if (!code) throw new Error(`model chunk ${i} of submission ${submissionId} has no code`);
    return hexToBytesStrict(code).slice(1);
  });
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

/**
 * A revealed dense (format version 1) model, decoded; undefined before reveal. Claim-mode dense models may be up to
 * MAX_CLAIM_MODE_MODEL_BYTES long. A convolutional model is refused here: read it with {@link readRevealedClaimModel}.
 */
export async function readRevealedModel(client: PublicClient, competition: Address, submissionId: number): Promise<QuantizedModel | undefined> {
  const bytes = await readRevealedModelBytes(client, competition, submissionId);
  return bytes && decodeModel(bytes, { maxModelBytes: MAX_CLAIM_MODE_MODEL_BYTES });
}

/** A revealed model of either format (dense or convolutional, docs/cnn.md), decoded; undefined before reveal. */
export async function readRevealedClaimModel(client: PublicClient, competition: Address, submissionId: number): Promise<ClaimModel | undefined> {
  const bytes = await readRevealedModelBytes(client, competition, submissionId);
  return bytes && decodeClaimModel(bytes);
}

function hexToBytesStrict(hex: Hex): Uint8Array {
  const body = hex.slice(2);
  const out = new Uint8Array(body.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(body.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export interface CreatedCompetition {
  address: Address;
  init1Block: bigint;
  transactionHash: Hex;
}

export interface CreateCompetitionArgs {
  factory: Address;
  config: CompetitionConfig;
  groupHashes: Hex[];
  /** Points per group, committed with the hashes (lib/danku/groups `groupPointCounts`). */
  groupPointCounts: number[];
  metadataCid: string;
  reward: bigint;
  /** Claim mode (docs/protocol.md §11): the challenge window and bond gas price; absent for on-chain evaluation. */
  claimTerms?: { challengeWindow: number; bondGasPrice: bigint };
}

export async function createCompetition(
  wallet: DankuWallet,
  client: PublicClient,
  args: CreateCompetitionArgs,
): Promise<CreatedCompetition> {
  const tooLarge = unrevealableGroup(args.groupPointCounts, args.config.featureCount + 1);
  if (tooLarge) {
    throw new Error(
      `group ${tooLarge.group} holds ${tooLarge.points} points, but one reveal transaction can carry at most ` +
        `${tooLarge.maxPoints} points of ${args.config.featureCount + 1} bytes: it could never be revealed, and a setup ` +
        "that cannot complete burns the reward. Use more, smaller groups. Nothing was sent.",
    );
  }
  let hash: Hex;
  if (args.claimTerms) {
    const { request } = await client.simulateContract({
      account: wallet.account,
      blockTag: "pending",
      address: args.factory,
      abi: competitionFactoryAbi,
      functionName: "createClaimCompetition",
      args: [args.config, args.claimTerms, args.groupHashes, args.groupPointCounts, args.metadataCid],
      value: args.reward,
    });
    hash = await wallet.writeContract(request);
  } else {
    const { request } = await client.simulateContract({
      account: wallet.account,
      blockTag: "pending",
      address: args.factory,
      abi: competitionFactoryAbi,
      functionName: "createCompetition",
      args: [args.config, args.groupHashes, args.groupPointCounts, args.metadataCid],
      value: args.reward,
    });
    hash = await wallet.writeContract(request);
  }
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`createCompetition reverted in ${hash}`);
  const [created] = parseEventLogs({ abi: competitionFactoryAbi, logs: receipt.logs, eventName: "CompetitionCreated" });
  if (!created) throw new Error("the factory did not emit CompetitionCreated");
  return { address: created.args.competition, init1Block: receipt.blockNumber, transactionHash: hash };
}

export interface ListedCompetition {
  address: Address;
  organizer: Address;
  reward: bigint;
  groupCount: number;
  trainingGroupCount: number;
  /** Points of all groups, committed at creation. */
  totalPoints: number;
  init1Block: bigint;
  config: CompetitionConfig;
  metadataCid: string;
  blockNumber: bigint;
  transactionHash: Hex;
}

/** All competitions the factory created, from its `CompetitionCreated` events, scanning in block ranges. */
export async function listCompetitions(
  client: PublicClient,
  factory: Address,
  options: BlockRangeOptions = {},
): Promise<ListedCompetition[]> {
  const found: ListedCompetition[] = [];
  await scanBlockRanges(client, options, async (fromBlock, toBlock) => {
    const logs = await client.getContractEvents({ address: factory, abi: competitionFactoryAbi, eventName: "CompetitionCreated", fromBlock, toBlock });
    for (const log of logs) {
      const a = log.args;
      if (!a.competition || !a.organizer || a.reward === undefined || !a.config) continue;
      found.push({
        address: a.competition,
        organizer: a.organizer,
        reward: a.reward,
        groupCount: Number(a.groupCount),
        trainingGroupCount: Number(a.trainingGroupCount),
        totalPoints: Number(a.totalPoints ?? 0n),
        init1Block: a.init1Block ?? 0n,
        config: configFromChain(a.config),
        metadataCid: a.metadataCid ?? "",
        blockNumber: log.blockNumber,
        transactionHash: log.transactionHash,
      });
    }
  });
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Marketplace reads (web app): competition summaries in batched calls and event helpers. Like `listCompetitions`,
// every event read goes through these functions so an indexer can replace `getLogs` later.

/** What the marketplace shows per competition: the creation event plus the state that changes over time. */
export interface CompetitionSummary extends ListedCompetition {
  stage: StageName;
  totalDonations: bigint;
  deadlines: CompetitionState["deadlines"];
  submissionCount: number;
  best: CompetitionState["best"];
  usesTestData: boolean;
  trainingPoints: number;
  testPoints: number;
  committedTrainingPoints: number;
  committedTestPoints: number;
  rewardForfeited: boolean;
  testWithheld: boolean;
}

type MulticallResult = { status: "success"; result: unknown } | { status: "failure"; error: Error };

/**
 * Runs many view calls at one block in few `eth_call`s: through Multicall3 when the chain has one
 * (`multicallAddress`), otherwise as a deployless multicall (the Multicall3 bytecode runs inside `eth_call`, so
 * nothing has to be deployed). A deployless multicall returns its results as the code of a contract being created,
 * which nodes cap at 24,576 bytes (EIP-170), hence `perCall` groups of calls per eth_call. The groups run
 * concurrently: over a batching transport they travel in one HTTP request.
 */
async function multicallGroups(
  client: PublicClient,
  groups: readonly (readonly { address: Address; abi: typeof dankuCompetitionAbi; functionName: string; args?: readonly unknown[] }[])[],
  options: { blockNumber: bigint; multicallAddress?: Address; perCall: number },
): Promise<MulticallResult[][]> {
  const chunks: (typeof groups)[number][][] = [];
  for (let i = 0; i < groups.length; i += options.perCall) chunks.push(groups.slice(i, i + options.perCall));
  // Each chunk must stay one eth_call: a client with multicall batching (wagmi turns it on) would merge them all.
  const unbatched = { ...client, batch: undefined } as PublicClient;
  const results = await Promise.all(
    chunks.map((chunk) =>
      multicall(unbatched, {
        contracts: chunk.flat() as never,
        allowFailure: true,
        blockNumber: options.blockNumber,
        batchSize: 0, // one eth_call per chunk
        ...(options.multicallAddress ? { multicallAddress: options.multicallAddress } : { deployless: true }),
      }) as Promise<MulticallResult[]>,
    ),
  );
  const out: MulticallResult[][] = [];
  chunks.forEach((chunk, c) => {
    let at = 0;
    for (const group of chunk) {
      out.push((results[c] ?? []).slice(at, at + group.length));
      at += group.length;
    }
  });
  return out;
}

function succeeded(results: readonly MulticallResult[], count: number): unknown[] | undefined {
  if (results.length !== count || results.some((r) => r.status !== "success")) return undefined;
  return results.map((r) => (r.status === "success" ? r.result : undefined));
}

/**
 * Reads the changing state of many competitions at one block in a handful of `eth_call`s (see `multicallGroups`):
 * each competition's `summary()` (stage, donations, deadlines, submissions, best score, evaluation data size) is one
 * sub-call. A competition whose call fails is reported in `failed` instead of failing the whole list.
 */
export async function readCompetitionSummaries(
  client: PublicClient,
  listed: readonly ListedCompetition[],
  options: { blockNumber?: bigint; multicallAddress?: Address; competitionsPerCall?: number } = {},
): Promise<{ summaries: CompetitionSummary[]; failed: Address[]; blockNumber: bigint }> {
  const blockNumber = options.blockNumber ?? (await client.getBlockNumber({ cacheTime: 0 }));
  if (listed.length === 0) return { summaries: [], failed: [], blockNumber };
  // A summary is 21 words, ≈ 0.65 kB of multicall result with its framing: 32 stay well under EIP-170's 24,576 bytes.
  const perCall = options.competitionsPerCall ?? 32;
  const results = await multicallGroups(
    client,
    listed.map((c) => [{ address: c.address, abi: dankuCompetitionAbi, functionName: "summary" }]),
    { blockNumber, multicallAddress: options.multicallAddress, perCall },
  );
  const summaries: CompetitionSummary[] = [];
  const failed: Address[] = [];
  listed.forEach((competition, i) => {
    const [value] = succeeded(results[i] ?? [], 1) ?? [];
    if (!value) {
      failed.push(competition.address);
      return;
    }
    const s = value as {
      stage: number;
      totalDonations: bigint;
      deadlines: CompetitionState["deadlines"];
      submissionCount: bigint;
      bestExists: boolean;
      bestId: bigint;
      bestCorrect: bigint;
      usesTestData: boolean;
      trainingPoints: bigint;
      testPoints: bigint;
      committedTrainingPoints: bigint;
      committedTestPoints: bigint;
      rewardForfeited: boolean;
      testWithheld: boolean;
    };
    summaries.push({
      ...competition,
      stage: STAGES[s.stage] ?? "Cancelled",
      totalDonations: s.totalDonations,
      deadlines: s.deadlines,
      submissionCount: Number(s.submissionCount),
      best: { exists: s.bestExists, id: Number(s.bestId), correct: Number(s.bestCorrect) },
      usesTestData: s.usesTestData,
      trainingPoints: Number(s.trainingPoints),
      testPoints: Number(s.testPoints),
      committedTrainingPoints: Number(s.committedTrainingPoints),
      committedTestPoints: Number(s.committedTestPoints),
      rewardForfeited: s.rewardForfeited,
      testWithheld: s.testWithheld,
    });
  });
  return { summaries, failed, blockNumber };
}


export interface Donation {
  donor: Address;
  amount: bigint;
  /** The competition's donation total after this donation. */
  totalDonations: bigint;
  blockNumber: bigint;
  transactionHash: Hex;
  logIndex: number;
}

/** Every donation to a competition, oldest first, from its `DonationReceived` events. */
export async function listDonations(
  client: PublicClient,
  competition: Address,
  options: BlockRangeOptions = {},
): Promise<Donation[]> {
  const found: Donation[] = [];
  await scanBlockRanges(client, options, async (fromBlock, toBlock) => {
    const logs = await client.getContractEvents({
      address: competition,
      abi: dankuCompetitionAbi,
      eventName: "DonationReceived",
      fromBlock,
      toBlock,
    });
    for (const log of logs) {
      const { donor, amount, totalDonations } = log.args;
      if (!donor || amount === undefined || totalDonations === undefined) continue;
      found.push({ donor, amount, totalDonations, blockNumber: log.blockNumber, transactionHash: log.transactionHash, logIndex: log.logIndex });
    }
  });
  return found;
}

/**
 * The competitions (of any factory: filter by address yourself) in which `submitter` committed a model, from
 * `ModelCommitted` events filtered by the indexed submitter: one `getLogs` per block range for all competitions.
 */
export async function listCompetitionsEnteredBy(
  client: PublicClient,
  submitter: Address,
  options: BlockRangeOptions = {},
): Promise<Set<Address>> {
  const found = new Set<Address>();
  await scanBlockRanges(client, options, async (fromBlock, toBlock) => {
    const logs = await client.getContractEvents({
      abi: dankuCompetitionAbi,
      eventName: "ModelCommitted",
      args: { submitter },
      fromBlock,
      toBlock,
    });
    for (const log of logs) found.add(getAddress(log.address));
  });
  return found;
}

/** What `account` may withdraw from a competition now (payout or refunds). */
export async function readWithdrawable(client: PublicClient, competition: Address, account: Address): Promise<bigint> {
  return client.readContract({ address: competition, abi: dankuCompetitionAbi, functionName: "withdrawable", args: [account] });
}

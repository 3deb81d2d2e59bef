/**
 * Typed calls and reads of the claim mode (docs/protocol.md §11). The claim functions and views live in
 * DankuClaimModule and are reached at the competition's own address (its fallback delegates to the module), so every
 * call here uses the module's ABI at the competition address. Test points of a claim-mode competition are not kept
 * as contract code: {@link readClaimModeTestPoints} rebuilds them from the reveal transactions' calldata and checks
 * them against the roots the contract stored. Nor are models: {@link readClaimModeModelBytes} reads a submission's
 * model from its revealModel transaction's calldata and checks it against the revealed hash; a dispute passes those
 * bytes again.
 */
import { bytesToHex, decodeFunctionData, hexToBytes, keccak256, parseEventLogs, type Address, type Hex, type PublicClient, type TransactionReceipt } from "viem";
import { dankuClaimModuleAbi, dankuCompetitionAbi } from "../generated/abis";
import { decodePoints, type DataPoint } from "../danku/encoding";
import { revealTree } from "../danku/claims";
import { sendContractTransaction, type SentTransaction } from "./transactions";
import type { DankuWallet } from "./danku";
import { scanBlockRanges, type BlockRangeOptions } from "./follow";

/** Mirrors `enum EvaluationMode` in contracts/danku/IDankuCompetition.sol. */
export const EVALUATION_MODES = ["onchain", "claim"] as const;
export type EvaluationModeName = (typeof EVALUATION_MODES)[number];

export interface ClaimTermsState {
  challengeWindow: number;
  bondGasPrice: bigint;
}

export interface ClaimState {
  id: number;
  claimant: Address;
  submissionId: number;
  claimBlock: bigint;
  predictionsHash: Hex;
  bond: bigint;
  correct: number;
  voided: boolean;
  settled: boolean;
  /** The block from which the claim can no longer be disputed and can be settled. */
  windowClosesAt: bigint;
}

export interface TestRootState {
  root: Hex;
  firstPoint: number;
  pointCount: number;
  depth: number;
}

export async function readEvaluationMode(client: PublicClient, competition: Address): Promise<EvaluationModeName> {
  const mode = await client.readContract({ address: competition, abi: dankuClaimModuleAbi, functionName: "evaluationMode" });
  const name = EVALUATION_MODES[mode];
  if (!name) throw new Error(`competition ${competition} reports evaluation mode ${mode}, which this app does not know`);
  return name;
}

export async function readClaimTerms(client: PublicClient, competition: Address): Promise<ClaimTermsState & { bond: bigint }> {
  const [terms, bond] = await Promise.all([
    client.readContract({ address: competition, abi: dankuClaimModuleAbi, functionName: "claimTerms" }),
    client.readContract({ address: competition, abi: dankuClaimModuleAbi, functionName: "claimBond" }),
  ]);
  return { challengeWindow: terms.challengeWindow, bondGasPrice: terms.bondGasPrice, bond };
}

export async function readClaims(client: PublicClient, competition: Address): Promise<ClaimState[]> {
  const [count, terms] = await Promise.all([
    client.readContract({ address: competition, abi: dankuClaimModuleAbi, functionName: "claimCount" }),
    client.readContract({ address: competition, abi: dankuClaimModuleAbi, functionName: "claimTerms" }),
  ]);
  const ids = Array.from({ length: Number(count) }, (_, i) => i);
  return Promise.all(
    ids.map(async (id) => {
      const c = await client.readContract({ address: competition, abi: dankuClaimModuleAbi, functionName: "claimAt", args: [BigInt(id)] });
      return { id, ...c, windowClosesAt: c.claimBlock + BigInt(terms.challengeWindow) };
    }),
  );
}

export async function readTestRoots(client: PublicClient, competition: Address): Promise<TestRootState[]> {
  const count = await client.readContract({ address: competition, abi: dankuClaimModuleAbi, functionName: "testRootCount" });
  return Promise.all(
    Array.from({ length: Number(count) }, (_, i) =>
      client.readContract({ address: competition, abi: dankuClaimModuleAbi, functionName: "testRootAt", args: [BigInt(i)] }),
    ),
  );
}

/**
 * The contract calls of the claim mode, as data (address, ABI, function, arguments, value): the one place their
 * arguments are built, for {@link claimScore}, {@link disputeClaim} and {@link settleClaim} here and for the app's
 * transactor (components/tx/useTransactor `write`), which simulates and sends exactly this call.
 */
export function claimScoreCall(competition: Address, args: { submissionId: number; predictions: Uint8Array; bond: bigint }) {
  return {
    address: competition,
    abi: dankuClaimModuleAbi,
    functionName: "claimScore",
    args: [BigInt(args.submissionId), bytesToHex(args.predictions)],
    value: args.bond,
  } as const;
}

/** What `disputeClaim` needs (lib/danku/checker.ts planClaimChecks builds it: DisputeArguments). */
export interface DisputeCallArguments {
  claimId: number;
  rootIndex: number;
  indexInRoot: number;
  /** The point's bytes as revealed: its features, then its label. */
  point: Uint8Array;
  proof: readonly Hex[];
  /** The claim's own predictions (the contract checks them against the claim's hash). */
  predictions: Uint8Array;
  /** The claimed submission's model bytes as revealed (the contract checks them against its model hash). */
  model: Uint8Array;
}

/** The `disputeClaim` call for one planned dispute (see {@link claimScoreCall}). */
export function disputeClaimCall(competition: Address, args: DisputeCallArguments) {
  return {
    address: competition,
    abi: dankuClaimModuleAbi,
    functionName: "disputeClaim",
    args: [BigInt(args.claimId), BigInt(args.rootIndex), BigInt(args.indexInRoot), bytesToHex(args.point), [...args.proof], bytesToHex(args.predictions), bytesToHex(args.model)],
  } as const;
}

/** The `settleClaim` call (see {@link claimScoreCall}). */
export function settleClaimCall(competition: Address, claimId: number) {
  return { address: competition, abi: dankuClaimModuleAbi, functionName: "settleClaim", args: [BigInt(claimId)] } as const;
}

/** The claim's id from a claimScore receipt's ScoreClaimed event. */
export function claimIdFromReceipt(receipt: TransactionReceipt): number {
  const [event] = parseEventLogs({ abi: dankuClaimModuleAbi, logs: receipt.logs, eventName: "ScoreClaimed" });
  if (!event) throw new Error(`the claim transaction ${receipt.transactionHash} emitted no ScoreClaimed event`);
  return Number(event.args.claimId);
}

/** Claims `predictions` (one class byte per test point) for submission `submissionId` with the competition's bond. */
export async function claimScore(
  wallet: DankuWallet,
  client: PublicClient,
  args: { competition: Address; submissionId: number; predictions: Uint8Array },
): Promise<SentTransaction & { claimId: number }> {
  const bond = await client.readContract({ address: args.competition, abi: dankuClaimModuleAbi, functionName: "claimBond" });
  const sent = await sendContractTransaction(wallet, client, claimScoreCall(args.competition, { submissionId: args.submissionId, predictions: args.predictions, bond }));
  return { ...sent, claimId: claimIdFromReceipt(sent.receipt) };
}

/**
 * The predictions of claim `claimId`, from its claimScore transaction's calldata (checked against the claim's hash by the
 * contract). The event is looked up in the claim's own block only (`claimBlock`, read from the chain when not given): one
 * block is a range every RPC serves, where a scan from the competition's creation hits public nodes' block-range limits.
 */
export async function readClaimPredictions(client: PublicClient, competition: Address, claimId: number, claimBlock?: bigint): Promise<Uint8Array> {
  const block =
    claimBlock ?? (await client.readContract({ address: competition, abi: dankuClaimModuleAbi, functionName: "claimAt", args: [BigInt(claimId)] })).claimBlock;
  const logs = await client.getContractEvents({
    address: competition,
    abi: dankuClaimModuleAbi,
    eventName: "ScoreClaimed",
    args: { claimId: BigInt(claimId) },
    fromBlock: block,
    toBlock: block,
  });
  const event = logs[0];
  if (!event) throw new Error(`no ScoreClaimed event for claim ${claimId} of ${competition}`);
  const tx = await client.getTransaction({ hash: event.transactionHash });
  const decoded = decodeFunctionData({ abi: dankuClaimModuleAbi, data: tx.input });
  if (decoded.functionName !== "claimScore" || tx.to?.toLowerCase() !== competition.toLowerCase()) {
    throw new Error(`claim ${claimId} was made through another contract (${tx.hash}); its predictions cannot be read from that transaction's calldata`);
  }
  return hexToBytes(decoded.args[1]);
}

/**
 * Disputes claim `claimId` at one point (the arguments come from lib/danku/checker.ts planClaimChecks, or claims.ts
 * locateTestPoint/revealProof; `predictions` from {@link readClaimPredictions}, `model` from
 * {@link readClaimModeModelBytes}, both checked against their hashes by the contract).
 */
export async function disputeClaim(wallet: DankuWallet, client: PublicClient, args: { competition: Address } & DisputeCallArguments): Promise<SentTransaction> {
  return sendContractTransaction(wallet, client, disputeClaimCall(args.competition, args));
}

/**
 * The model bytes submission `submissionId` of a claim-mode competition revealed, from its revealModel transaction's
 * calldata (the contract keeps only their hash), checked against the hash the contract stored; undefined before the
 * reveal. The ModelRevealed event is searched from the competition's creation block.
 */
export async function readClaimModeModelBytes(
  client: PublicClient,
  competition: Address,
  submissionId: number,
  options: Pick<BlockRangeOptions, "blockRange"> = {},
): Promise<Uint8Array | undefined> {
  const [submission, fromBlock] = await Promise.all([
    client.readContract({ address: competition, abi: dankuCompetitionAbi, functionName: "submissionAt", args: [BigInt(submissionId)] }),
    client.readContract({ address: competition, abi: dankuCompetitionAbi, functionName: "init1Block" }),
  ]);
  if (!submission.revealed) return undefined;
  // In block ranges (public RPCs limit getLogs' span), stopping at the first range that holds the event.
  const logs: Awaited<ReturnType<typeof readModelRevealedLogs>> = [];
  await scanBlockRanges(client, { fromBlock, blockRange: options.blockRange }, async (from, to) => {
    if (logs.length === 0) logs.push(...(await readModelRevealedLogs(client, competition, submissionId, from, to)));
  });
  const event = logs[0];
  if (!event) throw new Error(`no ModelRevealed event for submission ${submissionId} of ${competition}`);
  const tx = await client.getTransaction({ hash: event.transactionHash });
  if (tx.to?.toLowerCase() !== competition.toLowerCase()) {
    throw new Error(`submission ${submissionId}'s model was revealed through another contract (${tx.hash}); its bytes are not in that transaction's calldata`);
  }
  const decoded = decodeFunctionData({ abi: dankuCompetitionAbi, data: tx.input });
  if (decoded.functionName !== "revealModel") throw new Error(`transaction ${tx.hash} is not a model reveal`);
  const model = decoded.args[1];
  if (keccak256(model) !== submission.modelHash) {
    throw new Error(`the calldata of ${tx.hash} does not match submission ${submissionId}'s model hash: the chain's data cannot be verified`);
  }
  return hexToBytes(model);
}

function readModelRevealedLogs(client: PublicClient, competition: Address, submissionId: number, fromBlock: bigint, toBlock: bigint) {
  return client.getContractEvents({ address: competition, abi: dankuCompetitionAbi, eventName: "ModelRevealed", args: { submissionId: BigInt(submissionId) }, fromBlock, toBlock });
}

function readTestRootLogs(client: PublicClient, competition: Address, fromBlock: bigint, toBlock: bigint) {
  return client.getContractEvents({ address: competition, abi: dankuClaimModuleAbi, eventName: "TestRootStored", fromBlock, toBlock });
}

export async function settleClaim(wallet: DankuWallet, client: PublicClient, args: { competition: Address; claimId: number }): Promise<SentTransaction> {
  return sendContractTransaction(wallet, client, settleClaimCall(args.competition, args.claimId));
}

/** A dispute that voided a claim (its ClaimDisputed event). */
export interface ClaimDisputeRecord {
  claimId: number;
  submissionId: number;
  challenger: Address;
  /** The global test point the dispute proved wrong. */
  point: number;
  /** The prediction the claim made there (the model gives another). */
  claimedPrediction: number;
  bond: bigint;
  transactionHash: Hex;
  blockNumber: bigint;
}

/** The disputes that voided claims of `competition`, by claim id (from its ClaimDisputed events since creation). */
export async function readClaimDisputes(client: PublicClient, competition: Address, fromBlock?: bigint): Promise<Map<number, ClaimDisputeRecord>> {
  const from = fromBlock ?? (await client.readContract({ address: competition, abi: dankuCompetitionAbi, functionName: "init1Block" }));
  const logs = await client.getContractEvents({ address: competition, abi: dankuClaimModuleAbi, eventName: "ClaimDisputed", fromBlock: from });
  const out = new Map<number, ClaimDisputeRecord>();
  for (const log of logs) {
    const a = log.args;
    if (a.claimId === undefined || a.submissionId === undefined || !a.challenger || a.point === undefined || a.claimedPrediction === undefined || a.bond === undefined) continue;
    out.set(Number(a.claimId), {
      claimId: Number(a.claimId),
      submissionId: Number(a.submissionId),
      challenger: a.challenger,
      point: Number(a.point),
      claimedPrediction: Number(a.claimedPrediction),
      bond: a.bond,
      transactionHash: log.transactionHash,
      blockNumber: log.blockNumber,
    });
  }
  return out;
}

/** One claim-mode test reveal call: its root and the point bytes of each of its points, in order. */
export interface RevealedCall {
  rootIndex: number;
  root: TestRootState;
  points: Uint8Array[];
}

/**
 * The test reveal calls of a claim-mode competition rebuilt from their transactions' calldata (the points are kept
 * nowhere else on chain), each checked against the root the contract stored for it.
 */
export async function readClaimModeRevealCalls(
  client: PublicClient,
  competition: Address,
  featureCount: number,
  options: Pick<BlockRangeOptions, "blockRange"> = {},
): Promise<RevealedCall[]> {
  // Nothing of a competition happens before its creation block.
  const fromBlock = await client.readContract({ address: competition, abi: dankuCompetitionAbi, functionName: "init1Block" });
  const roots = await readTestRoots(client, competition);
  // In block ranges (public RPCs limit getLogs' span), up to the head the roots were read at.
  const logs: Awaited<ReturnType<typeof readTestRootLogs>> = [];
  await scanBlockRanges(client, { fromBlock, blockRange: options.blockRange }, async (from, to) => {
    if (logs.length < roots.length) logs.push(...(await readTestRootLogs(client, competition, from, to)));
  });
  const pointSize = featureCount + 1;
  return Promise.all(
    roots.map(async (root, rootIndex) => {
      const log = logs.find((l) => l.args.rootIndex === BigInt(rootIndex));
      if (!log) throw new Error(`no TestRootStored event for test reveal ${rootIndex} of ${competition}`);
      const tx = await client.getTransaction({ hash: log.transactionHash });
      if (tx.to?.toLowerCase() !== competition.toLowerCase()) {
        throw new Error(`test reveal ${rootIndex} was sent through another contract (${tx.hash}); its points are not in that transaction's calldata`);
      }
      const decoded = decodeFunctionData({ abi: dankuCompetitionAbi, data: tx.input });
      if (decoded.functionName !== "revealTestGroups") throw new Error(`transaction ${tx.hash} is not a test reveal`);
      const points: Uint8Array[] = [];
      for (const groupHex of decoded.args[1]) {
        const bytes = hexToBytes(groupHex);
        for (let at = 0; at < bytes.length; at += pointSize) points.push(bytes.slice(at, at + pointSize));
      }
      const tree = revealTree(points);
      if (tree.root !== root.root || points.length !== root.pointCount) {
        throw new Error(`the calldata of ${tx.hash} does not match test reveal ${rootIndex}'s root: the chain's data cannot be verified`);
      }
      return { rootIndex, root, points };
    }),
  );
}

/** The test points of a claim-mode competition, in reveal order, rebuilt from calldata and verified. */
export async function readClaimModeTestPoints(
  client: PublicClient,
  competition: Address,
  featureCount: number,
  options: Pick<BlockRangeOptions, "blockRange"> = {},
): Promise<DataPoint[]> {
  const calls = await readClaimModeRevealCalls(client, competition, featureCount, options);
  const points: DataPoint[] = [];
  for (const call of calls) for (const p of call.points) points.push(...decodePoints(p, featureCount));
  return points;
}

/**
 * The training points of a claim-mode competition, in reveal order, rebuilt from the revealTrainingGroups
 * transactions' calldata: the contract verifies each group against its committed hash and size but keeps none of it
 * (nothing on chain reads training data in this mode, docs/protocol.md §11.2). Each call is found by its
 * `GroupsRevealed(training = true)` event (block ranges as above), sent to the competition itself, and its point count
 * checked against the event's; the total against the competition's `trainingPoints` when given.
 */
export async function readClaimModeTrainingPoints(
  client: PublicClient,
  competition: Address,
  featureCount: number,
  options: Pick<BlockRangeOptions, "blockRange"> & { trainingPoints?: number } = {},
): Promise<DataPoint[]> {
  const fromBlock = await client.readContract({ address: competition, abi: dankuCompetitionAbi, functionName: "init1Block" });
  const logs: Awaited<ReturnType<typeof readTrainingRevealLogs>> = [];
  await scanBlockRanges(client, { fromBlock, blockRange: options.blockRange }, async (from, to) => {
    logs.push(...(await readTrainingRevealLogs(client, competition, from, to)));
  });
  const pointSize = featureCount + 1;
  const points: DataPoint[] = [];
  for (const log of logs) {
    const tx = await client.getTransaction({ hash: log.transactionHash });
    if (tx.to?.toLowerCase() !== competition.toLowerCase()) {
      throw new Error(`a training reveal was sent through another contract (${tx.hash}); its points are not in that transaction's calldata`);
    }
    const decoded = decodeFunctionData({ abi: dankuCompetitionAbi, data: tx.input });
    if (decoded.functionName !== "revealTrainingGroups") throw new Error(`transaction ${tx.hash} is not a training reveal`);
    const bytes = decoded.args[1].map((g) => hexToBytes(g));
    const count = bytes.reduce((n, b) => n + b.length / pointSize, 0);
    if (count !== Number(log.args.pointCount)) {
      throw new Error(`the calldata of ${tx.hash} does not hold the ${log.args.pointCount} training points its event reports: the chain's data cannot be verified`);
    }
    for (const b of bytes) points.push(...decodePoints(b, featureCount));
  }
  if (options.trainingPoints !== undefined && points.length !== options.trainingPoints) {
    throw new Error(`the training reveals' calldata holds ${points.length} points, the competition reports ${options.trainingPoints}`);
  }
  return points;
}

function readTrainingRevealLogs(client: PublicClient, competition: Address, fromBlock: bigint, toBlock: bigint) {
  return client.getContractEvents({ address: competition, abi: dankuCompetitionAbi, eventName: "GroupsRevealed", args: { training: true }, fromBlock, toBlock });
}

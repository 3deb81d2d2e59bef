/**
 * Multi-transaction DanKu flows shared by the CLI, the demo seeder and the web app: launching a competition
 * (init1 + init2), revealing data groups in gas-sized batches, committing a model and evaluating a submission to the
 * end. Each step reports progress; each transaction is simulated before it is sent.
 */
import type { Address, Hex, PublicClient } from "viem";
import { dankuCompetitionAbi } from "../generated/abis";
import {
  createCompetition,
  readCompetition,
  readGroupFlags,
  readSubmission,
  type CreateCompetitionArgs,
  type DankuWallet,
} from "./danku";
import { CLAIM_REVEAL_SIZING, ONCHAIN_REVEAL_SIZING, planEvaluationChunk, planRevealBatches, revealGasLimit } from "./gas";
import { readEvaluationMode } from "./claims";
import { TX_GAS_CAP } from "../danku/constants";
import { sendContractTransaction } from "./transactions";
import { selectTrainingGroups, type SplitResult } from "../danku/split";
import { estimateEvaluationGas } from "../danku/gasModel";

export interface LaunchedCompetition {
  address: Address;
  init1Block: bigint;
  split: SplitResult;
  transactions: Hex[];
}

export interface LaunchOptions {
  /** Told the competition's address once init1 is mined (before waiting for the seed block). */
  onCreated?: (address: Address, init1Block: bigint) => void;
  /** Told while waiting for the seed block: the current block and the first block init2 may be in. */
  onWaiting?: (blockNumber: bigint, firstSplitBlock: bigint) => void;
  /**
   * How to get past the seed block. Default: wait for the chain (polling). A local development chain that mines
   * only on transactions passes `mineLocalBlocks` so the flow mines the missing blocks itself.
   */
  advance?: (blocks: number) => Promise<void>;
}

/** Mines `blocks` empty blocks on a Hardhat/Anvil development node (hardhat_mine). */
export function mineLocalBlocks(client: PublicClient): (blocks: number) => Promise<void> {
  return async (blocks) => {
    await client.request({ method: "hardhat_mine" as never, params: [`0x${blocks.toString(16)}`] as never });
  };
}

/** Waits until the chain's head is at least `target`, or advances it with `advance`. */
export async function waitForBlock(
  client: PublicClient,
  target: bigint,
  options: { advance?: (blocks: number) => Promise<void>; onWaiting?: (blockNumber: bigint, target: bigint) => void } = {},
): Promise<void> {
  for (;;) {
    const head = await client.getBlockNumber({ cacheTime: 0 });
    if (head >= target) return;
    options.onWaiting?.(head, target);
    if (options.advance) await options.advance(Number(target - head));
    else await new Promise((resolve) => setTimeout(resolve, Math.max(250, client.pollingInterval)));
  }
}

/**
 * init1 (create with reward, group hashes and group sizes), then, once the seed block init1 + splitDelay is mined,
 * init2 (draw the split) in the block after it (docs/protocol.md §3).
 */
export async function launchCompetition(
  wallet: DankuWallet,
  client: PublicClient,
  args: CreateCompetitionArgs,
  options: LaunchOptions = {},
): Promise<LaunchedCompetition> {
  const created = await createCompetition(wallet, client, args);
  options.onCreated?.(created.address, created.init1Block);
  const seedBlock = created.init1Block + BigInt(args.config.splitDelay);
  // init2 must be mined after the seed block: with the head at the seed block, the next transaction is.
  await waitForBlock(client, seedBlock, { advance: options.advance, onWaiting: options.onWaiting });
  const init2 = await sendContractTransaction(wallet, client, {
    address: created.address,
    abi: dankuCompetitionAbi,
    functionName: "selectTrainingGroups",
    args: [],
  });
  const block = await client.getBlock({ blockNumber: seedBlock });
  const split = selectTrainingGroups({
    blockHash: block.hash,
    competition: created.address,
    groupHashes: args.groupHashes,
    trainingBps: args.config.trainingBps,
  });
  return { address: created.address, init1Block: created.init1Block, split, transactions: [created.transactionHash, init2.hash] };
}

export interface SecretGroup {
  index: number;
  points: Hex;
  nonce: Hex;
}

/** Reveals every not-yet-revealed training (or test) group among `groups`, batch by batch. */
export async function revealPendingGroups(
  wallet: DankuWallet,
  client: PublicClient,
  args: { competition: Address; groups: readonly SecretGroup[]; training: boolean },
  onProgress?: (revealedGroups: number, totalGroups: number, batch: number, batches: number) => void,
): Promise<{ revealedGroups: number; transactions: Hex[] }> {
  const state = await readCompetition(client, args.competition);
  const flags = await readGroupFlags(client, args.competition, state.groupCount);
  const pending = args.groups.filter((g) => flags.isTraining[g.index] === args.training && !flags.isRevealed[g.index]);
  const pointSize = state.config.featureCount + 1;
  // A claim-mode test reveal stores no points, only labels and a root: far larger batches fit (docs/protocol.md §11).
  const claimMode = !args.training && (await readEvaluationMode(client, args.competition)) === "claim";
  const sizing = claimMode ? CLAIM_REVEAL_SIZING : ONCHAIN_REVEAL_SIZING;
  const batches = planRevealBatches(pending, pointSize, sizing);
  const transactions: Hex[] = [];
  let revealed = 0;
  onProgress?.(0, pending.length, 0, batches.length);
  for (const [b, batch] of batches.entries()) {
    const sent = await sendContractTransaction(wallet, client, {
      address: args.competition,
      abi: dankuCompetitionAbi,
      functionName: args.training ? "revealTrainingGroups" : "revealTestGroups",
      args: [batch.map((g) => BigInt(g.index)), batch.map((g) => g.points), batch.map((g) => g.nonce)],
      // Explicit, from the gas model: eth_estimateGas fails on some nodes for reveals of a few tens of kB.
      gas: BigInt(Math.min(TX_GAS_CAP, sizing.estimate(batchBytes(batch), batch.length, batchBytes(batch) / pointSize))),
    });
    transactions.push(sent.hash);
    revealed += batch.length;
    onProgress?.(revealed, pending.length, b + 1, batches.length);
  }
  return { revealedGroups: revealed, transactions };
}

/**
 * Reveals a committed model (ModelReveal stage, by its committer) with the gas limit from the reveal gas model, so a
 * model up to MAX_MODEL_BYTES is revealed on nodes whose eth_estimateGas gives up on large transactions.
 */
export async function revealSubmissionModel(
  wallet: DankuWallet,
  client: PublicClient,
  args: { competition: Address; submissionId: number; modelHex: Hex; salt: Hex },
): Promise<{ hash: Hex; gasUsed: bigint }> {
  const sent = await sendContractTransaction(wallet, client, {
    address: args.competition,
    abi: dankuCompetitionAbi,
    functionName: "revealModel",
    args: [BigInt(args.submissionId), args.modelHex, args.salt],
    gas: revealModelGasLimit(args.modelHex),
  });
  return { hash: sent.hash, gasUsed: sent.receipt.gasUsed };
}

/** The gas limit of revealModel for these model bytes (lib/chain/gas.ts reveal gas model). */
export function revealModelGasLimit(modelHex: Hex): bigint {
  return revealGasLimit((modelHex.length - 2) / 2);
}

function batchBytes(batch: readonly SecretGroup[]): number {
  return batch.reduce((n, g) => n + (g.points.length - 2) / 2, 0);
}

/** Sends a commitment and returns the submission id the contract assigned. */
export async function commitSubmission(
  wallet: DankuWallet,
  client: PublicClient,
  args: { competition: Address; commitment: Hex },
): Promise<{ submissionId: number; transaction: Hex; blockNumber: bigint }> {
  const sent = await sendContractTransaction(wallet, client, {
    address: args.competition,
    abi: dankuCompetitionAbi,
    functionName: "commitModel",
    args: [args.commitment],
  });
  const [log] = await client.getContractEvents({
    address: args.competition,
    abi: dankuCompetitionAbi,
    eventName: "ModelCommitted",
    fromBlock: sent.receipt.blockNumber,
    toBlock: sent.receipt.blockNumber,
    args: { submitter: wallet.account.address },
  });
  const id = log?.args.submissionId;
  if (id === undefined) throw new Error(`the commitment ${sent.hash} was mined but no ModelCommitted event was found`);
  return { submissionId: Number(id), transaction: sent.hash, blockNumber: sent.receipt.blockNumber };
}

/**
 * Runs a submission's evaluation to the end. Each transaction covers as many points as fit under the gas target,
 * starting from the gas model's guess and confirmed by eth_estimateGas. Resumable: it continues from the cursor.
 */
export async function evaluateSubmissionToEnd(
  wallet: DankuWallet,
  client: PublicClient,
  args: { competition: Address; submissionId: number; widths?: readonly number[] },
  onProgress?: (cursor: number, total: number, correct: number) => void,
): Promise<{ correct: number; total: number; transactions: Hex[] }> {
  const state = await readCompetition(client, args.competition);
  const total = state.usesTestData ? state.testPoints : state.trainingPoints;
  let submission = await readSubmission(client, args.competition, args.submissionId);
  const transactions: Hex[] = [];
  let guess = args.widths ? estimateEvaluationGas(args.widths, total).pointsPerTransaction : 500;
  onProgress?.(submission.cursor, total, submission.correct);
  while (!submission.evaluated) {
    const chunk = await planEvaluationChunk(total - submission.cursor, guess, async (points, gas) => {
      await client.simulateContract({
        account: wallet.account,
        address: args.competition,
        abi: dankuCompetitionAbi,
        functionName: "evaluate",
        args: [BigInt(args.submissionId), BigInt(points)],
        gas,
        blockTag: "pending",
      });
    });
    guess = chunk.points;
    const sent = await sendContractTransaction(wallet, client, {
      address: args.competition,
      abi: dankuCompetitionAbi,
      functionName: "evaluate",
      args: [BigInt(args.submissionId), BigInt(chunk.points)],
      gas: chunk.gas,
    });
    transactions.push(sent.hash);
    submission = await readSubmission(client, args.competition, args.submissionId);
    onProgress?.(submission.cursor, total, submission.correct);
  }
  return { correct: submission.correct, total, transactions };
}

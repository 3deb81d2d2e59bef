/**
 * The DaiMoN reads the web app needs beyond lib/chain/daimon.ts: the changing state of many problems at one block in
 * a few batched calls (the marketplace cards), a problem token's transfers (its holders), validator reward claims,
 * and the problems an account took part in. Event reading stays behind these functions, like in lib/chain/daimon.ts,
 * so an indexer can replace `getLogs` later.
 */
import { getAddress, type Address, type PublicClient } from "viem";
import { multicall } from "viem/actions";
import { daimonProblemAbi, problemTokenAbi } from "../generated/abis";
import type { ProblemConfig } from "../daimon/encoding";
import { claimFromLog, PHASES, type ListedProblem, type PendingRoundState, type PhaseName, type ScanOptions, type ValidatorClaim } from "./daimon";
import { scanBlockRanges } from "./follow";

/** A listed problem with the state that changes (what a marketplace card shows), read at one block. */
export interface ProblemSummary extends ListedProblem {
  /** `spec.config`, at the top level like ProblemState's. */
  config: ProblemConfig;
  phase: PhaseName;
  /** d_c of the committed chain (WAD); 1e18 before the first Improvement block. */
  bestDistance: bigint;
  /** Blocks in the chain, the Problem block included (0 until it is committed). */
  chainLength: number;
  proofCount: number;
  tupleCount: number;
  problemBlockCommitted: boolean;
  pendingRound: PendingRoundState;
}

function summaryCalls(address: Address) {
  const contract = { address, abi: daimonProblemAbi } as const;
  return [
    { ...contract, functionName: "phase" },
    { ...contract, functionName: "bestDistance" },
    { ...contract, functionName: "chainLength" },
    { ...contract, functionName: "proofCount" },
    { ...contract, functionName: "tupleCount" },
    { ...contract, functionName: "problemBlockCommitted" },
    { ...contract, functionName: "pendingRound" },
  ] as const;
}
const CALLS_PER_PROBLEM = 7;

type MulticallResult = { status: "success"; result: unknown } | { status: "failure"; error: Error };

/**
 * Reads the changing state of many problems at one block: through Multicall3 when the chain has one, otherwise as a
 * deployless multicall (its result is returned as contract code, capped at 24,576 bytes by EIP-170, hence
 * `problemsPerCall`). A problem whose calls fail is reported in `failed` instead of failing the whole list.
 */
export async function readProblemSummaries(
  client: PublicClient,
  listed: readonly ListedProblem[],
  options: { blockNumber?: bigint; multicallAddress?: Address; problemsPerCall?: number } = {},
): Promise<{ summaries: ProblemSummary[]; failed: Address[]; blockNumber: bigint }> {
  const blockNumber = options.blockNumber ?? (await client.getBlockNumber({ cacheTime: 0 }));
  if (listed.length === 0) return { summaries: [], failed: [], blockNumber };
  const perCall = options.problemsPerCall ?? 24;
  // Each chunk must stay one eth_call: a client with multicall batching (wagmi turns it on) would merge them all.
  const unbatched = { ...client, batch: undefined } as PublicClient;
  const chunks: ListedProblem[][] = [];
  for (let i = 0; i < listed.length; i += perCall) chunks.push(listed.slice(i, i + perCall));
  const results = await Promise.all(
    chunks.map(
      (chunk) =>
        multicall(unbatched, {
          contracts: chunk.flatMap((p) => summaryCalls(p.address)),
          allowFailure: true,
          blockNumber,
          batchSize: 0,
          ...(options.multicallAddress ? { multicallAddress: options.multicallAddress } : { deployless: true }),
        }) as Promise<MulticallResult[]>,
    ),
  );
  const summaries: ProblemSummary[] = [];
  const failed: Address[] = [];
  chunks.forEach((chunk, c) => {
    chunk.forEach((problem, i) => {
      const slice = (results[c] ?? []).slice(i * CALLS_PER_PROBLEM, (i + 1) * CALLS_PER_PROBLEM);
      if (slice.length !== CALLS_PER_PROBLEM || slice.some((r) => r.status !== "success")) {
        failed.push(problem.address);
        return;
      }
      const [phase, bestDistance, chainLength, proofCount, tupleCount, committed, pending] = slice.map((r) => (r.status === "success" ? r.result : undefined));
      const p = pending as { open: boolean; round: bigint; leader: bigint; leaderVotes: number };
      summaries.push({
        ...problem,
        config: problem.spec.config,
        phase: PHASES[Number(phase)] ?? "Dead",
        bestDistance: bestDistance as bigint,
        chainLength: Number(chainLength),
        proofCount: Number(proofCount),
        tupleCount: Number(tupleCount),
        problemBlockCommitted: committed as boolean,
        pendingRound: { open: p.open, round: p.round, leader: p.leader, leaderVotes: Number(p.leaderVotes) },
      });
    });
  });
  return { summaries, failed, blockNumber };
}


export interface TokenTransfer {
  from: Address;
  to: Address;
  value: bigint;
  blockNumber: bigint;
  logIndex: number;
}

/** Every `Transfer` of a problem token (mints come from the zero address), in chain order. */
export async function readTokenTransfers(client: PublicClient, token: Address, options: ScanOptions = {}): Promise<TokenTransfer[]> {
  const found: TokenTransfer[] = [];
  await scanBlockRanges(client, options, async (fromBlock, toBlock) => {
    const logs = await client.getContractEvents({ address: token, abi: problemTokenAbi, eventName: "Transfer", fromBlock, toBlock, strict: true });
    for (const log of logs) {
      found.push({ from: log.args.from, to: log.args.to, value: log.args.value, blockNumber: log.blockNumber, logIndex: log.logIndex });
    }
  });
  return found.sort((a, b) => (a.blockNumber !== b.blockNumber ? (a.blockNumber < b.blockNumber ? -1 : 1) : a.logIndex - b.logIndex));
}

export type { ValidatorClaim } from "./daimon";

/** Validator rewards claimed on a problem (`ValidatorRewardClaimed`), optionally of one validator. */
export async function readValidatorClaims(client: PublicClient, problem: Address, options: ScanOptions & { validator?: Address } = {}): Promise<ValidatorClaim[]> {
  const found: ValidatorClaim[] = [];
  await scanBlockRanges(client, options, async (fromBlock, toBlock) => {
    const logs = await client.getContractEvents({
      address: problem,
      abi: daimonProblemAbi,
      eventName: "ValidatorRewardClaimed",
      ...(options.validator ? { args: { validator: options.validator } } : {}),
      fromBlock,
      toBlock,
      strict: true,
    });
    for (const log of logs) found.push(claimFromLog(log));
  });
  return found;
}

/** Problems (of `problems`) where `account` submitted a proof or voted: the marketplace's "mine". */
export async function listProblemsEnteredBy(client: PublicClient, account: Address, problems: readonly Address[], options: ScanOptions = {}): Promise<Set<Address>> {
  const found = new Set<Address>();
  if (problems.length === 0) return found;
  const known = new Set(problems.map((p) => p.toLowerCase()));
  await scanBlockRanges(client, options, async (fromBlock, toBlock) => {
    const [proofs, votes] = await Promise.all([
      client.getContractEvents({ address: [...problems], abi: daimonProblemAbi, eventName: "ProofSubmitted", args: { improver: account }, fromBlock, toBlock }),
      client.getContractEvents({ address: [...problems], abi: daimonProblemAbi, eventName: "VoteCast", args: { validator: account }, fromBlock, toBlock }),
    ]);
    for (const log of [...proofs, ...votes]) if (known.has(log.address.toLowerCase())) found.add(getAddress(log.address));
  });
  return found;
}

/**
 * The f-dispute steps on the Hardhat network, shared by test/daimon/delQuantized.test.ts and bench/daimon.ts: deploys
 * DaimonDelEvaluator and the test-only DelEvaluatorHarness, and runs a segment or the output step either as a call
 * (the evaluator's answer) or as a harness transaction (its receipt: the whole cost with the EIP-7623 calldata floor).
 * Every expected value comes from lib/daimon/delQuantized.ts.
 */
import hre from "hardhat";
import { getContract, parseAbi, parseEventLogs, type Address, type Hex, type PublicClient } from "viem";
import { daimonDelEvaluatorAbi } from "../../lib/generated/abis";
import {
  TX_GAS_CAP,
  delqChunkHashes,
  delqChunkTree,
  delqCommit,
  delqCommitArgs,
  delqRoot,
  evaluateDelq,
  labelsTree,
  outputArgs,
  segmentArgs,
  type DelqChunkTree,
  type DelqCommit,
  type DelqEvaluation,
  type QuantizedDel,
  type SegmentArgs,
} from "../../lib/daimon/delQuantized";
import type { RevealTree } from "../../lib/danku/claims";

/** Human-readable ABI of the test-only harness (the evaluator's ABI comes from lib/generated/abis.ts). */
export const delEvaluatorHarnessAbi = parseAbi([
  "struct DelCommit { uint256 m; uint256 classCount; uint256 hidden; uint256 n; uint256 k; bytes32 b1Hash; bytes32 w1Root; bytes32 w2Root; bytes32 b2Hash; }",
  "struct Segment { uint256 j; bytes state; bytes labels; bytes rows; bytes32[] rowSiblings; bytes32[] w1Path; bytes32[] labelsPath; }",
  "function disputeSegment(DelCommit f, bytes32 root, bytes32 labelsRoot, bytes32 before, bytes32 claimedAfter, Segment s) returns (bool wrong)",
  "function disputeOutput(DelCommit f, bytes32 root, bytes32 before, bytes state, bytes b2, bytes w2, bytes claimed) returns (bool wrong)",
  "event SegmentChecked(uint256 indexed j, bytes32 computed, bool wrong)",
  "event OutputChecked(bytes32 computedHash, bool wrong)",
]);

export async function deployDelq() {
  const publicClient = (await hre.viem.getPublicClient()) as unknown as PublicClient;
  const [wallet] = await hre.viem.getWalletClients();
  if (!wallet) throw new Error("no Hardhat account");
  const deployed = await hre.viem.deployContract("DaimonDelEvaluator");
  const harnessDeployed = await hre.viem.deployContract("DelEvaluatorHarness", [deployed.address]);
  const evaluator = getContract({ address: deployed.address, abi: daimonDelEvaluatorAbi, client: { public: publicClient, wallet } });
  const harness = getContract({ address: harnessDeployed.address as Address, abi: delEvaluatorHarnessAbi, client: { public: publicClient, wallet } });
  return { publicClient, evaluator, harness };
}
export type DelqChain = Awaited<ReturnType<typeof deployDelq>>;

/** Everything a challenger holds for one claim: f_q's commitment and trees, the labels' tree, the honest evaluation. */
export interface DelqCase {
  readonly q: QuantizedDel;
  readonly x: ArrayLike<number>;
  readonly commit: DelqCommit;
  readonly root: Hex;
  readonly tree: DelqChunkTree;
  readonly labels: RevealTree;
  readonly truth: DelqEvaluation;
}

export function delqCase(q: QuantizedDel, x: ArrayLike<number>): DelqCase {
  const hashes = delqChunkHashes(q);
  const commit = delqCommit(q, hashes);
  return { q, x, commit, root: delqRoot(commit), tree: delqChunkTree(q, hashes), labels: labelsTree(x), truth: evaluateDelq(q, x) };
}

/** The honest arguments of segment j (from the true state of checkpoint j). */
export function honestSegment(c: DelqCase, j: number): SegmentArgs {
  return segmentArgs(c.q, c.tree, c.labels, c.x, j, c.truth.states[j]!);
}

/** The evaluator's checkpoint j + 1 (eth_call). */
export async function callSegment(chain: DelqChain, c: DelqCase, s: SegmentArgs, before: Hex, labelsRoot: Hex = c.labels.root): Promise<Hex> {
  return chain.evaluator.read.segment([delqCommitArgs(c.commit), c.root, labelsRoot, before, s]);
}

/** The evaluator's output bytes from the state of the last checkpoint (eth_call). */
export async function callOutput(chain: DelqChain, c: DelqCase, state: Int32Array = c.truth.states[c.truth.states.length - 1]!, before?: Hex): Promise<Hex> {
  const args = outputArgs(c.q, state);
  return chain.evaluator.read.output([delqCommitArgs(c.commit), c.root, before ?? c.truth.checkpoints[c.truth.checkpoints.length - 1]!, args.state, args.b2, args.w2]);
}

export interface StepOutcome {
  readonly wrong: boolean;
  readonly gasUsed: bigint;
  readonly calldataBytes: number;
}

function calldataBytes(input: Hex): number {
  return (input.length - 2) / 2;
}

/** Disputes segment j of a claim with checkpoints `claimed` in a harness transaction. */
export async function disputeSegmentTx(chain: DelqChain, c: DelqCase, j: number, claimed: readonly Hex[], s: SegmentArgs = honestSegment(c, j)): Promise<StepOutcome> {
  const hash = await chain.harness.write.disputeSegment([delqCommitArgs(c.commit), c.root, c.labels.root, claimed[j]!, claimed[j + 1]!, s], { gas: BigInt(TX_GAS_CAP) });
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`segment ${j}: the dispute transaction reverted`);
  const [event] = parseEventLogs({ abi: delEvaluatorHarnessAbi, logs: receipt.logs, eventName: "SegmentChecked" });
  const tx = await chain.publicClient.getTransaction({ hash });
  return { wrong: event!.args.wrong, gasUsed: receipt.gasUsed, calldataBytes: calldataBytes(tx.input) };
}

/** Disputes the output step of a claim with last checkpoint `before` and outputs `claimed` in a harness transaction. */
export async function disputeOutputTx(chain: DelqChain, c: DelqCase, claimed: Hex, before?: Hex): Promise<StepOutcome> {
  const args = outputArgs(c.q, c.truth.states[c.truth.states.length - 1]!);
  const last = before ?? c.truth.checkpoints[c.truth.checkpoints.length - 1]!;
  const hash = await chain.harness.write.disputeOutput([delqCommitArgs(c.commit), c.root, last, args.state, args.b2, args.w2, claimed], { gas: BigInt(TX_GAS_CAP) });
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error("output step: the dispute transaction reverted");
  const [event] = parseEventLogs({ abi: delEvaluatorHarnessAbi, logs: receipt.logs, eventName: "OutputChecked" });
  const tx = await chain.publicClient.getTransaction({ hash });
  return { wrong: event!.args.wrong, gasUsed: receipt.gasUsed, calldataBytes: calldataBytes(tx.input) };
}

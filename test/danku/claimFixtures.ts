/**
 * Claim-mode competitions on the in-process Hardhat network for the tests that need one (test/danku/claims.test.ts,
 * test/danku/checkerLoop.test.ts): created through the factory, brought to the Evaluation stage with an honest
 * (PERFECT_MODEL) and a wrong (WRONG_MODEL) submission revealed, and claims made as a given wallet.
 */
import { expect } from "chai";
import { getContract, parseEventLogs, type Address, type TransactionReceipt } from "viem";
import {
  bytesHex,
  commit,
  competitionAs,
  DEFAULT_CONFIG,
  doSplit,
  factoryAs,
  makeGroups,
  makePoints,
  PERFECT_MODEL,
  prepareModel,
  receipt,
  REWARD,
  reveal,
  revealModel,
  salt,
  toModelReveal,
  toTestReveal,
  WRONG_MODEL,
  type Config,
  type Created,
  type Env,
  type Prepared,
  type WalletClient,
} from "./fixtures";
import { competitionFactoryAbi, dankuClaimModuleAbi } from "../../lib/generated/abis";
import { groupPointCounts, type DataGroup } from "../../lib/danku/groups";
import type { DataPoint } from "../../lib/danku/encoding";
import { claimBond, locateTestPoint, revealProof, revealTree, type RevealTree } from "../../lib/danku/claims";

export const WINDOW = 10;
export const BOND_GAS_PRICE = 1_000_000_000n;
export const BOND = claimBond(BOND_GAS_PRICE);
export const CLAIM_CONFIG: Partial<Config> = { evaluationPeriod: 30 };

export function claimsAs(env: Env, address: Address, wallet: WalletClient) {
  return getContract({ address, abi: dankuClaimModuleAbi, client: { public: env.publicClient, wallet } });
}

export async function createClaimCompetition(env: Env, options: { config?: Partial<Config>; groups?: DataGroup[]; window?: number } = {}): Promise<Created> {
  const config: Config = { ...DEFAULT_CONFIG, ...CLAIM_CONFIG, ...options.config };
  const groups = options.groups ?? makeGroups(makePoints(40, config.featureCount, config.classCount, 1), 4, config, 1001);
  const organizer = env.wallets[0]!;
  const hash = await factoryAs(env, organizer).write.createClaimCompetition(
    [config, { challengeWindow: options.window ?? WINDOW, bondGasPrice: BOND_GAS_PRICE }, groups.map((g) => g.hash), groupPointCounts(groups), "bafy-claims"],
    { value: REWARD },
  );
  const r = await receipt(env, hash);
  const [created] = parseEventLogs({ abi: competitionFactoryAbi, logs: r.logs, eventName: "CompetitionCreated" });
  const address = created!.args.competition;
  return {
    address,
    init1Block: r.blockNumber,
    groups,
    config,
    organizer: competitionAs(env, address, organizer),
    as: (wallet: WalletClient) => competitionAs(env, address, wallet),
    createReceipt: r,
  };
}

export interface Revealed {
  created: Created;
  /** Test points in global (reveal) order. */
  testPoints: DataPoint[];
  /** One tree per reveal call, as the chain built it. */
  trees: RevealTree[];
  /** Each call's point bytes, in order. */
  callPoints: Uint8Array[][];
  ids: { perfect: bigint; wrong: bigint };
  /** Each submission's revealed model bytes, by id (what a dispute passes as `model`). */
  models: Map<bigint, `0x${string}`>;
  wallets: { alice: WalletClient; bob: WalletClient; challenger: WalletClient; griefer: WalletClient };
  revealReceipts: TransactionReceipt[];
}

/** A claim-mode competition in its Evaluation stage: PERFECT_MODEL (alice) and WRONG_MODEL (bob) revealed, test data
 * revealed one group per call (one tree each). `submitted` replaces the two models (e.g. convolutional ones). */
export async function toEvaluation(env: Env, created?: Created, submitted?: { perfect: Prepared; wrong: Prepared }): Promise<Revealed> {
  const c = created ?? (await createClaimCompetition(env));
  const [, alice, bob, challenger, griefer] = env.wallets as [WalletClient, WalletClient, WalletClient, WalletClient, WalletClient];
  const split = await doSplit(env, c);
  await reveal(env, c.organizer, true, split.training.map((g) => c.groups[g]!));
  const perfect = submitted?.perfect ?? prepareModel(PERFECT_MODEL, salt(1));
  const wrong = submitted?.wrong ?? prepareModel(WRONG_MODEL, salt(2));
  const perfectId = await commit(env, c, alice, perfect);
  const wrongId = await commit(env, c, bob, wrong);
  await toModelReveal(env, c.organizer);
  await revealModel(env, c, alice, perfectId, perfect);
  await revealModel(env, c, bob, wrongId, wrong);
  await toTestReveal(env, c.organizer);
  const testPoints: DataPoint[] = [];
  const trees: RevealTree[] = [];
  const callPoints: Uint8Array[][] = [];
  const revealReceipts: TransactionReceipt[] = [];
  const pointSize = c.config.featureCount + 1;
  for (const g of split.test) {
    const group = c.groups[g]!;
    revealReceipts.push(await reveal(env, c.organizer, false, [group]));
    testPoints.push(...group.points);
    const bytes = Array.from({ length: group.points.length }, (_, i) => group.bytes.slice(i * pointSize, (i + 1) * pointSize));
    callPoints.push(bytes);
    trees.push(revealTree(bytes));
  }
  expect(await c.organizer.read.stage()).to.equal(5);
  const models = new Map([
    [perfectId, perfect.bytes],
    [wrongId, wrong.bytes],
  ]);
  return { created: c, testPoints, trees, callPoints, ids: { perfect: perfectId, wrong: wrongId }, models, wallets: { alice, bob, challenger, griefer }, revealReceipts };
}

export function labelsOf(points: readonly DataPoint[]): number[] {
  return points.map((p) => p.label);
}

export async function claim(env: Env, r: Revealed, wallet: WalletClient, id: bigint, predictions: Uint8Array, value = BOND) {
  const rc = await receipt(env, claimsAs(env, r.created.address, wallet).write.claimScore([id, bytesHex(predictions)], { value }));
  const [event] = parseEventLogs({ abi: dankuClaimModuleAbi, logs: rc.logs, eventName: "ScoreClaimed" });
  return { claimId: event!.args.claimId, event: event!.args, receipt: rc };
}

/** The dispute arguments for global test point `index` of claim predictions `predictions` on submission `submissionId`. */
export function disputeArgs(r: Revealed, claimId: bigint, index: number, predictions: Uint8Array, submissionId: bigint) {
  const { rootIndex, indexInRoot } = locateTestPoint(r.trees.map((t) => t.pointCount), index);
  const tree = r.trees[rootIndex]!;
  const model = r.models.get(submissionId)!;
  return [claimId, BigInt(rootIndex), BigInt(indexInRoot), bytesHex(r.callPoints[rootIndex]![indexInRoot]!), revealProof(tree, indexInRoot), bytesHex(predictions), model] as const;
}

export async function withdrawable(r: Revealed, who: WalletClient): Promise<bigint> {
  return r.created.organizer.read.withdrawable([who.account.address]);
}

export async function evaluationEnd(r: Revealed): Promise<bigint> {
  return (await r.created.organizer.read.deadlines()).evaluationEnd;
}


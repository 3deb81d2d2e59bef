/**
 * Shared setup for the DaiMoN contract tests: a factory, typed handles per account, deterministic int16 vectors,
 * problem creation, round navigation by mining, and revert assertions by custom error name and arguments.
 * Expected values always come from lib/daimon (fixedPoint, encoding); nothing here re-implements them.
 */
import hre from "hardhat";
import { expect } from "chai";
import { bytesToHex, getContract, keccak256, parseAbi, parseEventLogs, stringToHex, type Abi, type Address, type Hash, type Hex, type TransactionReceipt } from "viem";
import { daimonDelEvaluatorAbi, daimonDisputeModuleAbi, daimonModelJudgeAbi, daimonProblemAbi, problemFactoryAbi, problemTokenAbi } from "../../lib/generated/abis";
import { DAIMON_LIMITS, WAD, packOutputs, packVector, registrationUsableFrom, type FixedVector } from "../../lib/daimon/fixedPoint";
import { proofHash, registrationHash, type ProblemConfig, type ProblemSpec, type ProofBinding, type TestTuple } from "../../lib/daimon/encoding";
import { expectRevert as expectRevertWith, seededRng, type PublicClient, type TestClient, type WalletClient } from "../danku/fixtures";
import { inputsTree, integerLabels, labelsTree, proofBinding } from "../../lib/daimon/disputes";
import { delqCommit, delqRoot, evaluateDelq, type QuantizedDel } from "../../lib/daimon/delQuantized";
import type { RevealTree } from "../../lib/danku/claims";
import type { QuantizedModel } from "../../lib/danku/encoding";

export { seededRng, type PublicClient, type TestClient, type WalletClient };

/** Every custom error a DaiMoN call can surface (the factory's calls bubble the problem's errors). */
export const DAIMON_ERRORS_ABI = [...daimonProblemAbi, ...problemFactoryAbi, ...problemTokenAbi].filter((item) => item.type === "error");

/** The problem's errors plus the judge's (DanKu's InvalidModel, from a posted model that is not a valid DanKu model). */
export const JUDGE_ERRORS_ABI = [...DAIMON_ERRORS_ABI, ...daimonModelJudgeAbi.filter((item) => item.type === "error")];

/** Awaits `promise`, expects a revert with custom error `name` and (if given) exactly these arguments. */
export function expectRevert(promise: Promise<unknown>, name: string, args?: readonly unknown[], abi: Abi = DAIMON_ERRORS_ABI): Promise<void> {
  return expectRevertWith(promise, name, args, abi);
}

/** Mirrors `enum Phase`. */
export const Phase = { Definition: 0, Competition: 1, Dead: 2 } as const;

/** Mirrors `enum ConfigField`. */
export const Field = {
  ClassCount: 0,
  TestSetSize: 1,
  EmbeddingSize: 2,
  DefinitionPeriod: 3,
  CompetitionPeriod: 4,
  RewardShape: 5,
  MinVotes: 6,
  Margin: 7,
  RewardScale: 8,
  InputRank: 9,
  InputDimension: 10,
  NameLength: 11,
  SymbolLength: 12,
  MetadataCidLength: 13,
  InitialTuples: 14,
} as const;

export const REWARD_SCALE = 1000n * 10n ** 18n;

export const DEFAULT_CONFIG: ProblemConfig = {
  classCount: 10,
  testSetSize: 1000,
  embeddingSize: 16,
  definitionPeriod: 20,
  competitionPeriod: 30,
  rewardShape: 3,
  minVotes: 1,
  openTuples: true,
  margin: WAD / 100n,
  rewardScale: REWARD_SCALE,
};

export function makeSpec(config: Partial<ProblemConfig> = {}, patch: Partial<Omit<ProblemSpec, "config">> = {}): ProblemSpec {
  return {
    config: { ...DEFAULT_CONFIG, ...config },
    inputShape: [1, 28, 28],
    name: "FashionMNIST improvement token",
    symbol: "FMNIST",
    metadataCid: "bafkreiproblemmetadata",
    ...patch,
  };
}

// ------------------------------------------------------------------ vectors

/** A seeded int16 vector with entries spread over ±`amplitude`, never all zero. */
export function randomVector(n: number, seed: number, amplitude = 30_000): number[] {
  const rng = seededRng(seed);
  const v = Array.from({ length: n }, () => Math.round((rng() * 2 - 1) * amplitude));
  if (Math.max(...v.map(Math.abs)) === 0) v[0] = 1;
  return v;
}

/** `target` plus seeded noise of size `noise` per entry (clamped to int16): the larger the noise, the farther away. */
export function perturb(target: FixedVector, noise: number, seed: number): number[] {
  const rng = seededRng(seed);
  return target.map((t) => Math.max(-32_768, Math.min(32_767, Math.round(t + (rng() * 2 - 1) * noise))));
}

export function hexVector(v: FixedVector): Hex {
  return bytesToHex(packVector(v));
}

export function hexOutputs(vs: readonly FixedVector[]): Hex {
  return bytesToHex(packOutputs(vs));
}

export interface Tuple {
  vector: number[];
  tuple: TestTuple;
}

export function makeTuple(n: number, seed: number): Tuple {
  const vector = randomVector(n, seed);
  return { vector, tuple: { inputsCid: `bafy-inputs-${seed}`, delCid: `bafy-del-${seed}`, inputsRoot: keccak256(stringToHex(`inputs-${seed}`)), delRoot: keccak256(stringToHex(`del-${seed}`)), target: hexVector(vector) } };
}

/** The value every proof sends: the proof bond (docs/daimon.md §14.3). */
export const BOND = { value: DAIMON_LIMITS.PROOF_BOND } as const;

/** The value every vote sends: the vote bond (docs/daimon.md §14.4). */
export const VOTE_BOND = { value: DAIMON_LIMITS.VOTE_BOND } as const;

/**
 * A stand-in binding for proofs that are never disputed (most contract tests): model hash and labels root derived from
 * the CID. Tests of disputes build real ones with lib/daimon/disputes.ts.
 */
export function testBinding(cid: string): ProofBinding {
  return { modelHash: keccak256(stringToHex(`model:${cid}`)), labelsRoot: keccak256(stringToHex(`labels:${cid}`)), checkpoints: "0x" };
}

/** `submitProof`'s arguments for `cid` and `outputs` with {@link testBinding}'s binding (or `binding`). */
export function proofArgs(cid: string, outputs: Hex, binding: ProofBinding = testBinding(cid)): readonly [string, Hex, Hex, Hex, Hex] {
  return [cid, binding.modelHash, binding.labelsRoot, binding.checkpoints, outputs];
}

// ------------------------------------------------------------------ clients and contracts

export interface Env {
  publicClient: PublicClient;
  testClient: TestClient;
  wallets: WalletClient[];
  factory: Address;
}

export async function deployEnv(): Promise<Env> {
  const publicClient = await hre.viem.getPublicClient();
  const testClient = await hre.viem.getTestClient();
  const wallets = await hre.viem.getWalletClients();
  const factory = await deployProblemFactory();
  return { publicClient, testClient, wallets, factory: factory.address };
}

/**
 * The judge, the f_q evaluator, the dispute module given both and the ProblemFactory given the module, in the order lib/chain/daimon.ts
 * `deployProblemFactory` deploys them (the judge's and module's init code do not fit in the factory's, EIP-3860).
 */
export async function deployProblemFactory() {
  const judge = await hre.viem.deployContract("DaimonModelJudge", []);
  const delEvaluator = await hre.viem.deployContract("DaimonDelEvaluator", []);
  const disputeModule = await hre.viem.deployContract("DaimonDisputeModule", [judge.address, delEvaluator.address]);
  return hre.viem.deployContract("ProblemFactory", [disputeModule.address]);
}

export function wallet(env: Env, i: number): WalletClient {
  const w = env.wallets[i];
  if (!w) throw new Error(`no wallet ${i}`);
  return w;
}

/** Several wallets by index, as a tuple. */
export function wallets<const N extends readonly number[]>(env: Env, ...indices: N): { [K in keyof N]: WalletClient } {
  return indices.map((i) => wallet(env, i)) as { [K in keyof N]: WalletClient };
}

export function factoryAs(env: Env, w: WalletClient) {
  return getContract({ address: env.factory, abi: problemFactoryAbi, client: { public: env.publicClient, wallet: w } });
}

export function problemAs(env: Env, address: Address, w: WalletClient) {
  return getContract({ address, abi: daimonProblemAbi, client: { public: env.publicClient, wallet: w } });
}
export type Problem = ReturnType<typeof problemAs>;

/** The problem's disputes: the dispute module's ABI at the problem's address (its fallback delegates to the module). */
export function disputesAs(env: Env, address: Address, w: WalletClient) {
  return getContract({ address, abi: daimonDisputeModuleAbi, client: { public: env.publicClient, wallet: w } });
}
export type ProblemDisputes = ReturnType<typeof disputesAs>;

export function tokenAt(env: Env, address: Address) {
  return getContract({ address, abi: problemTokenAbi, client: { public: env.publicClient, wallet: wallet(env, 0) } });
}

export async function receipt(env: Pick<Env, "publicClient">, hash: Hash | Promise<Hash>): Promise<TransactionReceipt> {
  const r = await env.publicClient.waitForTransactionReceipt({ hash: await hash });
  expect(r.status).to.equal("success");
  return r;
}

export interface Created {
  address: Address;
  token: Address;
  spec: ProblemSpec;
  tuples: Tuple[];
  createdBlock: bigint;
  definitionEnd: bigint;
  creator: WalletClient;
  as: (w: WalletClient) => Problem;
  /** The same problem with the dispute module's ABI (disputeAvailability, postModel, …, bindingOf). */
  disputesAs: (w: WalletClient) => ProblemDisputes;
  createReceipt: TransactionReceipt;
}

/** Creates a problem (wallet 0 by default) with `tupleCount` seeded tuples added at creation. */
export async function createProblem(
  env: Env,
  options: { config?: Partial<ProblemConfig>; spec?: ProblemSpec; tuples?: Tuple[]; tupleCount?: number; creator?: WalletClient; seed?: number } = {},
): Promise<Created> {
  const spec = options.spec ?? makeSpec(options.config);
  const seed = options.seed ?? 1;
  const tuples =
    options.tuples ?? Array.from({ length: options.tupleCount ?? 1 }, (_, i) => makeTuple(spec.config.embeddingSize, seed * 100 + i));
  const creator = options.creator ?? wallet(env, 0);
  const r = await receipt(
    env,
    factoryAs(env, creator).write.createProblem([{ ...spec, inputShape: [...spec.inputShape] }, tuples.map((t) => t.tuple)]),
  );
  const [created] = parseEventLogs({ abi: problemFactoryAbi, logs: r.logs, eventName: "ProblemCreated" });
  if (!created) throw new Error("no ProblemCreated event");
  const address = created.args.problem;
  return {
    address,
    token: created.args.token,
    spec,
    tuples,
    createdBlock: r.blockNumber,
    definitionEnd: created.args.definitionEnd,
    creator,
    as: (w: WalletClient) => problemAs(env, address, w),
    disputesAs: (w: WalletClient) => disputesAs(env, address, w),
    createReceipt: r,
  };
}

// ------------------------------------------------------------------ chain navigation

export async function blockNumber(env: Env): Promise<bigint> {
  return env.publicClient.getBlockNumber();
}

/** Mines so that the *next* transaction is included in block `target`. */
export async function mineUntilNextTxIn(env: Env, target: bigint): Promise<void> {
  const current = await blockNumber(env);
  if (target - 1n > current) await env.testClient.mine({ blocks: Number(target - 1n - current) });
}

/** First block of round `round`. */
export function roundStart(created: Created, round: number): bigint {
  return created.definitionEnd + BigInt(round) * BigInt(created.spec.config.competitionPeriod);
}

/** The next transaction lands in the first block of round `round`. */
export async function toRound(env: Env, created: Created, round: number): Promise<void> {
  await mineUntilNextTxIn(env, roundStart(created, round));
}

// ------------------------------------------------------------------ proofs and votes

export interface Submitted {
  proofId: bigint;
  proofHash: Hex;
  distance: bigint;
  distances: readonly bigint[];
  cid: string;
  outputs: Hex;
  improver: WalletClient;
  registerReceipt: TransactionReceipt;
  submitReceipt: TransactionReceipt;
}

/** Registers (`cid`, `outputs`) from `improver`; returns the registration's receipt. */
export async function registerProof(env: Env, created: Created, improver: WalletClient, cid: string, outputs: readonly FixedVector[] | Hex): Promise<TransactionReceipt> {
  const packed = typeof outputs === "string" ? outputs : hexOutputs(outputs);
  return receipt(env, created.as(improver).write.register([registrationHash(created.address, improver.account.address, cid, packed)]));
}

/** Mines so that the next transaction lands in the first block a registration mined in `registeredAt` is usable. */
export async function toUsable(env: Env, registeredAt: bigint): Promise<void> {
  await mineUntilNextTxIn(env, registrationUsableFrom(registeredAt));
}

/**
 * Registers `cid` with its outputs from `improver`, mines until the registration is REGISTRATION_AGE blocks old and
 * submits the proof (in the first block it is accepted).
 */
export async function registerAndSubmit(env: Env, created: Created, improver: WalletClient, cid: string, outputs: readonly FixedVector[]): Promise<Submitted> {
  const problem = created.as(improver);
  const packed = hexOutputs(outputs);
  const registerReceipt = await registerProof(env, created, improver, cid, packed);
  await toUsable(env, registerReceipt.blockNumber);
  const submitReceipt = await receipt(env, problem.write.submitProof(proofArgs(cid, packed), BOND));
  expect(submitReceipt.blockNumber).to.equal(registrationUsableFrom(registerReceipt.blockNumber));
  const [event] = parseEventLogs({ abi: daimonProblemAbi, logs: submitReceipt.logs, eventName: "ProofSubmitted" });
  if (!event) throw new Error("no ProofSubmitted event");
  expect(event.args.proofHash).to.equal(proofHash(created.address, improver.account.address, cid, testBinding(cid), packed));
  return {
    proofId: event.args.proofId,
    proofHash: event.args.proofHash,
    distance: event.args.distance,
    distances: event.args.distances,
    cid,
    outputs: packed,
    improver,
    registerReceipt,
    submitReceipt,
  };
}

export async function castVote(env: Env, created: Created, validator: WalletClient, proof: Pick<Submitted, "proofId" | "proofHash">): Promise<TransactionReceipt> {
  return receipt(env, created.as(validator).write.vote([proof.proofId, proof.proofHash], VOTE_BOND));
}

/** Outputs at the targets themselves, perturbed by `noise` (0: distance 0). */
export function outputsNear(created: Created, noise: number, seed: number): number[][] {
  return created.tuples.map((t, i) => (noise === 0 ? [...t.vector] : perturb(t.vector, noise, seed * 31 + i)));
}

// ------------------------------------------------------------------ test-only contracts (contracts/testing)

export const daimonMathHarnessAbi = parseAbi([
  "function isqrt(uint256[] xs) pure returns (uint256[] floors, uint256[] ceils)",
  "function distances(bytes[] a, bytes[] b) pure returns (uint256[] out)",
  "function upperTails(uint256[] ds, uint256[] as_) pure returns (uint256[] out)",
  "function rewards(uint256[] ds, uint256[] dcs, uint256[] as_) pure returns (uint256[] out)",
  "function limits() pure returns (string[] names, uint256[] values)",
  "function validatorShares(uint256[] amounts, uint256[] voteCounts) pure returns (uint256[] out)",
]);

export async function deployMathHarness(env: Env) {
  const deployed = await hre.viem.deployContract("DaimonMathHarness", []);
  return getContract({ address: deployed.address, abi: daimonMathHarnessAbi, client: { public: env.publicClient, wallet: wallet(env, 0) } });
}

/** Gas figures collected by a test file and printed at its end. */
export class GasLog {
  private readonly rows: [string, bigint][] = [];
  add(label: string, gas: bigint): void {
    this.rows.push([label, gas]);
  }
  print(title: string): void {
    if (this.rows.length === 0) return;
    const width = Math.max(...this.rows.map(([l]) => l.length));
    console.log(`\n      ${title}`);
    for (const [label, gas] of this.rows) console.log(`        ${label.padEnd(width)}  ${gas.toLocaleString("en-US").padStart(11)} gas`);
  }
}

// ------------------------------------------------------------------ disputable proofs (docs/daimon.md §14.3)

/** A seeded DanKu v1 dense model of `widths` (ReLU hidden layers with shift `shift`), valid for the evaluator. */
export function randomIntegerModel(widths: readonly number[], seed: number, shift = 6): QuantizedModel {
  const rng = seededRng(seed);
  const layers = widths.slice(1).map((fanOut, l) => ({
    shift: l === widths.length - 2 ? 0 : shift,
    biases: Array.from({ length: fanOut }, () => Math.round((rng() * 2 - 1) * 2000)),
    weights: Array.from({ length: fanOut }, () => Array.from({ length: widths[l] as number }, () => Math.round((rng() * 2 - 1) * 127))),
  }));
  return { widths: [...widths], layers };
}

/** m seeded test points of `features` feature bytes each (Z in DanKu feature bytes). */
export function randomPoints(m: number, features: number, seed: number): Uint8Array[] {
  const rng = seededRng(seed);
  return Array.from({ length: m }, () => Uint8Array.from({ length: features }, () => Math.floor(rng() * 256)));
}

export interface DisputableProblem {
  created: Created;
  /** Z of the single tuple in feature bytes, and its tree (the tuple's inputsRoot is its root). */
  points: Uint8Array[];
  inputs: RevealTree;
}

/** A problem with one tuple whose inputsRoot is the real root of `points` (input shape [F]), in round 0. */
export async function disputableProblem(
  env: Env,
  options: { m: number; features: number; classCount: number; config?: Partial<ProblemConfig>; seed?: number },
): Promise<DisputableProblem> {
  const seed = options.seed ?? 7;
  const points = randomPoints(options.m, options.features, seed);
  const inputs = inputsTree(points);
  const spec = makeSpec({ classCount: options.classCount, testSetSize: options.m, ...options.config }, { inputShape: [options.features] });
  const base = makeTuple(spec.config.embeddingSize, seed);
  const tuple: Tuple = { vector: base.vector, tuple: { ...base.tuple, inputsRoot: inputs.root } };
  const created = await createProblem(env, { spec, tuples: [tuple] });
  await toRound(env, created, 0);
  return { created, points, inputs };
}

/**
 * Registers and submits a proof bound to `model` (keccak256 of its bytes) and `labels` (one array per tuple), with the
 * proof bond; returns the proof and its labels tree.
 */
export async function submitBound(
  env: Env,
  created: Created,
  improver: WalletClient,
  cid: string,
  model: Uint8Array,
  labels: readonly ArrayLike<number>[],
  outputs: readonly FixedVector[],
  checkpoints: Hex = "0x",
): Promise<Submitted & { binding: ProofBinding; labels: RevealTree }> {
  const packed = hexOutputs(outputs);
  const binding = proofBinding(model, labels, checkpoints);
  const registerReceipt = await registerProof(env, created, improver, cid, packed);
  await toUsable(env, registerReceipt.blockNumber);
  const submitReceipt = await receipt(env, created.as(improver).write.submitProof(proofArgs(cid, packed, binding), BOND));
  const [event] = parseEventLogs({ abi: daimonProblemAbi, logs: submitReceipt.logs, eventName: "ProofSubmitted" });
  if (!event) throw new Error("no ProofSubmitted event");
  expect(event.args.proofHash).to.equal(proofHash(created.address, improver.account.address, cid, binding, packed));
  return {
    proofId: event.args.proofId,
    proofHash: event.args.proofHash,
    distance: event.args.distance,
    distances: event.args.distances,
    cid,
    outputs: packed,
    improver,
    registerReceipt,
    submitReceipt,
    binding,
    labels: labelsTree(labels),
  };
}

/** The wei `w` paid for gas in `r`. */
export function gasCost(r: TransactionReceipt): bigint {
  return r.gasUsed * r.effectiveGasPrice;
}

// ------------------------------------------------------------------ output disputes (docs/daimon.md §14.3.1)

/** The problem's errors plus the f_q evaluator's (a bad segment or output-step argument reverts with them). */
export const DELQ_ERRORS_ABI = [...DAIMON_ERRORS_ABI, ...daimonDelEvaluatorAbi.filter((item) => item.type === "error")];

/** A seeded f_q with int8 weights in −127…127, |B1| ≤ 2,000, |B2| ≤ 10⁶ (as test/daimon/delQuantized.test.ts). */
export function randomQuantizedDel(shape: { m: number; classCount: number; hidden: number; n: number; k: number }, seed: number): QuantizedDel {
  const rng = seededRng(seed);
  const below = (x: number) => Math.floor(rng() * x);
  const int8 = (length: number) => Int8Array.from({ length }, () => below(255) - 127);
  const { m, classCount, hidden, n, k } = shape;
  return {
    m,
    classCount,
    hidden,
    n,
    k,
    scale1: 1,
    scale2: 1,
    w1: int8(m * classCount * hidden),
    b1: Int32Array.from({ length: hidden }, () => below(4001) - 2000),
    w2: int8(hidden * n),
    b2: BigInt64Array.from({ length: n }, () => BigInt(below(2_000_001) - 1_000_000)),
  };
}

export interface DelqProblem extends DisputableProblem {
  /** Each tuple's f_q (its delRoot is on chain). */
  fs: QuantizedDel[];
  /** The integer model every test here uses, and its labels of Z (one array per tuple: the proof's true labels). */
  model: QuantizedModel;
  labels: number[][];
}

/**
 * A problem whose `tupleCount` tuples share Z (m points of 8 features, C = 3) and each commit a seeded f_q
 * (H = 32, n = embeddingSize = 16, K = 8: S = ⌈m / 8⌉ segments); y_t of tuple t is f_q(x_t) for true labels x_t
 * that differ from the model's labels at 3 points, so an honest proof of the model improves on d_c = 1. In round 0.
 */
export async function delqProblem(
  env: Env,
  options: { m: number; tupleCount?: number; seed?: number; config?: Partial<ProblemConfig>; shape?: { classCount: number; hidden: number; n: number; k: number } },
): Promise<DelqProblem> {
  const seed = options.seed ?? 5;
  const { m } = options;
  const shape = options.shape ?? { classCount: 3, hidden: 32, n: 16, k: 8 };
  const tupleCount = options.tupleCount ?? 1;
  const points = randomPoints(m, 8, seed);
  const inputs = inputsTree(points);
  const model = randomIntegerModel([8, 8, shape.classCount], seed + 1);
  const modelLabels = Array.from(integerLabels(model, points));
  const fs = Array.from({ length: tupleCount }, (_, t) => randomQuantizedDel({ m, ...shape }, seed * 10 + t));
  const tuples: Tuple[] = fs.map((q, t) => {
    const truth = modelLabels.map((l, i) => (i % Math.max(1, Math.floor(m / 3)) === t ? (l + 1) % shape.classCount : l));
    const vector = evaluateDelq(q, truth).outputs;
    return {
      vector,
      tuple: { inputsCid: `bafy-z-${seed}-${t}`, delCid: `bafy-f-${seed}-${t}`, inputsRoot: inputs.root, delRoot: delqRoot(delqCommit(q)), target: hexVector(vector) },
    };
  });
  const spec = makeSpec({ classCount: shape.classCount, testSetSize: m, embeddingSize: shape.n, ...options.config }, { inputShape: [8] });
  const created = await createProblem(env, { spec, tuples });
  await toRound(env, created, 0);
  return { created, points, inputs, fs, model, labels: fs.map(() => [...modelLabels]) };
}

/**
 * Shared setup for the DanKu contract tests: deterministic datasets and groups, a typed competition handle per
 * account, stage navigation by mining, and revert assertions that check the custom error's name and arguments.
 * Expected values always come from lib/danku (encoding, forward pass, split); nothing here re-implements them.
 */
import hre from "hardhat";
import { expect } from "chai";
import {
  BaseError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  getContract,
  parseAbi,
  parseEventLogs,
  toFunctionSelector,
  type Abi,
  type Address,
  type Hash,
  type Hex,
  type TransactionReceipt,
} from "viem";
import { competitionFactoryAbi, dankuCompetitionAbi } from "../../lib/generated/abis";
import { buildDataGroups, groupPointCounts, type DataGroup } from "../../lib/danku/groups";
import {
  encodeModel,
  modelHash,
  submissionCommitment,
  type DataPoint,
  type QuantizedModel,
} from "../../lib/danku/encoding";
import { selectTrainingGroups } from "../../lib/danku/split";
import type { RandomBytes } from "../../lib/danku/random";

export type PublicClient = Awaited<ReturnType<typeof hre.viem.getPublicClient>>;
export type WalletClient = Awaited<ReturnType<typeof hre.viem.getWalletClients>>[number];
export type TestClient = Awaited<ReturnType<typeof hre.viem.getTestClient>>;

/** Mirrors `enum Stage` in contracts/danku/IDankuCompetition.sol. */
export const Stage = {
  AwaitingSplit: 0,
  TrainingReveal: 1,
  Submission: 2,
  ModelReveal: 3,
  TestReveal: 4,
  Evaluation: 5,
  AwaitingFinalization: 6,
  Finalized: 7,
  Cancelled: 8,
  SetupExpired: 9,
} as const;
export type StageValue = (typeof Stage)[keyof typeof Stage];

export interface Config {
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
}

export const DEFAULT_CONFIG: Config = {
  featureCount: 2,
  classCount: 2,
  trainingBps: 5000,
  minAccuracyBps: 0,
  init2Window: 10,
  splitDelay: 1,
  trainingRevealPeriod: 40,
  submissionPeriod: 20,
  modelRevealPeriod: 20,
  testRevealPeriod: 20,
  evaluationPeriod: 40,
};

export const REWARD = 10n ** 18n;

// ------------------------------------------------------------------ deterministic randomness

/** mulberry32: a tiny seeded PRNG for reproducible test data (never for real nonces). */
export function seededRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededBytes(seed: number): RandomBytes {
  const rng = seededRng(seed);
  return (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rng() * 256));
}

/** Points whose label is 1 iff feature 0 > feature 1 (for 2 classes), else random labels. */
export function makePoints(count: number, featureCount: number, classCount: number, seed: number): DataPoint[] {
  const rng = seededRng(seed);
  return Array.from({ length: count }, () => {
    const features = Array.from({ length: featureCount }, () => Math.floor(rng() * 256));
    const label =
      classCount === 2 && featureCount >= 2
        ? (features[0] as number) > (features[1] as number)
          ? 1
          : 0
        : Math.floor(rng() * classCount);
    return { features, label };
  });
}

export function makeGroups(points: readonly DataPoint[], groupCount: number, config: Config, seed: number): DataGroup[] {
  return buildDataGroups(points, {
    groupCount,
    featureCount: config.featureCount,
    classCount: config.classCount,
    random: seededBytes(seed),
  });
}

/** 2 inputs → 2 classes: predicts 1 iff x0 > x1 (ties → 0), i.e. 100 % on {@link makePoints} data. */
export const PERFECT_MODEL: QuantizedModel = {
  widths: [2, 2],
  layers: [{ shift: 0, biases: [0, 0], weights: [[-1, 1], [1, -1]] }],
};

/** The opposite prediction: 0 % on {@link makePoints} data except ties. */
export const WRONG_MODEL: QuantizedModel = {
  widths: [2, 2],
  layers: [{ shift: 0, biases: [0, 1], weights: [[1, -1], [-1, 1]] }],
};

// ------------------------------------------------------------------ test-only contracts (contracts/testing)

/** Human-readable ABIs of the test-only contracts; the production ABIs come from lib/generated/abis.ts. */
export const evaluatorHarnessAbi = parseAbi([
  "function validate(bytes model, uint256 featureCount, uint256 classCount) pure",
  "function store(bytes model) returns (address[] chunks)",
  "function writeBlob(bytes data) returns (address pointer)",
  "function evaluate(address[] chunks, bytes points, uint256 featureCount) view returns (uint256 correct, uint256 prepareGas, uint256 runGas)",
]);

export const testActorAbi = parseAbi([
  "function setMode(uint8 mode, address target)",
  "function forward(address to, bytes data) payable returns (bytes)",
  "function createAndSplit(address factory, (uint16 featureCount, uint16 classCount, uint16 trainingBps, uint16 minAccuracyBps, uint16 init2Window, uint16 splitDelay, uint32 trainingRevealPeriod, uint32 submissionPeriod, uint32 modelRevealPeriod, uint32 testRevealPeriod, uint32 evaluationPeriod) config, bytes32[] groupHashes, uint32[] groupPointCounts, string metadataCid) payable",
  "function received() view returns (uint256)",
  "function reentryAttempts() view returns (uint256)",
  "function reentrySucceeded() view returns (bool)",
  "function lastReentryError() view returns (bytes)",
  "error Refused()",
]);

export const ActorMode = { Accept: 0, Revert: 1, ReenterWithdraw: 2, ReenterWithdrawTo: 3 } as const;

export const limitsProbeAbi = parseAbi([
  "function limits() pure returns (string[] names, uint256[] values)",
  "function maxChunk() pure returns (uint256)",
]);

export async function deployTestContract<const TAbi extends Abi>(env: Env, name: string, abi: TAbi, wallet?: WalletClient) {
  const deployed = await hre.viem.deployContract(name, [], wallet ? { client: { wallet } } : undefined);
  return getContract({ address: deployed.address, abi, client: { public: env.publicClient, wallet: wallet ?? (env.wallets[0] as WalletClient) } });
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
  // The claim module and the engine are deployed on their own and given to the factory (docs/protocol.md §10).
  const claimModule = await hre.viem.deployContract("DankuClaimModule");
  const engine = await hre.viem.deployContract("DankuEvaluatorEngine");
  const factory = await hre.viem.deployContract("CompetitionFactory", [claimModule.address, engine.address]);
  return { publicClient, testClient, wallets, factory: factory.address };
}

export function factoryAs(env: Env, wallet: WalletClient) {
  return getContract({ address: env.factory, abi: competitionFactoryAbi, client: { public: env.publicClient, wallet } });
}

export function competitionAs(env: Env, address: Address, wallet: WalletClient) {
  return getContract({ address, abi: dankuCompetitionAbi, client: { public: env.publicClient, wallet } });
}
export type Competition = ReturnType<typeof competitionAs>;

export async function receipt(env: Pick<Env, "publicClient">, hash: Hash | Promise<Hash>): Promise<TransactionReceipt> {
  const r = await env.publicClient.waitForTransactionReceipt({ hash: await hash });
  expect(r.status).to.equal("success");
  return r;
}

export interface Created {
  address: Address;
  init1Block: bigint;
  groups: DataGroup[];
  config: Config;
  /** Handle bound to the organizer (wallet 0 unless given). */
  organizer: Competition;
  as: (wallet: WalletClient) => Competition;
  createReceipt: TransactionReceipt;
}

export async function createCompetition(
  env: Env,
  options: {
    config?: Partial<Config>;
    groups?: DataGroup[];
    points?: DataPoint[];
    groupCount?: number;
    reward?: bigint;
    organizer?: WalletClient;
    metadataCid?: string;
    seed?: number;
    /** Point counts to commit instead of the groups' real sizes (a hostile organizer's lie). */
    groupPointCounts?: number[];
  } = {},
): Promise<Created> {
  const config: Config = { ...DEFAULT_CONFIG, ...options.config };
  const seed = options.seed ?? 1;
  const groups =
    options.groups ??
    makeGroups(
      options.points ?? makePoints(40, config.featureCount, config.classCount, seed),
      options.groupCount ?? 4,
      config,
      seed + 1000,
    );
  const organizer = options.organizer ?? (env.wallets[0] as WalletClient);
  const factory = factoryAs(env, organizer);
  const hash = await factory.write.createCompetition(
    [config, groups.map((g) => g.hash), options.groupPointCounts ?? groupPointCounts(groups), options.metadataCid ?? "bafy-test"],
    { value: options.reward ?? REWARD },
  );
  const r = await receipt(env, hash);
  const [created] = parseEventLogs({ abi: competitionFactoryAbi, logs: r.logs, eventName: "CompetitionCreated" });
  if (!created) throw new Error("no CompetitionCreated event");
  const address = created.args.competition;
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

// ------------------------------------------------------------------ chain navigation

export async function blockNumber(env: Env): Promise<bigint> {
  return env.publicClient.getBlockNumber();
}

/** Mines until the latest block is `target` (views then run at `target`). */
export async function mineTo(env: Env, target: bigint): Promise<void> {
  const current = await blockNumber(env);
  if (target > current) await env.testClient.mine({ blocks: Number(target - current) });
  expect(await blockNumber(env)).to.equal(target);
}

/** Mines so that the *next* transaction is included in block `target`. */
export async function mineUntilNextTxIn(env: Env, target: bigint): Promise<void> {
  const current = await blockNumber(env);
  if (target - 1n > current) await env.testClient.mine({ blocks: Number(target - 1n - current) });
}

/** The split's seed block: init1 + splitDelay (docs/protocol.md §3). */
export function seedBlockOf(created: Created): bigint {
  return created.init1Block + BigInt(created.config.splitDelay);
}

/** The lib split for this competition, from the seed block's hash. */
export async function expectedSplit(env: Env, created: Created) {
  const block = await env.publicClient.getBlock({ blockNumber: seedBlockOf(created) });
  return selectTrainingGroups({
    blockHash: block.hash,
    competition: created.address,
    groupHashes: created.groups.map((g) => g.hash),
    trainingBps: created.config.trainingBps,
  });
}

/** Draws the split in the first block it may be in (after the seed block). */
export async function doSplit(env: Env, created: Created) {
  await mineUntilNextTxIn(env, seedBlockOf(created) + 1n);
  await receipt(env, created.organizer.write.selectTrainingGroups());
  return expectedSplit(env, created);
}

export async function reveal(
  env: Env,
  c: Competition,
  training: boolean,
  groups: readonly DataGroup[],
): Promise<TransactionReceipt> {
  const args = [
    groups.map((g) => BigInt(g.index)),
    groups.map((g) => bytesHex(g.bytes)),
    groups.map((g) => g.nonce),
  ] as const;
  return receipt(env, training ? c.write.revealTrainingGroups(args) : c.write.revealTestGroups(args));
}

export function bytesHex(bytes: Uint8Array): Hex {
  return `0x${Buffer.from(bytes).toString("hex")}`;
}

/** Split + reveal every training group: the competition is then in the Submission stage. */
export async function toSubmission(env: Env, created: Created) {
  const split = await doSplit(env, created);
  const training = split.training.map((g) => created.groups[g] as DataGroup);
  await reveal(env, created.organizer, true, training);
  return split;
}

export async function deadlinesOf(c: Competition) {
  return c.read.deadlines();
}

export async function toModelReveal(env: Env, c: Competition): Promise<void> {
  const d = await deadlinesOf(c);
  await mineUntilNextTxIn(env, d.submissionEnd);
}

export async function toTestReveal(env: Env, c: Competition): Promise<void> {
  const d = await deadlinesOf(c);
  await mineUntilNextTxIn(env, d.modelRevealEnd);
}

/** After the test-reveal period (whether or not the test data was revealed). */
export async function toEvaluationByTimeout(env: Env, c: Competition): Promise<void> {
  const d = await deadlinesOf(c);
  await mineUntilNextTxIn(env, d.testRevealEnd);
}

// ------------------------------------------------------------------ submissions

export interface Prepared {
  bytes: Hex;
  hash: Hex;
  salt: Hex;
}

export function prepareModel(model: QuantizedModel, salt: Hex): Prepared {
  const bytes = encodeModel(model);
  return { bytes: bytesHex(bytes), hash: modelHash(bytes), salt };
}

export function salt(n: number): Hex {
  return `0x${n.toString(16).padStart(64, "0")}`;
}

/** Commits `model` from `wallet`; returns the submission id. */
export async function commit(env: Env, created: Created, wallet: WalletClient, prepared: Prepared): Promise<bigint> {
  const commitment = submissionCommitment({
    competition: created.address,
    submitter: wallet.account.address,
    modelHash: prepared.hash,
    salt: prepared.salt,
  });
  const r = await receipt(env, created.as(wallet).write.commitModel([commitment]));
  const [event] = parseEventLogs({ abi: dankuCompetitionAbi, logs: r.logs, eventName: "ModelCommitted" });
  if (!event) throw new Error("no ModelCommitted event");
  return event.args.submissionId;
}

export async function revealModel(env: Env, created: Created, wallet: WalletClient, id: bigint, prepared: Prepared) {
  return receipt(env, created.as(wallet).write.revealModel([id, prepared.bytes, prepared.salt]));
}

// ------------------------------------------------------------------ reverts

/** Every custom error a DanKu call can surface, for decoding reverts that bubbled through other contracts. */
export const DANKU_ERRORS_ABI = [...dankuCompetitionAbi, ...competitionFactoryAbi].filter((item) => item.type === "error");

/** The revert data (custom error) of a failed call, decoded against `abi`. */
export function revertOf(error: unknown, abi: Abi = DANKU_ERRORS_ABI): { errorName: string; args: readonly unknown[] } {
  if (!(error instanceof BaseError)) throw error;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError) {
    if (reverted.data?.errorName) return { errorName: reverted.data.errorName, args: reverted.data.args ?? [] };
    if (reverted.raw) {
      const decoded = decodeErrorResult({ abi, data: reverted.raw });
      return { errorName: decoded.errorName, args: decoded.args ?? [] };
    }
  }
  const withData = error.walk((e) => typeof (e as { data?: unknown }).data === "string") as { data?: Hex } | null;
  if (withData?.data && withData.data.length >= 10) {
    const decoded = decodeErrorResult({ abi, data: withData.data });
    return { errorName: decoded.errorName, args: decoded.args ?? [] };
  }
  throw new Error(`no custom error in: ${error.shortMessage}\n${error.message.slice(0, 800)}`);
}

/** Awaits `promise`, expects a revert with custom error `name` and (if given) exactly these arguments. */
export async function expectRevert(
  promise: Promise<unknown>,
  name: string,
  args?: readonly unknown[],
  abi: Abi = DANKU_ERRORS_ABI,
): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  if (caught === undefined) expect.fail(`expected a revert with ${name}, but the call succeeded`);
  const decoded = revertOf(caught, abi);
  expect(decoded.errorName).to.equal(name);
  if (args) expect(decoded.args).to.deep.equal(args);
}

// ------------------------------------------------------------------ hand-made reveal calldata (issue 9 §2)
// Added for test/danku/attacks.test.ts and invariants.test.ts: the reveal functions' ABI encoding word by word, so a
// test can patch offsets and lengths the way a hostile caller would.

/** 2^256: reveal words are taken modulo this. */
export const WORD = 2n ** 256n;

/** A reveal's calldata as patchable 32-byte words (after the selector) with the positions of its offsets and lengths. */
export interface RevealEncoding {
  words: bigint[];
  /** Word index of element i's offset (counted from the start of the offset table, as the ABI says). */
  offsetWord: (i: number) => number;
  /** Word index of element i's length word in this encoding. */
  lengthWord: (i: number) => number;
  /** Word indices of the three head offsets and the three array lengths. */
  headWords: number[];
  count: number;
}

type RevealGroup = Pick<DataGroup, "index" | "bytes" | "nonce">;

function bytesWords(bytes: Uint8Array): bigint[] {
  const padded = new Uint8Array(Math.ceil(bytes.length / 32) * 32);
  padded.set(bytes);
  return Array.from({ length: padded.length / 32 }, (_, w) => BigInt(bytesHex(padded.slice(w * 32, w * 32 + 32))));
}

/**
 * reveal{Training,Test}Groups(uint256[] indices, bytes[] points, bytes32[] nonces) encoded exactly as the ABI (and
 * viem) does: head, indices, points (length, offset table, elements), nonces.
 */
export function encodeRevealWords(groups: readonly RevealGroup[]): RevealEncoding {
  const n = groups.length;
  const pointsStart = 3 + 1 + n; // word index of the points array's length word
  const elements = groups.map((g) => bytesWords(g.bytes));
  const noncesStart = pointsStart + 1 + n + elements.reduce((a, e) => a + 1 + e.length, 0);
  const words: bigint[] = [96n, BigInt(pointsStart * 32), BigInt(noncesStart * 32), BigInt(n), ...groups.map((g) => BigInt(g.index))];
  words.push(BigInt(n));
  const elementAt: number[] = [];
  let offset = n; // in words, from the start of the offset table
  for (const e of elements) {
    elementAt.push(offset);
    words.push(BigInt(offset * 32));
    offset += 1 + e.length;
  }
  groups.forEach((g, i) => words.push(BigInt(g.bytes.length), ...(elements[i] as bigint[])));
  words.push(BigInt(n), ...groups.map((g) => BigInt(g.nonce)));
  const table = pointsStart + 1;
  return {
    words,
    count: n,
    offsetWord: (i) => table + i,
    lengthWord: (i) => table + (elementAt[i] as number),
    headWords: [0, 1, 2, 3, pointsStart, noncesStart],
  };
}

/**
 * The original attack's encoding: `groups` (equal bytes, different nonces) with one copy of the bytes in calldata and
 * every element's offset pointing at it.
 */
export function encodeSharedRevealWords(groups: readonly RevealGroup[]): RevealEncoding {
  const n = groups.length;
  const data = bytesWords((groups[0] as RevealGroup).bytes);
  const pointsStart = 3 + 1 + n;
  const noncesStart = pointsStart + 1 + n + 1 + data.length;
  const words: bigint[] = [96n, BigInt(pointsStart * 32), BigInt(noncesStart * 32), BigInt(n), ...groups.map((g) => BigInt(g.index))];
  words.push(BigInt(n), ...groups.map(() => BigInt(n * 32)));
  words.push(BigInt((groups[0] as RevealGroup).bytes.length), ...data);
  words.push(BigInt(n), ...groups.map((g) => BigInt(g.nonce)));
  const table = pointsStart + 1;
  return { words, count: n, offsetWord: (i) => table + i, lengthWord: () => table + n, headWords: [0, 1, 2, 3, pointsStart, noncesStart] };
}

/** Calldata of revealTrainingGroups (`training`) or revealTestGroups with these words, less `truncate` bytes. */
export function revealCalldata(words: readonly bigint[], training: boolean, truncate = 0): Hex {
  const selector = toFunctionSelector(training ? "revealTrainingGroups(uint256[],bytes[],bytes32[])" : "revealTestGroups(uint256[],bytes[],bytes32[])");
  const body = words.map((w) => (((w % WORD) + WORD) % WORD).toString(16).padStart(64, "0")).join("");
  const hex = `${selector}${body}`;
  return (truncate > 0 ? hex.slice(0, hex.length - 2 * truncate) : hex) as Hex;
}

/** Byte length of reveal calldata with these words (selector included). */
export function revealCalldataSize(words: readonly bigint[]): bigint {
  return BigInt(4 + 32 * words.length);
}

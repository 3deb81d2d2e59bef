/**
 * Money invariants of DankuCompetition under thousands of random action sequences (docs/protocol.md §6 and §8).
 *
 * fast-check generates a tiny competition (1 feature, 2 classes, 2–4 groups of 1–2 points, 10–12-block periods, a split
 * delay of 1–4 blocks, now and then a lying committed group size) and a sequence of 8–25 random actions by an
 * organizer, three submitters (one of them {RevertingReceiver}, a contract whose `receive()` always reverts), donors and
 * strangers, with up to three of them played before the split's seed block. The actions include the attacks of issue 9:
 * withholding a test group, the organizer cancelling after the seed block, reveals of a size other than the committed
 * one, and hostile reveal encodings (overlapping or out-of-calldata bytes elements). `fc.asyncModelRun` plays the sequence against a competition
 * created through the real CompetitionFactory on the in-process Hardhat network. For every action the model
 * predicts, from stage and state alone, whether it succeeds and, if not, the exact custom error; a mismatch fails the
 * run. After every action the test checks, through {CompetitionProbe} (one `eth_call`):
 *
 *  - balance(competition) == reward + Σ successful donations − Σ withdrawals;
 *  - stage, donations, submission count, best submission and winner equal the model's;
 *  - before finalization or cancellation nobody can withdraw;
 *  - after it, withdrawable(a) == entitlement(a) − paid(a) for every actor (winner: reward + all donations; withheld
 *    test data: floor(reward / revealed submissions) per revealed submission, the remainder to the first revealer,
 *    and every donor exactly what they donated; refunds: the organizer its reward unless it forfeited it by cancelling from the seed block on, everyone exactly
 *    what they donated), and Σ withdrawable + locked == balance, where locked is a forfeited reward;
 *  - Σ payouts + Σ withdrawable + locked == reward + donations, and rewardForfeited / testWithheld equal the model's;
 *  - nobody is ever paid more than their entitlement; a withdrawal pays the recipient exactly the amount (less gas
 *    when it pays the sender), zeroes withdrawable, and a second withdrawal reverts with NothingToWithdraw.
 *
 * After the random part every sequence is driven to settlement (the protocol driver plays on; then deadlines are
 * mined through and it is finalized, or cancelled once the setup expired) and everybody withdraws: the competition
 * must end holding exactly the forfeited reward (0 without a forfeit), so no other wei can be stuck.
 *
 * Reproducing a failure: fast-check prints `seed` and `path`; rerun with
 *   DANKU_INVARIANT_SEED=<seed> DANKU_INVARIANT_PATH=<path> npx hardhat test test/danku/invariants.test.ts
 * The chain is deterministic: the seed block's timestamp is chosen so that its hash yields the split the scenario
 * asked for, so the same seed gives the same split on every machine. The default seed is fixed (printed);
 * DANKU_INVARIANT_RUNS overrides the number of sequences (default 1000). The failure message also lists every executed action with its concrete arguments.
 */
import hre from "hardhat";
import { expect } from "chai";
import fc from "fast-check";
import {
  decodeErrorResult,
  encodeFunctionData,
  getAddress,
  hexToBytes,
  parseAbi,
  parseEventLogs,
  toHex,
  zeroAddress,
  type Abi,
  type AbiItem,
  type AbiParameter,
  type Address,
  type Hex,
} from "viem";
import { competitionFactoryAbi, dankuCompetitionAbi } from "../../lib/generated/abis";
import {
  decodeModel,
  decodePoints,
  encodeModel,
  groupHash,
  modelHash,
  submissionCommitment,
  validateModel,
  type DataPoint,
  type QuantizedModel,
} from "../../lib/danku/encoding";
import { predict } from "../../lib/danku/forward";
import { buildDataGroups, groupPointCounts, trainingGroupCount, type DataGroup } from "../../lib/danku/groups";
import { selectTrainingGroups, type SplitResult } from "../../lib/danku/split";
import { buildSubmissionFile, submissionFileCommitment, type SubmissionFile } from "../../lib/danku/secrets";
import { devAccount } from "../../lib/chain/devAccounts";
import {
  Stage,
  WORD,
  bytesHex,
  deployEnv,
  encodeRevealWords,
  revealCalldata,
  revealCalldataSize,
  salt as saltHex,
  seededBytes,
  seededRng,
  type Config,
  type Env,
  type StageValue,
} from "./fixtures";

// ------------------------------------------------------------------ parameters

const RUNS = Number(process.env.DANKU_INVARIANT_RUNS ?? 1000);
const SEED = process.env.DANKU_INVARIANT_SEED !== undefined ? Number(process.env.DANKU_INVARIANT_SEED) : 20_260_903;
const PATH = process.env.DANKU_INVARIANT_PATH;
const MIN_ACTIONS = 8;
const MAX_ACTIONS = 25;

const FEATURES = 1;
const CLASSES = 2;
/** Below the EIP-7825 cap; explicit so no transaction is estimated (a reverting one must still be sent and mined). */
const GAS = toHex(16_000_000);
const METADATA_CID = "bafy-invariants";

// ------------------------------------------------------------------ actors

const ORGANIZER = 0;
const ALICE = 1;
const BOB = 2;
const DAVE = 3;
const ERIN = 4;
const STRANGER = 5;
/** The RevertingReceiver contract: submits, donates and withdraws through `execute`, refuses plain transfers. */
const PROXY = 6;
const ACTOR_NAMES = ["organizer", "alice", "bob", "dave", "erin", "stranger", "proxy"] as const;
const ACTOR_COUNT = ACTOR_NAMES.length;
/** Development account that sends the proxy's transactions (never acts on a competition itself). */
const OPERATOR_DEV_INDEX = 6;
const SUBMITTERS = [ALICE, BOB, PROXY, ORGANIZER] as const;
const DONORS = [DAVE, ERIN, ORGANIZER, ALICE, PROXY] as const;

// ------------------------------------------------------------------ helper contract ABIs (checked against the artifacts)

const receiverAbi = parseAbi([
  "function execute(address target, bytes data) payable returns (bytes result)",
  "error ReceiveRefused(address from, uint256 amount)",
]);

const probeAbi = parseAbi([
  "struct Reading { uint256 blockNumber; uint256 balance; uint8 stage; uint256 reward; uint256 totalDonations; uint256[] withdrawable; uint256[] donations; uint256 submissionCount; bool bestExists; uint256 bestId; uint256 bestCorrect; address winner; bool rewardForfeited; bool testWithheld; }",
  "function read(address competition, address[] accounts) view returns (Reading r)",
]);

const ERRORS_ABI: Abi = [...dankuCompetitionAbi, ...receiverAbi];

// ------------------------------------------------------------------ models (1 feature, 2 classes)

const MODELS: readonly { readonly name: string; readonly model: QuantizedModel }[] = [
  { name: "x>127", model: { widths: [1, 2], layers: [{ shift: 0, biases: [127, -127], weights: [[-1], [1]] }] } },
  { name: "x<127", model: { widths: [1, 2], layers: [{ shift: 0, biases: [-127, 127], weights: [[1], [-1]] }] } },
  { name: "always0", model: { widths: [1, 2], layers: [{ shift: 0, biases: [1, 0], weights: [[0], [0]] }] } },
  { name: "always1", model: { widths: [1, 2], layers: [{ shift: 0, biases: [0, 1], weights: [[0], [0]] }] } },
  {
    name: "hidden",
    model: {
      widths: [1, 3, 2],
      layers: [
        { shift: 1, biases: [0, -64, 64], weights: [[1], [1], [-1]] },
        { shift: 0, biases: [0, 0], weights: [[1, -2, 1], [-1, 2, 1]] },
      ],
    },
  },
  // Well-formed bytes, but two inputs for a one-feature competition: revealModel must reject it (InvalidModel).
  { name: "2-inputs", model: { widths: [2, 2], layers: [{ shift: 0, biases: [0, 0], weights: [[1, -1], [-1, 1]] }] } },
];
const MODEL_BYTES = MODELS.map((m) => encodeModel(m.model));

// ------------------------------------------------------------------ actions

const FAULTS = [
  "none",
  "badNonce",
  "badBytes",
  "badLength",
  "lyingSize",
  "duplicate",
  "alreadyRevealed",
  "wrongKind",
  "outOfRange",
  "arrays",
  "empty",
] as const;
type Fault = (typeof FAULTS)[number];

/** Where a withdrawal pays: `self` is `withdraw()`, the others `withdrawTo(...)`. */
type Recipient = "self" | "zero" | "competition" | number;

type Action =
  | { kind: "step"; r: number }
  | { kind: "donate"; donor: number; amount: bigint }
  | { kind: "commit"; submitter: number; model: number; salt: number; copy: boolean }
  | { kind: "revealModel"; caller: number; id: number; wrongSalt: boolean }
  | { kind: "revealData"; caller: number; training: boolean; pick: number; fault: Fault; faultAt: number }
  | { kind: "select"; caller: number }
  | { kind: "evaluate"; caller: number; id: number; maxPoints: number }
  | { kind: "mine"; blocks: number }
  | { kind: "mineToDeadline"; offset: -1 | 0 | 1 }
  | { kind: "finalize"; caller: number }
  | { kind: "cancel"; caller: number }
  | { kind: "withdraw"; actor: number; to: Recipient }
  /** The organizer's attack of issue 9 §4: reveal every test group but one, then let the test reveal lapse. */
  | { kind: "withhold"; caller: number; keep: number }
  /** A reveal whose element `at` is hostile (issue 9 §2); the elements before it are honest. */
  | { kind: "hostileReveal"; caller: number; training: boolean; pick: number; variant: Hostile; at: number };
/** Ways to make one bytes[] element of a reveal malformed; each must revert with MalformedReveal(element). */
const HOSTILE = ["sameOffset", "intoTable", "pastCalldata", "lengthWrap", "lengthPastEnd"] as const;
type Hostile = (typeof HOSTILE)[number];
/** An action with every parameter fixed ("step" resolved). */
type ConcreteAction = Exclude<Action, { kind: "step" }>;

function recipientName(to: Recipient): string {
  return typeof to === "number" ? nameOf(to) : to;
}

function nameOf(actor: number): string {
  return ACTOR_NAMES[actor] ?? `actor${actor}`;
}

function describeAction(a: Action): string {
  switch (a.kind) {
    case "step":
      return `step(r=${a.r})`;
    case "donate":
      return `donate(${nameOf(a.donor)}, ${a.amount} wei)`;
    case "commit":
      return `commit(${nameOf(a.submitter)}, model=${MODELS[a.model]?.name}, salt=${a.salt}${a.copy ? ", copying another's commitment" : ""})`;
    case "revealModel":
      return `revealModel(${nameOf(a.caller)}, id#${a.id}${a.wrongSalt ? ", wrong salt" : ""})`;
    case "revealData":
      return `reveal${a.training ? "Training" : "Test"}Groups(${nameOf(a.caller)}, pick=${a.pick}, fault=${a.fault}@${a.faultAt})`;
    case "select":
      return `selectTrainingGroups(${nameOf(a.caller)})`;
    case "evaluate":
      return `evaluate(${nameOf(a.caller)}, id#${a.id}, maxPoints=${a.maxPoints})`;
    case "mine":
      return `mine(${a.blocks})`;
    case "mineToDeadline":
      return `mineToNextDeadline(${a.offset >= 0 ? "+" : ""}${a.offset})`;
    case "finalize":
      return `finalize(${nameOf(a.caller)})`;
    case "cancel":
      return `cancel(${nameOf(a.caller)})`;
    case "withdraw":
      return a.to === "self" ? `withdraw(${nameOf(a.actor)})` : `withdrawTo(${nameOf(a.actor)} → ${recipientName(a.to)})`;
    case "withhold":
      return `withholdTestGroup(${nameOf(a.caller)}, keep=${a.keep})`;
    case "hostileReveal":
      return `hostileReveal${a.training ? "Training" : "Test"}Groups(${nameOf(a.caller)}, pick=${a.pick}, ${a.variant}@${a.at})`;
  }
}

// ------------------------------------------------------------------ small utilities

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`index ${index} out of range (length ${items.length})`);
  return item;
}

function flipLastByte(hex: Hex): Hex {
  const bytes = hexToBytes(hex);
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
  return toHex(bytes);
}

/** Values as the comparison sees them: numbers as bigint, strings (addresses) lower-case. */
function normalize(value: unknown): unknown {
  if (typeof value === "number") return BigInt(value);
  if (typeof value === "string") return value.toLowerCase();
  if (Array.isArray(value)) return value.map(normalize);
  return value;
}

function show(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `${v}` : v));
}

/** All `k`-subsets of 0..n−1 in lexicographic order. */
function combinations(n: number, k: number): number[][] {
  const out: number[][] = [];
  const rec = (start: number, chosen: number[]): void => {
    if (chosen.length === k) {
      out.push([...chosen]);
      return;
    }
    for (let i = start; i < n; i++) rec(i + 1, [...chosen, i]);
  };
  rec(0, []);
  return out;
}

// ------------------------------------------------------------------ scenario

interface Scenario {
  groupCount: number;
  points: { x: number; label: number }[];
  trainingBps: number;
  minAccuracyBps: number;
  init2Window: number;
  splitDelay: number;
  periods: [number, number, number, number, number];
  reward: bigint;
  splitPick: number;
  nonceSeed: number;
  /** A hostile organizer's lie (issue 9 §1): group `group mod G` committed with `extra` points more than it has. */
  lie: { group: number; extra: number } | null;
}

function scenarioConfig(s: Scenario): Config {
  const [trainingRevealPeriod, submissionPeriod, modelRevealPeriod, testRevealPeriod, evaluationPeriod] = s.periods;
  return {
    featureCount: FEATURES,
    classCount: CLASSES,
    trainingBps: s.trainingBps,
    minAccuracyBps: s.minAccuracyBps,
    init2Window: s.init2Window,
    splitDelay: s.splitDelay,
    trainingRevealPeriod,
    submissionPeriod,
    modelRevealPeriod,
    testRevealPeriod,
    evaluationPeriod,
  };
}

function validShare(groupCount: number, trainingBps: number): boolean {
  try {
    trainingGroupCount(groupCount, trainingBps);
    return true;
  } catch {
    return false;
  }
}

const period = fc.integer({ min: 10, max: 12 });
const scenarioArb: fc.Arbitrary<Scenario> = fc
  .integer({ min: 2, max: 4 })
  .chain((groupCount) =>
    fc.record({
      groupCount: fc.constant(groupCount),
      points: fc.array(fc.record({ x: fc.integer({ min: 0, max: 255 }), label: fc.integer({ min: 0, max: CLASSES - 1 }) }), {
        minLength: groupCount,
        maxLength: 2 * groupCount,
      }),
      trainingBps: fc.constantFrom(2500, 5000, 7500, 9000),
      minAccuracyBps: fc.constantFrom(0, 5000, 7500, 10_000),
      init2Window: fc.integer({ min: 1, max: 4 }),
      splitDelay: fc.integer({ min: 1, max: 4 }),
      periods: fc.tuple(period, period, period, period, period),
      reward: fc.oneof(fc.constant(1n), fc.bigInt({ min: 1n, max: 10n ** 18n })),
      splitPick: fc.nat({ max: 1000 }),
      nonceSeed: fc.nat(),
      lie: fc.oneof(
        { arbitrary: fc.constant(null), weight: 9 },
        { arbitrary: fc.record({ group: fc.nat({ max: 3 }), extra: fc.integer({ min: 1, max: 2 }) }), weight: 1 },
      ),
    }),
  )
  .filter((s) => validShare(s.groupCount, s.trainingBps));

// ------------------------------------------------------------------ action arbitraries

const anyActor = fc.integer({ min: 0, max: ACTOR_COUNT - 1 });
const submitterArb = fc.constantFrom(...SUBMITTERS);
const amountArb = fc.oneof(
  { arbitrary: fc.constant(0n), weight: 1 },
  { arbitrary: fc.constant(1n), weight: 1 },
  { arbitrary: fc.bigInt({ min: 1n, max: 10n ** 18n }), weight: 4 },
);
const idArb = fc.nat({ max: 6 });
const faultArb = fc.oneof({ arbitrary: fc.constant<Fault>("none"), weight: 8 }, { arbitrary: fc.constantFrom(...FAULTS), weight: 4 });
const recipientArb: fc.Arbitrary<Recipient> = fc.oneof(
  { arbitrary: fc.constant<Recipient>("self"), weight: 6 },
  { arbitrary: fc.constantFrom<Recipient>("zero", "competition"), weight: 1 },
  { arbitrary: anyActor, weight: 3 },
);

const ARBS = {
  step: fc.nat().map((r): Action => ({ kind: "step", r })),
  donate: fc.record({ donor: fc.constantFrom(...DONORS), amount: amountArb }).map((v): Action => ({ kind: "donate", ...v })),
  commit: fc
    .record({
      submitter: submitterArb,
      model: fc.nat({ max: MODELS.length - 1 }),
      salt: fc.nat({ max: 1000 }),
      copy: fc.integer({ min: 0, max: 4 }).map((v) => v === 0),
    })
    .map((v): Action => ({ kind: "commit", ...v })),
  revealModel: fc
    .record({
      caller: fc.oneof({ arbitrary: submitterArb, weight: 3 }, { arbitrary: anyActor, weight: 1 }),
      id: idArb,
      wrongSalt: fc.integer({ min: 0, max: 4 }).map((v) => v === 0),
    })
    .map((v): Action => ({ kind: "revealModel", ...v })),
  revealData: fc
    .record({ caller: anyActor, training: fc.boolean(), pick: fc.nat({ max: 511 }), fault: faultArb, faultAt: fc.nat({ max: 3 }) })
    .map((v): Action => ({ kind: "revealData", ...v })),
  select: anyActor.map((caller): Action => ({ kind: "select", caller })),
  evaluate: fc
    .record({
      caller: anyActor,
      id: idArb,
      maxPoints: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 4, max: 20 })),
    })
    .map((v): Action => ({ kind: "evaluate", ...v })),
  mine: fc
    .oneof({ arbitrary: fc.integer({ min: 1, max: 12 }), weight: 3 }, { arbitrary: fc.integer({ min: 40, max: 300 }), weight: 1 })
    .map((blocks): Action => ({ kind: "mine", blocks })),
  mineToDeadline: fc.constantFrom<-1 | 0 | 1>(-1, 0, 1).map((offset): Action => ({ kind: "mineToDeadline", offset })),
  finalize: anyActor.map((caller): Action => ({ kind: "finalize", caller })),
  cancel: fc
    .oneof({ arbitrary: fc.constantFrom(ORGANIZER, STRANGER), weight: 3 }, { arbitrary: anyActor, weight: 1 })
    .map((caller): Action => ({ kind: "cancel", caller })),
  withdraw: fc.record({ actor: anyActor, to: recipientArb }).map((v): Action => ({ kind: "withdraw", ...v })),
  organizerCancel: fc.constant<Action>({ kind: "cancel", caller: ORGANIZER }),
  withhold: fc
    .record({ caller: fc.oneof({ arbitrary: fc.constant(ORGANIZER), weight: 3 }, { arbitrary: anyActor, weight: 1 }), keep: fc.nat({ max: 7 }) })
    .map((v): Action => ({ kind: "withhold", ...v })),
  hostileReveal: fc
    .record({ caller: anyActor, training: fc.boolean(), pick: fc.nat({ max: 511 }), variant: fc.constantFrom(...HOSTILE), at: fc.nat({ max: 3 }) })
    .map((v): Action => ({ kind: "hostileReveal", ...v })),
} satisfies Record<string, fc.Arbitrary<Action>>;

/** What can happen before the seed block: donations, early (refused) splits and reveals, cancels (free by the organizer). */
const prologueArb: fc.Arbitrary<ConcreteAction[]> = fc.array(
  fc.oneof(
    { arbitrary: ARBS.donate, weight: 3 },
    { arbitrary: ARBS.select, weight: 2 },
    { arbitrary: ARBS.cancel, weight: 1 },
    { arbitrary: ARBS.revealData, weight: 1 },
    { arbitrary: ARBS.commit, weight: 1 },
    { arbitrary: ARBS.withdraw, weight: 1 },
  ) as fc.Arbitrary<ConcreteAction>,
  { maxLength: 3 },
);

/** A mix of actions; `stepWeight` sets how often the protocol driver ("step") is chosen. */
function actionMix(stepWeight: number): fc.Arbitrary<Action> {
  return fc.oneof(
    { arbitrary: ARBS.step, weight: stepWeight },
    { arbitrary: ARBS.donate, weight: 3 },
    { arbitrary: ARBS.commit, weight: 2 },
    { arbitrary: ARBS.revealModel, weight: 2 },
    { arbitrary: ARBS.revealData, weight: 2 },
    { arbitrary: ARBS.select, weight: 1 },
    { arbitrary: ARBS.evaluate, weight: 2 },
    { arbitrary: ARBS.mine, weight: 2 },
    { arbitrary: ARBS.mineToDeadline, weight: 2 },
    { arbitrary: ARBS.finalize, weight: 1 },
    { arbitrary: ARBS.cancel, weight: 1 },
    { arbitrary: ARBS.withdraw, weight: 3 },
    { arbitrary: ARBS.organizerCancel, weight: 1 },
    { arbitrary: ARBS.withhold, weight: 1 },
    { arbitrary: ARBS.hostileReveal, weight: 1 },
  );
}

// ------------------------------------------------------------------ the model

interface SubmissionModel {
  /** msg.sender of commitModel. */
  committer: number;
  commitment: Hex;
  /** The submission file behind the commitment: the committer's own, or for a copied commitment the victim's. */
  file: SubmissionFile;
  revealed: boolean;
  evaluated: boolean;
  cursor: number;
  correct: number;
}

type Expectation = { ok: true } | { ok: false; error: string; args?: readonly unknown[] };

/** The competition as docs/protocol.md §6–§8 describe it; the chain must agree with it after every action. */
class CompetitionModel {
  /** Latest mined block; the next transaction lands in block + 1. */
  block: bigint;
  splitDone = false;
  readonly revealed = new Set<number>();
  trainingData: DataPoint[] = [];
  testData: DataPoint[] = [];
  trainingCompletedBlock: bigint | null = null;
  testCompleted = false;
  finalized = false;
  cancelled = false;
  /** Cancelled at or after the seed block: the reward stays locked in the contract (docs/protocol.md §3). */
  rewardForfeited = false;
  /** Finalized with revealed submissions but incomplete test data: the reward is shared, donors are refunded (§7.1). */
  testWithheld = false;
  /** Revealed submissions per actor (msg.sender of revealModel), and who revealed first. */
  readonly revealedBy: number[] = new Array<number>(ACTOR_COUNT).fill(0);
  firstRevealer: number | null = null;
  winner: number | null = null;
  best: { id: number; correct: number } | null = null;
  readonly submissions: SubmissionModel[] = [];
  readonly donations: bigint[] = new Array<bigint>(ACTOR_COUNT).fill(0n);
  /** What each account's entitlement has paid out so far (to whatever recipient). */
  readonly paid: bigint[] = new Array<bigint>(ACTOR_COUNT).fill(0n);

  constructor(
    readonly scenario: Scenario,
    readonly config: Config,
    readonly groups: readonly DataGroup[],
    /** The point counts committed at creation (the real sizes, unless the scenario lies). */
    readonly committed: readonly number[],
    readonly competition: Address,
    readonly init1Block: bigint,
    /**
     * The split init2 will fix (from the seed block's hash, via lib/danku/split). Until the seed block is mined, a
     * placeholder: nothing can be split before it, and a competition cancelled before it is never split.
     */
    public split: SplitResult,
    readonly reward: bigint,
  ) {
    this.block = init1Block;
  }

  /** init1 + splitDelay: the block whose hash seeds the split; cancelling from it on forfeits the reward. */
  get seedBlock(): bigint {
    return this.init1Block + BigInt(this.config.splitDelay);
  }

  get revealedSubmissions(): number {
    return this.revealedBy.reduce((a, b) => a + b, 0);
  }

  /** Wei that can never leave the contract: a forfeited reward. */
  get locked(): bigint {
    return this.rewardForfeited ? this.reward : 0n;
  }

  get nextBlock(): bigint {
    return this.block + 1n;
  }

  get totalDonations(): bigint {
    return this.donations.reduce((a, b) => a + b, 0n);
  }

  get paidTotal(): bigint {
    return this.paid.reduce((a, b) => a + b, 0n);
  }

  get trainingGroupCount(): number {
    return this.split.training.length;
  }

  get settled(): boolean {
    return this.finalized || this.cancelled;
  }

  /** Whether group g is a training group as the contract sees it (nothing is before the split). */
  isTrainingOnChain(g: number): boolean {
    return this.splitDone && this.split.isTraining[g] === true;
  }

  revealedCount(training: boolean): number {
    let n = 0;
    for (const g of this.revealed) if (this.split.isTraining[g] === training) n++;
    return n;
  }

  stageAt(b: bigint): StageValue {
    const c = this.config;
    if (this.cancelled) return Stage.Cancelled;
    if (this.finalized) return Stage.Finalized;
    const init2Deadline = this.seedBlock + BigInt(c.init2Window);
    if (!this.splitDone) return b <= init2Deadline ? Stage.AwaitingSplit : Stage.SetupExpired;
    if (this.trainingCompletedBlock === null) {
      return b <= init2Deadline + BigInt(c.trainingRevealPeriod) ? Stage.TrainingReveal : Stage.SetupExpired;
    }
    const submissionEnd = this.trainingCompletedBlock + BigInt(c.submissionPeriod);
    if (b < submissionEnd) return Stage.Submission;
    const modelRevealEnd = submissionEnd + BigInt(c.modelRevealPeriod);
    if (b < modelRevealEnd) return Stage.ModelReveal;
    const testRevealEnd = modelRevealEnd + BigInt(c.testRevealPeriod);
    if (b < testRevealEnd && !this.testCompleted) return Stage.TestReveal;
    if (b < testRevealEnd + BigInt(c.evaluationPeriod)) return Stage.Evaluation;
    return Stage.AwaitingFinalization;
  }

  /** First blocks of the stages that follow a deadline. */
  boundaries(): bigint[] {
    const c = this.config;
    const init2Deadline = this.seedBlock + BigInt(c.init2Window);
    const list = [this.seedBlock, this.seedBlock + 1n, init2Deadline + 1n, init2Deadline + BigInt(c.trainingRevealPeriod) + 1n];
    if (this.trainingCompletedBlock !== null) {
      const submissionEnd = this.trainingCompletedBlock + BigInt(c.submissionPeriod);
      const modelRevealEnd = submissionEnd + BigInt(c.modelRevealPeriod);
      const testRevealEnd = modelRevealEnd + BigInt(c.testRevealPeriod);
      list.push(submissionEnd, modelRevealEnd, testRevealEnd, testRevealEnd + BigInt(c.evaluationPeriod));
    }
    return list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** docs/protocol.md §7.1, §8: what `account` is owed in total once the competition is settled. */
  entitlement(account: number): bigint {
    if (!this.settled) return 0n;
    const pool = this.reward + this.totalDonations;
    if (this.winner !== null) return account === this.winner ? pool : 0n;
    if (this.testWithheld) {
      // Only the reward is shared; donations come back to their donors (one withdrawal pays both).
      const n = BigInt(this.revealedSubmissions);
      const shares = (this.reward / n) * BigInt(at(this.revealedBy, account)) + (account === this.firstRevealer ? this.reward % n : 0n);
      return shares + at(this.donations, account);
    }
    return (account === ORGANIZER && !this.rewardForfeited ? this.reward : 0n) + at(this.donations, account);
  }

  withdrawable(account: number): bigint {
    return this.entitlement(account) - at(this.paid, account);
  }
}

// ------------------------------------------------------------------ chain access

interface Reading {
  blockNumber: bigint;
  balance: bigint;
  stage: number;
  reward: bigint;
  totalDonations: bigint;
  withdrawable: readonly bigint[];
  donations: readonly bigint[];
  submissionCount: bigint;
  bestExists: boolean;
  bestId: bigint;
  bestCorrect: bigint;
  winner: Address;
  rewardForfeited: boolean;
  testWithheld: boolean;
}

type Outcome = { ok: true; hash: Hex } | { ok: false; error: string; args: readonly unknown[] };

/** Suite-wide chain handles: factory, probe, proxy, actor addresses, the snapshot every sequence starts from. */
class Chain {
  snapshot: Hex = "0x";
  baseTimestamp = 0n;
  chainId = 0;
  readonly actors: Address[];
  readonly operator: Address;

  constructor(
    readonly env: Env,
    readonly probe: Address,
    readonly proxy: Address,
  ) {
    this.actors = ACTOR_NAMES.map((_, i) => (i === PROXY ? getAddress(proxy) : getAddress(devAccount(i).address)));
    this.operator = getAddress(devAccount(OPERATOR_DEV_INDEX).address);
  }

  async request(method: string, params: unknown[] = []): Promise<unknown> {
    return hre.network.provider.request({ method, params });
  }

  async takeBaseSnapshot(): Promise<void> {
    const latest = await this.env.publicClient.getBlock();
    this.baseTimestamp = latest.timestamp;
    this.chainId = await this.env.publicClient.getChainId();
    this.snapshot = (await this.request("evm_snapshot")) as Hex;
  }

  /** Back to the state right after the suite's deployments (a snapshot is consumed by a revert; take a new one). */
  async resetChain(): Promise<void> {
    const reverted = await this.request("evm_revert", [this.snapshot]);
    if (reverted !== true) throw new Error("evm_revert failed");
    this.snapshot = (await this.request("evm_snapshot")) as Hex;
  }

  address(actor: number): Address {
    return at(this.actors, actor);
  }

  /** Sends a transaction as `actor` (the proxy's through `execute`); every call is mined, reverting or not. */
  async send(actor: number, to: Address, data: Hex, value = 0n): Promise<Outcome & { sender: Address }> {
    const viaProxy = actor === PROXY;
    const sender = viaProxy ? this.operator : this.address(actor);
    const tx = {
      from: sender,
      to: viaProxy ? this.proxy : to,
      data: viaProxy ? encodeFunctionData({ abi: receiverAbi, functionName: "execute", args: [to, data] }) : data,
      value: toHex(value),
      gas: GAS,
    };
    try {
      const hash = (await this.request("eth_sendTransaction", [tx])) as Hex;
      return { ok: true, hash, sender };
    } catch (error) {
      return { ...decodeRevert(error), sender };
    }
  }

  async mine(blocks: bigint): Promise<void> {
    if (blocks > 0n) await this.request("hardhat_mine", [toHex(blocks)]);
  }

  async read(competition: Address): Promise<Reading> {
    const r = await this.env.publicClient.readContract({
      address: this.probe,
      abi: probeAbi,
      functionName: "read",
      args: [competition, this.actors],
    });
    return r;
  }
}

/** An ABI item's kind, name and parameter types (outputs and struct components included), for comparing ABIs. */
function abiShape(item: AbiItem): string {
  const params = (list: readonly AbiParameter[] | undefined): string =>
    `(${(list ?? []).map((p) => ("components" in p ? `${p.type}${params(p.components)}` : p.type)).join(",")})`;
  const name = "name" in item ? item.name : "";
  return `${item.type} ${name}${params("inputs" in item ? item.inputs : undefined)}${"outputs" in item ? ` returns ${params(item.outputs)}` : ""}`;
}

function decodeRevert(error: unknown): { ok: false; error: string; args: readonly unknown[] } {
  const data = typeof error === "object" && error !== null && "data" in error ? (error as { data: unknown }).data : undefined;
  if (typeof data !== "string" || !data.startsWith("0x")) throw error; // not a revert: the harness itself failed
  if (data === "0x") return { ok: false, error: "(empty revert)", args: [] };
  try {
    const decoded = decodeErrorResult({ abi: ERRORS_ABI, data: data as Hex });
    return { ok: false, error: decoded.errorName, args: decoded.args ?? [] };
  } catch {
    return { ok: false, error: `(undecoded ${data.slice(0, 74)})`, args: [] };
  }
}

// ------------------------------------------------------------------ statistics

class Stats {
  sequences = 0;
  actions = 0;
  readonly outcomes = new Map<string, number>();
  readonly events = new Map<string, number>();

  count(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }

  outcome(action: Action, result: string): void {
    this.actions++;
    this.count(this.outcomes, `${action.kind} → ${result}`);
  }

  event(name: string): void {
    this.count(this.events, name);
  }

  get(name: string): number {
    return this.events.get(name) ?? 0;
  }
}

// ------------------------------------------------------------------ the harness: predict, execute, compare, check

interface RevealCall {
  indices: bigint[];
  points: Hex[];
  nonces: Hex[];
}

class Harness {
  readonly trace: string[] = [];
  /** Events of this sequence (counted once each into the suite statistics). */
  readonly seen = new Set<string>();

  constructor(
    readonly chain: Chain,
    readonly stats: Stats,
    readonly scenarioLine: string,
  ) {}

  fail(message: string): never {
    throw new Error(
      `${message}\n--- scenario: ${this.scenarioLine}\n--- executed actions (block of the transaction, outcome):\n` +
        this.trace.map((line, i) => `  ${i + 1}. ${line}`).join("\n"),
    );
  }

  note(event: string): void {
    this.seen.add(event);
  }

  /** Runs one (possibly random-step) action: predict, send, compare, apply, then check every invariant. */
  async perform(m: CompetitionModel, action: Action): Promise<void> {
    const concrete = action.kind === "step" ? this.resolveStep(m, action.r) : action;
    const label = action.kind === "step" ? `${describeAction(action)} ⇒ ${describeAction(concrete)}` : describeAction(concrete);
    const result = await this.execute(m, concrete, label);
    this.stats.outcome(concrete, result);
    await this.checkInvariants(m, label);
  }

  // -------------------------------------------------------------- the protocol driver

  /** "step": what an honest participant would do next in the current stage (chosen by `r`). */
  resolveStep(m: CompetitionModel, r: number): ConcreteAction {
    const stage = m.stageAt(m.nextBlock);
    const caller = r % ACTOR_COUNT;
    /** Independent small choices from the bits of r; r = 0 (where shrinking heads) is the plain honest move. */
    const bits = (shift: number, modulo: number): number => (r >>> shift) % modulo;
    const rare = (shift: number, oneIn: number): boolean => bits(shift, oneIn) === oneIn - 1;
    const mineOn: ConcreteAction = { kind: "mineToDeadline", offset: 0 };
    // One reveal in four carries a fault (the call must revert and change nothing).
    const fault: Fault = rare(12, 4) ? at(FAULTS, bits(14, FAULTS.length)) : "none";
    const revealer = rare(3, 3) ? caller : ORGANIZER;
    switch (stage) {
      case Stage.AwaitingSplit:
        return { kind: "select", caller };
      case Stage.TrainingReveal:
        if (rare(26, 48)) return { kind: "cancel", caller: ORGANIZER }; // backs out after seeing the split: forfeits
        if (rare(22, 10)) {
          return { kind: "hostileReveal", caller: revealer, training: true, pick: bits(5, 512), variant: at(HOSTILE, bits(14, HOSTILE.length)), at: bits(20, 4) };
        }
        return { kind: "revealData", caller: revealer, training: true, pick: bits(5, 512), fault, faultAt: bits(20, 4) };
      case Stage.Submission:
        if (m.submissions.length > 0 && bits(0, 4) === 0) return mineOn;
        return {
          kind: "commit",
          submitter: at(SUBMITTERS, bits(2, SUBMITTERS.length)),
          // Mostly valid models; now and then the one revealModel must reject.
          model: rare(12, 8) ? MODELS.length - 1 : bits(4, MODELS.length - 1),
          salt: bits(8, 1000),
          copy: rare(18, 8),
        };
      case Stage.ModelReveal: {
        const open = m.submissions
          .map((s, id) => ({ s, id }))
          .filter(({ s }) => !s.revealed && s.file.submitter === this.chain.address(s.committer));
        if (open.length === 0) return mineOn;
        const { s, id } = at(open, r % open.length);
        const intruder = rare(8, 8); // someone else tries to reveal it
        return { kind: "revealModel", caller: intruder ? bits(11, ACTOR_COUNT) : s.committer, id, wrongSalt: rare(14, 6) };
      }
      case Stage.TestReveal:
        if (bits(0, 10) === 9) return mineOn; // let the test reveal lapse entirely
        if (bits(0, 10) === 8) return { kind: "withhold", caller: revealer, keep: bits(5, 8) }; // all test groups but one
        if (rare(22, 10)) {
          return { kind: "hostileReveal", caller: revealer, training: false, pick: bits(5, 512), variant: at(HOSTILE, bits(14, HOSTILE.length)), at: bits(20, 4) };
        }
        return { kind: "revealData", caller: revealer, training: false, pick: bits(5, 512), fault, faultAt: bits(20, 4) };
      case Stage.Evaluation: {
        const open = m.submissions.map((s, id) => ({ s, id })).filter(({ s }) => s.revealed && !s.evaluated);
        if (open.length === 0) return mineOn;
        const { id } = at(open, r % open.length);
        return { kind: "evaluate", caller, id, maxPoints: 1 + bits(4, 8) };
      }
      case Stage.AwaitingFinalization:
        return { kind: "finalize", caller };
      case Stage.Finalized:
      case Stage.Cancelled: {
        const owed = [...ACTOR_NAMES.keys()].filter((a) => m.withdrawable(a) > 0n);
        const actor = owed.length === 0 ? caller : at(owed, r % owed.length);
        const choice = bits(6, 10);
        const to: Recipient =
          choice === 6 ? "competition" : choice === 7 ? "zero" : choice === 8 ? PROXY : choice === 9 ? bits(10, ACTOR_COUNT) : "self";
        return { kind: "withdraw", actor, to };
      }
      case Stage.SetupExpired:
        return { kind: "cancel", caller };
    }
  }

  // -------------------------------------------------------------- one action

  /** Returns a short outcome for the statistics. */
  async execute(m: CompetitionModel, a: ConcreteAction, label: string): Promise<string> {
    const nb = m.nextBlock;
    const stage = m.stageAt(nb);
    const wrongStage = (required: StageValue): Expectation => ({ ok: false, error: "WrongStage", args: [stage, required] });
    const c = this.chain;
    const competition = m.competition;
    const call = (caller: number, data: Hex, value = 0n) => c.send(caller, competition, data, value);

    switch (a.kind) {
      case "mine": {
        await c.mine(BigInt(a.blocks));
        m.block += BigInt(a.blocks);
        this.trace.push(`[→${m.block}] ${label}`);
        if (a.blocks >= 40) this.note("big jump");
        return "mined";
      }
      case "mineToDeadline": {
        const target = m.boundaries().find((b) => b > nb);
        const landing = target === undefined ? nb + 5n : target + BigInt(a.offset);
        const blocks = landing - nb > 0n ? landing - nb : 0n;
        await c.mine(blocks);
        m.block += blocks;
        this.trace.push(`[→${m.block}] ${label} (mined ${blocks})`);
        return "mined";
      }
      case "donate": {
        // docs/protocol.md §8 says donations are "accepted until finalization or cancellation"; the contract also
        // refuses them once the setup has expired (SetupExpired, before anyone cancelled). The model follows the
        // contract here (refusing is the safer reading: the competition can only be cancelled from there); the
        // discrepancy is reported to the contract owner.
        const expected: Expectation =
          stage === Stage.Finalized || stage === Stage.Cancelled || stage === Stage.SetupExpired
            ? { ok: false, error: "DonationsClosed", args: [stage] }
            : a.amount === 0n
              ? { ok: false, error: "ZeroDonation", args: [] }
              : { ok: true };
        const outcome = await call(a.donor, "0x", a.amount);
        this.compare(m, label, expected, outcome);
        if (outcome.ok) {
          m.donations[a.donor] = at(m.donations, a.donor) + a.amount;
          this.note(`donation in stage ${stage}`);
        }
        return this.short(outcome);
      }
      case "commit": {
        const submitter = c.address(a.submitter);
        const victim = a.copy
          ? [...m.submissions].reverse().find((s) => s.committer !== a.submitter && s.file.submitter === c.address(s.committer))
          : undefined;
        const file =
          victim?.file ??
          buildSubmissionFile({
            chainId: c.chainId,
            competition,
            submitter,
            modelBytes: at(MODEL_BYTES, a.model),
            salt: saltHex(a.salt + 1),
          });
        const commitment = submissionFileCommitment(file);
        const expected: Expectation = stage === Stage.Submission ? { ok: true } : wrongStage(Stage.Submission);
        const outcome = await call(a.submitter, encodeFunctionData({ abi: dankuCompetitionAbi, functionName: "commitModel", args: [commitment] }));
        this.compare(m, `${label}${victim ? " [copied]" : ""}`, expected, outcome);
        if (outcome.ok) {
          m.submissions.push({ committer: a.submitter, commitment, file, revealed: false, evaluated: false, cursor: 0, correct: 0 });
          if (victim) this.note("copied commitment");
        }
        return this.short(outcome);
      }
      case "revealModel": {
        const count = m.submissions.length;
        const id = a.id % (count + 1);
        const caller = c.address(a.caller);
        const sub = m.submissions[id];
        const file =
          sub?.file ??
          buildSubmissionFile({ chainId: c.chainId, competition, submitter: caller, modelBytes: at(MODEL_BYTES, 0), salt: saltHex(7) });
        const salt = a.wrongSalt ? flipLastByte(file.salt) : file.salt;
        let expected: Expectation;
        if (stage !== Stage.ModelReveal) expected = wrongStage(Stage.ModelReveal);
        else if (sub === undefined) expected = { ok: false, error: "UnknownSubmission", args: [BigInt(id), BigInt(count)] };
        else if (a.caller !== sub.committer) expected = { ok: false, error: "NotSubmitter", args: [caller, c.address(sub.committer)] };
        else if (sub.revealed) expected = { ok: false, error: "AlreadyRevealed", args: [BigInt(id)] };
        else if (
          submissionCommitment({ competition, submitter: caller, modelHash: modelHash(hexToBytes(file.modelHex)), salt }) !== sub.commitment
        ) {
          expected = { ok: false, error: "CommitmentMismatch", args: [BigInt(id)] };
        } else {
          expected = { ok: true };
          try {
            validateModel(decodeModel(hexToBytes(file.modelHex)), { featureCount: FEATURES, classCount: CLASSES });
          } catch {
            expected = { ok: false, error: "InvalidModel" };
          }
        }
        const outcome = await call(
          a.caller,
          encodeFunctionData({ abi: dankuCompetitionAbi, functionName: "revealModel", args: [BigInt(id), file.modelHex, salt] }),
        );
        this.compare(m, label.replace(`id#${a.id}`, `id#${id}`), expected, outcome);
        if (outcome.ok && sub) {
          sub.revealed = true;
          m.revealedBy[a.caller] = at(m.revealedBy, a.caller) + 1;
          if (m.firstRevealer === null) m.firstRevealer = a.caller;
        }
        if (!outcome.ok) this.note(`revealModel ${outcome.error}`);
        return this.short(outcome);
      }
      case "revealData":
        return this.revealData(m, a, label, stage);
      case "select": {
        const expected: Expectation =
          stage !== Stage.AwaitingSplit
            ? wrongStage(Stage.AwaitingSplit)
            : nb <= m.seedBlock
              ? { ok: false, error: "SplitTooEarly", args: [nb, m.seedBlock + 1n] }
              : { ok: true };
        const outcome = await call(a.caller, encodeFunctionData({ abi: dankuCompetitionAbi, functionName: "selectTrainingGroups" }));
        this.compare(m, label, expected, outcome);
        if (!outcome.ok && outcome.error === "SplitTooEarly") this.note("split before the seed block refused");
        if (outcome.ok) {
          m.splitDone = true;
          // lib/danku/split must reproduce the contract's split bit for bit.
          for (let g = 0; g < m.groups.length; g++) {
            const onChain = await c.env.publicClient.readContract({
              address: competition,
              abi: dankuCompetitionAbi,
              functionName: "isTrainingGroup",
              args: [BigInt(g)],
            });
            if (onChain !== (m.split.isTraining[g] === true)) this.fail(`group ${g}: contract split differs from lib/danku/split`);
          }
        }
        return this.short(outcome);
      }
      case "evaluate":
        return this.evaluate(m, a, label, stage);
      case "finalize": {
        const expected: Expectation = stage === Stage.AwaitingFinalization ? { ok: true } : wrongStage(Stage.AwaitingFinalization);
        const outcome = await call(a.caller, encodeFunctionData({ abi: dankuCompetitionAbi, functionName: "finalize" }));
        this.compare(m, label, expected, outcome);
        if (outcome.ok) {
          m.finalized = true;
          m.winner = m.best ? at(m.submissions, m.best.id).committer : null;
          m.testWithheld = m.winner === null && !m.testCompleted && m.revealedSubmissions > 0;
          this.note(m.winner === null ? "finalized without winner" : m.winner === PROXY ? "finalized, proxy wins" : "finalized with winner");
          if (m.winner !== null && m.totalDonations > 0n) this.note("winner takes donations");
          // Withheld test data: one TestWithheldPayout(revealed, floor(reward / revealed), reward), else none.
          const receipt = await c.env.publicClient.getTransactionReceipt({ hash: outcome.hash });
          const payouts = parseEventLogs({ abi: dankuCompetitionAbi, logs: receipt.logs, eventName: "TestWithheldPayout" });
          const pool = m.reward;
          const want = m.testWithheld ? [{ revealedSubmissions: BigInt(m.revealedSubmissions), share: pool / BigInt(m.revealedSubmissions), pool }] : [];
          if (show(payouts.map((e) => e.args)) !== show(want)) this.fail(`${label}: TestWithheldPayout ${show(payouts.map((e) => e.args))}, expected ${show(want)}`);
          if (m.testWithheld) this.note(m.revealedSubmissions > 1 ? "test withheld, reward shared" : "test withheld, one revealed submission takes the reward");
          if (m.testWithheld && m.totalDonations > 0n) this.note("test withheld, donors refunded");
        }
        return this.short(outcome);
      }
      case "cancel": {
        let expected: Expectation;
        if (stage === Stage.AwaitingSplit || stage === Stage.TrainingReveal) {
          expected =
            a.caller === ORGANIZER ? { ok: true } : { ok: false, error: "NotOrganizer", args: [c.address(a.caller), c.address(ORGANIZER)] };
        } else if (stage === Stage.SetupExpired) {
          expected = { ok: true };
        } else {
          expected = { ok: false, error: "CancelNotAllowed", args: [stage] };
        }
        const outcome = await call(a.caller, encodeFunctionData({ abi: dankuCompetitionAbi, functionName: "cancel" }));
        this.compare(m, label, expected, outcome);
        if (outcome.ok) {
          m.cancelled = true;
          m.rewardForfeited = nb >= m.seedBlock;
          this.note(stage === Stage.SetupExpired ? "cancelled after setup expired" : `organizer cancelled in stage ${stage}`);
          this.note(m.rewardForfeited ? (stage === Stage.SetupExpired ? "reward forfeited (setup expired)" : "reward forfeited (organizer cancelled after the seed block)") : "free cancel before the seed block");
          const receipt = await c.env.publicClient.getTransactionReceipt({ hash: outcome.hash });
          const forfeits = parseEventLogs({ abi: dankuCompetitionAbi, logs: receipt.logs, eventName: "RewardForfeited" }).map((e) => e.args.amount);
          if (show(forfeits) !== show(m.rewardForfeited ? [m.reward] : [])) this.fail(`${label}: RewardForfeited ${show(forfeits)}, forfeited ${m.rewardForfeited}`);
        }
        return this.short(outcome);
      }
      case "withdraw":
        return this.withdraw(m, a, label, stage);
      case "withhold":
        return this.withhold(m, a, label, stage);
      case "hostileReveal":
        return this.hostileReveal(m, a, label, stage);
    }
  }

  short(outcome: Outcome): string {
    return outcome.ok ? "ok" : outcome.error;
  }

  /** Fails unless the chain did what the model predicted (success, or this revert with these arguments). */
  compare(m: CompetitionModel, label: string, expected: Expectation, outcome: Outcome): void {
    const got = outcome.ok ? "ok" : `revert ${outcome.error}${show(outcome.args)}`;
    this.trace.push(`[${m.nextBlock}] ${label} → ${got}`);
    if (expected.ok !== outcome.ok) {
      const want = expected.ok ? "success" : `revert ${expected.error}${expected.args ? show(expected.args) : ""}`;
      this.fail(`${label}: the model predicted ${want} in stage ${m.stageAt(m.nextBlock)}, the chain answered ${got}`);
    }
    if (!expected.ok && !outcome.ok) {
      if (expected.error !== outcome.error) this.fail(`${label}: expected revert ${expected.error}, got ${outcome.error}`);
      if (expected.args && show(normalize(expected.args)) !== show(normalize(outcome.args))) {
        this.fail(`${label}: ${outcome.error} arguments ${show(outcome.args)}, expected ${show(expected.args)}`);
      }
    }
    m.block += 1n; // reverted or not, the transaction was mined
  }

  // -------------------------------------------------------------- data reveals

  buildReveal(m: CompetitionModel, a: Extract<Action, { kind: "revealData" }>): RevealCall {
    const G = m.groups.length;
    const candidates = [...m.groups.keys()].filter(
      (g) => !m.revealed.has(g) && (!m.splitDone || m.split.isTraining[g] === a.training),
    );
    let selected = candidates.filter((_, i) => ((a.pick >> i) & 1) === 1);
    if (selected.length === 0 && candidates.length > 0) selected = [at(candidates, a.pick % candidates.length)];
    if ((a.pick >> 8) & 1) selected.reverse();
    const entries = selected.map((g) => ({ index: g, bytes: at(m.groups, g).bytes, nonce: at(m.groups, g).nonce }));
    const pos = entries.length > 0 ? a.faultAt % entries.length : 0;
    const target = entries[pos];
    switch (a.fault) {
      case "none":
        break;
      case "badNonce":
        if (target) target.nonce = flipLastByte(target.nonce);
        break;
      case "badBytes":
        if (target) {
          const bytes = Uint8Array.from(target.bytes);
          bytes[0] = (bytes[0] as number) ^ 1; // a feature byte: the label stays valid, only the hash breaks
          target.bytes = bytes;
        }
        break;
      case "badLength":
        if (target) target.bytes = Uint8Array.from([...target.bytes, 0]);
        break;
      case "lyingSize":
        // One whole point more than committed (a valid label, so only the size — checked before the hash — fails).
        if (target) target.bytes = Uint8Array.from([...target.bytes, 7, 0]);
        break;
      case "duplicate":
        if (target) entries.push({ ...target });
        break;
      case "alreadyRevealed": {
        const done = [...m.revealed].sort((x, y) => x - y);
        const g = done.find((d) => m.split.isTraining[d] === a.training) ?? done[0];
        if (g !== undefined) entries.splice(pos, 0, { index: g, bytes: at(m.groups, g).bytes, nonce: at(m.groups, g).nonce });
        break;
      }
      case "wrongKind": {
        const g = [...m.groups.keys()].find((x) => m.split.isTraining[x] !== a.training);
        if (g !== undefined) entries.push({ index: g, bytes: at(m.groups, g).bytes, nonce: at(m.groups, g).nonce });
        break;
      }
      case "outOfRange":
        entries.splice(pos, 0, { index: G, bytes: at(m.groups, 0).bytes, nonce: at(m.groups, 0).nonce });
        break;
      case "arrays":
      case "empty":
        break;
    }
    const call: RevealCall = {
      indices: entries.map((e) => BigInt(e.index)),
      points: entries.map((e) => bytesHex(e.bytes)),
      nonces: entries.map((e) => e.nonce),
    };
    if (a.fault === "arrays") call.nonces = call.nonces.slice(0, -1);
    if (a.fault === "empty") return { indices: [], points: [], nonces: [] };
    return call;
  }

  /**
   * The contract's checks of docs/protocol.md §6 ("each call verifies every group against its committed hash"), in
   * its order per element: index, kind, repeat, (well-formed element), length, committed size, hash, labels.
   * `malformed` is the index of a hostile element: it fails with MalformedReveal once its group was claimed.
   */
  predictReveal(m: CompetitionModel, training: boolean, stage: StageValue, call: RevealCall, malformed = -1): Expectation {
    const required = training ? Stage.TrainingReveal : Stage.TestReveal;
    if (stage !== required) return { ok: false, error: "WrongStage", args: [stage, required] };
    const count = call.indices.length;
    if (count === 0 || call.points.length !== count || call.nonces.length !== count) {
      return { ok: false, error: "BadRevealArrays", args: [BigInt(count), BigInt(call.points.length), BigInt(call.nonces.length)] };
    }
    const G = m.groups.length;
    const pointSize = FEATURES + 1;
    const seen = new Set(m.revealed);
    for (let i = 0; i < count; i++) {
      const g = Number(at(call.indices, i));
      if (g >= G) return { ok: false, error: "GroupOutOfRange", args: [BigInt(g), BigInt(G)] };
      const isTraining = m.isTrainingOnChain(g);
      if (isTraining !== training) return { ok: false, error: "WrongGroupKind", args: [BigInt(g), isTraining] };
      if (seen.has(g)) return { ok: false, error: "GroupAlreadyRevealed", args: [BigInt(g)] };
      seen.add(g);
      if (i === malformed) return { ok: false, error: "MalformedReveal", args: [BigInt(i)] };
      const bytes = hexToBytes(at(call.points, i));
      if (bytes.length === 0 || bytes.length % pointSize !== 0) {
        return { ok: false, error: "BadGroupLength", args: [BigInt(g), BigInt(bytes.length), BigInt(pointSize)] };
      }
      const committed = at(m.committed, g);
      if (bytes.length / pointSize !== committed) {
        return { ok: false, error: "GroupSizeMismatch", args: [BigInt(g), BigInt(bytes.length / pointSize), BigInt(committed)] };
      }
      if (groupHash(bytes, at(call.nonces, i)) !== at(m.groups, g).hash) return { ok: false, error: "GroupHashMismatch", args: [BigInt(g)] };
      const bad = decodePoints(bytes, FEATURES).findIndex((p) => p.label >= CLASSES);
      if (bad >= 0) return { ok: false, error: "LabelOutOfRange" };
    }
    return { ok: true };
  }

  async revealData(m: CompetitionModel, a: Extract<Action, { kind: "revealData" }>, label: string, stage: StageValue): Promise<string> {
    const call = this.buildReveal(m, a);
    const outcome = await this.sendReveal(m, a.caller, a.training, call, label, stage);
    if (!outcome.ok && a.fault !== "none") this.note(`reveal fault ${outcome.error}`);
    if (!outcome.ok && outcome.error === "GroupSizeMismatch" && a.fault === "none") this.note("lying committed size blocks a reveal");
    return this.short(outcome);
  }

  /** Predicts, sends (the ABI encoding unless `data` is given), compares and applies one reveal call. */
  async sendReveal(
    m: CompetitionModel,
    caller: number,
    training: boolean,
    call: RevealCall,
    label: string,
    stage: StageValue,
    hostile?: { data: Hex; element: number },
  ): Promise<Outcome> {
    const expected = this.predictReveal(m, training, stage, call, hostile?.element ?? -1);
    const data =
      hostile?.data ??
      encodeFunctionData({
        abi: dankuCompetitionAbi,
        functionName: training ? "revealTrainingGroups" : "revealTestGroups",
        args: [call.indices, call.points, call.nonces],
      });
    const outcome = await this.chain.send(caller, m.competition, data);
    const nb = m.nextBlock;
    this.compare(m, `${label} groups=[${call.indices.join(",")}]`, expected, outcome);
    if (!outcome.ok) return outcome;
    for (const index of call.indices) {
      const g = Number(index);
      m.revealed.add(g);
      (training ? m.trainingData : m.testData).push(...at(m.groups, g).points);
    }
    if (training && m.revealedCount(true) === m.trainingGroupCount) {
      m.trainingCompletedBlock = nb;
      this.note("training complete");
    }
    if (!training) {
      if (m.revealedCount(false) === m.groups.length - m.trainingGroupCount) {
        m.testCompleted = true;
        this.note("test complete");
      } else {
        this.note("partial test reveal");
      }
    }
    return outcome;
  }

  /** Issue 9 §4: the organizer reveals every test group but one, then lets the test-reveal period run out. */
  async withhold(m: CompetitionModel, a: Extract<Action, { kind: "withhold" }>, label: string, stage: StageValue): Promise<string> {
    const open = [...m.groups.keys()].filter((g) => !m.revealed.has(g) && m.split.isTraining[g] !== true);
    const kept = open.length > 0 ? at(open, a.keep % open.length) : -1;
    const reveal = open.filter((g) => g !== kept);
    let result = "nothing to reveal";
    if (reveal.length > 0) {
      const call: RevealCall = {
        indices: reveal.map((g) => BigInt(g)),
        points: reveal.map((g) => bytesHex(at(m.groups, g).bytes)),
        nonces: reveal.map((g) => at(m.groups, g).nonce),
      };
      result = this.short(await this.sendReveal(m, a.caller, false, call, label, stage));
    }
    if (m.stageAt(m.nextBlock) === Stage.TestReveal && !m.testCompleted && m.trainingCompletedBlock !== null) {
      const c = m.config;
      const testRevealEnd = m.trainingCompletedBlock + BigInt(c.submissionPeriod + c.modelRevealPeriod + c.testRevealPeriod);
      const blocks = testRevealEnd - m.nextBlock;
      await this.chain.mine(blocks);
      m.block += blocks;
      this.trace.push(`[→${m.block}] ${label}: test reveal lapsed with group ${kept} withheld`);
      this.note("test group withheld");
    }
    return result;
  }

  /** Issue 9 §2: a reveal whose element `at` is hostile (overlapping, or outside calldata); it must change nothing. */
  async hostileReveal(m: CompetitionModel, a: Extract<Action, { kind: "hostileReveal" }>, label: string, stage: StageValue): Promise<string> {
    const call = this.buildReveal(m, { kind: "revealData", caller: a.caller, training: a.training, pick: a.pick, fault: "none", faultAt: 0 });
    const count = call.indices.length;
    if (count === 0) return "nothing to reveal";
    const k = a.at % count;
    const enc = encodeRevealWords(
      call.indices.map((index, i) => ({ index: Number(index), bytes: hexToBytes(at(call.points, i)), nonce: at(call.nonces, i) })),
    );
    const size = revealCalldataSize(enc.words);
    const variant: Hostile = a.variant === "sameOffset" && k === 0 ? "intoTable" : a.variant;
    switch (variant) {
      case "sameOffset": // element k starts where element k − 1 does: the same bytes twice under two hashes
        enc.words[enc.offsetWord(k)] = at(enc.words, enc.offsetWord(k - 1));
        break;
      case "intoTable":
        enc.words[enc.offsetWord(k)] = 0n;
        break;
      case "pastCalldata":
        enc.words[enc.offsetWord(k)] = size + 1n;
        break;
      case "lengthWrap":
        enc.words[enc.lengthWord(k)] = WORD - 1n;
        break;
      case "lengthPastEnd":
        enc.words[enc.lengthWord(k)] = size;
        break;
    }
    const outcome = await this.sendReveal(m, a.caller, a.training, call, `${label} [${variant}]`, stage, {
      data: revealCalldata(enc.words, a.training),
      element: k,
    });
    if (!outcome.ok) this.note(`hostile encoding ${outcome.error}`);
    return this.short(outcome);
  }

  // -------------------------------------------------------------- evaluation

  async evaluate(m: CompetitionModel, a: Extract<Action, { kind: "evaluate" }>, label: string, stage: StageValue): Promise<string> {
    const count = m.submissions.length;
    const id = a.id % (count + 1);
    const sub = m.submissions[id];
    let expected: Expectation;
    if (stage !== Stage.Evaluation) expected = { ok: false, error: "WrongStage", args: [stage, Stage.Evaluation] };
    else if (a.maxPoints === 0) expected = { ok: false, error: "ZeroMaxPoints", args: [] };
    else if (sub === undefined) expected = { ok: false, error: "UnknownSubmission", args: [BigInt(id), BigInt(count)] };
    else if (!sub.revealed) expected = { ok: false, error: "NotRevealed", args: [BigInt(id)] };
    else if (sub.evaluated) expected = { ok: false, error: "AlreadyEvaluated", args: [BigInt(id)] };
    else if (!m.testCompleted) expected = { ok: false, error: "TestDataWithheld", args: [] };
    else expected = { ok: true };
    const outcome = await this.chain.send(
      a.caller,
      m.competition,
      encodeFunctionData({ abi: dankuCompetitionAbi, functionName: "evaluate", args: [BigInt(id), BigInt(a.maxPoints)] }),
    );
    this.compare(m, label.replace(`id#${a.id}`, `id#${id}`), expected, outcome);
    if (!outcome.ok && outcome.error === "TestDataWithheld") this.note("evaluation refused: test data withheld");
    if (!outcome.ok || sub === undefined) return this.short(outcome);

    // docs/protocol.md §6/§7: only on the test data (every test group revealed in time), in reveal order.
    const data = m.testData;
    const model = decodeModel(hexToBytes(sub.file.modelHex));
    const take = Math.min(a.maxPoints, data.length - sub.cursor);
    for (const point of data.slice(sub.cursor, sub.cursor + take)) if (predict(model, point.features) === point.label) sub.correct++;
    sub.cursor += take;
    if (sub.cursor < data.length) this.note("partial evaluation");
    if (sub.cursor === data.length) {
      sub.evaluated = true;
      this.note("evaluated on test data");
      const qualified = sub.correct * 10_000 >= m.config.minAccuracyBps * data.length;
      if (!qualified) this.note("not qualified");
      const b = m.best;
      if (qualified && (b === null || sub.correct > b.correct || (sub.correct === b.correct && id < b.id))) {
        if (b !== null) this.note(sub.correct === b.correct ? "tie won by earlier commit" : "better model replaces best");
        m.best = { id, correct: sub.correct };
      }
    }
    const onChain = await this.chain.env.publicClient.readContract({
      address: m.competition,
      abi: dankuCompetitionAbi,
      functionName: "submissionAt",
      args: [BigInt(id)],
    });
    if (onChain.cursor !== sub.cursor || onChain.correct !== sub.correct || onChain.evaluated !== sub.evaluated) {
      this.fail(
        `${label}: submission ${id} on chain cursor=${onChain.cursor} correct=${onChain.correct} evaluated=${onChain.evaluated}, ` +
          `model cursor=${sub.cursor} correct=${sub.correct} evaluated=${sub.evaluated}`,
      );
    }
    return "ok";
  }

  // -------------------------------------------------------------- withdrawals

  async withdraw(m: CompetitionModel, a: Extract<Action, { kind: "withdraw" }>, label: string, stage: StageValue): Promise<string> {
    const c = this.chain;
    const account = c.address(a.actor);
    const recipient: Address =
      a.to === "self" ? account : a.to === "zero" ? zeroAddress : a.to === "competition" ? m.competition : c.address(a.to);
    const amount = m.withdrawable(a.actor);
    let expected: Expectation;
    if (a.to === "zero") expected = { ok: false, error: "ZeroRecipient", args: [] };
    else if (amount === 0n) expected = { ok: false, error: "NothingToWithdraw", args: [account] };
    else if (recipient === c.address(PROXY)) expected = { ok: false, error: "ReceiveRefused", args: [m.competition, amount] };
    else if (recipient === m.competition) expected = { ok: false, error: "DonationsClosed", args: [stage] };
    else expected = { ok: true };
    const data =
      a.to === "self"
        ? encodeFunctionData({ abi: dankuCompetitionAbi, functionName: "withdraw" })
        : encodeFunctionData({ abi: dankuCompetitionAbi, functionName: "withdrawTo", args: [recipient] });
    const before = await c.env.publicClient.getBalance({ address: recipient });
    const outcome = await c.send(a.actor, m.competition, data);
    this.compare(m, label, expected, outcome);
    if (!outcome.ok) {
      if (amount > 0n) this.note(`withdrawal of an owed amount refused: ${outcome.error}`);
      return this.short(outcome);
    }

    // Paid exactly `amount` to the recipient (less the gas when the recipient sent the transaction), as logged.
    const receipt = await c.env.publicClient.getTransactionReceipt({ hash: outcome.hash });
    const after = await c.env.publicClient.getBalance({ address: recipient });
    const gas = recipient === outcome.sender ? receipt.gasUsed * receipt.effectiveGasPrice : 0n;
    if (after - before !== amount - gas) this.fail(`${label}: recipient balance changed by ${after - before}, expected ${amount - gas}`);
    const logs = parseEventLogs({ abi: dankuCompetitionAbi, logs: receipt.logs, eventName: "Withdrawn" });
    const log = logs[0];
    if (logs.length !== 1 || log === undefined) this.fail(`${label}: expected one Withdrawn event, got ${logs.length}`);
    if (log.args.account !== account || log.args.recipient !== recipient || log.args.amount !== amount) {
      this.fail(`${label}: Withdrawn${show(log.args)}, expected ${show({ account, recipient, amount })}`);
    }
    m.paid[a.actor] = at(m.paid, a.actor) + amount;
    if (at(m.paid, a.actor) > m.entitlement(a.actor)) this.fail(`${label}: ${nameOf(a.actor)} was paid more than its entitlement`);
    if (m.testWithheld && at(m.revealedBy, a.actor) > 0 && at(m.donations, a.actor) > 0) this.note("withheld share and donation refund in one withdrawal");
    this.note(
      m.winner === a.actor
        ? "winner withdrew"
        : m.testWithheld
          ? at(m.revealedBy, a.actor) > 0
            ? "withheld share withdrawn"
            : "donor refunded after withheld test data"
          : a.actor === ORGANIZER && !m.rewardForfeited
            ? "organizer refunded"
            : "donor refunded",
    );
    if (a.to !== "self") this.note("withdrawTo another account");
    if (a.actor === PROXY) this.note("proxy withdrew with withdrawTo");

    // The withdrawal zeroed what is owed: a second one reverts with NothingToWithdraw.
    await this.checkInvariants(m, label);
    const again = await c.send(a.actor, m.competition, encodeFunctionData({ abi: dankuCompetitionAbi, functionName: "withdraw" }));
    this.compare(m, `  second withdraw(${nameOf(a.actor)})`, { ok: false, error: "NothingToWithdraw", args: [account] }, again);
    return "ok";
  }

  // -------------------------------------------------------------- invariants

  async checkInvariants(m: CompetitionModel, label: string): Promise<void> {
    const r = await this.chain.read(m.competition);
    const where = `after ${label}`;
    const check = (ok: boolean, what: string): void => {
      if (!ok) this.fail(`${where}: ${what}`);
    };
    check(r.blockNumber === m.block, `block ${r.blockNumber}, model ${m.block}`);
    check(r.stage === m.stageAt(m.block), `stage ${r.stage}, model ${m.stageAt(m.block)}`);
    check(r.reward === m.reward, `reward ${r.reward}, model ${m.reward}`);
    check(r.totalDonations === m.totalDonations, `totalDonations ${r.totalDonations}, model ${m.totalDonations}`);
    const deposited = m.reward + m.totalDonations;
    check(
      r.balance === deposited - m.paidTotal,
      `balance ${r.balance} != reward + donations − withdrawals = ${m.reward} + ${m.totalDonations} − ${m.paidTotal}`,
    );
    check(r.rewardForfeited === m.rewardForfeited, `rewardForfeited ${r.rewardForfeited}, model ${m.rewardForfeited}`);
    check(r.testWithheld === m.testWithheld, `testWithheld ${r.testWithheld}, model ${m.testWithheld}`);
    check(r.submissionCount === BigInt(m.submissions.length), `submissionCount ${r.submissionCount}, model ${m.submissions.length}`);
    check(
      r.bestExists === (m.best !== null) && (m.best === null || (r.bestId === BigInt(m.best.id) && r.bestCorrect === BigInt(m.best.correct))),
      `best (${r.bestExists}, #${r.bestId}, ${r.bestCorrect}), model ${show(m.best)}`,
    );
    const winner = m.winner === null ? zeroAddress : this.chain.address(m.winner);
    check(r.winner.toLowerCase() === winner.toLowerCase(), `winner ${r.winner}, model ${winner}`);
    let sumWithdrawable = 0n;
    for (let i = 0; i < ACTOR_COUNT; i++) {
      const w = at(r.withdrawable, i);
      sumWithdrawable += w;
      check(at(r.donations, i) === at(m.donations, i), `donationOf(${nameOf(i)}) ${at(r.donations, i)}, model ${at(m.donations, i)}`);
      if (!m.settled) check(w === 0n, `withdrawable(${nameOf(i)}) = ${w} before finalization or cancellation`);
      check(w === m.withdrawable(i), `withdrawable(${nameOf(i)}) = ${w}, entitlement ${m.entitlement(i)} − paid ${at(m.paid, i)}`);
      check(at(m.paid, i) <= m.entitlement(i) || !m.settled, `${nameOf(i)} paid ${at(m.paid, i)} > entitlement ${m.entitlement(i)}`);
      check(at(m.paid, i) === 0n || w === 0n, `${nameOf(i)} was paid and can still withdraw ${w}`);
    }
    if (m.settled) {
      // Everything deposited is paid, still withdrawable, or (a forfeited reward) locked for ever; nothing else.
      check(
        sumWithdrawable + m.locked === r.balance,
        `Σ withdrawable ${sumWithdrawable} + locked ${m.locked} != balance ${r.balance}: wei stranded or double-counted`,
      );
      check(
        m.paidTotal + sumWithdrawable + m.locked === deposited,
        `paid ${m.paidTotal} + withdrawable ${sumWithdrawable} + locked ${m.locked} != deposited ${deposited}`,
      );
      if (m.rewardForfeited) check(at(r.withdrawable, ORGANIZER) <= at(m.donations, ORGANIZER), "the organizer can withdraw a forfeited reward");
      if (m.testWithheld) {
        // Equal shares of the reward (no revealed submission gets more than another, the organizer nothing as such),
        // plus every donor's own donations back: nobody's shares include anybody's donations.
        const share = m.reward / BigInt(m.revealedSubmissions);
        for (let i = 0; i < ACTOR_COUNT; i++) {
          const cap = share * BigInt(at(m.revealedBy, i)) + (i === m.firstRevealer ? m.reward % BigInt(m.revealedSubmissions) : 0n) + at(m.donations, i);
          check(m.entitlement(i) === cap, `${nameOf(i)} entitled to ${m.entitlement(i)}, ${at(m.revealedBy, i)} shares + donations are ${cap}`);
        }
      }
    } else {
      check(m.paidTotal === 0n, `${m.paidTotal} wei paid out before settlement`);
    }
  }

  // -------------------------------------------------------------- epilogue: settle and drain

  /**
   * After the random part: the protocol driver plays on (seeded by the scenario) until the competition is settled,
   * then — should it not be — deadlines are mined through and it is finalized or cancelled; then everyone withdraws.
   */
  async settleAndDrain(m: CompetitionModel): Promise<void> {
    this.trace.push("--- epilogue: drive to settlement, then everyone withdraws");
    const rng = seededRng(m.scenario.nonceSeed);
    for (let i = 0; i < 40 && !m.settled; i++) await this.perform(m, { kind: "step", r: Math.floor(rng() * 2 ** 31) });
    for (let i = 0; i < 20 && !m.settled; i++) {
      const stage = m.stageAt(m.nextBlock);
      if (stage === Stage.SetupExpired) await this.perform(m, { kind: "cancel", caller: STRANGER });
      else if (stage === Stage.AwaitingFinalization) await this.perform(m, { kind: "finalize", caller: STRANGER });
      else await this.perform(m, { kind: "mineToDeadline", offset: 0 });
    }
    if (!m.settled) this.fail("the competition could not be settled: funds stuck");
    for (let a = 0; a < ACTOR_COUNT; a++) {
      if (m.withdrawable(a) > 0n) await this.perform(m, { kind: "withdraw", actor: a, to: a === PROXY ? STRANGER : "self" });
    }
    const r = await this.chain.read(m.competition);
    if (r.balance !== m.locked) this.fail(`after everyone withdrew the competition holds ${r.balance} wei, locked ${m.locked}`);
    if (m.paidTotal + m.locked !== m.reward + m.totalDonations) {
      this.fail(`paid ${m.paidTotal} + locked ${m.locked}, deposited ${m.reward + m.totalDonations}`);
    }
  }
}

// ------------------------------------------------------------------ fast-check commands

class ActionCommand implements fc.AsyncCommand<CompetitionModel, Harness> {
  constructor(readonly action: Action) {}
  check(): boolean {
    return true; // every action is attempted; the model predicts whether it reverts
  }
  async run(model: CompetitionModel, harness: Harness): Promise<void> {
    await harness.perform(model, this.action);
  }
  toString(): string {
    return describeAction(this.action);
  }
  [fc.toStringMethod](): string {
    return describeAction(this.action);
  }
}

function sequenceArb(): fc.Arbitrary<ActionCommand[]> {
  const mixes = [
    { arbitrary: actionMix(60), weight: 4 }, // mostly the protocol driver: reaches evaluation, finalization, payouts
    { arbitrary: actionMix(16), weight: 3 },
    { arbitrary: actionMix(3), weight: 1 }, // mostly random
  ];
  return fc
    .oneof(...mixes.map(({ arbitrary, weight }) => ({ arbitrary: fc.array(arbitrary, { minLength: MIN_ACTIONS, maxLength: MAX_ACTIONS }), weight })))
    .map((actions) => actions.map((a) => new ActionCommand(a)));
}

// ------------------------------------------------------------------ creating a sequence's competition

function describeScenario(s: Scenario, committed: readonly number[]): string {
  return (
    `groups=${s.groupCount} points=${show(s.points.map((p) => [p.x, p.label]))} committedSizes=[${committed.join(",")}]` +
    `${s.lie ? " (a lie)" : ""} trainingBps=${s.trainingBps} minAccuracyBps=${s.minAccuracyBps} ` +
    `init2Window=${s.init2Window} splitDelay=${s.splitDelay} periods=${s.periods.join("/")} reward=${s.reward}`
  );
}

function sortedTraining(split: SplitResult): string {
  return [...split.training].sort((x, y) => x - y).join(",");
}

/**
 * Creates the scenario's competition from the base snapshot, plays the prologue (actions in the blocks before the seed
 * block, while there are such blocks), then mines the seed block: its timestamp is searched (a few tries, each from a
 * snapshot taken just before it) until its hash gives the training groups the scenario picked, so a run does not
 * depend on wall-clock timestamps and a seed reproduces it exactly.
 */
async function createScenario(
  chain: Chain,
  stats: Stats,
  s: Scenario,
  prologue: readonly ConcreteAction[],
): Promise<{ model: CompetitionModel; real: Harness }> {
  const config = scenarioConfig(s);
  const points: DataPoint[] = s.points.map((p) => ({ features: [p.x], label: p.label }));
  const groups = buildDataGroups(points, {
    groupCount: s.groupCount,
    featureCount: FEATURES,
    classCount: CLASSES,
    random: seededBytes(s.nonceSeed),
  });
  const committed = groupPointCounts(groups);
  if (s.lie) committed[s.lie.group % s.groupCount] = at(committed, s.lie.group % s.groupCount) + s.lie.extra;
  const nTrain = trainingGroupCount(s.groupCount, s.trainingBps);
  const options = combinations(s.groupCount, nTrain);
  const wanted = at(options, s.splitPick % options.length).join(",");
  const hashes = groups.map((g) => g.hash);
  const data = encodeFunctionData({
    abi: competitionFactoryAbi,
    functionName: "createCompetition",
    args: [config, hashes, committed, METADATA_CID],
  });
  await chain.resetChain();
  await chain.request("evm_setNextBlockTimestamp", [Number(chain.baseTimestamp) + 1000]);
  const outcome = await chain.send(ORGANIZER, chain.env.factory, data, s.reward);
  if (!outcome.ok) throw new Error(`createCompetition reverted: ${outcome.error}${show(outcome.args)}`);
  const receipt = await chain.env.publicClient.getTransactionReceipt({ hash: outcome.hash });
  const [created] = parseEventLogs({ abi: competitionFactoryAbi, logs: receipt.logs, eventName: "CompetitionCreated" });
  if (!created) throw new Error("no CompetitionCreated event");
  const competition = created.args.competition;
  const splitFrom = (blockHash: Hex) => selectTrainingGroups({ blockHash, competition, groupHashes: hashes, trainingBps: s.trainingBps });
  // Until the seed block exists the split is unknown; the placeholder is never used on chain (no split before it).
  const model = new CompetitionModel(s, config, groups, committed, competition, receipt.blockNumber, splitFrom(receipt.blockHash), s.reward);
  const real = new Harness(chain, stats, describeScenario(s, committed));
  if (s.lie) real.note("lying committed size");
  await real.checkInvariants(model, "createCompetition");
  let next = 0;
  for (; next < prologue.length && model.nextBlock < model.seedBlock && !model.settled; next++) {
    await real.perform(model, at(prologue, next));
  }
  if (model.settled) return { model, real }; // cancelled before the seed block: there will never be a split
  await chain.mine(model.seedBlock - 1n - model.block);
  model.block = model.seedBlock - 1n;
  // A cancel or a donation may land in the seed block itself (a cancel there already forfeits the reward); it is
  // replayed with each timestamp tried, everything else waits for the block after.
  const pending = prologue[next];
  const inSeedBlock = pending !== undefined && (pending.kind === "cancel" || pending.kind === "donate") ? pending : undefined;
  const parent = await chain.env.publicClient.getBlock();
  const saved = { donations: [...model.donations], trace: real.trace.length };
  let snapshot = (await chain.request("evm_snapshot")) as Hex;
  for (let attempt = 0; attempt < 500; attempt++) {
    if (attempt > 0) {
      await chain.request("evm_revert", [snapshot]);
      snapshot = (await chain.request("evm_snapshot")) as Hex;
      model.block = model.seedBlock - 1n;
      saved.donations.forEach((d, i) => (model.donations[i] = d));
      real.trace.length = saved.trace;
    }
    await chain.request("evm_setNextBlockTimestamp", [Number(parent.timestamp) + 1 + attempt]);
    if (inSeedBlock) await real.perform(model, inSeedBlock);
    else await chain.request("evm_mine");
    const seedBlock = await chain.env.publicClient.getBlock({ blockNumber: model.seedBlock });
    if ((await chain.env.publicClient.getBlockNumber()) !== model.seedBlock) throw new Error("the seed block was not the latest block");
    if (model.settled) return { model, real }; // cancelled in the seed block: forfeited, never split
    const split = splitFrom(seedBlock.hash);
    if (sortedTraining(split) !== wanted) continue;
    model.block = model.seedBlock;
    model.split = split;
    real.trace.push(`[${model.seedBlock}] seed block mined: training=[${sortedTraining(split)}]`);
    await real.checkInvariants(model, "seed block");
    return { model, real };
  }
  throw new Error(`no seed block timestamp gave the training groups [${wanted}]`);
}

// ------------------------------------------------------------------ the test

describe("DankuCompetition money invariants (model-based, random action sequences)", function () {
  let chain: Chain;
  const stats = new Stats();

  before(async function () {
    const env = await deployEnv();
    const probe = await hre.viem.deployContract("CompetitionProbe");
    const proxy = await hre.viem.deployContract("RevertingReceiver");
    // The inline ABIs of the two test helpers must match their artifacts.
    for (const [name, abi] of [
      ["CompetitionProbe", probeAbi],
      ["RevertingReceiver", receiverAbi],
    ] as const) {
      const artifact = await hre.artifacts.readArtifact(name);
      const fromArtifact = new Set((artifact.abi as Abi).map(abiShape));
      for (const item of abi) expect(fromArtifact.has(abiShape(item)), `${name} changed: ${abiShape(item)}`).to.equal(true);
    }
    chain = new Chain(env, probe.address, proxy.address);
    await chain.takeBaseSnapshot();
  });

  after(async function () {
    if (chain) await chain.request("evm_revert", [chain.snapshot]);
  });

  it(`keeps every deposited wei either paid out or withdrawable, never both (${RUNS} sequences)`, async function () {
    const started = Date.now();
    console.log(`      fast-check seed ${SEED}${PATH ? ` path ${PATH}` : ""}, ${RUNS} sequences of ${MIN_ACTIONS}–${MAX_ACTIONS} actions`);
    const property = fc.asyncProperty(scenarioArb, prologueArb, sequenceArb(), async (scenario, prologue, commands) => {
      const setup = await createScenario(chain, stats, scenario, prologue);
      await fc.asyncModelRun(() => setup, commands);
      await setup.real.settleAndDrain(setup.model);
      stats.sequences++;
      for (const event of setup.real.seen) stats.event(event);
    });
    await fc.assert(property, { numRuns: RUNS, seed: SEED, ...(PATH ? { path: PATH } : {}), endOnFailure: false });

    const seconds = (Date.now() - started) / 1000;
    console.log(`      ${stats.sequences} sequences, ${stats.actions} actions (incl. epilogues) in ${seconds.toFixed(1)} s`);
    const events = [...stats.events.entries()].sort((x, y) => x[0].localeCompare(y[0]));
    console.log(`      sequences per event:\n${events.map(([k, v]) => `        ${String(v).padStart(5)}  ${k}`).join("\n")}`);
    if (process.env.DANKU_INVARIANT_OUTCOMES) {
      const outcomes = [...stats.outcomes.entries()].sort((x, y) => x[0].localeCompare(y[0]));
      console.log(outcomes.map(([k, v]) => `        ${String(v).padStart(6)}  ${k}`).join("\n"));
    }

    // The random sequences must actually reach the interesting states, or the invariants above prove little.
    if (RUNS >= 500) {
      for (const event of [
        "finalized with winner",
        "finalized without winner",
        "finalized, proxy wins",
        "winner takes donations",
        "winner withdrew",
        "donor refunded",
        "organizer refunded",
        "cancelled after setup expired",
        "evaluated on test data",
        "test withheld, reward shared",
        "test withheld, donors refunded",
        "withheld share withdrawn",
        "donor refunded after withheld test data",
        "test group withheld",
        "evaluation refused: test data withheld",
        "reward forfeited (organizer cancelled after the seed block)",
        "reward forfeited (setup expired)",
        "free cancel before the seed block",
        "split before the seed block refused",
        "lying committed size",
        "lying committed size blocks a reveal",
        "reveal fault GroupSizeMismatch",
        "hostile encoding MalformedReveal",
        "partial evaluation",
        "tie won by earlier commit",
        "copied commitment",
        "withdrawal of an owed amount refused: ReceiveRefused",
        "withdrawal of an owed amount refused: DonationsClosed",
        "proxy withdrew with withdrawTo",
        "big jump",
      ]) {
        expect(stats.get(event), `coverage: "${event}"`).to.be.greaterThan(0);
      }
    }
  });
});

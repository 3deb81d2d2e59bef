/**
 * Every custom error of the DanKu contracts, each with the arguments that explain it, and the exact boundaries of
 * every configuration bound (docs/protocol.md §1) and model check (§4.1).
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { concat, getAddress, keccak256, toHex, zeroAddress, type Hex } from "viem";
import { competitionFactoryAbi, dankuCompetitionAbi } from "../../lib/generated/abis";
import { encodeModel, groupHash, type QuantizedModel } from "../../lib/danku/encoding";
import { EVALUATION_PERIOD_FACTOR, MAX_MODEL_BYTES, MAX_TOTAL_POINTS, MIN_PERIOD } from "../../lib/danku/constants";
import {
  WORST_CASE_POINTS_PER_EVALUATION_TX,
  minimumEvaluationPeriod,
  requiredEvaluationBlocks,
  type DataGroup,
} from "../../lib/danku/groups";
import {
  DEFAULT_CONFIG,
  PERFECT_MODEL,
  Stage,
  bytesHex,
  commit,
  createCompetition,
  deadlinesOf,
  deployEnv,
  deployTestContract,
  doSplit,
  evaluatorHarnessAbi,
  expectRevert,
  expectedSplit,
  factoryAs,
  mineTo,
  mineUntilNextTxIn,
  prepareModel,
  receipt,
  reveal,
  revealModel,
  salt,
  seedBlockOf,
  testActorAbi,
  toSubmission,
  toTestReveal,
  type Config,
  type Env,
  type Prepared,
  type WalletClient,
} from "./fixtures";

/** ConfigField enum order in IDankuCompetition.sol. */
const Field = {
  FeatureCount: 0,
  ClassCount: 1,
  TrainingBps: 2,
  MinAccuracyBps: 3,
  Init2Window: 4,
  SplitDelay: 5,
  TrainingRevealPeriod: 6,
  SubmissionPeriod: 7,
  ModelRevealPeriod: 8,
  TestRevealPeriod: 9,
  EvaluationPeriod: 10,
  GroupCount: 11,
  TrainingGroupCount: 12,
  TotalPoints: 13,
} as const;

/** ModelDefect enum order in IDankuCompetition.sol. */
const Defect = {
  TooShort: 0,
  Version: 1,
  LayerCount: 2,
  Width: 3,
  InputWidth: 4,
  OutputWidth: 5,
  LaneWords: 6,
  Length: 7,
  Shift: 8,
  OutputShift: 9,
  Bias: 10,
  Padding: 11,
  TooLarge: 12,
} as const;

function rawPrepared(bytes: Uint8Array, saltValue: Hex): Prepared {
  return { bytes: bytesHex(bytes), hash: keccak256(bytes), salt: saltValue };
}

const TWO_LAYER: QuantizedModel = {
  widths: [2, 3, 2],
  layers: [
    { shift: 4, biases: [1, 2, 3], weights: [[1, 2], [3, 4], [5, 6]] },
    { shift: 0, biases: [0, 0], weights: [[1, -1, 1], [-1, 1, -1]] },
  ],
};

describe("DankuCompetition reverts", function () {
  describe("factory and init1", function () {
    const cases: [keyof typeof Field, Partial<Config>, number, number, number, number][] = [
      ["FeatureCount", { featureCount: 0 }, 0, 1, 1024, 4],
      ["FeatureCount", { featureCount: 1025 }, 1025, 1, 1024, 4],
      ["ClassCount", { classCount: 1 }, 1, 2, 255, 4],
      ["ClassCount", { classCount: 256 }, 256, 2, 255, 4],
      ["TrainingBps", { trainingBps: 999 }, 999, 1000, 9000, 4],
      ["TrainingBps", { trainingBps: 9001 }, 9001, 1000, 9000, 4],
      ["MinAccuracyBps", { minAccuracyBps: 10_001 }, 10_001, 0, 10_000, 4],
      ["Init2Window", { init2Window: 0 }, 0, 1, 255, 4],
      ["Init2Window", { init2Window: 256 }, 256, 1, 255, 4],
      ["SplitDelay", { splitDelay: 0 }, 0, 1, 1024, 4],
      ["SplitDelay", { splitDelay: 1025 }, 1025, 1, 1024, 4],
      ["TrainingRevealPeriod", { trainingRevealPeriod: 9 }, 9, 10, 2_000_000, 4],
      ["SubmissionPeriod", { submissionPeriod: 2_000_001 }, 2_000_001, 10, 2_000_000, 4],
      ["ModelRevealPeriod", { modelRevealPeriod: 9 }, 9, 10, 2_000_000, 4],
      ["TestRevealPeriod", { testRevealPeriod: 2_000_001 }, 2_000_001, 10, 2_000_000, 4],
      ["EvaluationPeriod", { evaluationPeriod: 9 }, 9, 10, 2_000_000, 4],
      ["GroupCount", {}, 1, 2, 1024, 1],
      ["GroupCount", {}, 1025, 2, 1024, 1025],
      // 3 groups at 10 %: floor(0.3) = 0 training groups; 2 groups at 90 %: floor(1.8) = 1 is fine, 10 at 90 % = 9 of 10.
      ["TrainingGroupCount", { trainingBps: 1000 }, 0, 1, 2, 3],
    ];
    for (const [field, patch, value, min, max, groupCount] of cases) {
      it(`rejects ${field} = ${value} with ConfigOutOfRange`, async function () {
        const env = await loadFixture(deployEnv);
        const hashes: Hex[] = Array.from({ length: groupCount }, (_, g) => keccak256(toHex(g)));
        await expectRevert(
          factoryAs(env, env.wallets[0] as WalletClient).write.createCompetition([{ ...DEFAULT_CONFIG, ...patch }, hashes, hashes.map(() => 1), ""], {
            value: 1n,
          }),
          "ConfigOutOfRange",
          [Field[field], BigInt(value), BigInt(min), BigInt(max)],
        );
      });
    }

    it("accepts every bound at its limit", async function () {
      const env = await loadFixture(deployEnv);
      const hashes: Hex[] = Array.from({ length: 2 }, (_, g) => keccak256(toHex(g)));
      const low: Config = {
        featureCount: 1,
        classCount: 2,
        trainingBps: 5000,
        minAccuracyBps: 0,
        init2Window: 1,
        splitDelay: 1,
        trainingRevealPeriod: 10,
        submissionPeriod: 10,
        modelRevealPeriod: 10,
        testRevealPeriod: 10,
        evaluationPeriod: 10,
      };
      const high: Config = {
        featureCount: 1024,
        classCount: 255,
        trainingBps: 9000,
        minAccuracyBps: 10_000,
        init2Window: 255,
        splitDelay: 1024,
        trainingRevealPeriod: 2_000_000,
        submissionPeriod: 2_000_000,
        modelRevealPeriod: 2_000_000,
        testRevealPeriod: 2_000_000,
        evaluationPeriod: 2_000_000,
      };
      const factory = factoryAs(env, env.wallets[0] as WalletClient);
      // One point per group at the low end, MAX_TOTAL_POINTS in all at the high end.
      await receipt(env, factory.write.createCompetition([low, hashes, [1, 1], ""], { value: 1n }));
      const ten = Array.from({ length: 10 }, (_, g) => keccak256(toHex(g)));
      const full = ten.map(() => MAX_TOTAL_POINTS / 10);
      expect(requiredEvaluationBlocks(MAX_TOTAL_POINTS)).to.be.at.most(high.evaluationPeriod);
      await receipt(env, factory.write.createCompetition([{ ...high, trainingBps: 1000 }, ten, full, ""], { value: 1n }));
      await receipt(env, factory.write.createCompetition([high, ten, full, ""], { value: 1n }));
    });

    it("needs one non-empty point count per group (GroupSizesLength, EmptyGroup) and at most MAX_TOTAL_POINTS in all", async function () {
      const env = await loadFixture(deployEnv);
      const factory = factoryAs(env, env.wallets[0] as WalletClient);
      const hashes: Hex[] = Array.from({ length: 3 }, (_, g) => keccak256(toHex(g)));
      const create = (counts: number[], config: Config = DEFAULT_CONFIG) => factory.write.createCompetition([config, hashes, counts, ""], { value: 1n });
      await expectRevert(create([]), "GroupSizesLength", [3n, 0n]);
      await expectRevert(create([1, 1]), "GroupSizesLength", [3n, 2n]);
      await expectRevert(create([1, 1, 1, 1]), "GroupSizesLength", [3n, 4n]);
      await expectRevert(create([0, 1, 1]), "EmptyGroup", [0n]);
      await expectRevert(create([5, 7, 0]), "EmptyGroup", [2n]);
      const long: Config = { ...DEFAULT_CONFIG, evaluationPeriod: 2_000_000 };
      await expectRevert(create([MAX_TOTAL_POINTS - 1, 1, 1], long), "ConfigOutOfRange", [
        Field.TotalPoints,
        BigInt(MAX_TOTAL_POINTS + 1),
        3n,
        BigInt(MAX_TOTAL_POINTS),
      ]);
      // uint32 counts cannot wrap the sum.
      await expectRevert(create([2 ** 32 - 1, 2 ** 32 - 1, 2], long), "ConfigOutOfRange", [
        Field.TotalPoints,
        2n ** 33n,
        3n,
        BigInt(MAX_TOTAL_POINTS),
      ]);
      await receipt(env, create([MAX_TOTAL_POINTS - 2, 1, 1], long));
    });

    it("rejects an evaluation period shorter than a worst-case evaluation of all points needs (EvaluationPeriodTooShort)", async function () {
      const env = await loadFixture(deployEnv);
      const factory = factoryAs(env, env.wallets[0] as WalletClient);
      const hashes: Hex[] = Array.from({ length: 4 }, (_, g) => keccak256(toHex(g)));
      const create = (counts: number[], evaluationPeriod: number) =>
        factory.write.createCompetition([{ ...DEFAULT_CONFIG, evaluationPeriod }, hashes, counts, ""], { value: 1n });
      const perTx = WORST_CASE_POINTS_PER_EVALUATION_TX;
      for (const counts of [
        [250, 250, 250, 250],
        [3 * perTx, 3 * perTx, 3 * perTx, 3 * perTx],
        [3 * perTx, 3 * perTx, 3 * perTx, 3 * perTx + 1],
        [1, 1, 1, 60_000],
        [MAX_TOTAL_POINTS / 4, MAX_TOTAL_POINTS / 4, MAX_TOTAL_POINTS / 4, MAX_TOTAL_POINTS / 4],
      ]) {
        const total = counts.reduce((a, n) => a + n, 0);
        const required = requiredEvaluationBlocks(total);
        expect(required).to.be.greaterThan(MIN_PERIOD);
        expect(minimumEvaluationPeriod(total)).to.equal(required);
        await expectRevert(create(counts, required - 1), "EvaluationPeriodTooShort", [BigInt(required - 1), BigInt(required), BigInt(total)]);
        await expectRevert(create(counts, MIN_PERIOD), "EvaluationPeriodTooShort", [BigInt(MIN_PERIOD), BigInt(required), BigInt(total)]);
        await receipt(env, create(counts, required));
      }
      // 1,000 points: 2 × ceil(1,000 / 25) = 80 blocks with the limits of docs/protocol.md §7.2.
      expect(requiredEvaluationBlocks(1000)).to.equal(EVALUATION_PERIOD_FACTOR * Math.ceil(1000 / perTx));
      // Few points: MIN_PERIOD is the binding bound (ConfigOutOfRange, checked first), and MIN_PERIOD itself suffices.
      expect(requiredEvaluationBlocks(4 * perTx)).to.be.at.most(MIN_PERIOD);
      await expectRevert(create([perTx, perTx, perTx, perTx], MIN_PERIOD - 1), "ConfigOutOfRange", [
        Field.EvaluationPeriod,
        BigInt(MIN_PERIOD - 1),
        BigInt(MIN_PERIOD),
        2_000_000n,
      ]);
      await receipt(env, create([perTx, perTx, perTx, perTx], MIN_PERIOD));
    });

    it("rejects a zero reward with ZeroReward", async function () {
      const env = await loadFixture(deployEnv);
      await expectRevert(
        factoryAs(env, env.wallets[0] as WalletClient).write.createCompetition([DEFAULT_CONFIG, [keccak256("0x01"), keccak256("0x02")], [1, 1], ""]),
        "ZeroReward",
        [],
      );
    });

    it("lets only the factory initialize a clone, and only once (NotFactory, InvalidInitialization)", async function () {
      const env = await loadFixture(deployEnv);
      const created = await createCompetition(env);
      const stranger = env.wallets[5] as WalletClient;
      const args = [stranger.account.address, DEFAULT_CONFIG, [keccak256("0x01"), keccak256("0x02")], [1, 1], ""] as const;
      // The factory's clone is initialized already.
      await expectRevert(created.as(stranger).write.initialize(args, { value: 1n }), "InvalidInitialization", []);
      // The implementation can never be initialized.
      const implementation = await env.publicClient.readContract({ address: env.factory, abi: competitionFactoryAbi, functionName: "implementation" });
      await expectRevert(
        stranger.writeContract({ address: implementation, abi: dankuCompetitionAbi, functionName: "initialize", args, value: 1n }),
        "InvalidInitialization",
        [],
      );
      // A fresh clone of the implementation made by someone else cannot be initialized by them.
      const hash = await stranger.deployContract({
        abi: [],
        bytecode: `0x3d602d80600a3d3981f3363d3d373d3d3d363d73${implementation.slice(2)}5af43d82803e903d91602b57fd5bf3`,
      });
      const { contractAddress } = await receipt(env, hash);
      if (!contractAddress) throw new Error("no clone");
      await expectRevert(
        stranger.writeContract({ address: contractAddress, abi: dankuCompetitionAbi, functionName: "initialize", args, value: 1n }),
        "NotFactory",
        [getAddress(stranger.account.address), getAddress(env.factory)],
      );
    });
  });

  describe("init2", function () {
    it("reverts with SplitTooEarly up to the seed block (init1 + splitDelay) and WrongStage after the split", async function () {
      const env = await loadFixture(deployEnv);
      const actor = await deployTestContract(env, "TestActor", testActorAbi);
      const hashes = [keccak256("0x01"), keccak256("0x02")];
      const next = (await env.publicClient.getBlockNumber()) + 1n;
      // In the init1 block itself: the first block allowed is init1 + splitDelay + 1.
      await expectRevert(actor.write.createAndSplit([env.factory, DEFAULT_CONFIG, hashes, [1, 1], ""], { value: 1n }), "SplitTooEarly", [
        next,
        next + BigInt(DEFAULT_CONFIG.splitDelay) + 1n,
      ]);
      const delayed = await createCompetition(env, { config: { splitDelay: 7 } });
      const seedBlock = seedBlockOf(delayed);
      expect(seedBlock).to.equal(delayed.init1Block + 7n);
      expect(await delayed.organizer.read.splitSeedBlock()).to.equal(seedBlock);
      for (const block of [delayed.init1Block + 1n, seedBlock - 1n, seedBlock]) {
        await mineUntilNextTxIn(env, block);
        await expectRevert(delayed.organizer.write.selectTrainingGroups(), "SplitTooEarly", [block, seedBlock + 1n]);
      }
      // The block after the seed block draws the split (from the seed block's hash: fixtures' doSplit checks it).
      await mineUntilNextTxIn(env, seedBlock + 1n);
      const r = await receipt(env, delayed.organizer.write.selectTrainingGroups());
      expect(r.blockNumber).to.equal(seedBlock + 1n);
      const split = await expectedSplit(env, delayed);
      for (const g of delayed.groups) expect(await delayed.organizer.read.isTrainingGroup([BigInt(g.index)])).to.equal(split.isTraining[g.index]);
      const created = await createCompetition(env);
      await doSplit(env, created);
      await expectRevert(created.organizer.write.selectTrainingGroups(), "WrongStage", [Stage.TrainingReveal, Stage.AwaitingSplit]);
    });
  });

  describe("data reveals", function () {
    async function splitCompetition(env: Env) {
      const created = await createCompetition(env, { groupCount: 6 });
      const split = await doSplit(env, created);
      const trainingGroup = created.groups[split.training[0] as number] as DataGroup;
      const otherTraining = created.groups[split.training[1] as number] as DataGroup;
      const testGroup = created.groups[split.test[0] as number] as DataGroup;
      return { created, split, trainingGroup, otherTraining, testGroup };
    }

    it("rejects reveals outside their stage (WrongStage)", async function () {
      const env = await loadFixture(deployEnv);
      const created = await createCompetition(env, { groupCount: 4 });
      const group = created.groups[0] as DataGroup;
      await expectRevert(reveal(env, created.organizer, true, [group]), "WrongStage", [Stage.AwaitingSplit, Stage.TrainingReveal]);
      await expectRevert(reveal(env, created.organizer, false, [group]), "WrongStage", [Stage.AwaitingSplit, Stage.TestReveal]);
      const split = await toSubmission(env, created);
      const testGroup = created.groups[split.test[0] as number] as DataGroup;
      await expectRevert(reveal(env, created.organizer, false, [testGroup]), "WrongStage", [Stage.Submission, Stage.TestReveal]);
      await expectRevert(reveal(env, created.organizer, true, [testGroup]), "WrongStage", [Stage.Submission, Stage.TrainingReveal]);
    });

    it("rejects empty and mismatched arrays (BadRevealArrays)", async function () {
      const env = await loadFixture(deployEnv);
      const { created, trainingGroup } = await splitCompetition(env);
      const c = created.organizer;
      await expectRevert(c.write.revealTrainingGroups([[], [], []]), "BadRevealArrays", [0n, 0n, 0n]);
      await expectRevert(
        c.write.revealTrainingGroups([[BigInt(trainingGroup.index)], [bytesHex(trainingGroup.bytes)], []]),
        "BadRevealArrays",
        [1n, 1n, 0n],
      );
      await expectRevert(
        c.write.revealTrainingGroups([[BigInt(trainingGroup.index)], [], [trainingGroup.nonce]]),
        "BadRevealArrays",
        [1n, 0n, 1n],
      );
    });

    it("rejects unknown groups, wrong kinds and repeats (GroupOutOfRange, WrongGroupKind, GroupAlreadyRevealed)", async function () {
      const env = await loadFixture(deployEnv);
      const { created, trainingGroup, testGroup } = await splitCompetition(env);
      const c = created.organizer;
      await expectRevert(
        c.write.revealTrainingGroups([[6n], [bytesHex(trainingGroup.bytes)], [trainingGroup.nonce]]),
        "GroupOutOfRange",
        [6n, 6n],
      );
      await expectRevert(c.read.groupHashAt([6n]), "GroupOutOfRange", [6n, 6n]);
      await expectRevert(c.read.isTrainingGroup([7n]), "GroupOutOfRange", [7n, 6n]);
      await expectRevert(c.read.isGroupRevealed([6n]), "GroupOutOfRange", [6n, 6n]);
      await expectRevert(reveal(env, c, true, [testGroup]), "WrongGroupKind", [BigInt(testGroup.index), false]);
      await expectRevert(reveal(env, c, true, [trainingGroup, trainingGroup]), "GroupAlreadyRevealed", [BigInt(trainingGroup.index)]);
      await reveal(env, c, true, [trainingGroup]);
      await expectRevert(reveal(env, c, true, [trainingGroup]), "GroupAlreadyRevealed", [BigInt(trainingGroup.index)]);
    });

    it("rejects a training group revealed as test data (WrongGroupKind)", async function () {
      const env = await loadFixture(deployEnv);
      const created = await createCompetition(env, { groupCount: 4 });
      const split = await toSubmission(env, created);
      await mineUntilNextTxIn(env, (await deadlinesOf(created.organizer)).modelRevealEnd);
      const training = created.groups[split.training[0] as number] as DataGroup;
      await expectRevert(reveal(env, created.organizer, false, [training]), "WrongGroupKind", [BigInt(training.index), true]);
    });

    it("rejects bytes that are not whole points (BadGroupLength) or do not match the hash (GroupHashMismatch)", async function () {
      const env = await loadFixture(deployEnv);
      const { created, trainingGroup } = await splitCompetition(env);
      const c = created.organizer;
      const g = BigInt(trainingGroup.index);
      const points = bytesHex(trainingGroup.bytes);
      await expectRevert(c.write.revealTrainingGroups([[g], ["0x"], [trainingGroup.nonce]]), "BadGroupLength", [g, 0n, 3n]);
      await expectRevert(
        c.write.revealTrainingGroups([[g], [concat([points, "0x01"])], [trainingGroup.nonce]]),
        "BadGroupLength",
        [g, BigInt(trainingGroup.bytes.length + 1), 3n],
      );
      // A whole extra point is well-formed but not the committed size (checked before the hash).
      const committedPoints = BigInt(trainingGroup.points.length);
      await expectRevert(c.write.revealTrainingGroups([[g], [concat([points, "0x010200"])], [trainingGroup.nonce]]), "GroupSizeMismatch", [
        g,
        committedPoints + 1n,
        committedPoints,
      ]);
      await expectRevert(c.write.revealTrainingGroups([[g], [points.slice(0, -6) as Hex], [trainingGroup.nonce]]), "GroupSizeMismatch", [
        g,
        committedPoints - 1n,
        committedPoints,
      ]);
      await expectRevert(c.write.revealTrainingGroups([[g], [points], [keccak256("0xbad")]]), "GroupHashMismatch", [g]);
      const tampered = Uint8Array.from(trainingGroup.bytes);
      tampered[0] = (tampered[0] as number) ^ 1;
      await expectRevert(c.write.revealTrainingGroups([[g], [bytesHex(tampered)], [trainingGroup.nonce]]), "GroupHashMismatch", [g]);
      // Nothing of the failed calls was stored.
      expect(await c.read.isGroupRevealed([g])).to.equal(false);
      expect(await c.read.pointCount([true])).to.equal(0n);
    });

    it("rejects a group whose size differs from the committed point count (GroupSizeMismatch)", async function () {
      const env = await loadFixture(deployEnv);
      // 4 groups of 10 points; the organizer committed 11 points for every group.
      const liar = await createCompetition(env, { groupCount: 4, groupPointCounts: [11, 11, 11, 11] });
      expect(await liar.organizer.read.groupPointCountAt([3n])).to.equal(11n);
      await expectRevert(liar.organizer.read.groupPointCountAt([4n]), "GroupOutOfRange", [4n, 4n]);
      const liarSplit = await doSplit(env, liar);
      const training = liarSplit.training.map((g) => liar.groups[g] as DataGroup);
      // The first group of the batch is the one reported, in either order; nothing is stored.
      await expectRevert(reveal(env, liar.organizer, true, training), "GroupSizeMismatch", [BigInt(training[0]?.index ?? -1), 10n, 11n]);
      await expectRevert(reveal(env, liar.organizer, true, [...training].reverse()), "GroupSizeMismatch", [BigInt(training[1]?.index ?? -1), 10n, 11n]);
      expect(await liar.organizer.read.pointCount([true])).to.equal(0n);
      // The training data can never be completed: the competition expires.
      await mineTo(env, (await deadlinesOf(liar.organizer)).trainingRevealDeadline + 1n);
      expect(await liar.organizer.read.stage()).to.equal(Stage.SetupExpired);

      // One under-committed group (9 of 10 points): a test group of the split (retry until the draw makes it one).
      for (let seed = 1; ; seed++) {
        expect(seed, "group 3 never drawn as a test group").to.be.below(30);
        const created = await createCompetition(env, { groupCount: 4, groupPointCounts: [10, 10, 10, 9], seed });
        const split = await doSplit(env, created);
        if (split.isTraining[3]) continue;
        await reveal(env, created.organizer, true, split.training.map((g) => created.groups[g] as DataGroup));
        await toTestReveal(env, created.organizer);
        const test = split.test.map((g) => created.groups[g] as DataGroup);
        const lied = created.groups[3] as DataGroup;
        const honest = test.filter((g) => g.index !== 3);
        await expectRevert(reveal(env, created.organizer, false, [...honest, lied]), "GroupSizeMismatch", [3n, 10n, 9n]);
        // The honest test groups still reveal; the test data stays incomplete.
        await reveal(env, created.organizer, false, honest);
        expect(await created.organizer.read.testCompleted()).to.equal(false);
        break;
      }
    });

    it("rejects a committed group whose label is not a class index (LabelOutOfRange)", async function () {
      const env = await loadFixture(deployEnv);
      // Every group's second point has label 2 in a 2-class competition, with correct hashes.
      const groups: DataGroup[] = Array.from({ length: 4 }, (_, index) => {
        const bytes = Uint8Array.from([10, 20, 1, 30, 40, 2, 50, 60, 0]);
        const nonce = keccak256(toHex(`nonce ${index}`));
        return { index, points: [], nonce, bytes, hash: groupHash(bytes, nonce) };
      });
      const created = await createCompetition(env, { groups, groupPointCounts: groups.map(() => 3) });
      const split = await doSplit(env, created);
      const g = split.training[0] as number;
      await expectRevert(reveal(env, created.organizer, true, [groups[g] as DataGroup]), "LabelOutOfRange", [BigInt(g), 1n, 2n, 2n]);
    });
  });

  describe("label checks", function () {
    // The reveal checks labels branch-free over 31-byte windows for points shorter than 32 bytes, and one by one
    // otherwise: exercise both, every window phase, and the first failing point's position.
    const shapes: [number, number][] = [
      [1, 2],
      [2, 3],
      [3, 255],
      [7, 16],
      [15, 200],
      [29, 2],
      [30, 9],
      [31, 4],
      [40, 255],
    ];
    for (const [featureCount, classCount] of shapes) {
      it(`F = ${featureCount}, C = ${classCount}: accepts labels up to C − 1 and reports the first label ≥ C`, async function () {
        const env = await loadFixture(deployEnv);
        const pointSize = featureCount + 1;
        const pointsPerGroup = 37;
        const groupBytes = (badAt: number | undefined, bad: number) =>
          Uint8Array.from({ length: pointsPerGroup * pointSize }, (_, i) => {
            const point = Math.floor(i / pointSize);
            if (i % pointSize !== featureCount) return (i * 37 + 11) % 256;
            return point === badAt ? bad : (point * 7) % classCount === 0 ? classCount - 1 : (point * 7) % classCount;
          });
        const config = { featureCount, classCount, trainingBps: 5000 };
        for (const [badAt, bad] of [
          [undefined, 0],
          [0, classCount],
          [pointsPerGroup - 1, 255],
          [17, classCount + ((255 - classCount) >> 1)],
        ] as [number | undefined, number][]) {
          if (badAt !== undefined && bad < classCount) continue;
          const groups: DataGroup[] = Array.from({ length: 2 }, (_, index) => {
            const bytes = groupBytes(badAt, bad);
            const nonce = keccak256(toHex(`label ${index} ${String(badAt)}`));
            return { index, points: [], nonce, bytes, hash: groupHash(bytes, nonce) };
          });
          const created = await createCompetition(env, { groups, config, seed: (badAt ?? 99) + 1, groupPointCounts: [pointsPerGroup, pointsPerGroup] });
          const split = await doSplit(env, created);
          const g = split.training[0] as number;
          if (badAt === undefined) {
            await reveal(env, created.organizer, true, [groups[g] as DataGroup]);
            expect(await created.organizer.read.pointCount([true])).to.equal(BigInt(pointsPerGroup));
          } else {
            await expectRevert(reveal(env, created.organizer, true, [groups[g] as DataGroup]), "LabelOutOfRange", [
              BigInt(g),
              BigInt(badAt),
              BigInt(bad),
              BigInt(classCount),
            ]);
          }
        }
      });
    }
  });

  describe("submissions", function () {
    async function inSubmission(env: Env) {
      const created = await createCompetition(env, { groupCount: 4 });
      const split = await toSubmission(env, created);
      return { created, split };
    }

    it("rejects commits and reveals outside their stage (WrongStage)", async function () {
      const env = await loadFixture(deployEnv);
      const created = await createCompetition(env, { groupCount: 4 });
      const alice = env.wallets[1] as WalletClient;
      await expectRevert(created.as(alice).write.commitModel([keccak256("0x01")]), "WrongStage", [Stage.AwaitingSplit, Stage.Submission]);
      await toSubmission(env, created);
      const prepared = prepareModel(PERFECT_MODEL, salt(1));
      const id = await commit(env, created, alice, prepared);
      await expectRevert(revealModel(env, created, alice, id, prepared), "WrongStage", [Stage.Submission, Stage.ModelReveal]);
      await mineUntilNextTxIn(env, (await deadlinesOf(created.organizer)).submissionEnd);
      await expectRevert(created.as(alice).write.commitModel([keccak256("0x01")]), "WrongStage", [Stage.ModelReveal, Stage.Submission]);
      await mineUntilNextTxIn(env, (await deadlinesOf(created.organizer)).modelRevealEnd);
      await expectRevert(revealModel(env, created, alice, id, prepared), "WrongStage", [Stage.TestReveal, Stage.ModelReveal]);
    });

    it("rejects unknown ids, strangers, wrong salts and second reveals", async function () {
      const env = await loadFixture(deployEnv);
      const { created } = await inSubmission(env);
      const [, alice, bob] = env.wallets as [WalletClient, WalletClient, WalletClient];
      const prepared = prepareModel(PERFECT_MODEL, salt(1));
      const id = await commit(env, created, alice, prepared);
      await mineUntilNextTxIn(env, (await deadlinesOf(created.organizer)).submissionEnd);
      await expectRevert(revealModel(env, created, alice, 5n, prepared), "UnknownSubmission", [5n, 1n]);
      await expectRevert(created.organizer.read.submissionAt([1n]), "UnknownSubmission", [1n, 1n]);
      await expectRevert(revealModel(env, created, bob, id, prepared), "NotSubmitter", [
        getAddress(bob.account.address),
        getAddress(alice.account.address),
      ]);
      await expectRevert(revealModel(env, created, alice, id, { ...prepared, salt: salt(2) }), "CommitmentMismatch", [id]);
      await expectRevert(
        revealModel(env, created, alice, id, prepareModel({ ...PERFECT_MODEL, layers: [{ shift: 0, biases: [0, 1], weights: [[-1, 1], [1, -1]] }] }, salt(1))),
        "CommitmentMismatch",
        [id],
      );
      await revealModel(env, created, alice, id, prepared);
      await expectRevert(revealModel(env, created, alice, id, prepared), "AlreadyRevealed", [id]);
    });

    it("rejects every malformed model with InvalidModel(reason, location)", async function () {
      const env = await loadFixture(deployEnv);
      const { created } = await inSubmission(env);
      const alice = env.wallets[1] as WalletClient;
      const base = encodeModel(PERFECT_MODEL); // 2-2: header 6, shift @6, biases @7..14, records @15 and @23, 31 bytes
      expect(base.length).to.equal(31);
      const two = encodeModel(TWO_LAYER); // 2-3-2: header 8, layer 1 shift @8
      const mutate = (bytes: Uint8Array, at: number, value: number) => {
        const copy = Uint8Array.from(bytes);
        copy[at] = value;
        return copy;
      };
      const setInt32 = (bytes: Uint8Array, at: number, value: number) => {
        const copy = Uint8Array.from(bytes);
        new DataView(copy.buffer).setInt32(at, value);
        return copy;
      };
      const cases: [string, Uint8Array, number, bigint][] = [
        ["one byte", Uint8Array.from([1]), Defect.TooShort, 1n],
        ["header cut", base.slice(0, 4), Defect.TooShort, 4n],
        ["too large", new Uint8Array(MAX_MODEL_BYTES + 1).fill(1), Defect.TooLarge, BigInt(MAX_MODEL_BYTES + 1)],
        // Version 2 is a CNN, refused in this on-chain competition with CnnNeedsClaimMode (test/danku/cnnClaims.test.ts).
        ["version 3", mutate(base, 0, 3), Defect.Version, 3n],
        ["0 layers", mutate(base, 1, 0), Defect.LayerCount, 0n],
        ["9 layers", mutate(base, 1, 9), Defect.LayerCount, 9n],
        ["zero width", Uint8Array.from([1, 1, 0, 0, 0, 2]), Defect.Width, 0n],
        ["width 1025", Uint8Array.from([1, 2, 0, 2, 4, 1, 0, 2]), Defect.Width, 1n],
        ["3 inputs", Uint8Array.from([1, 1, 0, 3, 0, 2]), Defect.InputWidth, 3n],
        ["3 outputs", Uint8Array.from([1, 1, 0, 2, 0, 3]), Defect.OutputWidth, 3n],
        // 2-1024-1024-1024-2: 263,424 lane words.
        ["lane words", Uint8Array.from([1, 4, 0, 2, 4, 0, 4, 0, 4, 0, 0, 2]), Defect.LaneWords, 263_424n],
        ["trailing byte", concat([base, Uint8Array.from([0])]), Defect.Length, 31n],
        ["missing byte", base.slice(0, 30), Defect.Length, 31n],
        ["hidden shift 32", mutate(two, 8, 32), Defect.Shift, 1n],
        ["output shift 1", mutate(base, 6, 1), Defect.OutputShift, 1n],
        ["output shift 32", mutate(base, 6, 32), Defect.Shift, 1n],
        ["bias 2^30 + 1", setInt32(base, 11, 2 ** 30 + 1), Defect.Bias, 11n],
        ["bias −2^30 − 1", setInt32(base, 7, -(2 ** 30) - 1), Defect.Bias, 7n],
        ["padding lane", mutate(base, 23 + 5, 0x81), Defect.Padding, 23n],
      ];
      const ids: bigint[] = [];
      for (const [i, [, bytes]] of cases.entries()) ids.push(await commit(env, created, alice, rawPrepared(bytes, salt(100 + i))));
      await mineUntilNextTxIn(env, (await deadlinesOf(created.organizer)).submissionEnd);
      for (const [i, [name, bytes, defect, index]] of cases.entries()) {
        try {
          await expectRevert(revealModel(env, created, alice, ids[i] as bigint, rawPrepared(bytes, salt(100 + i))), "InvalidModel", [defect, index]);
        } catch (error) {
          throw new Error(`case "${name}": ${(error as Error).message}`);
        }
      }
      // The boundaries themselves are valid: |bias| = 2^30, hidden shift 31, widths 1024.
      const edge: QuantizedModel = {
        widths: [2, 1024, 2],
        layers: [
          { shift: 31, biases: Array.from({ length: 1024 }, (_, j) => (j % 2 ? 2 ** 30 : -(2 ** 30))), weights: Array.from({ length: 1024 }, () => [127, -128]) },
          { shift: 0, biases: [2 ** 30, -(2 ** 30)], weights: [Array.from({ length: 1024 }, () => 1), Array.from({ length: 1024 }, () => -1)] },
        ],
      };
      const harness = await deployTestContract(env, "EvaluatorHarness", evaluatorHarnessAbi);
      await harness.read.validate([bytesHex(encodeModel(edge)), 2n, 2n]);
      await harness.read.validate([bytesHex(encodeModel(TWO_LAYER)), 2n, 2n]);
    });

    it("rejects evaluation outside its stage and of unrevealed, finished or unknown submissions", async function () {
      const env = await loadFixture(deployEnv);
      const { created, split } = await inSubmission(env);
      const [, alice, bob] = env.wallets as [WalletClient, WalletClient, WalletClient];
      const prepared = prepareModel(PERFECT_MODEL, salt(1));
      const revealed = await commit(env, created, alice, prepared);
      const hidden = await commit(env, created, bob, prepareModel(PERFECT_MODEL, salt(2)));
      const d = await deadlinesOf(created.organizer);
      await mineUntilNextTxIn(env, d.submissionEnd);
      await revealModel(env, created, alice, revealed, prepared);
      await mineUntilNextTxIn(env, d.modelRevealEnd);
      const c = created.organizer;
      await expectRevert(c.write.evaluate([revealed, 10n]), "WrongStage", [Stage.TestReveal, Stage.Evaluation]);
      await expectRevert(c.write.finalize(), "WrongStage", [Stage.TestReveal, Stage.AwaitingFinalization]);
      // The complete test reveal opens the Evaluation stage at once.
      await reveal(env, c, false, split.test.map((g) => created.groups[g] as DataGroup));
      expect(await c.read.stage()).to.equal(Stage.Evaluation);
      await expectRevert(c.write.evaluate([revealed, 0n]), "ZeroMaxPoints", []);
      await expectRevert(c.write.evaluate([hidden, 10n]), "NotRevealed", [hidden]);
      await expectRevert(c.write.evaluate([7n, 10n]), "UnknownSubmission", [7n, 2n]);
      await expectRevert(c.write.finalize(), "WrongStage", [Stage.Evaluation, Stage.AwaitingFinalization]);
      await receipt(env, c.write.evaluate([revealed, 1000n]));
      await expectRevert(c.write.evaluate([revealed, 1n]), "AlreadyEvaluated", [revealed]);
      await mineUntilNextTxIn(env, d.evaluationEnd);
      await expectRevert(c.write.evaluate([hidden, 10n]), "WrongStage", [Stage.AwaitingFinalization, Stage.Evaluation]);
    });

    it("rejects evaluation without the complete test data (TestDataWithheld): there is no training-data fallback", async function () {
      const env = await loadFixture(deployEnv);
      const [, alice] = env.wallets as [WalletClient, WalletClient];
      for (const partial of [false, true]) {
        const created = await createCompetition(env, { groupCount: 6, seed: partial ? 2 : 1 });
        const split = await toSubmission(env, created);
        const prepared = prepareModel(PERFECT_MODEL, salt(1));
        const id = await commit(env, created, alice, prepared);
        const d = await deadlinesOf(created.organizer);
        await mineUntilNextTxIn(env, d.submissionEnd);
        await revealModel(env, created, alice, id, prepared);
        await mineUntilNextTxIn(env, d.modelRevealEnd);
        // Nothing, or all test groups but one.
        if (partial) await reveal(env, created.organizer, false, split.test.slice(1).map((g) => created.groups[g] as DataGroup));
        await mineTo(env, d.testRevealEnd);
        expect(await created.organizer.read.stage()).to.equal(Stage.Evaluation);
        // The stage and submission checks come first; then the missing test data.
        await expectRevert(created.organizer.write.evaluate([id, 0n]), "ZeroMaxPoints", []);
        await expectRevert(created.organizer.write.evaluate([id, 1000n]), "TestDataWithheld", []);
        await expectRevert(created.as(alice).write.evaluate([id, 1n]), "TestDataWithheld", []);
        expect((await created.organizer.read.submissionAt([id])).cursor).to.equal(0);
      }
    });
  });

  describe("money", function () {
    it("rejects zero donations and donations after cancellation or expiry", async function () {
      const env = await loadFixture(deployEnv);
      const donor = env.wallets[4] as WalletClient;
      const a = await createCompetition(env, { seed: 1 });
      await expectRevert(donor.sendTransaction({ to: a.address, value: 0n }), "ZeroDonation", []);
      await receipt(env, a.organizer.write.cancel());
      await expectRevert(donor.sendTransaction({ to: a.address, value: 1n }), "DonationsClosed", [Stage.Cancelled]);
      const b = await createCompetition(env, { seed: 2 });
      await mineTo(env, (await deadlinesOf(b.organizer)).init2Deadline + 1n);
      await expectRevert(donor.sendTransaction({ to: b.address, value: 1n }), "DonationsClosed", [Stage.SetupExpired]);
    });

    it("limits cancel to the organizer before training completes and to anyone after expiry", async function () {
      const env = await loadFixture(deployEnv);
      const stranger = env.wallets[6] as WalletClient;
      const organizer = env.wallets[0] as WalletClient;
      const a = await createCompetition(env, { groupCount: 4, seed: 1 });
      await expectRevert(a.as(stranger).write.cancel(), "NotOrganizer", [getAddress(stranger.account.address), getAddress(organizer.account.address)]);
      await doSplit(env, a);
      await expectRevert(a.as(stranger).write.cancel(), "NotOrganizer", [getAddress(stranger.account.address), getAddress(organizer.account.address)]);
      const b = await createCompetition(env, { groupCount: 4, seed: 2 });
      await toSubmission(env, b);
      await expectRevert(b.organizer.write.cancel(), "CancelNotAllowed", [Stage.Submission]);
      const c = await createCompetition(env, { groupCount: 4, seed: 3 });
      const init2Deadline = (await deadlinesOf(c.organizer)).init2Deadline;
      expect(init2Deadline).to.equal(seedBlockOf(c) + BigInt(c.config.init2Window));
      await mineUntilNextTxIn(env, init2Deadline);
      await expectRevert(c.as(stranger).write.cancel(), "NotOrganizer", [getAddress(stranger.account.address), getAddress(organizer.account.address)]);
      const r = await receipt(env, c.as(stranger).write.cancel());
      expect(r.blockNumber).to.equal(init2Deadline + 1n);
      await expectRevert(c.organizer.write.cancel(), "CancelNotAllowed", [Stage.Cancelled]);
    });

    it("pays nothing before settlement and never to the zero address", async function () {
      const env = await loadFixture(deployEnv);
      // Cancelled before its seed block: the reward comes back (see lifecycle for the forfeit after it).
      const created = await createCompetition(env, { config: { splitDelay: 5 } });
      const organizer = env.wallets[0] as WalletClient;
      expect(await created.organizer.read.withdrawable([organizer.account.address])).to.equal(0n);
      await expectRevert(created.organizer.write.withdraw(), "NothingToWithdraw", [getAddress(organizer.account.address)]);
      await expectRevert(created.organizer.write.withdrawTo([zeroAddress]), "ZeroRecipient", []);
      await receipt(env, created.organizer.write.cancel());
      await expectRevert(created.organizer.write.withdrawTo([zeroAddress]), "ZeroRecipient", []);
      await receipt(env, created.organizer.write.withdraw());
      await expectRevert(created.organizer.write.withdraw(), "NothingToWithdraw", [getAddress(organizer.account.address)]);
      // Cancelled at the seed block: the reward is forfeited, so the organizer has nothing to withdraw.
      const late = await createCompetition(env, { seed: 2 });
      await mineUntilNextTxIn(env, seedBlockOf(late));
      await receipt(env, late.organizer.write.cancel());
      expect(await late.organizer.read.rewardForfeited()).to.equal(true);
      await expectRevert(late.organizer.write.withdraw(), "NothingToWithdraw", [getAddress(organizer.account.address)]);
    });
  });

  describe("BlobStore", function () {
    it("refuses empty and oversized data contracts (BlobWriteFailed)", async function () {
      const env = await loadFixture(deployEnv);
      const harness = await deployTestContract(env, "EvaluatorHarness", evaluatorHarnessAbi);
      await expectRevert(harness.write.writeBlob(["0x"]), "BlobWriteFailed", [0n], evaluatorHarnessErrors);
      await expectRevert(harness.write.writeBlob([bytesHex(new Uint8Array(24_576).fill(7))]), "BlobWriteFailed", [24_576n], evaluatorHarnessErrors);
      const { result: pointer } = await harness.simulate.writeBlob([bytesHex(new Uint8Array(24_575).fill(7))]);
      await receipt(env, harness.write.writeBlob([bytesHex(new Uint8Array(24_575).fill(7))]));
      const code = await env.publicClient.getCode({ address: pointer });
      expect(code?.length).to.equal(2 + 2 * 24_576);
      expect(code?.slice(0, 4)).to.equal("0x00");
    });
  });
});

const evaluatorHarnessErrors = [
  { type: "error", name: "BlobWriteFailed", inputs: [{ name: "length", type: "uint256" }] },
] as const;

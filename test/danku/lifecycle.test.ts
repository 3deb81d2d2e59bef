/**
 * The factory and a competition's life from init1 to payout: events, views, and every stage transition at its
 * exact block boundary (docs/protocol.md §6). Views run at the latest block; a transaction runs in the next one.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress, keccak256, parseEventLogs, toHex, zeroAddress, type Hex } from "viem";
import { competitionFactoryAbi, dankuCompetitionAbi } from "../../lib/generated/abis";
import { decodePoints, groupHashesDigest, modelHash } from "../../lib/danku/encoding";
import { evaluateAccuracy } from "../../lib/danku/forward";
import { MAX_TOTAL_POINTS, TX_GAS_CAP } from "../../lib/danku/constants";
import { minimumEvaluationPeriod, type DataGroup } from "../../lib/danku/groups";
import {
  PERFECT_MODEL,
  REWARD,
  Stage,
  WRONG_MODEL,
  blockNumber,
  commit,
  createCompetition,
  deadlinesOf,
  deployEnv,
  doSplit,
  expectRevert,
  expectedSplit,
  mineTo,
  mineUntilNextTxIn,
  prepareModel,
  receipt,
  reveal,
  revealModel,
  salt,
  seedBlockOf,
  toSubmission,
  type Env,
  type WalletClient,
} from "./fixtures";

const EIP1167_PREFIX = "0x363d3d373d3d3d363d73";
const EIP1167_SUFFIX = "5af43d82803e903d91602b57fd5bf3";

describe("CompetitionFactory", function () {
  it("creates an EIP-1167 clone and initializes it in the same transaction (init1)", async function () {
    const env = await loadFixture(deployEnv);
    const organizer = env.wallets[0] as WalletClient;
    const created = await createCompetition(env, { groupCount: 5, reward: 3n * REWARD, metadataCid: "bafy-meta" });
    const [event] = parseEventLogs({ abi: competitionFactoryAbi, logs: created.createReceipt.logs, eventName: "CompetitionCreated" });
    expect(event?.args).to.deep.equal({
      competition: created.address,
      organizer: getAddress(organizer.account.address),
      reward: 3n * REWARD,
      groupCount: 5n,
      trainingGroupCount: 2n,
      totalPoints: 40n,
      init1Block: created.init1Block,
      config: created.config,
      metadataCid: "bafy-meta",
    });
    const factory = { address: env.factory, abi: competitionFactoryAbi } as const;
    expect(await env.publicClient.readContract({ ...factory, functionName: "competitionCount" })).to.equal(1n);
    expect(await env.publicClient.readContract({ ...factory, functionName: "competitionAt", args: [0n] })).to.equal(created.address);
    const implementation = await env.publicClient.readContract({ ...factory, functionName: "implementation" });
    const code = await env.publicClient.getCode({ address: created.address });
    expect(code).to.equal(`${EIP1167_PREFIX}${implementation.slice(2).toLowerCase()}${EIP1167_SUFFIX}`);
    expect(await created.organizer.read.factory()).to.equal(getAddress(env.factory));

    const c = created.organizer;
    expect(await c.read.organizer()).to.equal(getAddress(organizer.account.address));
    expect(await c.read.reward()).to.equal(3n * REWARD);
    expect(await env.publicClient.getBalance({ address: created.address })).to.equal(3n * REWARD);
    expect(await c.read.totalDonations()).to.equal(0n);
    expect(await c.read.config()).to.deep.equal(created.config);
    expect(await c.read.metadataCid()).to.equal("bafy-meta");
    expect(await c.read.groupCount()).to.equal(5n);
    expect(await c.read.trainingGroupCount()).to.equal(2n);
    expect(await c.read.groupHashesDigest()).to.equal(groupHashesDigest(created.groups.map((g) => g.hash)));
    for (const g of created.groups) expect(await c.read.groupHashAt([BigInt(g.index)])).to.equal(g.hash);
    for (const g of created.groups) expect(await c.read.groupPointCountAt([BigInt(g.index)])).to.equal(BigInt(g.points.length));
    expect(await c.read.init1Block()).to.equal(created.init1Block);
    expect(await c.read.splitSeedBlock()).to.equal(created.init1Block + 1n);
    expect(await c.read.splitDone()).to.equal(false);
    expect(await c.read.stage()).to.equal(Stage.AwaitingSplit);
    expect(await c.read.deadlines()).to.deep.equal({
      splitSeedBlock: created.init1Block + 1n,
      init2Deadline: created.init1Block + 1n + 10n,
      trainingRevealDeadline: created.init1Block + 1n + 10n + 40n,
      submissionEnd: 0n,
      modelRevealEnd: 0n,
      testRevealEnd: 0n,
      evaluationEnd: 0n,
    });
    expect(await c.read.submissionCount()).to.equal(0n);
    expect(await c.read.best()).to.deep.equal([false, 0n, 0n]);
    expect(await c.read.finalized()).to.equal(false);
    expect(await c.read.cancelled()).to.equal(false);
    expect(await c.read.rewardForfeited()).to.equal(false);
    expect(await c.read.testWithheld()).to.equal(false);
    expect(await c.read.summary()).to.deep.include({
      totalCommittedPoints: 40n,
      committedTrainingPoints: 0n,
      committedTestPoints: 0n,
      rewardForfeited: false,
      testWithheld: false,
    });
    for (let g = 0n; g < 5n; g++) {
      expect(await c.read.isTrainingGroup([g])).to.equal(false);
      expect(await c.read.isGroupRevealed([g])).to.equal(false);
    }
  });

  it("keeps 1024 group records (the maximum: hash and point count) as contract code across two data contracts", async function () {
    const env = await loadFixture(deployEnv);
    const hashes: Hex[] = Array.from({ length: 1024 }, (_, g) => keccak256(toHex(`group ${g}`)));
    const groups = hashes.map((hash, index) => ({ index, hash }) as unknown as DataGroup);
    // Group sizes of 1 … 7 points, and one of almost MAX_TOTAL_POINTS (3 bytes of the 4-byte record field).
    const counts = hashes.map((_, g) => (g === 1023 ? MAX_TOTAL_POINTS - 1023 * 4 : (g % 7) + 1));
    const total = counts.reduce((a, n) => a + n, 0);
    const config = { evaluationPeriod: minimumEvaluationPeriod(total) };
    const created = await createCompetition(env, { groups, groupPointCounts: counts, config });
    expect(Number(created.createReceipt.gasUsed)).to.be.lessThan(TX_GAS_CAP);
    // 682 records of 36 bytes per data contract: the second starts at group 682.
    for (const g of [0, 1, 681, 682, 683, 1023]) {
      expect(await created.organizer.read.groupHashAt([BigInt(g)])).to.equal(hashes[g]);
      expect(await created.organizer.read.groupPointCountAt([BigInt(g)])).to.equal(BigInt(counts[g] as number));
    }
    expect(await created.organizer.read.groupHashesDigest()).to.equal(groupHashesDigest(hashes));
    // The split over 1024 groups is the library's split, and the committed point sums follow it.
    const split = await doSplit(env, created);
    expect(split.training.length).to.equal(512);
    for (let g = 0; g < 1024; g += 97) expect(await created.organizer.read.isTrainingGroup([BigInt(g)])).to.equal(split.isTraining[g]);
    const trainingPoints = split.training.reduce((a, g) => a + (counts[g] as number), 0);
    expect(await created.organizer.read.summary()).to.deep.include({
      totalCommittedPoints: BigInt(total),
      committedTrainingPoints: BigInt(trainingPoints),
      committedTestPoints: BigInt(total - trainingPoints),
    });
  });

  it("numbers competitions and keeps them independent", async function () {
    const env = await loadFixture(deployEnv);
    const a = await createCompetition(env, { seed: 1 });
    const b = await createCompetition(env, { seed: 2, organizer: env.wallets[3] as WalletClient, reward: 5n });
    const factory = { address: env.factory, abi: competitionFactoryAbi } as const;
    expect(await env.publicClient.readContract({ ...factory, functionName: "competitionCount" })).to.equal(2n);
    expect(await env.publicClient.readContract({ ...factory, functionName: "competitionAt", args: [1n] })).to.equal(b.address);
    await expectRevert(
      env.publicClient.readContract({ ...factory, functionName: "competitionAt", args: [2n] }),
      "CompetitionIndexOutOfRange",
      [2n, 2n],
    );
    expect(await a.organizer.read.reward()).to.equal(REWARD);
    expect(await b.organizer.read.reward()).to.equal(5n);
    expect(await b.organizer.read.organizer()).to.equal(getAddress((env.wallets[3] as WalletClient).account.address));
  });
});

describe("DankuCompetition stages", function () {
  it("moves through every stage at its exact block boundary", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createCompetition(env, { groupCount: 4 });
    const c = created.organizer;
    const b0 = created.init1Block;
    expect(await c.read.stage()).to.equal(Stage.AwaitingSplit);

    // init2 in the last block of the window, which counts from the seed block b0 + splitDelay.
    await mineUntilNextTxIn(env, b0 + 1n + 10n);
    const splitReceipt = await receipt(env, c.write.selectTrainingGroups());
    expect(splitReceipt.blockNumber).to.equal(b0 + 11n);
    expect(await c.read.stage()).to.equal(Stage.TrainingReveal);
    const split = await expectedSplit(env, created);
    const training = split.training.map((g) => created.groups[g] as DataGroup);
    const test = split.test.map((g) => created.groups[g] as DataGroup);

    // Partial training reveal keeps TrainingReveal; the last group opens Submission in the same block.
    await reveal(env, c, true, training.slice(0, 1));
    expect(await c.read.stage()).to.equal(Stage.TrainingReveal);
    const completed = await reveal(env, c, true, training.slice(1));
    const t = completed.blockNumber;
    expect(await c.read.trainingCompletedBlock()).to.equal(t);
    expect(await c.read.stage()).to.equal(Stage.Submission);
    const d = await deadlinesOf(c);
    expect(d.submissionEnd).to.equal(t + 20n);
    expect(d.modelRevealEnd).to.equal(t + 40n);
    expect(d.testRevealEnd).to.equal(t + 60n);
    expect(d.evaluationEnd).to.equal(t + 100n);

    await mineTo(env, d.submissionEnd - 1n);
    expect(await c.read.stage()).to.equal(Stage.Submission);
    await mineTo(env, d.submissionEnd);
    expect(await c.read.stage()).to.equal(Stage.ModelReveal);
    await mineTo(env, d.modelRevealEnd - 1n);
    expect(await c.read.stage()).to.equal(Stage.ModelReveal);
    await mineTo(env, d.modelRevealEnd);
    expect(await c.read.stage()).to.equal(Stage.TestReveal);
    // Full test reveal ends TestReveal at once.
    await reveal(env, c, false, test);
    expect(await c.read.testCompleted()).to.equal(true);
    expect(await c.read.stage()).to.equal(Stage.Evaluation);
    await mineTo(env, d.evaluationEnd - 1n);
    expect(await c.read.stage()).to.equal(Stage.Evaluation);
    await mineTo(env, d.evaluationEnd);
    expect(await c.read.stage()).to.equal(Stage.AwaitingFinalization);
    await receipt(env, c.write.finalize());
    expect(await c.read.stage()).to.equal(Stage.Finalized);
  });

  it("enters Evaluation at testRevealEnd when the test data is not (fully) revealed", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createCompetition(env, { groupCount: 6 });
    const c = created.organizer;
    const split = await toSubmission(env, created);
    const d = await deadlinesOf(c);
    await mineUntilNextTxIn(env, d.modelRevealEnd);
    await reveal(env, c, false, [created.groups[split.test[0] as number] as DataGroup]);
    await mineTo(env, d.testRevealEnd - 1n);
    expect(await c.read.stage()).to.equal(Stage.TestReveal);
    await mineTo(env, d.testRevealEnd);
    expect(await c.read.stage()).to.equal(Stage.Evaluation);
    expect(await c.read.usesTestData()).to.equal(false);
    // Without the complete test data there is nothing to evaluate on.
    expect(await c.read.summary()).to.deep.include({ usesTestData: false, testWithheld: false });
  });

  it("expires when init2 does not happen within the window", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createCompetition(env, { config: { splitDelay: 4 } });
    // The window counts from the seed block init1 + splitDelay.
    await mineTo(env, created.init1Block + 4n + 10n);
    expect(await created.organizer.read.stage()).to.equal(Stage.AwaitingSplit);
    expect((await deadlinesOf(created.organizer)).init2Deadline).to.equal(created.init1Block + 14n);
    await mineTo(env, created.init1Block + 15n);
    expect(await created.organizer.read.stage()).to.equal(Stage.SetupExpired);
    await expectRevert(created.organizer.write.selectTrainingGroups(), "WrongStage", [Stage.SetupExpired, Stage.AwaitingSplit]);
  });

  it("expires when the training data is not complete by the training-reveal deadline", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createCompetition(env, { groupCount: 4 });
    const split = await doSplit(env, created);
    const d = await deadlinesOf(created.organizer);
    await mineUntilNextTxIn(env, d.trainingRevealDeadline);
    // The last block of the period still accepts reveals…
    await reveal(env, created.organizer, true, [created.groups[split.training[0] as number] as DataGroup]);
    expect(await created.organizer.read.stage()).to.equal(Stage.TrainingReveal);
    // …the next one does not.
    await expectRevert(
      reveal(env, created.organizer, true, [created.groups[split.training[1] as number] as DataGroup]),
      "WrongStage",
      [Stage.SetupExpired, Stage.TrainingReveal],
    );
    expect(await created.organizer.read.stage()).to.equal(Stage.SetupExpired);
  });
});

describe("DankuCompetition full run", function () {
  async function runWithTwoSubmitters(env: Env) {
    const created = await createCompetition(env, { groupCount: 6, config: { minAccuracyBps: 6000 } });
    const c = created.organizer;
    const [, alice, bob, donor] = env.wallets as [WalletClient, WalletClient, WalletClient, WalletClient];
    await receipt(env, donor.sendTransaction({ to: created.address, value: 7n }));
    const split = await doSplit(env, created);
    const training = split.training.map((g) => created.groups[g] as DataGroup);
    const test = split.test.map((g) => created.groups[g] as DataGroup);
    const trainingReceipt = await reveal(env, c, true, training);
    const good = prepareModel(PERFECT_MODEL, salt(11));
    const bad = prepareModel(WRONG_MODEL, salt(12));
    const badId = await commit(env, created, bob, bad);
    const goodId = await commit(env, created, alice, good);
    await receipt(env, donor.sendTransaction({ to: created.address, value: 5n }));
    const d = await deadlinesOf(c);
    await mineUntilNextTxIn(env, d.submissionEnd);
    const revealReceipt = await revealModel(env, created, alice, goodId, good);
    await revealModel(env, created, bob, badId, bad);
    await mineUntilNextTxIn(env, d.modelRevealEnd);
    const testReceipt = await reveal(env, c, false, test);
    return { created, c, alice, bob, donor, split, training, test, trainingReceipt, testReceipt, revealReceipt, goodId, badId, good, d };
  }

  it("emits the documented events and exposes the revealed data", async function () {
    const env = await loadFixture(deployEnv);
    const run = await runWithTwoSubmitters(env);
    const { c, created, training, test, split } = run;
    const trainingEvents = parseEventLogs({ abi: dankuCompetitionAbi, logs: run.trainingReceipt.logs });
    const trainingPoints = training.flatMap((g) => g.points);
    expect(trainingEvents.map((e) => e.eventName)).to.deep.equal(["DataChunkStored", "GroupsRevealed", "TrainingDataComplete"]);
    const groupsRevealed = trainingEvents.find((e) => e.eventName === "GroupsRevealed");
    expect(groupsRevealed?.args).to.deep.equal({ training: true, groupIndices: split.training.map(BigInt), pointCount: BigInt(trainingPoints.length) });
    expect(trainingEvents.find((e) => e.eventName === "TrainingDataComplete")?.args).to.deep.equal({
      blockNumber: run.trainingReceipt.blockNumber,
      pointCount: BigInt(trainingPoints.length),
    });
    const testEvents = parseEventLogs({ abi: dankuCompetitionAbi, logs: run.testReceipt.logs });
    expect(testEvents.map((e) => e.eventName)).to.deep.equal(["DataChunkStored", "GroupsRevealed", "TestDataComplete"]);
    const [modelRevealed] = parseEventLogs({ abi: dankuCompetitionAbi, logs: run.revealReceipt.logs, eventName: "ModelRevealed" });
    expect(modelRevealed?.args).to.deep.equal({
      submissionId: run.goodId,
      submitter: getAddress(run.alice.account.address),
      modelHash: run.good.hash,
    });

    // Revealed data read back from the data contracts equals the revealed groups, in reveal order.
    for (const [training_, groups] of [
      [true, training],
      [false, test],
    ] as const) {
      const points = groups.flatMap((g) => g.points);
      expect(await c.read.pointCount([training_])).to.equal(BigInt(points.length));
      expect(await c.read.dataChunkCount([training_])).to.equal(1n);
      const [pointer, count] = await c.read.dataChunkAt([training_, 0n]);
      expect(count).to.equal(BigInt(points.length));
      const code = await env.publicClient.getCode({ address: pointer });
      expect(code?.slice(0, 4)).to.equal("0x00");
      const bytes = Buffer.from((code as Hex).slice(4), "hex");
      expect(decodePoints(bytes, created.config.featureCount).map((p) => [...Array.from(p.features), p.label])).to.deep.equal(
        points.map((p) => [...Array.from(p.features), p.label]),
      );
    }
    await expectRevert(c.read.dataChunkAt([true, 1n]), "ChunkOutOfRange", [1n, 1n]);
    for (const g of created.groups) expect(await c.read.isGroupRevealed([BigInt(g.index)])).to.equal(true);
    for (const g of created.groups) expect(await c.read.isTrainingGroup([BigInt(g.index)])).to.equal(split.isTraining[g.index]);
    expect(await c.read.totalDonations()).to.equal(12n);
    expect(await c.read.donationOf([run.donor.account.address])).to.equal(12n);
    expect(await c.read.submissionCount()).to.equal(2n);
    const submission = await c.read.submissionAt([run.goodId]);
    expect(submission.submitter).to.equal(getAddress(run.alice.account.address));
    expect(submission.modelHash).to.equal(modelHash(Buffer.from(run.good.bytes.slice(2), "hex")));
    expect(submission.revealed).to.equal(true);
    expect(submission.evaluated).to.equal(false);
    expect(await c.read.modelChunks([run.goodId])).to.have.length(1);
  });

  it("evaluates on the test data, picks the best qualified model and pays the winner reward + donations", async function () {
    const env = await loadFixture(deployEnv);
    const run = await runWithTwoSubmitters(env);
    const { c, test } = run;
    const testPoints = test.flatMap((g) => g.points);
    expect(await c.read.stage()).to.equal(Stage.Evaluation);
    expect(await c.read.usesTestData()).to.equal(true);
    const expectedGood = evaluateAccuracy(PERFECT_MODEL, testPoints);
    const expectedBad = evaluateAccuracy(WRONG_MODEL, testPoints);
    expect(expectedGood.correct).to.equal(testPoints.length);

    // Evaluate the good model in two calls, the bad one in one.
    const first = await receipt(env, c.write.evaluate([run.goodId, 3n]));
    const [progress] = parseEventLogs({ abi: dankuCompetitionAbi, logs: first.logs, eventName: "EvaluationProgressed" });
    expect(progress?.args.cursor).to.equal(3n);
    expect((await c.read.submissionAt([run.goodId])).cursor).to.equal(3);
    const second = await receipt(env, c.write.evaluate([run.goodId, 1000n]));
    const [done] = parseEventLogs({ abi: dankuCompetitionAbi, logs: second.logs, eventName: "SubmissionEvaluated" });
    expect(done?.args).to.deep.equal({
      submissionId: run.goodId,
      correct: BigInt(expectedGood.correct),
      total: BigInt(testPoints.length),
      qualified: true,
      newBest: true,
    });
    const badReceipt = await receipt(env, c.write.evaluate([run.badId, 1000n]));
    const [badDone] = parseEventLogs({ abi: dankuCompetitionAbi, logs: badReceipt.logs, eventName: "SubmissionEvaluated" });
    expect(badDone?.args.correct).to.equal(BigInt(expectedBad.correct));
    expect(badDone?.args.qualified).to.equal(expectedBad.correct * 10_000 >= 6000 * testPoints.length);
    expect(badDone?.args.newBest).to.equal(false);
    expect(await c.read.best()).to.deep.equal([true, run.goodId, BigInt(expectedGood.correct)]);

    await mineUntilNextTxIn(env, run.d.evaluationEnd);
    const finalized = await receipt(env, c.write.finalize());
    const [event] = parseEventLogs({ abi: dankuCompetitionAbi, logs: finalized.logs, eventName: "Finalized" });
    expect(event?.args).to.deep.equal({
      hasWinner: true,
      winningSubmissionId: run.goodId,
      winner: getAddress(run.alice.account.address),
      payout: REWARD + 12n,
    });
    expect(await c.read.winner()).to.equal(getAddress(run.alice.account.address));
    expect(await c.read.withdrawable([run.alice.account.address])).to.equal(REWARD + 12n);
    expect(await c.read.withdrawable([run.donor.account.address])).to.equal(0n);
    expect(await c.read.withdrawable([(env.wallets[0] as WalletClient).account.address])).to.equal(0n);

    const before = await env.publicClient.getBalance({ address: run.alice.account.address });
    const paid = await receipt(env, run.created.as(run.alice).write.withdraw());
    const after = await env.publicClient.getBalance({ address: run.alice.account.address });
    expect(after - before + paid.gasUsed * paid.effectiveGasPrice).to.equal(REWARD + 12n);
    const [withdrawn] = parseEventLogs({ abi: dankuCompetitionAbi, logs: paid.logs, eventName: "Withdrawn" });
    expect(withdrawn?.args).to.deep.equal({
      account: getAddress(run.alice.account.address),
      recipient: getAddress(run.alice.account.address),
      amount: REWARD + 12n,
    });
    expect(await env.publicClient.getBalance({ address: run.created.address })).to.equal(0n);
    expect(await c.read.withdrawable([run.alice.account.address])).to.equal(0n);
    await expectRevert(run.created.as(run.alice).write.withdraw(), "NothingToWithdraw", [getAddress(run.alice.account.address)]);
    await expectRevert(run.donor.sendTransaction({ to: run.created.address, value: 1n }), "DonationsClosed", [Stage.Finalized]);
  });

  it("refunds organizer and donors when no submission qualifies", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createCompetition(env, { groupCount: 4, config: { minAccuracyBps: 10_000 } });
    const c = created.organizer;
    const [organizer, alice, , donor] = env.wallets as [WalletClient, WalletClient, WalletClient, WalletClient];
    await receipt(env, donor.sendTransaction({ to: created.address, value: 1000n }));
    await receipt(env, organizer.sendTransaction({ to: created.address, value: 30n }));
    const split = await toSubmission(env, created);
    const bad = prepareModel(WRONG_MODEL, salt(3));
    const id = await commit(env, created, alice, bad);
    const d = await deadlinesOf(c);
    await mineUntilNextTxIn(env, d.submissionEnd);
    await revealModel(env, created, alice, id, bad);
    await mineUntilNextTxIn(env, d.modelRevealEnd);
    await reveal(env, c, false, split.test.map((g) => created.groups[g] as DataGroup));
    await receipt(env, c.write.evaluate([id, 1000n]));
    const s = await c.read.submissionAt([id]);
    expect(s.evaluated).to.equal(true);
    expect(await c.read.best()).to.deep.equal([false, 0n, 0n]);
    await mineUntilNextTxIn(env, d.evaluationEnd);
    const r = await receipt(env, created.as(alice).write.finalize());
    const [event] = parseEventLogs({ abi: dankuCompetitionAbi, logs: r.logs, eventName: "Finalized" });
    expect(event?.args).to.deep.equal({ hasWinner: false, winningSubmissionId: 0n, winner: "0x0000000000000000000000000000000000000000", payout: 0n });
    expect(await c.read.withdrawable([organizer.account.address])).to.equal(REWARD + 30n);
    expect(await c.read.withdrawable([donor.account.address])).to.equal(1000n);
    expect(await c.read.withdrawable([alice.account.address])).to.equal(0n);
    await receipt(env, created.as(donor).write.withdraw());
    await receipt(env, c.write.withdrawTo([alice.account.address]));
    expect(await env.publicClient.getBalance({ address: created.address })).to.equal(0n);
    expect(await blockNumber(env) > d.evaluationEnd).to.equal(true);
    expect(await c.read.testWithheld()).to.equal(false);
  });
});

describe("DankuCompetition withheld test data (docs/protocol.md §7.1)", function () {
  /**
   * Alice reveals two submissions (and donated 5 wei), Bob one, Carol commits but never reveals; a donor gave 7 wei,
   * the organizer 30; the test data is withheld.
   */
  async function withheldRun(env: Env, partial: boolean) {
    const created = await createCompetition(env, { groupCount: 6, config: { minAccuracyBps: 0 }, seed: partial ? 5 : 4 });
    const c = created.organizer;
    const [organizer, alice, bob, carol, donor] = env.wallets as [WalletClient, WalletClient, WalletClient, WalletClient, WalletClient];
    await receipt(env, donor.sendTransaction({ to: created.address, value: 7n }));
    await receipt(env, organizer.sendTransaction({ to: created.address, value: 30n }));
    const split = await toSubmission(env, created);
    await receipt(env, alice.sendTransaction({ to: created.address, value: 5n }));
    const models = [
      { wallet: bob, prepared: prepareModel(WRONG_MODEL, salt(21)) },
      { wallet: alice, prepared: prepareModel(PERFECT_MODEL, salt(22)) },
      { wallet: alice, prepared: prepareModel(WRONG_MODEL, salt(23)) },
      { wallet: carol, prepared: prepareModel(PERFECT_MODEL, salt(24)) },
    ];
    const ids: bigint[] = [];
    for (const m of models) ids.push(await commit(env, created, m.wallet, m.prepared));
    const d = await deadlinesOf(c);
    await mineUntilNextTxIn(env, d.submissionEnd);
    // Bob reveals first, then Alice twice; Carol never.
    for (const i of [0, 1, 2]) await revealModel(env, created, (models[i] as (typeof models)[number]).wallet, ids[i] as bigint, (models[i] as (typeof models)[number]).prepared);
    await mineUntilNextTxIn(env, d.modelRevealEnd);
    if (partial) await reveal(env, c, false, split.test.slice(0, -1).map((g) => created.groups[g] as DataGroup));
    await mineUntilNextTxIn(env, d.evaluationEnd);
    return { created, c, organizer, alice, bob, carol, donor, ids };
  }

  for (const partial of [false, true]) {
    it(`shares the reward equally per revealed submission and refunds every donor when the test data is ${partial ? "partly" : "not"} revealed`, async function () {
      const env = await loadFixture(deployEnv);
      const { created, c, organizer, alice, bob, carol, donor, ids } = await withheldRun(env, partial);
      expect(await c.read.testCompleted()).to.equal(false);
      const pool = REWARD; // the donations (7 + 30 + 5 wei) are refunded, not shared
      const share = pool / 3n;
      const remainder = pool % 3n;
      expect(remainder).to.not.equal(0n);
      const r = await receipt(env, created.as(carol).write.finalize());
      const events = parseEventLogs({ abi: dankuCompetitionAbi, logs: r.logs });
      expect(events.map((e) => e.eventName)).to.deep.equal(["TestWithheldPayout", "Finalized"]);
      expect(events[0]?.args).to.deep.equal({ revealedSubmissions: 3n, share, pool });
      expect(events[1]?.args).to.deep.equal({ hasWinner: false, winningSubmissionId: 0n, winner: zeroAddress, payout: 0n });
      expect(await c.read.testWithheld()).to.equal(true);
      expect(await c.read.summary()).to.deep.include({ testWithheld: true, rewardForfeited: false, usesTestData: false });
      expect(await c.read.stage()).to.equal(Stage.Finalized);
      // Bob revealed first: one share and the remainder. Alice: two shares plus her 5-wei donation. The donor and the
      // organizer get their donations back (the organizer not its reward); Carol (unrevealed, no donation): nothing.
      expect(await c.read.withdrawable([bob.account.address])).to.equal(share + remainder);
      expect(await c.read.withdrawable([alice.account.address])).to.equal(2n * share + 5n);
      expect(await c.read.withdrawable([donor.account.address])).to.equal(7n);
      expect(await c.read.withdrawable([organizer.account.address])).to.equal(30n);
      expect(await c.read.withdrawable([carol.account.address])).to.equal(0n);
      await expectRevert(created.as(carol).write.withdraw(), "NothingToWithdraw", [getAddress(carol.account.address)]);
      const organizerBefore = await env.publicClient.getBalance({ address: created.address });
      await receipt(env, c.write.withdraw());
      expect(organizerBefore - (await env.publicClient.getBalance({ address: created.address }))).to.equal(30n);
      await expectRevert(c.write.withdraw(), "NothingToWithdraw", [getAddress(organizer.account.address)]);
      await receipt(env, created.as(donor).write.withdraw());
      expect(await c.read.withdrawable([donor.account.address])).to.equal(0n);
      await expectRevert(created.as(donor).write.withdraw(), "NothingToWithdraw", [getAddress(donor.account.address)]);
      // No evaluation can happen any more.
      await expectRevert(c.write.evaluate([ids[1] as bigint, 10n]), "WrongStage", [Stage.Finalized, Stage.Evaluation]);
      const before = await env.publicClient.getBalance({ address: carol.account.address });
      // One withdrawal pays Alice's shares and her donation refund together.
      await receipt(env, created.as(alice).write.withdrawTo([carol.account.address]));
      expect((await env.publicClient.getBalance({ address: carol.account.address })) - before).to.equal(2n * share + 5n);
      expect(await c.read.withdrawable([alice.account.address])).to.equal(0n);
      await expectRevert(created.as(alice).write.withdraw(), "NothingToWithdraw", [getAddress(alice.account.address)]);
      await receipt(env, created.as(bob).write.withdraw());
      expect(await c.read.withdrawable([bob.account.address])).to.equal(0n);
      // Everything was paid out, to the last wei.
      expect(await env.publicClient.getBalance({ address: created.address })).to.equal(0n);
    });
  }

  it("falls back to refunds when the test data is withheld and no submission was revealed", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createCompetition(env, { groupCount: 4 });
    const c = created.organizer;
    const [organizer, alice, , donor] = env.wallets as [WalletClient, WalletClient, WalletClient, WalletClient];
    await receipt(env, donor.sendTransaction({ to: created.address, value: 9n }));
    await toSubmission(env, created);
    await commit(env, created, alice, prepareModel(PERFECT_MODEL, salt(31)));
    await mineUntilNextTxIn(env, (await deadlinesOf(c)).evaluationEnd);
    const r = await receipt(env, c.write.finalize());
    const events = parseEventLogs({ abi: dankuCompetitionAbi, logs: r.logs });
    expect(events.map((e) => e.eventName)).to.deep.equal(["Finalized"]);
    expect(await c.read.testWithheld()).to.equal(false);
    expect(await c.read.withdrawable([organizer.account.address])).to.equal(REWARD);
    expect(await c.read.withdrawable([donor.account.address])).to.equal(9n);
    expect(await c.read.withdrawable([alice.account.address])).to.equal(0n);
  });
});

describe("DankuCompetition cancel and the split's seed block (docs/protocol.md §3)", function () {
  it("is free before the seed block: the organizer gets the reward back", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createCompetition(env, { config: { splitDelay: 3 } });
    const c = created.organizer;
    const organizer = env.wallets[0] as WalletClient;
    const donor = env.wallets[4] as WalletClient;
    await receipt(env, donor.sendTransaction({ to: created.address, value: 5n }));
    await mineUntilNextTxIn(env, seedBlockOf(created) - 1n);
    const r = await receipt(env, c.write.cancel());
    expect(r.blockNumber).to.equal(seedBlockOf(created) - 1n);
    expect(parseEventLogs({ abi: dankuCompetitionAbi, logs: r.logs }).map((e) => e.eventName)).to.deep.equal(["Cancelled"]);
    expect(await c.read.rewardForfeited()).to.equal(false);
    expect(await c.read.withdrawable([organizer.account.address])).to.equal(REWARD);
    expect(await c.read.withdrawable([donor.account.address])).to.equal(5n);
  });

  for (const when of ["at the seed block", "after the split", "after setup expired"] as const) {
    it(`forfeits the reward ${when}: it stays locked for ever, donors are refunded`, async function () {
      const env = await loadFixture(deployEnv);
      const created = await createCompetition(env, { groupCount: 4, config: { splitDelay: 3 } });
      const c = created.organizer;
      const [organizer, , , , donor, stranger] = env.wallets as [WalletClient, WalletClient, WalletClient, WalletClient, WalletClient, WalletClient];
      await receipt(env, donor.sendTransaction({ to: created.address, value: 5n }));
      await receipt(env, organizer.sendTransaction({ to: created.address, value: 11n }));
      let canceller = c;
      if (when === "at the seed block") {
        await mineUntilNextTxIn(env, seedBlockOf(created));
      } else if (when === "after the split") {
        const split = await doSplit(env, created);
        // Even with part of the training data revealed.
        await reveal(env, c, true, [created.groups[split.training[0] as number] as DataGroup]);
      } else {
        await mineUntilNextTxIn(env, (await deadlinesOf(c)).init2Deadline + 1n);
        canceller = created.as(stranger);
      }
      const r = await receipt(env, canceller.write.cancel());
      const events = parseEventLogs({ abi: dankuCompetitionAbi, logs: r.logs });
      expect(events.map((e) => e.eventName)).to.deep.equal(["Cancelled", "RewardForfeited"]);
      expect(events[1]?.args).to.deep.equal({ amount: REWARD });
      expect(await c.read.rewardForfeited()).to.equal(true);
      expect(await c.read.summary()).to.deep.include({ rewardForfeited: true, stage: Stage.Cancelled });
      // The organizer's own donation comes back, the reward does not.
      expect(await c.read.withdrawable([organizer.account.address])).to.equal(11n);
      expect(await c.read.withdrawable([donor.account.address])).to.equal(5n);
      await receipt(env, c.write.withdraw());
      await receipt(env, created.as(donor).write.withdraw());
      expect(await c.read.withdrawable([organizer.account.address])).to.equal(0n);
      await expectRevert(c.write.withdraw(), "NothingToWithdraw", [getAddress(organizer.account.address)]);
      expect(await env.publicClient.getBalance({ address: created.address })).to.equal(REWARD);
    });
  }
});

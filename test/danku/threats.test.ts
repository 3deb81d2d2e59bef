/**
 * The threat model of the DanKu paper (§4) and the defects of the original DanKu contract, one test each:
 * every test would fail against a contract that has the weakness.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { decodeErrorResult, encodeFunctionData, getAddress, parseEventLogs, type Address, type Hex } from "viem";
import { dankuCompetitionAbi } from "../../lib/generated/abis";
import { decodePoints, encodeModel, groupHash, modelHash, submissionCommitment } from "../../lib/danku/encoding";
import { evaluateAccuracy } from "../../lib/danku/forward";
import { splitSeed } from "../../lib/danku/split";
import type { DataGroup } from "../../lib/danku/groups";
import {
  ActorMode,
  PERFECT_MODEL,
  REWARD,
  Stage,
  WRONG_MODEL,
  bytesHex,
  commit,
  createCompetition,
  deadlinesOf,
  deployEnv,
  deployTestContract,
  doSplit,
  expectRevert,
  expectedSplit,
  makePoints,
  mineTo,
  mineUntilNextTxIn,
  prepareModel,
  seedBlockOf,
  receipt,
  reveal,
  revealModel,
  salt,
  testActorAbi,
  toSubmission,
  type Created,
  type Env,
  type Prepared,
  type WalletClient,
} from "./fixtures";

/** Reaches Evaluation with `models` committed by `submitters` (in order) and revealed; test data revealed iff `revealTest`. */
async function toEvaluation(env: Env, created: Created, entries: { wallet: WalletClient; prepared: Prepared }[], revealTest: boolean) {
  const split = await toSubmission(env, created);
  const ids: bigint[] = [];
  for (const { wallet, prepared } of entries) ids.push(await commit(env, created, wallet, prepared));
  const d = await deadlinesOf(created.organizer);
  await mineUntilNextTxIn(env, d.submissionEnd);
  for (const [i, { wallet, prepared }] of entries.entries()) await revealModel(env, created, wallet, ids[i] as bigint, prepared);
  if (revealTest) {
    await mineUntilNextTxIn(env, d.modelRevealEnd);
    await reveal(env, created.organizer, false, split.test.map((g) => created.groups[g] as DataGroup));
  } else {
    await mineTo(env, d.testRevealEnd);
  }
  return { split, ids, d };
}

/** Calls the competition from a TestActor contract account. */
function viaActor(actor: { write: { forward: (args: readonly [Address, Hex], options?: { value?: bigint }) => Promise<Hex> } }, competition: Address) {
  return {
    call: (data: Hex, value?: bigint) => actor.write.forward([competition, data], value === undefined ? undefined : { value }),
  };
}

describe("DanKu threat model (paper §4)", function () {
  it("§4.1 overfitting: the test data stays secret until model reveal is over, and no model can be revealed after", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createCompetition(env, { groupCount: 4 });
    const alice = env.wallets[1] as WalletClient;
    const split = await toSubmission(env, created);
    const test = split.test.map((g) => created.groups[g] as DataGroup);
    const late = prepareModel(PERFECT_MODEL, salt(1));
    const id = await commit(env, created, alice, late);
    // During submission and model reveal, nobody (not even the organizer) can put test data on chain.
    await expectRevert(reveal(env, created.organizer, false, test), "WrongStage", [Stage.Submission, Stage.TestReveal]);
    await mineUntilNextTxIn(env, (await deadlinesOf(created.organizer)).submissionEnd);
    await expectRevert(reveal(env, created.organizer, false, test), "WrongStage", [Stage.ModelReveal, Stage.TestReveal]);
    expect(await created.organizer.read.pointCount([false])).to.equal(0n);
    expect(await created.organizer.read.dataChunkCount([false])).to.equal(0n);
    // Once test data may appear, a model that was held back can no longer be revealed.
    await mineUntilNextTxIn(env, (await deadlinesOf(created.organizer)).modelRevealEnd);
    await reveal(env, created.organizer, false, test);
    await expectRevert(revealModel(env, created, alice, id, late), "WrongStage", [Stage.Evaluation, Stage.ModelReveal]);
  });

  it("§4.2 test-set manipulation: the split is fixed by the seed block's hash; waiting or the caller changes nothing", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createCompetition(env, { groupCount: 12, config: { splitDelay: 3 } });
    // Split as early as allowed (the block after the seed block), by the organizer.
    await mineUntilNextTxIn(env, seedBlockOf(created) + 1n);
    const snapshot = await env.testClient.snapshot();
    const readSplit = async () => Promise.all(created.groups.map((g) => created.organizer.read.isTrainingGroup([BigInt(g.index)])));
    const early = await receipt(env, created.organizer.write.selectTrainingGroups());
    const earlySplit = await readSplit();
    const [earlyEvent] = parseEventLogs({ abi: dankuCompetitionAbi, logs: early.logs, eventName: "TrainingGroupsSelected" });
    await env.testClient.revert({ id: snapshot });
    // Split as late as possible (the window counts from the seed block), by someone else.
    await mineUntilNextTxIn(env, seedBlockOf(created) + BigInt(created.config.init2Window));
    const late = await receipt(env, created.as(env.wallets[7] as WalletClient).write.selectTrainingGroups());
    const lateSplit = await readSplit();
    const [lateEvent] = parseEventLogs({ abi: dankuCompetitionAbi, logs: late.logs, eventName: "TrainingGroupsSelected" });
    expect(late.blockNumber).to.not.equal(early.blockNumber);
    expect(lateSplit).to.deep.equal(earlySplit);
    expect(lateEvent?.args.seed).to.equal(earlyEvent?.args.seed);
    // …and both equal the library's replay from blockhash(init1Block + splitDelay).
    const lib = await expectedSplit(env, created);
    expect(lateSplit).to.deep.equal(lib.isTraining);
    expect(lateEvent?.args).to.deep.equal({ seed: lib.seed, trainingGroupCount: 6n });
  });

  it("§4.3 organizer withholds the test data: nothing is evaluated, the revealed submissions share the reward and the donors are refunded", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createCompetition(env, { groupCount: 6, points: makePoints(60, 2, 2, 9) });
    const alice = env.wallets[1] as WalletClient;
    const donor = env.wallets[4] as WalletClient;
    await receipt(env, donor.sendTransaction({ to: created.address, value: 3n }));
    const { ids, d } = await toEvaluation(env, created, [{ wallet: alice, prepared: prepareModel(WRONG_MODEL, salt(1)) }], false);
    const c = created.organizer;
    expect(await c.read.stage()).to.equal(Stage.Evaluation);
    expect(await c.read.usesTestData()).to.equal(false);
    // There is no training-data fallback: a model is never scored on data the organizer chose to stop at.
    await expectRevert(c.write.evaluate([ids[0] as bigint, 1000n]), "TestDataWithheld", []);
    expect((await c.read.submissionAt([ids[0] as bigint])).cursor).to.equal(0);
    await mineUntilNextTxIn(env, d.evaluationEnd);
    await receipt(env, c.write.finalize());
    expect(await c.read.testWithheld()).to.equal(true);
    expect(await c.read.withdrawable([alice.account.address])).to.equal(REWARD);
    expect(await c.read.withdrawable([(env.wallets[0] as WalletClient).account.address])).to.equal(0n);
    expect(await c.read.withdrawable([donor.account.address])).to.equal(3n);
    await receipt(env, created.as(alice).write.withdraw());
    await receipt(env, created.as(donor).write.withdraw());
    expect(await env.publicClient.getBalance({ address: created.address })).to.equal(0n);
  });

  it("§4.4 too many submissions: each is evaluated on its own cursor and unevaluated ones do not block finalization", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createCompetition(env, { groupCount: 4, config: { submissionPeriod: 200 } });
    const [, alice, bob] = env.wallets as [WalletClient, WalletClient, WalletClient];
    const split = await toSubmission(env, created);
    const good = prepareModel(PERFECT_MODEL, salt(1));
    const goodId = await commit(env, created, alice, good);
    // A flood of commitments that are never revealed or evaluated.
    for (let i = 0; i < 60; i++) await receipt(env, created.as(bob).write.commitModel([salt(1000 + i)]));
    const d = await deadlinesOf(created.organizer);
    await mineUntilNextTxIn(env, d.submissionEnd);
    await revealModel(env, created, alice, goodId, good);
    await mineUntilNextTxIn(env, d.modelRevealEnd);
    await reveal(env, created.organizer, false, split.test.map((g) => created.groups[g] as DataGroup));
    // Evaluation of one submission is independent of the others, in as many calls as anyone likes.
    for (let i = 0; i < 3; i++) await receipt(env, created.organizer.write.evaluate([goodId, 2n]));
    expect((await created.organizer.read.submissionAt([goodId])).cursor).to.equal(6);
    await receipt(env, created.organizer.write.evaluate([goodId, 1000n]));
    await mineUntilNextTxIn(env, d.evaluationEnd);
    const finalized = await receipt(env, created.organizer.write.finalize());
    expect(Number(finalized.gasUsed)).to.be.lessThan(100_000);
    expect(await created.organizer.read.winner()).to.equal(getAddress(alice.account.address));
    expect(await created.organizer.read.submissionCount()).to.equal(61n);
  });

  it("§4.5 rainbow tables: identical data hashes differently under different nonces, and only its own nonce opens it", async function () {
    const env = await loadFixture(deployEnv);
    const bytes = Uint8Array.from([1, 2, 0, 200, 100, 1]);
    const groups: DataGroup[] = Array.from({ length: 4 }, (_, index) => {
      const nonce = salt(0xabc0 + index);
      return { index, points: decodePoints(bytes, 2), nonce, bytes, hash: groupHash(bytes, nonce) };
    });
    expect(new Set(groups.map((g) => g.hash)).size).to.equal(4);
    const created = await createCompetition(env, { groups });
    const split = await doSplit(env, created);
    const [a, b] = split.training.map((g) => groups[g] as DataGroup) as [DataGroup, DataGroup];
    // Same bytes, the other group's nonce: rejected.
    await expectRevert(
      created.organizer.write.revealTrainingGroups([[BigInt(a.index)], [bytesHex(bytes)], [b.nonce]]),
      "GroupHashMismatch",
      [BigInt(a.index)],
    );
    await reveal(env, created.organizer, true, [a, b]);
  });

  it("§4.6 block-hash manipulation: the seed is blockhash(init1Block + splitDelay), init2 is impossible outside its window", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createCompetition(env, { groupCount: 6, config: { init2Window: 3 } });
    // Outside the window (after it) — and up to the seed block, see the SplitTooEarly test — init2 reverts.
    await mineTo(env, seedBlockOf(created) + 3n);
    expect(await created.organizer.read.stage()).to.equal(Stage.AwaitingSplit);
    await expectRevert(created.organizer.write.selectTrainingGroups(), "WrongStage", [Stage.SetupExpired, Stage.AwaitingSplit]);
    // The seed of another competition, split inside its window, is computed from its own seed block's hash — not
    // from the init1 block (whose hash the organizer sees before it could still back out), nor the block before the call.
    const other = await createCompetition(env, { groupCount: 6, seed: 5, config: { splitDelay: 4 } });
    await mineUntilNextTxIn(env, other.init1Block + 9n);
    const r = await receipt(env, other.organizer.write.selectTrainingGroups());
    const [event] = parseEventLogs({ abi: dankuCompetitionAbi, logs: r.logs, eventName: "TrainingGroupsSelected" });
    const seedBlock = await env.publicClient.getBlock({ blockNumber: seedBlockOf(other) });
    const init1 = await env.publicClient.getBlock({ blockNumber: other.init1Block });
    const callBlock = await env.publicClient.getBlock({ blockNumber: r.blockNumber - 1n });
    const groupHashes = other.groups.map((g) => g.hash);
    expect(event?.args.seed).to.equal(splitSeed({ blockHash: seedBlock.hash, competition: other.address, groupHashes }));
    expect(event?.args.seed).to.not.equal(splitSeed({ blockHash: init1.hash, competition: other.address, groupHashes }));
    expect(event?.args.seed).to.not.equal(splitSeed({ blockHash: callBlock.hash, competition: other.address, groupHashes }));
    expect(event?.args.seed).to.not.equal(
      splitSeed({ blockHash: `0x${"00".repeat(32)}`, competition: other.address, groupHashes }),
    );
  });

  it("§4.7 reward abuse by resubmission: an identical model committed later never wins, whatever the evaluation order", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createCompetition(env, { groupCount: 4 });
    const [, alice, bob] = env.wallets as [WalletClient, WalletClient, WalletClient];
    const { ids } = await toEvaluation(
      env,
      created,
      [
        { wallet: alice, prepared: prepareModel(PERFECT_MODEL, salt(1)) },
        { wallet: bob, prepared: prepareModel(PERFECT_MODEL, salt(2)) },
      ],
      true,
    );
    const [first, copy] = ids as [bigint, bigint];
    // Evaluate the later copy first: it is best only until the original is evaluated.
    await receipt(env, created.organizer.write.evaluate([copy, 1000n]));
    const copyScore = (await created.organizer.read.submissionAt([copy])).correct;
    expect(await created.organizer.read.best()).to.deep.equal([true, copy, BigInt(copyScore)]);
    const r = await receipt(env, created.organizer.write.evaluate([first, 1000n]));
    const [event] = parseEventLogs({ abi: dankuCompetitionAbi, logs: r.logs, eventName: "SubmissionEvaluated" });
    expect(event?.args.newBest).to.equal(true);
    expect((await created.organizer.read.best())[1]).to.equal(first);
    await mineUntilNextTxIn(env, (await deadlinesOf(created.organizer)).evaluationEnd);
    await receipt(env, created.organizer.write.finalize());
    expect(await created.organizer.read.winner()).to.equal(getAddress(alice.account.address));
    expect(await created.organizer.read.withdrawable([bob.account.address])).to.equal(0n);
  });

  it("front-running: a copied commitment cannot be revealed by the copier, nor the original by anyone else", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createCompetition(env, { groupCount: 4 });
    const [, alice, mallory] = env.wallets as [WalletClient, WalletClient, WalletClient];
    await toSubmission(env, created);
    const model = prepareModel(PERFECT_MODEL, salt(1));
    const original = await commit(env, created, alice, model);
    // Mallory copies Alice's commitment from the mempool/chain.
    const aliceCommitment = (await created.organizer.read.submissionAt([original])).commitment;
    expect(aliceCommitment).to.equal(
      submissionCommitment({ competition: created.address, submitter: alice.account.address, modelHash: model.hash, salt: model.salt }),
    );
    const r = await receipt(env, created.as(mallory).write.commitModel([aliceCommitment]));
    const [copied] = parseEventLogs({ abi: dankuCompetitionAbi, logs: r.logs, eventName: "ModelCommitted" });
    const copyId = copied?.args.submissionId as bigint;
    await mineUntilNextTxIn(env, (await deadlinesOf(created.organizer)).submissionEnd);
    // Alice reveals (the model and salt are now public); Mallory replays them.
    await revealModel(env, created, alice, original, model);
    await expectRevert(revealModel(env, created, mallory, copyId, model), "CommitmentMismatch", [copyId]);
    await expectRevert(revealModel(env, created, mallory, original, model), "NotSubmitter", [
      getAddress(mallory.account.address),
      getAddress(alice.account.address),
    ]);
  });
});

describe("defects of the original DanKu contract", function () {
  it("nobody but the factory initializes, only the organizer can cancel before training is complete, and before the seed block it gets the reward back", async function () {
    const env = await loadFixture(deployEnv);
    const organizer = env.wallets[0] as WalletClient;
    const mallory = env.wallets[5] as WalletClient;
    // Each refused call below is mined: the organizer's cancel lands in init1 + 3, before the seed block init1 + 5.
    const created = await createCompetition(env, { config: { splitDelay: 5 } });
    await expectRevert(
      created.as(mallory).write.initialize([mallory.account.address, created.config, [salt(1), salt(2)], [1, 1], ""], { value: 1n }),
      "InvalidInitialization",
      [],
    );
    await expectRevert(created.as(mallory).write.cancel(), "NotOrganizer", [getAddress(mallory.account.address), getAddress(organizer.account.address)]);
    expect(await created.organizer.read.organizer()).to.equal(getAddress(organizer.account.address));
    const cancelled = await receipt(env, created.organizer.write.cancel());
    expect(cancelled.blockNumber < seedBlockOf(created)).to.equal(true);
    expect(parseEventLogs({ abi: dankuCompetitionAbi, logs: cancelled.logs, eventName: "RewardForfeited" })).to.have.length(0);
    expect(await created.organizer.read.withdrawable([mallory.account.address])).to.equal(0n);
    await expectRevert(created.as(mallory).write.withdraw(), "NothingToWithdraw", [getAddress(mallory.account.address)]);
    expect(await created.organizer.read.withdrawable([organizer.account.address])).to.equal(REWARD);
    await receipt(env, created.organizer.write.withdrawTo([mallory.account.address]));
    expect(await env.publicClient.getBalance({ address: created.address })).to.equal(0n);
  });

  it("points that were not hashed cannot be injected into a reveal", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createCompetition(env, { groupCount: 4 });
    const split = await doSplit(env, created);
    const g = created.groups[split.training[0] as number] as DataGroup;
    const index = BigInt(g.index);
    const c = created.organizer;
    const injected = Uint8Array.from([...g.bytes, 255, 255, 1]);
    const n = BigInt(g.points.length);
    // An extra point: refused by the committed size before the hash is even computed…
    await expectRevert(c.write.revealTrainingGroups([[index], [bytesHex(injected)], [g.nonce]]), "GroupSizeMismatch", [index, n + 1n, n]);
    // …and a swapped point of the same size by the hash.
    const swapped = Uint8Array.from([...g.bytes.slice(0, -3), 255, 255, 1]);
    await expectRevert(c.write.revealTrainingGroups([[index], [bytesHex(swapped)], [g.nonce]]), "GroupHashMismatch", [index]);
    await expectRevert(c.write.revealTrainingGroups([[index], [bytesHex(injected.slice(0, -1))], [g.nonce]]), "BadGroupLength", [
      index,
      BigInt(injected.length - 1),
      3n,
    ]);
    await expectRevert(c.write.revealTrainingGroups([[index], [bytesHex(g.bytes)], [salt(7)]]), "GroupHashMismatch", [index]);
    // A label ≥ classCount is refused even when the organizer committed it.
    const bad = Uint8Array.from([9, 9, 5]);
    const badGroups: DataGroup[] = Array.from({ length: 4 }, (_, i) => ({ index: i, points: decodePoints(bad, 2), nonce: salt(50 + i), bytes: bad, hash: groupHash(bad, salt(50 + i)) }));
    const other = await createCompetition(env, { groups: badGroups, seed: 8 });
    const otherSplit = await doSplit(env, other);
    const t = otherSplit.training[0] as number;
    await expectRevert(reveal(env, other.organizer, true, [badGroups[t] as DataGroup]), "LabelOutOfRange", [BigInt(t), 0n, 5n, 2n]);
    expect(await c.read.pointCount([true])).to.equal(0n);
  });

  it("a competition without submissions does not lock the funds: finalize opens refunds", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createCompetition(env, { groupCount: 4 });
    const donor = env.wallets[4] as WalletClient;
    await receipt(env, donor.sendTransaction({ to: created.address, value: 99n }));
    await toSubmission(env, created);
    await mineTo(env, (await deadlinesOf(created.organizer)).evaluationEnd);
    expect(await created.organizer.read.stage()).to.equal(Stage.AwaitingFinalization);
    await receipt(env, created.as(donor).write.finalize());
    await receipt(env, created.organizer.write.withdraw());
    await receipt(env, created.as(donor).write.withdraw());
    expect(await env.publicClient.getBalance({ address: created.address })).to.equal(0n);
  });

  it("a partial test reveal never switches evaluation to the test data (nor to the training data: there is no evaluation)", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createCompetition(env, { groupCount: 8, points: makePoints(80, 2, 2, 4) });
    const alice = env.wallets[1] as WalletClient;
    const split = await toSubmission(env, created);
    const prepared = prepareModel(WRONG_MODEL, salt(1));
    const id = await commit(env, created, alice, prepared);
    const d = await deadlinesOf(created.organizer);
    await mineUntilNextTxIn(env, d.submissionEnd);
    await revealModel(env, created, alice, id, prepared);
    await mineUntilNextTxIn(env, d.modelRevealEnd);
    const test = split.test.map((g) => created.groups[g] as DataGroup);
    await reveal(env, created.organizer, false, test.slice(0, test.length - 1));
    expect((await created.organizer.read.pointCount([false])) > 0n).to.equal(true);
    await mineUntilNextTxIn(env, d.testRevealEnd);
    // The last test group can no longer come in.
    await expectRevert(reveal(env, created.organizer, false, test.slice(-1)), "WrongStage", [Stage.Evaluation, Stage.TestReveal]);
    expect(await created.organizer.read.usesTestData()).to.equal(false);
    await expectRevert(created.organizer.write.evaluate([id, 1000n]), "TestDataWithheld", []);
    const s = await created.organizer.read.submissionAt([id]);
    expect([s.cursor, s.correct, s.evaluated]).to.deep.equal([0, 0, false]);
  });

  it("a short bias array or mismatched layer sizes are rejected at reveal and never reach evaluation", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createCompetition(env, { groupCount: 4 });
    const alice = env.wallets[1] as WalletClient;
    await toSubmission(env, created);
    const valid = encodeModel({
      widths: [2, 3, 2],
      layers: [
        { shift: 2, biases: [1, 2, 3], weights: [[1, 2], [3, 4], [5, 6]] },
        { shift: 0, biases: [0, 0], weights: [[1, 1, 1], [-1, -1, -1]] },
      ],
    });
    // Drop one output bias (4 bytes): "a short bias array".
    const shortBias = Uint8Array.from([...valid.slice(0, valid.length - 24 - 4), ...valid.slice(valid.length - 24)]);
    // Claim 3 hidden neurons in the header of the next layer but ship weights for 4 inputs: mismatched sizes.
    const mismatched = Uint8Array.from([...valid, ...new Uint8Array(8).fill(128)]);
    const prepared = [shortBias, mismatched].map((bytes, i) => ({ bytes: bytesHex(bytes), hash: modelHash(bytes), salt: salt(10 + i) }));
    const ids: bigint[] = [];
    for (const p of prepared) ids.push(await commit(env, created, alice, p));
    const d = await deadlinesOf(created.organizer);
    await mineUntilNextTxIn(env, d.submissionEnd);
    await expectRevert(revealModel(env, created, alice, ids[0] as bigint, prepared[0] as Prepared), "InvalidModel", [7, BigInt(valid.length)]);
    await expectRevert(revealModel(env, created, alice, ids[1] as bigint, prepared[1] as Prepared), "InvalidModel", [7, BigInt(valid.length)]);
    await mineUntilNextTxIn(env, d.testRevealEnd);
    for (const id of ids) await expectRevert(created.organizer.write.evaluate([id, 10n]), "NotRevealed", [id]);
  });

  it("a reverting winner blocks nobody, and can still be paid through withdrawTo", async function () {
    const env = await loadFixture(deployEnv);
    const actor = await deployTestContract(env, "TestActor", testActorAbi);
    await receipt(env, actor.write.setMode([ActorMode.Revert, "0x0000000000000000000000000000000000000000"]));
    const created = await createCompetition(env, { groupCount: 4 });
    const as = viaActor(actor, created.address);
    const split = await toSubmission(env, created);
    const model = prepareModel(PERFECT_MODEL, salt(1));
    const commitment = submissionCommitment({ competition: created.address, submitter: actor.address, modelHash: model.hash, salt: model.salt });
    await receipt(env, as.call(encodeFunctionData({ abi: dankuCompetitionAbi, functionName: "commitModel", args: [commitment] })));
    const d = await deadlinesOf(created.organizer);
    await mineUntilNextTxIn(env, d.submissionEnd);
    await receipt(env, as.call(encodeFunctionData({ abi: dankuCompetitionAbi, functionName: "revealModel", args: [0n, model.bytes, model.salt] })));
    await mineUntilNextTxIn(env, d.modelRevealEnd);
    await reveal(env, created.organizer, false, split.test.map((g) => created.groups[g] as DataGroup));
    await receipt(env, created.organizer.write.evaluate([0n, 1000n]));
    await mineUntilNextTxIn(env, d.evaluationEnd);
    await receipt(env, created.organizer.write.finalize());
    expect(await created.organizer.read.winner()).to.equal(getAddress(actor.address));
    // A plain withdraw fails (the actor refuses ETH; sendValue bubbles its error) and changes nothing…
    await expectRevert(as.call(encodeFunctionData({ abi: dankuCompetitionAbi, functionName: "withdraw" })), "Refused", [], testActorAbi);
    expect(await created.organizer.read.withdrawable([actor.address])).to.equal(REWARD);
    // …and withdrawTo pays the winner's chosen address.
    const payee = env.wallets[9] as WalletClient;
    const before = await env.publicClient.getBalance({ address: payee.account.address });
    await receipt(env, as.call(encodeFunctionData({ abi: dankuCompetitionAbi, functionName: "withdrawTo", args: [payee.account.address] })));
    expect((await env.publicClient.getBalance({ address: payee.account.address })) - before).to.equal(REWARD);
    expect(await env.publicClient.getBalance({ address: created.address })).to.equal(0n);
  });

  it("a reverting donor blocks no other refund", async function () {
    const env = await loadFixture(deployEnv);
    const actor = await deployTestContract(env, "TestActor", testActorAbi);
    await receipt(env, actor.write.setMode([ActorMode.Revert, "0x0000000000000000000000000000000000000000"]));
    // Cancelled before the seed block: the organizer's reward is refunded too (a later cancel would forfeit it).
    const created = await createCompetition(env, { config: { splitDelay: 20 } });
    const donor = env.wallets[4] as WalletClient;
    await receipt(env, actor.write.forward([created.address, "0x"], { value: 40n }));
    await receipt(env, donor.sendTransaction({ to: created.address, value: 2n }));
    await receipt(env, created.organizer.write.cancel());
    await expectRevert(
      viaActor(actor, created.address).call(encodeFunctionData({ abi: dankuCompetitionAbi, functionName: "withdraw" })),
      "Refused",
      [],
      testActorAbi,
    );
    await receipt(env, created.as(donor).write.withdraw());
    await receipt(env, created.organizer.write.withdraw());
    expect(await env.publicClient.getBalance({ address: created.address })).to.equal(40n);
    expect(await created.organizer.read.withdrawable([actor.address])).to.equal(40n);
  });

  it("two submissions with equal widths but different weights are different submissions", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createCompetition(env, { groupCount: 4 });
    const [, alice, bob] = env.wallets as [WalletClient, WalletClient, WalletClient];
    const a = prepareModel(PERFECT_MODEL, salt(1));
    const b = prepareModel(WRONG_MODEL, salt(1));
    expect(a.hash).to.not.equal(b.hash);
    const { ids, split } = await toEvaluation(env, created, [
      { wallet: alice, prepared: a },
      { wallet: bob, prepared: b },
    ], true);
    const [idA, idB] = ids as [bigint, bigint];
    expect((await created.organizer.read.submissionAt([idA])).modelHash).to.equal(a.hash);
    expect((await created.organizer.read.submissionAt([idB])).modelHash).to.equal(b.hash);
    for (const id of ids) await receipt(env, created.organizer.write.evaluate([id, 1000n]));
    const test = split.test.flatMap((g) => (created.groups[g] as DataGroup).points);
    expect((await created.organizer.read.submissionAt([idA])).correct).to.equal(evaluateAccuracy(PERFECT_MODEL, test).correct);
    expect((await created.organizer.read.submissionAt([idB])).correct).to.equal(evaluateAccuracy(WRONG_MODEL, test).correct);
    expect(evaluateAccuracy(PERFECT_MODEL, test).correct).to.not.equal(evaluateAccuracy(WRONG_MODEL, test).correct);
  });
});

describe("reentrancy", function () {
  for (const mode of [ActorMode.ReenterWithdraw, ActorMode.ReenterWithdrawTo] as const) {
    const name = mode === ActorMode.ReenterWithdraw ? "withdraw" : "withdrawTo";
    it(`a refund recipient that re-enters ${name}() on receive gets its refund exactly once`, async function () {
      const env = await loadFixture(deployEnv);
      const actor = await deployTestContract(env, "TestActor", testActorAbi);
      // Cancelled before the seed block, so the organizer is refunded as well.
      const created = await createCompetition(env, { config: { splitDelay: 20 } });
      await receipt(env, actor.write.setMode([mode, created.address]));
      await receipt(env, actor.write.forward([created.address, "0x"], { value: 500n }));
      const other = env.wallets[4] as WalletClient;
      await receipt(env, other.sendTransaction({ to: created.address, value: 70n }));
      await receipt(env, created.organizer.write.cancel());
      const data =
        mode === ActorMode.ReenterWithdraw
          ? encodeFunctionData({ abi: dankuCompetitionAbi, functionName: "withdraw" })
          : encodeFunctionData({ abi: dankuCompetitionAbi, functionName: "withdrawTo", args: [actor.address] });
      await receipt(env, viaActor(actor, created.address).call(data));
      expect(await actor.read.received()).to.equal(500n);
      expect(await actor.read.reentryAttempts()).to.equal(1n);
      expect(await actor.read.reentrySucceeded()).to.equal(false);
      const reason = await actor.read.lastReentryError();
      expect(decodeErrorResult({ abi: dankuCompetitionAbi, data: reason }).errorName).to.equal("ReentrancyGuardReentrantCall");
      expect(await created.organizer.read.withdrawable([actor.address])).to.equal(0n);
      // Everybody else is still paid in full.
      await receipt(env, created.as(other).write.withdraw());
      await receipt(env, created.organizer.write.withdraw());
      expect(await env.publicClient.getBalance({ address: created.address })).to.equal(0n);
    });
  }

  it("a winner that re-enters withdraw() on receive is paid reward + donations exactly once", async function () {
    const env = await loadFixture(deployEnv);
    const actor = await deployTestContract(env, "TestActor", testActorAbi);
    const created = await createCompetition(env, { groupCount: 4 });
    await receipt(env, actor.write.setMode([ActorMode.ReenterWithdraw, created.address]));
    await receipt(env, (env.wallets[4] as WalletClient).sendTransaction({ to: created.address, value: 3n }));
    const as = viaActor(actor, created.address);
    const split = await toSubmission(env, created);
    const model = prepareModel(PERFECT_MODEL, salt(1));
    const commitment = submissionCommitment({ competition: created.address, submitter: actor.address, modelHash: model.hash, salt: model.salt });
    await receipt(env, as.call(encodeFunctionData({ abi: dankuCompetitionAbi, functionName: "commitModel", args: [commitment] })));
    const d = await deadlinesOf(created.organizer);
    await mineUntilNextTxIn(env, d.submissionEnd);
    await receipt(env, as.call(encodeFunctionData({ abi: dankuCompetitionAbi, functionName: "revealModel", args: [0n, model.bytes, model.salt] })));
    await mineUntilNextTxIn(env, d.modelRevealEnd);
    await reveal(env, created.organizer, false, split.test.map((g) => created.groups[g] as DataGroup));
    await receipt(env, created.organizer.write.evaluate([0n, 1000n]));
    await mineUntilNextTxIn(env, d.evaluationEnd);
    await receipt(env, created.organizer.write.finalize());
    await receipt(env, as.call(encodeFunctionData({ abi: dankuCompetitionAbi, functionName: "withdraw" })));
    expect(await actor.read.received()).to.equal(REWARD + 3n);
    expect(await actor.read.reentrySucceeded()).to.equal(false);
    expect(await env.publicClient.getBalance({ address: created.address })).to.equal(0n);
  });
});


/**
 * The claim mode (docs/protocol.md §11), attacker first: wrong claims of every kind are disputed and lose their bond
 * to the challenger, disputes of honest claims revert at every kind of point, griefers' counter-claims and early
 * finalizers cannot hurt an honest claim, and every wei is accounted for. Expected predictions, scores, trees and
 * proofs come from lib/danku/claims.ts (the forward pass of lib/danku/forward.ts), never from copies.
 */
import { expect } from "chai";
import { getAddress, getContract, hexToBytes, keccak256, parseEventLogs, type Abi, type PublicClient } from "viem";
import {
  bytesHex,
  commit,
  competitionAs,
  createCompetition,
  deployEnv,
  doSplit,
  expectRevert,
  factoryAs,
  makeGroups,
  makePoints,
  mineTo,
  mineUntilNextTxIn,
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
  DEFAULT_CONFIG,
  encodeSharedRevealWords,
  revealCalldata,
  revertOf,
  seededRng,
  type Env,
  type WalletClient,
} from "./fixtures";
import { competitionFactoryAbi, dankuClaimModuleAbi, dankuCompetitionAbi, dankuEvaluatorEngineAbi } from "../../lib/generated/abis";
import { readRevealedPoints, type DankuWallet } from "../../lib/chain/danku";
import {
  claimScore as claimWithLib,
  disputeClaim as disputeWithLib,
  readClaimModeModelBytes,
  readClaimModeRevealCalls,
  readClaimPredictions,
  readClaims,
  readClaimTerms,
  readEvaluationMode,
  settleClaim as settleWithLib,
} from "../../lib/chain/claims";
import { describeContractError } from "../../lib/chain/errors";
import { encodeModel, encodePoints, groupHash, type QuantizedModel } from "../../lib/danku/encoding";
import { predict } from "../../lib/danku/forward";
import {
  disputablePoint,
  locateTestPoint,
  predictionsOf,
  revealProof,
  revealTree,
  scorePredictions,
} from "../../lib/danku/claims";
import {
  WINDOW,
  BOND_GAS_PRICE,
  BOND,
  CLAIM_CONFIG,
  claimsAs,
  createClaimCompetition,
  toEvaluation,
  labelsOf,
  claim,
  disputeArgs,
  withdrawable,
  evaluationEnd,
} from "./claimFixtures";
const ERRORS: Abi = [...dankuCompetitionAbi, ...dankuClaimModuleAbi, ...competitionFactoryAbi].filter((i) => i.type === "error");
describe("DanKu claim mode (docs/protocol.md §11)", function () {
  let env: Env;
  before(async () => {
    env = await deployEnv();
  });

  describe("creation and the test reveal", function () {
    it("records the mode and terms, and the bond is CLAIM_BOND_GAS × bondGasPrice", async function () {
      const c = await createClaimCompetition(env);
      const claims = claimsAs(env, c.address, env.wallets[0]!);
      expect(await claims.read.evaluationMode()).to.equal(1);
      expect(await claims.read.claimTerms()).to.deep.equal({ challengeWindow: WINDOW, bondGasPrice: BOND_GAS_PRICE });
      expect(await claims.read.claimBond()).to.equal(16_777_216n * BOND_GAS_PRICE);
      const onChain = await createCompetition(env);
      expect(await claimsAs(env, onChain.address, env.wallets[0]!).read.evaluationMode()).to.equal(0);
    });

    it("rejects terms out of bounds and more than MAX_CLAIM_MODE_POINTS points, but not a dataset the evaluation-fits rule would refuse", async function () {
      const config = { ...DEFAULT_CONFIG, ...CLAIM_CONFIG };
      const factory = factoryAs(env, env.wallets[0]!);
      const hashes = [salt(1), salt(2)];
      await expectRevert(factory.write.createClaimCompetition([config, { challengeWindow: 9, bondGasPrice: BOND_GAS_PRICE }, hashes, [1, 1], ""], { value: 1n }), "ConfigOutOfRange", [14, 9n, 10n, 100_000n], ERRORS);
      await expectRevert(factory.write.createClaimCompetition([config, { challengeWindow: 10, bondGasPrice: 999_999_999n }, hashes, [1, 1], ""], { value: 1n }), "ConfigOutOfRange", [15, 999_999_999n, 10n ** 9n, 10n ** 13n], ERRORS);
      await expectRevert(factory.write.createClaimCompetition([config, { challengeWindow: 10, bondGasPrice: BOND_GAS_PRICE }, hashes, [50_000, 50_001], ""], { value: 1n }), "ConfigOutOfRange", [13, 100_001n, 2n, 100_000n], ERRORS);
      // 100,000 points with a 30-block evaluation period: the on-chain mode refuses it (§7.2), the claim mode has no full evaluation.
      await expectRevert(factory.write.createCompetition([config, hashes, [50_000, 50_000], ""], { value: 1n }), "EvaluationPeriodTooShort", undefined, ERRORS);
      await receipt(env, factory.write.createClaimCompetition([config, { challengeWindow: 10, bondGasPrice: BOND_GAS_PRICE }, hashes, [50_000, 50_000], ""], { value: 1n }));
    });

    it("keeps only the labels and one root per reveal call, equal to lib/danku/claims.ts's tree, and no evaluate", async function () {
      const r = await toEvaluation(env);
      const claims = claimsAs(env, r.created.address, env.wallets[0]!);
      expect(await claims.read.testRootCount()).to.equal(BigInt(r.trees.length));
      let first = 0;
      for (let i = 0; i < r.trees.length; i++) {
        const root = await claims.read.testRootAt([BigInt(i)]);
        expect(root).to.deep.equal({ root: r.trees[i]!.root, firstPoint: first, pointCount: r.trees[i]!.pointCount, depth: r.trees[i]!.depth });
        const [event] = parseEventLogs({ abi: dankuClaimModuleAbi, logs: r.revealReceipts[i]!.logs, eventName: "TestRootStored" });
        expect(event!.args.root).to.equal(r.trees[i]!.root);
        first += r.trees[i]!.pointCount;
      }
      // The label chunks hold exactly the labels, one byte per point, in reveal order.
      const chunks = await r.created.organizer.read.dataChunkCount([false]);
      const labels: number[] = [];
      for (let i = 0n; i < chunks; i++) {
        const [pointer, count] = await r.created.organizer.read.dataChunkAt([false, i]);
        const code = await env.publicClient.getCode({ address: pointer });
        labels.push(...Buffer.from(code!.slice(4), "hex").subarray(0, Number(count)));
      }
      expect(labels).to.deep.equal(labelsOf(r.testPoints));
      await expectRevert(r.created.organizer.write.evaluate([r.ids.perfect, 100n]), "ClaimModeCompetition", [], ERRORS);
      // No model code either: the models are in their reveal transactions' calldata, bound by the stored hash.
      for (const id of [r.ids.perfect, r.ids.wrong]) {
        expect(await r.created.organizer.read.modelChunks([id])).to.deep.equal([]);
        expect((await r.created.organizer.read.submissionAt([id])).modelHash).to.equal(keccak256(r.models.get(id)!));
        expect(await readClaimModeModelBytes(env.publicClient as unknown as PublicClient, r.created.address, Number(id))).to.deep.equal(hexToBytes(r.models.get(id)!));
      }
    });

    it("rejects every reveal today's reveal rejects, with the same errors", async function () {
      const points = makePoints(40, 2, 2, 7);
      const base = { ...DEFAULT_CONFIG, ...CLAIM_CONFIG };
      const groups = makeGroups(points, 4, base, 77);
      // A group committed with a label ≥ C (a hostile organizer's data): the hash matches, the labels do not.
      const badBytes = encodePoints(groups[3]!.points, 2, 2);
      badBytes[badBytes.length - 1] = 2;
      groups[3] = { ...groups[3]!, bytes: badBytes, hash: groupHash(badBytes, groups[3]!.nonce) };
      // The split is drawn from a block hash: create until the hostile group is a test group (half the time).
      let c = await createClaimCompetition(env, { groups });
      let split = await doSplit(env, c);
      for (let attempt = 0; !split.test.includes(3) && attempt < 16; attempt++) {
        c = await createClaimCompetition(env, { groups });
        split = await doSplit(env, c);
      }
      expect(split.test).to.include(3);
      await reveal(env, c.organizer, true, split.training.map((g) => c.groups[g]!));
      await toModelReveal(env, c.organizer);
      await toTestReveal(env, c.organizer);
      const [t0, t1] = split.test as [number, number];
      const g0 = c.groups[t0]!;
      const w = c.organizer.write;
      await expectRevert(w.revealTestGroups([[], [], []]), "BadRevealArrays", [0n, 0n, 0n], ERRORS);
      await expectRevert(w.revealTestGroups([[9n], [bytesHex(g0.bytes)], [g0.nonce]]), "GroupOutOfRange", [9n, 4n], ERRORS);
      await expectRevert(w.revealTestGroups([[BigInt(split.training[0]!)], [bytesHex(g0.bytes)], [g0.nonce]]), "WrongGroupKind", [BigInt(split.training[0]!), true], ERRORS);
      await expectRevert(w.revealTestGroups([[BigInt(t0), BigInt(t0)], [bytesHex(g0.bytes), bytesHex(g0.bytes)], [g0.nonce, g0.nonce]]), "GroupAlreadyRevealed", [BigInt(t0)], ERRORS);
      await expectRevert(w.revealTestGroups([[BigInt(t0)], [bytesHex(g0.bytes.slice(1))], [g0.nonce]]), "BadGroupLength", [BigInt(t0), BigInt(g0.bytes.length - 1), 3n], ERRORS);
      await expectRevert(w.revealTestGroups([[BigInt(t0)], [bytesHex(g0.bytes.slice(3))], [g0.nonce]]), "GroupSizeMismatch", [BigInt(t0), BigInt(g0.points.length - 1), BigInt(g0.points.length)], ERRORS);
      await expectRevert(w.revealTestGroups([[BigInt(t0)], [bytesHex(g0.bytes)], [salt(5)]]), "GroupHashMismatch", [BigInt(t0)], ERRORS);
      const g3 = c.groups[3]!;
      await expectRevert(w.revealTestGroups([[3n], [bytesHex(g3.bytes)], [g3.nonce]]), "LabelOutOfRange", [3n, BigInt(g3.points.length - 1), 2n, 2n], ERRORS);
      expect(t1 === 3 || t0 === 3).to.equal(true);
      // Two entries referencing one copy of the bytes (the decoder's overlap rule): MalformedReveal(1), as on chain mode.
      const shared = revealCalldata(encodeSharedRevealWords([g0, c.groups[t1]!]).words, false);
      let malformed: unknown;
      try {
        await env.publicClient.call({ account: env.wallets[0]!.account, to: c.address, data: shared, gas: 10_000_000n });
      } catch (error) {
        malformed = error;
      }
      expect(revertOf(malformed, ERRORS)).to.deep.equal({ errorName: "MalformedReveal", args: [1n] });
      // Nothing was stored by the failed calls.
      expect(await claimsAs(env, c.address, env.wallets[0]!).read.testRootCount()).to.equal(0n);
    });
  });

  describe("claims", function () {
    it("an honest claim survives and wins; the winner, the claimants and the organizer are paid to the wei", async function () {
      const r = await toEvaluation(env);
      const { alice, bob } = r.wallets;
      const perfect = predictionsOf(PERFECT_MODEL, r.testPoints);
      const wrong = predictionsOf(WRONG_MODEL, r.testPoints);
      const labels = labelsOf(r.testPoints);
      const a = await claim(env, r, alice, r.ids.perfect, perfect);
      const b = await claim(env, r, bob, r.ids.wrong, wrong);
      expect(a.event.correct).to.equal(BigInt(scorePredictions(perfect, labels)));
      expect(a.event.correct).to.equal(BigInt(r.testPoints.length));
      expect(b.event.correct).to.equal(BigInt(scorePredictions(wrong, labels)));
      const claims = claimsAs(env, r.created.address, alice);
      await expectRevert(claims.write.settleClaim([a.claimId]), "ChallengeWindowOpen", [a.claimId, a.receipt.blockNumber + BigInt(WINDOW)], ERRORS);
      await mineUntilNextTxIn(env, b.receipt.blockNumber + BigInt(WINDOW));
      await receipt(env, claims.write.settleClaim([b.claimId]));
      const settled = await receipt(env, claims.write.settleClaim([a.claimId]));
      const [evaluated] = parseEventLogs({ abi: dankuCompetitionAbi, logs: settled.logs, eventName: "SubmissionEvaluated" });
      expect(evaluated!.args).to.deep.equal({ submissionId: r.ids.perfect, correct: a.event.correct, total: BigInt(r.testPoints.length), qualified: true, newBest: true });
      expect(await r.created.organizer.read.best()).to.deep.equal([true, r.ids.perfect, a.event.correct]);
      expect((await r.created.organizer.read.submissionAt([r.ids.wrong])).correct).to.equal(Number(b.event.correct));
      await expectRevert(claims.write.settleClaim([a.claimId]), "ClaimAlreadySettled", [a.claimId], ERRORS);
      await expectRevert(claim(env, r, bob, r.ids.perfect, perfect), "AlreadyEvaluated", [r.ids.perfect], ERRORS);

      const first = (await evaluationEnd(r)) + 2n * BigInt(WINDOW);
      await mineUntilNextTxIn(env, first);
      await receipt(env, r.created.organizer.write.finalize());
      expect(await r.created.organizer.read.winner()).to.equal(getAddress(alice.account.address));
      expect(await withdrawable(r, alice)).to.equal(REWARD + BOND);
      expect(await withdrawable(r, bob)).to.equal(BOND);
      // Bob's bond first: a bond withdrawal must not mark the winner's payout as claimed.
      const before = await env.publicClient.getBalance({ address: bob.account.address });
      const wb = await receipt(env, r.created.as(bob).write.withdraw());
      expect(await env.publicClient.getBalance({ address: bob.account.address })).to.equal(before + BOND - wb.gasUsed * wb.effectiveGasPrice);
      const beforeA = await env.publicClient.getBalance({ address: alice.account.address });
      const wa = await receipt(env, r.created.as(alice).write.withdraw());
      expect(await env.publicClient.getBalance({ address: alice.account.address })).to.equal(beforeA + REWARD + BOND - wa.gasUsed * wa.effectiveGasPrice);
      expect(await env.publicClient.getBalance({ address: r.created.address })).to.equal(0n);
    });

    const wrongClaims: [string, (honest: Uint8Array) => Uint8Array][] = [
      ["one point off (the last)", (h) => Uint8Array.from(h, (v, i) => (i === h.length - 1 ? 1 - v : v))],
      ["many points off", (h) => Uint8Array.from(h, (v, i) => (i % 3 === 0 ? 1 - v : v))],
      ["inflated (the labels, for a model that gets them all wrong)", (h) => Uint8Array.from(h, (v) => 1 - v)],
    ];
    for (const [name, corrupt] of wrongClaims) {
      it(`a wrong claim — ${name} — is disputed: void, bond to the challenger to the wei, the submission claimable again`, async function () {
        const r = await toEvaluation(env);
        const { bob, challenger } = r.wallets;
        const honest = predictionsOf(WRONG_MODEL, r.testPoints);
        const claimed = corrupt(honest);
        const bad = await claim(env, r, bob, r.ids.wrong, claimed);
        const point = disputablePoint(claimed, honest)!;
        expect(point).to.not.equal(null);
        const claims = claimsAs(env, r.created.address, challenger);
        const dr = await receipt(env, claims.write.disputeClaim(disputeArgs(r, bad.claimId, point.index, claimed, r.ids.wrong)));
        const [event] = parseEventLogs({ abi: dankuClaimModuleAbi, logs: dr.logs, eventName: "ClaimDisputed" });
        expect(event!.args).to.deep.equal({ claimId: bad.claimId, submissionId: r.ids.wrong, challenger: getAddress(challenger.account.address), point: BigInt(point.index), claimedPrediction: BigInt(point.claimed), bond: BOND });
        expect((await claims.read.claimAt([bad.claimId])).voided).to.equal(true);
        expect(await withdrawable(r, challenger)).to.equal(BOND);
        expect(await withdrawable(r, bob)).to.equal(0n);
        await expectRevert(claims.write.disputeClaim(disputeArgs(r, bad.claimId, point.index, claimed, r.ids.wrong)), "ClaimIsVoid", [bad.claimId], ERRORS);
        await mineUntilNextTxIn(env, bad.receipt.blockNumber + BigInt(WINDOW));
        await expectRevert(claims.write.settleClaim([bad.claimId]), "ClaimIsVoid", [bad.claimId], ERRORS);
        // The challenger's bond is paid out before the end: bonds do not wait for finalization.
        const before = await env.publicClient.getBalance({ address: challenger.account.address });
        const w = await receipt(env, r.created.as(challenger).write.withdraw());
        expect(await env.publicClient.getBalance({ address: challenger.account.address })).to.equal(before + BOND - w.gasUsed * w.effectiveGasPrice);
        // Claimed again, correctly: it settles and counts.
        const good = await claim(env, r, bob, r.ids.wrong, honest);
        await mineUntilNextTxIn(env, good.receipt.blockNumber + BigInt(WINDOW));
        await receipt(env, claims.write.settleClaim([good.claimId]));
        expect((await r.created.organizer.read.submissionAt([r.ids.wrong])).correct).to.equal(scorePredictions(honest, labelsOf(r.testPoints)));
      });
    }

    it("a deflated claim on someone else's submission (a griefer's counter-claim) is disputed and does not hurt the honest claim", async function () {
      const r = await toEvaluation(env);
      const { alice, griefer, challenger } = r.wallets;
      const honest = predictionsOf(PERFECT_MODEL, r.testPoints);
      const deflated = Uint8Array.from(honest, (v) => 1 - v);
      const grief = await claim(env, r, griefer, r.ids.perfect, deflated);
      const good = await claim(env, r, alice, r.ids.perfect, honest);
      const claims = claimsAs(env, r.created.address, challenger);
      // The griefer cannot dispute the honest claim at any point.
      for (const index of [0, r.testPoints.length - 1]) {
        await expectRevert(
          claimsAs(env, r.created.address, griefer).write.disputeClaim(disputeArgs(r, good.claimId, index, honest, r.ids.perfect)),
          "ClaimedPredictionCorrect",
          [good.claimId, BigInt(index), BigInt(honest[index]!)],
          ERRORS,
        );
      }
      const point = disputablePoint(deflated, honest)!;
      await receipt(env, claims.write.disputeClaim(disputeArgs(r, grief.claimId, point.index, deflated, r.ids.perfect)));
      await mineUntilNextTxIn(env, good.receipt.blockNumber + BigInt(WINDOW));
      await receipt(env, claims.write.settleClaim([good.claimId]));
      expect(await r.created.organizer.read.best()).to.deep.equal([true, r.ids.perfect, BigInt(r.testPoints.length)]);
      expect(await withdrawable(r, challenger)).to.equal(BOND);
      expect(await withdrawable(r, griefer)).to.equal(0n);
      expect(await withdrawable(r, alice)).to.equal(BOND);
    });

    it("a dispute of an honest claim reverts at every kind of point, naming what is wrong", async function () {
      // A long window: every attempt below is a transaction in a block of its own.
      const window = 100;
      const r = await toEvaluation(env, await createClaimCompetition(env, { window }));
      const { alice, griefer } = r.wallets;
      const honest = predictionsOf(PERFECT_MODEL, r.testPoints);
      const good = await claim(env, r, alice, r.ids.perfect, honest);
      const claims = claimsAs(env, r.created.address, griefer);
      const n = r.testPoints.length;
      for (const index of [0, n - 1]) {
        await expectRevert(claims.write.disputeClaim(disputeArgs(r, good.claimId, index, honest, r.ids.perfect)), "ClaimedPredictionCorrect", [good.claimId, BigInt(index), BigInt(honest[index]!)], ERRORS);
      }
      const [id, rootIndex, indexInRoot, point, proof, predictions, model] = disputeArgs(r, good.claimId, 0, honest, r.ids.perfect);
      const tree = r.trees[0]!;
      // A padding index of the first tree (its size is not a power of two) and an index beyond it.
      expect(tree.pointCount).to.be.below(2 ** tree.depth);
      await expectRevert(claims.write.disputeClaim([id, 0n, BigInt(tree.pointCount), point, proof, predictions, model]), "PointOutOfRoot", [0n, BigInt(tree.pointCount), BigInt(tree.pointCount)], ERRORS);
      await expectRevert(claims.write.disputeClaim([id, 0n, 2n ** 40n, point, proof, predictions, model]), "PointOutOfRoot", [0n, 2n ** 40n, BigInt(tree.pointCount)], ERRORS);
      await expectRevert(claims.write.disputeClaim([id, BigInt(r.trees.length), 0n, point, proof, predictions, model]), "UnknownTestRoot", [BigInt(r.trees.length), BigInt(r.trees.length)], ERRORS);
      await expectRevert(claims.write.disputeClaim([id + 1n, rootIndex, indexInRoot, point, proof, predictions, model]), "UnknownClaim", [id + 1n, 1n], ERRORS);
      // A wrong proof (another point's), a forged point with the other label, a point of the wrong length.
      await expectRevert(claims.write.disputeClaim([id, rootIndex, indexInRoot, point, revealProof(tree, 1), predictions, model]), "PointNotInRoot", [0n, 0n], ERRORS);
      const forged = Buffer.from(point.slice(2), "hex");
      forged[forged.length - 1] = 1 - forged[forged.length - 1]!;
      await expectRevert(claims.write.disputeClaim([id, rootIndex, indexInRoot, bytesHex(forged), proof, predictions, model]), "PointNotInRoot", [0n, 0n], ERRORS);
      await expectRevert(claims.write.disputeClaim([id, rootIndex, indexInRoot, `${point}00`, proof, predictions, model]), "BadPointLength", [4n, 3n], ERRORS);
      await expectRevert(claims.write.disputeClaim([id, rootIndex, indexInRoot, point, proof.slice(1), predictions, model]), "BadProofLength", [BigInt(tree.depth - 1), BigInt(tree.depth)], ERRORS);
      // Predictions that are not the claim's: the wrong prediction at point 0 would "win" if they were accepted.
      const other = Uint8Array.from(honest, (v, i) => (i === 0 ? 1 - v : v));
      await expectRevert(claims.write.disputeClaim([id, rootIndex, indexInRoot, point, proof, bytesHex(other), model]), "PredictionsMismatch", [id], ERRORS);
      // A model that is not the submission's: the other submission's (which does predict otherwise at point 0, so the
      // dispute would "win" with it) and the revealed bytes with one weight byte changed.
      expect(predict(WRONG_MODEL, r.testPoints[0]!.features)).to.not.equal(honest[0]);
      await expectRevert(claims.write.disputeClaim([id, rootIndex, indexInRoot, point, proof, predictions, r.models.get(r.ids.wrong)!]), "ModelMismatch", [r.ids.perfect], ERRORS);
      const tampered = Buffer.from(model.slice(2), "hex");
      tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 1;
      await expectRevert(claims.write.disputeClaim([id, rootIndex, indexInRoot, point, proof, predictions, bytesHex(tampered)]), "ModelMismatch", [r.ids.perfect], ERRORS);
      await expectRevert(claims.write.disputeClaim([id, rootIndex, indexInRoot, point, proof, predictions, "0x"]), "ModelMismatch", [r.ids.perfect], ERRORS);
      // After the window no dispute at all, and the claim settles with its bond back.
      await mineUntilNextTxIn(env, good.receipt.blockNumber + BigInt(window));
      await expectRevert(claims.write.disputeClaim([id, rootIndex, indexInRoot, point, proof, predictions, model]), "ChallengeWindowClosed", [id, good.receipt.blockNumber + BigInt(window)], ERRORS);
      await receipt(env, claims.write.settleClaim([id]));
      expect(await withdrawable(r, alice)).to.equal(BOND);
      expect(await withdrawable(r, griefer)).to.equal(0n);
    });

    it("rejects claims of the wrong length, with a prediction ≥ C, with the wrong bond, in the wrong stage or mode", async function () {
      const r = await toEvaluation(env);
      const { alice } = r.wallets;
      const honest = predictionsOf(PERFECT_MODEL, r.testPoints);
      const n = BigInt(honest.length);
      await expectRevert(claim(env, r, alice, r.ids.perfect, honest.slice(1)), "BadPredictionsLength", [n - 1n, n], ERRORS);
      await expectRevert(claim(env, r, alice, r.ids.perfect, Uint8Array.from([...honest, 0])), "BadPredictionsLength", [n + 1n, n], ERRORS);
      const high = Uint8Array.from(honest, (v, i) => (i === 5 ? 2 : v));
      await expectRevert(claim(env, r, alice, r.ids.perfect, high), "PredictionOutOfRange", [5n, 2n, 2n], ERRORS);
      const last = Uint8Array.from(honest, (v, i) => (i === honest.length - 1 ? 255 : v));
      await expectRevert(claim(env, r, alice, r.ids.perfect, last), "PredictionOutOfRange", [n - 1n, 255n, 2n], ERRORS);
      await expectRevert(claim(env, r, alice, r.ids.perfect, honest, BOND - 1n), "WrongBond", [BOND - 1n, BOND], ERRORS);
      await expectRevert(claim(env, r, alice, r.ids.perfect, honest, BOND + 1n), "WrongBond", [BOND + 1n, BOND], ERRORS);
      await expectRevert(claim(env, r, alice, 9n, honest), "UnknownSubmission", [9n, 2n], ERRORS);
      await mineTo(env, await evaluationEnd(r));
      await expectRevert(claim(env, r, alice, r.ids.perfect, honest), "WrongStage", [6, 5], ERRORS);
      const onChain = await createCompetition(env);
      await expectRevert(claimsAs(env, onChain.address, alice).write.claimScore([0n, "0x00"], { value: BOND }), "NotClaimMode", [], ERRORS);
    });

    it("finalize waits for evaluation end + 2 windows, so a hostile early finalizer cannot cut off a surviving claim", async function () {
      const r = await toEvaluation(env);
      const { alice, griefer } = r.wallets;
      const honest = predictionsOf(PERFECT_MODEL, r.testPoints);
      const end = await evaluationEnd(r);
      // The claim in the last block of the Evaluation stage.
      await mineUntilNextTxIn(env, end - 1n);
      const good = await claim(env, r, alice, r.ids.perfect, honest);
      expect(good.receipt.blockNumber).to.equal(end - 1n);
      const first = end + 2n * BigInt(WINDOW);
      await mineUntilNextTxIn(env, good.receipt.blockNumber + BigInt(WINDOW));
      await expectRevert(r.created.as(griefer).write.finalize(), "FinalizeTooEarly", [good.receipt.blockNumber + BigInt(WINDOW), first], ERRORS);
      await mineUntilNextTxIn(env, first - 1n);
      await expectRevert(r.created.as(griefer).write.finalize(), "FinalizeTooEarly", [first - 1n, first], ERRORS);
      await receipt(env, claimsAs(env, r.created.address, alice).write.settleClaim([good.claimId]));
      await receipt(env, r.created.as(griefer).write.finalize());
      expect(await r.created.organizer.read.winner()).to.equal(getAddress(alice.account.address));
      expect(await withdrawable(r, alice)).to.equal(REWARD + BOND);
    });

    it("a claim settled after finalization returns its bond but changes no score", async function () {
      const r = await toEvaluation(env);
      const { bob } = r.wallets;
      const wrong = predictionsOf(WRONG_MODEL, r.testPoints);
      const b = await claim(env, r, bob, r.ids.wrong, wrong);
      await mineUntilNextTxIn(env, (await evaluationEnd(r)) + 2n * BigInt(WINDOW));
      await receipt(env, r.created.organizer.write.finalize());
      const s = await receipt(env, claimsAs(env, r.created.address, bob).write.settleClaim([b.claimId]));
      const [event] = parseEventLogs({ abi: dankuClaimModuleAbi, logs: s.logs, eventName: "ClaimSettled" });
      expect(event!.args.counted).to.equal(false);
      expect((await r.created.organizer.read.submissionAt([r.ids.wrong])).evaluated).to.equal(false);
      expect(await withdrawable(r, bob)).to.equal(BOND);
      // No winner: the organizer gets the reward back, bob only his bond.
      expect(await withdrawable(r, env.wallets[0]!)).to.equal(REWARD);
    });

    it("withheld test data: no claims, and after evaluation end + 2 windows the reward is shared as in the on-chain mode", async function () {
      const c = await createClaimCompetition(env);
      const [, alice] = env.wallets as [WalletClient, WalletClient];
      const split = await doSplit(env, c);
      await reveal(env, c.organizer, true, split.training.map((g) => c.groups[g]!));
      const perfect = prepareModel(PERFECT_MODEL, salt(1));
      const id = await commit(env, c, alice, perfect);
      await toModelReveal(env, c.organizer);
      await revealModel(env, c, alice, id, perfect);
      const d = await c.organizer.read.deadlines();
      await mineUntilNextTxIn(env, d.testRevealEnd);
      await expectRevert(claimsAs(env, c.address, alice).write.claimScore([id, "0x"], { value: BOND }), "TestDataWithheld", [], ERRORS);
      await mineUntilNextTxIn(env, d.evaluationEnd + 2n * BigInt(WINDOW));
      await receipt(env, c.organizer.write.finalize());
      expect(await c.organizer.read.testWithheld()).to.equal(true);
      expect(await c.organizer.read.withdrawable([alice.account.address])).to.equal(REWARD);
    });

    it("the module refuses to run outside a competition", async function () {
      const c = await createClaimCompetition(env);
      const implementation = await factoryAs(env, env.wallets[0]!).read.implementation();
      const claimModule = await competitionAs(env, implementation, env.wallets[0]!).read.claimModule();
      await expectRevert(claimsAs(env, claimModule, env.wallets[0]!).write.settleClaim([0n]), "OnlyDelegateCall", [], dankuClaimModuleAbi);
      await expectRevert(claimsAs(env, c.address, env.wallets[1]!).write.chooseClaimMode([{ challengeWindow: 10, bondGasPrice: BOND_GAS_PRICE }]), "NotFactory", undefined, ERRORS);
    });
  });

  describe("the engine's one-point entry (what disputes run)", function () {
    it("agrees with lib/danku/forward.ts on random models and points: a hit exactly at the reference prediction", async function () {
      const rng = seededRng(4242);
      const implementation = await factoryAs(env, env.wallets[0]!).read.implementation();
      const engineAddress = await competitionAs(env, implementation, env.wallets[0]!).read.evaluator();
      const engine = getContract({ address: engineAddress, abi: dankuEvaluatorEngineAbi, client: env.publicClient });
      for (let m = 0; m < 24; m++) {
        const featureCount = 1 + Math.floor(rng() * 12);
        const classCount = 2 + Math.floor(rng() * 9);
        const hidden = Array.from({ length: Math.floor(rng() * 3) }, () => 1 + Math.floor(rng() * 20));
        const widths = [featureCount, ...hidden, classCount];
        const model: QuantizedModel = {
          widths,
          layers: widths.slice(1).map((fanOut, l) => ({
            shift: l === widths.length - 2 ? 0 : Math.floor(rng() * 8),
            biases: Array.from({ length: fanOut }, () => Math.floor((rng() - 0.5) * 4000)),
            // Many ties: a third of the weights are 0, so argmax's lowest-index rule is exercised.
            weights: Array.from({ length: fanOut }, () => Array.from({ length: widths[l]! }, () => (rng() < 0.33 ? 0 : Math.floor(rng() * 256) - 128))),
          })),
        };
        const bytes = bytesHex(encodeModel(model));
        for (let p = 0; p < 3; p++) {
          const features = Array.from({ length: featureCount }, () => (rng() < 0.3 ? 0 : Math.floor(rng() * 256)));
          const expected = predict(model, features);
          for (let k = 0; k < classCount; k++) {
            const hit = await engine.read.predicts([bytes, bytesHex(Uint8Array.from([...features, k])), BigInt(classCount)]);
            expect(hit, `model ${m} (${widths.join("-")}) point ${p} class ${k}: reference predicts ${expected}`).to.equal(k === expected);
          }
        }
      }
    });
  });

  describe("lib/chain (typed calls and reads)", function () {
    it("reads the claim-mode test points back from calldata, claims, disputes and settles through lib/chain/claims.ts", async function () {
      const r = await toEvaluation(env);
      const client = env.publicClient as unknown as PublicClient;
      const bob = r.wallets.bob as unknown as DankuWallet;
      const challenger = r.wallets.challenger as unknown as DankuWallet;
      const address = r.created.address;
      expect(await readEvaluationMode(client, address)).to.equal("claim");
      expect(await readClaimTerms(client, address)).to.deep.equal({ challengeWindow: WINDOW, bondGasPrice: BOND_GAS_PRICE, bond: BOND });
      // The same points as revealed (one home for reading revealed data: the app's dataset panel and preview use it).
      const points = await readRevealedPoints(client, address, false, 2);
      expect(encodePoints(points, 2, 2)).to.deep.equal(encodePoints(r.testPoints, 2, 2));

      const honest = predictionsOf(WRONG_MODEL, points);
      const claimed = Uint8Array.from(honest, (v, i) => (i === 3 ? 1 - v : v));
      const { claimId } = await claimWithLib(bob, client, { competition: address, submissionId: Number(r.ids.wrong), predictions: claimed });
      expect(await readClaimPredictions(client, address, claimId)).to.deep.equal(claimed);
      const point = disputablePoint(await readClaimPredictions(client, address, claimId), honest)!;
      expect(point.index).to.equal(3);
      const calls = await readClaimModeRevealCalls(client, address, 2);
      const { rootIndex, indexInRoot } = locateTestPoint(calls.map((c) => c.root.pointCount), point.index);
      const call = calls[rootIndex]!;
      await disputeWithLib(challenger, client, {
        competition: address,
        claimId,
        rootIndex,
        indexInRoot,
        point: call.points[indexInRoot]!,
        proof: revealProof(revealTree(call.points), indexInRoot),
        predictions: claimed,
        model: (await readClaimModeModelBytes(client, address, Number(r.ids.wrong)))!,
      });
      const good = await claimWithLib(bob, client, { competition: address, submissionId: Number(r.ids.wrong), predictions: honest });
      const claims = await readClaims(client, address);
      expect(claims.map((c) => [c.id, c.voided, c.settled, c.correct])).to.deep.equal([
        [0, true, false, scorePredictions(claimed, labelsOf(points))],
        [1, false, false, scorePredictions(honest, labelsOf(points))],
      ]);
      await mineUntilNextTxIn(env, claims[1]!.windowClosesAt);
      await settleWithLib(bob, client, { competition: address, claimId: good.claimId });
      expect((await readClaims(client, address))[1]!.settled).to.equal(true);
      expect(await withdrawable(r, r.wallets.challenger)).to.equal(BOND);
      expect(describeContractError("ClaimedPredictionCorrect", [0n, 3n, 1n])).to.equal(
        "The dispute fails: the model does predict 1 at test point 3, as claim 0 says.",
      );
    });
  });
});

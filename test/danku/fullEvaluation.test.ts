/**
 * Claim mode's full evaluation (docs/protocol.md §11.9), attacker first: points that are not a root's revealed points,
 * a model that is not the submission's, a root evaluated twice, the wrong stage or mode all revert; a full evaluation
 * cannot void an honest claim, voids every claim of another score with its bond to the evaluator, and a dishonest
 * claimant who completes the evaluation himself gets no more than his own bond back and no score. Expected scores come
 * from lib/danku/claims.ts and lib/danku/forward.ts, never from copies.
 */
import { expect } from "chai";
import { concatBytes, getAddress, getContract, parseEventLogs, type Abi, type PublicClient } from "viem";
import {
  bytesHex,
  createCompetition,
  deployEnv,
  expectRevert,
  factoryAs,
  competitionAs,
  mineTo,
  receipt,
  seededRng,
  WRONG_MODEL,
  type Env,
} from "./fixtures";
import { competitionFactoryAbi, dankuClaimModuleAbi, dankuCompetitionAbi, dankuEvaluatorEngineAbi } from "../../lib/generated/abis";
import { predictionsOf, scorePredictions } from "../../lib/danku/claims";
import { encodeModel, encodePoints, type QuantizedModel } from "../../lib/danku/encoding";
import { predict } from "../../lib/danku/forward";
import { evaluateClaimSubmission, readFullEvaluation } from "../../lib/chain/fullEvaluation";
import type { DankuWallet } from "../../lib/chain/danku";
import { BOND, claim, claimsAs, evaluationEnd, labelsOf, toEvaluation, withdrawable, type Revealed } from "./claimFixtures";

const ERRORS: Abi = [...dankuCompetitionAbi, ...dankuClaimModuleAbi, ...competitionFactoryAbi].filter((i) => i.type === "error");

function rootPoints(r: Revealed, rootIndex: number): `0x${string}` {
  return bytesHex(concatBytes(r.callPoints[rootIndex]!));
}

describe("DanKu claim mode: full evaluation (docs/protocol.md §11.9)", function () {
  let env: Env;
  before(async function () {
    env = await deployEnv();
  });

  it("rejects points that are not the root's, a foreign model, a root twice, unknown roots and submissions", async function () {
    const r = await toEvaluation(env);
    expect(r.trees.length).to.be.greaterThan(1);
    const { griefer } = r.wallets;
    const claims = claimsAs(env, r.created.address, griefer);
    const id = r.ids.wrong;
    const model = r.models.get(id)!;
    const pointSize = r.created.config.featureCount + 1;
    const points = concatBytes(r.callPoints[0]!);
    const n = BigInt(r.trees[0]!.pointCount);
    // One feature byte changed, a label changed (the label is what the score counts), two points swapped.
    const feature = Uint8Array.from(points, (v, i) => (i === 0 ? v ^ 1 : v));
    const label = Uint8Array.from(points, (v, i) => (i === pointSize - 1 ? 1 - v : v));
    const swapped = concatBytes([r.callPoints[0]![1]!, r.callPoints[0]![0]!, ...r.callPoints[0]!.slice(2)]);
    for (const bad of [feature, label, swapped]) {
      await expectRevert(claims.write.evaluateRoot([id, 0n, bytesHex(bad), model]), "RootPointsMismatch", [0n], ERRORS);
    }
    // Another root's points, a point short, a point too many.
    const other = concatBytes(r.callPoints[1]!);
    if (other.length === points.length) await expectRevert(claims.write.evaluateRoot([id, 0n, bytesHex(other), model]), "RootPointsMismatch", [0n], ERRORS);
    const expected = n * BigInt(pointSize);
    await expectRevert(claims.write.evaluateRoot([id, 0n, bytesHex(points.slice(pointSize)), model]), "BadRootPointsLength", [0n, expected - BigInt(pointSize), expected], ERRORS);
    await expectRevert(claims.write.evaluateRoot([id, 0n, bytesHex(concatBytes([points, points.slice(0, pointSize)])), model]), "BadRootPointsLength", [0n, expected + BigInt(pointSize), expected], ERRORS);
    // The other submission's model (a better one) cannot stand in for this one's.
    await expectRevert(claims.write.evaluateRoot([id, 0n, bytesHex(points), r.models.get(r.ids.perfect)!]), "ModelMismatch", [id], ERRORS);
    const roots = BigInt(r.trees.length);
    await expectRevert(claims.write.evaluateRoot([id, roots, "0x", model]), "UnknownTestRoot", [roots, roots], ERRORS);
    await expectRevert(claims.write.evaluateRoot([9n, 0n, bytesHex(points), model]), "UnknownSubmission", [9n, 2n], ERRORS);
    await receipt(env, claims.write.evaluateRoot([id, 0n, bytesHex(points), model]));
    expect(await claims.read.rootEvaluated([id, 0n])).to.equal(true);
    expect(await claims.read.rootEvaluated([id, 1n])).to.equal(false);
    expect(await claims.read.rootEvaluated([r.ids.perfect, 0n])).to.equal(false);
    await expectRevert(claims.write.evaluateRoot([id, 0n, bytesHex(points), model]), "RootAlreadyEvaluated", [id, 0n], ERRORS);
    // Partial: no score yet, no evaluator; claims still open.
    const s = await r.created.organizer.read.submissionAt([id]);
    expect([s.evaluated, s.cursor]).to.deep.equal([false, Number(n)]);
    expect(await claims.read.fullEvaluator([id])).to.equal("0x0000000000000000000000000000000000000000");
  });

  it("only in the Evaluation stage of a claim-mode competition", async function () {
    const r = await toEvaluation(env);
    const claims = claimsAs(env, r.created.address, r.wallets.griefer);
    await mineTo(env, await evaluationEnd(r));
    await expectRevert(claims.write.evaluateRoot([r.ids.wrong, 0n, rootPoints(r, 0), r.models.get(r.ids.wrong)!]), "WrongStage", [6, 5], ERRORS);
    const onChain = await createCompetition(env);
    await expectRevert(claimsAs(env, onChain.address, r.wallets.griefer).write.evaluateRoot([0n, 0n, "0x", "0x"]), "NotClaimMode", [], ERRORS);
  });

  it("scores exactly as an honest claim: the honest claim settles at once with its bond, every other claim is void with its bond to the evaluator", async function () {
    const r = await toEvaluation(env);
    const { alice, bob, challenger, griefer } = r.wallets;
    const labels = labelsOf(r.testPoints);
    const honest = predictionsOf(WRONG_MODEL, r.testPoints);
    const score = scorePredictions(honest, labels);
    const good = await claim(env, r, bob, r.ids.wrong, honest);
    // A griefer's counter-claim one point off and an inflated one (the labels).
    const deflated = await claim(env, r, griefer, r.ids.wrong, Uint8Array.from(honest, (v, i) => (i === 0 ? 1 - v : v)));
    const inflated = await claim(env, r, alice, r.ids.wrong, Uint8Array.from(labels));
    expect(deflated.event.correct).to.not.equal(BigInt(score));
    expect(inflated.event.correct).to.not.equal(BigInt(score));
    const claims = claimsAs(env, r.created.address, challenger);
    // Before the evaluation completes nothing settles early.
    await expectRevert(claims.write.settleClaim([good.claimId]), "ChallengeWindowOpen", undefined, ERRORS);
    const client = env.publicClient as unknown as PublicClient;
    const done = await evaluateClaimSubmission(challenger as unknown as DankuWallet, client, {
      competition: r.created.address,
      submissionId: Number(r.ids.wrong),
      featureCount: r.created.config.featureCount,
    });
    expect(done.sent.map((t) => t.rootIndex)).to.deep.equal(r.trees.map((_, i) => i));
    expect(done.sent.reduce((a, t) => a + t.correct, 0)).to.equal(score);
    expect(done.evaluator).to.equal(getAddress(challenger.account.address));
    const last = done.sent[done.sent.length - 1]!.receipt;
    const [evaluated] = parseEventLogs({ abi: dankuCompetitionAbi, logs: last.logs, eventName: "SubmissionEvaluated" });
    expect(evaluated!.args).to.deep.include({ submissionId: r.ids.wrong, correct: BigInt(score), total: BigInt(r.testPoints.length) });
    expect((await readFullEvaluation(client, r.created.address, Number(r.ids.wrong))).rootsEvaluated.every(Boolean)).to.equal(true);
    // No new claims; every live claim settles now, inside its window.
    await expectRevert(claim(env, r, bob, r.ids.wrong, honest), "AlreadyEvaluated", [r.ids.wrong], ERRORS);
    const settled = await receipt(env, claims.write.settleClaim([good.claimId]));
    const [ok] = parseEventLogs({ abi: dankuClaimModuleAbi, logs: settled.logs, eventName: "ClaimSettled" });
    expect(ok!.args).to.deep.equal({ claimId: good.claimId, submissionId: r.ids.wrong, claimant: getAddress(bob.account.address), counted: false });
    for (const bad of [deflated, inflated]) {
      const v = await receipt(env, claims.write.settleClaim([bad.claimId]));
      const [event] = parseEventLogs({ abi: dankuClaimModuleAbi, logs: v.logs, eventName: "ClaimVoidedByEvaluation" });
      expect(event!.args).to.deep.equal({
        claimId: bad.claimId,
        submissionId: r.ids.wrong,
        evaluator: getAddress(challenger.account.address),
        claimedCorrect: bad.event.correct,
        evaluatedCorrect: BigInt(score),
        bond: BOND,
      });
      expect((await claims.read.claimAt([bad.claimId])).voided).to.equal(true);
      await expectRevert(claims.write.settleClaim([bad.claimId]), "ClaimIsVoid", [bad.claimId], ERRORS);
    }
    await expectRevert(claims.write.settleClaim([good.claimId]), "ClaimAlreadySettled", [good.claimId], ERRORS);
    expect(await withdrawable(r, bob)).to.equal(BOND);
    expect(await withdrawable(r, challenger)).to.equal(2n * BOND);
    expect(await withdrawable(r, griefer)).to.equal(0n);
    expect(await withdrawable(r, alice)).to.equal(0n);
    expect((await r.created.organizer.read.submissionAt([r.ids.wrong])).correct).to.equal(score);
    // A submission already scored by a settled claim cannot be re-evaluated.
    await expectRevert(claims.write.evaluateRoot([r.ids.wrong, 0n, rootPoints(r, 0), r.models.get(r.ids.wrong)!]), "AlreadyEvaluated", [r.ids.wrong], ERRORS);
  });

  it("a dishonest claimant who completes the evaluation himself gets only his own bond back, and his score never counts", async function () {
    const r = await toEvaluation(env);
    const { bob, challenger } = r.wallets;
    const labels = labelsOf(r.testPoints);
    const inflated = await claim(env, r, bob, r.ids.wrong, Uint8Array.from(labels));
    const claims = claimsAs(env, r.created.address, bob);
    for (let i = 0; i < r.trees.length; i++) await receipt(env, claims.write.evaluateRoot([r.ids.wrong, BigInt(i), rootPoints(r, i), r.models.get(r.ids.wrong)!]));
    expect(await claims.read.fullEvaluator([r.ids.wrong])).to.equal(getAddress(bob.account.address));
    await receipt(env, claimsAs(env, r.created.address, challenger).write.settleClaim([inflated.claimId]));
    expect(await withdrawable(r, bob)).to.equal(BOND);
    expect(await withdrawable(r, challenger)).to.equal(0n);
    const score = scorePredictions(predictionsOf(WRONG_MODEL, r.testPoints), labels);
    expect((await r.created.organizer.read.submissionAt([r.ids.wrong])).correct).to.equal(score);
    expect(score).to.be.lessThan(labels.length);
    // The perfect model evaluated fully becomes the best, as a settled claim would make it.
    for (let i = 0; i < r.trees.length; i++) await receipt(env, claims.write.evaluateRoot([r.ids.perfect, BigInt(i), rootPoints(r, i), r.models.get(r.ids.perfect)!]));
    expect(await r.created.organizer.read.best()).to.deep.equal([true, r.ids.perfect, BigInt(labels.length)]);
  });

  it("the engine's many-point entry agrees with lib/danku/forward.ts on random dense models", async function () {
    const rng = seededRng(777);
    const implementation = await factoryAs(env, env.wallets[0]!).read.implementation();
    const engineAddress = await competitionAs(env, implementation, env.wallets[0]!).read.evaluator();
    const engine = getContract({ address: engineAddress, abi: dankuEvaluatorEngineAbi, client: env.publicClient });
    for (let m = 0; m < 12; m++) {
      const featureCount = 1 + Math.floor(rng() * 12);
      const classCount = 2 + Math.floor(rng() * 9);
      const hidden = Array.from({ length: Math.floor(rng() * 3) }, () => 1 + Math.floor(rng() * 20));
      const widths = [featureCount, ...hidden, classCount];
      const model: QuantizedModel = {
        widths,
        layers: widths.slice(1).map((fanOut, l) => ({
          shift: l === widths.length - 2 ? 0 : Math.floor(rng() * 8),
          biases: Array.from({ length: fanOut }, () => Math.floor((rng() - 0.5) * 4000)),
          weights: Array.from({ length: fanOut }, () => Array.from({ length: widths[l]! }, () => (rng() < 0.33 ? 0 : Math.floor(rng() * 256) - 128))),
        })),
      };
      const points = Array.from({ length: 1 + Math.floor(rng() * 20) }, () => {
        const features = Array.from({ length: featureCount }, () => (rng() < 0.3 ? 0 : Math.floor(rng() * 256)));
        // Half the labels are the reference's prediction, so the count is neither 0 nor all by chance.
        const label = rng() < 0.5 ? predict(model, features) : Math.floor(rng() * classCount);
        return { features, label };
      });
      const expected = points.filter((p) => predict(model, p.features) === p.label).length;
      const correct = await engine.read.evaluatePoints([bytesHex(encodeModel(model)), bytesHex(encodePoints(points, featureCount, classCount)), BigInt(featureCount + 1), BigInt(classCount)]);
      expect(correct, `model ${m} (${widths.join("-")}) on ${points.length} points`).to.equal(BigInt(expected));
    }
  });
});

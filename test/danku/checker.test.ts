/**
 * The claim-mode checker's planner (lib/danku/checker.ts) without a chain: honest claims get no dispute, every kind
 * of wrong claim gets one whose point and proof verify against the reveal call's root (verifyRevealProof) and whose
 * point is one where the claimed prediction is not the model's, and the window is judged at the next block.
 */
import { expect } from "chai";
import { bytesToHex, decodeFunctionData, encodeFunctionData, keccak256, type Address } from "viem";
import { makePoints, PERFECT_MODEL, WRONG_MODEL } from "./fixtures";
import { claimedPredictions, modelPredictionAt, planClaimChecks, testPointsOf, type ClaimCheck, type PlanProgress } from "../../lib/danku/checker";
import { predictionsOf, revealTree, verifyRevealProof, PREDICTION_PROGRESS_EVERY } from "../../lib/danku/claims";
import { claimScoreCall, disputeClaimCall, settleClaimCall } from "../../lib/chain/claims";
import { dankuClaimModuleAbi } from "../../lib/generated/abis";
import { encodeModel, encodePoints, type DataPoint, type QuantizedModel } from "../../lib/danku/encoding";
import { predict } from "../../lib/danku/forward";
import type { ClaimState } from "../../lib/chain/claims";

const FEATURES = 2;
const WINDOW = 10n;
const CLAIMANT: Address = "0x00000000000000000000000000000000000000c1";

// 9 test points in three reveal calls: 5 (padded to 8 leaves), 1 (a lone root, depth 0) and 3 (padded to 4).
const POINTS: DataPoint[] = makePoints(9, FEATURES, 2, 77);
const CALL_SIZES = [5, 1, 3];
const CALLS = (() => {
  let at = 0;
  return CALL_SIZES.map((n) => {
    const points = POINTS.slice(at, at + n).map((p) => encodePoints([p], FEATURES, 2));
    at += n;
    return { points };
  });
})();
const MODELS = new Map<number, QuantizedModel>([
  [0, PERFECT_MODEL],
  [1, WRONG_MODEL],
]);

function claimOf(id: number, submissionId: number, predictions: Uint8Array, extra: Partial<ClaimState> = {}): ClaimState {
  return {
    id,
    claimant: CLAIMANT,
    submissionId,
    claimBlock: 100n,
    predictionsHash: keccak256(bytesToHex(predictions)),
    bond: 1n,
    correct: 0,
    voided: false,
    settled: false,
    windowClosesAt: 100n + WINDOW,
    ...extra,
  };
}

function plan(claims: { claim: ClaimState; predictions: Uint8Array }[], nextBlock = 101n): ClaimCheck[] {
  return planClaimChecks({
    featureCount: FEATURES,
    nextBlock,
    claims: claims.map((c) => c.claim),
    predictions: new Map(claims.map((c) => [c.claim.id, c.predictions])),
    models: MODELS,
    calls: CALLS,
  });
}

/** Checks a wrong claim's dispute the way the contract will: the proof leads to the call's root and the model disagrees there. */
function expectValidDispute(check: ClaimCheck, model: QuantizedModel, claimed: Uint8Array, expectedIndex: number): void {
  expect(check.verdict).to.equal("wrong");
  const d = check.dispute;
  expect(d, "a wrong claim has dispute arguments").to.not.equal(null);
  if (!d) return;
  expect(check.mismatch?.index).to.equal(expectedIndex);
  const first = CALL_SIZES.slice(0, d.rootIndex).reduce((a, b) => a + b, 0);
  expect(first + d.indexInRoot).to.equal(expectedIndex);
  const root = revealTree([...CALLS[d.rootIndex]!.points]).root;
  expect(verifyRevealProof(root, d.indexInRoot, d.point, d.proof)).to.equal(true);
  expect(Array.from(d.point)).to.deep.equal(Array.from(encodePoints([POINTS[expectedIndex]!], FEATURES, 2)));
  const actual = predict(model, POINTS[expectedIndex]!.features);
  expect(claimed[expectedIndex]).to.not.equal(actual);
  expect(check.mismatch).to.deep.equal({ index: expectedIndex, claimed: claimed[expectedIndex], actual });
  expect(d.predictions).to.equal(claimed);
  expect(d.claimId).to.equal(check.claim.id);
}

describe("claim-mode checker: planClaimChecks", function () {
  const perfect = predictionsOf(PERFECT_MODEL, POINTS);
  const wrongModel = predictionsOf(WRONG_MODEL, POINTS);
  const labels = Uint8Array.from(POINTS.map((p) => p.label));

  it("finds nothing to dispute in honest claims, whatever their score", function () {
    const [good, bad] = plan([
      { claim: claimOf(0, 0, perfect), predictions: perfect },
      { claim: claimOf(1, 1, wrongModel), predictions: wrongModel },
    ]);
    expect(good).to.deep.include({ verdict: "honest", dispute: null, mismatch: null, windowOpen: true, settleable: false });
    expect(good!.actualCorrect).to.equal(POINTS.filter((p, i) => p.label === perfect[i]).length);
    // The weak model's honest claim of its own low score is honest too.
    expect(bad).to.deep.include({ verdict: "honest", dispute: null });
    expect(bad!.actualCorrect).to.equal(POINTS.filter((p, i) => p.label === wrongModel[i]).length);
  });

  it("disputes every kind of wrong claim at its first wrong point, with arguments that verify", function () {
    const flip = (base: Uint8Array, ...at: number[]) => {
      const out = Uint8Array.from(base);
      for (const i of at) out[i] = 1 - out[i]!;
      return out;
    };
    const cases: { name: string; submission: number; predictions: Uint8Array; index: number }[] = [
      { name: "first point of the first call", submission: 0, predictions: flip(perfect, 0), index: 0 },
      { name: "last point of a padded call", submission: 0, predictions: flip(perfect, 4), index: 4 },
      { name: "a lone point (depth-0 root)", submission: 0, predictions: flip(perfect, 5), index: 5 },
      { name: "the very last test point", submission: 0, predictions: flip(perfect, 8), index: 8 },
      { name: "several wrong: the first is disputed", submission: 0, predictions: flip(perfect, 7, 2, 6), index: 2 },
      { name: "every prediction wrong (a deflating griefer)", submission: 0, predictions: flip(perfect, 0, 1, 2, 3, 4, 5, 6, 7, 8), index: 0 },
      // The weak model's submission claimed as perfect: the labels instead of its predictions.
      { name: "the labels claimed for a weak model", submission: 1, predictions: labels, index: wrongModel.findIndex((p, i) => p !== labels[i]) },
    ];
    const checks = plan(cases.map((c, id) => ({ claim: claimOf(id, c.submission, c.predictions), predictions: c.predictions })));
    cases.forEach((c, i) => {
      const model = MODELS.get(c.submission)!;
      expect(c.index, c.name).to.be.greaterThanOrEqual(0);
      expectValidDispute(checks[i]!, model, c.predictions, c.index);
    });
  });

  it("judges the window at the next block: open until windowClosesAt − 1, then only settling", function () {
    const wrong = Uint8Array.from(perfect);
    wrong[3] = 1 - wrong[3]!;
    const claims = [
      { claim: claimOf(0, 0, wrong), predictions: wrong },
      { claim: claimOf(1, 0, perfect), predictions: perfect },
    ];
    const [lastChance] = plan(claims, 100n + WINDOW - 1n);
    expect(lastChance).to.deep.include({ verdict: "wrong", windowOpen: true, settleable: false });
    const [late, honestLate] = plan(claims, 100n + WINDOW);
    expect(late).to.deep.include({ verdict: "window-closed", windowOpen: false, settleable: true, dispute: null });
    expect(late!.mismatch?.index).to.equal(3);
    expect(honestLate).to.deep.include({ verdict: "honest", windowOpen: false, settleable: true });
  });

  it("passes void and settled claims through without needing their predictions or models", function () {
    const checks = planClaimChecks({
      featureCount: FEATURES,
      nextBlock: 101n,
      claims: [claimOf(0, 5, perfect, { voided: true }), claimOf(1, 6, perfect, { settled: true })],
      predictions: new Map(),
      models: new Map(),
      calls: CALLS,
    });
    expect(checks.map((c) => [c.verdict, c.settleable, c.dispute])).to.deep.equal([
      ["void", false, null],
      ["settled", false, null],
    ]);
  });

  it("refuses predictions that are not the claim's, and a claim whose model is missing", function () {
    const other = Uint8Array.from(perfect);
    other[0] = 1 - other[0]!;
    expect(() => plan([{ claim: claimOf(0, 0, perfect), predictions: other }])).to.throw(/not the ones it committed to/);
    expect(() => plan([{ claim: claimOf(0, 9, perfect), predictions: perfect }])).to.throw(/submission 9 .*readRevealedClaimModel/);
  });

  it("reports its progress over the model runs of the submissions with open claims, once each, up to the total", function () {
    const seen: PlanProgress[] = [];
    const wrong = Uint8Array.from(perfect);
    wrong[1] = 1 - wrong[1]!;
    planClaimChecks(
      {
        featureCount: FEATURES,
        nextBlock: 101n,
        // Two open claims of submission 0 (run once), one of submission 1, a voided one of submission 1 (not run).
        claims: [claimOf(0, 0, perfect), claimOf(1, 0, wrong), claimOf(2, 1, wrongModel), claimOf(3, 1, labels, { voided: true })],
        predictions: new Map([
          [0, perfect],
          [1, wrong],
          [2, wrongModel],
        ]),
        models: MODELS,
        calls: CALLS,
      },
      { onProgress: (p) => seen.push(p) },
    );
    const total = 2 * POINTS.length;
    expect(seen[0]).to.deep.equal({ done: 0, total });
    expect(seen.at(-1)).to.deep.equal({ done: total, total });
    expect(seen.every((p) => p.total === total)).to.equal(true);
    expect(seen.every((p, i) => i === 0 || p.done >= seen[i - 1]!.done)).to.equal(true);
  });

  it("says what a model predicts at one global test point, across reveal calls", function () {
    for (const [id, model] of MODELS) {
      POINTS.forEach((p, i) => expect(modelPredictionAt({ featureCount: FEATURES, models: MODELS, calls: CALLS }, id, i), `model ${id} at ${i}`).to.equal(predict(model, p.features)));
    }
    expect(() => modelPredictionAt({ featureCount: FEATURES, models: MODELS, calls: CALLS }, 0, POINTS.length)).to.throw(/beyond the 9 revealed test points/);
    expect(() => modelPredictionAt({ featureCount: FEATURES, models: MODELS, calls: CALLS }, 7, 0)).to.throw(/submission 7/);
  });

  it("computes a claim's predictions and score from the reveal calls: the model's own, scored against the labels", function () {
    const plain = (points: readonly DataPoint[]) => points.map((p) => [Array.from(p.features), p.label]);
    expect(plain(testPointsOf(CALLS, FEATURES))).to.deep.equal(plain(POINTS));
    const claimed = claimedPredictions({ featureCount: FEATURES, models: MODELS, calls: CALLS }, 1);
    expect(Array.from(claimed.predictions)).to.deep.equal(Array.from(wrongModel));
    expect(claimed).to.include({ total: POINTS.length, correct: POINTS.filter((p, i) => p.label === wrongModel[i]).length });
    // Exactly what planClaimChecks finds honest.
    const [check] = plan([{ claim: claimOf(0, 1, claimed.predictions), predictions: claimed.predictions }]);
    expect(check).to.deep.include({ verdict: "honest", actualCorrect: claimed.correct });
    expect(() => claimedPredictions({ featureCount: FEATURES, models: MODELS, calls: CALLS }, 5)).to.throw(/submission 5/);
  });

  it("builds the exact claimScore, disputeClaim and settleClaim calls (the ones the app's transactor and the CLI send)", function () {
    const wrong = Uint8Array.from(perfect);
    wrong[6] = 1 - wrong[6]!;
    const [check] = plan([{ claim: claimOf(4, 0, wrong), predictions: wrong }]);
    const competition: Address = "0x00000000000000000000000000000000000000a1";
    const dispute = disputeClaimCall(competition, check!.dispute!);
    const decoded = decodeFunctionData({ abi: dankuClaimModuleAbi, data: encodeFunctionData(dispute) });
    expect(decoded.functionName).to.equal("disputeClaim");
    expect(decoded.args).to.deep.equal([4n, BigInt(check!.dispute!.rootIndex), BigInt(check!.dispute!.indexInRoot), bytesToHex(check!.dispute!.point), check!.dispute!.proof, bytesToHex(wrong), bytesToHex(encodeModel(PERFECT_MODEL))]);
    expect(dispute.address).to.equal(competition);

    const claim = claimScoreCall(competition, { submissionId: 3, predictions: perfect, bond: 123n });
    expect(claim.value).to.equal(123n);
    expect(decodeFunctionData({ abi: dankuClaimModuleAbi, data: encodeFunctionData(claim) }).args).to.deep.equal([3n, bytesToHex(perfect)]);
    expect(decodeFunctionData({ abi: dankuClaimModuleAbi, data: encodeFunctionData(settleClaimCall(competition, 9)) }).args).to.deep.equal([9n]);
  });
});

describe("claim mode: predictionsOf progress", function () {
  it("reports every PREDICTION_PROGRESS_EVERY points and at the last one, with the same predictions as without", function () {
    const points = makePoints(2 * PREDICTION_PROGRESS_EVERY + 5, FEATURES, 2, 9);
    const seen: [number, number][] = [];
    const withProgress = predictionsOf(PERFECT_MODEL, points, (done, total) => seen.push([done, total]));
    expect(Array.from(withProgress)).to.deep.equal(Array.from(predictionsOf(PERFECT_MODEL, points)));
    expect(seen).to.deep.equal([
      [PREDICTION_PROGRESS_EVERY, points.length],
      [2 * PREDICTION_PROGRESS_EVERY, points.length],
      [points.length, points.length],
    ]);
  });
});

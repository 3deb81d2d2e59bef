/** lib/danku/risk: the odds of one group's placement over repeated draws, and what the redraws cost. */
import { expect } from "chai";
import { requiredEvaluationBlocks, WORST_CASE_POINTS_PER_EVALUATION_TX } from "../../lib/danku/groups";
import { evaluationFit, expectedBurnedRewards, groupSizeSummary, oddsOverDraws, oneGroupOddsTable, oneGroupTrainingOdds } from "../../lib/danku/risk";

describe("lib/danku/risk (one group's placement over repeated draws)", () => {
  it("places one group in the training set with nTrain / G per draw", () => {
    expect(oneGroupTrainingOdds(20, 16)).to.equal(0.8);
    expect(oneGroupTrainingOdds(16, 1)).to.equal(1 / 16);
    expect(() => oneGroupTrainingOdds(0, 0)).to.throw(RangeError);
    expect(() => oneGroupTrainingOdds(10, 11)).to.throw(RangeError);
  });

  it("compounds over k draws as 1 − (1 − p)^k", () => {
    for (const [p, k] of [
      [0.1, 1],
      [0.1, 6],
      [0.8, 3],
      [0.5, 10],
    ] as const) {
      expect(oddsOverDraws(p, k)).to.be.closeTo(1 - (1 - p) ** k, 1e-15);
    }
    // The attack: 16 groups at 10 % training is one training group, 1/16 per draw.
    expect(oddsOverDraws(1 / 16, 6)).to.be.closeTo(0.3211, 1e-4);
    expect(oddsOverDraws(1, 1)).to.equal(1);
    expect(oddsOverDraws(1, 0)).to.equal(0);
    expect(oddsOverDraws(0.3, 0)).to.equal(0);
    // Tiny probabilities do not cancel to 0.
    expect(oddsOverDraws(1e-18, 2)).to.be.closeTo(2e-18, 1e-30);
    expect(() => oddsOverDraws(1.5, 1)).to.throw(RangeError);
    expect(() => oddsOverDraws(0.5, -1)).to.throw(RangeError);
  });

  it("counts the rewards burned by redraws", () => {
    expect(expectedBurnedRewards(0.8)).to.be.closeTo(0.25, 1e-15);
    expect(expectedBurnedRewards(1 / 16)).to.be.closeTo(15, 1e-12);
    expect(expectedBurnedRewards(0)).to.equal(Infinity);
    const table = oneGroupOddsTable(20, 8000);
    expect(table.map((r) => r.draws)).to.deep.equal([1, 2, 3, 5, 10]);
    expect(table[0]).to.deep.equal({ draws: 1, odds: 0.8, rewardsBurned: 0 });
    expect(table[1]!.odds).to.be.closeTo(0.96, 1e-12);
    expect(table[4]!.rewardsBurned).to.equal(9);
    expect(oneGroupOddsTable(16, 1000, [6])[0]!.odds).to.be.closeTo(1 - (15 / 16) ** 6, 1e-12);
  });

  it("says whether the evaluation period holds a worst-case evaluation (the contract's rule)", () => {
    // WORST_CASE_POINTS_PER_EVALUATION_TX points per 15 M gas transaction; the minimum is twice the transactions, never below 10 blocks.
    const perTx = WORST_CASE_POINTS_PER_EVALUATION_TX;
    expect(evaluationFit(perTx, 10)).to.deep.equal({ transactions: 1, minimumPeriod: 10, holds: 10, fits: true });
    const big = 1_000 * perTx + 1;
    expect(evaluationFit(big, 2_002)).to.include({ transactions: 1_001, minimumPeriod: 2_002, fits: true });
    expect(evaluationFit(big, 2_001).fits).to.equal(false);
    expect(evaluationFit(big, 2_002).minimumPeriod).to.equal(requiredEvaluationBlocks(big));
    expect(evaluationFit(0, 10).transactions).to.equal(1);
  });

  it("summarises committed group sizes and the range of the test set", () => {
    // The attack shape: four groups of 30 and twelve of 18,000, one training group.
    const sizes = [30, 30, 30, 30, ...Array.from({ length: 12 }, () => 18_000)];
    const s = groupSizeSummary(sizes, 1);
    expect(s).to.include({ groups: 16, min: 30, max: 18_000, total: 216_120, testPointsMin: 198_120, testPointsMax: 216_090 });
    expect(s.testPointsExpected).to.equal((216_120 * 15) / 16);
    expect(groupSizeSummary([5, 5, 4], 2)).to.include({ min: 4, max: 5, total: 14, testPointsMin: 4, testPointsMax: 5 });
    expect(() => groupSizeSummary([], 0)).to.throw(RangeError);
    expect(() => groupSizeSummary([1, 2], 3)).to.throw(RangeError);
  });
});

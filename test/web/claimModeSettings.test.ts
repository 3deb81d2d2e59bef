import { expect } from "chai";
import { defaultSettings, parseBondGasPrice, validateSettings, withSettingDefaults, type SettingsForm } from "../../components/organizer/settings";
import { disputeCalldataBytes, revealTreeDepth, worstCaseDisputeGas } from "../../lib/danku/claimCosts";
import { MAX_CLAIM_MODE_POINTS } from "../../lib/danku/constants";
import { minimumEvaluationPeriod } from "../../lib/danku/groups";

function claimForm(overrides: Partial<SettingsForm> = {}): SettingsForm {
  return { ...defaultSettings(true), title: "Claims", evaluationMode: "claim", challengeWindow: "40", bondGasPriceGwei: "2.5", ...overrides };
}

describe("wizard settings: claim mode", () => {
  it("gives the exact terms createClaimCompetition takes (window in blocks, bond gas price in wei)", () => {
    const validation = validateSettings(claimForm(), 100, 4);
    expect(validation.ok).to.equal(true);
    if (!validation.ok) return;
    expect(validation.settings.claimTerms).to.deep.equal({ challengeWindow: 40, bondGasPrice: 2_500_000_000n });
  });

  it("gives no terms in the on-chain mode, whatever the claim fields hold", () => {
    const validation = validateSettings(claimForm({ evaluationMode: "onchain", challengeWindow: "x", bondGasPriceGwei: "0" }), 100, 4);
    expect(validation.ok).to.equal(true);
    if (!validation.ok) return;
    expect(validation.settings.claimTerms).to.equal(undefined);
  });

  it("refuses a challenge window outside the contract's 10..100,000 blocks with a message naming the bounds", () => {
    for (const window of ["9", "100001", "12.5", ""]) {
      const validation = validateSettings(claimForm({ challengeWindow: window }), 100, 4);
      expect(validation.ok, window).to.equal(false);
      expect(validation.errors.challengeWindow).to.equal("Enter a whole number of blocks between 10 and 100,000.");
    }
    expect(validateSettings(claimForm({ challengeWindow: "10" }), 100, 4).ok).to.equal(true);
    expect(validateSettings(claimForm({ challengeWindow: "100000" }), 100, 4).ok).to.equal(true);
  });

  it("refuses a bond gas price outside 1..10,000 gwei and parses gwei to wei exactly", () => {
    expect(parseBondGasPrice("1")).to.equal(1_000_000_000n);
    expect(parseBondGasPrice("10000")).to.equal(10_000_000_000_000n);
    expect(parseBondGasPrice("1.000000001")).to.equal(1_000_000_001n);
    for (const price of ["0.999999999", "10000.000000001", "0", "abc", "1.0000000001", ""]) {
      expect(parseBondGasPrice(price), price).to.equal(undefined);
      const validation = validateSettings(claimForm({ bondGasPriceGwei: price }), 100, 4);
      expect(validation.ok, price).to.equal(false);
      expect(validation.errors.bondGasPriceGwei).to.equal("Enter a gas price in gwei between 1 and 10,000 (at most 9 decimals).");
    }
  });

  it("does not demand the on-chain mode's evaluation-period minimum", () => {
    const points = 50_000;
    const short = String(minimumEvaluationPeriod(points) - 1);
    const form = claimForm({ groupMode: "count", groupCount: "500" });
    const periods = { ...form.periods, evaluationPeriod: short };
    expect(validateSettings({ ...form, periods }, points, 4).ok).to.equal(true);
    const onchain = validateSettings({ ...form, evaluationMode: "onchain", periods }, points, 4);
    expect(onchain.ok).to.equal(false);
    expect(onchain.errors.evaluationPeriod).to.match(/^At least /);
  });

  it("refuses claim mode above MAX_CLAIM_MODE_POINTS points and says what to do", () => {
    const form = claimForm({ groupMode: "count", groupCount: "1000" });
    expect(validateSettings(form, MAX_CLAIM_MODE_POINTS, 4).ok).to.equal(true);
    const over = validateSettings(form, MAX_CLAIM_MODE_POINTS + 1, 4);
    expect(over.ok).to.equal(false);
    expect(over.errors.evaluationMode).to.equal(
      "Claim mode takes at most 100,000 points (a claim carries one byte per test point in one transaction); this dataset has 100,001. " +
        "Choose on-chain evaluation or use fewer points.",
    );
  });

  it("a draft saved before the mode existed reads as on-chain evaluation", () => {
    const { evaluationMode: _mode, challengeWindow: _window, bondGasPriceGwei: _price, ...old } = defaultSettings(false);
    const restored = withSettingDefaults(old, false);
    expect(restored.evaluationMode).to.equal("onchain");
    expect(restored.challengeWindow).to.equal("300");
    expect(restored.bondGasPriceGwei).to.equal("10");
  });
});

describe("claim mode: worst-case dispute gas (lib/danku/claimCosts)", () => {
  it("depth is ⌈log₂ n⌉ as the reveal tree's", () => {
    expect([1, 2, 3, 4, 5, 1024, 1025].map(revealTreeDepth)).to.deep.equal([0, 1, 2, 2, 3, 10, 11]);
  });

  it("counts the ABI-encoded calldata of disputeClaim exactly", () => {
    // 4 + 7 heads·32 = 228; point 785 bytes → 32 + 800; proof depth 14 → 32 + 448; predictions 10,000 → 32 + 10,016;
    // the model, by default MAX_MODEL_BYTES (the largest CNN) → 32 + 65,536.
    expect(disputeCalldataBytes(10_000, 784)).to.equal(228 + 832 + 480 + 10_048 + 65_568);
    // One point of one feature: 228 + (32 + 32) + 32 + (32 + 32) + the model.
    expect(disputeCalldataBytes(1, 1)).to.equal(388 + 65_568);
    expect(disputeCalldataBytes(1, 1, 102_962)).to.equal(388 + 32 + 102_976);
  });

  it("bounds a dispute by the base cost and the larger of (16 gas per calldata byte + the worst one-point run) and the 40-gas floor", () => {
    const gas = worstCaseDisputeGas(10_000, 784);
    expect(gas.calldataBytes).to.equal(77_156);
    expect(gas.calldataGas).to.equal(77_156 * 16);
    // A CNN at MAX_WORK (≤ 1 gas per unit) and its fixed part: more than the dense setup and one point (3.18 M).
    expect(gas.evaluationGas).to.equal(12_000_000 + 575_000);
    expect(gas.total).to.equal(21_000 + 1_234_496 + 12_575_000);
    // At or above every dispute measured for this shape (docs/protocol.md §11.7: 1,810,520 dense; docs/cnn.md §8:
    // 9,295,721 for a LeNet-like CNN, 11,640,853 for the heaviest CNN on 20 points).
    expect(gas.total).to.be.greaterThan(11_640_853);
    // The largest claim-mode test set still disputes within one transaction's gas cap.
    expect(worstCaseDisputeGas(MAX_CLAIM_MODE_POINTS, 784).total).to.be.lessThan(16_777_216);
    // A call that is mostly calldata pays the floor instead: 40 gas per byte, no execution on top.
    const big = worstCaseDisputeGas(MAX_CLAIM_MODE_POINTS, 784, 163_840);
    expect(big.total).to.equal(Math.max(21_000 + big.calldataBytes * 40, 21_000 + big.calldataBytes * 16 + 12_575_000));
  });

  it("refuses shapes without points or features", () => {
    expect(() => worstCaseDisputeGas(0, 4)).to.throw("a dispute needs at least one test point (got 0)");
    expect(() => worstCaseDisputeGas(4, 0)).to.throw("a point needs at least one feature (got 0)");
  });
});

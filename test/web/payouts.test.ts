/** lib/web/payouts: the reward shared per revealed submission, donations refunded, when the test data is withheld (docs/protocol.md §7.1). */
import { expect } from "chai";
import { parseEther, type Address } from "viem";
import { testDataWithheld, withheldPayout } from "../../lib/web/payouts";

const A = "0x00000000000000000000000000000000000000aA" as Address;
const B = "0x00000000000000000000000000000000000000bB" as Address;

describe("lib/web/payouts (withheld test data)", () => {
  it("shares the reward (not the donations) per revealed submission, k shares for k submissions, the remainder to the first revealer", () => {
    const pool = parseEther("1") + 1n; // a reward of 1 ETH + 1 wei over 3 revealed submissions
    const donations = parseEther("0.5") + 1n; // refunded to the donors, never shared
    const payout = withheldPayout({ reward: pool, totalDonations: donations }, [
      { id: 2, submitter: A, revealed: true },
      { id: 0, submitter: B, revealed: true },
      { id: 1, submitter: A, revealed: false },
      { id: 3, submitter: A.toLowerCase() as Address, revealed: true },
    ]);
    expect(payout).to.not.equal(undefined);
    expect(payout!.pool).to.equal(pool);
    expect(payout!.refundedDonations).to.equal(donations);
    expect(payout!.revealed).to.equal(3);
    expect(payout!.share).to.equal(pool / 3n);
    expect(payout!.remainder).to.equal(pool % 3n);
    expect(payout!.bySubmitter).to.deep.equal([
      { submitter: B, submissions: 1, amount: pool / 3n },
      { submitter: A, submissions: 2, amount: (pool / 3n) * 2n },
    ]);
    // To the wei: the shares and the remainder are the whole reward; with the refunds, everything deposited.
    expect(payout!.bySubmitter.reduce((sum, s) => sum + s.amount, 0n) + payout!.remainder).to.equal(pool);
    expect(payout!.bySubmitter.reduce((sum, s) => sum + s.amount, 0n) + payout!.remainder + payout!.refundedDonations).to.equal(pool + donations);
    expect(payout!.share).to.equal(333333333333333333n);
    expect(payout!.remainder).to.equal(2n);
  });

  it("has no shares when nothing was revealed (refunds instead)", () => {
    expect(withheldPayout({ reward: parseEther("1"), totalDonations: 5n }, [{ id: 0, submitter: A, revealed: false }])).to.equal(undefined);
  });

  it("calls the test data withheld when finalized so, or when evaluating without a complete test reveal", () => {
    expect(testDataWithheld({ stage: "Finalized", usesTestData: false, testWithheld: true })).to.equal(true);
    expect(testDataWithheld({ stage: "Evaluation", usesTestData: false, testWithheld: false })).to.equal(true);
    expect(testDataWithheld({ stage: "AwaitingFinalization", usesTestData: false, testWithheld: false })).to.equal(true);
    expect(testDataWithheld({ stage: "Evaluation", usesTestData: true, testWithheld: false })).to.equal(false);
    expect(testDataWithheld({ stage: "TestReveal", usesTestData: false, testWithheld: false })).to.equal(false);
    expect(testDataWithheld({ stage: "Finalized", usesTestData: false, testWithheld: false })).to.equal(false);
  });
});

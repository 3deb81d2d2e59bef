/** lib/web/payouts: the pool shared per revealed submission when the test data is withheld (docs/protocol.md §7.1). */
import { expect } from "chai";
import { parseEther, type Address } from "viem";
import { testDataWithheld, withheldPayout } from "../../lib/web/payouts";

const A = "0x00000000000000000000000000000000000000aA" as Address;
const B = "0x00000000000000000000000000000000000000bB" as Address;

describe("lib/web/payouts (withheld test data)", () => {
  it("shares the pool per revealed submission, k shares for k submissions, the remainder to the first revealer", () => {
    const pool = parseEther("1") + 2n; // 1 ETH + 2 wei over 3 revealed submissions
    const payout = withheldPayout(pool, [
      { id: 2, submitter: A, revealed: true },
      { id: 0, submitter: B, revealed: true },
      { id: 1, submitter: A, revealed: false },
      { id: 3, submitter: A.toLowerCase() as Address, revealed: true },
    ]);
    expect(payout).to.not.equal(undefined);
    expect(payout!.revealed).to.equal(3);
    expect(payout!.share).to.equal(pool / 3n);
    expect(payout!.remainder).to.equal(pool % 3n);
    expect(payout!.bySubmitter).to.deep.equal([
      { submitter: B, submissions: 1, amount: pool / 3n },
      { submitter: A, submissions: 2, amount: (pool / 3n) * 2n },
    ]);
    // To the wei: the shares and the remainder are the whole pool.
    expect(payout!.bySubmitter.reduce((sum, s) => sum + s.amount, 0n) + payout!.remainder).to.equal(pool);
  });

  it("has no shares when nothing was revealed (refunds instead)", () => {
    expect(withheldPayout(parseEther("1"), [{ id: 0, submitter: A, revealed: false }])).to.equal(undefined);
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

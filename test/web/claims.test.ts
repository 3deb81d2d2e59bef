/**
 * lib/web/claims.ts: what the competition page's Claims section says — the window seen from the live block (the
 * same rule as the contract: a dispute must be mined before windowClosesAt, settleClaim from it on), each claim's
 * state and verdict, and the wrong point and dispute in words.
 */
import { expect } from "chai";
import type { Address } from "viem";
import type { ClaimState } from "../../lib/chain/claims";
import type { ClaimCheck } from "../../lib/danku/checker";
import { className, claimStatus, claimStepMessage, claimVerdictView, claimWindow, describeDispute, describeWrongPoint } from "../../lib/web/claims";

const CLAIM: ClaimState = {
  id: 2,
  claimant: "0x00000000000000000000000000000000000000c1" as Address,
  submissionId: 1,
  claimBlock: 100n,
  predictionsHash: "0x00",
  bond: 5n,
  correct: 7,
  voided: false,
  settled: false,
  windowClosesAt: 110n,
};

function check(overrides: Partial<ClaimCheck>): ClaimCheck {
  return { claim: CLAIM, verdict: "honest", windowOpen: true, settleable: false, mismatch: null, actualCorrect: 7, dispute: null, ...overrides };
}

describe("claims panel wording (lib/web/claims)", function () {
  it("counts the blocks a dispute can still be mined in, from the next block to windowClosesAt − 1", function () {
    expect(claimWindow(CLAIM, 100n)).to.deep.equal({ open: true, blocksLeft: 9n, lastBlock: 109n, settleFrom: 110n });
    // Head 108: the next block 109 is the last one that takes a dispute.
    expect(claimWindow(CLAIM, 108n)).to.include({ open: true, blocksLeft: 1n });
    // Head 109: the next block is 110, where the contract reverts ChallengeWindowClosed and accepts settleClaim.
    expect(claimWindow(CLAIM, 109n)).to.include({ open: false, blocksLeft: 0n });
    expect(claimWindow(CLAIM, 500n)).to.include({ open: false, blocksLeft: 0n });
  });

  it("names a claim's state: voided wins over settled, open otherwise", function () {
    expect(claimStatus(CLAIM)).to.equal("open");
    expect(claimStatus({ voided: true, settled: false })).to.equal("voided");
    expect(claimStatus({ voided: false, settled: true })).to.equal("settled");
  });

  it("shows verified only for an honest check, wrong with its point whether or not the window is still open", function () {
    expect(claimVerdictView(undefined, true)).to.deep.equal({ kind: "checking" });
    expect(claimVerdictView(undefined, false)).to.deep.equal({ kind: "unchecked" });
    expect(claimVerdictView(check({}), false)).to.deep.equal({ kind: "verified", actualCorrect: 7 });
    const mismatch = { index: 3, claimed: 1, actual: 0 };
    expect(claimVerdictView(check({ verdict: "wrong", mismatch, actualCorrect: 6 }), false)).to.deep.equal({ kind: "wrong", ...mismatch, actualCorrect: 6 });
    expect(claimVerdictView(check({ verdict: "window-closed", mismatch, windowOpen: false }), false)).to.include({ kind: "wrong", index: 3 });
    // A void or settled check is never "verified".
    expect(claimVerdictView(check({ verdict: "void", actualCorrect: null }), false)).to.deep.equal({ kind: "unchecked" });
  });

  it("says the wrong point and the dispute with class names where the metadata has real ones", function () {
    expect(describeWrongPoint({ index: 3, claimed: 1, actual: 0 }, ["low", "high"])).to.equal("wrong at test point 3 (claimed 1 (high), the model gives 0 (low))");
    expect(describeWrongPoint({ index: 3, claimed: 1, actual: 0 }, ["0", "1"])).to.equal("wrong at test point 3 (claimed 1, the model gives 0)");
    expect(className(4)).to.equal("4");
    expect(describeDispute({ point: 8, claimedPrediction: 0 }, 1)).to.equal("at test point 8: claimed 0, the model gives 1");
    expect(describeDispute({ point: 8, claimedPrediction: 0 }, undefined)).to.equal("at test point 8: claimed 0, the model gives another class");
  });

  it("tells the submitter to claim, then to settle an open claim after its window", function () {
    expect(claimStepMessage(1, 190n, undefined)).to.match(/^Claim #1's score before block #190/);
    expect(claimStepMessage(1, 190n, CLAIM)).to.match(/^Claim #2 of #1's score is open: .*from block #110/);
  });
});

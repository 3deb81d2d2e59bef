/**
 * The withheld-test payout (docs/protocol.md §7.1): when the organizer did not reveal the test data in full, there is
 * no evaluation, and at finalization the reward (only the reward) is shared equally per revealed submission —
 * floor(reward / revealed) each, an address with k revealed submissions gets k shares, the first revealer also the
 * remainder — and every donor is refunded its donations (one withdrawal pays an account its shares and its refund).
 * Plain function, unit-tested; the contract's `withdrawable` stays the authority.
 */
import type { Address } from "viem";
import type { CompetitionState, SubmissionState } from "../chain/danku";

export interface WithheldShare {
  readonly submitter: Address;
  /** Revealed submissions of this address. */
  readonly submissions: number;
  /** Their shares, without the remainder (which goes to the first revealer). */
  readonly amount: bigint;
}

export interface WithheldPayout {
  /** What is shared: the reward alone (the event's `pool`). */
  readonly pool: bigint;
  /** All donations, refunded to their donors rather than shared. */
  readonly refundedDonations: bigint;
  readonly revealed: number;
  /** floor(pool / revealed). */
  readonly share: bigint;
  /** pool mod revealed, paid to the first revealer on top of their shares. */
  readonly remainder: bigint;
  /** Per address, in order of their first submission id. */
  readonly bySubmitter: WithheldShare[];
}

/**
 * The shares of the reward the revealed submissions get, or undefined when nothing was revealed (then the old refunds
 * apply: the reward to the organizer, the donations to the donors).
 */
export function withheldPayout(
  state: Pick<CompetitionState, "reward" | "totalDonations">,
  submissions: readonly Pick<SubmissionState, "id" | "submitter" | "revealed">[],
): WithheldPayout | undefined {
  const pool = state.reward;
  const revealed = submissions.filter((s) => s.revealed).sort((a, b) => a.id - b.id);
  if (revealed.length === 0) return undefined;
  const share = pool / BigInt(revealed.length);
  const counts = new Map<string, { submitter: Address; submissions: number }>();
  for (const s of revealed) {
    const key = s.submitter.toLowerCase();
    const entry = counts.get(key) ?? { submitter: s.submitter, submissions: 0 };
    entry.submissions++;
    counts.set(key, entry);
  }
  return {
    pool,
    refundedDonations: state.totalDonations,
    revealed: revealed.length,
    share,
    remainder: pool % BigInt(revealed.length),
    bySubmitter: [...counts.values()].map((e) => ({ ...e, amount: share * BigInt(e.submissions) })),
  };
}

/**
 * Whether the test data is withheld: finalized so (`testWithheld`), or evaluating without a complete test reveal —
 * the test-reveal period is over and the contract will refuse every evaluation (`TestDataWithheld`).
 */
export function testDataWithheld(state: Pick<CompetitionState, "stage" | "usesTestData" | "testWithheld">): boolean {
  if (state.testWithheld) return true;
  return (state.stage === "Evaluation" || state.stage === "AwaitingFinalization") && !state.usesTestData;
}

"use client";

import type { CompetitionState, SubmissionState } from "@/lib/chain/danku";
import { formatEth, formatNumber } from "@/lib/web/format";
import { testDataWithheld, withheldPayout } from "@/lib/web/payouts";
import { AddressText } from "@/components/ui/Address";

const box = "space-y-2 rounded-lg border px-4 py-3 text-sm";

/**
 * The two outcomes the hardened contract adds (docs/protocol.md §3, §7.1): a reward burned because the organizer
 * backed out after the seed block, and a withheld test set, whose reward the revealed submissions share while the
 * donors are refunded.
 */
export function OutcomeNotice({ state, submissions }: { state: CompetitionState; submissions: readonly SubmissionState[] | undefined }) {
  if (state.rewardForfeited) {
    return (
      <div role="status" data-testid="reward-forfeited" className={`${box} border-rose-300 bg-rose-50 text-rose-950 dark:border-rose-800 dark:bg-rose-950/40 dark:text-rose-100`}>
        <p className="font-semibold">Reward forfeited</p>
        <p>
          The organizer cancelled after the seed block #{formatNumber(state.deadlines.splitSeedBlock)}, when the split could be known: the reward of{" "}
          {formatEth(state.reward)} is burned (it stays locked in the contract for ever), so a redraw of the split is never free. Donors withdraw their
          donations in the Actions panel.
        </p>
      </div>
    );
  }
  if (!testDataWithheld(state)) return null;
  const payout = withheldPayout(state, submissions ?? []);
  const finalized = state.stage === "Finalized";
  return (
    <div role="status" data-testid="test-withheld" className={`${box} border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100`}>
      <p className="font-semibold">Test data withheld: no evaluation</p>
      <p>
        The organizer did not reveal the test data in full by block #{formatNumber(state.deadlines.testRevealEnd)}, so no model can be evaluated (the
        contract refuses it) and nobody wins.{" "}
        {payout
          ? `${finalized ? "The" : "At finalization the"} reward of ${formatEth(payout.pool)} ${finalized ? "is" : "will be"} shared equally by the ${formatNumber(payout.revealed)} revealed submission${payout.revealed === 1 ? "" : "s"}: ${formatEth(payout.share, { decimals: 18 })} each. The organizer does not get the reward back; ${payout.refundedDonations > 0n ? `the donations (${formatEth(payout.refundedDonations, { decimals: 18 })}) are refunded to the donors, each withdrawing their own` : "any donation is refunded to its donor"}.`
          : "No submission was revealed, so the reward returns to the organizer and the donations to the donors."}
      </p>
      {payout ? (
        <>
          <ul className="divide-y divide-amber-200 dark:divide-amber-800" aria-label="Who can withdraw what" data-testid="withheld-shares">
            {payout.bySubmitter.map((s) => (
              <li key={s.submitter} className="flex items-center justify-between gap-3 py-1.5">
                <span className="min-w-0">
                  <AddressText address={s.submitter} />
                  <span className="block text-xs opacity-80">
                    {formatNumber(s.submissions)} revealed submission{s.submissions === 1 ? "" : "s"}
                  </span>
                </span>
                <span className="tabular shrink-0 font-semibold">{formatEth(s.amount, { decimals: 18 })}</span>
              </li>
            ))}
          </ul>
          <p className="text-xs opacity-80">
            {payout.remainder > 0n ? `The first to reveal also gets the remainder of ${formatNumber(payout.remainder)} wei. ` : ""}
            {finalized ? "Each withdraws in the Actions panel." : "Anyone can finalize once the evaluation period ends; then each withdraws in the Actions panel."}
          </p>
        </>
      ) : null}
    </div>
  );
}

"use client";

import type { Address } from "viem";
import { formatNumber } from "@/lib/web/format";
import { useOrganizerHistory } from "./useCompetition";

/**
 * The risk no contract removes (docs/protocol.md, "What is still trusted"): the organizer knows the test set, so a
 * model that memorised it, submitted from another address, wins. Shown with the measured figure and with what limits
 * it — the organizer's history in this marketplace.
 */
export function RiskNotice({ organizer, compact = false }: { organizer: Address; compact?: boolean }) {
  const { history, loading } = useOrganizerHistory(organizer);
  return (
    <div
      role="note"
      data-testid="risk-notice"
      className="space-y-2 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100"
    >
      <p className="font-semibold">What you trust the organizer with</p>
      <p>
        The organizer knows the test set. A model that memorises it, submitted from another address, wins: measured 60 / 60 against an honest
        model&apos;s 56 / 60, and it took the reward plus 5 ETH of donations. No contract can tell that address apart.
        {compact
          ? ""
          : " Donations and entries are only as safe as the organizer is honest; what limits this is their record here. If the organizer withholds the test data instead, nobody wins: the revealed submissions share the reward equally and the donors get their donations back."}
      </p>
      <p data-testid="organizer-history">
        <span className="font-medium">Organizer&apos;s history in this marketplace: </span>
        {history ? (
          <>
            {formatNumber(history.created)} created (this one included), {formatNumber(history.cancelled)} cancelled, {formatNumber(history.forfeited)}{" "}
            forfeited, {formatNumber(history.finalizedWithWinner)} finalized with a winner
            {history.finalizedWithWinner > 0 ? ` (${formatNumber(history.wonByOrganizer)} won by the organizer's own address)` : ""},{" "}
            {formatNumber(history.testWithheld)} with the test data withheld, {formatNumber(history.running)} running.
          </>
        ) : loading ? (
          "reading…"
        ) : (
          "not available (the listing could not be read)."
        )}
      </p>
    </div>
  );
}

/**
 * An organizer's record in this marketplace, from the factory's CompetitionCreated events and the summaries the
 * listing already holds (docs/protocol.md, "What is still trusted"). It is what limits the one risk no contract can
 * remove: the organizer knows the test set, so a model that memorised it, submitted from another address, wins.
 * A history of competitions finalized with independent winners, and few cancelled or forfeited, is the evidence
 * donors and submitters have. Plain function, unit-tested.
 */
import type { Address } from "viem";
import type { CompetitionSummary } from "../chain/danku";
import { sameAddress } from "./format";

export interface OrganizerHistory {
  /** Competitions this address created through the factory. */
  readonly created: number;
  /** Not finished yet (any stage before Finalized, Cancelled or SetupExpired). */
  readonly running: number;
  /** Cancelled by the organizer, or set up too late and cancelled by anyone (or still lapsed). */
  readonly cancelled: number;
  /** Cancelled after the seed block: the reward was burned. */
  readonly forfeited: number;
  readonly finalizedWithWinner: number;
  /** Finalized with a winner whose address is the organizer's own. */
  readonly wonByOrganizer: number;
  /** Finalized without a complete test reveal: the reward went to the revealed submissions, the donations back to the donors. */
  readonly testWithheld: number;
  /** Finalized with neither a winner nor a withheld test set (no qualified model: refunds). */
  readonly finalizedWithoutWinner: number;
}

type HistorySummary = Pick<CompetitionSummary, "address" | "organizer" | "stage" | "best" | "rewardForfeited" | "testWithheld">;

/**
 * The history of `organizer` over `summaries` (every listed competition; others' are ignored). `winners` maps a
 * finalized competition's address (any case) to its winner, where known; a winner that is not known is not counted
 * as the organizer's.
 */
export function organizerHistory(
  organizer: Address,
  summaries: readonly HistorySummary[],
  winners: ReadonlyMap<string, Address> = new Map(),
): OrganizerHistory {
  const own = summaries.filter((s) => sameAddress(s.organizer, organizer));
  const winnerOf = (s: HistorySummary) => winners.get(s.address.toLowerCase());
  const finalized = own.filter((s) => s.stage === "Finalized");
  const withWinner = finalized.filter((s) => s.best.exists);
  return {
    created: own.length,
    running: own.filter((s) => s.stage !== "Finalized" && s.stage !== "Cancelled" && s.stage !== "SetupExpired").length,
    cancelled: own.filter((s) => s.stage === "Cancelled" || s.stage === "SetupExpired").length,
    forfeited: own.filter((s) => s.rewardForfeited).length,
    finalizedWithWinner: withWinner.length,
    wonByOrganizer: withWinner.filter((s) => sameAddress(winnerOf(s), organizer)).length,
    testWithheld: finalized.filter((s) => s.testWithheld).length,
    finalizedWithoutWinner: finalized.filter((s) => !s.best.exists && !s.testWithheld).length,
  };
}

/** Finalized competitions of `organizer` that have a winner: the ones whose `winner()` is worth reading. */
export function competitionsWithWinner(organizer: Address, summaries: readonly HistorySummary[]): Address[] {
  return summaries.filter((s) => sameAddress(s.organizer, organizer) && s.stage === "Finalized" && s.best.exists).map((s) => s.address);
}

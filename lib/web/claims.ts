/**
 * What the competition page says about a claim-mode competition's claims (components/competition/ClaimsPanel.tsx):
 * the window seen from the live block, each claim's state and verdict in words, and the mode's trust assumption.
 * The verdicts themselves come from lib/danku/checker.ts planClaimChecks (run in the browser's claims worker).
 */
import type { ClaimDisputeRecord, ClaimState } from "../chain/claims";
import type { ClaimCheck } from "../danku/checker";

/** The claim mode's trust assumption, in one sentence (docs/protocol.md §11). */
export const CLAIM_TRUST_ASSUMPTION =
  "A claimed score counts unless someone disputes it within its challenge window: at least one honest checker (this page, the CLI's modelbounty watch, or the app's server) must be online during every window.";

export interface ClaimWindow {
  /** Whether a dispute sent now is mined inside the window (the next block is before windowClosesAt). */
  open: boolean;
  /** Blocks that can still include a dispute: next block … windowClosesAt − 1 (0 once closed). */
  blocksLeft: bigint;
  /** The last block a dispute can be mined in. */
  lastBlock: bigint;
  /** The first block settleClaim is accepted in. */
  settleFrom: bigint;
}

/** The claim's challenge window seen from the chain's head `head` (the next transaction lands in head + 1). */
export function claimWindow(claim: Pick<ClaimState, "windowClosesAt">, head: bigint): ClaimWindow {
  const next = head + 1n;
  const open = next < claim.windowClosesAt;
  return { open, blocksLeft: open ? claim.windowClosesAt - next : 0n, lastBlock: claim.windowClosesAt - 1n, settleFrom: claim.windowClosesAt };
}

export type ClaimStatus = "open" | "voided" | "settled";

export function claimStatus(claim: Pick<ClaimState, "voided" | "settled">): ClaimStatus {
  return claim.voided ? "voided" : claim.settled ? "settled" : "open";
}

/**
 * An open claim's verdict from this browser's recomputation: `verified` (every claimed prediction is the model's),
 * `wrong` (with the first point where it is not), `checking` while the recomputation runs, `unchecked` if it failed.
 */
export type ClaimVerdictView =
  | { kind: "checking" }
  | { kind: "unchecked" }
  | { kind: "verified"; actualCorrect: number | null }
  | { kind: "wrong"; index: number; claimed: number; actual: number; actualCorrect: number | null };

export function claimVerdictView(check: ClaimCheck | undefined, pending: boolean): ClaimVerdictView {
  if (!check) return pending ? { kind: "checking" } : { kind: "unchecked" };
  if (check.mismatch) return { kind: "wrong", ...check.mismatch, actualCorrect: check.actualCorrect };
  if (check.verdict === "honest") return { kind: "verified", actualCorrect: check.actualCorrect };
  return pending ? { kind: "checking" } : { kind: "unchecked" };
}

/** "wrong at point 3 (claimed 1, model gives 0)", with class names where the metadata has them. */
/** A class as "1 (red)", or "1" where the metadata names no classes (or names them by their numbers). */
export function className(c: number, classNames?: readonly string[]): string {
  const named = classNames?.[c];
  return named !== undefined && named !== String(c) ? `${c} (${named})` : String(c);
}

export function describeWrongPoint(v: { index: number; claimed: number; actual: number }, classNames?: readonly string[]): string {
  const name = (c: number) => className(c, classNames);
  return `wrong at test point ${v.index} (claimed ${name(v.claimed)}, the model gives ${name(v.actual)})`;
}

/** The sentence under a voided claim: who disproved it, where, and what the model really gives there. */
export function describeDispute(d: Pick<ClaimDisputeRecord, "point" | "claimedPrediction">, actual: number | undefined, classNames?: readonly string[]): string {
  const name = (c: number) => className(c, classNames);
  const gives = actual === undefined ? "another class" : name(actual);
  return `at test point ${d.point}: claimed ${name(d.claimedPrediction)}, the model gives ${gives}`;
}

/**
 * The submitter's next step where the on-chain flow would say "evaluate": a claim-mode competition does not evaluate
 * on chain; the submission's score is claimed (with the bond) and counts once its window passes undisputed.
 */
export function claimStepMessage(submissionId: number, evaluationEnd: bigint, openClaim: Pick<ClaimState, "id" | "windowClosesAt"> | undefined): string {
  if (openClaim) {
    return `Claim #${openClaim.id} of #${submissionId}'s score is open: once its challenge window passes undisputed (from block #${openClaim.windowClosesAt}), settle it in the Claims section and the score counts.`;
  }
  return `Claim #${submissionId}'s score before block #${evaluationEnd}: this browser computes its predictions on the test data and the claim sends them with the bond.`;
}

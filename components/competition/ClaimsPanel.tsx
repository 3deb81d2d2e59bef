"use client";

import type { CompetitionState } from "@/lib/chain/danku";
import { disputeClaimCall, settleClaimCall, type ClaimState } from "@/lib/chain/claims";
import type { ClaimCheck } from "@/lib/danku/checker";
import {
  CLAIM_TRUST_ASSUMPTION,
  claimStatus,
  claimVerdictView,
  claimWindow,
  describeDispute,
  describeWrongPoint,
} from "@/lib/web/claims";
import { formatBlocks, formatDuration, formatEth, formatNumber, formatPercent } from "@/lib/web/format";
import { AddressText } from "@/components/ui/Address";
import { Badge } from "@/components/ui/Badge";
import { buttonPrimary, buttonSecondary } from "@/components/ui/styles";
import { ProgressBar } from "@/components/organizer/ProgressBar";
import { Notice } from "@/components/organizer/ui";
import { TransactionStatus } from "@/components/tx/TransactionStatus";
import { useTransactor } from "@/components/tx/useTransactor";
import type { BlockTime } from "@/components/hooks/useBlockTime";
import { useClaimChecks, useClaimsState, type RecomputeProgress } from "./useClaims";

function timeLeft(blocks: bigint, blockTime: BlockTime): string {
  if (blockTime.source === "on-demand") return "this chain mines a block per transaction";
  return formatDuration(Number(blocks) * blockTime.seconds);
}

function RecomputeBar({ progress, claims, testPoints }: { progress: RecomputeProgress; claims: number; testPoints: number }) {
  if (progress.phase === "reading") {
    return <ProgressBar label="Reading the test data and the claimed models from the chain" value={0} max={1} detail="reading…" />;
  }
  return (
    <ProgressBar
      label={`Recomputing ${claims === 1 ? "the claim" : `${formatNumber(claims)} claims`} on ${formatNumber(testPoints)} test points in this browser`}
      value={progress.done}
      max={Math.max(progress.total, 1)}
      detail={`${formatNumber(progress.done)} / ${formatNumber(progress.total)} model runs`}
    />
  );
}

/**
 * The claims of a claim-mode competition (docs/protocol.md §11): every claim with its state, window countdown and
 * outcome; each open claim recomputed in this browser with the checker's own code (useClaimChecks) and marked
 * verified or wrong, a wrong one with a one-click dispute, a claim past its window with Settle.
 */
export function ClaimsPanel({ state, blockTime, classNames }: { state: CompetitionState; blockTime: BlockTime; classNames?: readonly string[] }) {
  const tx = useTransactor();
  const claimsQuery = useClaimsState(state.address, true, state.init1Block);
  const data = claimsQuery.data;
  const checks = useClaimChecks(state.address, data?.claims, data?.disputes);
  const head = state.blockNumber;
  const total = state.testPoints;

  if (!data) {
    return claimsQuery.isError ? (
      <Notice tone="error">The claims could not be read: {claimsQuery.error.message}</Notice>
    ) : (
      <p className="text-sm text-slate-500">Loading the claims…</p>
    );
  }
  const { claims, terms, disputes } = data;
  const openClaims = claims.filter((c) => !c.voided && !c.settled);
  const byId = new Map<number, ClaimCheck>((checks.data?.checks ?? []).map((c) => [c.claim.id, c]));

  function dispute(claim: ClaimState, check: ClaimCheck) {
    if (!check.dispute || !check.mismatch) return;
    void tx.write(`Dispute claim #${claim.id} at test point ${check.mismatch.index}`, disputeClaimCall(state.address, check.dispute));
  }

  return (
    <div className="space-y-4" data-testid="claims-panel">
      <dl className="grid grid-cols-1 gap-3 text-sm sm:grid-cols-2" data-testid="claim-terms">
        <div>
          <dt className="text-xs font-medium text-slate-500 dark:text-slate-400">Bond per claim</dt>
          <dd className="tabular font-semibold" data-testid="claim-terms-bond">
            {formatEth(terms.bond)}
          </dd>
          <dd className="text-xs text-slate-500 dark:text-slate-400">Back to an honest claimant; to the challenger of a wrong claim.</dd>
        </div>
        <div>
          <dt className="text-xs font-medium text-slate-500 dark:text-slate-400">Challenge window</dt>
          <dd className="tabular font-semibold" data-testid="claim-terms-window">
            {formatBlocks(terms.challengeWindow)}
          </dd>
          <dd className="text-xs text-slate-500 dark:text-slate-400">From the claim&apos;s block; then the claim can be settled and counts.</dd>
        </div>
      </dl>
      <p className="text-sm text-slate-700 dark:text-slate-200" data-testid="claim-trust">
        {CLAIM_TRUST_ASSUMPTION}
      </p>

      {checks.progress && openClaims.length > 0 ? <RecomputeBar progress={checks.progress} claims={openClaims.length} testPoints={total} /> : null}
      {checks.isError ? (
        <Notice tone="error" testId="claims-check-error">
          This browser could not recompute the claims: {checks.error.message}
        </Notice>
      ) : null}

      {claims.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-500 dark:border-slate-700 dark:text-slate-400">
          No claims yet. Once the test data is revealed, anyone can claim a revealed submission&apos;s score with the bond.
        </p>
      ) : (
        <ul className="space-y-3" aria-label="Claims">
          {claims.map((claim) => {
            const status = claimStatus(claim);
            const window = claimWindow(claim, head);
            const check = byId.get(claim.id);
            const verdict = status === "open" ? claimVerdictView(check, checks.isFetching || checks.isPending) : undefined;
            const record = disputes.get(claim.id);
            return (
              <li
                key={claim.id}
                className="rounded-lg border border-slate-200 p-3 dark:border-slate-800"
                data-testid="claim"
                data-claim-id={claim.id}
                data-state={status}
                data-verdict={verdict?.kind}
              >
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <p className="text-sm font-semibold">
                    Claim #{claim.id} · submission #{claim.submissionId}
                  </p>
                  {status === "open" ? (
                    <Badge tone="progress">{window.open ? "Open" : "Window closed"}</Badge>
                  ) : status === "voided" ? (
                    <Badge tone="closed">Disproven</Badge>
                  ) : (
                    <Badge tone="done">Settled</Badge>
                  )}
                </div>
                <p className="mt-1 text-sm text-slate-700 dark:text-slate-200">
                  By <AddressText address={claim.claimant} /> ·{" "}
                  <span className="tabular" data-testid="claim-score">
                    {formatNumber(claim.correct)} / {formatNumber(total)}
                  </span>{" "}
                  correct ({formatPercent(claim.correct, total)}) · bond <span className="tabular">{formatEth(claim.bond)}</span>
                </p>

                {status === "open" ? (
                  <p className="mt-1 text-xs text-slate-600 dark:text-slate-300" data-testid="claim-window">
                    {window.open
                      ? `Challenge window: ${formatBlocks(window.blocksLeft)} left (disputes until block #${formatNumber(window.lastBlock)}; ${timeLeft(window.blocksLeft, blockTime)})`
                      : `Challenge window closed at block #${formatNumber(window.settleFrom)}: anyone can settle the claim now.`}
                  </p>
                ) : null}

                {verdict?.kind === "verified" ? (
                  <p className="mt-1 text-sm text-emerald-700 dark:text-emerald-400" data-testid="claim-verdict">
                    Verified in this browser: every claimed prediction is the model&apos;s own.
                  </p>
                ) : null}
                {verdict?.kind === "wrong" ? (
                  <p className="mt-1 text-sm text-rose-700 dark:text-rose-400" data-testid="claim-verdict">
                    {`Recomputed in this browser: ${describeWrongPoint(verdict, classNames)}`}
                    {verdict.actualCorrect !== null ? `; the model's real score is ${formatNumber(verdict.actualCorrect)} / ${formatNumber(total)}.` : "."}
                  </p>
                ) : null}
                {verdict?.kind === "checking" ? (
                  <p className="mt-1 text-sm text-slate-500" data-testid="claim-verdict">
                    Recomputing in this browser…
                  </p>
                ) : null}

                {status === "voided" ? (
                  <p className="mt-1 text-sm text-slate-700 dark:text-slate-200" data-testid="claim-dispute">
                    {record ? (
                      <>
                        Disproven by <AddressText address={record.challenger} /> in block #{formatNumber(record.blockNumber)}{" "}
                        {describeDispute(record, checks.data?.disputedActual.get(claim.id), classNames)}; the bond of {formatEth(record.bond)} went to the challenger.
                      </>
                    ) : (
                      "Disproven by a dispute; its bond went to the challenger."
                    )}
                  </p>
                ) : null}
                {status === "settled" ? (
                  <p className="mt-1 text-sm text-slate-700 dark:text-slate-200" data-testid="claim-settled">
                    Settled after its window passed undisputed: the bond went back to the claimant and the score counts for submission #{claim.submissionId} if it had none.
                  </p>
                ) : null}

                <div className="mt-2 flex flex-wrap gap-2">
                  {status === "open" && window.open && verdict?.kind === "wrong" && check?.dispute ? (
                    <button type="button" className={buttonPrimary} disabled={tx.busy} onClick={() => dispute(claim, check)}>
                      Dispute claim #{claim.id}
                    </button>
                  ) : null}
                  {status === "open" && !window.open ? (
                    <button
                      type="button"
                      className={buttonSecondary}
                      disabled={tx.busy}
                      onClick={() => void tx.write(`Settle claim #${claim.id}`, settleClaimCall(state.address, claim.id))}
                    >
                      Settle claim #{claim.id}
                    </button>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <TransactionStatus state={tx.state} onDismiss={tx.reset} />
    </div>
  );
}

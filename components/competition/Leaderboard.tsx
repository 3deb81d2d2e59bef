"use client";

import type { CompetitionState, SubmissionState } from "@/lib/chain/danku";
import { formatNumber, formatPercent } from "@/lib/web/format";
import { testDataWithheld } from "@/lib/web/payouts";
import { AddressText } from "@/components/ui/Address";
import { Badge } from "@/components/ui/Badge";
import { Skeleton } from "@/components/ui/Skeleton";
import { TrophyIcon } from "@/components/ui/Icons";

/** Evaluated first, by score (ties to the earliest commit, as the contract decides), then by submission id. */
export function rankSubmissions(submissions: readonly SubmissionState[]): SubmissionState[] {
  return [...submissions].sort((a, b) => {
    if (a.evaluated !== b.evaluated) return a.evaluated ? -1 : 1;
    if (a.evaluated && b.evaluated && a.correct !== b.correct) return b.correct - a.correct;
    return a.id - b.id;
  });
}

function status(s: SubmissionState, total: number) {
  if (s.evaluated) return <Badge tone="done">Evaluated</Badge>;
  if (s.cursor > 0) return <Badge tone="progress">Evaluating {formatPercent(s.cursor, total, 0)}</Badge>;
  if (s.revealed) return <Badge tone="progress">Revealed</Badge>;
  return <Badge tone="neutral">Committed</Badge>;
}

export function Leaderboard({ state, submissions, loading }: { state: CompetitionState; submissions: readonly SubmissionState[] | undefined; loading: boolean }) {
  const total = state.usesTestData ? state.testPoints : state.trainingPoints;
  const threshold = state.config.minAccuracyBps;
  if (loading && !submissions) {
    return (
      <div className="space-y-2" aria-hidden>
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} className="h-9 w-full" />
        ))}
      </div>
    );
  }
  if (!submissions || submissions.length === 0) {
    return <p className="rounded-lg border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-500 dark:border-slate-700 dark:text-slate-400">No submissions yet.</p>;
  }
  const ranked = rankSubmissions(submissions);
  const withheld = testDataWithheld(state);
  return (
    <div className="-mx-5 overflow-x-auto sm:mx-0">
      {withheld ? (
        <p className="mb-3 px-5 text-sm text-slate-600 sm:px-0 dark:text-slate-300" data-testid="leaderboard-withheld">
          No scores: the test data was not revealed in full, so no model is evaluated; the revealed submissions share the reward equally and the donors are refunded.
        </p>
      ) : null}
      <table className="min-w-full text-left text-sm" data-testid="leaderboard">
        <caption className="sr-only">Leaderboard: submissions ranked by on-chain score</caption>
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-5 py-2 font-medium sm:pl-0">
              Rank
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Submitter
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Status
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Score
            </th>
            <th scope="col" className="px-5 py-2 text-right font-medium sm:pr-0">
              Accuracy
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {ranked.map((s, i) => {
            const isBest = state.best.exists && state.best.id === s.id;
            const qualified = s.evaluated && total > 0 && s.correct * 10000 >= threshold * total;
            return (
              <tr key={s.id} className={isBest ? "bg-amber-50/60 dark:bg-amber-400/5" : undefined}>
                <td className="tabular px-5 py-2.5 font-semibold sm:pl-0">
                  <span className="inline-flex items-center gap-1.5">
                    {s.evaluated ? i + 1 : "–"}
                    {isBest ? <TrophyIcon className="text-amber-500" title={state.stage === "Finalized" ? "Winner" : "Best so far"} /> : null}
                  </span>
                </td>
                <td className="px-3 py-2.5">
                  <AddressText address={s.submitter} />
                  <span className="block text-xs text-slate-500 dark:text-slate-400">submission #{s.id}</span>
                </td>
                <td className="px-3 py-2.5">{status(s, total)}</td>
                <td className="tabular px-3 py-2.5 text-right">
                  {s.evaluated || s.cursor > 0 ? (
                    <>
                      {formatNumber(s.correct)} / {formatNumber(s.evaluated ? total : s.cursor)}
                    </>
                  ) : (
                    <span className="text-slate-400">—</span>
                  )}
                </td>
                <td className="tabular px-5 py-2.5 text-right sm:pr-0">
                  {s.evaluated ? (
                    <span className="inline-flex items-center gap-2">
                      {formatPercent(s.correct, total)}
                      {qualified ? null : (
                        <span className="text-xs text-slate-500" title={`Below the ${threshold / 100} % minimum accuracy`}>
                          below minimum
                        </span>
                      )}
                    </span>
                  ) : (
                    <span className="text-slate-400">—</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

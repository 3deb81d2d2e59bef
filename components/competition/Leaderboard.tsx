"use client";

import type { CompetitionState, SubmissionState } from "@/lib/chain/danku";
import { formatNumber, formatPercent } from "@/lib/web/format";
import { testDataWithheld } from "@/lib/web/payouts";
import { AddressText } from "@/components/ui/Address";
import { Badge } from "@/components/ui/Badge";
import { Skeleton } from "@/components/ui/Skeleton";
import { TrophyIcon } from "@/components/ui/Icons";
import { StackedTable, type StackedColumn } from "@/components/ui/StackedTable";

interface RankedRow {
  submission: SubmissionState;
  /** 1 for the best evaluated submission; none for one not evaluated yet. */
  rank?: number;
}

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
  const ranked = rankSubmissions(submissions).map((submission, i) => ({ submission, rank: submission.evaluated ? i + 1 : undefined }));
  const withheld = testDataWithheld(state);
  const columns: StackedColumn<RankedRow>[] = [
    {
      key: "rank",
      header: "Rank",
      cell: ({ submission: s, rank }) => (
        <span className="inline-flex items-center gap-1.5 font-semibold">
          {rank ?? "–"}
          {state.best.exists && state.best.id === s.id ? <TrophyIcon className="text-amber-500" title={state.stage === "Finalized" ? "Winner" : "Best so far"} /> : null}
        </span>
      ),
    },
    {
      key: "submitter",
      header: "Submitter",
      cell: ({ submission: s }) => (
        <>
          <AddressText address={s.submitter} />
          <span className="block text-xs font-normal text-slate-500 dark:text-slate-400">submission #{s.id}</span>
        </>
      ),
    },
    { key: "status", header: "Status", cell: ({ submission: s }) => status(s, total) },
    {
      key: "score",
      header: "Score",
      align: "right",
      cell: ({ submission: s }) =>
        s.evaluated || s.cursor > 0 ? (
          <>
            {formatNumber(s.correct)} / {formatNumber(s.evaluated ? total : s.cursor)}
          </>
        ) : (
          <span className="text-slate-400">—</span>
        ),
    },
    {
      key: "accuracy",
      header: "Accuracy",
      align: "right",
      cell: ({ submission: s }) =>
        s.evaluated ? (
          <span className="inline-flex flex-wrap items-center justify-end gap-x-2">
            {formatPercent(s.correct, total)}
            {total > 0 && s.correct * 10000 >= threshold * total ? null : (
              <span className="text-xs text-slate-500" title={`Below the ${threshold / 100} % minimum accuracy`}>
                below minimum
              </span>
            )}
          </span>
        ) : (
          <span className="text-slate-400">—</span>
        ),
    },
  ];
  return (
    <div>
      {withheld ? (
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-300" data-testid="leaderboard-withheld">
          No scores: the test data was not revealed in full, so no model is evaluated; the revealed submissions share the reward equally and the donors are refunded.
        </p>
      ) : null}
      <StackedTable
        caption="Leaderboard: submissions ranked by on-chain score"
        columns={columns}
        rows={ranked}
        rowKey={(row) => row.submission.id}
        rowClassName={(row) => (state.best.exists && state.best.id === row.submission.id ? "bg-amber-50/60 dark:bg-amber-400/5" : undefined)}
        headClassName="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400"
        cellPadding="sm:px-3 sm:py-2.5 sm:first:pl-0 sm:last:pr-0"
        testId="leaderboard"
      />
    </div>
  );
}

"use client";

import type { ProblemState } from "@/lib/chain/daimon";
import { describeWindow, problemSchedule, roundWindow } from "@/lib/web/daimon";
import { formatBlocks, formatDuration, formatNumber } from "@/lib/web/format";
import { CheckIcon } from "@/components/ui/Icons";
import { describeBlockTime, type BlockTime } from "@/components/hooks/useBlockTime";

interface Step {
  key: string;
  title: string;
  status: "done" | "current" | "upcoming";
  window?: { start: bigint; end: bigint };
  note?: string;
}

/** The definition period, then fixed rounds of T_b blocks: where the problem is now and how many blocks are left. */
export function RoundSchedule({ state, blockTime }: { state: ProblemState; blockTime: BlockTime }) {
  const schedule = problemSchedule(state, state.blockNumber);
  const definition = { start: state.createdBlock, end: state.definitionEnd };
  const steps: Step[] = [
    {
      key: "definition",
      title: "Definition period",
      status: schedule.phase === "Definition" ? "current" : "done",
      window: definition,
      note: `${state.tupleCount} tuple${state.tupleCount === 1 ? "" : "s"}${state.config.openTuples ? ", open to contributors" : ", by the creator only"}`,
    },
  ];
  if (schedule.phase === "Dead") {
    steps.push({ key: "dead", title: "No competition", status: "current", note: "no tuple was added, so the problem is dead" });
  } else {
    const round = schedule.round ?? 0n;
    if (round > 0n) {
      const previous = round - 1n;
      const waiting = state.pendingRound.open && state.pendingRound.round === previous;
      steps.push({
        key: "previous",
        title: `Round ${formatNumber(previous)}`,
        status: "done",
        window: roundWindow(previous, state),
        note: waiting ? "over; its proofs wait for the block to be committed" : undefined,
      });
    }
    steps.push({
      key: "current",
      title: `Round ${formatNumber(round)}`,
      status: schedule.phase === "Competition" ? "current" : "upcoming",
      window: roundWindow(round, state),
      note:
        state.pendingRound.open && state.pendingRound.round === round
          ? state.pendingRound.leaderVotes === 0
            ? "proofs waiting for votes"
            : `${state.pendingRound.leaderVotes} vote${state.pendingRound.leaderVotes === 1 ? "" : "s"} for the leading proof`
          : "no proof yet",
    });
    steps.push({ key: "next", title: `Round ${formatNumber(round + 1n)}`, status: "upcoming", window: roundWindow(round + 1n, state) });
  }
  return (
    <ol className="relative space-y-0" aria-label="Phases and rounds" data-testid="round-schedule">
      {steps.map((step, i) => {
        const isCurrent = step.status === "current";
        const left = isCurrent ? schedule.blocksLeft : undefined;
        const length = step.window ? step.window.end - step.window.start : undefined;
        const progress =
          isCurrent && step.window && length && length > 0n ? Math.min(100, Math.max(0, (Number(state.blockNumber - step.window.start + 1n) / Number(length)) * 100)) : undefined;
        return (
          <li key={step.key} className="relative flex gap-4 pb-5 last:pb-0" aria-current={isCurrent ? "step" : undefined}>
            {i < steps.length - 1 ? <span aria-hidden className={`absolute left-[11px] top-7 h-[calc(100%-1.5rem)] w-0.5 ${step.status === "done" ? "bg-indigo-500" : "bg-slate-200 dark:bg-slate-700"}`} /> : null}
            <span
              aria-hidden
              className={`relative z-10 mt-0.5 grid size-6 shrink-0 place-items-center rounded-full text-xs font-bold ${
                step.status === "done"
                  ? "bg-indigo-600 text-white"
                  : isCurrent
                    ? "bg-white text-indigo-700 ring-2 ring-indigo-600 dark:bg-slate-900 dark:text-indigo-300"
                    : "bg-slate-100 text-slate-400 ring-1 ring-slate-200 dark:bg-slate-800 dark:ring-slate-700"
              }`}
            >
              {step.status === "done" ? <CheckIcon /> : i + 1}
            </span>
            <div className="min-w-0 flex-1">
              <p className={`text-sm font-semibold ${step.status === "upcoming" ? "text-slate-500 dark:text-slate-400" : "text-slate-900 dark:text-white"}`}>
                {step.title}
                <span className="sr-only"> ({isCurrent ? "now" : step.status})</span>
                {isCurrent ? <span className="ml-2 rounded-full bg-indigo-50 px-2 py-0.5 text-xs font-medium text-indigo-700 dark:bg-indigo-500/10 dark:text-indigo-300">now</span> : null}
              </p>
              <p className="tabular text-xs text-slate-500 dark:text-slate-400">
                {step.window ? describeWindow(step.window) : ""}
                {step.note ? `${step.window ? " · " : ""}${step.note}` : ""}
              </p>
              {isCurrent && left !== undefined ? (
                <div className="mt-2">
                  <p className="tabular text-sm text-slate-700 dark:text-slate-200" data-testid="blocks-left">
                    <strong>{left === 0n ? "Ends with the next block" : `${formatBlocks(left)} left`}</strong>
                    {left > 0n ? (
                      <span className="text-slate-500 dark:text-slate-400" title={describeBlockTime(blockTime)}>
                        {" "}
                        · {formatDuration(Number(left) * blockTime.seconds)}
                      </span>
                    ) : null}
                  </p>
                  {progress !== undefined ? (
                    <div
                      className="mt-1.5 h-1.5 w-full max-w-sm overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800"
                      role="progressbar"
                      aria-label={`${step.title} progress`}
                      aria-valuemin={0}
                      aria-valuemax={100}
                      aria-valuenow={Math.round(progress)}
                    >
                      <div className="h-full rounded-full bg-indigo-500" style={{ width: `${progress}%` }} />
                    </div>
                  ) : null}
                </div>
              ) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

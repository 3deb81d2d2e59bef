"use client";

import type { CompetitionState } from "@/lib/chain/danku";
import { buildTimeline, type TimelineStep } from "@/lib/web/stages";
import { formatBlocks, formatDuration, formatNumber } from "@/lib/web/format";
import { CheckIcon } from "@/components/ui/Icons";
import { describeBlockTime, type BlockTime } from "@/components/hooks/useBlockTime";

function range(step: TimelineStep): string {
  if (step.start !== undefined && step.end !== undefined) return `blocks #${formatNumber(step.start)} – #${formatNumber(step.end - 1n)}`;
  if (step.end !== undefined) return `until block #${formatNumber(step.end - 1n)}`;
  if (step.start !== undefined) return `from block #${formatNumber(step.start)}`;
  if (step.period !== undefined) return `${formatBlocks(step.period)}, once the training data is revealed`;
  return "";
}

export function StageTimeline({ state, blockTime }: { state: CompetitionState; blockTime: BlockTime }) {
  const steps = buildTimeline(state);
  const current = state.blockNumber;
  return (
    <ol className="relative space-y-0" aria-label="Stages">
      {steps.map((step, i) => {
        const isCurrent = step.status === "current";
        const left = isCurrent && step.end !== undefined ? (step.end - current - 1n > 0n ? step.end - current - 1n : 0n) : undefined;
        const length = step.start !== undefined && step.end !== undefined ? step.end - step.start : undefined;
        const progress = isCurrent && length && length > 0n && step.start !== undefined ? Math.min(100, Math.max(0, (Number(current - step.start + 1n) / Number(length)) * 100)) : undefined;
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
              <p className={`text-sm font-semibold ${step.status === "upcoming" || step.status === "skipped" ? "text-slate-500 dark:text-slate-400" : "text-slate-900 dark:text-white"}`}>
                {step.title}
                <span className="sr-only"> ({step.status === "current" ? "current stage" : step.status})</span>
                {isCurrent ? <span className="ml-2 rounded-full bg-indigo-50 px-2 py-0.5 text-xs font-medium text-indigo-700 dark:bg-indigo-500/10 dark:text-indigo-300">now</span> : null}
              </p>
              <p className="tabular text-xs text-slate-500 dark:text-slate-400">
                {range(step)}
                {step.note ? ` · ${step.note}` : ""}
              </p>
              {isCurrent && left !== undefined ? (
                <div className="mt-2">
                  <p className="tabular text-sm text-slate-700 dark:text-slate-200">
                    <strong>{left === 0n ? "Ends with the next block" : `${formatBlocks(left)} left`}</strong>
                    {left > 0n ? (
                      <span className="text-slate-500 dark:text-slate-400" title={describeBlockTime(blockTime)}>
                        {" "}
                        · {formatDuration(Number(left) * blockTime.seconds)}
                      </span>
                    ) : null}
                  </p>
                  {progress !== undefined ? (
                    <div className="mt-1.5 h-1.5 w-full max-w-sm overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800" role="progressbar" aria-label={`${step.title} progress`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress)}>
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

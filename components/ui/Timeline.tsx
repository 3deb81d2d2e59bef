"use client";

import { formatBlocks, formatDuration } from "@/lib/web/format";
import { CheckIcon } from "@/components/ui/Icons";
import { describeBlockTime, type BlockTime } from "@/components/hooks/useBlockTime";

export interface TimelineItem {
  key: string;
  title: string;
  status: "done" | "current" | "upcoming" | "skipped";
  /** Blocks, window and notes, one line. */
  detail: string;
  /** The current item's blocks [start, end) and what is left of them, for its countdown and progress bar. */
  window?: { start: bigint; end: bigint };
  left?: bigint;
}

/**
 * A vertical list of stages (a competition's) or phases and rounds (a problem's): done ones ticked, the current one
 * marked for screen readers (`aria-current="step"`) with its blocks left, a time estimate and a progress bar.
 */
export function Timeline({ label, items, currentBlock, blockTime, testId }: { label: string; items: TimelineItem[]; currentBlock: bigint; blockTime: BlockTime; testId?: string }) {
  return (
    <ol className="relative space-y-0" aria-label={label} data-testid={testId}>
      {items.map((item, i) => {
        const isCurrent = item.status === "current";
        const length = item.window ? item.window.end - item.window.start : undefined;
        const progress =
          isCurrent && item.window && length && length > 0n ? Math.min(100, Math.max(0, (Number(currentBlock - item.window.start + 1n) / Number(length)) * 100)) : undefined;
        return (
          <li key={item.key} className="relative flex gap-4 pb-5 last:pb-0" aria-current={isCurrent ? "step" : undefined}>
            {i < items.length - 1 ? <span aria-hidden className={`absolute left-[11px] top-7 h-[calc(100%-1.5rem)] w-0.5 ${item.status === "done" ? "bg-indigo-500" : "bg-slate-200 dark:bg-slate-700"}`} /> : null}
            <span
              aria-hidden
              className={`relative z-10 mt-0.5 grid size-6 shrink-0 place-items-center rounded-full text-xs font-bold ${
                item.status === "done"
                  ? "bg-indigo-600 text-white"
                  : isCurrent
                    ? "bg-white text-indigo-700 ring-2 ring-indigo-600 dark:bg-slate-900 dark:text-indigo-300"
                    : "bg-slate-100 text-slate-400 ring-1 ring-slate-200 dark:bg-slate-800 dark:ring-slate-700"
              }`}
            >
              {item.status === "done" ? <CheckIcon /> : i + 1}
            </span>
            <div className="min-w-0 flex-1">
              <p className={`text-sm font-semibold ${item.status === "upcoming" || item.status === "skipped" ? "text-slate-500 dark:text-slate-400" : "text-slate-900 dark:text-white"}`}>
                {item.title}
                <span className="sr-only"> ({isCurrent ? "now" : item.status})</span>
                {isCurrent ? <span className="ml-2 rounded-full bg-indigo-50 px-2 py-0.5 text-xs font-medium text-indigo-700 dark:bg-indigo-500/10 dark:text-indigo-300">now</span> : null}
              </p>
              <p className="tabular text-xs text-slate-500 dark:text-slate-400">{item.detail}</p>
              {isCurrent && item.left !== undefined ? (
                <div className="mt-2">
                  <p className="tabular text-sm text-slate-700 dark:text-slate-200" data-testid="blocks-left">
                    <strong>{item.left === 0n ? "Ends with the next block" : `${formatBlocks(item.left)} left`}</strong>
                    {item.left > 0n ? (
                      <span className="text-slate-500 dark:text-slate-400" title={describeBlockTime(blockTime)}>
                        {" "}
                        · {formatDuration(Number(item.left) * blockTime.seconds)}
                      </span>
                    ) : null}
                  </p>
                  {progress !== undefined ? (
                    <div
                      className="mt-1.5 h-1.5 w-full max-w-sm overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800"
                      role="progressbar"
                      aria-label={`${item.title} progress`}
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

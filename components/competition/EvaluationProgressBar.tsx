import { formatNumber, formatPercent } from "@/lib/web/format";
import type { EvaluationProgress } from "./useEvaluation";

/** How far a submission's on-chain evaluation has come (the contract's cursor), and its score once done. */
export function EvaluationProgressBar({ progress }: { progress: EvaluationProgress }) {
  return (
    <div>
      <div className="flex justify-between text-xs text-slate-600 dark:text-slate-300">
        <span>
          Submission #{progress.id}: {formatNumber(progress.cursor)} of {formatNumber(progress.total)} points
        </span>
        <span className="tabular">{progress.done ? `done · ${formatPercent(progress.correct, progress.total)} correct` : formatPercent(progress.cursor, progress.total, 0)}</span>
      </div>
      <div
        className="mt-1.5 h-2 w-full overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800"
        role="progressbar"
        aria-label={`Evaluation of submission #${progress.id}`}
        aria-valuemin={0}
        aria-valuemax={progress.total}
        aria-valuenow={progress.cursor}
      >
        <div className={`h-full rounded-full transition-all ${progress.done ? "bg-emerald-500" : "bg-indigo-500"}`} style={{ width: `${progress.total > 0 ? (progress.cursor / progress.total) * 100 : 0}%` }} />
      </div>
    </div>
  );
}

/**
 * Charts of a model's preview score: a confusion matrix and per-class accuracy bars. Both are HTML, not scaled SVG,
 * so their text keeps its size on a phone (≥ 12 px) and labels sit beside the cells instead of over them (issue 12
 * §5). The matrix is a table a screen reader reads cell by cell; the bars are a list whose items say their numbers.
 */
import { useId } from "react";
import type { ClassAccuracy } from "@/lib/danku/confusion";

/** Classes drawn in the on-screen matrix; more are listed in the full table below it. */
const SHOWN_CLASSES = 12;
/** Classes drawn as bars. */
const SHOWN_BARS = 40;

function percentText(share: number): string {
  return `${(100 * share).toFixed(share === 1 || share === 0 ? 0 : 1)} %`;
}

/** The cell's shade: emerald on the diagonal (right), rose off it (wrong), stronger for a larger share of the row. */
function shade(correct: boolean, share: number, count: number): { backgroundColor: string; color?: string } {
  const alpha = count === 0 ? 0.06 : 0.15 + 0.8 * share;
  const rgb = correct ? "16 185 129" : "244 63 94";
  return { backgroundColor: `rgb(${rgb} / ${alpha.toFixed(3)})`, color: alpha > 0.6 ? "white" : undefined };
}

function MatrixTable({ confusion, classNames, classes, labelledBy, compact }: { confusion: readonly (readonly number[])[]; classNames: readonly string[]; classes: number; labelledBy?: string; compact?: boolean }) {
  const name = (c: number) => classNames[c] ?? String(c);
  const rows = confusion.slice(0, classes);
  return (
    <table aria-labelledby={labelledBy} className="border-separate border-spacing-0.5 text-sm tabular-nums">
      <thead>
        <tr>
          <th scope="col" className="px-1 pb-1 text-left align-bottom text-xs font-normal text-slate-500 dark:text-slate-400">
            true ↓ predicted →
          </th>
          {rows.map((_, p) => (
            <th key={p} scope="col" title={name(p)} className="max-w-24 break-words px-1 pb-1 align-bottom text-xs font-medium">
              {name(p)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, t) => {
          const total = row.reduce((a, b) => a + b, 0);
          return (
            <tr key={t}>
              <th scope="row" title={name(t)} className="max-w-28 break-words px-1 text-left text-xs font-medium">
                {name(t)}
              </th>
              {row.slice(0, classes).map((n, p) => {
                const share = total > 0 ? n / total : 0;
                return (
                  <td
                    key={p}
                    className={`rounded text-center ${compact ? "min-w-10 px-1.5 py-1" : "h-12 min-w-12 px-1.5"}`}
                    style={shade(t === p, share, n)}
                  >
                    <span className="block font-semibold">{n}</span>
                    {compact ? null : <span className="block text-xs opacity-80"> {percentText(share)}</span>}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** `confusion[label][prediction]`, rows are the true classes. */
export function ConfusionMatrix({ confusion, classNames, caption }: { confusion: readonly (readonly number[])[]; classNames: readonly string[]; caption: string }) {
  const captionId = useId();
  const classes = confusion.length;
  const shown = Math.min(classes, SHOWN_CLASSES);
  return (
    <figure className="min-w-0 space-y-2" data-testid="confusion-matrix">
      <figcaption id={captionId} className="text-sm font-medium">
        {caption}
      </figcaption>
      <div className="max-w-full overflow-x-auto">
        <MatrixTable confusion={confusion} classNames={classNames} classes={shown} labelledBy={captionId} />
      </div>
      <p className="text-xs text-slate-500 dark:text-slate-400">Rows are the true classes, columns the predictions; each cell gives its count and its share of the row.</p>
      {classes > shown ? (
        <details className="text-sm">
          <summary className="cursor-pointer text-slate-600 dark:text-slate-300">
            The chart shows the first {shown} of {classes} classes; all of them as a table
          </summary>
          <div className="mt-2 max-w-full overflow-x-auto">
            <MatrixTable confusion={confusion} classNames={classNames} classes={classes} compact />
          </div>
        </details>
      ) : null}
    </figure>
  );
}

/** Horizontal bars: each class's accuracy (recall), with its support. */
export function PerClassAccuracyChart({ perClass, classNames }: { perClass: readonly ClassAccuracy[]; classNames: readonly string[] }) {
  const captionId = useId();
  const shown = perClass.slice(0, SHOWN_BARS);
  return (
    <figure className="min-w-0 space-y-2" data-testid="per-class-accuracy">
      <figcaption id={captionId} className="text-sm font-medium">
        Accuracy per class
      </figcaption>
      <ul aria-labelledby={captionId} className="space-y-1.5 text-sm">
        {shown.map((c, i) => {
          const name = classNames[i] ?? String(i);
          const share = c.recall ?? 0;
          return (
            <li key={c.classIndex} className="grid grid-cols-[minmax(0,7rem)_minmax(0,1fr)] items-center gap-x-3 gap-y-0.5 sm:grid-cols-[minmax(0,8rem)_minmax(0,1fr)_auto]">
              <span className="truncate font-medium" title={name}>
                {name}
                <span className="sr-only">:</span>
              </span>
              <span aria-hidden className="h-3 overflow-hidden rounded bg-slate-200 dark:bg-slate-800">
                <span className="block h-full rounded bg-indigo-500" style={{ width: `${Math.max(0.5, 100 * share)}%` }} />
              </span>
              <span className="tabular col-start-2 text-xs text-slate-600 sm:col-start-auto sm:text-sm dark:text-slate-300">
                {c.support > 0 ? `${percentText(share)} (${c.correct} of ${c.support})` : "no points"}
              </span>
            </li>
          );
        })}
      </ul>
      {perClass.length > shown.length ? <p className="text-xs text-slate-500">The first {shown.length} of {perClass.length} classes.</p> : null}
    </figure>
  );
}

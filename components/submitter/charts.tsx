/**
 * Charts of a model's preview score: a confusion matrix (cells shaded by share of the true class) and per-class
 * accuracy bars. Each chart is an image with a text alternative and the same numbers in a table.
 */
import { useId } from "react";
import type { ClassAccuracy } from "@/lib/danku/confusion";

function shortName(name: string): string {
  return name.length > 14 ? `${name.slice(0, 13)}…` : name;
}

/** `confusion[label][prediction]`, rows are the true classes. */
export function ConfusionMatrix({ confusion, classNames, caption }: { confusion: readonly (readonly number[])[]; classNames: readonly string[]; caption: string }) {
  const titleId = useId();
  const descId = useId();
  const classes = confusion.length;
  const shown = Math.min(classes, 16);
  const cell = 36;
  const label = 110;
  const size = label + shown * cell;
  const description = confusion
    .slice(0, shown)
    .map((row, t) => `${classNames[t] ?? t}: ${row.slice(0, shown).map((n, p) => `${n} predicted ${classNames[p] ?? p}`).join(", ")}`)
    .join("; ");
  return (
    <figure className="space-y-2" data-testid="confusion-matrix">
      <figcaption className="text-sm font-medium">{caption}</figcaption>
      <svg role="img" aria-labelledby={`${titleId} ${descId}`} viewBox={`0 0 ${size + 4} ${size + 4}`} className="w-full max-w-md text-slate-700 dark:text-slate-200">
        <title id={titleId}>Confusion matrix: rows are true classes, columns predicted classes</title>
        <desc id={descId}>{description}</desc>
        {Array.from({ length: shown }, (_, p) => (
          <text key={`c${p}`} x={label + p * cell + cell / 2} y={label - 8} fontSize="11" textAnchor="end" transform={`rotate(-45 ${label + p * cell + cell / 2} ${label - 8})`} fill="currentColor">
            {shortName(classNames[p] ?? String(p))}
          </text>
        ))}
        {confusion.slice(0, shown).map((row, t) => {
          const rowTotal = row.reduce((a, b) => a + b, 0);
          return (
            <g key={`r${t}`}>
              <text x={label - 6} y={label + t * cell + cell / 2 + 4} fontSize="11" textAnchor="end" fill="currentColor">
                {shortName(classNames[t] ?? String(t))}
              </text>
              {row.slice(0, shown).map((n, p) => {
                const share = rowTotal > 0 ? n / rowTotal : 0;
                const correct = t === p;
                return (
                  <g key={`${t}-${p}`}>
                    <rect
                      x={label + p * cell}
                      y={label + t * cell}
                      width={cell - 2}
                      height={cell - 2}
                      rx="3"
                      className={correct ? "fill-emerald-500" : "fill-rose-500"}
                      fillOpacity={n === 0 ? 0.06 : 0.15 + 0.85 * share}
                    />
                    <text x={label + p * cell + cell / 2 - 1} y={label + t * cell + cell / 2 + 3} fontSize="10" textAnchor="middle" fill="currentColor">
                      {n}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
      {classes > shown ? <p className="text-xs text-slate-500">The chart shows the first {shown} classes; the table lists all of them.</p> : null}
      <details className="text-sm">
        <summary className="cursor-pointer text-slate-600 dark:text-slate-300">Confusion matrix as a table</summary>
        <div className="mt-2 overflow-x-auto">
          <table className="text-right text-xs tabular-nums">
            <thead>
              <tr>
                <th scope="col" className="px-2 text-left">
                  true ↓ / predicted →
                </th>
                {confusion.map((_, p) => (
                  <th key={p} scope="col" className="px-2">
                    {classNames[p] ?? p}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {confusion.map((row, t) => (
                <tr key={t}>
                  <th scope="row" className="px-2 text-left">
                    {classNames[t] ?? t}
                  </th>
                  {row.map((n, p) => (
                    <td key={p} className="px-2">
                      {n}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

/** Horizontal bars: each class's accuracy (recall), with its support. */
export function PerClassAccuracyChart({ perClass, classNames }: { perClass: readonly ClassAccuracy[]; classNames: readonly string[] }) {
  const titleId = useId();
  const descId = useId();
  const shown = perClass.slice(0, 40);
  const rowHeight = 22;
  const labelWidth = 120;
  const barWidth = 300;
  const height = shown.length * rowHeight + 4;
  const percent = (c: ClassAccuracy) => 100 * (c.recall ?? 0);
  const description = shown.map((c, i) => `${classNames[i] ?? i}: ${c.support > 0 ? `${percent(c).toFixed(1)} % of ${c.support}` : "no points"}`).join(", ");
  return (
    <figure className="space-y-2" data-testid="per-class-accuracy">
      <figcaption className="text-sm font-medium">Accuracy per class</figcaption>
      <svg role="img" aria-labelledby={`${titleId} ${descId}`} viewBox={`0 0 ${labelWidth + barWidth + 110} ${height}`} className="w-full max-w-xl text-slate-700 dark:text-slate-200">
        <title id={titleId}>Accuracy per class</title>
        <desc id={descId}>{description}</desc>
        {shown.map((c, i) => {
          const y = i * rowHeight + 2;
          const width = Math.max(1, (percent(c) / 100) * barWidth);
          return (
            <g key={c.classIndex}>
              <text x={labelWidth - 8} y={y + 14} textAnchor="end" fontSize="12" fill="currentColor">
                {shortName(classNames[i] ?? String(i))}
              </text>
              <rect x={labelWidth} y={y + 2} width={barWidth} height={rowHeight - 6} rx="3" className="fill-slate-200 dark:fill-slate-800" />
              <rect x={labelWidth} y={y + 2} width={width} height={rowHeight - 6} rx="3" className="fill-indigo-500" />
              <text x={labelWidth + barWidth + 6} y={y + 14} fontSize="12" fill="currentColor">
                {c.support > 0 ? `${percent(c).toFixed(1)} % (${c.correct}/${c.support})` : "no points"}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/**
 * The problem's chain as a hand-made SVG chart: the distance d of every block (block 0 carries the initial d_c = 1)
 * and the estimated accuracy 1 − d, with the bar the next proof must pass (d_c − δ). An image with a text
 * alternative (role="img", <title>/<desc>) and the same numbers in a table.
 */
import { useId } from "react";
import type { DistancePoint } from "@/lib/web/daimon";
import { formatTokenAmount } from "@/lib/web/daimon";
import { shortAddress } from "@/lib/web/format";
import { Term } from "./Term";

const WIDTH = 640;
const HEIGHT = 260;
const LEFT = 44;
const RIGHT = 16;
const TOP = 14;
const BOTTOM = 34;

function fixed(value: number, digits = 4): string {
  return value.toFixed(digits);
}

export function DistanceChart({ points, threshold, symbol }: { points: readonly DistancePoint[]; threshold?: number; symbol: string }) {
  const titleId = useId();
  const descId = useId();
  const lastBlock = points.length > 0 ? (points[points.length - 1] as DistancePoint).block : 0;
  const span = Math.max(1, lastBlock);
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (block: number) => LEFT + (block / span) * plotWidth;
  const y = (value: number) => TOP + (1 - Math.min(1, Math.max(0, value))) * plotHeight;
  const path = (values: readonly number[]) => points.map((p, i) => `${i === 0 ? "M" : "L"}${x(p.block).toFixed(1)},${y(values[i] as number).toFixed(1)}`).join(" ");
  const tickEvery = Math.max(1, Math.ceil(span / 12));
  const ticks = Array.from({ length: Math.floor(lastBlock / tickEvery) + 1 }, (_, i) => i * tickEvery);
  const description =
    points.length === 0
      ? "No block is committed yet."
      : points.map((p) => `block ${p.block}: distance ${fixed(p.distance)}, estimated accuracy ${fixed(p.accuracy * 100, 1)} %`).join("; ") +
        (threshold !== undefined ? `. The next proof needs a distance below ${fixed(threshold)}.` : "");
  return (
    <figure className="space-y-2" data-testid="distance-chart">
      <figcaption className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
        <span className="font-medium">Distance and estimated accuracy per block</span>
        <span className="flex items-center gap-1.5 text-xs text-slate-600 dark:text-slate-300">
          <svg width="18" height="8" aria-hidden>
            <line x1="0" y1="4" x2="18" y2="4" className="stroke-indigo-600 dark:stroke-indigo-400" strokeWidth="2.5" />
          </svg>
          distance d
        </span>
        <span className="flex items-center gap-1.5 text-xs text-slate-600 dark:text-slate-300">
          <svg width="18" height="8" aria-hidden>
            <line x1="0" y1="4" x2="18" y2="4" className="stroke-emerald-600 dark:stroke-emerald-400" strokeWidth="2.5" strokeDasharray="5 3" />
          </svg>
          estimated accuracy 1 − d
        </span>
        {threshold !== undefined ? (
          <span className="flex items-center gap-1.5 text-xs text-slate-600 dark:text-slate-300">
            <svg width="18" height="8" aria-hidden>
              <line x1="0" y1="4" x2="18" y2="4" className="stroke-amber-500" strokeWidth="1.5" strokeDasharray="2 2" />
            </svg>
            next proof needs <Term name="d" gloss={false} /> &lt; <Term name="d_c" gloss={false} /> − <Term name="δ" gloss={false} />: below the current best distance by the margin
          </span>
        ) : null}
      </figcaption>
      <svg role="img" aria-labelledby={`${titleId} ${descId}`} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="w-full text-slate-600 dark:text-slate-300">
        <title id={titleId}>Distance and estimated accuracy over the problem&apos;s blocks</title>
        <desc id={descId}>{description}</desc>
        {[0, 0.25, 0.5, 0.75, 1].map((v) => (
          <g key={v}>
            <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(v)} y2={y(v)} className="stroke-slate-200 dark:stroke-slate-800" strokeWidth="1" />
            <text x={LEFT - 6} y={y(v) + 4} textAnchor="end" fontSize="11" fill="currentColor">
              {v.toFixed(2)}
            </text>
          </g>
        ))}
        {ticks.map((b) => (
          <text key={b} x={x(b)} y={HEIGHT - BOTTOM + 16} textAnchor="middle" fontSize="11" fill="currentColor">
            #{b}
          </text>
        ))}
        <text x={LEFT + plotWidth / 2} y={HEIGHT - 4} textAnchor="middle" fontSize="11" fill="currentColor">
          block of the problem&apos;s chain
        </text>
        {threshold !== undefined ? (
          <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(threshold)} y2={y(threshold)} className="stroke-amber-500" strokeWidth="1.5" strokeDasharray="2 2" />
        ) : null}
        {points.length > 0 ? (
          <>
            <path d={path(points.map((p) => p.accuracy))} fill="none" className="stroke-emerald-600 dark:stroke-emerald-400" strokeWidth="2.5" strokeDasharray="5 3" />
            <path d={path(points.map((p) => p.distance))} fill="none" className="stroke-indigo-600 dark:stroke-indigo-400" strokeWidth="2.5" />
            {points.map((p) => (
              <g key={p.block}>
                <rect x={x(p.block) - 3.5} y={y(p.accuracy) - 3.5} width="7" height="7" className="fill-emerald-600 dark:fill-emerald-400">
                  <title>{`block #${p.block}: estimated accuracy ${fixed(p.accuracy * 100, 1)} %`}</title>
                </rect>
                <circle cx={x(p.block)} cy={y(p.distance)} r="4.5" className="fill-indigo-600 stroke-white dark:fill-indigo-400 dark:stroke-slate-900" strokeWidth="1.5">
                  <title>{`block #${p.block}: d = ${fixed(p.distance)}`}</title>
                </circle>
              </g>
            ))}
          </>
        ) : (
          <text x={LEFT + plotWidth / 2} y={TOP + plotHeight / 2} textAnchor="middle" fontSize="13" fill="currentColor">
            No block yet
          </text>
        )}
      </svg>
      <details className="text-sm">
        <summary className="cursor-pointer text-slate-600 dark:text-slate-300">The chart&apos;s numbers as a table</summary>
        <table className="mt-2 w-full text-left text-sm">
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="py-1 pr-4 font-medium">
                Block
              </th>
              <th scope="col" className="py-1 pr-4 font-medium">
                Distance d
              </th>
              <th scope="col" className="py-1 pr-4 font-medium">
                Estimated accuracy
              </th>
              <th scope="col" className="py-1 pr-4 font-medium">
                Improver
              </th>
              <th scope="col" className="py-1 font-medium">
                Reward
              </th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.block}>
                <td className="py-1 pr-4 tabular-nums">#{p.block}</td>
                <td className="py-1 pr-4 tabular-nums">{fixed(p.distance, 6)}</td>
                <td className="py-1 pr-4 tabular-nums">{fixed(p.accuracy * 100, 2)} %</td>
                <td className="py-1 pr-4 font-mono text-xs">{p.improver ? shortAddress(p.improver) : "— (Problem block)"}</td>
                <td className="py-1 tabular-nums">{p.reward !== undefined ? formatTokenAmount(p.reward, symbol) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

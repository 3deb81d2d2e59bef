/**
 * Hand-made SVG charts for the dataset preview. Each chart is an image with a text alternative (role="img",
 * <title>/<desc>) and the same numbers in a table for screen readers and copy-paste.
 */
import { useId } from "react";
import type { FeatureMapping, FeatureRange } from "../../lib/danku/dataset";
import { HISTOGRAM_BINS } from "../../lib/workers/datasetProtocol";

const fmt = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 6 });

/** Horizontal bars: one per class, length proportional to the number of points. */
export function ClassBalanceChart({ classNames, classCounts }: { classNames: readonly string[]; classCounts: readonly number[] }) {
  const titleId = useId();
  const descId = useId();
  const total = classCounts.reduce((a, b) => a + b, 0);
  const max = Math.max(1, ...classCounts);
  const shown = classNames.slice(0, 40);
  const rowHeight = 22;
  const labelWidth = 140;
  const barWidth = 320;
  const height = shown.length * rowHeight + 4;
  const description = shown.map((name, c) => `${name}: ${classCounts[c] ?? 0}`).join(", ");
  return (
    <figure className="space-y-2">
      <figcaption className="text-sm font-medium">
        Class balance ({classNames.length} classes, {total.toLocaleString("en-US")} points)
      </figcaption>
      <svg
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        viewBox={`0 0 ${labelWidth + barWidth + 90} ${height}`}
        className="w-full max-w-xl text-slate-700 dark:text-slate-200"
      >
        <title id={titleId}>Points per class</title>
        <desc id={descId}>{description}</desc>
        {shown.map((name, c) => {
          const count = classCounts[c] ?? 0;
          const y = c * rowHeight + 2;
          const width = Math.max(1, (count / max) * barWidth);
          return (
            <g key={name}>
              <text x={labelWidth - 8} y={y + 14} textAnchor="end" fontSize="12" fill="currentColor">
                {name.length > 18 ? `${name.slice(0, 17)}…` : name}
              </text>
              <rect x={labelWidth} y={y + 2} width={width} height={rowHeight - 6} rx="3" className="fill-indigo-500" />
              <text x={labelWidth + width + 6} y={y + 14} fontSize="12" fill="currentColor">
                {count.toLocaleString("en-US")} ({total > 0 ? ((100 * count) / total).toFixed(1) : "0"} %)
              </text>
            </g>
          );
        })}
      </svg>
      {classNames.length > shown.length && (
        <p className="text-xs text-slate-500">The chart shows the first {shown.length} classes; the table lists all of them.</p>
      )}
      <details className="text-sm">
        <summary className="cursor-pointer text-slate-600 dark:text-slate-300">Class counts as a table</summary>
        <table className="mt-2 text-left">
          <thead>
            <tr>
              <th className="pr-6 font-medium">index</th>
              <th className="pr-6 font-medium">class</th>
              <th className="font-medium">points</th>
            </tr>
          </thead>
          <tbody>
            {classNames.map((name, c) => (
              <tr key={name}>
                <td className="pr-6 tabular-nums">{c}</td>
                <td className="pr-6">{name}</td>
                <td className="tabular-nums">{(classCounts[c] ?? 0).toLocaleString("en-US")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

function mappingText(mapping: FeatureMapping | undefined): string {
  if (!mapping || mapping.kind === "identity") return "kept as bytes";
  return `scaled ${fmt.format(mapping.min)}…${fmt.format(mapping.max)} → 0…255`;
}

/**
 * One row per feature: raw range, how it maps to bytes, and a small histogram of the byte values (16 bins over
 * 0..255) so skewed or constant columns stand out before anything is committed.
 */
export function FeatureRangesChart({
  featureNames,
  featureRanges,
  featureMappings,
  featureHistograms,
}: {
  featureNames: readonly string[];
  featureRanges: readonly FeatureRange[];
  featureMappings: readonly FeatureMapping[];
  featureHistograms: readonly (readonly number[])[];
}) {
  const titleId = useId();
  const descId = useId();
  const shown = featureNames.slice(0, 24);
  const rowHeight = 30;
  const labelWidth = 140;
  const histWidth = 192;
  const binWidth = histWidth / HISTOGRAM_BINS;
  const height = shown.length * rowHeight + 20;
  const description = shown
    .map((name, f) => {
      const range = featureRanges[f];
      return `${name}: ${range ? `${fmt.format(range.min)} to ${fmt.format(range.max)}` : "no values"}, ${mappingText(featureMappings[f])}`;
    })
    .join("; ");
  return (
    <figure className="space-y-2">
      <figcaption className="text-sm font-medium">Feature ranges and byte-value histograms ({featureNames.length} features)</figcaption>
      <svg
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        viewBox={`0 0 ${labelWidth + histWidth + 220} ${height}`}
        className="w-full max-w-2xl text-slate-700 dark:text-slate-200"
      >
        <title id={titleId}>Feature ranges</title>
        <desc id={descId}>{description}</desc>
        <text x={labelWidth} y={12} fontSize="10" fill="currentColor">
          byte 0
        </text>
        <text x={labelWidth + histWidth} y={12} fontSize="10" textAnchor="end" fill="currentColor">
          255
        </text>
        {shown.map((name, f) => {
          const bins = featureHistograms[f] ?? [];
          const peak = Math.max(1, ...bins);
          const y = f * rowHeight + 18;
          const range = featureRanges[f];
          return (
            <g key={name}>
              <text x={labelWidth - 8} y={y + 17} textAnchor="end" fontSize="12" fill="currentColor">
                {name.length > 18 ? `${name.slice(0, 17)}…` : name}
              </text>
              <rect x={labelWidth} y={y + 2} width={histWidth} height={rowHeight - 6} className="fill-slate-100 dark:fill-slate-800" />
              {bins.map((count, b) => {
                const h = (count / peak) * (rowHeight - 8);
                return (
                  <rect key={b} x={labelWidth + b * binWidth + 1} y={y + rowHeight - 5 - h} width={binWidth - 2} height={h} className="fill-emerald-500" />
                );
              })}
              <text x={labelWidth + histWidth + 10} y={y + 17} fontSize="12" fill="currentColor">
                {range ? `${fmt.format(range.min)} … ${fmt.format(range.max)}` : "—"} {featureMappings[f]?.kind === "linear" ? "(scaled)" : "(as bytes)"}
              </text>
            </g>
          );
        })}
      </svg>
      {featureNames.length > shown.length && (
        <p className="text-xs text-slate-500">The chart shows the first {shown.length} features; the table lists all of them.</p>
      )}
      <details className="text-sm">
        <summary className="cursor-pointer text-slate-600 dark:text-slate-300">Feature ranges as a table</summary>
        <table className="mt-2 text-left">
          <thead>
            <tr>
              <th className="pr-6 font-medium">feature</th>
              <th className="pr-6 font-medium">min</th>
              <th className="pr-6 font-medium">max</th>
              <th className="font-medium">mapping to bytes</th>
            </tr>
          </thead>
          <tbody>
            {featureNames.map((name, f) => {
              const range = featureRanges[f];
              return (
                <tr key={name}>
                  <td className="pr-6">{name}</td>
                  <td className="pr-6 tabular-nums">{range ? fmt.format(range.min) : "—"}</td>
                  <td className="pr-6 tabular-nums">{range ? fmt.format(range.max) : "—"}</td>
                  <td>{mappingText(featureMappings[f])}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

"use client";

import { useId } from "react";
import { formatBytes } from "../../../lib/ipfs/config";
import type { AnalyzeResult } from "../../../lib/workers/datasetProtocol";
import { ClassBalanceChart, FeatureRangesChart } from "../charts";
import { DatasetDropzone } from "../DatasetDropzone";
import { DatasetIssuesTable, DatasetPreviewTable } from "../DatasetTables";
import { formatImageShape, ImageThumbnails } from "../ImageThumbnails";
import type { DraftFile } from "../draftStore";
import { ProgressBar } from "../ProgressBar";
import { StepActions, PrimaryButton } from "../ui";

export type AnalysisState =
  | { readonly status: "idle" }
  | { readonly status: "reading"; readonly bytesRead: number; readonly total: number }
  | { readonly status: "done"; readonly result: AnalyzeResult }
  | { readonly status: "failed"; readonly message: string };

/**
 * Step 1: choose the CSV (or an image dataset), pick the label column, see every problem with its line number, or a
 * preview (the first rows, or thumbnails of the first images) and charts.
 * Nothing else is possible while the file has problems.
 */
export function DatasetStep({
  file,
  analysis,
  locked,
  onFile,
  onLabelColumn,
  onContinue,
}: {
  file: DraftFile | undefined;
  analysis: AnalysisState;
  /** The groups are already hashed from this file: changing it discards them (the caller confirms). */
  locked: boolean;
  onFile: (file: File) => void;
  onLabelColumn: (column: string) => void;
  onContinue: () => void;
}) {
  const labelId = useId();
  const result = analysis.status === "done" ? analysis.result : undefined;
  const summary = result?.outcome.ok ? result.outcome.summary : undefined;
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Your dataset never leaves this browser until you reveal it: only hashes of its data groups go on chain at creation.
        Every column except the label must be numeric; values are mapped to bytes (0–255) as the contract stores them.
        Images are their pixel bytes, row by row (height × width × channels).
      </p>
      <DatasetDropzone onFile={onFile} />
      {file && (
        <p className="text-sm" data-testid="dataset-file">
          <span className="font-medium">{file.name}</span> · {formatBytes(file.size)}
          {locked && <span className="ml-2 text-amber-700 dark:text-amber-300">(already hashed: choosing another file discards the hashed groups)</span>}
        </p>
      )}
      {analysis.status === "reading" && (
        <ProgressBar
          label="Reading and checking the file"
          value={analysis.bytesRead}
          max={Math.max(analysis.total, 1)}
          detail={`${formatBytes(analysis.bytesRead)} / ${formatBytes(analysis.total)}`}
        />
      )}
      {analysis.status === "failed" && (
        <p role="alert" className="rounded-lg border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950/40 dark:text-red-200">
          {analysis.message}
        </p>
      )}
      {result && !result.images && result.header.length > 1 && (
        <div className="flex flex-wrap items-center gap-3">
          <label htmlFor={labelId} className="text-sm font-medium">
            Label column
          </label>
          <select
            id={labelId}
            value={result.labelColumn}
            onChange={(event) => onLabelColumn(event.target.value)}
            className="rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
          >
            {!result.header.includes(result.labelColumn) && <option value={result.labelColumn}>{result.labelColumn}</option>}
            {result.header.map((name, c) => (
              <option key={`${c}:${name}`} value={name}>
                {name}
              </option>
            ))}
          </select>
          <span className="text-xs text-slate-500">The class each row belongs to; every other column is a feature.</span>
        </div>
      )}
      {result && !result.outcome.ok && file && (
        <DatasetIssuesTable issues={result.outcome.issues} totalIssues={result.outcome.totalIssues} fileName={file.name} />
      )}
      {result && summary && (
        <>
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="dataset-summary">
            <Stat label="Points" value={summary.pointCount.toLocaleString("en-US")} />
            <Stat label="Features" value={String(summary.featureNames.length)} />
            <Stat label="Classes" value={String(summary.classNames.length)} />
            {summary.imageShape ? (
              <Stat label="Image shape" value={formatImageShape(summary.imageShape)} testId="dataset-image-shape" />
            ) : (
              <Stat label="Label column" value={result.labelColumn} />
            )}
          </dl>
          {result.images ? (
            <section aria-label="Preview" className="space-y-2">
              <h3 className="text-sm font-medium">First images</h3>
              <ImageThumbnails shape={result.images.shape} samples={result.images.samples} />
            </section>
          ) : (
            <section aria-label="Preview" className="space-y-2">
              <h3 className="text-sm font-medium">First rows</h3>
              <DatasetPreviewTable header={result.header} rows={result.previewRows} labelColumn={result.labelColumn} />
            </section>
          )}
          <div className="grid gap-8 lg:grid-cols-2">
            <ClassBalanceChart classNames={summary.classNames} classCounts={summary.classCounts} />
            <FeatureRangesChart
              featureNames={summary.featureNames}
              featureRanges={summary.featureRanges}
              featureMappings={summary.featureMappings}
              featureHistograms={summary.featureHistograms}
            />
          </div>
          <StepActions>
            <PrimaryButton onClick={onContinue}>Continue to settings</PrimaryButton>
          </StepActions>
        </>
      )}
    </div>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 px-3 py-2 dark:border-slate-800" data-testid={testId}>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="truncate text-lg font-semibold tabular-nums">{value}</dd>
    </div>
  );
}

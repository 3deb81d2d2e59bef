"use client";

import { useState } from "react";
import { usePublicClient } from "wagmi";
import type { PublicClient } from "viem";
import { readRevealedPoints, type CompetitionState } from "@/lib/chain/danku";
import { datasetToCsv } from "@/lib/danku/dataset";
import type { CompetitionMetadata } from "@/lib/danku/metadata";
import { formatNumber } from "@/lib/web/format";
import { buttonSecondary } from "@/components/ui/styles";
import { DownloadIcon, SpinnerIcon } from "@/components/ui/Icons";

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 48) || "competition";
}

/** Column names for the CSV: the organizer's when the metadata has them, else f0…, with a label column that does not clash. */
export function csvColumns(state: Pick<CompetitionState, "config">, metadata: CompetitionMetadata | undefined) {
  const { featureCount, classCount } = state.config;
  const names = metadata?.dataset.featureNames;
  const classes = metadata?.dataset.classNames;
  const featureNames = names && names.length === featureCount ? names : Array.from({ length: featureCount }, (_, i) => `f${i}`);
  const classNames = classes && classes.length === classCount ? classes : Array.from({ length: classCount }, (_, i) => String(i));
  let labelColumn = metadata?.dataset.labelColumn || "label";
  while (featureNames.includes(labelColumn)) labelColumn = `${labelColumn}_`;
  return { featureNames, classNames, labelColumn };
}

export function DatasetPanel({ state, metadata }: { state: CompetitionState; metadata: CompetitionMetadata | undefined }) {
  const client = usePublicClient() as PublicClient | undefined;
  const [busy, setBusy] = useState<"training" | "test" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const columns = csvColumns(state, metadata);

  async function download(training: boolean) {
    if (!client) return;
    setBusy(training ? "training" : "test");
    setError(null);
    try {
      const points = await readRevealedPoints(client, state.address, training, state.config.featureCount);
      const csv = datasetToCsv(points, columns.featureNames, columns.classNames, { labelColumn: columns.labelColumn });
      const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = `${slug(metadata?.title ?? state.address)}-${training ? "training" : "test"}.csv`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(`The data could not be read from the chain: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
    } finally {
      setBusy(null);
    }
  }

  const mapped = metadata?.dataset.featureMappings.some((m) => m.kind === "linear");
  return (
    <div>
      <dl className="grid grid-cols-2 gap-4 text-sm sm:grid-cols-4">
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">Features</dt>
          <dd className="tabular font-semibold">{formatNumber(state.config.featureCount)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">Classes</dt>
          <dd className="tabular font-semibold">{formatNumber(state.config.classCount)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">Training points revealed</dt>
          <dd className="tabular font-semibold">{formatNumber(state.trainingPoints)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">Test points revealed</dt>
          <dd className="tabular font-semibold">{formatNumber(state.testPoints)}</dd>
        </div>
      </dl>
      {metadata ? (
        <p className="mt-3 text-xs text-slate-500 dark:text-slate-400">
          {metadata.dataset.name} · columns {columns.featureNames.slice(0, 8).join(", ")}
          {columns.featureNames.length > 8 ? ` and ${columns.featureNames.length - 8} more` : ""} → {columns.labelColumn} ({columns.classNames.join(", ")})
          {mapped ? ". Values are bytes 0–255; the metadata records how raw values were mapped." : "."}
        </p>
      ) : null}
      <div className="mt-4 flex flex-wrap gap-2">
        <button type="button" className={buttonSecondary} disabled={state.trainingPoints === 0 || busy !== null} onClick={() => void download(true)}>
          {busy === "training" ? <SpinnerIcon /> : <DownloadIcon />}
          Training data (CSV)
        </button>
        <button type="button" className={buttonSecondary} disabled={state.testPoints === 0 || busy !== null} onClick={() => void download(false)}>
          {busy === "test" ? <SpinnerIcon /> : <DownloadIcon />}
          Test data (CSV)
        </button>
      </div>
      {state.trainingPoints === 0 ? <p className="mt-2 text-xs text-slate-500">The training data is not revealed yet.</p> : null}
      {error ? (
        <p role="alert" className="mt-2 text-sm text-rose-600 dark:text-rose-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}

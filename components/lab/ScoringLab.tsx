"use client";

import { useEffect, useState } from "react";
import type { QuantizedModel } from "@/lib/danku/encoding";
import { benchmarkRatios, createScorer, probeWebGpu, runScoreBenchmark, type ScoreBenchmarkEntry, type WebGpuProbe } from "@/lib/ort";
import { formatNumber } from "@/lib/web/format";
import { ProgressBar } from "@/components/organizer/ProgressBar";
import { Notice, PrimaryButton } from "@/components/organizer/ui";
import { card } from "@/components/ui/styles";

/**
 * What automation (the `npm run bench:score` benchmark, the end-to-end agreement test) calls on this page. The same
 * functions as the buttons, with no other access: it scores the models it is given, in this browser.
 */
export interface ModelBountyLab {
  benchmark(options?: { samples?: number }): Promise<ScoreBenchmarkEntry[]>;
  predict(model: QuantizedModel, rows: number[], backend: "wasm" | "webgpu"): Promise<{ predictions: number[]; backend: string; notes: string[] }>;
  probe(): Promise<WebGpuProbe>;
}

declare global {
  interface Window {
    modelbountyLab?: ModelBountyLab;
  }
}

const lab: ModelBountyLab = {
  benchmark: (options) => runScoreBenchmark(options),
  async predict(model, rows, backend) {
    const scorer = await createScorer({ model, preferredBackend: backend, requireRevealable: false });
    try {
      const predictions = await scorer.predict(Uint8Array.from(rows));
      return { predictions: Array.from(predictions), backend: scorer.backend, notes: [...scorer.fallbackNotes] };
    } finally {
      await scorer.release();
    }
  },
  probe: () => probeWebGpu(),
};

function SpeedChart({ entries }: { entries: readonly ScoreBenchmarkEntry[] }) {
  const networks = [...new Set(entries.map((e) => e.network))];
  const max = Math.max(1, ...entries.map((e) => e.samplesPerSecond));
  const rowHeight = 22;
  const labelWidth = 170;
  const barWidth = 360;
  const rows = entries.length + networks.length;
  let y = 0;
  return (
    <svg role="img" aria-label="Samples per second by network and backend" viewBox={`0 0 ${labelWidth + barWidth + 140} ${rows * rowHeight + 4}`} className="w-full max-w-2xl text-slate-700 dark:text-slate-200">
      {networks.map((network) => {
        const group = entries.filter((e) => e.network === network);
        const top = y;
        y += rowHeight * (group.length + 1);
        return (
          <g key={network} transform={`translate(0 ${top})`}>
            <text x={0} y={14} fontSize="12" fontWeight="600" fill="currentColor">
              {network}
            </text>
            {group.map((e, i) => (
              <g key={e.backend} transform={`translate(0 ${(i + 1) * rowHeight})`}>
                <text x={labelWidth - 8} y={14} fontSize="12" textAnchor="end" fill="currentColor">
                  {e.backend}
                </text>
                <rect x={labelWidth} y={3} width={Math.max(1, (e.samplesPerSecond / max) * barWidth)} height={rowHeight - 8} rx="3" className={e.backend === "reference" ? "fill-slate-400" : "fill-indigo-500"} />
                <text x={labelWidth + Math.max(1, (e.samplesPerSecond / max) * barWidth) + 6} y={14} fontSize="12" fill="currentColor">
                  {e.available ? `${formatNumber(Math.round(e.samplesPerSecond))}/s` : "not available"}
                </text>
              </g>
            ))}
          </g>
        );
      })}
    </svg>
  );
}

export function ScoringLab() {
  const [probe, setProbe] = useState<WebGpuProbe>();
  const [running, setRunning] = useState<{ message: string; done: number; total: number }>();
  const [entries, setEntries] = useState<ScoreBenchmarkEntry[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    window.modelbountyLab = lab;
    let cancelled = false;
    void probeWebGpu().then((p) => {
      if (!cancelled) setProbe(p);
    });
    return () => {
      cancelled = true;
      delete window.modelbountyLab;
    };
  }, []);

  async function run() {
    setError(undefined);
    setEntries(undefined);
    try {
      const result = await runScoreBenchmark({ onProgress: (message, done, total) => setRunning({ message, done, total }) });
      setEntries(result);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setRunning(undefined);
    }
  }

  const ratios = entries ? benchmarkRatios(entries) : [];
  return (
    <div className="space-y-6">
      <section aria-labelledby="gpu-title" className={`${card} p-5`}>
        <h2 id="gpu-title" className="text-base font-semibold">
          WebGPU in this browser
        </h2>
        <p className="mt-2 text-sm" data-testid="webgpu-probe" data-ready={probe ? "true" : "false"}>
          {!probe
            ? "Asking the browser for a WebGPU adapter…"
            : probe.available
              ? `Adapter: ${probe.description}${probe.isFallbackAdapter ? " (a software fallback: previews use WASM, which is faster)" : ""}.`
              : `${probe.reason}: previews run on WASM.`}
        </p>
      </section>
      <section aria-labelledby="bench-title" className={`${card} space-y-4 p-5`}>
        <h2 id="bench-title" className="text-base font-semibold">
          Scoring benchmark
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          10,000 random samples through a 784-128-10 int8 network and the DanKu demo&apos;s 2-4-4-2, on every backend, checked against the reference.
        </p>
        <PrimaryButton onClick={() => void run()} disabled={!!running}>
          Run the benchmark
        </PrimaryButton>
        {running ? <ProgressBar label={`Benchmark: ${running.message}`} value={running.done} max={running.total} /> : null}
        {error ? <Notice tone="error">{error}</Notice> : null}
        {entries ? (
          <div className="space-y-4" data-testid="benchmark-result">
            <SpeedChart entries={entries} />
            <table className="w-full text-sm">
              <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col">Network</th>
                  <th scope="col">Backend</th>
                  <th scope="col">Samples/s</th>
                  <th scope="col">× reference</th>
                  <th scope="col">Exact</th>
                </tr>
              </thead>
              <tbody className="tabular-nums">
                {entries.map((e) => (
                  <tr key={`${e.network}-${e.backend}`}>
                    <td>{e.network}</td>
                    <td>{e.backend}</td>
                    <td>{e.available ? formatNumber(Math.round(e.samplesPerSecond)) : `— ${e.note ?? ""}`}</td>
                    <td>{ratios.find((r) => r.network === e.network && r.backend === e.backend)?.overReference?.toFixed(1) ?? ""}</td>
                    <td>{e.agreesWithReference === undefined ? "" : e.agreesWithReference ? "yes" : "NO"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}

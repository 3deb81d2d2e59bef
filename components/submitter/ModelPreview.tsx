"use client";

import { useEffect, useId, useRef, useState } from "react";
import type { PublicClient } from "viem";
import { usePublicClient } from "wagmi";
import { readRevealedPoints, type CompetitionState } from "@/lib/chain/danku";
import { encodePoints } from "@/lib/danku/encoding";
import { estimateEvaluationGas } from "@/lib/danku/gasModel";
import { MAX_MODEL_FILE_BYTES } from "@/lib/danku/modelImport";
import type { ImageShape } from "@/lib/danku/cnn/model";
import { ScoreWorkerClient } from "@/lib/browser/scoreWorker";
import { formatBytes } from "@/lib/ipfs/config";
import type { PreviewPhase, PreviewResult, DatasetScore } from "@/lib/workers/scoreProtocol";
import { formatNumber, formatPercent } from "@/lib/web/format";
import { describeQuantizationEffect } from "@/lib/web/submitter";
import { fieldBase, labelBase } from "@/components/ui/styles";
import { ProgressBar } from "@/components/organizer/ProgressBar";
import { Notice } from "@/components/organizer/ui";
import { ConfusionMatrix, PerClassAccuracyChart } from "./charts";

export interface PreviewedModel {
  readonly fileName: string;
  readonly result: PreviewResult;
}

const PHASE_LABELS: Record<PreviewPhase, string> = {
  import: "Reading the model file",
  quantize: "Quantizing to the contract's fixed-point format",
  training: "Scoring the training data",
  test: "Scoring the test data",
};

type Status =
  | { kind: "idle" }
  | { kind: "running"; fileName: string; phase: PreviewPhase; done: number; total: number }
  | { kind: "failed"; fileName: string; message: string }
  | { kind: "done"; model: PreviewedModel };

/** Revealed data as the protocol's point bytes, read from the competition's data contracts (verified on reveal). */
async function revealedBytes(client: PublicClient, state: CompetitionState, training: boolean): Promise<Uint8Array> {
  return encodePoints(await readRevealedPoints(client, state.address, training, state.config.featureCount), state.config.featureCount, state.config.classCount);
}

function ScoreRow({ label, score }: { label: string; score: DatasetScore | undefined }) {
  if (!score) {
    return (
      <tr>
        <th scope="row" className="py-1.5 pr-4 text-left font-medium">
          {label}
        </th>
        <td colSpan={3} className="py-1.5 text-slate-500">
          not revealed yet: the preview adds it once the organizer reveals the test data
        </td>
      </tr>
    );
  }
  const { quantized, float } = score;
  return (
    <tr>
      <th scope="row" className="py-1.5 pr-4 text-left font-medium">
        {label}
      </th>
      <td className="py-1.5 pr-4 tabular-nums" data-testid={`${label.split(" ")[0]?.toLowerCase()}-onchain-score`}>
        <strong>
          {formatNumber(quantized.correct)} / {formatNumber(quantized.total)}
        </strong>{" "}
        ({formatPercent(quantized.correct, quantized.total, 2)})
      </td>
      <td className="py-1.5 pr-4 tabular-nums">
        {formatNumber(float.correct)} / {formatNumber(float.total)} ({formatPercent(float.correct, float.total, 2)})
      </td>
      <td className="py-1.5 tabular-nums" data-testid={`${label.split(" ")[0]?.toLowerCase()}-quantization-effect`}>
        {describeQuantizationEffect(quantized, float)}
      </td>
    </tr>
  );
}

/**
 * Loads a model file (the project's float JSON, an ONNX dense network, or for image competitions an ONNX
 * convolutional network; lib/danku/modelImport.ts decides which), checks it against the competition,
 * quantizes it and previews its score with onnxruntime-web in a worker: exactly the number the chain will compute.
 * Nothing is sent anywhere; a rejected file says why.
 */
export function ModelPreview({
  state,
  classNames,
  imageShape,
  onPreviewed,
}: {
  state: CompetitionState;
  classNames: readonly string[];
  /** The competition's image shape (metadata.dataset.imageShape): a convolutional network must read exactly this. */
  imageShape?: ImageShape | undefined;
  onPreviewed: (model: PreviewedModel | undefined) => void;
}) {
  const client = usePublicClient() as PublicClient | undefined;
  const inputId = useId();
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const [backend, setBackend] = useState<"auto" | "webgpu" | "wasm">("auto");
  const [lastFile, setLastFile] = useState<File>();
  const worker = useRef<ScoreWorkerClient | null>(null);
  const run = useRef(0);

  useEffect(() => () => worker.current?.dispose(), []);

  const trainingRevealed = state.trainingPoints > 0 && !["AwaitingSplit", "TrainingReveal", "SetupExpired", "Cancelled"].includes(state.stage);

  async function preview(file: File, preferredBackend = backend) {
    const current = ++run.current;
    setLastFile(file);
    onPreviewed(undefined);
    if (file.size > MAX_MODEL_FILE_BYTES) {
      setStatus({ kind: "failed", fileName: file.name, message: `The file is ${formatBytes(file.size)}; model files are limited to ${formatBytes(MAX_MODEL_FILE_BYTES)}.` });
      return;
    }
    if (!client) return;
    setStatus({ kind: "running", fileName: file.name, phase: "import", done: 0, total: 1 });
    try {
      // The revealed training data calibrates the quantization (lib/danku/submission.ts), also for the test score:
      // the previewed bytes are the ones SubmissionFlow commits.
      const trainingPoints = await revealedBytes(client, state, true);
      const testPoints = state.usesTestData && state.testPoints > 0 ? await revealedBytes(client, state, false) : undefined;
      worker.current ??= new ScoreWorkerClient();
      const result = await worker.current.preview(
        {
          file,
          fileName: file.name,
          featureCount: state.config.featureCount,
          classCount: state.config.classCount,
          ...(imageShape ? { imageShape } : {}),
          trainingPoints,
          ...(testPoints ? { testPoints } : {}),
          preferredBackend,
        },
        (phase, done, total) => {
          if (run.current === current) setStatus({ kind: "running", fileName: file.name, phase, done, total });
        },
      );
      if (run.current !== current) return;
      const model = { fileName: file.name, result };
      setStatus({ kind: "done", model });
      onPreviewed(model);
    } catch (error) {
      if (run.current !== current) return;
      setStatus({ kind: "failed", fileName: file.name, message: error instanceof Error ? error.message : String(error) });
    }
  }

  const result = status.kind === "done" ? status.model.result : undefined;
  const evaluation = result?.test ?? result?.training;
  const evaluationPoints = state.usesTestData
    ? state.testPoints
    : state.testPoints > 0
      ? state.testPoints
      : Math.round((state.trainingPoints * (10_000 - state.config.trainingBps)) / Math.max(1, state.config.trainingBps));
  // The gas model is the dense evaluator's; a CNN is scored by claims (docs/cnn.md), so it has no evaluation estimate.
  const gas = result?.widths ? estimateEvaluationGas(result.widths, evaluationPoints) : undefined;

  return (
    <div className="space-y-4" data-testid="model-preview">
      <div>
        <label htmlFor={inputId} className={labelBase}>
          Model file
        </label>
        <input
          id={inputId}
          type="file"
          accept=".json,.onnx,application/json"
          className={`${fieldBase} mt-1`}
          disabled={!trainingRevealed || status.kind === "running"}
          aria-describedby={`${inputId}-hint`}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void preview(file);
          }}
        />
        <p id={`${inputId}-hint`} className="mt-1 text-xs text-slate-500 dark:text-slate-400">
          {trainingRevealed
            ? `A float JSON ({"layers":[{"weights","biases"},…]}) or an ONNX dense network (Gemm/MatMul + Add + Relu) with ${state.config.featureCount} inputs and ${state.config.classCount} outputs` +
              (imageShape
                ? `, or an ONNX convolutional network (Conv + Relu, MaxPool, AveragePool, Flatten, Gemm) over [N, ${imageShape.channels}, ${imageShape.height}, ${imageShape.width}] images`
                : "") +
              ". It never leaves this browser until you commit and reveal it."
            : "Models can be previewed once the organizer has revealed the training data."}
        </p>
      </div>

      <div>
        <label htmlFor={`${inputId}-backend`} className={labelBase}>
          Scoring backend
        </label>
        <select
          id={`${inputId}-backend`}
          className={`${fieldBase} mt-1 w-auto`}
          value={backend}
          disabled={status.kind === "running"}
          onChange={(e) => {
            const next = e.target.value as "auto" | "webgpu" | "wasm";
            setBackend(next);
            if (lastFile) void preview(lastFile, next);
          }}
        >
          <option value="auto">Automatic: WebGPU on a hardware adapter, else WASM</option>
          <option value="webgpu">WebGPU (any adapter, also software ones)</option>
          <option value="wasm">WASM</option>
        </select>
      </div>

      {status.kind === "running" ? (
        <ProgressBar
          label={PHASE_LABELS[status.phase]}
          value={status.done}
          max={status.total}
          detail={status.phase === "training" || status.phase === "test" ? `${formatNumber(status.done)} / ${formatNumber(status.total)} points` : undefined}
        />
      ) : null}

      {status.kind === "failed" ? (
        <Notice tone="error" title={`${status.fileName} cannot be used`} testId="model-error">
          <p>{status.message}</p>
          <p>Nothing was sent. Fix the model and choose the file again.</p>
        </Notice>
      ) : null}

      {result && evaluation ? (
        <div className="space-y-4" data-testid="preview-result">
          <p className="text-sm">
            <span className="font-medium">{status.kind === "done" ? status.model.fileName : ""}</span> · {result.format.toUpperCase()} · network{" "}
            <span className="font-mono" data-testid="preview-widths">
              {result.network}
            </span>{" "}
            {result.kind === "cnn" ? `(convolutional, ${formatNumber(result.macs)} MACs per point, ${formatNumber(result.modelBytes.length)} bytes) ` : null}
            · scored with{" "}
            <span className="font-semibold" data-testid="preview-backend">
              {result.backend === "ort-webgpu" ? "ONNX Runtime Web on WebGPU" : "ONNX Runtime Web on WASM"}
            </span>{" "}
            in {Math.round(result.scoringMs)} ms
          </p>
          {result.notes.length > 0 ? (
            <ul className="list-disc space-y-1 pl-5 text-xs text-slate-600 dark:text-slate-300" data-testid="preview-notes">
              {result.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          ) : null}
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <caption className="mb-1 text-left text-xs text-slate-500 dark:text-slate-400">
                The on-chain score is what the contract computes for the quantized model; the float score is your model before quantization.
              </caption>
              <thead className="text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="py-1 pr-4 text-left">
                    Data
                  </th>
                  <th scope="col" className="py-1 pr-4 text-left">
                    On-chain score
                  </th>
                  <th scope="col" className="py-1 pr-4 text-left">
                    Float model
                  </th>
                  <th scope="col" className="py-1 text-left">
                    Effect of quantization
                  </th>
                </tr>
              </thead>
              <tbody>
                <ScoreRow label="Training data" score={result.training} />
                <ScoreRow label="Test data" score={result.test} />
              </tbody>
            </table>
          </div>
          <p className="text-sm" data-testid="preview-qualifies">
            {evaluation.quantized.correct * 10_000 >= state.config.minAccuracyBps * evaluation.quantized.total
              ? `Meets the minimum accuracy of ${(state.config.minAccuracyBps / 100).toFixed(2)} % on the ${result.test ? "test" : "training"} data.`
              : `Below the minimum accuracy of ${(state.config.minAccuracyBps / 100).toFixed(2)} % on the ${result.test ? "test" : "training"} data: it would not qualify for the prize.`}
          </p>
          {gas ? (
            <p className="text-sm" data-testid="preview-gas">
              Evaluation on chain: about {formatNumber(gas.totalGas)} gas in {formatNumber(gas.transactions)} transaction{gas.transactions === 1 ? "" : "s"} (
              {formatNumber(gas.perPointGas)} gas per point, {formatNumber(evaluationPoints)} {state.usesTestData ? "test" : "estimated test"} points). Model
              reveal: {formatNumber(result.modelBytes.length)} bytes.
            </p>
          ) : null}
          <div className="grid gap-6 md:grid-cols-2">
            <ConfusionMatrix
              confusion={evaluation.quantized.confusion}
              classNames={classNames}
              caption={`Confusion matrix on the ${result.test ? "test" : "training"} data (quantized model)`}
            />
            <PerClassAccuracyChart perClass={evaluation.quantized.perClass} classNames={classNames} />
          </div>
        </div>
      ) : null}
    </div>
  );
}

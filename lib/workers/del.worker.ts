/**
 * DEL worker: trains the problem contributor's DEL function f off the main thread (protocol in ./delProtocol.ts),
 * with progress and cancellation between steps, then its held-out quality, the label-recovery attacks, the ONNX
 * export and y_t = f(x_t) on onnxruntime-web's WASM kernels (the ones provers and validators use), so a model that
 * predicts x_t exactly reproduces y_t bit for bit. ORT's files come from the app's /ort/, never from a CDN.
 */
import { trainDel } from "../daimon/delTrainer";
import { buildDelOnnx } from "../daimon/delOnnx";
import { coordinateDescentAttack, evaluateDel, heldOutPerturbations, recoveredShare, weightInspectionAttack } from "../daimon/delMetrics";
import { computeTarget } from "../daimon/poi";
import { defaultOrtLoader } from "../ort/scorer";
import type { DelWorkerRequest, DelWorkerResponse, TrainRequest } from "./delProtocol";

interface WorkerScope {
  onmessage: ((event: MessageEvent<DelWorkerRequest>) => void) | null;
  postMessage(message: DelWorkerResponse, transfer?: Transferable[]): void;
}
const scope = globalThis as unknown as WorkerScope;

const running = new Map<number, AbortController>();

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function train(request: TrainRequest, signal: AbortSignal): Promise<void> {
  const { id, labels, classCount } = request;
  const trained = await trainDel(
    labels,
    classCount,
    { n: request.n, hidden: request.hidden, steps: request.steps, batchSize: request.batchSize, seed: request.seed },
    { signal, progressIntervalMs: 150, onProgress: (progress) => scope.postMessage({ id, kind: "progress", progress }) },
  );
  scope.postMessage({ id, kind: "phase", phase: "evaluating" });
  // The same held-out seed as the CLI's add-tuple, so both report the same figures for the same f.
  const evaluation = evaluateDel(trained.parameters, labels, heldOutPerturbations(labels, classCount, { seed: 0x5eed }));
  const inspected = weightInspectionAttack(trained.parameters, trained.yt);
  const descended = coordinateDescentAttack(trained.parameters, trained.yt);
  signal.throwIfAborted();
  scope.postMessage({ id, kind: "phase", phase: "exporting" });
  const del = buildDelOnnx(trained.parameters);
  const { target, vector } = await computeTarget(del, labels, { ort: await defaultOrtLoader("wasm"), executionProviders: ["wasm"] });
  signal.throwIfAborted();
  scope.postMessage(
    {
      id,
      kind: "trained",
      result: {
        del,
        target,
        vector,
        quality: {
          pearson: evaluation.pearson,
          mae: evaluation.mae,
          maeLowError: evaluation.maeLowError,
          pairOrdering: evaluation.pairOrdering,
          pairs: evaluation.pairs,
          misorderedPairs: evaluation.misorderedPairs,
          maxAbsError: evaluation.maxAbsError,
          samples: evaluation.samples,
        },
        recovery: {
          weightInspection: recoveredShare(inspected.labels, labels),
          coordinateDescent: recoveredShare(descended.labels, labels),
          coordinateDescentQueries: descended.queries,
          chance: 1 / classCount,
        },
        trainingSeconds: trained.seconds,
        hidden: trained.options.hidden,
        steps: trained.options.steps,
      },
    },
    [del.buffer],
  );
}

scope.onmessage = (event) => {
  const request = event.data;
  if (request.kind === "cancel") {
    running.get(request.id)?.abort(new Error("cancelled"));
    return;
  }
  const controller = new AbortController();
  running.set(request.id, controller);
  train(request, controller.signal)
    .catch((error: unknown) => {
      if (controller.signal.aborted) scope.postMessage({ id: request.id, kind: "cancelled" });
      else scope.postMessage({ id: request.id, kind: "error", message: message(error) });
    })
    .finally(() => running.delete(request.id));
};

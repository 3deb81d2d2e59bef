/**
 * Page side of the DEL worker (lib/workers/del.worker.ts): training off the main thread, progress forwarded, Cancel
 * stops the training between two steps (lib/browser/workerRequests.ts does the request/reply plumbing).
 */
import type { DelTrainingProgress } from "../daimon/delTrainer";
import type { CancelRequest, DelWorkerResponse, TrainRequest, TrainedDel } from "../workers/delProtocol";
import { WorkerRequests } from "./workerRequests";

export class DelWorkerError extends Error {
  constructor(
    message: string,
    readonly cancelled = false,
  ) {
    super(message);
    this.name = "DelWorkerError";
  }
}

export interface DelTrainingEvents {
  onProgress?: (progress: DelTrainingProgress) => void;
  onPhase?: (phase: "evaluating" | "exporting") => void;
}

export class DelWorkerClient {
  private readonly requests = new WorkerRequests<DelWorkerResponse>(
    () => new Worker(new URL("../workers/del.worker.ts", import.meta.url), { type: "module", name: "del" }),
    "The training worker",
    (message) => new DelWorkerError(message),
  );

  /** Trains f for x_t; `signal` cancels it (the promise rejects with a DelWorkerError whose `cancelled` is true). */
  train(request: Omit<TrainRequest, "id" | "kind">, events: DelTrainingEvents = {}, signal?: AbortSignal): Promise<TrainedDel> {
    if (signal?.aborted) return Promise.reject(new DelWorkerError("The training was cancelled.", true));
    return this.requests.request<TrainedDel>(
      // A copy of the labels: the page keeps its own.
      { ...request, labels: request.labels.slice(), kind: "train" } satisfies Omit<TrainRequest, "id">,
      (message, settle) => {
        switch (message.kind) {
          case "progress":
            events.onProgress?.(message.progress);
            return;
          case "phase":
            events.onPhase?.(message.phase);
            return;
          case "trained":
            settle.resolve(message.result);
            return;
          case "cancelled":
            settle.reject(new DelWorkerError("The training was cancelled.", true));
            return;
          case "error":
            settle.reject(new DelWorkerError(message.message));
            return;
        }
      },
      (id, worker) => signal?.addEventListener("abort", () => worker.postMessage({ id, kind: "cancel" } satisfies CancelRequest), { once: true }),
    );
  }

  /** Stops the worker (and whatever it was training); pending requests are rejected. */
  dispose(): void {
    this.requests.dispose("The training was stopped.");
  }
}

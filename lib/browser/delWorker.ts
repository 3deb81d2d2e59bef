/**
 * Page side of the DEL worker (lib/workers/del.worker.ts): one worker per client, requests matched to replies by id,
 * progress forwarded, Cancel stops the training between two steps. A crashed worker rejects what is pending with a
 * readable message and is replaced on next use.
 */
import type { DelTrainingProgress } from "../daimon/delTrainer";
import type { DelWorkerResponse, TrainRequest, TrainedDel } from "../workers/delProtocol";

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

type Pending = { resolve: (value: TrainedDel) => void; reject: (error: Error) => void } & DelTrainingEvents;

export class DelWorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // The literal `new Worker(new URL(…, import.meta.url))` form is what the bundler recognizes and bundles.
    const worker = new Worker(new URL("../workers/del.worker.ts", import.meta.url), { type: "module", name: "del" });
    worker.onmessage = (event: MessageEvent<DelWorkerResponse>) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.failAll(`The training worker stopped: ${event.message || "unknown error"}`);
    };
    worker.onmessageerror = () => this.failAll("The training worker sent a message the page could not read.");
    this.worker = worker;
    return worker;
  }

  private receive(message: DelWorkerResponse): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    switch (message.kind) {
      case "progress":
        pending.onProgress?.(message.progress);
        return;
      case "phase":
        pending.onPhase?.(message.phase);
        return;
      case "trained":
        this.pending.delete(message.id);
        pending.resolve(message.result);
        return;
      case "cancelled":
        this.pending.delete(message.id);
        pending.reject(new DelWorkerError("The training was cancelled.", true));
        return;
      case "error":
        this.pending.delete(message.id);
        pending.reject(new DelWorkerError(message.message));
        return;
    }
  }

  private failAll(message: string): void {
    this.worker?.terminate();
    this.worker = undefined;
    for (const pending of this.pending.values()) pending.reject(new DelWorkerError(message));
    this.pending.clear();
  }

  /** Trains f for x_t; `signal` cancels it (the promise rejects with a DelWorkerError whose `cancelled` is true). */
  train(request: Omit<TrainRequest, "id" | "kind">, events: DelTrainingEvents = {}, signal?: AbortSignal): Promise<TrainedDel> {
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise<TrainedDel>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new DelWorkerError("The training was cancelled.", true));
        return;
      }
      this.pending.set(id, { resolve, reject, ...events });
      signal?.addEventListener("abort", () => worker.postMessage({ id, kind: "cancel" }), { once: true });
      // A copy of the labels: the page keeps its own.
      worker.postMessage({ ...request, labels: request.labels.slice(), id, kind: "train" } satisfies TrainRequest);
    });
  }

  /** Stops the worker (and whatever it was training); pending requests are rejected. */
  dispose(): void {
    this.failAll("The training was stopped.");
  }
}

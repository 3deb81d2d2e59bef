/**
 * Page side of the score worker: one worker per client, requests matched to replies by id, progress forwarded.
 * A crashed worker rejects what is pending with a readable message and is replaced on next use.
 */
import type { PreviewPhase, PreviewRequest, PreviewResult, ScoreWorkerResponse } from "../workers/scoreProtocol";

type Pending = {
  resolve: (value: PreviewResult) => void;
  reject: (error: Error) => void;
  onProgress?: (phase: PreviewPhase, done: number, total: number) => void;
};

export class ScoreWorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScoreWorkerError";
  }
}

export class ScoreWorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // The literal `new Worker(new URL(…, import.meta.url))` form is what the bundler recognizes and bundles.
    const worker = new Worker(new URL("../workers/score.worker.ts", import.meta.url), { type: "module", name: "score" });
    worker.onmessage = (event: MessageEvent<ScoreWorkerResponse>) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.failAll(`The scoring worker stopped: ${event.message || "unknown error"}`);
    };
    worker.onmessageerror = () => this.failAll("The scoring worker sent a message the page could not read.");
    this.worker = worker;
    return worker;
  }

  private receive(message: ScoreWorkerResponse): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    switch (message.kind) {
      case "progress":
        pending.onProgress?.(message.phase, message.done, message.total);
        return;
      case "previewed":
        this.pending.delete(message.id);
        pending.resolve(message.result);
        return;
      case "error":
        this.pending.delete(message.id);
        pending.reject(new ScoreWorkerError(message.message));
        return;
    }
  }

  private failAll(message: string): void {
    this.worker?.terminate();
    this.worker = undefined;
    for (const pending of this.pending.values()) pending.reject(new ScoreWorkerError(message));
    this.pending.clear();
  }

  /** Imports, quantizes and scores a model file; see lib/ort/preview.ts. */
  preview(request: Omit<PreviewRequest, "id" | "kind">, onProgress?: (phase: PreviewPhase, done: number, total: number) => void): Promise<PreviewResult> {
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise<PreviewResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      worker.postMessage({ ...request, id, kind: "preview" } satisfies PreviewRequest);
    });
  }

  /** Stops the worker (and whatever it was scoring); pending requests are rejected. */
  dispose(): void {
    this.failAll("The scoring was stopped.");
  }
}

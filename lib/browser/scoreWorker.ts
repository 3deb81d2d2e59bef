/**
 * Page side of the score worker (lib/workers/score.worker.ts): model import, quantization and the ORT-web preview
 * off the main thread, progress forwarded (lib/browser/workerRequests.ts does the request/reply plumbing).
 */
import type { PreviewPhase, PreviewRequest, PreviewResult, ScoreWorkerResponse } from "../workers/scoreProtocol";
import { WorkerRequests } from "./workerRequests";

export class ScoreWorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScoreWorkerError";
  }
}

export class ScoreWorkerClient {
  private readonly requests = new WorkerRequests<ScoreWorkerResponse>(
    () => new Worker(new URL("../workers/score.worker.ts", import.meta.url), { type: "module", name: "score" }),
    "The scoring worker",
    (message) => new ScoreWorkerError(message),
  );

  /** Imports, quantizes and scores a model file; see lib/ort/preview.ts. */
  preview(request: Omit<PreviewRequest, "id" | "kind">, onProgress?: (phase: PreviewPhase, done: number, total: number) => void): Promise<PreviewResult> {
    return this.requests.request<PreviewResult>({ ...request, kind: "preview" } satisfies Omit<PreviewRequest, "id">, (message, settle) => {
      if (message.kind === "progress") onProgress?.(message.phase, message.done, message.total);
      else if (message.kind === "previewed") settle.resolve(message.result);
      else settle.reject(new ScoreWorkerError(message.message));
    });
  }

  /** Stops the worker (and whatever it was scoring); pending requests are rejected. */
  dispose(): void {
    this.requests.dispose("The scoring was stopped.");
  }
}

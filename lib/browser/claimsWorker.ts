/**
 * Page side of the claims worker (lib/workers/claims.worker.ts): claim checks and claimed predictions off the main
 * thread, progress forwarded (lib/browser/workerRequests.ts does the request/reply plumbing).
 */
import type { PlanProgress } from "../danku/checker";
import type { CheckClaimsRequest, CheckedClaims, ClaimsWorkerResponse, PredictRequest, Predicted } from "../workers/claimsProtocol";
import { WorkerRequests } from "./workerRequests";

export class ClaimsWorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ClaimsWorkerError";
  }
}

export class ClaimsWorkerClient {
  private readonly requests = new WorkerRequests<ClaimsWorkerResponse>(
    () => new Worker(new URL("../workers/claims.worker.ts", import.meta.url), { type: "module", name: "claims" }),
    "The claim checker",
    (message) => new ClaimsWorkerError(message),
  );

  /** Plans every claim as the checker does (lib/danku/checker.ts planClaimChecks). */
  check(request: Omit<CheckClaimsRequest, "id" | "kind">, onProgress?: (progress: PlanProgress) => void): Promise<CheckedClaims> {
    return this.requests.request<CheckedClaims>({ ...request, kind: "check" } satisfies Omit<CheckClaimsRequest, "id">, (message, settle) => {
      if (message.kind === "progress") onProgress?.(message.progress);
      else if (message.kind === "checked") settle.resolve(message.result);
      else if (message.kind === "error") settle.reject(new ClaimsWorkerError(message.message));
    });
  }

  /** A submission's predictions on every test point and their score (what a claim of it sends). */
  predict(request: Omit<PredictRequest, "id" | "kind">, onProgress?: (progress: PlanProgress) => void): Promise<Predicted> {
    return this.requests.request<Predicted>({ ...request, kind: "predict" } satisfies Omit<PredictRequest, "id">, (message, settle) => {
      if (message.kind === "progress") onProgress?.(message.progress);
      else if (message.kind === "predicted") settle.resolve(message.result);
      else if (message.kind === "error") settle.reject(new ClaimsWorkerError(message.message));
    });
  }

  /** Stops the worker; pending requests are rejected. */
  dispose(): void {
    this.requests.dispose("The claim check was stopped.");
  }
}

/**
 * Page side of the proof-of-improvement worker (lib/workers/poi.worker.ts): PROVE and VERIFY off the main thread,
 * progress forwarded (lib/browser/workerRequests.ts does the request/reply plumbing).
 */
import type { PoiProgress, PoiProof, PoiVerification } from "../daimon/poi";
import type { PoiRun, PoiWorkerResponse, ProveRequest, VerifyRequest } from "../workers/poiProtocol";
import { WorkerRequests, type Settle } from "./workerRequests";

export class PoiWorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PoiWorkerError";
  }
}

export class PoiWorkerClient {
  private readonly requests = new WorkerRequests<PoiWorkerResponse>(
    () => new Worker(new URL("../workers/poi.worker.ts", import.meta.url), { type: "module", name: "poi" }),
    "The proof worker",
    (message) => new PoiWorkerError(message),
  );

  /** PROVE(M): the model's CID and y = f(M(Z)) per tuple, quantized as submitProof takes them. */
  prove(request: Omit<ProveRequest, "id" | "kind">, onProgress?: (progress: PoiProgress) => void): Promise<{ proof: PoiProof; run: PoiRun }> {
    return this.requests.request({ ...request, kind: "prove" }, (message, settle: Settle<{ proof: PoiProof; run: PoiRun }>) => {
      if (message.kind === "progress") onProgress?.(message.progress);
      else if (message.kind === "proved") settle.resolve({ proof: message.proof, run: message.run });
      else if (message.kind === "error") settle.reject(new PoiWorkerError(message.message));
      else settle.reject(new PoiWorkerError("the proof worker answered a PROVE with something else"));
    });
  }

  /** VERIFY(M, π, d_c, δ): every check with its reason; never rejects for a bad proof, only for a broken run. */
  verify(request: Omit<VerifyRequest, "id" | "kind">, onProgress?: (progress: PoiProgress) => void): Promise<{ verification: PoiVerification; run: PoiRun }> {
    return this.requests.request({ ...request, kind: "verify" }, (message, settle: Settle<{ verification: PoiVerification; run: PoiRun }>) => {
      if (message.kind === "progress") onProgress?.(message.progress);
      else if (message.kind === "verified") settle.resolve({ verification: message.verification, run: message.run });
      else if (message.kind === "error") settle.reject(new PoiWorkerError(message.message));
      else settle.reject(new PoiWorkerError("the proof worker answered a VERIFY with something else"));
    });
  }

  /** Stops the worker (and whatever it was running); pending requests are rejected. */
  dispose(): void {
    this.requests.dispose("The proof run was stopped.");
  }
}

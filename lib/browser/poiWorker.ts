/**
 * Page side of the proof-of-improvement worker: one worker per client, requests matched to replies by id, progress
 * forwarded. A crashed worker rejects what is pending with a readable message and is replaced on next use.
 */
import type { PoiProgress, PoiProof, PoiVerification } from "../daimon/poi";
import type { PoiRun, PoiWorkerResponse, ProveRequest, VerifyRequest } from "../workers/poiProtocol";

type Result = { kind: "proved"; proof: PoiProof; run: PoiRun } | { kind: "verified"; verification: PoiVerification; run: PoiRun };

type Pending = {
  resolve: (value: Result) => void;
  reject: (error: Error) => void;
  onProgress?: (progress: PoiProgress) => void;
};

export class PoiWorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PoiWorkerError";
  }
}

export class PoiWorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // The literal `new Worker(new URL(…, import.meta.url))` form is what the bundler recognizes and bundles.
    const worker = new Worker(new URL("../workers/poi.worker.ts", import.meta.url), { type: "module", name: "poi" });
    worker.onmessage = (event: MessageEvent<PoiWorkerResponse>) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.failAll(`The proof worker stopped: ${event.message || "unknown error"}`);
    };
    worker.onmessageerror = () => this.failAll("The proof worker sent a message the page could not read.");
    this.worker = worker;
    return worker;
  }

  private receive(message: PoiWorkerResponse): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    switch (message.kind) {
      case "progress":
        pending.onProgress?.(message.progress);
        return;
      case "proved":
        this.pending.delete(message.id);
        pending.resolve({ kind: "proved", proof: message.proof, run: message.run });
        return;
      case "verified":
        this.pending.delete(message.id);
        pending.resolve({ kind: "verified", verification: message.verification, run: message.run });
        return;
      case "error":
        this.pending.delete(message.id);
        pending.reject(new PoiWorkerError(message.message));
        return;
    }
  }

  private failAll(message: string): void {
    this.worker?.terminate();
    this.worker = undefined;
    for (const pending of this.pending.values()) pending.reject(new PoiWorkerError(message));
    this.pending.clear();
  }

  private request(body: Omit<ProveRequest, "id"> | Omit<VerifyRequest, "id">, onProgress?: (progress: PoiProgress) => void): Promise<Result> {
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise<Result>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      worker.postMessage({ ...body, id });
    });
  }

  /** PROVE(M): the model's CID and y = f(M(Z)) per tuple, quantized as submitProof takes them. */
  async prove(request: Omit<ProveRequest, "id" | "kind">, onProgress?: (progress: PoiProgress) => void): Promise<{ proof: PoiProof; run: PoiRun }> {
    const result = await this.request({ ...request, kind: "prove" }, onProgress);
    if (result.kind !== "proved") throw new PoiWorkerError("the proof worker answered a PROVE with something else");
    return result;
  }

  /** VERIFY(M, π, d_c, δ): every check with its reason; never rejects for a bad proof, only for a broken run. */
  async verify(request: Omit<VerifyRequest, "id" | "kind">, onProgress?: (progress: PoiProgress) => void): Promise<{ verification: PoiVerification; run: PoiRun }> {
    const result = await this.request({ ...request, kind: "verify" }, onProgress);
    if (result.kind !== "verified") throw new PoiWorkerError("the proof worker answered a VERIFY with something else");
    return result;
  }

  /** Stops the worker (and whatever it was running); pending requests are rejected. */
  dispose(): void {
    this.failAll("The proof run was stopped.");
  }
}

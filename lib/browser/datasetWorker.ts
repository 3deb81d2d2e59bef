/**
 * Page side of the dataset worker: one worker per client, requests matched to replies by id, progress forwarded.
 * A failed or crashed worker rejects every pending request with a readable message and is replaced on next use.
 */
import type { AnalyzeResult, DatasetWorkerRequest, DatasetWorkerResponse, HashResult } from "../workers/datasetProtocol";

type Pending = {
  resolve: (value: AnalyzeResult | HashResult) => void;
  reject: (error: Error) => void;
  onProgress?: (done: number, total: number) => void;
};

type RequestBody = DatasetWorkerRequest extends infer R ? (R extends DatasetWorkerRequest ? Omit<R, "id"> : never) : never;

export class DatasetWorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DatasetWorkerError";
  }
}

export class DatasetWorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // The literal `new Worker(new URL(…, import.meta.url))` form is what the bundler recognizes and bundles.
    const worker = new Worker(new URL("../workers/dataset.worker.ts", import.meta.url), { type: "module", name: "dataset" });
    worker.onmessage = (event: MessageEvent<DatasetWorkerResponse>) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.failAll(`The dataset worker stopped: ${event.message || "unknown error"}`);
    };
    worker.onmessageerror = () => this.failAll("The dataset worker sent a message the page could not read.");
    this.worker = worker;
    return worker;
  }

  private receive(message: DatasetWorkerResponse): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    switch (message.kind) {
      case "progress":
        pending.onProgress?.(message.done, message.total);
        return;
      case "analyzed":
      case "hashed":
        this.pending.delete(message.id);
        pending.resolve(message.result);
        return;
      case "error":
        this.pending.delete(message.id);
        pending.reject(new DatasetWorkerError(message.message));
        return;
    }
  }

  private failAll(message: string): void {
    this.worker?.terminate();
    this.worker = undefined;
    for (const pending of this.pending.values()) pending.reject(new DatasetWorkerError(message));
    this.pending.clear();
  }

  private request<T extends AnalyzeResult | HashResult>(body: RequestBody, onProgress?: (done: number, total: number) => void): Promise<T> {
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: AnalyzeResult | HashResult) => void, reject, onProgress });
      worker.postMessage({ ...body, id } as DatasetWorkerRequest);
    });
  }

  /** Reads the header and preview rows and validates the file with `labelColumn` (or a guessed label column). */
  analyze(file: Blob, labelColumn?: string): Promise<AnalyzeResult> {
    return this.request<AnalyzeResult>({ kind: "analyze", file, ...(labelColumn !== undefined ? { labelColumn } : {}) });
  }

  /** Shuffles the points into `groupCount` groups with fresh nonces, hashes them and builds the secrets file. */
  hash(
    file: Blob,
    options: { labelColumn: string; groupCount: number; chainId: number },
    onProgress?: (done: number, total: number) => void,
  ): Promise<HashResult> {
    return this.request<HashResult>({ kind: "hash", file, ...options }, onProgress);
  }

  /** Stops the worker; pending requests are rejected. */
  dispose(): void {
    this.failAll("The dataset worker was stopped.");
  }
}

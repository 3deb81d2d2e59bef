/**
 * Page side of the dataset worker (lib/workers/dataset.worker.ts): CSV analysis and group hashing off the main
 * thread, progress forwarded (lib/browser/workerRequests.ts does the request/reply plumbing).
 */
import { csvSizeProblem } from "../danku/csvLimits";
import type { AnalyzeResult, DatasetWorkerResponse, HashResult } from "../workers/datasetProtocol";
import { WorkerRequests } from "./workerRequests";

export class DatasetWorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DatasetWorkerError";
  }
}

/** A file over the dataset size cap is refused here, before it is handed to the worker (which checks again). */
function oversize(file: Blob): DatasetWorkerError | undefined {
  const problem = csvSizeProblem(file.size, file instanceof File ? file.name : undefined);
  return problem === undefined ? undefined : new DatasetWorkerError(problem);
}

/** CSV reading is streamed in the worker, so the page never holds a dataset's text and stays responsive. */
export class DatasetWorkerClient {
  private readonly requests = new WorkerRequests<DatasetWorkerResponse>(
    () => new Worker(new URL("../workers/dataset.worker.ts", import.meta.url), { type: "module", name: "dataset" }),
    "The dataset worker",
    (message) => new DatasetWorkerError(message),
  );

  /**
   * Reads the header and preview rows and validates the file with `labelColumn` (or a guessed label column);
   * `onRead` hears the bytes read so far.
   */
  analyze(file: Blob, labelColumn?: string, onRead?: (bytes: number, total: number) => void): Promise<AnalyzeResult> {
    const tooLarge = oversize(file);
    if (tooLarge) return Promise.reject(tooLarge);
    return this.requests.request<AnalyzeResult>({ kind: "analyze", file, ...(labelColumn !== undefined ? { labelColumn } : {}) }, (message, settle) => {
      if (message.kind === "read") onRead?.(message.bytes, message.total);
      else if (message.kind === "analyzed") settle.resolve(message.result);
      else if (message.kind === "error") settle.reject(new DatasetWorkerError(message.message));
    });
  }

  /** Shuffles the points into `groupCount` groups with fresh nonces, hashes them and builds the secrets file. */
  hash(
    file: Blob,
    options: { labelColumn: string; groupCount: number; chainId: number },
    onProgress?: (done: number, total: number) => void,
  ): Promise<HashResult> {
    const tooLarge = oversize(file);
    if (tooLarge) return Promise.reject(tooLarge);
    return this.requests.request<HashResult>({ kind: "hash", file, ...options }, (message, settle) => {
      if (message.kind === "progress") onProgress?.(message.done, message.total);
      else if (message.kind === "hashed") settle.resolve(message.result);
      else if (message.kind === "error") settle.reject(new DatasetWorkerError(message.message));
    });
  }

  /** Stops the worker; pending requests are rejected. */
  dispose(): void {
    this.requests.dispose("The dataset worker was stopped.");
  }
}

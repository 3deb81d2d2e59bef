/**
 * Browser side of the app's IPFS layer: upload with progress, retries and a CID cross-check, and downloads that
 * are verified against their CID before anyone uses them. Also works in Node (without upload progress events),
 * which the CLI and tests rely on.
 */
import { toArrayBufferBytes } from "./bytes";
import { computeCid, parseCid, verifyContent } from "./cid";
import { formatBytes, IPFS_GATEWAY_PATH, IPFS_UPLOAD_PATH, tooLargeMessage } from "./config";

export { IpfsVerificationError, InvalidCidError } from "./errors";

export type IpfsUploadErrorCode =
  | "aborted" // the caller cancelled
  | "too-large" // over the server's limit: never retried
  | "rejected" // any other 4xx: never retried
  | "server" // 5xx after all retries
  | "network" // connection failures after all retries
  | "mismatch"; // the server answered a CID that is not the file's CID

export class IpfsUploadError extends Error {
  override readonly name = "IpfsUploadError";
  /** Server-requested wait before retrying (from `Retry-After`). */
  retryAfterMs?: number;
  constructor(
    message: string,
    readonly code: IpfsUploadErrorCode,
    readonly status?: number,
  ) {
    super(message);
  }
}

export type IpfsDownloadErrorCode = "aborted" | "not-found" | "rejected" | "server" | "network" | "too-large";

export class IpfsDownloadError extends Error {
  override readonly name = "IpfsDownloadError";
  constructor(
    message: string,
    readonly code: IpfsDownloadErrorCode,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface UploadOptions {
  /** Called as bytes leave the browser (and once with `total, total` when the server has stored them). */
  onProgress?: (sentBytes: number, totalBytes: number) => void;
  /** Cancels the upload, including a wait between attempts. */
  signal?: AbortSignal;
  /** Further attempts after a network failure, a timeout or a 5xx answer (default 3). */
  retries?: number;
  /** Wait before the first retry, doubled for each further one (default 1,000 ms). */
  retryDelayMs?: number;
  /** Upload route (default `/api/ipfs`); an absolute URL outside the browser. */
  endpoint?: string;
  /** Refuse files over this size before sending anything (the server enforces its own limit regardless). */
  maxBytes?: number;
}

export interface UploadResult {
  cid: string;
  size: number;
}

/**
 * Uploads a file to the app's IPFS store and returns its CID, after checking that the CID the server reports is
 * the CID of the bytes that were sent (computed here, independently).
 * @throws IpfsUploadError with a message meant for people.
 */
export async function uploadToIpfs(bytes: Uint8Array, options: UploadOptions = {}): Promise<UploadResult> {
  const total = bytes.length;
  const endpoint = options.endpoint ?? IPFS_UPLOAD_PATH;
  const retries = Math.max(0, Math.floor(options.retries ?? 3));
  const baseDelay = Math.max(0, options.retryDelayMs ?? 1000);
  const report = (sent: number) => options.onProgress?.(Math.min(sent, total), total);

  if (total === 0) throw new IpfsUploadError("The file is empty; there is nothing to upload.", "rejected");
  if (options.maxBytes !== undefined && total > options.maxBytes) {
    throw new IpfsUploadError(tooLargeMessage(options.maxBytes, total), "too-large", 413);
  }
  throwIfAborted(options.signal);
  const ownCid = computeCid(bytes);
  ownCid.catch(() => undefined); // awaited below; avoid an unhandled rejection if we fail first

  let lastError: IpfsUploadError | undefined;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0 && lastError) {
      await sleep(backoffDelay(baseDelay, attempt, lastError), options.signal);
    }
    report(0);
    let reply: HttpReply;
    try {
      reply = await postBytes(endpoint, bytes, report, options.signal);
    } catch (error) {
      if (isAbort(error) || options.signal?.aborted) throw abortedUpload();
      // A server that refuses an oversized body often just closes the connection: ask it for its limit.
      const limit = await fetchUploadLimit(endpoint, options.signal);
      if (limit !== undefined && total > limit) {
        throw new IpfsUploadError(tooLargeMessage(limit, total), "too-large", 413);
      }
      lastError = new IpfsUploadError(
        "The connection to the server was lost during the upload. Check your network connection and try again.",
        "network",
      );
      continue;
    }

    if (reply.status >= 200 && reply.status < 300) {
      const result = parseUploadReply(reply.body);
      const expected = await ownCid;
      if (!result || result.size !== total) {
        throw new IpfsUploadError(
          "The server's answer to the upload could not be understood, so the upload cannot be confirmed. Please try again.",
          "server",
          reply.status,
        );
      }
      if (!sameCid(result.cid, expected)) {
        throw new IpfsUploadError(
          `The server reported CID ${result.cid} for the upload, but the file's own CID is ${expected}. ` +
            "The upload cannot be trusted and was not used.",
          "mismatch",
          reply.status,
        );
      }
      report(total);
      return { cid: expected, size: total };
    }

    const serverMessage = errorMessageOf(reply.body);
    if (reply.status === 413) {
      throw new IpfsUploadError(
        serverMessage ?? `The file (${formatBytes(total)}) is larger than this server accepts. Choose a smaller file.`,
        "too-large",
        413,
      );
    }
    if (isTransientStatus(reply.status)) {
      lastError = new IpfsUploadError(
        serverMessage ?? `The server had a problem storing the file (HTTP ${reply.status}). Please try again later.`,
        "server",
        reply.status,
      );
      lastError.retryAfterMs = parseRetryAfter(reply.retryAfter);
      continue;
    }
    throw new IpfsUploadError(
      serverMessage ?? `The server refused the upload (HTTP ${reply.status}).`,
      "rejected",
      reply.status,
    );
  }
  const attempts = retries + 1;
  const last = lastError ?? new IpfsUploadError("The upload failed.", "network");
  throw new IpfsUploadError(
    `The upload failed after ${attempts} ${attempts === 1 ? "attempt" : "attempts"}. ${last.message}`,
    last.code,
    last.status,
  );
}

export interface FetchOptions {
  /** Gateway origin, e.g. `http://127.0.0.1:3000` (default: the app itself, in the browser). */
  gatewayBase?: string;
  signal?: AbortSignal;
  /** Further attempts after a network failure or a 5xx answer (default 2). */
  retries?: number;
  /** Wait before the first retry, doubled for each further one (default 500 ms). */
  retryDelayMs?: number;
  /** Refuse to download more than this many bytes. */
  maxBytes?: number;
  /** Replaces the global `fetch`. */
  fetch?: typeof fetch;
}

/** `<gatewayBase>/ipfs/<cid>` */
export function ipfsGatewayUrl(cid: string, gatewayBase = ""): string {
  return `${gatewayBase.replace(/\/+$/, "")}${IPFS_GATEWAY_PATH}/${encodeURIComponent(cid)}`;
}

/**
 * Downloads content by CID and verifies it against the CID before returning it; content that does not match is
 * never returned.
 * @throws InvalidCidError for a malformed CID, IpfsVerificationError when the bytes do not match it,
 *   IpfsDownloadError for everything else.
 */
export async function fetchFromIpfs(cid: string, options: FetchOptions = {}): Promise<Uint8Array> {
  const cidText = parseCid(cid.trim()).toString();
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const base = options.gatewayBase ?? (typeof window === "undefined" ? undefined : "");
  if (base === undefined) {
    throw new IpfsDownloadError("A gateway address (gatewayBase) is needed to download outside the browser.", "rejected");
  }
  const url = ipfsGatewayUrl(cidText, base);
  const where = base ? `the IPFS gateway at ${base}` : "this server";
  const retries = Math.max(0, Math.floor(options.retries ?? 2));
  const baseDelay = Math.max(0, options.retryDelayMs ?? 500);

  let lastError: IpfsDownloadError | undefined;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep(baseDelay * 2 ** (attempt - 1), options.signal, abortedDownload);
    let response: Response;
    try {
      response = await fetchImpl(url, { signal: options.signal });
    } catch (error) {
      if (isAbort(error) || options.signal?.aborted) throw abortedDownload();
      lastError = new IpfsDownloadError(
        `The file ${cidText} could not be downloaded because the connection to ${where} failed.`,
        "network",
      );
      continue;
    }
    if (response.status === 404) {
      throw new IpfsDownloadError(`The file ${cidText} is not available from ${where}.`, "not-found", 404);
    }
    if (!response.ok) {
      const message = errorMessageOf(await response.text().catch(() => ""));
      const error = new IpfsDownloadError(
        message ?? `Downloading ${cidText} from ${where} failed (HTTP ${response.status}).`,
        isTransientStatus(response.status) ? "server" : "rejected",
        response.status,
      );
      if (error.code === "rejected") throw error;
      lastError = error;
      continue;
    }
    const declared = Number(response.headers.get("content-length") ?? Number.NaN);
    if (options.maxBytes !== undefined && declared > options.maxBytes) {
      throw new IpfsDownloadError(
        `The file ${cidText} is ${formatBytes(declared)}, more than the ${formatBytes(options.maxBytes)} allowed here.`,
        "too-large",
      );
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      if (isAbort(error) || options.signal?.aborted) throw abortedDownload();
      lastError = new IpfsDownloadError(`The download of ${cidText} from ${where} was interrupted.`, "network");
      continue;
    }
    if (options.maxBytes !== undefined && bytes.length > options.maxBytes) {
      throw new IpfsDownloadError(
        `The file ${cidText} is more than the ${formatBytes(options.maxBytes)} allowed here.`,
        "too-large",
      );
    }
    await verifyContent(bytes, cidText);
    return bytes;
  }
  throw lastError ?? new IpfsDownloadError(`The file ${cidText} could not be downloaded.`, "network");
}

// ---------------------------------------------------------------------------------------------------------------
// Transport

interface HttpReply {
  status: number;
  body: string;
  retryAfter: string | null;
}

class TransportError extends Error {
  constructor(readonly aborted: boolean) {
    super(aborted ? "aborted" : "network error");
  }
}

/** POSTs the bytes, with upload progress events where XMLHttpRequest exists (browsers), plain fetch elsewhere. */
function postBytes(
  url: string,
  bytes: Uint8Array,
  onProgress: (sent: number) => void,
  signal: AbortSignal | undefined,
): Promise<HttpReply> {
  if (typeof XMLHttpRequest === "undefined") return postWithFetch(url, bytes, signal);
  return new Promise<HttpReply>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    const cleanup = () => signal?.removeEventListener("abort", onAbort);
    xhr.open("POST", url);
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.responseType = "text";
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      cleanup();
      resolve({ status: xhr.status, body: xhr.responseText, retryAfter: xhr.getResponseHeader("Retry-After") });
    };
    xhr.onerror = () => {
      cleanup();
      reject(new TransportError(false));
    };
    xhr.ontimeout = xhr.onerror;
    xhr.onabort = () => {
      cleanup();
      reject(new TransportError(true));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    xhr.send(toArrayBufferBytes(bytes));
  });
}

async function postWithFetch(url: string, bytes: Uint8Array, signal: AbortSignal | undefined): Promise<HttpReply> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream" },
      body: toArrayBufferBytes(bytes),
      signal,
    });
  } catch (error) {
    throw new TransportError(isAbort(error));
  }
  return { status: response.status, body: await response.text(), retryAfter: response.headers.get("retry-after") };
}

/** The server's upload limit from `GET <endpoint>`, or undefined when it cannot be learned. */
async function fetchUploadLimit(endpoint: string, signal: AbortSignal | undefined): Promise<number | undefined> {
  try {
    const response = await fetch(endpoint, { signal });
    if (!response.ok) return undefined;
    const info = (await response.json()) as { maxBytes?: unknown };
    return typeof info.maxBytes === "number" ? info.maxBytes : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

function parseUploadReply(body: string): UploadResult | undefined {
  try {
    const parsed = JSON.parse(body) as { cid?: unknown; size?: unknown };
    if (typeof parsed.cid === "string" && typeof parsed.size === "number") return { cid: parsed.cid, size: parsed.size };
  } catch {
    // fall through
  }
  return undefined;
}

function errorMessageOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    return typeof parsed.error === "string" && parsed.error ? parsed.error : undefined;
  } catch {
    return undefined;
  }
}

function sameCid(a: string, b: string): boolean {
  try {
    return parseCid(a).toV1().equals(parseCid(b).toV1());
  } catch {
    return false;
  }
}

function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

const MAX_RETRY_WAIT_MS = 30_000;

function backoffDelay(baseDelay: number, attempt: number, lastError: IpfsUploadError): number {
  const exponential = baseDelay * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
  return Math.min(MAX_RETRY_WAIT_MS, Math.max(exponential, lastError.retryAfterMs ?? 0));
}

function isAbort(error: unknown): boolean {
  return (
    (error instanceof TransportError && error.aborted) ||
    (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError"))
  );
}

function abortedUpload(): IpfsUploadError {
  return new IpfsUploadError("The upload was cancelled.", "aborted");
}

function abortedDownload(): IpfsDownloadError {
  return new IpfsDownloadError("The download was cancelled.", "aborted");
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortedUpload();
}

function sleep(ms: number, signal: AbortSignal | undefined, onAborted: () => Error = abortedUpload): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(onAborted());
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(onAborted());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Server-side IPFS storage (Node only: file system and kubo RPC).
 *
 * - {@link EmbeddedIpfsStore}: the app's own IPFS node storage, a filesystem blockstore under a data folder
 *   (`MODELBOUNTY_IPFS_DIR`, default `.data/ipfs`). Files are imported with kubo's parameters and read back with
 *   the UnixFS exporter, every block checked against its hash.
 * - {@link KuboIpfsStore}: a real kubo node through its HTTP RPC (`MODELBOUNTY_IPFS_API`), whose answers are
 *   checked against our own CID computation.
 *
 * Neither store is trusted: what {@link IpfsStore.get} returns has been verified against the requested CID.
 */
import path from "node:path";
import { exporter } from "ipfs-unixfs-exporter";
import { importFile } from "ipfs-unixfs-importer";
import type { CID } from "multiformats/cid";
import { concatBytes, toArrayBufferBytes } from "./bytes";
import { computeCid, KUBO_ADD_QUERY, kuboImporterOptions, normalizeCid, parseCid, verifyContent } from "./cid";
import { DEFAULT_MAX_UPLOAD_BYTES, formatBytes } from "./config";
import { IpfsStoreError, IpfsVerificationError } from "./errors";
import { FsBlockstore } from "./fsBlockstore";

export interface IpfsAddResult {
  /** CIDv1 (base32) of the content, computed with kubo's parameters. */
  cid: string;
  /** Size of the content in bytes. */
  size: number;
}

export interface IpfsStore {
  /** Stores the bytes as a UnixFS file and returns their CID. */
  add(bytes: Uint8Array): Promise<IpfsAddResult>;
  /**
   * The content named by `cid`, verified against it; `undefined` when this store does not hold it.
   * @throws InvalidCidError for a malformed CID, IpfsVerificationError when stored data does not match its CID,
   *   IpfsStoreError when the backend fails.
   */
  get(cid: string): Promise<Uint8Array | undefined>;
  /** Whether the content's root block is held (cheap; does not verify). */
  has?(cid: string): Promise<boolean>;
}

// ---------------------------------------------------------------------------------------------------------------
// Configuration

export interface IpfsServerConfig {
  /** Folder of the embedded store. */
  dir: string;
  /** kubo RPC base URL; when set, the app uses that node instead of the embedded store. */
  apiUrl?: string;
  /**
   * `Authorization` header for every RPC request (e.g. `Basic …` or `Bearer …`): pinning services that offer kubo's
   * RPC API need one. From MODELBOUNTY_IPFS_API_AUTH; never sent to the browser.
   */
  apiAuthorization?: string;
  /** Largest upload accepted, in bytes. */
  maxUploadBytes: number;
  /** Time limit for one request to a kubo node. */
  kuboTimeoutMs: number;
}

export const DEFAULT_IPFS_DIR = path.join(".data", "ipfs");

type Environment = Readonly<Record<string, string | undefined>>;
export const DEFAULT_KUBO_TIMEOUT_MS = 60_000;

/**
 * Reads the IPFS settings from the environment:
 * `MODELBOUNTY_IPFS_DIR`, `MODELBOUNTY_IPFS_API`, `MODELBOUNTY_IPFS_API_AUTH`, `MODELBOUNTY_IPFS_MAX_BYTES`,
 * `MODELBOUNTY_IPFS_TIMEOUT_MS`.
 * @throws Error with a message naming the variable when a value is unusable.
 */
export function readIpfsServerConfig(env: Environment = process.env): IpfsServerConfig {
  // The folder is chosen at run time: keep Next's output tracing from following it.
  const dir = path.resolve(/*turbopackIgnore: true*/ nonEmpty(env.MODELBOUNTY_IPFS_DIR) ?? DEFAULT_IPFS_DIR);
  const api = nonEmpty(env.MODELBOUNTY_IPFS_API);
  let apiUrl: string | undefined;
  if (api !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(api);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
      throw new Error(
        `MODELBOUNTY_IPFS_API must be the http(s) address of a kubo RPC API, such as http://127.0.0.1:5001; got "${api}".`,
      );
    }
    apiUrl = parsed.toString().replace(/\/+$/, "");
  }
  return {
    dir,
    apiUrl,
    ...(nonEmpty(env.MODELBOUNTY_IPFS_API_AUTH) ? { apiAuthorization: nonEmpty(env.MODELBOUNTY_IPFS_API_AUTH) } : {}),
    maxUploadBytes: positiveInteger(env, "MODELBOUNTY_IPFS_MAX_BYTES", DEFAULT_MAX_UPLOAD_BYTES),
    kuboTimeoutMs: positiveInteger(env, "MODELBOUNTY_IPFS_TIMEOUT_MS", DEFAULT_KUBO_TIMEOUT_MS),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function positiveInteger(env: Environment, name: string, fallback: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive whole number; got "${raw}".`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Embedded store

export class EmbeddedIpfsStore implements IpfsStore {
  readonly blockstore: FsBlockstore;

  constructor(readonly dir: string = path.resolve(/*turbopackIgnore: true*/ DEFAULT_IPFS_DIR)) {
    this.blockstore = new FsBlockstore(dir);
  }

  async add(bytes: Uint8Array): Promise<IpfsAddResult> {
    const entry = await importFile({ content: bytes }, this.blockstore, kuboImporterOptions());
    return { cid: entry.cid.toString(), size: bytes.length };
  }

  async has(cid: string): Promise<boolean> {
    return this.blockstore.has(parseCid(cid));
  }

  async get(cidText: string): Promise<Uint8Array | undefined> {
    const cid = parseCid(cidText);
    if (!(await this.blockstore.has(cid))) return undefined;
    try {
      const entry = await exporter(cid, this.blockstore);
      if (entry.type !== "file" && entry.type !== "raw") {
        throw new IpfsStoreError(`CID ${cid.toString()} names a ${entry.type}, not a file; only files can be served.`);
      }
      const expectedSize = Number(entry.size);
      const parts: Uint8Array[] = [];
      let length = 0;
      for await (const chunk of entry.content()) {
        parts.push(chunk);
        length += chunk.length;
      }
      if (length !== expectedSize) {
        throw new IpfsVerificationError(
          `Stored file ${cid.toString()} reassembled to ${length} bytes but declares ${expectedSize}; it was not served.`,
          cid.toString(),
        );
      }
      return concatBytes(parts, length);
    } catch (error) {
      throw describeReadError(cid, error);
    }
  }
}

function describeReadError(cid: CID, error: unknown): unknown {
  if (error instanceof IpfsVerificationError || error instanceof IpfsStoreError) return error;
  if (error instanceof Error && error.name === "BlockNotFoundError") {
    return new IpfsStoreError(
      `Part of file ${cid.toString()} is missing from the IPFS data folder (${error.message}); the file cannot be served. ` +
        "Upload it again to repair it.",
      { cause: error },
    );
  }
  return new IpfsStoreError(
    `File ${cid.toString()} could not be read from the IPFS data folder: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// kubo over HTTP RPC

export interface KuboIpfsStoreOptions {
  /** Time limit for each RPC request (default 60 s). */
  timeoutMs?: number;
  /** Largest content `get` will read (default 50 MiB); protects the server's memory. */
  maxBytes?: number;
  /** Replaces the global `fetch` (tests, proxies). */
  fetch?: typeof fetch;
  /** `Authorization` header value sent with every RPC request (pinning services). */
  authorization?: string;
}

/**
 * A kubo node through its RPC API (`/api/v0/add`, `/api/v0/cat`). The node is not trusted: the CID it reports
 * for an upload must equal our own computation, and what it returns from `cat` is verified against the CID.
 * Reads use `offline=true`, so `get` answers from the node's own blocks instead of searching the network.
 */
export class KuboIpfsStore implements IpfsStore {
  readonly apiUrl: string;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly fetchImpl: typeof fetch;
  private readonly authorization: string | undefined;

  constructor(apiUrl: string, options: KuboIpfsStoreOptions = {}) {
    this.apiUrl = apiUrl.replace(/\/+$/, "");
    this.authorization = options.authorization;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_KUBO_TIMEOUT_MS;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
    this.fetchImpl = options.fetch ?? fetch;
  }

  async add(bytes: Uint8Array): Promise<IpfsAddResult> {
    const expected = computeCid(bytes);
    const form = new FormData();
    form.append("file", new Blob([toArrayBufferBytes(bytes)]), "upload.bin");
    const response = await this.rpc(`add?${KUBO_ADD_QUERY}&pin=true&progress=false`, form);
    if (!response.ok) throw await this.rpcError("store the upload", response);
    const reported = lastAddedHash(await response.text());
    const cid = await expected;
    if (reported === undefined) {
      throw new IpfsStoreError(`The IPFS node at ${this.apiUrl} did not report a CID for the upload.`);
    }
    if (!sameCid(reported, cid)) {
      throw new IpfsVerificationError(
        `The IPFS node at ${this.apiUrl} stored the upload as ${reported}, but its CID is ${cid}. The node's import ` +
          "settings differ from kubo's defaults (CIDv1, raw leaves, 256 KiB chunks, 174 links per node) or it is " +
          "misbehaving; the upload was not accepted.",
        cid,
        reported,
      );
    }
    return { cid, size: bytes.length };
  }

  async get(cidText: string): Promise<Uint8Array | undefined> {
    const cid = parseCid(cidText);
    const response = await this.rpc(`cat?arg=${encodeURIComponent(cid.toString())}&offline=true`);
    if (!response.ok) {
      const error = await this.rpcError(`read ${cid.toString()}`, response);
      if (/not found|could not find|no link named/i.test(error.message)) return undefined;
      throw error;
    }
    const bytes = await this.readLimited(response, cid);
    await verifyContent(bytes, cid);
    return bytes;
  }

  private async rpc(command: string, body?: FormData): Promise<Response> {
    const url = `${this.apiUrl}/api/v0/${command}`;
    try {
      const headers = this.authorization ? { authorization: this.authorization } : undefined;
      return await this.fetchImpl(url, { method: "POST", body, headers, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      const reason = error instanceof Error && error.name === "TimeoutError"
        ? `no answer within ${Math.round(this.timeoutMs / 1000)} s`
        : error instanceof Error ? error.message : String(error);
      throw new IpfsStoreError(
        `The IPFS node at ${this.apiUrl} could not be reached (${reason}). Check MODELBOUNTY_IPFS_API and that the ` +
          "node's RPC API is running.",
        { cause: error },
      );
    }
  }

  private async rpcError(action: string, response: Response): Promise<IpfsStoreError> {
    const text = await response.text().catch(() => "");
    let detail = text.trim();
    try {
      const parsed = JSON.parse(text) as { Message?: unknown };
      if (typeof parsed.Message === "string") detail = parsed.Message;
    } catch {
      // not JSON: keep the text
    }
    return new IpfsStoreError(
      `The IPFS node at ${this.apiUrl} failed to ${action} (HTTP ${response.status}${detail ? `: ${detail.slice(0, 300)}` : ""}).`,
    );
  }

  private async readLimited(response: Response, cid: CID): Promise<Uint8Array> {
    if (!response.body) return new Uint8Array(await response.arrayBuffer());
    const reader = response.body.getReader();
    const parts: Uint8Array[] = [];
    let length = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.length;
      if (length > this.maxBytes) {
        await reader.cancel();
        throw new IpfsStoreError(
          `File ${cid.toString()} on the IPFS node is larger than the ${formatBytes(this.maxBytes)} this server reads.`,
        );
      }
      parts.push(value);
    }
    return concatBytes(parts, length);
  }
}

function sameCid(a: string, b: string): boolean {
  try {
    return normalizeCid(a) === normalizeCid(b);
  } catch {
    return false;
  }
}

/** kubo's `add` answers with one JSON object per line; the last one with a `Hash` is the file's root. */
function lastAddedHash(text: string): string | undefined {
  let hash: string | undefined;
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const parsed = JSON.parse(line) as { Hash?: unknown };
      if (typeof parsed.Hash === "string") hash = parsed.Hash;
    } catch {
      // ignore lines that are not JSON
    }
  }
  return hash;
}

// ---------------------------------------------------------------------------------------------------------------
// The app's store

const STORE_KEY = Symbol.for("modelbounty.ipfsStore");
type GlobalWithStore = typeof globalThis & { [STORE_KEY]?: IpfsStore };

/**
 * The store the app's routes use, created once per process (kept on `globalThis` so that Next's development
 * reloads do not open a second one): kubo when `MODELBOUNTY_IPFS_API` is set, the embedded store otherwise.
 */
export function getIpfsStore(): IpfsStore {
  const holder = globalThis as GlobalWithStore;
  let store = holder[STORE_KEY];
  if (!store) {
    const config = readIpfsServerConfig();
    store = config.apiUrl
      ? new KuboIpfsStore(config.apiUrl, { timeoutMs: config.kuboTimeoutMs, maxBytes: config.maxUploadBytes, authorization: config.apiAuthorization })
      : new EmbeddedIpfsStore(config.dir);
    holder[STORE_KEY] = store;
  }
  return store;
}

/** Forgets the memoized store, so the next {@link getIpfsStore} reads the environment again (tests). */
export function resetIpfsStore(): void {
  delete (globalThis as GlobalWithStore)[STORE_KEY];
}

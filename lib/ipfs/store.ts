/**
 * Server-side IPFS storage (Node only: file system and kubo RPC).
 *
 * - {@link EmbeddedIpfsStore}: the app's own IPFS node storage, a filesystem blockstore under a data folder
 *   (`MODELBOUNTY_IPFS_DIR`, default `.data/ipfs`). Files are imported with kubo's parameters and read back with
 *   the UnixFS exporter, every block checked against its hash. Blocks the folder lacks are fetched from connected
 *   peers over bitswap (when the node runs, {@link startEmbeddedIpfsNode}) and then from trustless gateways
 *   (`MODELBOUNTY_IPFS_GATEWAYS`), verified, and kept. With a pinning service configured, each upload is also
 *   pinned remotely (lib/ipfs/pinning.ts).
 * - {@link KuboIpfsStore}: a real kubo node through its HTTP RPC (`MODELBOUNTY_IPFS_API`), whose answers are
 *   checked against our own CID computation.
 *
 * Neither store is trusted: what {@link IpfsStore.get} returns has been verified against the requested CID.
 */
import path from "node:path";
import { exporter } from "ipfs-unixfs-exporter";
import { importFile } from "ipfs-unixfs-importer";
import type { CID } from "multiformats/cid";
import { concatBytes, readResponseAtMost, toArrayBufferBytes } from "./bytes";
import { computeCid, KUBO_ADD_QUERY, kuboImporterOptions, normalizeCid, parseCid, verifyContent } from "./cid";
import { DEFAULT_MAX_UPLOAD_BYTES, formatBytes } from "./config";
import { IpfsNotFoundError, IpfsStoreError, IpfsVerificationError } from "./errors";
import { FsBlockstore } from "./fsBlockstore";
import type { IpfsNode } from "./network";
import { PinningServiceClient, RemotePinner, type PinRecord } from "./pinning";
import {
  BlockUnavailableError,
  describeAttempts,
  RetrievingBlockstore,
  TrustlessGatewaySource,
  type BlockSource,
} from "./retrieval";

export interface IpfsAddResult {
  /** CIDv1 (base32) of the content, computed with kubo's parameters. */
  cid: string;
  /** Size of the content in bytes. */
  size: number;
  /** The remote pin request, when a pinning service is configured (a failed request does not fail the upload). */
  pin?: PinRecord;
}

export interface IpfsStore {
  /** Stores the bytes as a UnixFS file and returns their CID. */
  add(bytes: Uint8Array): Promise<IpfsAddResult>;
  /**
   * The content named by `cid`, verified against it; `undefined` when this store does not hold it and has nowhere
   * else to look (an offline store, a kubo node).
   * @throws InvalidCidError for a malformed CID, IpfsVerificationError when stored (or fetched) data does not match
   *   its CID, IpfsNotFoundError when a store that also asks peers and gateways found it nowhere (the message says
   *   what was tried), IpfsStoreError when the backend fails.
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
  /** Time limit for one HTTP request: kubo RPC, trustless gateway, pinning service. */
  kuboTimeoutMs: number;
  /** Whether the app runs its libp2p node (`MODELBOUNTY_IPFS_NETWORK=off` turns it off). */
  network: boolean;
  /** Where the node listens (`MODELBOUNTY_IPFS_SWARM_HOST`, `MODELBOUNTY_IPFS_SWARM_PORT`; port 0: any free port). */
  swarmHost: string;
  swarmPort: number;
  /** Peers to connect to and keep (`MODELBOUNTY_IPFS_PEERS`, multiaddrs with /p2p/<peer id>). */
  peers: string[];
  /** How long connected peers get to send a missing block (`MODELBOUNTY_IPFS_PEER_TIMEOUT_MS`). */
  peerTimeoutMs: number;
  /** Trustless gateways to read missing blocks from (`MODELBOUNTY_IPFS_GATEWAYS`), in order. */
  gateways: string[];
  /** Remote pinning (`MODELBOUNTY_PINNING_SERVICE_URL`, `MODELBOUNTY_PINNING_SERVICE_TOKEN`). */
  pinning?: { url: string; token: string };
}

export const DEFAULT_IPFS_DIR = path.join(".data", "ipfs");

type Environment = Readonly<Record<string, string | undefined>>;
export const DEFAULT_KUBO_TIMEOUT_MS = 60_000;
export const DEFAULT_SWARM_HOST = "127.0.0.1";
/** kubo's swarm port too: with a kubo node on the same machine, the app's node moves to a free port and says so. */
export const DEFAULT_SWARM_PORT = 4001;
export const DEFAULT_PEER_TIMEOUT_MS = 10_000;

/**
 * Reads the IPFS settings from the environment:
 * `MODELBOUNTY_IPFS_DIR`, `MODELBOUNTY_IPFS_API`, `MODELBOUNTY_IPFS_API_AUTH`, `MODELBOUNTY_IPFS_MAX_BYTES`,
 * `MODELBOUNTY_IPFS_TIMEOUT_MS`, `MODELBOUNTY_IPFS_NETWORK`, `MODELBOUNTY_IPFS_SWARM_HOST`,
 * `MODELBOUNTY_IPFS_SWARM_PORT`, `MODELBOUNTY_IPFS_PEERS`, `MODELBOUNTY_IPFS_PEER_TIMEOUT_MS`,
 * `MODELBOUNTY_IPFS_GATEWAYS`, `MODELBOUNTY_PINNING_SERVICE_URL`, `MODELBOUNTY_PINNING_SERVICE_TOKEN`.
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
  const networkSetting = nonEmpty(env.MODELBOUNTY_IPFS_NETWORK)?.toLowerCase();
  if (networkSetting !== undefined && !["on", "off", "true", "false", "1", "0"].includes(networkSetting)) {
    throw new Error(`MODELBOUNTY_IPFS_NETWORK must be "on" or "off"; got "${env.MODELBOUNTY_IPFS_NETWORK}".`);
  }
  const port = nonEmpty(env.MODELBOUNTY_IPFS_SWARM_PORT);
  const swarmPort = port === undefined ? DEFAULT_SWARM_PORT : /^\d+$/.test(port) ? Number(port) : Number.NaN;
  if (!Number.isInteger(swarmPort) || swarmPort < 0 || swarmPort > 65_535) {
    throw new Error(`MODELBOUNTY_IPFS_SWARM_PORT must be a TCP port from 0 to 65535 (0: any free port); got "${port}".`);
  }
  const swarmHost = nonEmpty(env.MODELBOUNTY_IPFS_SWARM_HOST) ?? DEFAULT_SWARM_HOST;
  if (!/^[0-9.]+$|:/.test(swarmHost)) {
    throw new Error(`MODELBOUNTY_IPFS_SWARM_HOST must be an IP address such as 127.0.0.1 or 0.0.0.0; got "${swarmHost}".`);
  }
  const peers = list(env.MODELBOUNTY_IPFS_PEERS);
  for (const peer of peers) {
    if (!peer.startsWith("/") || !/\/p2p\/[1-9A-HJ-NP-Za-km-z]+$/.test(peer)) {
      throw new Error(
        `MODELBOUNTY_IPFS_PEERS must list multiaddrs ending in /p2p/<peer id>, such as ` +
          `/ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…, as the other node prints them; got "${peer}".`,
      );
    }
  }
  const gateways = list(env.MODELBOUNTY_IPFS_GATEWAYS).map((gateway) => {
    const parsed = httpUrl(gateway);
    if (!parsed) {
      throw new Error(`MODELBOUNTY_IPFS_GATEWAYS must list http(s) addresses of trustless gateways; got "${gateway}".`);
    }
    return parsed;
  });
  const pinningUrl = nonEmpty(env.MODELBOUNTY_PINNING_SERVICE_URL);
  const pinningToken = nonEmpty(env.MODELBOUNTY_PINNING_SERVICE_TOKEN);
  let pinning: IpfsServerConfig["pinning"];
  if (pinningUrl !== undefined) {
    const url = httpUrl(pinningUrl);
    if (!url) {
      throw new Error(
        `MODELBOUNTY_PINNING_SERVICE_URL must be the http(s) base of an IPFS Pinning Service API (the part before /pins); got "${pinningUrl}".`,
      );
    }
    if (pinningToken === undefined) {
      throw new Error("MODELBOUNTY_PINNING_SERVICE_TOKEN is not set: the pinning service needs its access token.");
    }
    pinning = { url, token: pinningToken };
  } else if (pinningToken !== undefined) {
    throw new Error("MODELBOUNTY_PINNING_SERVICE_TOKEN is set but MODELBOUNTY_PINNING_SERVICE_URL is not: name the service too.");
  }
  return {
    dir,
    apiUrl,
    ...(nonEmpty(env.MODELBOUNTY_IPFS_API_AUTH) ? { apiAuthorization: nonEmpty(env.MODELBOUNTY_IPFS_API_AUTH) } : {}),
    maxUploadBytes: positiveInteger(env, "MODELBOUNTY_IPFS_MAX_BYTES", DEFAULT_MAX_UPLOAD_BYTES),
    kuboTimeoutMs: positiveInteger(env, "MODELBOUNTY_IPFS_TIMEOUT_MS", DEFAULT_KUBO_TIMEOUT_MS),
    network: !["off", "false", "0"].includes(networkSetting ?? "on"),
    swarmHost,
    swarmPort,
    peers,
    peerTimeoutMs: positiveInteger(env, "MODELBOUNTY_IPFS_PEER_TIMEOUT_MS", DEFAULT_PEER_TIMEOUT_MS),
    gateways,
    ...(pinning ? { pinning } : {}),
  };
}

/** Comma- or whitespace-separated values. */
function list(value: string | undefined): string[] {
  return (value ?? "").split(/[\s,]+/).filter((item) => item !== "");
}

/** An http(s) URL without its trailing slashes, or undefined. */
function httpUrl(text: string): string | undefined {
  try {
    const parsed = new URL(text);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return undefined;
    return parsed.toString().replace(/\/+$/, "");
  } catch {
    return undefined;
  }
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

export interface EmbeddedIpfsStoreOptions {
  /**
   * Where blocks the data folder lacks come from, asked in order (the running node's bitswap peers, trustless
   * gateways). With this option a miss is an {@link IpfsNotFoundError} that says what was tried; without it the
   * store is offline and answers `undefined`.
   */
  sources?: () => readonly BlockSource[];
  /** Called for each block fetched from a source and stored (the node announces it). */
  onFetched?: (cid: CID) => void;
  /** Pins every upload remotely. */
  pinner?: RemotePinner;
  /** Largest file `get` reassembles (default 50 MiB): protects the server's memory from a huge remote file. */
  maxBytes?: number;
}

export class EmbeddedIpfsStore implements IpfsStore {
  readonly blockstore: FsBlockstore;
  readonly pinner: RemotePinner | undefined;
  private readonly reader: RetrievingBlockstore | undefined;
  private readonly maxBytes: number;

  constructor(
    readonly dir: string = path.resolve(/*turbopackIgnore: true*/ DEFAULT_IPFS_DIR),
    options: EmbeddedIpfsStoreOptions = {},
  ) {
    this.blockstore = new FsBlockstore(dir);
    this.reader = options.sources ? new RetrievingBlockstore(this.blockstore, options.sources, options.onFetched) : undefined;
    this.pinner = options.pinner;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  }

  async add(bytes: Uint8Array): Promise<IpfsAddResult> {
    const entry = await importFile({ content: bytes }, this.blockstore, kuboImporterOptions());
    const cid = entry.cid.toString();
    // The blocks are on disk before the pin is asked for: a failed pin request never loses the upload.
    const pin = this.pinner ? await this.pinner.pin(cid) : undefined;
    return { cid, size: bytes.length, ...(pin ? { pin } : {}) };
  }

  async has(cid: string): Promise<boolean> {
    return this.blockstore.has(parseCid(cid));
  }

  async get(cidText: string): Promise<Uint8Array | undefined> {
    const cid = parseCid(cidText);
    if (!this.reader && !(await this.blockstore.has(cid))) return undefined;
    const blocks = this.reader ?? this.blockstore;
    try {
      const entry = await exporter(cid, blocks);
      if (entry.type !== "file" && entry.type !== "raw") {
        throw new IpfsStoreError(`CID ${cid.toString()} names a ${entry.type}, not a file; only files can be served.`);
      }
      const expectedSize = Number(entry.size);
      if (expectedSize > this.maxBytes) {
        throw new IpfsStoreError(
          `File ${cid.toString()} is ${formatBytes(expectedSize)}, more than the ${formatBytes(this.maxBytes)} this server ` +
            "reads (MODELBOUNTY_IPFS_MAX_BYTES).",
        );
      }
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
  if (error instanceof BlockUnavailableError) {
    const root = error.cid.toString() === cid.toString();
    if (error.tampered) {
      return new IpfsVerificationError(
        `${root ? "File" : "Part of file"} ${cid.toString()} is not stored on this server, and what other sources sent ` +
          `does not match its CID, so nothing was served (${describeAttempts(error.attempts)}).`,
        cid.toString(),
      );
    }
    if (root) {
      return new IpfsNotFoundError(
        `No file with CID ${cid.toString()} is stored on this server, and ${describeAttempts(error.attempts)}.`,
        cid.toString(),
      );
    }
    return new IpfsStoreError(
      `Part of file ${cid.toString()} (block ${error.cid.toString()}) is missing from the IPFS data folder and could not ` +
        `be fetched (${describeAttempts(error.attempts)}); the file cannot be served.`,
      { cause: error },
    );
  }
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
  /** Also pins every upload with a Pinning Service API service. */
  pinner?: RemotePinner;
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
  private readonly pinner: RemotePinner | undefined;

  constructor(apiUrl: string, options: KuboIpfsStoreOptions = {}) {
    this.apiUrl = apiUrl.replace(/\/+$/, "");
    this.pinner = options.pinner;
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
    const pin = this.pinner ? await this.pinner.pin(cid) : undefined;
    return { cid, size: bytes.length, ...(pin ? { pin } : {}) };
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

  private readLimited(response: Response, cid: CID): Promise<Uint8Array> {
    return readResponseAtMost(
      response,
      this.maxBytes,
      () => new IpfsStoreError(`File ${cid.toString()} on the IPFS node is larger than the ${formatBytes(this.maxBytes)} this server reads.`),
    );
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
const NODE_KEY = Symbol.for("modelbounty.ipfsNode");
type GlobalWithStore = typeof globalThis & {
  [STORE_KEY]?: IpfsStore;
  [NODE_KEY]?: { started: Promise<IpfsNode | undefined>; node?: IpfsNode };
};

/** The node started in this process by {@link startEmbeddedIpfsNode}, once it is up. */
export function getRunningIpfsNode(): IpfsNode | undefined {
  return (globalThis as GlobalWithStore)[NODE_KEY]?.node;
}

/** The pinning client and record keeper for a configuration, or undefined when no service is configured. */
export function createRemotePinner(config: IpfsServerConfig): RemotePinner | undefined {
  if (!config.pinning) return undefined;
  return new RemotePinner(new PinningServiceClient(config.pinning.url, config.pinning.token, { timeoutMs: config.kuboTimeoutMs }), {
    dir: config.dir,
    origins: () => getRunningIpfsNode()?.multiaddrs() ?? [],
    connect: async (address) => getRunningIpfsNode()?.connect(address),
  });
}

/** The embedded store as the app uses it: missing blocks from the node's peers, then the gateways; remote pins. */
export function createEmbeddedIpfsStore(config: IpfsServerConfig): EmbeddedIpfsStore {
  const gateways = config.gateways.map((gateway) => new TrustlessGatewaySource(gateway, { timeoutMs: config.kuboTimeoutMs }));
  return new EmbeddedIpfsStore(config.dir, {
    sources: () => {
      const node = getRunningIpfsNode();
      return node ? [node, ...gateways] : gateways;
    },
    onFetched: (cid) => {
      getRunningIpfsNode()?.announce(cid).catch(() => undefined);
    },
    pinner: createRemotePinner(config),
    maxBytes: config.maxUploadBytes,
  });
}

/**
 * The store the app's routes use, created once per process (kept on `globalThis` so that Next's development
 * reloads do not open a second one): kubo when `MODELBOUNTY_IPFS_API` is set, the embedded store otherwise.
 * It does not start the network node; the server does that once, at start-up ({@link startEmbeddedIpfsNode}).
 */
export function getIpfsStore(): IpfsStore {
  const holder = globalThis as GlobalWithStore;
  let store = holder[STORE_KEY];
  if (!store) {
    const config = readIpfsServerConfig();
    store = config.apiUrl
      ? new KuboIpfsStore(config.apiUrl, {
          timeoutMs: config.kuboTimeoutMs,
          maxBytes: config.maxUploadBytes,
          authorization: config.apiAuthorization,
          pinner: createRemotePinner(config),
        })
      : createEmbeddedIpfsStore(config);
    holder[STORE_KEY] = store;
  }
  return store;
}

/** Forgets the memoized store, so the next {@link getIpfsStore} reads the environment again (tests). */
export function resetIpfsStore(): void {
  delete (globalThis as GlobalWithStore)[STORE_KEY];
}

/**
 * Starts this process's IPFS node (once; later calls return the same node): libp2p on
 * `MODELBOUNTY_IPFS_SWARM_HOST:MODELBOUNTY_IPFS_SWARM_PORT` serving the data folder's blocks over bitswap, connected
 * to `MODELBOUNTY_IPFS_PEERS`. Prints the node's multiaddrs. Resolves to `undefined`, saying why, when the app uses a
 * kubo node (`MODELBOUNTY_IPFS_API`) or `MODELBOUNTY_IPFS_NETWORK=off`; a node that cannot start is reported and the
 * app goes on with its local store and gateways.
 */
export function startEmbeddedIpfsNode(log: (message: string) => void = (message) => console.log(message)): Promise<IpfsNode | undefined> {
  const holder = globalThis as GlobalWithStore;
  const existing = holder[NODE_KEY];
  if (existing) return existing.started;
  const entry: { started: Promise<IpfsNode | undefined>; node?: IpfsNode } = { started: Promise.resolve(undefined) };
  entry.started = (async () => {
    const config = readIpfsServerConfig();
    if (config.apiUrl) {
      log(`[ipfs] using the kubo node at ${config.apiUrl}; the embedded IPFS node is not started`);
      return undefined;
    }
    if (!config.network) {
      log("[ipfs] MODELBOUNTY_IPFS_NETWORK=off: the embedded store is offline (local blocks and gateways only)");
      return undefined;
    }
    try {
      const { IpfsNode } = await import("./network");
      const node = await IpfsNode.start({
        dir: config.dir,
        host: config.swarmHost,
        port: config.swarmPort,
        peers: config.peers,
        peerTimeoutMs: config.peerTimeoutMs,
        log,
      });
      entry.node = node;
      log(`[ipfs] node ${node.peerId} serves ${config.dir} over bitswap at ${node.multiaddrs().join(" ")}`);
      if (node.connectedPeers().length > 0) log(`[ipfs] connected to ${node.connectedPeers().join(", ")}`);
      return node;
    } catch (error) {
      log(
        `[ipfs] the IPFS node did not start (${error instanceof Error ? error.message : String(error)}); uploads and ` +
          "downloads still work from the local store" + (config.gateways.length > 0 ? " and the gateways" : "") + ".",
      );
      return undefined;
    }
  })();
  holder[NODE_KEY] = entry;
  return entry.started;
}

/** Stops the node {@link startEmbeddedIpfsNode} started (tests, shutdown). */
export async function stopEmbeddedIpfsNode(): Promise<void> {
  const holder = globalThis as GlobalWithStore;
  const entry = holder[NODE_KEY];
  delete holder[NODE_KEY];
  const node = await entry?.started;
  await node?.stop();
}

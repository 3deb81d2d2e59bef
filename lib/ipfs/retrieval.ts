/**
 * Reading blocks the local store lacks (server only): from connected peers over bitswap (lib/ipfs/network.ts) and
 * from trustless HTTP gateways (https://specs.ipfs.tech/http-gateways/trustless-gateway/, `GET /ipfs/<cid>?format=raw`).
 *
 * Nothing a source answers is trusted: every block is hashed and compared with its CID before it is stored or used,
 * so a gateway (or peer) that sends other bytes is refused and the next source is tried. Verified blocks are kept in
 * the local blockstore, so the node then holds (and serves over bitswap) what it fetched.
 */
import type { CID } from "multiformats/cid";
import { readResponseAtMost } from "./bytes";
import { blockMatchesCid, BlockNotFoundError, type FsBlockstore } from "./fsBlockstore";

/** What one source answered for one block. */
export type BlockFetchResult =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; outcome: "not-found" | "failed" | "invalid"; detail: string };

/** Somewhere blocks can come from when the local store lacks them. */
export interface BlockSource {
  /** For messages: "connected peers (bitswap)", "gateway https://…". */
  readonly name: string;
  fetchBlock(cid: CID, options?: { signal?: AbortSignal }): Promise<BlockFetchResult>;
}

/** One failed attempt, as reported to people. */
export interface BlockAttempt {
  source: string;
  outcome: "not-found" | "failed" | "invalid";
  detail: string;
}

/** No source had the block (or every one that answered sent bytes that do not match it). */
export class BlockUnavailableError extends Error {
  override readonly name = "BlockUnavailableError";
  constructor(
    readonly cid: CID,
    readonly attempts: readonly BlockAttempt[],
  ) {
    super(`Block ${cid.toString()} is not in the local IPFS store and ${describeAttempts(attempts)}.`);
  }

  /** Whether some source answered with bytes that failed verification. */
  get tampered(): boolean {
    return this.attempts.some((attempt) => attempt.outcome === "invalid");
  }
}

/** The name the bitswap source (lib/ipfs/network.ts) reports under. */
export const BITSWAP_SOURCE_NAME = "connected peers (bitswap)";

/** "connected peers (bitswap): no peer is connected; no trustless gateway is configured (MODELBOUNTY_IPFS_GATEWAYS)" */
export function describeAttempts(attempts: readonly BlockAttempt[]): string {
  const parts = attempts.map((attempt) => `${attempt.source}: ${attempt.detail}`);
  if (!attempts.some((attempt) => attempt.source === BITSWAP_SOURCE_NAME)) {
    parts.push("the IPFS node is not running here, so no peer was asked (see the server log)");
  }
  if (!attempts.some((attempt) => attempt.source.startsWith("gateway "))) {
    parts.push("no trustless gateway is configured (MODELBOUNTY_IPFS_GATEWAYS)");
  }
  return parts.join("; ");
}

/** Largest block accepted from a source: 4 MiB (kubo's bitswap limit; the app's own blocks are ≤ 256 KiB + links). */
export const MAX_BLOCK_BYTES = 4 * 1024 * 1024;

export interface GatewaySourceOptions {
  /** Time limit for one request. */
  timeoutMs: number;
  /** Replaces the global `fetch` (proxies). */
  fetch?: typeof fetch;
}

/** A trustless gateway: `GET <base>/ipfs/<cid>?format=raw` with `Accept: application/vnd.ipld.raw`, one block. */
export class TrustlessGatewaySource implements BlockSource {
  readonly name: string;
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;

  constructor(
    base: string,
    private readonly options: GatewaySourceOptions,
  ) {
    this.base = base.replace(/\/+$/, "");
    this.name = `gateway ${this.base}`;
    this.fetchImpl = options.fetch ?? fetch;
  }

  async fetchBlock(cid: CID, options: { signal?: AbortSignal } = {}): Promise<BlockFetchResult> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.base}/ipfs/${cid.toString()}?format=raw`, {
        headers: { accept: "application/vnd.ipld.raw" },
        signal,
      });
    } catch (error) {
      const reason = timeout.aborted
        ? `no answer within ${Math.round(this.options.timeoutMs / 1000)} s`
        : error instanceof Error ? error.message : String(error);
      return { ok: false, outcome: "failed", detail: `could not be reached (${reason})` };
    }
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel().catch(() => undefined);
      return { ok: false, outcome: "not-found", detail: `does not have it (HTTP ${response.status})` };
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return { ok: false, outcome: "failed", detail: `answered HTTP ${response.status}` };
    }
    const bytes = await readResponseAtMost(response, MAX_BLOCK_BYTES, () => new Error(`more than ${MAX_BLOCK_BYTES} bytes for one block`)).catch((error: unknown) => error);
    if (!(bytes instanceof Uint8Array)) {
      const reason = bytes instanceof Error ? bytes.message : String(bytes);
      return { ok: false, outcome: "failed", detail: `sent an unusable answer (${reason})` };
    }
    if (!(await blockMatchesCid(cid, bytes))) {
      return {
        ok: false,
        outcome: "invalid",
        detail: `sent ${bytes.length} bytes that do not hash to the CID; refused`,
      };
    }
    return { ok: true, bytes };
  }
}

/**
 * The blockstore the exporter reads through: the local {@link FsBlockstore} first, then each source in order.
 * A fetched block is verified against its CID, written to the local store and passed to `onFetched` (the node
 * announces it to its peers).
 */
export class RetrievingBlockstore {
  constructor(
    readonly local: FsBlockstore,
    private readonly sources: () => readonly BlockSource[],
    private readonly onFetched?: (cid: CID) => void,
  ) {}

  async *get(cid: CID, options: { signal?: AbortSignal } = {}): AsyncGenerator<Uint8Array> {
    yield await this.getBlock(cid, options);
  }

  /** @throws BlockUnavailableError when no source had it; IpfsVerificationError for a corrupted local block. */
  async getBlock(cid: CID, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    try {
      return await this.local.getBlock(cid);
    } catch (error) {
      if (!(error instanceof BlockNotFoundError)) throw error;
    }
    const attempts: BlockAttempt[] = [];
    for (const source of this.sources()) {
      const result = await source.fetchBlock(cid, options);
      if (result.ok) {
        // Checked here too, whatever the source did: only verified blocks are stored.
        if (await blockMatchesCid(cid, result.bytes)) {
          await this.local.put(cid, result.bytes);
          this.onFetched?.(cid);
          return result.bytes;
        }
        attempts.push({ source: source.name, outcome: "invalid", detail: "sent bytes that do not hash to the CID; refused" });
        continue;
      }
      attempts.push({ source: source.name, outcome: result.outcome, detail: result.detail });
    }
    throw new BlockUnavailableError(cid, attempts);
  }
}

/**
 * The server's copy of the marketplace listing (Node only), so the home page's HTML already holds the list.
 *
 * Why: reading 500 competitions takes the browser ~1 s of chain calls, and it can only start them after ~1 s of
 * loading and hydrating the app's JavaScript. The server instead keeps the last listing in memory and follows the
 * chain with the same incremental scan the browser uses (lib/web/listing.ts): while pages are being requested it
 * polls the head at the wallet's polling interval and rescans only what changed. A page request then costs one
 * head check (eth_getBlockByNumber) and no summary reads.
 *
 * Trust: the snapshot is a head start, not a source of truth. The browser resumes its own scan from it right after
 * hydration and marks the list "Live" only once its own node has answered (components/marketplace).
 *
 * Consistency: a snapshot whose block the chain no longer holds (a reset node, a reverted snapshot, a reorg) is never
 * served. When the chain moved on, the page waits for the rescan within its budget, and only past it gets the
 * older snapshot (still on the chain). When the node does not answer within the budget, no snapshot is sent and the
 * browser reads the chain itself, as before.
 *
 * `MODELBOUNTY_SERVER_LISTING=off` turns it off (the page then renders the loading state and the browser reads).
 */
import { createPublicClient, http, type Address, type PublicClient } from "viem";
import { chainFromConfig, pollingIntervalMs, type AppConfig } from "../config";
import { observeBlockTime } from "../chain/blockTime";
import { parseCompetitionMetadata, type CompetitionMetadata } from "../danku/metadata";
import { parseProblemMetadata, type ProblemMetadata } from "../daimon/metadata";
import { getIpfsStore, type IpfsStore } from "../ipfs/store";
import { readStoredMetadata } from "./metadata";
import { isOnChain, readChainHead, type ChainHead } from "../chain/follow";
import { refreshListing, type Listing } from "./listing";
import { competitionSource, problemSource, type CompetitionListing, type ProblemListing } from "./marketplaceSources";

/**
 * The listing as the server last read it, sent with the page's HTML so the list is on screen before the browser's
 * JavaScript has loaded; the browser then resumes the scan from it (and replaces it where the chain moved on).
 */
export interface MarketplaceSnapshot {
  competitions?: CompetitionListing;
  problems?: ProblemListing;
  /** Metadata documents the server already holds, by CID (verified against it). */
  competitionMetadata: Record<string, CompetitionMetadata>;
  problemMetadata: Record<string, ProblemMetadata>;
  /** Seconds per block observed over recent blocks (null: too few blocks). */
  observedBlockTime: number | null;
}

/** How long a page waits for the chain before it renders without a snapshot. */
export const SNAPSHOT_BUDGET_MS = 1_500;
/** Polling stops this long after the last page request (an idle server does not keep reading the chain). */
const ACTIVE_FOR_MS = 60_000;
const BLOCK_TIME_TTL_MS = 5 * 60_000;
/** A metadata document that could not be read is tried again after this long (IPFS may not have it yet). */
const METADATA_RETRY_MS = 30_000;
const METADATA_CONCURRENCY = 8;

interface Snapshot {
  head: ChainHead;
  competitions?: CompetitionListing;
  problems?: ProblemListing;
}

type Loaded<T> = { value: T } | { failedAt: number };

export interface ListingIndexerOptions {
  pollingIntervalMs: number;
  store?: () => IpfsStore;
}

/** Follows one configuration's factories (one per process and configuration; see {@link readMarketplaceSnapshot}). */
export class ListingIndexer {
  private current?: Snapshot;
  private refreshing?: Promise<Snapshot>;
  private metadataLoading?: Promise<void>;
  private readonly competitionMetadata = new Map<string, Loaded<CompetitionMetadata>>();
  private readonly problemMetadata = new Map<string, Loaded<ProblemMetadata>>();
  private blockTime?: { seconds: number | null; at: number };
  private lastRequestAt = 0;
  private poller?: ReturnType<typeof setInterval>;
  private readonly store: () => IpfsStore;

  constructor(
    private readonly config: AppConfig,
    private readonly client: PublicClient,
    private readonly options: ListingIndexerOptions,
  ) {
    this.store = options.store ?? getIpfsStore;
  }

  /** The listing for a page, or undefined when the chain did not answer within `budgetMs`. */
  async read(budgetMs: number = SNAPSHOT_BUDGET_MS): Promise<MarketplaceSnapshot | undefined> {
    this.lastRequestAt = Date.now();
    this.startPolling();
    const deadline = Date.now() + budgetMs;
    const left = () => Math.max(0, deadline - Date.now());
    try {
      const snapshot = await this.currentSnapshot(left);
      // Documents the first scan found are read from the local IPFS store in a few milliseconds; a slow remote
      // node must not hold the page back, so whatever is loaded by the deadline goes with it.
      if (this.metadataLoading) await withTimeout(this.metadataLoading, left()).catch(() => undefined);
      return this.toMarketplaceSnapshot(snapshot);
    } catch {
      // Not reachable or too slow: the browser reads the chain itself and shows its own error state.
      return undefined;
    }
  }

  /** Stops polling (tests; a server simply exits). */
  stop(): void {
    if (this.poller) clearInterval(this.poller);
    this.poller = undefined;
  }

  /**
   * The listing at the head, scanned within the time `left`; when the chain moved on and the scan takes longer, the
   * last listing if the chain still holds its block (older, never wrong). Throws when there is nothing to serve.
   */
  private async currentSnapshot(left: () => number): Promise<Snapshot> {
    const current = this.current;
    if (!current) return withTimeout(this.refresh(), left());
    const head = await withTimeout(readChainHead(this.client), left());
    const valid = await withTimeout(isOnChain(this.client, current.head, head), left());
    if (valid && head.number === current.head.number) return current;
    const refreshed = withTimeout(this.scanFor(head), left());
    return valid ? refreshed.catch(() => current) : refreshed;
  }

  /** A scan at `head` or later on the same chain (a scan already running may have started before a revert). */
  private async scanFor(head: ChainHead): Promise<Snapshot> {
    const scanned = await this.refresh(head);
    // Past `head` it was read after it; otherwise it must be on the chain `head` ends (same block, or an ancestor).
    if (scanned.head.number > head.number || (await isOnChain(this.client, scanned.head, head))) return scanned;
    return this.refresh(head);
  }

  /** One scan at a time: callers during a scan share it. */
  private refresh(knownHead?: ChainHead): Promise<Snapshot> {
    this.refreshing ??= this.scan(knownHead).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async scan(knownHead?: ChainHead): Promise<Snapshot> {
    const head = knownHead ?? (await readChainHead(this.client));
    const previous = this.current;
    const competitions = competitionSource(this.client, this.config);
    const problems = problemSource(this.client, this.config);
    const [competitionListing, problemListing] = await Promise.all([
      competitions ? refreshListing(this.client, competitions, previous?.competitions, head) : undefined,
      problems ? refreshListing(this.client, problems, previous?.problems, head) : undefined,
    ]);
    const snapshot: Snapshot = { head, competitions: competitionListing, problems: problemListing };
    this.current = snapshot;
    this.metadataLoading = this.loadMetadata(snapshot);
    if (this.config.blockTimeSeconds === null && (!this.blockTime || Date.now() - this.blockTime.at > BLOCK_TIME_TTL_MS)) {
      const seconds = await observeBlockTime(this.client).catch(() => null);
      this.blockTime = { seconds, at: Date.now() };
    }
    return snapshot;
  }

  private async loadMetadata(snapshot: Snapshot): Promise<void> {
    const due = <T>(map: Map<string, Loaded<T>>, cid: string) => {
      if (cid.trim() === "") return false;
      const entry = map.get(cid);
      return !entry || ("failedAt" in entry && Date.now() - entry.failedAt > METADATA_RETRY_MS);
    };
    const jobs: (() => Promise<void>)[] = [];
    for (const cid of new Set(snapshot.competitions?.summaries.map((s) => s.metadataCid) ?? [])) {
      if (due(this.competitionMetadata, cid)) jobs.push(() => this.loadOne(cid, this.competitionMetadata, parseCompetitionMetadata));
    }
    for (const cid of new Set(snapshot.problems?.summaries.map((p) => p.spec.metadataCid) ?? [])) {
      if (due(this.problemMetadata, cid)) jobs.push(() => this.loadOne(cid, this.problemMetadata, (text) => parseProblemMetadata(text)));
    }
    const workers = Array.from({ length: Math.min(METADATA_CONCURRENCY, jobs.length) }, async () => {
      for (let job = jobs.shift(); job; job = jobs.shift()) await job();
    });
    await Promise.all(workers);
  }

  private async loadOne<T>(cid: string, map: Map<string, Loaded<T>>, parse: (text: string) => T): Promise<void> {
    try {
      // The store verifies the content against its CID; the size limit is the browser's for a card.
      const value = await readStoredMetadata(this.store(), cid, parse);
      if (value === undefined) throw new Error("unavailable");
      map.set(cid, { value });
    } catch {
      // The browser tries again and reports why; the server only retries later.
      map.set(cid, { failedAt: Date.now() });
    }
  }

  private toMarketplaceSnapshot(snapshot: Snapshot): MarketplaceSnapshot {
    const pick = <T>(map: Map<string, Loaded<T>>, cids: Iterable<string>) => {
      const out: Record<string, T> = {};
      for (const cid of cids) {
        const entry = map.get(cid);
        if (entry && "value" in entry) out[cid] = entry.value;
      }
      return out;
    };
    return {
      competitions: shareListed(snapshot.competitions),
      problems: shareListed(snapshot.problems),
      competitionMetadata: pick(this.competitionMetadata, snapshot.competitions?.summaries.map((s) => s.metadataCid) ?? []),
      problemMetadata: pick(this.problemMetadata, snapshot.problems?.summaries.map((p) => p.spec.metadataCid) ?? []),
      observedBlockTime: this.blockTime?.seconds ?? null,
    };
  }

  /** While pages are requested, follow the head so the next page gets a current listing without waiting. */
  private startPolling(): void {
    if (this.poller) return;
    this.poller = setInterval(() => {
      if (Date.now() - this.lastRequestAt > ACTIVE_FOR_MS) return this.stop();
      if (this.refreshing) return;
      void readChainHead(this.client)
        .then((head) => (this.current && head.hash === this.current.head.hash ? undefined : this.refresh(head)))
        .catch(() => undefined);
    }, this.options.pollingIntervalMs);
    // Never the reason a process stays alive.
    this.poller.unref?.();
  }
}

/**
 * A summary extends its listed item, so the listed item is replaced by the summary itself: React's serialization
 * writes an object referenced twice only once, which halves the snapshot in the page (the browser's next scan
 * reads fresh summaries over it either way).
 */
function shareListed<Listed extends { address: Address }, Summary extends Listed>(listing?: Listing<Listed, Summary>): Listing<Listed, Summary> | undefined {
  if (!listing) return undefined;
  const byAddress = new Map(listing.summaries.map((s) => [s.address, s]));
  return { ...listing, listed: listing.listed.map((l) => byAddress.get(l.address) ?? l) };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

const INDEXERS_KEY = Symbol.for("modelbounty.listingIndexers");
type GlobalWithIndexers = typeof globalThis & { [INDEXERS_KEY]?: Map<string, ListingIndexer> };

function indexerKey(config: AppConfig): string {
  return [config.rpcUrl, config.chainId, config.factory, config.factoryBlock, config.problemFactory, config.problemFactoryBlock, config.multicall3].join("|");
}

/** Whether the server sends a snapshot with the page (MODELBOUNTY_SERVER_LISTING, on unless "off"). */
export function serverListingEnabled(env: Record<string, string | undefined> = process.env): boolean {
  return env.MODELBOUNTY_SERVER_LISTING?.trim().toLowerCase() !== "off";
}

/**
 * The marketplace snapshot for a page request: one indexer per configuration, kept on `globalThis` so that Next's
 * development reloads keep it. Undefined when disabled, when nothing is configured, or when the chain is too slow.
 */
export async function readMarketplaceSnapshot(config: AppConfig, budgetMs: number = SNAPSHOT_BUDGET_MS): Promise<MarketplaceSnapshot | undefined> {
  if (!serverListingEnabled() || (!config.factory && !config.problemFactory)) return undefined;
  const holder = globalThis as GlobalWithIndexers;
  const indexers = (holder[INDEXERS_KEY] ??= new Map());
  const key = indexerKey(config);
  let indexer = indexers.get(key);
  if (!indexer) {
    const client = createPublicClient({ chain: chainFromConfig(config), transport: http(config.rpcUrl, { batch: true, retryCount: 0, timeout: 10_000 }) });
    indexer = new ListingIndexer(config, client, { pollingIntervalMs: pollingIntervalMs(config) });
    indexers.set(key, indexer);
  }
  return indexer.read(budgetMs);
}

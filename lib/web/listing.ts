/**
 * The marketplace's listings (DanKu competitions, DaiMoN problems) follow the chain the same way: creation events
 * scanned incrementally from the last scan (lib/chain/follow.ts), then every item's changing state re-read in
 * batched calls at one block. The browser (components/marketplace/useMarketplace.ts) and the server's listing
 * snapshot (lib/web/listingSnapshot.ts) both use this one scan.
 */
import type { Address, Hash, PublicClient } from "viem";
import { followChain, type ChainHead } from "../chain/follow";

export interface Listing<Listed, Summary> {
  listed: Listed[];
  summaries: Summary[];
  failed: Address[];
  blockNumber: bigint;
  /** Hash of `blockNumber`'s block: a later scan resumes only if the chain still holds this block. */
  blockHash: Hash;
}

export interface ListingSource<Listed, Summary> {
  /** First block to scan when there is nothing to resume from (the factory's deployment). */
  firstBlock: bigint;
  /** Creation events in [fromBlock, toBlock]. */
  list(fromBlock: bigint, toBlock: bigint): Promise<Listed[]>;
  /** The changing state of every listed item at `blockNumber`. */
  summarize(listed: Listed[], blockNumber: bigint): Promise<{ summaries: Summary[]; failed: Address[] }>;
}

/**
 * The listing at the chain's latest block, resuming from `previous` unless the chain no longer holds its block;
 * `previous` itself when the head has not moved (nothing can have changed).
 */
export async function refreshListing<Listed, Summary>(
  client: PublicClient,
  source: ListingSource<Listed, Summary>,
  previous?: Listing<Listed, Summary>,
  knownHead?: ChainHead,
): Promise<Listing<Listed, Summary>> {
  const before = previous ? { value: previous.listed, head: { number: previous.blockNumber, hash: previous.blockHash } } : undefined;
  const followed = await followChain(client, { firstBlock: source.firstBlock, read: source.list, merge: (a, b) => [...a, ...b] }, before, knownHead);
  if (previous && followed === before) return previous;
  const { summaries, failed } = await source.summarize(followed.value, followed.head.number);
  return { listed: followed.value, summaries, failed, blockNumber: followed.head.number, blockHash: followed.head.hash };
}

/**
 * The marketplace's listings (DanKu competitions, DaiMoN problems) follow the chain the same way: creation events
 * scanned incrementally from the last scan, then every item's changing state re-read in batched calls at one block.
 * The browser (components/marketplace/useMarketplace.ts) and the server's listing snapshot
 * (lib/web/listingSnapshot.ts) both use this one scan.
 */
import type { Address, Hash, PublicClient } from "viem";

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

export interface ChainHead {
  number: bigint;
  hash: Hash;
}

/** The latest block's number and hash (one eth_getBlockByNumber). */
export async function readChainHead(client: PublicClient): Promise<ChainHead> {
  const block = await client.getBlock({ blockTag: "latest" });
  if (block.number === null || block.hash === null) throw new Error("The node returned a pending block for \"latest\".");
  return { number: block.number, hash: block.hash };
}

/**
 * Whether `previous` is still part of the chain whose head is `head`: a node reset, a reverted snapshot or a reorg
 * replaces the block it was read at (same height, other hash) or leaves the chain shorter than it.
 */
export async function isOnChain(client: PublicClient, previous: ChainHead, head: ChainHead): Promise<boolean> {
  if (previous.number > head.number) return false;
  if (previous.number === head.number) return previous.hash === head.hash;
  const block = await client.getBlock({ blockNumber: previous.number });
  return block.hash === previous.hash;
}

/** The listing at the chain's latest block, resuming from `previous` unless the chain no longer holds its block. */
export async function refreshListing<Listed, Summary>(
  client: PublicClient,
  source: ListingSource<Listed, Summary>,
  previous?: Listing<Listed, Summary>,
  knownHead?: ChainHead,
): Promise<Listing<Listed, Summary>> {
  const head = knownHead ?? (await readChainHead(client));
  // Rescanned from the start: a chain without the last scan's block (see isOnChain) could hold other creations.
  const resume = previous && (await isOnChain(client, { number: previous.blockNumber, hash: previous.blockHash }, head)) ? previous : undefined;
  // Same block, same chain: nothing can have changed.
  if (resume && resume.blockNumber === head.number) return resume;
  let listed = resume?.listed ?? [];
  const fromBlock = resume ? resume.blockNumber + 1n : source.firstBlock;
  if (fromBlock <= head.number) listed = [...listed, ...(await source.list(fromBlock, head.number))];
  const { summaries, failed } = await source.summarize(listed, head.number);
  return { listed, summaries, failed, blockNumber: head.number, blockHash: head.hash };
}

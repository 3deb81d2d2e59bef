/**
 * The marketplace's listings (DanKu competitions, DaiMoN problems) follow the chain the same way: creation events
 * scanned incrementally from the last scan, then every item's changing state re-read in batched calls at one block.
 */
import type { Address, PublicClient } from "viem";

export interface Listing<Listed, Summary> {
  listed: Listed[];
  summaries: Summary[];
  failed: Address[];
  blockNumber: bigint;
}

export interface ListingSource<Listed, Summary> {
  /** First block to scan when there is nothing to resume from (the factory's deployment). */
  firstBlock: bigint;
  /** Creation events in [fromBlock, toBlock]. */
  list(fromBlock: bigint, toBlock: bigint): Promise<Listed[]>;
  /** The changing state of every listed item at `blockNumber`. */
  summarize(listed: Listed[], blockNumber: bigint): Promise<{ summaries: Summary[]; failed: Address[] }>;
}

/** The listing at the chain's latest block, resuming from `previous` unless the chain went backwards. */
export async function refreshListing<Listed, Summary>(
  client: PublicClient,
  source: ListingSource<Listed, Summary>,
  previous?: Listing<Listed, Summary>,
): Promise<Listing<Listed, Summary>> {
  const latest = await client.getBlockNumber({ cacheTime: 0 });
  // A chain that went backwards (a local node reset, a reorg, a reverted snapshot) is rescanned from the start.
  const resume = previous && previous.blockNumber <= latest ? previous : undefined;
  let listed = resume?.listed ?? [];
  const fromBlock = resume ? resume.blockNumber + 1n : source.firstBlock;
  if (fromBlock <= latest) listed = [...listed, ...(await source.list(fromBlock, latest))];
  const { summaries, failed } = await source.summarize(listed, latest);
  return { listed, summaries, failed, blockNumber: latest };
}

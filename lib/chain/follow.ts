/**
 * Following the chain with event scans: read the head, resume from the last scan if the chain still holds the block
 * it was read at, and scan only the blocks since. The marketplace listings (lib/web/listing.ts) and a DaiMoN
 * problem's page (components/problem/useProblem.ts) follow the chain this way; `getLogs` ranges are split by
 * {@link scanBlockRanges} so no request spans more blocks than public nodes accept.
 */
import type { Hash, PublicClient } from "viem";

export interface ChainHead {
  number: bigint;
  hash: Hash;
}

/** The latest block's number and hash (one eth_getBlockByNumber). */
export async function readChainHead(client: PublicClient): Promise<ChainHead> {
  const block = await client.getBlock({ blockTag: "latest" });
  if (block.number === null || block.hash === null) throw new Error('The node returned a pending block for "latest".');
  return { number: block.number, hash: block.hash };
}

/**
 * Whether the block `previous` names is still part of the chain whose head is `head`: a node reset, a reverted
 * snapshot or a reorg replaces it (same height, other hash) or leaves the chain shorter than it.
 */
export async function isOnChain(client: PublicClient, previous: ChainHead, head: ChainHead): Promise<boolean> {
  if (previous.number > head.number) return false;
  if (previous.number === head.number) return previous.hash === head.hash;
  const block = await client.getBlock({ blockNumber: previous.number });
  return block.hash === previous.hash;
}

/** What a scan found up to and including `head`. */
export interface Followed<T> {
  value: T;
  head: ChainHead;
}

export interface FollowSource<T> {
  /** First block to scan when there is nothing to resume from (a contract's deployment). */
  firstBlock: bigint;
  /** What the blocks [fromBlock, toBlock] add. */
  read(fromBlock: bigint, toBlock: bigint): Promise<T>;
  /** `previous` followed by `added` (which comes from later blocks). */
  merge(previous: T, added: T): T;
}

/**
 * The scan up to the chain's head: `previous` itself when the head has not moved, `previous` plus the new blocks
 * when the chain still holds its block, otherwise a rescan from `firstBlock`.
 */
export async function followChain<T>(client: PublicClient, source: FollowSource<T>, previous?: Followed<T>, knownHead?: ChainHead): Promise<Followed<T>> {
  const head = knownHead ?? (await readChainHead(client));
  const resume = previous && (await isOnChain(client, previous.head, head)) ? previous : undefined;
  if (resume && resume.head.number === head.number) return resume;
  if (!resume) return { value: await source.read(source.firstBlock, head.number), head };
  return { value: source.merge(resume.value, await source.read(resume.head.number + 1n, head.number)), head };
}

export interface BlockRangeOptions {
  fromBlock?: bigint;
  toBlock?: bigint;
  /** Largest span of one getLogs request (default 10,000 blocks). */
  blockRange?: bigint;
}

/** Calls `scan` for consecutive ranges covering [fromBlock, toBlock ?? latest]; returns the last block covered. */
export async function scanBlockRanges(client: PublicClient, options: BlockRangeOptions, scan: (fromBlock: bigint, toBlock: bigint) => Promise<void>): Promise<bigint> {
  const latest = options.toBlock ?? (await client.getBlockNumber({ cacheTime: 0 }));
  const range = options.blockRange ?? 10_000n;
  for (let from = options.fromBlock ?? 0n; from <= latest; from += range) {
    await scan(from, from + range - 1n < latest ? from + range - 1n : latest);
  }
  return latest;
}

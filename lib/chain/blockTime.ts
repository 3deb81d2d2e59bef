/**
 * Seconds per block, observed, for "time left" estimates by the browser (components/hooks/useBlockTime.ts) and by
 * the server's listing snapshot.
 *
 * The old estimate was the average over the last 100 blocks, (t_latest − t_latest−100) / 100. On a chain that mines
 * on demand (a local Hardhat node: a burst of blocks one second apart while a test or seed script runs, then nothing
 * for an hour) that average is dominated by whether the window holds a gap, so the same deadline read "≈ 7 h" one
 * minute and "≈ 15 d" the next. The estimate is now:
 *
 *   - the **median** of the intervals between consecutive blocks of the last BLOCK_TIME_WINDOW blocks: one long gap
 *     (or a few) moves it not at all;
 *   - on chains faster than the timestamps' one-second resolution (most intervals 0 s, e.g. 0.25 s blocks), the mean
 *     of the intervals without the gaps (intervals over SUB_SECOND_GAP_SECONDS);
 *   - clamped to MIN_BLOCK_TIME_SECONDS, and **no estimate** (null: the caller falls back to the chain's known or
 *     configured block time) when there are too few blocks, when the median is beyond MAX_BLOCK_TIME_SECONDS, or when
 *     the latest block is much older than the estimate says blocks come (a chain that mines on demand or stalled:
 *     its recent rhythm says nothing about when the next blocks will come).
 */
import type { PublicClient } from "viem";

/** Blocks read for one estimate (one JSON-RPC batch): BLOCK_TIME_WINDOW − 1 intervals. */
export const BLOCK_TIME_WINDOW = 32;
/** Fewer intervals than this: no estimate. */
export const MIN_BLOCK_TIME_INTERVALS = 4;
/** The fastest block time reported (the timestamps have one-second resolution below that). */
export const MIN_BLOCK_TIME_SECONDS = 0.1;
/** A median interval above this is no block rhythm (an idle chain that mines on demand): no estimate. */
export const MAX_BLOCK_TIME_SECONDS = 600;
/** On a sub-second chain, intervals longer than this are gaps, left out of the mean. */
export const SUB_SECOND_GAP_SECONDS = 2;
/** The latest block is stale when older than max(this, STALE_FACTOR × estimate). */
export const STALE_MIN_SECONDS = 120;
export const STALE_FACTOR = 20;

export interface BlockStamp {
  number: bigint;
  /** Unix seconds, as in the block header. */
  timestamp: bigint;
}

export interface EstimateOptions {
  /** Wall-clock Unix seconds; when given, a chain whose latest block is stale gets no estimate. */
  nowSeconds?: number;
}

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Seconds per block from block headers (any order, any spacing of block numbers), or null when they show no usable
 * rhythm: see the module comment.
 */
export function estimateBlockTime(blocks: readonly BlockStamp[], options: EstimateOptions = {}): number | null {
  const ordered = [...blocks].sort((a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0));
  const intervals: number[] = [];
  for (let i = 1; i < ordered.length; i++) {
    const [previous, current] = [ordered[i - 1] as BlockStamp, ordered[i] as BlockStamp];
    const blocksBetween = current.number - previous.number;
    const seconds = current.timestamp - previous.timestamp;
    // A repeated block or a timestamp going backwards (a reorg read halfway) tells nothing.
    if (blocksBetween <= 0n || seconds < 0n) continue;
    intervals.push(Number(seconds) / Number(blocksBetween));
  }
  if (intervals.length < MIN_BLOCK_TIME_INTERVALS) return null;
  const sorted = [...intervals].sort((a, b) => a - b);
  const middle = median(sorted);
  if (middle > MAX_BLOCK_TIME_SECONDS) return null;
  let estimate = middle;
  if (middle < 1) {
    const steady = sorted.filter((s) => s <= SUB_SECOND_GAP_SECONDS);
    estimate = steady.reduce((sum, s) => sum + s, 0) / steady.length;
  }
  estimate = Math.max(MIN_BLOCK_TIME_SECONDS, estimate);
  const latest = ordered[ordered.length - 1] as BlockStamp;
  if (options.nowSeconds !== undefined) {
    const age = options.nowSeconds - Number(latest.timestamp);
    if (age > Math.max(STALE_MIN_SECONDS, STALE_FACTOR * estimate)) return null;
  }
  return estimate;
}

/**
 * The observed block time of the chain `client` reads (the last BLOCK_TIME_WINDOW headers, one batch on a batching
 * transport), or null when it shows no rhythm: the caller then uses the configured or the chain's known block time.
 */
export async function observeBlockTime(client: PublicClient, options: { nowSeconds?: number; window?: number } = {}): Promise<number | null> {
  const latest = await client.getBlock({ blockTag: "latest" });
  if (latest.number === null || latest.number < 1n) return null;
  const window = BigInt(Math.max(2, Math.trunc(options.window ?? BLOCK_TIME_WINDOW)));
  const count = latest.number + 1n < window ? latest.number + 1n : window;
  const numbers: bigint[] = [];
  for (let n = latest.number - count + 1n; n < latest.number; n++) numbers.push(n);
  const earlier = await Promise.all(numbers.map((blockNumber) => client.getBlock({ blockNumber })));
  const stamps: BlockStamp[] = [...earlier, latest].flatMap((b) => (b.number === null ? [] : [{ number: b.number, timestamp: b.timestamp }]));
  return estimateBlockTime(stamps, { nowSeconds: options.nowSeconds ?? Date.now() / 1000 });
}

/**
 * Seconds per block, observed: the average over the last 100 blocks (fewer on a young chain). Used for "time left"
 * estimates by the browser (components/hooks/useBlockTime.ts) and by the server's listing snapshot.
 */
import type { PublicClient } from "viem";

const SAMPLE_BLOCKS = 100n;

/** The observed average, or null when the chain has fewer than two blocks or no time passed between them. */
export async function observeBlockTime(client: PublicClient): Promise<number | null> {
  const latest = await client.getBlock({ blockTag: "latest" });
  if (latest.number === null || latest.number < 2n) return null;
  const span = latest.number < SAMPLE_BLOCKS ? latest.number : SAMPLE_BLOCKS;
  const earlier = await client.getBlock({ blockNumber: latest.number - span });
  const seconds = Number(latest.timestamp - earlier.timestamp) / Number(span);
  return seconds > 0 ? seconds : null;
}

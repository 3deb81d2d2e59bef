/**
 * Interval mining for `npm run dev`: a Hardhat node mines only when a transaction comes, so on an idle local chain
 * block numbers never move and every countdown ("ends in 40 blocks · ≈ 8 min") stands still. `npm run dev` makes
 * its node also mine a block every MODELBOUNTY_DEV_BLOCK_INTERVAL seconds (2 by default; transactions are still
 * mined at once), and tells the app that block time, so "time left" reads in the same seconds the chain ticks in.
 * 0 turns it off (the e2e web server does: its specs count blocks and mine exactly the ones they need).
 */
import type { TestClient } from "viem";

export const DEV_BLOCK_INTERVAL_ENV = "MODELBOUNTY_DEV_BLOCK_INTERVAL";
export const DEFAULT_DEV_BLOCK_INTERVAL_SECONDS = 2;

/** Seconds between interval blocks from the environment (0: off); a clear error for anything else. */
export function devBlockInterval(env: Record<string, string | undefined>): number {
  const text = env[DEV_BLOCK_INTERVAL_ENV]?.trim();
  if (text === undefined || text === "") return DEFAULT_DEV_BLOCK_INTERVAL_SECONDS;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !Number.isFinite(seconds) || (seconds > 0 && seconds < 0.1) || seconds > 3_600) {
    throw new Error(`${DEV_BLOCK_INTERVAL_ENV}=${text} is not a number of seconds between 0.1 and 3600; set it to e.g. 2, or 0 to mine only on transactions`);
  }
  return seconds;
}

/**
 * Starts (or, with 0, stops) interval mining on a Hardhat node; automining of transactions stays on. Returns the
 * MODELBOUNTY_BLOCK_TIME_SECONDS the app should use, or undefined to leave the app observing (or the user's value).
 */
export async function startIntervalMining(testClient: Pick<TestClient, "setIntervalMining">, seconds: number, env: Record<string, string | undefined>): Promise<string | undefined> {
  await testClient.setIntervalMining({ interval: seconds });
  if (seconds === 0) return undefined;
  return env.MODELBOUNTY_BLOCK_TIME_SECONDS?.trim() ? undefined : String(seconds);
}

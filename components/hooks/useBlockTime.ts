"use client";

import { useQuery } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import { useAppConfig } from "@/components/providers/AppConfigContext";
import { DEFAULT_BLOCK_TIME_SECONDS } from "@/lib/config";
import { BLOCK_TIME_WINDOW, observeBlockTime } from "@/lib/chain/blockTime";

export interface BlockTime {
  seconds: number;
  /** "on-demand": a local chain with no block rhythm to observe (blocks come with transactions). */
  source: "configured" | "observed" | "default" | "on-demand";
}

/**
 * Seconds per block for "time left" estimates: MODELBOUNTY_BLOCK_TIME_SECONDS when set (`npm run dev` sets it to its
 * node's mining interval), otherwise the robust observation of lib/chain/blockTime (the median interval of the last
 * 32 blocks, re-measured every minute; none on a chain that mines on demand), otherwise 12 s, Ethereum's slot time.
 * `initialObserved` seeds the observation (the marketplace gets it from the server's snapshot, so its first render
 * already shows the right times).
 */
export function useBlockTime(initialObserved?: number | null): BlockTime {
  const config = useAppConfig();
  const client = usePublicClient();
  const observed = useQuery({
    queryKey: ["block-time", config.chainId],
    enabled: config.blockTimeSeconds === null && !!client,
    staleTime: 60_000,
    initialData: initialObserved ?? undefined,
    queryFn: () => (client ? observeBlockTime(client) : Promise.resolve(null)),
  });
  if (config.blockTimeSeconds !== null) return { seconds: config.blockTimeSeconds, source: "configured" };
  if (observed.data) return { seconds: observed.data, source: "observed" };
  return { seconds: DEFAULT_BLOCK_TIME_SECONDS, source: config.localChain ? "on-demand" : "default" };
}

export function describeBlockTime(blockTime: BlockTime): string {
  const s = blockTime.seconds < 10 ? blockTime.seconds.toFixed(1) : blockTime.seconds.toFixed(0);
  switch (blockTime.source) {
    case "configured":
      return `at ${s} s per block (configured)`;
    case "observed":
      return `at ${s} s per block, the median of the last ${BLOCK_TIME_WINDOW} blocks`;
    case "default":
      return `at ${s} s per block`;
    case "on-demand":
      return `at ${s} s per block, a guess: this local chain mines blocks only with transactions`;
  }
}

"use client";

import { useQuery } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import { useAppConfig } from "@/components/providers/AppConfigContext";
import { DEFAULT_BLOCK_TIME_SECONDS } from "@/lib/config";

export interface BlockTime {
  seconds: number;
  source: "configured" | "observed" | "default";
}

const SAMPLE_BLOCKS = 100n;

/**
 * Seconds per block for "time left" estimates: MODELBOUNTY_BLOCK_TIME_SECONDS when set, otherwise the average over
 * the last 100 blocks (re-measured every few minutes), otherwise 12 s.
 */
export function useBlockTime(): BlockTime {
  const config = useAppConfig();
  const client = usePublicClient();
  const observed = useQuery({
    queryKey: ["block-time", config.chainId],
    enabled: config.blockTimeSeconds === null && !!client,
    staleTime: 5 * 60_000,
    queryFn: async () => {
      if (!client) return null;
      const latest = await client.getBlock({ blockTag: "latest" });
      if (latest.number === null || latest.number < 2n) return null;
      const span = latest.number < SAMPLE_BLOCKS ? latest.number : SAMPLE_BLOCKS;
      const earlier = await client.getBlock({ blockNumber: latest.number - span });
      const seconds = Number(latest.timestamp - earlier.timestamp) / Number(span);
      return seconds > 0 ? seconds : null;
    },
  });
  if (config.blockTimeSeconds !== null) return { seconds: config.blockTimeSeconds, source: "configured" };
  if (observed.data) return { seconds: observed.data, source: "observed" };
  return { seconds: DEFAULT_BLOCK_TIME_SECONDS, source: "default" };
}

export function describeBlockTime(blockTime: BlockTime): string {
  const s = blockTime.seconds < 10 ? blockTime.seconds.toFixed(1) : blockTime.seconds.toFixed(0);
  switch (blockTime.source) {
    case "configured":
      return `at ${s} s per block (configured)`;
    case "observed":
      return `at ${s} s per block, the average of recent blocks`;
    case "default":
      return `at ${s} s per block`;
  }
}

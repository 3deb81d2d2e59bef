"use client";

import { useQuery } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import { useAppConfig } from "@/components/providers/AppConfigContext";
import { DEFAULT_BLOCK_TIME_SECONDS } from "@/lib/config";
import { observeBlockTime } from "@/lib/chain/blockTime";

export interface BlockTime {
  seconds: number;
  source: "configured" | "observed" | "default";
}

/**
 * Seconds per block for "time left" estimates: MODELBOUNTY_BLOCK_TIME_SECONDS when set, otherwise the average over
 * the last 100 blocks (re-measured every few minutes), otherwise 12 s. `initialObserved` seeds the observation (the
 * marketplace gets it from the server's snapshot, so its first render already shows the right times).
 */
export function useBlockTime(initialObserved?: number | null): BlockTime {
  const config = useAppConfig();
  const client = usePublicClient();
  const observed = useQuery({
    queryKey: ["block-time", config.chainId],
    enabled: config.blockTimeSeconds === null && !!client,
    staleTime: 5 * 60_000,
    initialData: initialObserved ?? undefined,
    queryFn: () => (client ? observeBlockTime(client) : Promise.resolve(null)),
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

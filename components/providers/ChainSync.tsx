"use client";

import { useEffect, useRef } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useBlockNumber } from "wagmi";

/** Query keys under this prefix hold chain state and are refreshed on every new block. */
export const CHAIN_QUERY_PREFIX = "chain";

/**
 * Watches the block number (one eth_blockNumber per polling interval) and refreshes chain queries when a new block
 * arrives, so every page is live without each component polling on its own.
 */
export function ChainSync() {
  const queryClient = useQueryClient();
  const { data: blockNumber } = useBlockNumber({ watch: true });
  const last = useRef<bigint | undefined>(undefined);
  useEffect(() => {
    if (blockNumber === undefined || blockNumber === last.current) return;
    const first = last.current === undefined;
    last.current = blockNumber;
    if (!first) void queryClient.invalidateQueries({ queryKey: [CHAIN_QUERY_PREFIX] });
  }, [blockNumber, queryClient]);
  return null;
}

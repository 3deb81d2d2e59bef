"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import type { PublicClient } from "viem";
import { followChain, type Followed } from "@/lib/chain/follow";
import { CHAIN_QUERY_PREFIX } from "@/components/providers/ChainSync";

function valueOf<T>(followed: Followed<T>): T {
  return followed.value;
}

/**
 * An event scan that follows the chain (lib/chain/follow.ts): the first run scans from `firstBlock`, every new block
 * (ChainSync invalidates chain queries) scans only the blocks since, and a chain that no longer holds the last
 * scanned block is rescanned. The query's data is the merged value.
 */
export function useFollowed<T>(
  key: readonly unknown[],
  options: {
    enabled: boolean;
    firstBlock: bigint | undefined;
    read: (client: PublicClient, fromBlock: bigint, toBlock: bigint) => Promise<T>;
    merge: (previous: T, added: T) => T;
  },
) {
  const client = usePublicClient() as PublicClient | undefined;
  const queryClient = useQueryClient();
  const queryKey = [CHAIN_QUERY_PREFIX, ...key];
  const { enabled, firstBlock, read, merge } = options;
  return useQuery({
    queryKey,
    enabled: enabled && !!client && firstBlock !== undefined,
    placeholderData: keepPreviousData,
    queryFn: () => {
      const c = client as PublicClient;
      const source = { firstBlock: firstBlock ?? 0n, read: (from: bigint, to: bigint) => read(c, from, to), merge };
      return followChain(c, source, queryClient.getQueryData<Followed<T>>(queryKey));
    },
    select: valueOf<T>,
  });
}

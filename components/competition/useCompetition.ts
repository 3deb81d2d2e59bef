"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useAccount, usePublicClient } from "wagmi";
import type { Address, PublicClient } from "viem";
import { listDonations, readCompetition, readSubmissions, readWithdrawable, type Donation } from "@/lib/chain/danku";
import { followChain, type Followed } from "@/lib/chain/follow";
import { loadCompetitionMetadata, metadataQueryKey } from "@/lib/web/metadata";
import { useAppConfig } from "@/components/providers/AppConfigContext";
import { CHAIN_QUERY_PREFIX } from "@/components/providers/ChainSync";

function useClient(): PublicClient | undefined {
  return usePublicClient() as PublicClient | undefined;
}

/** The competition's full state; refreshed on every block. */
export function useCompetitionState(address: Address) {
  const { chainId } = useAppConfig();
  const client = useClient();
  return useQuery({
    queryKey: [CHAIN_QUERY_PREFIX, "competition", chainId, address],
    enabled: !!client,
    placeholderData: keepPreviousData,
    queryFn: () => readCompetition(client as PublicClient, address),
  });
}

export function useSubmissions(address: Address, enabled: boolean) {
  const { chainId } = useAppConfig();
  const client = useClient();
  return useQuery({
    queryKey: [CHAIN_QUERY_PREFIX, "submissions", chainId, address],
    enabled: enabled && !!client,
    placeholderData: keepPreviousData,
    queryFn: () => readSubmissions(client as PublicClient, address),
  });
}

/** The competition's donations, followed block by block (only the new blocks are scanned; lib/chain/follow.ts). */
export function useDonations(address: Address, fromBlock: bigint | undefined) {
  const { chainId } = useAppConfig();
  const client = useClient();
  const queryClient = useQueryClient();
  const queryKey = [CHAIN_QUERY_PREFIX, "donations", chainId, address] as const;
  return useQuery({
    queryKey,
    enabled: fromBlock !== undefined && !!client,
    placeholderData: keepPreviousData,
    queryFn: () => {
      const c = client as PublicClient;
      const source = { firstBlock: fromBlock ?? 0n, read: (from: bigint, to: bigint) => listDonations(c, address, { fromBlock: from, toBlock: to }), merge: (a: Donation[], b: Donation[]) => [...a, ...b] };
      return followChain(c, source, queryClient.getQueryData<Followed<Donation[]>>(queryKey));
    },
    select: (followed) => followed.value,
  });
}

export function useWithdrawable(address: Address) {
  const { chainId } = useAppConfig();
  const client = useClient();
  const { address: account } = useAccount();
  return useQuery({
    queryKey: [CHAIN_QUERY_PREFIX, "withdrawable", chainId, address, account],
    enabled: !!account && !!client,
    queryFn: () => readWithdrawable(client as PublicClient, address, account as Address),
  });
}

export function useCompetitionMetadata(cid: string | undefined) {
  return useQuery({
    queryKey: metadataQueryKey(cid ?? ""),
    enabled: !!cid,
    staleTime: Infinity,
    gcTime: Infinity,
    retry: 1,
    queryFn: ({ signal }) => loadCompetitionMetadata(cid as string, signal),
  });
}

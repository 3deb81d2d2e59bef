"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useAccount, usePublicClient } from "wagmi";
import type { Address, PublicClient } from "viem";
import { listDonations, readCompetition, readSubmissions, readWithdrawable, type Donation } from "@/lib/chain/danku";
import { loadCompetitionMetadata, metadataQueryKey } from "@/lib/web/metadata";
import { useAppConfig } from "@/components/providers/AppConfigContext";
import { CHAIN_QUERY_PREFIX } from "@/components/providers/ChainSync";
import { useFollowed } from "@/components/hooks/useFollowed";

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

/** The competition's donations, followed block by block (only the new blocks are scanned). */
export function useDonations(address: Address, fromBlock: bigint | undefined) {
  const { chainId } = useAppConfig();
  return useFollowed(["donations", chainId, address], {
    enabled: true,
    firstBlock: fromBlock,
    read: (client, from, to) => listDonations(client, address, { fromBlock: from, toBlock: to }),
    merge: concatDonations,
  });
}

function concatDonations(previous: Donation[], added: Donation[]): Donation[] {
  return [...previous, ...added];
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

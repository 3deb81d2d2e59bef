"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useAccount, usePublicClient } from "wagmi";
import { multicall } from "viem/actions";
import type { Address, PublicClient } from "viem";
import { listDonations, readCompetition, readSubmissions, readWithdrawable, type Donation } from "@/lib/chain/danku";
import { dankuCompetitionAbi } from "@/lib/generated/abis";
import { competitionsWithWinner, organizerHistory, type OrganizerHistory } from "@/lib/web/organizerHistory";
import { useMarketplace } from "@/components/marketplace/useMarketplace";
import { loadCompetitionMetadata, metadataQueryKey } from "@/lib/web/metadata";
import type { InitialCompetitionMetadata } from "@/lib/web/competitionHead";
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

/** The competition's metadata document by CID; `initial` is what the server sent with the page (used when the CIDs agree). */
export function useCompetitionMetadata(cid: string | undefined, initial?: InitialCompetitionMetadata) {
  return useQuery({
    queryKey: metadataQueryKey(cid ?? ""),
    enabled: !!cid,
    initialData: initial && initial.cid === cid ? initial.metadata : undefined,
    staleTime: Infinity,
    gcTime: Infinity,
    retry: 1,
    queryFn: ({ signal }) => loadCompetitionMetadata(cid as string, signal),
  });
}

/** Group sizes per Multicall3 call: 128 results stay far below the 24,576-byte cap of a deployless multicall. */
const SIZES_PER_CALL = 128;

/**
 * The point count of every group, committed at creation (`groupPointCountAt`): read once, it never changes. Through
 * Multicall3 where the chain has one, else as a deployless multicall.
 */
export function useGroupPointCounts(address: Address, groupCount: number | undefined) {
  const { chainId, multicall3 } = useAppConfig();
  const client = useClient();
  return useQuery({
    queryKey: ["group-point-counts", chainId, address, groupCount],
    enabled: !!client && !!groupCount,
    staleTime: Infinity,
    queryFn: async (): Promise<number[]> => {
      const c = client as PublicClient;
      const unbatched = { ...c, batch: undefined } as PublicClient;
      const calls = Array.from({ length: groupCount ?? 0 }, (_, g) => ({
        address,
        abi: dankuCompetitionAbi,
        functionName: "groupPointCountAt" as const,
        args: [BigInt(g)] as const,
      }));
      const chunks: (typeof calls)[] = [];
      for (let i = 0; i < calls.length; i += SIZES_PER_CALL) chunks.push(calls.slice(i, i + SIZES_PER_CALL));
      const results = await Promise.all(
        chunks.map((chunk) =>
          multicall(unbatched, { contracts: chunk, allowFailure: false, batchSize: 0, ...(multicall3 ? { multicallAddress: multicall3 } : { deployless: true }) }),
        ),
      );
      return results.flat().map((n) => Number(n));
    },
  });
}

/**
 * The organizer's history in this marketplace (lib/web/organizerHistory): the marketplace's listing (creation
 * events and summaries, shared with the marketplace page's cache) plus `winner()` of their finalized competitions.
 */
export function useOrganizerHistory(organizer: Address | undefined): { history?: OrganizerHistory; loading: boolean } {
  const { chainId } = useAppConfig();
  const client = useClient();
  const listing = useMarketplace();
  const summaries = listing.data?.summaries;
  const withWinner = organizer && summaries ? competitionsWithWinner(organizer, summaries) : [];
  const winners = useQuery({
    queryKey: [CHAIN_QUERY_PREFIX, "winners", chainId, withWinner.map((a) => a.toLowerCase()).join(",")],
    enabled: !!client && withWinner.length > 0,
    staleTime: Infinity,
    queryFn: async () => {
      const c = client as PublicClient;
      const found = await Promise.all(withWinner.map((competition) => c.readContract({ address: competition, abi: dankuCompetitionAbi, functionName: "winner" })));
      return new Map(withWinner.map((competition, i) => [competition.toLowerCase(), found[i] as Address]));
    },
  });
  if (!organizer || !summaries) return { loading: listing.isPending };
  return { history: organizerHistory(organizer, summaries, winners.data), loading: winners.isPending && withWinner.length > 0 };
}

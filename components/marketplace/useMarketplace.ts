"use client";

import { keepPreviousData, useQueries, useQuery, useQueryClient, type UseQueryResult } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { useAccount, usePublicClient } from "wagmi";
import type { Address, PublicClient } from "viem";
import { listCompetitions, listCompetitionsEnteredBy, readCompetitionSummaries, type CompetitionSummary, type ListedCompetition } from "@/lib/chain/danku";
import { listProblems, type ListedProblem } from "@/lib/chain/daimon";
import { listProblemsEnteredBy, readProblemSummaries, type ProblemSummary } from "@/lib/chain/daimonReads";
import { factoryBlock, problemFactoryBlock } from "@/lib/config";
import { refreshListing, type Listing } from "@/lib/web/listing";
import { loadCompetitionMetadata, loadProblemMetadata, metadataQueryKey, problemMetadataQueryKey } from "@/lib/web/metadata";
import type { CompetitionMetadata } from "@/lib/danku/metadata";
import type { ProblemMetadata } from "@/lib/daimon/metadata";
import { useAppConfig } from "@/components/providers/AppConfigContext";
import { CHAIN_QUERY_PREFIX } from "@/components/providers/ChainSync";

export type MarketplaceData = Listing<ListedCompetition, CompetitionSummary>;

/**
 * Every competition of the factory with its current state. The creation events are scanned incrementally (only the
 * blocks since the last scan); the changing state of all of them is re-read in batched multicalls on each new
 * block (ChainSync invalidates the query).
 */
export function useMarketplace() {
  const config = useAppConfig();
  const client = usePublicClient() as PublicClient | undefined;
  const queryClient = useQueryClient();
  const queryKey = [CHAIN_QUERY_PREFIX, "marketplace", config.chainId, config.factory] as const;
  return useQuery({
    queryKey,
    enabled: !!client && !!config.factory,
    placeholderData: keepPreviousData,
    queryFn: (): Promise<MarketplaceData> => {
      const factory = config.factory;
      if (!client || !factory) throw new Error("no chain connection");
      return refreshListing(
        client,
        {
          firstBlock: factoryBlock(config),
          list: (fromBlock, toBlock) => listCompetitions(client, factory, { fromBlock, toBlock }),
          summarize: (listed, blockNumber) => readCompetitionSummaries(client, listed, { blockNumber, multicallAddress: config.multicall3 ?? undefined }),
        },
        queryClient.getQueryData<MarketplaceData>(queryKey),
      );
    },
  });
}

/** Lower-case addresses of the competitions `account` committed a model to. */
export function useEnteredCompetitions(enabled: boolean) {
  const config = useAppConfig();
  const client = usePublicClient() as PublicClient | undefined;
  const { address } = useAccount();
  return useQuery({
    queryKey: [CHAIN_QUERY_PREFIX, "entered", config.chainId, address],
    enabled: enabled && !!client && !!address,
    placeholderData: keepPreviousData,
    queryFn: async () => {
      if (!client || !address) return new Set<string>();
      const found = await listCompetitionsEnteredBy(client, address, { fromBlock: factoryBlock(config) });
      return new Set([...found].map((a) => a.toLowerCase()));
    },
  });
}

export type MetadataStatus = { status: "loading" } | { status: "ready"; metadata: CompetitionMetadata } | { status: "missing"; reason: string };

/** Metadata documents by CID (immutable: fetched once, cached for the session). */
export function useMetadataMap(cids: readonly string[]): Map<string, MetadataStatus> {
  const unique = useMemo(() => [...new Set(cids.filter((c) => c.trim() !== ""))], [cids]);
  const combine = useCallback(
    (results: UseQueryResult<CompetitionMetadata>[]) => {
      const map = new Map<string, MetadataStatus>();
      unique.forEach((cid, i) => {
        const r = results[i];
        if (!r || r.isPending) map.set(cid, { status: "loading" });
        else if (r.data) map.set(cid, { status: "ready", metadata: r.data });
        else map.set(cid, { status: "missing", reason: r.error instanceof Error ? r.error.message : "unavailable" });
      });
      return map;
    },
    [unique],
  );
  return useQueries({
    queries: unique.map((cid) => ({
      queryKey: metadataQueryKey(cid),
      queryFn: ({ signal }: { signal: AbortSignal }) => loadCompetitionMetadata(cid, signal),
      staleTime: Infinity,
      gcTime: Infinity,
      retry: 1,
    })),
    combine,
  });
}

export type ProblemListingData = Listing<ListedProblem, ProblemSummary>;

/**
 * Every DaiMoN problem of the ProblemFactory with its current state, like {@link useMarketplace}: the
 * `ProblemCreated` events are scanned incrementally, the state is re-read in batched multicalls on each new block.
 */
export function useProblemListing() {
  const config = useAppConfig();
  const client = usePublicClient() as PublicClient | undefined;
  const queryClient = useQueryClient();
  const queryKey = [CHAIN_QUERY_PREFIX, "problems", config.chainId, config.problemFactory] as const;
  return useQuery({
    queryKey,
    enabled: !!client && !!config.problemFactory,
    placeholderData: keepPreviousData,
    queryFn: (): Promise<ProblemListingData> => {
      const factory = config.problemFactory;
      if (!client || !factory) throw new Error("no chain connection");
      return refreshListing(
        client,
        {
          firstBlock: problemFactoryBlock(config),
          list: (fromBlock, toBlock) => listProblems(client, factory, { fromBlock, toBlock }),
          summarize: (listed, blockNumber) => readProblemSummaries(client, listed, { blockNumber, multicallAddress: config.multicall3 ?? undefined }),
        },
        queryClient.getQueryData<ProblemListingData>(queryKey),
      );
    },
  });
}

/** Lower-case addresses of the problems `account` submitted a proof to or voted on. */
export function useEnteredProblems(enabled: boolean, problems: readonly Address[]) {
  const config = useAppConfig();
  const client = usePublicClient() as PublicClient | undefined;
  const { address } = useAccount();
  return useQuery({
    queryKey: [CHAIN_QUERY_PREFIX, "entered-problems", config.chainId, address, problems.length],
    enabled: enabled && !!client && !!address && problems.length > 0,
    placeholderData: keepPreviousData,
    queryFn: async () => {
      if (!client || !address) return new Set<string>();
      const found = await listProblemsEnteredBy(client, address, problems, { fromBlock: problemFactoryBlock(config) });
      return new Set([...found].map((a) => a.toLowerCase()));
    },
  });
}

export type ProblemMetadataStatus = { status: "loading" } | { status: "ready"; metadata: ProblemMetadata } | { status: "missing"; reason: string };

/** Problem metadata documents by CID (immutable: fetched once, cached for the session). */
export function useProblemMetadataMap(cids: readonly string[]): Map<string, ProblemMetadataStatus> {
  const unique = useMemo(() => [...new Set(cids.filter((c) => c.trim() !== ""))], [cids]);
  const combine = useCallback(
    (results: UseQueryResult<ProblemMetadata>[]) => {
      const map = new Map<string, ProblemMetadataStatus>();
      unique.forEach((cid, i) => {
        const r = results[i];
        if (!r || r.isPending) map.set(cid, { status: "loading" });
        else if (r.data) map.set(cid, { status: "ready", metadata: r.data });
        else map.set(cid, { status: "missing", reason: r.error instanceof Error ? r.error.message : "unavailable" });
      });
      return map;
    },
    [unique],
  );
  return useQueries({
    queries: unique.map((cid) => ({
      queryKey: problemMetadataQueryKey(cid),
      queryFn: ({ signal }: { signal: AbortSignal }) => loadProblemMetadata(cid, signal),
      staleTime: Infinity,
      gcTime: Infinity,
      retry: 1,
    })),
    combine,
  });
}

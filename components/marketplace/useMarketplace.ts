"use client";

import { keepPreviousData, useQueries, useQuery, useQueryClient, type UseQueryResult } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { useAccount, usePublicClient } from "wagmi";
import type { Address, PublicClient } from "viem";
import { listCompetitionsEnteredBy } from "@/lib/chain/danku";
import { listProblemsEnteredBy } from "@/lib/chain/daimonReads";
import { factoryBlock, problemFactoryBlock } from "@/lib/config";
import { refreshListing, type Listing, type ListingSource } from "@/lib/web/listing";
import { competitionSource, problemSource, type CompetitionListing, type ProblemListing } from "@/lib/web/marketplaceSources";
import { loadCompetitionMetadata, loadProblemMetadata, metadataQueryKey, problemMetadataQueryKey } from "@/lib/web/metadata";
import type { CompetitionMetadata } from "@/lib/danku/metadata";
import type { ProblemMetadata } from "@/lib/daimon/metadata";
import { useAppConfig } from "@/components/providers/AppConfigContext";
import { CHAIN_QUERY_PREFIX } from "@/components/providers/ChainSync";
import { useFollowed } from "@/components/hooks/useFollowed";

/**
 * A listing query: the creation events are scanned incrementally (only the blocks since the last scan); the changing
 * state of every item is re-read in batched multicalls on each new block (ChainSync invalidates the query).
 * `initial` is the server's snapshot (lib/web/listingSnapshot.ts): shown at once, stale from the start, so the
 * browser resumes the scan from it right after hydration. `dataUpdatedAt` stays 0 until the browser's own read.
 */
function useListing<Listed, Summary>(
  name: "marketplace" | "problems",
  factory: Address | null,
  source: (client: PublicClient) => ListingSource<Listed, Summary> | undefined,
  initial: Listing<Listed, Summary> | undefined,
) {
  const config = useAppConfig();
  const client = usePublicClient() as PublicClient | undefined;
  const queryClient = useQueryClient();
  const queryKey = [CHAIN_QUERY_PREFIX, name, config.chainId, factory] as const;
  return useQuery({
    queryKey,
    enabled: !!client && !!factory,
    placeholderData: keepPreviousData,
    initialData: initial,
    initialDataUpdatedAt: 0,
    queryFn: (): Promise<Listing<Listed, Summary>> => {
      const scan = client ? source(client) : undefined;
      if (!client || !scan) throw new Error("no chain connection");
      return refreshListing(client, scan, queryClient.getQueryData<Listing<Listed, Summary>>(queryKey));
    },
  });
}

/** Every competition of the CompetitionFactory with its current state. */
export function useMarketplace(initial?: CompetitionListing) {
  const config = useAppConfig();
  return useListing("marketplace", config.factory, (client) => competitionSource(client, config), initial);
}

function lowerCaseUnion(previous: Set<string>, added: Set<string>): Set<string> {
  return new Set([...previous, ...added]);
}

function lowerCased(addresses: Iterable<Address>): Set<string> {
  return new Set([...addresses].map((a) => a.toLowerCase()));
}

/** Lower-case addresses of the competitions `account` committed a model to (followed block by block). */
export function useEnteredCompetitions(enabled: boolean) {
  const config = useAppConfig();
  const { address } = useAccount();
  return useFollowed(["entered", config.chainId, address], {
    enabled: enabled && !!address,
    firstBlock: factoryBlock(config),
    read: async (client, fromBlock, toBlock) => lowerCased(await listCompetitionsEnteredBy(client, address as Address, { fromBlock, toBlock })),
    merge: lowerCaseUnion,
  });
}

/** A metadata document's state for a card. */
export type DocumentStatus<T> = { status: "loading" } | { status: "ready"; metadata: T } | { status: "missing"; reason: string };
export type MetadataStatus = DocumentStatus<CompetitionMetadata>;
export type ProblemMetadataStatus = DocumentStatus<ProblemMetadata>;

/**
 * Documents by CID (immutable: fetched once, cached for the session), seeded with those in `initial` (the server's
 * snapshot holds the ones its IPFS store had).
 */
function useDocumentMap<T>(
  cids: readonly string[],
  document: { queryKey: (cid: string) => readonly unknown[]; load: (cid: string, signal: AbortSignal) => Promise<T> },
  initial?: Readonly<Record<string, T>>,
): Map<string, DocumentStatus<T>> {
  const unique = useMemo(() => [...new Set(cids.filter((c) => c.trim() !== ""))], [cids]);
  const combine = useCallback(
    (results: UseQueryResult<T>[]) => {
      const map = new Map<string, DocumentStatus<T>>();
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
      queryKey: document.queryKey(cid),
      queryFn: ({ signal }: { signal: AbortSignal }) => document.load(cid, signal),
      initialData: initial?.[cid],
      staleTime: Infinity,
      gcTime: Infinity,
      retry: 1,
    })),
    combine,
  });
}

const COMPETITION_METADATA = { queryKey: metadataQueryKey, load: (cid: string, signal: AbortSignal) => loadCompetitionMetadata(cid, signal) };
const PROBLEM_METADATA = { queryKey: problemMetadataQueryKey, load: (cid: string, signal: AbortSignal) => loadProblemMetadata(cid, signal) };

/** Competition metadata documents by CID. */
export function useMetadataMap(cids: readonly string[], initial?: Readonly<Record<string, CompetitionMetadata>>): Map<string, MetadataStatus> {
  return useDocumentMap(cids, COMPETITION_METADATA, initial);
}

/** Problem metadata documents by CID. */
export function useProblemMetadataMap(cids: readonly string[], initial?: Readonly<Record<string, ProblemMetadata>>): Map<string, ProblemMetadataStatus> {
  return useDocumentMap(cids, PROBLEM_METADATA, initial);
}

/** Every DaiMoN problem of the ProblemFactory with its current state, like {@link useMarketplace}. */
export function useProblemListing(initial?: ProblemListing) {
  const config = useAppConfig();
  return useListing("problems", config.problemFactory, (client) => problemSource(client, config), initial);
}

/** Lower-case addresses of the problems `account` submitted a proof to or voted on (followed block by block). */
export function useEnteredProblems(enabled: boolean, problems: readonly Address[]) {
  const config = useAppConfig();
  const { address } = useAccount();
  return useFollowed(["entered-problems", config.chainId, address, problems.length], {
    enabled: enabled && !!address && problems.length > 0,
    firstBlock: problemFactoryBlock(config),
    read: async (client, fromBlock, toBlock) => lowerCased(await listProblemsEnteredBy(client, address as Address, problems, { fromBlock, toBlock })),
    merge: lowerCaseUnion,
  });
}

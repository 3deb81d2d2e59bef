"use client";

import { keepPreviousData, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import type { Address, Hex, PublicClient } from "viem";
import { daimonProblemAbi } from "@/lib/generated/abis";
import { checkChain, listProblems, mergeProblemEvents, readProblem, readProblemEvents, readRegistration, type ChainTuple, type ListedProblem, type ProblemEvents } from "@/lib/chain/daimon";
import { readTokenTransfers, type TokenTransfer } from "@/lib/chain/daimonReads";
import { followChain, readChainHead, type Followed } from "@/lib/chain/follow";
import { cidHash } from "@/lib/daimon/encoding";
import { fetchFromIpfs } from "@/lib/ipfs/client";
import { loadProblemMetadata, problemMetadataQueryKey } from "@/lib/web/metadata";
import type { PoiTupleFiles } from "@/lib/workers/poiProtocol";
import { useAppConfig } from "@/components/providers/AppConfigContext";
import { CHAIN_QUERY_PREFIX } from "@/components/providers/ChainSync";

function useClient(): PublicClient | undefined {
  return usePublicClient() as PublicClient | undefined;
}

/** The problem's whole state at the latest block; refreshed on every block. */
export function useProblemState(address: Address) {
  const { chainId } = useAppConfig();
  const client = useClient();
  return useQuery({
    queryKey: [CHAIN_QUERY_PREFIX, "problem", chainId, address],
    enabled: !!client,
    placeholderData: keepPreviousData,
    queryFn: () => readProblem(client as PublicClient, address),
  });
}

/** The factory's `ProblemCreated` event of this problem (immutable), to check the Problem block's definition hash. */
export function useProblemListing(address: Address, createdBlock: bigint | undefined) {
  const config = useAppConfig();
  const client = useClient();
  return useQuery({
    queryKey: ["problem-listing", config.chainId, config.problemFactory, address, createdBlock?.toString()],
    enabled: !!client && !!config.problemFactory && createdBlock !== undefined,
    staleTime: Infinity,
    queryFn: async (): Promise<ListedProblem | null> => {
      const listed = await listProblems(client as PublicClient, config.problemFactory as Address, { fromBlock: createdBlock, toBlock: createdBlock });
      return listed.find((p) => p.address.toLowerCase() === address.toLowerCase()) ?? null;
    },
  });
}

interface ProblemEventsScan {
  events: Followed<ProblemEvents>;
  transfers: Followed<TokenTransfer[]>;
}

/**
 * Everything the problem's events say: the chain of blocks rebuilt and checked link by link, tuples, proofs,
 * votes, validator claims and the token's transfers. Followed block by block (lib/chain/follow.ts): each new block
 * costs a head check and getLogs over the new blocks only; a chain that no longer holds the last scan's block is
 * rescanned from the problem's creation.
 */
export function useProblemEvents(address: Address, token: Address | undefined, fromBlock: bigint | undefined, listing: ListedProblem | null | undefined) {
  const { chainId } = useAppConfig();
  const client = useClient();
  const queryClient = useQueryClient();
  const queryKey = [CHAIN_QUERY_PREFIX, "problem-events", chainId, address, listing ? "checked" : "unchecked"] as const;
  return useQuery({
    queryKey,
    enabled: !!client && !!token && fromBlock !== undefined && listing !== undefined,
    placeholderData: keepPreviousData,
    queryFn: async () => {
      const c = client as PublicClient;
      const firstBlock = fromBlock ?? 0n;
      const previous = queryClient.getQueryData<{ scan: ProblemEventsScan }>(queryKey)?.scan;
      const head = await readChainHead(c);
      const [events, transfers] = await Promise.all([
        followChain(c, { firstBlock, read: (from, to) => readProblemEvents(c, address, { fromBlock: from, toBlock: to }), merge: mergeProblemEvents }, previous?.events, head),
        followChain(
          c,
          { firstBlock, read: (from, to) => readTokenTransfers(c, token as Address, { fromBlock: from, toBlock: to }), merge: (a, b) => [...a, ...b] },
          previous?.transfers,
          head,
        ),
      ]);
      const all = events.value;
      return {
        chain: checkChain(address, all, listing ?? undefined),
        tuples: all.tuples,
        proofs: all.proofs,
        votes: all.votes,
        claims: all.claims,
        voteBondWithdrawals: all.voteBondWithdrawals,
        transfers: transfers.value,
        blockNumber: head.number,
        scan: { events, transfers },
      };
    },
  });
}

export function useProblemMetadata(cid: string | undefined, classCount: number | undefined) {
  return useQuery({
    queryKey: problemMetadataQueryKey(cid ?? ""),
    enabled: !!cid,
    staleTime: Infinity,
    gcTime: Infinity,
    retry: 1,
    queryFn: ({ signal }) => loadProblemMetadata(cid as string, signal, classCount),
  });
}

/** IPFS files by CID, verified against it; immutable, so fetched once per session. */
export function ipfsFileQuery(cid: string) {
  return {
    queryKey: ["ipfs", "file", cid] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) => fetchFromIpfs(cid, { signal }),
    staleTime: Infinity,
    gcTime: Infinity,
    retry: 1,
  };
}

/**
 * Z and f of every tuple, downloaded by CID and verified (lib/ipfs/client.ts) on first use and cached for the
 * session; they can be large, so nothing is downloaded before someone runs PROVE or VERIFY.
 */
export async function loadTupleFiles(
  queryClient: QueryClient,
  tuples: readonly ChainTuple[],
  onProgress?: (loaded: number, total: number) => void,
): Promise<PoiTupleFiles[]> {
  const total = tuples.length * 2;
  let loaded = 0;
  const fetchOne = async (cid: string, what: string, tuple: number) => {
    try {
      const bytes = await queryClient.fetchQuery(ipfsFileQuery(cid));
      onProgress?.(++loaded, total);
      return bytes;
    } catch (error) {
      throw new Error(`tuple ${tuple}'s ${what} (${cid}) could not be downloaded from IPFS: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  onProgress?.(0, total);
  return Promise.all(
    tuples.map(async (t) => {
      const [inputs, del] = await Promise.all([fetchOne(t.inputsCid, "test inputs Z", t.index), fetchOne(t.delCid, "DEL function f", t.index)]);
      return { inputs, del, target: t.target, inputsCid: t.inputsCid, delCid: t.delCid, delRoot: t.delRoot };
    }),
  );
}

/** The account's registration of (`cid`, `outputs`) and the CID's owner, for the improver's panel. */
export function useRegistration(problem: Address, account: Address | undefined, cid: string | undefined, outputs: Hex | undefined) {
  const { chainId } = useAppConfig();
  const client = useClient();
  return useQuery({
    queryKey: [CHAIN_QUERY_PREFIX, "registration", chainId, problem, account, cid, outputs],
    enabled: !!client && !!account && !!cid && !!outputs,
    queryFn: async () => {
      const c = client as PublicClient;
      const [registration, [cidOwner, , cidOwnerRegisteredAt]] = await Promise.all([
        readRegistration(c, problem, account as Address, cid as string, outputs as Hex),
        c.readContract({ address: problem, abi: daimonProblemAbi, functionName: "cidClaim", args: [cidHash(cid as string)] }),
      ]);
      return { registeredAt: registration.registeredAt, cidOwner, cidOwnerRegisteredAt };
    },
  });
}

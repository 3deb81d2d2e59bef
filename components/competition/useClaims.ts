"use client";

import { useEffect, useRef, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import type { Address, PublicClient } from "viem";
import { readClaimDisputes, readClaims, readClaimTerms, readEvaluationMode, type ClaimDisputeRecord, type ClaimState } from "@/lib/chain/claims";
import { readClaimCheckInput, type PlanProgress } from "@/lib/danku/checker";
import { ClaimsWorkerClient } from "@/lib/browser/claimsWorker";
import { useAppConfig } from "@/components/providers/AppConfigContext";
import { CHAIN_QUERY_PREFIX } from "@/components/providers/ChainSync";

function useClient(): PublicClient | undefined {
  return usePublicClient() as PublicClient | undefined;
}

/** "onchain" or "claim": fixed at creation, read once. */
export function useEvaluationMode(address: Address) {
  const { chainId } = useAppConfig();
  const client = useClient();
  return useQuery({
    queryKey: ["evaluation-mode", chainId, address],
    enabled: !!client,
    staleTime: Infinity,
    queryFn: () => readEvaluationMode(client as PublicClient, address),
  });
}

/** The claims, the terms and the disputes that voided claims; refreshed on every block. */
export function useClaimsState(address: Address, enabled: boolean, fromBlock: bigint | undefined) {
  const { chainId } = useAppConfig();
  const client = useClient();
  return useQuery({
    queryKey: [CHAIN_QUERY_PREFIX, "claims", chainId, address],
    enabled: enabled && !!client,
    queryFn: async () => {
      const c = client as PublicClient;
      const [claims, terms, disputes] = await Promise.all([readClaims(c, address), readClaimTerms(c, address), readClaimDisputes(c, address, fromBlock)]);
      return { claims, terms, disputes };
    },
  });
}

/** One worker per page, started on first use and stopped when the page goes. */
export function useClaimsWorker(): () => ClaimsWorkerClient {
  const ref = useRef<ClaimsWorkerClient | null>(null);
  useEffect(
    () => () => {
      ref.current?.dispose();
      ref.current = null;
    },
    [],
  );
  return () => (ref.current ??= new ClaimsWorkerClient());
}

/** Where a recomputation is: reading the chain, then running the models (done / total point runs). */
export type RecomputeProgress = { phase: "reading" } | ({ phase: "running" } & PlanProgress);

/** Only what changes a claim's verdict: which claims exist and which are void or settled. */
function claimsSignature(claims: readonly ClaimState[]): string {
  return claims.map((c) => `${c.id}:${c.voided ? "v" : c.settled ? "s" : "o"}`).join(",");
}

/**
 * Every claim recomputed in this browser with the checker's own planner (lib/danku/checker.ts planClaimChecks, in
 * lib/workers/claims.worker.ts): the test points rebuilt from the reveal calldata and verified against the roots, the
 * claimed models read from chain, the integer forward pass the chain runs. Recomputed when a claim appears, is voided
 * or is settled, not on every block: a verdict does not change with the block, only whether its window is open.
 */
export function useClaimChecks(address: Address, claims: readonly ClaimState[] | undefined, disputes: ReadonlyMap<number, ClaimDisputeRecord> | undefined) {
  const { chainId } = useAppConfig();
  const client = useClient();
  const worker = useClaimsWorker();
  const [progress, setProgress] = useState<RecomputeProgress | null>(null);
  const signature = claims ? claimsSignature(claims) : "";
  const query = useQuery({
    queryKey: ["claim-checks", chainId, address, signature],
    enabled: !!client && !!claims && claims.length > 0,
    staleTime: Infinity,
    retry: 1,
    queryFn: async () => {
      setProgress({ phase: "reading" });
      try {
        const known = claims ?? [];
        const voided = known.filter((c) => c.voided);
        const reading = await readClaimCheckInput(client as PublicClient, address, {
          claimIds: known.map((c) => c.id),
          modelsOf: [...new Set(voided.map((c) => c.submissionId))],
        });
        const disputed = voided.flatMap((c) => {
          const d = disputes?.get(c.id);
          return d ? [{ claimId: c.id, submissionId: c.submissionId, point: d.point }] : [];
        });
        const result = await worker().check({ input: reading.input, disputed }, (p) => setProgress({ phase: "running", ...p }));
        return { ...result, testPoints: reading.testPoints, checkedAt: reading.blockNumber };
      } finally {
        setProgress(null);
      }
    },
  });
  return { ...query, progress };
}

"use client";

import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import type { PublicClient } from "viem";
import type { CompetitionState } from "@/lib/chain/danku";
import { readRevealedModel } from "@/lib/chain/danku";
import { claimScoreCall, readClaimModeRevealCalls, readClaimTerms } from "@/lib/chain/claims";
import type { PlanProgress } from "@/lib/danku/checker";
import type { QuantizedModel } from "@/lib/danku/encoding";
import { formatEth, formatNumber, formatPercent } from "@/lib/web/format";
import { useAppConfig } from "@/components/providers/AppConfigContext";
import { ProgressBar } from "@/components/organizer/ProgressBar";
import { Notice, PrimaryButton } from "@/components/organizer/ui";
import type { useTransactor } from "@/components/tx/useTransactor";
import { useClaimsWorker } from "@/components/competition/useClaims";

/**
 * "Claim score" for a revealed submission of a claim-mode competition (docs/protocol.md §11): its predictions on every
 * test point are computed in this browser (the claims worker, lib/danku's integer forward pass over the test points
 * rebuilt from the reveal calldata and the model read back from chain: exactly what a dispute checks), the score and
 * the bond are shown, and claimScore is sent with the bond as its value.
 */
export function ClaimScore({
  state,
  submissionId,
  tx,
  disabled,
}: {
  state: CompetitionState;
  submissionId: number;
  tx: ReturnType<typeof useTransactor>;
  disabled: boolean;
}) {
  const { chainId } = useAppConfig();
  const client = usePublicClient() as PublicClient | undefined;
  const worker = useClaimsWorker();
  const [progress, setProgress] = useState<PlanProgress | null>(null);
  const competition = state.address;
  const computed = useQuery({
    queryKey: ["claim-predictions", chainId, competition, submissionId],
    enabled: !!client,
    staleTime: Infinity,
    retry: 1,
    queryFn: async () => {
      const c = client as PublicClient;
      const [model, calls, terms] = await Promise.all([
        readRevealedModel(c, competition, submissionId),
        readClaimModeRevealCalls(c, competition, state.config.featureCount),
        readClaimTerms(c, competition),
      ]);
      if (!model) throw new Error(`submission #${submissionId} has no revealed model on chain`);
      try {
        const predicted = await worker().predict(
          { submissionId, input: { featureCount: state.config.featureCount, models: new Map<number, QuantizedModel>([[submissionId, model]]), calls } },
          setProgress,
        );
        return { ...predicted, bond: terms.bond };
      } finally {
        setProgress(null);
      }
    },
  });

  if (computed.isError) {
    return (
      <Notice tone="error" testId="claim-score-error">
        The predictions could not be computed in this browser: {computed.error.message}
      </Notice>
    );
  }
  const result = computed.data;
  if (!result) {
    return progress ? (
      <ProgressBar
        label={`Computing submission #${submissionId}'s predictions on the test data`}
        value={progress.done}
        max={Math.max(progress.total, 1)}
        detail={`${formatNumber(progress.done)} / ${formatNumber(progress.total)} points`}
      />
    ) : (
      <p className="text-sm text-slate-500">Reading the test data and the revealed model from the chain…</p>
    );
  }
  return (
    <div className="space-y-2" data-testid="claim-score">
      <p className="text-sm text-slate-700 dark:text-slate-200">
        Computed in this browser: the claim will say{" "}
        <span className="tabular font-semibold" data-testid="claim-score-correct">
          {formatNumber(result.correct)} / {formatNumber(result.total)}
        </span>{" "}
        correct ({formatPercent(result.correct, result.total)}), with a bond of{" "}
        <span className="tabular font-semibold" data-testid="claim-score-bond">
          {formatEth(result.bond)}
        </span>{" "}
        that comes back when the challenge window passes undisputed.
      </p>
      <PrimaryButton
        disabled={disabled || tx.busy}
        onClick={() =>
          void tx.write(
            `Claim the score of #${submissionId}`,
            claimScoreCall(competition, { submissionId, predictions: result.predictions, bond: result.bond }),
          )
        }
      >
        Claim score of #{submissionId} ({formatEth(result.bond)} bond)
      </PrimaryButton>
    </div>
  );
}

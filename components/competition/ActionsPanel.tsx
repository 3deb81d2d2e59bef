"use client";

import { useId, useState } from "react";
import { useAccount } from "wagmi";
import { useConnectModal } from "@rainbow-me/rainbowkit";
import { dankuCompetitionAbi } from "@/lib/generated/abis";
import type { CompetitionState } from "@/lib/chain/danku";
import type { ActionAvailability, AvailableActions } from "@/lib/web/actions";
import { formatEth, shortAddress } from "@/lib/web/format";
import { buttonPrimary, buttonSecondary, fieldBase } from "@/components/ui/styles";
import { SpinnerIcon } from "@/components/ui/Icons";
import { TransactionStatus } from "@/components/tx/TransactionStatus";
import { useTransactor } from "@/components/tx/useTransactor";
import { EvaluationProgressBar } from "./EvaluationProgressBar";
import { useEvaluation } from "./useEvaluation";
import { useEvaluationMode } from "./useClaims";

function ActionRow({
  title,
  description,
  availability,
  children,
}: {
  title: string;
  description: string;
  availability: ActionAvailability;
  children: (describedBy: string) => React.ReactNode;
}) {
  const id = useId();
  return (
    <div className="flex flex-col gap-2 py-4 first:pt-0 last:pb-0 sm:flex-row sm:items-start sm:justify-between">
      <div className="min-w-0">
        <h3 className="text-sm font-semibold">{title}</h3>
        <p className="text-xs text-slate-500 dark:text-slate-400">{description}</p>
        <p id={`${id}-reason`} className={`mt-1 text-xs ${availability.allowed ? "text-emerald-700 dark:text-emerald-400" : "text-slate-600 dark:text-slate-300"}`}>
          {availability.reason}
        </p>
      </div>
      <div className="shrink-0">{children(`${id}-reason`)}</div>
    </div>
  );
}

/**
 * What this visitor can do now (lib/web/actions.ts availableActions): only those rows, each with its button, and one
 * line for the rest: what comes next and when. Nothing disabled is shown, except on another network (switch first).
 */
export function ActionsPanel({ state, page, withdrawable }: { state: CompetitionState; page: AvailableActions; withdrawable: bigint | undefined }) {
  const tx = useTransactor();
  const { address: account } = useAccount();
  const { openConnectModal } = useConnectModal();
  const address = state.address;
  const [selected, setSelected] = useState<number | undefined>(undefined);
  const { evaluate, progress, evaluating } = useEvaluation(state, tx);
  const actions = page.details;
  // A claim-mode competition does not evaluate on chain (evaluate reverts): its scores are claimed (ClaimsPanel).
  const mode = useEvaluationMode(address).data;
  const canEvaluate = page.evaluate && mode === "onchain";
  const candidate = actions.evaluate.candidates.find((c) => c.id === selected) ?? actions.evaluate.candidates[0];
  const busy = tx.busy;
  const rows = page.finalize || page.withdraw || canEvaluate || page.cancel;
  return (
    <div>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-700 dark:text-slate-200" data-testid="next-actions">
          {page.next}
        </p>
        {page.connect && openConnectModal ? (
          <button type="button" className={buttonSecondary} onClick={openConnectModal}>
            Connect wallet
          </button>
        ) : null}
      </div>
      {rows ? (
        <div className="mt-4 divide-y divide-slate-100 border-t border-slate-100 pt-4 dark:divide-slate-800 dark:border-slate-800">
          {page.finalize ? (
            <ActionRow title="Finalize" description="Closes the competition and opens the payout to the best qualified submission." availability={actions.finalize}>
              {(describedBy) => (
                <button
                  type="button"
                  className={buttonPrimary}
                  disabled={!actions.finalize.allowed || busy}
                  aria-describedby={describedBy}
                  onClick={() => void tx.write("Finalize", { address, abi: dankuCompetitionAbi, functionName: "finalize", args: [] })}
                >
                  Finalize
                </button>
              )}
            </ActionRow>
          ) : null}
          {page.withdraw ? (
            <ActionRow
              title="Withdraw"
              description={`Withdrawable by ${account ? shortAddress(account) : "you"}: ${formatEth(withdrawable ?? 0n)}.`}
              availability={actions.withdraw}
            >
              {(describedBy) => (
                <button
                  type="button"
                  className={buttonPrimary}
                  disabled={!actions.withdraw.allowed || busy}
                  aria-describedby={describedBy}
                  onClick={() => void tx.write(`Withdraw ${formatEth(withdrawable ?? 0n)}`, { address, abi: dankuCompetitionAbi, functionName: "withdraw", args: [] })}
                >
                  Withdraw {formatEth(withdrawable ?? 0n)}
                </button>
              )}
            </ActionRow>
          ) : null}
          {canEvaluate ? (
            <ActionRow
              title="Evaluate a submission"
              description="Runs a revealed model over the evaluation data on chain, in as many transactions as the gas limit needs."
              availability={actions.evaluate}
            >
              {(describedBy) => (
                <div className="flex items-center gap-2">
                  {actions.evaluate.candidates.length > 1 ? (
                    <select
                      aria-label="Submission to evaluate"
                      className={`${fieldBase} w-auto`}
                      value={candidate?.id}
                      onChange={(e) => setSelected(Number(e.target.value))}
                      disabled={busy}
                    >
                      {actions.evaluate.candidates.map((c) => (
                        <option key={c.id} value={c.id}>
                          #{c.id} · {shortAddress(c.submitter)}
                        </option>
                      ))}
                    </select>
                  ) : null}
                  <button
                    type="button"
                    className={buttonPrimary}
                    disabled={!actions.evaluate.allowed || !candidate || busy}
                    aria-describedby={describedBy}
                    onClick={() => candidate && void evaluate(candidate.id)}
                  >
                    {evaluating ? <SpinnerIcon /> : null}
                    {candidate && actions.evaluate.candidates.length === 1 ? `Evaluate #${candidate.id}` : "Evaluate"}
                  </button>
                </div>
              )}
            </ActionRow>
          ) : null}
          {page.cancel ? (
            <ActionRow title="Cancel" description="Stops the competition and opens refunds." availability={actions.cancel}>
              {(describedBy) => (
                <button
                  type="button"
                  className={buttonSecondary}
                  disabled={!actions.cancel.allowed || busy}
                  aria-describedby={describedBy}
                  onClick={() => void tx.write("Cancel the competition", { address, abi: dankuCompetitionAbi, functionName: "cancel", args: [] })}
                >
                  Cancel competition
                </button>
              )}
            </ActionRow>
          ) : null}
        </div>
      ) : null}
      {/* Kept once the evaluation is done (the row is gone then): the outcome stays readable. */}
      {progress ? (
        <div className="mt-4">
          <EvaluationProgressBar progress={progress} />
        </div>
      ) : null}
      <TransactionStatus state={tx.state} onDismiss={tx.reset} />
    </div>
  );
}

"use client";

import { useId, useState } from "react";
import type { PublicClient } from "viem";
import { useAccount, useConfig, usePublicClient } from "wagmi";
import { simulateContract, writeContract } from "wagmi/actions";
import { dankuCompetitionAbi } from "@/lib/generated/abis";
import { readSubmission, type CompetitionState } from "@/lib/chain/danku";
import { planEvaluationChunk } from "@/lib/chain/gas";
import type { ActionAvailability, CompetitionActions } from "@/lib/web/actions";
import { formatEth, formatNumber, formatPercent, shortAddress } from "@/lib/web/format";
import { buttonPrimary, buttonSecondary, fieldBase } from "@/components/ui/styles";
import { SpinnerIcon } from "@/components/ui/Icons";
import { TransactionStatus } from "@/components/tx/TransactionStatus";
import { useTransactor } from "@/components/tx/useTransactor";

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

/** What the connected account can do in the current stage; each button says why it is disabled. */
export function ActionsPanel({ state, actions, withdrawable }: { state: CompetitionState; actions: CompetitionActions; withdrawable: bigint | undefined }) {
  const tx = useTransactor();
  const wagmiConfig = useConfig();
  const client = usePublicClient() as PublicClient | undefined;
  const { address: account } = useAccount();
  const address = state.address;
  const [selected, setSelected] = useState<number | undefined>(undefined);
  const [progress, setProgress] = useState<{ id: number; cursor: number; total: number; correct: number; done: boolean } | null>(null);
  const total = state.usesTestData ? state.testPoints : state.trainingPoints;
  const candidate = actions.evaluate.candidates.find((c) => c.id === selected) ?? actions.evaluate.candidates[0];

  async function evaluate(id: number) {
    if (!client || !account) return;
    let submission = await readSubmission(client, address, id);
    setProgress({ id, cursor: submission.cursor, total, correct: submission.correct, done: submission.evaluated });
    let guess = 500;
    while (!submission.evaluated) {
      let request: unknown;
      const from = submission.cursor;
      const receipt = await tx.execute(`Evaluate submission #${id}`, {
        // planEvaluationChunk shrinks the batch until a simulation at the target gas limit succeeds; the last
        // successful simulation is the request the wallet signs.
        simulate: async (): Promise<void> => {
          const chunk = await planEvaluationChunk(total - from, guess, async (points, gas) => {
            const simulated = await simulateContract(wagmiConfig, {
              account,
              address,
              abi: dankuCompetitionAbi,
              functionName: "evaluate",
              args: [BigInt(id), BigInt(points)],
              gas,
              blockTag: "pending",
            });
            request = simulated.request;
          });
          guess = chunk.points;
        },
        send: () => writeContract(wagmiConfig, request as never),
      });
      if (!receipt) return;
      submission = await readSubmission(client, address, id);
      setProgress({ id, cursor: submission.cursor, total, correct: submission.correct, done: submission.evaluated });
    }
  }

  const busy = tx.busy;
  const evaluating = progress && !progress.done && busy;
  return (
    <div>
      <div className="divide-y divide-slate-100 dark:divide-slate-800">
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
        <ActionRow
          title="Withdraw"
          description={
            withdrawable !== undefined && withdrawable > 0n
              ? `Withdrawable by ${account ? shortAddress(account) : "you"}: ${formatEth(withdrawable)}.`
              : "The winner's payout, or refunds to the organizer and donors."
          }
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
              Withdraw{withdrawable !== undefined && withdrawable > 0n ? ` ${formatEth(withdrawable)}` : ""}
            </button>
          )}
        </ActionRow>
        <ActionRow title="Evaluate a submission" description="Runs a revealed model over the evaluation data on chain, in as many transactions as the gas limit needs." availability={actions.evaluate}>
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
        {progress ? (
          <div className="pb-4">
            <div className="flex justify-between text-xs text-slate-600 dark:text-slate-300">
              <span>
                Submission #{progress.id}: {formatNumber(progress.cursor)} of {formatNumber(progress.total)} points
              </span>
              <span className="tabular">{progress.done ? `done · ${formatPercent(progress.correct, progress.total)} correct` : formatPercent(progress.cursor, progress.total, 0)}</span>
            </div>
            <div
              className="mt-1.5 h-2 w-full overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800"
              role="progressbar"
              aria-label={`Evaluation of submission #${progress.id}`}
              aria-valuemin={0}
              aria-valuemax={progress.total}
              aria-valuenow={progress.cursor}
            >
              <div className={`h-full rounded-full transition-all ${progress.done ? "bg-emerald-500" : "bg-indigo-500"}`} style={{ width: `${progress.total > 0 ? (progress.cursor / progress.total) * 100 : 0}%` }} />
            </div>
          </div>
        ) : null}
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
        <ActionRow title="Reveal data (organizer)" description="Publishes the committed training or test groups, verified against their hashes." availability={actions.revealTraining.allowed || state.stage !== "TestReveal" ? actions.revealTraining : actions.revealTest}>
          {(describedBy) => (
            <div className="flex gap-2">
              <button type="button" className={buttonSecondary} disabled aria-describedby={describedBy}>
                Reveal training
              </button>
              <button type="button" className={buttonSecondary} disabled aria-describedby={describedBy} title={actions.revealTest.reason}>
                Reveal test
              </button>
            </div>
          )}
        </ActionRow>
      </div>
      <TransactionStatus state={tx.state} onDismiss={tx.reset} />
    </div>
  );
}


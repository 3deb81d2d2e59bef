"use client";

import { useEffect, useState } from "react";
import { useBlockNumber } from "wagmi";
import type { Address, Hex } from "viem";
import { useCompetitionState } from "@/components/competition/useCompetition";
import { useBlockTime } from "@/components/hooks/useBlockTime";
import { TransactionStatus } from "@/components/tx/TransactionStatus";
import { useTransactor, type TransactionState } from "@/components/tx/useTransactor";
import { dankuCompetitionAbi } from "@/lib/generated/abis";
import { TrainingRevealPanel } from "../TrainingRevealPanel";
import { PrimaryButton, StepActions } from "../ui";
import { DoneStep } from "./DoneStep";
import { SplitStep } from "./SplitStep";

/**
 * Steps 6–8, once the competition exists: the split (init2) with its block countdown, the training reveal, and the
 * way to the competition page. What the chain says wins: a split drawn elsewhere moves the wizard along.
 */
export function LaunchedSteps({
  step,
  competition,
  createTransaction,
  walletBlocked,
  onSplitDrawn,
  onFinished,
  onDownloadSecrets,
}: {
  step: "split" | "reveal" | "done";
  competition: Address;
  /** The creation transaction of this visit, shown until the next step replaces it. */
  createTransaction: TransactionState;
  walletBlocked: string | undefined;
  onSplitDrawn: (init2Tx: Hex | undefined) => void;
  onFinished: () => void;
  onDownloadSecrets: () => void;
}) {
  const { data: state } = useCompetitionState(competition);
  const { data: blockNumber } = useBlockNumber({ watch: true });
  const blockTime = useBlockTime();
  const splitTx = useTransactor();
  const [trainingRevealed, setTrainingRevealed] = useState(false);

  const splitDoneElsewhere = step === "split" && !!state?.splitDone && splitTx.state.phase === "idle";
  useEffect(() => {
    if (splitDoneElsewhere) onSplitDrawn(undefined);
  }, [splitDoneElsewhere, onSplitDrawn]);

  const split = async () => {
    const receipt = await splitTx.write("Draw the split", { address: competition, abi: dankuCompetitionAbi, functionName: "selectTrainingGroups", args: [] });
    if (receipt) onSplitDrawn(receipt.transactionHash);
  };

  if (step === "split") {
    return (
      <>
        {createTransaction.phase !== "idle" && <TransactionStatus state={createTransaction} />}
        <SplitStep
          state={state}
          blockNumber={blockNumber}
          blockTimeSeconds={blockTime.seconds}
          blocked={walletBlocked}
          transaction={splitTx.state}
          onSplit={() => void split()}
        />
      </>
    );
  }
  if (step === "reveal") {
    return (
      <>
        {splitTx.state.phase !== "idle" && <TransactionStatus state={splitTx.state} />}
        <TrainingRevealPanel competition={competition} embedded onComplete={() => setTrainingRevealed(true)} />
        {trainingRevealed && (
          <StepActions>
            <PrimaryButton onClick={onFinished}>Continue</PrimaryButton>
          </StepActions>
        )}
      </>
    );
  }
  return <DoneStep competition={competition} state={state} onDownloadSecrets={onDownloadSecrets} />;
}

"use client";

import { useEffect, useState } from "react";
import { useBlockNumber, usePublicClient } from "wagmi";
import type { Address, Hex, PublicClient } from "viem";
import { mineLocalBlocks, waitForBlock } from "@/lib/chain/flows";
import { LOCAL_CHAIN_ID } from "@/lib/danku/split";
import { useAppConfig } from "@/components/providers/AppConfigContext";
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
  const app = useAppConfig();
  const client = usePublicClient() as PublicClient | undefined;

  // The Hardhat development chain (31337) mines only on transactions: mine up to the seed block, as the CLI does.
  // Elsewhere the block number from the watch above moves the step along.
  const localMining = step === "split" && app.chainId === LOCAL_CHAIN_ID && !!client && !!state && !state.splitDone && state.stage === "AwaitingSplit";
  const seedBlock = state?.deadlines.splitSeedBlock;
  useEffect(() => {
    if (!localMining || !client || seedBlock === undefined) return;
    // A failure leaves the progress bar waiting; reopening the step tries again.
    void waitForBlock(client, seedBlock, { advance: mineLocalBlocks(client) }).catch(() => undefined);
  }, [localMining, client, seedBlock]);

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
          mining={localMining}
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

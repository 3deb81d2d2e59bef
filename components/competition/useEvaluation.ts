"use client";

import { useState } from "react";
import type { PublicClient } from "viem";
import { useAccount, useConfig, usePublicClient } from "wagmi";
import { simulateContract, writeContract } from "wagmi/actions";
import { dankuCompetitionAbi } from "@/lib/generated/abis";
import { readSubmission, type CompetitionState } from "@/lib/chain/danku";
import { planEvaluationChunk } from "@/lib/chain/gas";
import type { useTransactor } from "@/components/tx/useTransactor";

export interface EvaluationProgress {
  id: number;
  cursor: number;
  total: number;
  correct: number;
  done: boolean;
}

/**
 * Runs a submission's on-chain evaluation to the end, one transaction per chunk, from the cursor the contract keeps:
 * after a reload (or a declined signature) evaluating again simply continues where the chain stopped.
 */
export function useEvaluation(state: CompetitionState, tx: ReturnType<typeof useTransactor>) {
  const wagmiConfig = useConfig();
  const client = usePublicClient() as PublicClient | undefined;
  const { address: account } = useAccount();
  const [progress, setProgress] = useState<EvaluationProgress | null>(null);
  const address = state.address;
  const total = state.usesTestData ? state.testPoints : state.trainingPoints;

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

  return { evaluate, progress, evaluating: !!progress && !progress.done && tx.busy };
}

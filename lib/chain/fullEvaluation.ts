/**
 * Claim mode's full evaluation (docs/protocol.md §11.9): `evaluateRoot(submissionId, rootIndex, points, model)` runs a
 * submission's model on all points of one test root (given as calldata, the contract rebuilds the root from them);
 * once every root is evaluated the submission has its score and its claims settle at once by comparison. The points
 * and the model come from the reveal transactions' calldata ({@link readClaimModeRevealCalls},
 * {@link readClaimModeModelBytes}, both verified against the chain), so anyone can run it.
 */
import { bytesToHex, concatBytes, parseEventLogs, zeroAddress, type Address, type PublicClient } from "viem";
import { dankuClaimModuleAbi } from "../generated/abis";
import { readClaimModeModelBytes, readClaimModeRevealCalls } from "./claims";
import { sendContractTransaction, type SentTransaction } from "./transactions";
import type { DankuWallet } from "./danku";

export interface FullEvaluationState {
  /** Whether each test root (by index) was evaluated for the submission. */
  rootsEvaluated: boolean[];
  /** The account whose call completed the evaluation; undefined while it is not complete. */
  evaluator: Address | undefined;
}

export async function readFullEvaluation(client: PublicClient, competition: Address, submissionId: number): Promise<FullEvaluationState> {
  const [count, evaluator] = await Promise.all([
    client.readContract({ address: competition, abi: dankuClaimModuleAbi, functionName: "testRootCount" }),
    client.readContract({ address: competition, abi: dankuClaimModuleAbi, functionName: "fullEvaluator", args: [BigInt(submissionId)] }),
  ]);
  const rootsEvaluated = await Promise.all(
    Array.from({ length: Number(count) }, (_, i) =>
      client.readContract({ address: competition, abi: dankuClaimModuleAbi, functionName: "rootEvaluated", args: [BigInt(submissionId), BigInt(i)] }),
    ),
  );
  return { rootsEvaluated, evaluator: evaluator === zeroAddress ? undefined : evaluator };
}

/** Evaluates submission `submissionId` on test root `rootIndex`; `points` are the root's point bytes in order. */
export async function evaluateRoot(
  wallet: DankuWallet,
  client: PublicClient,
  args: { competition: Address; submissionId: number; rootIndex: number; points: readonly Uint8Array[]; model: Uint8Array },
): Promise<SentTransaction & { correct: number }> {
  const sent = await sendContractTransaction(wallet, client, {
    address: args.competition,
    abi: dankuClaimModuleAbi,
    functionName: "evaluateRoot",
    args: [BigInt(args.submissionId), BigInt(args.rootIndex), bytesToHex(concatBytes([...args.points])), bytesToHex(args.model)],
  });
  const [event] = parseEventLogs({ abi: dankuClaimModuleAbi, logs: sent.receipt.logs, eventName: "RootEvaluated" });
  if (!event) throw new Error(`the evaluation transaction ${sent.hash} emitted no RootEvaluated event`);
  return { ...sent, correct: Number(event.args.correct) };
}

/**
 * Fully evaluates submission `submissionId`: one `evaluateRoot` per test root not evaluated yet (by anyone), with the
 * points and the model read from calldata and verified. Returns the transactions sent; the last one records the score.
 */
export async function evaluateClaimSubmission(
  wallet: DankuWallet,
  client: PublicClient,
  args: { competition: Address; submissionId: number; featureCount: number; onRoot?: (rootIndex: number, sent: SentTransaction & { correct: number }) => void },
): Promise<{ sent: (SentTransaction & { correct: number; rootIndex: number })[]; evaluator: Address | undefined }> {
  const [model, calls, state] = await Promise.all([
    readClaimModeModelBytes(client, args.competition, args.submissionId),
    readClaimModeRevealCalls(client, args.competition, args.featureCount),
    readFullEvaluation(client, args.competition, args.submissionId),
  ]);
  if (!model) throw new Error(`submission ${args.submissionId} has not revealed its model: there is nothing to evaluate`);
  const sent: (SentTransaction & { correct: number; rootIndex: number })[] = [];
  for (const call of calls) {
    if (state.rootsEvaluated[call.rootIndex]) continue;
    const tx = await evaluateRoot(wallet, client, { competition: args.competition, submissionId: args.submissionId, rootIndex: call.rootIndex, points: call.points, model });
    args.onRoot?.(call.rootIndex, tx);
    sent.push({ ...tx, rootIndex: call.rootIndex });
  }
  const { evaluator } = await readFullEvaluation(client, args.competition, args.submissionId);
  return { sent, evaluator };
}


/**
 * The checker as a process (docs/protocol.md §11, "The checker"): one round checks every claim of some claim-mode
 * competitions with {@link checkCompetition} and disputes each wrong one whose window is open; the loop finds the
 * claim-mode competitions of a factory by itself and repeats the round until stopped. One home for `modelbounty
 * watch` (one competition) and the app's server (instrumentation.ts: every claim-mode competition of the factory).
 */
import type { Address, PublicClient } from "viem";
import { checkCompetition, type ClaimCheck, type CompetitionCheck } from "./checker";
import { disputeClaim, readEvaluationMode, settleClaim } from "../chain/claims";
import { listCompetitions, readSubmission, type DankuWallet } from "../chain/danku";
import { explainError } from "../chain/transactions";
import { dankuClaimModuleAbi } from "../generated/abis";

/** What a round did about one claim. */
export interface ClaimAction {
  claimId: number;
  submissionId: number;
  verdict: ClaimCheck["verdict"];
  settleable: boolean;
  disputed?: { point: number; transaction: string };
  /** The checker settled this honest claim ({@link SettlePolicy}). */
  settled?: { transaction: string };
  error?: string;
}

/**
 * Which honest claims whose window closed the checker settles (docs/protocol.md §11, "The checker"). `settleClaim`
 * credits the bond to the claimant, never to the caller, so settling someone else's claim only costs the checker gas:
 * - "own" (the default): only its own account's claims, and only while the settlement's gas at the current gas price
 *   costs less than the bond it returns, so the checker never loses money settling;
 * - "all": also other people's honest claims whose settlement gives their submission its score (not yet scored, not
 *   finalized): the checker pays ≈ 130 k gas each for the competition's liveness (an organizer's own checker);
 * - "none": never.
 * A wrong claim is never settled (its window closed undisputed: settling it would make its score count).
 */
export type SettlePolicy = "own" | "all" | "none";
export const SETTLE_POLICIES: readonly SettlePolicy[] = ["own", "all", "none"];

export interface CompetitionRound {
  result: CompetitionCheck;
  /** One per claim, in claim order, paired with {@link CompetitionRound.result}'s checks. */
  actions: ClaimAction[];
  /** Claims that are neither void nor settled and whose window is still open. */
  openWindows: number;
}

/** A wallet, or a getter that may throw (the CLI's `signer` explains a missing key only when a dispute is due). */
export type CheckerWallet = DankuWallet | (() => DankuWallet);

/** Stages in which a claim can still be made (after the Evaluation stage no new claim can come). */
const STAGES_BEFORE_CLAIMS_END: ReadonlySet<string> = new Set(["AwaitingSplit", "TrainingReveal", "Submission", "ModelReveal", "TestReveal", "Evaluation"]);

/** Whether a competition needs no more checking: no claim can come any more and every window has closed. */
export function checkingIsOver(round: Pick<CompetitionRound, "openWindows"> & { result: Pick<CompetitionCheck, "stage"> }): boolean {
  return !STAGES_BEFORE_CLAIMS_END.has(round.result.stage) && round.openWindows === 0;
}

/**
 * Checks every claim of `competition` and disputes each wrong one whose window is open. A failed dispute (another
 * checker was faster, the window closed meanwhile, no key or no funds) is recorded in its action with `explain`'s
 * message and the round goes on with the other claims; a failed read throws (nothing was sent).
 */
export async function checkAndDispute(
  client: PublicClient,
  wallet: CheckerWallet,
  competition: Address,
  options: { explain?: (error: unknown) => string; settle?: SettlePolicy } = {},
): Promise<CompetitionRound> {
  const explain = options.explain ?? ((error: unknown) => explainError(error).message);
  const result = await checkCompetition(client, competition);
  const actions: ClaimAction[] = [];
  const scoredThisRound = new Set<number>();
  for (const check of result.checks) {
    const action: ClaimAction = { claimId: check.claim.id, submissionId: check.claim.submissionId, verdict: check.verdict, settleable: check.settleable };
    if (check.verdict === "wrong" && check.dispute) {
      try {
        const signer = typeof wallet === "function" ? wallet() : wallet;
        const sent = await disputeClaim(signer, client, { competition, ...check.dispute });
        action.disputed = { point: check.mismatch?.index ?? -1, transaction: sent.hash };
      } catch (error) {
        action.error = explain(error);
      }
    }
    if (check.verdict === "honest" && check.settleable && (options.settle ?? "own") !== "none") {
      try {
        const sent = await settleIfWorthIt(client, wallet, competition, check, options.settle ?? "own", result.stage, scoredThisRound);
        if (sent) action.settled = { transaction: sent };
      } catch (error) {
        action.error = explain(error);
      }
    }
    actions.push(action);
  }
  const openWindows = result.checks.filter((c) => c.windowOpen && c.verdict !== "void" && c.verdict !== "settled").length;
  return { result, actions, openWindows };
}

/**
 * Settles an honest claim whose window closed when `policy` says so ({@link SettlePolicy}); returns the transaction,
 * or null when it is not the checker's to settle (a keyless checker settles nothing).
 */
async function settleIfWorthIt(
  client: PublicClient,
  wallet: CheckerWallet,
  competition: Address,
  check: ClaimCheck,
  policy: SettlePolicy,
  stage: string,
  scoredThisRound: Set<number>,
): Promise<string | null> {
  let signer: DankuWallet;
  try {
    signer = typeof wallet === "function" ? wallet() : wallet;
  } catch {
    return null;
  }
  const claim = check.claim;
  const own = claim.claimant.toLowerCase() === signer.account.address.toLowerCase();
  if (own) {
    // The bond returns to the checker: settle while the gas costs less than that.
    const [gas, gasPrice] = await Promise.all([
      client.estimateContractGas({ address: competition, abi: dankuClaimModuleAbi, functionName: "settleClaim", args: [BigInt(claim.id)], account: signer.account }),
      client.getGasPrice(),
    ]);
    if (gas * gasPrice >= claim.bond) return null;
  } else {
    if (policy !== "all" || stage === "Finalized" || scoredThisRound.has(claim.submissionId)) return null;
    // Someone else's bond: worth the gas only for the score it gives a submission that has none.
    if ((await readSubmission(client, competition, claim.submissionId)).evaluated) return null;
  }
  const sent = await settleClaim(signer, client, { competition, claimId: claim.id });
  scoredThisRound.add(claim.submissionId);
  return sent.hash;
}

/** What the server's loop did in one round. */
export interface CheckerRound {
  /** The claim-mode competitions of the factory checked this round (finished ones are no longer checked). */
  checked: CompetitionRound[];
  /** Competitions whose check failed this round (a node error, unreadable data): retried next round. */
  failures: { competition: Address; error: string }[];
}

export interface CheckerLoopOptions {
  client: PublicClient;
  wallet: DankuWallet;
  factory: Address;
  /** Where the factory's `CompetitionCreated` events start (its deployment block). */
  fromBlock: bigint;
  /** Pause between the end of one round and the start of the next. */
  intervalMs: number;
  onRound?: (round: CheckerRound) => void;
  /** A round that failed as a whole (the factory's events could not be read); the loop goes on. */
  onError?: (error: unknown) => void;
  /** Which honest claims it settles once their window closed (default "own"). */
  settle?: SettlePolicy;
}

export interface CheckerLoop {
  /** Ends the loop: no round starts after it; resolves once the round in progress (if any) has ended. */
  stop(): Promise<void>;
}

/**
 * State kept between rounds: the competitions already known (with their mode, which never changes) and those whose
 * checking is over, so a round reads only new `CompetitionCreated` events and checks only live claim competitions.
 */
export interface CheckerState {
  scannedTo: bigint | null;
  claimMode: Address[];
  finished: Set<Address>;
}

export function newCheckerState(): CheckerState {
  return { scannedTo: null, claimMode: [], finished: new Set() };
}

/** One round of the server's checker over every claim-mode competition of `factory`. */
export async function checkerRound(options: Pick<CheckerLoopOptions, "client" | "wallet" | "factory" | "fromBlock" | "settle">, state: CheckerState): Promise<CheckerRound> {
  const { client } = options;
  const head = await client.getBlockNumber();
  const from = state.scannedTo === null ? options.fromBlock : state.scannedTo + 1n;
  if (from <= head) {
    const listed = await listCompetitions(client, options.factory, { fromBlock: from, toBlock: head });
    for (const c of listed) if ((await readEvaluationMode(client, c.address)) === "claim") state.claimMode.push(c.address);
    state.scannedTo = head;
  }
  const round: CheckerRound = { checked: [], failures: [] };
  for (const competition of state.claimMode) {
    if (state.finished.has(competition)) continue;
    try {
      const checked = await checkAndDispute(client, options.wallet, competition, { settle: options.settle });
      round.checked.push(checked);
      if (checkingIsOver(checked)) state.finished.add(competition);
    } catch (error) {
      round.failures.push({ competition, error: explainError(error).message });
    }
  }
  return round;
}

/** Starts the loop: a round now, then one `intervalMs` after each round ends, until {@link CheckerLoop.stop}. */
export function startCheckerLoop(options: CheckerLoopOptions): CheckerLoop {
  const state = newCheckerState();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> = Promise.resolve();
  const run = (): void => {
    timer = null;
    running = checkerRound(options, state)
      .then((round) => options.onRound?.(round))
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        if (!stopped) timer = setTimeout(run, options.intervalMs);
      });
  };
  run();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}

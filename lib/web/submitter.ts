/**
 * What a data scientist can do next with each model they committed (docs/protocol.md §5–§8), and when: the
 * submission files kept in this browser matched with the chain's submissions, plus the next step for each. Plain
 * functions, unit-tested; the contract stays the authority (every action is simulated before the wallet is asked).
 */
import type { Address } from "viem";
import type { CompetitionState, SubmissionState } from "../chain/danku";
import { submissionFileCommitment, type SubmissionFile } from "../danku/secrets";
import { formatNumber, sameAddress } from "./format";
import { testDataWithheld } from "./payouts";

export interface TrackedSubmission {
  readonly file: SubmissionFile;
  /** The chain's record, found by the file's commitment (the id is not known until the commit is mined). */
  readonly onChain?: SubmissionState;
}

/** Files whose commitment is on chain get their submission; files never committed (or still pending) get none. */
export function matchSubmissions(files: readonly SubmissionFile[], submissions: readonly SubmissionState[]): TrackedSubmission[] {
  const byCommitment = new Map(submissions.map((s) => [s.commitment.toLowerCase(), s]));
  return files.map((file) => {
    const onChain = byCommitment.get(submissionFileCommitment(file));
    return onChain ? { file, onChain } : { file };
  });
}

export type SubmitterAction = "commit" | "reveal" | "evaluate" | "finalize" | "withdraw" | "wait" | "none";

export interface SubmitterStep {
  readonly action: SubmitterAction;
  /** One sentence: what to do now, or what happens next and at which block. */
  readonly message: string;
  /** Block at which the situation changes, for a countdown. */
  readonly untilBlock?: bigint;
}

/** Block `b` in words with the number of blocks left from `now`. */
function atBlock(b: bigint, now: bigint): string {
  const left = b > now ? b - now : 0n;
  return `block #${formatNumber(b)} (${formatNumber(left)} block${left === 1n ? "" : "s"} from now)`;
}

/** The next step for one of the submitter's models. */
export function nextSubmitterStep(state: CompetitionState, tracked: TrackedSubmission | undefined, account: Address | undefined, withdrawable = 0n): SubmitterStep {
  const d = state.deadlines;
  const now = state.blockNumber;
  const s = state.stage;
  if (withdrawable > 0n) {
    return state.testWithheld
      ? { action: "withdraw", message: "The test data was withheld, so the reward is shared by the revealed submissions and donations are refunded: withdraw your share (and any donation of yours) in the Actions panel." }
      : { action: "withdraw", message: "The prize is yours: withdraw it in the Actions panel." };
  }
  if (!tracked) {
    if (s === "Submission") {
      return {
        action: "commit",
        message: `Commit a model before ${atBlock(d.submissionEnd, now)}; only a hash goes on chain, the model stays private until you reveal it.`,
        untilBlock: d.submissionEnd,
      };
    }
    if (s === "AwaitingSplit" || s === "TrainingReveal") {
      return { action: "wait", message: "Submissions open once the organizer has revealed the training data; you can preview a model on it then." };
    }
    return { action: "none", message: "Submissions are closed for this competition." };
  }
  const sub = tracked.onChain;
  if (account && !sameAddress(account, tracked.file.submitter)) {
    return { action: "none", message: `This model was committed by ${tracked.file.submitter}; connect that account to act on it.` };
  }
  if (!sub) {
    return s === "Submission"
      ? { action: "commit", message: `Not committed yet: commit it before ${atBlock(d.submissionEnd, now)}.`, untilBlock: d.submissionEnd }
      : { action: "none", message: "This model was never committed, and the submission period is over." };
  }
  if (!sub.revealed) {
    if (s === "Submission") {
      return {
        action: "wait",
        message: `Committed as #${sub.id}. Reveal it after the submission period, from ${atBlock(d.submissionEnd, now)} until block #${formatNumber(d.modelRevealEnd)}.`,
        untilBlock: d.submissionEnd,
      };
    }
    if (s === "ModelReveal") {
      return { action: "reveal", message: `Reveal #${sub.id} now, before ${atBlock(d.modelRevealEnd, now)}; an unrevealed model is never scored.`, untilBlock: d.modelRevealEnd };
    }
    return { action: "none", message: `#${sub.id} was not revealed in its window, so it cannot be scored.` };
  }
  if (!sub.evaluated) {
    if (s === "ModelReveal" || s === "TestReveal") {
      const opens = s === "ModelReveal" ? d.modelRevealEnd : d.testRevealEnd;
      return {
        action: "wait",
        message: `#${sub.id} is revealed. Evaluation opens when the organizer has revealed the test data, by block #${formatNumber(d.testRevealEnd)}; if it is not revealed in full by then, there is no evaluation, the reward is shared equally by the revealed submissions and the donors are refunded.`,
        untilBlock: opens,
      };
    }
    if (testDataWithheld(state)) {
      // Reached in Finalized only once the share is withdrawn (a share still owed returns "withdraw" above).
      if (s === "Finalized") return { action: "none", message: `The test data was withheld; #${sub.id}'s share of the reward was withdrawn.` };
      return {
        action: s === "AwaitingFinalization" ? "finalize" : "wait",
        message:
          s === "AwaitingFinalization"
            ? `The test data was withheld: finalize the competition, then withdraw #${sub.id}'s equal share of the reward (the donations go back to the donors).`
            : `The organizer did not reveal the test data in full: there is no evaluation. After block #${formatNumber(d.evaluationEnd)}, finalization shares the reward equally by the revealed submissions, #${sub.id} included, and refunds the donors.`,
        untilBlock: s === "Evaluation" ? d.evaluationEnd : undefined,
      };
    }
    if (s === "Evaluation") {
      return {
        action: "evaluate",
        message: `Evaluate #${sub.id} before ${atBlock(d.evaluationEnd, now)}: the contract scores it on chain (${formatNumber(sub.cursor)} points done so far).`,
        untilBlock: d.evaluationEnd,
      };
    }
    return { action: "none", message: `#${sub.id} was not evaluated before the evaluation period ended, so it does not count.` };
  }
  const isBest = state.best.exists && state.best.id === sub.id;
  if (s === "Evaluation") {
    return {
      action: "wait",
      message: isBest
        ? `#${sub.id} leads the leaderboard. Finalization opens at ${atBlock(d.evaluationEnd, now)}.`
        : `#${sub.id} is scored. Finalization opens at ${atBlock(d.evaluationEnd, now)}.`,
      untilBlock: d.evaluationEnd,
    };
  }
  if (s === "AwaitingFinalization") {
    return isBest
      ? { action: "finalize", message: `#${sub.id} won: finalize the competition, then withdraw the prize.` }
      : { action: "none", message: `#${sub.id} is scored but is not the best qualified submission.` };
  }
  if (s === "Finalized") {
    if (state.testWithheld) return { action: "none", message: `The test data was withheld; #${sub.id}'s share of the reward was withdrawn.` };
    return isBest ? { action: "none", message: `#${sub.id} won and the prize was withdrawn.` } : { action: "none", message: `#${sub.id} did not win this competition.` };
  }
  return { action: "none", message: "The competition is over." };
}

export interface ScoreCount {
  readonly correct: number;
  readonly total: number;
}

/**
 * What quantization did to the accuracy, in percentage points of the quantized score against the float model's:
 * "lost to quantization: 0.42 points" when the quantized model scores lower, "gained by quantization: +0.42 points"
 * when higher, "no change" when equal. A difference that rounds to 0.00 still says its direction ("< 0.01 points").
 */
export function describeQuantizationEffect(quantized: ScoreCount, float: ScoreCount): string {
  // Exact comparison of the two fractions (integer counts), so "no change" never comes from a float rounding.
  const sign = Math.sign(quantized.correct * float.total - float.correct * quantized.total);
  if (sign === 0 || quantized.total <= 0 || float.total <= 0) return "no change";
  const points = Math.abs(quantized.correct / quantized.total - float.correct / float.total) * 100;
  const shown = points < 0.005 ? "< 0.01" : points.toFixed(2);
  return sign < 0 ? `lost to quantization: ${shown} points` : `gained by quantization: ${shown === "< 0.01" ? shown : `+${shown}`} points`;
}

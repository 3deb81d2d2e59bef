/**
 * Stage presentation: names people read, tones for badges, and block windows for countdowns. The stage rules are
 * docs/protocol.md §6 and the contract's `_stage()`: a window's `end` is the first block outside the stage.
 */
import type { CompetitionState, StageName } from "../chain/danku";

export const STAGE_TITLES: Record<StageName, string> = {
  AwaitingSplit: "Awaiting split",
  TrainingReveal: "Training data reveal",
  Submission: "Open for submissions",
  ModelReveal: "Model reveal",
  TestReveal: "Test data reveal",
  Evaluation: "Evaluation",
  AwaitingFinalization: "Awaiting finalization",
  Finalized: "Finalized",
  Cancelled: "Cancelled",
  SetupExpired: "Setup expired",
};

export type StageTone = "setup" | "open" | "progress" | "done" | "closed";

export const STAGE_TONES: Record<StageName, StageTone> = {
  AwaitingSplit: "setup",
  TrainingReveal: "setup",
  Submission: "open",
  ModelReveal: "progress",
  TestReveal: "progress",
  Evaluation: "progress",
  AwaitingFinalization: "progress",
  Finalized: "done",
  Cancelled: "closed",
  SetupExpired: "closed",
};

/** Stages in which the competition is over (no deadlines, no donations). */
export const FINISHED_STAGES: readonly StageName[] = ["Finalized", "Cancelled", "SetupExpired"];

type Deadlines = CompetitionState["deadlines"];

/** First block no longer in `stage`, or undefined when the stage has no deadline. */
export function stageEndBlock(stage: StageName, deadlines: Deadlines): bigint | undefined {
  switch (stage) {
    case "AwaitingSplit":
      return deadlines.init2Deadline + 1n;
    case "TrainingReveal":
      return deadlines.trainingRevealDeadline + 1n;
    case "Submission":
      return deadlines.submissionEnd || undefined;
    case "ModelReveal":
      return deadlines.modelRevealEnd || undefined;
    case "TestReveal":
      return deadlines.testRevealEnd || undefined;
    case "Evaluation":
      return deadlines.evaluationEnd || undefined;
    default:
      return undefined;
  }
}

/** Blocks until the stage ends (0 when the next block is already outside it). */
export function blocksLeft(stage: StageName, deadlines: Deadlines, currentBlock: bigint): bigint | undefined {
  const end = stageEndBlock(stage, deadlines);
  if (end === undefined) return undefined;
  const left = end - currentBlock - 1n;
  return left > 0n ? left : 0n;
}

export interface TimelineStep {
  key: string;
  title: string;
  /** First block of the step, when known. */
  start?: bigint;
  /** First block after the step, when known. */
  end?: bigint;
  /** Length in blocks when the start is not known yet. */
  period?: number;
  status: "done" | "current" | "upcoming" | "skipped";
  note?: string;
}

const ORDER: StageName[] = ["AwaitingSplit", "TrainingReveal", "Submission", "ModelReveal", "TestReveal", "Evaluation", "AwaitingFinalization"];

/** The lifecycle as a list of steps with block ranges, for the competition page's timeline. */
export function buildTimeline(state: Pick<CompetitionState, "stage" | "deadlines" | "config" | "init1Block" | "usesTestData">): TimelineStep[] {
  const d = state.deadlines;
  const c = state.config;
  const known = d.submissionEnd !== 0n;
  const trainingDone = known ? d.submissionEnd - BigInt(c.submissionPeriod) : undefined;
  const ended = FINISHED_STAGES.includes(state.stage);
  const currentIndex = ORDER.indexOf(state.stage);
  const status = (index: number): TimelineStep["status"] => {
    if (state.stage === "Finalized") return "done";
    if (state.stage === "Cancelled" || state.stage === "SetupExpired") return index < 2 && known ? "done" : "skipped";
    if (index < currentIndex) return "done";
    return index === currentIndex ? "current" : "upcoming";
  };
  const steps: TimelineStep[] = [
    // init2 can only land after the seed block (init1 + splitDelay), whose hash seeds the split.
    { key: "split", title: "Train/test split", start: d.splitSeedBlock + 1n, end: d.init2Deadline + 1n, status: status(0), note: `seeded by block ${d.splitSeedBlock}` },
    // The last training reveal lands in block T, which is also the first block of the submission period.
    { key: "training", title: "Training data reveal", start: d.splitSeedBlock + 1n, end: trainingDone !== undefined ? trainingDone + 1n : d.trainingRevealDeadline + 1n, status: status(1), note: known ? undefined : `must complete by block ${d.trainingRevealDeadline}` },
    { key: "submission", title: "Submissions (commit)", start: trainingDone, end: known ? d.submissionEnd : undefined, period: c.submissionPeriod, status: status(2) },
    { key: "modelReveal", title: "Model reveal", start: known ? d.submissionEnd : undefined, end: known ? d.modelRevealEnd : undefined, period: c.modelRevealPeriod, status: status(3) },
    { key: "testReveal", title: "Test data reveal", start: known ? d.modelRevealEnd : undefined, end: known ? d.testRevealEnd : undefined, period: c.testRevealPeriod, status: status(4), note: state.usesTestData ? "test data complete" : undefined },
    { key: "evaluation", title: "Evaluation", start: undefined, end: known ? d.evaluationEnd : undefined, period: c.evaluationPeriod, status: status(5) },
    { key: "finalization", title: "Finalization", start: known ? d.evaluationEnd : undefined, status: status(6) },
  ];
  if (ended && state.stage !== "Finalized") {
    const last = steps.findIndex((s) => s.status === "skipped");
    if (last >= 0 && steps[last]) steps[last] = { ...steps[last], note: state.stage === "Cancelled" ? "cancelled" : "setup expired" };
  }
  return steps;
}

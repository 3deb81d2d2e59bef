"use client";

import type { ProblemState } from "@/lib/chain/daimon";
import { describeWindow, problemSchedule, roundWindow } from "@/lib/web/daimon";
import { formatNumber } from "@/lib/web/format";
import { Timeline, type TimelineItem } from "@/components/ui/Timeline";
import type { BlockTime } from "@/components/hooks/useBlockTime";

interface Step {
  key: string;
  title: string;
  status: "done" | "current" | "upcoming";
  window?: { start: bigint; end: bigint };
  note?: string;
}

/** The definition period, then fixed rounds of T_b blocks: where the problem is now and how many blocks are left. */
export function RoundSchedule({ state, blockTime }: { state: ProblemState; blockTime: BlockTime }) {
  const schedule = problemSchedule(state, state.blockNumber);
  const definition = { start: state.createdBlock, end: state.definitionEnd };
  const steps: Step[] = [
    {
      key: "definition",
      title: "Definition period",
      status: schedule.phase === "Definition" ? "current" : "done",
      window: definition,
      note: `${state.tupleCount} tuple${state.tupleCount === 1 ? "" : "s"}${state.config.openTuples ? ", open to contributors" : ", by the creator only"}`,
    },
  ];
  if (schedule.phase === "Dead") {
    steps.push({ key: "dead", title: "No competition", status: "current", note: "no tuple was added, so the problem is dead" });
  } else {
    const round = schedule.round ?? 0n;
    if (round > 0n) {
      const previous = round - 1n;
      const waiting = state.pendingRound.open && state.pendingRound.round === previous;
      steps.push({
        key: "previous",
        title: `Round ${formatNumber(previous)}`,
        status: "done",
        window: roundWindow(previous, state),
        note: waiting ? "over; its proofs wait for the block to be committed" : undefined,
      });
    }
    steps.push({
      key: "current",
      title: `Round ${formatNumber(round)}`,
      status: schedule.phase === "Competition" ? "current" : "upcoming",
      window: roundWindow(round, state),
      note:
        state.pendingRound.open && state.pendingRound.round === round
          ? state.pendingRound.leaderVotes === 0
            ? "proofs waiting for votes"
            : `${state.pendingRound.leaderVotes} vote${state.pendingRound.leaderVotes === 1 ? "" : "s"} for the leading proof`
          : "no proof yet",
    });
    steps.push({ key: "next", title: `Round ${formatNumber(round + 1n)}`, status: "upcoming", window: roundWindow(round + 1n, state) });
  }
  const items = steps.map(
    (step): TimelineItem => ({
      key: step.key,
      title: step.title,
      status: step.status,
      detail: `${step.window ? describeWindow(step.window) : ""}${step.note ? `${step.window ? " · " : ""}${step.note}` : ""}`,
      window: step.window,
      left: step.status === "current" ? schedule.blocksLeft : undefined,
    }),
  );
  return <Timeline label="Phases and rounds" testId="round-schedule" items={items} currentBlock={state.blockNumber} blockTime={blockTime} />;
}

"use client";

import type { CompetitionState } from "@/lib/chain/danku";
import { buildTimeline, type TimelineStep } from "@/lib/web/stages";
import { formatBlocks, formatNumber } from "@/lib/web/format";
import { Timeline, type TimelineItem } from "@/components/ui/Timeline";
import type { BlockTime } from "@/components/hooks/useBlockTime";

function range(step: TimelineStep): string {
  if (step.start !== undefined && step.end !== undefined) return `blocks #${formatNumber(step.start)} – #${formatNumber(step.end - 1n)}`;
  if (step.end !== undefined) return `until block #${formatNumber(step.end - 1n)}`;
  if (step.start !== undefined) return `from block #${formatNumber(step.start)}`;
  if (step.period !== undefined) return `${formatBlocks(step.period)}, once the training data is revealed`;
  return "";
}

export function StageTimeline({ state, blockTime }: { state: CompetitionState; blockTime: BlockTime }) {
  const current = state.blockNumber;
  const items = buildTimeline(state).map((step): TimelineItem => {
    const isCurrent = step.status === "current";
    const window = step.start !== undefined && step.end !== undefined ? { start: step.start, end: step.end } : undefined;
    return {
      key: step.key,
      title: step.title,
      status: step.status,
      detail: `${range(step)}${step.note ? ` · ${step.note}` : ""}`,
      window,
      left: isCurrent && step.end !== undefined ? (step.end - current - 1n > 0n ? step.end - current - 1n : 0n) : undefined,
    };
  });
  return <Timeline label="Stages" items={items} currentBlock={current} blockTime={blockTime} />;
}

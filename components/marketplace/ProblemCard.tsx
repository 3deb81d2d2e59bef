"use client";

import type { ProblemSummary } from "@/lib/chain/daimonReads";
import { PHASE_DESCRIPTIONS, UNTITLED_PROBLEM, formatAccuracy, formatDistance, improvementBlockCount, problemSchedule } from "@/lib/web/daimon";
import { formatNumber } from "@/lib/web/format";
import { PhaseBadge, ProtocolBadge } from "@/components/ui/Badge";
import { CoinsIcon, TrophyIcon, UsersIcon } from "@/components/ui/Icons";
import type { BlockTime } from "@/components/hooks/useBlockTime";
import { describeRound } from "@/lib/web/daimonGlossary";
import { CardStat, EndsStat, ListingCard } from "./ListingCard";
import type { ProblemMetadataStatus } from "./useMarketplace";

/** A DaiMoN problem in the marketplace: phase and round, blocks left, its token, its chain and best distance. */
export function ProblemCard({
  problem: p,
  metadata,
  currentBlock,
  blockTime,
}: {
  problem: ProblemSummary;
  metadata: ProblemMetadataStatus | undefined;
  currentBlock: bigint;
  blockTime: BlockTime;
}) {
  const schedule = problemSchedule(p, currentBlock);
  const blocks = improvementBlockCount(p.chainLength);
  return (
    <ListingCard
      kind="problem"
      address={p.address}
      href={`/problems/${p.address}`}
      badges={
        <>
          <ProtocolBadge protocol="daimon" />
          <PhaseBadge phase={schedule.phase} round={schedule.round} />
          {schedule.phase === "Competition" && schedule.round !== undefined ? (
            <span className="text-xs text-slate-500 dark:text-slate-400" data-testid="problem-round-gloss">
              {describeRound(schedule.round, p.config.competitionPeriod)}
            </span>
          ) : null}
        </>
      }
      metadata={metadata}
      hasMetadata={!!p.spec.metadataCid}
      untitled={UNTITLED_PROBLEM}
      noDescription="The creator published no description."
      state={PHASE_DESCRIPTIONS[schedule.phase]}
      creatorLabel="Created by"
      creator={p.creator}
      stats={
        <>
          <EndsStat
            label={schedule.phase === "Definition" ? "Definition ends" : "Round ends"}
            testId="problem-blocks-left"
            left={schedule.window ? schedule.blocksLeft : undefined}
            end={schedule.window?.end}
            blockTime={blockTime}
            none="no rounds"
          />
          <CardStat icon={<CoinsIcon />} label="Token" value={p.spec.symbol} detail={p.spec.name} testId="problem-token" />
          <CardStat
            icon={<UsersIcon />}
            label="Improvement blocks"
            value={formatNumber(blocks)}
            detail={`${formatNumber(p.proofCount)} proof${p.proofCount === 1 ? "" : "s"} · ${p.tupleCount} tuple${p.tupleCount === 1 ? "" : "s"}`}
            testId="problem-improvements"
          />
          <CardStat
            icon={<TrophyIcon />}
            label="Best distance"
            value={blocks > 0 ? formatDistance(p.bestDistance) : "—"}
            detail={blocks > 0 ? `≈ ${formatAccuracy(p.bestDistance)} estimated accuracy · lower is better` : "no improvement yet"}
            testId="problem-best-distance"
          />
        </>
      }
    />
  );
}

"use client";

import type { CompetitionSummary } from "@/lib/chain/danku";
import { STAGE_DESCRIPTIONS } from "@/lib/chain/danku";
import { evaluationPoints, prizePool } from "@/lib/web/marketplace";
import { blocksLeft, stageEndBlock } from "@/lib/web/stages";
import { formatEth, formatNumber, formatPercent } from "@/lib/web/format";
import { UNTITLED } from "@/lib/web/metadata";
import { ProtocolBadge, StageBadge } from "@/components/ui/Badge";
import { Skeleton } from "@/components/ui/Skeleton";
import { CoinsIcon, InfoIcon, TrophyIcon, UsersIcon } from "@/components/ui/Icons";
import type { BlockTime } from "@/components/hooks/useBlockTime";
import { CardStat, EndsStat, ListingCard } from "./ListingCard";
import type { MetadataStatus } from "./useMarketplace";

/** A DanKu competition in the marketplace: stage, prize pool, time left, submissions and the best score. */
export function CompetitionCard({
  competition: c,
  metadata,
  currentBlock,
  blockTime,
}: {
  competition: CompetitionSummary;
  metadata: MetadataStatus | undefined;
  currentBlock: bigint;
  blockTime: BlockTime;
}) {
  const total = evaluationPoints(c);
  return (
    <ListingCard
      kind="competition"
      address={c.address}
      href={`/competitions/${c.address}`}
      badges={
        <>
          <ProtocolBadge />
          <StageBadge stage={c.stage} />
        </>
      }
      metadata={metadata}
      hasMetadata={!!c.metadataCid}
      untitled={UNTITLED}
      noDescription="The organizer published no description."
      state={STAGE_DESCRIPTIONS[c.stage]}
      creatorLabel="Organizer"
      creator={c.organizer}
      stats={
        <>
          <CardStat
            icon={<CoinsIcon />}
            label="Prize pool"
            value={formatEth(prizePool(c))}
            detail={c.totalDonations > 0n ? `incl. ${formatEth(c.totalDonations)} donated` : "reward escrowed"}
          />
          <EndsStat label="Stage ends" left={blocksLeft(c.stage, c.deadlines, currentBlock)} end={stageEndBlock(c.stage, c.deadlines)} blockTime={blockTime} none="no deadline" />
          <CardStat icon={<UsersIcon />} label="Submissions" value={formatNumber(c.submissionCount)} />
          <CardStat
            icon={<InfoIcon />}
            label="Data committed"
            testId="committed-points"
            value={`${formatNumber(c.totalPoints)} points`}
            detail={
              c.committedTestPoints > 0
                ? `${formatNumber(c.committedTestPoints)} test points`
                : `${formatNumber(c.groupCount)} groups · test size after the split`
            }
          />
          <CardStat
            icon={<TrophyIcon />}
            label="Best score"
            value={c.best.exists && total > 0 ? `${formatNumber(c.best.correct)} / ${formatNumber(total)}` : "—"}
            detail={c.best.exists && total > 0 ? formatPercent(c.best.correct, total) : c.submissionCount > 0 ? "not evaluated yet" : "no submissions"}
          />
        </>
      }
    />
  );
}

export function CompetitionCardSkeleton() {
  return (
    <li className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900" aria-hidden>
      <div className="flex gap-2">
        <Skeleton className="h-5 w-14 rounded-full" />
        <Skeleton className="h-5 w-28 rounded-full" />
      </div>
      <Skeleton className="mt-4 h-5 w-3/4" />
      <Skeleton className="mt-3 h-3.5 w-full" />
      <Skeleton className="mt-1.5 h-3.5 w-2/3" />
      <div className="mt-5 grid grid-cols-2 gap-4 border-t border-slate-100 pt-4 dark:border-slate-800">
        {[0, 1, 2, 3].map((i) => (
          <div key={i}>
            <Skeleton className="h-3 w-16" />
            <Skeleton className="mt-2 h-4 w-24" />
          </div>
        ))}
      </div>
    </li>
  );
}

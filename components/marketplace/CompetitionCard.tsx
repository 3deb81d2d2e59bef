"use client";

import Link from "next/link";
import type { CompetitionSummary } from "@/lib/chain/danku";
import { STAGE_DESCRIPTIONS } from "@/lib/chain/danku";
import { evaluationPoints, prizePool } from "@/lib/web/marketplace";
import { blocksLeft, stageEndBlock } from "@/lib/web/stages";
import { formatBlocks, formatDuration, formatEth, formatNumber, formatPercent, shortAddress } from "@/lib/web/format";
import { UNTITLED } from "@/lib/web/metadata";
import { ProtocolBadge, StageBadge } from "@/components/ui/Badge";
import { Skeleton } from "@/components/ui/Skeleton";
import { AddressText } from "@/components/ui/Address";
import { ClockIcon, CoinsIcon, TrophyIcon, UsersIcon } from "@/components/ui/Icons";
import { describeBlockTime, type BlockTime } from "@/components/hooks/useBlockTime";
import type { MetadataStatus } from "./useMarketplace";

function Stat({ icon, label, value, detail }: { icon: React.ReactNode; label: string; value: React.ReactNode; detail?: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="flex items-center gap-1.5 text-xs font-medium text-slate-500 dark:text-slate-400">
        <span className="text-slate-400 dark:text-slate-500">{icon}</span>
        {label}
      </dt>
      <dd className="tabular mt-1 truncate text-sm font-semibold text-slate-900 dark:text-slate-100">{value}</dd>
      {detail ? <dd className="tabular truncate text-xs text-slate-500 dark:text-slate-400">{detail}</dd> : null}
    </div>
  );
}

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
  const loadingTitle = metadata?.status === "loading";
  const title = metadata?.status === "ready" ? metadata.metadata.title : UNTITLED;
  const description =
    metadata?.status === "ready"
      ? metadata.metadata.description
      : metadata?.status === "missing"
        ? "The description could not be loaded from IPFS."
        : c.metadataCid
          ? undefined
          : "The organizer published no description.";
  const left = blocksLeft(c.stage, c.deadlines, currentBlock);
  const end = stageEndBlock(c.stage, c.deadlines);
  const total = evaluationPoints(c);
  const titleId = `competition-${c.address}`;
  return (
    <li className="group relative flex flex-col rounded-2xl border border-slate-200 bg-white p-5 shadow-sm transition hover:-translate-y-0.5 hover:border-indigo-300 hover:shadow-md focus-within:ring-2 focus-within:ring-indigo-500 dark:border-slate-800 dark:bg-slate-900 dark:hover:border-indigo-500/50">
      <article aria-labelledby={titleId} className="flex flex-1 flex-col" data-testid="competition-card" data-address={c.address}>
        <div className="flex flex-wrap items-center gap-2">
          <ProtocolBadge />
          <StageBadge stage={c.stage} />
        </div>
        <h3 id={titleId} className="mt-3 text-base font-semibold leading-snug text-slate-900 dark:text-white">
          <Link href={`/competitions/${c.address}`} className="outline-none after:absolute after:inset-0 after:rounded-2xl after:content-['']">
            {loadingTitle ? (
              <>
                <span className="sr-only">Loading the title of {c.address}</span>
                <Skeleton className="h-5 w-3/4" />
              </>
            ) : (
              title
            )}
          </Link>
        </h3>
        {title === UNTITLED && !loadingTitle ? <p className="mt-0.5 font-mono text-xs text-slate-500 dark:text-slate-400">{c.address}</p> : null}
        {description === undefined ? (
          <div className="mt-2 space-y-1.5" aria-hidden>
            <Skeleton className="h-3.5 w-full" />
            <Skeleton className="h-3.5 w-2/3" />
          </div>
        ) : (
          <p className="mt-2 line-clamp-2 text-sm text-slate-600 dark:text-slate-400">{description}</p>
        )}
        <dl className="mt-4 grid grid-cols-2 gap-x-4 gap-y-3 border-t border-slate-100 pt-4 dark:border-slate-800">
          <Stat
            icon={<CoinsIcon />}
            label="Prize pool"
            value={formatEth(prizePool(c))}
            detail={c.totalDonations > 0n ? `incl. ${formatEth(c.totalDonations)} donated` : "reward escrowed"}
          />
          <Stat
            icon={<ClockIcon />}
            label="Stage ends"
            value={left === undefined ? "—" : left === 0n ? "with the next block" : `in ${formatBlocks(left)}`}
            detail={
              left === undefined ? (
                "no deadline"
              ) : (
                <span title={`Block #${end?.toString()} ${describeBlockTime(blockTime)}`}>
                  {formatDuration(Number(left) * blockTime.seconds)} · block #{formatNumber(end ?? 0n)}
                </span>
              )
            }
          />
          <Stat icon={<UsersIcon />} label="Submissions" value={formatNumber(c.submissionCount)} />
          <Stat
            icon={<TrophyIcon />}
            label="Best score"
            value={c.best.exists && total > 0 ? `${formatNumber(c.best.correct)} / ${formatNumber(total)}` : "—"}
            detail={c.best.exists && total > 0 ? formatPercent(c.best.correct, total) : c.submissionCount > 0 ? "not evaluated yet" : "no submissions"}
          />
        </dl>
        <p className="mt-4 text-xs text-slate-500 first-letter:uppercase dark:text-slate-400">{STAGE_DESCRIPTIONS[c.stage]}.</p>
        <p className="mt-auto pt-3 text-xs text-slate-500 dark:text-slate-400">
          Organizer <AddressText address={c.organizer} /> <span className="sr-only">({shortAddress(c.address)})</span>
        </p>
      </article>
    </li>
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

"use client";

import Link from "next/link";
import type { ProblemSummary } from "@/lib/chain/daimonReads";
import { PHASE_DESCRIPTIONS, UNTITLED_PROBLEM, formatAccuracy, formatDistance, improvementBlockCount, problemSchedule } from "@/lib/web/daimon";
import { formatBlocks, formatDuration, formatNumber, shortAddress } from "@/lib/web/format";
import { PhaseBadge, ProtocolBadge } from "@/components/ui/Badge";
import { Skeleton } from "@/components/ui/Skeleton";
import { AddressText } from "@/components/ui/Address";
import { ClockIcon, CoinsIcon, TrophyIcon, UsersIcon } from "@/components/ui/Icons";
import { describeBlockTime, type BlockTime } from "@/components/hooks/useBlockTime";
import type { ProblemMetadataStatus } from "./useMarketplace";

function Stat({ icon, label, value, detail, testId }: { icon: React.ReactNode; label: string; value: React.ReactNode; detail?: React.ReactNode; testId?: string }) {
  return (
    <div className="min-w-0">
      <dt className="flex items-center gap-1.5 text-xs font-medium text-slate-500 dark:text-slate-400">
        <span className="text-slate-400 dark:text-slate-500">{icon}</span>
        {label}
      </dt>
      <dd className="tabular mt-1 truncate text-sm font-semibold text-slate-900 dark:text-slate-100" data-testid={testId}>
        {value}
      </dd>
      {detail ? <dd className="tabular truncate text-xs text-slate-500 dark:text-slate-400">{detail}</dd> : null}
    </div>
  );
}

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
  const loadingTitle = metadata?.status === "loading";
  const title = metadata?.status === "ready" ? metadata.metadata.title : UNTITLED_PROBLEM;
  const description =
    metadata?.status === "ready"
      ? metadata.metadata.description
      : metadata?.status === "missing"
        ? "The description could not be loaded from IPFS."
        : p.spec.metadataCid
          ? undefined
          : "The creator published no description.";
  const schedule = problemSchedule(p, currentBlock);
  const blocks = improvementBlockCount(p.chainLength);
  const titleId = `problem-${p.address}`;
  const left = schedule.blocksLeft;
  return (
    <li className="group relative flex flex-col rounded-2xl border border-slate-200 bg-white p-5 shadow-sm transition hover:-translate-y-0.5 hover:border-indigo-300 hover:shadow-md focus-within:ring-2 focus-within:ring-indigo-500 dark:border-slate-800 dark:bg-slate-900 dark:hover:border-indigo-500/50">
      <article aria-labelledby={titleId} className="flex flex-1 flex-col" data-testid="problem-card" data-address={p.address}>
        <div className="flex flex-wrap items-center gap-2">
          <ProtocolBadge protocol="daimon" />
          <PhaseBadge phase={schedule.phase} round={schedule.round} />
        </div>
        <h3 id={titleId} className="mt-3 text-base font-semibold leading-snug text-slate-900 dark:text-white">
          <Link href={`/problems/${p.address}`} className="outline-none after:absolute after:inset-0 after:rounded-2xl after:content-['']">
            {loadingTitle ? (
              <>
                <span className="sr-only">Loading the title of {p.address}</span>
                <Skeleton className="h-5 w-3/4" />
              </>
            ) : (
              title
            )}
          </Link>
        </h3>
        {title === UNTITLED_PROBLEM && !loadingTitle ? <p className="mt-0.5 font-mono text-xs text-slate-500 dark:text-slate-400">{p.address}</p> : null}
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
            icon={<ClockIcon />}
            label={schedule.phase === "Definition" ? "Definition ends" : "Round ends"}
            testId="problem-blocks-left"
            value={left === undefined ? "—" : left === 0n ? "with the next block" : `in ${formatBlocks(left)}`}
            detail={
              left === undefined || !schedule.window ? (
                "no rounds"
              ) : (
                <span title={`Block #${schedule.window.end.toString()} ${describeBlockTime(blockTime)}`}>
                  {formatDuration(Number(left) * blockTime.seconds)} · block #{formatNumber(schedule.window.end)}
                </span>
              )
            }
          />
          <Stat icon={<CoinsIcon />} label="Token" value={p.spec.symbol} detail={p.spec.name} testId="problem-token" />
          <Stat
            icon={<UsersIcon />}
            label="Improvement blocks"
            value={formatNumber(blocks)}
            detail={`${formatNumber(p.proofCount)} proof${p.proofCount === 1 ? "" : "s"} · ${p.tupleCount} tuple${p.tupleCount === 1 ? "" : "s"}`}
            testId="problem-improvements"
          />
          <Stat
            icon={<TrophyIcon />}
            label="Best distance"
            value={blocks > 0 ? formatDistance(p.bestDistance) : "—"}
            detail={blocks > 0 ? `≈ ${formatAccuracy(p.bestDistance)} estimated accuracy` : "no improvement yet"}
            testId="problem-best-distance"
          />
        </dl>
        <p className="mt-4 text-xs text-slate-500 first-letter:uppercase dark:text-slate-400">{PHASE_DESCRIPTIONS[schedule.phase]}.</p>
        <p className="mt-auto pt-3 text-xs text-slate-500 dark:text-slate-400">
          Created by <AddressText address={p.creator} /> <span className="sr-only">({shortAddress(p.address)})</span>
        </p>
      </article>
    </li>
  );
}

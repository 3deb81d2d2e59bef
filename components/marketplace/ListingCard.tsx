"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { formatBlocks, formatDuration, formatNumber, shortAddress } from "@/lib/web/format";
import { Skeleton } from "@/components/ui/Skeleton";
import { AddressText } from "@/components/ui/Address";
import { ClockIcon } from "@/components/ui/Icons";
import { describeBlockTime, type BlockTime } from "@/components/hooks/useBlockTime";
import type { DocumentStatus } from "./useMarketplace";

/** One figure of a card. */
export function CardStat({ icon, label, value, detail, testId }: { icon: ReactNode; label: string; value: ReactNode; detail?: ReactNode; testId?: string }) {
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

/** When the current stage or round ends: blocks left, and a time estimate at the observed block time. */
export function EndsStat({ label, left, end, blockTime, none, testId }: { label: string; left?: bigint; end?: bigint; blockTime: BlockTime; none: string; testId?: string }) {
  return (
    <CardStat
      icon={<ClockIcon />}
      label={label}
      testId={testId}
      value={left === undefined ? "—" : left === 0n ? "with the next block" : `in ${formatBlocks(left)}`}
      detail={
        left === undefined || end === undefined ? (
          none
        ) : (
          <span title={`Block #${end.toString()} ${describeBlockTime(blockTime)}`}>
            {formatDuration(Number(left) * blockTime.seconds)} · block #{formatNumber(end)}
          </span>
        )
      }
    />
  );
}

/**
 * The frame every marketplace card shares (a DanKu competition, a DaiMoN problem): badges, the title linking to
 * its page (the whole card is the link's target), the description from its metadata with loading and missing
 * states, four figures, a one-line state and who created it.
 */
export function ListingCard(props: {
  kind: "competition" | "problem";
  address: `0x${string}`;
  href: string;
  badges: ReactNode;
  metadata: DocumentStatus<{ title: string; description: string }> | undefined;
  /** Whether the item names a metadata document at all. */
  hasMetadata: boolean;
  untitled: string;
  /** What to say when the creator published no metadata. */
  noDescription: string;
  stats: ReactNode;
  state: string;
  creatorLabel: string;
  creator: `0x${string}`;
}) {
  const { metadata, address } = props;
  const loadingTitle = metadata?.status === "loading";
  const title = metadata?.status === "ready" ? metadata.metadata.title : props.untitled;
  const description =
    metadata?.status === "ready"
      ? metadata.metadata.description
      : metadata?.status === "missing"
        ? "The description could not be loaded from IPFS."
        : props.hasMetadata
          ? undefined
          : props.noDescription;
  const titleId = `${props.kind}-${address}`;
  return (
    <li className="group relative flex flex-col rounded-2xl border border-slate-200 bg-white p-5 shadow-sm transition hover:-translate-y-0.5 hover:border-indigo-300 hover:shadow-md focus-within:ring-2 focus-within:ring-indigo-500 dark:border-slate-800 dark:bg-slate-900 dark:hover:border-indigo-500/50">
      <article aria-labelledby={titleId} className="flex flex-1 flex-col" data-testid={`${props.kind}-card`} data-address={address}>
        <div className="flex flex-wrap items-center gap-2">{props.badges}</div>
        <h3 id={titleId} className="mt-3 text-base font-semibold leading-snug text-slate-900 dark:text-white">
          <Link href={props.href} className="outline-none after:absolute after:inset-0 after:rounded-2xl after:content-['']">
            {loadingTitle ? (
              <>
                <span className="sr-only">Loading the title of {address}</span>
                <Skeleton className="h-5 w-3/4" />
              </>
            ) : (
              title
            )}
          </Link>
        </h3>
        {title === props.untitled && !loadingTitle ? <p className="mt-0.5 font-mono text-xs text-slate-500 dark:text-slate-400">{address}</p> : null}
        {description === undefined ? (
          <div className="mt-2 space-y-1.5" aria-hidden>
            <Skeleton className="h-3.5 w-full" />
            <Skeleton className="h-3.5 w-2/3" />
          </div>
        ) : (
          <p className="mt-2 line-clamp-2 text-sm text-slate-600 dark:text-slate-400">{description}</p>
        )}
        <dl className="mt-4 grid grid-cols-2 gap-x-4 gap-y-3 border-t border-slate-100 pt-4 dark:border-slate-800">{props.stats}</dl>
        <p className="mt-4 text-xs text-slate-500 first-letter:uppercase dark:text-slate-400">{props.state}.</p>
        <p className="mt-auto pt-3 text-xs text-slate-500 dark:text-slate-400">
          {props.creatorLabel} <AddressText address={props.creator} /> <span className="sr-only">({shortAddress(address)})</span>
        </p>
      </article>
    </li>
  );
}

"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { parseEther } from "viem";
import { useAccount } from "wagmi";
import { DEFAULT_FILTERS, filterAndSortListing, listingAddress, prizePool, type ListingItem, type MarketplaceFilters as Filters } from "@/lib/web/marketplace";
import { formatEth, formatNumber } from "@/lib/web/format";
import { useAppConfig } from "@/components/providers/AppConfigContext";
import { useBlockTime } from "@/components/hooks/useBlockTime";
import { buttonPrimary, buttonSecondary, card } from "@/components/ui/styles";
import { PlugIcon, RefreshIcon, SearchIcon, SpinnerIcon } from "@/components/ui/Icons";
import { CompetitionCard, CompetitionCardSkeleton } from "./CompetitionCard";
import { MarketplaceFilters, type RewardInputs } from "./MarketplaceFilters";
import { ProblemCard } from "./ProblemCard";
import { useEnteredCompetitions, useEnteredProblems, useMarketplace, useMetadataMap, useProblemListing, useProblemMetadataMap } from "./useMarketplace";
import { describeReadError } from "@/lib/web/readErrors";
import type { MarketplaceSnapshot } from "@/lib/web/listingSnapshot";

const PAGE_SIZE = 24;

function parseEthInput(text: string): { value?: bigint; error?: string } {
  const trimmed = text.trim();
  if (trimmed === "") return {};
  if (!/^\d*\.?\d*$/.test(trimmed) || trimmed === ".") return { error: `"${trimmed}" is not an amount in ETH.` };
  try {
    return { value: parseEther(trimmed) };
  } catch {
    return { error: `"${trimmed}" is not an amount in ETH.` };
  }
}

/** `initial`: the server's snapshot of the listing (lib/web/listingSnapshot.ts), when it had one. */
export function Marketplace({ initial }: { initial?: MarketplaceSnapshot }) {
  const config = useAppConfig();
  const { address, isConnected } = useAccount();
  const blockTime = useBlockTime(initial?.observedBlockTime);
  const dankuMarket = useMarketplace(initial?.competitions);
  const problemMarket = useProblemListing(initial?.problems);
  const [filters, setFilters] = useState<Filters>(DEFAULT_FILTERS);
  const [reward, setReward] = useState<RewardInputs>({ min: "", max: "" });
  const [shown, setShown] = useState(PAGE_SIZE);
  const entered = useEnteredCompetitions(filters.mine);

  const summaries = useMemo(() => dankuMarket.data?.summaries ?? [], [dankuMarket.data]);
  const problems = useMemo(() => problemMarket.data?.summaries ?? [], [problemMarket.data]);
  const problemAddresses = useMemo(() => problems.map((p) => p.address), [problems]);
  const enteredProblems = useEnteredProblems(filters.mine, problemAddresses);
  const cids = useMemo(() => summaries.map((s) => s.metadataCid), [summaries]);
  const metadata = useMetadataMap(cids, initial?.competitionMetadata);
  const problemCids = useMemo(() => problems.map((p) => p.spec.metadataCid), [problems]);
  const problemMetadata = useProblemMetadataMap(problemCids, initial?.problemMetadata);
  const titles = useMemo(() => {
    const map = new Map<string, string>();
    for (const s of summaries) {
      const m = metadata.get(s.metadataCid);
      if (m?.status === "ready") map.set(s.address.toLowerCase(), m.metadata.title);
    }
    for (const p of problems) {
      const m = problemMetadata.get(p.spec.metadataCid);
      if (m?.status === "ready") map.set(p.address.toLowerCase(), m.metadata.title);
    }
    return map;
  }, [summaries, metadata, problems, problemMetadata]);
  const problemBlock = problemMarket.data?.blockNumber ?? 0n;
  const items = useMemo<ListingItem[]>(
    () => [
      ...summaries.map((competition): ListingItem => ({ protocol: "danku", competition })),
      ...problems.map((problem): ListingItem => ({ protocol: "daimon", problem, blockNumber: problemBlock })),
    ],
    [summaries, problems, problemBlock],
  );
  const allEntered = useMemo(() => new Set([...(entered.data ?? []), ...(enteredProblems.data ?? [])]), [entered.data, enteredProblems.data]);
  // One state for both lists: loading until every configured factory answered (or failed) once; what answered is
  // shown, with the "stopped answering" notice when the other failed.
  const configured = !!config.factory || !!config.problemFactory;
  const settled = (!config.factory || !!dankuMarket.data || dankuMarket.isError) && (!config.problemFactory || !!problemMarket.data || problemMarket.isError);
  const loaded = settled && (!!dankuMarket.data || !!problemMarket.data);
  const failing = (config.factory && dankuMarket.isError ? dankuMarket : undefined) ?? (config.problemFactory && problemMarket.isError ? problemMarket : undefined);
  // "Live" only once the browser's own node has answered: until then the list is the server's snapshot.
  const confirmed = (!config.factory || dankuMarket.dataUpdatedAt > 0) && (!config.problemFactory || problemMarket.dataUpdatedAt > 0);
  const market = {
    data: loaded ? { blockNumber: dankuMarket.data?.blockNumber ?? problemBlock, failed: [...(dankuMarket.data?.failed ?? []), ...(problemMarket.data?.failed ?? [])] } : undefined,
    isPending: !settled,
    isFetching: dankuMarket.isFetching || problemMarket.isFetching,
    isError: !!failing,
    error: failing?.error,
    refetch: () => Promise.all([config.factory ? dankuMarket.refetch() : undefined, config.problemFactory ? problemMarket.refetch() : undefined]),
  };

  const min = parseEthInput(reward.min);
  const max = parseEthInput(reward.max);
  const rewardErrors = {
    min: min.error,
    max: max.error ?? (min.value !== undefined && max.value !== undefined && max.value < min.value ? "The maximum is below the minimum." : undefined),
  };
  const effective: Filters = { ...filters, minReward: min.value, maxReward: max.value, mine: filters.mine && isConnected };
  // Cheap enough to recompute on every render, even for thousands of competitions.
  const visible = filterAndSortListing(items, effective, { titles, account: address, entered: allEntered });

  const open = summaries.filter((s) => s.stage === "Submission").length + problems.filter((p) => p.phase !== "Dead").length;
  const pool = summaries.reduce((sum, s) => sum + prizePool(s), 0n);
  const filtersActive = JSON.stringify({ ...filters, sort: "newest" }) !== JSON.stringify({ ...DEFAULT_FILTERS, sort: "newest" }) || reward.min !== "" || reward.max !== "";

  return (
    <div>
      <section aria-labelledby="marketplace-title" className="flex flex-col gap-6 lg:flex-row lg:items-end lg:justify-between">
        <div className="max-w-2xl">
          <p className="text-sm font-semibold text-indigo-600 dark:text-indigo-400">Marketplace</p>
          <h1 id="marketplace-title" className="mt-1 text-3xl font-bold tracking-tight text-slate-900 sm:text-4xl dark:text-white">
            Machine-learning competitions, judged by the chain
          </h1>
          <p className="mt-3 text-base text-slate-600 dark:text-slate-300">
            Organizers escrow a reward and commit their data; the contract draws the train/test split, evaluates every revealed model and pays the
            best one. No judges, no trust required.
          </p>
        </div>
        <dl className="grid grid-cols-2 gap-3 text-center sm:grid-cols-4 sm:gap-4" aria-label="Marketplace totals">
          {[
            { label: "Competitions", value: market.data ? formatNumber(summaries.length) : "–" },
            { label: "Problems", value: market.data ? formatNumber(problems.length) : "–" },
            { label: "Open now", value: market.data ? formatNumber(open) : "–" },
            { label: "Prize pools", value: market.data ? formatEth(pool, { decimals: 2 }) : "–" },
          ].map((s) => (
            <div key={s.label} className={`${card} px-4 py-3`}>
              <dt className="text-xs font-medium text-slate-500 dark:text-slate-400">{s.label}</dt>
              <dd className="tabular mt-1 whitespace-nowrap text-lg font-semibold">{s.value}</dd>
            </div>
          ))}
        </dl>
      </section>

      <div className="mt-8">
        <MarketplaceFilters
          filters={filters}
          onChange={(next) => {
            setFilters(next);
            setShown(PAGE_SIZE);
          }}
          reward={reward}
          onRewardChange={(next) => {
            setReward(next);
            setShown(PAGE_SIZE);
          }}
          rewardErrors={rewardErrors}
          connected={isConnected}
        />
      </div>

      <section aria-labelledby="results-title" className="mt-6" aria-busy={market.isPending || market.isFetching}>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="results-title" className="text-sm font-medium text-slate-600 dark:text-slate-300" aria-live="polite">
            {market.data ? describeCount(visible.length, summaries.length, problems.length) : "Competitions"}
          </h2>
          {market.data ? (
            <p className="flex items-center gap-2 text-xs text-slate-500 dark:text-slate-400">
              <span className="relative flex size-2" aria-hidden>
                <span className={`absolute inline-flex size-full rounded-full ${market.isError ? "bg-rose-400" : confirmed ? "animate-ping bg-emerald-400 opacity-60" : "bg-slate-300"}`} />
                <span className={`relative inline-flex size-2 rounded-full ${market.isError ? "bg-rose-500" : confirmed ? "bg-emerald-500" : "bg-slate-400"}`} />
              </span>
              {market.isError ? "Updates paused" : confirmed ? "Live" : "Server snapshot, checking the chain…"} · block #{formatNumber(market.data.blockNumber)}
              {market.data.failed.length > 0 ? ` · ${market.data.failed.length} could not be read` : ""}
            </p>
          ) : null}
        </div>

        {!configured ? (
          <StateCard icon={<PlugIcon />} title="No marketplace contract is configured" testId="marketplace-unconfigured">
            This server does not know a CompetitionFactory on {config.chainName} (chain {config.chainId}). Set <code>MODELBOUNTY_FACTORY</code> or
            deploy one with <code>npm run deploy:local</code>, then reload.
          </StateCard>
        ) : market.isError && !market.data ? (
          <RpcDownState error={market.error} rpcUrl={config.rpcUrl} retrying={market.isFetching} onRetry={() => void market.refetch()} />
        ) : market.isPending ? (
          <>
            <p className="sr-only" role="status">
              Loading competitions…
            </p>
            <ul className="mt-4 grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-3">
              {Array.from({ length: 6 }, (_, i) => (
                <CompetitionCardSkeleton key={i} />
              ))}
            </ul>
          </>
        ) : items.length === 0 ? (
          <StateCard icon={<SearchIcon />} title="No competitions yet" testId="marketplace-empty">
            Be the first: escrow a reward, commit your dataset and let the chain find the best model.
            <div className="mt-4">
              <Link href="/competitions/new" className={buttonPrimary}>
                Create a competition
              </Link>
            </div>
          </StateCard>
        ) : visible.length === 0 ? (
          <StateCard icon={<SearchIcon />} title="No competitions match these filters" testId="marketplace-no-match">
            Try another stage or prize range, or clear the search.
            <div className="mt-4">
              <button
                type="button"
                className={buttonSecondary}
                onClick={() => {
                  setFilters(DEFAULT_FILTERS);
                  setReward({ min: "", max: "" });
                }}
              >
                Clear filters
              </button>
            </div>
          </StateCard>
        ) : (
          <>
            {market.isError ? (
              <StaleListingNotice
                error={market.error}
                rpcUrl={config.rpcUrl}
                blockNumber={market.data?.blockNumber ?? 0n}
                fromServer={!confirmed}
                retrying={market.isFetching}
                onRetry={() => void market.refetch()}
              />
            ) : null}
            <ul className="mt-4 grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-3" aria-label="Competitions">
              {visible.slice(0, shown).map((item) =>
                item.protocol === "danku" ? (
                  <CompetitionCard
                    key={listingAddress(item)}
                    competition={item.competition}
                    metadata={metadata.get(item.competition.metadataCid)}
                    currentBlock={dankuMarket.data?.blockNumber ?? 0n}
                    blockTime={blockTime}
                  />
                ) : (
                  <ProblemCard key={listingAddress(item)} problem={item.problem} metadata={problemMetadata.get(item.problem.spec.metadataCid)} currentBlock={item.blockNumber} blockTime={blockTime} />
                ),
              )}
            </ul>
            {visible.length > shown ? (
              <div className="mt-6 flex justify-center">
                <button type="button" className={buttonSecondary} onClick={() => setShown((n) => n + PAGE_SIZE)}>
                  Show more ({formatNumber(visible.length - shown)} left)
                </button>
              </div>
            ) : null}
          </>
        )}
        {filtersActive && filters.mine && entered.isPending && isConnected ? (
          <p className="mt-2 flex items-center gap-2 text-xs text-slate-500">
            <SpinnerIcon /> Looking up your submissions…
          </p>
        ) : null}
      </section>
    </div>
  );
}

function plural(n: number, one: string, many: string): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

/** "3 competitions · 1 problem", or "2 of 4 listed match". */
function describeCount(visible: number, competitions: number, problems: number): string {
  const total = competitions + problems;
  if (visible !== total) return `${formatNumber(visible)} of ${formatNumber(total)} ${problems === 0 ? "competitions" : "listed"} match`;
  if (problems === 0) return plural(competitions, "competition", "competitions");
  if (competitions === 0) return plural(problems, "problem", "problems");
  return `${plural(competitions, "competition", "competitions")} · ${plural(problems, "problem", "problems")}`;
}

function StateCard({ icon, title, children, testId }: { icon: React.ReactNode; title: string; children: React.ReactNode; testId: string }) {
  return (
    <div className={`${card} mt-4 flex flex-col items-center px-6 py-12 text-center`} data-testid={testId}>
      <span className="grid size-12 place-items-center rounded-full bg-slate-100 text-2xl text-slate-500 dark:bg-slate-800 dark:text-slate-300">{icon}</span>
      <h3 className="mt-4 text-lg font-semibold">{title}</h3>
      <div className="mt-2 max-w-md text-sm text-slate-600 dark:text-slate-400">{children}</div>
    </div>
  );
}

/** The list is shown, but this browser cannot reach the chain: why, what is shown, and a retry. */
function StaleListingNotice(props: { error: unknown; rpcUrl: string; blockNumber: bigint; fromServer: boolean; retrying: boolean; onRetry: () => void }) {
  const described = describeReadError(props.error, props.rpcUrl);
  return (
    <div
      role="alert"
      data-testid="listing-stale"
      className="mt-4 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-200"
    >
      <p>
        <span className="font-semibold">{described.title}.</span>{" "}
        {props.fromServer
          ? `Showing the list as this app's server read it at block #${formatNumber(props.blockNumber)}; your browser cannot check it or follow new blocks.`
          : `Showing the state of block #${formatNumber(props.blockNumber)}; new blocks are not followed.`}{" "}
        <button type="button" className="font-semibold underline disabled:opacity-60" disabled={props.retrying} onClick={props.onRetry}>
          {props.retrying ? "Retrying…" : "Retry"}
        </button>
      </p>
      <p className="mt-1 text-xs">{described.body}</p>
    </div>
  );
}

export function RpcDownState({ error, rpcUrl, onRetry, retrying }: { error: unknown; rpcUrl: string; onRetry: () => void; retrying: boolean }) {
  const described = describeReadError(error, rpcUrl);
  return (
    <div role="alert" className={`${card} mt-4 flex flex-col items-center border-rose-200 px-6 py-12 text-center dark:border-rose-500/30`} data-testid="rpc-error">
      <span className="grid size-12 place-items-center rounded-full bg-rose-50 text-2xl text-rose-600 dark:bg-rose-500/10 dark:text-rose-400">
        <PlugIcon />
      </span>
      <h3 className="mt-4 text-lg font-semibold">{described.title}</h3>
      <p className="mt-2 max-w-lg text-sm text-slate-600 dark:text-slate-400">{described.body}</p>
      {described.detail ? <p className="mt-2 max-w-lg break-words font-mono text-xs text-slate-500">{described.detail}</p> : null}
      <button type="button" onClick={onRetry} disabled={retrying} className={`${buttonPrimary} mt-5`}>
        {retrying ? <SpinnerIcon /> : <RefreshIcon />}
        {retrying ? "Retrying…" : "Retry"}
      </button>
    </div>
  );
}

"use client";

import { useId } from "react";
import { STAGES } from "@/lib/chain/danku";
import { STAGE_TITLES } from "@/lib/web/stages";
import { PHASES } from "@/lib/chain/daimon";
import { PHASE_TITLES } from "@/lib/web/daimon";
import type { MarketplaceFilters as Filters, ProtocolFilter, SortOrder, StageFilter } from "@/lib/web/marketplace";
import { fieldBase, labelBase } from "@/components/ui/styles";
import { SearchIcon } from "@/components/ui/Icons";

export interface RewardInputs {
  min: string;
  max: string;
}

export function MarketplaceFilters({
  filters,
  onChange,
  reward,
  onRewardChange,
  rewardErrors,
  connected,
}: {
  filters: Filters;
  onChange: (next: Filters) => void;
  reward: RewardInputs;
  onRewardChange: (next: RewardInputs) => void;
  rewardErrors: { min?: string; max?: string };
  connected: boolean;
}) {
  const id = useId();
  return (
    <form role="search" aria-label="Filter competitions and problems" onSubmit={(e) => e.preventDefault()} className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-12">
        <div className="sm:col-span-2 lg:col-span-4">
          <label htmlFor={`${id}-search`} className={labelBase}>
            Search
          </label>
          <div className="relative mt-1">
            <SearchIcon className="pointer-events-none absolute left-3 top-1/2 -translate-y-1/2 text-slate-400" />
            <input
              id={`${id}-search`}
              type="search"
              placeholder="Title, address or token"
              value={filters.search}
              onChange={(e) => onChange({ ...filters, search: e.target.value })}
              className={`${fieldBase} pl-9`}
            />
          </div>
        </div>
        <div className="lg:col-span-2">
          <label htmlFor={`${id}-stage`} className={labelBase}>
            Stage
          </label>
          <select id={`${id}-stage`} value={filters.stage} onChange={(e) => onChange({ ...filters, stage: e.target.value as StageFilter })} className={`${fieldBase} mt-1`}>
            <option value="any">Any stage</option>
            <option value="active">Active (not finished)</option>
            <optgroup label="DanKu stages">
              {STAGES.map((stage) => (
                <option key={stage} value={stage}>
                  {STAGE_TITLES[stage]}
                </option>
              ))}
            </optgroup>
            <optgroup label="DaiMoN phases">
              {PHASES.map((phase) => (
                <option key={phase} value={phase}>
                  {PHASE_TITLES[phase]}
                </option>
              ))}
            </optgroup>
          </select>
        </div>
        <div className="lg:col-span-2">
          <label htmlFor={`${id}-protocol`} className={labelBase}>
            Protocol
          </label>
          <select id={`${id}-protocol`} value={filters.protocol} onChange={(e) => onChange({ ...filters, protocol: e.target.value as ProtocolFilter })} className={`${fieldBase} mt-1`}>
            <option value="any">Any protocol</option>
            <option value="danku">DanKu</option>
            <option value="daimon">DaiMoN</option>
          </select>
        </div>
        <fieldset className="lg:col-span-2">
          <legend className={labelBase}>Prize pool (ETH)</legend>
          <div className="mt-1 flex items-center gap-1.5">
            <input
              aria-label="Minimum prize pool in ETH"
              inputMode="decimal"
              placeholder="min"
              value={reward.min}
              onChange={(e) => onRewardChange({ ...reward, min: e.target.value })}
              aria-invalid={rewardErrors.min ? true : undefined}
              aria-describedby={rewardErrors.min || rewardErrors.max ? `${id}-reward-error` : undefined}
              className={`${fieldBase} min-w-0 aria-[invalid]:border-rose-400`}
            />
            <span aria-hidden className="text-slate-400">
              –
            </span>
            <input
              aria-label="Maximum prize pool in ETH"
              inputMode="decimal"
              placeholder="max"
              value={reward.max}
              onChange={(e) => onRewardChange({ ...reward, max: e.target.value })}
              aria-invalid={rewardErrors.max ? true : undefined}
              aria-describedby={rewardErrors.min || rewardErrors.max ? `${id}-reward-error` : undefined}
              className={`${fieldBase} min-w-0 aria-[invalid]:border-rose-400`}
            />
          </div>
          {rewardErrors.min || rewardErrors.max ? (
            <p id={`${id}-reward-error`} className="mt-1 text-xs text-rose-600 dark:text-rose-400">
              {rewardErrors.min ?? rewardErrors.max}
            </p>
          ) : null}
        </fieldset>
        <div className="lg:col-span-2">
          <label htmlFor={`${id}-sort`} className={labelBase}>
            Sort by
          </label>
          <select id={`${id}-sort`} value={filters.sort} onChange={(e) => onChange({ ...filters, sort: e.target.value as SortOrder })} className={`${fieldBase} mt-1`}>
            <option value="newest">Newest</option>
            <option value="reward">Highest prize pool</option>
            <option value="deadline">Stage or round ending soonest</option>
          </select>
        </div>
      </div>
      <div className="mt-3 flex items-center gap-2">
        <input
          id={`${id}-mine`}
          type="checkbox"
          checked={filters.mine}
          disabled={!connected}
          onChange={(e) => onChange({ ...filters, mine: e.target.checked })}
          className="size-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-500 disabled:opacity-50"
          aria-describedby={`${id}-mine-hint`}
        />
        <label htmlFor={`${id}-mine`} className="text-sm font-medium text-slate-700 dark:text-slate-200">
          Mine only
        </label>
        <span id={`${id}-mine-hint`} className="text-xs text-slate-500 dark:text-slate-400">
          {connected ? "competitions you organize or entered, problems you created, proved or voted on" : "connect a wallet to filter by your competitions and problems"}
        </span>
      </div>
    </form>
  );
}

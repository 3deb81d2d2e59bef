/**
 * The marketplace's filters and sort orders as plain functions over competition summaries (unit-tested in
 * test/web), so the page component only wires state to them.
 */
import type { Address } from "viem";
import type { CompetitionSummary, StageName } from "../chain/danku";
import { FINISHED_STAGES, stageEndBlock } from "./stages";

export type StageFilter = "any" | "active" | StageName;
export type ProtocolFilter = "any" | "danku";
export type SortOrder = "reward" | "deadline" | "newest";

export interface MarketplaceFilters {
  search: string;
  stage: StageFilter;
  protocol: ProtocolFilter;
  /** Total prize (reward + donations) bounds in wei; undefined = open. */
  minReward?: bigint;
  maxReward?: bigint;
  /** Only competitions the connected account organizes or entered. */
  mine: boolean;
  sort: SortOrder;
}

export const DEFAULT_FILTERS: MarketplaceFilters = { search: "", stage: "any", protocol: "any", mine: false, sort: "newest" };

export interface FilterContext {
  /** Title per competition address (lower-case key), when its metadata has loaded. */
  titles: ReadonlyMap<string, string>;
  account?: Address;
  /** Competitions the account committed a model to (lower-case addresses). */
  entered?: ReadonlySet<string>;
}

export function prizePool(c: Pick<CompetitionSummary, "reward" | "totalDonations">): bigint {
  return c.reward + c.totalDonations;
}

export function matchesFilters(c: CompetitionSummary, filters: MarketplaceFilters, context: FilterContext): boolean {
  const key = c.address.toLowerCase();
  const query = filters.search.trim().toLowerCase();
  if (query) {
    const title = context.titles.get(key)?.toLowerCase() ?? "";
    if (!title.includes(query) && !key.includes(query)) return false;
  }
  if (filters.stage === "active" && FINISHED_STAGES.includes(c.stage)) return false;
  if (filters.stage !== "any" && filters.stage !== "active" && c.stage !== filters.stage) return false;
  // Every competition today is DanKu; DaiMoN competitions will carry their own protocol tag.
  if (filters.protocol !== "any" && filters.protocol !== "danku") return false;
  const pool = prizePool(c);
  if (filters.minReward !== undefined && pool < filters.minReward) return false;
  if (filters.maxReward !== undefined && pool > filters.maxReward) return false;
  if (filters.mine) {
    const account = context.account?.toLowerCase();
    if (!account) return false;
    if (c.organizer.toLowerCase() !== account && !context.entered?.has(key)) return false;
  }
  return true;
}

function compareBigint(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorted copy. "deadline": the soonest end of the current stage first; finished competitions last. */
export function sortCompetitions(list: readonly CompetitionSummary[], order: SortOrder): CompetitionSummary[] {
  const newest = (a: CompetitionSummary, b: CompetitionSummary) => compareBigint(b.blockNumber, a.blockNumber) || a.address.localeCompare(b.address);
  const copy = [...list];
  switch (order) {
    case "reward":
      return copy.sort((a, b) => compareBigint(prizePool(b), prizePool(a)) || newest(a, b));
    case "deadline":
      return copy.sort((a, b) => {
        const ea = stageEndBlock(a.stage, a.deadlines);
        const eb = stageEndBlock(b.stage, b.deadlines);
        if (ea === undefined && eb === undefined) return newest(a, b);
        if (ea === undefined) return 1;
        if (eb === undefined) return -1;
        return compareBigint(ea, eb) || newest(a, b);
      });
    case "newest":
      return copy.sort(newest);
  }
}

export function filterAndSort(list: readonly CompetitionSummary[], filters: MarketplaceFilters, context: FilterContext): CompetitionSummary[] {
  return sortCompetitions(list.filter((c) => matchesFilters(c, filters, context)), filters.sort);
}

/** Correct predictions over the points of the evaluation data (test data if fully revealed, else training). */
export function evaluationPoints(c: Pick<CompetitionSummary, "usesTestData" | "trainingPoints" | "testPoints">): number {
  return c.usesTestData ? c.testPoints : c.trainingPoints;
}

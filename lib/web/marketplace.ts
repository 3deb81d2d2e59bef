/**
 * The marketplace's filters and sort orders as plain functions over competition summaries (unit-tested in
 * test/web), so the page component only wires state to them. The listing holds DanKu competitions and DaiMoN
 * problems side by side ({@link ListingItem}); the same filters apply to both.
 */
import type { Address } from "viem";
import type { CompetitionSummary, StageName } from "../chain/danku";
import type { PhaseName } from "../chain/daimon";
import type { ProblemSummary } from "../chain/daimonReads";
import { problemSchedule } from "./daimon";
import { FINISHED_STAGES, stageEndBlock } from "./stages";

/** A DanKu stage, or a DaiMoN phase (the names differ, so one select holds both). */
export type StageFilter = "any" | "active" | StageName | PhaseName;
export type ProtocolFilter = "any" | "danku" | "daimon";
export type SortOrder = "reward" | "deadline" | "newest";

export const PROTOCOL_NAMES: Record<Exclude<ProtocolFilter, "any">, string> = { danku: "DanKu", daimon: "DaiMoN" };
const DAIMON_PHASES: readonly string[] = ["Definition", "Competition", "Dead"];

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
  /** Competitions the account committed a model to, problems it submitted a proof to or voted on (lower-case addresses). */
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
  if (filters.protocol === "daimon") return false;
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

// ------------------------------------------------------------------ competitions and problems together

/** One card of the listing: a DanKu competition or a DaiMoN problem (with the block its state was read at). */
export type ListingItem =
  | { protocol: "danku"; competition: CompetitionSummary }
  | { protocol: "daimon"; problem: ProblemSummary; blockNumber: bigint };

export function listingAddress(item: ListingItem): Address {
  return item.protocol === "danku" ? item.competition.address : item.problem.address;
}

export function problemMatchesFilters(p: ProblemSummary, filters: MarketplaceFilters, context: FilterContext): boolean {
  const key = p.address.toLowerCase();
  const query = filters.search.trim().toLowerCase();
  if (query) {
    const haystack = [context.titles.get(key) ?? "", key, p.spec.symbol, p.spec.name].join(" ").toLowerCase();
    if (!haystack.includes(query)) return false;
  }
  if (filters.stage === "active" && p.phase === "Dead") return false;
  if (filters.stage !== "any" && filters.stage !== "active" && filters.stage !== p.phase) return false;
  if (filters.protocol === "danku") return false;
  // Problems pay in their own tokens: their prize pool in ETH is 0.
  if (filters.minReward !== undefined && filters.minReward > 0n) return false;
  if (filters.maxReward !== undefined && filters.maxReward < 0n) return false;
  if (filters.mine) {
    const account = context.account?.toLowerCase();
    if (!account) return false;
    if (p.creator.toLowerCase() !== account && !context.entered?.has(key)) return false;
  }
  return true;
}

export function matchesListing(item: ListingItem, filters: MarketplaceFilters, context: FilterContext): boolean {
  return item.protocol === "danku" ? matchesFilters(item.competition, filters, context) : problemMatchesFilters(item.problem, filters, context);
}

/** Whether a stage filter value names a DaiMoN phase. */
export function isPhaseFilter(stage: StageFilter): stage is PhaseName {
  return DAIMON_PHASES.includes(stage);
}

function createdAt(item: ListingItem): bigint {
  return item.protocol === "danku" ? item.competition.blockNumber : item.problem.createdBlock;
}

function poolOf(item: ListingItem): bigint {
  return item.protocol === "danku" ? prizePool(item.competition) : 0n;
}

/** First block outside the current stage, phase or round; undefined when nothing ends (finished, dead). */
export function listingEndBlock(item: ListingItem): bigint | undefined {
  if (item.protocol === "danku") return stageEndBlock(item.competition.stage, item.competition.deadlines);
  return problemSchedule(item.problem, item.blockNumber).window?.end;
}

/** Sorted copy, with the orders of {@link sortCompetitions} over both kinds. */
export function sortListing(list: readonly ListingItem[], order: SortOrder): ListingItem[] {
  const newest = (a: ListingItem, b: ListingItem) => compareBigint(createdAt(b), createdAt(a)) || listingAddress(a).localeCompare(listingAddress(b));
  const copy = [...list];
  switch (order) {
    case "reward":
      return copy.sort((a, b) => compareBigint(poolOf(b), poolOf(a)) || newest(a, b));
    case "deadline":
      return copy.sort((a, b) => {
        const ea = listingEndBlock(a);
        const eb = listingEndBlock(b);
        if (ea === undefined && eb === undefined) return newest(a, b);
        if (ea === undefined) return 1;
        if (eb === undefined) return -1;
        return compareBigint(ea, eb) || newest(a, b);
      });
    case "newest":
      return copy.sort(newest);
  }
}

export function filterAndSortListing(list: readonly ListingItem[], filters: MarketplaceFilters, context: FilterContext): ListingItem[] {
  return sortListing(list.filter((item) => matchesListing(item, filters, context)), filters.sort);
}

/**
 * What the marketplace lists, defined once for the browser (components/marketplace/useMarketplace.ts) and the
 * server's snapshot (lib/web/listingSnapshot.ts): the competitions of the CompetitionFactory and the problems of the
 * ProblemFactory, each a {@link ListingSource} for lib/web/listing's incremental scan.
 */
import type { PublicClient } from "viem";
import { listCompetitions, readCompetitionSummaries, type CompetitionSummary, type ListedCompetition } from "../chain/danku";
import { listProblems, type ListedProblem } from "../chain/daimon";
import { readProblemSummaries, type ProblemSummary } from "../chain/daimonReads";
import { factoryBlock, problemFactoryBlock, type AppConfig } from "../config";
import type { Listing, ListingSource } from "./listing";

export type CompetitionListing = Listing<ListedCompetition, CompetitionSummary>;
export type ProblemListing = Listing<ListedProblem, ProblemSummary>;

/** DanKu competitions, or undefined when no CompetitionFactory is configured. */
export function competitionSource(client: PublicClient, config: AppConfig): ListingSource<ListedCompetition, CompetitionSummary> | undefined {
  const factory = config.factory;
  if (!factory) return undefined;
  return {
    firstBlock: factoryBlock(config),
    list: (fromBlock, toBlock) => listCompetitions(client, factory, { fromBlock, toBlock }),
    summarize: (listed, blockNumber) => readCompetitionSummaries(client, listed, { blockNumber, multicallAddress: config.multicall3 ?? undefined }),
  };
}

/** DaiMoN problems, or undefined when no ProblemFactory is configured. */
export function problemSource(client: PublicClient, config: AppConfig): ListingSource<ListedProblem, ProblemSummary> | undefined {
  const factory = config.problemFactory;
  if (!factory) return undefined;
  return {
    firstBlock: problemFactoryBlock(config),
    list: (fromBlock, toBlock) => listProblems(client, factory, { fromBlock, toBlock }),
    summarize: (listed, blockNumber) => readProblemSummaries(client, listed, { blockNumber, multicallAddress: config.multicall3 ?? undefined }),
  };
}

/**
 * What a competition commits to beyond its hashes (docs/protocol.md §2, §3, §7), as the CLI prints it: the group
 * sizes, the split's seed block and the forfeit rule, whether the worst-case evaluation fits the evaluation period,
 * the odds of the split attack that matters, and the equal shares of the reward under a withheld test reveal. The
 * figures come from lib/danku (risk.ts, groups.ts, split.ts), as in the web app; this file only words them.
 */
import { EVALUATION_PERIOD_FACTOR, MAX_SPLIT_DELAY, MIN_SPLIT_DELAY } from "../../lib/danku/constants";
import { requiredEvaluationBlocks, WORST_CASE_POINTS_PER_EVALUATION_TX } from "../../lib/danku/groups";
import { evaluationFit as evaluationFitOf, groupSizeSummary as groupSizesOf, oddsOverDraws, oneGroupTrainingOdds } from "../../lib/danku/risk";
import { defaultSplitDelay } from "../../lib/danku/split";
import { CliError, eth } from "./context";

/** --split-delay, or the default for the chain: 2 blocks on the local dev chain, 64 elsewhere. */
export function resolveSplitDelay(value: string | undefined, chainId: number): number {
  if (value === undefined) return defaultSplitDelay(chainId);
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < MIN_SPLIT_DELAY || parsed > MAX_SPLIT_DELAY) {
    throw new CliError(`--split-delay must be an integer between ${MIN_SPLIT_DELAY} and ${MAX_SPLIT_DELAY}, got ${value}`);
  }
  return parsed;
}

export interface GroupSizes {
  groups: number;
  min: number;
  max: number;
  totalPoints: number;
}

export function groupSizeSummary(counts: readonly number[]): GroupSizes {
  if (counts.length === 0) return { groups: 0, min: 0, max: 0, totalPoints: 0 };
  const s = groupSizesOf(counts, 0);
  return { groups: s.groups, min: s.min, max: s.max, totalPoints: s.total };
}

export function formatGroupSizes(s: GroupSizes): string {
  const range = s.min === s.max ? `${s.min} points each` : `${s.min}–${s.max} points`;
  return `${s.groups} groups of ${range}, ${s.totalPoints} points in all (committed: a reveal of another size reverts)`;
}

export interface EvaluationFit {
  /** Transactions one worst-case model needs on all committed points (25 points per 15 M-gas transaction). */
  transactions: number;
  /** The contract's minimum evaluation period: EVALUATION_PERIOD_FACTOR × transactions blocks. */
  requiredBlocks: number;
  evaluationPeriod: number;
  fits: boolean;
}

export function evaluationFit(totalPoints: number, evaluationPeriod: number): EvaluationFit {
  const fit = evaluationFitOf(totalPoints, evaluationPeriod);
  return { transactions: fit.transactions, requiredBlocks: requiredEvaluationBlocks(totalPoints), evaluationPeriod, fits: fit.fits };
}

export function formatEvaluationFit(f: EvaluationFit): string {
  return (
    `worst-case evaluation of one submission: ${f.transactions} transaction(s) of 15 M gas ` +
    `(${WORST_CASE_POINTS_PER_EVALUATION_TX} points each), one per block; the contract requires an evaluation period of ` +
    `≥ ${f.requiredBlocks} blocks (×${EVALUATION_PERIOD_FACTOR} slack), this one has ${f.evaluationPeriod}` +
    (f.fits ? "" : " — TOO SHORT")
  );
}

export interface PlacementOdds {
  /** nTrain / G: the chance that one chosen group lands in the training set in one draw. */
  perDraw: number;
  /** 1 − (1 − perDraw)^draws for a few draw counts. */
  overDraws: { draws: number; probability: number }[];
}

/**
 * The split attack that matters (docs/protocol.md §3): the organizer wants one particular group (say a small one)
 * in the training set, which each draw gives with probability nTrain/G — far likelier than one exact split.
 */
export function placementOdds(groupCount: number, trainingGroups: number, draws: readonly number[] = [1, 2, 5]): PlacementOdds {
  const perDraw = oneGroupTrainingOdds(groupCount, trainingGroups);
  return { perDraw, overDraws: draws.map((k) => ({ draws: k, probability: oddsOverDraws(perDraw, k) })) };
}

export function percent(p: number): string {
  return `${(p * 100).toPrecision(3)} %`;
}

export function formatPlacementOdds(o: PlacementOdds, groupCount: number, trainingGroups: number, reward: bigint): string {
  const tries = o.overDraws.map((d) => `${d.draws}: ${percent(d.probability)}`).join(", ");
  return (
    `odds of the attack that matters — one chosen group drawn as training: ${trainingGroups}/${groupCount} = ` +
    `${percent(o.perDraw)} per draw (over k draws 1−(1−p)^k, k = ${tries}); every redraw means cancelling after ` +
    `the seed block, which burns the ${eth(reward)} reward`
  );
}

export function formatForfeitRule(seedBlock: bigint, reward: bigint): string {
  return (
    `forfeit rule: cancelling before block ${seedBlock} is free (the split is unknowable then); from block ` +
    `${seedBlock} on, a cancel (or a setup that lapses) burns the ${eth(reward)} reward — donors are still refunded`
  );
}

/**
 * The reward of a withheld test reveal, shared equally per revealed submission (docs/protocol.md §7.1); only the
 * reward — the donations are refunded to their donors. Pass the reward, not reward + donations.
 */
export function withheldShares(reward: bigint, revealedSubmissions: number): { share: bigint; remainder: bigint } {
  if (revealedSubmissions === 0) return { share: 0n, remainder: reward };
  const n = BigInt(revealedSubmissions);
  return { share: reward / n, remainder: reward % n };
}

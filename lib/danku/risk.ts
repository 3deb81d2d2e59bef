/**
 * The odds of the split attack that matters (docs/protocol.md §3): an organizer rarely needs one exact training set;
 * usually one group's placement suffices (a small group drawn as training, a hard group kept in the test set). Each
 * draw places a given group in the training set with probability nTrain/G, so k draws (create, look at the split,
 * cancel, create again) succeed with 1 − (1 − nTrain/G)^k. Since the seed block is after the commit and cancelling
 * after it forfeits the reward, each redraw burns one reward: that is the price these odds are paid with.
 */
import { minimumEvaluationPeriod, trainingGroupCount, WORST_CASE_POINTS_PER_EVALUATION_TX } from "./groups";

/** Probability that one draw places one chosen group in the training set: nTrain / G. */
export function oneGroupTrainingOdds(groupCount: number, trainingGroups: number): number {
  if (!Number.isInteger(groupCount) || groupCount < 1) throw new RangeError(`the group count must be a positive integer, got ${groupCount}`);
  if (!Number.isInteger(trainingGroups) || trainingGroups < 0 || trainingGroups > groupCount) {
    throw new RangeError(`the training group count must be an integer in 0..${groupCount}, got ${trainingGroups}`);
  }
  return trainingGroups / groupCount;
}

/** Probability that at least one of `draws` independent draws succeeds when one succeeds with `perDraw`: 1 − (1 − p)^k. */
export function oddsOverDraws(perDraw: number, draws: number): number {
  if (!(perDraw >= 0 && perDraw <= 1)) throw new RangeError(`a probability must be in [0, 1], got ${perDraw}`);
  if (!Number.isInteger(draws) || draws < 0) throw new RangeError(`the number of draws must be a non-negative integer, got ${draws}`);
  // −expm1(k·log1p(−p)) keeps small probabilities exact where 1 − (1 − p)^k would cancel to 0.
  if (perDraw === 1) return draws > 0 ? 1 : 0;
  return -Math.expm1(draws * Math.log1p(-perDraw));
}

/** Expected number of rewards burned before a draw succeeds: the failed draws, (1 − p) / p (Infinity when p = 0). */
export function expectedBurnedRewards(perDraw: number): number {
  if (!(perDraw >= 0 && perDraw <= 1)) throw new RangeError(`a probability must be in [0, 1], got ${perDraw}`);
  return perDraw === 0 ? Infinity : (1 - perDraw) / perDraw;
}

export interface OneGroupOddsRow {
  /** Draws: the first creation plus k − 1 redraws. */
  readonly draws: number;
  /** Chance that one chosen group is training in at least one of the draws. */
  readonly odds: number;
  /** Rewards burned on the way when every draw but the last is cancelled after its seed block. */
  readonly rewardsBurned: number;
}

/** The one-group odds for a competition's shape over 1, 2, 3, 5 and 10 draws (or the draws given). */
export function oneGroupOddsTable(groupCount: number, trainingBps: number, draws: readonly number[] = [1, 2, 3, 5, 10]): OneGroupOddsRow[] {
  const perDraw = oneGroupTrainingOdds(groupCount, trainingGroupCount(groupCount, trainingBps));
  return draws.map((k) => ({ draws: k, odds: oddsOverDraws(perDraw, k), rewardsBurned: Math.max(0, k - 1) }));
}

export interface EvaluationFit {
  /** Transactions of EVALUATION_TX_GAS one evaluation of a worst-case model over all points needs. */
  readonly transactions: number;
  /** The contract's minimum evaluation period for these points (blocks). */
  readonly minimumPeriod: number;
  /** How many worst-case evaluations the period holds at one transaction per block (period / transactions). */
  readonly holds: number;
  readonly fits: boolean;
}

/**
 * Whether `periodBlocks` holds a worst-case evaluation of `totalPoints` points (docs/protocol.md §7.2): one
 * transaction per block, WORST_CASE_POINTS_PER_EVALUATION_TX points each, the contract's minimum as the bar.
 */
export function evaluationFit(totalPoints: number, periodBlocks: number): EvaluationFit {
  const transactions = Math.max(1, Math.ceil(totalPoints / WORST_CASE_POINTS_PER_EVALUATION_TX));
  const minimumPeriod = minimumEvaluationPeriod(totalPoints);
  return { transactions, minimumPeriod, holds: periodBlocks / transactions, fits: periodBlocks >= minimumPeriod };
}

export interface GroupSizeSummary {
  readonly groups: number;
  readonly min: number;
  readonly max: number;
  readonly total: number;
  /** Fewest and most points the test groups can hold, whichever groups the split draws. */
  readonly testPointsMin: number;
  readonly testPointsMax: number;
  /** The test points on average over all splits: total · nTest / G. */
  readonly testPointsExpected: number;
}

/** What committed group sizes tell before the split: the size range, and the test set's size range. */
export function groupSizeSummary(sizes: readonly number[], trainingGroups: number): GroupSizeSummary {
  if (sizes.length === 0) throw new RangeError("no groups");
  const testGroups = sizes.length - trainingGroups;
  if (!Number.isInteger(trainingGroups) || testGroups < 0 || trainingGroups < 0) {
    throw new RangeError(`the training group count must be an integer in 0..${sizes.length}, got ${trainingGroups}`);
  }
  const ascending = [...sizes].sort((a, b) => a - b);
  const total = ascending.reduce((sum, n) => sum + n, 0);
  const sum = (list: number[]) => list.reduce((s, n) => s + n, 0);
  return {
    groups: sizes.length,
    min: ascending[0] ?? 0,
    max: ascending[ascending.length - 1] ?? 0,
    total,
    testPointsMin: sum(ascending.slice(0, testGroups)),
    testPointsMax: sum(ascending.slice(ascending.length - testGroups)),
    testPointsExpected: (total * testGroups) / sizes.length,
  };
}

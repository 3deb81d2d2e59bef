/**
 * How likely an organizer is to obtain a train/test split of their choosing (paper §5.2, docs/protocol.md §3).
 * With `attempts` independent draws the paper's bound is
 * `P = attempts · ∏_{n=G(1−TP)+1}^{G} (G−n+1)/n = attempts / C(G, nTrain)`, capped at 1.
 */
import { trainingGroupCount } from "./groups";

/** C(n, k) exactly. */
export function binomial(n: number, k: number): bigint {
  if (!Number.isInteger(n) || !Number.isInteger(k) || n < 0) throw new RangeError(`C(${n}, ${k}) is not defined here`);
  if (k < 0 || k > n) return 0n;
  const m = Math.min(k, n - k);
  let result = 1n;
  // result · (n − m + i) is always divisible by i: after step i, result = C(n − m + i, i).
  for (let i = 1; i <= m; i++) result = (result * BigInt(n - m + i)) / BigInt(i);
  return result;
}

/** Number of possible training sets: C(G, nTrain). */
export function splitCombinations(groupCount: number, trainingBps: number): bigint {
  return binomial(groupCount, trainingGroupCount(groupCount, trainingBps));
}

/** Above this, bigint → number conversion is no longer exact. */
const EXACT_LIMIT = BigInt(Number.MAX_SAFE_INTEGER);

/** attempts / C as a float, exact division while C is a safe integer and a scaled quotient beyond. */
function ratio(attempts: number, combinations: bigint): number {
  if (combinations <= EXACT_LIMIT) return attempts / Number(combinations);
  // C ≤ C(1024, 512) < 2^1024; shift it down to 64 significant bits and scale back with a power of two.
  const bits = combinations.toString(2).length;
  const shift = bits - 64;
  const mantissa = Number(combinations >> BigInt(shift));
  return attempts / mantissa / 2 ** shift;
}

export interface ManipulationOddsInput {
  readonly groupCount: number;
  readonly trainingBps: number;
  /** Number of independent splits the organizer can draw (the paper's L; 1 for a single draw). */
  readonly attempts: number;
}

/** min(1, attempts / C(G, nTrain)): the chance that one of `attempts` draws yields one particular training set. */
export function manipulationOdds(input: ManipulationOddsInput): number {
  const { attempts } = input;
  if (!Number.isFinite(attempts) || attempts < 0) throw new RangeError(`attempts must be a non-negative number, got ${attempts}`);
  return Math.min(1, ratio(attempts, splitCombinations(input.groupCount, input.trainingBps)));
}

export interface ManipulationOddsRow {
  readonly groupCount: number;
  readonly trainingGroups: number;
  readonly combinations: bigint;
  /** With `attempts` draws. */
  readonly odds: number;
  /** With one draw (what the contract's seed rule leaves, docs/protocol.md §3). */
  readonly singleDrawOdds: number;
}

/** The paper's table: TP = 80 %, L = 5, G = 5, 10, …, 30 by default. */
export function manipulationOddsTable(
  options: { readonly trainingBps?: number; readonly attempts?: number; readonly groupCounts?: readonly number[] } = {},
): ManipulationOddsRow[] {
  const trainingBps = options.trainingBps ?? 8000;
  const attempts = options.attempts ?? 5;
  const groupCounts = options.groupCounts ?? [5, 10, 15, 20, 25, 30];
  return groupCounts.map((groupCount) => ({
    groupCount,
    trainingGroups: trainingGroupCount(groupCount, trainingBps),
    combinations: splitCombinations(groupCount, trainingBps),
    odds: manipulationOdds({ groupCount, trainingBps, attempts }),
    singleDrawOdds: manipulationOdds({ groupCount, trainingBps, attempts: 1 }),
  }));
}

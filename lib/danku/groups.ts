/**
 * Points → hashed data groups (docs/protocol.md §2, §2.1 "Grouping"). The shuffle is what makes the train/test split
 * meaningful: groups must not follow the file's order (often sorted by class or time), and the nonce per group is
 * what keeps an unrevealed group from being brute-forced out of its hash.
 */
import type { Hex } from "viem";
import {
  BPS,
  EVALUATION_PERIOD_FACTOR,
  EVALUATION_TX_GAS,
  MAX_EVALUATION_GAS_PER_POINT,
  MAX_EVALUATION_SETUP_GAS,
  MAX_GROUPS,
  MAX_TRAINING_BPS,
  MIN_GROUPS,
  MIN_PERIOD,
  MIN_TRAINING_BPS,
} from "./constants";
import { encodePoints, groupHash, type DataPoint } from "./encoding";
import { randomBytes32, shuffleInPlace, UniformIntSource, type RandomBytes } from "./random";

export interface DataGroup {
  readonly index: number;
  readonly points: DataPoint[];
  /** 32-byte CSPRNG nonce appended to the points before hashing. */
  readonly nonce: Hex;
  /** Encoded points (F feature bytes + label byte each), as revealed on chain. */
  readonly bytes: Uint8Array;
  /** keccak256(bytes ‖ nonce), as committed at creation. */
  readonly hash: Hex;
}

export interface BuildGroupsOptions {
  readonly groupCount: number;
  readonly featureCount: number;
  readonly classCount: number;
  /** Byte source; defaults to `crypto.getRandomValues`. Inject only for reproducible tests. */
  readonly random?: RandomBytes;
  /** Called with (groups hashed so far, groupCount), starting at 0; for progress bars. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Group sizes for `pointCount` points in `groupCount` groups: the first `pointCount mod groupCount` get one extra. */
export function groupSizes(pointCount: number, groupCount: number): number[] {
  const base = Math.floor(pointCount / groupCount);
  const extra = pointCount % groupCount;
  return Array.from({ length: groupCount }, (_, g) => base + (g < extra ? 1 : 0));
}

function checkGroupCount(groupCount: number): void {
  if (!Number.isInteger(groupCount) || groupCount < MIN_GROUPS || groupCount > MAX_GROUPS) {
    throw new RangeError(`the group count must be an integer in ${MIN_GROUPS}..${MAX_GROUPS}, got ${groupCount}`);
  }
}

/**
 * Shuffles the points (unbiased Fisher–Yates from a CSPRNG), splits them into `groupCount` groups of near-equal size,
 * and gives each group a fresh nonce, its encoded bytes and its hash. No point is dropped; the input is not modified.
 */
export function buildDataGroups(points: readonly DataPoint[], options: BuildGroupsOptions): DataGroup[] {
  const { groupCount, featureCount, classCount, onProgress } = options;
  checkGroupCount(groupCount);
  if (groupCount > points.length) {
    throw new RangeError(`${points.length} points cannot fill ${groupCount} groups; every group needs at least one point`);
  }
  const random = options.random;
  const source = new UniformIntSource(random);
  const shuffled = shuffleInPlace([...points], source);
  const sizes = groupSizes(points.length, groupCount);
  const groups: DataGroup[] = [];
  const nonces = new Set<Hex>();
  onProgress?.(0, groupCount);
  let at = 0;
  sizes.forEach((size, index) => {
    const groupPoints = shuffled.slice(at, at + size);
    at += size;
    const nonce = randomBytes32(random);
    // A repeated 32-byte nonce means the random source is broken; refuse rather than publish guessable hashes.
    if (nonces.has(nonce)) throw new Error("the random source repeated a 32-byte nonce; refusing to continue");
    nonces.add(nonce);
    const bytes = encodePoints(groupPoints, featureCount, classCount);
    groups.push({ index, points: groupPoints, nonce, bytes, hash: groupHash(bytes, nonce) });
    onProgress?.(index + 1, groupCount);
  });
  return groups;
}

/**
 * Number of training groups, `floor(G · trainingBps / 10000)` (docs/protocol.md §3); throws unless the contract would
 * accept it (bps in range, and at least one training and one test group).
 */
export function trainingGroupCount(groupCount: number, trainingBps: number): number {
  checkGroupCount(groupCount);
  if (!Number.isInteger(trainingBps) || trainingBps < MIN_TRAINING_BPS || trainingBps > MAX_TRAINING_BPS) {
    throw new RangeError(`the training share must be an integer in ${MIN_TRAINING_BPS}..${MAX_TRAINING_BPS} bps, got ${trainingBps}`);
  }
  const nTrain = Math.floor((groupCount * trainingBps) / BPS);
  if (nTrain < 1 || nTrain > groupCount - 1) {
    throw new RangeError(
      `${groupCount} groups at ${trainingBps / 100} % training give ${nTrain} training groups; ` +
        `between 1 and ${groupCount - 1} are required (use more groups or another share)`,
    );
  }
  return nTrain;
}

/** The point counts committed at creation next to the hashes (docs/protocol.md §2): a reveal of another size reverts. */
export function groupPointCounts(groups: readonly Pick<DataGroup, "points">[]): number[] {
  return groups.map((g) => g.points.length);
}

/** Worst-case points one evaluate transaction covers, for any model the limits allow (the contract's rule). */
export const WORST_CASE_POINTS_PER_EVALUATION_TX = Math.floor(
  (EVALUATION_TX_GAS - MAX_EVALUATION_SETUP_GAS) / MAX_EVALUATION_GAS_PER_POINT,
);

/**
 * The shortest evaluation period (blocks) the contract accepts for `totalPoints` committed points (docs/protocol.md
 * §7.2): EVALUATION_PERIOD_FACTOR × the transactions a worst-case model needs, one per block; never below MIN_PERIOD.
 */
export function requiredEvaluationBlocks(totalPoints: number): number {
  const transactions = Math.ceil(totalPoints / WORST_CASE_POINTS_PER_EVALUATION_TX);
  return EVALUATION_PERIOD_FACTOR * transactions;
}

/** The evaluation period to propose: the contract's minimum for this data, and never below MIN_PERIOD. */
export function minimumEvaluationPeriod(totalPoints: number): number {
  return Math.max(MIN_PERIOD, requiredEvaluationBlocks(totalPoints));
}

/**
 * Sizing transactions under the per-transaction gas cap (EIP-7825: 16,777,216). The contract is deterministic
 * (no gasleft()-dependent behaviour), so an estimate for a given batch is exact; these helpers pick batch sizes
 * and then confirm them with eth_estimateGas.
 */
import { TX_GAS_CAP } from "../danku/constants";

/** Headroom under the cap for estimate drift between simulation and inclusion. */
export const TARGET_TX_GAS = Math.floor(TX_GAS_CAP * 0.9);

/** Bytes of revealed points per reveal transaction: ~200 gas/byte of code deposit + calldata keeps this well under the cap. */
export const MAX_REVEAL_BYTES_PER_TX = 48_000;
export const MAX_GROUPS_PER_REVEAL_TX = 256;

export interface RevealableGroup {
  index: number;
  /** 0x-prefixed point bytes of the group. */
  points: `0x${string}`;
  nonce: `0x${string}`;
}

/**
 * Gas model of a reveal (revealTrainingGroups / revealTestGroups / revealModel): the revealed bytes are stored as
 * contract code (200 gas per byte of code deposit), arrive as calldata (16 gas per non-zero byte, or EIP-7623's floor
 * of 40 when it binds) and are copied, hashed and checked (≈ 20 gas per byte), plus one CREATE per data contract of
 * 24,575 bytes and a fixed part for the transaction, storage and events. Deliberately an upper bound: the limit is
 * passed explicitly, so nodes whose eth_estimateGas fails above a few million gas (Hardhat's EDR under the osaka cap)
 * are never asked, and an honest bound only reserves gas, it does not spend it.
 */
export const REVEAL_GAS = {
  perTransaction: 150_000,
  perByte: 240,
  /** Label check, point accounting (measured ≈ 900 gas per 3-byte point all-in, bench/results/gas.json). */
  perPoint: 300,
  perDataContract: 45_000,
  perGroup: 8_000,
} as const;

/** Data-contract size (EIP-170 code limit less the STOP byte), as in contracts/danku/BlobStore.sol. */
const DATA_CONTRACT_BYTES = 24_575;

/** The reveal gas model's bound for `bytes` bytes in `groups` groups of `points` points (0 for a model). */
export function revealGasEstimate(bytes: number, groups = 1, points = 0): number {
  const g = REVEAL_GAS;
  const dataContracts = Math.max(1, Math.ceil(bytes / DATA_CONTRACT_BYTES));
  return g.perTransaction + g.perByte * bytes + g.perPoint * points + g.perDataContract * dataContracts + g.perGroup * groups;
}

/**
 * The most points one group of `pointSize`-byte points may hold so that its reveal fits one transaction under
 * {@link TARGET_TX_GAS} (a group is revealed whole, in one call). A competition with a larger group could never be
 * revealed, and from its seed block on a setup that cannot complete forfeits the reward: clients refuse it at creation.
 */
export function maxRevealablePointsPerGroup(pointSize: number): number {
  if (!Number.isInteger(pointSize) || pointSize < 2) throw new RangeError(`a point has at least 2 bytes, got ${pointSize}`);
  let lo = 1;
  let hi = Math.ceil(TARGET_TX_GAS / (REVEAL_GAS.perByte * pointSize));
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (revealGasEstimate(mid * pointSize, 1, mid) <= TARGET_TX_GAS) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Reverts-before-sending check: the first group too large to be revealed in one transaction, with its figures. */
export function unrevealableGroup(
  groupPointCounts: readonly number[],
  pointSize: number,
): { group: number; points: number; maxPoints: number } | undefined {
  const maxPoints = maxRevealablePointsPerGroup(pointSize);
  const group = groupPointCounts.findIndex((n) => n > maxPoints);
  return group < 0 ? undefined : { group, points: groupPointCounts[group] as number, maxPoints };
}

/** The gas limit to send a reveal with: the gas model's bound, at most the per-transaction cap. */
export function revealGasLimit(bytes: number, groups = 1, points = 0): bigint {
  return BigInt(Math.min(TX_GAS_CAP, revealGasEstimate(bytes, groups, points)));
}

/**
 * Gas model of a claim-mode test reveal (docs/protocol.md §11): the points are not stored, so a byte costs its
 * calldata — at most EIP-7623's floor of 40 gas for a non-zero byte, which binds for such transactions — plus
 * copying and hashing (well under 1 gas per byte); each point adds a Merkle leaf and node and one stored label byte
 * (≈ 200 gas of code deposit). An upper bound, like {@link REVEAL_GAS}.
 */
export const CLAIM_REVEAL_GAS = {
  perTransaction: 200_000,
  perByte: 41,
  perPoint: 700,
  perGroup: 8_000,
} as const;

export function claimRevealGasEstimate(bytes: number, groups = 1, points = 0): number {
  const g = CLAIM_REVEAL_GAS;
  return g.perTransaction + g.perByte * bytes + g.perPoint * points + g.perGroup * groups;
}

/** How reveal transactions are sized: the on-chain mode's (points stored as code) or the claim mode's test reveal. */
export interface RevealSizing {
  estimate: (bytes: number, groups: number, points: number) => number;
  maxBytes: number;
}

export const ONCHAIN_REVEAL_SIZING: RevealSizing = { estimate: revealGasEstimate, maxBytes: MAX_REVEAL_BYTES_PER_TX };
/** No byte cap of its own: calldata is all a claim-mode reveal pays for, and the gas bound limits it. */
export const CLAIM_REVEAL_SIZING: RevealSizing = { estimate: claimRevealGasEstimate, maxBytes: Number.MAX_SAFE_INTEGER };

/**
 * Splits groups into reveal transactions by byte size and by the reveal gas model (each batch's bound stays under
 * {@link TARGET_TX_GAS}); a single oversized group still gets its own batch. `pointSize` (F + 1) lets the gas model
 * count points; without it, bytes alone decide.
 */
export function planRevealBatches<T extends RevealableGroup>(
  groups: readonly T[],
  pointSize?: number,
  sizing: RevealSizing = ONCHAIN_REVEAL_SIZING,
): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  const pointsOf = (n: number) => (pointSize ? Math.floor(n / pointSize) : 0);
  for (const group of groups) {
    const size = (group.points.length - 2) / 2;
    const after = bytes + size;
    const overGas = sizing.estimate(after, current.length + 1, pointsOf(after)) > TARGET_TX_GAS;
    if (current.length > 0 && (after > sizing.maxBytes || current.length >= MAX_GROUPS_PER_REVEAL_TX || overGas)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(group);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Chooses how many points one evaluate transaction may cover. `simulate(points, gas)` must run the call with that gas
 * limit (eth_call) and throw if it fails. The evaluator is deterministic, so a call that succeeds with
 * {@link TARGET_TX_GAS} proves the transaction will too. eth_estimateGas is not used: some nodes (Hardhat's EDR
 * with the osaka cap) fail estimates above a few million gas instead of searching below the cap.
 */
export async function planEvaluationChunk(
  remaining: number,
  initialGuess: number,
  simulate: (points: number, gas: bigint) => Promise<void>,
): Promise<{ points: number; gas: bigint }> {
  const gas = BigInt(TARGET_TX_GAS);
  let points = Math.max(1, Math.min(remaining, initialGuess));
  for (;;) {
    try {
      await simulate(points, gas);
      return { points, gas };
    } catch (error) {
      // Too many points run out of gas; a single point that fails is a real revert and is passed on.
      if (points === 1) throw error;
      points = Math.max(1, Math.floor(points * 0.8));
    }
  }
}

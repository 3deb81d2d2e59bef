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

/** Splits groups into reveal transactions by byte size; a single oversized group still gets its own batch. */
export function planRevealBatches<T extends RevealableGroup>(groups: readonly T[]): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const group of groups) {
    const size = (group.points.length - 2) / 2;
    if (current.length > 0 && (bytes + size > MAX_REVEAL_BYTES_PER_TX || current.length >= MAX_GROUPS_PER_REVEAL_TX)) {
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
 * Chooses how many points one evaluate transaction may cover: starts from a guess and shrinks with real
 * estimates until the transaction fits under {@link TARGET_TX_GAS}.
 */
export async function planEvaluationChunk(
  remaining: number,
  initialGuess: number,
  estimate: (points: number) => Promise<bigint>,
): Promise<{ points: number; gas: bigint }> {
  const target = BigInt(TARGET_TX_GAS);
  // A batch over the node's gas cap makes eth_estimateGas fail rather than return a large number: halve and retry.
  // Only a failure for a single point is a real revert, and is passed on.
  const tryEstimate = async (points: number): Promise<bigint | undefined> => {
    try {
      return await estimate(points);
    } catch (error) {
      if (points === 1) throw error;
      return undefined;
    }
  };
  let points = Math.max(1, Math.min(remaining, initialGuess));
  for (let attempt = 0; attempt < 40; attempt++) {
    const gas = await tryEstimate(points);
    if (gas === undefined) {
      points = Math.max(1, Math.floor(points / 2));
      continue;
    }
    if (gas <= target) {
      // Grow once if the guess was very conservative.
      if (points < remaining && gas < target / 2n) {
        const grown = Math.min(remaining, Math.floor((points * Number((target * 9n) / 10n)) / Number(gas)));
        if (grown > points) {
          const grownGas = await tryEstimate(grown);
          if (grownGas !== undefined && grownGas <= target) return { points: grown, gas: grownGas };
        }
      }
      return { points, gas };
    }
    if (points === 1) throw new Error(`evaluating a single point needs ${gas} gas, more than one transaction may use`);
    points = Math.max(1, Math.floor((points * TARGET_TX_GAS * 0.95) / Number(gas)));
  }
  throw new Error("could not size an evaluation transaction under the gas cap");
}

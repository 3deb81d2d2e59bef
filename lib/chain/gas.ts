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

/**
 * What a claim-mode competition asks of its checkers (docs/protocol.md §11.7): the worst-case gas of one dispute for a
 * data shape, an upper bound the wizard shows before the organizer commits to the mode. One home for the formula, so
 * the UI and the tests agree on it.
 */
import { MAX_EVALUATION_GAS_PER_POINT, MAX_EVALUATION_SETUP_GAS, MAX_MODEL_BYTES } from "./constants";
import { CNN_MAX_WORK } from "./cnn/model";

/** A transaction's intrinsic cost. */
const TX_BASE_GAS = 21_000;
/**
 * What a CNN dispute spends besides the forward pass's ≤ 1 gas per work unit (docs/cnn.md §3): the claim module's
 * checks, hashing and bookkeeping (≤ 0.25 M) and the evaluator's constant and memory (≤ 0.325 M).
 */
export const CNN_DISPUTE_FIXED_GAS = 575_000;
/**
 * The most a calldata byte can cost under EIP-7623's floor: a non-zero byte is 4 tokens at the floor's 10 gas per token.
 * The floor is paid instead of (not on top of) the standard price and the execution, when it is larger.
 */
export const WORST_CALLDATA_GAS_PER_BYTE = 40;
/** The most a calldata byte costs at the standard price (16 for a non-zero byte, 4 for a zero byte). */
export const STANDARD_CALLDATA_GAS_PER_BYTE = 16;

const WORD = 32;
const padded = (bytes: number) => Math.ceil(bytes / WORD) * WORD;

/** Depth of the reveal tree over `points` points (docs §11.2): ⌈log₂ points⌉, 0 for one point. */
export function revealTreeDepth(points: number): number {
  let depth = 0;
  while (2 ** depth < points) depth++;
  return depth;
}

/**
 * ABI-encoded length of `disputeClaim(claimId, rootIndex, indexInRoot, point, proof, predictions, model)`: the selector,
 * seven head words, then the point (F features + its label), the proof (one word per tree level), the predictions (one
 * byte per test point) and the model's bytes (docs/protocol.md §11.8), each with its length word. The deepest proof is
 * that of one reveal call holding every test point.
 */
export function disputeCalldataBytes(testPoints: number, featureCount: number, modelBytes: number = MAX_MODEL_BYTES): number {
  const head = 4 + 7 * WORD;
  const point = WORD + padded(featureCount + 1);
  const proof = WORD + WORD * revealTreeDepth(testPoints);
  const predictions = WORD + padded(testPoints);
  const model = WORD + padded(modelBytes);
  return head + point + proof + predictions + model;
}

export interface DisputeGas {
  readonly calldataBytes: number;
  /** What the calldata costs in the bound: the standard price, or the EIP-7623 floor where that is the larger total. */
  readonly calldataGas: number;
  /** The engine's one-point run for any model the limits allow: the dense setup and one point, or a CNN's MAX_WORK. */
  readonly evaluationGas: number;
  readonly total: number;
}

/**
 * An upper bound of one dispute's gas for a model of up to `modelBytes` bytes (default MAX_MODEL_BYTES, the largest
 * convolutional model): the base cost plus the larger of (every calldata byte at the standard 16 gas + the engine's
 * worst one-point run) and (every byte at EIP-7623's 40-gas floor), since a transaction pays the floor instead of the
 * standard price and execution when the floor is larger. The engine's worst run is the dense evaluator's setup and one
 * point (DankuLimits MAX_EVALUATION_SETUP_GAS + MAX_EVALUATION_GAS_PER_POINT) or a CNN's CNN_MAX_WORK units at ≤ 1 gas
 * per unit plus CNN_DISPUTE_FIXED_GAS (docs/cnn.md §3, §7), whichever is larger.
 */
export function worstCaseDisputeGas(testPoints: number, featureCount: number, modelBytes: number = MAX_MODEL_BYTES): DisputeGas {
  if (!Number.isSafeInteger(testPoints) || testPoints < 1) throw new Error(`a dispute needs at least one test point (got ${testPoints})`);
  if (!Number.isSafeInteger(featureCount) || featureCount < 1) throw new Error(`a point needs at least one feature (got ${featureCount})`);
  const calldataBytes = disputeCalldataBytes(testPoints, featureCount, modelBytes);
  const evaluationGas = Math.max(MAX_EVALUATION_SETUP_GAS + MAX_EVALUATION_GAS_PER_POINT, CNN_MAX_WORK + CNN_DISPUTE_FIXED_GAS);
  const standard = calldataBytes * STANDARD_CALLDATA_GAS_PER_BYTE;
  const floor = calldataBytes * WORST_CALLDATA_GAS_PER_BYTE;
  const floorWins = floor > standard + evaluationGas;
  const calldataGas = floorWins ? floor : standard;
  return { calldataBytes, calldataGas, evaluationGas, total: TX_BASE_GAS + (floorWins ? floor : standard + evaluationGas) };
}

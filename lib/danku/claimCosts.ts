/**
 * What a claim-mode competition asks of its checkers (docs/protocol.md §11.7): the worst-case gas of one dispute for a
 * data shape, an upper bound the wizard shows before the organizer commits to the mode. One home for the formula, so
 * the UI and the tests agree on it.
 */
import { MAX_EVALUATION_GAS_PER_POINT, MAX_EVALUATION_SETUP_GAS } from "./constants";

/** A transaction's intrinsic cost. */
const TX_BASE_GAS = 21_000;
/**
 * The most a calldata byte can cost under EIP-7623: a non-zero byte is 4 tokens at the floor's 10 gas per token. Bounding
 * every byte by it covers both the standard (16 gas) and the floor pricing, whichever the transaction pays.
 */
export const WORST_CALLDATA_GAS_PER_BYTE = 40;

const WORD = 32;
const padded = (bytes: number) => Math.ceil(bytes / WORD) * WORD;

/** Depth of the reveal tree over `points` points (docs §11.2): ⌈log₂ points⌉, 0 for one point. */
export function revealTreeDepth(points: number): number {
  let depth = 0;
  while (2 ** depth < points) depth++;
  return depth;
}

/**
 * ABI-encoded length of `disputeClaim(claimId, rootIndex, indexInRoot, point, proof, predictions)`: the selector, six
 * head words, then the point (F features + its label), the proof (one word per tree level) and the predictions (one
 * byte per test point), each with its length word. The deepest proof is that of one reveal call holding every test point.
 */
export function disputeCalldataBytes(testPoints: number, featureCount: number): number {
  const head = 4 + 6 * WORD;
  const point = WORD + padded(featureCount + 1);
  const proof = WORD + WORD * revealTreeDepth(testPoints);
  const predictions = WORD + padded(testPoints);
  return head + point + proof + predictions;
}

export interface DisputeGas {
  readonly calldataBytes: number;
  readonly calldataGas: number;
  /** The engine's one-point run for any model the limits allow: its setup and one point. */
  readonly evaluationGas: number;
  readonly total: number;
}

/**
 * An upper bound of one dispute's gas: the base cost, every calldata byte at the worst price, and the evaluator's
 * worst-case one-point cost (DankuLimits MAX_EVALUATION_SETUP_GAS + MAX_EVALUATION_GAS_PER_POINT).
 */
export function worstCaseDisputeGas(testPoints: number, featureCount: number): DisputeGas {
  if (!Number.isSafeInteger(testPoints) || testPoints < 1) throw new Error(`a dispute needs at least one test point (got ${testPoints})`);
  if (!Number.isSafeInteger(featureCount) || featureCount < 1) throw new Error(`a point needs at least one feature (got ${featureCount})`);
  const calldataBytes = disputeCalldataBytes(testPoints, featureCount);
  const calldataGas = calldataBytes * WORST_CALLDATA_GAS_PER_BYTE;
  const evaluationGas = MAX_EVALUATION_SETUP_GAS + MAX_EVALUATION_GAS_PER_POINT;
  return { calldataBytes, calldataGas, evaluationGas, total: TX_BASE_GAS + calldataGas + evaluationGas };
}

/**
 * The claim mode's protocol math (docs/protocol.md §11), the one home for the UI, the scripts and the tests: a
 * model's predictions vector, its score against the labels, the test reveal's Merkle tree (exactly as the contract
 * builds it), proofs, and the point a challenger disputes. The forward pass is lib/danku/forward.ts (bit-exact with
 * the chain), never a copy.
 */
import { bytesToHex, concat, keccak256, type Hex } from "viem";
import type { DataPoint } from "./encoding";
import { CLAIM_BOND_GAS, MAX_CLAIM_MODE_MODEL_BYTES } from "./constants";
import { decodeAnyModel, encodeAnyModel, predictAny, type AnyModel } from "./anyModel";

/**
 * A model a claim-mode competition accepts (docs/protocol.md §11): dense (format version 1, up to
 * MAX_CLAIM_MODE_MODEL_BYTES) or convolutional (version 2, docs/cnn.md). The kinds' dispatch is lib/danku/anyModel.ts.
 */
export type ClaimModel = AnyModel;

/** Revealed claim-mode model bytes → model, dispatching on the version byte as `revealModel` does. */
export function decodeClaimModel(bytes: Uint8Array, expected?: { featureCount: number; classCount: number }): ClaimModel {
  return decodeAnyModel(bytes, expected, { maxModelBytes: MAX_CLAIM_MODE_MODEL_BYTES });
}

/** Model → the exact bytes it was revealed as (both encodings are canonical): what `disputeClaim` takes as `model`. */
export function encodeClaimModel(model: ClaimModel): Uint8Array {
  return encodeAnyModel(model, { maxModelBytes: MAX_CLAIM_MODE_MODEL_BYTES });
}

/** The bond a claim sends: CLAIM_BOND_GAS × bondGasPrice (constants in lib/danku/constants.ts, docs §1). */
export function claimBond(bondGasPrice: bigint): bigint {
  return BigInt(CLAIM_BOND_GAS) * bondGasPrice;
}

/** How often {@link predictionsOf} reports progress: every this many points (and at the last). */
export const PREDICTION_PROGRESS_EVERY = 256;

/**
 * The model's predicted class on every point, one byte each, in order: the bytes `claimScore` takes. `onProgress`
 * hears (points done, points) every {@link PREDICTION_PROGRESS_EVERY} points and at the end (for a progress bar:
 * 10,000 MNIST points take seconds).
 */
export function predictionsOf(model: ClaimModel, points: readonly DataPoint[], onProgress?: (done: number, total: number) => void): Uint8Array {
  const out = new Uint8Array(points.length);
  points.forEach((point, i) => {
    out[i] = predictAny(model, point.features);
    if (onProgress && ((i + 1) % PREDICTION_PROGRESS_EVERY === 0 || i + 1 === points.length)) onProgress(i + 1, points.length);
  });
  return out;
}

/** How many predictions equal their labels (what the contract computes in `claimScore`). */
export function scorePredictions(predictions: Uint8Array, labels: ArrayLike<number>): number {
  if (predictions.length !== labels.length) {
    throw new Error(`predictions have ${predictions.length} bytes but there are ${labels.length} labels: one prediction per test point is needed`);
  }
  let correct = 0;
  for (let i = 0; i < predictions.length; i++) if (predictions[i] === labels[i]) correct++;
  return correct;
}

/**
 * The first test point where the claimed predictions differ from the model's own (the reference forward pass),
 * or null when the claim is honest: the point a challenger disputes.
 */
export function disputablePoint(claimed: Uint8Array, reference: Uint8Array): { index: number; claimed: number; actual: number } | null {
  if (claimed.length !== reference.length) {
    throw new Error(`the claim has ${claimed.length} predictions but there are ${reference.length} test points`);
  }
  for (let i = 0; i < claimed.length; i++) {
    if (claimed[i] !== reference[i]) return { index: i, claimed: claimed[i]!, actual: reference[i]! };
  }
  return null;
}

// ------------------------------------------------------------------ the reveal's Merkle tree

const ZERO: Hex = `0x${"00".repeat(32)}`;

/** A leaf: keccak256(0x00 ‖ point bytes), the point being its features and its label. */
export function leafHash(pointBytes: Uint8Array): Hex {
  return keccak256(concat(["0x00", bytesToHex(pointBytes)]));
}

/** An inner node: keccak256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Hex, right: Hex): Hex {
  return keccak256(concat(["0x01", left, right]));
}

/** The tree over one reveal call's points, in reveal order, padded with bytes32(0) leaves to 2^depth. */
export interface RevealTree {
  readonly root: Hex;
  readonly depth: number;
  readonly pointCount: number;
  /** levels[0] are the padded leaves, levels[depth] = [root]. */
  readonly levels: readonly (readonly Hex[])[];
}

/** Builds the tree the contract commits to for one reveal call (`points`: each point's bytes, in reveal order). */
export function revealTree(points: readonly Uint8Array[]): RevealTree {
  if (points.length === 0) throw new Error("a reveal call holds at least one point");
  let depth = 0;
  while (2 ** depth < points.length) depth++;
  const leaves: Hex[] = points.map(leafHash);
  while (leaves.length < 2 ** depth) leaves.push(ZERO);
  const levels: Hex[][] = [leaves];
  for (let l = 0; l < depth; l++) {
    const below = levels[l]!;
    const above: Hex[] = [];
    for (let i = 0; i < below.length; i += 2) above.push(nodeHash(below[i]!, below[i + 1]!));
    levels.push(above);
  }
  return { root: levels[depth]![0]!, depth, pointCount: points.length, levels };
}

/** The siblings from the leaf up for point `index` of the tree (what `disputeClaim` takes as `proof`). */
export function revealProof(tree: RevealTree, index: number): Hex[] {
  if (!Number.isInteger(index) || index < 0 || index >= tree.pointCount) {
    throw new Error(`point ${index} is not in this reveal call (it holds ${tree.pointCount} points)`);
  }
  const proof: Hex[] = [];
  let at = index;
  for (let l = 0; l < tree.depth; l++) {
    proof.push(tree.levels[l]![at ^ 1]!);
    at >>= 1;
  }
  return proof;
}

/** Whether `pointBytes` with `proof` leads to `root` at `index` (as the contract checks). */
export function verifyRevealProof(root: Hex, index: number, pointBytes: Uint8Array, proof: readonly Hex[]): boolean {
  let h = leafHash(pointBytes);
  proof.forEach((sibling, level) => {
    h = (index >> level) & 1 ? nodeHash(sibling, h) : nodeHash(h, sibling);
  });
  return h === root;
}

/** Where global test point `index` lies among reveal calls of `pointCounts` points each (in reveal order). */
export function locateTestPoint(pointCounts: readonly number[], index: number): { rootIndex: number; indexInRoot: number } {
  let first = 0;
  for (let r = 0; r < pointCounts.length; r++) {
    const n = pointCounts[r]!;
    if (index < first + n) return { rootIndex: r, indexInRoot: index - first };
    first += n;
  }
  throw new Error(`test point ${index} is beyond the ${first} revealed test points`);
}

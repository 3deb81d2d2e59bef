/**
 * Proofs bound to model bytes and their one-step disputes (docs/daimon.md §14.3), the one home for the contract tests,
 * the CLI, the page and the seed: Z in DanKu feature bytes and its Merkle root (a tuple's `inputsRoot`), the integer
 * model's labels (lib/danku/forward.ts, bit-exact with the chain's DanKu evaluator) and their root (a proof's
 * `labelsRoot`), the binding a proof carries, and the arguments of `disputeLabel`. Trees are lib/danku/claims.ts's:
 * leaf keccak256(0x00 ‖ bytes), node keccak256(0x01 ‖ left ‖ right), padded with bytes32(0) leaves to 2^⌈log₂ n⌉.
 *
 * The f-evaluation dispute (`disputeOutput`: outputs ≠ f(labels)) lives next to this in lib/daimon/delQuantized.ts
 * (`outputDispute`, `delqClaim`).
 */
import { bytesToHex, hexToBytes, type Hex } from "viem";
import { decodeModel, modelHash, type QuantizedModel } from "../danku/encoding";
import { predict } from "../danku/forward";
import { roundHalfAwayFromZero } from "../danku/quantize";
import { leafHash, nodeHash, revealProof, revealTree, verifyRevealProof, type RevealTree } from "../danku/claims";
import type { ProofBinding } from "./encoding";
import { sampleShape, testInputCount, type TestInputs } from "./inputs";

/** A DMZ1 value as a DanKu feature byte: rounded half away from zero and clamped to 0…255 (identity on byte data). */
export function featureByte(value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`a test input value is ${value}; values must be finite`);
  const r = roundHalfAwayFromZero(value);
  return r < 0 ? 0 : r > 255 ? 255 : r;
}

/** Every test point of Z as its F feature bytes (F = the product of the input shape), in order. */
export function inputPoints(inputs: TestInputs): Uint8Array[] {
  const m = testInputCount(inputs);
  const f = sampleShape(inputs).reduce((a, b) => a * b, 1);
  const points: Uint8Array[] = [];
  for (let i = 0; i < m; i++) {
    const point = new Uint8Array(f);
    for (let j = 0; j < f; j++) point[j] = featureByte(inputs.data[i * f + j] as number);
    points.push(point);
  }
  return points;
}

/** The Merkle tree over Z's points (feature bytes) that a tuple's `inputsRoot` is the root of. */
export function inputsTree(points: readonly Uint8Array[]): RevealTree {
  return revealTree(points);
}

/** A tuple's `inputsRoot`: the root of {@link inputsTree} over Z's feature bytes. */
export function inputsRoot(inputs: TestInputs): Hex {
  return inputsTree(inputPoints(inputs)).root;
}

/** A label leaf's bytes: the label as uint16, big-endian (what the contract hashes as `abi.encodePacked(uint16)`). */
export function labelLeafBytes(label: number): Uint8Array {
  if (!Number.isInteger(label) || label < 0 || label > 0xffff) throw new RangeError(`label ${label} is not a uint16`);
  return Uint8Array.of(label >> 8, label & 0xff);
}

/** Every tuple's labels packed as `postLabels` takes them (and `LabelsPosted` publishes them): uint16 big-endian, leaf order. */
export function packLabels(labels: readonly ArrayLike<number>[]): Uint8Array {
  const total = labels.reduce((s, l) => s + l.length, 0);
  const out = new Uint8Array(2 * total);
  let at = 0;
  for (const tuple of labels) {
    for (let i = 0; i < tuple.length; i++) {
      out.set(labelLeafBytes(tuple[i] as number), at);
      at += 2;
    }
  }
  return out;
}

/** Packed labels back to one array per tuple of `m` (what a challenger reads from `LabelsPosted`). */
export function unpackLabels(packed: Uint8Array, m: number): Int32Array[] {
  if (packed.length % (2 * m) !== 0) throw new RangeError(`${packed.length} bytes are not whole tuples of ${m} uint16 labels`);
  const tuples: Int32Array[] = [];
  for (let t = 0; t < packed.length / (2 * m); t++) {
    tuples.push(Int32Array.from({ length: m }, (_, i) => ((packed[2 * (t * m + i)] as number) << 8) | (packed[2 * (t * m + i) + 1] as number)));
  }
  return tuples;
}

/** mp = 2^⌈log₂ m⌉: the leaves each tuple's labels take in {@link labelsTree}. */
export function paddedLabelCount(m: number): number {
  let p = 1;
  while (p < m) p *= 2;
  return p;
}

const ZERO_NODE: Hex = `0x${"00".repeat(32)}`;

/**
 * The tree over every tuple's labels: leaf t·mp + i (mp = 2^⌈log₂ m⌉) is tuple t's label of Z_i, every other leaf
 * bytes32(0) up to 2^⌈log₂ (k·mp)⌉, so tuple t's labels are the aligned subtree t, whose root is the root of its own
 * m labels (lib/daimon/delQuantized.ts `labelsTree`, what output disputes check f_q's labels against). With one tuple
 * this is revealTree over the m labels.
 */
export function labelsTree(labels: readonly ArrayLike<number>[]): RevealTree {
  if (labels.length === 0) throw new RangeError("a proof has labels for at least one tuple");
  const m = (labels[0] as ArrayLike<number>).length;
  const mp = paddedLabelCount(m);
  const leaves: Hex[] = [];
  labels.forEach((tuple, t) => {
    if (tuple.length !== m) throw new RangeError(`tuple ${t} has ${tuple.length} labels, tuple 0 has ${m}: every tuple has m`);
    for (let i = 0; i < mp; i++) leaves.push(i < m ? leafHash(labelLeafBytes(tuple[i] as number)) : ZERO_NODE);
  });
  let depth = 0;
  while (2 ** depth < leaves.length) depth++;
  while (leaves.length < 2 ** depth) leaves.push(ZERO_NODE);
  const levels: Hex[][] = [leaves];
  for (let l = 0; l < depth; l++) {
    const below = levels[l] as Hex[];
    const above: Hex[] = [];
    for (let i = 0; i < below.length; i += 2) above.push(nodeHash(below[i] as Hex, below[i + 1] as Hex));
    levels.push(above);
  }
  return { root: (levels[depth] as Hex[])[0] as Hex, depth, pointCount: labels.length * mp, levels };
}

/** A proof's `labelsRoot`. */
export function labelsRoot(labels: readonly ArrayLike<number>[]): Hex {
  return labelsTree(labels).root;
}

/** The DanKu v1 model in `bytes`, or null when the bytes are not one (e.g. an ONNX file). */
export function decodeIntegerModel(bytes: Uint8Array): QuantizedModel | null {
  try {
    return decodeModel(bytes);
  } catch {
    return null;
  }
}

/** The integer model's label of every point (argmax, ties to the lowest class): what the chain's evaluator predicts. */
export function integerLabels(model: QuantizedModel, points: readonly Uint8Array[]): Int32Array {
  const out = new Int32Array(points.length);
  points.forEach((p, i) => {
    out[i] = predict(model, p);
  });
  return out;
}

/**
 * The binding a proof carries: keccak256 of the model bytes, the root of its labels (one array per tuple) and f_q's
 * checkpoints on them (lib/daimon/delQuantized.ts `delqClaim` / `packCheckpoints`).
 */
export function proofBinding(modelBytes: Uint8Array, labels: readonly ArrayLike<number>[], checkpoints: Hex): ProofBinding {
  return { modelHash: modelHash(modelBytes), labelsRoot: labelsRoot(labels), checkpoints };
}

/** Mirrors `struct LabelDispute` (what `disputeLabel` takes). */
export interface LabelDisputeArgs {
  tuple: bigint;
  index: bigint;
  features: Hex;
  inputsPath: Hex[];
  label: number;
  labelsPath: Hex[];
}

/**
 * The arguments disputing the label the proof claims for point `index` of tuple `tuple`: Z_i's bytes with their path
 * in `inputs` (that tuple's {@link inputsTree}) and the claimed label with its path in `labels` (the proof's
 * {@link labelsTree}, built from the labels the improver published).
 */
export function labelDispute(args: {
  tuple: number;
  index: number;
  points: readonly Uint8Array[];
  inputs: RevealTree;
  claimedLabels: readonly ArrayLike<number>[];
  labels: RevealTree;
}): LabelDisputeArgs {
  const { tuple, index } = args;
  const m = args.points.length;
  const point = args.points[index];
  if (!point) throw new RangeError(`there is no test point ${index} (the tuple has ${m})`);
  const label = (args.claimedLabels[tuple] as ArrayLike<number> | undefined)?.[index];
  if (label === undefined) throw new RangeError(`the claimed labels have no entry for tuple ${tuple}, point ${index}`);
  return {
    tuple: BigInt(tuple),
    index: BigInt(index),
    features: bytesToHex(point),
    inputsPath: revealProof(args.inputs, index),
    label,
    labelsPath: revealProof(args.labels, tuple * paddedLabelCount(m) + index),
  };
}

/** Whether a dispute's paths lead to the roots (what the contract checks before running the model). */
export function checkLabelDispute(d: LabelDisputeArgs, inputsRootHex: Hex, labelsRootHex: Hex, m: number): boolean {
  const features = hexToBytes(d.features);
  return (
    verifyRevealProof(inputsRootHex, Number(d.index), features, d.inputsPath) &&
    verifyRevealProof(labelsRootHex, Number(d.tuple) * paddedLabelCount(m) + Number(d.index), labelLeafBytes(d.label), d.labelsPath)
  );
}

/**
 * The first point where the claimed labels differ from the integer model's own (tuple order, then point order), or
 * null when every claimed label is the model's: the point a challenger disputes.
 */
export function findWrongLabel(
  model: QuantizedModel,
  points: readonly (readonly Uint8Array[])[],
  claimedLabels: readonly ArrayLike<number>[],
): { tuple: number; index: number; claimed: number; actual: number } | null {
  for (let t = 0; t < points.length; t++) {
    const tuplePoints = points[t] as readonly Uint8Array[];
    const claimed = claimedLabels[t];
    if (!claimed || claimed.length !== tuplePoints.length) {
      throw new RangeError(`tuple ${t}: ${claimed?.length ?? 0} claimed labels for ${tuplePoints.length} test points`);
    }
    for (let i = 0; i < tuplePoints.length; i++) {
      const actual = predict(model, tuplePoints[i] as Uint8Array);
      if (actual !== claimed[i]) return { tuple: t, index: i, claimed: claimed[i] as number, actual };
    }
  }
  return null;
}

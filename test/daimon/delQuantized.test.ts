/**
 * The quantized DEL function f_q (lib/daimon/delQuantized.ts) and its on-chain recomputation
 * (contracts/daimon/DaimonDelEvaluator.sol, docs/daimon.md §14.3.1):
 *
 *   format        encode → decode is the identity; the streaming decoder takes any split, knows fRoot from the prefix,
 *                 and names the first tampered W1 chunk; K's rule and the sizes at the paper's m, C, H
 *   integer rule  f_q's outputs are quantizeVector of the dequantized float network (±1 unit); exact on chain
 *   chain ≡ TS    60 random small f_q (every segment and the output step) and 3 at H = 1,024 (transactions, each
 *                 under the 16,777,216 cap)
 *   attacks       a claim whose checkpoints go wrong at segment t loses at t and not before; y_t as outputs loses at
 *                 the output step; tampered weights, labels, siblings, state, W2, B2 or commitment revert
 *   f_q vs f      a trained f (m = 1,000, n = 64, H = 256): rank correlation of the distances and the held-out
 *                 figures of docs/daimon-del.md
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { bytesToHex, keccak256, toHex, type Hex } from "viem";
import { DelRandom, randomLabelVector } from "../../lib/daimon/generateData";
import { delForward } from "../../lib/daimon/del";
import { trainDel } from "../../lib/daimon/delTrainer";
import { heldOutPerturbations } from "../../lib/daimon/delMetrics";
import { packVector, quantizeVector } from "../../lib/daimon/fixedPoint";
import {
  DELQ_MAX_SEGMENT,
  DelqError,
  DelqStreamDecoder,
  FLOOR_GAS_PER_BYTE,
  TX_GAS_CAP,
  compareQuantizedDel,
  decodeDelq,
  delqCommit,
  delqCommitArgs,
  delqFileBytes,
  delqForward,
  delqRoot,
  dequantizeDel,
  encodeDelq,
  evaluateDelq,
  firstWrongSegment,
  labelsTree,
  quantizeDel,
  segmentCalldataBytes,
  segmentCount,
  segmentSize,
  stateHash,
  type QuantizedDel,
} from "../../lib/daimon/delQuantized";
import { callOutput, callSegment, delqCase, deployDelq, disputeOutputTx, disputeSegmentTx, honestSegment } from "./delqChain";
import { expectRevert } from "../danku/fixtures";
import { daimonDelEvaluatorAbi } from "../../lib/generated/abis";

interface Shape {
  m: number;
  classCount: number;
  hidden: number;
  n: number;
  k?: number;
}

/** A random f_q: int8 weights uniform in −127…127, |B1| ≤ 2,000, |B2| ≤ 10⁶. */
function randomDelq(shape: Shape, random: DelRandom): QuantizedDel {
  const { m, classCount: C, hidden: H, n } = shape;
  const int8 = (length: number) => Int8Array.from({ length }, () => random.below(255) - 127);
  return {
    m,
    classCount: C,
    hidden: H,
    n,
    k: shape.k ?? segmentSize(H, C, m),
    scale1: 1,
    scale2: 1,
    w1: int8(m * C * H),
    b1: Int32Array.from({ length: H }, () => random.below(4001) - 2000),
    w2: int8(H * n),
    b2: BigInt64Array.from({ length: n }, () => BigInt(random.below(2_000_001) - 1_000_000)),
  };
}

function nextPow2(x: number): number {
  let p = 1;
  while (p < x) p *= 2;
  return p;
}

const ERRORS = daimonDelEvaluatorAbi.filter((item) => item.type === "error");

describe("lib/daimon f_q format", () => {
  it("K's rule: the largest power of two ≤ 256 and ≤ 2^⌈log2 m⌉ within the 14 M floor budget; sizes at the paper's shape", () => {
    expect(segmentSize(1024, 10, 10_000)).to.equal(256);
    expect(segmentSize(1024, 10, 1_000)).to.equal(256);
    expect(segmentSize(1024, 10, 100)).to.equal(128);
    expect(segmentSize(64, 10, 1)).to.equal(1);
    expect(segmentSize(1024, 65_535, 10_000)).to.be.below(256); // 16 siblings per point: fewer points
    const paper = { m: 10_000, classCount: 10, hidden: 1024, n: 256, k: 256 };
    expect(segmentCount(paper)).to.equal(40);
    expect(delqFileBytes(paper)).to.equal(102_400_000 + 33 + 4096 + 2048 + 262_144 + 40 * 32);
  });

  it("encode → decode is the identity; the stream decoder knows fRoot from the prefix and takes any split", () => {
    const random = new DelRandom(7);
    const q = randomDelq({ m: 37, classCount: 3, hidden: 64, n: 5, k: 8 }, random);
    const bytes = encodeDelq(q);
    const back = decodeDelq(bytes);
    expect(back).to.deep.equal(q);
    const root = delqRoot(delqCommit(q));
    const decoder = new DelqStreamDecoder();
    let at = 0;
    let rootSeenAt = -1;
    while (at < bytes.length) {
      const piece = 1 + random.below(5_000);
      decoder.push(bytes.subarray(at, at + piece));
      at += piece;
      if (decoder.root && rootSeenAt < 0) rootSeenAt = at;
    }
    expect(decoder.root).to.equal(root);
    expect(rootSeenAt).to.be.below(bytes.length); // known before W1 is complete
    expect(decoder.finish()).to.deep.equal(q);
  });

  it("a tampered W1 byte is caught in its chunk, before the rest arrives; a truncated file is incomplete", () => {
    const q = randomDelq({ m: 40, classCount: 4, hidden: 32, n: 3, k: 8 }, new DelRandom(8));
    const bytes = encodeDelq(q);
    const prefix = bytes.length - q.w1.length;
    const chunkBytes = 8 * 4 * 32;
    const tampered = bytes.slice();
    tampered[prefix + 2 * chunkBytes + 17]! ^= 1; // chunk 2
    const decoder = new DelqStreamDecoder();
    decoder.push(tampered.subarray(0, prefix + 2 * chunkBytes));
    expect(() => decoder.push(tampered.subarray(prefix + 2 * chunkBytes, prefix + 3 * chunkBytes))).to.throw(DelqError, /chunk 2/);
    expect(() => decodeDelq(bytes.subarray(0, bytes.length - 1))).to.throw(DelqError, /incomplete/);
  });

  it("the integer rule is quantizeVector of the dequantized float network (within one int16 unit)", () => {
    const random = new DelRandom(9);
    let exact = 0;
    let entries = 0;
    for (let t = 0; t < 20; t++) {
      const q = randomDelq({ m: 50, classCount: 10, hidden: 64, n: 16 }, random);
      const x = randomLabelVector(50, 10, random);
      const y = delqForward(q, x);
      const reference = quantizeVector(Array.from(delForward(dequantizeDel(q), x)));
      y.forEach((v, o) => {
        expect(Math.abs(v - reference[o]!)).to.be.at.most(1);
        entries++;
        if (v === reference[o]) exact++;
      });
      expect(evaluateDelq(q, x).outputs).to.deep.equal(y);
    }
    expect(exact / entries).to.be.above(0.99);
  });
});

describe("DaimonDelEvaluator ≡ lib/daimon/delQuantized", () => {
  it("60 random small f_q: every segment's checkpoint and the outputs equal the TypeScript reference", async () => {
    const chain = await loadFixture(deployDelq);
    const random = new DelRandom(20_261_204);
    let segments = 0;
    for (let t = 0; t < 60; t++) {
      const m = 1 + random.below(t < 5 ? 4 : 300);
      const classCount = 2 + random.below(t % 3 === 0 ? 40 : 11);
      const hidden = 32 * (1 + random.below(3));
      const n = 2 + random.below(40);
      const k = Math.min(nextPow2(m), 2 ** random.below(8));
      const c = delqCase(randomDelq({ m, classCount, hidden, n, k }, random), randomLabelVector(m, classCount, random));
      for (let j = 0; j < segmentCount(c.q); j++) {
        expect(await callSegment(chain, c, honestSegment(c, j), c.truth.checkpoints[j]!), `f ${t} (m ${m}, C ${classCount}, H ${hidden}, K ${k}) segment ${j}`).to.equal(
          c.truth.checkpoints[j + 1],
        );
        segments++;
      }
      expect(await callOutput(chain, c), `f ${t} outputs`).to.equal(bytesToHex(packVector(c.truth.outputs)));
    }
    expect(segments).to.be.above(200);
  });

  it("H = 1,024, C = 10 (K = 256): chain ≡ TS in transactions, each step under the 16,777,216 cap", async () => {
    const chain = await loadFixture(deployDelq);
    const random = new DelRandom(1024);
    for (const [m, n] of [
      [600, 64],
      [300, 256],
      [513, 256],
    ] as const) {
      const c = delqCase(randomDelq({ m, classCount: 10, hidden: 1024, n }, random), randomLabelVector(m, 10, random));
      expect(c.q.k).to.equal(DELQ_MAX_SEGMENT);
      for (let j = 0; j < segmentCount(c.q); j++) {
        const outcome = await disputeSegmentTx(chain, c, j, c.truth.checkpoints);
        expect(outcome.wrong, `m ${m} segment ${j}`).to.equal(false);
        expect(Number(outcome.gasUsed)).to.be.below(TX_GAS_CAP);
        // K's rule prices at most this much calldata, at the floor's 40 gas per byte: the estimate bounds the bill.
        expect(outcome.calldataBytes).to.be.at.most(segmentCalldataBytes(c.q.k, 1024, 10, m));
        expect(Number(outcome.gasUsed)).to.be.at.most(21_000 + FLOOR_GAS_PER_BYTE * segmentCalldataBytes(c.q.k, 1024, 10, m));
      }
      const out = await disputeOutputTx(chain, c, bytesToHex(packVector(c.truth.outputs)));
      expect(out.wrong).to.equal(false);
      expect(Number(out.gasUsed)).to.be.below(TX_GAS_CAP);
    }
  });
});

describe("f disputes from the attacker's side", () => {
  async function setup() {
    const chain = await deployDelq();
    const random = new DelRandom(77);
    const m = 70;
    const c = delqCase(randomDelq({ m, classCount: 10, hidden: 64, n: 8, k: 8 }, random), randomLabelVector(m, 10, random));
    return { chain, c };
  }

  it("a claim whose checkpoints go wrong at segment t loses at t, and every earlier segment stands", async () => {
    const { chain, c } = await loadFixture(setup);
    const S = segmentCount(c.q);
    for (const t of [0, 3, S - 1]) {
      // The cheat's run: the true states up to checkpoint t, then a state off by one unit from checkpoint t + 1 on.
      const claimed = c.truth.checkpoints.slice();
      for (let j = t + 1; j <= S; j++) {
        const off = Int32Array.from(c.truth.states[j]!);
        off[5] = off[5]! + 1;
        claimed[j] = stateHash(off);
      }
      expect(firstWrongSegment(c.q, c.x, { checkpoints: claimed, outputs: c.truth.outputs })).to.equal(t);
      for (let j = 0; j < t; j++) expect((await disputeSegmentTx(chain, c, j, claimed)).wrong, `segment ${j} < ${t}`).to.equal(false);
      expect((await disputeSegmentTx(chain, c, t, claimed)).wrong, `segment ${t}`).to.equal(true);
    }
  });

  it("outputs that do not follow from the labels (y_t itself, or one entry off) lose at the output step", async () => {
    const { chain, c } = await loadFixture(setup);
    const S = segmentCount(c.q);
    const honest = packVector(c.truth.outputs);
    expect((await disputeOutputTx(chain, c, bytesToHex(honest))).wrong).to.equal(false);
    const xt = randomLabelVector(c.q.m, 10, new DelRandom(5)); // another label vector's f_q outputs: "y_t as outputs"
    const yt = delqForward(c.q, xt);
    expect(firstWrongSegment(c.q, c.x, { checkpoints: c.truth.checkpoints, outputs: yt })).to.equal(S);
    expect((await disputeOutputTx(chain, c, bytesToHex(packVector(yt)))).wrong).to.equal(true);
    const oneOff = c.truth.outputs.slice();
    oneOff[3] = oneOff[3]! + (oneOff[3]! < 0 ? 1 : -1);
    expect((await disputeOutputTx(chain, c, bytesToHex(packVector(oneOff)))).wrong).to.equal(true);
    expect(firstWrongSegment(c.q, c.x, { checkpoints: c.truth.checkpoints, outputs: c.truth.outputs })).to.equal(null);
  });

  it("tampered weights, siblings, labels, state, segment index or commitment revert", async () => {
    const { chain, c } = await loadFixture(setup);
    const j = 2;
    const s = honestSegment(c, j);
    const before = c.truth.checkpoints[j]!;
    const flip = (hex: Hex, byte: number): Hex => {
      const b = Buffer.from(hex.slice(2), "hex");
      b[byte] = b[byte]! ^ 0x01;
      return `0x${b.toString("hex")}`;
    };
    await expectRevert(callSegment(chain, c, { ...s, rows: flip(s.rows, 64 * 3 + 10) }, before), "WeightsProofInvalid", undefined, ERRORS);
    await expectRevert(callSegment(chain, c, { ...s, rowSiblings: [s.rowSiblings[1]!, s.rowSiblings[0]!, ...s.rowSiblings.slice(2)] }, before), "WeightsProofInvalid", undefined, ERRORS);
    await expectRevert(callSegment(chain, c, { ...s, w1Path: [flip(s.w1Path[0]!, 0), ...s.w1Path.slice(1)] }, before), "WeightsProofInvalid", undefined, ERRORS);
    // Another label at point 1 of the segment (its own row would then be gathered): the labels proof fails first.
    const label = Number(BigInt(`0x${s.labels.slice(6, 10)}`));
    const relabelled = `${s.labels.slice(0, 6)}${toHex((label + 1) % 10, { size: 2 }).slice(2)}${s.labels.slice(10)}` as Hex;
    await expectRevert(callSegment(chain, c, { ...s, labels: relabelled }, before), "LabelsProofInvalid", undefined, ERRORS);
    await expectRevert(callSegment(chain, c, s, before, labelsTree(randomLabelVector(c.q.m, 10, new DelRandom(1))).root), "LabelsProofInvalid", undefined, ERRORS);
    const outOfRange = `${s.labels.slice(0, 6)}${toHex(10, { size: 2 }).slice(2)}${s.labels.slice(10)}` as Hex;
    await expectRevert(callSegment(chain, c, { ...s, labels: outOfRange }, before), "LabelOutOfRange", [BigInt(j * 8 + 1), 10n], ERRORS);
    // Segment j's data presented as segment j + 1.
    await expectRevert(callSegment(chain, c, { ...s, j: BigInt(j + 1) }, before), "LabelsProofInvalid", undefined, ERRORS);
    await expectRevert(callSegment(chain, c, { ...s, state: flip(s.state, 7) }, before), "CheckpointMismatch", undefined, ERRORS);
    await expectRevert(callSegment(chain, c, s, c.truth.checkpoints[j + 1]!), "CheckpointMismatch", undefined, ERRORS);
    await expectRevert(callSegment(chain, c, { ...s, rows: `${s.rows}00` as Hex }, before), "WrongLength", undefined, ERRORS);
    await expectRevert(callSegment(chain, c, { ...s, j: BigInt(segmentCount(c.q)) }, before), "SegmentOutOfRange", undefined, ERRORS);
    await expectRevert(
      chain.evaluator.read.segment([{ ...delqCommitArgs(c.commit), k: 16n }, c.root, c.labels.root, before, s]),
      "CommitMismatch",
      undefined,
      ERRORS,
    );
  });

  it("a tampered W2 or B2 fails the output layer's commitment; a wrong last state its checkpoint", async () => {
    const { chain, c } = await loadFixture(setup);
    const w2 = Int8Array.from(c.q.w2);
    w2[100] = w2[100] === 0 ? 1 : 0;
    const b2 = BigInt64Array.from(c.q.b2);
    b2[0] = b2[0]! + 1n;
    const tamperedW2 = { ...c, q: { ...c.q, w2 } };
    const tamperedB2 = { ...c, q: { ...c.q, b2 } };
    await expectRevert(callOutput(chain, tamperedW2), "OutputLayerMismatch", undefined, ERRORS);
    await expectRevert(callOutput(chain, tamperedB2), "OutputLayerMismatch", undefined, ERRORS);
    const S = segmentCount(c.q);
    await expectRevert(callOutput(chain, c, c.truth.states[S - 1]!), "CheckpointMismatch", undefined, ERRORS);
    expect(keccak256(await callOutput(chain, c))).to.equal(keccak256(packVector(c.truth.outputs)));
  });
});

describe("f_q tracks the float f (trained, m = 1,000, n = 64, C = 10, H = 256)", () => {
  it("rank correlation of the distances ≥ 0.999; f_q's held-out MAE ≤ 0.01 and pair ordering ≥ 0.99, as f's", async () => {
    const C = 10;
    const xt = randomLabelVector(1000, C, new DelRandom(2));
    const result = await trainDel(xt, C, { n: 64, hidden: 256, seed: 3 }, { progressIntervalMs: 5000 });
    const q = quantizeDel(result.parameters);
    const cmp = compareQuantizedDel(result.parameters, q, xt, heldOutPerturbations(xt, C, { seed: 11 }));
    process.stdout.write(`      f_q vs f: ${JSON.stringify(cmp)}\n`);
    expect(cmp.spearman).to.be.above(0.999);
    expect(cmp.quantized.mae).to.be.below(0.01);
    expect(cmp.quantized.pairOrdering).to.be.above(0.99);
    expect(cmp.maxAbsGap).to.be.below(0.01);
  });
});

/**
 * The worst-case evaluation a competition promises fits its evaluation period (docs/protocol.md §7.2).
 *
 * Creation requires evaluationPeriod ≥ EVALUATION_PERIOD_FACTOR × ceil(totalPoints / WORST_CASE_POINTS_PER_EVALUATION_TX),
 * where WORST_CASE_POINTS_PER_EVALUATION_TX = floor((EVALUATION_TX_GAS − MAX_EVALUATION_SETUP_GAS) /
 * MAX_EVALUATION_GAS_PER_POINT). That promise holds only if no `evaluate` transaction of any model the limits allow
 * costs more than MAX_EVALUATION_SETUP_GAS + n × MAX_EVALUATION_GAS_PER_POINT for n points. This file measures the
 * largest models the limits allow (MAX_MODEL_BYTES) through real competitions on the Hardhat network:
 *
 *   wide         1024 → 56 → 2: the widest input (1,025-byte points), one big hidden layer
 *   deep         256 → 88 × 6 → 2: seven weight layers
 *   alternating  1 → 1024 → 1 → 1024 → 1 → 1024 → 1 → 1024 → 16: 1,024-wide layers fed by one input, which the
 *                evaluator pads to a whole lane word (8 MACs for 1) and runs with bias, ReLU, shift and saturation
 *                per group of eight: the most evaluation gas per point of any shape we found
 *   memory       2 → 1024 → 2 → 1024 → 1 → 1024 → 2 → 1024 → 12: the same idea, the most expanded model memory,
 *                i.e. the largest setup
 * (The last two came out of a hill-climbing search over shapes within the limits with the evaluator harness
 * (contracts/testing/EvaluatorHarness.sol), starting from wide, deep and alternating shapes: per point it found at
 * most 418 k gas, setup at most 2.25 M gas there; plain wide or deep models stay near 250–290 k and 1.7 M.)
 *
 * Every test point sits in its own data contract (one-point groups revealed one per transaction): the most data
 * contracts an organizer can make an evaluation read. Setup and per-point gas come from evaluate(id, 1) and
 * evaluate(id, k) from the same state; every transaction is sent with exactly EVALUATION_TX_GAS of gas.
 * The figures are printed for docs/protocol.md §7.2.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { parseEventLogs, type TransactionReceipt } from "viem";
import { dankuCompetitionAbi } from "../../lib/generated/abis";
import {
  EVALUATION_PERIOD_FACTOR,
  EVALUATION_TX_GAS,
  MAX_EVALUATION_GAS_PER_POINT,
  MAX_EVALUATION_SETUP_GAS,
  MAX_LANE_WORDS,
  MAX_MODEL_BYTES,
  MAX_SHIFT,
  MIN_PERIOD,
  TX_GAS_CAP,
} from "../../lib/danku/constants";
import { encodedModelLength, laneWords, type DataPoint, type QuantizedLayer, type QuantizedModel } from "../../lib/danku/encoding";
import { evaluateAccuracy, logits, predict } from "../../lib/danku/forward";
import { WORST_CASE_POINTS_PER_EVALUATION_TX, requiredEvaluationBlocks, type DataGroup } from "../../lib/danku/groups";
import {
  DEFAULT_CONFIG,
  Stage,
  commit,
  createCompetition,
  deadlinesOf,
  deployEnv,
  doSplit,
  makeGroups,
  makePoints,
  mineTo,
  mineUntilNextTxIn,
  prepareModel,
  receipt,
  reveal,
  salt,
  seededRng,
  type Config,
  type Created,
  type Env,
  type WalletClient,
} from "./fixtures";

const TX_GAS = BigInt(EVALUATION_TX_GAS);
const PER_TX = WORST_CASE_POINTS_PER_EVALUATION_TX;
/** Points of the second measurement: several batches of the evaluator (4 points a batch for 1,024-wide layers). */
const SAMPLE = 17;

interface Shape {
  name: string;
  widths: number[];
}

const WIDE: Shape = { name: "wide", widths: [1024, 56, 2] };
const DEEP: Shape = { name: "deep", widths: [256, 88, 88, 88, 88, 88, 88, 2] };
const ALTERNATING: Shape = { name: "alternating", widths: [1, 1024, 1, 1024, 1, 1024, 1, 1024, 16] };
const MEMORY: Shape = { name: "memory", widths: [2, 1024, 2, 1024, 1, 1024, 2, 1024, 12] };

/**
 * One neuron's random int8 weights. A row of 8 or more sums to zero (a random half and its negation, shuffled), so
 * the common part of the non-negative activations cancels and the outputs follow the input instead of one class
 * winning everywhere; a bottleneck row (≤ 2 neurons) is non-negative, so the neuron never dies for every input.
 */
function weightRow(fanIn: number, rng: () => number, nonNegative: boolean): number[] {
  if (nonNegative) return Array.from({ length: fanIn }, () => Math.floor(rng() * 128));
  if (fanIn < 8) return Array.from({ length: fanIn }, () => Math.floor(rng() * 256) - 128);
  const half = Array.from({ length: fanIn >> 1 }, () => Math.floor(rng() * 255) - 127);
  const row = [...half, ...half.map((w) => -w), ...(fanIn % 2 ? [0] : [])];
  for (let i = row.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [row[i], row[j]] = [row[j] as number, row[i] as number];
  }
  return row;
}

/**
 * Random int8 weights and small biases. Each hidden layer's shift is calibrated on `inputs` so that its activations
 * spread over 0 … 255 (the 90th percentile of the positive pre-activations maps to 255) instead of all saturating or
 * all vanishing.
 */
function worstCaseModel(widths: readonly number[], seed: number, inputs: readonly ArrayLike<number>[]): QuantizedModel {
  const rng = seededRng(seed);
  const layers: QuantizedLayer[] = [];
  for (let l = 0; l < widths.length - 1; l++) {
    const fanIn = widths[l] as number;
    const fanOut = widths[l + 1] as number;
    const isOutput = l === widths.length - 2;
    const bottleneck = !isOutput && fanOut <= 2;
    const layer = {
      shift: 0,
      biases: Array.from({ length: fanOut }, () => Math.floor(rng() * 2001) - 1000),
      weights: Array.from({ length: fanOut }, () => weightRow(fanIn, rng, bottleneck)),
    };
    layers.push(layer);
    if (!isOutput) {
      // With this layer last (shift 0, no activation), logits are its pre-activations.
      const partial: QuantizedModel = { widths: widths.slice(0, l + 2), layers };
      const positive = inputs.flatMap((x) => logits(partial, x).filter((z) => z > 0)).sort((x, y) => x - y);
      const high = positive[Math.floor(positive.length * 0.9)] ?? 1;
      layer.shift = Math.min(MAX_SHIFT, Math.max(0, Math.ceil(Math.log2(Math.max(1, high) / 255))));
    }
  }
  return { widths: [...widths], layers };
}

function log(line: string): void {
  console.log(`      ${line}`);
}

interface Setup {
  created: Created;
  id: bigint;
  model: QuantizedModel;
  test: DataPoint[];
}

/**
 * A competition of `points` one-point groups (10 % training), one revealed worst-case model, the test groups
 * revealed one per transaction (each point its own data contract), and the chain at block `testRevealEnd − 1`,
 * so that the next transaction is the first block of the evaluation period a late test reveal leaves.
 */
async function worstCaseCompetition(env: Env, shape: Shape, points: number, config: Partial<Config> = {}): Promise<Setup> {
  const widths = shape.widths;
  expect(encodedModelLength(widths), `${shape.name}: model bytes`).to.be.at.most(MAX_MODEL_BYTES);
  expect(laneWords(widths), `${shape.name}: lane words`).to.be.at.most(MAX_LANE_WORDS);
  const featureCount = widths[0] as number;
  const classCount = widths[widths.length - 1] as number;
  const full: Config = {
    ...DEFAULT_CONFIG,
    featureCount,
    classCount,
    trainingBps: 1000,
    // One block per reveal transaction.
    testRevealPeriod: points + 20,
    evaluationPeriod: Math.max(MIN_PERIOD, requiredEvaluationBlocks(points)),
    ...config,
  };
  const groups = makeGroups(makePoints(points, featureCount, classCount, 17), points, full, 18);
  expect(groups.every((g) => g.points.length === 1)).to.equal(true);
  const created = await createCompetition(env, { config: full, groups });
  const split = await doSplit(env, created);
  await reveal(env, created.organizer, true, split.training.map((g) => groups[g] as DataGroup));
  const alice = env.wallets[1] as WalletClient;
  const inputs = groups.map((g) => (g.points[0] as DataPoint).features);
  const testPoints = split.test.flatMap((g) => (groups[g] as DataGroup).points);
  // Which points are test points follows the block hashes, so it moves with any change to the contracts' code: take
  // the first model seed from 23 on whose predictions on them are not one class (checked below).
  let model = worstCaseModel(widths, 23, inputs);
  for (let seed = 24; seed < 44 && new Set(testPoints.map((p) => predict(model, p.features))).size < 2; seed++) {
    model = worstCaseModel(widths, seed, inputs);
  }
  const prepared = prepareModel(model, salt(7));
  const id = await commit(env, created, alice, prepared);
  const d = await deadlinesOf(created.organizer);
  await mineUntilNextTxIn(env, d.submissionEnd);
  await receipt(env, created.as(alice).write.revealModel([id, prepared.bytes, prepared.salt], { gas: BigInt(TX_GAS_CAP) }));
  await mineUntilNextTxIn(env, d.modelRevealEnd);
  const testGroups = split.test.map((g) => groups[g] as DataGroup);
  for (const g of testGroups) await reveal(env, created.organizer, false, [g]);
  expect(await created.organizer.read.testCompleted()).to.equal(true);
  expect(await created.organizer.read.dataChunkCount([false])).to.equal(BigInt(testGroups.length));
  await mineUntilNextTxIn(env, d.testRevealEnd);
  const test = testGroups.flatMap((g) => g.points);
  // The model's predictions are not constant: the forward pass does real work on these points.
  expect(new Set(test.map((p) => predict(model, p.features))).size, `${shape.name}: predicted classes`).to.be.greaterThan(1);
  return { created, id, model, test };
}

async function evaluateTx(env: Env, setup: Setup, maxPoints: number): Promise<TransactionReceipt> {
  return receipt(env, setup.created.organizer.write.evaluate([setup.id, BigInt(maxPoints)], { gas: TX_GAS }));
}

/** Gas of evaluate(id, n) from the current state, which is then restored. */
async function gasOfEvaluate(env: Env, setup: Setup, n: number): Promise<bigint> {
  const snapshot = await env.testClient.snapshot();
  const r = await evaluateTx(env, setup, n);
  await env.testClient.revert({ id: snapshot });
  return r.gasUsed;
}

describe("evaluation fits its period (docs/protocol.md §7.2)", function () {
  this.timeout(300_000);

  it("the rule's constants: setup and per-point bounds leave room for WORST_CASE_POINTS_PER_EVALUATION_TX points", function () {
    expect(PER_TX).to.equal(Math.floor((EVALUATION_TX_GAS - MAX_EVALUATION_SETUP_GAS) / MAX_EVALUATION_GAS_PER_POINT));
    expect(PER_TX).to.be.at.least(1);
    expect(MAX_EVALUATION_SETUP_GAS + PER_TX * MAX_EVALUATION_GAS_PER_POINT).to.be.at.most(EVALUATION_TX_GAS);
    expect(EVALUATION_TX_GAS).to.be.below(TX_GAS_CAP);
    expect(requiredEvaluationBlocks(1)).to.equal(EVALUATION_PERIOD_FACTOR);
    expect(requiredEvaluationBlocks(PER_TX)).to.equal(EVALUATION_PERIOD_FACTOR);
    expect(requiredEvaluationBlocks(PER_TX + 1)).to.equal(2 * EVALUATION_PERIOD_FACTOR);
  });

  const measured: { name: string; setup: number; perPoint: number; full: bigint }[] = [];

  for (const shape of [WIDE, DEEP, ALTERNATING, MEMORY]) {
    it(`${shape.name} ${shape.widths.join("-")}: setup ≤ MAX_EVALUATION_SETUP_GAS, per point ≤ MAX_EVALUATION_GAS_PER_POINT, ${PER_TX} points in one transaction`, async function () {
      const env = await loadFixture(deployEnv);
      // Enough test points for one full worst-case transaction and a bit (10 % of the groups are training groups).
      const points = Math.ceil((PER_TX + 3) / 0.9);
      const setup = await worstCaseCompetition(env, shape, points);
      expect(setup.test.length).to.be.above(PER_TX + 1);
      // Setup and per-point gas from 1 and SAMPLE points (several of the evaluator's batches, well within a transaction).
      const one = await gasOfEvaluate(env, setup, 1);
      const sample = await gasOfEvaluate(env, setup, SAMPLE);
      const perPoint = Number(sample - one) / (SAMPLE - 1);
      const fixed = Number(one) - perPoint;
      log(`${shape.name}: evaluate(id, 1) = ${one}, evaluate(id, ${SAMPLE}) = ${sample} gas`);
      expect(fixed, "setup").to.be.at.most(MAX_EVALUATION_SETUP_GAS);
      expect(perPoint, "gas per point").to.be.at.most(MAX_EVALUATION_GAS_PER_POINT);
      // Then a full worst-case transaction, sent with EVALUATION_TX_GAS.
      const full = await gasOfEvaluate(env, setup, PER_TX);
      measured.push({ name: shape.name, setup: fixed, perPoint, full });
      log(
        `${shape.name} ${shape.widths.join("-")} (${encodedModelLength(shape.widths)} bytes, ${laneWords(shape.widths)} lane words): ` +
          `setup ${fixed.toFixed(0)} gas (bound ${MAX_EVALUATION_SETUP_GAS}, ${(100 * (1 - fixed / MAX_EVALUATION_SETUP_GAS)).toFixed(1)} % margin), ` +
          `${perPoint.toFixed(0)} gas/point (bound ${MAX_EVALUATION_GAS_PER_POINT}, ${(100 * (1 - perPoint / MAX_EVALUATION_GAS_PER_POINT)).toFixed(1)} % margin); ` +
          `evaluate(id, 1) = ${one}, evaluate(id, ${PER_TX}) = ${full} gas (≤ ${EVALUATION_TX_GAS})`,
      );
      expect(full <= TX_GAS).to.equal(true);

      // The whole evaluation, from other cursor positions: every transaction within the bound for its points.
      const c = setup.created.organizer;
      let cursor = 0;
      for (const n of [1, PER_TX, PER_TX]) {
        const r = await evaluateTx(env, setup, n);
        const [progress] = parseEventLogs({ abi: dankuCompetitionAbi, logs: r.logs, eventName: "EvaluationProgressed" });
        const done = Number(progress?.args.cursor ?? 0) - cursor;
        cursor += done;
        expect(Number(r.gasUsed), `${done} points from cursor ${cursor - done}`).to.be.at.most(MAX_EVALUATION_SETUP_GAS + done * MAX_EVALUATION_GAS_PER_POINT);
        if (cursor === setup.test.length) break;
      }
      const s = await c.read.submissionAt([setup.id]);
      expect(s.evaluated).to.equal(true);
      expect(s.correct).to.equal(evaluateAccuracy(setup.model, setup.test).correct);
    });
  }

  it("reports the worst figures measured", function () {
    if (measured.length === 0) this.skip();
    const worstSetup = measured.reduce((a, m) => (m.setup > a.setup ? m : a));
    const worstPoint = measured.reduce((a, m) => (m.perPoint > a.perPoint ? m : a));
    log(`worst setup ${worstSetup.setup.toFixed(0)} gas (${worstSetup.name}), worst per point ${worstPoint.perPoint.toFixed(0)} gas (${worstPoint.name})`);
    log(`bounds: setup ${MAX_EVALUATION_SETUP_GAS}, per point ${MAX_EVALUATION_GAS_PER_POINT} → ${PER_TX} worst-case points per ${EVALUATION_TX_GAS}-gas transaction`);
    expect(worstSetup.setup + PER_TX * worstPoint.perPoint).to.be.at.most(EVALUATION_TX_GAS);
  });

  it("a competition with the shortest accepted evaluation period evaluates a worst-case model on all its points, one transaction every other block", async function () {
    const env = await loadFixture(deployEnv);
    // The smallest point count whose required period exceeds MIN_PERIOD, plus one point: a partial last transaction.
    let points = 1;
    while (requiredEvaluationBlocks(points) <= MIN_PERIOD) points += PER_TX;
    const period = requiredEvaluationBlocks(points);
    expect(period).to.be.greaterThan(MIN_PERIOD);
    const setup = await worstCaseCompetition(env, ALTERNATING, points, { evaluationPeriod: period });
    const c = setup.created.organizer;
    const d = await deadlinesOf(c);
    expect(d.evaluationEnd - d.testRevealEnd).to.equal(BigInt(period));
    // The period counts from testRevealEnd (the organizer may reveal the test data in its last block).
    let block = d.testRevealEnd;
    let transactions = 0;
    for (;;) {
      await mineUntilNextTxIn(env, block);
      const r = await evaluateTx(env, setup, PER_TX);
      expect(r.blockNumber).to.equal(block);
      transactions++;
      if ((await c.read.submissionAt([setup.id])).evaluated) break;
      // Every other block is lost to congestion: the period's factor of 2 covers it.
      block += 2n;
    }
    log(`${points} points (${setup.test.length} test points), evaluation period ${period} blocks: ${transactions} transactions, last in block ${block - d.testRevealEnd + 1n} of ${period}`);
    expect(block < d.evaluationEnd).to.equal(true);
    expect(transactions).to.equal(Math.ceil(setup.test.length / PER_TX));
    expect(transactions * EVALUATION_PERIOD_FACTOR).to.be.at.most(period);
    const s = await c.read.submissionAt([setup.id]);
    expect(s.correct).to.equal(evaluateAccuracy(setup.model, setup.test).correct);
    // The evaluated model wins (no accuracy threshold).
    await mineTo(env, d.evaluationEnd);
    expect(await c.read.stage()).to.equal(Stage.AwaitingFinalization);
    await receipt(env, c.write.finalize());
    expect(await c.read.best()).to.deep.equal([true, setup.id, BigInt(s.correct)]);
  });
});

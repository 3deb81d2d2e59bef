/**
 * Gas of the headline paths, asserted against the performance targets and the EIP-7825 per-transaction cap
 * (16,777,216 gas, enforced by Hardhat's osaka hardfork). Figures are printed so regressions show in the log.
 *
 *   evaluation, 2-16-16-2 × 1,000 points, all-in        ≤ 12 gas per multiply-accumulate
 *   model reveal, 784-32-10                             ≤ 400 gas per stored weight
 *   data reveal, 2 features + label, 20 points a group   ≤ 1,000 gas per point (≈ 1,020 with 10 a group)
 *   10,000 points × 2-16-16-2 and 1,000 × 784-32-10      evaluable with every transaction under the cap
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { TransactionReceipt } from "viem";
import { TX_GAS_CAP } from "../../lib/danku/constants";
import { encodeModel, macsPerPoint, type QuantizedModel } from "../../lib/danku/encoding";
import { evaluateAccuracy } from "../../lib/danku/forward";
import { minimumEvaluationPeriod, type DataGroup } from "../../lib/danku/groups";
import {
  DEFAULT_CONFIG,
  commit,
  createCompetition,
  deadlinesOf,
  deployEnv,
  doSplit,
  makeGroups,
  makePoints,
  mineUntilNextTxIn,
  prepareModel,
  receipt,
  reveal,
  revealModel,
  salt,
  seededRng,
  type Config,
  type Created,
  type Env,
  type WalletClient,
} from "./fixtures";

const CAP = BigInt(TX_GAS_CAP);

/** Random int8 weights; shifts chosen so hidden activations spread over 0..255. */
function randomModel(widths: number[], seed: number): QuantizedModel {
  const rng = seededRng(seed);
  return {
    widths,
    layers: widths.slice(1).map((fanOut, l) => {
      const fanIn = widths[l] as number;
      const isOutput = l === widths.length - 2;
      return {
        shift: isOutput ? 0 : Math.max(0, Math.round(Math.log2(Math.sqrt(fanIn) * 40 * 128) - 8)),
        biases: Array.from({ length: fanOut }, () => Math.floor(rng() * 2001) - 1000),
        weights: Array.from({ length: fanOut }, () => Array.from({ length: fanIn }, () => Math.floor(rng() * 256) - 128)),
      };
    }),
  };
}

const sum = (rs: readonly TransactionReceipt[]) => rs.reduce((a, r) => a + r.gasUsed, 0n);
const max = (rs: readonly TransactionReceipt[]) => rs.reduce((a, r) => (r.gasUsed > a ? r.gasUsed : a), 0n);

/** Reveals groups in transactions of at most `maxBytes` point bytes. */
async function revealInBatches(env: Env, created: Created, training: boolean, groups: DataGroup[], maxBytes: number) {
  const receipts: TransactionReceipt[] = [];
  let batch: DataGroup[] = [];
  let bytes = 0;
  for (const g of groups) {
    if (batch.length > 0 && bytes + g.bytes.length > maxBytes) {
      receipts.push(await reveal(env, created.organizer, training, batch));
      batch = [];
      bytes = 0;
    }
    batch.push(g);
    bytes += g.bytes.length;
  }
  if (batch.length > 0) receipts.push(await reveal(env, created.organizer, training, batch));
  return receipts;
}

interface Scenario {
  widths: number[];
  testPoints: number;
  pointsPerGroup: number;
  /** Points per evaluate transaction, in order; the last entry repeats. */
  batches: number[];
}

/** A competition with `testPoints` test points (10 % training groups), one revealed model, evaluated to the end. */
async function runScenario(env: Env, s: Scenario) {
  const featureCount = s.widths[0] as number;
  const classCount = s.widths[s.widths.length - 1] as number;
  const testGroups = Math.ceil(s.testPoints / s.pointsPerGroup);
  const groupCount = testGroups + Math.max(1, Math.floor(testGroups / 9));
  const config: Config = {
    ...DEFAULT_CONFIG,
    featureCount,
    classCount,
    trainingBps: 1000,
    trainingRevealPeriod: 1000,
    testRevealPeriod: 1000,
    // At least what the evaluation-fits rule asks for all the points (docs/protocol.md §7.2).
    evaluationPeriod: Math.max(1000, minimumEvaluationPeriod(groupCount * s.pointsPerGroup)),
  };
  const points = makePoints(groupCount * s.pointsPerGroup, featureCount, classCount, 7);
  const groups = makeGroups(points, groupCount, config, 8);
  const created = await createCompetition(env, { config, groups });
  const split = await doSplit(env, created);
  const trainingReceipts = await revealInBatches(env, created, true, split.training.map((g) => groups[g] as DataGroup), 48_000);
  const alice = env.wallets[1] as WalletClient;
  const model = randomModel(s.widths, 11);
  const prepared = prepareModel(model, salt(5));
  const id = await commit(env, created, alice, prepared);
  const d = await deadlinesOf(created.organizer);
  await mineUntilNextTxIn(env, d.submissionEnd);
  const modelReceipt = await revealModel(env, created, alice, id, prepared);
  await mineUntilNextTxIn(env, d.modelRevealEnd);
  const test = split.test.map((g) => groups[g] as DataGroup);
  const testReceipts = await revealInBatches(env, created, false, test, 48_000);
  const testPoints = test.flatMap((g) => g.points);
  const evalReceipts: TransactionReceipt[] = [];
  for (let i = 0; ; i++) {
    const sub = await created.organizer.read.submissionAt([id]);
    if (sub.evaluated) break;
    const batch = s.batches[Math.min(i, s.batches.length - 1)] as number;
    evalReceipts.push(await receipt(env, created.organizer.write.evaluate([id, BigInt(batch)], { gas: CAP })));
  }
  const sub = await created.organizer.read.submissionAt([id]);
  expect(sub.correct).to.equal(evaluateAccuracy(model, testPoints).correct);
  const weights = s.widths.slice(1).reduce((a, w, l) => a + w * (s.widths[l] as number), 0);
  return { created, testPoints: testPoints.length, trainingReceipts, testReceipts, modelReceipt, evalReceipts, weights, macs: macsPerPoint(s.widths), modelBytes: encodeModel(model).length };
}

function log(line: string): void {
  console.log(`      ${line}`);
}

describe("gas", function () {
  this.timeout(600_000);

  it("2-16-16-2 × 1,000 points: ≤ 12 gas per MAC all-in; data reveal ≤ 1,000 gas per point", async function () {
    const env = await loadFixture(deployEnv);
    const r = await runScenario(env, { widths: [2, 16, 16, 2], testPoints: 1000, pointsPerGroup: 20, batches: [1000] });
    expect(r.testPoints).to.equal(1000);
    const evalGas = sum(r.evalReceipts);
    const perMac = Number(evalGas) / (r.testPoints * r.macs);
    const revealPerPoint = Number(sum(r.testReceipts)) / r.testPoints;
    log(`evaluation: ${evalGas} gas in ${r.evalReceipts.length} tx = ${perMac.toFixed(2)} gas/MAC (${r.macs} MACs/point)`);
    log(`test-data reveal: ${revealPerPoint.toFixed(0)} gas/point (${r.testPoints} points in ${r.testReceipts.length} tx, 20 points/group)`);
    log(`model reveal: ${r.modelReceipt.gasUsed} gas for ${r.weights} weights (${r.modelBytes} bytes) = ${(Number(r.modelReceipt.gasUsed) / r.weights).toFixed(0)} gas/weight`);
    expect(perMac).to.be.at.most(12);
    expect(revealPerPoint).to.be.at.most(1000);
    const small = await runScenario(await loadFixture(deployEnv), { widths: [2, 16, 16, 2], testPoints: 1000, pointsPerGroup: 10, batches: [1000] });
    log(`test-data reveal with 10 points/group: ${(Number(sum(small.testReceipts)) / small.testPoints).toFixed(0)} gas/point`);
  });

  it("784-32-10: ≤ 400 gas per stored weight at model reveal; 150 points per transaction under the cap", async function () {
    const env = await loadFixture(deployEnv);
    const r = await runScenario(env, { widths: [784, 32, 10], testPoints: 300, pointsPerGroup: 10, batches: [150] });
    const perWeight = Number(r.modelReceipt.gasUsed) / r.weights;
    const full = r.evalReceipts[0] as TransactionReceipt;
    log(`model reveal: ${r.modelReceipt.gasUsed} gas for ${r.weights} weights (${r.modelBytes} bytes) = ${perWeight.toFixed(0)} gas/weight`);
    log(`evaluation: ${r.evalReceipts.length} tx, largest ${max(r.evalReceipts)} gas; 150 points = ${full.gasUsed} gas = ${(Number(full.gasUsed) / (150 * r.macs)).toFixed(2)} gas/MAC`);
    log(`data reveal: ${(Number(sum(r.testReceipts)) / r.testPoints).toFixed(0)} gas/point, largest tx ${max([...r.testReceipts, ...r.trainingReceipts])}`);
    expect(perWeight).to.be.at.most(400);
    // Every evaluate transaction covers 150 points wherever the cursor is (153 fit), so 1,000 points take 7.
    expect(r.evalReceipts.length).to.equal(Math.ceil(r.testPoints / 150));
    expect(max(r.evalReceipts) < CAP).to.equal(true);
    expect(max([...r.testReceipts, ...r.trainingReceipts]) < CAP).to.equal(true);
  });

  it("10,000 points × 2-16-16-2 evaluable, 4,000 points per transaction under the cap", async function () {
    const env = await loadFixture(deployEnv);
    const r = await runScenario(env, { widths: [2, 16, 16, 2], testPoints: 10_000, pointsPerGroup: 20, batches: [4000] });
    const [first, second, third] = r.evalReceipts as [TransactionReceipt, TransactionReceipt, TransactionReceipt];
    const marginal = Number(first.gasUsed - third.gasUsed) / (4000 - (r.testPoints - 8000));
    const fixed = Number(first.gasUsed) - marginal * 4000;
    log(`evaluation: ${r.evalReceipts.map((x) => x.gasUsed).join(" + ")} gas; ${marginal.toFixed(0)} gas/point marginal, ${fixed.toFixed(0)} fixed`);
    log(`max points per transaction ≈ ${Math.floor((TX_GAS_CAP - fixed) / marginal)}`);
    expect(r.evalReceipts.length).to.equal(3);
    expect(second.gasUsed < CAP).to.equal(true);
    expect(max(r.evalReceipts) < CAP).to.equal(true);
    expect(max([...r.testReceipts, ...r.trainingReceipts]) < CAP).to.equal(true);
  });

  it("the largest revealable model (≈ 64 KiB) reveals and evaluates under the cap", async function () {
    const env = await loadFixture(deployEnv);
    const r = await runScenario(env, { widths: [1000, 64, 2], testPoints: 40, pointsPerGroup: 4, batches: [40] });
    log(`model reveal: ${r.modelBytes} bytes, ${r.modelReceipt.gasUsed} gas; evaluation of 40 points: ${(r.evalReceipts[0] as TransactionReceipt).gasUsed} gas`);
    expect(r.modelBytes).to.be.greaterThan(64_000);
    expect(r.modelReceipt.gasUsed < CAP).to.equal(true);
    expect(max(r.evalReceipts) < CAP).to.equal(true);
  });
});

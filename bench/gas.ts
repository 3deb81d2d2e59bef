/**
 * `npm run bench:gas`: gas of every DanKu step on the issue's networks and test-set sizes, on Hardhat's in-process
 * chain (hardfork osaka, 16,777,216 gas per transaction). Every step goes through the same library flows as the CLI
 * and the web app. Writes bench/results/gas.json and prints a table; also checks lib/danku/gasModel.ts against the
 * measured evaluation transactions and prints the fitted coefficients.
 *
 * What issue 9's checks cost (committed group sizes, the evaluation-fits rule, the seeded split, the reveal decoder's
 * bounds): every case also records its creation, init2 and reveal gas before them (the figures of bench/results/gas.json
 * at BASELINE_COMMIT) next to today's, as creationGas / creationGasBefore and so on.
 *
 * Claim mode (issue 10 §1, §2, §4; docs/protocol.md §11): CLAIM_CASES run the same steps in a claim-mode competition
 * (test reveal into labels and roots, one claim per submission, disputes of wrong claims at the first, a middle and the
 * last point, settlement) on MNIST-like points (80 % zero feature bytes), and each is compared with today's on-chain
 * design for the same competition, computed from that design's measured per-point and per-transaction figures for the
 * same network in the same run (ONCHAIN_REFERENCE, 100 points: running it at 10,000 points would take hours).
 *
 * BENCH_CASES="2-16-16-2:10000,784-32-10:100,claim:784-64-10:10000,claim:lenet-28x28x1:10000,claim:784-128-10:10000" runs a
 * subset (and writes only that subset).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import hre from "hardhat";
import { parseEther, toHex, type Address, type Hex, type PublicClient } from "viem";
import { mine } from "@nomicfoundation/hardhat-network-helpers";
import { dankuCompetitionAbi } from "../lib/generated/abis";
import { readCompetition, type DankuWallet } from "../lib/chain/danku";
import { commitSubmission, evaluateSubmissionToEnd, launchCompetition, mineLocalBlocks, revealPendingGroups } from "../lib/chain/flows";
import { sendContractTransaction } from "../lib/chain/transactions";
import { deployFactory } from "../lib/chain/deploy";
import { buildDataGroups, groupPointCounts } from "../lib/danku/groups";
import { macsPerPoint, modelHash, pointSize, submissionCommitment, type DataPoint, type QuantizedModel } from "../lib/danku/encoding";
import { evaluateAccuracy } from "../lib/danku/forward";
import { estimateEvaluationGas } from "../lib/danku/gasModel";
import { seededUniform } from "../lib/danku/train";
import { TX_GAS_CAP } from "../lib/danku/constants";
import { claimScore, disputeClaim, readClaimModeRevealCalls, settleClaim } from "../lib/chain/claims";
import { encodeClaimModel, locateTestPoint, predictionsOf, revealProof, revealTree, type ClaimModel } from "../lib/danku/claims";
import { anyModelMacs, anyModelWork, isCnnModel } from "../lib/danku/anyModel";
import { type CnnLayer, type FloatCnnModel } from "../lib/danku/cnn/model";
import { quantizeCnnModel } from "../lib/danku/cnn/quantize";

interface BenchCase {
  widths: number[];
  testPoints: number;
  pointsPerGroup: number;
  /** Feature bytes are 0 with this probability, else uniform in 1..255 (MNIST's images are ≈ 80 % zero bytes); 0 or absent: uniform bytes. */
  zeroShare?: number;
}

const CASES: BenchCase[] = [
  { widths: [2, 4, 4, 2], testPoints: 100, pointsPerGroup: 10 },
  { widths: [2, 4, 4, 2], testPoints: 1_000, pointsPerGroup: 20 },
  { widths: [2, 4, 4, 2], testPoints: 10_000, pointsPerGroup: 20 },
  { widths: [2, 16, 16, 2], testPoints: 100, pointsPerGroup: 10 },
  { widths: [2, 16, 16, 2], testPoints: 1_000, pointsPerGroup: 20 },
  { widths: [2, 16, 16, 2], testPoints: 10_000, pointsPerGroup: 20 },
  { widths: [784, 32, 10], testPoints: 100, pointsPerGroup: 10 },
  { widths: [784, 32, 10], testPoints: 1_000, pointsPerGroup: 10 },
];

type ClaimBenchCase = BenchCase & {
  zeroShare: number;
  /** The case's name in the results (default: the widths); its key in BENCH_CASES is `claim:<name>:<points>`. */
  name?: string;
  /** The submitted model (default: random dense weights for `widths`); `widths` then only names F and C. */
  model?: (rand: () => number) => ClaimModel;
  /** Why today's on-chain design cannot run this case at all (no measured reference, no comparison). */
  notOnchain?: string;
};

/**
 * LeNet-like for 28×28×1: conv 5×5×6 (pad 2) → maxpool 2 → conv 5×5×16 → maxpool 2 → flatten → 120 → 84 → 10, random
 * float weights quantized by lib/danku/cnn/quantize on 32 MNIST-like calibration images (the CLI's path from ONNX).
 */
function lenetModel(rand: () => number): ClaimModel {
  const r = (scale: number) => (rand() * 2 - 1) * scale;
  const conv = (out: number, inC: number, k: number, pad: number, scale: number): CnnLayer<number> => ({
    kind: "conv2d",
    kernelH: k,
    kernelW: k,
    strideH: 1,
    strideW: 1,
    padH: pad,
    padW: pad,
    shift: 0,
    biases: Array.from({ length: out }, () => r(0.5)),
    weights: Array.from({ length: out }, () => Array.from({ length: k }, () => Array.from({ length: k }, () => Array.from({ length: inC }, () => r(scale))))),
  });
  const pool: CnnLayer<number> = { kind: "maxpool", kernelH: 2, kernelW: 2, strideH: 2, strideW: 2 };
  const dense = (out: number, inputs: number, scale: number): CnnLayer<number> => ({
    kind: "dense",
    shift: 0,
    biases: Array.from({ length: out }, () => r(0.5)),
    weights: Array.from({ length: out }, () => Array.from({ length: inputs }, () => r(scale))),
  });
  const float: FloatCnnModel = {
    input: { height: 28, width: 28, channels: 1 },
    layers: [conv(6, 1, 5, 2, 0.02), pool, conv(16, 6, 5, 0, 0.05), pool, { kind: "flatten" }, dense(120, 400, 0.05), dense(84, 120, 0.1), dense(10, 84, 0.1)],
  };
  const calibration = randomPoints(32, 784, 10, rand, 0.8);
  return quantizeCnnModel(float, calibration).model;
}

const MNIST_SHAPE_CLAIM_CASES: ClaimBenchCase[] = [
  {
    widths: [784, 10],
    name: "lenet-28x28x1",
    model: lenetModel,
    testPoints: 10_000,
    pointsPerGroup: 50,
    zeroShare: 0.8,
    notOnchain: "convolutional models are claim-mode only (CnnNeedsClaimMode): a full on-chain evaluation does not fit the evaluation transactions",
  },
  {
    widths: [784, 128, 10],
    testPoints: 10_000,
    pointsPerGroup: 50,
    zeroShare: 0.8,
    notOnchain: "the model is 102,962 bytes, over MAX_MODEL_BYTES (65,536): the on-chain design cannot reveal it",
  },
];

/**
 * 784-64-10 was the stand-in for issue 10's 784-128-10 while every model had to fit MAX_MODEL_BYTES (65,536); claim mode
 * now keeps only the model's hash, so 784-128-10 (102,962 bytes) and a LeNet-like CNN run as themselves
 * (MNIST_SHAPE_CLAIM_CASES, with no on-chain reference: that design cannot run them).
 */
const CLAIM_CASES: ClaimBenchCase[] = [
  { widths: [784, 64, 10], testPoints: 10_000, pointsPerGroup: 50, zeroShare: 0.8 },
  { widths: [2, 16, 16, 2], testPoints: 1_000, pointsPerGroup: 20, zeroShare: 0 },
  { widths: [2, 16, 16, 2], testPoints: 10_000, pointsPerGroup: 20, zeroShare: 0 },
  { widths: [784, 32, 10], testPoints: 1_000, pointsPerGroup: 10, zeroShare: 0.8 },
  ...MNIST_SHAPE_CLAIM_CASES,
];
/** The on-chain reference the claim cases are compared with: same network, measured in the same run. */
const ONCHAIN_REFERENCE_POINTS = 100;
const CHALLENGE_WINDOW = 20;
const BOND_GAS_PRICE = 1_000_000_000n;

const TRAINING_BPS = 1000;
/** Submissions in `totalGas20Submissions` (issue 10 §4). */
const SUBMISSIONS_FOR_TOTAL = 20;
const PERIOD = 10;
/** The production default (beyond a proof-of-stake proposer lookahead); the bench mines the blocks itself. */
const SPLIT_DELAY = 64;
/** The last commit before issue 9's checks (committed sizes, evaluation fits, seeded split, decoder bounds). */
const BASELINE_COMMIT = "e47965db6b7c02c72bb6dc0f891f532c945c405e";

interface BaselineCase {
  creationGas: number;
  init2Gas: number;
  revealGasPerPoint: number;
  trainingRevealGasPerPoint: number;
  revealModelGas: number;
}

interface StoredCase {
  network: string;
  points: number;
  groups: number;
  steps: { create: number; init2: number; trainingReveal: number[]; testReveal: number[]; revealModel: number };
  creationGasBefore?: number;
  init2GasBefore?: number;
  revealGasPerPointBefore?: number;
  trainingRevealGasPerPointBefore?: number;
  revealModelGasBefore?: number;
}

/** Every case's gas before issue 9: from git at BASELINE_COMMIT, else the `…Before` keys of the last results. */
function readBaseline(outFile: string): Map<string, BaselineCase> {
  const baseline = new Map<string, BaselineCase>();
  let text: string | undefined;
  try {
    text = execFileSync("git", ["show", `${BASELINE_COMMIT}:bench/results/gas.json`], { cwd: path.join(__dirname, ".."), encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    text = undefined;
  }
  if (text !== undefined) {
    for (const c of (JSON.parse(text) as { cases: StoredCase[] }).cases) {
      const trainingPoints = trainingPointsOf(c);
      baseline.set(`${c.network}:${c.points}`, {
        creationGas: c.steps.create,
        init2Gas: c.steps.init2,
        revealGasPerPoint: c.steps.testReveal.reduce((a, b) => a + b, 0) / c.points,
        trainingRevealGasPerPoint: c.steps.trainingReveal.reduce((a, b) => a + b, 0) / trainingPoints,
        revealModelGas: c.steps.revealModel,
      });
    }
    return baseline;
  }
  if (!existsSync(outFile)) return baseline;
  for (const c of (JSON.parse(readFileSync(outFile, "utf8")) as { cases: StoredCase[] }).cases) {
    if (c.creationGasBefore === undefined || c.init2GasBefore === undefined) continue;
    if (c.revealGasPerPointBefore === undefined || c.trainingRevealGasPerPointBefore === undefined) continue;
    if (c.revealModelGasBefore === undefined) continue;
    baseline.set(`${c.network}:${c.points}`, {
      creationGas: c.creationGasBefore,
      init2Gas: c.init2GasBefore,
      revealGasPerPoint: c.revealGasPerPointBefore,
      trainingRevealGasPerPoint: c.trainingRevealGasPerPointBefore,
      revealModelGas: c.revealModelGasBefore,
    });
  }
  return baseline;
}

/** Training points of a stored case: every group of the case holds pointsPerGroup points, the test groups `points`. */
function trainingPointsOf(c: { network: string; points: number; groups: number }): number {
  const benchCase = CASES.find((x) => `${x.widths.join("-")}:${x.testPoints}` === `${c.network}:${c.points}`);
  if (!benchCase) throw new Error(`baseline case ${c.network}:${c.points} is not a bench case`);
  return c.groups * benchCase.pointsPerGroup - c.points;
}

function randomModel(widths: number[], rand: () => number): QuantizedModel {
  const layers = widths.slice(1).map((fanOut, l) => {
    const fanIn = widths[l]!;
    const isOutput = l === widths.length - 2;
    return {
      // Shifts keep hidden activations spread over 0..255 for random int8 weights and byte inputs.
      shift: isOutput ? 0 : Math.max(0, Math.round(Math.log2(Math.sqrt(fanIn) * 40 * 128) - 8)),
      biases: Array.from({ length: fanOut }, () => Math.round((rand() - 0.5) * 2000)),
      weights: Array.from({ length: fanOut }, () => Array.from({ length: fanIn }, () => Math.floor(rand() * 256) - 128)),
    };
  });
  return { widths, layers };
}

function randomPoints(count: number, featureCount: number, classCount: number, rand: () => number, zeroShare = 0): DataPoint[] {
  const feature = zeroShare > 0 ? () => (rand() < zeroShare ? 0 : 1 + Math.floor(rand() * 255)) : () => Math.floor(rand() * 256);
  return Array.from({ length: count }, () => ({
    features: Uint8Array.from({ length: featureCount }, feature),
    label: Math.floor(rand() * classCount),
  }));
}

/** Smallest group count whose test share is exactly `testGroups` at TRAINING_BPS. */
function groupCountFor(testGroups: number): number {
  let g = testGroups;
  while (g - Math.floor((g * TRAINING_BPS) / 10_000) !== testGroups) g++;
  return g;
}

async function gasOf(client: PublicClient, hashes: readonly Hex[]): Promise<bigint[]> {
  return Promise.all(hashes.map(async (hash) => (await client.getTransactionReceipt({ hash })).gasUsed));
}

const sum = (values: readonly bigint[]): bigint => values.reduce((a, b) => a + b, 0n);
const max = (values: readonly bigint[]): bigint => values.reduce((a, b) => (b > a ? b : a), 0n);

interface EvaluationSample {
  widths: number[];
  points: number;
  gas: number;
}

/**
 * The steps every case shares after the training reveal: a random model is committed, revealed after the submission
 * period, and the test data revealed after the model-reveal period; the chain must then hold the case's test points.
 */
async function submitAndRevealTest<M extends ClaimModel>(
  c: BenchCase,
  model: M,
  organizer: DankuWallet,
  submitter: DankuWallet,
  client: PublicClient,
  competition: Address,
  secretGroups: { index: number; points: Hex; nonce: Hex }[],
) {
  const launched = { address: competition };
  const bytes = encodeClaimModel(model);
  const salt = toHex(new Uint8Array(32).fill(7));
  const commitment = submissionCommitment({ competition: launched.address, submitter: submitter.account.address, modelHash: modelHash(bytes), salt });
  const committed = await commitSubmission(submitter, client, { competition: launched.address, commitment });
  const [commitGas] = await gasOf(client, [committed.transaction]);
  let state = await readCompetition(client, launched.address);
  await mine(Number(state.deadlines.submissionEnd - state.blockNumber));
  const revealedModel = await sendContractTransaction(submitter, client, {
    address: launched.address,
    abi: dankuCompetitionAbi,
    functionName: "revealModel",
    args: [BigInt(committed.submissionId), toHex(bytes), salt],
  });
  state = await readCompetition(client, launched.address);
  await mine(Number(state.deadlines.modelRevealEnd - state.blockNumber));
  const test = await revealPendingGroups(organizer, client, { competition: launched.address, groups: secretGroups, training: false });
  const testRevealGas = await gasOf(client, test.transactions);
  state = await readCompetition(client, launched.address);
  if (state.testPoints !== c.testPoints || !state.usesTestData) throw new Error(`expected ${c.testPoints} test points, chain has ${state.testPoints}`);
  return { model, bytes, committed, commitGas, revealedModel, test, testRevealGas, state };
}

async function runCase(c: BenchCase, organizer: DankuWallet, submitter: DankuWallet, client: PublicClient, samples: EvaluationSample[]) {
  const rand = seededUniform(c.widths.reduce((a, b) => a * 31 + b, c.testPoints));
  const featureCount = c.widths[0]!;
  const classCount = c.widths[c.widths.length - 1]!;
  const testGroups = Math.ceil(c.testPoints / c.pointsPerGroup);
  const groupCount = groupCountFor(testGroups);
  const points = randomPoints(groupCount * c.pointsPerGroup, featureCount, classCount, rand, c.zeroShare);
  const groups = buildDataGroups(points, { groupCount, featureCount, classCount });
  const factory = await deployFactory(organizer, client);

  const launched = await launchCompetition(organizer, client, {
    factory: factory.address,
    config: {
      featureCount,
      classCount,
      trainingBps: TRAINING_BPS,
      minAccuracyBps: 0,
      init2Window: 5,
      splitDelay: SPLIT_DELAY,
      trainingRevealPeriod: 1_000,
      submissionPeriod: PERIOD,
      modelRevealPeriod: PERIOD,
      testRevealPeriod: 1_000,
      evaluationPeriod: 100_000,
    },
    groupHashes: groups.map((g) => g.hash),
    groupPointCounts: groupPointCounts(groups),
    metadataCid: "",
    reward: parseEther("1"),
  }, { advance: mineLocalBlocks(client) });
  const [createGas, init2Gas] = await gasOf(client, launched.transactions);
  const secretGroups = groups.map((g) => ({ index: g.index, points: toHex(g.bytes), nonce: g.nonce }));
  const log = (m: string) => { if (process.env.BENCH_DEBUG) process.stderr.write(`  ${m}\n`); };
  log("launched");
  const training = await revealPendingGroups(organizer, client, { competition: launched.address, groups: secretGroups, training: true });
  log("training revealed");
  const trainingRevealGas = await gasOf(client, training.transactions);

  const submitted = await submitAndRevealTest(c, randomModel(c.widths, rand), organizer, submitter, client, launched.address, secretGroups);
  const { model, committed, commitGas, revealedModel, testRevealGas } = submitted;
  let state = submitted.state;

  log("test revealed");
  const evaluation = await evaluateSubmissionToEnd(submitter, client, { competition: launched.address, submissionId: committed.submissionId, widths: c.widths }, (cursor, total) => log(`evaluated ${cursor}/${total}`));
  const evaluationGas = await gasOf(client, evaluation.transactions);
  // Check the chain's score against the reference forward pass on the revealed test points.
  const isTraining = new Set(launched.split.training);
  const testPoints = groups.filter((g) => !isTraining.has(g.index)).flatMap((g) => g.points);
  const reference = evaluateAccuracy(model, testPoints);
  if (reference.correct !== evaluation.correct) throw new Error(`chain scored ${evaluation.correct}, reference ${reference.correct}`);
  let cursor = 0;
  for (const [i, hash] of evaluation.transactions.entries()) {
    const logs = await client.getContractEvents({
      address: launched.address,
      abi: dankuCompetitionAbi,
      eventName: "EvaluationProgressed",
      blockHash: (await client.getTransactionReceipt({ hash })).blockHash,
    });
    const next = Number(logs[0]?.args.cursor ?? cursor);
    samples.push({ widths: c.widths, points: next - cursor, gas: Number(evaluationGas[i]) });
    cursor = next;
  }

  state = await readCompetition(client, launched.address);
  await mine(Number(state.deadlines.evaluationEnd - state.blockNumber));
  const finalized = await sendContractTransaction(submitter, client, { address: launched.address, abi: dankuCompetitionAbi, functionName: "finalize", args: [] });

  const macs = macsPerPoint(c.widths);
  const weights = c.widths.slice(1).reduce((n, w, l) => n + w * c.widths[l]!, 0);
  const all = [createGas!, init2Gas!, ...trainingRevealGas, commitGas!, revealedModel.receipt.gasUsed, ...testRevealGas, ...evaluationGas, finalized.receipt.gasUsed];
  const totalEvaluation = sum(evaluationGas);
  const trainingPoints = points.length - c.testPoints;
  return {
    network: c.widths.join("-"),
    points: c.testPoints,
    groups: groupCount,
    totalGas: Number(sum(all)),
    maxTxGas: Number(max(all)),
    gasPerPoint: Number(totalEvaluation) / c.testPoints,
    gasPerMac: Number(totalEvaluation) / (c.testPoints * macs),
    gasPerStoredWeight: Number(revealedModel.receipt.gasUsed) / weights,
    gasPerRevealedPoint: Number(sum(testRevealGas)) / c.testPoints,
    steps: {
      create: Number(createGas),
      init2: Number(init2Gas),
      trainingReveal: trainingRevealGas.map(Number),
      commit: Number(commitGas),
      revealModel: Number(revealedModel.receipt.gasUsed),
      testReveal: testRevealGas.map(Number),
      evaluation: evaluationGas.map(Number),
      evaluationTotal: Number(totalEvaluation),
      finalize: Number(finalized.receipt.gasUsed),
    },
    creationGas: Number(createGas),
    init2Gas: Number(init2Gas),
    revealGasPerPoint: Number(sum(testRevealGas)) / c.testPoints,
    trainingRevealGasPerPoint: Number(sum(trainingRevealGas)) / trainingPoints,
    macsPerPoint: macs,
    storedWeights: weights,
    evaluationTransactions: evaluation.transactions.length,
    withinTxCap: max(all) < BigInt(TX_GAS_CAP),
    // Issue 10 §4's comparison keys. This design has one mode, full on-chain evaluation, so there is no claim or dispute.
    mode: "onchain" as const,
    revealGasPerByte: Number(sum(testRevealGas)) / (c.testPoints * pointSize(featureCount)),
    claimGas: null,
    disputeGasMax: null,
    fullEvaluationGas: Number(totalEvaluation),
    // A whole competition with 20 honest submissions of this network: the competition's own steps once, and commit,
    // model reveal and full evaluation 20 times. Computed from this run's measured steps (each submission's steps cost
    // the same for one network: the evaluator's work depends on the widths, not on the weights), not run 20 times.
    totalGas20Submissions:
      Number(createGas! + init2Gas! + sum(trainingRevealGas) + sum(testRevealGas) + finalized.receipt.gasUsed) +
      SUBMISSIONS_FOR_TOTAL * Number(commitGas! + revealedModel.receipt.gasUsed + totalEvaluation),
  };
}

type OnchainResult = Awaited<ReturnType<typeof runCase>>;

/** A claim-mode competition of case `c` (docs/protocol.md §11), step by step through lib/chain like the CLI. */
async function runClaimCase(c: ClaimBenchCase, organizer: DankuWallet, submitter: DankuWallet, client: PublicClient, reference: OnchainResult | null) {
  const rand = seededUniform(c.widths.reduce((a, b) => a * 31 + b, c.testPoints + 7));
  const featureCount = c.widths[0]!;
  const classCount = c.widths[c.widths.length - 1]!;
  const testGroups = Math.ceil(c.testPoints / c.pointsPerGroup);
  const groupCount = groupCountFor(testGroups);
  const points = randomPoints(groupCount * c.pointsPerGroup, featureCount, classCount, rand, c.zeroShare);
  const groups = buildDataGroups(points, { groupCount, featureCount, classCount });
  const factory = await deployFactory(organizer, client);
  const log = (m: string) => { if (process.env.BENCH_DEBUG) process.stderr.write(`  ${m}\n`); };
  const launched = await launchCompetition(organizer, client, {
    factory: factory.address,
    config: {
      featureCount,
      classCount,
      trainingBps: TRAINING_BPS,
      minAccuracyBps: 0,
      init2Window: 5,
      splitDelay: SPLIT_DELAY,
      trainingRevealPeriod: 1_000,
      submissionPeriod: PERIOD,
      modelRevealPeriod: PERIOD,
      testRevealPeriod: 1_000,
      evaluationPeriod: 1_000,
    },
    groupHashes: groups.map((g) => g.hash),
    groupPointCounts: groupPointCounts(groups),
    metadataCid: "",
    reward: parseEther("1"),
    claimTerms: { challengeWindow: CHALLENGE_WINDOW, bondGasPrice: BOND_GAS_PRICE },
  }, { advance: mineLocalBlocks(client) });
  const [createGas, init2Gas] = await gasOf(client, launched.transactions);
  const secretGroups = groups.map((g) => ({ index: g.index, points: toHex(g.bytes), nonce: g.nonce }));
  const training = await revealPendingGroups(organizer, client, { competition: launched.address, groups: secretGroups, training: true });
  const trainingRevealGas = await gasOf(client, training.transactions);
  log("training revealed");

  const submitted = await submitAndRevealTest(c, c.model ? c.model(rand) : randomModel(c.widths, rand), organizer, submitter, client, launched.address, secretGroups);
  const { model, bytes, committed, commitGas, revealedModel, test, testRevealGas } = submitted;
  let state = submitted.state;
  log(`test revealed in ${test.transactions.length} transactions`);

  // The claim: the reference forward pass's predictions on the points rebuilt from calldata (verified against the roots).
  const calls = await readClaimModeRevealCalls(client, launched.address, featureCount);
  const testPoints = calls.flatMap((call) => call.points.map((p) => ({ features: p.subarray(0, featureCount), label: p[featureCount]! })));
  const honest = predictionsOf(model, testPoints);
  const claimed = await claimScore(submitter, client, { competition: launched.address, submissionId: committed.submissionId, predictions: honest });
  // Disputes: a wrong claim per point at the first, a middle and the last test point, each disputed and voided.
  const disputeGas: bigint[] = [];
  for (const index of [0, Math.floor(c.testPoints / 2), c.testPoints - 1]) {
    const wrong = Uint8Array.from(honest);
    wrong[index] = (wrong[index]! + 1) % classCount;
    const bad = await claimScore(organizer, client, { competition: launched.address, submissionId: committed.submissionId, predictions: wrong });
    const { rootIndex, indexInRoot } = locateTestPoint(calls.map((call) => call.points.length), index);
    const call = calls[rootIndex]!;
    const disputed = await disputeClaim(organizer, client, {
      competition: launched.address,
      claimId: bad.claimId,
      rootIndex,
      indexInRoot,
      point: call.points[indexInRoot]!,
      proof: revealProof(revealTree(call.points), indexInRoot),
      predictions: wrong,
      model: bytes,
    });
    disputeGas.push(disputed.receipt.gasUsed);
  }
  await mine(CHALLENGE_WINDOW);
  const settled = await settleClaim(submitter, client, { competition: launched.address, claimId: claimed.claimId });
  state = await readCompetition(client, launched.address);
  await mine(Number(state.deadlines.evaluationEnd - state.blockNumber) + 2 * CHALLENGE_WINDOW);
  const finalized = await sendContractTransaction(submitter, client, { address: launched.address, abi: dankuCompetitionAbi, functionName: "finalize", args: [] });
  log("finalized");

  const claimGas = claimed.receipt.gasUsed;
  const all = [createGas!, init2Gas!, ...trainingRevealGas, commitGas!, revealedModel.receipt.gasUsed, ...testRevealGas, claimGas, ...disputeGas, settled.receipt.gasUsed, finalized.receipt.gasUsed];
  const testBytes = c.testPoints * pointSize(featureCount);
  const zeroBytes = calls.reduce((n, call) => n + call.points.reduce((m, p) => m + p.filter((b) => b === 0).length, 0), 0);
  const shared = Number(createGas! + init2Gas! + sum(trainingRevealGas) + sum(testRevealGas) + finalized.receipt.gasUsed);
  const totalGas20Submissions = shared + SUBMISSIONS_FOR_TOTAL * Number(commitGas! + revealedModel.receipt.gasUsed + claimGas + settled.receipt.gasUsed);
  // Today's on-chain design for the same competition, from its measured steps of the same network in this run:
  // per-point test reveal and evaluation, per-transaction evaluation overhead, the same shared and submission steps.
  const onchainTotalGas20Submissions =
    reference &&
    Number(createGas! + init2Gas! + sum(trainingRevealGas) + finalized.receipt.gasUsed) +
      reference.revealGasPerPoint * c.testPoints +
      SUBMISSIONS_FOR_TOTAL * (reference.steps.commit + reference.steps.revealModel + (reference.fullEvaluationGas / reference.points) * c.testPoints);
  return {
    network: c.name ?? c.widths.join("-"),
    points: c.testPoints,
    groups: groupCount,
    mode: "claim" as const,
    totalGas: Number(sum(all)),
    maxTxGas: Number(max(all)),
    creationGas: Number(createGas),
    init2Gas: Number(init2Gas),
    revealGasPerPoint: Number(sum(testRevealGas)) / c.testPoints,
    revealGasPerByte: Number(sum(testRevealGas)) / testBytes,
    // EIP-7623's floor for the same bytes (10 gas per zero byte, 40 per other byte): the target is ≤ 1.25 × this.
    revealCalldataFloorPerByte: (10 * zeroBytes + 40 * (testBytes - zeroBytes)) / testBytes,
    revealZeroByteShare: zeroBytes / testBytes,
    testRevealTransactions: test.transactions.length,
    trainingRevealGasPerPoint: Number(sum(trainingRevealGas)) / (points.length - c.testPoints),
    claimGas: Number(claimGas),
    disputeGas: disputeGas.map(Number),
    disputeGasMax: Number(max(disputeGas)),
    settleGas: Number(settled.receipt.gasUsed),
    fullEvaluationGas: null,
    macsPerPoint: anyModelMacs(model),
    ...(isCnnModel(model) ? { cnnWorkUnits: anyModelWork(model) } : {}),
    modelBytes: bytes.length,
    revealModelGas: Number(revealedModel.receipt.gasUsed),
    // Computed from this run's measured steps (each submission's commit, model reveal, claim and settle cost the same
    // for one network), not run 20 times.
    totalGas20Submissions,
    onchainTotalGas20Submissions: onchainTotalGas20Submissions === null ? null : Math.round(onchainTotalGas20Submissions),
    onchainReference: reference ? `${reference.network}:${reference.points} (measured in this run, scaled per point)` : `none: ${c.notOnchain}`,
    claimToOnchainRatio: onchainTotalGas20Submissions === null ? null : totalGas20Submissions / onchainTotalGas20Submissions,
    withinTxCap: max(all) < BigInt(TX_GAS_CAP),
    steps: {
      create: Number(createGas),
      init2: Number(init2Gas),
      trainingReveal: trainingRevealGas.map(Number),
      commit: Number(commitGas),
      revealModel: Number(revealedModel.receipt.gasUsed),
      testReveal: testRevealGas.map(Number),
      claim: Number(claimGas),
      disputes: disputeGas.map(Number),
      settle: Number(settled.receipt.gasUsed),
      finalize: Number(finalized.receipt.gasUsed),
    },
  };
}

/** Least squares gas ≈ a·1 + b·points per network, i.e. per-transaction and per-point gas. */
function fit(samples: EvaluationSample[]): { perTransaction: number; perPoint: number } | undefined {
  const n = samples.length;
  if (n < 2) return undefined;
  const mx = samples.reduce((s, x) => s + x.points, 0) / n;
  const my = samples.reduce((s, x) => s + x.gas, 0) / n;
  const sxx = samples.reduce((s, x) => s + (x.points - mx) ** 2, 0);
  if (sxx === 0) return undefined;
  const b = samples.reduce((s, x) => s + (x.points - mx) * (x.gas - my), 0) / sxx;
  return { perTransaction: my - b * mx, perPoint: b };
}

async function main(): Promise<void> {
  let finished = false;
  process.on("beforeExit", () => {
    if (!finished) process.stderr.write("bench: the event loop emptied before the benchmark finished\n");
  });
  const client = (await hre.viem.getPublicClient()) as unknown as PublicClient;
  const [organizer, submitter] = (await hre.viem.getWalletClients()) as unknown as DankuWallet[];
  if (!organizer || !submitter) throw new Error("needs two accounts");
  const samples: EvaluationSample[] = [];
  const results = [];
  // BENCH_CASES="2-16-16-2:10000,784-32-10:100" runs a subset.
  const only = process.env.BENCH_CASES?.split(",").map((s) => s.trim());
  for (const c of CASES.filter((x) => !only || only.includes(`${x.widths.join("-")}:${x.testPoints}`))) {
    const started = Date.now();
    const result = await runCase(c, organizer, submitter, client, samples);
    results.push(result);
    process.stdout.write(`${result.network} × ${result.points}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  const claimResults = [];
  for (const c of CLAIM_CASES.filter((x) => !only || only.includes(`claim:${x.name ?? x.widths.join("-")}:${x.testPoints}`))) {
    const started = Date.now();
    // The on-chain design on the same network and point distribution, measured here for the comparison (none where
    // that design cannot run the case at all).
    const reference = c.notOnchain
      ? null
      : (results.find((r) => r.network === c.widths.join("-") && r.points === ONCHAIN_REFERENCE_POINTS && c.zeroShare === 0) ??
        (await runCase({ widths: c.widths, testPoints: ONCHAIN_REFERENCE_POINTS, pointsPerGroup: 10, zeroShare: c.zeroShare }, organizer, submitter, client, [])));
    const result = await runClaimCase(c, organizer, submitter, client, reference);
    claimResults.push(result);
    process.stdout.write(`claim ${result.network} × ${result.points}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }

  // What issue 9's checks cost, case by case: the baseline's figures next to this run's.
  const outFile = path.join(__dirname, "results", "gas.json");
  const baseline = readBaseline(outFile);
  const cases = results.map((r) => {
    const before = baseline.get(`${r.network}:${r.points}`);
    if (!before) return r;
    return {
      ...r,
      creationGasBefore: before.creationGas,
      creationGasDelta: r.creationGas - before.creationGas,
      init2GasBefore: before.init2Gas,
      init2GasDelta: r.init2Gas - before.init2Gas,
      revealGasPerPointBefore: before.revealGasPerPoint,
      revealGasPerPointDelta: r.revealGasPerPoint - before.revealGasPerPoint,
      trainingRevealGasPerPointBefore: before.trainingRevealGasPerPoint,
      trainingRevealGasPerPointDelta: r.trainingRevealGasPerPoint - before.trainingRevealGasPerPoint,
      // revealModel also records who revealed (the equal shares of a withheld test reveal, docs/protocol.md §7.1).
      revealModelGasBefore: before.revealModelGas,
      revealModelGasDelta: r.steps.revealModel - before.revealModelGas,
    };
  });

  const rows = results.map((r) => [
    r.network.padEnd(10),
    String(r.points).padStart(6),
    r.totalGas.toLocaleString("en-US").padStart(13),
    r.maxTxGas.toLocaleString("en-US").padStart(11),
    String(r.evaluationTransactions).padStart(4),
    r.gasPerPoint.toFixed(0).padStart(8),
    r.gasPerMac.toFixed(2).padStart(7),
    r.gasPerStoredWeight.toFixed(1).padStart(8),
    r.gasPerRevealedPoint.toFixed(0).padStart(8),
  ]);
  process.stdout.write(
    [
      "",
      "network     points     totalGas    maxTxGas  evTx  gas/pt gas/MAC gas/wgt gas/revPt",
      ...rows.map((r) => r.join(" ")),
      "",
    ].join("\n"),
  );

  const fmt = (n: number | undefined, digits = 0) => (n === undefined ? "—" : n.toLocaleString("en-US", { maximumFractionDigits: digits }));
  process.stdout.write(
    [
      `issue 9's checks (before = ${BASELINE_COMMIT.slice(0, 7)}):`,
      "network     points   create before →     after   init2 before → after  revealGas/pt before → after  trainingReveal/pt before → after  revealModel before → after",
      ...cases.map((r) => {
        const b = baseline.get(`${r.network}:${r.points}`);
        return [
          r.network.padEnd(10),
          String(r.points).padStart(6),
          fmt(b?.creationGas).padStart(15),
          fmt(r.creationGas).padStart(9),
          fmt(b?.init2Gas).padStart(13),
          fmt(r.init2Gas).padStart(7),
          fmt(b?.revealGasPerPoint, 1).padStart(19),
          fmt(r.revealGasPerPoint, 1).padStart(8),
          fmt(b?.trainingRevealGasPerPoint, 1).padStart(24),
          fmt(r.trainingRevealGasPerPoint, 1).padStart(8),
          fmt(b?.revealModelGas).padStart(18),
          fmt(r.steps.revealModel).padStart(8),
        ].join(" ");
      }),
      "",
    ].join("\n"),
  );

  // The gas model against the measurements, and a per-network fit to update its coefficients from.
  const model = new Map<string, { estimated: number; measured: number }>();
  for (const s of samples) {
    const key = s.widths.join("-");
    const estimate = estimateEvaluationGas(s.widths, s.points);
    const entry = model.get(key) ?? { estimated: 0, measured: 0 };
    entry.estimated += estimate.perTransactionGas + s.points * estimate.perPointGas;
    entry.measured += s.gas;
    model.set(key, entry);
  }
  const gasModel = [...model.entries()].map(([network, v]) => {
    const fitted = fit(samples.filter((s) => s.widths.join("-") === network));
    return { network, relativeError: (v.estimated - v.measured) / v.measured, fitted };
  });
  for (const m of gasModel) {
    process.stdout.write(
      `gas model ${m.network.padEnd(10)} error ${(m.relativeError * 100).toFixed(1).padStart(6)} %` +
        (m.fitted ? `   fit: ${m.fitted.perTransaction.toFixed(0)} + ${m.fitted.perPoint.toFixed(1)}·points` : "") +
        "\n",
    );
  }

  process.stdout.write(
    [
      "claim mode (docs/protocol.md §11):",
      "network     points  reveal gas/B  floor gas/B   claimGas  disputeMax   maxTxGas  total20 (claim)  total20 (on-chain)  ratio",
      ...claimResults.map((r) =>
        [
          r.network.padEnd(10),
          String(r.points).padStart(6),
          r.revealGasPerByte.toFixed(2).padStart(13),
          r.revealCalldataFloorPerByte.toFixed(2).padStart(12),
          fmt(r.claimGas).padStart(10),
          fmt(r.disputeGasMax).padStart(11),
          fmt(r.maxTxGas).padStart(10),
          fmt(r.totalGas20Submissions).padStart(16),
          fmt(r.onchainTotalGas20Submissions ?? undefined).padStart(19),
          (r.claimToOnchainRatio === null ? "—" : `${(r.claimToOnchainRatio * 100).toFixed(2)} %`).padStart(8),
        ].join(" "),
      ),
      "",
    ].join("\n"),
  );

  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(
    outFile,
    `${JSON.stringify({ generatedAt: new Date().toISOString(), hardfork: hre.config.networks.hardhat.hardfork, txGasCap: TX_GAS_CAP, splitDelay: SPLIT_DELAY, baselineCommit: BASELINE_COMMIT, cases: [...cases, ...claimResults], gasModel, evaluationSamples: samples }, null, 2)}\n`,
  );
  process.stdout.write(`wrote ${outFile}\n`);
  finished = true;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});

/**
 * `npm run bench:daimon`: how well a DEL function trained here preserves the error (the DaiMoN paper's Figure 2),
 * how long it takes, what a published f leaks, and the paper's brute-force odds (§IV). Writes
 * bench/results/daimon.json (one entry per configuration) and prints a table.
 *
 * Configurations (C = 10, H = 1,024, x_t uniformly random — GENERATEDATA does not care how the labels are spread):
 *   m = 1,000,  n = 64:  the default training options (the CLI's default run);
 *   m = 10,000, n = 256: the paper's size, with options sized for this machine (see CONFIGS).
 * Each entry also gets the dispute gas (docs/daimon.md §14.3) on Hardhat's in-process chain: `disputeGasMaxStep`,
 * `disputeSteps` and the label/availability steps in `disputeLabelAvailability` (bench/daimonDisputeGas.ts).
 * BENCH_DAIMON_ONLY=1000 (or 10000) runs one of them. Held-out data are drawn with a seed the training never sees.
 * Each entry also gets `fEvaluationDispute` (measureFEvaluationDispute: the gas of the "f(labels) is not y" steps on
 * the Hardhat network, docs/daimon.md §14.3.1); BENCH_DAIMON_DISPUTE_ONLY=1 measures only that and merges it into the
 * existing bench/results/daimon.json entries, leaving every other figure as it was.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import {
  BRUTE_FORCE_TABLE_EPSILON,
  BRUTE_FORCE_TABLE_N,
  DelRandom,
  bruteForceOdds,
  bruteForceTable,
  coordinateDescentAttack,
  delTrainingBytes,
  evaluateDel,
  formatTinyProbability,
  heldOutPerturbations,
  initDelParameters,
  randomLabelVector,
  recoveredShare,
  trainDel,
  weightInspectionAttack,
  delForward,
  type DelTrainingOptions,
} from "../lib/daimon";
import { measureLabelDisputeGas, type LabelDisputeGas } from "./daimonDisputeGas";

const C = 10;
const HIDDEN = 1024;
const EPSILON = 0.1;

interface BenchConfig {
  readonly m: number;
  readonly n: number;
  readonly options: DelTrainingOptions;
  /** Positions the two attacks try (all for m = 1,000; a prefix for m = 10,000 to bound their time). */
  readonly attackPositions: number;
  readonly why: string;
}

const CONFIGS: readonly BenchConfig[] = [
  { m: 1000, n: 64, options: { n: 64 }, attackPositions: 1000, why: "the default training options" },
  {
    m: 10_000,
    n: 256,
    // Each step costs a dense Adam pass over the 102 M weights of W1 (≈ 1 s here) plus O(changed labels · H); smaller
    // batches weighted towards low-error samples (v ≤ 0.3·m) keep the whole run within minutes.
    options: { n: 256, steps: 300, batchSize: 64, lowErrorFraction: 0.75 },
    attackPositions: 1000,
    why: "the paper's size; 300 steps of 64, three quarters low-error samples",
  },
];

function line(text: string): void {
  process.stdout.write(`${text}\n`);
}

function seconds(s: number): string {
  return s >= 120 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`;
}

async function runConfig(config: BenchConfig): Promise<Record<string, unknown>> {
  const { m, n } = config;
  const seed = 20_240_601;
  const xt = randomLabelVector(m, C, new DelRandom(seed));
  const heldOut = heldOutPerturbations(xt, C, { seed: seed + 1 });
  const memoryMiB = delTrainingBytes({ m, classCount: C, hidden: HIDDEN, n }, config.options.batchSize ?? 128) / 2 ** 20;
  line(`\nm = ${m}, n = ${n}, C = ${C}, H = ${HIDDEN} (${config.why}); trainer memory ≈ ${memoryMiB.toFixed(0)} MiB`);

  // The untrained network: what correlation alone would claim.
  const untrainedParams = initDelParameters({ m, classCount: C, hidden: HIDDEN, n }, new DelRandom(seed + 2));
  const untrained = evaluateDel(untrainedParams, xt, heldOut);
  line(`  untrained: pearson ${untrained.pearson.toFixed(4)}, MAE ${untrained.mae.toFixed(4)}, pair ordering ${untrained.pairOrdering.toFixed(4)}`);

  let lastLength = 0;
  let lastPrinted = 0;
  const result = await trainDel(xt, C, { ...config.options, hidden: HIDDEN, seed: seed + 3 }, {
    progressIntervalMs: 1000,
    onProgress: (p) => {
      const text =
        `  step ${p.step}/${p.steps}  loss ${p.loss.toFixed(5)}  |d−e| ≈ ${p.meanAbsError.toFixed(4)}  ` +
        `${seconds(p.elapsedSeconds)} elapsed, ${seconds(p.etaSeconds)} left`;
      if (process.stdout.isTTY) process.stdout.write(`\r${text.padEnd(lastLength)}`);
      else if (p.step - lastPrinted >= 50 || p.step === p.steps) {
        line(text);
        lastPrinted = p.step;
      }
      lastLength = text.length;
    },
  });
  if (process.stdout.isTTY) process.stdout.write("\n");
  const evaluation = evaluateDel(result.parameters, xt, heldOut);
  line(
    `  trained in ${seconds(result.seconds)}: pearson ${evaluation.pearson.toFixed(5)}, MAE ${evaluation.mae.toFixed(4)}, ` +
      `pair ordering ${evaluation.pairOrdering.toFixed(4)} (${evaluation.misorderedPairs} of ${evaluation.pairs} pairs wrong)`,
  );

  const attackStarted = performance.now();
  const positions = Math.min(m, config.attackPositions);
  const inspected = weightInspectionAttack(result.parameters, result.yt, { positions });
  const descended = coordinateDescentAttack(result.parameters, result.yt, { positions });
  const untrainedDescent = coordinateDescentAttack(untrainedParams, delForward(untrainedParams, xt), { positions });
  const truth = xt.subarray(0, positions);
  const attacks = {
    positions,
    chance: 1 / C,
    weightInspection: recoveredShare(inspected.labels, truth),
    coordinateDescent: recoveredShare(descended.labels, truth),
    coordinateDescentQueries: descended.queries,
    coordinateDescentUntrained: recoveredShare(untrainedDescent.labels, truth),
    seconds: (performance.now() - attackStarted) / 1000,
  };
  line(
    `  label recovery from the published f and y_t (${positions} positions, chance ${attacks.chance}): weight inspection ` +
      `${attacks.weightInspection.toFixed(3)}, one coordinate-descent sweep ${attacks.coordinateDescent.toFixed(3)} ` +
      `(${descended.queries} queries; untrained f: ${attacks.coordinateDescentUntrained.toFixed(3)})`,
  );

  // The exact-integer f_q of the on-chain dispute (docs/daimon.md §14.3.1) against this float f, on the same held-out set.
  const { compareQuantizedDel, quantizeDel } = await import("../lib/daimon/delQuantized");
  const quantized = compareQuantizedDel(result.parameters, quantizeDel(result.parameters), xt, heldOut);
  line(
    `  f_q (int8): distances' rank correlation with f ${quantized.spearman.toFixed(6)}, max |d_q − d| ${quantized.maxAbsGap.toFixed(5)}; ` +
      `MAE ${quantized.quantized.mae.toFixed(4)}, pair ordering ${quantized.quantized.pairOrdering.toFixed(4)} (${quantized.quantized.misorderedPairs} wrong)`,
  );

  const odds = bruteForceOdds(n, EPSILON);
  const { errors: _e, distances: _d, ...figures } = evaluation;
  return {
    m,
    n,
    classCount: C,
    hidden: HIDDEN,
    pearson: evaluation.pearson,
    mae: evaluation.mae,
    pairOrdering: evaluation.pairOrdering,
    trainSeconds: result.seconds,
    epsilon: EPSILON,
    p: odds.p,
    q: odds.q,
    log10P: odds.log10P,
    pSphere: odds.pSphere,
    heldOut: { ...figures, paperSamples: heldOut.source.filter((s) => s === 0).length, lowErrorBound: heldOut.lowErrorBound },
    untrained: { pearson: untrained.pearson, mae: untrained.mae, pairOrdering: untrained.pairOrdering },
    attacks,
    quantized,
    training: { ...result.options, finalBatchLoss: result.history[result.history.length - 1]?.loss ?? null },
    trainerMemoryBytes: delTrainingBytes({ m, classCount: C, hidden: HIDDEN, n }, result.options.batchSize),
    onnxBytesApprox: 4 * (m * C * HIDDEN + HIDDEN + HIDDEN * n + n + m),
  };
}

/**
 * The f-evaluation part of the dispute (docs/daimon.md §14.3.1) at the configuration's m and n, C = 10, H = 1,024:
 * a random f_q with int8 weights uniform in −127…127 (so almost every calldata byte is non-zero: the EIP-7623 floor's
 * worst case), random labels, the TypeScript evaluation with every checkpoint, and three dispute transactions through
 * the test harness on the in-process Hardhat network (osaka): the first segment (K full points), the last one and
 * the output step. A dispute names one step, so it is one transaction (`disputeSteps` = 1); `recomputeSteps` is how
 * many distinct steps there are (S segments + the output step). The label-dispute part is measured elsewhere.
 */
async function measureFEvaluationDispute(m: number, n: number): Promise<Record<string, unknown>> {
  const q = await import("../lib/daimon/delQuantized");
  const { delqCase, deployDelq, disputeOutputTx, disputeSegmentTx } = await import("../test/daimon/delqChain");
  const { packVector } = await import("../lib/daimon/fixedPoint");
  const { bytesToHex } = await import("viem");
  const random = new DelRandom(0xd15e);
  const k = q.segmentSize(HIDDEN, C, m);
  const f: import("../lib/daimon/delQuantized").QuantizedDel = {
    m,
    classCount: C,
    hidden: HIDDEN,
    n,
    k,
    scale1: 1,
    scale2: 1,
    w1: Int8Array.from({ length: m * C * HIDDEN }, () => random.below(255) - 127),
    b1: Int32Array.from({ length: HIDDEN }, () => random.below(4001) - 2000),
    w2: Int8Array.from({ length: HIDDEN * n }, () => random.below(255) - 127),
    b2: BigInt64Array.from({ length: n }, () => BigInt(random.below(2_000_001) - 1_000_000)),
  };
  q.checkDelq(f);
  const started = performance.now();
  const c = delqCase(f, randomLabelVector(m, C, random));
  const referenceSeconds = (performance.now() - started) / 1000;
  const chain = await deployDelq();
  const S = q.segmentCount(f);
  const first = await disputeSegmentTx(chain, c, 0, c.truth.checkpoints);
  const last = await disputeSegmentTx(chain, c, S - 1, c.truth.checkpoints);
  const output = await disputeOutputTx(chain, c, bytesToHex(packVector(c.truth.outputs)));
  if (first.wrong || last.wrong || output.wrong) throw new Error("an honest claim lost a dispute step: chain and reference disagree");
  const disputeGasMaxStep = Number([first.gasUsed, last.gasUsed, output.gasUsed].reduce((a, b) => (a > b ? a : b)));
  line(
    `  f-evaluation dispute (m = ${m}, n = ${n}, H = ${HIDDEN}, K = ${k}, S = ${S}): segment ${first.gasUsed} gas ` +
      `(${first.calldataBytes} calldata bytes), last segment ${last.gasUsed}, output step ${output.gasUsed} ` +
      `(${output.calldataBytes} bytes); max ${disputeGasMaxStep} of ${q.TX_GAS_CAP}`,
  );
  return {
    m,
    n,
    classCount: C,
    hidden: HIDDEN,
    k,
    segments: S,
    disputeSteps: 1,
    recomputeSteps: S + 1,
    disputeGasMaxStep,
    segmentGas: Number(first.gasUsed),
    lastSegmentGas: Number(last.gasUsed),
    outputStepGas: Number(output.gasUsed),
    segmentCalldataBytes: first.calldataBytes,
    outputStepCalldataBytes: output.calldataBytes,
    checkpointBytes: 32 * S,
    delqBytes: q.delqFileBytes(f),
    delqPrefixBytes: q.delqPrefixBytes(f),
    referenceSeconds,
    txGasCap: q.TX_GAS_CAP,
  };
}

/** BENCH_DAIMON_DISPUTE_ONLY=1: adds fEvaluationDispute to every entry of the existing daimon.json, nothing else. */
async function disputeOnly(): Promise<void> {
  const file = join(__dirname, "results", "daimon.json");
  const results = JSON.parse(readFileSync(file, "utf8")) as { configurations: Record<string, unknown>[] } & Record<string, unknown>;
  for (const entry of results.configurations) {
    line(`\nm = ${entry.m as number}, n = ${entry.n as number}`);
    entry.fEvaluationDispute = await measureFEvaluationDispute(entry.m as number, entry.n as number);
  }
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  line(`\nmerged fEvaluationDispute into ${file}`);
}

/**
 * The dispute keys of a configuration entry: the largest single transaction of the label/availability part
 * (bench/daimonDisputeGas.ts) and of the f-evaluation part (`fEvaluationDispute`), and the most transactions one
 * dispute takes (an f-evaluation dispute is one).
 */
function disputeGasEntry(g: LabelDisputeGas, f: { disputeGasMaxStep: number }): Record<string, unknown> {
  line(`dispute gas at m = ${g.m}: largest step ${g.maxStepGas.toLocaleString("en-US")} gas (postModel of ${g.modelBytes} bytes), label dispute ${g.steps.disputeLabel.toLocaleString("en-US")} gas`);
  return { disputeLabelAvailability: g, disputeGasMaxStep: Math.max(g.maxStepGas, f.disputeGasMaxStep), disputeSteps: Math.max(g.transactions.wrongLabel, g.transactions.unavailable) };
}

async function main(): Promise<void> {
  if (process.env.BENCH_DAIMON_DISPUTE_ONLY === "1") return disputeOnly();
  const only = process.env.BENCH_DAIMON_ONLY ? Number(process.env.BENCH_DAIMON_ONLY) : null;
  const configs = CONFIGS.filter((c) => only === null || c.m === only);
  if (configs.length === 0) throw new Error(`BENCH_DAIMON_ONLY=${process.env.BENCH_DAIMON_ONLY} matches no configuration (m = 1000 or 10000)`);
  line(`DEL benchmark on ${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, Node ${process.version}, one thread`);
  const entries: Record<string, unknown>[] = [];
  for (const config of configs) {
    const entry = await runConfig(config);
    entry.fEvaluationDispute = await measureFEvaluationDispute(config.m, config.n);
    entries.push(entry);
  }
  for (const e of entries) {
    Object.assign(e, disputeGasEntry(await measureLabelDisputeGas(e.m as number), e.fEvaluationDispute as { disputeGasMaxStep: number }));
  }

  line("\n| m | n | pearson | MAE | pair ordering (e < 0.2) | train | p (ε = 0.10) | q |");
  line("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const e of entries) {
    const log10P = e.log10P as number;
    line(
      `| ${e.m} | ${e.n} | ${(e.pearson as number).toFixed(5)} | ${(e.mae as number).toFixed(4)} | ` +
        `${(e.pairOrdering as number).toFixed(4)} | ${seconds(e.trainSeconds as number)} | ${formatTinyProbability(log10P)} | ` +
        `${(e.q as number).toExponential(2)} |`,
    );
  }
  const table = bruteForceTable();
  line(`\nBrute force (paper §IV): p = I_{ε(2−ε)}((n−1)/2, ½) over a hemisphere; a whole-sphere draw succeeds with p/2`);
  line(`| n | ${BRUTE_FORCE_TABLE_EPSILON.map((e) => `p (ε = ${e})`).join(" | ")} |`);
  line(`| ---: | ${BRUTE_FORCE_TABLE_EPSILON.map(() => "---:").join(" | ")} |`);
  for (const n of BRUTE_FORCE_TABLE_N) {
    line(`| ${n} | ${table.filter((r) => r.n === n).map((r) => formatTinyProbability(r.log10P)).join(" | ")} |`);
  }

  const dir = join(__dirname, "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "daimon.json");
  // A partial run (BENCH_DAIMON_ONLY) keeps the other configuration's last entry.
  let kept: Record<string, unknown>[] = [];
  if (only !== null) {
    try {
      const previous = JSON.parse(readFileSync(file, "utf8")) as { configurations?: Record<string, unknown>[] };
      kept = (previous.configurations ?? []).filter((e) => e.m !== only);
    } catch {
      kept = [];
    }
  }
  const configurations = [...kept, ...entries].sort((a, b) => (a.m as number) - (b.m as number));
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        generatedAt: new Date().toISOString(),
        machine: { cpus: cpus().length, model: cpus()[0]?.model ?? null, node: process.version },
        configurations,
        bruteForce: table.map(({ n, epsilon, p, log10P, pSphere, q }) => ({ n, epsilon, p, log10P, pSphere, q })),
      },
      null,
      2,
    )}\n`,
  );
  line(`\nwrote ${file}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

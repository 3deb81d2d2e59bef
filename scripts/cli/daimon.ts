/**
 * `npx modelbounty daimon <command>`: the DaiMoN protocol (docs/daimon.md) for people and agents. Problem
 * contributors create problems and add tuples (training the DEL function f here), improvers register and prove
 * models, validators verify and vote, anyone commits blocks; claims, the chain and balances are read back from
 * events. Like the DanKu commands, every input is checked before a transaction is sent, progress goes to stderr and
 * --json prints one JSON document. Files travel through IPFS (scripts/cli/daimonIpfs.ts) and are verified against
 * their CIDs before PROVE or VERIFY sees them.
 */
import { existsSync, readFileSync } from "node:fs";
import { formatEther, formatUnits, hexToBytes, isAddressEqual, parseUnits, zeroAddress, type Address, type Hex } from "viem";
import { daimonProblemAbi } from "../../lib/generated/abis";
import {
  addTuple,
  claimValidatorReward,
  commitImprovementBlock,
  commitProblemBlock,
  createProblem,
  listProblems,
  readChain,
  readProblem,
  readProblemEvents,
  readTokenBalance,
  readTuples,
  readValidatorReward,
  readRegistration,
  registerModel,
  disputeOutput,
  submitProof,
  voteForProof,
  readVote,
  readProofBinding,
  withdrawVoteBond,
  type ChainProof,
  type ChainTuple,
  type ProblemState,
} from "../../lib/chain/daimon";
import { DAIMON_LIMITS, MAX_TUPLES, isImprovement } from "../../lib/daimon/fixedPoint";
import { cidHash, type ProblemConfig, type TestTuple } from "../../lib/daimon/encoding";
import { trainDel, type DelTrainingOptions } from "../../lib/daimon/delTrainer";
import { buildDelOnnx } from "../../lib/daimon/delOnnx";
import { evaluateDel, heldOutPerturbations } from "../../lib/daimon/delMetrics";
import { bruteForceOdds, formatTinyProbability } from "../../lib/daimon/bruteForce";
import { checkLabels, decodeTestInputs, encodeTestInputs, parseLabelledTestSet, sampleShape, testInputCount, type LabelledTestSet } from "../../lib/daimon/inputs";
import { buildProblemMetadata } from "../../lib/daimon/metadata";
import { decodeIntegerModel, inputPoints, inputsRoot, integerLabels, labelsRoot, unpackLabels } from "../../lib/daimon/disputes";
import { outputDispute, tupleDelRoot, tupleDelqOrNull } from "../../lib/daimon/delQuantized";
import { computeTarget, formatDistance, prove, verify, type PoiProblem, type PoiTuple, type PoiVerification } from "../../lib/daimon/poi";
import type { OrtModule } from "../../lib/ort/scorer";
import { CliError, connect, Output, parseAddress, resolveProblemFactory, signer, type ChainContext, type GlobalOptions } from "./context";
import { openIpfs, type CliIpfs, type IpfsLocationOptions } from "./daimonIpfs";

/** Options of the `daimon` command itself, shared by its subcommands. */
export interface DaimonOptions extends GlobalOptions, IpfsLocationOptions {
  problemFactory?: string;
}

/** The distance ε of the brute-force figure shown to contributors (the paper's §IV example). */
const BRUTE_FORCE_EPSILON = 0.1;

// ------------------------------------------------------------------ option parsing (before anything is sent)

function integer(value: string | undefined, name: string, min: number | bigint, max: number | bigint): number {
  const parsed = Number(value);
  if (value === undefined || !/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed < Number(min) || parsed > Number(max)) {
    throw new CliError(`--${name} must be a whole number between ${min} and ${max}, got ${value ?? "nothing"}`);
  }
  return parsed;
}

/** A decimal such as 0.01 as a WAD, 0 … max. */
function wad(value: string, name: string, max: bigint): bigint {
  let parsed: bigint;
  try {
    parsed = parseUnits(value.trim(), 18);
  } catch {
    throw new CliError(`--${name} must be a decimal number such as 0.01, got ${value}`);
  }
  if (parsed < 0n || parsed > max) throw new CliError(`--${name} must be between 0 and ${formatUnits(max, 18)}, got ${value}`);
  return parsed;
}

/** Whole tokens (18 decimals) as base units, 1 … MAX_REWARD_SCALE base units. */
function tokens(value: string, name: string): bigint {
  let parsed: bigint;
  try {
    parsed = parseUnits(value.trim(), 18);
  } catch {
    throw new CliError(`--${name} must be an amount of tokens such as 1000, got ${value}`);
  }
  if (parsed < 1n || parsed > DAIMON_LIMITS.MAX_REWARD_SCALE) throw new CliError(`--${name} must be more than 0 and at most ${formatUnits(DAIMON_LIMITS.MAX_REWARD_SCALE, 18)} tokens, got ${value}`);
  return parsed;
}

function shape(value: string, name: string): number[] {
  const dims = value.split(/[,x×\s]+/).filter(Boolean);
  if (dims.length < 1 || dims.length > Number(DAIMON_LIMITS.MAX_INPUT_RANK)) throw new CliError(`--${name} must list 1…${DAIMON_LIMITS.MAX_INPUT_RANK} dimensions such as 1,28,28, got ${value}`);
  return dims.map((d) => integer(d, name, 1, 0xffffffff));
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

function readBytes(file: string, what: string): Uint8Array {
  if (!existsSync(file)) throw new CliError(`${what} ${file} does not exist`);
  return new Uint8Array(readFileSync(file));
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** How f is trained (defaults: lib/daimon/delTrainer.ts's, the paper's H = 1024). */
export interface TrainingFlags {
  hidden?: string;
  steps?: string;
  batchSize?: string;
  seed?: string;
}

function trainingOptions(flags: TrainingFlags, n: number): DelTrainingOptions {
  return {
    n,
    ...(flags.hidden !== undefined ? { hidden: integer(flags.hidden, "hidden", 1, 65_536) } : {}),
    ...(flags.steps !== undefined ? { steps: integer(flags.steps, "steps", 1, 1_000_000) } : {}),
    ...(flags.batchSize !== undefined ? { batchSize: integer(flags.batchSize, "batch-size", 1, 65_536) } : {}),
    ...(flags.seed !== undefined ? { seed: integer(flags.seed, "seed", 0, 0xffffffff) } : {}),
  };
}

/** The private labelled test set: --test-set <json>, or --inputs <DMZ1 file> with --labels <json array>. */
export interface TestSetFlags {
  testSet?: string;
  inputs?: string;
  labels?: string;
}

function hasTestSet(flags: TestSetFlags): boolean {
  return flags.testSet !== undefined || flags.inputs !== undefined || flags.labels !== undefined;
}

function loadTestSet(flags: TestSetFlags, classCount: number, inputShape?: readonly number[]): LabelledTestSet {
  if (flags.testSet !== undefined) {
    if (flags.inputs !== undefined || flags.labels !== undefined) throw new CliError("pass either --test-set or --inputs with --labels, not both");
    if (!existsSync(flags.testSet)) throw new CliError(`labelled test set ${flags.testSet} does not exist`);
    return parseLabelledTestSet(readFileSync(flags.testSet, "utf8"), classCount, inputShape);
  }
  if (flags.inputs === undefined || flags.labels === undefined) throw new CliError("a tuple needs its labelled test set: --test-set <json>, or --inputs <Z file> with --labels <json>");
  const inputs = decodeTestInputs(readBytes(flags.inputs, "test inputs file"));
  if (inputShape && !sameShape(sampleShape(inputs), inputShape)) {
    throw new CliError(`${flags.inputs} holds inputs of shape [${sampleShape(inputs).join(", ")}], the problem's input shape is [${inputShape.join(", ")}]`);
  }
  if (!existsSync(flags.labels)) throw new CliError(`labels file ${flags.labels} does not exist`);
  let labels: unknown;
  try {
    labels = JSON.parse(readFileSync(flags.labels, "utf8"));
  } catch {
    throw new CliError(`${flags.labels} is not a JSON array of labels`);
  }
  if (!Array.isArray(labels)) throw new CliError(`${flags.labels} is not a JSON array of labels`);
  return { inputs, labels: checkLabels(labels, testInputCount(inputs), classCount) };
}

// ------------------------------------------------------------------ shared steps

let loadedOrt: OrtModule | undefined;

/** onnxruntime-web's Node build, loaded on first use (DanKu commands never pay for it), one WASM thread. */
async function ort(): Promise<OrtModule> {
  if (!loadedOrt) {
    const runtime = (await import("onnxruntime-web")) as OrtModule;
    // One thread: no worker threads that would keep a finished CLI process alive.
    runtime.env.wasm.numThreads = 1;
    runtime.env.logLevel = "error";
    loadedOrt = runtime;
  }
  return loadedOrt;
}

function poiProblem(state: ProblemState): PoiProblem {
  return { classCount: state.config.classCount, testSetSize: state.config.testSetSize, embeddingSize: state.config.embeddingSize, inputShape: state.inputShape };
}

interface TrainedTuple {
  z: Uint8Array;
  del: Uint8Array;
  target: Hex;
  quality: { pearson: number; mae: number; pairOrdering: number; maeLowError: number; heldOutSamples: number };
  bruteForce: { n: number; epsilon: number; p: number; q: number; log10P: number; pSphere: number };
  trainingSeconds: number;
  hidden: number;
  steps: number;
}

/** Trains f for x_t with progress on stderr, measures it on held-out perturbations, computes y_t with ONNX Runtime. */
async function trainTuple(set: LabelledTestSet, classCount: number, n: number, flags: TrainingFlags, output: Output): Promise<TrainedTuple> {
  const options = trainingOptions(flags, n);
  const m = testInputCount(set.inputs);
  output.progress(`training the DEL function f for m = ${m} labels, C = ${classCount}, n = ${n} (the labels never leave this machine)…`);
  const trained = await trainDel(set.labels, classCount, options, {
    progressIntervalMs: 1000,
    onProgress: (p) =>
      output.progress(`  step ${p.step}/${p.steps}  |d − e| ≈ ${p.meanAbsError.toFixed(4)}  ${p.elapsedSeconds.toFixed(1)} s elapsed, ${p.etaSeconds.toFixed(0)} s left`),
  });
  const evaluation = evaluateDel(trained.parameters, set.labels, heldOutPerturbations(set.labels, classCount, { seed: 0x5eed }));
  const odds = bruteForceOdds(n, BRUTE_FORCE_EPSILON);
  const del = buildDelOnnx(trained.parameters);
  const { target } = await computeTarget(del, set.labels, { ort: await ort() });
  return {
    z: encodeTestInputs(set.inputs),
    del,
    target,
    quality: { pearson: evaluation.pearson, mae: evaluation.mae, pairOrdering: evaluation.pairOrdering, maeLowError: evaluation.maeLowError, heldOutSamples: evaluation.samples },
    bruteForce: { n, epsilon: BRUTE_FORCE_EPSILON, p: odds.p, q: odds.q, log10P: odds.log10P, pSphere: odds.pSphere },
    trainingSeconds: trained.seconds,
    hidden: trained.options.hidden,
    steps: trained.options.steps,
  };
}

function describeTuple(t: TrainedTuple, cids: { inputsCid: string; delCid: string }): string[] {
  return [
    `f trained in ${t.trainingSeconds.toFixed(1)} s (H = ${t.hidden}, ${t.steps} steps)`,
    `DEL quality on ${t.quality.heldOutSamples} held-out perturbations of x_t: pearson ${t.quality.pearson.toFixed(4)}, MAE ${t.quality.mae.toFixed(4)}, ` +
      `MAE below e = 0.2 ${t.quality.maeLowError.toFixed(4)}, pair ordering (e < 0.2) ${t.quality.pairOrdering.toFixed(4)}`,
    `brute force (paper §IV, ε = ${BRUTE_FORCE_EPSILON.toFixed(2)}, n = ${t.bruteForce.n}): p = ${formatTinyProbability(t.bruteForce.log10P)} per random draw, ` +
      `q = 1/p ≈ ${t.bruteForce.q === Infinity ? `10^${(-t.bruteForce.log10P).toFixed(1)}` : t.bruteForce.q.toExponential(2)} draws`,
    `Z ${cids.inputsCid}, f ${cids.delCid}`,
  ];
}

async function uploadTuple(ipfs: CliIpfs, t: TrainedTuple, output: Output): Promise<TestTuple> {
  output.progress(`uploading Z (${t.z.length} bytes) and f (${t.del.length} bytes) to ${ipfs.location}…`);
  const inputsCid = await ipfs.add(t.z);
  const delCid = await ipfs.add(t.del);
  return { inputsCid, delCid, inputsRoot: inputsRoot(decodeTestInputs(t.z)), delRoot: tupleDelRoot(t.del), target: t.target };
}

async function openProblem(options: DaimonOptions & { problem: string }): Promise<{ context: ChainContext; problem: Address; state: ProblemState }> {
  const problem = parseAddress(options.problem, "--problem");
  const context = await connect(options);
  const code = await context.client.getCode({ address: problem });
  if (!code || code === "0x") throw new CliError(`there is no contract at ${problem} on chain ${context.chain.id}`);
  let state: ProblemState;
  try {
    state = await readProblem(context.client, problem);
  } catch {
    throw new CliError(`${problem} is not a DaiMoN problem`);
  }
  return { context, problem, state };
}

/** Every tuple's Z and f from IPFS (verified against the tuple's CIDs) with its y_t. */
async function downloadTuples(ipfs: CliIpfs, tuples: readonly ChainTuple[], output: Output): Promise<PoiTuple[]> {
  const files: PoiTuple[] = [];
  for (const t of tuples) {
    output.progress(`downloading tuple ${t.index}'s Z and f from ${ipfs.location}…`);
    const inputs = await ipfs.get(t.inputsCid, `tuple ${t.index}'s test inputs Z`);
    const del = await ipfs.get(t.delCid, `tuple ${t.index}'s DEL function f`);
    files.push({ inputs, del, target: t.target, inputsCid: t.inputsCid, delCid: t.delCid, delRoot: t.delRoot });
  }
  return files;
}

function progressOf(output: Output): (p: { phase: "model" | "del"; tuple: number; done: number; total: number }) => void {
  return (p) => {
    if (p.phase === "model" && p.done === p.total) output.progress(`  tuple ${p.tuple}: M(Z) on ${p.total} test inputs done`);
    if (p.phase === "del" && p.done === p.total) output.progress(`  tuple ${p.tuple}: y = f(M(Z)) done`);
  };
}

function tokenText(amount: bigint, symbol: string): string {
  return `${formatUnits(amount, 18)} ${symbol}`;
}

// ------------------------------------------------------------------ create, add-tuple

export interface CreateProblemOptions extends DaimonOptions, TrainingFlags, TestSetFlags {
  name: string;
  symbol: string;
  classes: string;
  embedding: string;
  testSetSize?: string;
  inputShape?: string;
  definitionPeriod: string;
  competitionPeriod: string;
  rewardShape: string;
  margin: string;
  rewardScale: string;
  minVotes: string;
  closed?: boolean;
  title?: string;
  description?: string;
  classNames?: string;
  inputDescription?: string;
  metadataCid?: string;
}

export async function createProblemCommand(options: CreateProblemOptions, output: Output): Promise<void> {
  const L = DAIMON_LIMITS;
  const classCount = integer(options.classes, "classes", L.MIN_CLASSES, L.MAX_CLASSES);
  const embeddingSize = integer(options.embedding, "embedding", L.MIN_EMBEDDING, L.MAX_EMBEDDING);
  if (byteLength(options.name) < 1 || byteLength(options.name) > Number(L.MAX_NAME_BYTES)) throw new CliError(`--name must be 1…${L.MAX_NAME_BYTES} bytes`);
  if (byteLength(options.symbol) < 1 || byteLength(options.symbol) > Number(L.MAX_SYMBOL_BYTES)) throw new CliError(`--symbol must be 1…${L.MAX_SYMBOL_BYTES} bytes`);
  const classNames = options.classNames?.split(",").map((c) => c.trim()) ?? [];
  if (classNames.length > 0 && classNames.length !== classCount) throw new CliError(`--class-names lists ${classNames.length} names for ${classCount} classes`);
  const withTuple = hasTestSet(options);
  const givenShape = options.inputShape !== undefined ? shape(options.inputShape, "input-shape") : undefined;
  const set = withTuple ? loadTestSet(options, classCount, givenShape) : undefined;
  const inputShape = givenShape ?? (set ? sampleShape(set.inputs) : undefined);
  if (!inputShape) throw new CliError("--input-shape is needed without a labelled test set (e.g. --input-shape 1,28,28)");
  const m = set ? testInputCount(set.inputs) : undefined;
  const testSetSize = options.testSetSize !== undefined ? integer(options.testSetSize, "test-set-size", L.MIN_TEST_SET_SIZE, L.MAX_TEST_SET_SIZE) : m;
  if (testSetSize === undefined) throw new CliError("--test-set-size is needed without a labelled test set");
  if (m !== undefined && m !== testSetSize) throw new CliError(`--test-set-size is ${testSetSize} but the labelled test set has ${m} points`);
  const config: ProblemConfig = {
    classCount,
    testSetSize,
    embeddingSize,
    definitionPeriod: integer(options.definitionPeriod, "definition-period", L.MIN_PERIOD, L.MAX_PERIOD),
    competitionPeriod: integer(options.competitionPeriod, "competition-period", L.MIN_PERIOD, L.MAX_PERIOD),
    rewardShape: integer(options.rewardShape, "reward-shape", L.MIN_REWARD_SHAPE, L.MAX_REWARD_SHAPE),
    minVotes: integer(options.minVotes, "min-votes", L.MIN_MIN_VOTES, L.MAX_MIN_VOTES),
    openTuples: !options.closed,
    margin: wad(options.margin, "margin", L.MAX_MARGIN),
    rewardScale: tokens(options.rewardScale, "reward-scale"),
  };
  if (options.metadataCid === undefined && (options.title === undefined || options.title.trim() === "")) {
    throw new CliError("a problem needs metadata: pass --title (and --description, --class-names) or --metadata-cid");
  }
  const metadata = options.metadataCid === undefined
    ? buildProblemMetadata({ title: options.title ?? "", description: options.description, classNames, inputDescription: options.inputDescription })
    : undefined;
  if (options.metadataCid !== undefined && byteLength(options.metadataCid) > Number(L.MAX_CID_BYTES)) throw new CliError(`--metadata-cid is longer than ${L.MAX_CID_BYTES} bytes`);
  // Checked now, so a bad training flag fails before anything is uploaded or sent.
  trainingOptions(options, embeddingSize);

  const context = await connect(options);
  const wallet = signer(context);
  const factory = resolveProblemFactory(options.problemFactory, context.chain.id);
  const ipfs = openIpfs(options);

  const trained = set ? await trainTuple(set, classCount, embeddingSize, options, output) : undefined;
  let metadataCid = options.metadataCid;
  if (metadata) {
    output.progress(`uploading the problem's metadata to ${ipfs.location}…`);
    metadataCid = await ipfs.add(new TextEncoder().encode(`${JSON.stringify(metadata, null, 2)}\n`));
  }
  const tuple = trained ? await uploadTuple(ipfs, trained, output) : undefined;
  output.progress(`creating the problem and its token ${options.symbol}…`);
  const created = await createProblem(wallet, context.client, {
    factory,
    spec: { config, inputShape, name: options.name, symbol: options.symbol, metadataCid: metadataCid ?? "" },
    tuples: tuple ? [tuple] : [],
  });
  output.result(
    [
      `problem: ${created.problem}`,
      `token: ${created.token} (${options.symbol})`,
      `definition period: blocks ${created.createdBlock}…${created.definitionEnd - 1n}; rounds of ${config.competitionPeriod} blocks from block ${created.definitionEnd}`,
      `metadata: ${metadataCid}`,
      ...(trained && tuple ? ["tuple 0:", ...describeTuple(trained, tuple).map((l) => `  ${l}`)] : ["no tuple yet: add one with modelbounty daimon add-tuple before the definition period ends"]),
    ].join("\n"),
    {
      problem: created.problem,
      token: created.token,
      createdBlock: created.createdBlock,
      definitionEnd: created.definitionEnd,
      metadataCid,
      config,
      inputShape,
      transaction: created.hash,
      ...(trained && tuple ? { tuple: { ...tuple, quality: trained.quality, bruteForce: trained.bruteForce, trainingSeconds: trained.trainingSeconds } } : {}),
    },
  );
}

export interface AddTupleOptions extends DaimonOptions, TrainingFlags, TestSetFlags {
  problem: string;
}

export async function addTupleCommand(options: AddTupleOptions, output: Output): Promise<void> {
  const { context, problem, state } = await openProblem(options);
  const wallet = signer(context);
  if (state.phase !== "Definition") {
    throw new CliError(`tuples can only be added during the definition period, which ended at block ${state.definitionEnd} (now ${state.blockNumber})`);
  }
  if (!state.config.openTuples && !isAddressEqual(state.creator, wallet.account.address)) {
    throw new CliError(`only the creator ${state.creator} may add tuples to this problem`);
  }
  if (state.tupleCount >= MAX_TUPLES) throw new CliError(`the problem already has the maximum of ${MAX_TUPLES} tuples`);
  const set = loadTestSet(options, state.config.classCount, state.inputShape);
  const m = testInputCount(set.inputs);
  if (m !== state.config.testSetSize) throw new CliError(`the labelled test set has ${m} points, the problem's test set size is ${state.config.testSetSize}`);
  trainingOptions(options, state.config.embeddingSize);
  const ipfs = openIpfs(options);

  const trained = await trainTuple(set, state.config.classCount, state.config.embeddingSize, options, output);
  const tuple = await uploadTuple(ipfs, trained, output);
  // The definition period may have ended while f trained: say so instead of sending a doomed transaction.
  const now = await context.client.getBlockNumber({ cacheTime: 0 });
  if (now + 1n >= state.definitionEnd) throw new CliError(`the definition period ended (block ${state.definitionEnd}) while f trained; Z and f are on IPFS but no tuple was added`);
  output.progress("adding the tuple…");
  const added = await addTuple(wallet, context.client, problem, tuple);
  output.result([`tuple ${added.index} added to ${problem}`, ...describeTuple(trained, tuple)].join("\n"), {
    problem,
    index: added.index,
    tupleHash: added.tupleHash,
    ...tuple,
    quality: trained.quality,
    bruteForce: trained.bruteForce,
    trainingSeconds: trained.trainingSeconds,
    transaction: added.hash,
  });
}

// ------------------------------------------------------------------ register, prove, submit-proof

export interface ModelOptions extends DaimonOptions {
  problem: string;
  model: string;
}

export async function registerCommand(options: ModelOptions, output: Output): Promise<void> {
  // The registration commits to the outputs too (docs/daimon.md §7), so PROVE runs first; nothing is published.
  const { context, problem, state, proof } = await proveModel(options, output);
  if (state.phase === "Dead") throw new CliError("the problem is dead: its definition period ended without a tuple");
  const wallet = signer(context);
  const cid = proof.cid;
  const owner = await context.client.readContract({ address: problem, abi: daimonProblemAbi, functionName: "cidOwner", args: [cidHash(cid)] });
  if (owner !== zeroAddress && !isAddressEqual(owner, wallet.account.address)) throw new CliError(`the model ${cid} was already proved by ${owner}`);
  const registered = await registerModel(wallet, context.client, problem, cid, proof.packedOutputs);
  output.result(
    [
      `${registered.transaction ? "registered" : "already registered"} model ${cid} and its outputs for ${wallet.account.address} in block ${registered.registeredAt}; its proof is accepted from block ${registered.usableFrom} on`,
      "keep the model file and its outputs private until the proof is mined: modelbounty daimon submit-proof waits for that block, submits, then publishes the model",
    ].join("\n"),
    {
      problem,
      cid,
      outputs: proof.packedOutputs,
      registration: registered.registration,
      registeredAt: registered.registeredAt,
      usableFrom: registered.usableFrom,
      transaction: registered.transaction?.hash ?? null,
    },
  );
}

async function proveModel(options: ModelOptions, output: Output) {
  const model = readBytes(options.model, "model file");
  const { context, problem, state } = await openProblem(options);
  if (state.tupleCount === 0) throw new CliError("the problem has no tuple to prove against yet");
  const ipfs = openIpfs(options);
  const tuples = await downloadTuples(ipfs, await readTuples(context.client, problem, { fromBlock: state.createdBlock }), output);
  const improver = process.env.MODELBOUNTY_PRIVATE_KEY ? signer(context).account.address : undefined;
  output.progress("PROVE: running the model on Z and f on its predictions…");
  const proof = await prove({ model, tuples, problem: poiProblem(state), problemAddress: problem, improver }, { ort: await ort(), onProgress: progressOf(output) });
  return { context, problem, state, ipfs, model, proof, improver };
}

function proofSummary(state: ProblemState, proof: { distance: bigint; distances: bigint[] }): { improves: boolean; line: string } {
  const improves = isImprovement(proof.distance, state.bestDistance, state.config.margin);
  const perTuple = proof.distances.length > 1 ? ` (per tuple ${proof.distances.map((d) => formatDistance(d)).join(", ")})` : "";
  return {
    improves,
    line: `d = ${formatDistance(proof.distance)}${perTuple}; the best distance is d_c = ${formatDistance(state.bestDistance)} with margin δ = ${formatDistance(state.config.margin)}: ${improves ? "an improvement" : "not an improvement (d + δ ≥ d_c)"}`,
  };
}

export async function proveCommand(options: ModelOptions, output: Output): Promise<void> {
  const { problem, state, proof, improver } = await proveModel(options, output);
  const { improves, line } = proofSummary(state, proof);
  output.result([`model ${proof.cid}`, line, `outputs ${proof.packedOutputs}`].join("\n"), {
    problem,
    cid: proof.cid,
    outputs: proof.packedOutputs,
    distance: proof.distance,
    distances: proof.distances,
    bestDistance: state.bestDistance,
    margin: state.config.margin,
    improves,
    proofHash: proof.proofHash ?? null,
    improver: improver ?? null,
  });
}

export async function submitProofCommand(options: ModelOptions & { publish: boolean }, output: Output): Promise<void> {
  const { context, problem, state, ipfs, model, proof } = await proveModel(options, output);
  const wallet = signer(context);
  if (state.phase !== "Competition") throw new CliError(`proofs are accepted from block ${state.definitionEnd} on (now ${state.blockNumber})`);
  const registration = await readRegistration(context.client, problem, wallet.account.address, proof.cid, proof.packedOutputs);
  if (registration.registeredAt === 0n) {
    throw new CliError(`${wallet.account.address} has not registered ${proof.cid} with these outputs: run modelbounty daimon register --problem ${problem} --model ${options.model} first (before publishing the model)`);
  }
  // The CID belongs to the oldest registration (docs/daimon.md §7): only an owner registered before us stops the proof.
  const [owner, , ownerRegisteredAt] = await context.client.readContract({ address: problem, abi: daimonProblemAbi, functionName: "cidClaim", args: [cidHash(proof.cid)] });
  if (owner !== zeroAddress && !isAddressEqual(owner, wallet.account.address) && ownerRegisteredAt < registration.registeredAt) {
    throw new CliError(`the model ${proof.cid} was already proved by ${owner}, registered in block ${ownerRegisteredAt}, before yours (block ${registration.registeredAt})`);
  }
  const { improves, line } = proofSummary(state, proof);
  if (!improves) throw new CliError(`${line}; nothing was sent`);
  // The proof is accepted only with a registration REGISTRATION_AGE blocks old; sending it earlier would revert and
  // publish the outputs (the simulation refuses it anyway), so wait for that block.
  const submitted = await submitProof(wallet, context.client, problem, proof.cid, proof.binding, proof.packedOutputs, {
    waitForRegistration: {
      onWait: (latest, usableFrom) =>
        output.progress(`registered in block ${registration.registeredAt}: the proof is accepted from block ${usableFrom} on (now ${latest}), waiting…`),
    },
  });
  output.progress("proof submitted");
  let published: string | null = null;
  if (options.publish) {
    // Only now, with the CID owned on chain, may the model become public (docs/daimon.md §7).
    output.progress(`publishing the model to ${ipfs.location}…`);
    published = await ipfs.add(model);
    if (published !== proof.cid) throw new CliError(`IPFS stored the model as ${published}, not ${proof.cid}`);
  }
  output.result(
    [
      `proof ${submitted.proofId} accepted in round ${submitted.round}: d = ${formatDistance(submitted.distance)}`,
      `proof hash ${submitted.proofHash}`,
      published ? `model published as ${published}` : `publish the model (CID ${proof.cid}) now so validators can verify it`,
      `validators: modelbounty daimon vote --problem ${problem} --proof-id ${submitted.proofId}`,
    ].join("\n"),
    {
      problem,
      proofId: submitted.proofId,
      round: submitted.round,
      cid: proof.cid,
      outputs: proof.packedOutputs,
      distance: submitted.distance,
      distances: submitted.distances,
      proofHash: submitted.proofHash,
      published,
      transaction: submitted.hash,
    },
  );
}

// ------------------------------------------------------------------ verify, vote

export interface ProofOptions extends DaimonOptions {
  problem: string;
  proofId: string;
  tolerance: string;
}

async function verifyProof(options: ProofOptions, output: Output): Promise<{ context: ChainContext; problem: Address; state: ProblemState; proof: ChainProof; result: PoiVerification; bestDistance: bigint }> {
  const tolerance = integer(options.tolerance, "tolerance", 0, 65_535);
  const { context, problem, state } = await openProblem(options);
  const proofId = integer(options.proofId, "proof-id", 0, Number.MAX_SAFE_INTEGER);
  if (proofId >= state.proofCount) throw new CliError(`there is no proof ${proofId}: the problem has ${state.proofCount} proof(s)`);
  const events = await readProblemEvents(context.client, problem, { fromBlock: state.createdBlock });
  const proof = events.proofs.find((p) => p.proofId === BigInt(proofId));
  if (!proof) throw new CliError(`the ProofSubmitted event of proof ${proofId} was not found`);
  const ipfs = openIpfs(options);
  output.progress(`downloading the model ${proof.cid} from ${ipfs.location}…`);
  const model = await ipfs.get(proof.cid, "the proof's model");
  const tuples = await downloadTuples(ipfs, events.tuples, output);
  // d_c as the contract had it when it accepted the proof: nothing changes it later in the same block or round.
  let bestDistance = state.bestDistance;
  try {
    bestDistance = await context.client.readContract({ address: problem, abi: daimonProblemAbi, functionName: "bestDistance", blockNumber: proof.blockNumber });
  } catch {
    output.progress("the node keeps no state of the proof's block; checking against the current best distance");
  }
  output.progress("VERIFY: recomputing f(M(Z)) and the distance…");
  const result = await verify(
    {
      model,
      proof: { cid: proof.cid, outputs: proof.outputs, improver: proof.improver, problem, proofHash: proof.proofHash, distance: proof.distance, distances: proof.distances, binding: { modelHash: proof.modelHash, labelsRoot: proof.labelsRoot, checkpoints: proof.checkpoints } },
      tuples,
      problem: poiProblem(state),
      bestDistance,
      margin: state.config.margin,
      tolerance,
    },
    { ort: await ort(), onProgress: progressOf(output) },
  );
  return { context, problem, state, proof, result, bestDistance };
}

function verificationLines(proof: ChainProof, result: PoiVerification): string[] {
  return [`proof ${proof.proofId} by ${proof.improver} (round ${proof.round}), model ${proof.cid}`, ...result.checks.map((c) => `  ${c.ok ? "✓" : "✗"} ${c.name}: ${c.detail}`), result.summary];
}

/** Exit status 0 when the proof verifies, 2 when it does not (the JSON document says why either way). */
export async function verifyCommand(options: ProofOptions, output: Output): Promise<void> {
  const { problem, state, proof, result, bestDistance } = await verifyProof(options, output);
  const votingOpen = state.currentRound === proof.round;
  output.result([...verificationLines(proof, result), votingOpen ? "voting is open for this proof in this round" : `voting for this proof closed with round ${proof.round}`].join("\n"), {
    problem,
    proofId: proof.proofId,
    round: proof.round,
    verified: result.verified,
    checks: result.checks,
    reasons: result.reasons,
    summary: result.summary,
    distance: result.distance,
    bestDistance,
    margin: state.config.margin,
    proofHash: result.proofHash,
    votingOpen,
  });
  if (!result.verified) process.exitCode = 2;
}

export async function voteCommand(options: ProofOptions, output: Output): Promise<void> {
  const { context, problem, state, proof, result } = await verifyProof(options, output);
  const wallet = signer(context);
  if (!result.verified || !result.proofHash) throw new CliError(`not voting for proof ${proof.proofId}: ${result.reasons.join("; ") || result.summary}`);
  if (state.currentRound !== proof.round) throw new CliError(`not voting: votes for proof ${proof.proofId} were accepted only in round ${proof.round} (now round ${state.currentRound ?? "—"})`);
  if (isAddressEqual(proof.improver, wallet.account.address)) throw new CliError("not voting: the improver cannot vote for his own proof");
  const { position } = await readVote(context.client, problem, proof.proofId, wallet.account.address);
  if (position !== 0n) throw new CliError(`${wallet.account.address} already voted for proof ${proof.proofId} (position ${position})`);
  output.progress(`verified; voting with a bond of ${formatEther(DAIMON_LIMITS.VOTE_BOND)} ETH…`);
  const voted = await voteForProof(wallet, context.client, problem, proof.proofId, result.proofHash);
  output.result(
    [
      ...verificationLines(proof, result),
      `voted for proof ${proof.proofId} at position ${voted.position}, bond ${formatEther(DAIMON_LIMITS.VOTE_BOND)} ETH locked`,
      `the bond goes to the challenger if the proof loses a dispute; after round ${proof.round}: modelbounty daimon withdraw-vote-bond --problem ${problem} --proof-id ${proof.proofId}`,
    ].join("\n"),
    {
      problem,
      proofId: proof.proofId,
      verified: true,
      checks: result.checks,
      distance: result.distance,
      proofHash: result.proofHash,
      position: voted.position,
      bond: DAIMON_LIMITS.VOTE_BOND,
      transaction: voted.hash,
    },
  );
}

/** Withdraws the wallet's vote bond on a proof that survived its round (docs/daimon.md §14.4). */
export async function withdrawVoteBondCommand(options: DaimonOptions & { problem: string; proofId: string }, output: Output): Promise<void> {
  const { context, problem, state } = await openProblem(options);
  const wallet = signer(context);
  const me = wallet.account.address;
  const proofId = integer(options.proofId, "proof-id", 0, Number.MAX_SAFE_INTEGER);
  if (proofId >= state.proofCount) throw new CliError(`there is no proof ${proofId}: the problem has ${state.proofCount} proof(s)`);
  const id = BigInt(proofId);
  const vote = await readVote(context.client, problem, id, me);
  if (vote.position === 0n) throw new CliError(`${me} did not vote for proof ${proofId}: there is no vote bond to withdraw`);
  if (vote.bondWithdrawn) throw new CliError(`${me} already withdrew the vote bond on proof ${proofId}`);
  const binding = await readProofBinding(context.client, problem, id);
  if (binding.voided) throw new CliError(`proof ${proofId} lost a dispute: the bonds of its votes went to the challenger`);
  const events = await readProblemEvents(context.client, problem, { fromBlock: state.createdBlock });
  const proof = events.proofs.find((p) => p.proofId === id);
  if (proof && (state.currentRound === undefined || state.currentRound <= proof.round)) {
    throw new CliError(`the vote bond on proof ${proofId} is locked until round ${proof.round} is over (now round ${state.currentRound ?? "—"}): a dispute can still void the proof`);
  }
  if (binding.availabilityChallenger !== zeroAddress && !(binding.modelPosted && binding.labelsPosted)) {
    throw new CliError(`proof ${proofId}'s model is still owed after an availability dispute: it can still be voided, so its vote bonds are locked`);
  }
  const sent = await withdrawVoteBond(wallet, context.client, problem, id);
  output.result(`withdrew the vote bond on proof ${proofId}: ${formatEther(sent.amount)} ETH to ${me}`, { problem, proofId: id, account: me, amount: sent.amount, transaction: sent.hash });
}

// ------------------------------------------------------------------ dispute-output

export interface DisputeOutputOptions extends DaimonOptions {
  problem: string;
  proofId: string;
  tuple?: string;
  dryRun?: boolean;
}

/**
 * Finds the first step of a proof's f_q claim that is wrong (lib/daimon/delQuantized.ts `outputDispute`, on the
 * proof's labels: the posted ones, else the DanKu model's own when they are the proof's) and sends it: a wrong step
 * voids the proof and pays the bond to the sender. Without a wrong step nothing is sent (exit status 0 either way).
 */
export async function disputeOutputCommand(options: DisputeOutputOptions, output: Output): Promise<void> {
  const { context, problem, state } = await openProblem(options);
  const proofId = integer(options.proofId, "proof-id", 0, Number.MAX_SAFE_INTEGER);
  const events = await readProblemEvents(context.client, problem, { fromBlock: state.createdBlock });
  const proof = events.proofs.find((p) => p.proofId === BigInt(proofId));
  if (!proof) throw new CliError(`there is no proof ${proofId}`);
  if (proof.voided) throw new CliError(`proof ${proofId} was voided already (${proof.voided.reason})`);
  const ipfs = openIpfs(options);
  const tuples = await downloadTuples(ipfs, events.tuples, output);
  const m = state.config.testSetSize;
  const posted = await context.client.getContractEvents({ address: problem, abi: daimonProblemAbi, eventName: "LabelsPosted", args: { proofId: proof.proofId }, fromBlock: proof.blockNumber, strict: true });
  let labels: number[][];
  if (posted[0]) {
    labels = unpackLabels(hexToBytes(posted[0].args.labels), m).map((l) => Array.from(l));
  } else {
    output.progress(`proof ${proofId}'s labels are not posted; recomputing them from its model ${proof.cid}…`);
    const model = decodeIntegerModel(await ipfs.get(proof.cid, "the proof's model"));
    if (!model) throw new CliError("the proof's model is not a DanKu v1 model and its labels are not posted: dispute its availability first");
    labels = tuples.map((t) => Array.from(integerLabels(model, inputPoints(t.inputs instanceof Uint8Array ? decodeTestInputs(t.inputs) : t.inputs))));
    if (labelsRoot(labels).toLowerCase() !== proof.labelsRoot.toLowerCase()) {
      throw new CliError("the proof's labels are not its model's: a label dispute wins (post the model, then dispute a label); its labels are not posted, so f_q cannot be run on them");
    }
  }
  const only = options.tuple === undefined ? undefined : integer(options.tuple, "tuple", 0, tuples.length - 1);
  const notes: string[] = [];
  for (const [t, tuple] of tuples.entries()) {
    if (only !== undefined && t !== only) continue;
    const q = tupleDelqOrNull(tuple.del);
    const chainTuple = events.tuples[t];
    if (!q || !chainTuple || tupleDelRoot(tuple.del).toLowerCase() !== chainTuple.delRoot.toLowerCase()) {
      notes.push(`tuple ${t}: its f has no f_q matching the tuple's delRoot, so its outputs cannot be disputed`);
      continue;
    }
    output.progress(`tuple ${t}: recomputing f_q on the proof's labels…`);
    const found = outputDispute({ q, tuple: t, labels, checkpoints: proof.checkpoints, outputs: proof.outputs });
    if (!found) {
      notes.push(`tuple ${t}: every checkpoint and the outputs are f_q's (each step would revert OutputCorrect)`);
      continue;
    }
    const what = found.kind === "segment" ? `segment ${found.step}` : `the output step (S = ${found.step})`;
    if (options.dryRun) {
      output.result(`proof ${proofId}, tuple ${t}: ${what} is wrong; an output dispute wins (not sent: --dry-run)`, { problem, proofId: proof.proofId, tuple: t, step: found.step, kind: found.kind, sent: false });
      return;
    }
    const sent = await disputeOutput(signer(context), context.client, problem, proof.proofId, found);
    output.result(`proof ${proofId} voided at tuple ${t}, ${what}: ${formatUnits(sent.paid, 18)} ETH paid to the challenger`, { problem, proofId: proof.proofId, tuple: t, step: found.step, kind: found.kind, sent: true, paid: sent.paid, transaction: sent.hash });
    return;
  }
  output.result([`no output dispute of proof ${proofId} wins:`, ...notes.map((n) => `  ${n}`)].join("\n"), { problem, proofId: proof.proofId, sent: false, notes });
}

// ------------------------------------------------------------------ commit-block, claim

export async function commitBlockCommand(options: DaimonOptions & { problem: string }, output: Output): Promise<void> {
  const { context, problem, state } = await openProblem(options);
  const wallet = signer(context);
  if (state.phase !== "Competition") throw new CliError(`nothing to commit before the definition period ends at block ${state.definitionEnd}${state.phase === "Dead" ? " (the problem is dead: no tuple)" : ""}`);
  const { pendingRound } = state;
  const roundOver = pendingRound.open && state.currentRound !== undefined && pendingRound.round < state.currentRound;
  if (!roundOver) {
    if (!state.problemBlockCommitted) {
      const sent = await commitProblemBlock(wallet, context.client, problem);
      output.result(`committed the Problem block (block 0) of ${problem}`, { problem, committed: "problem", blockNumber: 0, transaction: sent.hash });
      return;
    }
    if (!pendingRound.open) throw new CliError("nothing to commit: no round with proofs is waiting");
    const end = state.definitionEnd + (pendingRound.round + 1n) * BigInt(state.config.competitionPeriod);
    throw new CliError(`nothing to commit yet: round ${pendingRound.round} ends at block ${end} (now ${state.blockNumber})`);
  }
  const sent = await commitImprovementBlock(wallet, context.client, problem);
  const block = sent.block;
  output.result(
    block
      ? `committed Improvement block ${block.blockNumber}: proof ${block.proofId} by ${block.improver}, d = ${formatDistance(block.distance)} (from ${formatDistance(block.previousDistance)}), ${block.voteCount} vote(s), ${tokenText(block.improverReward, state.tokenSymbol)} to the improver`
      : `round ${pendingRound.round} closed without a block (its leader had ${pendingRound.leaderVotes} of the ${state.config.minVotes} votes needed, or no longer improved)`,
    { problem, committed: block ? "improvement" : null, round: pendingRound.round, block: block ?? null, transaction: sent.hash },
  );
}

export async function claimCommand(options: DaimonOptions & { problem: string; block?: string }, output: Output): Promise<void> {
  const { context, problem, state } = await openProblem(options);
  const wallet = signer(context);
  const me = wallet.account.address;
  const candidates = options.block !== undefined ? [BigInt(integer(options.block, "block", 1, Number.MAX_SAFE_INTEGER))] : Array.from({ length: Math.max(0, state.chainLength - 1) }, (_, i) => BigInt(i + 1));
  if (options.block !== undefined && candidates[0]! >= BigInt(state.chainLength)) throw new CliError(`there is no Improvement block ${options.block}: the chain has ${state.chainLength} block(s)`);
  const claimable: bigint[] = [];
  for (const blockNumber of candidates) if ((await readValidatorReward(context.client, problem, blockNumber, me)) > 0n) claimable.push(blockNumber);
  if (claimable.length === 0) {
    throw new CliError(options.block !== undefined ? `${me} has nothing to claim for block ${options.block} (no vote, already claimed, or a zero share)` : `${me} has no validator reward to claim on ${problem}`);
  }
  const claims: { blockNumber: bigint; amount: bigint; transaction: Hex }[] = [];
  for (const blockNumber of claimable) {
    const sent = await claimValidatorReward(wallet, context.client, problem, blockNumber);
    claims.push({ blockNumber, amount: sent.amount, transaction: sent.hash });
    output.progress(`claimed ${tokenText(sent.amount, state.tokenSymbol)} for block ${blockNumber}`);
  }
  const total = claims.reduce((s, c) => s + c.amount, 0n);
  output.result(claims.map((c) => `block ${c.blockNumber}: ${tokenText(c.amount, state.tokenSymbol)}`).concat(`claimed ${tokenText(total, state.tokenSymbol)} in all`).join("\n"), {
    problem,
    account: me,
    claims,
    total,
    balance: await readTokenBalance(context.client, state.token, me),
  });
}

// ------------------------------------------------------------------ reads: chain, balances, status, list

export async function chainCommand(options: DaimonOptions & { problem: string }, output: Output): Promise<void> {
  const { context, problem, state } = await openProblem(options);
  const chain = await readChain(context.client, problem, { fromBlock: state.createdBlock });
  const lines = chain.blocks.map((b) =>
    b.kind === "problem"
      ? `block 0  Problem      ${b.blockHash}  ${b.tupleCount} tuple(s)`
      : `block ${b.blockNumber}  Improvement  ${b.blockHash}  round ${b.round}, proof ${b.proofId} by ${b.improver}: d = ${formatDistance(b.distance)} (from ${formatDistance(b.previousDistance)}), ${b.voteCount} vote(s), ${tokenText(b.improverReward, state.tokenSymbol)}`,
  );
  output.result(
    [
      `chain of ${problem}: ${chain.blocks.length} block(s), best distance ${formatDistance(state.bestDistance)}`,
      ...lines,
      chain.problems.length === 0 ? "every link checks (hashes recomputed from the events)" : `BROKEN: ${chain.problems.join("; ")}`,
    ].join("\n"),
    { problem, bestDistance: state.bestDistance, blocks: chain.blocks, problems: chain.problems, intact: chain.problems.length === 0 },
  );
}

export async function balancesCommand(options: DaimonOptions & { problem: string; account?: string[] }, output: Output): Promise<void> {
  const { context, problem, state } = await openProblem(options);
  let accounts: Address[];
  if (options.account && options.account.length > 0) {
    accounts = options.account.map((a) => parseAddress(a, "--account"));
  } else {
    // Everyone the chain names: the creator, contributors, improvers, validators, and the signer if there is one.
    const { tuples, proofs, votes } = await readProblemEvents(context.client, problem, { fromBlock: state.createdBlock });
    accounts = [state.creator, ...tuples.map((t) => t.contributor), ...proofs.map((p) => p.improver), ...votes.map((v) => v.validator)];
    if (process.env.MODELBOUNTY_PRIVATE_KEY) accounts.push(signer(context).account.address);
  }
  const unique = accounts.filter((a, i) => accounts.findIndex((b) => isAddressEqual(a, b)) === i);
  const blocks = Array.from({ length: Math.max(0, state.chainLength - 1) }, (_, i) => BigInt(i + 1));
  const balances = await Promise.all(
    unique.map(async (account) => {
      const balance = await readTokenBalance(context.client, state.token, account);
      let claimable = 0n;
      for (const b of blocks) claimable += await readValidatorReward(context.client, problem, b, account);
      return { account, balance, claimable };
    }),
  );
  output.result(
    [`${state.tokenName} (${state.tokenSymbol}) at ${state.token}`, ...balances.map((b) => `${b.account}  ${tokenText(b.balance, state.tokenSymbol)}${b.claimable > 0n ? `  (+ ${tokenText(b.claimable, state.tokenSymbol)} to claim)` : ""}`)].join("\n"),
    { problem, token: state.token, symbol: state.tokenSymbol, balances },
  );
}

export async function problemStatusCommand(options: DaimonOptions & { problem: string }, output: Output): Promise<void> {
  const { context, problem, state } = await openProblem(options);
  const { tuples, proofs } = await readProblemEvents(context.client, problem, { fromBlock: state.createdBlock });
  const c = state.config;
  const round = state.currentRound;
  const roundEnd = round === undefined ? undefined : state.definitionEnd + (round + 1n) * BigInt(c.competitionPeriod);
  const inRound = proofs.filter((p) => p.round === round);
  const lines = [
    `problem ${problem} on chain ${context.chain.id}, block ${state.blockNumber}: ${state.phase}`,
    `token ${state.tokenName} (${state.tokenSymbol}) at ${state.token}; creator ${state.creator}`,
    `definition: ${c.classCount} classes (labels 0…${c.classCount - 1}), inputs [${state.inputShape.join(", ")}], m = ${c.testSetSize}, n = ${c.embeddingSize}; tuples ${state.tupleCount}${c.openTuples ? " (open to anyone)" : " (creator only)"}`,
    `rules: δ = ${formatDistance(c.margin)}, a = ${c.rewardShape}, ${c.minVotes} vote(s) to commit, reward scale ${tokenText(c.rewardScale, state.tokenSymbol)}; rounds of ${c.competitionPeriod} blocks from block ${state.definitionEnd}`,
    `chain: ${state.chainLength} block(s), best distance ${formatDistance(state.bestDistance)}`,
    round === undefined ? `definition period until block ${state.definitionEnd}` : `round ${round} ends at block ${roundEnd}; ${inRound.length} proof(s) in it`,
    ...inRound.map((p) => `  proof ${p.proofId} by ${p.improver}: d = ${formatDistance(p.distance)}, model ${p.cid}`),
    ...(state.pendingRound.open ? [`pending round ${state.pendingRound.round}: leader proof ${state.pendingRound.leader} with ${state.pendingRound.leaderVotes} vote(s)`] : []),
  ];
  output.result(lines.join("\n"), { ...state, tuples, proofs: inRound, roundEnd: roundEnd ?? null });
}

export async function listProblemsCommand(options: DaimonOptions, output: Output): Promise<void> {
  const context = await connect(options);
  const factory = resolveProblemFactory(options.problemFactory, context.chain.id);
  const listed = await listProblems(context.client, factory);
  const states = await Promise.all(listed.map((p) => readProblem(context.client, p.address)));
  output.result(
    listed.length === 0
      ? `no problems on ProblemFactory ${factory} yet`
      : states.map((s) => `${s.address}  ${s.phase.padEnd(11)} ${s.tokenSymbol.padEnd(8)} ${s.chainLength} block(s), best d = ${formatDistance(s.bestDistance)}`).join("\n"),
    {
      factory,
      problems: states.map((s) => ({ address: s.address, phase: s.phase, token: s.token, symbol: s.tokenSymbol, creator: s.creator, chainLength: s.chainLength, bestDistance: s.bestDistance, metadataCid: s.metadataCid })),
    },
  );
}


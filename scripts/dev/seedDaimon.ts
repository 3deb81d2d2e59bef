/**
 * Demo content for DaiMoN on the local chain (`npm run dev`): one problem whose chain already holds two Improvement
 * blocks, built with the same library the CLI and the web app use (lib/daimon, lib/chain/daimon):
 *
 *   1. a synthetic 3-class problem (6 float inputs per point, m = 200 test points), a DEL function f trained here
 *      (n = 32, H = 128, 300 steps: ~2 s), its Z, f and metadata stored in the embedded IPFS store, the tuple added at
 *      creation;
 *   2. round 0: a weak model is registered, PROVEd and submitted; two validators download it by CID, VERIFY and vote;
 *      the round is committed as block 1 (one validator claims its reward, the other leaves it for the UI);
 *   3. round 1: a better model, two votes, block 2;
 *   4. the problem is left in an open round, and the best model of the family is written to
 *      .data/demo/<problem>.best-model.onnx for people to try (register, prove, submit) from the UI or the CLI.
 *
 * Runs after the DanKu seeding (scripts/dev/seed.ts) and mines about a hundred blocks, far less than the periods of
 * the DanKu competitions that must stay where they are.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as onnxruntime from "onnxruntime-web";
import type { Address, PublicClient, TestClient } from "viem";
import {
  claimValidatorReward,
  commitImprovementBlock,
  createProblem,
  readChain,
  readProblem,
  registerModel,
  submitProof,
  voteForProof,
  type DaimonWallet,
} from "../../lib/chain/daimon";
import { WAD } from "../../lib/daimon/fixedPoint";
import { trainDel } from "../../lib/daimon/delTrainer";
import { buildDelOnnx } from "../../lib/daimon/delOnnx";
import { buildClassifierOnnx } from "../../lib/daimon/classifierOnnx";
import { nearestCentroidModel, syntheticTestSet } from "../../lib/daimon/demo";
import { encodeTestInputs } from "../../lib/daimon/inputs";
import { inputsRoot } from "../../lib/daimon/disputes";
import { delqCommit, delqRoot, encodeDelq, tupleDelq } from "../../lib/daimon/delQuantized";
import { buildProblemMetadata } from "../../lib/daimon/metadata";
import { computeTarget, formatDistance, prove, verify, type PoiTuple } from "../../lib/daimon/poi";
import type { OrtModule } from "../../lib/ort/scorer";
import type { IpfsStore } from "../../lib/ipfs/store";

export interface DaimonSeedContext {
  client: PublicClient;
  testClient: TestClient;
  problemFactory: Address;
  /** Creates the problem and contributes its tuple. */
  creator: DaimonWallet;
  /** Improver of block 1 and of block 2. */
  improvers: [DaimonWallet, DaimonWallet];
  /** Two validators per block. */
  validators: [DaimonWallet, DaimonWallet];
  ipfs: IpfsStore;
  root: string;
  log: (message: string) => void;
}

export interface SeededProblem {
  address: Address;
  title: string;
  blocks: number;
  bestDistance: bigint;
  seconds: number;
}

const CLASS_NAMES = ["normal", "bearing wear", "misalignment"];
const FEATURES = ["vibration_x", "vibration_y", "vibration_z", "temperature", "current", "acoustic"];
const M = 200;
const N = 32;
/** Centroid noise of the two committed models; the third (0) is the best of the family, left for people to submit. */
const WEAK_JITTER = 0.45;
const BETTER_JITTER = 0.2;

// The Node build of onnxruntime-web, one thread: seeding shares the machine with the node and Next.js.
const ort: OrtModule = onnxruntime;
ort.env.wasm.numThreads = 1;
ort.env.logLevel = "error";

async function mineTo(context: DaimonSeedContext, block: bigint): Promise<void> {
  const current = await context.client.getBlockNumber({ cacheTime: 0 });
  if (block > current) await context.testClient.mine({ blocks: Number(block - current) });
}

async function store(context: DaimonSeedContext, bytes: Uint8Array): Promise<string> {
  return (await context.ipfs.add(bytes)).cid;
}

async function fetchVerified(context: DaimonSeedContext, cid: string): Promise<Uint8Array> {
  const bytes = await context.ipfs.get(cid);
  if (!bytes) throw new Error(`the IPFS store lost ${cid}`);
  return bytes;
}

/** One round: register, PROVE, submit, publish the model, two validators VERIFY and vote, commit after the round. */
async function improve(context: DaimonSeedContext, problem: Address, model: Uint8Array, improver: DaimonWallet, tuples: readonly PoiTuple[]): Promise<bigint> {
  const state = await readProblem(context.client, problem);
  const poiProblem = { classCount: state.config.classCount, testSetSize: state.config.testSetSize, embeddingSize: state.config.embeddingSize, inputShape: state.inputShape };
  const proof = await prove({ model, tuples, problem: poiProblem, problemAddress: problem, improver: improver.account.address }, { ort });
  // Register the hidden CID and outputs first; the proof is accepted REGISTRATION_AGE blocks later (§7), which the
  // seed mines at once instead of waiting for the dev node's interval.
  const registered = await registerModel(improver, context.client, problem, proof.cid, proof.packedOutputs);
  await mineTo(context, registered.usableFrom - 1n);
  const submitted = await submitProof(improver, context.client, problem, proof.cid, proof.binding, proof.packedOutputs);
  await store(context, model);
  for (const validator of context.validators) {
    const downloaded = await fetchVerified(context, proof.cid);
    const current = await readProblem(context.client, problem);
    const result = await verify(
      {
        model: downloaded,
        proof: { cid: proof.cid, outputs: proof.packedOutputs, improver: improver.account.address, problem, proofHash: submitted.proofHash, distance: submitted.distance, binding: proof.binding },
        tuples,
        problem: poiProblem,
        bestDistance: current.bestDistance,
        margin: current.config.margin,
      },
      { ort },
    );
    if (!result.verified || !result.proofHash) throw new Error(`the demo proof did not verify: ${result.summary}`);
    await voteForProof(validator, context.client, problem, submitted.proofId, result.proofHash);
  }
  const round = submitted.round;
  const end = state.definitionEnd + (round + 1n) * BigInt(state.config.competitionPeriod);
  await mineTo(context, end);
  const committed = await commitImprovementBlock(improver, context.client, problem);
  if (!committed.block) throw new Error(`round ${round} of the demo problem closed without a block`);
  context.log(`    block ${committed.block.blockNumber}: d = ${formatDistance(committed.block.distance)}, reward ${Number(committed.block.improverReward) / 1e18} tokens`);
  return committed.block.blockNumber;
}

export async function seedDaimonDemo(context: DaimonSeedContext): Promise<SeededProblem> {
  const started = performance.now();
  const title = "Machine fault from sensor readings";
  const set = syntheticTestSet({ m: M, classCount: CLASS_NAMES.length, features: FEATURES.length, seed: 2024, spread: 0.25 });
  const trained = await trainDel(set.labels, CLASS_NAMES.length, { n: N, hidden: 128, steps: 300, batchSize: 64, seed: 3 });
  const del = buildDelOnnx(trained.parameters);
  const z = encodeTestInputs(set.inputs);
  const { target } = await computeTarget(del, set.labels, { ort });
  const [inputsCid, delCid] = [await store(context, z), await store(context, del)];
  // f_q, what output disputes recompute (docs/daimon.md §14.3.1): the quantization of f, published as a .delq file
  // for streaming readers; its root is the tuple's delRoot.
  const fq = tupleDelq(del);
  const delRoot = delqRoot(delqCommit(fq));
  const delqCid = await store(context, encodeDelq(fq));
  const metadataCid = await store(
    context,
    new TextEncoder().encode(
      JSON.stringify(
        buildProblemMetadata({
          title,
          description:
            "Classify the state of a machine from six sensor readings. The test labels stay hidden: proofs are checked against a DEL function " +
            "trained on them (m = 200, n = 32). Two improvements are committed; the best model of the demo family is in .data/demo/.",
          classNames: CLASS_NAMES,
          inputDescription: `one float32 vector of ${FEATURES.length} readings: ${FEATURES.join(", ")}`,
        }),
        null,
        2,
      ),
    ),
  );
  const created = await createProblem(context.creator, context.client, {
    factory: context.problemFactory,
    spec: {
      config: {
        classCount: CLASS_NAMES.length,
        testSetSize: M,
        embeddingSize: N,
        definitionPeriod: 10,
        competitionPeriod: 40,
        rewardShape: 3,
        minVotes: 2,
        openTuples: true,
        margin: WAD / 100n,
        rewardScale: 1000n * 10n ** 18n,
      },
      inputShape: [FEATURES.length],
      name: "Machine fault token",
      symbol: "FAULT",
      metadataCid,
    },
    tuples: [{ inputsCid, delCid, inputsRoot: inputsRoot(set.inputs), delRoot, target }],
  });
  context.log(`  ${title}: ${created.problem} (DEL trained in ${trained.seconds.toFixed(1)} s; f_q ${delqCid}, delRoot ${delRoot})`);
  await mineTo(context, created.definitionEnd);

  const tuples: PoiTuple[] = [{ inputs: z, del, target, inputsCid, delCid }];
  const [first, second] = context.improvers;
  const weak = buildClassifierOnnx(nearestCentroidModel(set.centroids, { jitter: WEAK_JITTER, seed: 11 }));
  const better = buildClassifierOnnx(nearestCentroidModel(set.centroids, { jitter: BETTER_JITTER, seed: 12 }));
  const blockOne = await improve(context, created.problem, weak, first, tuples);
  await claimValidatorReward(context.validators[0], context.client, created.problem, blockOne);
  await improve(context, created.problem, better, second, tuples);

  const best = buildClassifierOnnx(nearestCentroidModel(set.centroids));
  const demoDir = path.join(context.root, ".data", "demo");
  mkdirSync(demoDir, { recursive: true });
  writeFileSync(path.join(demoDir, `${created.problem}.best-model.onnx`), best);

  const state = await readProblem(context.client, created.problem);
  const chain = await readChain(context.client, created.problem, { fromBlock: created.createdBlock });
  if (chain.problems.length > 0) throw new Error(`the demo problem's chain does not check: ${chain.problems.join("; ")}`);
  if (state.chainLength !== 3 || state.phase !== "Competition") throw new Error(`seeding left the demo problem with ${state.chainLength} blocks in ${state.phase}`);
  return { address: created.problem, title, blocks: state.chainLength, bestDistance: state.bestDistance, seconds: (performance.now() - started) / 1000 };
}

/**
 * Helpers for the DaiMoN end-to-end tests: a small problem made with the same library as the CLI (a synthetic
 * 3-class test set, a DEL function f trained here, Z and f uploaded through the running app's IPFS route as a
 * creator's browser would), model files as ONNX, PROVE on the Node side for the numbers the page must show, and
 * the page's panels and separate browsers for each role.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import * as onnxruntime from "onnxruntime-web";
import { expect, type Browser, type BrowserContext, type Page, type TestInfo } from "@playwright/test";
import { getAddress, type Address } from "viem";
import { createProblem } from "../lib/chain/daimon";
import { inputsRoot } from "../lib/daimon/disputes";
import { tupleDelRoot } from "../lib/daimon/delQuantized";
import { trainDel } from "../lib/daimon/delTrainer";
import { buildDelOnnx } from "../lib/daimon/delOnnx";
import { buildClassifierOnnx } from "../lib/daimon/classifierOnnx";
import { nearestCentroidModel, syntheticTestSet, type SyntheticTestSet } from "../lib/daimon/demo";
import { encodeTestInputs } from "../lib/daimon/inputs";
import { buildProblemMetadata } from "../lib/daimon/metadata";
import { WAD } from "../lib/daimon/fixedPoint";
import { computeTarget, prove, type PoiProof, type PoiTuple } from "../lib/daimon/poi";
import type { ProblemConfig } from "../lib/daimon/encoding";
import type { FloatModel } from "../lib/danku/floatModel";
import type { OrtModule } from "../lib/ort/scorer";
import { connectWallet } from "./fixtures";
import type { ChainFixture } from "./fixtures/chain";
import { NetworkGuard } from "./fixtures/network";
import { e2eSettings } from "./fixtures/settings";
import { TestWallet } from "./fixtures/wallet";

// onnxruntime-web's Node build (WASM, one thread): the same kernels as the browser's WASM backend.
const ort: OrtModule = onnxruntime;
ort.env.wasm.numThreads = 1;
ort.env.logLevel = "error";

export const CLASS_COUNT = 3;
export const FEATURES = 4;
export const M = 60;
export const N = 16;

export interface TestProblem {
  address: Address;
  token: Address;
  title: string;
  definitionEnd: bigint;
  config: ProblemConfig;
  set: SyntheticTestSet;
  tuples: PoiTuple[];
  problem: { classCount: number; testSetSize: number; embeddingSize: number; inputShape: number[] };
}

/** The ProblemFactory `scripts/dev/main.ts` deployed for the e2e chain. */
export function problemFactoryAddress(): Address {
  const deployment = JSON.parse(readFileSync(path.join(e2eSettings.root, "deployments", "31337.json"), "utf8")) as { ProblemFactory?: { address: string } };
  if (!deployment.ProblemFactory) throw new Error("deployments/31337.json names no ProblemFactory: the dev server did not deploy DaiMoN");
  return getAddress(deployment.ProblemFactory.address);
}

/** Stores bytes through the running app (POST /api/ipfs), as a browser would. */
export async function uploadBytes(bytes: Uint8Array): Promise<string> {
  const response = await fetch(`${e2eSettings.appUrl}/api/ipfs`, { method: "POST", headers: { "content-type": "application/octet-stream" }, body: new Uint8Array(bytes) });
  if (!response.ok) throw new Error(`IPFS upload failed: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { cid: string }).cid;
}

/** A one-tuple problem (m = 60, C = 3, n = 16) created by account `creator`, its definition period already over. */
export async function createTestProblem(chain: ChainFixture, options: { title: string; creator?: number; competitionPeriod?: number }): Promise<TestProblem> {
  const set = syntheticTestSet({ m: M, classCount: CLASS_COUNT, features: FEATURES, seed: 2025, spread: 0.2 });
  const trained = await trainDel(set.labels, CLASS_COUNT, { n: N, hidden: 64, steps: 200, batchSize: 32, seed: 5 });
  const del = buildDelOnnx(trained.parameters);
  const z = encodeTestInputs(set.inputs);
  const { target } = await computeTarget(del, set.labels, { ort });
  const [inputsCid, delCid] = [await uploadBytes(z), await uploadBytes(del)];
  const metadataCid = await chain.uploadJson(
    buildProblemMetadata({
      title: options.title,
      description: "Created by the end-to-end tests: four readings, three classes.",
      classNames: ["low", "mid", "high"],
      inputDescription: "four float readings",
    }),
  );
  const config: ProblemConfig = {
    classCount: CLASS_COUNT,
    testSetSize: M,
    embeddingSize: N,
    definitionPeriod: 10,
    competitionPeriod: options.competitionPeriod ?? 40,
    rewardShape: 3,
    minVotes: 2,
    openTuples: true,
    margin: WAD / 100n,
    rewardScale: 1000n * WAD,
  };
  const created = await createProblem(chain.wallet(options.creator ?? 0), chain.client, {
    factory: problemFactoryAddress(),
    spec: { config, inputShape: [FEATURES], name: "E2E fault token", symbol: "EFT", metadataCid },
    tuples: [{ inputsCid, delCid, inputsRoot: inputsRoot(set.inputs), delRoot: tupleDelRoot(del), target }],
  });
  await chain.mineTo(created.definitionEnd);
  return {
    address: created.problem,
    token: created.token,
    title: options.title,
    definitionEnd: created.definitionEnd,
    config,
    set,
    tuples: [{ inputs: z, del, target, inputsCid, delCid }],
    problem: { classCount: CLASS_COUNT, testSetSize: M, embeddingSize: N, inputShape: [FEATURES] },
  };
}

/** A nearest-centroid classifier of the test set as an ONNX file (jitter 0: the best of the family). */
export function centroidModel(p: TestProblem, jitter: number, seed = 1): Uint8Array {
  return buildClassifierOnnx(nearestCentroidModel(p.set.centroids, { jitter, seed }));
}

/** A classifier that says class 0 for everything. */
export function constantModel(): Uint8Array {
  const model: FloatModel = { layers: [{ weights: Array.from({ length: CLASS_COUNT }, () => Array.from({ length: FEATURES }, () => 0)), biases: [1, 0, 0] }] };
  return buildClassifierOnnx(model);
}

/** PROVE on the Node side: what the improver's page must show and submit. */
export async function proveInNode(p: TestProblem, model: Uint8Array, improver?: Address): Promise<PoiProof> {
  return prove({ model, tuples: p.tuples, problem: p.problem, problemAddress: p.address, ...(improver ? { improver } : {}) }, { ort });
}

export function region(page: Page, name: string) {
  return page.getByRole("region", { name });
}

/** Another person: a browser context of its own with an injected wallet for Hardhat account `account`. */
export interface Participant {
  account: number;
  address: Address;
  context: BrowserContext;
  guard: NetworkGuard;
  tab: Page;
  wallet: TestWallet;
}

export async function openAs(browser: Browser, testInfo: TestInfo, chain: ChainFixture, account: number, url: string, heading: string): Promise<Participant> {
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const guard = new NetworkGuard(context);
  const tab = await context.newPage();
  const wallet = new TestWallet(chain.chain, chain.rpcUrl, account);
  await wallet.install(tab);
  await tab.goto(url);
  await expect(tab.getByRole("heading", { level: 1, name: heading })).toBeVisible({ timeout: 90_000 });
  await connectWallet(tab);
  return { account, address: wallet.address, context, guard, tab, wallet };
}

export async function closeAll(participants: readonly Participant[]): Promise<void> {
  for (const p of participants) {
    expect(p.guard.external, "requests that left this machine").toEqual([]);
    await p.context.close();
  }
}

/** The row of proof `id` in the page's "Pending proofs". */
export function proofRow(page: Page, id: bigint | number) {
  return region(page, "Pending proofs").locator(`[data-testid="pending-proof"][data-proof-id="${id.toString()}"]`);
}


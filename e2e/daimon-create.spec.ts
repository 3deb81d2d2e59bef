/**
 * A DaiMoN problem created from the browser (/problems/new) by a contributor (account 0): a labelled test set file
 * (m = 120, C = 3, made here) → the definition → f trained in the page's worker → Z, f and the metadata to the app's
 * IPFS → createProblem with the first tuple from the injected wallet. The chain must hold the definition entered and
 * one tuple whose y_t is what f, downloaded by its CID from the app, computes on the true labels with ONNX Runtime
 * (as provers compute y); the page links to the new problem. A malformed test set is refused with its reason and
 * nothing is sent.
 */
import { writeFileSync } from "node:fs";
import * as onnxruntime from "onnxruntime-web";
import { readProblem, readTuples } from "../lib/chain/daimon";
import { WAD } from "../lib/daimon/fixedPoint";
import { syntheticTestSet } from "../lib/daimon/demo";
import { encodeTestInputs, serializeLabelledTestSet } from "../lib/daimon/inputs";
import { parseProblemMetadata } from "../lib/daimon/metadata";
import { computeTarget, readDelShape } from "../lib/daimon/poi";
import { computeCid } from "../lib/ipfs/cid";
import type { OrtModule } from "../lib/ort/scorer";
import { connectWallet, expect, test } from "./fixtures";
import { e2eSettings } from "./fixtures/settings";

const ort: OrtModule = onnxruntime;
ort.env.wasm.numThreads = 1;
ort.env.logLevel = "error";

const M = 120;
const C = 3;
const FEATURES = 4;
const N = 16;

async function download(cid: string): Promise<Uint8Array> {
  const response = await fetch(`${e2eSettings.appUrl}/ipfs/${cid}`);
  if (!response.ok) throw new Error(`GET /ipfs/${cid}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect(await computeCid(bytes), `the bytes served for ${cid}`).toBe(cid);
  return bytes;
}

test("a contributor creates a problem with its first tuple from the browser; y_t on chain is f(x_t) as f from IPFS computes it", async ({ page, chain, wallet }, testInfo) => {
  test.setTimeout(300_000);
  const set = syntheticTestSet({ m: M, classCount: C, features: FEATURES, seed: 77, spread: 0.2 });
  const file = testInfo.outputPath("labelled-test-set.json");
  writeFileSync(file, serializeLabelledTestSet(set));
  const title = "Fault class from four readings (browser)";

  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "New problem" }).click();
  await expect(page).toHaveURL(/\/problems\/new$/, { timeout: 90_000 });
  await expect(page.getByRole("heading", { level: 1, name: "New problem" })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByText("the labels xt themselves are never uploaded or sent")).toBeVisible();
  await connectWallet(page);

  // 1. The test set.
  await page.getByLabel("Labelled test set (JSON)").setInputFiles(file);
  await expect(page.getByTestId("test-set-summary")).toContainText(`${M} test points of shape [${FEATURES}], labels 0…${C - 1}`);
  await page.getByRole("button", { name: "Continue to the definition" }).click();

  // 2. The definition: C and the input shape come from the data; n with the brute-force table.
  await expect(page.getByLabel("Classes C")).toHaveValue(String(C));
  await expect(page.getByLabel("Input shape")).toHaveValue(String(FEATURES));
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Description").fill("Made in the browser by the end-to-end test.");
  await page.getByLabel("Class names (optional)").fill("low, mid, high");
  await page.getByLabel("What one input holds").fill("four float readings");
  await page.getByLabel("Embedding size n").fill(String(N));
  await expect(page.locator(`[data-testid="brute-force-table"] tr[data-n="${N}"]`)).toHaveAttribute("aria-current", "true");
  await page.getByLabel("Definition period T_p (blocks)").fill("50");
  await page.getByLabel("Round length T_b (blocks)").fill("30");
  await page.getByLabel("Reward shape a").fill("4");
  await page.getByLabel("Margin δ").fill("0.02");
  await page.getByLabel("Tokens for R = 1").fill("500");
  await page.getByLabel("Minimum votes").fill("3");
  await page.getByLabel("Token name").fill("Browser fault token");
  await page.getByLabel("Token symbol").fill("BFT");
  // A bad field is named and stops the step.
  await page.getByLabel("Minimum votes").fill("0");
  await page.getByRole("button", { name: "Continue to training" }).click();
  await expect(page.getByTestId("form-errors")).toBeVisible();
  await expect(page.getByText("Minimum votes: must be 1…1,000, got 0")).toBeVisible();
  await page.getByLabel("Minimum votes").fill("3");
  await page.getByText("Advanced: training of f").click();
  await page.getByLabel("Hidden units H").fill("64");
  await page.getByLabel("Training steps").fill("50000");
  await page.getByLabel("Batch size").fill("32");
  await page.getByRole("button", { name: "Continue to training" }).click();

  // 3. Training in the worker: a long run shows its progress and stops on Cancel…
  await page.getByRole("button", { name: "Train f" }).click();
  await expect(page.getByRole("progressbar", { name: "Training f" })).toHaveAttribute("aria-valuetext", /step \d+\/50000/, { timeout: 60_000 });
  await page.getByRole("button", { name: "Cancel training" }).click();
  await expect(page.getByText("Training cancelled")).toBeVisible();
  await expect(page.getByTestId("training-report")).toHaveCount(0);
  // …then a short one (the definition step keeps what was entered), its quality and leakage.
  await page.getByRole("button", { name: "Back" }).click();
  await expect(page.getByLabel("Title", { exact: true })).toHaveValue(title);
  await page.getByText("Advanced: training of f").click();
  await page.getByLabel("Training steps").fill("200");
  await page.getByRole("button", { name: "Continue to training" }).click();
  await page.getByRole("button", { name: "Train f" }).click();
  const report = page.getByTestId("training-report");
  await expect(report).toBeVisible({ timeout: 120_000 });
  await expect(report.getByTestId("quality-pearson")).toHaveText(/^0\.\d{4}$/);
  await expect(report.getByTestId("quality-mae")).toHaveText(/^0\.\d{4}$/);
  await expect(report.getByTestId("quality-ordering")).toContainText("%");
  await expect(report.getByTestId("label-leak")).toContainText("A published f and y_t leak your labels");
  await expect(report.getByTestId("leak-weights")).toContainText(`of the ${M} labels`);
  await expect(report.getByTestId("leak-descent")).toContainText(`${(M * C).toLocaleString("en-US")} queries`);
  expect(wallet.sentTransactions).toEqual([]);
  await page.getByRole("button", { name: "Continue to publishing" }).click();

  // 4. IPFS.
  await page.getByRole("button", { name: "Upload Z, f and metadata to IPFS" }).click();
  await expect(page.getByText("Z, f and the metadata are on IPFS")).toBeVisible({ timeout: 60_000 });
  const inputsCid = (await page.getByTestId("cid-inputs").textContent()) ?? "";
  const delCid = (await page.getByTestId("cid-del").textContent()) ?? "";
  const metadataCid = (await page.getByTestId("cid-metadata").textContent()) ?? "";
  await page.getByRole("button", { name: "Continue to creation" }).click();

  // 5. Create from the wallet.
  await page.getByRole("button", { name: "Create the problem" }).click();
  await expect(page.getByTestId("transaction-status")).toContainText(/Create the problem: confirmed in block #\d+/, { timeout: 60_000 });
  expect(wallet.sentTransactions).toHaveLength(1);
  const link = page.getByTestId("created-problem");
  await expect(link).toBeVisible();
  const address = /0x[0-9a-fA-F]{40}/.exec((await link.textContent()) ?? "")?.[0] as `0x${string}`;
  expect(address).toMatch(/^0x/);

  // The chain holds the definition entered…
  const state = await readProblem(chain.client, address);
  expect(state.config).toEqual({
    classCount: C,
    testSetSize: M,
    embeddingSize: N,
    definitionPeriod: 50,
    competitionPeriod: 30,
    rewardShape: 4,
    minVotes: 3,
    openTuples: true,
    margin: WAD / 50n,
    rewardScale: 500n * WAD,
  });
  expect(state.inputShape).toEqual([FEATURES]);
  expect(state.tokenName).toBe("Browser fault token");
  expect(state.tokenSymbol).toBe("BFT");
  expect(state.creator).toBe(wallet.address);
  expect(state.metadataCid).toBe(metadataCid);
  expect(state.tupleCount).toBe(1);
  const metadata = parseProblemMetadata(new TextDecoder().decode(await download(metadataCid)), C);
  expect(metadata).toMatchObject({ title, classNames: ["low", "mid", "high"], inputDescription: "four float readings" });

  // …and one tuple whose Z is the test inputs and whose y_t is f(x_t), f as downloaded from the app's IPFS.
  const tuples = await readTuples(chain.client, address);
  expect(tuples).toHaveLength(1);
  const [tuple] = tuples;
  expect(tuple?.inputsCid).toBe(inputsCid);
  expect(tuple?.delCid).toBe(delCid);
  expect(Array.from(await download(inputsCid))).toEqual(Array.from(encodeTestInputs(set.inputs)));
  const del = await download(delCid);
  expect(readDelShape(del)).toMatchObject({ m: M, classCount: C, hidden: 64, n: N });
  const { target } = await computeTarget(del, set.labels, { ort });
  expect(tuple?.target).toBe(target);

  // The problem appears on its page.
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/problems/${address}$`, "i"), { timeout: 90_000 });
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId("problem-phase")).toContainText("Definition period");
});

test("a malformed test set (JSON, or DMZ1 with labels) is refused with its reason, and nothing is trained or sent", async ({ page, wallet }, testInfo) => {
  const set = syntheticTestSet({ m: M, classCount: C, features: FEATURES, seed: 78, spread: 0.2 });
  const good = JSON.parse(serializeLabelledTestSet(set)) as { inputs: number[][]; labels: number[] };
  const badLabel = testInfo.outputPath("bad-label.json");
  writeFileSync(badLabel, JSON.stringify({ inputs: good.inputs, labels: good.labels.map((l, i) => (i === 17 ? 1.5 : l)) }));
  const badSyntax = testInfo.outputPath("bad-syntax.json");
  writeFileSync(badSyntax, `{\n  "inputs": ${JSON.stringify(good.inputs)},\n  "labels": [0, 1,]\n}\n`);

  await page.goto("/problems/new");
  await expect(page.getByRole("heading", { level: 1, name: "New problem" })).toBeVisible({ timeout: 90_000 });
  await connectWallet(page);
  const input = page.getByLabel("Labelled test set (JSON)");
  const continueButton = page.getByRole("button", { name: "Continue to the definition" });

  await input.setInputFiles(badLabel);
  const error = page.getByTestId("test-set-error");
  await expect(error).toContainText("bad-label.json: label 17 is 1.5; labels are integers");
  await expect(error).toContainText("Nothing was trained, uploaded or sent");
  await expect(continueButton).toBeDisabled();

  await input.setInputFiles(badSyntax);
  await expect(error).toContainText('bad-syntax.json is not valid JSON: line 3, column 19: unexpected "]" after a comma');
  await expect(continueButton).toBeDisabled();
  await expect(page.getByTestId("test-set-summary")).toHaveCount(0);

  // The other format: a DMZ1 file with a labels file, one label short, then complete.
  const z = testInfo.outputPath("inputs.dmz1");
  writeFileSync(z, encodeTestInputs(set.inputs));
  const shortLabels = testInfo.outputPath("short-labels.json");
  writeFileSync(shortLabels, JSON.stringify(good.labels.slice(1)));
  const labels = testInfo.outputPath("labels.json");
  writeFileSync(labels, JSON.stringify(good.labels));
  await page.getByLabel("Test inputs (DMZ1)").setInputFiles(z);
  await page.getByLabel("Labels (JSON array)").setInputFiles(shortLabels);
  await expect(error).toContainText(`short-labels.json: there are ${M} test inputs but ${M - 1} labels`);
  await expect(continueButton).toBeDisabled();
  await page.getByLabel("Labels (JSON array)").setInputFiles(labels);
  await expect(page.getByTestId("test-set-summary")).toContainText(`${M} test points of shape [${FEATURES}]`);
  await expect(error).toHaveCount(0);
  await expect(continueButton).toBeEnabled();
  expect(wallet.sentTransactions).toEqual([]);
});

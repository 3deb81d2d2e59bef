/**
 * Helpers for the submitters' end-to-end tests: models trained on the chain's revealed data (as a data scientist
 * would, off-line), the page's submit panel driven like a person would, and the wei a test account spent on gas.
 */
import { expect, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { hexToBytes, type Address, type Hex } from "viem";
import { readRevealedPoints } from "../lib/chain/danku";
import type { DataPoint } from "../lib/danku/encoding";
import { evaluateAccuracy } from "../lib/danku/forward";
import type { FloatModel } from "../lib/danku/floatModel";
import { prepareSubmissionModel } from "../lib/danku/modelImport";
import { parseSubmissionFile } from "../lib/danku/secrets";
import { computeCid } from "../lib/ipfs/cid";
import type { ChainFixture } from "./fixtures/chain";

/** The submit section: "Submit a model" while submissions are open, then "Your submissions" (a submitter's own). */
export function submitPanel(page: Page) {
  return page.getByRole("region", { name: /^(Submit a model|Your submissions)$/ });
}

export async function revealedData(chain: ChainFixture, competition: Address, training: boolean, featureCount: number): Promise<DataPoint[]> {
  return readRevealedPoints(chain.client, competition, training, featureCount);
}

/** What the chain will compute for `model` on `points`: quantized on the training data exactly as the app does. */
export function expectedScore(model: FloatModel, training: readonly DataPoint[], points: readonly DataPoint[], shape: { featureCount: number; classCount: number }) {
  const { model: quantized } = prepareSubmissionModel(model, training, shape);
  return evaluateAccuracy(quantized, points);
}

/** Loads a model file into the page's preview and waits for the scores. */
export async function previewModelFile(page: Page, file: { name: string; buffer: Buffer }): Promise<void> {
  const panel = submitPanel(page);
  await panel.getByLabel("Model file").setInputFiles({ ...file, mimeType: file.name.endsWith(".json") ? "application/json" : "application/octet-stream" });
  // The first preview compiles the worker and loads ORT's wasm in `next dev`.
  await expect(panel.getByTestId("preview-result")).toBeVisible({ timeout: 90_000 });
}

/**
 * Saves the submission file (a download), confirms it is kept and commits. Nothing is uploaded: until the reveal the
 * model stays in the browser. `ipfsUploads` keeps collecting the page's uploads (POST /api/ipfs) from the commit on.
 */
export async function commitPreviewedModel(page: Page): Promise<{ submissionFile: string; ipfsUploads: string[] }> {
  const panel = submitPanel(page);
  const ipfsUploads: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname.startsWith("/api/ipfs")) ipfsUploads.push(request.url());
  });
  const downloading = page.waitForEvent("download");
  await panel.getByTestId("prepare-submission").click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.submission\.json$/);
  const submissionFile = (await download.path()) ?? "";
  await panel.getByLabel("I have kept the submission file somewhere safe.").check();
  await panel.getByRole("button", { name: "Commit the model" }).click();
  await expect(panel.getByTestId("transaction-status")).toContainText(/Commit the model: confirmed in block #\d+/);
  await expect(panel.getByTestId("my-submission").first()).toContainText(/Submission #\d+/);
  await expect(panel.getByTestId("model-uploaded")).toHaveCount(0);
  await expect(panel).not.toContainText("IPFS");
  return { submissionFile, ipfsUploads };
}

/** Reveals the page's submission `id`; then (not before) the model's public copy is on IPFS, under the CID of its bytes. */
export async function revealCommittedModel(page: Page, id: number, submissionFile: string): Promise<string> {
  const panel = submitPanel(page);
  await panel.getByTestId("my-submission").getByRole("button", { name: `Reveal model #${id}` }).click();
  await expect(panel.getByTestId("transaction-status")).toContainText(new RegExp(`Reveal model #${id}: confirmed`));
  const bytes = hexToBytes(parseSubmissionFile(readFileSync(submissionFile, "utf8")).modelHex);
  const cid = await computeCid(bytes);
  await expect(panel.getByTestId("model-uploaded")).toContainText(cid);
  const stored = await page.request.get(`/ipfs/${cid}`);
  expect(stored.status()).toBe(200);
  expect(Buffer.from(await stored.body()).equals(Buffer.from(bytes))).toBe(true);
  return cid;
}

/** Wei paid for gas by the transactions `hashes` (each mined, successful or not). */
export async function gasSpent(chain: ChainFixture, hashes: readonly Hex[]): Promise<bigint> {
  let spent = 0n;
  for (const hash of hashes) {
    const receipt = await chain.client.waitForTransactionReceipt({ hash });
    spent += receipt.gasUsed * receipt.effectiveGasPrice;
  }
  return spent;
}

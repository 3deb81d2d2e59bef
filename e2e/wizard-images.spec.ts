/**
 * Image datasets in the organizer wizard (issue 10 §5): an IDX pair as MNIST ships it (two gzipped files, selected
 * together) and a zip of RGB PNGs with a labels CSV are read in the dataset worker, shown as thumbnails with their
 * shape, and carried through settings, hashing and the metadata to the create step with the right point count and
 * shape; the IDX competition is then created and its metadata declares 28 × 28 × 1. A zip whose labels CSV misses a
 * PNG is refused with the file named; a folder of grayscale PNGs is chosen with the folder picker. Fixtures are
 * generated here (fast-png's encoder, fflate).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { encode as encodePng } from "fast-png";
import { gzipSync, zipSync } from "fflate";
import type { Page, TestInfo } from "@playwright/test";
import type { Address } from "viem";
import { readCompetition } from "../lib/chain/danku";
import { parseCompetitionMetadata } from "../lib/danku/metadata";
import { fetchFromIpfs } from "../lib/ipfs/client";
import { connectWallet, expect, test } from "./fixtures";
import { e2eSettings } from "./fixtures/settings";
import { readStoredSecrets, shot, wizard } from "./organizer-helpers";

function idx(dims: number[], values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + values.length);
  out.set([0, 0, 8, dims.length]);
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(Array.from(values), 4 + 4 * dims.length);
  return out;
}

/** 60 MNIST-shaped images: digit d is a bright vertical bar at column 2d + 4 on a dark background. */
function writeIdxPair(testInfo: TestInfo): string[] {
  const n = 60;
  const pixels = new Uint8Array(n * 784);
  for (let i = 0; i < n; i++) for (let r = 4; r < 24; r++) pixels[i * 784 + r * 28 + 2 * (i % 10) + 4] = 255;
  const images = testInfo.outputPath("train-images-idx3-ubyte.gz");
  const labels = testInfo.outputPath("train-labels-idx1-ubyte.gz");
  writeFileSync(images, gzipSync(idx([n, 28, 28], pixels)));
  writeFileSync(labels, gzipSync(idx([n], Array.from({ length: n }, (_, i) => i % 10))));
  return [images, labels];
}

/** 12 RGB PNGs of 4 × 5 (reddish cats, bluish dogs) and their labels CSV, zipped; `omit` leaves one row out. */
function writePngZip(testInfo: TestInfo, name: string, omit?: number): string {
  const entries: Record<string, Uint8Array> = {};
  const rows = ["file,label"];
  for (let i = 0; i < 12; i++) {
    const cat = i % 2 === 0;
    const data = Uint8Array.from({ length: 4 * 5 * 3 }, (_, k) => (k % 3 === (cat ? 0 : 2) ? 200 : 30) + i);
    entries[`pets/img${i}.png`] = encodePng({ width: 5, height: 4, channels: 3, depth: 8, data });
    if (i !== omit) rows.push(`img${i}.png,${cat ? "cat" : "dog"}`);
  }
  entries["pets/labels.csv"] = new TextEncoder().encode(`${rows.join("\n")}\n`);
  const file = testInfo.outputPath(name);
  writeFileSync(file, zipSync(entries));
  return file;
}

/** Settings → secrets (hashed, downloaded, confirmed) → metadata uploaded → the create step. Returns the metadata CID. */
async function toCreateStep(page: Page, title: string, groups: string): Promise<string> {
  await page.getByRole("button", { name: "Continue to settings" }).click();
  await page.getByLabel("Title").fill(title);
  await page.getByRole("radio", { name: "By number of groups" }).check();
  await page.getByRole("textbox", { name: "Number of groups" }).fill(groups);
  await page.getByLabel("Reward (ETH)").fill("1");
  await page.getByRole("button", { name: "Continue to secrets" }).click();
  await page.getByRole("button", { name: /Generate nonces and hash \d+ groups/ }).click();
  const downloading = page.waitForEvent("download");
  await page.getByTestId("download-secrets").click();
  await downloading;
  await page.getByLabel(/I have saved the secrets file/).check();
  await page.getByRole("button", { name: "Continue to publishing" }).click();
  await page.getByRole("button", { name: "Upload metadata to IPFS" }).click();
  await expect(page.getByTestId("metadata-cid")).toHaveText(/^bafk/);
  const cid = (await page.getByTestId("metadata-cid").textContent()) ?? "";
  await page.getByRole("button", { name: "Continue to creation" }).click();
  await expect(wizard(page)).toHaveAttribute("data-step", "create");
  return cid;
}

test("an MNIST-style IDX pair becomes a competition declaring 28 × 28 × 1", async ({ page, chain, wallet }, testInfo) => {
  await page.goto("/competitions/new");
  await connectWallet(page);
  await page.locator('input[type="file"]').setInputFiles(writeIdxPair(testInfo));

  const summary = page.getByTestId("dataset-summary");
  await expect(summary).toContainText("Points60");
  await expect(summary).toContainText("Features784");
  await expect(summary).toContainText("Classes10");
  await expect(page.getByTestId("dataset-image-shape")).toContainText("28 × 28 × 1 (grayscale)");
  await expect(page.getByTestId("dataset-file")).toContainText("train-images-idx3-ubyte and 1 more.zip");
  await expect(page.getByTestId("image-thumbnail")).toHaveCount(8);
  await expect(page.getByRole("img", { name: "Image 3: train-images-idx3-ubyte.gz #2, class 2" })).toBeVisible();
  // The thumbnail draws the image's bytes: digit 2's bar is at column 8.
  const bar = await page.getByRole("img", { name: /^Image 3:/ }).evaluate((canvas) => {
    const context = (canvas as HTMLCanvasElement).getContext("2d") as CanvasRenderingContext2D;
    return [context.getImageData(8, 10, 1, 1).data[0], context.getImageData(9, 10, 1, 1).data[0]];
  });
  expect(bar).toEqual([255, 0]);
  await shot(page, testInfo, "images-1-idx");

  const cid = await toCreateStep(page, "Digits from IDX", "10");
  const create = page.getByTestId("create-summary");
  await expect(create).toContainText("60 points, 784 features, 10 classes");
  await expect(create).toContainText("28 × 28 × 1 (grayscale)");
  const metadata = parseCompetitionMetadata(new TextDecoder().decode(await fetchFromIpfs(cid, { gatewayBase: e2eSettings.appUrl })));
  expect(metadata.dataset.imageShape).toEqual({ height: 28, width: 28, channels: 1 });
  expect(metadata.dataset.classNames).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
  expect(metadata.dataset).toMatchObject({ pointCount: 60, groupCount: 10, labelColumn: "label" });

  await page.getByRole("button", { name: /Create competition/ }).click();
  await expect(page.getByTestId("split-countdown")).toBeVisible({ timeout: 60_000 });
  const competition = (await readStoredSecrets(page)).find((r) => r.competition)?.competition as Address;
  const state = await readCompetition(chain.client, competition);
  expect(state.config.featureCount).toBe(784);
  expect(state.config.classCount).toBe(10);
  expect(state.organizer.toLowerCase()).toBe(wallet.address.toLowerCase());
});

test("a zip of RGB PNGs with a labels CSV reaches the create step as 4 × 5 × 3; an unlisted PNG is refused", async ({ page }, testInfo) => {
  await page.goto("/competitions/new");
  await page.locator('input[type="file"]').setInputFiles(writePngZip(testInfo, "incomplete.zip", 5));
  const issues = page.getByTestId("dataset-issues");
  await expect(issues).toContainText("pets/img5.png is not listed in pets/labels.csv");
  await expect(page.getByRole("button", { name: "Continue to settings" })).toHaveCount(0);

  await page.locator('input[type="file"]').setInputFiles(writePngZip(testInfo, "pets.zip"));
  const summary = page.getByTestId("dataset-summary");
  await expect(summary).toContainText("Points12");
  await expect(summary).toContainText("Features60");
  await expect(summary).toContainText("Classes2");
  await expect(page.getByTestId("dataset-image-shape")).toContainText("4 × 5 × 3 (RGB)");
  await expect(page.getByRole("img", { name: "Image 2: pets/img1.png, class dog" })).toBeVisible();
  await shot(page, testInfo, "images-2-png-zip");

  await toCreateStep(page, "Cats or dogs", "4");
  const create = page.getByTestId("create-summary");
  await expect(create).toContainText("12 points, 60 features, 2 classes");
  await expect(create).toContainText("4 × 5 × 3 (RGB)");
});

test("a folder of grayscale PNGs and its labels CSV, chosen with the folder picker, is read as one dataset", async ({ page }, testInfo) => {
  const folder = testInfo.outputPath("strokes");
  mkdirSync(path.join(folder, "train"), { recursive: true });
  const rows = ["file,label"];
  for (let i = 0; i < 6; i++) {
    // 3 × 3: a horizontal stroke (class "h") or a vertical one ("v").
    const data = Uint8Array.from({ length: 9 }, (_, k) => ((i % 2 === 0 ? Math.floor(k / 3) : k % 3) === 1 ? 250 : 5));
    writeFileSync(path.join(folder, "train", `s${i}.png`), encodePng({ width: 3, height: 3, channels: 1, depth: 8, data }));
    rows.push(`train/s${i}.png,${i % 2 === 0 ? "h" : "v"}`);
  }
  writeFileSync(path.join(folder, "labels.csv"), `${rows.join("\n")}\n`);

  await page.goto("/competitions/new");
  const choosing = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Choose a folder of PNGs" }).click();
  await (await choosing).setFiles(folder);
  await expect(page.getByTestId("dataset-file")).toContainText("strokes.zip");
  const summary = page.getByTestId("dataset-summary");
  await expect(summary).toContainText("Points6");
  await expect(summary).toContainText("Features9");
  await expect(summary).toContainText("Classes2");
  await expect(page.getByTestId("dataset-image-shape")).toContainText("3 × 3 × 1 (grayscale)");
  await expect(page.getByRole("img", { name: "Image 2: strokes/train/s1.png, class v" })).toBeVisible();
});

test("MNIST's full training set as IDX (60,000 images, 47 MB uncompressed) is read and summarized in the worker", async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const n = 60_000;
  const pixels = new Uint8Array(n * 784);
  for (let i = 0; i < n; i++) for (let r = 4; r < 24; r++) pixels[i * 784 + r * 28 + 2 * (i % 10) + 4] = 255;
  const images = testInfo.outputPath("train-images.idx3-ubyte");
  const labels = testInfo.outputPath("train-labels.idx1-ubyte");
  writeFileSync(images, idx([n, 28, 28], pixels));
  writeFileSync(labels, idx([n], Array.from({ length: n }, (_, i) => i % 10)));

  await page.goto("/competitions/new");
  const started = Date.now();
  await page.locator('input[type="file"]').setInputFiles([images, labels]);
  const summary = page.getByTestId("dataset-summary");
  await expect(summary).toContainText("Points60,000", { timeout: 120_000 });
  const seconds = (Date.now() - started) / 1000;
  testInfo.annotations.push({ type: "mnist-60k-read-seconds", description: seconds.toFixed(1) });
  console.log(`60,000 MNIST-sized IDX images (47,040,016 + 60,008 bytes) read, checked and summarized in ${seconds.toFixed(1)} s`);
  await expect(summary).toContainText("Features784");
  await expect(page.getByTestId("dataset-image-shape")).toContainText("28 × 28 × 1 (grayscale)");
  await expect(page.getByTestId("image-thumbnail")).toHaveCount(8);
});

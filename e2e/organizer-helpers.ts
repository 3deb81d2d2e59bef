/**
 * Helpers for the organizer's end-to-end tests: datasets, reading the browser's IndexedDB, and the demo seeder run
 * against the test chain (its secrets files go to a temporary root, never over the developer's .data/demo).
 */
import { mkdtempSync, mkdirSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, type Download, type Page, type TestInfo } from "@playwright/test";
import type { Address } from "viem";
import { readCompetition } from "../lib/chain/danku";
import { fetchFromIpfs } from "../lib/ipfs/client";
import type { IpfsStore } from "../lib/ipfs/store";
import { seedDemo, type SeededCompetition } from "../scripts/dev/seed";
import type { ChainFixture } from "./fixtures/chain";
import { e2eSettings } from "./fixtures/settings";

/** A separable dataset: `rows` points, `features` integer features (bytes already, so identity mappings), two classes. */
export function syntheticCsv(rows: number, features: number): string {
  const header = [...Array.from({ length: features }, (_, f) => `f${f}`), "label"].join(",");
  const lines = [header];
  for (let r = 0; r < rows; r++) {
    const positive = r % 2 === 0;
    const values = Array.from({ length: features }, (_, f) => (positive ? 140 : 20) + ((r * 31 + f * 17) % 90));
    lines.push([...values, positive ? "yes" : "no"].join(","));
  }
  return `${lines.join("\n")}\n`;
}

export async function downloadText(download: Download): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString("utf8");
}

export interface StoredSecretsRecord {
  key: string;
  chainId: number;
  competition?: string;
  draftId?: string;
  text: string;
}

/** Every secrets record the page's origin keeps in IndexedDB (lib/browser/secretsStore.ts). */
export async function readStoredSecrets(page: Page): Promise<StoredSecretsRecord[]> {
  return page.evaluate(
    () =>
      new Promise<StoredSecretsRecord[]>((resolve, reject) => {
        const open = indexedDB.open("modelbounty-organizer");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const request = db.transaction("secrets", "readonly").objectStore("secrets").getAll();
          request.onsuccess = () => {
            resolve(request.result as StoredSecretsRecord[]);
            db.close();
          };
          request.onerror = () => reject(request.error);
        };
      }),
  );
}

/** The app's own IPFS routes as the seeder's store, so seeded metadata is served exactly as in `npm run dev`. */
function appIpfsStore(): IpfsStore {
  return {
    async add(bytes) {
      const response = await fetch(`${e2eSettings.appUrl}/api/ipfs`, {
        method: "POST",
        headers: { "content-type": "application/octet-stream" },
        body: Buffer.from(bytes),
      });
      if (!response.ok) throw new Error(`IPFS upload failed: HTTP ${response.status}`);
      return (await response.json()) as Awaited<ReturnType<IpfsStore["add"]>>;
    },
    async get(cid) {
      return fetchFromIpfs(cid, { gatewayBase: e2eSettings.appUrl });
    },
  };
}

export interface SeededTestReveal {
  address: Address;
  /** The seeder's secrets file for it: `<root>/.data/demo/<address>.secrets.json`. */
  secretsFile: string;
}

/** Runs the demo seeder of `npm run dev` (scripts/dev/seed.ts) on the test chain; its files go to a temporary root. */
export async function runDemoSeeder(chain: ChainFixture): Promise<{ seeded: SeededCompetition[]; root: string }> {
  const root = mkdtempSync(path.join(tmpdir(), "mb-e2e-seed-"));
  mkdirSync(path.join(root, "public"));
  symlinkSync(path.join(e2eSettings.root, "public", "demo"), path.join(root, "public", "demo"));
  const seeded = await seedDemo({
    client: chain.client,
    testClient: chain.testClient,
    factory: chain.factory,
    organizer: chain.wallet(0),
    submitters: [chain.wallet(1), chain.wallet(2), chain.wallet(3)],
    donor: chain.wallet(4),
    ipfs: appIpfsStore(),
    root,
    log: () => undefined,
  });
  return { seeded, root };
}

/** The seeder's competition left in the TestReveal stage (the demo organizer is account 0). */
export async function seedTestRevealCompetition(chain: ChainFixture): Promise<SeededTestReveal> {
  const { seeded, root } = await runDemoSeeder(chain);
  const testReveal = seeded.find((s) => s.stage === "TestReveal");
  if (!testReveal) throw new Error("the seeder left no competition in the TestReveal stage");
  expect((await readCompetition(chain.client, testReveal.address)).stage).toBe("TestReveal");
  return { address: testReveal.address, secretsFile: path.join(root, ".data", "demo", `${testReveal.address}.secrets.json`) };
}

export function wizard(page: Page) {
  return page.getByTestId("organizer-wizard");
}

export async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

export interface DraftOptions {
  csv: string;
  title: string;
  groups: { by: "count" | "size"; value: string };
  reward?: string;
  testInfo?: TestInfo;
  /** More settings, entered after the common ones and before continuing (e.g. the evaluation mode). */
  settings?: (page: Page) => Promise<void>;
}

/** Dataset → settings → secrets (downloaded and confirmed) → metadata on IPFS; leaves the wizard at "Create". */
export async function prepareDraft(page: Page, options: DraftOptions): Promise<{ secretsText: string; draftUrl: string }> {
  const screenshot = (name: string) => (options.testInfo ? shot(page, options.testInfo, name) : Promise.resolve());
  await page.locator('input[type="file"]').setInputFiles(options.csv);
  await expect(page.getByTestId("dataset-summary")).toBeVisible();
  await expect(page).toHaveURL(/\/competitions\/new\?draft=/);
  await screenshot("wizard-1-dataset");
  await page.getByRole("button", { name: "Continue to settings" }).click();

  await page.getByLabel("Title").fill(options.title);
  await page.getByLabel("Description").fill("Created by the organizer wizard's end-to-end test.");
  if (options.groups.by === "count") {
    await page.getByRole("radio", { name: "By number of groups" }).check();
    await page.getByRole("textbox", { name: "Number of groups" }).fill(options.groups.value);
  } else {
    await page.getByRole("textbox", { name: "Points per group" }).fill(options.groups.value);
  }
  await page.getByLabel("Reward (ETH)").fill(options.reward ?? "1");
  await page.getByLabel("Minimum accuracy (%)").fill("60");
  if (options.settings) await options.settings(page);
  await expect(page.getByTestId("odds-table").locator('[aria-current="true"]')).toBeVisible();
  await screenshot("wizard-2-settings");
  await page.getByRole("button", { name: "Continue to secrets" }).click();

  await page.getByRole("button", { name: /Generate nonces and hash \d+ groups/ }).click();
  const hashing = page.getByRole("progressbar", { name: "Hashing data groups" });
  await expect(hashing).toHaveAttribute("aria-valuenow", await hashing.getAttribute("aria-valuemax").then((v) => v ?? ""));
  const confirm = page.getByLabel(/I have saved the secrets file/);
  // No way past this step without the file.
  await expect(confirm).toBeDisabled();
  await expect(page.getByRole("button", { name: "Continue to publishing" })).toBeDisabled();
  const downloading = page.waitForEvent("download");
  await page.getByTestId("download-secrets").click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/-draft\.secrets\.json$/);
  const secretsText = await downloadText(download);
  await confirm.check();
  await screenshot("wizard-3-secrets");
  await page.getByRole("button", { name: "Continue to publishing" }).click();

  await page.getByRole("button", { name: "Upload metadata to IPFS" }).click();
  await expect(page.getByTestId("metadata-cid")).toHaveText(/^bafk/);
  await screenshot("wizard-4-metadata");
  await page.getByRole("button", { name: "Continue to creation" }).click();
  await expect(wizard(page)).toHaveAttribute("data-step", "create");
  return { secretsText, draftUrl: page.url() };
}

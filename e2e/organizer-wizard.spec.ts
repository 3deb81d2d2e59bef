import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getAddress, parseEther, type Address } from "viem";
import { competitionFactoryAbi } from "../lib/generated/abis";
import { readCompetition, readGroupFlags, readGroupHashes } from "../lib/chain/danku";
import { parseSecrets, verifySecretsAgainstHashes } from "../lib/danku/secrets";
import { fetchFromIpfs } from "../lib/ipfs/client";
import { parseCompetitionMetadata } from "../lib/danku/metadata";
import { connectWallet, expect, test } from "./fixtures";
import { e2eSettings } from "./fixtures/settings";
import { prepareDraft, readStoredSecrets, shot, syntheticCsv, wizard } from "./organizer-helpers";

const COUNTIES = path.join(e2eSettings.root, "public", "demo", "us-counties.csv");

async function competitionCount(chain: { client: import("viem").PublicClient; factory: Address }): Promise<bigint> {
  return chain.client.readContract({ address: chain.factory, abi: competitionFactoryAbi, functionName: "competitionCount" });
}

test("an organizer turns a CSV into a live competition: create, split, training reveal in several transactions", async ({ page, chain, wallet }, testInfo) => {
  const csv = testInfo.outputPath("synthetic.csv");
  // 500 points in 500 groups: 400 training groups, more than one reveal transaction takes (256 groups each).
  writeFileSync(csv, syntheticCsv(500, 4));
  await page.goto("/competitions/new");
  await connectWallet(page);

  const { secretsText } = await prepareDraft(page, { csv, title: "Synthetic sensors", groups: { by: "count", value: "500" }, reward: "2", testInfo });
  const summary = page.getByTestId("create-summary");
  await expect(summary).toContainText("500 (400 training, 100 test)");
  await expect(summary).toContainText("2 ETH");
  await shot(page, testInfo, "wizard-5-create");

  await page.getByRole("button", { name: /Create competition and escrow 2 ETH/ }).click();
  await expect(wizard(page)).toHaveAttribute("data-step", "split");
  const created = page.getByTestId("transaction-status").first();
  await expect(created).toHaveAttribute("data-phase", "confirmed");
  await expect(created).toContainText(/Create the competition: confirmed in block #\d+/);
  // The page mines the local chain up to the seed block by itself, so the count it shows depends on when it is read:
  // check the countdown's arithmetic (blocks left = deadline − current block) rather than one moment's number.
  const countdown = page.getByTestId("split-countdown");
  const countdownText = /(\d+) blocks?\s*left to draw the split \(until block (\d+)[^)]*\); the chain is at block (\d+)\./;
  await expect(countdown).toContainText(countdownText);
  const [, left, until, at] = countdownText.exec((await countdown.textContent()) ?? "") ?? [];
  expect(Number(left)).toBe(Number(until) - Number(at));
  await shot(page, testInfo, "wizard-6-split");

  await page.getByRole("button", { name: "Draw the training/test split" }).click();
  await expect(wizard(page)).toHaveAttribute("data-step", "reveal");
  await expect(page.getByTestId("transaction-status").first()).toContainText(/Draw the split: confirmed in block #\d+/);
  await page.getByRole("button", { name: "Reveal 400 training groups" }).click();
  const complete = page.getByTestId("training-reveal-complete");
  await expect(complete).toBeVisible({ timeout: 60_000 });
  const batches = page.getByTestId("transaction-status").filter({ hasText: /Reveal training batch \d+: confirmed in block #\d+/ });
  await expect(batches).toHaveCount(2);
  await expect(page.getByRole("progressbar", { name: "Revealing training groups" })).toHaveAttribute("aria-valuenow", "400");
  await expect(page.getByRole("progressbar", { name: "Revealing training groups" })).toHaveAttribute("aria-valuetext", "400 / 400 groups · batch 2 / 2");
  await shot(page, testInfo, "wizard-7-reveal");

  await page.getByRole("button", { name: "Continue", exact: true }).click();
  await expect(page.getByTestId("wizard-done")).toContainText("Open for submissions");
  await shot(page, testInfo, "wizard-8-done");
  const href = await page.getByTestId("competition-link").getAttribute("href");
  const address = getAddress((href ?? "").replace("/competitions/", ""));

  // On chain: the competition exists, escrows the reward, is open for submissions with every training point revealed.
  const state = await readCompetition(chain.client, address);
  expect(state.organizer).toBe(wallet.address);
  expect(state.stage).toBe("Submission");
  expect(state.reward).toBe(parseEther("2"));
  expect(await chain.balance(address)).toBe(parseEther("2"));
  expect(state.groupCount).toBe(500);
  expect(state.trainingGroupCount).toBe(400);
  expect(state.config.minAccuracyBps).toBe(6000);

  // The downloaded file and the copy in IndexedDB both open exactly the committed groups.
  const hashes = await readGroupHashes(chain.client, address);
  const downloaded = parseSecrets(secretsText);
  expect(verifySecretsAgainstHashes(downloaded, hashes).ok).toBe(true);
  const stored = (await readStoredSecrets(page)).find((r) => r.key === `31337:${address.toLowerCase()}`);
  expect(stored, "secrets filed under the competition in IndexedDB").toBeDefined();
  const kept = parseSecrets(stored?.text ?? "");
  expect(kept.competition).toBe(address);
  expect(verifySecretsAgainstHashes(kept, hashes).ok).toBe(true);
  expect(kept.groups).toEqual(downloaded.groups);

  // Every training point is on chain: the revealed count equals the points of the training groups in the file.
  const flags = await readGroupFlags(chain.client, address, 500);
  const trainingPoints = downloaded.groups.filter((g) => flags.isTraining[g.index]).reduce((n, g) => n + (g.points.length - 2) / 2 / 5, 0);
  expect(flags.isRevealed.filter((revealed, g) => revealed && flags.isTraining[g]).length).toBe(400);
  expect(state.trainingPoints).toBe(trainingPoints);
  expect(state.trainingPoints).toBe(400);

  // The published metadata describes the dataset (and holds no data points).
  const metadata = parseCompetitionMetadata(new TextDecoder().decode(await fetchFromIpfs(state.metadataCid, { gatewayBase: e2eSettings.appUrl })));
  expect(metadata.title).toBe("Synthetic sensors");
  expect(metadata.dataset).toMatchObject({ name: "synthetic.csv", pointCount: 500, groupCount: 500, labelColumn: "label", classNames: ["no", "yes"] });

  // The competition page is one click away.
  await page.getByTestId("competition-link").click();
  // The first visit compiles the page in `next dev`.
  await expect(page.getByRole("heading", { level: 1, name: "Synthetic sensors" })).toBeVisible({ timeout: 60_000 });
});

test("a malformed CSV lists every problem with its line number and nothing is sent", async ({ page, chain, wallet }, testInfo) => {
  await page.goto("/competitions/new");
  await connectWallet(page);
  const nonce = await chain.client.getTransactionCount({ address: wallet.address });
  const count = await competitionCount(chain);

  const bad = ["height,weight,label", "1.5,60,a", "1.7,seventy,b", "", "1.6,55", "1.8,80,", "1.9,0x50,a", "2.0,90,b"].join("\n");
  // Dropped rather than picked: the drop zone takes the file.
  const dataTransfer = await page.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], "people.csv", { type: "text/csv" }));
    return transfer;
  }, bad);
  await page.getByTestId("csv-dropzone").dispatchEvent("drop", { dataTransfer });

  const issues = page.getByTestId("dataset-issues");
  await expect(issues).toBeVisible();
  await expect(page.getByRole("heading", { name: "people.csv has 4 problems; nothing was hashed or sent." })).toBeVisible();
  const rows = issues.locator("tbody tr");
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(0)).toHaveText(/^3\s*feature "weight" "seventy" is not a number$/);
  await expect(rows.nth(1)).toHaveText(/^5\s*expected 3 columns, found 2$/);
  await expect(rows.nth(2)).toHaveText(/^6\s*the label \(column "label"\) is empty$/);
  await expect(rows.nth(3)).toHaveText(/^7\s*feature "weight" "0x50" is not a number$/);
  await shot(page, testInfo, "wizard-malformed");

  // Nothing else happens: no preview, no way forward, no transaction.
  await expect(page.getByTestId("dataset-preview")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Continue to settings" })).toHaveCount(0);
  await expect(page.getByRole("navigation", { name: "Wizard steps" }).getByRole("button")).toHaveCount(0);
  expect(wallet.requests).not.toContain("eth_sendTransaction");
  expect(await chain.client.getTransactionCount({ address: wallet.address })).toBe(nonce);
  expect(await competitionCount(chain)).toBe(count);
  // An oversized file is refused before it is read: e2e/wizard-big-file.spec.ts.
});

test("declined signatures are calm and the wizard resumes after a reload, from creation to the training reveal", async ({ page, chain, wallet }) => {
  await page.goto("/competitions/new");
  await connectWallet(page);
  const { draftUrl } = await prepareDraft(page, { csv: COUNTIES, title: "County winners", groups: { by: "size", value: "25" } });
  const nonce = await chain.client.getTransactionCount({ address: wallet.address });
  const count = await competitionCount(chain);

  // Decline the creation: a calm note, nothing sent, the same button tries again.
  wallet.rejectNext("eth_sendTransaction");
  await page.getByRole("button", { name: /Create competition and escrow 1 ETH/ }).click();
  const status = page.getByTestId("transaction-status");
  await expect(status).toHaveAttribute("data-phase", "rejected");
  await expect(status).toHaveAttribute("role", "status");
  await expect(status).toHaveText("You rejected the request in your wallet; nothing was sent.");
  expect(await chain.client.getTransactionCount({ address: wallet.address })).toBe(nonce);
  expect(await competitionCount(chain)).toBe(count);

  // A reload keeps everything: the draft is back at "Create" with the same metadata.
  await page.reload();
  await expect(wizard(page)).toHaveAttribute("data-step", "create");
  expect(page.url()).toBe(draftUrl);
  await page.getByRole("button", { name: /Create competition and escrow 1 ETH/ }).click();
  await expect(wizard(page)).toHaveAttribute("data-step", "split");
  expect(await competitionCount(chain)).toBe(count + 1n);

  // Decline the split, then draw it.
  wallet.rejectNext("eth_sendTransaction");
  await page.getByRole("button", { name: "Draw the training/test split" }).click();
  await expect(page.getByTestId("transaction-status").last()).toHaveAttribute("data-phase", "rejected");
  await page.reload();
  await expect(wizard(page)).toHaveAttribute("data-step", "split");
  await page.getByRole("button", { name: "Draw the training/test split" }).click();
  await expect(wizard(page)).toHaveAttribute("data-step", "reveal");

  // Decline the reveal: the panel says nothing more was sent; after a reload the reveal finishes.
  wallet.rejectNext("eth_sendTransaction");
  await page.getByRole("button", { name: /Reveal \d+ training groups/ }).click();
  await expect(page.getByText(/You declined the signature; nothing more was sent/)).toBeVisible();
  await page.reload();
  await expect(wizard(page)).toHaveAttribute("data-step", "reveal");
  await expect(page.getByTestId("secrets-source")).toContainText("kept in this browser");
  await page.getByRole("button", { name: /Reveal \d+ training groups/ }).click();
  await expect(page.getByTestId("training-reveal-complete")).toBeVisible({ timeout: 60_000 });

  const stored = await readStoredSecrets(page);
  const competition = stored.find((r) => r.competition)?.competition as Address;
  const state = await readCompetition(chain.client, competition);
  expect(state.stage).toBe("Submission");
  expect(state.trainingPoints).toBeGreaterThan(2000);
});

test("a failed metadata upload is explained, survives a reload and can be retried", async ({ page }) => {
  await page.goto("/competitions/new");
  await page.locator('input[type="file"]').setInputFiles(COUNTIES);
  await page.getByRole("button", { name: "Continue to settings" }).click();
  await page.getByLabel("Title").fill("Upload retry");
  await page.getByRole("button", { name: "Continue to secrets" }).click();
  await page.getByRole("button", { name: /Generate nonces/ }).click();
  const downloading = page.waitForEvent("download");
  await page.getByTestId("download-secrets").click();
  await downloading;
  await page.getByLabel(/I have saved the secrets file/).check();
  await page.getByRole("button", { name: "Continue to publishing" }).click();

  let attempts = 0;
  await page.route("**/api/ipfs", async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    attempts++;
    await route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: "The IPFS node is restarting." }) });
  });
  await page.getByRole("button", { name: "Upload metadata to IPFS" }).click();
  await expect(page.getByTestId("upload-error")).toContainText("The upload failed after 4 attempts. The IPFS node is restarting.", { timeout: 30_000 });
  expect(attempts).toBe(4);

  await page.unroute("**/api/ipfs");
  await page.reload();
  await expect(wizard(page)).toHaveAttribute("data-step", "publish");
  await page.getByRole("button", { name: "Upload metadata to IPFS" }).click();
  await expect(page.getByTestId("metadata-cid")).toHaveText(/^bafk/);
  const cid = (await page.getByTestId("metadata-cid").textContent()) ?? "";
  const metadata = parseCompetitionMetadata(new TextDecoder().decode(await fetchFromIpfs(cid, { gatewayBase: e2eSettings.appUrl })));
  expect(metadata.title).toBe("Upload retry");
  expect(readFileSync(COUNTIES, "utf8").startsWith("latitude,longitude,party")).toBe(true);
  expect(metadata.dataset.labelColumn).toBe("party");
});

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { hexToBytes, parseEther } from "viem";
import { readCompetition, readGroupFlags } from "../lib/chain/danku";
import { groupHash } from "../lib/danku/encoding";
import { randomBytes32 } from "../lib/danku/random";
import { parseSecrets, serializeSecrets } from "../lib/danku/secrets";
import { connectWallet, expect, test } from "./fixtures";
import { e2eSettings } from "./fixtures/settings";
import { readStoredSecrets, seedTestRevealCompetition } from "./organizer-helpers";

test("the demo organizer reveals the test data of a seeded competition from its page, with the seeder's secrets file", async ({ page, chain, wallet: _wallet }, testInfo) => {
  const seeded = await seedTestRevealCompetition(chain);
  const original = readFileSync(seeded.secretsFile, "utf8");
  const secrets = parseSecrets(original);

  // A well-formed file whose groups 3 and 7 are not the committed ones (other nonces): named, and nothing is sent.
  const tampered = {
    ...secrets,
    groups: secrets.groups.map((g) => {
      if (g.index !== 3 && g.index !== 7) return g;
      const nonce = randomBytes32();
      return { ...g, nonce, hash: groupHash(hexToBytes(g.points), nonce) };
    }),
  };
  const tamperedFile = testInfo.outputPath("tampered.secrets.json");
  writeFileSync(tamperedFile, serializeSecrets(tampered));

  await page.goto(`/competitions/${seeded.address}`);
  await expect(page.getByRole("heading", { level: 1, name: "Iris-style flower species" })).toBeVisible();
  await connectWallet(page);
  const panel = page.getByTestId("test-reveal-panel");
  await expect(panel).toContainText("No secrets for this competition are kept in this browser");
  const reveal = panel.getByRole("button", { name: /Reveal \d+ test groups/ });
  await expect(reveal).toBeDisabled();

  await panel.getByLabel("Secrets file").setInputFiles(tamperedFile);
  await expect(panel.getByTestId("secrets-mismatch")).toContainText("2 groups do not match the committed hashes");
  await expect(panel.getByTestId("mismatched-groups")).toHaveText("3, 7");
  await expect(reveal).toBeDisabled();
  await page.screenshot({ path: testInfo.outputPath("test-reveal-mismatch.png"), fullPage: true });

  // The seeder's own file (.data/demo/<address>.secrets.json) matches every group.
  await panel.getByLabel("Use another secrets file").setInputFiles(seeded.secretsFile);
  await expect(panel.getByTestId("secrets-verified")).toContainText(`All ${secrets.groups.length} groups match`);
  const flags = await readGroupFlags(chain.client, seeded.address, secrets.groups.length);
  const testGroups = secrets.groups.filter((g) => !flags.isTraining[g.index]);
  await expect(reveal).toHaveText(`Reveal ${testGroups.length} test groups`);
  await reveal.click();
  await expect(panel.getByTestId("test-reveal-complete")).toBeVisible({ timeout: 60_000 });
  await expect(panel.getByRole("progressbar", { name: "Revealing test groups" })).toHaveAttribute("aria-valuenow", String(testGroups.length));
  await expect(panel.getByTestId("transaction-status").first()).toContainText(/Reveal test batch 1: confirmed in block #\d+/);
  await page.screenshot({ path: testInfo.outputPath("test-reveal-done.png"), fullPage: true });

  const state = await readCompetition(chain.client, seeded.address);
  expect(state.stage).toBe("Evaluation");
  expect(state.usesTestData).toBe(true);
  const pointSize = secrets.featureCount + 1;
  expect(state.testPoints).toBe(testGroups.reduce((n, g) => n + (g.points.length - 2) / 2 / pointSize, 0));
  await expect(panel.getByTestId("test-points-revealed")).toHaveText(String(state.testPoints));

  // The verified upload is kept in this browser for next time.
  const stored = (await readStoredSecrets(page)).find((r) => r.key === `31337:${seeded.address.toLowerCase()}`);
  expect(parseSecrets(stored?.text ?? "").groups).toEqual(secrets.groups);
});

test("a training reveal interrupted in the wizard is finished from the competition page with the secrets kept in the browser", async ({ page, chain, wallet }) => {
  await page.goto("/competitions/new");
  await connectWallet(page);
  await page.locator('input[type="file"]').setInputFiles(path.join(e2eSettings.root, "public", "demo", "us-counties.csv"));
  await page.getByRole("button", { name: "Continue to settings" }).click();
  await page.getByLabel("Title").fill("Finished elsewhere");
  await page.getByRole("textbox", { name: "Points per group" }).fill("50");
  await page.getByRole("button", { name: "Continue to secrets" }).click();
  await page.getByRole("button", { name: /Generate nonces/ }).click();
  const downloading = page.waitForEvent("download");
  await page.getByTestId("download-secrets").click();
  await downloading;
  await page.getByLabel(/I have saved the secrets file/).check();
  await page.getByRole("button", { name: "Continue to publishing" }).click();
  await page.getByRole("button", { name: "Upload metadata to IPFS" }).click();
  await page.getByRole("button", { name: "Continue to creation" }).click();
  await page.getByRole("button", { name: /Create competition/ }).click();
  await page.getByRole("button", { name: "Draw the training/test split" }).click();
  // Decline the reveal, not the split: arm the rejection only once the split is mined and the reveal is offered.
  const revealTraining = page.getByRole("button", { name: /Reveal \d+ training groups/ });
  await expect(revealTraining).toBeEnabled({ timeout: 60_000 });
  wallet.rejectNext("eth_sendTransaction");
  await revealTraining.click();
  await expect(page.getByText(/You declined the signature/)).toBeVisible();

  const competition = (await readStoredSecrets(page)).find((r) => r.competition)?.competition ?? "";
  await page.goto(`/competitions/${competition}`);
  await expect(page.getByRole("heading", { level: 1, name: "Finished elsewhere" })).toBeVisible();
  const panel = page.getByTestId("training-reveal-panel");
  await expect(panel.getByTestId("secrets-source")).toContainText("kept in this browser");
  await expect(panel.getByTestId("secrets-verified")).toBeVisible();
  await panel.getByRole("button", { name: /Reveal \d+ training groups/ }).click();
  await expect(panel.getByTestId("training-reveal-complete")).toBeVisible({ timeout: 60_000 });
  const state = await readCompetition(chain.client, competition as `0x${string}`);
  expect(state.stage).toBe("Submission");
  expect(state.trainingPoints).toBe(2400);
  expect(state.reward).toBe(parseEther("1"));
});

import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { getAddress } from "viem";
import { buildCompetitionMetadata } from "../lib/danku/metadata";
import { devPrivateKey } from "../lib/chain/devAccounts";
import { e2eSettings } from "./fixtures/settings";
import { connectWallet, expect, test } from "./fixtures";
import { commitSubmission } from "../lib/chain/flows";
import { submissionCommitment } from "../lib/danku/encoding";
import { randomBytes32 } from "../lib/danku/random";
import { runDemoSeeder } from "./organizer-helpers";
import { STAGE_TITLES } from "../lib/web/stages";
import type { StageName } from "../lib/chain/danku";

function card(page: import("@playwright/test").Page, address: string) {
  return page.locator(`[data-testid="competition-card"][data-address="${address}"]`);
}

/** Runs `npx modelbounty` (bin/modelbounty.cjs) with a Hardhat key; resolves with its JSON output. */
function runCli(args: string[], accountIndex: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(e2eSettings.root, "bin", "modelbounty.cjs"), ...args, "--rpc", e2eSettings.rpcUrl, "--json"], {
      cwd: e2eSettings.root,
      env: { ...process.env, MODELBOUNTY_PRIVATE_KEY: devPrivateKey(accountIndex) },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) => {
      if (code !== 0) reject(new Error(`modelbounty ${args[0]} exited with ${code}: ${err}`));
      else {
        // --json prints exactly one JSON document on stdout.
        try {
          resolve(JSON.parse(out));
        } catch {
          reject(new Error(`modelbounty ${args[0]} printed no JSON document: ${out}`));
        }
      }
    });
  });
}

test("lists competitions created through the CLI and the fixture, with metadata or a fallback title", async ({ page, chain }) => {
  const dir = mkdtempSync(path.join(tmpdir(), "mb-e2e-"));
  const csv = path.join(dir, "data.csv");
  const rows = ["a,b,label"];
  for (let i = 0; i < 20; i++) rows.push(`${i * 3},${200 - i * 4},${i % 2 === 0 ? "even" : "odd"}`);
  writeFileSync(csv, `${rows.join("\n")}\n`);
  const metadataCid = await chain.uploadJson(
    buildCompetitionMetadata({
      title: "Parity from the command line",
      description: "Created with npx modelbounty create.",
      dataset: { name: "data.csv", featureNames: ["a", "b"], classNames: ["even", "odd"], featureMappings: [{ kind: "identity" }, { kind: "identity" }], pointCount: 20, groupCount: 4, labelColumn: "label" },
    }),
  );
  await runCli(["create", "--data", csv, "--label", "label", "--reward", "2.5", "--group-size", "5", "--secrets", path.join(dir, "s.json"), "--metadata-cid", metadataCid], 3);
  const fixture = await chain.createCompetition({ title: "Fixture-made competition", reward: "1" });
  const untitled = await chain.createCompetition({ withoutMetadata: true, reward: "0.5" });

  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Machine-learning competitions");
  await expect(page.getByRole("link", { name: "Parity from the command line" })).toBeVisible();
  await expect(card(page, fixture.address).getByRole("link", { name: "Fixture-made competition" })).toBeVisible();
  const fallback = card(page, untitled.address);
  await expect(fallback.getByRole("link", { name: "Untitled competition" })).toBeVisible();
  await expect(fallback).toContainText(untitled.address);
  await expect(fallback).toContainText("0.5 ETH");
  await expect(card(page, fixture.address)).toContainText("DanKu");
  await expect(card(page, fixture.address)).toContainText("Open for submissions");

  // Search by title, prize range and stage.
  await page.getByLabel("Search").fill("parity");
  await expect(card(page, fixture.address)).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Parity from the command line" })).toBeVisible();
  await page.getByLabel("Search").fill("");
  await page.getByLabel("Minimum prize pool in ETH").fill("2");
  await expect(card(page, fixture.address)).toHaveCount(0);
  await expect(card(page, untitled.address)).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Parity from the command line" })).toBeVisible();
  await page.getByLabel("Minimum prize pool in ETH").fill("");
  await page.getByLabel("Stage").selectOption("Cancelled");
  await expect(page.getByTestId("marketplace-no-match")).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(card(page, fixture.address)).toBeVisible();
  await expect(card(page, untitled.address)).toBeVisible();
});

test("the listing shows the demo competitions `npm run dev` seeds, each in its stage, with the county election data set", async ({ page, chain }) => {
  const { seeded } = await runDemoSeeder(chain);
  const stages = seeded.map((s) => s.stage);
  for (const required of ["Submission", "TestReveal", "Evaluation", "Finalized"]) expect(stages).toContain(required);
  await page.goto("/");
  for (const competition of seeded) {
    const shown = card(page, competition.address);
    await expect(shown.getByRole("link", { name: competition.title })).toBeVisible();
    await expect(shown).toContainText(STAGE_TITLES[competition.stage as StageName]);
  }
  await expect(page.getByRole("link", { name: "US county election winners" })).toBeVisible();
});

test("a competition created from the CLI by someone else appears live, without a reload", async ({ page, chain }) => {
  await page.goto("/");
  await expect(page.getByText(/Live · block #/)).toBeVisible();
  const before = await page.locator('[data-testid="competition-card"]').count();
  const dir = mkdtempSync(path.join(tmpdir(), "mb-e2e-live-"));
  const csv = path.join(dir, "data.csv");
  writeFileSync(csv, ["x,y,label", ...Array.from({ length: 20 }, (_, i) => `${i * 9},${250 - i * 11},${i % 2 ? "odd" : "even"}`)].join("\n") + "\n");
  const metadataCid = await chain.uploadJson(
    buildCompetitionMetadata({
      title: "Arrived while you were watching",
      description: "Created with npx modelbounty create while the marketplace was open.",
      dataset: { name: "data.csv", featureNames: ["x", "y"], classNames: ["even", "odd"], featureMappings: [{ kind: "identity" }, { kind: "identity" }], pointCount: 20, groupCount: 4, labelColumn: "label" },
    }),
  );
  const created = (await runCli(["create", "--data", csv, "--label", "label", "--reward", "0.7", "--group-size", "5", "--secrets", path.join(dir, "s.json"), "--metadata-cid", metadataCid], 5)) as { competition?: string };
  const address = getAddress(created.competition ?? "");
  await expect(card(page, address).getByRole("link", { name: "Arrived while you were watching" })).toBeVisible();
  await expect(page.locator('[data-testid="competition-card"]')).toHaveCount(before + 1);
});

test("the list comes in the HTML from the server's snapshot, hydrates without a mismatch, then goes live", async ({ page, chain }) => {
  await chain.createCompetition({ title: "In the first HTML" });
  // The server follows the chain on its own; once its snapshot holds the competition, the page's HTML carries it.
  await expect
    .poll(async () => (await (await page.request.get("/")).text()).includes("In the first HTML"), { timeout: 15_000 })
    .toBe(true);
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  const response = await page.goto("/");
  const html = (await response?.text()) ?? "";
  expect(html).toContain("In the first HTML");
  expect(html).toContain("Server snapshot, checking the chain");
  await expect(page.getByText(/Live · block #/)).toBeVisible();
  await expect(page.getByRole("link", { name: "In the first HTML" })).toBeVisible();
  expect(errors.filter((text) => /hydrat|did not match|Minified React error #4(18|19|23|25)/i.test(text))).toEqual([]);
});

test("a browser that cannot reach the RPC still gets the server's list, is told so, and Retry recovers", async ({ page, chain }) => {
  await chain.createCompetition({ title: "Listed by the server" });
  const rpc = `${e2eSettings.rpcUrl}/**`;
  await page.route(rpc, (route) => route.abort("connectionrefused"));
  await page.route(e2eSettings.rpcUrl, (route) => route.abort("connectionrefused"));
  await page.goto("/");
  // The HTML carries the server's snapshot (lib/web/listingSnapshot.ts), so the list is there without the browser's node.
  await expect(page.getByRole("link", { name: "Listed by the server" })).toBeVisible();
  const notice = page.getByTestId("listing-stale");
  await expect(notice).toBeVisible({ timeout: 45_000 });
  await expect(notice).toContainText("Can't reach the blockchain node");
  await expect(notice).toContainText(e2eSettings.rpcUrl);
  await expect(notice).toContainText("as this app's server read it");
  await expect(page.getByText(/Updates paused · block #/)).toBeVisible();
  await expect(page.getByText(/Live · block #/)).toHaveCount(0);
  await chain.createCompetition({ title: "Visible after retry" });
  await page.unroute(rpc);
  await page.unroute(e2eSettings.rpcUrl);
  await notice.getByRole("button", { name: "Retry" }).click();
  await expect(page.getByRole("link", { name: "Visible after retry" })).toBeVisible();
  await expect(page.getByText(/Live · block #/)).toBeVisible();
  await expect(notice).toHaveCount(0);
});

test("a competition page whose chain is unreachable shows the designed error state, and Retry recovers", async ({ page, chain }) => {
  const created = await chain.createCompetition({ title: "Read after retry" });
  const rpc = `${e2eSettings.rpcUrl}/**`;
  await page.route(rpc, (route) => route.abort("connectionrefused"));
  await page.route(e2eSettings.rpcUrl, (route) => route.abort("connectionrefused"));
  await page.goto(`/competitions/${created.address}`);
  const error = page.getByTestId("rpc-error");
  await expect(error).toBeVisible({ timeout: 45_000 });
  await expect(error).toContainText("Can't reach the blockchain node");
  await expect(error).toContainText(e2eSettings.rpcUrl);
  await page.unroute(rpc);
  await page.unroute(e2eSettings.rpcUrl);
  await error.getByRole("button", { name: "Retry" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Read after retry" })).toBeVisible();
});

test.describe("as account 1", () => {
  test.use({ walletAccount: 1 });

  test("'Mine only' keeps what the account organizes or entered, and follows a new entry without a reload", async ({ page, chain, wallet }) => {
    expect(wallet.address).toBe(chain.wallet(1).account.address);
    const me = chain.wallet(1);
    const commit = (competition: `0x${string}`) =>
      commitSubmission(me, chain.client, {
        competition,
        commitment: submissionCommitment({ competition, submitter: me.account.address, modelHash: randomBytes32(), salt: randomBytes32() }),
      });
    const organized = await chain.createCompetition({ title: "Organized by account 1", organizer: 1 });
    const entered = await chain.createCompetition({ title: "Entered by account 1" });
    const other = await chain.createCompetition({ title: "Not account 1's (yet)" });
    await commit(entered.address);
    await page.goto("/");
    await expect(page.getByText(/Live · block #/)).toBeVisible();
    await connectWallet(page);
    await page.getByLabel("Mine only").check();
    await expect(card(page, organized.address)).toBeVisible();
    await expect(card(page, entered.address)).toBeVisible();
    await expect(card(page, other.address)).toHaveCount(0);
    // Committed from outside the page: the next block's scan (only the new blocks) adds it.
    await commit(other.address);
    await expect(card(page, other.address)).toBeVisible();
    await expect(page.locator('[data-testid="competition-card"]')).toHaveCount(3);
  });
});

test("browsing, connecting a wallet and opening a competition makes no request outside this machine", async ({ page, chain, wallet, networkGuard }) => {
  const created = await chain.createCompetition({ title: "Offline check" });
  await page.goto("/");
  await expect(page.getByRole("link", { name: "Offline check" })).toBeVisible();
  await page.getByRole("button", { name: "Connect Wallet" }).first().click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await page.keyboard.press("Escape");
  await page.getByRole("link", { name: "Offline check" }).click();
  await expect(page).toHaveURL(new RegExp(created.address, "i"));
  await expect(page.getByRole("heading", { level: 1, name: "Offline check" })).toBeVisible();
  await page.goto("/competitions/new");
  await expect(page.getByRole("heading", { level: 1, name: "New competition" })).toBeVisible();
  expect(wallet.requests).not.toContain("eth_sendTransaction");
  // The guard also checks this after every test; asserting here makes the intent explicit.
  expect(networkGuard.external).toEqual([]);
});

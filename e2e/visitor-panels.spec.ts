/**
 * The competition page shows each visitor only what they can do now (lib/web/actions.ts availableActions) and one
 * line for the rest: a stranger, the organizer and a submitter, in a few stages (issue 12 §5). No disabled submit
 * inputs once submissions are closed, no reveal inputs but for the organizer, no Donate once it cannot count.
 */
import type { Browser, Page, TestInfo } from "@playwright/test";
import type { Address } from "viem";
import { readCompetition } from "../lib/chain/danku";
import { commitSubmission } from "../lib/chain/flows";
import { encodeModel, modelHash, submissionCommitment } from "../lib/danku/encoding";
import { randomBytes32 } from "../lib/danku/random";
import { connectWallet, expect, test } from "./fixtures";
import type { ChainFixture } from "./fixtures/chain";
import { NetworkGuard } from "./fixtures/network";
import { TestWallet } from "./fixtures/wallet";
import { submitPanel } from "./submitter-helpers";

/** A browser of the visitor's own with the wallet of dev account `account`, connected, on the competition page. */
async function visit(browser: Browser, testInfo: TestInfo, chain: ChainFixture, account: number, address: Address, title: string) {
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const guard = new NetworkGuard(context);
  const tab = await context.newPage();
  await new TestWallet(chain.chain, chain.rpcUrl, account).install(tab);
  await tab.goto(`/competitions/${address}`);
  await expect(tab.getByRole("heading", { level: 1, name: title })).toBeVisible({ timeout: 60_000 });
  await connectWallet(tab);
  return {
    tab,
    close: async () => {
      expect(guard.external, "requests that left this machine").toEqual([]);
      await context.close();
    },
  };
}

/** None of the action buttons that do not apply, and no disabled control in the action panels (submit, actions, donate). */
async function expectNoDisabledActions(page: Page, except: RegExp[] = []) {
  for (const name of [/^Finalize$/, /^Withdraw/, /^Cancel competition$/, /^Evaluate/, /^Commit the model$/, /^Reveal model/]) {
    if (except.some((e) => e.source === name.source)) continue;
    await expect(page.getByRole("button", { name }), String(name)).toHaveCount(0);
  }
  const panels = page.getByRole("region", { name: /^(Actions|Submit a model|Your submissions|Donate)$/ });
  await expect(panels.locator("button:disabled, input:disabled, select:disabled")).toHaveCount(0);
}

/** Account 1 commits a model through the library (as the CLI would); returns nothing the page needs to know. */
async function commitAs(chain: ChainFixture, account: number, competition: Address): Promise<void> {
  const submitter = chain.wallet(account);
  const bytes = encodeModel({ widths: [2, 2], layers: [{ shift: 0, biases: [0, 1], weights: [[1, -1], [2, 3]] }] });
  const commitment = submissionCommitment({ competition, submitter: submitter.account.address, modelHash: modelHash(bytes), salt: randomBytes32() });
  await commitSubmission(submitter, chain.client, { competition, commitment });
}

test("while submissions are open: a visitor who is not connected can preview and is asked to connect; the organizer gets no submit inputs", async ({ page, chain, wallet: _organizer }) => {
  const created = await chain.createCompetition({ title: "Open to all", stage: "Submission" });
  await page.goto(`/competitions/${created.address}`);
  await expect(page.getByRole("heading", { level: 1, name: "Open to all" })).toBeVisible({ timeout: 60_000 });
  const next = page.getByTestId("next-actions");
  await expect(next).toContainText(/^Preview a model now; connect a wallet to commit it by block #[\d,]+/);
  await expect(submitPanel(page).getByLabel("Model file")).toBeVisible();
  await expect(page.getByRole("region", { name: "Donate" }).getByRole("button", { name: "Connect wallet" })).toBeVisible();
  await expect(page.getByTestId("training-reveal-panel")).toHaveCount(0);
  await expect(page.getByTestId("test-reveal-panel")).toHaveCount(0);
  await expectNoDisabledActions(page);

  // The same browser, connected as the organizer (account 0): the submit section is not for them.
  await connectWallet(page);
  await expect(next).toContainText(/^Submissions are open until block #[\d,]+.*; you reveal the test data after the model reveal, from block #[\d,]+/);
  await expect(page.getByRole("region", { name: "Submit a model" })).toHaveCount(0);
  await expect(page.getByLabel("Model file")).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Donate" }).getByRole("button", { name: "Donate" })).toBeEnabled();
  await expect(page.getByTestId("training-reveal-panel")).toHaveCount(0);
  await expectNoDisabledActions(page);
});

test("once submissions are closed: the stranger sees one line, the submitter its reveal, the organizer its test reveal only in its stage", async ({ browser, page, chain, wallet: _organizer }, testInfo) => {
  test.setTimeout(300_000);
  const created = await chain.createCompetition({ title: "Closed for submissions", stage: "Submission" });
  await commitAs(chain, 1, created.address);
  let state = await readCompetition(chain.client, created.address);
  await chain.mineTo(state.deadlines.submissionEnd);
  state = await readCompetition(chain.client, created.address);
  expect(state.stage).toBe("ModelReveal");
  const closedLine = `Submissions closed at block #${state.deadlines.submissionEnd.toLocaleString("en-US")}; evaluation opens after the test reveal, by block #${state.deadlines.testRevealEnd.toLocaleString("en-US")}`;

  const stranger = await visit(browser, testInfo, chain, 2, created.address, "Closed for submissions");
  await expect(stranger.tab.getByTestId("next-actions")).toContainText(closedLine);
  await expect(stranger.tab.getByLabel("Model file")).toHaveCount(0);
  await expect(stranger.tab.getByRole("region", { name: /^(Submit a model|Your submissions)$/ })).toHaveCount(0);
  await expect(stranger.tab.getByRole("region", { name: "Donate" })).toBeVisible();
  await expect(stranger.tab.getByTestId("test-reveal-panel")).toHaveCount(0);
  await expectNoDisabledActions(stranger.tab);

  // The submitter committed from elsewhere (no file in this browser): its model to reveal, and where to load the file.
  const submitter = await visit(browser, testInfo, chain, 1, created.address, "Closed for submissions");
  const mine = submitter.tab.getByRole("region", { name: "Your submissions" });
  await expect(submitter.tab.getByTestId("next-actions")).toContainText(/^Reveal your model by block #[\d,]+/);
  await expect(mine).toContainText("#0 was committed from this account: load the submission file below to reveal it from this browser.");
  await expect(mine.getByLabel("Submission file")).toBeEnabled();
  await expect(submitter.tab.getByLabel("Model file")).toHaveCount(0);
  await expect(submitter.tab.getByRole("button", { name: "Commit the model" })).toHaveCount(0);
  await expectNoDisabledActions(submitter.tab);

  // The organizer (account 0): nothing to do until the test reveal; then the test reveal inputs, for them only.
  await page.goto(`/competitions/${created.address}`);
  await connectWallet(page);
  await expect(page.getByTestId("next-actions")).toContainText(/Models are revealed until block #[\d,]+.*; then you reveal the test data/);
  await expect(page.getByTestId("test-reveal-panel")).toHaveCount(0);
  await expectNoDisabledActions(page);
  await chain.mineTo(state.deadlines.modelRevealEnd);
  await expect(page.getByTestId("test-reveal-panel")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("test-reveal-panel").getByLabel("Secrets file")).toBeEnabled();
  await expect(page.getByTestId("next-actions")).toContainText(/^Reveal the test data by block #[\d,]+/);
  await expect(stranger.tab.getByTestId("next-actions")).toContainText(closedLine);
  await expect(stranger.tab.getByTestId("test-reveal-panel")).toHaveCount(0);
  await expect(stranger.tab.getByLabel("Secrets file")).toHaveCount(0);
  await stranger.close();
  await submitter.close();
});

test("at the end: Finalize for anyone, then no Donate, and Withdraw only for the winner", async ({ browser, page, chain }, testInfo) => {
  test.setTimeout(300_000);
  const created = await chain.createCompetition({ title: "All over", stage: "AwaitingFinalization", reward: "1" });
  const stranger = await visit(browser, testInfo, chain, 2, created.address, "All over");
  const actions = stranger.tab.getByRole("region", { name: "Actions" });
  await expect(stranger.tab.getByRole("region", { name: "Donate" })).toBeVisible();
  await expectNoDisabledActions(stranger.tab, [/^Finalize$/]);
  await actions.getByRole("button", { name: "Finalize" }).click();
  await expect(actions.getByTestId("transaction-status")).toContainText(/Finalize: confirmed/);
  expect((await readCompetition(chain.client, created.address)).stage).toBe("Finalized");

  // Finalized: donations cannot count any more, so there is no Donate form (nor the payment link), only the donors.
  await expect(stranger.tab.getByRole("region", { name: "Donate" })).toHaveCount(0);
  await expect(stranger.tab.getByTestId("donations-closed")).toHaveText("Donations are closed: the competition is over.");
  await expect(stranger.tab.getByRole("link", { name: "Open in wallet" })).toHaveCount(0);
  await expect(stranger.tab.getByTestId("next-actions")).toHaveText("The competition is finalized; nothing is owed to this account.");
  await expectNoDisabledActions(stranger.tab);

  // Not connected: one line and one Connect button.
  await page.goto(`/competitions/${created.address}`);
  await expect(page.getByTestId("next-actions")).toHaveText("The competition is finalized: connect a wallet to see whether anything is owed to you.");
  await expect(page.getByRole("region", { name: "Donate" })).toHaveCount(0);
  await expectNoDisabledActions(page);

  // The winner (account 1, whose model the fixture committed, revealed and evaluated) withdraws.
  const winner = await visit(browser, testInfo, chain, 1, created.address, "All over");
  await expect(winner.tab.getByTestId("next-actions")).toHaveText("The competition is finalized: withdraw what you are owed.");
  await expect(winner.tab.getByRole("button", { name: "Withdraw 1 ETH" })).toBeEnabled();
  await expect(winner.tab.getByRole("region", { name: /^(Submit a model|Your submissions)$/ })).toHaveCount(0);
  await expectNoDisabledActions(winner.tab, [/^Withdraw/]);
  await stranger.close();
  await winner.close();
});

/**
 * What a new user reads (issue 12 §5): the DaiMoN pages' symbols come with plain words next to them (DEL, d_c, δ,
 * DMZ1, "Competition · round 0"), and the account pop-up shows the balance rounded like the header (RainbowKit's own
 * pop-up showed 9,999.6999 ETH as "9,999.6").
 */
import { parseEther } from "viem";
import { connectWallet, expect, test } from "./fixtures";
import { createTestProblem } from "./daimon-helpers";

test("the account pop-up shows the balance rounded in bigint (9,999.6999 ETH, not 9,999.6), the address, and Disconnect", async ({ page, chain, wallet }) => {
  await chain.testClient.setBalance({ address: wallet.address, value: parseEther("9999.6999") });
  await page.goto("/");
  await connectWallet(page);
  await expect(page.getByTestId("wallet-balance")).toHaveText("9,999.6999 ETH");

  // The account button is named by the short address (0xf3…2266).
  const accountButton = page.getByRole("button", { name: new RegExp(`${wallet.address.slice(0, 4)}.*${wallet.address.slice(-4)}`, "i") });
  await accountButton.click();
  const dialog = page.getByRole("dialog", { name: "Your account" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId("account-balance")).toHaveText("9,999.6999 ETH");
  await expect(dialog).toContainText(wallet.address);
  await expect(dialog).not.toContainText("9,999.6 ETH");
  // Keyboard: Escape closes it and focus can reopen it.
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await accountButton.focus();
  await page.keyboard.press("Enter");
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Disconnect" }).click();
  await expect(page.getByRole("button", { name: "Connect Wallet" })).toBeVisible();
});

test("the problem page, its marketplace card and the creation wizard say in plain words what DEL, d_c, δ, DMZ1 and the round are", async ({ page, chain }) => {
  test.setTimeout(300_000);
  const p = await createTestProblem(chain, { title: "Plain words problem" });

  await page.goto(`/problems/${p.address}`);
  await expect(page.getByRole("heading", { level: 1, name: p.title })).toBeVisible({ timeout: 90_000 });
  // The round next to the phase badge.
  await expect(page.getByTestId("phase-round-gloss")).toHaveText("round 0: the 1st window of 40 blocks for proofs and votes (rounds count from 0)");
  // Every symbol is an <abbr> whose title says what it is, and the visible text next to it says it in short.
  const dc = page.locator("abbr", { hasText: /^d_c$/ }).first();
  await expect(dc).toHaveAttribute("title", /^Current best distance — /);
  await expect(page.getByText("Best distance d_c", { exact: true }).first()).toBeVisible();
  const tuple = page.getByTestId("tuple").first();
  await expect(tuple).toContainText("DEL (distance embedding for labels) function f (ONNX)");
  await expect(tuple).toContainText("a DMZ1 (the binary file of test inputs) file");
  await expect(tuple).toContainText("Target y_t (f of the true labels)");
  await expect(page.locator("abbr", { hasText: /^δ$/ }).first()).toHaveAttribute("title", /^Margin — how much a new model must beat the current best distance by/);
  // The glossary, closed by default, opens from the keyboard and explains each term.
  const glossary = page.getByTestId("daimon-glossary");
  await glossary.getByText("What these terms mean").focus();
  await page.keyboard.press("Enter");
  await expect(glossary).toContainText("DEL — distance embedding for labels");
  await expect(glossary).toContainText("a learned function that turns predicted labels into a distance");
  await expect(glossary).toContainText("d_c — current best distance");
  await expect(glossary).toContainText("δ — margin: how much better a new model must be");
  await expect(glossary).toContainText("T_b — round length, in blocks");

  // The marketplace card: the round in plain words next to "Competition · round 0".
  await page.goto("/");
  const card = page.locator(`[data-testid="problem-card"][data-address="${p.address}"]`);
  await expect(card.getByRole("link", { name: p.title })).toBeVisible({ timeout: 90_000 });
  await expect(card).toContainText("Competition · round 0");
  await expect(card.getByTestId("problem-round-gloss")).toHaveText("round 0: the 1st window of 40 blocks for proofs and votes (rounds count from 0)");

  // The wizard's first step: DEL and DMZ1 with their words, and the glossary.
  await page.goto("/problems/new");
  await expect(page.getByText("DMZ1: the binary file of test inputs, as the CLI writes it.")).toBeVisible({ timeout: 90_000 });
  await expect(page.getByText("DEL (distance embedding for labels) function f", { exact: false }).first()).toBeVisible();
  const wizardGlossary = page.getByTestId("daimon-glossary");
  await wizardGlossary.getByText("What these terms mean").click();
  await expect(wizardGlossary).toContainText("DMZ1 — the binary file of test inputs");
});

import { parseEther } from "viem";
import { dankuCompetitionAbi } from "../lib/generated/abis";
import { connectWallet, expect, test } from "./fixtures";

test("the competition page shows the stage timeline, the address to pay and the dataset download", async ({ page, chain }) => {
  const created = await chain.createCompetition({ title: "Timeline and data", reward: "2" });
  await page.goto(`/competitions/${created.address}`);
  await expect(page.getByRole("heading", { level: 1, name: "Timeline and data" })).toBeVisible();
  await expect(page.getByTestId("competition-address")).toHaveText(created.address);
  const timeline = page.getByRole("list", { name: "Stages" });
  await expect(timeline.locator('[aria-current="step"]')).toContainText("Submissions (commit)");
  await expect(timeline.locator('[aria-current="step"]')).toContainText(/blocks left/);
  await expect(page.getByTestId("prize-pool")).toHaveText("2 ETH");

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Training data (CSV)" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("timeline-and-data-training.csv");
  const text = await (await file.createReadStream()).toArray();
  const csv = Buffer.concat(text.map((c) => Buffer.from(c as Uint8Array))).toString("utf8");
  expect(csv.split("\n")[0]).toBe("x,y,label");
  expect(csv.trim().split("\n").length - 1).toBeGreaterThan(0);

  // Only what this visitor can do now (no disabled Finalize), and one line for the rest.
  await expect(page.getByRole("button", { name: "Finalize" })).toHaveCount(0);
  await expect(page.getByTestId("next-actions")).toContainText(/connect a wallet to commit it by block #/);
});

test.describe("as the submitter (account 1)", () => {
  test.use({ walletAccount: 1 });

  test("evaluates its revealed submission to the end with progress, finalizes, and withdraws the prize", async ({ page, chain, wallet }) => {
    const created = await chain.createCompetition({ title: "Evaluate me", stage: "Evaluation", reward: "1" });
    expect(wallet.address).toBe(chain.address(1));
    await page.goto(`/competitions/${created.address}`);
    await expect(page.getByRole("heading", { level: 1, name: "Evaluate me" })).toBeVisible();
    await connectWallet(page);

    const leaderboard = page.getByTestId("leaderboard");
    await expect(leaderboard).toContainText("Revealed");
    await page.getByRole("button", { name: "Evaluate #0" }).click();
    await expect(page.getByRole("progressbar", { name: "Evaluation of submission #0" })).toBeVisible();
    await expect(page.getByText(/done · [\d.]+ % correct/)).toBeVisible({ timeout: 60_000 });
    await expect(leaderboard).toContainText("Evaluated");

    // Past the evaluation period anyone may finalize; the best qualified submission wins reward + donations.
    const deadlines = await chain.client.readContract({ address: created.address, abi: dankuCompetitionAbi, functionName: "deadlines" });
    await chain.mineTo(deadlines.evaluationEnd);
    const actions = page.getByRole("region", { name: "Actions" });
    const finalize = actions.getByRole("button", { name: "Finalize" });
    await expect(finalize).toBeEnabled();
    await finalize.click();
    await expect(actions.getByTestId("transaction-status")).toHaveAttribute("data-phase", "confirmed");

    const withdraw = actions.getByRole("button", { name: "Withdraw 1 ETH" });
    await expect(withdraw).toBeEnabled();
    const before = await chain.balance(wallet.address);
    await withdraw.click();
    await expect(actions.getByTestId("transaction-status")).toContainText("confirmed");
    const after = await chain.balance(wallet.address);
    // The prize minus gas.
    expect(after - before).toBeGreaterThan(parseEther("0.99"));
    expect(after - before).toBeLessThanOrEqual(parseEther("1"));
    await expect(actions.getByRole("button", { name: /^Withdraw/ })).toHaveCount(0);
    await expect(actions.getByTestId("next-actions")).toHaveText("The competition is finalized; nothing is owed to this account.");
  });
});

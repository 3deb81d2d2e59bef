import { parseEther } from "viem";
import { readCompetition } from "../lib/chain/danku";
import { connectWallet, expect, test } from "./fixtures";
import { NetworkGuard } from "./fixtures/network";
import { TestWallet } from "./fixtures/wallet";
import { gasSpent } from "./submitter-helpers";

test("a cancel after the seed block burns the reward; the donor still withdraws exactly what they put in", async ({ browser, page, chain, wallet: organizer }, testInfo) => {
  const created = await chain.createCompetition({ title: "Called off", stage: "TrainingReveal", reward: "1.5" });
  const donor = chain.wallet(3);
  const donation = parseEther("0.4");
  const donationTx = await donor.sendTransaction({ account: donor.account, chain: donor.chain, to: created.address, value: donation });
  await chain.client.waitForTransactionReceipt({ hash: donationTx });
  const organizerBefore = await chain.balance(organizer.address);
  const donorBefore = await chain.balance(donor.account.address);

  await page.goto(`/competitions/${created.address}`);
  await expect(page.getByRole("heading", { level: 1, name: "Called off" })).toBeVisible();
  await connectWallet(page);
  const actions = page.getByRole("region", { name: "Actions" });
  await actions.getByRole("button", { name: "Cancel competition" }).click();
  await expect(actions.getByTestId("transaction-status")).toContainText(/Cancel the competition: confirmed in block #\d+/);
  const cancelled = await readCompetition(chain.client, created.address);
  expect(cancelled.stage).toBe("Cancelled");
  // The split was drawn (the seed block is mined): backing out forfeits the reward, for ever.
  expect(cancelled.rewardForfeited).toBe(true);
  await expect(page.getByTestId("reward-forfeited")).toContainText("the reward of 1.5 ETH is burned");
  await expect(actions.getByRole("button", { name: /^Withdraw/ })).toHaveCount(0);
  await expect(actions.getByTestId("next-actions")).toContainText("nothing is owed to this account");

  // The donor, in a browser of their own.
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const guard = new NetworkGuard(context);
  const tab = await context.newPage();
  const donorWallet = new TestWallet(chain.chain, chain.rpcUrl, 3);
  await donorWallet.install(tab);
  await tab.goto(`/competitions/${created.address}`);
  await connectWallet(tab);
  const donorActions = tab.getByRole("region", { name: "Actions" });
  await donorActions.getByRole("button", { name: "Withdraw 0.4 ETH" }).click();
  await expect(donorActions.getByTestId("transaction-status")).toContainText(/Withdraw 0.4 ETH: confirmed/);

  // The burned reward stays in the contract; the organizer only paid gas.
  expect(await chain.balance(created.address)).toBe(parseEther("1.5"));
  expect(await chain.balance(organizer.address)).toBe(organizerBefore - (await gasSpent(chain, organizer.sentTransactions)));
  expect(await chain.balance(donor.account.address)).toBe(donorBefore + donation - (await gasSpent(chain, donorWallet.sentTransactions)));
  expect(guard.external).toEqual([]);
  await context.close();
});

test("a cancel before the seed block is free: the organizer withdraws the whole reward", async ({ page, chain, wallet: organizer }) => {
  const created = await chain.createCompetition({ title: "Changed my mind", stage: "AwaitingSplit", reward: "1.5" });
  const before = await readCompetition(chain.client, created.address);
  expect(before.blockNumber).toBeLessThan(before.deadlines.splitSeedBlock - 1n);
  const organizerBefore = await chain.balance(organizer.address);

  await page.goto(`/competitions/${created.address}`);
  await expect(page.getByRole("heading", { level: 1, name: "Changed my mind" })).toBeVisible();
  await connectWallet(page);
  const actions = page.getByRole("region", { name: "Actions" });
  await expect(actions).toContainText(/cancel for free until block #\d+ \(the seed block\)/);
  await actions.getByRole("button", { name: "Cancel competition" }).click();
  await expect(actions.getByTestId("transaction-status")).toContainText(/Cancel the competition: confirmed in block #\d+/);
  const cancelled = await readCompetition(chain.client, created.address);
  expect(cancelled.stage).toBe("Cancelled");
  expect(cancelled.rewardForfeited).toBe(false);
  await actions.getByRole("button", { name: "Withdraw 1.5 ETH" }).click();
  await expect(actions.getByTestId("transaction-status")).toContainText(/Withdraw 1.5 ETH: confirmed/);
  expect(await chain.balance(created.address)).toBe(0n);
  expect(await chain.balance(organizer.address)).toBe(organizerBefore + parseEther("1.5") - (await gasSpent(chain, organizer.sentTransactions)));
});

import { parseEther } from "viem";
import { connectWallet, expect, test } from "./fixtures";

test("donating from the competition page raises its balance by exactly the amount", async ({ page, chain, wallet }) => {
  const created = await chain.createCompetition({ title: "Donation target", reward: "1" });
  await page.goto(`/competitions/${created.address}`);
  await expect(page.getByRole("heading", { level: 1, name: "Donation target" })).toBeVisible();
  await connectWallet(page);

  const before = await chain.balance(created.address);
  const donate = page.getByRole("region", { name: "Donate" });
  await donate.getByLabel("Amount").fill("0.123456789");
  await donate.getByRole("button", { name: "Donate" }).click();
  const status = donate.getByTestId("transaction-status");
  await expect(status).toHaveAttribute("data-phase", "confirmed");
  await expect(status).toContainText(/confirmed in block #\d+/);
  expect((await chain.balance(created.address)) - before).toBe(parseEther("0.123456789"));

  // The page catches up on its own: totals and the donors list.
  // 0.123456789 ETH, rounded half up to four decimals (lib/web/format formatEth).
  await expect(page.getByTestId("total-donations")).toHaveText("0.1235 ETH");
  const donors = page.getByTestId("donors");
  await expect(donors).toContainText("you");
  await expect(donors).toContainText(wallet.address.slice(0, 6));
});

test("invalid donation amounts are explained before anything is sent", async ({ page, chain, wallet }) => {
  const created = await chain.createCompetition({ title: "Validation" });
  await page.goto(`/competitions/${created.address}`);
  await connectWallet(page);
  const donate = page.getByRole("region", { name: "Donate" });
  const amount = donate.getByLabel("Amount");
  await amount.fill("0");
  await amount.blur();
  await expect(donate).toContainText("A donation must be more than 0 ETH.");
  await amount.fill("1,5");
  await expect(donate).toContainText("Use a plain decimal number");
  await amount.fill("100000000");
  await expect(donate).toContainText("Your balance is");
  await expect(donate.getByRole("button", { name: "Donate" })).toBeDisabled();
  expect(wallet.requests).not.toContain("eth_sendTransaction");
});

test("a rejected signature shows a calm message and the page keeps working", async ({ page, chain, wallet }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const created = await chain.createCompetition({ title: "Rejection" });
  await page.goto(`/competitions/${created.address}`);
  await connectWallet(page);
  const before = await chain.balance(created.address);

  wallet.rejectNext("eth_sendTransaction");
  const donate = page.getByRole("region", { name: "Donate" });
  await donate.getByLabel("Amount").fill("0.5");
  await donate.getByRole("button", { name: "Donate" }).click();
  const status = donate.getByTestId("transaction-status");
  await expect(status).toHaveAttribute("data-phase", "rejected");
  await expect(status).toHaveText("You rejected the request in your wallet; nothing was sent.Dismiss");
  await expect(status).toHaveAttribute("role", "status");
  expect(await chain.balance(created.address)).toBe(before);

  // Nothing crashed: the same form sends the next attempt.
  await donate.getByRole("button", { name: "Donate" }).click();
  await expect(status).toHaveAttribute("data-phase", "confirmed");
  expect((await chain.balance(created.address)) - before).toBe(parseEther("0.5"));
  expect(errors).toEqual([]);
});

test("a wallet on the wrong network is asked to switch; the banner's button switches it back", async ({ page, chain, wallet }) => {
  await chain.createCompetition({ title: "Network check" });
  await wallet.setChainId(1);
  await page.goto("/");
  // Connecting from another chain asks the wallet to switch right away.
  await connectWallet(page);
  expect(wallet.requests).toContain("wallet_switchEthereumChain");
  expect(wallet.chainId).toBe(31337);
  const banner = page.getByRole("alert").filter({ hasText: "Wrong network" });
  await expect(banner).toHaveCount(0);

  // The user moves the wallet to another network: the banner explains and offers the way back.
  await wallet.setChainId(1);
  await expect(banner).toBeVisible();
  await expect(banner).toContainText("Your wallet is on chain 1");
  await expect(banner).toContainText("Hardhat (local) (chain 31337)");
  await banner.getByRole("button", { name: "Switch to Hardhat (local)" }).click();
  await expect(banner).toHaveCount(0);
  expect(wallet.chainId).toBe(31337);
});

test("a declined network switch keeps the banner and says so calmly", async ({ page, chain, wallet }) => {
  await chain.createCompetition({ title: "Declined switch" });
  await page.goto("/");
  await connectWallet(page);
  await wallet.setChainId(1);
  const banner = page.getByRole("alert").filter({ hasText: "Wrong network" });
  await expect(banner).toBeVisible();
  wallet.rejectNext("wallet_switchEthereumChain");
  await banner.getByRole("button", { name: /Switch to/ }).click();
  await expect(banner).toContainText("You rejected the request in your wallet; nothing was sent.");
  expect(wallet.chainId).toBe(1);
});

test("a wallet that reports another chain while connected brings the banner back", async ({ page, chain, wallet }) => {
  await chain.createCompetition({ title: "Chain change" });
  await page.goto("/");
  await connectWallet(page);
  await expect(page.getByText("Wrong network.")).toHaveCount(0);
  await wallet.setChainId(11155111);
  await expect(page.getByRole("alert").filter({ hasText: "Wrong network" })).toContainText("chain 11155111");
});

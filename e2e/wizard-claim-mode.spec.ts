import { writeFileSync } from "node:fs";
import { formatEther } from "viem";
import { listCompetitions, readCompetition } from "../lib/chain/danku";
import { readClaimTerms, readEvaluationMode } from "../lib/chain/claims";
import { claimBond } from "../lib/danku/claims";
import { worstCaseDisputeGas } from "../lib/danku/claimCosts";
import { connectWallet, expect, test } from "./fixtures";
import { prepareDraft, shot, syntheticCsv, wizard } from "./organizer-helpers";

test("the wizard creates a claim-mode competition: terms checked as typed, bond, window and dispute gas shown, terms on chain as entered", async ({
  page,
  chain,
  wallet,
}, testInfo) => {
  const csv = testInfo.outputPath("claim.csv");
  // 100 points in groups of 5: 20 groups, 16 training and 4 test, so 20 test points and a predictions vector of 20 bytes.
  writeFileSync(csv, syntheticCsv(100, 4));
  await page.goto("/competitions/new");
  await connectWallet(page);

  const bondGasPrice = 2_500_000_000n;
  await prepareDraft(page, {
    csv,
    title: "Claimed sensors",
    groups: { by: "size", value: "5" },
    testInfo,
    settings: async (p) => {
      await p.getByRole("radio", { name: /Claimed scores with one-point disputes/ }).check();
      const window = p.getByRole("textbox", { name: "Challenge window (blocks)" });
      const price = p.getByRole("textbox", { name: "Bond gas price (gwei)" });
      const next = p.getByRole("button", { name: "Continue to secrets" });

      // Out of the contract's bounds: a message that names them, and no way on.
      await window.fill("9");
      await expect(p.getByText("Enter a whole number of blocks between 10 and 100,000.")).toBeVisible();
      await expect(next).toBeDisabled();
      await window.fill("40");
      await price.fill("0.5");
      await expect(p.getByText("Enter a gas price in gwei between 1 and 10,000 (at most 9 decimals).")).toBeVisible();
      await expect(next).toBeDisabled();
      await price.fill("2.5");
      await expect(next).toBeEnabled();

      const terms = p.getByTestId("claim-terms-summary");
      await expect(p.getByTestId("claim-bond")).toHaveText(`${formatEther(claimBond(bondGasPrice))} ETH`);
      await expect(p.getByTestId("claim-window")).toContainText("40 blocks");
      const gas = worstCaseDisputeGas(20, 4);
      await expect(p.getByTestId("claim-dispute-gas")).toContainText(`${gas.total.toLocaleString("en-US")} gas`);
      await expect(terms).toBeVisible();
      await shot(p, testInfo, "claim-settings");
    },
  });

  // The choice survives a reload (the draft in IndexedDB) and the summary names the mode and its terms.
  await page.reload();
  await expect(wizard(page)).toHaveAttribute("data-step", "create");
  const summary = page.getByTestId("create-summary");
  await expect(page.getByTestId("create-evaluation-mode")).toHaveText("Claimed scores with one-point disputes");
  await expect(summary).toContainText(`${formatEther(claimBond(bondGasPrice))} ETH`);
  await expect(summary).not.toContainText("Evaluation fits");

  await page.getByRole("button", { name: /Create competition and escrow 1 ETH/ }).click();
  await expect(wizard(page)).toHaveAttribute("data-step", "split");
  await expect(page.getByTestId("transaction-status").first()).toHaveAttribute("data-phase", "confirmed");

  const listed = await listCompetitions(chain.client, chain.factory);
  const created = listed.filter((c) => c.organizer === wallet.address).at(-1);
  expect(created, "the wizard's competition is listed by the factory").toBeDefined();
  const address = created!.address;
  expect((await readCompetition(chain.client, address)).groupCount).toBe(20);
  // evaluationMode() == 1 and claimTerms() exactly what was typed.
  expect(await readEvaluationMode(chain.client, address)).toBe("claim");
  expect(await readClaimTerms(chain.client, address)).toEqual({ challengeWindow: 40, bondGasPrice, bond: claimBond(bondGasPrice) });
});

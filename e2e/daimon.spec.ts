/**
 * DaiMoN through the UI on the local chain: one full round (an improver proves and submits from the page, two
 * validators in their own browsers verify and vote, a committer commits the block, the validators claim), with
 * token balances checked to the base unit against lib/daimon/fixedPoint.ts; and a proof whose outputs do not come
 * from its model, which VERIFY refuses with a reason while the vote stays disabled; and PROVE on WebGPU (SwiftShader)
 * against WASM, within the ±1 unit validators accept.
 */
import { hexToBytes } from "viem";
import { readProblem, readProofs, readTokenBalance, readVote, registerModel, submitProof } from "../lib/chain/daimon";
import { DAIMON_LIMITS, WAD, improverReward, unpackVector, validatorShare } from "../lib/daimon/fixedPoint";
import { roundWindow } from "../lib/web/daimon";
import { connectWallet, expect, test } from "./fixtures";
import { chromiumWithWebGpu } from "./fixtures/settings";
import { centroidModel, closeAll, constantModel, createTestProblem, openAs, proofRow, proveInNode, region, uploadBytes } from "./daimon-helpers";

/** The vote button names the bond it sends (docs/daimon.md §14.4). */
const VOTE_BUTTON = /^Vote · bond 0\.001 ETH$/;

// Chromium with WebGPU (a SwiftShader adapter, on the CPU) for the whole file: "Automatic" still picks WASM on a
// software adapter, so only the test that chooses WebGPU runs on it.
test.use({ launchOptions: chromiumWithWebGpu });

const fixed6 = (d: bigint) => (Number(d) / 1e18).toFixed(6);

test.describe("as a model improver (account 1)", () => {
  test.use({ walletAccount: 1 });

  test("one full round: prove and submit from the page, two validators verify and vote, a committer commits, balances to the base unit", async ({
    page,
    browser,
    chain,
    wallet: improver,
  }, testInfo) => {
    test.setTimeout(600_000);
    const p = await createTestProblem(chain, { title: "Fault class from four readings" });
    const model = centroidModel(p, 0.05, 3);
    const expected = await proveInNode(p, model, improver.address);
    expect(expected.distance + p.config.margin).toBeLessThan(WAD);

    // The problem is listed with the competitions, with its protocol, phase and token.
    await page.goto("/");
    const card = page.locator(`[data-testid="problem-card"][data-address="${p.address}"]`);
    await expect(card.getByRole("link", { name: p.title })).toBeVisible({ timeout: 90_000 });
    await expect(card).toContainText("DaiMoN");
    await expect(card).toContainText("Competition · round 0");
    await expect(card.getByTestId("problem-token")).toContainText("EFT");
    await expect(card.getByTestId("problem-improvements")).toContainText("0");
    await page.getByLabel("Protocol").selectOption("danku");
    await expect(card).toHaveCount(0);
    await page.getByLabel("Protocol").selectOption("daimon");
    await expect(card).toBeVisible();
    await expect(page.locator('[data-testid="competition-card"]')).toHaveCount(0);
    await page.getByLabel("Search").fill("EFT");
    await expect(card).toBeVisible();
    await card.getByRole("link", { name: p.title }).click();
    await expect(page).toHaveURL(new RegExp(`/problems/${p.address}`, "i"));
    await expect(page.getByRole("heading", { level: 1, name: p.title })).toBeVisible({ timeout: 90_000 });
    await expect(page.getByTestId("token-address")).toHaveText(p.token);
    await expect(page.getByTestId("problem-phase")).toHaveText("Competition");
    // Block #0 is committed lazily, by the first competition action (here: the registration).
    await expect(page.getByTestId("chain-block-pending")).toContainText("anyone can commit it");

    // PROVE in the browser: the same CID and distance as PROVE in Node.
    await connectAndProve(page, model);
    const improve = region(page, "Improve the model");
    await expect(improve.getByTestId("proof-cid")).toHaveText(expected.cid);
    await expect(improve.getByTestId("proof-distance")).toHaveText(fixed6(expected.distance));
    await expect(improve.getByTestId("proof-beats")).toContainText("Beats the best distance");
    await expect(improve.getByRole("button", { name: "Submit the proof" })).toBeDisabled();
    await expect(improve.getByTestId("submit-status")).toContainText("Register the model first");

    // Register (the CID and the outputs stay hidden), wait REGISTRATION_AGE blocks, submit; then the model goes to IPFS.
    await improve.getByRole("button", { name: "Register" }).click();
    await expect(improve.getByTestId("transaction-status")).toContainText(/Register the model: confirmed in block #\d+/);
    const registeredAt = await waitForRegistrationAge(improve, chain);
    await expect(page.locator('[data-testid="chain-block"][data-block="0"]')).toBeVisible();
    await improve.getByRole("button", { name: "Submit the proof" }).click();
    await expect(improve.getByTestId("transaction-status")).toContainText(/Submit the proof: confirmed/);
    await expect(improve.getByTestId("proof-submitted")).toContainText(`Proof #0 accepted in round 0 with d = ${fixed6(expected.distance)}`);
    await expect(improve.getByTestId("model-published")).toContainText(expected.cid, { timeout: 60_000 });
    expect((await readProofs(chain.client, p.address))[0]?.blockNumber).toBe(registeredAt + DAIMON_LIMITS.REGISTRATION_AGE);
    const [onChain] = await readProofs(chain.client, p.address);
    expect(onChain?.outputs).toBe(expected.packedOutputs);
    expect(onChain?.distance).toBe(expected.distance);
    expect(onChain?.proofHash).toBe(expected.proofHash);
    // An improver cannot vote for his own proof.
    await expect(proofRow(page, 0).getByTestId("vote-reason")).toContainText("improvers cannot vote");

    // Two validators, each in a browser of their own: Verify (model from IPFS, run in the browser), then Vote.
    const url = `/problems/${p.address}`;
    const validators = [await openAs(browser, testInfo, chain, 2, url, p.title), await openAs(browser, testInfo, chain, 3, url, p.title)];
    for (const [i, v] of validators.entries()) {
      const row = proofRow(v.tab, 0);
      await expect(row.getByRole("button", { name: VOTE_BUTTON })).toBeDisabled();
      await expect(row.getByTestId("vote-reason")).toContainText("Verify the proof first");
      await row.getByRole("button", { name: "Verify", exact: true }).click();
      const result = row.getByTestId("verify-result");
      await expect(result).toHaveAttribute("data-verified", "true", { timeout: 90_000 });
      await expect(result).toContainText("reproduces the submitted y");
      if (i === 0) {
        // Declining the signature is a normal choice: a calm message, nothing sent, and the vote can be cast after.
        v.wallet.rejectNext("eth_sendTransaction");
        await row.getByRole("button", { name: VOTE_BUTTON }).click();
        const status = region(v.tab, "Pending proofs").getByTestId("transaction-status");
        await expect(status).toHaveAttribute("data-phase", "rejected");
        await expect(status).toContainText("You rejected the request in your wallet; nothing was sent.");
        expect(v.wallet.sentTransactions).toEqual([]);
      }
      await row.getByRole("button", { name: VOTE_BUTTON }).click();
      await expect(region(v.tab, "Pending proofs").getByTestId("transaction-status")).toContainText(/Vote for proof #0 \(bond 0\.001 ETH\): confirmed/);
      await expect(row.getByTestId("vote-reason")).toContainText(`You voted for this proof (validator #${i + 1})`);
      await expect(row.getByRole("button", { name: VOTE_BUTTON })).toBeDisabled();
      await expect(row.getByTestId("proof-votes")).toHaveText(`${i + 1} / 2`);
    }

    // The round ends; a committer (account 4, nothing to do with the proof) commits the block from the page.
    const state = await readProblem(chain.client, p.address);
    const end = roundWindow(0n, state).end;
    const committer = await openAs(browser, testInfo, chain, 4, url, p.title);
    const commit = region(committer.tab, "Commit blocks");
    await expect(commit.getByRole("button", { name: "Commit block", exact: true })).toBeDisabled();
    await expect(commit.getByTestId("action-reason").first()).toContainText(`Round 0 is still open: it can be committed from block #${end}`);
    await chain.mineTo(end - 1n);
    await expect(commit.getByRole("button", { name: "Commit block", exact: true })).toBeEnabled();
    await expect(commit.getByTestId("action-reason").first()).toContainText("proof #0 leads with 2 votes");
    await commit.getByRole("button", { name: "Commit block", exact: true }).click();
    await expect(commit.getByTestId("transaction-status")).toContainText(/Commit block #1: confirmed/);
    await expect(commit.getByTestId("commit-outcome")).toContainText(`Block #1 committed: d = ${fixed6(expected.distance)}`);

    // The validators pull their shares, then their vote bonds (the proof survived its round), from the page.
    for (const v of validators) {
      const rewards = region(v.tab, "Validator rewards");
      await rewards.getByRole("button", { name: "Claim block #1" }).click();
      await expect(rewards.getByTestId("transaction-status").first()).toContainText(/Claim .* for block #1: confirmed/);
      const bond = rewards.getByTestId("vote-bond");
      await expect(bond.getByTestId("vote-bond-reason")).toContainText("Proof #0 survived round 0: withdraw your 0.001 ETH.");
      await bond.getByRole("button", { name: "Withdraw vote bond" }).click();
      await expect(bond.getByRole("button", { name: "Withdrawn" })).toBeDisabled();
      expect((await readVote(chain.client, p.address, 0n, v.address)).bondWithdrawn).toBe(true);
    }

    // Balances to the base unit: R(d, 1) · rewardScale for the improver, ⌊⌊that / 4⌋ / 2⌋ for each of the two validators.
    const reward = improverReward(expected.distance, WAD, p.config.rewardShape, p.config.rewardScale);
    expect(reward).toBeGreaterThan(0n);
    const balance = (address: `0x${string}`) => readTokenBalance(chain.client, p.token, address);
    expect(await balance(improver.address)).toBe(reward);
    expect(await balance(validators[0]!.address)).toBe(validatorShare(reward, 2));
    expect(await balance(validators[1]!.address)).toBe(validatorShare(reward, 2));
    expect(await balance(committer.address)).toBe(0n);
    expect(validatorShare(reward, 2)).toBe(reward / 4n / 2n);

    // The improver's page shows the new block, the chain check, the chart and the holders.
    const block = page.locator('[data-testid="chain-block"][data-block="1"]');
    await expect(block).toBeVisible();
    await expect(block.getByTestId("block-distance")).toHaveText(fixed6(expected.distance));
    await expect(page.getByTestId("chain-verified")).toBeVisible();
    await expect(page.getByTestId("improvement-blocks")).toHaveText("1");
    await expect(page.getByTestId("distance-chart").locator("circle")).toHaveCount(2);
    await expect(page.getByTestId("distance-chart").getByRole("img")).toHaveAccessibleName(/Distance and estimated accuracy/);
    const holders = page.getByTestId("token-holder");
    await expect(holders).toHaveCount(3);
    await expect(holders.first()).toHaveAttribute("data-address", improver.address);
    await expect(region(page, "Validator rewards").getByTestId("no-validator-rewards")).toBeVisible();

    await page.goto("/");
    await expect(card.getByTestId("problem-improvements")).toHaveText("1");
    await expect(card.getByTestId("problem-best-distance")).toHaveText((Number(expected.distance) / 1e18).toFixed(4));
    await closeAll([...validators, committer]);
  });
});

test.describe("as a validator (account 2)", () => {
  test.use({ walletAccount: 2 });

  test("a proof whose outputs are not its model's fails VERIFY with the reason, and the vote stays disabled; another model file fails the digest", async ({ page, chain, wallet }) => {
    test.setTimeout(300_000);
    const p = await createTestProblem(chain, { title: "Tampered proofs are refused" });
    // The improver registers and publishes a model that says "class 0" for everything, but submits the y of a good model.
    const published = constantModel();
    const good = centroidModel(p, 0, 1);
    const honest = await proveInNode(p, published);
    const borrowed = await proveInNode(p, good);
    const cheater = chain.wallet(1);
    const registered = await registerModel(cheater, chain.client, p.address, honest.cid, borrowed.packedOutputs);
    await chain.mineTo(registered.usableFrom - 1n);
    const submitted = await submitProof(cheater, chain.client, p.address, honest.cid, honest.binding, borrowed.packedOutputs);
    expect(await uploadBytes(published)).toBe(honest.cid);
    expect(submitted.distance).toBe(borrowed.distance);

    await page.goto(`/problems/${p.address}`);
    await expect(page.getByRole("heading", { level: 1, name: p.title })).toBeVisible({ timeout: 90_000 });
    await connectWallet(page);
    const row = proofRow(page, submitted.proofId);
    await row.getByRole("button", { name: "Verify", exact: true }).click();
    const result = row.getByTestId("verify-result");
    await expect(result).toHaveAttribute("data-verified", "false", { timeout: 90_000 });
    await expect(result.locator('[data-check="digest"]')).toHaveAttribute("data-ok", "true");
    await expect(result.locator('[data-check="outputs"]')).toHaveAttribute("data-ok", "false");
    await expect(result.locator('[data-check="outputs"]')).toContainText(/differ from f\(M\(Z\)\).*the proof's y is not what this model produces/);
    await expect(row.getByRole("button", { name: VOTE_BUTTON })).toBeDisabled();
    await expect(row.getByTestId("vote-reason")).toHaveText("The proof did not verify, so you should not vote for it.");

    // Another model file (the good one) is not the proof's model: the digest check says so.
    await row.getByLabel(`Model file to verify proof #${submitted.proofId} with`).setInputFiles({ name: "other.onnx", mimeType: "application/octet-stream", buffer: Buffer.from(good) });
    await expect(result).toContainText("other.onnx");
    await expect(result.locator('[data-check="digest"]')).toHaveAttribute("data-ok", "false");
    await expect(result.locator('[data-check="digest"]')).toContainText(`the proof names ${honest.cid}: this is not the proof's model`);
    await expect(row.getByRole("button", { name: VOTE_BUTTON })).toBeDisabled();
    expect(wallet.sentTransactions).toEqual([]);
  });
});

test.describe("on WebGPU (SwiftShader in headless Chromium)", () => {
  test.use({ walletAccount: 1 });

  test("PROVE on WebGPU agrees with WASM within ±1 unit per entry, and a validator on WASM verifies the submitted proof", async ({ page, browser, chain, wallet: improver }, testInfo) => {
    test.setTimeout(300_000);
    const p = await createTestProblem(chain, { title: "Proved on WebGPU" });
    const model = centroidModel(p, 0.1, 7);
    const onWasm = await proveInNode(p, model, improver.address);

    await page.goto(`/problems/${p.address}`);
    await expect(page.getByRole("heading", { level: 1, name: p.title })).toBeVisible({ timeout: 90_000 });
    const improve = region(page, "Improve the model");
    await improve.getByLabel("ONNX Runtime backend").selectOption("webgpu");
    await connectAndProve(page, model);
    await expect(improve.getByTestId("prove-result")).toContainText("with WebGPU");
    await expect(improve.getByTestId("proof-cid")).toHaveText(onWasm.cid);
    await improve.getByRole("button", { name: "Register" }).click();
    await waitForRegistrationAge(improve, chain);
    await improve.getByRole("button", { name: "Submit the proof" }).click();
    await expect(improve.getByTestId("proof-submitted")).toBeVisible();
    await expect(improve.getByTestId("model-published")).toContainText(onWasm.cid, { timeout: 60_000 });

    const [onChain] = await readProofs(chain.client, p.address);
    const submitted = unpackVector(hexToBytes(onChain!.outputs));
    const reference = onWasm.outputs.flat();
    expect(submitted).toHaveLength(reference.length);
    expect(Math.max(...submitted.map((v, i) => Math.abs(v - reference[i]!)))).toBeLessThanOrEqual(1);

    const validator = await openAs(browser, testInfo, chain, 2, `/problems/${p.address}`, p.title);
    await region(validator.tab, "Pending proofs").getByLabel("ONNX Runtime backend").selectOption("wasm");
    const row = proofRow(validator.tab, 0);
    await row.getByRole("button", { name: "Verify", exact: true }).click();
    await expect(row.getByTestId("verify-result")).toHaveAttribute("data-verified", "true", { timeout: 90_000 });
    await expect(row.getByTestId("verify-result")).toContainText("on WASM");
    await expect(row.getByRole("button", { name: VOTE_BUTTON })).toBeEnabled();
    await closeAll([validator]);
  });
});

/**
 * After "Register": the page says "usable from block #N" with a countdown and keeps Submit disabled; the chain is
 * mined up to the block before N (the next transaction lands in N), and Submit turns enabled. Returns the registration's block.
 */
async function waitForRegistrationAge(improve: import("@playwright/test").Locator, chain: { mineTo: (block: bigint) => Promise<void> }): Promise<bigint> {
  const status = improve.getByTestId("registration-status");
  await expect(status).toContainText(/Registered in block #[\d,]+, usable from block #[\d,]+\./);
  const [, at, from] = /Registered in block #([\d,]+), usable from block #([\d,]+)/.exec((await status.textContent()) ?? "") ?? [];
  const registeredAt = BigInt((at ?? "0").replaceAll(",", ""));
  const usableFrom = BigInt((from ?? "0").replaceAll(",", ""));
  expect(usableFrom).toBe(registeredAt + DAIMON_LIMITS.REGISTRATION_AGE);
  await expect(improve.getByTestId("registration-age")).toBeVisible();
  await expect(improve.getByRole("button", { name: "Submit the proof" })).toBeDisabled();
  await expect(improve.getByTestId("submit-status")).toContainText(`usable from block #`);
  await chain.mineTo(usableFrom - 1n);
  await expect(improve.getByTestId("registration-age")).toContainText("ready", { timeout: 30_000 });
  await expect(improve.getByRole("button", { name: "Submit the proof" })).toBeEnabled();
  return registeredAt;
}

async function connectAndProve(page: import("@playwright/test").Page, model: Uint8Array): Promise<void> {
  await connectWallet(page);
  const improve = region(page, "Improve the model");
  await improve.getByLabel("Model file (ONNX)").setInputFiles({ name: "centroids.onnx", mimeType: "application/octet-stream", buffer: Buffer.from(model) });
  // The first run compiles the worker and loads ORT's wasm in `next dev`.
  await expect(improve.getByTestId("prove-result")).toBeVisible({ timeout: 120_000 });
}

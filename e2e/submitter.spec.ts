import { writeFileSync } from "node:fs";
import { getAddress, parseEther, toHex, type Hex } from "viem";
import { readRevealedPoints, readSubmission, readCompetition, readWithdrawable } from "../lib/chain/danku";
import { commitSubmission } from "../lib/chain/flows";
import { sendContractTransaction } from "../lib/chain/transactions";
import { dankuCompetitionAbi } from "../lib/generated/abis";
import { encodeModel, modelHash, submissionCommitment } from "../lib/danku/encoding";
import { randomBytes32 } from "../lib/danku/random";
import { formatEth } from "../lib/web/format";
import { trainBaselineMlp } from "../lib/danku/train";
import type { FloatModel } from "../lib/danku/floatModel";
import { MAX_MODEL_FILE_BYTES, prepareSubmissionModel } from "../lib/danku/modelImport";
import { onnxWithUnsupportedOperator, torchStyleOnnx } from "../test/support/torchOnnx";
import { connectWallet, expect, test } from "./fixtures";
import { NetworkGuard } from "./fixtures/network";
import { TestWallet } from "./fixtures/wallet";
import { prepareDraft } from "./organizer-helpers";
import { commitPreviewedModel, expectedScore, gasSpent, previewModelFile, revealCommittedModel, submitPanel } from "./submitter-helpers";

const SHAPE = { featureCount: 2, classCount: 2 };
const json = (model: FloatModel) => Buffer.from(JSON.stringify(model));

test.describe("as a data scientist (account 1)", () => {
  test.use({ walletAccount: 1 });

  test("with the test data withheld, no evaluation is offered, each revealed submitter withdraws an equal share of the reward and the donor its donation, to the wei", async ({
    page,
    chain,
    wallet,
  }) => {
    // A reward of 1 ETH + 1 wei does not split evenly over two submissions.
    const created = await chain.createCompetition({ title: "Nobody reveals", stage: "Submission", reward: "1.000000000000000001" });
    const competition = created.address;
    const training = await readRevealedPoints(chain.client, competition, true, SHAPE.featureCount);
    const model = trainBaselineMlp(training, { hidden: 4, classes: 2, epochs: 20, seed: 5, rate: 0.05 });
    const expected = expectedScore(model, training, training, SHAPE);
    // A donation of 0.5 ETH + 1 wei: refunded to the donor when the test data is withheld, never shared.
    const donor = chain.wallet(4);
    const donation = parseEther("0.5") + 1n;
    const donationTx = await donor.sendTransaction({ account: donor.account, chain: donor.chain, to: competition, value: donation });
    await chain.client.waitForTransactionReceipt({ hash: donationTx });

    await page.goto(`/competitions/${competition}`);
    await expect(page.getByRole("heading", { level: 1, name: "Nobody reveals" })).toBeVisible();
    await connectWallet(page);
    const panel = submitPanel(page);
    await previewModelFile(page, { name: "model.json", buffer: json(model) });
    await expect(panel.getByTestId("training-onchain-score")).toContainText(`${expected.correct} / ${expected.total}`);
    await expect(panel.getByTestId("preview-backend")).toHaveText("ONNX Runtime Web on WASM");
    await expect(panel.getByTestId("preview-notes")).toContainText(/WASM/);
    await expect(panel.getByTestId("confusion-matrix")).toBeVisible();
    await expect(panel.getByTestId("per-class-accuracy")).toBeVisible();
    await expect(panel.getByTestId("preview-gas")).toContainText(/gas in 1 transaction/);
    // This Chromium has no WebGPU adapter (no --enable-unsafe-webgpu): asking for WebGPU falls back to WASM, and says so.
    await panel.getByLabel("Scoring backend").selectOption("webgpu");
    await expect(panel.getByTestId("preview-notes")).toContainText(/running on WASM/, { timeout: 60_000 });
    await expect(panel.getByTestId("preview-backend")).toHaveText("ONNX Runtime Web on WASM");
    await expect(panel.getByTestId("training-onchain-score")).toContainText(`${expected.correct} / ${expected.total}`);

    const { submissionFile, ipfsUploads } = await commitPreviewedModel(page);
    const mine = panel.getByTestId("my-submission");
    await expect(mine).toContainText("Submission #0");
    await expect(mine.getByTestId("next-step")).toContainText("Reveal it after the submission period");

    // A second data scientist (account 2) commits through the library and reveals first (so gets the remainder).
    const other = chain.wallet(2);
    const otherModel = encodeModel(prepareSubmissionModel(trainBaselineMlp(training, { hidden: 3, classes: 2, epochs: 10, seed: 9, rate: 0.05 }), training, SHAPE).model);
    const salt = randomBytes32();
    const commitment = submissionCommitment({ competition, submitter: other.account.address, modelHash: modelHash(otherModel), salt });
    const otherTxs: Hex[] = [];
    const committed = await commitSubmission(other, chain.client, { competition, commitment });
    otherTxs.push(committed.transaction);

    let state = await readCompetition(chain.client, competition);
    await chain.mineTo(state.deadlines.submissionEnd);
    const revealed = await sendContractTransaction(other, chain.client, {
      address: competition,
      abi: dankuCompetitionAbi,
      functionName: "revealModel",
      args: [BigInt(committed.submissionId), toHex(otherModel), salt],
    });
    otherTxs.push(revealed.hash);
    // Committed, not revealed: the model never left the browser (no IPFS upload), though the other model is revealed.
    expect(ipfsUploads).toEqual([]);
    await revealCommittedModel(page, 0, submissionFile);
    expect(ipfsUploads).toHaveLength(1);
    expect((await readSubmission(chain.client, competition, 0)).revealed).toBe(true);

    // The organizer lets the test-reveal period lapse: no evaluation at all (no training-data fallback any more).
    state = await readCompetition(chain.client, competition);
    await chain.mineTo(state.deadlines.testRevealEnd);
    await expect(page.getByTestId("test-withheld")).toContainText("Test data withheld: no evaluation", { timeout: 30_000 });
    const pool = parseEther("1") + 1n; // the reward alone
    const share = pool / 2n;
    expect(pool % 2n).toBe(1n);
    await expect(page.getByTestId("test-withheld")).toContainText(formatEth(share, { decimals: 18 }));
    await expect(page.getByTestId("test-withheld")).toContainText(`the donations (${formatEth(donation, { decimals: 18 })}) are refunded to the donors`);
    // A donation could only be refunded now: no Donate form, and no Evaluate button anywhere.
    await expect(page.getByTestId("donations-closed")).toContainText("The test data was withheld: there will be no winner, so a donation now could only be refunded");
    await expect(page.getByRole("region", { name: "Donate" })).toHaveCount(0);
    await expect(mine.getByTestId("next-step")).toContainText("there is no evaluation");
    await expect(page.getByRole("button", { name: /^Evaluate/ })).toHaveCount(0);
    await expect(page.getByTestId("next-actions")).toContainText("The test data was withheld, so there is no evaluation");
    await expect(page.getByTestId("leaderboard-withheld")).toBeVisible();

    // Finalize from the page, then withdraw the share; the other submitter withdraws theirs and the remainder.
    state = await readCompetition(chain.client, competition);
    await chain.mineTo(state.deadlines.evaluationEnd);
    const before1 = await chain.balance(chain.address(1));
    const before2 = await chain.balance(chain.address(2));
    const before4 = await chain.balance(chain.address(4));
    await expect(page.getByRole("button", { name: "Finalize", exact: true })).toBeEnabled();
    await page.getByRole("button", { name: "Finalize", exact: true }).click();
    await expect(page.getByTestId("transaction-status").filter({ hasText: /Finalize: confirmed/ })).toBeVisible();
    state = await readCompetition(chain.client, competition);
    expect(state.stage).toBe("Finalized");
    expect(state.testWithheld).toBe(true);
    const withdraw = page.getByRole("button", { name: `Withdraw ${formatEth(share)}` });
    await expect(withdraw).toBeEnabled();
    await withdraw.click();
    await expect(page.getByTestId("transaction-status").filter({ hasText: /Withdraw .*: confirmed/ })).toBeVisible();
    const withdrawn = await sendContractTransaction(other, chain.client, { address: competition, abi: dankuCompetitionAbi, functionName: "withdraw", args: [] });
    // The organizer gets nothing back; the donor its donation, to the wei.
    expect(await readWithdrawable(chain.client, competition, chain.address(0))).toBe(0n);
    expect(await readWithdrawable(chain.client, competition, chain.address(4))).toBe(donation);
    const refunded = await sendContractTransaction(donor, chain.client, { address: competition, abi: dankuCompetitionAbi, functionName: "withdraw", args: [] });

    // To the wei: each revealed submitter got one share of the reward (the first revealer also the 1 wei remainder)
    // and the donor its whole donation, minus gas; nothing is left in the contract.
    const gas1 = await gasSpent(chain, wallet.sentTransactions.slice(-2)); // finalize, withdraw
    const gas2 = await gasSpent(chain, [withdrawn.hash]);
    const gas4 = await gasSpent(chain, [refunded.hash]);
    expect((await chain.balance(chain.address(1))) - before1).toBe(share - gas1);
    expect((await chain.balance(chain.address(2))) - before2).toBe(share + (pool % 2n) - gas2);
    expect((await chain.balance(chain.address(4))) - before4).toBe(donation - gas4);
    expect(await chain.balance(competition)).toBe(0n);
    for (const i of [0, 1, 2, 4]) expect(await readWithdrawable(chain.client, competition, chain.address(i))).toBe(0n);
    expect(wallet.sentTransactions).toHaveLength(4); // commit, reveal, finalize, withdraw
  });

  test("every bad model file is refused with a reason, and nothing is sent", async ({ page, chain, wallet }, testInfo) => {
    const created = await chain.createCompetition({ title: "Strict about models", stage: "Submission" });
    const training = await readRevealedPoints(chain.client, created.address, true, SHAPE.featureCount);
    const good = trainBaselineMlp(training, { hidden: 4, classes: 2, epochs: 5, seed: 1, rate: 0.05 });
    const threeInputs = trainBaselineMlp(
      training.map((p) => ({ features: [...Array.from(p.features), 0], label: p.label })),
      { hidden: 4, classes: 2, epochs: 1, seed: 1, rate: 0.05 },
    );
    const nanWeights: FloatModel = { layers: good.layers.map((l, i) => (i === 0 ? { ...l, weights: [[Number.NaN, ...l.weights[0]!.slice(1)], ...l.weights.slice(1)] } : l)) };
    // Playwright passes buffers up to 50 MB only; the oversized file goes through disk.
    const huge = testInfo.outputPath("huge.onnx");
    writeFileSync(huge, Buffer.alloc(MAX_MODEL_FILE_BYTES + 1, 1));
    const cases: { name: string; buffer?: Buffer; path?: string; reason: RegExp }[] = [
      { name: "sigmoid.onnx", buffer: Buffer.from(onnxWithUnsupportedOperator(good)), reason: /unsupported operator Sigmoid/ },
      { name: "three-inputs.json", buffer: json(threeInputs), reason: /takes 3 inputs but the competition's data has 2 features/ },
      { name: "nan.onnx", buffer: Buffer.from(torchStyleOnnx(nanWeights)), reason: /contains NaN/ },
      { name: "huge.onnx", path: huge, reason: /model files are limited to 64 MiB/ },
      { name: "notes.onnx", buffer: Buffer.from("these are my notes, not a model"), reason: /^.*not an ONNX model/ },
    ];
    const startBlock = await chain.client.getBlockNumber({ cacheTime: 0 });

    await page.goto(`/competitions/${created.address}`);
    await expect(page.getByRole("heading", { level: 1, name: "Strict about models" })).toBeVisible();
    await connectWallet(page);
    const panel = submitPanel(page);
    for (const bad of cases) {
      await panel.getByLabel("Model file").setInputFiles(bad.path ?? { name: bad.name, mimeType: "application/octet-stream", buffer: bad.buffer ?? Buffer.alloc(0) });
      const error = panel.getByTestId("model-error");
      await expect(error, bad.name).toContainText(`${bad.name} cannot be used`, { timeout: 90_000 });
      await expect(error, bad.name).toContainText(bad.reason);
      await expect(panel.getByTestId("preview-result")).toHaveCount(0);
      await expect(panel.getByTestId("prepare-submission")).toHaveCount(0);
    }
    expect(wallet.sentTransactions).toEqual([]);
    expect(await chain.client.getBlockNumber({ cacheTime: 0 })).toBe(startBlock);
  });
});

/** x + y > 255 decides the class; every tenth label is flipped, so no model is perfect and models differ. */
function noisyCsv(rows: number): string {
  const lines = ["x,y,label"];
  for (let r = 0; r < rows; r++) {
    const x = (r * 37 + 11) % 256;
    const y = (r * 91 + 53) % 256;
    const above = x + y > 255;
    lines.push(`${x},${y},${(r % 10 === 0 ? !above : above) ? "above" : "below"}`);
  }
  return `${lines.join("\n")}\n`;
}

// Float models a data scientist might bring (inputs are the bytes 0..255; classes in file order: above = 0, below = 1).
/** Uses both features: the true boundary (≈ 90 % on the noisy labels). */
const DIAGONAL: FloatModel = {
  layers: [
    { weights: [[1, 1], [-1, -1]], biases: [-255, 255] },
    { weights: [[1, 0], [0, 1]], biases: [0, 0] },
  ],
};
/** Looks at x only (≈ 75 %). */
const X_ONLY: FloatModel = {
  layers: [
    { weights: [[1, 0], [-1, 0]], biases: [-128, 128] },
    { weights: [[1, 0], [0, 1]], biases: [0, 0] },
  ],
};

test("a whole competition in the browser: CSV → two submitters (JSON and ONNX) → test reveal → evaluation → the better model takes reward and donations, to the wei", async ({
  browser,
  page,
  chain,
  wallet: organizer,
}, testInfo) => {
  test.setTimeout(600_000);
  const csv = testInfo.outputPath("noisy.csv");
  writeFileSync(csv, noisyCsv(200));
  const startBalances = await Promise.all([0, 1, 2, 3].map((i) => chain.balance(chain.address(i))));

  // The organizer creates the competition from the CSV in the wizard (account 0).
  await page.goto("/competitions/new");
  await connectWallet(page);
  await prepareDraft(page, { csv, title: "Above or below", groups: { by: "count", value: "20" }, reward: "1" });
  await page.getByRole("button", { name: /Create competition and escrow 1 ETH/ }).click();
  await page.getByRole("button", { name: "Draw the training/test split" }).click();
  await page.getByRole("button", { name: /Reveal \d+ training groups/ }).click();
  await expect(page.getByTestId("training-reveal-complete")).toBeVisible({ timeout: 60_000 });
  await page.getByRole("button", { name: "Continue", exact: true }).click();
  const href = (await page.getByTestId("competition-link").getAttribute("href")) ?? "";
  const address = getAddress(href.replace("/competitions/", ""));
  const training = await readRevealedPoints(chain.client, address, true, SHAPE.featureCount);

  // Two data scientists, each in a browser of their own with their own wallet.
  const scientists = await Promise.all(
    [
      { account: 1, file: { name: "diagonal.json", buffer: json(DIAGONAL) } },
      { account: 2, file: { name: "x-only.onnx", buffer: Buffer.from(torchStyleOnnx(X_ONLY)) } },
    ].map(async ({ account, file }) => {
      const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
      const guard = new NetworkGuard(context);
      const tab = await context.newPage();
      const signer = new TestWallet(chain.chain, chain.rpcUrl, account);
      await signer.install(tab);
      return { account, file, context, guard, tab, signer, submissionFile: "" };
    }),
  );
  for (const s of scientists) {
    await s.tab.goto(`/competitions/${address}`);
    await expect(s.tab.getByRole("heading", { level: 1, name: "Above or below" })).toBeVisible({ timeout: 60_000 });
    await connectWallet(s.tab);
    await previewModelFile(s.tab, s.file);
    const model = s.account === 1 ? DIAGONAL : X_ONLY;
    const onTraining = expectedScore(model, training, training, SHAPE);
    await expect(submitPanel(s.tab).getByTestId("training-onchain-score")).toContainText(`${onTraining.correct} / ${onTraining.total}`);
    s.submissionFile = (await commitPreviewedModel(s.tab)).submissionFile;
  }

  // A donor sends ETH straight to the contract address, from outside the app.
  const donor = chain.wallet(3);
  const donation = parseEther("0.25");
  const donationTx = await donor.sendTransaction({ account: donor.account, chain: donor.chain, to: address, value: donation });
  await chain.client.waitForTransactionReceipt({ hash: donationTx });

  let state = await readCompetition(chain.client, address);
  await chain.mineTo(state.deadlines.submissionEnd);
  for (const [i, s] of scientists.entries()) await revealCommittedModel(s.tab, i, s.submissionFile);

  // The organizer reveals the test data from the secrets the wizard kept in this browser.
  state = await readCompetition(chain.client, address);
  await chain.mineTo(state.deadlines.modelRevealEnd);
  await page.goto(`/competitions/${address}`);
  const testPanel = page.getByTestId("test-reveal-panel");
  await expect(testPanel.getByTestId("secrets-verified")).toBeVisible();
  await testPanel.getByRole("button", { name: /Reveal \d+ test groups/ }).click();
  await expect(testPanel.getByTestId("test-reveal-complete")).toBeVisible({ timeout: 60_000 });
  state = await readCompetition(chain.client, address);
  expect(state.stage).toBe("Evaluation");
  expect(state.usesTestData).toBe(true);
  const testData = await readRevealedPoints(chain.client, address, false, SHAPE.featureCount);

  // Each scientist previews again, now with the test data, then runs the evaluation on chain.
  const expected = scientists.map((s) => expectedScore(s.account === 1 ? DIAGONAL : X_ONLY, training, testData, SHAPE));
  expect(expected[0]!.correct).toBeGreaterThan(expected[1]!.correct);
  for (const [i, s] of scientists.entries()) {
    const panel = submitPanel(s.tab);
    // The tab learns of the test reveal on its next poll of the chain; preview once it has.
    await expect(s.tab.getByRole("region", { name: "Dataset" })).toContainText(new RegExp(`Test points revealed\\s*${testData.length}`));
    await previewModelFile(s.tab, s.file);
    await expect(panel.getByTestId("test-onchain-score")).toContainText(`${expected[i]!.correct} / ${expected[i]!.total}`);
    const mine = panel.getByTestId("my-submission");
    await mine.getByRole("button", { name: `Evaluate #${i}` }).click();
    await expect(mine.getByText(/done · [\d.]+ % correct/)).toBeVisible({ timeout: 60_000 });
    const scored = await readSubmission(chain.client, address, i);
    expect({ correct: scored.correct, total: testData.length }).toEqual(expected[i]);
  }
  const winner = scientists[0]!;
  await expect(winner.tab.getByTestId("leaderboard")).toContainText("Evaluated");

  state = await readCompetition(chain.client, address);
  expect(state.best).toEqual({ exists: true, id: 0, correct: expected[0]!.correct });
  await chain.mineTo(state.deadlines.evaluationEnd);
  await expect(submitPanel(winner.tab).getByTestId("next-step").first()).toContainText("#0 won: finalize the competition");
  const actions = winner.tab.getByRole("region", { name: "Actions" });
  await actions.getByRole("button", { name: "Finalize" }).click();
  await expect(actions.getByTestId("transaction-status")).toHaveAttribute("data-phase", "confirmed");
  await actions.getByRole("button", { name: "Withdraw 1.25 ETH" }).click();
  await expect(actions.getByTestId("transaction-status")).toContainText(/Withdraw 1.25 ETH: confirmed/);
  expect(await chain.balance(address)).toBe(0n);

  // To the wei: every account's balance moved by exactly its prize, reward, donation and gas.
  const gas = await Promise.all([organizer.sentTransactions, winner.signer.sentTransactions, scientists[1]!.signer.sentTransactions, [donationTx]].map((h) => gasSpent(chain, h)));
  const end = await Promise.all([0, 1, 2, 3].map((i) => chain.balance(chain.address(i))));
  expect(end[0]).toBe(startBalances[0]! - parseEther("1") - gas[0]!);
  expect(end[1]).toBe(startBalances[1]! + parseEther("1.25") - gas[1]!);
  expect(end[2]).toBe(startBalances[2]! - gas[2]!);
  expect(end[3]).toBe(startBalances[3]! - donation - gas[3]!);

  for (const s of scientists) {
    expect(s.guard.external, "requests that left this machine").toEqual([]);
    await s.context.close();
  }
});

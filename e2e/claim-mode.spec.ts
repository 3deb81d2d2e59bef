/**
 * A whole claim-mode competition (docs/protocol.md §11) in the browser: a claim-mode competition created through lib
 * (as the other specs create theirs), two dense submissions, an honest claim made from the submitter's page ("Claim
 * score"), a wrong claim made from the test through lib with one tampered prediction, which a challenger's page
 * recomputes, marks wrong at that point and disproves with one click; the honest claim settled from the page after
 * its window, finalize, withdrawals, and every balance (bonds, challenger's reward, winner's payout) to the wei.
 *
 * The app's server runs its own claim checker on the local chain (lib/web/serverChecker.ts, Hardhat account 9) and
 * the e2e config starts one server for every spec, so it cannot be switched off for this spec alone. It would
 * dispute the wrong claim within seconds, before the page could. The test therefore takes that checker offline the
 * way a real one goes offline — its account cannot pay for gas (balance set to 0 before the wrong claim; the chain
 * snapshot restores it after the test) — and checks that its account never sent a dispute: the page is the only
 * honest checker, which is the trust assumption the claims panel states.
 */
import { writeFileSync } from "node:fs";
import { parseEther, toHex, type Address, type Hex } from "viem";
import { connectWallet, expect, test } from "./fixtures";
import { NetworkGuard } from "./fixtures/network";
import { TestWallet } from "./fixtures/wallet";
import type { ChainFixture } from "./fixtures/chain";
import { claimScore, readClaims, readClaimTerms } from "../lib/chain/claims";
import { commitSubmission, revealPendingGroups, revealSubmissionModel } from "../lib/chain/flows";
import { readCompetition, readRevealedPoints, readSubmission } from "../lib/chain/danku";
import { claimBond, predictionsOf, scorePredictions } from "../lib/danku/claims";
import { encodeModel, type DataPoint } from "../lib/danku/encoding";
import { evaluateAccuracy } from "../lib/danku/forward";
import type { FloatModel } from "../lib/danku/floatModel";
import { prepareSubmissionModel } from "../lib/danku/modelImport";
import { buildSubmissionFile, serializeSubmissionFile, submissionFileCommitment, withSubmissionId } from "../lib/danku/secrets";
import { CHECKER_DEV_ACCOUNT } from "../lib/config/checker";
import { formatEth } from "../lib/web/format";
import { gasSpent, submitPanel } from "./submitter-helpers";

const WINDOW = 10;
const BOND_GAS_PRICE = 2_000_000_000n;
const BOND = claimBond(BOND_GAS_PRICE);
const REWARD = parseEther("1");
const SHAPE = { featureCount: 2, classCount: 2 };
const ACCOUNTS = { organizer: 0, alice: 1, bob: 2, griefer: 3, challenger: 4 } as const;

/**
 * The fixture's data: "low" points have small x and y, "high" ones large: x + y against 225 separates them. Which
 * class index is "low" is the dataset's choice, so alice takes whichever of the two orientations fits the training data.
 */
const SUM: FloatModel = { layers: [{ weights: [[-1, -1], [1, 1]], biases: [225, -225] }] };
const SUM_MIRRORED: FloatModel = { layers: [{ weights: [[1, 1], [-1, -1]], biases: [-225, 225] }] };
/** Looks at y only, with a threshold that misses some points. */
const Y_ONLY: FloatModel = { layers: [{ weights: [[0, -1], [0, 1]], biases: [60, -60] }] };

test("a claim-mode competition in the browser: honest claim from the page, a wrong claim disputed with one click, settle, finalize, every wei accounted", async ({
  browser,
  chain,
  wallet: organizerPage,
}, testInfo) => {
  test.setTimeout(600_000);
  const addresses = Object.fromEntries(Object.entries(ACCOUNTS).map(([k, i]) => [k, chain.address(i)])) as Record<keyof typeof ACCOUNTS, Address>;
  const checker = chain.address(CHECKER_DEV_ACCOUNT);
  const start = Object.fromEntries(await Promise.all(Object.entries(addresses).map(async ([k, a]) => [k, await chain.balance(a)]))) as Record<keyof typeof ACCOUNTS, bigint>;
  const checkerNonce = await chain.client.getTransactionCount({ address: checker });
  const libTx: Record<"organizer" | "alice" | "bob" | "griefer", Hex[]> = { organizer: [], alice: [], bob: [], griefer: [] };

  // The organizer (account 0) creates a claim-mode competition through lib and reveals the training data.
  const before = await chain.client.getBlockNumber();
  const created = await chain.createCompetition({ title: "Claimed sums", claimTerms: { challengeWindow: WINDOW, bondGasPrice: BOND_GAS_PRICE } });
  const address = created.address;
  expect(await readClaimTerms(chain.client, address)).toEqual({ challengeWindow: WINDOW, bondGasPrice: BOND_GAS_PRICE, bond: BOND });
  const organizerSetup = await transactionsFrom(chain, addresses.organizer, before + 1n, await chain.client.getBlockNumber());
  const training = await readRevealedPoints(chain.client, address, true, SHAPE.featureCount);

  // Two submitters commit: alice (SUM) and bob (Y_ONLY); alice's submission file goes to her browser later.
  const [sum, mirrored] = [SUM, SUM_MIRRORED].map((m) => prepareSubmissionModel(m, training, SHAPE).model);
  const good = evaluateAccuracy(sum!, training).correct >= evaluateAccuracy(mirrored!, training).correct ? sum! : mirrored!;
  const models = [good, prepareSubmissionModel(Y_ONLY, training, SHAPE).model];
  const aliceFile = buildSubmissionFile({ chainId: 31337, competition: address, submitter: addresses.alice, modelBytes: encodeModel(models[0]!) });
  const bobFile = buildSubmissionFile({ chainId: 31337, competition: address, submitter: addresses.bob, modelBytes: encodeModel(models[1]!) });
  const aliceCommit = await commitSubmission(chain.wallet(ACCOUNTS.alice), chain.client, { competition: address, commitment: submissionFileCommitment(aliceFile) });
  libTx.alice.push(aliceCommit.transaction);
  const bobCommit = await commitSubmission(chain.wallet(ACCOUNTS.bob), chain.client, { competition: address, commitment: submissionFileCommitment(bobFile) });
  libTx.bob.push(bobCommit.transaction);
  expect([aliceCommit.submissionId, bobCommit.submissionId]).toEqual([0, 1]);
  const aliceFilePath = testInfo.outputPath("alice.submission.json");
  writeFileSync(aliceFilePath, serializeSubmissionFile(withSubmissionId(aliceFile, 0)));

  let state = await readCompetition(chain.client, address);
  await chain.mineTo(state.deadlines.submissionEnd);

  // Alice, in a browser of her own, loads her submission file and reveals from the page; bob reveals through lib.
  const open = async (account: number) => {
    const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
    const guard = new NetworkGuard(context);
    const tab = await context.newPage();
    const signer = new TestWallet(chain.chain, chain.rpcUrl, account);
    await signer.install(tab);
    await tab.goto(`/competitions/${address}`);
    await expect(tab.getByRole("heading", { level: 1, name: "Claimed sums" })).toBeVisible({ timeout: 90_000 });
    await connectWallet(tab);
    return { context, guard, tab, signer };
  };
  const alice = await open(ACCOUNTS.alice);
  await submitPanel(alice.tab).getByLabel("Submission file").setInputFiles(aliceFilePath);
  await alice.tab.getByTestId("my-submission").getByRole("button", { name: "Reveal model #0" }).click();
  await expect(submitPanel(alice.tab).getByTestId("transaction-status")).toContainText(/Reveal model #0: confirmed/, { timeout: 60_000 });
  const bobReveal = await revealSubmissionModel(chain.wallet(ACCOUNTS.bob), chain.client, { competition: address, submissionId: 1, modelHex: bobFile.modelHex, salt: bobFile.salt });
  libTx.bob.push(bobReveal.hash);

  // The test reveal (lib, organizer): the points go to calldata, only labels and roots to storage.
  state = await readCompetition(chain.client, address);
  await chain.mineTo(state.deadlines.modelRevealEnd);
  const revealed = await revealPendingGroups(chain.wallet(ACCOUNTS.organizer), chain.client, {
    competition: address,
    groups: created.groups.map((g) => ({ index: g.index, points: toHex(g.bytes), nonce: g.nonce })),
    training: false,
  });
  libTx.organizer.push(...revealed.transactions);
  state = await readCompetition(chain.client, address);
  expect(state.stage).toBe("Evaluation");
  const testPoints: DataPoint[] = await readRevealedPoints(chain.client, address, false, SHAPE.featureCount);
  const labels = testPoints.map((p) => p.label);
  const honest = predictionsOf(models[0]!, testPoints);
  const aliceCorrect = scorePredictions(honest, labels);
  const bobReal = predictionsOf(models[1]!, testPoints);
  expect(aliceCorrect).toBeGreaterThan(scorePredictions(bobReal, labels));

  // The honest claim from alice's page: the score computed in her browser, the bond, one click.
  const mine = submitPanel(alice.tab).getByTestId("my-submission");
  const claimBox = mine.getByTestId("claim-score");
  await expect(claimBox.getByTestId("claim-score-correct")).toHaveText(`${aliceCorrect} / ${testPoints.length}`, { timeout: 60_000 });
  await expect(claimBox.getByTestId("claim-score-bond")).toHaveText(formatEth(BOND));
  await mine.screenshot({ path: testInfo.outputPath("claim-score.png") });
  await claimBox.getByRole("button", { name: /^Claim score of #0/ }).click();
  await expect(submitPanel(alice.tab).getByTestId("transaction-status")).toContainText(/Claim the score of #0: confirmed/);
  await expect(mine.getByTestId("next-step")).toContainText("Claim #0 of #0's score is open");

  // The server's checker goes offline (its account cannot pay gas) before the wrong claim is made.
  await chain.testClient.setBalance({ address: checker, value: 0n });
  // The wrong claim, from the test through lib: bob's own predictions with one of them flipped.
  const tampered = bobReal.slice();
  const wrongAt = 3;
  tampered[wrongAt] = 1 - tampered[wrongAt]!;
  const wrong = await claimScore(chain.wallet(ACCOUNTS.griefer), chain.client, { competition: address, submissionId: 1, predictions: tampered });
  libTx.griefer.push(wrong.hash);
  expect(wrong.claimId).toBe(1);

  // The challenger's page recomputes both claims in the browser: #0 verified, #1 wrong at the tampered point.
  const challenger = await open(ACCOUNTS.challenger);
  const claimsPanel = challenger.tab.getByTestId("claims-panel");
  await expect(claimsPanel.getByTestId("claim-terms-bond")).toHaveText(formatEth(BOND));
  await expect(claimsPanel.getByTestId("claim-terms-window")).toHaveText(`${WINDOW} blocks`);
  await expect(claimsPanel.getByTestId("claim-trust")).toContainText("at least one honest checker");
  const claim0 = claimsPanel.locator('[data-testid="claim"][data-claim-id="0"]');
  const claim1 = claimsPanel.locator('[data-testid="claim"][data-claim-id="1"]');
  await expect(claim0).toHaveAttribute("data-verdict", "verified", { timeout: 90_000 });
  await expect(claim0.getByTestId("claim-score")).toHaveText(`${aliceCorrect} / ${testPoints.length}`);
  await expect(claim1).toHaveAttribute("data-verdict", "wrong", { timeout: 90_000 });
  // Classes are shown with the dataset's names: "claimed 1 (low), the model gives 0 (high)".
  const claimedThere = `claimed ${tampered[wrongAt]} \\(\\w+\\), the model gives ${bobReal[wrongAt]} \\(\\w+\\)`;
  await expect(claim1.getByTestId("claim-verdict")).toContainText(new RegExp(`wrong at test point ${wrongAt} \\(${claimedThere}\\)`));
  // The countdown: blocks left = windowClosesAt − next block, as the chain counts it.
  const [c0] = await readClaims(chain.client, address);
  const head = await chain.client.getBlockNumber();
  await expect(claim0.getByTestId("claim-window")).toContainText(`${c0!.windowClosesAt - (head + 1n)} blocks left`);

  await claimsPanel.screenshot({ path: testInfo.outputPath("claims-panel-wrong.png") });
  // One click disproves it.
  await claim1.getByRole("button", { name: "Dispute claim #1" }).click();
  await expect(claimsPanel.getByTestId("transaction-status")).toContainText(`Dispute claim #1 at test point ${wrongAt}: confirmed`);
  await expect(claim1).toHaveAttribute("data-state", "voided");
  await expect(claim1.getByTestId("claim-dispute")).toContainText(new RegExp(`at test point ${wrongAt}: ${claimedThere}`));
  await expect(claim1.getByTestId("claim-dispute")).toContainText(challenger.signer.address.slice(0, 6));
  await claimsPanel.screenshot({ path: testInfo.outputPath("claims-panel-disputed.png") });
  expect(await chain.client.getTransactionCount({ address: checker }), "the server's checker sent nothing").toBe(checkerNonce);

  // The window passes: alice settles her claim from the page and her score counts.
  await chain.mineTo(c0!.windowClosesAt);
  const aliceClaim0 = alice.tab.getByTestId("claims-panel").locator('[data-testid="claim"][data-claim-id="0"]');
  await aliceClaim0.getByRole("button", { name: "Settle claim #0" }).click();
  await expect(alice.tab.getByTestId("claims-panel").getByTestId("transaction-status")).toContainText("Settle claim #0: confirmed");
  await expect(aliceClaim0).toHaveAttribute("data-state", "settled");
  expect(await readSubmission(chain.client, address, 0)).toMatchObject({ evaluated: true, correct: aliceCorrect });

  // Finalize from evaluationEnd + 2 × window on, then the winner and the challenger withdraw from their pages.
  state = await readCompetition(chain.client, address);
  await chain.mineTo(state.deadlines.evaluationEnd + BigInt(2 * WINDOW));
  const aliceActions = alice.tab.getByRole("region", { name: "Actions" });
  await aliceActions.getByRole("button", { name: "Finalize" }).click();
  await expect(aliceActions.getByTestId("transaction-status")).toHaveAttribute("data-phase", "confirmed");
  const alicePays = formatEth(REWARD + BOND);
  await aliceActions.getByRole("button", { name: `Withdraw ${alicePays}` }).click();
  await expect(aliceActions.getByTestId("transaction-status")).toContainText(`Withdraw ${alicePays}: confirmed`);
  const challengerActions = challenger.tab.getByRole("region", { name: "Actions" });
  await challengerActions.getByRole("button", { name: `Withdraw ${formatEth(BOND)}` }).click();
  await expect(challengerActions.getByTestId("transaction-status")).toContainText(`Withdraw ${formatEth(BOND)}: confirmed`);
  expect(await chain.balance(address)).toBe(0n);

  // To the wei: the organizer paid the reward, alice won it (her bond back), the challenger gained the griefer's bond.
  const gas = {
    organizer: await gasSpent(chain, [...organizerSetup, ...libTx.organizer]),
    alice: await gasSpent(chain, [...libTx.alice, ...alice.signer.sentTransactions]),
    bob: await gasSpent(chain, libTx.bob),
    griefer: await gasSpent(chain, libTx.griefer),
    challenger: await gasSpent(chain, challenger.signer.sentTransactions),
  };
  expect(organizerPage.sentTransactions).toEqual([]);
  expect(await chain.balance(addresses.organizer)).toBe(start.organizer - REWARD - gas.organizer);
  expect(await chain.balance(addresses.alice)).toBe(start.alice + REWARD - gas.alice);
  expect(await chain.balance(addresses.bob)).toBe(start.bob - gas.bob);
  expect(await chain.balance(addresses.griefer)).toBe(start.griefer - BOND - gas.griefer);
  expect(await chain.balance(addresses.challenger)).toBe(start.challenger + BOND - gas.challenger);

  for (const s of [alice, challenger]) {
    expect(s.guard.external, "requests that left this machine").toEqual([]);
    await s.context.close();
  }
});

/** The transactions `from` sent in blocks `fromBlock` … `toBlock` (the fixture's creation, split and training reveal). */
async function transactionsFrom(chain: ChainFixture, from: Address, fromBlock: bigint, toBlock: bigint): Promise<Hex[]> {
  const hashes: Hex[] = [];
  for (let b = fromBlock; b <= toBlock; b++) {
    const block = await chain.client.getBlock({ blockNumber: b, includeTransactions: true });
    for (const t of block.transactions) if (t.from.toLowerCase() === from.toLowerCase()) hashes.push(t.hash);
  }
  return hashes;
}

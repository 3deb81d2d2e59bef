/**
 * A whole claim-mode competition (docs/protocol.md §11) through the CLI on a real `hardhat node`: create with
 * --mode claim, two submissions, an honest claim (`claim`) and a wrong one sent through lib/chain with predictions
 * that are not the model's, `dispute` refusing the honest claim, `watch --once` disputing only the wrong one,
 * `settle`, `finalize`, and every balance checked to the wei: the wrong claims' bonds to the challenger (one through
 * `watch`, one through `dispute`), the honest
 * claimant's bond back, the reward to the winner. MODELBOUNTY_TEST_CHAIN_PORT pins the node's port.
 */
import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPublicClient, createWalletClient, http, parseEther, type Address, type Hex, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { startHardhatNode, type HardhatNode } from "../support/hardhatNode";
import { devPrivateKey } from "../../lib/chain/devAccounts";
import { claimScore, readClaims } from "../../lib/chain/claims";
import { readRevealedPoints } from "../../lib/chain/danku";
import { claimBond } from "../../lib/danku/claims";
import { runCli, type CliResult } from "../support/cli";


const KEYS = {
  organizer: devPrivateKey(0),
  alice: devPrivateKey(1),
  bob: devPrivateKey(2),
  griefer: devPrivateKey(3),
  challenger: devPrivateKey(4),
};
const address = (key: Hex): Address => privateKeyToAccount(key).address;
const WINDOW = 10;
const BOND = claimBond(2_000_000_000n);
const REWARD = parseEther("2");


describe("modelbounty CLI: a claim-mode competition with the checker (watch)", function () {
  let node: HardhatNode | undefined;
  let rpc: string;
  let workdir: string;
  let client: PublicClient;

  async function cli(key: Hex | undefined, ...args: string[]): Promise<CliResult> {
    return runCli({ rpc, cwd: workdir, key }, ...args);
  }

  async function mineTo(block: bigint): Promise<void> {
    const current = await client.getBlockNumber();
    if (block > current) await client.request({ method: "hardhat_mine" as never, params: [`0x${(block - current).toString(16)}`] as never });
  }

  async function deadline(competition: Address, name: string): Promise<bigint> {
    const status = await cli(undefined, "status", "--competition", competition);
    return BigInt((status.json.deadlines as Record<string, string>)[name] ?? "0");
  }

  /** Wei a transaction cost its sender in gas. */
  async function gasCost(hash: Hex): Promise<bigint> {
    const r = await client.getTransactionReceipt({ hash });
    return r.gasUsed * r.effectiveGasPrice;
  }

  const nonceOf = (key: Hex) => client.getTransactionCount({ address: address(key) });
  const balanceOf = (key: Hex) => client.getBalance({ address: address(key) });

  before(async function () {
    this.timeout(120_000);
    workdir = mkdtempSync(path.join(os.tmpdir(), "modelbounty-claims-"));
    const port = Number(process.env.MODELBOUNTY_TEST_CHAIN_PORT ?? "") || undefined;
    node = await startHardhatNode(90_000, port);
    rpc = node.rpcUrl;
    client = createPublicClient({ chain: hardhat, transport: http(rpc), cacheTime: 0 }) as PublicClient;
    // Separable by x > y (blue = 0, red = 1): good.json gets every point right, weak.json does not.
    const rows = ["x,y,party"];
    for (let i = 0; i < 120; i++) {
      const x = (i * 37) % 251;
      const y = (i * 91 + 13) % 241;
      if (x !== y) rows.push(`${x},${y},${x > y ? "red" : "blue"}`);
    }
    writeFileSync(path.join(workdir, "data.csv"), `${rows.join("\n")}\n`);
    writeFileSync(path.join(workdir, "good.json"), JSON.stringify({ layers: [{ weights: [[-1, 1], [1, -1]], biases: [0, 0] }] }));
    writeFileSync(path.join(workdir, "weak.json"), JSON.stringify({ layers: [{ weights: [[0, 1], [1, 0]], biases: [0, 40] }] }));
  });

  after(() => {
    node?.stop();
  });

  it("claims, disputes only the wrong claim, settles, finalizes, and pays every wei where it belongs", async function () {
    this.timeout(900_000);
    expect((await cli(KEYS.organizer, "deploy")).code).to.equal(0);

    // Bad claim terms are refused before anything is sent.
    const organizerNonce = await nonceOf(KEYS.organizer);
    const badWindow = await cli(KEYS.organizer, "create", "--data", "data.csv", "--label", "party", "--reward", "2", "--mode", "claim", "--challenge-window", "9", "--secrets", "x.json");
    expect(badWindow.code).to.not.equal(0);
    expect(String(badWindow.json.error)).to.equal("--challenge-window must be an integer between 10 and 100000, got 9");
    const badMode = await cli(KEYS.organizer, "create", "--data", "data.csv", "--label", "party", "--reward", "2", "--mode", "vote", "--secrets", "x.json");
    expect(String(badMode.json.error)).to.equal("--mode must be onchain or claim, got vote");
    expect(await nonceOf(KEYS.organizer)).to.equal(organizerNonce);

    const created = await cli(
      KEYS.organizer,
      "create", "--data", "data.csv", "--label", "party", "--reward", "2", "--groups", "20", "--training-ratio", "0.6",
      "--min-accuracy", "0.7", "--training-reveal-period", "20", "--submission-period", "20", "--model-reveal-period", "10",
      "--test-reveal-period", "10", "--evaluation-period", "30",
      "--mode", "claim", "--challenge-window", String(WINDOW), "--bond-gas-price", "2",
      "--secrets", "org.secrets.json",
    );
    expect(created.code, JSON.stringify(created)).to.equal(0);
    const competition = created.json.competition as Address;
    expect(created.json.mode).to.equal("claim");
    expect(created.json.claimTerms).to.deep.equal({ challengeWindow: WINDOW, bondGasPrice: "2000000000", bond: BOND.toString() });

    expect((await cli(KEYS.organizer, "reveal-training", "--competition", competition, "--secrets", "org.secrets.json")).code).to.equal(0);
    const aliceCommit = await cli(KEYS.alice, "commit", "--competition", competition, "--model", "good.json", "--out", "alice.json");
    expect(aliceCommit.json.submissionId, JSON.stringify(aliceCommit)).to.equal(0);
    const bobCommit = await cli(KEYS.bob, "commit", "--competition", competition, "--model", "weak.json", "--out", "bob.json");
    expect(bobCommit.json.submissionId, JSON.stringify(bobCommit)).to.equal(1);
    await mineTo(await deadline(competition, "submissionEnd"));
    expect((await cli(KEYS.alice, "reveal-model", "--submission", "alice.json")).code).to.equal(0);
    expect((await cli(KEYS.bob, "reveal-model", "--submission", "bob.json")).code).to.equal(0);
    await mineTo(await deadline(competition, "modelRevealEnd"));
    const testReveal = await cli(KEYS.organizer, "reveal-test", "--competition", competition, "--secrets", "org.secrets.json");
    expect(testReveal.json.revealedGroups, JSON.stringify(testReveal)).to.equal(8);

    // The honest claim: alice's model, its own predictions, scored by the CLI.
    const testPoints = await readRevealedPoints(client, competition, false, 2);
    const aliceBefore = await balanceOf(KEYS.alice);
    const honest = await cli(KEYS.alice, "claim", "--competition", competition, "--submission-id", "0");
    expect(honest.code, JSON.stringify(honest)).to.equal(0);
    expect(honest.json).to.include({ claimId: 0, submissionId: 0, correct: testPoints.length, total: testPoints.length, bond: BOND.toString() });
    expect(await balanceOf(KEYS.alice)).to.equal(aliceBefore - BOND - (await gasCost(honest.json.transaction as Hex)));

    // The wrong claim, sent through lib/chain: bob's weak model claimed as perfect (the labels as its predictions).
    const grieferWallet = createWalletClient({ account: privateKeyToAccount(KEYS.griefer), chain: hardhat, transport: http(rpc) });
    const grieferBefore = await balanceOf(KEYS.griefer);
    const wrong = await claimScore(grieferWallet, client, { competition, submissionId: 1, predictions: Uint8Array.from(testPoints.map((p) => p.label)) });
    expect(wrong.claimId).to.equal(1);
    const wrongCost = wrong.receipt.gasUsed * wrong.receipt.effectiveGasPrice;
    expect(await balanceOf(KEYS.griefer)).to.equal(grieferBefore - BOND - wrongCost);

    // dispute refuses the honest claim and sends nothing.
    const challengerNonce = await nonceOf(KEYS.challenger);
    const refused = await cli(KEYS.challenger, "dispute", "--competition", competition, "--claim", "0");
    expect(refused.code).to.not.equal(0);
    expect(String(refused.json.error)).to.equal(
      `claim 0 is honest: submission 0's model predicts every one of its ${testPoints.length} claimed predictions, so a dispute would revert (ClaimedPredictionCorrect) and only cost you gas; nothing was sent`,
    );
    // Settling before the window closes is refused too.
    const early = await cli(KEYS.challenger, "settle", "--competition", competition, "--claim", "0");
    expect(String(early.json.error)).to.match(/^claim 0 can still be disputed until block \d+; settle it from block \d+ on; nothing was sent$/);
    expect(await nonceOf(KEYS.challenger)).to.equal(challengerNonce);

    // A checker without a key reports the wrong claim, sends nothing and exits with status 2.
    const keyless = await cli(undefined, "watch", "--competition", competition, "--once");
    expect(keyless.code).to.equal(2);
    const keylessActions = keyless.json.claims as { claimId: number; verdict: string; error?: string }[];
    expect(keylessActions.map((a) => [a.claimId, a.verdict])).to.deep.equal([[0, "honest"], [1, "wrong"]]);
    expect(keylessActions[1]!.error).to.match(/^set MODELBOUNTY_PRIVATE_KEY/);
    expect(keyless.json.disputed).to.deep.equal([]);

    // The checker: one round disputes the wrong claim, and only it.
    const challengerBefore = await balanceOf(KEYS.challenger);
    const watched = await cli(KEYS.challenger, "watch", "--competition", competition, "--once");
    expect(watched.code, JSON.stringify(watched)).to.equal(0);
    const actions = watched.json.claims as { claimId: number; verdict: string; disputed?: { point: number; transaction: Hex } }[];
    expect(actions.map((a) => [a.claimId, a.verdict])).to.deep.equal([[0, "honest"], [1, "wrong"]]);
    expect(actions[0]!.disputed).to.equal(undefined);
    const disputed = actions[1]!.disputed!;
    expect(await nonceOf(KEYS.challenger)).to.equal(challengerNonce + 1);
    const disputeCost = await gasCost(disputed.transaction);
    const claims = await readClaims(client, competition);
    expect(claims.map((c) => [c.voided, c.settled])).to.deep.equal([[false, false], [true, false]]);
    // A second round finds nothing to do; the voided claim cannot be disputed again.
    const again = await cli(KEYS.challenger, "watch", "--competition", competition, "--once");
    expect((again.json.claims as { verdict: string }[]).map((a) => a.verdict)).to.deep.equal(["honest", "void"]);
    expect(again.json.disputed).to.deep.equal([]);
    const twice = await cli(KEYS.challenger, "dispute", "--competition", competition, "--claim", "1");
    expect(String(twice.json.error)).to.equal("claim 1 was already disproven; nothing was sent");
    expect(await nonceOf(KEYS.challenger)).to.equal(challengerNonce + 1);

    // A counter-claim against alice's submission, wrong at one point only, disproven with dispute itself.
    const counter = Uint8Array.from(testPoints.map((p) => p.label));
    counter[3] = 1 - counter[3]!;
    const griefed = await claimScore(grieferWallet, client, { competition, submissionId: 0, predictions: counter });
    expect(griefed.claimId).to.equal(2);
    const griefedCost = griefed.receipt.gasUsed * griefed.receipt.effectiveGasPrice;
    const disputedByHand = await cli(KEYS.challenger, "dispute", "--competition", competition, "--claim", "2");
    expect(disputedByHand.code, JSON.stringify(disputedByHand)).to.equal(0);
    expect(disputedByHand.json).to.deep.include({ claimId: 2, point: { index: 3, claimed: counter[3], actual: testPoints[3]!.label }, bond: BOND.toString() });
    const disputeByHandCost = await gasCost(disputedByHand.json.transaction as Hex);
    expect((await readClaims(client, competition)).map((c) => c.voided)).to.deep.equal([false, true, true]);

    // status names the mode, the bond and where each claim stands.
    const shown = await cli(undefined, "status", "--competition", competition);
    expect(shown.json.evaluationMode).to.equal("claim");
    expect((shown.json.claims as { id: number; voided: boolean; settled: boolean }[]).map((c) => [c.id, c.voided, c.settled])).to.deep.equal([
      [0, false, false],
      [1, true, false],
      [2, true, false],
    ]);
    expect(BigInt(String((shown.json.claimTerms as { bond: string }).bond))).to.equal(BOND);

    // The full evaluation (docs/protocol.md §11.9): evaluate scores bob's submission root by root in claim mode;
    // it then has its score and cannot be claimed any more.
    const evaluated = await cli(KEYS.bob, "evaluate", "--competition", competition, "--submission-id", "1");
    expect(evaluated.code, JSON.stringify(evaluated)).to.equal(0);
    expect(evaluated.json).to.include({ submissionId: 1, total: testPoints.length, evaluator: address(KEYS.bob) });
    expect((evaluated.json.transactions as Hex[]).length).to.be.at.least(1);
    const bobScore = evaluated.json.correct as number;
    expect(bobScore).to.be.lessThan(testPoints.length);
    const score = await cli(undefined, "score", "--competition", competition, "--model", "weak.json", "--test");
    expect(score.json.correct, JSON.stringify(score)).to.equal(bobScore);
    const reEvaluate = await cli(KEYS.bob, "evaluate", "--competition", competition, "--submission-id", "1");
    expect(String(reEvaluate.json.error)).to.equal(`submission 1 is already evaluated: ${bobScore} correct`);

    // Settle the honest claim once its window closed: its score counts.
    await mineTo(claims[0]!.windowClosesAt);
    const settled = await cli(KEYS.bob, "settle", "--competition", competition, "--claim", "0");
    expect(settled.code, JSON.stringify(settled)).to.equal(0);
    expect(settled.json).to.include({ claimId: 0, counted: true, correct: testPoints.length });
    const voidSettle = await cli(KEYS.bob, "settle", "--competition", competition, "--claim", "1");
    expect(String(voidSettle.json.error)).to.match(/^claim 1 was disproven/);
    // A scored submission cannot be claimed again: refused before anything is sent.
    const aliceNonce = await nonceOf(KEYS.alice);
    const reclaim = await cli(KEYS.alice, "claim", "--competition", competition, "--submission-id", "0");
    expect(String(reclaim.json.error)).to.equal(`submission 0 already has its score: ${testPoints.length} correct; nothing was sent`);
    expect(await nonceOf(KEYS.alice)).to.equal(aliceNonce);

    // Finalize from evaluationEnd + 2 × window on; the winner and the two bonds are withdrawn.
    await mineTo((await deadline(competition, "evaluationEnd")) + BigInt(2 * WINDOW));
    const finalized = await cli(KEYS.bob, "finalize", "--competition", competition);
    expect(finalized.json.winningSubmission, JSON.stringify(finalized)).to.equal(0);

    const aliceWithdraw = await cli(KEYS.alice, "withdraw", "--competition", competition);
    expect(BigInt(String(aliceWithdraw.json.amount))).to.equal(REWARD + BOND);
    const challengerWithdraw = await cli(KEYS.challenger, "withdraw", "--competition", competition);
    expect(BigInt(String(challengerWithdraw.json.amount))).to.equal(2n * BOND);
    const grieferWithdraw = await cli(KEYS.griefer, "withdraw", "--competition", competition);
    expect(grieferWithdraw.code).to.not.equal(0);

    // To the wei: alice paid the bond and two gas bills and got reward + bond; the challenger gained the bond less gas.
    expect(await balanceOf(KEYS.alice)).to.equal(
      aliceBefore + REWARD - (await gasCost(honest.json.transaction as Hex)) - (await gasCost(aliceWithdraw.json.transaction as Hex)),
    );
    expect(await balanceOf(KEYS.challenger)).to.equal(
      challengerBefore + 2n * BOND - disputeCost - disputeByHandCost - (await gasCost(challengerWithdraw.json.transaction as Hex)),
    );
    expect(await balanceOf(KEYS.griefer)).to.equal(grieferBefore - 2n * BOND - wrongCost - griefedCost);
    expect(await client.getBalance({ address: competition })).to.equal(0n);

    // Without --once the watch ends by itself: the competition is finalized and every window has closed.
    const ended = await cli(KEYS.challenger, "watch", "--competition", competition, "--interval", "1");
    expect(ended.code, JSON.stringify(ended)).to.equal(0);
    expect(ended.json).to.include({ stage: "Finalized" });
    expect((ended.json.claims as { verdict: string }[]).map((a) => a.verdict)).to.deep.equal(["settled", "void", "void"]);
  });
});

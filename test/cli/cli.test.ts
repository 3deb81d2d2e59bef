/**
 * The CLI end to end, as an agent would use it: a real `hardhat node` on a free port, every command run as a
 * separate process with --json, stages advanced by mining blocks. Also the calm failure paths: bad input exits
 * non-zero with a clear message and sends no transaction.
 */
import { expect } from "chai";
import { startHardhatNode, type HardhatNode } from "../support/hardhatNode";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPublicClient, createTestClient, http, parseEther, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { devPrivateKey } from "../../lib/chain/devAccounts";
import { requiredEvaluationBlocks } from "../../lib/danku/groups";
import { parseCompetitionMetadata } from "../../lib/danku/metadata";
import { EmbeddedIpfsStore } from "../../lib/ipfs/store";
import { runCli, type CliResult } from "../support/cli";


/** Roles played by Hardhat's development accounts #0–#3. */
const KEYS = {
  organizer: devPrivateKey(0),
  alice: devPrivateKey(1),
  bob: devPrivateKey(2),
  donor: devPrivateKey(3),
};


describe("modelbounty CLI against a real local chain", function () {
  let node: HardhatNode | undefined;
  let rpc: string;
  let workdir: string;
  let publicClient: ReturnType<typeof createPublicClient>;
  let testClient: ReturnType<typeof createTestClient>;

  async function cli(key: Hex | undefined, ...args: string[]): Promise<CliResult> {
    return runCli({ rpc, cwd: workdir, key }, ...args);
  }

  async function mineTo(block: bigint): Promise<void> {
    const current = await publicClient.getBlockNumber();
    if (block > current) await testClient.mine({ blocks: Number(block - current) });
  }

  async function nonceOf(key: Hex): Promise<number> {
    return publicClient.getTransactionCount({ address: privateKeyToAccount(key).address });
  }

  before(async function () {
    this.timeout(120_000);
    workdir = mkdtempSync(path.join(os.tmpdir(), "modelbounty-cli-"));
    node = await startHardhatNode();
    rpc = node.rpcUrl;
    // cacheTime 0: block numbers must be fresh after every mine.
    publicClient = createPublicClient({ transport: http(rpc), cacheTime: 0 });
    testClient = createTestClient({ mode: "hardhat", transport: http(rpc) });

    // Two features and two classes, separable by x > y: a hand-written float model gets every point right.
    const rows = ["x,y,party"];
    for (let i = 0; i < 120; i++) {
      const x = (i * 37) % 251;
      const y = (i * 91 + 13) % 241;
      if (x === y) continue;
      rows.push(`${x},${y},${x > y ? "red" : "blue"}`);
    }
    writeFileSync(path.join(workdir, "data.csv"), `${rows.join("\n")}\n`);
    // Classes are sorted: blue = 0, red = 1. Output 1 wins when x > y.
    writeFileSync(
      path.join(workdir, "good.json"),
      JSON.stringify({ layers: [{ weights: [[-1, 1], [1, -1]], biases: [0, 0] }] }),
    );
    writeFileSync(
      path.join(workdir, "weak.json"),
      JSON.stringify({ layers: [{ weights: [[0, 1], [1, 0]], biases: [0, 40] }] }),
    );
  });

  after(() => {
    node?.stop();
  });

  it("runs a whole competition: deploy, create, reveal, score, commit, reveal, test reveal, evaluate, finalize, withdraw", async function () {
    this.timeout(600_000);
    const deployed = await cli(KEYS.organizer, "deploy");
    expect(deployed.code, deployed.stderr).to.equal(0);
    expect(existsSync(path.join(workdir, "deployments", "31337.json"))).to.equal(true);

    const created = await cli(
      KEYS.organizer,
      "create",
      "--data", "data.csv", "--label", "party", "--reward", "2", "--groups", "20", "--training-ratio", "0.6",
      "--min-accuracy", "0.7", "--init2-window", "5",
      "--training-reveal-period", "20", "--submission-period", "20", "--model-reveal-period", "10",
      "--test-reveal-period", "10", "--evaluation-period", "30",
      "--title", "Red or blue?", "--description", "Two coordinates, one party.", "--ipfs-dir", "ipfs",
      "--secrets", "org.secrets.json",
    );
    expect(created.code, JSON.stringify(created)).to.equal(0);
    const competition = created.json.competition as Address;
    // --title and --description: the metadata document create uploaded, named on chain, carries them (not "Untitled").
    const metadataCid = String(created.json.metadataCid);
    const document = await new EmbeddedIpfsStore(path.join(workdir, "ipfs")).get(metadataCid);
    expect(document, `metadata ${metadataCid} in the IPFS folder`).to.not.equal(undefined);
    const metadata = parseCompetitionMetadata(new TextDecoder().decode(document));
    expect(metadata).to.deep.include({ title: "Red or blue?", description: "Two coordinates, one party." });
    expect(metadata.dataset).to.deep.include({ name: "data.csv", labelColumn: "party", groupCount: 20, classNames: ["blue", "red"] });
    expect((created.json.trainingGroups as number[]).length).to.equal(12);
    // The new commitments: sizes, the seed block (2 blocks after creation on the local chain), evaluation fits.
    const pointCount = readFileSync(path.join(workdir, "data.csv"), "utf8").trim().split("\n").length - 1;
    const sizes = created.json.groupSizes as { groups: number; min: number; max: number; totalPoints: number };
    expect(sizes).to.include({ groups: 20, totalPoints: pointCount });
    expect((created.json.groupPointCounts as number[]).reduce((a, b) => a + b, 0)).to.equal(pointCount);
    expect(created.json.splitDelay).to.equal(2);
    expect(BigInt(String(created.json.splitSeedBlock))).to.equal(BigInt(String(created.json.init1Block)) + 2n);
    expect((created.json.worstCaseEvaluation as { fits: boolean; requiredBlocks: number }).fits).to.equal(true);
    expect((created.json.groupPlacementOdds as { perDraw: number }).perDraw).to.equal(12 / 20);
    const secrets = JSON.parse(readFileSync(path.join(workdir, "org.secrets.json"), "utf8")) as { competition: string; groups: unknown[] };
    expect(secrets.competition.toLowerCase()).to.equal(competition.toLowerCase());
    expect(secrets.groups).to.have.length(20);

    // A second create refuses to overwrite the secrets file and sends nothing.
    const nonceBefore = await nonceOf(KEYS.organizer);
    const clobber = await cli(KEYS.organizer, "create", "--data", "data.csv", "--label", "party", "--reward", "1", "--secrets", "org.secrets.json");
    expect(clobber.code).to.not.equal(0);
    expect(String(clobber.json.error)).to.match(/already exists/);
    expect(await nonceOf(KEYS.organizer)).to.equal(nonceBefore);

    // Revealing test data now is refused by the CLI before any transaction.
    const early = await cli(KEYS.organizer, "reveal-test", "--competition", competition, "--secrets", "org.secrets.json");
    expect(early.code).to.not.equal(0);
    expect(String(early.json.error)).to.match(/TrainingReveal|stage/);
    expect(await nonceOf(KEYS.organizer)).to.equal(nonceBefore);

    const revealed = await cli(KEYS.organizer, "reveal-training", "--competition", competition, "--secrets", "org.secrets.json");
    expect(revealed.code, JSON.stringify(revealed)).to.equal(0);
    expect(revealed.json.revealedGroups).to.equal(12);

    const offline = await cli(undefined, "score", "--model", "good.json", "--competition", competition);
    expect(offline.code, JSON.stringify(offline)).to.equal(0);
    expect(offline.json.correct).to.equal(offline.json.total);

    const aliceCommit = await cli(KEYS.alice, "commit", "--competition", competition, "--model", "good.json", "--out", "alice.json");
    expect(aliceCommit.code, JSON.stringify(aliceCommit)).to.equal(0);
    const bobCommit = await cli(KEYS.bob, "commit", "--competition", competition, "--model", "weak.json", "--out", "bob.json");
    expect(bobCommit.code, JSON.stringify(bobCommit)).to.equal(0);
    expect(bobCommit.json.submissionId).to.equal(1);

    const donated = await cli(KEYS.donor, "donate", "--competition", competition, "--amount", "0.5");
    expect(donated.code, JSON.stringify(donated)).to.equal(0);

    let status = await cli(undefined, "status", "--competition", competition);
    expect(status.json.metadataCid).to.equal(metadataCid);
    const deadlines = status.json.deadlines as Record<string, string>;
    await mineTo(BigInt(deadlines.submissionEnd ?? "0"));

    // Bob cannot reveal Alice's submission: the CLI sees the key is not the committer's.
    const stolen = await cli(KEYS.bob, "reveal-model", "--submission", "alice.json");
    expect(stolen.code).to.not.equal(0);
    expect(String(stolen.json.error)).to.match(/committer/);

    expect((await cli(KEYS.alice, "reveal-model", "--submission", "alice.json")).code).to.equal(0);
    expect((await cli(KEYS.bob, "reveal-model", "--submission", "bob.json")).code).to.equal(0);

    status = await cli(undefined, "status", "--competition", competition);
    await mineTo(BigInt((status.json.deadlines as Record<string, string>).modelRevealEnd ?? "0"));
    const testReveal = await cli(KEYS.organizer, "reveal-test", "--competition", competition, "--secrets", "org.secrets.json");
    expect(testReveal.code, JSON.stringify(testReveal)).to.equal(0);
    expect(testReveal.json.revealedGroups).to.equal(8);

    const evalAlice = await cli(KEYS.donor, "evaluate", "--competition", competition, "--submission-id", "0");
    expect(evalAlice.code, JSON.stringify(evalAlice)).to.equal(0);
    expect(evalAlice.json.correct).to.equal(evalAlice.json.total);
    const evalBob = await cli(KEYS.donor, "evaluate", "--competition", competition, "--submission-id", "1");
    expect(evalBob.code, JSON.stringify(evalBob)).to.equal(0);
    expect(evalBob.json.isBest).to.equal(false);

    // Finalizing before the evaluation period ends is refused with the contract's reason, decoded.
    const tooEarly = await cli(KEYS.donor, "finalize", "--competition", competition);
    expect(tooEarly.code).to.not.equal(0);
    expect(String(tooEarly.json.error)).to.match(/stage/i);

    status = await cli(undefined, "status", "--competition", competition);
    await mineTo(BigInt((status.json.deadlines as Record<string, string>).evaluationEnd ?? "0"));
    const finalized = await cli(KEYS.donor, "finalize", "--competition", competition);
    expect(finalized.code, JSON.stringify(finalized)).to.equal(0);
    expect(finalized.json.winningSubmission).to.equal(0);

    const alice = privateKeyToAccount(KEYS.alice).address;
    const before = await publicClient.getBalance({ address: alice });
    const withdrawn = await cli(KEYS.alice, "withdraw", "--competition", competition);
    expect(withdrawn.code, JSON.stringify(withdrawn)).to.equal(0);
    expect(BigInt(String(withdrawn.json.amount))).to.equal(parseEther("2.5"));
    const receipt = await publicClient.getTransactionReceipt({ hash: withdrawn.json.transaction as Hex });
    const after = await publicClient.getBalance({ address: alice });
    expect(after - before).to.equal(parseEther("2.5") - receipt.gasUsed * receipt.effectiveGasPrice);
    expect(await publicClient.getBalance({ address: competition })).to.equal(0n);

    const listed = await cli(undefined, "list");
    expect((listed.json.competitions as { address: string; stage: string }[]).map((c) => c.stage)).to.include("Finalized");
  });

  it("rejects bad input with a clear message and a non-zero exit, sending nothing", async function () {
    this.timeout(300_000);
    writeFileSync(path.join(workdir, "bad.csv"), "x,y,party\n1,2,red\n3,oops,blue\n5,6\n");
    const nonce = await nonceOf(KEYS.organizer);
    const badCsv = await cli(KEYS.organizer, "create", "--data", "bad.csv", "--label", "party", "--reward", "1", "--secrets", "bad.secrets.json");
    expect(badCsv.code).to.not.equal(0);
    expect(String(badCsv.json.error)).to.match(/line 3/);
    expect(String(badCsv.json.error)).to.match(/line 4/);
    expect(existsSync(path.join(workdir, "bad.secrets.json"))).to.equal(false);

    const noKey = await cli(undefined, "create", "--data", "data.csv", "--label", "party", "--reward", "1", "--secrets", "nokey.json");
    expect(noKey.code).to.not.equal(0);
    expect(String(noKey.json.error)).to.match(/MODELBOUNTY_PRIVATE_KEY/);

    const badReward = await cli(KEYS.organizer, "create", "--data", "data.csv", "--label", "party", "--reward", "-1", "--secrets", "r.json");
    expect(badReward.code).to.not.equal(0);
    expect(String(badReward.json.error)).to.match(/reward/);

    writeFileSync(path.join(workdir, "nan.json"), '{"layers":[{"weights":[[1,"x"],[0,1]],"biases":[0,0]}]}');
    const nanModel = await cli(undefined, "score", "--model", "nan.json", "--data", "data.csv", "--label", "party");
    expect(nanModel.code).to.not.equal(0);
    writeFileSync(path.join(workdir, "shape.json"), '{"layers":[{"weights":[[1,2,3],[0,1,2]],"biases":[0,0]}]}');
    const wrongShape = await cli(undefined, "score", "--model", "shape.json", "--data", "data.csv", "--label", "party");
    expect(wrongShape.code).to.not.equal(0);
    expect(String(wrongShape.json.error)).to.match(/3 inputs|features/);
    writeFileSync(path.join(workdir, "garbage.onnx"), "this is not a protobuf");
    const notOnnx = await cli(undefined, "score", "--model", "garbage.onnx", "--data", "data.csv", "--label", "party");
    expect(notOnnx.code).to.not.equal(0);

    // A secrets file from another competition is caught before any reveal transaction.
    const other = await cli(
      KEYS.organizer,
      "create", "--data", "data.csv", "--label", "party", "--reward", "1", "--groups", "10", "--secrets", "other.secrets.json",
    );
    expect(other.code, JSON.stringify(other)).to.equal(0);
    const third = await cli(
      KEYS.organizer,
      "create", "--data", "data.csv", "--label", "party", "--reward", "1", "--groups", "10", "--secrets", "third.secrets.json",
    );
    expect(third.code).to.equal(0);
    const afterCreates = await nonceOf(KEYS.organizer);
    const mismatch = await cli(KEYS.organizer, "reveal-training", "--competition", String(third.json.competition), "--secrets", "other.secrets.json");
    expect(mismatch.code).to.not.equal(0);
    expect(String(mismatch.json.error)).to.match(/does not match/);
    expect(await nonceOf(KEYS.organizer)).to.equal(afterCreates);
    expect(afterCreates).to.equal(nonce + 4);

    // An evaluation period too short for the committed points is refused before anything is sent, naming the minimum.
    const big = ["x,y,party", ...Array.from({ length: 700 }, (_, i) => `${i % 251},${(i * 7) % 241},${i % 2 ? "red" : "blue"}`)];
    writeFileSync(path.join(workdir, "big.csv"), `${big.join("\n")}\n`);
    const short = await cli(
      KEYS.organizer,
      "create", "--data", "big.csv", "--label", "party", "--reward", "1", "--groups", "10", "--evaluation-period", "20", "--secrets", "short.secrets.json",
    );
    expect(short.code).to.not.equal(0);
    expect(String(short.json.error)).to.include(`at least ${requiredEvaluationBlocks(700)} blocks`);
    expect(existsSync(path.join(workdir, "short.secrets.json"))).to.equal(false);
    expect(await nonceOf(KEYS.organizer)).to.equal(afterCreates);

    // Cancelling after the seed block burns the reward: the CLI asks for --forfeit-reward first and sends nothing.
    const refused = await cli(KEYS.organizer, "cancel", "--competition", String(third.json.competition));
    expect(refused.code).to.not.equal(0);
    expect(String(refused.json.error)).to.match(/forfeit-reward/);
    expect(await nonceOf(KEYS.organizer)).to.equal(afterCreates);
    const forfeited = await cli(KEYS.organizer, "cancel", "--competition", String(third.json.competition), "--forfeit-reward");
    expect(forfeited.code, JSON.stringify(forfeited)).to.equal(0);
    expect(forfeited.json.rewardForfeited).to.equal(true);
    const afterCancel = await cli(undefined, "status", "--competition", String(third.json.competition));
    expect(afterCancel.json.rewardForfeited).to.equal(true);

    const odds = await cli(undefined, "odds", "--groups", "20", "--training-ratio", "0.8", "--attempts", "5");
    expect(odds.code).to.equal(0);
    expect(Number(odds.json.probability)).to.be.closeTo(0.00103199, 1e-8);
    // One chosen group in the training set: 16/20 per draw, 1 − 0.2^5 over five draws.
    expect(Number(odds.json.groupPlacementPerDraw)).to.equal(0.8);
    expect(Number(odds.json.groupPlacementProbability)).to.be.closeTo(1 - 0.2 ** 5, 1e-12);
  });
});

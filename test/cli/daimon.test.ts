/**
 * The DaiMoN CLI end to end, as agents would use it: a real `hardhat node` on a free port (never 8545), the app's
 * IPFS routes served from this process on another free port (the real upload and gateway handlers over an embedded
 * store), every command a separate process with --json. A whole problem: deploy, create, add-tuple (training f),
 * register, prove, submit-proof, two validators verify and vote, commit-block, claim, chain, balances — with the
 * token balances checked against the fixed-point reward — and the refusals that send nothing.
 */
import { expect } from "chai";
import { startHardhatNode, type HardhatNode } from "../support/hardhatNode";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { createPublicClient, createTestClient, http as httpTransport, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { devPrivateKey } from "../../lib/chain/devAccounts";
import { readTokenBalance } from "../../lib/chain/daimon";
import { handleIpfsGateway, handleIpfsUpload } from "../../lib/ipfs/handlers";
import { EmbeddedIpfsStore } from "../../lib/ipfs/store";
import { computeCid } from "../../lib/ipfs/cid";
import { syntheticTestSet, nearestCentroidModel } from "../../lib/daimon/demo";
import { buildClassifierOnnx } from "../../lib/daimon/classifierOnnx";
import { decodeTestInputs, serializeLabelledTestSet } from "../../lib/daimon/inputs";
import { bruteForceOdds } from "../../lib/daimon/bruteForce";
import { DAIMON_LIMITS, WAD, improverReward, validatorShare } from "../../lib/daimon/fixedPoint";
import { parseProblemMetadata } from "../../lib/daimon/metadata";

const execFileAsync = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..");
const CLI = path.join(ROOT, "bin", "modelbounty.cjs");

const KEYS = {
  creator: devPrivateKey(0),
  alice: devPrivateKey(1),
  bob: devPrivateKey(2),
  carol: devPrivateKey(3),
  dave: devPrivateKey(4),
};
const address = (key: Hex) => privateKeyToAccount(key).address;

interface CliResult {
  code: number;
  json: Record<string, unknown>;
  stderr: string;
  seconds: number;
}

describe("modelbounty daimon CLI against a real local chain and the app's IPFS routes", function () {
  let node: HardhatNode | undefined;
  let ipfsServer: http.Server;
  let rpc: string;
  let ipfsBase: string;
  let workdir: string;
  let store: EmbeddedIpfsStore;
  let publicClient: ReturnType<typeof createPublicClient>;
  let testClient: ReturnType<typeof createTestClient>;

  async function run(key: Hex | undefined, args: string[]): Promise<CliResult> {
    const env: NodeJS.ProcessEnv = { ...process.env, MODELBOUNTY_RPC_URL: rpc };
    delete env.MODELBOUNTY_PRIVATE_KEY;
    delete env.MODELBOUNTY_PROBLEM_FACTORY;
    if (key) env.MODELBOUNTY_PRIVATE_KEY = key;
    const started = performance.now();
    try {
      const { stdout, stderr } = await execFileAsync(process.execPath, [CLI, "--json", ...args], { cwd: workdir, env, timeout: 180_000 });
      return { code: 0, json: JSON.parse(stdout) as Record<string, unknown>, stderr, seconds: (performance.now() - started) / 1000 };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      const stdout = failed.stdout ?? "";
      return {
        code: typeof failed.code === "number" ? failed.code : 1,
        json: stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {},
        stderr: failed.stderr ?? "",
        seconds: (performance.now() - started) / 1000,
      };
    }
  }

  /** `modelbounty --json daimon --ipfs <this test's IPFS> <command> …` */
  const daimon = (key: Hex | undefined, command: string, ...args: string[]) => run(key, ["daimon", "--ipfs", ipfsBase, command, ...args]);

  async function mineTo(block: bigint): Promise<void> {
    const current = await publicClient.getBlockNumber();
    if (block > current) await testClient.mine({ blocks: Number(block - current) });
  }

  const nonceOf = (key: Hex) => publicClient.getTransactionCount({ address: address(key) });

  before(async function () {
    this.timeout(120_000);
    workdir = mkdtempSync(path.join(os.tmpdir(), "modelbounty-daimon-cli-"));
    node = await startHardhatNode();
    rpc = node.rpcUrl;
    publicClient = createPublicClient({ transport: httpTransport(rpc), cacheTime: 0 });
    testClient = createTestClient({ mode: "hardhat", transport: httpTransport(rpc) });

    // The app's two IPFS routes, exactly as app/ wires them, over an embedded store of this test's own.
    store = new EmbeddedIpfsStore(path.join(workdir, "ipfs"));
    ipfsServer = http.createServer((req, res) => {
      void (async () => {
        const url = new URL(req.url ?? "/", ipfsBase);
        const request = new Request(url, {
          method: req.method,
          headers: req.headers as Record<string, string>,
          body: req.method === "POST" ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
          duplex: "half",
        } as RequestInit);
        const response =
          url.pathname === "/api/ipfs" ? await handleIpfsUpload(request, { store, maxBytes: 50 * 1024 * 1024 }) : await handleIpfsGateway(request, url.pathname.replace(/^\/ipfs\//, ""), { store });
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      })();
    });
    await new Promise<void>((resolve) => ipfsServer.listen(0, "127.0.0.1", resolve));
    ipfsBase = `http://127.0.0.1:${(ipfsServer.address() as AddressInfo).port}`;

    // A 3-class problem, 4 float inputs per point, m = 200; two nearest-centroid models of different quality.
    const set = syntheticTestSet({ m: 200, classCount: 3, features: 4, seed: 77, spread: 0.22 });
    writeFileSync(path.join(workdir, "testset.json"), serializeLabelledTestSet(set));
    writeFileSync(path.join(workdir, "good.onnx"), buildClassifierOnnx(nearestCentroidModel(set.centroids)));
    writeFileSync(path.join(workdir, "weak.onnx"), buildClassifierOnnx(nearestCentroidModel(set.centroids, { jitter: 0.35, seed: 3 })));
    writeFileSync(path.join(workdir, "bad-labels.json"), serializeLabelledTestSet({ ...set, labels: set.labels.map((l, i) => (i === 17 ? 3 : l)) }));
  });

  after(async () => {
    node?.stop();
    await new Promise<void>((resolve) => (ipfsServer ? ipfsServer.close(() => resolve()) : resolve()));
  });

  it("runs a whole problem: create, add-tuple, register, prove, submit, two verified votes, commit, claim, chain, balances", async function () {
    this.timeout(900_000);
    const deployed = await run(KEYS.creator, ["deploy"]);
    expect(deployed.code, JSON.stringify(deployed)).to.equal(0);
    const recorded = JSON.parse(readFileSync(path.join(workdir, "deployments", "31337.json"), "utf8")) as Record<string, { address: string }>;
    expect(recorded.ProblemFactory?.address.toLowerCase()).to.equal(String(deployed.json.problemFactory).toLowerCase());
    expect(recorded.CompetitionFactory?.address.toLowerCase()).to.equal(String(deployed.json.factory).toLowerCase());

    // Bad input: refused before anything is sent.
    const creatorNonce = await nonceOf(KEYS.creator);
    const badMargin = await daimon(KEYS.creator, "create", "--name", "Demo", "--symbol", "DEMO", "--classes", "3", "--test-set-size", "200", "--input-shape", "4", "--margin", "0.9", "--title", "x");
    expect(badMargin.code).to.not.equal(0);
    expect(String(badMargin.json.error)).to.match(/--margin must be between 0 and 0\.5/);
    const noMetadata = await daimon(KEYS.creator, "create", "--name", "Demo", "--symbol", "DEMO", "--classes", "3", "--test-set-size", "200", "--input-shape", "4");
    expect(String(noMetadata.json.error)).to.match(/needs metadata: pass --title/);
    const badLabels = await daimon(KEYS.creator, "create", "--name", "Demo", "--symbol", "DEMO", "--classes", "3", "--title", "x", "--test-set", "bad-labels.json");
    expect(badLabels.code).to.not.equal(0);
    expect(String(badLabels.json.error)).to.match(/label 17 is 3; labels are integers 0…2/);
    expect(await nonceOf(KEYS.creator)).to.equal(creatorNonce);

    const created = await daimon(
      KEYS.creator,
      "create",
      "--name", "Fault token", "--symbol", "FAULT", "--classes", "3", "--embedding", "32", "--test-set-size", "200", "--input-shape", "4",
      "--definition-period", "30", "--competition-period", "40", "--min-votes", "2", "--margin", "0.01", "--reward-scale", "1000",
      "--title", "Machine faults", "--class-names", "normal,wear,misalignment",
    );
    expect(created.code, JSON.stringify(created)).to.equal(0);
    const problem = created.json.problem as Address;
    const token = created.json.token as Address;
    const metadata = parseProblemMetadata(new TextDecoder().decode(await store.get(String(created.json.metadataCid))), 3);
    expect(metadata.title).to.equal("Machine faults");

    // add-tuple trains f here, prints its quality and the brute-force odds, uploads Z and f and submits y_t.
    const added = await daimon(KEYS.alice, "add-tuple", "--problem", problem, "--test-set", "testset.json", "--hidden", "128", "--steps", "300", "--batch-size", "64");
    expect(added.code, JSON.stringify(added)).to.equal(0);
    process.stdout.write(`      add-tuple: f trained in ${Number(added.json.trainingSeconds).toFixed(1)} s, the command took ${added.seconds.toFixed(1)} s\n`);
    expect(added.json.index).to.equal("0");
    const quality = added.json.quality as Record<string, number>;
    expect(quality.pearson).to.be.above(0.95);
    expect(quality.mae).to.be.below(0.05);
    const odds = added.json.bruteForce as { epsilon: number; p: number; q: number };
    expect(odds.epsilon).to.equal(0.1);
    expect(odds.p).to.equal(bruteForceOdds(32, 0.1).p);
    expect(odds.q).to.be.closeTo(1 / odds.p, 1);
    const z = await store.get(String(added.json.inputsCid));
    expect(decodeTestInputs(z!).shape).to.deep.equal([200, 4]);
    expect(await store.get(String(added.json.delCid))).to.not.equal(undefined);
    expect(String(added.json.target)).to.match(/^0x[0-9a-f]{128}$/);

    let status = await daimon(undefined, "status", "--problem", problem);
    expect(status.json.phase).to.equal("Definition");
    const definitionEnd = BigInt(String(status.json.definitionEnd));

    // Register during the definition period (allowed); a proof must wait for the competition.
    const bobNonce = await nonceOf(KEYS.bob);
    const registered = await daimon(KEYS.bob, "register", "--problem", problem, "--model", "good.onnx");
    expect(registered.code, JSON.stringify(registered)).to.equal(0);
    expect(registered.json.cid).to.equal(await computeCid(new Uint8Array(readFileSync(path.join(workdir, "good.onnx")))));
    // The registration commits to the outputs PROVE computed, and its proof is accepted REGISTRATION_AGE blocks later.
    expect(registered.json.usableFrom).to.equal((BigInt(String(registered.json.registeredAt)) + 8n).toString());
    expect(String(registered.json.outputs)).to.match(/^0x[0-9a-f]{128}$/);
    const early = await daimon(KEYS.bob, "submit-proof", "--problem", problem, "--model", "good.onnx");
    expect(early.code).to.not.equal(0);
    expect(String(early.json.error)).to.match(new RegExp(`proofs are accepted from block ${definitionEnd}`));
    expect(await nonceOf(KEYS.bob)).to.equal(bobNonce + 1);
    // The model is not public yet: registering published nothing.
    expect(await store.has(String(registered.json.cid))).to.equal(false);

    await mineTo(definitionEnd);
    const offline = await daimon(KEYS.bob, "prove", "--problem", problem, "--model", "good.onnx");
    expect(offline.code, JSON.stringify(offline)).to.equal(0);
    expect(offline.json.improves).to.equal(true);
    const weakOffline = await daimon(undefined, "prove", "--problem", problem, "--model", "weak.onnx");
    expect(BigInt(String(weakOffline.json.distance)) > BigInt(String(offline.json.distance)), "the better model has the smaller distance").to.equal(true);

    const submitted = await daimon(KEYS.bob, "submit-proof", "--problem", problem, "--model", "good.onnx");
    expect(submitted.code, JSON.stringify(submitted)).to.equal(0);
    expect(submitted.json.proofId).to.equal("0");
    expect(submitted.json.distance).to.equal(offline.json.distance);
    expect(submitted.json.proofHash).to.equal(offline.json.proofHash);
    expect(submitted.json.published).to.equal(registered.json.cid);
    expect(submitted.json.outputs).to.equal(registered.json.outputs);
    const distance = BigInt(String(submitted.json.distance));

    // Two validators: verify (through the app's routes, and once straight from the store's folder), then vote.
    const verified = await daimon(KEYS.carol, "verify", "--problem", problem, "--proof-id", "0");
    expect(verified.code, JSON.stringify(verified)).to.equal(0);
    expect(verified.json.verified).to.equal(true);
    expect((verified.json.checks as { name: string; ok: boolean }[]).every((c) => c.ok)).to.equal(true);
    const fromFolder = await run(KEYS.dave, ["daimon", "--ipfs-dir", path.join(workdir, "ipfs"), "verify", "--problem", problem, "--proof-id", "0"]);
    expect(fromFolder.code, JSON.stringify(fromFolder)).to.equal(0);
    expect(fromFolder.json.verified).to.equal(true);

    // An output dispute needs the proof's labels: an ONNX model's are neither posted nor recomputable on chain.
    const disputeNonce = await nonceOf(KEYS.carol);
    const noLabels = await daimon(KEYS.carol, "dispute-output", "--problem", problem, "--proof-id", "0", "--dry-run");
    expect(noLabels.code).to.not.equal(0);
    expect(String(noLabels.json.error)).to.match(/not a DanKu v1 model and its labels are not posted/);
    expect(await nonceOf(KEYS.carol)).to.equal(disputeNonce);

    const selfVote = await daimon(KEYS.bob, "vote", "--problem", problem, "--proof-id", "0");
    expect(String(selfVote.json.error)).to.match(/improver cannot vote/);
    expect(await nonceOf(KEYS.bob)).to.equal(bobNonce + 2);
    const carolVote = await daimon(KEYS.carol, "vote", "--problem", problem, "--proof-id", "0");
    expect(carolVote.code, JSON.stringify(carolVote)).to.equal(0);
    expect(carolVote.json.position).to.equal("1");
    const daveVote = await daimon(KEYS.dave, "vote", "--problem", problem, "--proof-id", "0");
    expect(daveVote.json.position).to.equal("2");
    const carolNonce = await nonceOf(KEYS.carol);
    const twice = await daimon(KEYS.carol, "vote", "--problem", problem, "--proof-id", "0");
    expect(String(twice.json.error)).to.match(/already voted for proof 0 \(position 1\)/);
    expect(await nonceOf(KEYS.carol)).to.equal(carolNonce);
    expect(String(carolVote.json.bond)).to.equal(DAIMON_LIMITS.VOTE_BOND.toString());
    // The vote bond is locked while the round (and its dispute window) lasts: refused before anything is sent.
    const locked = await daimon(KEYS.carol, "withdraw-vote-bond", "--problem", problem, "--proof-id", "0");
    expect(String(locked.json.error)).to.match(/locked until round 0 is over/);
    expect(await nonceOf(KEYS.carol)).to.equal(carolNonce);

    const tooEarly = await daimon(KEYS.bob, "commit-block", "--problem", problem);
    expect(String(tooEarly.json.error)).to.match(new RegExp(`round 0 ends at block ${definitionEnd + 40n}`));
    await mineTo(definitionEnd + 40n);
    const committed = await daimon(KEYS.bob, "commit-block", "--problem", problem);
    expect(committed.code, JSON.stringify(committed)).to.equal(0);
    const block = committed.json.block as Record<string, string>;
    expect(block.blockNumber).to.equal("1");
    expect(BigInt(block.distance!)).to.equal(distance);
    expect(block.voteCount).to.equal(2);
    const reward = improverReward(distance, WAD, 3, 1000n * 10n ** 18n);
    expect(BigInt(block.improverReward!)).to.equal(reward);

    // The proof survived its round: Carol takes her vote bond back, once; Alice never voted.
    const carolEth = await publicClient.getBalance({ address: address(KEYS.carol) });
    const withdrawn = await daimon(KEYS.carol, "withdraw-vote-bond", "--problem", problem, "--proof-id", "0");
    expect(withdrawn.code, JSON.stringify(withdrawn)).to.equal(0);
    expect(BigInt(String(withdrawn.json.amount))).to.equal(DAIMON_LIMITS.VOTE_BOND);
    const withdrawal = await publicClient.getTransactionReceipt({ hash: withdrawn.json.transaction as Hex });
    expect(await publicClient.getBalance({ address: address(KEYS.carol) })).to.equal(carolEth + DAIMON_LIMITS.VOTE_BOND - withdrawal.gasUsed * withdrawal.effectiveGasPrice);
    const withdrawTwice = await daimon(KEYS.carol, "withdraw-vote-bond", "--problem", problem, "--proof-id", "0");
    expect(String(withdrawTwice.json.error)).to.match(/already withdrew the vote bond on proof 0/);
    const noVote = await daimon(KEYS.alice, "withdraw-vote-bond", "--problem", problem, "--proof-id", "0");
    expect(String(noVote.json.error)).to.match(/did not vote for proof 0/);

    // Validators claim equal shares of a quarter of the improver's reward; a second claim sends nothing.
    const carolClaim = await daimon(KEYS.carol, "claim", "--problem", problem);
    expect(carolClaim.code, JSON.stringify(carolClaim)).to.equal(0);
    expect(BigInt(String(carolClaim.json.total))).to.equal(validatorShare(reward, 2));
    const daveClaim = await daimon(KEYS.dave, "claim", "--problem", problem, "--block", "1");
    expect(BigInt(String(daveClaim.json.total))).to.equal(validatorShare(reward, 2));
    const again = await daimon(KEYS.carol, "claim", "--problem", problem);
    expect(String(again.json.error)).to.match(/no validator reward to claim/);

    // The weak model is no improvement any more: refused with the distances, nothing but its registration sent.
    expect((await daimon(KEYS.alice, "register", "--problem", problem, "--model", "weak.onnx")).code).to.equal(0);
    const aliceNonce = await nonceOf(KEYS.alice);
    const worse = await daimon(KEYS.alice, "submit-proof", "--problem", problem, "--model", "weak.onnx");
    expect(worse.code).to.not.equal(0);
    expect(String(worse.json.error)).to.match(/not an improvement \(d \+ δ ≥ d_c\); nothing was sent/);
    expect(await nonceOf(KEYS.alice)).to.equal(aliceNonce);
    const noProof = await daimon(KEYS.carol, "verify", "--problem", problem, "--proof-id", "5");
    expect(String(noProof.json.error)).to.match(/there is no proof 5: the problem has 1 proof/);

    const chain = await daimon(undefined, "chain", "--problem", problem);
    expect(chain.code, JSON.stringify(chain)).to.equal(0);
    expect(chain.json.intact).to.equal(true);
    const blocks = chain.json.blocks as Record<string, string>[];
    expect(blocks.map((b) => b.kind)).to.deep.equal(["problem", "improvement"]);
    expect(blocks[1]!.distance).to.equal(distance.toString());
    expect(blocks[1]!.previousDistance).to.equal(WAD.toString());

    const balances = await daimon(undefined, "balances", "--problem", problem);
    expect(balances.code, JSON.stringify(balances)).to.equal(0);
    const byAccount = new Map((balances.json.balances as { account: string; balance: string; claimable: string }[]).map((b) => [b.account.toLowerCase(), b]));
    const expected: [Hex, bigint][] = [
      [KEYS.bob, reward],
      [KEYS.carol, validatorShare(reward, 2)],
      [KEYS.dave, validatorShare(reward, 2)],
      [KEYS.alice, 0n],
      [KEYS.creator, 0n],
    ];
    for (const [key, amount] of expected) {
      expect(BigInt(byAccount.get(address(key).toLowerCase())?.balance ?? "-1"), address(key)).to.equal(amount);
      expect(await readTokenBalance(publicClient as never, token, address(key))).to.equal(amount);
    }
    status = await daimon(undefined, "status", "--problem", problem);
    expect(status.json.bestDistance).to.equal(distance.toString());
    expect(status.json.chainLength).to.equal(2);

    const listed = await daimon(undefined, "list");
    expect((listed.json.problems as { address: string }[]).map((p) => p.address.toLowerCase())).to.include(problem.toLowerCase());
  });

  it("create with a first tuple trains f and adds it in the creating transaction; bad input sends nothing", async function () {
    this.timeout(300_000);
    const created = await daimon(
      KEYS.alice,
      "create",
      "--name", "Second", "--symbol", "TWO", "--classes", "3", "--embedding", "16", "--title", "With a tuple",
      "--test-set", "testset.json", "--hidden", "64", "--steps", "60", "--closed",
    );
    expect(created.code, JSON.stringify(created)).to.equal(0);
    const tuple = created.json.tuple as Record<string, unknown>;
    expect(String(tuple.target)).to.match(/^0x[0-9a-f]{64}$/);
    expect((created.json.config as Record<string, unknown>).testSetSize).to.equal(200);
    expect(created.json.inputShape).to.deep.equal([4]);
    const problem = String(created.json.problem);

    // Closed tuples: another account is refused before training; a test set of another size too.
    const nonce = await nonceOf(KEYS.bob);
    const closed = await daimon(KEYS.bob, "add-tuple", "--problem", problem, "--test-set", "testset.json");
    expect(String(closed.json.error)).to.match(/only the creator .* may add tuples/);
    writeFileSync(path.join(workdir, "small.json"), JSON.stringify({ inputs: [[1, 2, 3, 4]], labels: [0] }));
    const small = await daimon(KEYS.alice, "add-tuple", "--problem", problem, "--test-set", "small.json");
    expect(String(small.json.error)).to.match(/has 1 points, the problem's test set size is 200/);
    const notProblem = await daimon(KEYS.bob, "status", "--problem", "0x000000000000000000000000000000000000dEaD");
    expect(String(notProblem.json.error)).to.match(/there is no contract at/);
    const noIpfs = await run(KEYS.bob, ["daimon", "--ipfs", "http://127.0.0.1:9", "prove", "--problem", problem, "--model", "good.onnx"]);
    expect(String(noIpfs.json.error)).to.match(/is the app running there/);
    expect(await nonceOf(KEYS.bob)).to.equal(nonce);
  });
});

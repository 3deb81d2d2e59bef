/**
 * Every custom error of the DaiMoN contracts with the arguments that explain it, and the exact boundaries of every
 * configuration bound (docs/daimon.md §1).
 */
import hre from "hardhat";
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress, getContract, parseAbi, zeroHash, type Address, type Hex } from "viem";
import { daimonProblemAbi, problemTokenAbi } from "../../lib/generated/abis";
import { DAIMON_LIMITS, WAD, proofDistance } from "../../lib/daimon/fixedPoint";
import { cidHash, proofHash, registrationHash, type ProblemConfig, type ProblemSpec } from "../../lib/daimon/encoding";
import {
  testBinding,
  BOND,
  proofArgs,
  DEFAULT_CONFIG,
  Field,
  Phase,
  castVote,
  createProblem,
  deployEnv,
  expectRevert,
  factoryAs,
  hexOutputs,
  hexVector,
  makeSpec,
  makeTuple,
  outputsNear,
  receipt,
  registerAndSubmit,
  registerProof,
  toUsable,
  roundStart,
  toRound,
  wallet,
  wallets,
  mineUntilNextTxIn,
  type Env,
  type WalletClient,
  VOTE_BOND,
} from "./fixtures";

const daimonActorAbi = parseAbi([
  "function registerAndSubmit(address problem, string cid, bytes checkpoints, bytes outputs) payable",
  "function register(address problem, string cid, bytes outputs)",
  "function submit(address problem, string cid, bytes checkpoints, bytes outputs)",
]);

/** An EIP-1167 clone of `implementation` deployed by `deployer` (not by the factory). */
async function rawClone(env: Env, implementation: Address, deployer: WalletClient): Promise<Address> {
  const bytecode = `0x3d602d80600a3d3981f3363d3d373d3d3d363d73${implementation.slice(2)}5af43d82803e903d91602b57fd5bf3` as Hex;
  const hash = await deployer.deployContract({ abi: [], bytecode, account: deployer.account, chain: deployer.chain });
  const r = await env.publicClient.waitForTransactionReceipt({ hash });
  if (!r.contractAddress) throw new Error("clone deployment failed");
  return r.contractAddress;
}

async function inCompetition(env: Env, config: Partial<ProblemConfig> = {}, tupleCount = 2) {
  const created = await createProblem(env, { config, tupleCount });
  await toRound(env, created, 0);
  return created;
}

describe("DaimonProblem reverts", function () {
  describe("factory and initialization", function () {
    const W = DAIMON_LIMITS;
    const cases: [keyof typeof Field, Partial<ProblemConfig>, Partial<Omit<ProblemSpec, "config">>, bigint, bigint, bigint, number][] = [
      ["ClassCount", { classCount: 1 }, {}, 1n, 2n, 65_535n, 0],
      ["TestSetSize", { testSetSize: 0 }, {}, 0n, 1n, W.MAX_TEST_SET_SIZE, 0],
      ["EmbeddingSize", { embeddingSize: 1 }, {}, 1n, 2n, 256n, 0],
      ["EmbeddingSize", { embeddingSize: 257 }, {}, 257n, 2n, 256n, 0],
      ["DefinitionPeriod", { definitionPeriod: 9 }, {}, 9n, 10n, 2_000_000n, 0],
      ["DefinitionPeriod", { definitionPeriod: 2_000_001 }, {}, 2_000_001n, 10n, 2_000_000n, 0],
      ["CompetitionPeriod", { competitionPeriod: 9 }, {}, 9n, 10n, 2_000_000n, 0],
      ["CompetitionPeriod", { competitionPeriod: 2_000_001 }, {}, 2_000_001n, 10n, 2_000_000n, 0],
      ["RewardShape", { rewardShape: 0 }, {}, 0n, 1n, 32n, 0],
      ["RewardShape", { rewardShape: 33 }, {}, 33n, 1n, 32n, 0],
      ["MinVotes", { minVotes: 0 }, {}, 0n, 1n, 1000n, 0],
      ["MinVotes", { minVotes: 1001 }, {}, 1001n, 1n, 1000n, 0],
      ["Margin", { margin: WAD / 2n + 1n }, {}, WAD / 2n + 1n, 0n, WAD / 2n, 0],
      ["RewardScale", { rewardScale: 0n }, {}, 0n, 1n, 10n ** 30n, 0],
      ["RewardScale", { rewardScale: 10n ** 30n + 1n }, {}, 10n ** 30n + 1n, 1n, 10n ** 30n, 0],
      ["InputRank", {}, { inputShape: [] }, 0n, 1n, 8n, 0],
      ["InputRank", {}, { inputShape: [1, 1, 1, 1, 1, 1, 1, 1, 1] }, 9n, 1n, 8n, 0],
      ["InputDimension", {}, { inputShape: [3, 0] }, 0n, 1n, 4_294_967_295n, 0],
      ["NameLength", {}, { name: "" }, 0n, 1n, 64n, 0],
      ["NameLength", {}, { name: "n".repeat(65) }, 65n, 1n, 64n, 0],
      ["SymbolLength", {}, { symbol: "" }, 0n, 1n, 16n, 0],
      ["SymbolLength", {}, { symbol: "S".repeat(17) }, 17n, 1n, 16n, 0],
      ["MetadataCidLength", {}, { metadataCid: "" }, 0n, 1n, 128n, 0],
      ["MetadataCidLength", {}, { metadataCid: "b".repeat(129) }, 129n, 1n, 128n, 0],
      ["InitialTuples", {}, {}, 9n, 0n, 8n, 9],
    ];
    for (const [field, config, patch, value, min, max, tuples] of cases) {
      it(`rejects ${field} = ${value} with ConfigOutOfRange`, async function () {
        const env = await loadFixture(deployEnv);
        const spec = makeSpec(config, patch);
        const initial = Array.from({ length: tuples }, (_, i) => makeTuple(spec.config.embeddingSize, i).tuple);
        await expectRevert(
          factoryAs(env, wallet(env, 0)).write.createProblem([{ ...spec, inputShape: [...spec.inputShape] }, initial]),
          "ConfigOutOfRange",
          [Field[field], value, min, max],
        );
      });
    }

    it("accepts every bound at its limit", async function () {
      const env = await loadFixture(deployEnv);
      const low: ProblemConfig = {
        classCount: 2,
        testSetSize: 1,
        embeddingSize: 2,
        definitionPeriod: 10,
        competitionPeriod: 10,
        rewardShape: 1,
        minVotes: 1,
        openTuples: false,
        margin: 0n,
        rewardScale: 1n,
      };
      const high: ProblemConfig = {
        classCount: 65_535,
        testSetSize: 4_294_967_295,
        embeddingSize: 256,
        definitionPeriod: 2_000_000,
        competitionPeriod: 2_000_000,
        rewardShape: 32,
        minVotes: 1000,
        openTuples: true,
        margin: WAD / 2n,
        rewardScale: 10n ** 30n,
      };
      await createProblem(env, { spec: makeSpec(low, { inputShape: [1], name: "n", symbol: "s", metadataCid: "c" }), tupleCount: 0 });
      await createProblem(env, {
        spec: makeSpec(high, { inputShape: Array(8).fill(4_294_967_295), name: "n".repeat(64), symbol: "s".repeat(16), metadataCid: "c".repeat(128) }),
        tupleCount: 8,
      });
    });

    it("lets only the factory initialize a clone, once", async function () {
      const env = await loadFixture(deployEnv);
      const created = await createProblem(env);
      const factory = factoryAs(env, wallet(env, 0));
      const [problemImpl, tokenImpl] = await Promise.all([factory.read.problemImplementation(), factory.read.tokenImplementation()]);
      const stranger = wallet(env, 3);
      const spec = makeSpec();
      const args = [stranger.account.address, created.token, { ...spec, inputShape: [...spec.inputShape] }, []] as const;
      const problemClone = getContract({ address: await rawClone(env, problemImpl, stranger), abi: daimonProblemAbi, client: { wallet: stranger } });
      await expectRevert(problemClone.write.initialize(args), "NotFactory", [getAddress(stranger.account.address), getAddress(env.factory)]);
      const tokenClone = getContract({ address: await rawClone(env, tokenImpl, stranger), abi: problemTokenAbi, client: { wallet: stranger } });
      await expectRevert(tokenClone.write.initialize([stranger.account.address, "x", "x"]), "NotFactory", [
        getAddress(stranger.account.address),
        getAddress(env.factory),
      ]);
      // The implementations and initialized clones refuse any (re-)initialization.
      const impl = getContract({ address: problemImpl, abi: daimonProblemAbi, client: { wallet: stranger } });
      await expectRevert(impl.write.initialize(args), "InvalidInitialization", []);
      await expectRevert(created.as(stranger).write.initialize(args), "InvalidInitialization", []);
      const token = getContract({ address: created.token, abi: problemTokenAbi, client: { wallet: stranger } });
      await expectRevert(token.write.initialize([stranger.account.address, "x", "x"]), "InvalidInitialization", []);
    });

    it("lets only the problem mint its token", async function () {
      const env = await loadFixture(deployEnv);
      const created = await createProblem(env);
      const token = getContract({ address: created.token, abi: problemTokenAbi, client: { wallet: wallet(env, 0) } });
      await expectRevert(token.write.mint([wallet(env, 0).account.address, 1n]), "NotProblem", [
        getAddress(wallet(env, 0).account.address),
        getAddress(created.address),
      ]);
    });

    it("names the index of a missing problem", async function () {
      const env = await loadFixture(deployEnv);
      const factory = factoryAs(env, wallet(env, 0));
      await expectRevert(factory.read.problemAt([0n]), "ProblemIndexOutOfRange", [0n, 0n]);
    });
  });

  describe("definition period", function () {
    it("adds tuples only during T_p", async function () {
      const env = await loadFixture(deployEnv);
      const created = await createProblem(env);
      const t = makeTuple(16, 9).tuple;
      await mineUntilNextTxIn(env, created.definitionEnd - 1n);
      await receipt(env, created.as(wallet(env, 1)).write.addTuple([t.inputsCid, t.delCid, t.inputsRoot, t.delRoot, t.target]));
      await expectRevert(created.as(wallet(env, 1)).write.addTuple([t.inputsCid, t.delCid, t.inputsRoot, t.delRoot, t.target]), "WrongPhase", [
        Phase.Competition,
        Phase.Definition,
      ]);
    });

    it("lets only the creator add tuples when openTuples is false", async function () {
      const env = await loadFixture(deployEnv);
      const created = await createProblem(env, { config: { openTuples: false } });
      const t = makeTuple(16, 9).tuple;
      await expectRevert(created.as(wallet(env, 1)).write.addTuple([t.inputsCid, t.delCid, t.inputsRoot, t.delRoot, t.target]), "NotCreator", [
        getAddress(wallet(env, 1).account.address),
        getAddress(wallet(env, 0).account.address),
      ]);
      await receipt(env, created.as(wallet(env, 0)).write.addTuple([t.inputsCid, t.delCid, t.inputsRoot, t.delRoot, t.target]));
    });

    it("checks the tuple count, the CIDs and y_t", async function () {
      const env = await loadFixture(deployEnv);
      const created = await createProblem(env, { tupleCount: 7 });
      const p = created.as(wallet(env, 1));
      const t = makeTuple(16, 9).tuple;
      await expectRevert(p.write.addTuple(["", t.delCid, t.inputsRoot, t.delRoot, t.target]), "CidLength", [0n, 128n]);
      await expectRevert(p.write.addTuple([t.inputsCid, "x".repeat(129), t.inputsRoot, t.delRoot, t.target]), "CidLength", [129n, 128n]);
      await expectRevert(p.write.addTuple([t.inputsCid, t.delCid, t.inputsRoot, t.delRoot, hexVector(Array(15).fill(1))]), "VectorLength", [7n, 30n, 32n]);
      await expectRevert(p.write.addTuple([t.inputsCid, t.delCid, t.inputsRoot, t.delRoot, hexVector(Array(17).fill(1))]), "VectorLength", [7n, 34n, 32n]);
      await expectRevert(p.write.addTuple([t.inputsCid, t.delCid, t.inputsRoot, t.delRoot, hexVector(Array(16).fill(0))]), "ZeroVector", [7n]);
      await receipt(env, p.write.addTuple([t.inputsCid, t.delCid, t.inputsRoot, t.delRoot, hexVector([...Array(15).fill(0), -1])]));
      await expectRevert(p.write.addTuple([t.inputsCid, t.delCid, t.inputsRoot, t.delRoot, t.target]), "TooManyTuples", [8n]);
    });

    it("commits the Problem block once, after T_p, and only with at least one tuple", async function () {
      const env = await loadFixture(deployEnv);
      const created = await createProblem(env);
      const p = created.as(wallet(env, 2));
      await expectRevert(p.write.commitProblemBlock(), "WrongPhase", [Phase.Definition, Phase.Competition]);
      await expectRevert(p.read.currentRound(), "WrongPhase", [Phase.Definition, Phase.Competition]);
      await toRound(env, created, 0);
      await receipt(env, p.write.commitProblemBlock());
      await expectRevert(p.write.commitProblemBlock(), "ProblemBlockAlreadyCommitted", []);
    });

    it("is dead when T_p ends without a tuple: every action reverts", async function () {
      const env = await loadFixture(deployEnv);
      const created = await createProblem(env, { tupleCount: 0 });
      const p = created.as(wallet(env, 1));
      await receipt(env, p.write.register([registrationHash(created.address, wallet(env, 1).account.address, "bafy-early", "0x")]));
      await mineUntilNextTxIn(env, created.definitionEnd + 1n); // the latest block is definitionEnd
      expect(await p.read.phase()).to.equal(Phase.Dead);
      const dead = [Phase.Dead, Phase.Competition];
      const t = makeTuple(16, 1).tuple;
      await expectRevert(p.write.addTuple([t.inputsCid, t.delCid, t.inputsRoot, t.delRoot, t.target]), "WrongPhase", [Phase.Dead, Phase.Definition]);
      await expectRevert(p.write.commitProblemBlock(), "WrongPhase", dead);
      await expectRevert(p.write.register([registrationHash(created.address, wallet(env, 1).account.address, "bafy-x", "0x")]), "WrongPhase", dead);
      await expectRevert(p.write.submitProof(proofArgs("bafy-early", "0x"), BOND), "WrongPhase", dead);
      await expectRevert(p.write.vote([0n, `0x${"00".repeat(32)}`], VOTE_BOND), "WrongPhase", dead);
      await expectRevert(p.write.commitImprovementBlock(), "WrongPhase", dead);
      await expectRevert(p.write.claimValidatorReward([1n]), "WrongPhase", dead);
    });

    it("names missing tuples, blocks and proofs in views", async function () {
      const env = await loadFixture(deployEnv);
      const created = await createProblem(env);
      const p = created.as(wallet(env, 1));
      await expectRevert(p.read.tupleTarget([1n]), "UnknownTuple", [1n, 1n]);
      await expectRevert(p.read.blockHashAt([0n]), "UnknownBlock", [0n, 0n]);
      await expectRevert(p.read.improvementBlockAt([0n]), "UnknownBlock", [0n, 0n]);
      await expectRevert(p.read.proofAt([0n]), "UnknownProof", [0n, 0n]);
    });
  });

  describe("registration and proofs", function () {
    it("refuses proofs during the definition period, even registered ones", async function () {
      const env = await loadFixture(deployEnv);
      const created = await createProblem(env);
      const improver = wallet(env, 1);
      const p = created.as(improver);
      await registerProof(env, created, improver, "bafy-m", outputsNear(created, 100, 1));
      await expectRevert(p.write.submitProof(proofArgs("bafy-m", hexOutputs(outputsNear(created, 100, 1))), BOND), "WrongPhase", [
        Phase.Definition,
        Phase.Competition,
      ]);
      // The registration made during T_p is valid in round 0 (it is older than REGISTRATION_AGE by then).
      await toRound(env, created, 0);
      await receipt(env, p.write.submitProof(proofArgs("bafy-m", hexOutputs(outputsNear(created, 100, 1))), BOND));
    });

    it("refuses a second registration of the same hash", async function () {
      const env = await loadFixture(deployEnv);
      const created = await inCompetition(env);
      const registration = registrationHash(created.address, wallet(env, 1).account.address, "bafy-m", hexOutputs(outputsNear(created, 500, 1)));
      await receipt(env, created.as(wallet(env, 1)).write.register([registration]));
      await expectRevert(created.as(wallet(env, 2)).write.register([registration]), "AlreadyRegistered", [registration]);
    });

    it("needs the caller's own registration of exactly this CID and these outputs, REGISTRATION_AGE blocks old", async function () {
      const env = await loadFixture(deployEnv);
      const created = await inCompetition(env);
      const [alice, bob] = wallets(env, 1, 2);
      const outputs = hexOutputs(outputsNear(created, 500, 1));
      const mine = registrationHash(created.address, alice.account.address, "bafy-m", outputs);
      await expectRevert(created.as(alice).write.submitProof(proofArgs("bafy-m", outputs), BOND), "NotRegistered", [mine]);
      const registered = await registerProof(env, created, alice, "bafy-m", outputs);
      // Alice's registration does not let Bob submit her CID and outputs.
      await expectRevert(created.as(bob).write.submitProof(proofArgs("bafy-m", outputs), BOND), "NotRegistered", [
        registrationHash(created.address, bob.account.address, "bafy-m", outputs),
      ]);
      // Nor herself other outputs under that CID: the registration commits to both.
      const other = hexOutputs(outputsNear(created, 501, 1));
      await expectRevert(created.as(alice).write.submitProof(proofArgs("bafy-m", other), BOND), "NotRegistered", [
        registrationHash(created.address, alice.account.address, "bafy-m", other),
      ]);
      // Younger than REGISTRATION_AGE: refused in every block up to usableFrom − 1, accepted in usableFrom.
      const usableFrom = registered.blockNumber + DAIMON_LIMITS.REGISTRATION_AGE;
      expect(DAIMON_LIMITS.REGISTRATION_AGE).to.equal(8n);
      await mineUntilNextTxIn(env, usableFrom - 1n);
      await expectRevert(created.as(alice).write.submitProof(proofArgs("bafy-m", outputs), BOND), "RegistrationTooRecent", [mine, registered.blockNumber, usableFrom]);
      await mineUntilNextTxIn(env, usableFrom);
      const accepted = await receipt(env, created.as(alice).write.submitProof(proofArgs("bafy-m", outputs), BOND));
      expect(accepted.blockNumber).to.equal(usableFrom);
      // Registering and submitting in one block is refused.
      const actor = await hre.viem.deployContract("DaimonActor", []);
      const actorAs = getContract({ address: actor.address, abi: daimonActorAbi, client: { wallet: alice } });
      const better = hexOutputs(outputsNear(created, 100, 1));
      const registration = registrationHash(created.address, actor.address, "bafy-same-block", better);
      const now = await env.publicClient.getBlockNumber();
      await expectRevert(actorAs.write.registerAndSubmit([created.address, "bafy-same-block", "0x", better], BOND), "RegistrationTooRecent", [
        registration,
        now + 1n,
        now + 1n + DAIMON_LIMITS.REGISTRATION_AGE,
      ]);
    });

    it("checks the CID length", async function () {
      const env = await loadFixture(deployEnv);
      const created = await inCompetition(env);
      const outputs = hexOutputs(outputsNear(created, 500, 1));
      await expectRevert(created.as(wallet(env, 1)).write.submitProof(proofArgs("", outputs), BOND), "CidLength", [0n, 128n]);
      await expectRevert(created.as(wallet(env, 1)).write.submitProof(proofArgs("c".repeat(129), outputs), BOND), "CidLength", [129n, 128n]);
    });

    it("gives a CID to the account with the oldest registration that proves with it", async function () {
      const env = await loadFixture(deployEnv);
      // T_b = 60: four aged registrations and their proofs fit before the round's dispute window.
      const created = await inCompetition(env, { competitionPeriod: 60 });
      const [alice, bob] = wallets(env, 1, 2);
      const first = await registerAndSubmit(env, created, alice, "bafy-model", outputsNear(created, 3000, 1));
      // Bob saw the CID in Alice's proof; his own registration of it (even with other outputs) is younger, useless.
      const bobs = await registerProof(env, created, bob, first.cid, outputsNear(created, 2000, 9));
      await toUsable(env, bobs.blockNumber);
      await expectRevert(created.as(bob).write.submitProof(proofArgs(first.cid, hexOutputs(outputsNear(created, 2000, 9))), BOND), "CidTaken", [
        cidHash(first.cid),
        getAddress(alice.account.address),
      ]);
      await registerProof(env, created, bob, first.cid, first.outputs);
      await toUsable(env, await env.publicClient.getBlockNumber());
      await expectRevert(created.as(bob).write.submitProof(proofArgs(first.cid, first.outputs), BOND), "CidTaken", [
        cidHash(first.cid),
        getAddress(alice.account.address),
      ]);
      expect(await created.as(bob).read.cidOwner([cidHash(first.cid)])).to.equal(getAddress(alice.account.address));
    });

    it("checks the outputs: length, zero vectors and the improvement over d_c by δ", async function () {
      const env = await loadFixture(deployEnv);
      const created = await inCompetition(env);
      const improver = wallet(env, 1);
      const p = created.as(improver);
      const good = outputsNear(created, 500, 1);
      // The registration commits to the outputs, so each variant tried below is registered first.
      const variants: Hex[] = [
        hexOutputs([good[0] as number[]]),
        `${hexOutputs(good)}00`,
        hexOutputs([good[0] as number[], Array(16).fill(0)]),
        hexOutputs(created.tuples.map((t) => t.vector.map((x) => -x))),
        hexOutputs(good),
      ];
      for (const v of variants) await registerProof(env, created, improver, "bafy-m", v);
      await toUsable(env, await env.publicClient.getBlockNumber());
      await expectRevert(p.write.submitProof(proofArgs("bafy-m", hexOutputs([good[0] as number[]])), BOND), "ProofLength", [32n, 64n]);
      await expectRevert(p.write.submitProof(proofArgs("bafy-m", `${hexOutputs(good)}00`), BOND), "ProofLength", [65n, 64n]);
      await expectRevert(p.write.submitProof(proofArgs("bafy-m", hexOutputs([good[0] as number[], Array(16).fill(0)])), BOND), "ZeroVector", [1n]);
      await expectRevert(p.read.distanceOf([hexOutputs([Array(16).fill(0), good[1] as number[]])]), "ZeroVector", [0n]);
      // Opposite outputs: d = 1 per tuple, no improvement on d_c = 1.
      const opposite = created.tuples.map((t) => t.vector.map((x) => -x));
      await expectRevert(p.write.submitProof(proofArgs("bafy-m", hexOutputs(opposite)), BOND), "NoImprovement", [WAD, WAD, DEFAULT_CONFIG.margin]);
      const [distances] = await p.read.distanceOf([hexOutputs(good)]);
      expect(distances).to.deep.equal(proofDistance(created.tuples.map((t) => t.vector), good).distances);
      await receipt(env, p.write.submitProof(proofArgs("bafy-m", hexOutputs(good)), BOND));
    });

    it("refuses a proof whose distance is not below d_c − δ exactly at the boundary", async function () {
      const env = await loadFixture(deployEnv);
      // One tuple; cos = 7/25 exactly, so d = 0.72; margin = 1 − d makes d + δ = d_c = 1.
      const target = [1, ...Array(15).fill(0)];
      const outputs = [[7, 24, ...Array(14).fill(0)]];
      const d = proofDistance([target], outputs).distance;
      const tuple = { vector: target, tuple: { inputsCid: "z", delCid: "f", inputsRoot: zeroHash, delRoot: zeroHash, target: hexVector(target) } };
      for (const [margin, accepted] of [[WAD - d, false], [WAD - d - 1n, true]] as const) {
        const created = await createProblem(env, { config: { margin }, tuples: [tuple] });
        await toRound(env, created, 0);
        const improver = wallet(env, 1);
        const p = created.as(improver);
        await toUsable(env, (await registerProof(env, created, improver, "bafy-edge", outputs)).blockNumber);
        const call = p.write.submitProof(proofArgs("bafy-edge", hexOutputs(outputs)), BOND);
        if (accepted) await receipt(env, call);
        else await expectRevert(call, "NoImprovement", [d, WAD, margin]);
      }
      expect(d).to.equal(720_000_000_000_000_000n);
    });
  });

  describe("votes, commits and claims", function () {
    it("checks the proof id, its hash, the round, self-votes and double votes", async function () {
      const env = await loadFixture(deployEnv);
      const created = await inCompetition(env);
      const [improver, v1] = wallets(env, 1, 2);
      const proof = await registerAndSubmit(env, created, improver, "bafy-m", outputsNear(created, 1000, 1));
      const p = created.as(v1);
      await expectRevert(p.write.vote([1n, proof.proofHash], VOTE_BOND), "UnknownProof", [1n, 1n]);
      const wrong = proofHash(created.address, improver.account.address, "bafy-other", testBinding("bafy-other"), proof.outputs);
      await expectRevert(p.write.vote([0n, wrong], VOTE_BOND), "ProofHashMismatch", [0n, wrong, proof.proofHash]);
      await expectRevert(created.as(improver).write.vote([0n, proof.proofHash], VOTE_BOND), "SelfVote", [0n]);
      await castVote(env, created, v1, proof);
      await expectRevert(p.write.vote([0n, proof.proofHash], VOTE_BOND), "AlreadyVoted", [0n, getAddress(v1.account.address), 1n]);
      await toRound(env, created, 1);
      await expectRevert(created.as(wallet(env, 3)).write.vote([0n, proof.proofHash], VOTE_BOND), "VotingClosed", [0n, 0n, 1n]);
    });

    it("commits only a round with proofs, once it is over", async function () {
      const env = await loadFixture(deployEnv);
      const created = await inCompetition(env);
      const p = created.as(wallet(env, 2));
      await expectRevert(p.write.commitImprovementBlock(), "NothingToCommit", []);
      await registerAndSubmit(env, created, wallet(env, 1), "bafy-m", outputsNear(created, 1000, 1));
      await expectRevert(p.write.commitImprovementBlock(), "RoundNotOver", [0n, roundStart(created, 1)]);
    });

    it("pays validators only for committed blocks they voted for, once, and not zero amounts", async function () {
      const env = await loadFixture(deployEnv);
      const created = await inCompetition(env);
      const [improver, v1, v2] = wallets(env, 1, 2, 3);
      const proof = await registerAndSubmit(env, created, improver, "bafy-m", outputsNear(created, 1000, 1));
      await castVote(env, created, v1, proof);
      await toRound(env, created, 1);
      await receipt(env, created.as(v2).write.commitImprovementBlock());
      await expectRevert(created.as(v1).write.claimValidatorReward([0n]), "UnknownBlock", [0n, 2n]);
      await expectRevert(created.as(v1).write.claimValidatorReward([2n]), "UnknownBlock", [2n, 2n]);
      await expectRevert(created.as(v2).write.claimValidatorReward([1n]), "NoVote", [1n, getAddress(v2.account.address)]);
      await expectRevert(created.as(improver).write.claimValidatorReward([1n]), "NoVote", [1n, getAddress(improver.account.address)]);
      await receipt(env, created.as(v1).write.claimValidatorReward([1n]));
      await expectRevert(created.as(v1).write.claimValidatorReward([1n]), "AlreadyClaimed", [1n, getAddress(v1.account.address)]);
    });

    it("refuses a claim whose share rounds to zero", async function () {
      const env = await loadFixture(deployEnv);
      // rewardScale = 1: the improver's amount ⌊R⌋ is 0 for any R < 1, so every share is 0.
      const created = await inCompetition(env, { rewardScale: 1n });
      const [improver, v1, v2] = wallets(env, 1, 2, 3);
      const proof = await registerAndSubmit(env, created, improver, "bafy-m", outputsNear(created, 1000, 1));
      await castVote(env, created, v1, proof);
      await toRound(env, created, 1);
      await receipt(env, created.as(v2).write.commitImprovementBlock());
      expect((await created.as(v1).read.improvementBlockAt([1n])).improverReward).to.equal(0n);
      await expectRevert(created.as(v1).write.claimValidatorReward([1n]), "NothingToClaim", [1n, getAddress(v1.account.address)]);
    });
  });
});

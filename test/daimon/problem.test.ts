/**
 * DaiMoN problem lifecycle on chain (docs/daimon.md): factory listing, definition period, Problem block, a full
 * competition round (register → proof → two validators → commit → balances), a second round that improves on the
 * first (d_c drops, the reward uses the new d_c), lazy settlement, rounds that end without a block, and the chain of
 * blocks rebuilt from events through lib/chain/daimon.ts. Every expected number comes from lib/daimon.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress, parseEventLogs, zeroHash, type PublicClient } from "viem";
import { daimonProblemAbi, problemFactoryAbi } from "../../lib/generated/abis";
import {
  DAIMON_LIMITS,
  WAD,
  improverReward,
  proofDistance,
  unpackVector,
  validatorShare,
  type FixedVector,
} from "../../lib/daimon/fixedPoint";
import {
  definitionHash,
  improvementBlockHash,
  problemBlockHash,
  proofHash,
  tuplesDigest,
  votesDigest,
} from "../../lib/daimon/encoding";
import * as daimon from "../../lib/chain/daimon";
import { readValidatorClaims } from "../../lib/chain/daimonReads";
import { TransactionFailure } from "../../lib/chain/transactions";
import {
  testBinding,
  BOND,
  proofArgs,
  Phase,
  blockNumber,
  castVote,
  createProblem,
  deployEnv,
  expectRevert,
  factoryAs,
  hexOutputs,
  makeSpec,
  makeTuple,
  outputsNear,
  receipt,
  registerAndSubmit,
  registerProof,
  roundStart,
  toRound,
  tokenAt,
  wallet,
  wallets,
  type Created,
  type Env,
} from "./fixtures";

const vectors = (created: Created): FixedVector[] => created.tuples.map((t) => t.vector);

async function twoTupleProblem(env: Env, config = {}) {
  const created = await createProblem(env, { config, tupleCount: 1 });
  const extra = makeTuple(created.spec.config.embeddingSize, 777);
  await receipt(env, created.as(wallet(env, 5)).write.addTuple([extra.tuple.inputsCid, extra.tuple.delCid, extra.tuple.inputsRoot, extra.tuple.delRoot, extra.tuple.target]));
  created.tuples.push(extra);
  return created;
}

describe("DaimonProblem lifecycle", function () {
  it("is created by the factory as two clones, with a listing event that holds the whole definition", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createProblem(env, { tupleCount: 2 });
    const [event] = parseEventLogs({ abi: problemFactoryAbi, logs: created.createReceipt.logs, eventName: "ProblemCreated" });
    if (!event) throw new Error("no ProblemCreated");
    const spec = created.spec;
    expect(event.args.creator).to.equal(getAddress(wallet(env, 0).account.address));
    expect(event.args.spec.config).to.deep.equal(spec.config);
    expect(event.args.spec.name).to.equal(spec.name);
    expect(event.args.spec.symbol).to.equal(spec.symbol);
    expect(event.args.spec.metadataCid).to.equal(spec.metadataCid);
    expect(event.args.spec.inputShape).to.deep.equal(spec.inputShape);
    expect(event.args.initialTupleCount).to.equal(2n);
    expect(event.args.definitionEnd).to.equal(created.createdBlock + BigInt(spec.config.definitionPeriod));

    const problem = created.as(wallet(env, 0));
    const token = tokenAt(env, created.token);
    expect(await token.read.name()).to.equal(spec.name);
    expect(await token.read.symbol()).to.equal(spec.symbol);
    expect(await token.read.decimals()).to.equal(18);
    expect(await token.read.problem()).to.equal(getAddress(created.address));
    expect(await token.read.totalSupply()).to.equal(0n);
    expect(await problem.read.token()).to.equal(getAddress(created.token));
    expect(await problem.read.phase()).to.equal(Phase.Definition);
    expect(await problem.read.bestDistance()).to.equal(WAD);
    expect(await problem.read.tupleCount()).to.equal(2n);
    expect(await problem.read.tupleTarget([1n])).to.equal(created.tuples[1]?.tuple.target);
    expect(await problem.read.tuplesDigest()).to.equal(tuplesDigest(created.tuples.map((t) => t.tuple)));
    expect(await problem.read.definitionHash()).to.equal(
      definitionHash(created.address, created.token, wallet(env, 0).account.address, spec),
    );
    // EIP-1167 clones: 45 bytes of code each.
    for (const address of [created.address, created.token]) {
      const code = await env.publicClient.getCode({ address });
      expect(code && (code.length - 2) / 2).to.equal(45);
    }
    const factory = factoryAs(env, wallet(env, 0));
    expect(await factory.read.problemCount()).to.equal(1n);
    expect(await factory.read.problemAt([0n])).to.equal(getAddress(created.address));

    const client = env.publicClient as unknown as PublicClient;
    const [listed] = await daimon.listProblems(client, env.factory);
    expect(listed?.address).to.equal(getAddress(created.address));
    expect(listed?.spec).to.deep.equal({ ...spec, inputShape: [...spec.inputShape] });
    const state = await daimon.readProblem(client, created.address);
    expect(state.phase).to.equal("Definition");
    expect(state.tokenSymbol).to.equal(spec.symbol);
    expect(state.currentRound).to.equal(undefined);
  });

  it("runs a full round: tuples → Problem block → register → proof → two votes → commit → improver and validator balances", async function () {
    const env = await loadFixture(deployEnv);
    const created = await twoTupleProblem(env);
    const [improver, v1, v2, committer] = wallets(env, 1, 2, 3, 4);
    const config = created.spec.config;

    await toRound(env, created, 0);
    const outputs = outputsNear(created, 6000, 1);
    const proof = await registerAndSubmit(env, created, improver, "bafy-model-A", outputs);
    // The first competition action (here: register) commits the Problem block.
    const [problemBlock] = parseEventLogs({ abi: daimonProblemAbi, logs: proof.registerReceipt.logs, eventName: "ProblemBlockCommitted" });
    const digest = tuplesDigest(created.tuples.map((t) => t.tuple));
    const definition = definitionHash(created.address, created.token, created.creator.account.address, created.spec);
    expect(problemBlock?.args.blockHash).to.equal(problemBlockHash(definition, 2, digest));
    expect(problemBlock?.args.tupleCount).to.equal(2n);

    const expected = proofDistance(vectors(created), outputs);
    expect(proof.distance).to.equal(expected.distance);
    expect(proof.distances).to.deep.equal(expected.distances);
    expect(expected.distance + config.margin < WAD).to.equal(true);

    const r1 = await castVote(env, created, v1, proof);
    const r2 = await castVote(env, created, v2, proof);
    const p = created.as(v1);
    expect(await p.read.voteOf([proof.proofId, v1.account.address])).to.deep.equal([1n, false, false]);
    expect(await p.read.voteOf([proof.proofId, v2.account.address])).to.deep.equal([2n, false, false]);
    const [vote2] = parseEventLogs({ abi: daimonProblemAbi, logs: r2.logs, eventName: "VoteCast" });
    expect(vote2?.args.votesDigest).to.equal(votesDigest([v1.account.address, v2.account.address]));
    expect(parseEventLogs({ abi: daimonProblemAbi, logs: r1.logs, eventName: "RoundLeaderChanged" })).to.have.length(1);
    expect(await p.read.pendingRound()).to.deep.equal({ open: true, round: 0n, leader: 0n, leaderVotes: 2 });

    await toRound(env, created, 1);
    const commit = await receipt(env, created.as(committer).write.commitImprovementBlock());
    const [block] = parseEventLogs({ abi: daimonProblemAbi, logs: commit.logs, eventName: "ImprovementBlockCommitted" });
    if (!block) throw new Error("no block");
    const reward = improverReward(proof.distance, WAD, config.rewardShape, config.rewardScale);
    expect(reward > 0n).to.equal(true);
    expect(block.args.committer).to.equal(getAddress(committer.account.address));
    expect(block.args.info).to.deep.include({
      blockNumber: 1n,
      round: 0n,
      proofId: 0n,
      improver: getAddress(improver.account.address),
      proofHash: proof.proofHash,
      distance: proof.distance,
      previousDistance: WAD,
      voteCount: 2,
      improverReward: reward,
    });
    expect(block.args.info.parentHash).to.equal(problemBlock?.args.blockHash);
    expect(block.args.info.blockHash).to.equal(
      improvementBlockHash({ ...block.args.info, voteCount: 2n, votesDigest: votesDigest([v1.account.address, v2.account.address]) }),
    );
    expect(await p.read.bestDistance()).to.equal(proof.distance);
    expect(await p.read.chainLength()).to.equal(2n);

    const token = tokenAt(env, created.token);
    expect(await token.read.balanceOf([improver.account.address])).to.equal(reward);
    expect(await p.read.validatorReward([1n, v1.account.address])).to.equal(reward / 4n / 2n);
    await receipt(env, created.as(v1).write.claimValidatorReward([1n]));
    await receipt(env, created.as(v2).write.claimValidatorReward([1n]));
    // Equal shares of a quarter: the first and the second voter get the same.
    expect(await token.read.balanceOf([v1.account.address])).to.equal(validatorShare(reward, 2));
    expect(await token.read.balanceOf([v2.account.address])).to.equal(validatorShare(reward, 2));
    expect(await token.read.balanceOf([committer.account.address])).to.equal(0n);
    expect(await token.read.totalSupply()).to.equal(reward + 2n * (reward / 4n / 2n));
    expect(await p.read.validatorReward([1n, v1.account.address])).to.equal(0n);
    console.log(
      `      d = ${proof.distance} (1e18 = 1), improver ${reward}, validators ${reward / 2n} and ${reward / 4n} token units`,
    );
  });

  it("improves in a second round: d_c drops to the first block's d and the reward is R(d₂, d₁)", async function () {
    const env = await loadFixture(deployEnv);
    const created = await twoTupleProblem(env);
    const config = created.spec.config;
    const [alice, bob, v1, v2] = wallets(env, 1, 2, 3, 4);
    await toRound(env, created, 0);
    const first = await registerAndSubmit(env, created, alice, "bafy-model-A", outputsNear(created, 8000, 1));
    await castVote(env, created, v1, first);

    // Round 1: Bob's better proof; its submission settles round 0 first (lazy commit of block 1).
    await toRound(env, created, 1);
    const second = await registerAndSubmit(env, created, bob, "bafy-model-B", outputsNear(created, 2000, 2));
    const [lazy] = parseEventLogs({ abi: daimonProblemAbi, logs: second.registerReceipt.logs, eventName: "ImprovementBlockCommitted" });
    expect(lazy?.args.info.proofId).to.equal(first.proofId);
    expect(lazy?.args.committer).to.equal(getAddress(bob.account.address));
    const p = created.as(v1);
    expect(await p.read.bestDistance()).to.equal(first.distance);
    expect(second.distance + config.margin < first.distance).to.equal(true);
    await castVote(env, created, v2, second);
    await castVote(env, created, v1, second);

    await toRound(env, created, 2);
    await receipt(env, created.as(v2).write.commitImprovementBlock());
    const block2 = await p.read.improvementBlockAt([2n]);
    const block1 = await p.read.improvementBlockAt([1n]);
    const reward2 = improverReward(second.distance, first.distance, config.rewardShape, config.rewardScale);
    expect(block2.previousDistance).to.equal(first.distance);
    expect(block2.improverReward).to.equal(reward2);
    expect(block2.parentHash).to.equal(block1.blockHash);
    expect(await p.read.bestDistance()).to.equal(second.distance);
    const token = tokenAt(env, created.token);
    expect(await token.read.balanceOf([bob.account.address])).to.equal(reward2);
    expect(await token.read.balanceOf([alice.account.address])).to.equal(block1.improverReward);
    // v1 voted in both rounds: alone for Alice's proof (all of its quarter), one of two for Bob's (half of it).
    await receipt(env, created.as(v1).write.claimValidatorReward([1n]));
    await receipt(env, created.as(v1).write.claimValidatorReward([2n]));
    await receipt(env, created.as(v2).write.claimValidatorReward([2n]));
    expect(await token.read.balanceOf([v1.account.address])).to.equal(block1.improverReward / 4n + reward2 / 4n / 2n);
    expect(await token.read.balanceOf([v2.account.address])).to.equal(reward2 / 4n / 2n);
    // The improvers' rewards telescope: R(d₁, 1) + R(d₂, d₁) ≤ R(d₂, 1) ≤ rewardScale.
    const total = block1.improverReward + reward2;
    expect(total <= improverReward(second.distance, WAD, config.rewardShape, config.rewardScale)).to.equal(true);
    expect(total <= config.rewardScale).to.equal(true);

    // Both rounds are over: v1 takes back his bond on Bob's proof (the events carry it, below).
    await receipt(env, created.disputesAs(v1).write.withdrawVoteBond([second.proofId]));

    // The chain rebuilt from events alone, every link checked.
    const client = env.publicClient as unknown as PublicClient;
    const [listing] = await daimon.listProblems(client, env.factory);
    const chain = await daimon.readChain(client, created.address, { listing });
    expect(chain.problems).to.deep.equal([]);
    expect(chain.blocks.map((b) => b.blockNumber)).to.deep.equal([0n, 1n, 2n]);
    expect(chain.blocks.map((b) => b.blockHash)).to.deep.equal(
      await Promise.all([0n, 1n, 2n].map((n) => p.read.blockHashAt([n]))),
    );

    // The problem page reads all kinds in one getLogs and follows the chain block by block: split anywhere and
    // merged, that says exactly what the single-kind reads and readChain say.
    const head = await client.getBlockNumber();
    const all = await daimon.readProblemEvents(client, created.address, { toBlock: head });
    expect(all.tuples).to.deep.equal(await daimon.readTuples(client, created.address));
    expect(all.proofs).to.deep.equal(await daimon.readProofs(client, created.address));
    expect(all.votes).to.deep.equal(await daimon.readVotes(client, created.address));
    expect(all.claims).to.deep.equal(await readValidatorClaims(client, created.address));
    expect(all.claims).to.have.length(3);
    expect(all.voteBondWithdrawals).to.deep.equal([{ proofId: second.proofId, validator: getAddress(v1.account.address), amount: DAIMON_LIMITS.VOTE_BOND }]);
    expect(await daimon.readVote(client, created.address, second.proofId, v1.account.address)).to.deep.equal({ position: 2n, claimed: true, bondWithdrawn: true });
    expect(daimon.checkChain(created.address, all, listing)).to.deep.equal(chain);
    for (let split = listing?.createdBlock ?? 0n; split < head; split++) {
      const before = await daimon.readProblemEvents(client, created.address, { toBlock: split });
      const after = await daimon.readProblemEvents(client, created.address, { fromBlock: split + 1n, toBlock: head });
      expect(daimon.mergeProblemEvents(before, after), `split after block ${split}`).to.deep.equal(all);
    }
  });

  it("settles the previous round before checking a new proof, so a proof must beat the new d_c", async function () {
    const env = await loadFixture(deployEnv);
    const created = await twoTupleProblem(env);
    const [alice, bob, v1] = wallets(env, 1, 2, 3);
    await toRound(env, created, 0);
    const good = await registerAndSubmit(env, created, alice, "bafy-good", outputsNear(created, 1000, 1));
    await castVote(env, created, v1, good);
    // Bob registered in round 0; in round 1 his weaker proof would beat d_c = 1 but not block 1's distance.
    const p = created.as(bob);
    const cid = "bafy-weaker";
    const weaker = outputsNear(created, 9000, 2);
    await registerProof(env, created, bob, cid, weaker);
    await toRound(env, created, 1);
    const d = proofDistance(vectors(created), weaker).distance;
    expect(d + created.spec.config.margin < WAD).to.equal(true);
    const packed = hexOutputs(weaker);
    await expectRevert(p.write.submitProof(proofArgs(cid, packed), BOND), "NoImprovement", [d, good.distance, created.spec.config.margin]);
    // The view shows the unsettled state; the next action settles it.
    expect(await p.read.chainLength()).to.equal(1n);
    expect((await p.read.pendingRound()).open).to.equal(true);
  });

  it("closes a round without a block when its leader has fewer than minVotes votes", async function () {
    const env = await loadFixture(deployEnv);
    const created = await twoTupleProblem(env, { minVotes: 2 });
    const [alice, v1] = wallets(env, 1, 3);
    await toRound(env, created, 0);
    const proof = await registerAndSubmit(env, created, alice, "bafy-one-vote", outputsNear(created, 3000, 1));
    await castVote(env, created, v1, proof);
    await toRound(env, created, 1);
    const r = await receipt(env, created.as(v1).write.commitImprovementBlock());
    const [settled] = parseEventLogs({ abi: daimonProblemAbi, logs: r.logs, eventName: "RoundSettled" });
    expect(settled?.args).to.deep.equal({ round: 0n, committed: false, leader: 0n, leaderVotes: 1n });
    expect(parseEventLogs({ abi: daimonProblemAbi, logs: r.logs, eventName: "ImprovementBlockCommitted" })).to.have.length(0);
    const p = created.as(v1);
    expect(await p.read.chainLength()).to.equal(1n);
    expect(await p.read.bestDistance()).to.equal(WAD);
    expect(await tokenAt(env, created.token).read.totalSupply()).to.equal(0n);
    await expectRevert(p.write.commitImprovementBlock(), "NothingToCommit", []);
    // Alice may try again in a later round with the same model (she owns its CID).
    const again = await registerAndSubmitAgain(env, created, proof.cid, proof.outputs);
    expect(again.round).to.equal(1n);
  });

  it("settles a round lazily even after many idle rounds, in O(1)", async function () {
    const env = await loadFixture(deployEnv);
    const created = await twoTupleProblem(env);
    const [alice, v1, v2] = wallets(env, 1, 2, 3);
    await toRound(env, created, 0);
    const proof = await registerAndSubmit(env, created, alice, "bafy-model", outputsNear(created, 3000, 1));
    await castVote(env, created, v1, proof);
    await toRound(env, created, 40);
    const p = created.as(v2);
    expect(await p.read.currentRound()).to.equal(39n); // the latest block is the last of round 39
    const r = await receipt(env, created.as(v1).write.claimValidatorReward([1n]));
    expect(parseEventLogs({ abi: daimonProblemAbi, logs: r.logs, eventName: "ImprovementBlockCommitted" })).to.have.length(1);
    expect(await p.read.currentRound()).to.equal(40n);
    expect((await p.read.roundBounds([40n]))[0]).to.equal(roundStart(created, 40));
  });

  it("works end to end through lib/chain/daimon.ts", async function () {
    const env = await loadFixture(deployEnv);
    const client = env.publicClient as unknown as PublicClient;
    const [creator, contributor, improver, v1, v2] = wallets(env, 0, 1, 2, 3, 4);
    const spec = makeSpec({ definitionPeriod: 12, competitionPeriod: 15 });
    const t0 = makeTuple(spec.config.embeddingSize, 1);
    const t1 = makeTuple(spec.config.embeddingSize, 2);
    const created = await daimon.createProblem(creator, client, { factory: env.factory, spec, tuples: [t0.tuple] });
    const added = await daimon.addTuple(contributor, client, created.problem, t1.tuple);
    expect(added.index).to.equal(1n);
    expect(await failureName(daimon.commitProblemBlock(v1, client, created.problem))).to.equal("WrongPhase");
    await env.testClient.mine({ blocks: Number(created.definitionEnd - (await blockNumber(env as Env))) });
    await daimon.commitProblemBlock(v1, client, created.problem);

    const outputs = [t0.vector, t1.vector].map((v, i) => v.map((x, j) => (j === i ? -x : x)));
    const registered = await daimon.registerModel(improver, client, created.problem, "bafy-lib-model", outputs);
    expect(registered.usableFrom).to.equal(registered.registeredAt + 8n);
    // Too young: the simulation refuses the proof and nothing is sent, so the outputs stay private.
    const nonce = await env.publicClient.getTransactionCount({ address: improver.account.address });
    expect(await failureName(daimon.submitProof(improver, client, created.problem, "bafy-lib-model", testBinding("bafy-lib-model"), outputs))).to.equal("RegistrationTooRecent");
    expect(await env.publicClient.getTransactionCount({ address: improver.account.address })).to.equal(nonce);
    // With waitForRegistration it waits, block by block, until the next block is the registration's usable one.
    const waited: bigint[] = [];
    const pending = daimon.submitProof(improver, client, created.problem, "bafy-lib-model", testBinding("bafy-lib-model"), outputs, {
      waitForRegistration: { pollingIntervalMs: 5, onWait: (latest) => waited.push(latest) },
    });
    for (let i = 0; i < 7; i++) {
      await new Promise((resolve) => setTimeout(resolve, 40));
      await env.testClient.mine({ blocks: 1 });
    }
    const submitted = await pending;
    expect(waited).to.deep.equal(Array.from({ length: 7 }, (_, i) => registered.registeredAt + BigInt(i)));
    expect(submitted.receipt.blockNumber).to.equal(registered.usableFrom);
    expect(submitted.distance).to.equal(proofDistance([t0.vector, t1.vector], outputs).distance);
    expect(submitted.proofHash).to.equal(proofHash(created.problem, improver.account.address, "bafy-lib-model", testBinding("bafy-lib-model"), hexOutputs(outputs)));
    expect(registered.registration).to.not.equal(zeroHash);
    expect(registered.transaction?.receipt.blockNumber).to.equal(registered.registeredAt);
    // Registering again sends nothing: the registration exists.
    const again = await daimon.registerModel(improver, client, created.problem, "bafy-lib-model", outputs);
    expect(again).to.deep.equal({ registration: registered.registration, registeredAt: registered.registeredAt, usableFrom: registered.usableFrom });
    expect(await failureName(daimon.voteForProof(improver, client, created.problem, submitted.proofId, submitted.proofHash))).to.equal("SelfVote");
    expect((await daimon.voteForProof(v1, client, created.problem, submitted.proofId, submitted.proofHash)).position).to.equal(1n);
    expect((await daimon.voteForProof(v2, client, created.problem, submitted.proofId, submitted.proofHash)).position).to.equal(2n);

    let state = await daimon.readProblem(client, created.problem);
    expect(state.phase).to.equal("Competition");
    expect(state.pendingRound).to.deep.equal({ open: true, round: 0n, leader: 0n, leaderVotes: 2 });
    await env.testClient.mine({ blocks: Number(state.definitionEnd + BigInt(spec.config.competitionPeriod) - state.blockNumber) });
    const committed = await daimon.commitImprovementBlock(v2, client, created.problem);
    expect(committed.committed).to.equal(true);
    expect(committed.block?.distance).to.equal(submitted.distance);
    const amount = (await daimon.claimValidatorReward(v1, client, created.problem, 1n)).amount;
    expect(amount).to.equal(validatorShare(committed.block?.improverReward ?? 0n, 2));
    expect(await daimon.readTokenBalance(client, created.token, improver.account.address)).to.equal(committed.block?.improverReward);
    expect(await daimon.readValidatorReward(client, created.problem, 1n, v2.account.address)).to.equal(validatorShare(committed.block?.improverReward ?? 0n, 2));

    state = await daimon.readProblem(client, created.problem);
    expect(state.chainLength).to.equal(2);
    expect(state.bestDistance).to.equal(submitted.distance);
    const tuples = await daimon.readTuples(client, created.problem);
    expect(tuples.map((t) => unpackVector(Buffer.from(t.target.slice(2), "hex")))).to.deep.equal([t0.vector, t1.vector]);
    expect(tuples[1]?.contributor).to.equal(getAddress(contributor.account.address));
    const chain = await daimon.readChain(client, created.problem);
    expect(chain.problems).to.deep.equal([]);
    expect(chain.blocks).to.have.length(2);
  });
});

/** Submits a proof for a CID the caller registered before (a later round), returning the event's round. */
async function registerAndSubmitAgain(env: Env, created: Created, cid: string, outputs: `0x${string}`) {
  const r = await receipt(env, created.as(wallet(env, 1)).write.submitProof(proofArgs(cid, outputs), BOND));
  const [event] = parseEventLogs({ abi: daimonProblemAbi, logs: r.logs, eventName: "ProofSubmitted" });
  if (!event) throw new Error("no ProofSubmitted");
  return event.args;
}

/**
 * The custom error a lib/chain write failed with. Over JSON-RPC viem decodes it (`errorName`); Hardhat's in-process
 * provider only reports it in the message ("reverted with custom error 'Name(args)'").
 */
async function failureName(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof TransactionFailure)) throw error;
    return error.errorName ?? /custom error '(\w+)\(/.exec(error.message)?.[1];
  }
  throw new Error("the transaction did not fail");
}

/**
 * The three defects of the authors' prototype (docs/daimon.md §9), one test each that would fail if the defect
 * were present:
 *
 *   1. the leading block is never tracked      → the committed block is the proof with the most unique votes
 *                                                 (ties: the earliest), tracked on every vote, whatever the order
 *   2. an unchecked subtraction mints huge       → R(d, d_c) is 0 for d ≥ d_c (never a wrapped 2^256 − x); no
 *      rewards                                     proof with d + δ ≥ d_c exists; the total supply stays below
 *                                                 2 · rewardScale over a whole chain of improvements
 *   3. votes are not bound to submitted models   → a vote names (proofId, proofHash) of an accepted proof; a
 *                                                 registered but unsubmitted model, another model's hash, another
 *                                                 proof's id or a past round get no vote, and a committed block
 *                                                 counts exactly the votes cast for it
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { parseEventLogs } from "viem";
import { daimonProblemAbi } from "../../lib/generated/abis";
import { WAD, improverReward, reward } from "../../lib/daimon/fixedPoint";
import { proofHash, votesDigest } from "../../lib/daimon/encoding";
import {
  testBinding,
  BOND,
  proofArgs,
  castVote,
  createProblem,
  deployEnv,
  expectRevert,
  hexOutputs,
  outputsNear,
  receipt,
  registerAndSubmit,
  registerProof,
  toUsable,
  tokenAt,
  toRound,
  wallet,
  wallets,
  type Submitted,
  VOTE_BOND,
} from "./fixtures";

describe("DaimonProblem: the prototype's defects", function () {
  it("1. tracks the leading proof on every vote and commits the one with the most unique votes (ties: earliest)", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createProblem(env, { tupleCount: 2, config: { competitionPeriod: 60 } });
    await toRound(env, created, 0);
    const improvers = wallets(env, 1, 2, 3, 4);
    const proofs: Submitted[] = [];
    for (const [i, w] of improvers.entries()) {
      proofs.push(await registerAndSubmit(env, created, w, `bafy-model-${i}`, outputsNear(created, 1500 + 500 * i, i + 1)));
    }
    // Votes in an order where the leader changes hands, the last-voted proof is not the leader, the first proof is
    // not the leader, and the final leader ties with a later proof that reached the same count first.
    const plan: [number, number][] = [
      [0, 5], [3, 6], [3, 7], [2, 5], [2, 6], [2, 7], [1, 5], [0, 6], [1, 6], [1, 7], [3, 8],
    ];
    const counts = [0, 0, 0, 0];
    const p = created.as(wallet(env, 0));
    for (const [proof, validator] of plan) {
      const r = await castVote(env, created, wallet(env, validator), proofs[proof] as Submitted);
      counts[proof] = (counts[proof] as number) + 1;
      const best = Math.max(...counts);
      const leader = counts.indexOf(best);
      const pending = await p.read.pendingRound();
      expect(pending.leader, `after a vote for proof ${proof}: counts ${counts.join(",")}`).to.equal(BigInt(leader));
      expect(pending.leaderVotes).to.equal(best);
      const changed = parseEventLogs({ abi: daimonProblemAbi, logs: r.logs, eventName: "RoundLeaderChanged" });
      expect(changed.length).to.equal(leader === proof ? 1 : 0);
    }
    expect(counts).to.deep.equal([2, 3, 3, 3]);
    await toRound(env, created, 1);
    const commit = await receipt(env, created.as(wallet(env, 9)).write.commitImprovementBlock());
    const [block] = parseEventLogs({ abi: daimonProblemAbi, logs: commit.logs, eventName: "ImprovementBlockCommitted" });
    expect(block?.args.info.proofId).to.equal(1n); // 3 votes, earliest of proofs 1, 2 and 3
    expect(block?.args.info.voteCount).to.equal(3);
    expect(await p.read.bestDistance()).to.equal(proofs[1]?.distance);
  });

  it("2. never mints from a wrapped subtraction: R = 0 for d ≥ d_c and the supply stays bounded", async function () {
    const env = await loadFixture(deployEnv);
    // T_b = 32: a proof and a refused worse one (each R blocks after its registration) fit before the dispute window.
    const created = await createProblem(env, { tupleCount: 2, config: { margin: 0n, competitionPeriod: 32 } });
    const config = created.spec.config;
    const p = created.as(wallet(env, 0));
    // The contract's own reward function on inputs where I_{1−d} − I_{1−d_c} is negative or zero.
    const pairs: [bigint, bigint][] = [
      [WAD, 0n],
      [WAD, WAD / 2n],
      [WAD / 2n + 1n, WAD / 2n],
      [WAD / 2n, WAD / 2n],
      [1n, 0n],
    ];
    for (const [d, dc] of pairs) {
      expect(await p.read.rewardFor([d, dc]), `d=${d} dc=${dc}`).to.deep.equal([0n, 0n]);
    }
    // And in range it is what the mirror says, never more than rewardScale.
    for (const [d, dc] of [[0n, WAD], [WAD / 3n, WAD / 2n], [WAD - 1n, WAD]] as const) {
      const [r, amount] = await p.read.rewardFor([d, dc]);
      expect(r).to.equal(reward(d, dc, config.rewardShape));
      expect(amount).to.equal(improverReward(d, dc, config.rewardShape, config.rewardScale));
      expect(amount <= config.rewardScale).to.equal(true);
    }
    // A whole chain of rounds: proofs that do not beat d_c are refused, so no reward is ever computed on them;
    // improvers' rewards telescope below rewardScale and validators' shares below the improvers'.
    const [improver, v1, v2] = wallets(env, 1, 2, 3);
    const noises = [9000, 5000, 3000, 1500, 800, 300, 100];
    let round = 0;
    let previous = WAD;
    for (const [i, noise] of noises.entries()) {
      await toRound(env, created, round);
      const outputs = outputsNear(created, noise, 40 + i);
      const proof = await registerAndSubmit(env, created, improver, `bafy-chain-${i}`, outputs);
      expect(proof.distance < previous).to.equal(true);
      await castVote(env, created, v1, proof);
      await castVote(env, created, v2, proof);
      // A worse model in the same round is refused outright.
      const worse = created.as(v2);
      const bad = created.tuples.map((t) => t.vector.map((x) => -x));
      await toUsable(env, (await registerProof(env, created, v2, `bafy-worse-${i}`, bad)).blockNumber);
      await expectRevert(worse.write.submitProof(proofArgs(`bafy-worse-${i}`, hexOutputs(bad)), BOND), "NoImprovement");
      previous = proof.distance;
      round += 1;
    }
    await toRound(env, created, round);
    await receipt(env, created.as(v1).write.commitImprovementBlock());
    for (let b = 1n; b <= BigInt(noises.length); b++) {
      await receipt(env, created.as(v1).write.claimValidatorReward([b]));
      await receipt(env, created.as(v2).write.claimValidatorReward([b]));
    }
    const token = tokenAt(env, created.token);
    const improverTotal = await token.read.balanceOf([improver.account.address]);
    const supply = await token.read.totalSupply();
    expect(improverTotal <= config.rewardScale).to.equal(true);
    expect(improverTotal <= improverReward(previous, WAD, config.rewardShape, config.rewardScale)).to.equal(true);
    expect(supply < 2n * config.rewardScale).to.equal(true);
    expect(supply).to.equal(improverTotal + (await token.read.balanceOf([v1.account.address])) + (await token.read.balanceOf([v2.account.address])));
    expect(await p.read.chainLength()).to.equal(BigInt(noises.length + 1));
  });

  it("3. binds every vote to a submitted proof's exact contents, in its round", async function () {
    const env = await loadFixture(deployEnv);
    // T_b = 60: three aged registrations and their proofs fit before the round's dispute window.
    const created = await createProblem(env, { tupleCount: 2, config: { competitionPeriod: 60 } });
    await toRound(env, created, 0);
    const [alice, bob, carol, v1, v2] = wallets(env, 1, 2, 3, 4, 5);
    const a = await registerAndSubmit(env, created, alice, "bafy-alice", outputsNear(created, 2000, 1));
    // Bob registers a model but never submits it: there is no proof to vote for.
    await registerProof(env, created, bob, "bafy-bob", a.outputs);
    const bobHash = proofHash(created.address, bob.account.address, "bafy-bob", testBinding("bafy-bob"), a.outputs);
    await expectRevert(created.as(v1).write.vote([1n, bobHash], VOTE_BOND), "UnknownProof", [1n, 1n]);
    // A vote naming Alice's id with the hash of another model (another CID, other outputs, another improver).
    const others = [
      proofHash(created.address, alice.account.address, "bafy-bob", testBinding("bafy-bob"), a.outputs),
      // the same CID and outputs bound to another model
      proofHash(created.address, alice.account.address, a.cid, testBinding("bafy-other-model"), a.outputs),
      proofHash(created.address, alice.account.address, a.cid, testBinding(a.cid), hexOutputs(outputsNear(created, 2001, 1))),
      bobHash,
    ];
    for (const h of others) await expectRevert(created.as(v1).write.vote([a.proofId, h], VOTE_BOND), "ProofHashMismatch", [a.proofId, h, a.proofHash]);
    // Carol's proof: a vote naming Carol's hash with Alice's id (or the reverse) does not count for either.
    const c = await registerAndSubmit(env, created, carol, "bafy-carol", outputsNear(created, 1000, 2));
    await expectRevert(created.as(v1).write.vote([a.proofId, c.proofHash], VOTE_BOND), "ProofHashMismatch", [a.proofId, c.proofHash, a.proofHash]);
    await expectRevert(created.as(v1).write.vote([c.proofId, a.proofHash], VOTE_BOND), "ProofHashMismatch", [c.proofId, a.proofHash, c.proofHash]);
    // Valid votes count only for the proof they name.
    await castVote(env, created, v1, a);
    await castVote(env, created, v2, a);
    await castVote(env, created, v2, c);
    const p = created.as(v1);
    expect((await p.read.proofAt([a.proofId])).voteCount).to.equal(2);
    expect((await p.read.proofAt([c.proofId])).voteCount).to.equal(1);
    expect((await p.read.proofAt([c.proofId])).votesDigest).to.equal(votesDigest([v2.account.address]));
    // Once the round is over, nobody can vote for its proofs any more (not even to sway a late commit).
    await toRound(env, created, 1);
    await expectRevert(created.as(v1).write.vote([c.proofId, c.proofHash], VOTE_BOND), "VotingClosed", [c.proofId, 0n, 1n]);
    const commit = await receipt(env, created.as(v1).write.commitImprovementBlock());
    const [block] = parseEventLogs({ abi: daimonProblemAbi, logs: commit.logs, eventName: "ImprovementBlockCommitted" });
    expect(block?.args.info.proofId).to.equal(a.proofId);
    expect(block?.args.info.voteCount).to.equal(2);
    expect(block?.args.info.votesDigest).to.equal(votesDigest([v1.account.address, v2.account.address]));
    // Only the validators of the committed proof are paid.
    await expectRevert(created.as(wallet(env, 6)).write.claimValidatorReward([1n]), "NoVote");
    await receipt(env, created.as(v2).write.claimValidatorReward([1n]));
  });
});

/**
 * Issue 11's attacks, tried from the attacker's side; each test is named after the attack in the issue and fails if
 * the loss it describes is possible (docs/daimon.md §14 says what is implemented and what remains design).
 *
 *   copier      → the copy rule: outputs equal to a proof by another account whose registration for them is older
 *                 are refused with CopiedOutputs(outputsHash, earlierProofId, earlierImprover); the author keeps the
 *                 right to resubmit his own outputs; equal outputs registered in the same block are all accepted
 *                 (neither registrant can have seen the other's outputs)
 *   front-run   → a failed submitProof publishes its CID and outputs: the registration commits to both and must be
 *                 REGISTRATION_AGE blocks old, so an observer's registration made after the leak is usable only after
 *                 the author's retry; a copy that gets in while the author is censored is superseded by the author's
 *                 older registration (no votes, never committed)
 *   self-vote   → the direct form (the improver's own address votes or claims a validator reward for his proof) is
 *                 refused; the Sybil form through other addresses needs bonds and slashing (design, §14.4)
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { decodeFunctionData, getAddress, parseEventLogs, type Hash, type Hex, type PublicClient } from "viem";
import { daimonProblemAbi } from "../../lib/generated/abis";
import { DAIMON_LIMITS, WAD, improverReward, registrationUsableFrom, validatorShare } from "../../lib/daimon/fixedPoint";
import { cidHash, outputsHash, registrationHash } from "../../lib/daimon/encoding";
import { readProofs, submitProof } from "../../lib/chain/daimon";
import { TransactionFailure } from "../../lib/chain/transactions";
import { describeContractError } from "../../lib/chain/errors";
import {
  castVote,
  createProblem,
  deployEnv,
  expectRevert,
  hexOutputs,
  outputsNear,
  mineUntilNextTxIn,
  receipt,
  registerAndSubmit,
  registerProof,
  tokenAt,
  toRound,
  toUsable,
  wallet,
  wallets,
  type Created,
  type Env,
  type WalletClient,
} from "./fixtures";

async function balance(env: Env, created: Created, w: WalletClient): Promise<bigint> {
  return tokenAt(env, created.token).read.balanceOf([w.account.address]);
}

/** Registers (cid, outputs) for `w` and mines until the registration is usable; returns its block. */
async function registerAged(env: Env, created: Created, w: WalletClient, cid: string, outputs: Hex): Promise<bigint> {
  const r = await registerProof(env, created, w, cid, outputs);
  await toUsable(env, r.blockNumber);
  return r.blockNumber;
}

/**
 * The author's submitProof that fails on chain (here: out of gas, sent without simulation), and what any observer
 * reads from it: the CID and the outputs, straight from the mined transaction's calldata.
 */
async function failedSubmit(env: Env, created: Created, author: WalletClient, cid: string, outputs: Hex): Promise<{ block: bigint; cid: string; outputs: Hex }> {
  // Hardhat's in-process node mines the failing transaction and then reports the revert to the sender.
  const before = await env.publicClient.getBlockNumber();
  await created.as(author).write.submitProof([cid, outputs], { gas: 60_000n }).then(
    () => expect.fail("the out-of-gas submitProof should have reverted"),
    () => undefined,
  );
  const mined = await env.publicClient.getBlock({ blockNumber: before + 1n });
  expect(mined.transactions).to.have.length(1);
  const hash = mined.transactions[0] as Hash;
  const failed = await env.publicClient.waitForTransactionReceipt({ hash });
  expect(failed.status).to.equal("reverted");
  const tx = await env.publicClient.getTransaction({ hash });
  const { functionName, args } = decodeFunctionData({ abi: daimonProblemAbi, data: tx.input });
  expect(functionName).to.equal("submitProof");
  const [leakedCid, leakedOutputs] = args as readonly [string, Hex];
  expect([leakedCid, leakedOutputs]).to.deep.equal([cid, outputs]);
  return { block: failed.blockNumber, cid: leakedCid, outputs: leakedOutputs };
}

describe("DaimonProblem: issue 11's attacks", function () {
  it("A copier re-encoded a published model (new CID, same outputs) and received 966 tokens", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createProblem(env, { tupleCount: 2, config: { minVotes: 1, competitionPeriod: 40 } });
    await toRound(env, created, 0);
    const [author, copier, sybil, validator] = wallets(env, 1, 2, 3, 4);
    const honest = await registerAndSubmit(env, created, author, "bafy-author-model", outputsNear(created, 1500, 1));
    // The author publishes the model after the proof is mined; the copier re-encodes it (another CID, the same
    // predictions, hence the same outputs), registers that CID with the outputs and submits once it is old enough.
    await registerAged(env, created, copier, "bafy-reencoded-copy", honest.outputs);
    const key = outputsHash(honest.outputs);
    await expectRevert(created.as(copier).write.submitProof(["bafy-reencoded-copy", honest.outputs]), "CopiedOutputs", [
      key,
      honest.proofId,
      getAddress(author.account.address),
    ]);
    // Through the library (as the CLI and the page send it): simulated first, refused, nothing sent. (Hardhat's
    // in-process node reports custom errors in its message; over JSON-RPC viem decodes them into the sentence.)
    const nonce = await env.publicClient.getTransactionCount({ address: copier.account.address });
    let failure: unknown;
    try {
      await submitProof(copier, env.publicClient as unknown as PublicClient, created.address, "bafy-reencoded-copy", honest.outputs);
    } catch (error) {
      failure = error;
    }
    expect(failure).to.be.instanceOf(TransactionFailure);
    const { errorName, message } = failure as TransactionFailure;
    expect(errorName ?? /custom error '(\w+)\(/.exec(message)?.[1]).to.equal("CopiedOutputs");
    expect(describeContractError("CopiedOutputs", [key, honest.proofId, getAddress(author.account.address)])).to.equal(
      `These outputs are proof 0's, registered earlier by ${getAddress(author.account.address)}: a copy of a model earns nothing. Submit a model whose predictions differ.`,
    );
    expect(await env.publicClient.getTransactionCount({ address: copier.account.address })).to.equal(nonce);
    const owner = await created.as(copier).read.outputsOwner([key]);
    expect(owner).to.deep.equal([getAddress(author.account.address), honest.proofId, honest.registerReceipt.blockNumber]);
    // There is no copied proof for the copier's Sybil to vote for; the author's proof is the round's only one.
    await expectRevert(created.as(sybil).write.vote([1n, honest.proofHash]), "UnknownProof", [1n, 1n]);
    await castVote(env, created, validator, honest);
    await toRound(env, created, 1);
    const commit = await receipt(env, created.as(validator).write.commitImprovementBlock());
    const [block] = parseEventLogs({ abi: daimonProblemAbi, logs: commit.logs, eventName: "ImprovementBlockCommitted" });
    expect(block?.args.improver).to.equal(getAddress(author.account.address));
    const amount = improverReward(honest.distance, WAD, created.spec.config.rewardShape, created.spec.config.rewardScale);
    expect(amount > 0n).to.equal(true);
    expect(await balance(env, created, author)).to.equal(amount);
    expect(await balance(env, created, copier)).to.equal(0n);
    expect(await balance(env, created, sybil)).to.equal(0n);
  });

  it("A copier re-encoded a published model (new CID, same outputs) and received 966 tokens: not in a later round either, while the author may resubmit", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createProblem(env, { tupleCount: 1, config: { minVotes: 1, competitionPeriod: 20 } });
    await toRound(env, created, 0);
    const [author, copier, validator] = wallets(env, 1, 2, 3);
    // Round 0 closes without a vote, so without a block: the outputs were never rewarded.
    const honest = await registerAndSubmit(env, created, author, "bafy-author-model", outputsNear(created, 2000, 7));
    await toRound(env, created, 1);
    await registerAged(env, created, copier, "bafy-reencoded-copy", honest.outputs);
    await expectRevert(created.as(copier).write.submitProof(["bafy-reencoded-copy", honest.outputs]), "CopiedOutputs", [
      outputsHash(honest.outputs),
      honest.proofId,
      getAddress(author.account.address),
    ]);
    expect(await created.as(copier).read.chainLength()).to.equal(1n); // round 0 settled without a block
    // The author resubmits his own outputs, even under a new CID (his re-exported file): accepted.
    const again = await registerAndSubmit(env, created, author, "bafy-author-model-v2", outputsNear(created, 2000, 7));
    expect(again.outputs).to.equal(honest.outputs);
    await castVote(env, created, validator, again);
    await toRound(env, created, 2);
    await receipt(env, created.as(validator).write.commitImprovementBlock());
    expect(await balance(env, created, copier)).to.equal(0n);
    expect(await balance(env, created, author)).to.equal(
      improverReward(again.distance, WAD, created.spec.config.rewardShape, created.spec.config.rewardScale),
    );
  });

  it("A copier re-encoded a published model (new CID, same outputs) and received 966 tokens: equal outputs registered in one block are all accepted, a later registration never", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createProblem(env, { tupleCount: 1, config: { minVotes: 1, competitionPeriod: 40 } });
    await toRound(env, created, 0);
    const [first, second, late] = wallets(env, 1, 2, 3);
    const packed = hexOutputs(outputsNear(created, 1800, 3));
    // Two accounts commit to the same outputs in one block: neither can have seen the other's (outputs appear on
    // chain REGISTRATION_AGE blocks after a registration at the earliest), so both proofs stand and validators decide.
    await env.testClient.setAutomine(false);
    let hashes: Hash[];
    try {
      hashes = [
        await created.as(first).write.register([registrationHash(created.address, first.account.address, "bafy-first", packed)]),
        await created.as(second).write.register([registrationHash(created.address, second.account.address, "bafy-second", packed)]),
      ];
      await env.testClient.mine({ blocks: 1 });
    } finally {
      await env.testClient.setAutomine(true);
    }
    const registrations = await Promise.all(hashes.map((hash) => receipt(env, hash)));
    const registeredAt = registrations[0]!.blockNumber;
    expect(registrations[1]?.blockNumber).to.equal(registeredAt);
    await registerProof(env, created, late, "bafy-late-copy", packed);
    await toUsable(env, await env.publicClient.getBlockNumber());
    const ids = [];
    for (const [w, cid] of [[second, "bafy-second"], [first, "bafy-first"]] as const) {
      const r = await receipt(env, created.as(w).write.submitProof([cid, packed]));
      ids.push(parseEventLogs({ abi: daimonProblemAbi, logs: r.logs, eventName: "ProofSubmitted" })[0]?.args.proofId);
      expect(parseEventLogs({ abi: daimonProblemAbi, logs: r.logs, eventName: "ProofSuperseded" })).to.have.length(0);
    }
    expect(ids).to.deep.equal([0n, 1n]);
    // The first proof keeps the outputs; any later registrant's copy is refused, naming it.
    expect(await created.as(late).read.outputsOwner([outputsHash(packed)])).to.deep.equal([getAddress(second.account.address), 0n, registeredAt]);
    await expectRevert(created.as(late).write.submitProof(["bafy-late-copy", packed]), "CopiedOutputs", [
      outputsHash(packed),
      0n,
      getAddress(second.account.address),
    ]);
  });

  it("A failed submitProof leaks the CID; the observer's proof takes the block and the author's retry reverts with CidTaken (front-run after a failed submitProof): the observer is refused and the author's retry wins, to the token", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createProblem(env, { tupleCount: 2, config: { minVotes: 1, competitionPeriod: 40 } });
    const [author, observer, validator] = wallets(env, 1, 2, 3);
    // The observer holds a registration from long ago (the definition period), for a CID and outputs of his own.
    const junk = hexOutputs(outputsNear(created, 9000, 11));
    await registerProof(env, created, observer, "bafy-observer-old", junk);
    await toRound(env, created, 0);
    const outputs = hexOutputs(outputsNear(created, 1500, 1));
    const registeredAt = await registerAged(env, created, author, "bafy-author-model", outputs);
    // The author's first submitProof fails on chain and so publishes the CID and the outputs.
    const leak = await failedSubmit(env, created, author, "bafy-author-model", outputs);
    expect(leak.block).to.equal(registrationUsableFrom(registeredAt));
    expect(await created.as(observer).read.proofCount()).to.equal(0n);

    // Next block: the observer's old registration is for another CID and other outputs, so it covers neither the
    // leaked CID nor the leaked outputs.
    for (const cid of [leak.cid, "bafy-observer-old"]) {
      await expectRevert(created.as(observer).write.submitProof([cid, leak.outputs]), "NotRegistered", [
        registrationHash(created.address, observer.account.address, cid, leak.outputs),
      ]);
    }
    // He registers what he saw, under his own CID and under the author's; both are usable only R blocks later.
    const fresh = await registerProof(env, created, observer, "bafy-observer-copy", leak.outputs);
    await registerProof(env, created, observer, leak.cid, leak.outputs);
    const freshUsable = registrationUsableFrom(fresh.blockNumber);
    await expectRevert(created.as(observer).write.submitProof(["bafy-observer-copy", leak.outputs]), "RegistrationTooRecent", [
      registrationHash(created.address, observer.account.address, "bafy-observer-copy", leak.outputs),
      fresh.blockNumber,
      freshUsable,
    ]);

    // The author retries (with enough gas) well inside those R blocks: accepted.
    const retry = await receipt(env, created.as(author).write.submitProof([leak.cid, outputs]));
    expect(retry.blockNumber < freshUsable).to.equal(true);
    const [proof] = parseEventLogs({ abi: daimonProblemAbi, logs: retry.logs, eventName: "ProofSubmitted" });
    expect(proof?.args.proofId).to.equal(0n);
    expect(proof?.args.improver).to.equal(getAddress(author.account.address));

    // Once his registrations are old enough, the observer is still refused: the author's registration is older.
    await mineUntilNextTxIn(env, freshUsable);
    await expectRevert(created.as(observer).write.submitProof(["bafy-observer-copy", leak.outputs]), "CopiedOutputs", [
      outputsHash(outputs),
      0n,
      getAddress(author.account.address),
    ]);
    await expectRevert(created.as(observer).write.submitProof([leak.cid, leak.outputs]), "CidTaken", [
      cidHash(leak.cid),
      getAddress(author.account.address),
    ]);
    expect(await created.as(observer).read.proofCount()).to.equal(1n);
    expect(await created.as(observer).read.outputsOwner([outputsHash(outputs)])).to.deep.equal([getAddress(author.account.address), 0n, registeredAt]);

    // The round commits the author's proof; he receives exactly the reward, the observer nothing.
    await castVote(env, created, validator, { proofId: 0n, proofHash: proof!.args.proofHash });
    await toRound(env, created, 1);
    const commit = await receipt(env, created.as(validator).write.commitImprovementBlock());
    const [block] = parseEventLogs({ abi: daimonProblemAbi, logs: commit.logs, eventName: "ImprovementBlockCommitted" });
    expect(block?.args.improver).to.equal(getAddress(author.account.address));
    const amount = improverReward(proof!.args.distance, WAD, created.spec.config.rewardShape, created.spec.config.rewardScale);
    expect(amount > 0n).to.equal(true);
    await receipt(env, created.as(validator).write.claimValidatorReward([1n]));
    expect(await balance(env, created, author)).to.equal(amount);
    expect(await balance(env, created, observer)).to.equal(0n);
    expect(await balance(env, created, validator)).to.equal(validatorShare(amount, 1));
    expect(await tokenAt(env, created.token).read.totalSupply()).to.equal(amount + validatorShare(amount, 1));
  });

  it("A failed submitProof leaks the CID; the observer's proof takes the block and the author's retry reverts with CidTaken (front-run after a failed submitProof): a copy that gets in while the author is censored for R blocks is superseded by the author's older registration", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createProblem(env, { tupleCount: 1, config: { minVotes: 1, competitionPeriod: 60 } });
    await toRound(env, created, 0);
    const [author, observer, sybil, sybil2, validator] = wallets(env, 1, 2, 3, 4, 5);
    const outputs = hexOutputs(outputsNear(created, 1500, 2));
    const registeredAt = await registerAged(env, created, author, "bafy-author-model", outputs);
    const leak = await failedSubmit(env, created, author, "bafy-author-model", outputs);
    // The author is kept out for R blocks; the observer registers the leak under the author's CID and gets in first.
    const copyRegistration = await registerAged(env, created, observer, leak.cid, leak.outputs);
    expect(copyRegistration - registeredAt > DAIMON_LIMITS.REGISTRATION_AGE).to.equal(true);
    const copy = await receipt(env, created.as(observer).write.submitProof([leak.cid, leak.outputs]));
    const [copied] = parseEventLogs({ abi: daimonProblemAbi, logs: copy.logs, eventName: "ProofSubmitted" });
    expect(copied?.args.proofId).to.equal(0n);
    expect(await created.as(observer).read.cidClaim([cidHash(leak.cid)])).to.deep.equal([getAddress(observer.account.address), 0n, copyRegistration]);
    await castVote(env, created, sybil, { proofId: 0n, proofHash: copied!.args.proofHash }); // the copy leads, 1 vote

    // The author's retry: his registration is older, so he takes the CID and the outputs, and the copy is superseded.
    const retry = await receipt(env, created.as(author).write.submitProof([leak.cid, outputs]));
    const [proof] = parseEventLogs({ abi: daimonProblemAbi, logs: retry.logs, eventName: "ProofSubmitted" });
    expect(proof?.args.proofId).to.equal(1n);
    const superseded = parseEventLogs({ abi: daimonProblemAbi, logs: retry.logs, eventName: "ProofSuperseded" }).map((e) => e.args);
    const [observerAddress, authorAddress] = [getAddress(observer.account.address), getAddress(author.account.address)];
    expect(superseded).to.deep.equal([
      { proofId: 0n, byProofId: 1n, key: cidHash(leak.cid), copier: observerAddress, owner: authorAddress },
    ]);
    expect((await created.as(observer).read.proofAt([0n])).supersededBy).to.equal(2n);
    expect(await created.as(observer).read.cidOwner([cidHash(leak.cid)])).to.equal(authorAddress);
    expect(await created.as(observer).read.cidClaim([cidHash(leak.cid)])).to.deep.equal([authorAddress, 1n, registeredAt]);
    expect(await created.as(observer).read.outputsOwner([outputsHash(outputs)])).to.deep.equal([authorAddress, 1n, registeredAt]);
    const listed = await readProofs(env.publicClient as unknown as PublicClient, created.address, { fromBlock: created.createdBlock });
    expect(listed.map((p) => p.supersededBy)).to.deep.equal([1n, undefined]);
    // The copy takes no more votes; the first vote for the author's proof takes the lead from it.
    await expectRevert(created.as(sybil2).write.vote([0n, copied!.args.proofHash]), "Superseded", [0n, 1n]);
    const vote = await castVote(env, created, validator, { proofId: 1n, proofHash: proof!.args.proofHash });
    const [lead] = parseEventLogs({ abi: daimonProblemAbi, logs: vote.logs, eventName: "RoundLeaderChanged" });
    expect(lead?.args).to.deep.equal({ round: 0n, proofId: 1n, votes: 1n });
    // The observer cannot come back with a fresh copy either: every registration of his is younger.
    await registerAged(env, created, observer, "bafy-observer-copy", leak.outputs);
    await expectRevert(created.as(observer).write.submitProof(["bafy-observer-copy", leak.outputs]), "CopiedOutputs", [
      outputsHash(outputs),
      1n,
      authorAddress,
    ]);

    await toRound(env, created, 1);
    const commit = await receipt(env, created.as(validator).write.commitImprovementBlock());
    const [block] = parseEventLogs({ abi: daimonProblemAbi, logs: commit.logs, eventName: "ImprovementBlockCommitted" });
    expect(block?.args.info.proofId).to.equal(1n);
    const amount = improverReward(proof!.args.distance, WAD, created.spec.config.rewardShape, created.spec.config.rewardScale);
    expect(await balance(env, created, author)).to.equal(amount);
    expect(await balance(env, created, observer)).to.equal(0n);
    await expectRevert(created.as(sybil).write.claimValidatorReward([1n]), "NoVote", [1n, getAddress(sybil.account.address)]);
  });

  it("A failed submitProof leaks the CID; the observer's proof takes the block and the author's retry reverts with CidTaken (front-run after a failed submitProof): a superseded copy that still leads when the round ends is never committed", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createProblem(env, { tupleCount: 1, config: { minVotes: 1, competitionPeriod: 60 } });
    await toRound(env, created, 0);
    const [author, observer, sybil, validator] = wallets(env, 1, 2, 3, 4);
    const outputs = hexOutputs(outputsNear(created, 1500, 4));
    await registerAged(env, created, author, "bafy-author-model", outputs);
    const leak = await failedSubmit(env, created, author, "bafy-author-model", outputs);
    await registerAged(env, created, observer, "bafy-observer-copy", leak.outputs);
    const copy = await receipt(env, created.as(observer).write.submitProof(["bafy-observer-copy", leak.outputs]));
    const [copied] = parseEventLogs({ abi: daimonProblemAbi, logs: copy.logs, eventName: "ProofSubmitted" });
    await castVote(env, created, sybil, { proofId: 0n, proofHash: copied!.args.proofHash });
    await receipt(env, created.as(author).write.submitProof([leak.cid, outputs])); // supersedes proof 0, no vote yet
    expect((await created.as(author).read.pendingRound()).leader).to.equal(0n);
    await toRound(env, created, 1);
    const settle = await receipt(env, created.as(validator).write.commitImprovementBlock());
    const [settled] = parseEventLogs({ abi: daimonProblemAbi, logs: settle.logs, eventName: "RoundSettled" });
    expect(settled?.args).to.deep.equal({ round: 0n, committed: false, leader: 0n, leaderVotes: 1n });
    expect(await tokenAt(env, created.token).read.totalSupply()).to.equal(0n);
    // A round later the author resubmits his outputs (his registration is reused) and wins; the copier cannot.
    await expectRevert(created.as(observer).write.submitProof(["bafy-observer-copy", leak.outputs]), "CopiedOutputs", [
      outputsHash(outputs),
      1n,
      getAddress(author.account.address),
    ]);
    const again = await receipt(env, created.as(author).write.submitProof([leak.cid, outputs]));
    const [proof] = parseEventLogs({ abi: daimonProblemAbi, logs: again.logs, eventName: "ProofSubmitted" });
    await castVote(env, created, validator, { proofId: proof!.args.proofId, proofHash: proof!.args.proofHash });
    await toRound(env, created, 2);
    await receipt(env, created.as(validator).write.commitImprovementBlock());
    expect(await balance(env, created, author)).to.equal(
      improverReward(proof!.args.distance, WAD, created.spec.config.rewardShape, created.spec.config.rewardScale),
    );
    expect(await balance(env, created, observer)).to.equal(0n);
  });

  it("An improver voting for himself through other accounts earned 1.75× the reward: his own address can neither vote for his proof nor be paid as its validator", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createProblem(env, { tupleCount: 2, config: { minVotes: 1, competitionPeriod: 40 } });
    await toRound(env, created, 0);
    const [improver, validator] = wallets(env, 1, 2);
    const proof = await registerAndSubmit(env, created, improver, "bafy-improver", outputsNear(created, 1200, 5));
    await expectRevert(created.as(improver).write.vote([proof.proofId, proof.proofHash]), "SelfVote", [proof.proofId]);
    // A copy of his own outputs from a second account, to vote for it there, is refused by the copy rule.
    const second = wallet(env, 3);
    await registerAged(env, created, second, "bafy-improver-again", proof.outputs);
    await expectRevert(created.as(second).write.submitProof(["bafy-improver-again", proof.outputs]), "CopiedOutputs");
    await castVote(env, created, validator, proof);
    await toRound(env, created, 1);
    await receipt(env, created.as(validator).write.commitImprovementBlock());
    await expectRevert(created.as(improver).write.claimValidatorReward([1n]), "NoVote", [1n, getAddress(improver.account.address)]);
    expect(await created.as(improver).read.validatorReward([1n, improver.account.address])).to.equal(0n);
    const amount = improverReward(proof.distance, WAD, created.spec.config.rewardShape, created.spec.config.rewardScale);
    // Exactly 1× the reward for the improver; the only validator share (½) goes to the other account.
    expect(await balance(env, created, improver)).to.equal(amount);
    await receipt(env, created.as(validator).write.claimValidatorReward([1n]));
    expect(await balance(env, created, validator)).to.equal(validatorShare(amount, 1));
  });
});

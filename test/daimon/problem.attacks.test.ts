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
 *   y_t outputs → a real model, its true labels (no label dispute wins) and y_t as outputs: the output step of the
 *                 tuple's f_q (disputeOutputLayer) voids the proof, the challenger takes the bond, no block, d_c stays
 *   self-vote   → the direct form (the improver's own address votes or claims a validator reward for his proof) is
 *                 refused; the Sybil form through other addresses needs bonds and slashing (design, §14.4)
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { bytesToHex, decodeFunctionData, getAddress, hexToBytes, keccak256, parseEventLogs, type Hash, type Hex, type PublicClient } from "viem";
import { daimonProblemAbi } from "../../lib/generated/abis";
import { DAIMON_LIMITS, WAD, improverReward, registrationUsableFrom, unpackVector, validatorShare } from "../../lib/daimon/fixedPoint";
import { findWrongLabel, integerLabels, labelDispute, packLabels, unpackLabels } from "../../lib/daimon/disputes";
import { encodeModel } from "../../lib/danku/encoding";
import { cidHash, outputsHash, registrationHash } from "../../lib/daimon/encoding";
import { readProofs, submitProof } from "../../lib/chain/daimon";
import { delqClaim, outputDispute, segmentCount, type QuantizedDel } from "../../lib/daimon/delQuantized";
import { TransactionFailure } from "../../lib/chain/transactions";
import { describeContractError } from "../../lib/chain/errors";
import {
  testBinding,
  BOND,
  proofArgs,
  JUDGE_ERRORS_ABI,
  disputableProblem,
  delqProblem,
  gasCost,
  randomIntegerModel,
  submitBound,
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
  VOTE_BOND,
  roundStart,
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
  await created.as(author).write.submitProof(proofArgs(cid, outputs), { ...BOND, gas: 60_000n }).then(
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
  const [leakedCid, , , , leakedOutputs] = args as readonly [string, Hex, Hex, Hex, Hex];
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
    await expectRevert(created.as(copier).write.submitProof(proofArgs("bafy-reencoded-copy", honest.outputs), BOND), "CopiedOutputs", [
      key,
      honest.proofId,
      getAddress(author.account.address),
    ]);
    // Through the library (as the CLI and the page send it): simulated first, refused, nothing sent. (Hardhat's
    // in-process node reports custom errors in its message; over JSON-RPC viem decodes them into the sentence.)
    const nonce = await env.publicClient.getTransactionCount({ address: copier.account.address });
    let failure: unknown;
    try {
      await submitProof(copier, env.publicClient as unknown as PublicClient, created.address, "bafy-reencoded-copy", testBinding("bafy-reencoded-copy"), honest.outputs);
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
    await expectRevert(created.as(sybil).write.vote([1n, honest.proofHash], VOTE_BOND), "UnknownProof", [1n, 1n]);
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
    // T_b = 40: in round 1, the copier's and the author's aged registrations fit before the dispute window.
    const created = await createProblem(env, { tupleCount: 1, config: { minVotes: 1, competitionPeriod: 40 } });
    await toRound(env, created, 0);
    const [author, copier, validator] = wallets(env, 1, 2, 3);
    // Round 0 closes without a vote, so without a block: the outputs were never rewarded.
    const honest = await registerAndSubmit(env, created, author, "bafy-author-model", outputsNear(created, 2000, 7));
    await toRound(env, created, 1);
    await registerAged(env, created, copier, "bafy-reencoded-copy", honest.outputs);
    await expectRevert(created.as(copier).write.submitProof(proofArgs("bafy-reencoded-copy", honest.outputs), BOND), "CopiedOutputs", [
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
      const r = await receipt(env, created.as(w).write.submitProof(proofArgs(cid, packed), BOND));
      ids.push(parseEventLogs({ abi: daimonProblemAbi, logs: r.logs, eventName: "ProofSubmitted" })[0]?.args.proofId);
      expect(parseEventLogs({ abi: daimonProblemAbi, logs: r.logs, eventName: "ProofSuperseded" })).to.have.length(0);
    }
    expect(ids).to.deep.equal([0n, 1n]);
    // The first proof keeps the outputs; any later registrant's copy is refused, naming it.
    expect(await created.as(late).read.outputsOwner([outputsHash(packed)])).to.deep.equal([getAddress(second.account.address), 0n, registeredAt]);
    await expectRevert(created.as(late).write.submitProof(proofArgs("bafy-late-copy", packed), BOND), "CopiedOutputs", [
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
      await expectRevert(created.as(observer).write.submitProof(proofArgs(cid, leak.outputs), BOND), "NotRegistered", [
        registrationHash(created.address, observer.account.address, cid, leak.outputs),
      ]);
    }
    // He registers what he saw, under his own CID and under the author's; both are usable only R blocks later.
    const fresh = await registerProof(env, created, observer, "bafy-observer-copy", leak.outputs);
    await registerProof(env, created, observer, leak.cid, leak.outputs);
    const freshUsable = registrationUsableFrom(fresh.blockNumber);
    await expectRevert(created.as(observer).write.submitProof(proofArgs("bafy-observer-copy", leak.outputs), BOND), "RegistrationTooRecent", [
      registrationHash(created.address, observer.account.address, "bafy-observer-copy", leak.outputs),
      fresh.blockNumber,
      freshUsable,
    ]);

    // The author retries (with enough gas) well inside those R blocks: accepted.
    const retry = await receipt(env, created.as(author).write.submitProof(proofArgs(leak.cid, outputs), BOND));
    expect(retry.blockNumber < freshUsable).to.equal(true);
    const [proof] = parseEventLogs({ abi: daimonProblemAbi, logs: retry.logs, eventName: "ProofSubmitted" });
    expect(proof?.args.proofId).to.equal(0n);
    expect(proof?.args.improver).to.equal(getAddress(author.account.address));

    // Once his registrations are old enough, the observer is still refused: the author's registration is older.
    await mineUntilNextTxIn(env, freshUsable);
    await expectRevert(created.as(observer).write.submitProof(proofArgs("bafy-observer-copy", leak.outputs), BOND), "CopiedOutputs", [
      outputsHash(outputs),
      0n,
      getAddress(author.account.address),
    ]);
    await expectRevert(created.as(observer).write.submitProof(proofArgs(leak.cid, leak.outputs), BOND), "CidTaken", [
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
    const copy = await receipt(env, created.as(observer).write.submitProof(proofArgs(leak.cid, leak.outputs), BOND));
    const [copied] = parseEventLogs({ abi: daimonProblemAbi, logs: copy.logs, eventName: "ProofSubmitted" });
    expect(copied?.args.proofId).to.equal(0n);
    expect(await created.as(observer).read.cidClaim([cidHash(leak.cid)])).to.deep.equal([getAddress(observer.account.address), 0n, copyRegistration]);
    await castVote(env, created, sybil, { proofId: 0n, proofHash: copied!.args.proofHash }); // the copy leads, 1 vote

    // The author's retry: his registration is older, so he takes the CID and the outputs, and the copy is superseded.
    const retry = await receipt(env, created.as(author).write.submitProof(proofArgs(leak.cid, outputs), BOND));
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
    await expectRevert(created.as(sybil2).write.vote([0n, copied!.args.proofHash], VOTE_BOND), "Superseded", [0n, 1n]);
    const vote = await castVote(env, created, validator, { proofId: 1n, proofHash: proof!.args.proofHash });
    const [lead] = parseEventLogs({ abi: daimonProblemAbi, logs: vote.logs, eventName: "RoundLeaderChanged" });
    expect(lead?.args).to.deep.equal({ round: 0n, proofId: 1n, votes: 1n });
    // The observer cannot come back with a fresh copy either: every registration of his is younger.
    await registerAged(env, created, observer, "bafy-observer-copy", leak.outputs);
    await expectRevert(created.as(observer).write.submitProof(proofArgs("bafy-observer-copy", leak.outputs), BOND), "CopiedOutputs", [
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
    const copy = await receipt(env, created.as(observer).write.submitProof(proofArgs("bafy-observer-copy", leak.outputs), BOND));
    const [copied] = parseEventLogs({ abi: daimonProblemAbi, logs: copy.logs, eventName: "ProofSubmitted" });
    await castVote(env, created, sybil, { proofId: 0n, proofHash: copied!.args.proofHash });
    await receipt(env, created.as(author).write.submitProof(proofArgs(leak.cid, outputs), BOND)); // supersedes proof 0, no vote yet
    expect((await created.as(author).read.pendingRound()).leader).to.equal(0n);
    await toRound(env, created, 1);
    const settle = await receipt(env, created.as(validator).write.commitImprovementBlock());
    const [settled] = parseEventLogs({ abi: daimonProblemAbi, logs: settle.logs, eventName: "RoundSettled" });
    expect(settled?.args).to.deep.equal({ round: 0n, committed: false, leader: 0n, leaderVotes: 1n });
    expect(await tokenAt(env, created.token).read.totalSupply()).to.equal(0n);
    // A round later the author resubmits his outputs (his registration is reused) and wins; the copier cannot.
    await expectRevert(created.as(observer).write.submitProof(proofArgs("bafy-observer-copy", leak.outputs), BOND), "CopiedOutputs", [
      outputsHash(outputs),
      1n,
      getAddress(author.account.address),
    ]);
    const again = await receipt(env, created.as(author).write.submitProof(proofArgs(leak.cid, outputs), BOND));
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
    await expectRevert(created.as(improver).write.vote([proof.proofId, proof.proofHash], VOTE_BOND), "SelfVote", [proof.proofId]);
    // A copy of his own outputs from a second account, to vote for it there, is refused by the copy rule.
    const second = wallet(env, 3);
    await registerAged(env, created, second, "bafy-improver-again", proof.outputs);
    await expectRevert(created.as(second).write.submitProof(proofArgs("bafy-improver-again", proof.outputs), BOND), "CopiedOutputs");
    await castVote(env, created, validator, proof);
    await toRound(env, created, 1);
    await receipt(env, created.as(validator).write.commitImprovementBlock());
    await expectRevert(created.as(improver).write.claimValidatorReward([1n]), "NoVote", [1n, getAddress(improver.account.address)]);
    expect(await created.as(improver).read.validatorReward([1n, improver.account.address])).to.equal(0n);
    const amount = improverReward(proof.distance, WAD, created.spec.config.rewardShape, created.spec.config.rewardScale);
    // Exactly 1× the reward for the improver; the only validator share (¼) goes to the other account.
    expect(await balance(env, created, improver)).to.equal(amount);
    await receipt(env, created.as(validator).write.claimValidatorReward([1n]));
    expect(await balance(env, created, validator)).to.equal(validatorShare(amount, 1));
  });

  it("Three accounts with no model took the whole reward and froze the problem (y_t as outputs, two Sybil votes, 1,750 tokens, d_c = 0 for ever): without a model the proof loses its availability dispute, nothing is minted and d_c stays", async function () {
    const env = await loadFixture(deployEnv);
    const { created } = await disputableProblem(env, { m: 32, features: 8, classCount: 3, config: { minVotes: 2, competitionPeriod: 40 } });
    const [cheater, sybil1, sybil2, watcher, honest] = wallets(env, 1, 2, 3, 4, 5);
    // Today's loss, up to the dispute: y_t is public, submitting it gives d = 0 and two Sybil votes lead the round.
    const yt = unpackVector(hexToBytes(await created.as(cheater).read.tupleTarget([0n])));
    const noModel = new Uint8Array([1, 2, 3]); // bound by hash only: there is no model behind it
    const cheat = await submitBound(env, created, cheater, "bafy-no-model", noModel, [new Array<number>(32).fill(0)], [yt]);
    expect(cheat.distance).to.equal(0n);
    await castVote(env, created, sybil1, cheat);
    await castVote(env, created, sybil2, cheat);
    expect((await created.as(watcher).read.pendingRound()).leaderVotes).to.equal(2);
    // A watcher asks for the model; the cheater has none that hashes to the binding and is a valid DanKu model.
    const before = await env.publicClient.getBalance({ address: watcher.account.address });
    const asked = await receipt(env, created.disputesAs(watcher).write.disputeAvailability([cheat.proofId], { value: DAIMON_LIMITS.AVAILABILITY_BOND }));
    const [disputed] = parseEventLogs({ abi: daimonProblemAbi, logs: asked.logs, eventName: "AvailabilityDisputed" });
    const deadline = disputed!.args.deadline;
    await expectRevert(created.disputesAs(cheater).write.postModel([cheat.proofId, bytesToHex(noModel)]), "InvalidModel", undefined, JUDGE_ERRORS_ABI);
    const other = encodeModel(randomIntegerModel([8, 3], 1));
    await expectRevert(created.disputesAs(cheater).write.postModel([cheat.proofId, bytesToHex(other)]), "ModelHashMismatch", [cheat.proofId, keccak256(other), cheat.binding.modelHash]);
    // (From another account: a reverted transaction costs its sender gas, which would blur the watcher's balance.)
    await expectRevert(created.disputesAs(honest).write.claimUnavailable([cheat.proofId]), "AvailabilityPending", [cheat.proofId, deadline]);
    await mineUntilNextTxIn(env, deadline + 1n);
    const voided = await receipt(env, created.disputesAs(watcher).write.claimUnavailable([cheat.proofId]));
    const [event] = parseEventLogs({ abi: daimonProblemAbi, logs: voided.logs, eventName: "ProofVoided" });
    const [slashed] = parseEventLogs({ abi: daimonProblemAbi, logs: voided.logs, eventName: "VoteBondsSlashed" });
    expect([slashed!.args.proofId, slashed!.args.challenger, slashed!.args.votes, slashed!.args.amount]).to.deep.equal([cheat.proofId, getAddress(watcher.account.address), 2n, 2n * DAIMON_LIMITS.VOTE_BOND]);
    expect(event!.args.paid).to.equal(DAIMON_LIMITS.PROOF_BOND + DAIMON_LIMITS.AVAILABILITY_BOND + 2n * DAIMON_LIMITS.VOTE_BOND);
    // The watcher gets the cheater's bond, his own back and the two Sybil votes' bonds; gas aside, he gained
    // PROOF_BOND + 2 · VOTE_BOND, to the wei.
    expect(await env.publicClient.getBalance({ address: watcher.account.address })).to.equal(
      before - gasCost(asked) - gasCost(voided) + DAIMON_LIMITS.PROOF_BOND + 2n * DAIMON_LIMITS.VOTE_BOND,
    );
    await expectRevert(created.as(honest).write.vote([cheat.proofId, cheat.proofHash], VOTE_BOND), "Voided", [cheat.proofId]);
    await expectRevert(created.disputesAs(watcher).write.claimUnavailable([cheat.proofId]), "Voided", [cheat.proofId]);
    // The round closes without a block: no token for anyone, d_c is still 1, and the bond is gone.
    await toRound(env, created, 1);
    await receipt(env, created.as(watcher).write.commitImprovementBlock());
    expect(await created.as(watcher).read.chainLength()).to.equal(1n);
    expect(await created.as(watcher).read.bestDistance()).to.equal(WAD);
    for (const w of [cheater, sybil1, sybil2]) expect(await balance(env, created, w)).to.equal(0n);
    await expectRevert(created.disputesAs(cheater).write.returnBond([cheat.proofId]), "BondNotReturnable", [cheat.proofId]);
    // The Sybil votes' bonds are gone: after the round they cannot be withdrawn.
    for (const w of [sybil1, sybil2]) {
      await expectRevert(created.disputesAs(w).write.withdrawVoteBond([cheat.proofId]), "VoteBondNotWithdrawable", [cheat.proofId, getAddress(w.account.address)]);
    }
    // Not frozen: an honest proof with d > 0 is accepted in the next round.
    const fair = await registerAndSubmit(env, created, honest, "bafy-honest", outputsNear(created, 3000, 2));
    expect(fair.distance > 0n && fair.distance < WAD).to.equal(true);
  });

  it("Three accounts with no model took the whole reward and froze the problem (y_t as outputs, two Sybil votes, 1,750 tokens, d_c = 0 for ever): with some model posted, its labels lose the first label dispute", async function () {
    const env = await loadFixture(deployEnv);
    const { created, points, inputs } = await disputableProblem(env, { m: 32, features: 8, classCount: 3, config: { minVotes: 2, competitionPeriod: 40 } });
    const [cheater, sybil1, sybil2, watcher] = wallets(env, 1, 2, 3, 4);
    const yt = unpackVector(hexToBytes(await created.as(cheater).read.tupleTarget([0n])));
    // Any valid model, and labels the cheater wishes it had (he cannot know x_t; here: his guess of class 0 for all).
    const model = randomIntegerModel([8, 8, 3], 3);
    const bytes = encodeModel(model);
    const claimed = [new Array<number>(32).fill(0)];
    const cheat = await submitBound(env, created, cheater, "bafy-some-model", bytes, claimed, [yt]);
    expect(cheat.distance).to.equal(0n);
    await castVote(env, created, sybil1, cheat);
    await castVote(env, created, sybil2, cheat);
    await receipt(env, created.disputesAs(cheater).write.postModel([cheat.proofId, bytesToHex(bytes)]));
    // Both halves of availability: the labels must be the committed ones (or an availability dispute voids the proof).
    const labelled = await receipt(env, created.disputesAs(cheater).write.postLabels([cheat.proofId, bytesToHex(packLabels(claimed))]));
    const [published] = parseEventLogs({ abi: daimonProblemAbi, logs: labelled.logs, eventName: "LabelsPosted" });
    const onChain = unpackLabels(hexToBytes(published!.args.labels), 32).map((l) => Array.from(l));
    expect(onChain).to.deep.equal(claimed);
    // The watcher runs the posted model on Z (the same integer forward pass as the chain) and finds a wrong label.
    const wrong = findWrongLabel(model, [points], onChain);
    expect(wrong).to.not.equal(null);
    const right = integerLabels(model, points).findIndex((label) => label === 0);
    const args = (index: number) => labelDispute({ tuple: 0, index, points, inputs, claimedLabels: claimed, labels: cheat.labels });
    if (right >= 0) await expectRevert(created.disputesAs(watcher).write.disputeLabel([cheat.proofId, args(right)]), "LabelCorrect", [cheat.proofId, 0n, BigInt(right), 0n]);
    const before = await env.publicClient.getBalance({ address: watcher.account.address });
    const won = await receipt(env, created.disputesAs(watcher).write.disputeLabel([cheat.proofId, args(wrong!.index)]));
    const [event] = parseEventLogs({ abi: daimonProblemAbi, logs: won.logs, eventName: "ProofVoided" });
    // The challenger takes the proof's bond and both Sybil votes' bonds, to the wei.
    const stake = DAIMON_LIMITS.PROOF_BOND + 2n * DAIMON_LIMITS.VOTE_BOND;
    expect([event!.args.reason, event!.args.tuple, event!.args.index, event!.args.paid]).to.deep.equal([0, 0n, BigInt(wrong!.index), stake]);
    const [slashed] = parseEventLogs({ abi: daimonProblemAbi, logs: won.logs, eventName: "VoteBondsSlashed" });
    expect([slashed!.args.votes, slashed!.args.amount]).to.deep.equal([2n, 2n * DAIMON_LIMITS.VOTE_BOND]);
    expect(await env.publicClient.getBalance({ address: watcher.account.address })).to.equal(before - gasCost(won) + stake);
    // Disputing it again wins nothing.
    await expectRevert(created.disputesAs(watcher).write.disputeLabel([cheat.proofId, args(wrong!.index)]), "Voided", [cheat.proofId]);
    await toRound(env, created, 1);
    await receipt(env, created.as(watcher).write.commitImprovementBlock());
    expect(await created.as(watcher).read.chainLength()).to.equal(1n);
    expect(await created.as(watcher).read.bestDistance()).to.equal(WAD);
    for (const w of [cheater, sybil1, sybil2]) expect(await balance(env, created, w)).to.equal(0n);
    for (const w of [sybil1, sybil2]) {
      await expectRevert(created.disputesAs(w).write.withdrawVoteBond([cheat.proofId]), "VoteBondNotWithdrawable", [cheat.proofId, getAddress(w.account.address)]);
    }
    // A cheater who claims his model's own labels but still submits y_t has outputs that are not f(labels): that is
    // disputeOutput's case (next test), not a label dispute's.
  });

  it("Three accounts took the whole reward with y_t as outputs (two Sybil votes, d_c = 0 for ever): with a real model and its true labels, undisputed, the cheat takes the block and d_c = 0 (the loss the output dispute prevents)", async function () {
    const env = await loadFixture(deployEnv);
    const p = await delqProblem(env, { m: 20, config: { minVotes: 2, competitionPeriod: 60 } });
    const [cheater, sybil1, sybil2, watcher] = wallets(env, 1, 2, 3, 4);
    const yt = unpackVector(hexToBytes(await p.created.as(cheater).read.tupleTarget([0n])));
    const honest = delqClaim(p.fs, p.labels);
    const cheat = await submitBound(env, p.created, cheater, "bafy-yt-outputs", encodeModel(p.model), p.labels, [yt], honest.checkpoints);
    await castVote(env, p.created, sybil1, cheat);
    await castVote(env, p.created, sybil2, cheat);
    await toRound(env, p.created, 1);
    await receipt(env, p.created.as(watcher).write.commitImprovementBlock());
    expect(await p.created.as(watcher).read.chainLength()).to.equal(2n);
    expect(await p.created.as(watcher).read.bestDistance()).to.equal(0n);
    expect((await balance(env, p.created, cheater)) > 0n).to.equal(true);
  });

  it("Three accounts took the whole reward with y_t as outputs (two Sybil votes, d_c = 0 for ever): with a real model and its true labels no label dispute wins, but the output step of f_q does", async function () {
    const env = await loadFixture(deployEnv);
    const p = await delqProblem(env, { m: 20, config: { minVotes: 2, competitionPeriod: 60 } });
    const [cheater, sybil1, sybil2, watcher] = wallets(env, 1, 2, 3, 4);
    const q = p.fs[0] as QuantizedDel;
    const yt = unpackVector(hexToBytes(await p.created.as(cheater).read.tupleTarget([0n])));
    // The model's own labels (so every label dispute reverts LabelCorrect) and f_q's honest checkpoints on them (so
    // every segment is right): only y is false, y_t itself, d = 0.
    const honest = delqClaim(p.fs, p.labels);
    expect(honest.outputs[0]).to.not.deep.equal(yt);
    const bytes = encodeModel(p.model);
    const cheat = await submitBound(env, p.created, cheater, "bafy-yt-outputs", bytes, p.labels, [yt], honest.checkpoints);
    expect(cheat.distance).to.equal(0n);
    await castVote(env, p.created, sybil1, cheat);
    await castVote(env, p.created, sybil2, cheat);
    // The model and labels are posted (availability is answered) and every label is the model's.
    await receipt(env, p.created.disputesAs(cheater).write.postModel([cheat.proofId, bytesToHex(bytes)]));
    await receipt(env, p.created.disputesAs(cheater).write.postLabels([cheat.proofId, bytesToHex(packLabels(p.labels))]));
    expect(findWrongLabel(p.model, [p.points], p.labels)).to.equal(null);
    const label0 = labelDispute({ tuple: 0, index: 0, points: p.points, inputs: p.inputs, claimedLabels: p.labels, labels: cheat.labels });
    await expectRevert(p.created.disputesAs(watcher).write.disputeLabel([cheat.proofId, label0]), "LabelCorrect", [cheat.proofId, 0n, 0n, BigInt(p.labels[0]![0]!)]);
    // The watcher recomputes f_q on the posted labels: every checkpoint is right, the outputs are not.
    const found = outputDispute({ q, tuple: 0, labels: p.labels, checkpoints: honest.checkpoints, outputs: cheat.outputs });
    if (!found || found.kind !== "output") throw new Error("the output step should be the first wrong one");
    expect(found.step).to.equal(segmentCount(q));
    const before = await env.publicClient.getBalance({ address: watcher.account.address });
    const won = await receipt(env, p.created.disputesAs(watcher).write.disputeOutputLayer([cheat.proofId, found.claim, found.output.state, found.output.b2, found.output.w2]));
    console.log(`      disputeOutputLayer (y_t as outputs, H = 32, n = 16): ${won.gasUsed.toLocaleString("en-US")} gas`);
    const [event] = parseEventLogs({ abi: daimonProblemAbi, logs: won.logs, eventName: "ProofVoided" });
    expect([event!.args.reason, event!.args.tuple, event!.args.index, event!.args.paid]).to.deep.equal([2, 0n, BigInt(segmentCount(q)), DAIMON_LIMITS.PROOF_BOND + 2n * DAIMON_LIMITS.VOTE_BOND]);
    // The two Sybil votes' bonds are slashed to the watcher with the proof's bond (§14.4).
    const [slashed] = parseEventLogs({ abi: daimonProblemAbi, logs: won.logs, eventName: "VoteBondsSlashed" });
    expect([slashed!.args.votes, slashed!.args.amount]).to.deep.equal([2n, 2n * DAIMON_LIMITS.VOTE_BOND]);
    expect(await env.publicClient.getBalance({ address: watcher.account.address })).to.equal(before - gasCost(won) + DAIMON_LIMITS.PROOF_BOND + 2n * DAIMON_LIMITS.VOTE_BOND);
    await toRound(env, p.created, 1);
    await receipt(env, p.created.as(watcher).write.commitImprovementBlock());
    expect(await p.created.as(watcher).read.chainLength()).to.equal(1n);
    expect(await p.created.as(watcher).read.bestDistance()).to.equal(WAD);
    for (const w of [cheater, sybil1, sybil2]) expect(await balance(env, p.created, w)).to.equal(0n);
    await expectRevert(p.created.disputesAs(cheater).write.returnBond([cheat.proofId]), "BondNotReturnable", [cheat.proofId]);
  });

  describe("votes with something at stake (docs/daimon.md §14.4)", function () {
    /** Everyone's tokens on the problem, divided by the improver's reward, in units of 10⁻⁴. */
    const ratio = (total: bigint, amount: bigint) => (total * 10_000n) / amount;

    it("An improver voting for himself through other accounts earned 1.75× the reward: with two (and with five) Sybil votes he now ends with at most 1.25×, and his Sybils' bonds come back only because the proof survived", async function () {
      for (const sybilCount of [2, 5]) {
        const env = await loadFixture(deployEnv);
        const created = await createProblem(env, { tupleCount: 2, config: { minVotes: 1, competitionPeriod: 40 } });
        await toRound(env, created, 0);
        const improver = wallet(env, 1);
        const sybils = Array.from({ length: sybilCount }, (_, i) => wallet(env, 2 + i));
        const proof = await registerAndSubmit(env, created, improver, "bafy-self-voter", outputsNear(created, 1200, 5));
        for (const sybil of sybils) await castVote(env, created, sybil, proof);
        await toRound(env, created, 1);
        await receipt(env, created.as(improver).write.commitImprovementBlock());
        const amount = improverReward(proof.distance, WAD, created.spec.config.rewardShape, created.spec.config.rewardScale);
        for (const sybil of sybils) await receipt(env, created.as(sybil).write.claimValidatorReward([1n]));
        let total = await balance(env, created, improver);
        for (const sybil of sybils) total += await balance(env, created, sybil);
        // The old rule paid position s ⌊amount / 2^s⌋: 1 + ½ + ¼ = 1.75× with two Sybils (1.96875× with five).
        let old = amount;
        for (let s = 1; s <= sybilCount; s++) old += amount >> BigInt(s);
        expect(ratio(old, amount)).to.equal(sybilCount === 2 ? 17_500n : 19_687n);
        // Now: 1 + ⌊¼ / N⌋ · N ≤ 1.25×, whatever N.
        expect(total).to.equal(amount + BigInt(sybilCount) * validatorShare(amount, sybilCount));
        expect(total <= amount + amount / 4n).to.equal(true);
        expect(ratio(total, amount) <= 12_500n && ratio(total, amount) >= 12_499n).to.equal(true);
        expect(await tokenAt(env, created.token).read.totalSupply()).to.equal(total);
        // The proof survived its round, so the Sybils' bonds come back (a false proof's would go to its challenger).
        for (const sybil of sybils) await receipt(env, created.disputesAs(sybil).write.withdrawVoteBond([proof.proofId]));
      }
    });

    it("Validator rewards paid the fastest voters (⌊R / 2^s⌋ by position): the first and the last of three voters now get equal shares", async function () {
      const env = await loadFixture(deployEnv);
      const created = await createProblem(env, { tupleCount: 2, config: { minVotes: 1, competitionPeriod: 40 } });
      await toRound(env, created, 0);
      const [improver, first, second, last] = wallets(env, 1, 2, 3, 4);
      const proof = await registerAndSubmit(env, created, improver, "bafy-fair", outputsNear(created, 1500, 6));
      for (const v of [first, second]) await castVote(env, created, v, proof);
      // The last vote comes as late as voting allows: the round's final block.
      await mineUntilNextTxIn(env, roundStart(created, 1) - 1n);
      await castVote(env, created, last, proof);
      await toRound(env, created, 1);
      await receipt(env, created.as(last).write.commitImprovementBlock());
      const amount = improverReward(proof.distance, WAD, created.spec.config.rewardShape, created.spec.config.rewardScale);
      for (const v of [first, second, last]) await receipt(env, created.as(v).write.claimValidatorReward([1n]));
      const shares = await Promise.all([first, second, last].map((v) => balance(env, created, v)));
      expect(shares).to.deep.equal([amount / 4n / 3n, amount / 4n / 3n, amount / 4n / 3n]);
      // Under the old rule the first would have had 4× the last's share.
      expect((amount >> 1n) / (amount >> 3n)).to.equal(4n);
      expect(await created.as(first).read.voteOf([proof.proofId, first.account.address])).to.deep.equal([1n, true, false]);
      expect(await created.as(last).read.voteOf([proof.proofId, last.account.address])).to.deep.equal([3n, true, false]);
    });

    it("A vote without its bond: a vote with no ETH, too little or too much reverts WrongBond and counts nothing", async function () {
      const env = await loadFixture(deployEnv);
      const created = await createProblem(env, { tupleCount: 1, config: { minVotes: 1, competitionPeriod: 40 } });
      await toRound(env, created, 0);
      const [improver, validator] = wallets(env, 1, 2);
      const proof = await registerAndSubmit(env, created, improver, "bafy-bond", outputsNear(created, 1500, 7));
      for (const value of [0n, DAIMON_LIMITS.VOTE_BOND - 1n, 2n * DAIMON_LIMITS.VOTE_BOND]) {
        await expectRevert(created.as(validator).write.vote([proof.proofId, proof.proofHash], { value }), "WrongBond", [value, DAIMON_LIMITS.VOTE_BOND]);
      }
      expect((await created.as(validator).read.proofAt([proof.proofId])).voteCount).to.equal(0);
      expect(DAIMON_LIMITS.VOTE_BOND).to.equal(10n ** 15n);
    });

    it("An honest voter's bond: locked during the round, withdrawn once after it to the wei (not twice, not by a non-voter)", async function () {
      const env = await loadFixture(deployEnv);
      const created = await createProblem(env, { tupleCount: 1, config: { minVotes: 1, competitionPeriod: 40 } });
      await toRound(env, created, 0);
      const [improver, validator, stranger] = wallets(env, 1, 2, 3);
      const proof = await registerAndSubmit(env, created, improver, "bafy-honest-vote", outputsNear(created, 1500, 8));
      const start = await env.publicClient.getBalance({ address: validator.account.address });
      const voted = await castVote(env, created, validator, proof);
      // The vote cost gas and locked exactly VOTE_BOND.
      expect(await env.publicClient.getBalance({ address: validator.account.address })).to.equal(start - gasCost(voted) - DAIMON_LIMITS.VOTE_BOND);
      const held = await env.publicClient.getBalance({ address: created.address });
      const who = getAddress(validator.account.address);
      await expectRevert(created.disputesAs(validator).write.withdrawVoteBond([proof.proofId]), "VoteBondNotWithdrawable", [proof.proofId, who]);
      await toRound(env, created, 1);
      const before = await env.publicClient.getBalance({ address: validator.account.address });
      const withdrawn = await receipt(env, created.disputesAs(validator).write.withdrawVoteBond([proof.proofId]));
      const [event] = parseEventLogs({ abi: daimonProblemAbi, logs: withdrawn.logs, eventName: "VoteBondWithdrawn" });
      expect([event!.args.proofId, event!.args.validator, event!.args.amount]).to.deep.equal([proof.proofId, who, DAIMON_LIMITS.VOTE_BOND]);
      const after = await env.publicClient.getBalance({ address: validator.account.address });
      expect(after).to.equal(before - gasCost(withdrawn) + DAIMON_LIMITS.VOTE_BOND);
      expect(await env.publicClient.getBalance({ address: created.address })).to.equal(held - DAIMON_LIMITS.VOTE_BOND);
      expect(await created.as(validator).read.voteOf([proof.proofId, validator.account.address])).to.deep.equal([1n, false, true]);
      await expectRevert(created.disputesAs(validator).write.withdrawVoteBond([proof.proofId]), "VoteBondNotWithdrawable", [proof.proofId, who]);
      await expectRevert(created.disputesAs(stranger).write.withdrawVoteBond([proof.proofId]), "VoteBondNotWithdrawable", [proof.proofId, getAddress(stranger.account.address)]);
      // The reward is still claimable: the bond and the reward are independent.
      await receipt(env, created.as(validator).write.commitImprovementBlock());
      await receipt(env, created.as(validator).write.claimValidatorReward([1n]));
      expect(await created.as(validator).read.voteOf([proof.proofId, validator.account.address])).to.deep.equal([1n, true, true]);
    });

    it("A proof that takes unbounded votes would make a void pay an unbounded sum: the 1,001st vote reverts TooManyVotes", async function () {
      const env = await loadFixture(deployEnv);
      const created = await createProblem(env, { tupleCount: 1, config: { minVotes: 1, competitionPeriod: 40 } });
      await toRound(env, created, 0);
      const [improver, v999, v1000] = wallets(env, 1, 2, 3);
      const proof = await registerAndSubmit(env, created, improver, "bafy-crowded", outputsNear(created, 1500, 9));
      expect(DAIMON_LIMITS.MAX_VOTES).to.equal(1000n);
      // 998 votes are cast by writing the count (the storage slot holding the proof's improver, round and voteCount),
      // so the test does not send 998 transactions; the contract's own vote() does the rest.
      const owner = improver.account.address.toLowerCase().slice(2);
      let slot: Hex | undefined;
      for (let i = 0n; i < 64n && !slot; i++) {
        const base = keccak256(`0x${i.toString(16).padStart(64, "0")}`);
        const word = await env.publicClient.getStorageAt({ address: created.address, slot: base });
        if (word && word.slice(-40) === owner) slot = base;
      }
      expect(slot).to.not.equal(undefined);
      const word = BigInt((await env.publicClient.getStorageAt({ address: created.address, slot: slot! }))!);
      const shift = 160n + 56n;
      const forced = (word & ~(0xffffffffn << shift)) | (998n << shift);
      await env.testClient.setStorageAt({ address: created.address, index: slot!, value: `0x${forced.toString(16).padStart(64, "0")}` });
      expect((await created.as(improver).read.proofAt([proof.proofId])).voteCount).to.equal(998);
      await castVote(env, created, v999, proof);
      await castVote(env, created, v1000, proof);
      expect((await created.as(improver).read.proofAt([proof.proofId])).voteCount).to.equal(1000);
      await expectRevert(created.as(wallet(env, 4)).write.vote([proof.proofId, proof.proofHash], VOTE_BOND), "TooManyVotes", [proof.proofId, 1000n]);
    });
  });
});

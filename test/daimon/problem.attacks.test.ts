/**
 * Issue 11's attacks, tried from the attacker's side; each test is named after the attack in the issue and fails if
 * the loss it describes is possible (docs/daimon.md §14 says what is implemented and what remains design).
 *
 *   copier    → the copy rule: outputs equal to a proof mined in an earlier block by another account are refused
 *               with CopiedOutputs(outputsHash, earlierProofId, earlierImprover); the author keeps the right to
 *               resubmit his own outputs, and proofs with equal outputs mined in the same block are all accepted
 *               (neither can have copied the other from the chain, and a mempool copier must not lock the author out)
 *   self-vote → the direct form (the improver's own address votes or claims a validator reward for his proof) is
 *               refused; the Sybil form through other addresses needs bonds and slashing (design, §14.4)
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress, parseEventLogs, type Hash, type PublicClient } from "viem";
import { daimonProblemAbi } from "../../lib/generated/abis";
import { WAD, improverReward, validatorShare } from "../../lib/daimon/fixedPoint";
import { outputsHash, registrationHash } from "../../lib/daimon/encoding";
import { submitProof } from "../../lib/chain/daimon";
import { TransactionFailure } from "../../lib/chain/transactions";
import { describeContractError } from "../../lib/chain/errors";
import {
  castVote,
  createProblem,
  deployEnv,
  expectRevert,
  hexOutputs,
  outputsNear,
  receipt,
  registerAndSubmit,
  tokenAt,
  toRound,
  wallet,
  wallets,
  type Created,
  type Env,
  type WalletClient,
} from "./fixtures";

async function balance(env: Env, created: Created, w: WalletClient): Promise<bigint> {
  return tokenAt(env, created.token).read.balanceOf([w.account.address]);
}

async function register(env: Env, created: Created, w: WalletClient, cid: string): Promise<void> {
  await receipt(env, created.as(w).write.register([registrationHash(created.address, w.account.address, cid)]));
}

describe("DaimonProblem: issue 11's attacks", function () {
  it("A copier re-encoded a published model (new CID, same outputs) and received 966 tokens", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createProblem(env, { tupleCount: 2, config: { minVotes: 1, competitionPeriod: 40 } });
    await toRound(env, created, 0);
    const [author, copier, sybil, validator] = wallets(env, 1, 2, 3, 4);
    const honest = await registerAndSubmit(env, created, author, "bafy-author-model", outputsNear(created, 1500, 1));
    // The author publishes the model after the proof is mined; the copier re-encodes it (another CID, the same
    // predictions, hence the same outputs), registers that CID and submits in a later block of the same round.
    await register(env, created, copier, "bafy-reencoded-copy");
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
      `These outputs are proof 0's, submitted earlier by ${getAddress(author.account.address)}: a copy of a model earns nothing. Submit a model whose predictions differ.`,
    );
    expect(await env.publicClient.getTransactionCount({ address: copier.account.address })).to.equal(nonce);
    const owner = await created.as(copier).read.outputsOwner([key]);
    expect(owner).to.deep.equal([getAddress(author.account.address), honest.proofId, honest.submitReceipt.blockNumber]);
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
    await register(env, created, copier, "bafy-reencoded-copy");
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

  it("A copier re-encoded a published model (new CID, same outputs) and received 966 tokens: equal outputs in one block are all accepted, so a mempool copier cannot lock the author out", async function () {
    const env = await loadFixture(deployEnv);
    const created = await createProblem(env, { tupleCount: 1, config: { minVotes: 1, competitionPeriod: 40 } });
    await toRound(env, created, 0);
    const [author, racer, late] = wallets(env, 1, 2, 3);
    const packed = hexOutputs(outputsNear(created, 1800, 3));
    for (const [w, cid] of [[author, "bafy-author"], [racer, "bafy-racer-junk"], [late, "bafy-late-copy"]] as const) {
      await register(env, created, w, cid);
    }
    // The racer saw the author's pending transaction and got his copy into the same block, first.
    await env.testClient.setAutomine(false);
    let hashes: Hash[];
    try {
      const racerTx = await created.as(racer).write.submitProof(["bafy-racer-junk", packed]);
      const authorTx = await created.as(author).write.submitProof(["bafy-author", packed]);
      hashes = [racerTx, authorTx];
      await env.testClient.mine({ blocks: 1 });
    } finally {
      await env.testClient.setAutomine(true);
    }
    const receipts = await Promise.all(hashes.map((hash) => receipt(env, hash)));
    expect(receipts[0]?.blockNumber).to.equal(receipts[1]?.blockNumber);
    const ids = receipts.map((r) => parseEventLogs({ abi: daimonProblemAbi, logs: r.logs, eventName: "ProofSubmitted" })[0]?.args.proofId);
    expect(ids).to.deep.equal([0n, 1n]);
    // Both proofs stand (validators decide between them by checking the models); any later copy is refused, naming
    // the block's first proof.
    await expectRevert(created.as(late).write.submitProof(["bafy-late-copy", packed]), "CopiedOutputs", [
      outputsHash(packed),
      0n,
      getAddress(racer.account.address),
    ]);
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
    await register(env, created, second, "bafy-improver-again");
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

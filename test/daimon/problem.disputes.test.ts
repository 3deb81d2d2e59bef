/**
 * Proofs bound to model bytes and their one-step disputes (docs/daimon.md §14.3), from both sides:
 *
 *   honest       → a proof whose labels are its integer model's survives every dispute: its model is posted in
 *                  time after an availability dispute (the challenger's bond goes to the improver), every label
 *                  dispute reverts LabelCorrect, the block is committed and the bond comes back
 *   bad paths    → a dispute whose features or label do not lead to the committed roots reverts (BadInputsProof,
 *                  BadLabelsProof, PointOutOfRange, FeatureLength, UnknownTuple)
 *   griefing     → disputing an honest label, disputing twice, disputing or posting after the window, a second
 *                  availability dispute, claiming an answered or pending availability dispute: all refused
 *   schedule     → proofs only before the dispute window, availability disputes until 2·T_a before the round's end
 *   gas          → every step under the 16,777,216-gas cap on the largest model the DanKu format allows, at
 *                  m = 1,000 and m = 10,000
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { bytesToHex, getAddress, hexToBytes, parseEventLogs } from "viem";
import { daimonDisputeModuleAbi, daimonProblemAbi, problemFactoryAbi } from "../../lib/generated/abis";
import { DAIMON_LIMITS, disputeSchedule } from "../../lib/daimon/fixedPoint";
import { integerLabels, labelDispute, labelsTree, packLabels, unpackLabels, type LabelDisputeArgs } from "../../lib/daimon/disputes";
import { encodeModel } from "../../lib/danku/encoding";
import { predict } from "../../lib/danku/forward";
import { TX_GAS_CAP } from "../../lib/danku/constants";
import {
  BOND,
  GasLog,
  deployEnv,
  disputableProblem,
  disputesAs,
  expectRevert,
  gasCost,
  hexOutputs,
  mineUntilNextTxIn,
  outputsNear,
  proofArgs,
  randomIntegerModel,
  receipt,
  registerProof,
  submitBound,
  toRound,
  toUsable,
  wallets,
  VOTE_BOND,
} from "./fixtures";

const gasLog = new GasLog();

describe("DaimonProblem: disputes (§14.3)", function () {
  this.timeout(600_000);
  after(() => gasLog.print("dispute steps (largest DanKu model, 784-80-10, 64,370 bytes)"));

  it("an honest proof survives every dispute: its model is posted in time, no label dispute wins, the block is committed and the bond returned", async function () {
    const env = await loadFixture(deployEnv);
    const m = 24;
    // T_b = 120: every failed dispute below is a mined block; they all fit in the proof's round.
    const { created, points, inputs } = await disputableProblem(env, { m, features: 8, classCount: 3, config: { minVotes: 1, competitionPeriod: 120 } });
    const [improver, validator, watcher, other] = wallets(env, 1, 2, 3, 4);
    const model = randomIntegerModel([8, 8, 3], 11);
    const bytes = encodeModel(model);
    const labels = [Array.from(integerLabels(model, points))];
    const proof = await submitBound(env, created, improver, "bafy-honest-int", bytes, labels, outputsNear(created, 2500, 3));
    await receipt(env, created.as(validator).write.vote([proof.proofId, proof.proofHash], VOTE_BOND));
    const args = (index: number, patch: Partial<LabelDisputeArgs> = {}): LabelDisputeArgs => ({
      ...labelDispute({ tuple: 0, index, points, inputs, claimedLabels: labels, labels: proof.labels }),
      ...patch,
    });
    // Before the model is on chain a label dispute cannot run: ask for the model first.
    await expectRevert(created.disputesAs(watcher).write.disputeLabel([proof.proofId, args(0)]), "ModelNotPosted", [proof.proofId]);
    await expectRevert(created.disputesAs(watcher).write.disputeAvailability([proof.proofId]), "WrongBond", [0n, DAIMON_LIMITS.AVAILABILITY_BOND]);
    const asked = await receipt(env, created.disputesAs(watcher).write.disputeAvailability([proof.proofId], { value: DAIMON_LIMITS.AVAILABILITY_BOND }));
    await expectRevert(created.disputesAs(other).write.disputeAvailability([proof.proofId], { value: DAIMON_LIMITS.AVAILABILITY_BOND }), "AlreadyChallenged", [
      proof.proofId,
      getAddress(watcher.account.address),
    ]);
    const [disputed] = parseEventLogs({ abi: daimonProblemAbi, logs: asked.logs, eventName: "AvailabilityDisputed" });
    const improverBefore = await env.publicClient.getBalance({ address: improver.account.address });
    const posted = await receipt(env, created.disputesAs(improver).write.postModel([proof.proofId, bytesToHex(bytes)]));
    // Labels that are not the bound ones, or not k·m of them, are refused.
    const wrongLabels = packLabels([labels[0]!.map((l, i) => (i === 2 ? (l + 1) % 3 : l))]);
    await expectRevert(created.disputesAs(improver).write.postLabels([proof.proofId, bytesToHex(wrongLabels)]), "LabelsMismatch");
    await expectRevert(created.disputesAs(improver).write.postLabels([proof.proofId, bytesToHex(packLabels(labels).subarray(2))]), "LabelsLength", [BigInt(2 * m - 2), BigInt(2 * m)]);
    // Until the labels are posted too, the dispute is not answered: the model alone does not pay the bond.
    const halfway = await env.publicClient.getBalance({ address: improver.account.address });
    const labelled = await receipt(env, created.disputesAs(improver).write.postLabels([proof.proofId, bytesToHex(packLabels(labels))]));
    expect(labelled.blockNumber <= disputed!.args.deadline).to.equal(true);
    const [published] = parseEventLogs({ abi: daimonProblemAbi, logs: labelled.logs, eventName: "LabelsPosted" });
    expect(unpackLabels(hexToBytes(published!.args.labels), m).map((l) => Array.from(l))).to.deep.equal(labels);
    // The improver is paid the availability bond once both halves are on chain (his failed postLabels cost gas).
    expect(halfway <= improverBefore - gasCost(posted)).to.equal(true);
    expect(await env.publicClient.getBalance({ address: improver.account.address })).to.equal(halfway - gasCost(labelled) + DAIMON_LIMITS.AVAILABILITY_BOND);
    await expectRevert(created.disputesAs(other).write.postModel([proof.proofId, bytesToHex(bytes)]), "ModelAlreadyPosted", [proof.proofId]);
    await expectRevert(created.disputesAs(other).write.postLabels([proof.proofId, bytesToHex(packLabels(labels))]), "ModelAlreadyPosted", [proof.proofId]);
    await expectRevert(created.disputesAs(other).write.claimUnavailable([proof.proofId]), "ModelAlreadyPosted", [proof.proofId]);
    await expectRevert(created.disputesAs(other).write.disputeAvailability([proof.proofId], { value: DAIMON_LIMITS.AVAILABILITY_BOND }), "ModelAlreadyPosted", [proof.proofId]);
    const [postedEvent] = parseEventLogs({ abi: daimonProblemAbi, logs: posted.logs, eventName: "ModelPosted" });
    expect(postedEvent!.args.chunks).to.have.length(1);
    // Every label is the model's: every dispute reverts, the proof stays live.
    for (let i = 0; i < m; i++) {
      await expectRevert(created.disputesAs(watcher).write.disputeLabel([proof.proofId, args(i)]), "LabelCorrect", [proof.proofId, 0n, BigInt(i), BigInt(labels[0]![i]!)]);
    }
    // Bad Merkle paths revert before the model runs.
    const flipped = (labels[0]![5]! + 1) % 3;
    const otherFeatures = Uint8Array.from(points[5]!, (b, j) => (j === 0 ? b ^ 1 : b));
    await expectRevert(created.disputesAs(watcher).write.disputeLabel([proof.proofId, args(5, { features: bytesToHex(otherFeatures) })]), "BadInputsProof", [0n, 5n]);
    await expectRevert(created.disputesAs(watcher).write.disputeLabel([proof.proofId, args(5, { inputsPath: args(5).inputsPath.slice(1) })]), "BadInputsProof", [0n, 5n]);
    await expectRevert(created.disputesAs(watcher).write.disputeLabel([proof.proofId, args(5, { inputsPath: args(6).inputsPath })]), "BadInputsProof", [0n, 5n]);
    await expectRevert(created.disputesAs(watcher).write.disputeLabel([proof.proofId, args(5, { label: flipped })]), "BadLabelsProof", [5n]);
    await expectRevert(created.disputesAs(watcher).write.disputeLabel([proof.proofId, args(5, { labelsPath: args(4).labelsPath })]), "BadLabelsProof", [5n]);
    await expectRevert(created.disputesAs(watcher).write.disputeLabel([proof.proofId, args(5, { index: BigInt(m) })]), "PointOutOfRange", [BigInt(m), BigInt(m)]);
    await expectRevert(created.disputesAs(watcher).write.disputeLabel([proof.proofId, args(5, { tuple: 1n })]), "UnknownTuple", [1n, 1n]);
    await expectRevert(created.disputesAs(watcher).write.disputeLabel([proof.proofId, args(5, { features: bytesToHex(points[5]!.subarray(1)) })]), "FeatureLength", [7n, 8n]);
    // After the round: no more disputes; the block is committed and the bond returned to the improver.
    await toRound(env, created, 1);
    await receipt(env, created.as(other).write.commitImprovementBlock());
    expect(await created.as(other).read.chainLength()).to.equal(2n);
    expect(await created.as(other).read.bestDistance()).to.equal(proof.distance);
    const end = (await created.as(other).read.roundBounds([0n]))[1];
    await expectRevert(created.disputesAs(watcher).write.disputeLabel([proof.proofId, args(0)]), "DisputeClosed", [proof.proofId, end]);
    const beforeBond = await env.publicClient.getBalance({ address: improver.account.address });
    const returned = await receipt(env, created.disputesAs(other).write.returnBond([proof.proofId]));
    expect(await env.publicClient.getBalance({ address: improver.account.address })).to.equal(beforeBond + DAIMON_LIMITS.PROOF_BOND);
    expect(returned.status).to.equal("success");
    await expectRevert(created.disputesAs(other).write.returnBond([proof.proofId]), "BondNotReturnable", [proof.proofId]);
    const binding = await created.disputesAs(other).read.bindingOf([proof.proofId]);
    expect([binding.modelHash, binding.labelsRoot, binding.modelPosted, binding.labelsPosted, binding.voided, binding.bondReturned]).to.deep.equal([
      proof.binding.modelHash,
      proof.binding.labelsRoot,
      true,
      true,
      false,
      true,
    ]);
  });

  it("the dispute module runs only inside a problem: called directly every dispute reverts OnlyDelegateCall, and the problem refuses calls and ETH the module does not take", async function () {
    const env = await loadFixture(deployEnv);
    const m = 8;
    const { created, points, inputs } = await disputableProblem(env, { m, features: 8, classCount: 3, config: { minVotes: 1, competitionPeriod: 120 } });
    const [improver, attacker] = wallets(env, 1, 3);
    const model = randomIntegerModel([8, 8, 3], 5);
    const bytes = encodeModel(model);
    const labels = [Array.from(integerLabels(model, points))];
    const proof = await submitBound(env, created, improver, "bafy-direct", bytes, labels, outputsNear(created, 2500, 3));
    const moduleAddress = await created.as(attacker).read.disputeModule();
    expect(getAddress(moduleAddress)).to.not.equal(getAddress(created.address));
    // Every clone delegates to the implementation's module, and the module's judge is the factory's.
    expect(await created.disputesAs(attacker).read.judge()).to.equal(await env.publicClient.readContract({ address: env.factory, abi: problemFactoryAbi, functionName: "judge" }));
    const direct = disputesAs(env, moduleAddress, attacker);
    const args = labelDispute({ tuple: 0, index: 0, points, inputs, claimedLabels: labels, labels: proof.labels });
    const onlyDelegate = (promise: Promise<unknown>) => expectRevert(promise, "OnlyDelegateCall", [], daimonDisputeModuleAbi);
    await onlyDelegate(direct.write.disputeAvailability([proof.proofId], { value: DAIMON_LIMITS.AVAILABILITY_BOND }));
    await onlyDelegate(direct.write.postModel([proof.proofId, bytesToHex(bytes)]));
    await onlyDelegate(direct.write.postLabels([proof.proofId, bytesToHex(packLabels(labels))]));
    await onlyDelegate(direct.write.claimUnavailable([proof.proofId]));
    await onlyDelegate(direct.write.disputeLabel([proof.proofId, args]));
    await onlyDelegate(direct.write.returnBond([proof.proofId]));
    await onlyDelegate(direct.read.bindingOf([proof.proofId]));
    // The problem's own state is untouched by all of that; through the problem the same calls work.
    expect((await created.disputesAs(attacker).read.bindingOf([proof.proofId])).modelPosted).to.equal(false);
    await receipt(env, created.disputesAs(improver).write.postModel([proof.proofId, bytesToHex(bytes)]));
    expect((await created.disputesAs(attacker).read.bindingOf([proof.proofId])).modelPosted).to.equal(true);
    // A selector neither has reaches the module through the fallback and reverts there; plain ETH has no way in.
    const balance = await env.publicClient.getBalance({ address: created.address });
    const refused = async (send: Promise<unknown>, what: string) => {
      let failed = false;
      try {
        await receipt(env, (await send) as `0x${string}`);
      } catch {
        failed = true;
      }
      expect(failed, `${what} must revert`).to.equal(true);
    };
    await refused(attacker.sendTransaction({ to: created.address, data: "0xdeadbeef", gas: 200_000n }), "an unknown selector");
    await refused(attacker.sendTransaction({ to: created.address, value: 1n, gas: 200_000n }), "plain ETH");
    expect(await env.publicClient.getBalance({ address: created.address })).to.equal(balance);
  });

  it("one wrong label among honest ones loses once: the challenger takes the bond, the proof takes no votes and is never committed", async function () {
    const env = await loadFixture(deployEnv);
    const m = 20;
    const { created, points, inputs } = await disputableProblem(env, { m, features: 8, classCount: 3, config: { minVotes: 1, competitionPeriod: 40 } });
    const [improver, validator, watcher, late] = wallets(env, 1, 2, 3, 4);
    const model = randomIntegerModel([8, 3], 5);
    const bytes = encodeModel(model);
    const honest = Array.from(integerLabels(model, points));
    const claimed = [honest.map((l, i) => (i === 13 ? (l + 1) % 3 : l))];
    const proof = await submitBound(env, created, improver, "bafy-one-off", bytes, claimed, outputsNear(created, 2500, 4));
    await receipt(env, created.as(validator).write.vote([proof.proofId, proof.proofHash], VOTE_BOND));
    await receipt(env, created.disputesAs(improver).write.postModel([proof.proofId, bytesToHex(bytes)]));
    const args = (index: number) => labelDispute({ tuple: 0, index, points, inputs, claimedLabels: claimed, labels: proof.labels });
    await expectRevert(created.disputesAs(late).write.disputeLabel([proof.proofId, args(12)]), "LabelCorrect", [proof.proofId, 0n, 12n, BigInt(claimed[0]![12]!)]);
    const before = await env.publicClient.getBalance({ address: watcher.account.address });
    const won = await receipt(env, created.disputesAs(watcher).write.disputeLabel([proof.proofId, args(13)]));
    // The proof's bond and the slashed bond of its one vote.
    expect(await env.publicClient.getBalance({ address: watcher.account.address })).to.equal(before - gasCost(won) + DAIMON_LIMITS.PROOF_BOND + DAIMON_LIMITS.VOTE_BOND);
    await expectRevert(created.disputesAs(late).write.disputeLabel([proof.proofId, args(13)]), "Voided", [proof.proofId]);
    await expectRevert(created.as(late).write.vote([proof.proofId, proof.proofHash], VOTE_BOND), "Voided", [proof.proofId]);
    await expectRevert(created.disputesAs(late).write.disputeAvailability([proof.proofId], { value: DAIMON_LIMITS.AVAILABILITY_BOND }), "Voided", [proof.proofId]);
    // It led with one vote (minVotes = 1), but a voided proof is never committed.
    await toRound(env, created, 1);
    await receipt(env, created.as(late).write.commitImprovementBlock());
    expect(await created.as(late).read.chainLength()).to.equal(1n);
    await expectRevert(created.disputesAs(improver).write.returnBond([proof.proofId]), "BondNotReturnable", [proof.proofId]);
    expect((await created.disputesAs(late).read.bindingOf([proof.proofId])).voided).to.equal(true);
  });

  it("a proof whose labels are withheld loses its availability dispute even with its model posted: a challenger needs them for the paths", async function () {
    const env = await loadFixture(deployEnv);
    const { created, points } = await disputableProblem(env, { m: 16, features: 8, classCount: 3, config: { competitionPeriod: 40 } });
    const [improver, watcher, other] = wallets(env, 1, 2, 3);
    const model = randomIntegerModel([8, 3], 9);
    const bytes = encodeModel(model);
    const secret = [new Array<number>(16).fill(2)]; // labels the cheater will not show
    const proof = await submitBound(env, created, improver, "bafy-withheld", bytes, secret, outputsNear(created, 2500, 8));
    const asked = await receipt(env, created.disputesAs(watcher).write.disputeAvailability([proof.proofId], { value: DAIMON_LIMITS.AVAILABILITY_BOND }));
    const [disputed] = parseEventLogs({ abi: daimonProblemAbi, logs: asked.logs, eventName: "AvailabilityDisputed" });
    await receipt(env, created.disputesAs(improver).write.postModel([proof.proofId, bytesToHex(bytes)]));
    // Labels that differ from the committed ones cannot stand in for them.
    await expectRevert(created.disputesAs(improver).write.postLabels([proof.proofId, bytesToHex(packLabels([Array.from(integerLabels(model, points))]))]), "LabelsMismatch");
    await expectRevert(created.disputesAs(other).write.claimUnavailable([proof.proofId]), "AvailabilityPending", [proof.proofId, disputed!.args.deadline]);
    await mineUntilNextTxIn(env, disputed!.args.deadline + 1n);
    const voided = await receipt(env, created.disputesAs(other).write.claimUnavailable([proof.proofId]));
    const [event] = parseEventLogs({ abi: daimonProblemAbi, logs: voided.logs, eventName: "ProofVoided" });
    expect([event!.args.challenger, event!.args.reason, event!.args.paid]).to.deep.equal([getAddress(watcher.account.address), 1, DAIMON_LIMITS.PROOF_BOND + DAIMON_LIMITS.AVAILABILITY_BOND]);
  });

  it("keeps the schedule: proofs only before the dispute window, availability disputes until 2·T_a before the end, postings by their deadline", async function () {
    const env = await loadFixture(deployEnv);
    const { created } = await disputableProblem(env, { m: 8, features: 8, classCount: 3, config: { competitionPeriod: 40 } });
    const [improver, watcher, late] = wallets(env, 1, 2, 3);
    const schedule = disputeSchedule(created.definitionEnd, 40n, 0n);
    expect((await created.as(late).read.roundBounds([0n]))[1]).to.equal(schedule.end);
    expect([schedule.end - schedule.submissionsClose, schedule.availabilityPeriod]).to.deep.equal([10n, 3n]);
    const model = encodeModel(randomIntegerModel([8, 3], 2));
    const proof = await submitBound(env, created, improver, "bafy-on-time", model, [new Array<number>(8).fill(1)], outputsNear(created, 2500, 5));
    // A proof without the bond, or in the dispute window, is refused.
    const packed = hexOutputs(outputsNear(created, 2400, 6));
    await toUsable(env, (await registerProof(env, created, late, "bafy-late", packed)).blockNumber);
    await expectRevert(created.as(late).write.submitProof(proofArgs("bafy-late", packed)), "WrongBond", [0n, DAIMON_LIMITS.PROOF_BOND]);
    await mineUntilNextTxIn(env, schedule.submissionsClose);
    await expectRevert(created.as(late).write.submitProof(proofArgs("bafy-late", packed), BOND), "SubmissionsClosed", [0n, schedule.submissionsClose]);
    // An availability dispute at the last allowed block: the model must be posted within T_a blocks.
    await mineUntilNextTxIn(env, schedule.availabilityClose - 1n);
    const asked = await receipt(env, created.disputesAs(watcher).write.disputeAvailability([proof.proofId], { value: DAIMON_LIMITS.AVAILABILITY_BOND }));
    const deadline = asked.blockNumber + schedule.availabilityPeriod;
    expect(deadline < schedule.end).to.equal(true);
    await expectRevert(created.disputesAs(late).write.disputeAvailability([proof.proofId], { value: DAIMON_LIMITS.AVAILABILITY_BOND }), "DisputeClosed", [proof.proofId, schedule.availabilityClose]);
    await mineUntilNextTxIn(env, deadline + 1n);
    await expectRevert(created.disputesAs(improver).write.postModel([proof.proofId, bytesToHex(model)]), "DisputeClosed", [proof.proofId, deadline + 1n]);
    await receipt(env, created.disputesAs(late).write.claimUnavailable([proof.proofId]));
    expect((await created.disputesAs(late).read.bindingOf([proof.proofId])).voided).to.equal(true);
  });

  for (const m of [1_000, 10_000]) {
    it(`every dispute step stays below 16,777,216 gas on the largest model (784-80-10) at m = ${m.toLocaleString("en-US")}`, async function () {
      const env = await loadFixture(deployEnv);
      const { created, points, inputs } = await disputableProblem(env, { m, features: 784, classCount: 10, config: { competitionPeriod: 40 } });
      const [improver, watcher] = wallets(env, 1, 2);
      const model = randomIntegerModel([784, 80, 10], 17, 12);
      const bytes = encodeModel(model);
      expect(bytes.length).to.equal(64_370);
      // The labels claimed are the model's except at the disputed point (its prediction there is computed only once).
      const disputed = m - 1;
      const claimed = [new Array<number>(m).fill(0)];
      claimed[0]![disputed] = (predict(model, points[disputed]!) + 1) % 10;
      const proof = await submitBound(env, created, improver, `bafy-large-${m}`, bytes, claimed, outputsNear(created, 2500, 7));
      expect(labelsTree(claimed).root).to.equal(proof.binding.labelsRoot);
      const asked = await receipt(env, created.disputesAs(watcher).write.disputeAvailability([proof.proofId], { value: DAIMON_LIMITS.AVAILABILITY_BOND }));
      const posted = await receipt(env, created.disputesAs(improver).write.postModel([proof.proofId, bytesToHex(bytes)]));
      const labelled = await receipt(env, created.disputesAs(improver).write.postLabels([proof.proofId, bytesToHex(packLabels(claimed))]));
      const won = await receipt(env, created.disputesAs(watcher).write.disputeLabel([proof.proofId, labelDispute({ tuple: 0, index: disputed, points, inputs, claimedLabels: claimed, labels: proof.labels })]));
      const steps: [string, bigint][] = [
        ["submitProof (bond, binding)", proof.submitReceipt.gasUsed],
        ["disputeAvailability", asked.gasUsed],
        ["postModel (64,370 bytes, 3 chunks)", posted.gasUsed],
        [`postLabels (${m.toLocaleString("en-US")} labels, root recomputed)`, labelled.gasUsed],
        ["disputeLabel (wrong label: voided)", won.gasUsed],
      ];
      for (const [label, gas] of steps) {
        gasLog.add(`m = ${m.toLocaleString("en-US")}: ${label}`, gas);
        expect(gas < BigInt(TX_GAS_CAP), label).to.equal(true);
      }
      const [postedEvent] = parseEventLogs({ abi: daimonProblemAbi, logs: posted.logs, eventName: "ModelPosted" });
      expect(postedEvent!.args.chunks).to.have.length(3);
    });
  }
});

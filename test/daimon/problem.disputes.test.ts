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
import { bytesToHex, encodeFunctionData, getAddress, hexToBytes, keccak256, parseEventLogs, type Hex } from "viem";
import { daimonDisputeModuleAbi, daimonProblemAbi, problemFactoryAbi } from "../../lib/generated/abis";
import { DAIMON_LIMITS, disputeSchedule } from "../../lib/daimon/fixedPoint";
import { integerLabels, labelDispute, labelsTree, packLabels, unpackLabels, type LabelDisputeArgs } from "../../lib/daimon/disputes";
import { encodeModel } from "../../lib/danku/encoding";
import { predict } from "../../lib/danku/forward";
import { TX_GAS_CAP } from "../../lib/danku/constants";
import {
  delqChunkHashes,
  delqChunkTree,
  delqClaim,
  delqCommit,
  delqCommitArgs,
  delqRoot,
  evaluateDelq,
  labelsTree as delqLabelsTree,
  outputArgs,
  outputClaimArgs,
  outputDispute,
  packCheckpoints,
  segmentArgs,
  segmentCount,
  segmentSize,
  stateBytes,
  stateHash,
  type OutputClaimArgs,
  type OutputDisputeArgs,
  type QuantizedDel,
} from "../../lib/daimon/delQuantized";
import {
  BOND,
  DELQ_ERRORS_ABI,
  GasLog,
  delqProblem,
  randomQuantizedDel,
  type DelqProblem,
  type WalletClient,
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

// ------------------------------------------------------------------ output disputes (docs/daimon.md §14.3.1)

/** The arguments of segment j (or, j = S, the output step) of tuple `tuple` from the given state (the challenger's). */
function stepArgs(p: DelqProblem, tuple: number, claim: OutputClaimArgs, j: number, state: Int32Array): OutputDisputeArgs {
  const q = p.fs[tuple] as QuantizedDel;
  const x = p.labels[tuple] as number[];
  if (j === segmentCount(q)) return { kind: "output", step: j, claim, output: outputArgs(q, state) };
  return { kind: "segment", step: j, claim, segment: segmentArgs(q, delqChunkTree(q, delqChunkHashes(q)), delqLabelsTree(x), x, j, state) };
}

function sendStep(created: DelqProblem["created"], w: WalletClient, proofId: bigint, d: OutputDisputeArgs) {
  const disputes = created.disputesAs(w);
  return d.kind === "segment"
    ? disputes.write.disputeOutput([proofId, d.claim, d.segment])
    : disputes.write.disputeOutputLayer([proofId, d.claim, d.output.state, d.output.b2, d.output.w2]);
}

describe("DaimonProblem: output disputes (§14.3.1)", function () {
  this.timeout(600_000);
  const outputGas = new GasLog();
  after(() => outputGas.print("output dispute steps (segment 0…2: m = 20, C = 3, H = 32, n = 16, K = 8; the rest as named)"));

  it("an honest proof survives every segment and the output step (OutputCorrect), and bad arguments revert without voiding", async function () {
    const env = await loadFixture(deployEnv);
    const p = await delqProblem(env, { m: 20, config: { competitionPeriod: 120 } });
    const [improver, watcher] = wallets(env, 1, 3);
    const q = p.fs[0] as QuantizedDel;
    const S = segmentCount(q);
    expect(S).to.equal(3);
    const claimed = delqClaim(p.fs, p.labels);
    const proof = await submitBound(env, p.created, improver, "bafy-honest-fq", encodeModel(p.model), p.labels, claimed.outputs, claimed.checkpoints);
    const claim = outputClaimArgs({ q, tuple: 0, labels: p.labels, checkpoints: claimed.checkpoints, outputs: proof.outputs });
    expect(outputDispute({ q, tuple: 0, labels: p.labels, checkpoints: claimed.checkpoints, outputs: proof.outputs })).to.equal(null);
    const truth = evaluateDelq(q, p.labels[0] as number[]);
    for (let j = 0; j <= S; j++) {
      const d = stepArgs(p, 0, claim, j, truth.states[j] as Int32Array);
      await expectRevert(sendStep(p.created, watcher, proof.proofId, d), "OutputCorrect", [proof.proofId, 0n, BigInt(j)]);
      const gas = await env.publicClient.estimateGas({
        account: watcher.account,
        to: p.created.address,
        data:
          d.kind === "segment"
            ? encodeFunctionData({ abi: daimonDisputeModuleAbi, functionName: "disputeOutput", args: [proof.proofId, d.claim, d.segment] })
            : encodeFunctionData({ abi: daimonDisputeModuleAbi, functionName: "disputeOutputLayer", args: [proof.proofId, d.claim, d.output.state, d.output.b2, d.output.w2] }),
      }).catch(() => 0n);
      expect(gas).to.equal(0n); // a right step cannot even be estimated: it reverts
    }
    // Bad arguments: another f (DelRootMismatch), other checkpoints bytes (ClaimMismatch), a tuple labels root that is
    // not the proof's (BadTupleLabelsProof), segment labels that are not the proof's (the evaluator's
    // LabelsProofInvalid), a state that is not c_j's (CheckpointMismatch), an unknown segment.
    const other = randomQuantizedDel({ m: 20, classCount: 3, hidden: 32, n: 16, k: 8 }, 999);
    const seg1 = stepArgs(p, 0, claim, 1, truth.states[1] as Int32Array);
    if (seg1.kind !== "segment") throw new Error("segment 1 is a segment step");
    const otherRoot = delqRoot(delqCommit(other));
    await expectRevert(p.created.disputesAs(watcher).write.disputeOutput([proof.proofId, { ...claim, f: delqCommitArgs(delqCommit(other)) }, seg1.segment]), "DelRootMismatch", [0n, otherRoot, delqRoot(delqCommit(q))], DELQ_ERRORS_ABI);
    const tampered = packCheckpoints([[truth.checkpoints[0] as Hex, truth.checkpoints[1] as Hex, truth.checkpoints[1] as Hex, truth.checkpoints[3] as Hex]]);
    await expectRevert(p.created.disputesAs(watcher).write.disputeOutput([proof.proofId, { ...claim, checkpoints: tampered }, seg1.segment]), "ClaimMismatch", [proof.proofId], DELQ_ERRORS_ABI);
    await expectRevert(p.created.disputesAs(watcher).write.disputeOutput([proof.proofId, { ...claim, tupleLabelsRoot: keccak256("0x01") }, seg1.segment]), "BadTupleLabelsProof", [0n], DELQ_ERRORS_ABI);
    const flipped = hexToBytes(seg1.segment.labels);
    flipped[1] = ((flipped[1] as number) + 1) % 3;
    await expectRevert(p.created.disputesAs(watcher).write.disputeOutput([proof.proofId, claim, { ...seg1.segment, labels: bytesToHex(flipped) }]), "LabelsProofInvalid", undefined, DELQ_ERRORS_ABI);
    await expectRevert(p.created.disputesAs(watcher).write.disputeOutput([proof.proofId, claim, { ...seg1.segment, state: bytesToHex(stateBytes(truth.states[0] as Int32Array)) }]), "CheckpointMismatch", undefined, DELQ_ERRORS_ABI);
    await expectRevert(p.created.disputesAs(watcher).write.disputeOutput([proof.proofId, claim, { ...seg1.segment, j: 3n }]), "SegmentOutOfRange", [3n, 3n], DELQ_ERRORS_ABI);
    expect((await p.created.disputesAs(watcher).read.bindingOf([proof.proofId])).voided).to.equal(false);
  });

  for (const t of [0, 1, 2]) {
    it(`checkpoints wrong from segment ${t} lose at segment ${t} and at no earlier one: voided, the challenger paid the bond to the wei`, async function () {
      const env = await loadFixture(deployEnv);
      const p = await delqProblem(env, { m: 20, config: { competitionPeriod: 120 } });
      const [improver, watcher] = wallets(env, 1, 3);
      const q = p.fs[0] as QuantizedDel;
      const x = p.labels[0] as number[];
      const truth = evaluateDelq(q, x);
      // The cheat's states: right up to checkpoint t, then one unit off in the first hidden unit (and so every later).
      const states = truth.states.map((a, j) => {
        if (j <= t) return a;
        const b = Int32Array.from(a);
        b[0] = (b[0] as number) + 1;
        return b;
      });
      const checkpoints = packCheckpoints([states.map(stateHash)]);
      const proof = await submitBound(env, p.created, improver, `bafy-wrong-from-${t}`, encodeModel(p.model), p.labels, [truth.outputs], checkpoints);
      const found = outputDispute({ q, tuple: 0, labels: p.labels, checkpoints, outputs: proof.outputs });
      expect(found?.kind).to.equal("segment");
      expect(found?.step).to.equal(t);
      const claim = outputClaimArgs({ q, tuple: 0, labels: p.labels, checkpoints, outputs: proof.outputs });
      // Earlier segments are right: the challenger who tries them loses nothing but gas, the proof lives.
      for (let j = 0; j < t; j++) {
        await expectRevert(sendStep(p.created, watcher, proof.proofId, stepArgs(p, 0, claim, j, truth.states[j] as Int32Array)), "OutputCorrect", [proof.proofId, 0n, BigInt(j)]);
      }
      const before = await env.publicClient.getBalance({ address: watcher.account.address });
      const won = await receipt(env, sendStep(p.created, watcher, proof.proofId, found as OutputDisputeArgs));
      outputGas.add(`disputeOutput, segment ${t} (wrong)`, won.gasUsed);
      expect(won.gasUsed < TX_GAS_CAP).to.equal(true);
      const after = await env.publicClient.getBalance({ address: watcher.account.address });
      expect(after - before + gasCost(won)).to.equal(DAIMON_LIMITS.PROOF_BOND);
      const [voided] = parseEventLogs({ abi: daimonDisputeModuleAbi, logs: won.logs, eventName: "ProofVoided" });
      expect(voided?.args).to.deep.include({ proofId: proof.proofId, challenger: getAddress(watcher.account.address), reason: 2, tuple: 0n, index: BigInt(t), paid: DAIMON_LIMITS.PROOF_BOND });
      await expectRevert(sendStep(p.created, watcher, proof.proofId, found as OutputDisputeArgs), "Voided", [proof.proofId]);
    });
  }

  it("gas: the worst output-dispute steps at m = 1,000, C = 10, H = 1,024, n = 64 (K = 256: a full segment and the output step) stay under the 16,777,216 cap", async function () {
    const env = await loadFixture(deployEnv);
    const shape = { classCount: 10, hidden: 1024, n: 64, k: segmentSize(1024, 10, 1000) };
    expect(shape.k).to.equal(256);
    const p = await delqProblem(env, { m: 1000, shape, config: { competitionPeriod: 120 } });
    const [improver, watcher, other] = wallets(env, 1, 3, 4);
    const q = p.fs[0] as QuantizedDel;
    const truth = evaluateDelq(q, p.labels[0] as number[]);
    const bytes = encodeModel(p.model);
    // Proof 1: wrong from checkpoint 1 (segment 0, 256 full points); proof 2: right checkpoints, wrong y (output step).
    const wrongStates = truth.states.map((a, j) => (j === 0 ? a : Int32Array.from(a, (v, i) => (i === 0 ? v + 1 : v))));
    const wrongSegment = await submitBound(env, p.created, improver, "bafy-gas-seg", bytes, p.labels, [truth.outputs], packCheckpoints([wrongStates.map(stateHash)]));
    const wrongY = truth.outputs.map((v, o) => (o === 0 ? (v > 0 ? v - 1 : v + 1) : v));
    const wrongOutput = await submitBound(env, p.created, other, "bafy-gas-out", bytes, p.labels, [wrongY], packCheckpoints([truth.checkpoints]));
    outputGas.add("submitProof with S = 4 checkpoints (m = 1,000, n = 64, one tuple)", wrongOutput.submitReceipt.gasUsed);
    for (const [proof, label] of [[wrongSegment, "disputeOutput, full segment (256 points, H = 1,024, C = 10)"], [wrongOutput, "disputeOutputLayer (n·H = 65,536 weights)"]] as const) {
      const found = outputDispute({ q, tuple: 0, labels: p.labels, checkpoints: proof.binding.checkpoints, outputs: proof.outputs });
      if (!found) throw new Error("a wrong step exists");
      const won = await receipt(env, sendStep(p.created, watcher, proof.proofId, found));
      outputGas.add(label, won.gasUsed);
      expect(won.gasUsed < TX_GAS_CAP).to.equal(true);
      const [voided] = parseEventLogs({ abi: daimonDisputeModuleAbi, logs: won.logs, eventName: "ProofVoided" });
      expect(voided?.args.index).to.equal(BigInt(found.step));
    }
  });

  it("checkpoints laid out for another S lose at once (index 2^256 − 1); a second tuple (m = 20, not a power of two) is disputed through its labels path", async function () {
    const env = await loadFixture(deployEnv);
    const p = await delqProblem(env, { m: 20, tupleCount: 2, config: { competitionPeriod: 120 } });
    const [improver, watcher] = wallets(env, 1, 3);
    const honest = delqClaim(p.fs, p.labels);
    const e1 = evaluateDelq(p.fs[1] as QuantizedDel, p.labels[1] as number[]);
    // Tuple 1's run is one checkpoint short: its count word says S − 1.
    const short = packCheckpoints([evaluateDelq(p.fs[0] as QuantizedDel, p.labels[0] as number[]).checkpoints, e1.checkpoints.slice(0, -1)]);
    const proof = await submitBound(env, p.created, improver, "bafy-short", encodeModel(p.model), p.labels, honest.outputs, short);
    const found = outputDispute({ q: p.fs[1] as QuantizedDel, tuple: 1, labels: p.labels, checkpoints: short, outputs: proof.outputs });
    expect(found?.kind).to.equal("output");
    expect(outputDispute({ q: p.fs[0] as QuantizedDel, tuple: 0, labels: p.labels, checkpoints: short, outputs: proof.outputs })).to.equal(null);
    expect(found?.claim.tupleLabelsPath).to.have.length(1);
    const won = await receipt(env, sendStep(p.created, watcher, proof.proofId, found as OutputDisputeArgs));
    const [voided] = parseEventLogs({ abi: daimonDisputeModuleAbi, logs: won.logs, eventName: "ProofVoided" });
    expect(voided?.args).to.deep.include({ reason: 2, tuple: 1n, index: 2n ** 256n - 1n });
  });

  it("with three tuples of m = 20 labels each, tuple 2's labels are the subtree 2 of labelsRoot: an honest proof's segments there revert OutputCorrect, the posted labels hash to labelsRoot, and a wrong segment of tuple 2 loses", async function () {
    const env = await loadFixture(deployEnv);
    const p = await delqProblem(env, { m: 20, tupleCount: 3, config: { competitionPeriod: 120 } });
    const [improver, watcher] = wallets(env, 1, 3);
    const honest = delqClaim(p.fs, p.labels);
    const proof = await submitBound(env, p.created, improver, "bafy-three", encodeModel(p.model), p.labels, honest.outputs, honest.checkpoints);
    await receipt(env, p.created.disputesAs(improver).write.postLabels([proof.proofId, bytesToHex(packLabels(p.labels))]));
    const q = p.fs[2] as QuantizedDel;
    const truth = evaluateDelq(q, p.labels[2] as number[]);
    const claim = outputClaimArgs({ q, tuple: 2, labels: p.labels, checkpoints: honest.checkpoints, outputs: proof.outputs });
    expect(claim.tupleLabelsPath).to.have.length(2);
    for (let j = 0; j <= segmentCount(q); j++) {
      await expectRevert(sendStep(p.created, watcher, proof.proofId, stepArgs(p, 2, claim, j, truth.states[j] as Int32Array)), "OutputCorrect", [proof.proofId, 2n, BigInt(j)]);
    }
    const e = p.fs.map((f, t) => evaluateDelq(f, p.labels[t] as number[]));
    const wrong = packCheckpoints(e.map((x, t) => (t === 2 ? x.states.map((a, j) => stateHash(j === 2 ? Int32Array.from(a, (v, i) => (i === 3 ? v - 1 : v)) : a)) : x.checkpoints)));
    // The same improver's second proof (equal outputs from another account would be a copy, §7).
    const cheat = await submitBound(env, p.created, improver, "bafy-three-wrong", encodeModel(p.model), p.labels, honest.outputs, wrong);
    const found = outputDispute({ q, tuple: 2, labels: p.labels, checkpoints: wrong, outputs: cheat.outputs });
    expect([found?.kind, found?.step]).to.deep.equal(["segment", 1]);
    const won = await receipt(env, sendStep(p.created, watcher, cheat.proofId, found as OutputDisputeArgs));
    const [voided] = parseEventLogs({ abi: daimonDisputeModuleAbi, logs: won.logs, eventName: "ProofVoided" });
    expect(voided?.args).to.deep.include({ reason: 2, tuple: 2n, index: 1n });
  });
});

/**
 * Reveals of the largest sizes the limits allow, through the same library flows as the CLI and the browser, on a
 * standalone `hardhat node` (the product's local chain), whose eth_estimateGas answers "transaction gas limit (…) is
 * greater than the cap" for reveals of a few tens of kB: the reveal gas model (lib/chain/gas.ts) plans the batches and
 * every reveal passes its gas limit explicitly (issue 12 §2). Without the explicit limits this test fails.
 */
import { expect } from "chai";
import { createPublicClient, createWalletClient, http, parseEther, toHex, type Address, type PublicClient } from "viem";
import { hardhat } from "viem/chains";
import { devAccount } from "../../lib/chain/devAccounts";
import { startHardhatNode, type HardhatNode } from "../support/hardhatNode";
import { deployFactory } from "../../lib/chain/deploy";
import { createCompetition, readCompetition, readSubmission, type DankuWallet } from "../../lib/chain/danku";
import { commitSubmission, launchCompetition, mineLocalBlocks, revealPendingGroups, revealSubmissionModel } from "../../lib/chain/flows";
import { maxRevealablePointsPerGroup, planRevealBatches, revealGasEstimate, TARGET_TX_GAS } from "../../lib/chain/gas";
import { buildDataGroups, groupPointCounts, minimumEvaluationPeriod } from "../../lib/danku/groups";
import { encodeModel, encodedModelLength, modelHash, submissionCommitment, type DataPoint, type QuantizedModel } from "../../lib/danku/encoding";
import { randomBytes32 } from "../../lib/danku/random";
import { MAX_MODEL_BYTES } from "../../lib/danku/constants";
import { dankuCompetitionAbi } from "../../lib/generated/abis";

/** The widest 2-input, 2-class network that still encodes under MAX_MODEL_BYTES (64,181 bytes). */
const LARGE_WIDTHS = [2, 1024, 56, 2];

function largeModel(): QuantizedModel {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  const layers = LARGE_WIDTHS.slice(1).map((out, l) => ({
    shift: l === LARGE_WIDTHS.length - 2 ? 0 : 4,
    biases: Array.from({ length: out }, () => (next() % 200) - 100),
    weights: Array.from({ length: out }, () => Array.from({ length: LARGE_WIDTHS[l] as number }, () => (next() % 255) - 127)),
  }));
  return { widths: LARGE_WIDTHS, layers };
}

/** A standalone hardhat node with the factory deployed, an organizer (account 0) and a submitter (account 1). */
async function localChain() {
  const node = await startHardhatNode();
  const transport = http(node.rpcUrl);
  const client = createPublicClient({ chain: hardhat, transport, cacheTime: 0 }) as PublicClient;
  const organizer = createWalletClient({ chain: hardhat, transport, account: devAccount(0) }) as DankuWallet;
  const submitter = createWalletClient({ chain: hardhat, transport, account: devAccount(1) }) as DankuWallet;
  const factory = (await deployFactory(organizer, client)).address;
  return { node, client, organizer, submitter, factory };
}

/** 2 features, 2 classes, half training; the shortest evaluation period the contract accepts for `points`. */
function twoFeatureConfig(points: number) {
  return {
    featureCount: 2,
    classCount: 2,
    trainingBps: 5000,
    minAccuracyBps: 0,
    init2Window: 5,
    splitDelay: 1,
    trainingRevealPeriod: 100,
    submissionPeriod: 20,
    modelRevealPeriod: 20,
    testRevealPeriod: 20,
    evaluationPeriod: minimumEvaluationPeriod(points),
  };
}

describe("reveals of the largest allowed sizes (explicit gas from the reveal gas model)", function () {
  let client: PublicClient;
  let organizer: DankuWallet;
  let submitter: DankuWallet;
  let factory: Address;
  let node: HardhatNode;

  before(async function () {
    this.timeout(120_000);
    ({ node, client, organizer, submitter, factory } = await localChain());
  });

  after(() => node?.stop());

  it("plans every reveal batch under the gas target and reveals a 200 kB training set and a 64 kB model", async function () {
    const model = largeModel();
    expect(encodedModelLength(LARGE_WIDTHS)).to.be.within(59_000, MAX_MODEL_BYTES);
    // 133,334 three-byte points in 32 groups (12.5 kB each, one reveal transaction holds several): 16 training groups of ≈ 200 kB together.
    const points: DataPoint[] = Array.from({ length: 133_334 }, (_, i) => ({ features: [i % 251, (i * 7) % 253], label: i % 2 }));
    const groups = buildDataGroups(points, { groupCount: 32, featureCount: 2, classCount: 2 });
    const config = twoFeatureConfig(points.length);
    const launched = await launchCompetition(
      organizer,
      client,
      { factory, config, groupHashes: groups.map((g) => g.hash), groupPointCounts: groupPointCounts(groups), metadataCid: "large", reward: parseEther("1") },
      { advance: mineLocalBlocks(client) },
    );
    const secret = groups.map((g) => ({ index: g.index, points: toHex(g.bytes), nonce: g.nonce }));
    const training = secret.filter((g) => launched.split.isTraining[g.index]);
    const trainingBytes = training.reduce((n, g) => n + (g.points.length - 2) / 2, 0);
    expect(trainingBytes).to.be.greaterThan(195_000);

    const batches = planRevealBatches(training, 3);
    for (const batch of batches) {
      const bytes = batch.reduce((n, g) => n + (g.points.length - 2) / 2, 0);
      expect(revealGasEstimate(bytes, batch.length, bytes / 3)).to.be.at.most(TARGET_TX_GAS);
    }
    const revealed = await revealPendingGroups(organizer, client, { competition: launched.address, groups: secret, training: true });
    expect(revealed.revealedGroups).to.equal(training.length);
    for (const hash of revealed.transactions) {
      const receipt = await client.getTransactionReceipt({ hash });
      const tx = await client.getTransaction({ hash });
      // The model's bound holds: what was used never exceeds the limit it chose (and nothing ran out of gas).
      expect(receipt.status).to.equal("success");
      expect(receipt.gasUsed <= tx.gas).to.equal(true);
    }
    const afterTraining = await readCompetition(client, launched.address);
    expect(afterTraining.stage).to.equal("Submission");
    expect(afterTraining.trainingPoints).to.equal(afterTraining.committedTrainingPoints);

    const modelBytes = encodeModel(model);
    const salt = randomBytes32();
    const commitment = submissionCommitment({ competition: launched.address, submitter: submitter.account.address, modelHash: modelHash(modelBytes), salt });
    const { submissionId } = await commitSubmission(submitter, client, { competition: launched.address, commitment });
    await mineLocalBlocks(client)(Number(afterTraining.deadlines.submissionEnd - (await client.getBlockNumber())));
    const sent = await revealSubmissionModel(submitter, client, { competition: launched.address, submissionId, modelHex: toHex(modelBytes), salt });
    expect(sent.gasUsed > 12_000_000n).to.equal(true);
    const onChain = await readSubmission(client, launched.address, submissionId);
    expect(onChain.revealed).to.equal(true);
    expect(onChain.modelHash).to.equal(modelHash(modelBytes));
    const chunks = await client.readContract({ address: launched.address, abi: dankuCompetitionAbi, functionName: "modelChunks", args: [BigInt(submissionId)] });
    expect(chunks).to.have.length(3);
  });
});

describe("groups too large to reveal in one transaction are refused before anything is sent", function () {
  let client: PublicClient;
  let organizer: DankuWallet;
  let factory: Address;
  let node: HardhatNode;

  before(async function () {
    this.timeout(120_000);
    ({ node, client, organizer, factory } = await localChain());
  });

  after(() => node?.stop());

  it("reveals a group of exactly the largest revealable size in one transaction, and refuses one point more at creation", async function () {
    const maxPoints = maxRevealablePointsPerGroup(3);
    const points: DataPoint[] = Array.from({ length: 2 * maxPoints }, (_, i) => ({ features: [i % 251, (i * 3) % 247], label: i % 2 }));
    const groups = buildDataGroups(points, { groupCount: 2, featureCount: 2, classCount: 2 });
    expect(groupPointCounts(groups)).to.deep.equal([maxPoints, maxPoints]);
    const config = twoFeatureConfig(points.length + 1);
    const args = { factory, config, groupHashes: groups.map((g) => g.hash), groupPointCounts: groupPointCounts(groups), metadataCid: "max", reward: parseEther("1") };
    const launched = await launchCompetition(organizer, client, args, { advance: mineLocalBlocks(client) });
    const secret = groups.map((g) => ({ index: g.index, points: toHex(g.bytes), nonce: g.nonce }));
    const revealed = await revealPendingGroups(organizer, client, { competition: launched.address, groups: secret, training: true });
    expect(revealed.transactions).to.have.length(1);
    expect((await readCompetition(client, launched.address)).stage).to.equal("Submission");

    const nonce = await client.getTransactionCount({ address: organizer.account.address });
    const tooLarge = { ...args, groupPointCounts: [maxPoints + 1, maxPoints - 1] };
    let refused: unknown;
    await createCompetition(organizer, client, tooLarge).catch((error: unknown) => (refused = error));
    expect(String(refused)).to.match(new RegExp(`group 0 holds ${maxPoints + 1} points, but one reveal transaction can carry at most ${maxPoints} points of 3 bytes`));
    expect(await client.getTransactionCount({ address: organizer.account.address })).to.equal(nonce);
  });
});

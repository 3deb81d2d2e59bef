/**
 * Convolutional (format version 2) models in the competition (docs/cnn.md §8, docs/protocol.md §11), attacker first:
 * a CNN claim wrong at one point is disputed and voided with its bond to the challenger; an honest CNN claim survives
 * a dispute at every test point; a dispute with model bytes that are not the revealed ones reverts (ModelMismatch);
 * an invalid version-2 model is refused at reveal with the reference's defect and index; a CNN in an on-chain
 * competition is refused (CnnNeedsClaimMode); a dense model over MAX_MODEL_BYTES (784-128-10, 102,962 bytes) is
 * revealed and disputed in claim mode within one transaction and refused on chain (TooLarge); and the deployed engine's
 * one-point entry agrees with lib/danku/cnn's forward pass on ≥ 200 random networks (the property test's generator).
 * Expected predictions come from lib/danku (cnnPredict, predictionsOf), never from copies.
 */
import { expect } from "chai";
import { getContract, hexToBytes, parseEventLogs, toHex, type Abi, type PublicClient } from "viem";
import {
  bytesHex,
  commit,
  competitionAs,
  createCompetition,
  deployEnv,
  expectRevert,
  factoryAs,
  makeGroups,
  makePoints,
  receipt,
  revealModel,
  salt,
  toModelReveal,
  toSubmission,
  DEFAULT_CONFIG,
  type Config,
  type Env,
  type Prepared,
  type WalletClient,
} from "./fixtures";
import { BOND, CLAIM_CONFIG, claim, claimsAs, createClaimCompetition, disputeArgs, toEvaluation, withdrawable } from "./claimFixtures";
import { competitionFactoryAbi, dankuClaimModuleAbi, dankuCompetitionAbi, dankuEvaluatorEngineAbi } from "../../lib/generated/abis";
import { CNN_MODEL_DEFECTS, encodeCnnModel } from "../../lib/danku/cnn/encoding";
import { describeContractError } from "../../lib/chain/errors";
import { cnnPredict } from "../../lib/danku/cnn/forward";
import { cnnWork, shapeSize, type CnnLayer, type CnnModel, type DenseLayer } from "../../lib/danku/cnn/model";
import { encodeModel, modelHash, type QuantizedModel } from "../../lib/danku/encoding";
import { disputablePoint, predictionsOf } from "../../lib/danku/claims";
import { checkCompetition } from "../../lib/danku/checker";
import { disputeClaim as disputeWithLib, readClaimModeModelBytes, readClaims } from "../../lib/chain/claims";
import { readRevealedClaimModel, type DankuWallet } from "../../lib/chain/danku";
import { MAX_MODEL_BYTES, TX_GAS_CAP } from "../../lib/danku/constants";
import { randomCnn, randomImages } from "../ort/cnnSupport";
import { seededInts } from "../ort/support";
import { referenceVerdict } from "./cnnHarness";

const ERRORS: Abi = [...dankuCompetitionAbi, ...dankuClaimModuleAbi, ...competitionFactoryAbi].filter((i) => i.type === "error");

function classCountOf(model: CnnModel): number {
  const last = model.layers[model.layers.length - 1];
  return last?.kind === "dense" ? last.biases.length : 0;
}

/** The first random CNN from `seed` on that a competition can take (≥ 2 classes) and whose predictions vary. */
function competitionCnn(seed: number): { model: CnnModel; featureCount: number; classCount: number } {
  for (let s = seed; ; s++) {
    const model = randomCnn(s);
    const classCount = classCountOf(model);
    const featureCount = shapeSize(model.input);
    if (classCount < 2 || featureCount < 2) continue;
    const points = makePoints(24, featureCount, classCount, s);
    if (new Set(points.map((p) => cnnPredict(model, p.features))).size < 2) continue;
    return { model, featureCount, classCount };
  }
}

/** The same network with its output biases rotated: valid, the same shape, other bytes. */
function otherCnn(model: CnnModel): CnnModel {
  const layers = model.layers.slice();
  const last = layers[layers.length - 1] as DenseLayer;
  layers[layers.length - 1] = { ...last, biases: [...last.biases.slice(1), last.biases[0]!].map((b, i) => (i === 0 ? b + 1 : b)) };
  return { ...model, layers };
}

function prepareBytes(bytes: Uint8Array, s: number): Prepared {
  return { bytes: bytesHex(bytes), hash: modelHash(bytes), salt: salt(s) };
}

async function cnnCompetition(env: Env, seed: number, window?: number) {
  const { model, featureCount, classCount } = competitionCnn(seed);
  const config: Config = { ...DEFAULT_CONFIG, ...CLAIM_CONFIG, featureCount, classCount };
  const groups = makeGroups(makePoints(40, featureCount, classCount, seed + 1), 4, config, seed + 2);
  const created = await createClaimCompetition(env, { config, groups, window });
  const other = otherCnn(model);
  const r = await toEvaluation(env, created, { perfect: prepareBytes(encodeCnnModel(model), 11), wrong: prepareBytes(encodeCnnModel(other), 12) });
  return { r, model, other, featureCount, classCount };
}

describe("DanKu with convolutional models (docs/cnn.md §8)", function () {
  this.timeout(600_000);
  let env: Env;
  before(async () => {
    env = await deployEnv();
  });

  it("a CNN claim wrong at one point is disputed and voided, the bond to the challenger; other model bytes revert with ModelMismatch", async function () {
    const { r, model, other, classCount } = await cnnCompetition(env, 101);
    const { alice, challenger } = r.wallets;
    const honest = predictionsOf(model, r.testPoints);
    const index = Math.floor(r.testPoints.length / 2);
    const claimed = Uint8Array.from(honest, (v, i) => (i === index ? (v + 1) % classCount : v));
    const bad = await claim(env, r, alice, r.ids.perfect, claimed);
    const point = disputablePoint(claimed, honest)!;
    expect(point.index).to.equal(index);
    const claims = claimsAs(env, r.created.address, challenger);
    const args = disputeArgs(r, bad.claimId, index, claimed, r.ids.perfect);
    // The other network's bytes (valid, same shape) and the revealed bytes cut short: not the submission's model.
    await expectRevert(claims.write.disputeClaim([...args.slice(0, 6), bytesHex(encodeCnnModel(other))] as unknown as typeof args), "ModelMismatch", [r.ids.perfect], ERRORS);
    await expectRevert(claims.write.disputeClaim([...args.slice(0, 6), args[6].slice(0, -2)] as unknown as typeof args), "ModelMismatch", [r.ids.perfect], ERRORS);
    const dr = await receipt(env, claims.write.disputeClaim(args));
    expect(Number(dr.gasUsed)).to.be.below(TX_GAS_CAP);
    const [event] = parseEventLogs({ abi: dankuClaimModuleAbi, logs: dr.logs, eventName: "ClaimDisputed" });
    expect(event!.args.point).to.equal(BigInt(index));
    expect(event!.args.claimedPrediction).to.equal(BigInt(claimed[index]!));
    expect((await claims.read.claimAt([bad.claimId])).voided).to.equal(true);
    expect(await withdrawable(r, challenger)).to.equal(BOND);
    expect(await withdrawable(r, alice)).to.equal(0n);
  });

  it("an honest CNN claim survives a dispute at every test point and settles", async function () {
    const window = 200;
    const { r, model } = await cnnCompetition(env, 202, window);
    const { alice, griefer } = r.wallets;
    const honest = predictionsOf(model, r.testPoints);
    const good = await claim(env, r, alice, r.ids.perfect, honest);
    const claims = claimsAs(env, r.created.address, griefer);
    for (let index = 0; index < r.testPoints.length; index++) {
      await expectRevert(
        claims.write.disputeClaim(disputeArgs(r, good.claimId, index, honest, r.ids.perfect)),
        "ClaimedPredictionCorrect",
        [good.claimId, BigInt(index), BigInt(honest[index]!)],
        ERRORS,
      );
    }
    const closes = good.receipt.blockNumber + BigInt(window);
    await env.testClient.mine({ blocks: Number(closes - (await env.publicClient.getBlockNumber())) });
    await receipt(env, claims.write.settleClaim([good.claimId]));
    expect(await withdrawable(r, alice)).to.equal(BOND);
    expect(await withdrawable(r, griefer)).to.equal(0n);
  });

  it("the checker reads the CNN from its reveal calldata and disputes the wrong claim through lib/chain", async function () {
    const { r, model, other, classCount } = await cnnCompetition(env, 303);
    const client = env.publicClient as unknown as PublicClient;
    const address = r.created.address;
    expect(await readRevealedClaimModel(client, address, Number(r.ids.perfect))).to.deep.equal(model);
    expect(await readRevealedClaimModel(client, address, Number(r.ids.wrong))).to.deep.equal(other);
    expect(await readClaimModeModelBytes(client, address, Number(r.ids.perfect))).to.deep.equal(hexToBytes(r.models.get(r.ids.perfect)!));
    const honest = predictionsOf(other, r.testPoints);
    const claimed = Uint8Array.from(honest, (v, i) => (i === 0 ? (v + 1) % classCount : v));
    await claim(env, r, r.wallets.bob, r.ids.wrong, claimed);
    await claim(env, r, r.wallets.alice, r.ids.perfect, predictionsOf(model, r.testPoints));
    const result = await checkCompetition(client, address);
    expect(result.checks.map((c) => c.verdict)).to.deep.equal(["wrong", "honest"]);
    const dispute = result.checks[0]!.dispute!;
    expect(dispute.model).to.deep.equal(encodeCnnModel(other));
    await disputeWithLib(r.wallets.challenger as unknown as DankuWallet, client, { competition: address, ...dispute });
    expect((await readClaims(client, address)).map((c) => c.voided)).to.deep.equal([true, false]);
  });

  it("an invalid version-2 model is refused at reveal with the reference's defect; a CNN on chain with CnnNeedsClaimMode", async function () {
    const { model, featureCount, classCount } = competitionCnn(404);
    const config: Config = { ...DEFAULT_CONFIG, ...CLAIM_CONFIG, featureCount, classCount };
    const groups = makeGroups(makePoints(40, featureCount, classCount, 405), 4, config, 406);
    const good = encodeCnnModel(model);
    // Corruptions the reference names: the header's input height, a descriptor's kind, a padding lane, the length.
    const corruptions: Uint8Array[] = [];
    const height = good.slice();
    height[2] = height[2]! ^ 1;
    corruptions.push(height);
    const kind = good.slice();
    kind[8] = 9;
    corruptions.push(kind);
    corruptions.push(Uint8Array.from([...good, 0]));
    corruptions.push(good.slice(0, good.length - 1));
    const alice = env.wallets[1] as WalletClient;
    for (const [i, bad] of corruptions.entries()) {
      const expected = referenceVerdict(bad, featureCount, classCount);
      expect(expected, `corruption ${i} must be refused by the reference`).to.not.equal(null);
      const created = await createClaimCompetition(env, { config, groups });
      await toSubmission(env, created);
      const prepared = prepareBytes(bad, 20 + i);
      const id = await commit(env, created, alice, prepared);
      await toModelReveal(env, created.organizer);
      await expectRevert(revealModel(env, created, alice, id, prepared), "InvalidCnnModel", [expected![0], expected![1]], ERRORS);
      // The app's sentence names the defect (lib/chain/errors.ts decodes the competition's InvalidCnnModel).
      expect(describeContractError("InvalidCnnModel", [expected![0], expected![1]])).to.contain(CNN_MODEL_DEFECTS[expected![0]]!);
    }
    // On-chain mode: the valid CNN is refused, naming the claim mode.
    const onChain = await createCompetition(env, { config: { featureCount, classCount }, groups });
    await toSubmission(env, onChain);
    const prepared = prepareBytes(good, 40);
    const id = await commit(env, onChain, alice, prepared);
    await toModelReveal(env, onChain.organizer);
    await expectRevert(revealModel(env, onChain, alice, id, prepared), "CnnNeedsClaimMode", [id], ERRORS);
    expect(describeContractError("CnnNeedsClaimMode", [id])).to.contain("claim-mode");
    expect(describeContractError("ModelMismatch", [id])).to.contain("revealModel transaction");
  });

  it("784-128-10 (102,962 bytes, over MAX_MODEL_BYTES): revealed and disputed in claim mode within one transaction, refused on chain", async function () {
    const widths = [784, 128, 10];
    let seed = 7;
    const rng = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const model: QuantizedModel = {
      widths,
      layers: widths.slice(1).map((fanOut, l) => ({
        shift: l === 0 ? 12 : 0,
        biases: Array.from({ length: fanOut }, () => Math.floor((rng() - 0.5) * 2000)),
        weights: Array.from({ length: fanOut }, () => Array.from({ length: widths[l]! }, () => Math.floor(rng() * 256) - 128)),
      })),
    };
    const bytes = encodeModel(model, { maxModelBytes: 163_840 });
    // 100,865 bytes of the first layer (the figure), plus the header and the output layer.
    expect(bytes.length).to.equal(102_962);
    expect(bytes.length).to.be.above(MAX_MODEL_BYTES);
    const config: Config = { ...DEFAULT_CONFIG, ...CLAIM_CONFIG, featureCount: 784, classCount: 10 };
    const groups = makeGroups(makePoints(40, 784, 10, 9), 4, config, 10);
    const created = await createClaimCompetition(env, { config, groups });
    const perfect = prepareBytes(bytes, 50);
    const r = await toEvaluation(env, created, { perfect, wrong: prepareBytes(encodeModel({ ...model, layers: [model.layers[0]!, { ...model.layers[1]!, shift: 0, biases: model.layers[1]!.biases.map((b) => b + 1) }] }, { maxModelBytes: 163_840 }), 51) });
    const logs = await env.publicClient.getContractEvents({ address: created.address, abi: dankuCompetitionAbi, eventName: "ModelRevealed", fromBlock: created.init1Block });
    const revealGas = (await env.publicClient.getTransactionReceipt({ hash: logs[0]!.transactionHash })).gasUsed;
    expect(Number(revealGas)).to.be.below(TX_GAS_CAP);
    const honest = predictionsOf(model, r.testPoints);
    const claimed = Uint8Array.from(honest, (v, i) => (i === 0 ? (v + 1) % 10 : v));
    const bad = await claim(env, r, r.wallets.bob, r.ids.perfect, claimed);
    const dr = await receipt(env, claimsAs(env, created.address, r.wallets.challenger).write.disputeClaim(disputeArgs(r, bad.claimId, 0, claimed, r.ids.perfect)));
    expect(Number(dr.gasUsed)).to.be.below(TX_GAS_CAP);
    expect((await claimsAs(env, created.address, r.wallets.challenger).read.claimAt([bad.claimId])).voided).to.equal(true);
    // On chain the same bytes are too large.
    const onChain = await createCompetition(env, { config: { featureCount: 784, classCount: 10 }, groups });
    await toSubmission(env, onChain);
    const alice = env.wallets[1] as WalletClient;
    const id = await commit(env, onChain, alice, perfect);
    await toModelReveal(env, onChain.organizer);
    await expectRevert(revealModel(env, onChain, alice, id, perfect), "InvalidModel", [12, BigInt(bytes.length)], ERRORS);
  });

  // docs/cnn.md §7's heaviest shape by measured gas ("groups": 8×8×16 → 5 × (conv 1×1 → 64) → 2), now through a real
  // claim-mode dispute: the model bytes in calldata instead of data contracts.
  it("the largest CNN the limits allow ('groups', 8×8×16 → 5 × conv 1×1 → 64 → 2) is disputed in one transaction (figure printed)", async function () {
    const int = seededInts(16);
    let channels = 16;
    const layers: CnnLayer[] = [];
    for (let l = 0; l < 5; l++) {
      layers.push({
        kind: "conv2d",
        kernelH: 1,
        kernelW: 1,
        strideH: 1,
        strideW: 1,
        padH: 0,
        padW: 0,
        shift: 8,
        biases: Array.from({ length: 64 }, () => int(-2000, 2000)),
        weights: Array.from({ length: 64 }, () => [[Array.from({ length: channels }, () => int(-128, 127))]]),
      });
      channels = 64;
    }
    layers.push({ kind: "flatten" }, { kind: "dense", shift: 0, biases: [int(-2000, 2000), int(-2000, 2000)], weights: Array.from({ length: 2 }, () => Array.from({ length: 8 * 8 * 64 }, () => int(-128, 127))) });
    const model: CnnModel = { input: { height: 8, width: 8, channels: 16 }, layers };
    const work = cnnWork(model.input, model.layers);
    expect(work).to.be.at.least(11_000_000);
    const bytes = encodeCnnModel(model);
    const config: Config = { ...DEFAULT_CONFIG, ...CLAIM_CONFIG, featureCount: 1024, classCount: 2 };
    const groups = makeGroups(makePoints(40, 1024, 2, 61), 4, config, 62);
    const created = await createClaimCompetition(env, { config, groups });
    const r = await toEvaluation(env, created, { perfect: prepareBytes(bytes, 60), wrong: prepareBytes(encodeCnnModel(otherCnn(model)), 61) });
    const honest = predictionsOf(model, r.testPoints);
    const claimed = Uint8Array.from(honest, (v, i) => (i === 0 ? 1 - v : v));
    const bad = await claim(env, r, r.wallets.bob, r.ids.perfect, claimed);
    const dr = await receipt(env, claimsAs(env, created.address, r.wallets.challenger).write.disputeClaim(disputeArgs(r, bad.claimId, 0, claimed, r.ids.perfect)));
    console.log(`      groups CNN: ${work} work units, ${bytes.length} bytes; claim-mode dispute ${dr.gasUsed} gas (${r.testPoints.length} test points)`);
    expect(Number(dr.gasUsed)).to.be.below(0.9 * TX_GAS_CAP);
    expect((await claimsAs(env, created.address, r.wallets.challenger).read.claimAt([bad.claimId])).voided).to.equal(true);
  });

  it("the deployed engine's one-point entry ≡ cnnPredict on ≥ 200 random CNNs: a hit exactly at the reference class", async function () {
    const implementation = await factoryAs(env, env.wallets[0]!).read.implementation();
    const engineAddress = await competitionAs(env, implementation, env.wallets[0]!).read.evaluator();
    const engine = getContract({ address: engineAddress, abi: dankuEvaluatorEngineAbi, client: env.publicClient });
    const NETWORKS = 210;
    const POINTS = 2;
    let checked = 0;
    let networks = 0;
    for (let seed = 1; networks < NETWORKS; seed++) {
      const model = randomCnn(seed * 7919);
      const C = classCountOf(model);
      if (C < 2) continue;
      networks++;
      const bytes = toHex(encodeCnnModel(model));
      for (const row of randomImages(model, POINTS, seed)) {
        const expected = cnnPredict(model, row);
        const miss = (expected + 1 + (seed % (C - 1))) % C;
        const [hit, missed] = await Promise.all([
          engine.read.predicts([bytes, toHex(Uint8Array.from([...row, expected])), BigInt(C)]),
          engine.read.predicts([bytes, toHex(Uint8Array.from([...row, miss])), BigInt(C)]),
        ]);
        expect(hit, `seed ${seed * 7919}: reference predicts ${expected}`).to.equal(true);
        expect(missed, `seed ${seed * 7919}: class ${miss} is not the reference's ${expected}`).to.equal(false);
        checked++;
      }
    }
    expect(checked).to.equal(NETWORKS * POINTS);
  });
});

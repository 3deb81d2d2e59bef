/**
 * PROVE and VERIFY (lib/daimon/poi.ts) with the real onnxruntime-web (Node build, WASM) on a small problem: a DEL
 * function trained here (m = 200, C = 3, n = 32, H = 128: about two seconds), the DMZ1 test inputs, nearest-centroid
 * classifiers of known quality as ONNX files. Also the client formats and, on Hardhat's chain, that the contract
 * computes exactly the distances and proof hash PROVE predicts.
 */
import hre from "hardhat";
import { expect } from "chai";
import { onnx } from "onnx-proto";
import { bytesToHex, hexToBytes, keccak256, type Address, type PublicClient } from "viem";
import { ort } from "../ort/support";
import { trainDel } from "../../lib/daimon/delTrainer";
import { buildDelOnnx } from "../../lib/daimon/delOnnx";
import { labelError } from "../../lib/daimon/generateData";
import { syntheticTestSet, nearestCentroidModel } from "../../lib/daimon/demo";
import { buildClassifierOnnx } from "../../lib/daimon/classifierOnnx";
import {
  TestInputsError,
  decodeTestInputs,
  encodeTestInputs,
  parseLabelledTestSet,
  serializeLabelledTestSet,
  testInputsFromArrays,
} from "../../lib/daimon/inputs";
import { PoiError, computeTarget, predictLabels, prove, readDelShape, runDel, verify, type PoiTuple, type PoiVerification } from "../../lib/daimon/poi";
import { WAD, cosineDistance, packOutputs, quantizeVector, unpackVector } from "../../lib/daimon/fixedPoint";
import { proofHash } from "../../lib/daimon/encoding";
import { inputPoints, inputsRoot, integerLabels, labelsRoot, proofBinding } from "../../lib/daimon/disputes";
import { evaluateDelq, outputDispute, packCheckpoints, tupleDelRoot, tupleDelq } from "../../lib/daimon/delQuantized";
import { decodeModel, encodeModel } from "../../lib/danku/encoding";
import { floatPredict } from "../../lib/danku/floatModel";
import { computeCid } from "../../lib/ipfs/cid";
import { createProblem, deployProblemFactory, registerModel, submitProof, type DaimonWallet } from "../../lib/chain/daimon";

const M = 200;
const C = 3;
const F = 4;
const N = 32;
const runtime = { ort } as const;

function check(result: PoiVerification, name: string) {
  const found = result.checks.find((c) => c.name === name);
  if (!found) throw new Error(`no ${name} check in ${JSON.stringify(result.checks)}`);
  return found;
}

describe("lib/daimon PoI: PROVE and VERIFY with onnxruntime-web", function () {
  this.timeout(300_000);
  const set = syntheticTestSet({ m: M, classCount: C, features: F, seed: 41, spread: 0.22 });
  const z = encodeTestInputs(set.inputs);
  const goodModel = nearestCentroidModel(set.centroids);
  const weakModel = nearestCentroidModel(set.centroids, { jitter: 0.3, seed: 5 });
  const good = buildClassifierOnnx(goodModel);
  const weak = buildClassifierOnnx(weakModel);
  let del: Uint8Array;
  let target: `0x${string}`;
  let tuple: PoiTuple;
  const problem = { classCount: C, testSetSize: M, embeddingSize: N, inputShape: [F] };
  const margin = WAD / 100n;

  before(async () => {
    const trained = await trainDel(set.labels, C, { n: N, hidden: 128, steps: 300, batchSize: 64, seed: 7 });
    del = buildDelOnnx(trained.parameters);
    ({ target } = await computeTarget(del, set.labels, runtime));
    tuple = { inputs: z, del, target, inputsCid: await computeCid(z), delCid: await computeCid(del) };
  });

  describe("client formats", () => {
    it("DMZ1 test inputs round-trip bit for bit and refuse files that are not DMZ1", () => {
      const back = decodeTestInputs(z);
      expect(back.shape).to.deep.equal([M, F]);
      expect(Buffer.from(back.data.buffer, back.data.byteOffset, back.data.byteLength).equals(Buffer.from(set.inputs.data.buffer))).to.equal(true);
      expect(z.length).to.equal(8 + 4 * 2 + 4 * M * F);
      expect(String.fromCharCode(...z.subarray(0, 4))).to.equal("DMZ1");
      // A copy at an odd offset still decodes (the data is then copied instead of viewed).
      const shifted = new Uint8Array(z.length + 1);
      shifted.set(z, 1);
      expect(Array.from(decodeTestInputs(shifted.subarray(1)).data.subarray(0, 8))).to.deep.equal(Array.from(set.inputs.data.subarray(0, 8)));
      expect(() => decodeTestInputs(new TextEncoder().encode("PK\u0003\u0004 not a Z file"))).to.throw(TestInputsError, /does not start with "DMZ1"/);
      expect(() => decodeTestInputs(z.subarray(0, z.length - 4))).to.throw(TestInputsError, /has \d+ bytes, this one has/);
      const nan = z.slice();
      new DataView(nan.buffer).setFloat32(16 + 4 * 7, Number.NaN, true);
      expect(() => decodeTestInputs(nan)).to.throw(TestInputsError, /value 7 is NaN/);
      const rank = z.slice();
      new DataView(rank.buffer).setUint32(4, 1, true);
      expect(() => decodeTestInputs(rank)).to.throw(TestInputsError, /rank 1/);
    });

    it("the labelled test set JSON round-trips, nests multi-dimensional inputs and refuses bad labels and ragged inputs", () => {
      const text = serializeLabelledTestSet(set);
      const back = parseLabelledTestSet(text, C, [F]);
      expect(Array.from(back.labels)).to.deep.equal(Array.from(set.labels));
      expect(Array.from(back.inputs.data)).to.deep.equal(Array.from(set.inputs.data));
      const images = testInputsFromArrays([[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]]]);
      expect(images.shape).to.deep.equal([3, 2, 2]);
      expect(parseLabelledTestSet(serializeLabelledTestSet({ inputs: images, labels: Int32Array.from([0, 1, 2]) }), 3).inputs.shape).to.deep.equal([3, 2, 2]);
      expect(() => parseLabelledTestSet(JSON.stringify({ inputs: [[1], [2]], labels: [0, 3] }), 3)).to.throw(TestInputsError, /label 1 is 3; labels are integers 0…2/);
      expect(() => parseLabelledTestSet(JSON.stringify({ inputs: [[1], [2]], labels: [0] }), 3)).to.throw(TestInputsError, /2 test inputs but 1 labels/);
      expect(() => parseLabelledTestSet(JSON.stringify({ inputs: [[1, 2], [3]], labels: [0, 1] }), 3)).to.throw(TestInputsError, /inputs\[1\] has shape \[1\]/);
      expect(() => parseLabelledTestSet(JSON.stringify({ inputs: [[1, 2]], labels: [0] }), 3, [3])).to.throw(TestInputsError, /input shape is \[3\]/);
      expect(() => parseLabelledTestSet("{", 3)).to.throw(TestInputsError, /not valid JSON/);
    });

    it("reads m, C, H and n from a DEL file without its weights", () => {
      expect(readDelShape(del)).to.deep.equal({ m: M, classCount: C, hidden: 128, n: N });
      expect(() => readDelShape(good)).to.throw(PoiError, /no initializer W1/);
    });
  });

  describe("PROVE", () => {
    it("M(Z) is the argmax of the model's scores, as the float model computes it", async () => {
      const labels = await predictLabels(good, set.inputs, C, runtime);
      const reference = Array.from({ length: M }, (_, i) => floatPredict(goodModel, set.inputs.data.subarray(i * F, (i + 1) * F)));
      expect(Array.from(labels)).to.deep.equal(reference);
      // Batches of 7 give the same labels as one big batch.
      expect(Array.from(await predictLabels(good, set.inputs, C, { ...runtime, batchSize: 7 }))).to.deep.equal(reference);
    });

    it("takes the labels of a model that outputs int64 labels instead of scores", async () => {
      const decoded = onnx.ModelProto.decode(good);
      const graph = decoded.graph!;
      graph.node = [...(graph.node ?? []), { opType: "ArgMax", name: "argmax", input: ["scores"], output: ["label"], attribute: [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: 1 }, { name: "keepdims", type: onnx.AttributeProto.AttributeType.INT, i: 0 }] }];
      graph.output = [{ name: "label", type: { tensorType: { elemType: onnx.TensorProto.DataType.INT64, shape: { dim: [{ dimParam: "N" }] } } } }];
      const labelModel = onnx.ModelProto.encode(decoded).finish();
      expect(Array.from(await predictLabels(labelModel, set.inputs, C, runtime))).to.deep.equal(Array.from(await predictLabels(good, set.inputs, C, runtime)));
    });

    it("digest, y and distances: a better model gives a smaller distance, close to its error", async () => {
      const proofGood = await prove({ model: good, tuples: [tuple], problem }, runtime);
      const proofWeak = await prove({ model: weak, tuples: [tuple], problem }, runtime);
      expect(proofGood.cid).to.equal(await computeCid(good));
      expect(proofGood.outputs).to.have.length(1);
      expect(proofGood.outputs[0]).to.have.length(N);
      expect(proofGood.packedOutputs).to.equal(bytesToHex(packOutputs(proofGood.outputs)));
      // y is f_q's (the integer path an output dispute recomputes), within a few hundredths of the float f's.
      const fq = evaluateDelq(tupleDelq(del), proofGood.predictedLabels[0]!);
      expect(proofGood.outputs[0]).to.deep.equal(fq.outputs);
      const float = quantizeVector(Array.from(await runDel(del, proofGood.predictedLabels[0]!, runtime)));
      expect(Math.max(...float.map((v, i) => Math.abs(v - (fq.outputs[i] as number))))).to.be.below(1000);
      expect(proofGood.binding.checkpoints).to.equal(packCheckpoints([fq.checkpoints]));
      // PROVE refuses a tuple whose committed delRoot is not the f_q of its DEL file (its proof would be voidable).
      expect(await prove({ model: good, tuples: [{ ...tuple, delRoot: tupleDelRoot(del) }], problem }, runtime).then((p) => p.binding)).to.deep.equal(proofGood.binding);
      const refused = await prove({ model: good, tuples: [{ ...tuple, delRoot: keccak256("0x01") }], problem }, runtime).then(
        () => "accepted",
        (error: unknown) => String(error),
      );
      expect(refused).to.match(/would lose its output disputes/);
      // Every output-dispute step of an honest PROVE reverts OutputCorrect: the challenger finds no wrong step.
      const labels = [Array.from(proofGood.predictedLabels[0]!)];
      expect(outputDispute({ q: tupleDelq(del), tuple: 0, labels, checkpoints: proofGood.binding.checkpoints, outputs: proofGood.packedOutputs })).to.equal(null);
      expect(proofGood.distance).to.equal(cosineDistance(proofGood.outputs[0]!, unpackVector(hexToBytes(target))));

      const errorGood = labelError(proofGood.predictedLabels[0]!, set.labels);
      const errorWeak = labelError(proofWeak.predictedLabels[0]!, set.labels);
      expect(errorGood, "the fixture's models differ in quality").to.be.below(errorWeak - 0.05);
      expect(proofGood.distance < proofWeak.distance, `d ${proofGood.distance} vs ${proofWeak.distance}`).to.equal(true);
      expect(Number(proofGood.distance) / 1e18).to.be.closeTo(errorGood, 0.05);
      expect(Number(proofWeak.distance) / 1e18).to.be.closeTo(errorWeak, 0.05);
    });

    it("with two tuples: outputs concatenated in tuple order, the distance is the mean of both rounded up", async () => {
      const other = await trainDel(set.labels, C, { n: N, hidden: 128, steps: 120, batchSize: 64, seed: 99 });
      const del2 = buildDelOnnx(other.parameters);
      const second: PoiTuple = { inputs: set.inputs, del: del2, target: (await computeTarget(del2, set.labels, runtime)).vector };
      const proof = await prove({ model: good, tuples: [tuple, second], problem }, runtime);
      expect(hexToBytes(proof.packedOutputs)).to.have.length(2 * 2 * N);
      const [d0, d1] = proof.distances as [bigint, bigint];
      expect(proof.distance).to.equal((d0 + d1 + 1n) / 2n);
    });

    it("refuses a model that does not fit the problem, and tuples whose parts disagree, with sentences", async () => {
      const wide = buildClassifierOnnx({ layers: [{ weights: [[1, 0, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 1, 0, 0]], biases: [0, 0, 0] }] });
      await expectRejection(prove({ model: wide, tuples: [tuple], problem }, runtime), /model's input "input" has shape \[N, 5\]; the problem's test inputs need one float32 tensor \[N, 4\]/);
      const twoClasses = buildClassifierOnnx({ layers: [{ weights: [[1, 0, 0, 0], [0, 1, 0, 0]], biases: [0, 0] }] });
      await expectRejection(prove({ model: twoClasses, tuples: [tuple], problem }, runtime), /give neither 3 scores per input nor one label per input/);
      await expectRejection(prove({ model: new Uint8Array([1, 2, 3]), tuples: [tuple], problem }, runtime), /the model file is not an ONNX model/);
      const short = { ...set.inputs, shape: [M - 1, F], data: set.inputs.data.subarray(0, (M - 1) * F) };
      await expectRejection(prove({ model: good, tuples: [{ ...tuple, inputs: encodeTestInputs(short), inputsCid: undefined }], problem }, runtime), /Z has 199 test inputs but f takes 200 labels/);
      await expectRejection(prove({ model: good, tuples: [tuple], problem: { ...problem, classCount: 4 } }, runtime), /f was trained for 3 classes, the problem has 4/);
      await expectRejection(prove({ model: good, tuples: [{ ...tuple, delCid: tuple.inputsCid }], problem }, runtime), /DEL function f: the file's CID is .* it is not the tuple's file/);
    });
  });

  describe("VERIFY", () => {

    it("accepts a genuine proof: digest, y, distance, claimed distance and proof hash all check", async () => {
      const improver = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as Address;
      const problemAddress = "0x5FbDB2315678afecb367f032d93F642f64180aa3" as Address;
      const proof = await prove({ model: good, tuples: [tuple], problem, problemAddress, improver }, runtime);
      const result = await verify(
        {
          model: good,
          proof: { cid: proof.cid, outputs: proof.packedOutputs, improver, problem: problemAddress, proofHash: proof.proofHash, distance: proof.distance, distances: proof.distances, binding: proof.binding },
          tuples: [tuple],
          problem,
          bestDistance: WAD,
          margin,
        },
        runtime,
      );
      expect(result.reasons).to.deep.equal([]);
      expect(result.verified).to.equal(true);
      expect(result.checks.map((c) => c.name)).to.deep.equal(["digest", "tuples", "outputs", "binding", "distance", "claimed-distance", "proof-hash"]);
      expect(result.proofHash).to.equal(proofHash(problemAddress, improver, proof.cid, proof.binding, proof.packedOutputs));
      // An ONNX model is bound by its file's hash, but the chain only runs DanKu v1 models (§14.3).
      expect(proof.integerModel).to.equal(false);
      expect(proof.binding).to.deep.equal(proofBinding(good, proof.predictedLabels, proof.binding.checkpoints));
      expect(result.distance).to.equal(proof.distance);
      expect(result.summary).to.match(/^verified: .* improves on d_c = 1\.000000/);
    });

    it("PROVE with a DanKu v1 integer model takes its labels from the integer forward pass, and VERIFY refuses a binding to other labels", async () => {
      // The nearest-centroid classifier on Z's feature bytes (values rounded and clamped to 0…255, §14.3).
      const integer = encodeModel({
        widths: [F, C],
        layers: [{ shift: 0, biases: Array.from({ length: C }, (_, c) => c), weights: Array.from({ length: C }, (_, c) => Array.from({ length: F }, (_, f) => ((c + f) % 3) - 1)) }],
      });
      const proof = await prove({ model: integer, tuples: [tuple], problem }, runtime);
      expect(proof.integerModel).to.equal(true);
      const points = inputPoints(set.inputs);
      expect(Array.from(proof.predictedLabels[0]!)).to.deep.equal(Array.from(integerLabels(decodeModel(integer), points)));
      expect(proof.binding).to.deep.equal({
        modelHash: keccak256(integer),
        labelsRoot: labelsRoot(proof.predictedLabels),
        checkpoints: packCheckpoints([evaluateDelq(tupleDelq(del), proof.predictedLabels[0]!).checkpoints]),
      });
      const base = { model: integer, tuples: [tuple], problem, bestDistance: WAD, margin: 0n };
      const honest = await verify({ ...base, proof: { cid: proof.cid, outputs: proof.packedOutputs, binding: proof.binding } }, runtime);
      expect(check(honest, "binding").ok).to.equal(true);
      const flipped = proof.predictedLabels.map((l) => Int32Array.from(l, (x, i) => (i === 0 ? (x + 1) % C : x)));
      const lying = await verify({ ...base, proof: { cid: proof.cid, outputs: proof.packedOutputs, binding: { ...proof.binding, labelsRoot: labelsRoot(flipped) } } }, runtime);
      expect(lying.verified).to.equal(false);
      expect(check(lying, "binding").detail).to.match(/a label dispute wins/);
    });

    it("rejects a tampered y (one unit in one entry), unless a tolerance of one unit is allowed", async () => {
      const proof = await prove({ model: good, tuples: [tuple], problem }, runtime);
      const tampered = proof.outputs.map((v) => [...v]);
      tampered[0]![5] = tampered[0]![5]! + (tampered[0]![5]! < 32_767 ? 1 : -1);
      const submitted = { cid: proof.cid, outputs: bytesToHex(packOutputs(tampered)) };
      const strict = await verify({ model: good, proof: submitted, tuples: [tuple], problem, bestDistance: WAD, margin }, runtime);
      expect(strict.verified).to.equal(false);
      expect(check(strict, "outputs").ok).to.equal(false);
      expect(check(strict, "outputs").detail).to.match(/tuple 0: 1 of 32 entries of the submitted y differ from f\(M\(Z\)\) \(largest difference 1 units at entry 5, none allowed\)/);
      expect(check(strict, "digest").ok).to.equal(true);
      expect(strict.summary).to.match(/^not verified: outputs: /);
      const tolerant = await verify({ model: good, proof: submitted, tuples: [tuple], problem, bestDistance: WAD, margin, tolerance: 1 }, runtime);
      expect(tolerant.verified, tolerant.reasons.join("\n")).to.equal(true);

      // y of another model under this model's CID: far from f(M(Z)).
      const weakProof = await prove({ model: weak, tuples: [tuple], problem }, runtime);
      const swapped = await verify({ model: good, proof: { cid: proof.cid, outputs: weakProof.packedOutputs }, tuples: [tuple], problem, bestDistance: WAD, margin, tolerance: 1 }, runtime);
      expect(check(swapped, "outputs").ok).to.equal(false);
    });

    it("rejects a wrong digest: the model downloaded is not the one the proof names", async () => {
      const proof = await prove({ model: good, tuples: [tuple], problem }, runtime);
      const result = await verify({ model: weak, proof: { cid: proof.cid, outputs: proof.packedOutputs }, tuples: [tuple], problem, bestDistance: WAD, margin }, runtime);
      expect(result.verified).to.equal(false);
      expect(check(result, "digest").detail).to.equal(`the model file's CID is ${await computeCid(weak)}, the proof names ${proof.cid}: this is not the proof's model`);
      const unusable = await verify({ model: good, proof: { cid: "not-a-cid", outputs: proof.packedOutputs }, tuples: [tuple], problem, bestDistance: WAD, margin }, runtime);
      expect(check(unusable, "digest").detail).to.match(/the proof's CID is unusable: "not-a-cid" is not a usable IPFS CID/);
    });

    it("rejects a distance that is not below d_c − δ, and accepts one wei below it", async () => {
      const proof = await prove({ model: good, tuples: [tuple], problem }, runtime);
      const submitted = { cid: proof.cid, outputs: proof.packedOutputs };
      const atBoundary = await verify({ model: good, proof: submitted, tuples: [tuple], problem, bestDistance: proof.distance + margin, margin }, runtime);
      expect(atBoundary.verified).to.equal(false);
      expect(check(atBoundary, "distance").detail).to.match(/^d = 0\.\d{6} is not below d_c − δ = 0\.\d{6} − 0\.010000: the proof is no improvement$/);
      expect(check(atBoundary, "outputs").ok).to.equal(true);
      const justBelow = await verify({ model: good, proof: submitted, tuples: [tuple], problem, bestDistance: proof.distance + margin + 1n, margin }, runtime);
      expect(justBelow.verified).to.equal(true);
      // The weak model's genuine proof does not improve on the good model's distance.
      const weakProof = await prove({ model: weak, tuples: [tuple], problem }, runtime);
      const worse = await verify({ model: weak, proof: { cid: weakProof.cid, outputs: weakProof.packedOutputs }, tuples: [tuple], problem, bestDistance: proof.distance, margin }, runtime);
      expect(worse.verified).to.equal(false);
      expect(worse.reasons).to.have.length(1);
      expect(worse.reasons[0]).to.match(/^distance: /);
    });

    it("rejects outputs of the wrong length, a wrong claimed distance or proof hash, and Z that is not the tuple's", async () => {
      const problemAddress = "0x5FbDB2315678afecb367f032d93F642f64180aa3" as Address;
      const improver = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as Address;
      const proof = await prove({ model: good, tuples: [tuple], problem, problemAddress, improver }, runtime);
      const short = await verify({ model: good, proof: { cid: proof.cid, outputs: proof.packedOutputs.slice(0, -4) as `0x${string}` }, tuples: [tuple], problem, bestDistance: WAD, margin }, runtime);
      expect(check(short, "outputs").detail).to.equal("the submitted outputs are 62 bytes; 1 tuple(s) need 64 bytes (32 int16 entries)");
      const claimed = await verify(
        { model: good, proof: { cid: proof.cid, outputs: proof.packedOutputs, distance: proof.distance + 1n, problem: problemAddress, improver, proofHash: `0x${"11".repeat(32)}` }, tuples: [tuple], problem, bestDistance: WAD, margin },
        runtime,
      );
      expect(check(claimed, "claimed-distance").ok).to.equal(false);
      expect(check(claimed, "proof-hash").detail).to.match(/^the reported proof hash 0x1111.* is not 0x/);
      expect(claimed.proofHash).to.equal(proof.proofHash);
      const otherZ = encodeTestInputs(syntheticTestSet({ m: M, classCount: C, features: F, seed: 42 }).inputs);
      const swappedZ = await verify({ model: good, proof: { cid: proof.cid, outputs: proof.packedOutputs }, tuples: [{ ...tuple, inputs: otherZ }], problem, bestDistance: WAD, margin }, runtime);
      expect(check(swappedZ, "tuples").detail).to.match(/^tuple 0's test inputs Z: the file's CID is .*, the tuple names .*; it is not the tuple's file$/);
      expect(swappedZ.verified).to.equal(false);
    });
  });

  describe("on chain", () => {
    it("the contract computes exactly PROVE's distances and proof hash from its packed outputs", async () => {
      const client = (await hre.viem.getPublicClient()) as unknown as PublicClient;
      const [creator, improver] = (await hre.viem.getWalletClients()) as unknown as DaimonWallet[];
      const factory = await deployProblemFactory(creator!, client);
      const created = await createProblem(creator!, client, {
        factory: factory.address,
        spec: {
          config: { classCount: C, testSetSize: M, embeddingSize: N, definitionPeriod: 10, competitionPeriod: 20, rewardShape: 3, minVotes: 1, openTuples: true, margin, rewardScale: 10n ** 21n },
          inputShape: [F],
          name: "PoI test",
          symbol: "POI",
          metadataCid: "bafkreipoitest",
        },
        tuples: [{ inputsCid: tuple.inputsCid!, delCid: tuple.delCid!, inputsRoot: inputsRoot(set.inputs), delRoot: tupleDelRoot(tuple.del), target }],
      });
      const proof = await prove({ model: good, tuples: [tuple], problem, problemAddress: created.problem, improver: improver!.account.address }, runtime);
      const testClient = await hre.viem.getTestClient();
      const now = await client.getBlockNumber();
      if (created.definitionEnd > now) await testClient.mine({ blocks: Number(created.definitionEnd - now) });
      const registered = await registerModel(improver!, client, created.problem, proof.cid, proof.packedOutputs);
      await testClient.mine({ blocks: Number(registered.usableFrom - 1n - (await client.getBlockNumber())) });
      const submitted = await submitProof(improver!, client, created.problem, proof.cid, proof.binding, proof.packedOutputs);
      expect(submitted.distance).to.equal(proof.distance);
      expect([...submitted.distances]).to.deep.equal(proof.distances);
      expect(submitted.proofHash).to.equal(proof.proofHash);
    });
  });
});

async function expectRejection(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message).to.match(pattern);
    return;
  }
  throw new Error(`expected a rejection matching ${pattern}`);
}

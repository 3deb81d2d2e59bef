/**
 * Both model kinds through the library's one dispatch (lib/danku/anyModel.ts) as a submitter's file travels:
 * import (JSON / dense ONNX → dense, Conv/pool ONNX → CNN), the competition check (a CNN needs an image competition
 * of its shape), the committed bytes (version 1 or 2) and their hash, scoring, claim-mode predictions, decoding by
 * version byte.
 */
import { expect } from "chai";
import { keccak256 } from "viem";
import {
  anyModelMacs,
  anyModelShape,
  decodeAnyModel,
  describeAnyModel,
  encodeAnyModel,
  isCnnModel,
  isFloatCnnModel,
  predictAny,
} from "../../lib/danku/anyModel";
import { predictionsOf, disputablePoint, scorePredictions } from "../../lib/danku/claims";
import { CnnModelFormatError, decodeCnnModel } from "../../lib/danku/cnn/encoding";
import { cnnPredict, evaluateCnnAccuracy } from "../../lib/danku/cnn/forward";
import { decodeModel, ModelFormatError, modelHash, type DataPoint } from "../../lib/danku/encoding";
import { evaluateAccuracy } from "../../lib/danku/forward";
import { FloatModelError, type FloatModel } from "../../lib/danku/floatModel";
import { importModelFile, prepareSubmissionModel } from "../../lib/danku/modelImport";
import { modelToCommit, previewScore, scoreModelToCommit } from "../../lib/danku/submission";
import { OnnxImportError } from "../../lib/danku/onnx";
import { lenet, torchCnnOnnx, type TorchCnn } from "../support/torchCnnOnnx";
import { torchStyleOnnx } from "../support/torchOnnx";
import { seededInts } from "../ort/support";

const SHAPE = { height: 6, width: 5, channels: 1 } as const;
const F = 30;
const C = 3;

/** A small image network: conv 3×3 → 4, maxpool 2, flatten, linear 3. */
function smallNet(seed: number): TorchCnn {
  const int = seededInts(seed);
  const r = (n: number) => Array.from({ length: n }, () => int(-1000, 1000) / 1000);
  return {
    input: { channels: 1, height: 6, width: 5 },
    modules: [
      { type: "conv", out: 4, kernel: [3, 3], stride: [1, 1], padding: [1, 1], weight: r(4 * 9), bias: r(4) },
      { type: "relu" },
      { type: "maxpool", kernel: [2, 2], stride: [2, 2] },
      { type: "flatten" },
      { type: "linear", out: C, weight: r(C * 4 * 3 * 2), bias: r(C) },
    ],
  };
}

function images(count: number, seed: number): DataPoint[] {
  const int = seededInts(seed);
  return Array.from({ length: count }, (_, i) => ({ features: Uint8Array.from({ length: F }, () => int(0, 255)), label: i % C }));
}

const training = images(40, 1);
const test = images(20, 2);
const competition = { featureCount: F, classCount: C, imageShape: SHAPE };
const dense: FloatModel = { layers: [{ weights: Array.from({ length: C }, (_, j) => Array.from({ length: F }, (_, i) => ((i * 7 + j * 3) % 11) / 10 - 0.5)), biases: [0, 1, -1] }] };

describe("lib/danku/anyModel: dense and convolutional models through one dispatch", function () {
  it("imports JSON and dense ONNX as dense models, Conv/pool ONNX as CNNs with the ONNX input's image shape", function () {
    const json = importModelFile(new TextEncoder().encode(JSON.stringify(dense)), "m.json");
    expect(isFloatCnnModel(json)).to.equal(false);
    const denseOnnx = importModelFile(torchStyleOnnx(dense), "m.onnx");
    expect(isFloatCnnModel(denseOnnx)).to.equal(false);
    const cnn = importModelFile(torchCnnOnnx(smallNet(3)), "cnn.onnx");
    expect(isFloatCnnModel(cnn)).to.equal(true);
    if (!isFloatCnnModel(cnn)) throw new Error("unreachable");
    expect(cnn.input).to.deep.equal(SHAPE);
    expect(cnn.layers.map((l) => l.kind)).to.deep.equal(["conv2d", "maxpool", "flatten", "dense"]);
    // The kind comes from the graph, not the file name.
    expect(isFloatCnnModel(importModelFile(torchCnnOnnx(smallNet(3))))).to.equal(true);
  });

  it("a Flatten + Linear network over an image input is dense (version 1); with a Reshape before the Linear it is a CNN", function () {
    const mlp: TorchCnn = { input: { channels: 1, height: 6, width: 5 }, modules: [{ type: "flatten" }, { type: "linear", out: C, weight: Array.from({ length: C * F }, (_, i) => (i % 7) / 7), bias: [0, 0, 0] }] };
    expect(isFloatCnnModel(importModelFile(torchCnnOnnx(mlp), "mlp.onnx"))).to.equal(false);
    const reshaped = importModelFile(torchCnnOnnx(mlp, { flatten: "reshape" }), "mlp.onnx");
    expect(isFloatCnnModel(reshaped)).to.equal(true);
    expect(modelToCommit(reshaped, training, competition).bytes[0]).to.equal(2);
  });

  it("an unsupported node in a CNN is the CNN importer's error, naming the node", function () {
    const bytes = torchCnnOnnx(smallNet(3), { extraNode: { opType: "Sigmoid", name: "/5/Sigmoid", input: [], output: [] } });
    expect(() => importModelFile(bytes, "x.onnx")).to.throw(OnnxImportError, /Sigmoid/);
  });

  it("commits a CNN as version-2 bytes: the hash covers exactly those bytes and the model is theirs", function () {
    const floatModel = importModelFile(torchCnnOnnx(smallNet(4)), "cnn.onnx");
    const committed = modelToCommit(floatModel, training, competition);
    expect(committed.bytes[0]).to.equal(2);
    expect(committed.hash).to.equal(modelHash(committed.bytes));
    expect(committed.hash).to.equal(keccak256(committed.bytes));
    expect(isCnnModel(committed.model)).to.equal(true);
    expect(committed.model).to.deep.equal(decodeCnnModel(committed.bytes, competition));
    expect(encodeAnyModel(committed.model)).to.deep.equal(committed.bytes);
    expect(committed.calibrationPoints).to.equal(training.length);
    expect(committed.report.floatAccuracy).to.equal(committed.report.float.correct / training.length);
    if (!isCnnModel(committed.model)) throw new Error("unreachable");
    expect(scoreModelToCommit(committed, test)).to.deep.equal(evaluateCnnAccuracy(committed.model, test));
    const preview = previewScore(floatModel, { training, scored: test, ...competition });
    expect(preview.committed.hash).to.equal(committed.hash);
    expect(preview.score).to.deep.equal(evaluateCnnAccuracy(committed.model, test));
    // One bit of the weights changes the hash: the commitment covers the parameters, not only the header.
    const flipped = Uint8Array.from(committed.bytes);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1]! ^ 1) & 0xff;
    expect(modelHash(flipped)).to.not.equal(committed.hash);
  });

  it("dense models still commit as version-1 bytes, with or without an image shape", function () {
    for (const shape of [competition, { featureCount: F, classCount: C }]) {
      const committed = modelToCommit(dense, training, shape);
      expect(committed.bytes[0]).to.equal(1);
      expect(committed.model).to.deep.equal(decodeModel(committed.bytes));
      expect(scoreModelToCommit(committed, test)).to.deep.equal(evaluateAccuracy(committed.model, test));
      expect(prepareSubmissionModel(dense, training, shape).model.widths).to.deep.equal([F, C]);
    }
  });

  it("refuses a CNN for a competition without an image shape, of another shape, with other classes, or evaluating on chain, saying what to do", function () {
    const floatModel = importModelFile(torchCnnOnnx(smallNet(5)), "cnn.onnx");
    expect(() => modelToCommit(floatModel, training, { featureCount: F, classCount: C })).to.throw(
      FloatModelError,
      "this is a convolutional network over 6 × 5 × 1 images, but the competition has no image shape (its data is not an image dataset), so a convolution has no rows and columns to slide over; submit a dense network over its 30 features instead",
    );
    expect(() => modelToCommit(floatModel, training, { featureCount: F, classCount: C, imageShape: { height: 5, width: 6, channels: 1 } })).to.throw(
      FloatModelError,
      "the network reads 6 × 5 × 1 images (height × width × channels, from its ONNX input [N, C, H, W]) but the competition's images are 5 × 6 × 1; export it with a dummy input of shape [1, 1, 5, 6]",
    );
    expect(() => modelToCommit(floatModel, training, { featureCount: F, classCount: 4, imageShape: SHAPE })).to.throw(FloatModelError, "the network has 3 outputs but the competition has 4 classes");
    expect(() => modelToCommit(floatModel, training, { ...competition, evaluationMode: "onchain" })).to.throw(
      FloatModelError,
      "this competition evaluates every model on chain, which only dense networks can be (a convolutional network is scored by claims and disputes: docs/cnn.md); submit a dense network, or a CNN to a claim-mode competition",
    );
    expect(modelToCommit(floatModel, training, { ...competition, evaluationMode: "claim" }).bytes[0]).to.equal(2);
    expect(modelToCommit(dense, training, { ...competition, evaluationMode: "onchain" }).bytes[0]).to.equal(1);
  });

  it("claim mode: predictionsOf a CNN is its reference forward pass, and a wrong claim's disputable point is found", function () {
    const committed = modelToCommit(importModelFile(torchCnnOnnx(smallNet(6)), "cnn.onnx"), training, competition);
    const model = decodeAnyModel(committed.bytes, competition);
    if (!isCnnModel(model)) throw new Error("expected a CNN");
    const predictions = predictionsOf(model, test);
    expect(Array.from(predictions)).to.deep.equal(test.map((p) => cnnPredict(model, p.features)));
    expect(Array.from(predictions)).to.deep.equal(test.map((p) => predictAny(model, p.features)));
    expect(scorePredictions(predictions, test.map((p) => p.label))).to.equal(evaluateCnnAccuracy(model, test).correct);
    const wrong = Uint8Array.from(predictions);
    wrong[7] = (wrong[7]! + 1) % C;
    expect(disputablePoint(wrong, predictions)).to.deep.equal({ index: 7, claimed: wrong[7], actual: predictions[7] });
  });

  it("decodes by version byte, and refuses unknown versions and bytes for another competition", function () {
    const cnnBytes = modelToCommit(importModelFile(torchCnnOnnx(smallNet(7)), "cnn.onnx"), training, competition).bytes;
    const denseBytes = modelToCommit(dense, training, competition).bytes;
    expect(isCnnModel(decodeAnyModel(cnnBytes))).to.equal(true);
    expect(isCnnModel(decodeAnyModel(denseBytes))).to.equal(false);
    expect(() => decodeAnyModel(Uint8Array.of(3, 2, 0, 0))).to.throw(ModelFormatError, "model format version 3 is unknown; dense models are version 1, convolutional ones 2");
    expect(() => decodeAnyModel(new Uint8Array())).to.throw(ModelFormatError, "the model bytes are empty");
    expect(() => decodeAnyModel(cnnBytes, { featureCount: F, classCount: 4 })).to.throw(CnnModelFormatError);
    expect(() => decodeAnyModel(denseBytes, { featureCount: F + 1, classCount: C })).to.throw(ModelFormatError);
  });

  it("sizes and describes both kinds", function () {
    const model = decodeAnyModel(modelToCommit(importModelFile(torchCnnOnnx(lenet(1)), "lenet.onnx"), images(4, 3).map((p) => ({ features: Uint8Array.from({ length: 784 }, (_, i) => p.features[i % F]!), label: p.label })), { featureCount: 784, classCount: 10, imageShape: { height: 28, width: 28, channels: 1 } }).bytes);
    expect(anyModelMacs(model)).to.equal(117_600 + 240_000 + 48_000 + 10_080 + 840);
    expect(anyModelShape(model)).to.deep.equal({ featureCount: 784, classCount: 10 });
    expect(describeAnyModel(model)).to.equal("28×28×1 · conv5×5/1→6 · maxpool2×2/2 · conv5×5/1→16 · avgpool2×2/2 · flatten · dense→120 · dense→84 · dense→10");
    const denseModel = decodeAnyModel(modelToCommit(dense, training, competition).bytes);
    expect(anyModelMacs(denseModel)).to.equal(F * C);
    expect(describeAnyModel(denseModel)).to.equal(`${F}-${C}`);
  });
});

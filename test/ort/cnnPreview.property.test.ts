/**
 * The submitter's preview with convolutional networks (issue 10 §3), on onnxruntime-web's WASM provider in Node:
 *  - 200 random CNNs (test/ort/cnnSupport.ts), each exported as the PyTorch ONNX file a data scientist would hand in,
 *    go through the preview entry point (lib/ort/preview.ts previewModel: import → quantize on the training data →
 *    version-2 bytes → ORT score); the scores and confusion matrices equal the TS reference forward pass
 *    (lib/danku/cnn/forward.ts) of the model decoded from the returned bytes, on the integer graph and, where it is
 *    provably exact, the float-exact one (networks without conv/pool layers exported with Flatten are dense
 *    networks: imported as version 1, and checked the same way);
 *  - the scorer behind it (lib/ort/scorer.ts createScorer) predicts every point of 200 random quantized CNNs (the
 *    generator's extreme weights, biases and shifts, which a quantizer would not produce) exactly as cnnPredict does;
 *  - a CNN for a competition without an image shape, or of another shape, is refused with what to do.
 */
import { expect } from "chai";
import chai from "chai";
import chaiAsPromised from "chai-as-promised";
import { decodeCnnModel } from "../../lib/danku/cnn/encoding";
import { cnnPredict, evaluateCnnAccuracy } from "../../lib/danku/cnn/forward";
import { layerShapes, shapeSize, type CnnModel } from "../../lib/danku/cnn/model";
import { encodePoints, type DataPoint } from "../../lib/danku/encoding";
import { decodeAnyModel, evaluateAnyAccuracy } from "../../lib/danku/anyModel";
import { evaluateConfusion } from "../../lib/danku/confusion";
import { createScorer, previewModel } from "../../lib/ort";
import { lenet, torchCnnOnnx } from "../support/torchCnnOnnx";
import { randomCnn, randomImages, torchFromCnn } from "./cnnSupport";
import { ort, seededInts } from "./support";

chai.use(chaiAsPromised);

const NETWORKS = 200;

function classesOf(model: CnnModel): number {
  return layerShapes(model.input, model.layers).at(-1)!.channels;
}

function labelled(model: CnnModel, rows: readonly Uint8Array[], seed: number): DataPoint[] {
  const int = seededInts(seed);
  const classes = classesOf(model);
  return rows.map((features) => ({ features, label: int(0, classes - 1) }));
}

describe("lib/ort preview of convolutional networks (onnxruntime-web WASM in Node)", function () {
  this.timeout(600_000);

  it(`${NETWORKS} random CNNs as PyTorch ONNX files: the preview's scores and confusion equal the reference forward pass of the committed bytes`, async function () {
    let floatExact = 0;
    let integer = 0;
    let dense = 0;
    for (let seed = 1; seed <= NETWORKS; seed++) {
      const source = randomCnn(seed);
      const flatten = seed % 2 === 0 ? "flatten" : "reshape";
      const file = torchCnnOnnx(torchFromCnn(source, seed % 3 === 0 ? 1 : 64), { flatten });
      // Without conv/pool layers a Flatten + Linear network is a dense one (version 1, cheaper on chain); with a Reshape
      // before the first Linear, which the dense importer does not take, it is imported as a CNN of flatten and dense.
      const spatial = source.layers.some((layer) => layer.kind !== "flatten" && layer.kind !== "dense");
      const kind = spatial || flatten === "reshape" ? "cnn" : "dense";
      const F = shapeSize(source.input);
      const C = classesOf(source);
      const rows = randomImages(source, 14, seed + 7_000);
      const points = labelled(source, rows, seed + 9_000);
      const training = points.slice(0, 8);
      const test = points.slice(8);
      const what = `network ${seed}`;
      const result = await previewModel(
        {
          fileBytes: file,
          fileName: `cnn${seed}.onnx`,
          featureCount: F,
          classCount: C,
          imageShape: source.input,
          trainingPoints: encodePoints(training, F, C),
          testPoints: encodePoints(test, F, C),
          preferredBackend: "wasm",
        },
        // Every other network asks for the float-exact graph on WASM (what WebGPU runs); the scorer falls back to the
        // integer graph where it is not provably exact.
        { ort, ...(seed % 2 === 0 ? { wasmVariant: "float-exact" as const } : {}) },
      );
      expect(result.kind, what).to.equal(kind);
      expect(result.modelBytes[0], what).to.equal(kind === "cnn" ? 2 : 1);
      if (kind === "cnn") expect(result.widths, what).to.equal(undefined);
      else dense++;
      const committed = decodeAnyModel(result.modelBytes, { featureCount: F, classCount: C });
      if (result.variant === "float-exact") floatExact++;
      else integer++;
      for (const [name, data, score] of [
        ["training", training, result.training],
        ["test", test, result.test!],
      ] as const) {
        const reference = evaluateAnyAccuracy(committed, data);
        expect({ correct: score.quantized.correct, total: score.quantized.total }, `${what} ${name} (${result.variant})`).to.deep.equal(reference);
        expect(score.quantized.confusion, `${what} ${name} confusion (${result.variant})`).to.deep.equal(evaluateConfusion(committed, data).confusion);
      }
      expect(result.report.quantized, what).to.deep.equal(evaluateAnyAccuracy(committed, training));
    }
    expect(dense, "Flatten + Linear networks imported as dense ones").to.be.greaterThan(0);
    // Both graphs are exercised many times.
    expect(floatExact, "networks scored on the float-exact graph").to.be.greaterThan(30);
    expect(integer, "networks scored on the integer graph").to.be.greaterThan(NETWORKS / 2);
  });

  it(`the scorer behind the preview predicts every point of ${NETWORKS} random quantized CNNs as cnnPredict does (both graphs)`, async function () {
    let floatChecked = 0;
    for (let seed = 1_001; seed <= 1_000 + NETWORKS; seed++) {
      const model = randomCnn(seed);
      const rows = randomImages(model, 12, seed);
      const expected = Int32Array.from(rows, (row) => cnnPredict(model, row));
      for (const wasmVariant of ["integer", "float-exact"] as const) {
        const scorer = await createScorer({ model, ort, preferredBackend: "wasm", wasmVariant });
        try {
          if (wasmVariant === "float-exact" && scorer.variant === "float-exact") floatChecked++;
          expect(scorer.featureCount).to.equal(shapeSize(model.input));
          expect(scorer.classCount).to.equal(classesOf(model));
          const predictions = await scorer.predict(rows);
          expect(Array.from(predictions), `network ${seed} (${scorer.variant})`).to.deep.equal(Array.from(expected));
          if (wasmVariant === "float-exact" && scorer.variant === "integer") {
            expect(scorer.fallbackNotes.join(" "), `network ${seed}`).to.include("not provably exact in float32");
          }
        } finally {
          await scorer.release();
        }
      }
    }
    expect(floatChecked).to.be.greaterThan(40);
  });

  describe("CNN files against the competition", function () {
    const net = lenet(3);
    const file = torchCnnOnnx(net);
    const points = randomImages({ input: { height: 28, width: 28, channels: 1 }, layers: [] }, 6, 1).map((features, i) => ({ features, label: i % 10 }));
    const base = { fileBytes: file, fileName: "lenet.onnx", featureCount: 784, classCount: 10, trainingPoints: encodePoints(points, 784, 10), preferredBackend: "wasm" as const };

    it("scores LeNet-5 for a 28 × 28 × 1 image competition, exactly as the reference does", async function () {
      const result = await previewModel({ ...base, imageShape: { height: 28, width: 28, channels: 1 } }, { ort });
      expect(result.kind).to.equal("cnn");
      expect(result.network).to.equal("28×28×1 · conv5×5/1→6 · maxpool2×2/2 · conv5×5/1→16 · avgpool2×2/2 · flatten · dense→120 · dense→84 · dense→10");
      expect(result.macs).to.equal(117_600 + 240_000 + 48_000 + 10_080 + 840);
      const committed = decodeCnnModel(result.modelBytes);
      expect({ correct: result.training.quantized.correct, total: result.training.quantized.total }).to.deep.equal(evaluateCnnAccuracy(committed, points));
    });

    it("refuses a CNN for a competition without an image shape, saying to submit a dense network", async function () {
      await expect(previewModel(base, { ort })).to.be.rejectedWith(
        "this is a convolutional network over 28 × 28 × 1 images, but the competition has no image shape (its data is not an image dataset), so a convolution has no rows and columns to slide over; submit a dense network over its 784 features instead",
      );
    });

    it("refuses a CNN whose input shape is not the competition's, saying how to export it", async function () {
      await expect(previewModel({ ...base, imageShape: { height: 14, width: 56, channels: 1 } }, { ort })).to.be.rejectedWith(
        "the network reads 28 × 28 × 1 images (height × width × channels, from its ONNX input [N, C, H, W]) but the competition's images are 14 × 56 × 1; export it with a dummy input of shape [1, 1, 14, 56]",
      );
    });
  });
});

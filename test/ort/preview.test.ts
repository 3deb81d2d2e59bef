/**
 * lib/ort/preview: a submitter's file (float JSON or torch-style ONNX) → quantized model → ORT scores on the
 * training and test data, equal to the reference forward pass and the quantizer's own report; every rejection
 * reason of the issue (unsupported operator, wrong shape, NaN, too large, not a model) with a sentence.
 */
import { expect } from "chai";
import chai from "chai";
import chaiAsPromised from "chai-as-promised";
import { decodeModel, encodePoints, type DataPoint } from "../../lib/danku/encoding";
import { evaluateAccuracy } from "../../lib/danku/forward";
import { floatAccuracy, type FloatModel } from "../../lib/danku/floatModel";
import { MAX_MODEL_FILE_BYTES } from "../../lib/danku/modelImport";
import { evaluateConfusion } from "../../lib/danku/confusion";
import { previewModel } from "../../lib/ort";
import { blobDataset, trainMlp } from "../lib/helpers";
import { onnxWithUnsupportedOperator, torchStyleOnnx } from "../support/torchOnnx";
import { ort } from "./support";

chai.use(chaiAsPromised);

const F = 3;
const C = 3;
const points = blobDataset({ seed: 7, classes: C, features: F, perClass: 60, spread: 28 });
const training: DataPoint[] = points.filter((_, i) => i % 4 !== 0);
const test: DataPoint[] = points.filter((_, i) => i % 4 === 0);
const floatModel: FloatModel = trainMlp(training, { hidden: 6, classes: C, epochs: 30, seed: 3, rate: 0.05 });
const json = new TextEncoder().encode(JSON.stringify(floatModel));

function input(fileBytes: Uint8Array, fileName: string, withTest = true) {
  return {
    fileBytes,
    fileName,
    featureCount: F,
    classCount: C,
    trainingPoints: encodePoints(training, F, C),
    ...(withTest ? { testPoints: encodePoints(test, F, C) } : {}),
    preferredBackend: "wasm" as const,
  };
}

describe("lib/ort preview (model file → on-chain score, onnxruntime-web WASM in Node)", function () {
  this.timeout(120_000);

  it("scores a JSON model exactly as the reference does, on training and test data, with progress", async function () {
    const phases = new Set<string>();
    const result = await previewModel(input(json, "model.json"), { ort, onProgress: (phase) => phases.add(phase) });
    const model = decodeModel(result.modelBytes);
    expect(result.format).to.equal("json");
    expect(result.widths).to.deep.equal([F, 6, C]);
    expect(result.backend).to.equal("ort-wasm");
    expect([...phases]).to.deep.equal(["import", "quantize", "training", "test"]);
    const referenceTraining = evaluateAccuracy(model, training);
    const referenceTest = evaluateAccuracy(model, test);
    expect({ correct: result.training.quantized.correct, total: result.training.quantized.total }).to.deep.equal(referenceTraining);
    expect({ correct: result.test?.quantized.correct, total: result.test?.quantized.total }).to.deep.equal(referenceTest);
    expect(result.training.quantized.confusion).to.deep.equal(evaluateConfusion(model, training).confusion);
    expect(result.report.quantized).to.deep.equal(referenceTraining);
    expect(result.training.float).to.deep.equal(floatAccuracy(floatModel, training));
    expect(result.test?.float).to.deep.equal(floatAccuracy(floatModel, test));
    // The blobs are separable: a useful model, so the comparison means something.
    expect(referenceTest.correct / referenceTest.total).to.be.greaterThan(0.8);
  });

  it("gives an ONNX export of the same network the same quantized model and scores", async function () {
    const fromJson = await previewModel(input(json, "model.json"), { ort });
    const fromOnnx = await previewModel(input(torchStyleOnnx(floatModel), "model.onnx"), { ort });
    expect(fromOnnx.format).to.equal("onnx");
    expect(Buffer.from(fromOnnx.modelBytes).toString("hex")).to.equal(Buffer.from(fromJson.modelBytes).toString("hex"));
    expect(fromOnnx.test?.quantized.correct).to.equal(fromJson.test?.quantized.correct);
  });

  it("leaves the test score out until the test data is revealed", async function () {
    const result = await previewModel(input(json, "model.json", false), { ort });
    expect(result.test).to.equal(undefined);
  });

  it("rejects every kind of bad file with a sentence that says what is wrong", async function () {
    const reject = async (bytes: Uint8Array, name: string): Promise<Error> => {
      const error = (await expect(previewModel(input(bytes, name), { ort })).to.be.rejected) as Error;
      if (process.env.SHOW_MESSAGES) console.log(name, "→", error.message);
      return error;
    };
    await reject(onnxWithUnsupportedOperator(floatModel), "sigmoid.onnx").then((e: Error) => expect(e.message).to.match(/unsupported operator Sigmoid/));
    const wrongInputs = trainMlp(blobDataset({ seed: 1, classes: C, features: F + 1, perClass: 5, spread: 10 }), { hidden: 4, classes: C, epochs: 1, seed: 1, rate: 0.1 });
    await reject(new TextEncoder().encode(JSON.stringify(wrongInputs)), "wide.json").then((e: Error) => expect(e.message).to.equal("the model takes 4 inputs but the competition's data has 3 features"));
    const wrongOutputs = trainMlp(training, { hidden: 4, classes: C + 2, epochs: 1, seed: 1, rate: 0.1 });
    await reject(torchStyleOnnx(wrongOutputs), "outputs.onnx").then((e: Error) => expect(e.message).to.equal("the model has 5 outputs but the competition has 3 classes"));
    const text = JSON.stringify(floatModel).replace(/-?\d+\.\d+/, "NaN");
    await reject(new TextEncoder().encode(text), "nan.json").then((e: Error) => expect(e.message).to.match(/contains NaN at line 1, column \d+: a weight or bias is not a finite number/));
    const nanOnnx = torchStyleOnnx({ layers: floatModel.layers.map((l, i) => (i === 1 ? { ...l, weights: [[NaN, ...l.weights[0]!.slice(1)], ...l.weights.slice(1)] } : l)) });
    await reject(nanOnnx, "nan.onnx").then((e: Error) => expect(e.message).to.match(/NaN/));
    const withInfinity = { layers: floatModel.layers.map((l, i) => (i === 0 ? { ...l, biases: [1e400, ...l.biases.slice(1)] } : l)) };
    await reject(new TextEncoder().encode(JSON.stringify(withInfinity).replace("null", "1e400")), "inf.json").then((e: Error) => expect(e.message).to.match(/is Infinity; weights and biases must be finite/));
    await reject(new Uint8Array(MAX_MODEL_FILE_BYTES + 1).fill(0x7b), "huge.json").then((e: Error) => expect(e.message).to.match(/limit/));
    await reject(new TextEncoder().encode("this is not a model"), "notes.txt").then((e: Error) => expect(e.message).to.match(/^not an ONNX model/));
    await reject(new Uint8Array(), "empty.onnx").then((e: Error) => expect(e.message).to.match(/empty/));
  });

  it("refuses to preview before the training data is revealed", async function () {
    await expect(previewModel({ ...input(json, "model.json"), trainingPoints: new Uint8Array() }, { ort })).to.be.rejectedWith(/training data is not revealed/);
  });
});

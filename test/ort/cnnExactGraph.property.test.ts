/**
 * The CNN exact ONNX graph (lib/danku/cnn/onnxExport.ts) run by onnxruntime-web (WASM provider) ≡ the reference
 * forward pass (lib/danku/cnn/forward.ts): logits and predictions for every point of ≥ 200 random CNNs.
 * fast-check draws the networks' seeds with a fixed seed; set ORT_PROPERTY_SEED to explore others.
 */
import { expect } from "chai";
import fc from "fast-check";
import { onnx } from "onnx-proto";
import { cnnLogits, cnnPredict } from "../../lib/danku/cnn/forward";
import type { CnnModel } from "../../lib/danku/cnn/model";
import { shapeSize } from "../../lib/danku/cnn/model";
import { buildCnnExactOnnxGraph, CNN_EXACT_GRAPH_OPS } from "../../lib/danku/cnn/onnxExport";
import { CnnModelFormatError } from "../../lib/danku/cnn/encoding";
import { randomCnn, randomImages } from "./cnnSupport";
import { assertProperty, ort } from "./support";

async function runCnnGraph(model: CnnModel, rows: readonly Uint8Array[]): Promise<{ logits: number[][]; predictions: number[] }> {
  const session = await ort.InferenceSession.create(buildCnnExactOnnxGraph(model), { executionProviders: ["wasm"] });
  try {
    const F = shapeSize(model.input);
    const flat = new Uint8Array(rows.length * F);
    rows.forEach((row, r) => flat.set(row, r * F));
    const out = await session.run({ features: new ort.Tensor("uint8", flat, [rows.length, F]) });
    expect(out.logits!.data).to.be.instanceOf(Int32Array);
    const classes = out.logits!.dims[1]!;
    const values = Array.from(out.logits!.data as Int32Array);
    return {
      logits: rows.map((_, r) => values.slice(r * classes, (r + 1) * classes)),
      predictions: Array.from(out.prediction!.data as BigInt64Array, Number),
    };
  } finally {
    await session.release();
  }
}

async function expectCnnExact(model: CnnModel, rows: readonly Uint8Array[], what: string): Promise<void> {
  const run = await runCnnGraph(model, rows);
  rows.forEach((row, p) => {
    expect(run.logits[p], `${what}: logits of point ${p}`).to.deep.equal(cnnLogits(model, row));
    expect(run.predictions[p], `${what}: prediction of point ${p}`).to.equal(cnnPredict(model, row));
  });
}

function describeModel(model: CnnModel): string {
  const { height, width, channels } = model.input;
  return `${height}x${width}x${channels} ` + model.layers.map((l) => (l.kind === "conv2d" ? `conv${l.kernelH}x${l.kernelW}/s${l.strideH}x${l.strideW}/p${l.padH}x${l.padW}→${l.biases.length}>>${l.shift}` : l.kind === "dense" ? `dense→${l.biases.length}>>${l.shift}` : l.kind === "flatten" ? "flatten" : `${l.kind}${l.kernelH}x${l.kernelW}/s${l.strideH}x${l.strideW}`)).join(" ");
}

describe("CNN exact ONNX graph on onnxruntime-web ≡ lib/danku/cnn/forward.ts", function () {
  this.timeout(180_000);

  it("≥ 200 random CNNs × 20 points: logits and predictions equal, every layer kind reached", async function () {
    const kinds = { conv2d: 0, maxpool: 0, avgpool: 0, padded: 0, strided: 0, ties: 0 };
    let networks = 0;
    const property = fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
      const model = randomCnn(seed);
      const rows = randomImages(model, 20, seed ^ 0x5bd1e995);
      await expectCnnExact(model, rows, `seed ${seed}: ${describeModel(model)}`);
      networks++;
      for (const layer of model.layers) {
        if (layer.kind === "conv2d" || layer.kind === "maxpool" || layer.kind === "avgpool") kinds[layer.kind]++;
        if (layer.kind === "conv2d" && layer.padH + layer.padW > 0) kinds.padded++;
        if ((layer.kind === "conv2d" || layer.kind === "maxpool" || layer.kind === "avgpool") && layer.strideH + layer.strideW > 2) kinds.strided++;
      }
      for (const row of rows) {
        const z = cnnLogits(model, row);
        if (z.filter((v) => v === Math.max(...z)).length > 1) kinds.ties++;
      }
    });
    await assertProperty(property, 220);
    expect(networks).to.equal(220);
    console.log(`      ${networks} CNNs: ${JSON.stringify(kinds)}`);
    // The generator must really exercise what the graph could get wrong.
    expect(kinds.conv2d).to.be.greaterThan(100);
    expect(kinds.maxpool).to.be.greaterThan(40);
    expect(kinds.avgpool).to.be.greaterThan(40);
    expect(kinds.padded).to.be.greaterThan(40);
    expect(kinds.strided).to.be.greaterThan(40);
    expect(kinds.ties).to.be.greaterThan(100);
  });

  it("graph structure: opset 13, only the documented ops, uint8 input, int32 logits", function () {
    const model = randomCnn(7);
    const proto = onnx.ModelProto.decode(buildCnnExactOnnxGraph(model));
    expect(proto.opsetImport.map((o) => [o.domain, Number(o.version)])).to.deep.equal([["", 13]]);
    const graph = proto.graph as onnx.GraphProto;
    for (const n of graph.node) expect(CNN_EXACT_GRAPH_OPS as readonly string[]).to.include(n.opType);
    const T = onnx.TensorProto.DataType;
    expect(graph.input.map((i) => [i.name, i.type!.tensorType!.elemType])).to.deep.equal([["features", T.UINT8]]);
    expect(graph.output.map((o) => [o.name, o.type!.tensorType!.elemType])).to.deep.equal([
      ["logits", T.INT32],
      ["prediction", T.INT64],
    ]);
  });

  it("rejects a model the format rejects", function () {
    const model = randomCnn(3);
    expect(() => buildCnnExactOnnxGraph({ ...model, layers: model.layers.slice(0, -1) })).to.throw(CnnModelFormatError);
  });
});

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
import { buildCnnExactOnnxGraph, CNN_EXACT_GRAPH_OPS, CNN_FLOAT_EXACT_GRAPH_OPS, isCnnFloatExact, type CnnExactGraphVariant } from "../../lib/danku/cnn/onnxExport";
import { CnnModelFormatError } from "../../lib/danku/cnn/encoding";
import { randomCnn, randomImages } from "./cnnSupport";
import { assertProperty, ort, seededInts } from "./support";
import { parseOnnxCnnModel } from "../../lib/danku/cnn/onnx";
import { quantizeCnnModel } from "../../lib/danku/cnn/quantize";
import { MAX_BIAS_MAGNITUDE } from "../../lib/danku/constants";
import { lenet, torchCnnOnnx } from "../support/torchCnnOnnx";

async function runCnnGraph(model: CnnModel, rows: readonly Uint8Array[], variant: CnnExactGraphVariant = "integer"): Promise<{ logits: number[][]; predictions: number[] }> {
  const session = await ort.InferenceSession.create(buildCnnExactOnnxGraph(model, variant), { executionProviders: ["wasm"] });
  try {
    const F = shapeSize(model.input);
    const flat = new Uint8Array(rows.length * F);
    rows.forEach((row, r) => flat.set(row, r * F));
    const features = variant === "integer" ? new ort.Tensor("uint8", flat, [rows.length, F]) : new ort.Tensor("float32", Float32Array.from(flat), [rows.length, F]);
    const out = await session.run({ features });
    expect(out.logits!.data).to.be.instanceOf(variant === "integer" ? Int32Array : Float32Array);
    const classes = out.logits!.dims[1]!;
    const values = Array.from(out.logits!.data as Int32Array | Float32Array);
    return {
      logits: rows.map((_, r) => values.slice(r * classes, (r + 1) * classes)),
      predictions: Array.from(out.prediction!.data as BigInt64Array, Number),
    };
  } finally {
    await session.release();
  }
}

async function expectCnnExact(model: CnnModel, rows: readonly Uint8Array[], what: string, variant: CnnExactGraphVariant = "integer"): Promise<void> {
  const run = await runCnnGraph(model, rows, variant);
  rows.forEach((row, p) => {
    expect(run.logits[p], `${what}: ${variant} logits of point ${p}`).to.deep.equal(cnnLogits(model, row));
    expect(run.predictions[p], `${what}: ${variant} prediction of point ${p}`).to.equal(cnnPredict(model, row));
  });
}

/** Both graphs where the float one is provably exact; the integer one always. Returns whether float was checked. */
async function expectBothExact(model: CnnModel, rows: readonly Uint8Array[], what: string): Promise<boolean> {
  await expectCnnExact(model, rows, what);
  if (!isCnnFloatExact(model).exact) {
    expect(() => buildCnnExactOnnxGraph(model, "float-exact")).to.throw(RangeError, /not exact in float32/);
    return false;
  }
  await expectCnnExact(model, rows, what, "float-exact");
  return true;
}

function describeModel(model: CnnModel): string {
  const { height, width, channels } = model.input;
  return `${height}x${width}x${channels} ` + model.layers.map((l) => (l.kind === "conv2d" ? `conv${l.kernelH}x${l.kernelW}/s${l.strideH}x${l.strideW}/p${l.padH}x${l.padW}→${l.biases.length}>>${l.shift}` : l.kind === "dense" ? `dense→${l.biases.length}>>${l.shift}` : l.kind === "flatten" ? "flatten" : `${l.kind}${l.kernelH}x${l.kernelW}/s${l.strideH}x${l.strideW}`)).join(" ");
}

describe("CNN exact ONNX graph on onnxruntime-web ≡ lib/danku/cnn/forward.ts", function () {
  this.timeout(180_000);

  it("≥ 200 random CNNs × 20 points: logits and predictions equal, every layer kind reached", async function () {
    const kinds = { conv2d: 0, maxpool: 0, avgpool: 0, bigAvgpool: 0, padded: 0, strided: 0, ties: 0, floatExact: 0 };
    let networks = 0;
    const property = fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
      const model = randomCnn(seed);
      const rows = randomImages(model, 20, seed ^ 0x5bd1e995);
      if (await expectBothExact(model, rows, `seed ${seed}: ${describeModel(model)}`)) kinds.floatExact++;
      networks++;
      for (const layer of model.layers) {
        if (layer.kind === "conv2d" || layer.kind === "maxpool" || layer.kind === "avgpool") kinds[layer.kind]++;
        if (layer.kind === "conv2d" && layer.padH + layer.padW > 0) kinds.padded++;
        if (layer.kind === "avgpool" && layer.kernelH * layer.kernelW >= 16) kinds.bigAvgpool++;
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
    expect(kinds.floatExact, "networks also checked with the float-exact graph").to.be.greaterThan(40);
    expect(kinds.bigAvgpool).to.be.greaterThan(0); // the dedicated avgpool test below covers large windows thoroughly
    expect(kinds.strided).to.be.greaterThan(40);
    expect(kinds.ties).to.be.greaterThan(100);
  });

  it("a quantized LeNet-5 (28×28×1, imported from a PyTorch-style export) on 64 images", async function () {
    const int = seededInts(77);
    const image = () => Uint8Array.from({ length: 784 }, () => (int(0, 2) === 0 ? 0 : int(0, 255)));
    const calibration = Array.from({ length: 32 }, (_, i) => ({ features: image(), label: i % 10 }));
    const { model } = quantizeCnnModel(parseOnnxCnnModel(torchCnnOnnx(lenet(11))), calibration);
    const rows = Array.from({ length: 64 }, image);
    expect(await expectBothExact(model, rows, "LeNet-5"), "LeNet-5 is float-exact").to.equal(true);
    // Not a degenerate network: its predictions differ between images.
    expect(new Set(rows.map((row) => cnnPredict(model, row))).size).to.be.greaterThan(1);
  });

  it("extremes: an 8×8×16 receptive field of −128 / 127 weights on all-255 inputs with |bias| = 2^30, shifts 31 and 0", async function () {
    const field = (w: number) => Array.from({ length: 8 }, () => Array.from({ length: 8 }, () => new Array<number>(16).fill(w)));
    for (const shift of [31, 24, 0]) {
      const model: CnnModel = {
        input: { height: 8, width: 8, channels: 16 },
        layers: [
          { kind: "conv2d", kernelH: 8, kernelW: 8, strideH: 1, strideW: 1, padH: 0, padW: 0, shift, biases: [MAX_BIAS_MAGNITUDE, -MAX_BIAS_MAGNITUDE, MAX_BIAS_MAGNITUDE], weights: [field(127), field(-128), field(-128)] },
          { kind: "avgpool", kernelH: 1, kernelW: 1, strideH: 1, strideW: 1 },
          { kind: "flatten" },
          { kind: "dense", shift: 0, biases: [MAX_BIAS_MAGNITUDE, -MAX_BIAS_MAGNITUDE], weights: [[127, -128, 127], [-128, 127, -128]] },
        ],
      };
      const rows = [new Uint8Array(1024).fill(255), new Uint8Array(1024), Uint8Array.from({ length: 1024 }, (_, i) => (i % 3 ? 255 : 0))];
      await expectCnnExact(model, rows, `extremes, shift ${shift}`);
    }
  });

  it("avgpool = floor(S / K) exactly for windows up to 8×8, at window sums q·K − 1, q·K and q·K + 1", async function () {
    const int = seededInts(5);
    for (const [kh, kw] of [[8, 8], [7, 7], [6, 7], [5, 3], [3, 3], [2, 1]] as const) {
      const K = kh * kw;
      const C = 16;
      const identity = Array.from({ length: C }, (_, j) => Array.from({ length: C }, (_, i) => (i === j ? 1 : 0)));
      const model: CnnModel = {
        input: { height: kh, width: kw, channels: C },
        layers: [{ kind: "avgpool", kernelH: kh, kernelW: kw, strideH: 1, strideW: 1 }, { kind: "flatten" }, { kind: "dense", shift: 0, biases: new Array<number>(C).fill(0), weights: identity }],
      };
      const rows = Array.from({ length: 24 }, () => {
        // One window sum per channel, spread over the K pixels (each ≤ 255).
        const sums = Array.from({ length: C }, () => Math.min(255 * K, Math.max(0, int(0, 255) * K + int(-1, 1))));
        const row = new Uint8Array(K * C);
        sums.forEach((sum, c) => {
          let left = sum;
          for (let p = 0; p < K; p++) {
            const v = Math.min(255, left);
            row[p * C + c] = v;
            left -= v;
          }
        });
        return row;
      });
      expect(await expectBothExact(model, rows, `avgpool ${kh}×${kw}`)).to.equal(true);
      expect(cnnLogits(model, rows[0]!).every((v) => Number.isInteger(v) && v >= 0 && v <= 255)).to.equal(true);
    }
  });

  it("graph structure: opset 13, only the documented ops, input and logits types per variant", function () {
    const T = onnx.TensorProto.DataType;
    for (const [variant, ops, elem, logits] of [
      ["integer", CNN_EXACT_GRAPH_OPS, T.UINT8, T.INT32],
      ["float-exact", CNN_FLOAT_EXACT_GRAPH_OPS, T.FLOAT, T.FLOAT],
    ] as const) {
      let seed = 1;
      while (!isCnnFloatExact(randomCnn(seed)).exact || !randomCnn(seed).layers.some((l) => l.kind === "avgpool")) seed++;
      const proto = onnx.ModelProto.decode(buildCnnExactOnnxGraph(randomCnn(seed), variant));
      expect(proto.opsetImport.map((o) => [o.domain, Number(o.version)])).to.deep.equal([["", 13]]);
      const graph = proto.graph as onnx.GraphProto;
      for (const n of graph.node) expect(ops as readonly string[], variant).to.include(n.opType);
      expect(graph.input.map((i) => [i.name, i.type!.tensorType!.elemType])).to.deep.equal([["features", elem]]);
      expect(graph.output.map((o) => [o.name, o.type!.tensorType!.elemType])).to.deep.equal([
        ["logits", logits],
        ["prediction", T.INT64],
      ]);
    }
  });

  it("isCnnFloatExact: exact at 2^24, not one past it (then the float graph is refused)", async function () {
    // 1×1×1 input, 1×1 conv weight 127 (bound 255·127), dense picks it up with weight 1 next to a constant output.
    const at = (bias: number): CnnModel => ({
      input: { height: 1, width: 1, channels: 1 },
      layers: [
        { kind: "conv2d", kernelH: 1, kernelW: 1, strideH: 1, strideW: 1, padH: 0, padW: 0, shift: 0, biases: [0], weights: [[[[127]]]] },
        { kind: "flatten" },
        { kind: "dense", shift: 0, biases: [2 ** 24, bias], weights: [[0], [127]] },
      ],
    });
    const limit = at(2 ** 24 - 127 * 255);
    expect(isCnnFloatExact(limit)).to.deep.equal({ exact: true, worstMagnitude: 2 ** 24, worstLayer: 2, limit: 2 ** 24 });
    await expectCnnExact(limit, [Uint8Array.of(2)], "at the limit", "float-exact");
    const past = at(2 ** 24 - 127 * 255 + 1);
    expect(isCnnFloatExact(past)).to.include({ exact: false, worstMagnitude: 2 ** 24 + 1 });
    expect(cnnLogits(past, [255])).to.deep.equal([2 ** 24, 2 ** 24 + 1]);
    expect(() => buildCnnExactOnnxGraph(past, "float-exact")).to.throw(RangeError, /2\^24/);
  });

  it("rejects a model the format rejects", function () {
    const model = randomCnn(3);
    expect(() => buildCnnExactOnnxGraph({ ...model, layers: model.layers.slice(0, -1) })).to.throw(CnnModelFormatError);
  });
});

/**
 * ONNX import of PyTorch-style CNN exports (lib/danku/cnn/onnx.ts): LeNet-5 on 28×28×1 and a 3-channel network,
 * compared with an independent NCHW forward pass (test/support/torchCnnOnnx.ts); then quantized, encoded and sized;
 * and every unsupported construct rejected with a message that names the node and what to do.
 */
import { expect } from "chai";
import { onnx } from "onnx-proto";
import { OnnxImportError } from "../../lib/danku/onnx";
import { parseOnnxCnnModel } from "../../lib/danku/cnn/onnx";
import { floatCnnActivations } from "../../lib/danku/cnn/forward";
import { cnnMacs, cnnWork, CNN_MAX_WORK } from "../../lib/danku/cnn/model";
import { decodeCnnModel, encodeCnnModel } from "../../lib/danku/cnn/encoding";
import { quantizeCnnModel } from "../../lib/danku/cnn/quantize";
import { MAX_MODEL_BYTES } from "../../lib/danku/constants";
import { lenet, torchCnnOnnx, torchForward, type TorchCnn, type TorchModule } from "../support/torchCnnOnnx";
import { seededInts } from "../ort/support";

const A = onnx.AttributeProto.AttributeType;

/** HWC feature bytes → PyTorch's CHW order. */
function toChw(features: ArrayLike<number>, C: number, H: number, W: number): number[] {
  return Array.from({ length: C * H * W }, (_, i) => {
    const c = Math.floor(i / (H * W));
    const rest = i % (H * W);
    return features[rest * C + c] as number;
  });
}

function images(count: number, size: number, seed: number): Uint8Array[] {
  const int = seededInts(seed);
  return Array.from({ length: count }, () => Uint8Array.from({ length: size }, () => (int(0, 2) === 0 ? 0 : int(0, 255))));
}

function expectSameLogits(net: TorchCnn, bytes: Uint8Array, rows: readonly Uint8Array[]) {
  const model = parseOnnxCnnModel(bytes);
  const { channels: C, height: H, width: W } = net.input;
  for (const row of rows) {
    const ours = Array.from(floatCnnActivations(model, row).at(-1) ?? []);
    const theirs = torchForward(net, toChw(row, C, H, W));
    expect(ours.length).to.equal(theirs.length);
    // The file stores float32 weights; the reference uses the doubles they were rounded from.
    ours.forEach((v, j) => expect(v, `logit ${j}`).to.be.closeTo(theirs[j] as number, 1e-4 * Math.max(1, Math.abs(theirs[j] as number))));
  }
  return model;
}

/** Three input channels, stride 2, uneven kernel, two channels at the flatten: the HWC/CHW conversions matter. */
function colorNet(seed: number): TorchCnn {
  const int = seededInts(seed);
  const r = (n: number) => Array.from({ length: n }, () => int(-1000, 1000) / 500);
  return {
    input: { channels: 3, height: 7, width: 6 },
    modules: [
      { type: "conv", out: 4, kernel: [3, 2], stride: [2, 1], padding: [1, 1], weight: r(4 * 3 * 6), bias: r(4) },
      { type: "relu" },
      { type: "maxpool", kernel: [2, 2], stride: [1, 2] },
      { type: "conv", out: 2, kernel: [1, 1], stride: [1, 1], padding: [0, 0], weight: r(2 * 4), bias: r(2) },
      { type: "relu" },
      { type: "flatten" },
      { type: "linear", out: 3, weight: r(3 * 2 * 3 * 3), bias: r(3) },
    ],
  };
}

describe("CNN ONNX import (PyTorch exports)", function () {
  this.timeout(60_000);

  it("LeNet-5 on 28×28×1: layers, logits equal PyTorch's NCHW forward pass, Flatten and Reshape alike", function () {
    const net = lenet(5);
    const rows = images(6, 784, 1);
    const model = expectSameLogits(net, torchCnnOnnx(net), rows);
    expect(model.input).to.deep.equal({ height: 28, width: 28, channels: 1 });
    expect(model.layers.map((l) => l.kind)).to.deep.equal(["conv2d", "maxpool", "conv2d", "avgpool", "flatten", "dense", "dense", "dense"]);
    expect(model.layers[0]).to.include({ kernelH: 5, kernelW: 5, strideH: 1, strideW: 1, padH: 2, padW: 2 });
    const viaReshape = expectSameLogits(net, torchCnnOnnx(net, { flatten: "reshape" }), rows);
    expect(viaReshape).to.deep.equal(model);
    // Hand-computed sizes (docs/cnn.md §3): 28·28·6·25 + 10·10·16·150 + 400·120 + 120·84 + 84·10 MACs.
    expect(cnnMacs(model.input, model.layers)).to.equal(117_600 + 240_000 + 48_000 + 10_080 + 840);
    // Work units by hand (docs/cnn.md §3's weights): 15,000 per layer; conv/dense 250 per output row, per position
    // 500 + per group (600 + per kernel row (400 + 48 per lane word)), expansion per group 400 + 240 per record;
    // pools per position 160 + per value (210 + per window row (100 + 100 per byte)). Groups: 6 → 1, 16 → 2, 120 → 15,
    // 84 → 11, 10 → 2.
    const conv1 = 15_000 + 28 * 250 + 784 * (500 + 600 + 5 * (400 + 5 * 48)) + (400 + 25 * 240);
    const pool1 = 15_000 + 196 * (160 + 6 * (210 + 2 * (100 + 2 * 100)));
    const conv2 = 15_000 + 10 * 250 + 100 * (500 + 2 * (600 + 5 * (400 + 5 * 6 * 48))) + 2 * (400 + 150 * 240);
    const pool2 = 15_000 + 25 * (160 + 16 * (210 + 2 * (100 + 2 * 100)));
    const dense = (inputs: number, groups: number) => 15_000 + 250 + 500 + groups * (600 + 400 + inputs * 48) + groups * (400 + inputs * 240);
    expect(cnnWork(model.input, model.layers)).to.equal(conv1 + pool1 + conv2 + pool2 + 15_000 + dense(400, 15) + dense(120, 11) + dense(84, 2));
    expect(cnnWork(model.input, model.layers)).to.equal(9_099_814);
    expect(cnnWork(model.input, model.layers)).to.be.lessThan(CNN_MAX_WORK);
  });

  it("LeNet-5 quantizes, encodes to 63,576 bytes (< MAX_MODEL_BYTES) and decodes to the same model", function () {
    const net = lenet(5);
    const model = parseOnnxCnnModel(torchCnnOnnx(net));
    const calibration = images(40, 784, 2).map((features, i) => ({ features, label: i % 10 }));
    const { model: quantized, report } = quantizeCnnModel(model, calibration, { competition: { featureCount: 784, classCount: 10 } });
    expect(report.layers.map((l) => l.kind)).to.deep.equal(model.layers.map((l) => l.kind));
    expect(report.agreement, "float and quantized predictions agree").to.be.greaterThanOrEqual(0.95);
    console.log(`      LeNet-5 quantized: shifts ${report.layers.map((l) => l.shift).join("/")}, agreement with float ${report.agreement} on ${calibration.length} images`);
    const bytes = encodeCnnModel(quantized);
    // 8 header + 8·10 descriptors + (24 + 200) + (64 + 2,400) + (480 + 48,000) + (336 + 10,560) + (40 + 1,344).
    expect(bytes.length).to.equal(88 + 224 + 2_464 + 48_480 + 10_896 + 1_384);
    expect(bytes.length).to.be.lessThanOrEqual(MAX_MODEL_BYTES);
    expect(decodeCnnModel(bytes, { featureCount: 784, classCount: 10 })).to.deep.equal(quantized);
  });

  it("three input channels: the HWC features and the CHW flatten are converted correctly", function () {
    const net = colorNet(3);
    const model = expectSameLogits(net, torchCnnOnnx(net), images(8, 7 * 6 * 3, 4));
    expect(model.input).to.deep.equal({ height: 7, width: 6, channels: 3 });
  });

  it("Conv → MaxPool → Relu (F.relu(F.max_pool2d(conv(x), 2))) imports as conv2d then maxpool, same logits", function () {
    const net = colorNet(3);
    const swapped: TorchCnn = { ...net, modules: [net.modules[0]!, net.modules[2]!, net.modules[1]!, ...net.modules.slice(3)] };
    const model = expectSameLogits(swapped, torchCnnOnnx(swapped), images(8, 7 * 6 * 3, 5));
    expect(model).to.deep.equal(parseOnnxCnnModel(torchCnnOnnx(net)));
  });

  describe("rejects what the format cannot express, naming the node", function () {
    const base = colorNet(9);
    const withModule = (i: number, change: (m: TorchModule) => TorchModule): TorchCnn => ({ ...base, modules: base.modules.map((m, k) => (k === i ? change(m) : m)) });
    const graphOf = (proto: onnx.ModelProto) => proto.graph as onnx.GraphProto;
    const patchNode = (bytes: Uint8Array, op: string, patch: (n: onnx.NodeProto) => void): Uint8Array => {
      const proto = onnx.ModelProto.decode(bytes);
      const node = graphOf(proto).node.find((n) => n.opType === op) as onnx.NodeProto;
      patch(node);
      return onnx.ModelProto.encode(proto).finish();
    };
    const cases: [string, () => Uint8Array, RegExp][] = [
      ["a Conv without Relu", () => torchCnnOnnx({ ...base, modules: base.modules.filter((_, k) => k !== 4) }), /"\/4\/Flatten".*follows a Conv without a Relu.*nn\.ReLU\(\)/],
      ["Conv → AveragePool → Relu", () => torchCnnOnnx({ ...base, modules: [base.modules[0]!, { type: "avgpool", kernel: [2, 2], stride: [1, 1] }, { type: "relu" }, ...base.modules.slice(3)] }), /"\/1\/AveragePool".*averaging does not commute/],
      ["a grouped convolution", () => patchNode(torchCnnOnnx(base), "Conv", (n) => n.attribute.find((a) => a.name === "group")!.i = 2), /"\/0\/Conv".*group 1/],
      ["a dilated convolution", () => patchNode(torchCnnOnnx(base), "Conv", (n) => (n.attribute.find((a) => a.name === "dilations")!.ints = [2, 2])), /"\/0\/Conv".*dilation/],
      ["uneven padding", () => patchNode(torchCnnOnnx(base), "Conv", (n) => (n.attribute.find((a) => a.name === "pads")!.ints = [1, 1, 0, 1])), /"\/0\/Conv".*unevenly/],
      ["a padded pool", () => patchNode(torchCnnOnnx(base), "MaxPool", (n) => (n.attribute.find((a) => a.name === "pads")!.ints = [1, 1, 1, 1])), /"\/2\/MaxPool".*must not pad/],
      ["ceil_mode", () => patchNode(torchCnnOnnx(base), "MaxPool", (n) => (n.attribute.find((a) => a.name === "ceil_mode")!.i = 1)), /ceil_mode=False/],
      ["an unsupported operator", () => torchCnnOnnx(base, { extraNode: { opType: "Sigmoid", name: "/s/Sigmoid" } }), /unsupported operator Sigmoid in node "\/s\/Sigmoid".*Conv\+Relu/],
      ["a dense layer on an image", () => torchCnnOnnx({ ...base, modules: base.modules.filter((m) => m.type !== "flatten") }), /"\/5\/Gemm".*put a Flatten/],
      ["a computed reshape", () => patchNode(torchCnnOnnx(base, { flatten: "reshape" }), "Reshape", (n) => (n.input[1] = "computed")), /torch\.flatten\(x, 1\)/],
      ["a final Relu", () => torchCnnOnnx({ ...base, modules: [...base.modules, { type: "relu" }] }), /ends with Relu/],
      ["a stride over the limit", () => patchNode(torchCnnOnnx(base), "MaxPool", (n) => (n.attribute.find((a) => a.name === "strides")!.ints = [9, 1])), /"\/2\/MaxPool" \(MaxPool\) has stride 9×1; the format allows 1\.\.8/],
      ["a window that does not fit", () => torchCnnOnnx(withModule(2, () => ({ type: "maxpool", kernel: [8, 2], stride: [1, 1] }))), /"\/2\/MaxPool".*8×2 window does not fit the 4×7 input/],
      ["a 3-D input", () => {
        const proto = onnx.ModelProto.decode(torchCnnOnnx(base));
        graphOf(proto).input[0]!.type!.tensorType!.shape!.dim!.pop();
        return onnx.ModelProto.encode(proto).finish();
      }, /\[N, C, H, W\]/],
    ];
    for (const [what, make, message] of cases) {
      it(what, function () {
        expect(() => parseOnnxCnnModel(make())).to.throw(OnnxImportError, message);
      });
    }
    it("a reshape to another shape", function () {
      const proto = onnx.ModelProto.decode(torchCnnOnnx(base, { flatten: "reshape" }));
      const init = graphOf(proto).initializer.find((t) => t.name?.includes("Constant")) as onnx.TensorProto;
      new DataView(init.rawData.buffer, init.rawData.byteOffset).setBigInt64(8, 5n, true);
      expect(() => parseOnnxCnnModel(onnx.ModelProto.encode(proto).finish())).to.throw(OnnxImportError, /reshapes to \[-1, 5\]; only \[N, 18\]/);
    });
    it("an attribute type mix-up still names the node", function () {
      const bytes = patchNode(torchCnnOnnx(base), "Conv", (n) => n.attribute.push({ name: "auto_pad", type: A.STRING, s: new TextEncoder().encode("SAME_UPPER") }));
      expect(() => parseOnnxCnnModel(bytes)).to.throw(OnnxImportError, /"\/0\/Conv" \(Conv\) uses auto_pad SAME_UPPER/);
    });
  });
});

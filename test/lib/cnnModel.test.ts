/**
 * Convolutional models (lib/danku/cnn): the v2 byte format (round trip and every defect with its index), the
 * reference forward pass against hand-computed cases, and the quantizer's exponents and shifts.
 */
import { expect } from "chai";
import { MAX_BIAS_MAGNITUDE, MAX_MODEL_BYTES } from "../../lib/danku/constants";
import { CNN_MODEL_DEFECTS, CnnModelFormatError, decodeCnnModel, encodeCnnModel, validateCnnModel, type CnnModelDefect } from "../../lib/danku/cnn/encoding";
import { cnnLogits, cnnPredict, evaluateCnnAccuracy } from "../../lib/danku/cnn/forward";
import { cnnWork, type CnnLayer, type CnnModel } from "../../lib/danku/cnn/model";
import { quantizeCnnModel } from "../../lib/danku/cnn/quantize";
import { randomCnn, randomImages } from "../ort/cnnSupport";
import { seededInts } from "../ort/support";

const conv = (kernelH: number, kernelW: number, weights: number[][][][], biases: number[], extra: Partial<CnnLayer> = {}): CnnLayer =>
  ({ kind: "conv2d", kernelH, kernelW, strideH: 1, strideW: 1, padH: 0, padW: 0, shift: 0, biases, weights, ...extra }) as CnnLayer;
const dense = (weights: number[][], biases: number[], shift = 0): CnnLayer => ({ kind: "dense", shift, biases, weights });
const flatten: CnnLayer = { kind: "flatten" };

/** 3×3×1 → conv 2×2 (weights 1 2 / 3 4, bias −10, shift 1) → pool 2×2 → flatten → dense 1→2. */
function small(pool: "maxpool" | "avgpool" = "maxpool"): CnnModel {
  return {
    input: { height: 3, width: 3, channels: 1 },
    layers: [
      conv(2, 2, [[[[1], [2]], [[3], [4]]]], [-10], { shift: 1 }),
      { kind: pool, kernelH: 2, kernelW: 2, strideH: 1, strideW: 1 },
      flatten,
      dense([[1], [-1]], [0, 40]),
    ],
  };
}

function expectDefect(run: () => unknown, defect: CnnModelDefect, index: number): void {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(CnnModelFormatError);
    const e = error as CnnModelFormatError;
    expect([e.defect, e.index], e.message).to.deep.equal([defect, index]);
    return;
  }
  expect.fail(`expected ${defect}`);
}

describe("CNN model format v2", function () {
  it("round-trips 300 random CNNs and LeNet-sized layouts byte for byte", function () {
    for (let seed = 1; seed <= 300; seed++) {
      const model = randomCnn(seed);
      const bytes = encodeCnnModel(model);
      const back = decodeCnnModel(bytes);
      expect(back, `seed ${seed}`).to.deep.equal(model);
      expect(encodeCnnModel(back)).to.deep.equal(bytes);
    }
  });

  it("lays the small model out as docs/cnn.md §2 says", function () {
    const bytes = encodeCnnModel(small());
    expect(bytes.length).to.equal(100);
    expect(Array.from(bytes.subarray(0, 8))).to.deep.equal([2, 4, 0, 3, 0, 3, 0, 1]);
    expect(Array.from(bytes.subarray(8, 18))).to.deep.equal([1, 2, 2, 1, 1, 0, 0, 1, 0, 1]); // conv descriptor
    expect(Array.from(bytes.subarray(18, 28))).to.deep.equal([2, 2, 2, 1, 1, 0, 0, 0, 0, 0]); // maxpool
    expect(Array.from(bytes.subarray(28, 38))).to.deep.equal([4, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // flatten
    expect(Array.from(bytes.subarray(38, 48))).to.deep.equal([5, 0, 0, 0, 0, 0, 0, 0, 0, 2]); // dense, 2 outputs
    expect(Array.from(bytes.subarray(48, 52))).to.deep.equal([0xff, 0xff, 0xff, 0xf6]); // bias −10
    // Record (g = 0, i = (ky, kx, ci)): lane 0 the weight + 128, lanes 1–7 padding 128.
    expect(Array.from(bytes.subarray(52, 60))).to.deep.equal([129, 128, 128, 128, 128, 128, 128, 128]);
    expect(bytes[60 + 0]).to.equal(130);
    expect(bytes[68]).to.equal(131);
    expect(bytes[76]).to.equal(132);
    expect(Array.from(bytes.subarray(84, 92))).to.deep.equal([0, 0, 0, 0, 0, 0, 0, 40]);
    expect(Array.from(bytes.subarray(92, 100))).to.deep.equal([129, 127, 128, 128, 128, 128, 128, 128]);
  });

  describe("rejects every defect with its reason and index (docs/cnn.md §3)", function () {
    const good = () => encodeCnnModel(small());
    const mutate = (change: (b: Uint8Array, v: DataView) => void, bytes = good()) => {
      change(bytes, new DataView(bytes.buffer));
      return bytes;
    };
    const cases: [CnnModelDefect, number, () => unknown][] = [
      ["TooShort", 5, () => decodeCnnModel(good().subarray(0, 5))],
      ["TooShort", 30, () => decodeCnnModel(good().subarray(0, 30))],
      ["TooLarge", MAX_MODEL_BYTES + 1, () => decodeCnnModel(new Uint8Array(MAX_MODEL_BYTES + 1).fill(2))],
      ["Version", 1, () => decodeCnnModel(mutate((b) => (b[0] = 1)))],
      ["LayerCount", 1, () => decodeCnnModel(mutate((b) => (b[1] = 1)))],
      ["LayerCount", 17, () => decodeCnnModel(mutate((b) => (b[1] = 17)))],
      ["InputShape", 0, () => decodeCnnModel(mutate((_, v) => v.setUint16(2, 0)))],
      ["InputShape", 2, () => decodeCnnModel(mutate((_, v) => v.setUint16(6, 65)))],
      ["InputFeatures", 40 * 40, () => decodeCnnModel(mutate((_, v) => (v.setUint16(2, 40), v.setUint16(4, 40))))],
      ["InputFeatures", 9, () => decodeCnnModel(good(), { featureCount: 10, classCount: 2 })],
      ["Kind", 0, () => decodeCnnModel(mutate((b) => (b[8] = 9)))],
      ["Order", 1, () => decodeCnnModel(mutate((b) => (b[18] = 5)))],
      ["Order", 2, () => decodeCnnModel(mutate((b) => (b[28] = 5)))],
      ["Order", 3, () => validateCnnModel({ ...small(), layers: [...small().layers.slice(0, 3), { kind: "maxpool", kernelH: 1, kernelW: 1, strideH: 1, strideW: 1 }] })],
      ["Order", 3, () => validateCnnModel({ ...small(), layers: [...small().layers.slice(0, 3), flatten] })],
      ["UnusedField", 1, () => decodeCnnModel(mutate((b) => (b[18 + 7] = 3)))],
      ["UnusedField", 2, () => decodeCnnModel(mutate((b) => (b[28 + 1] = 1)))],
      ["UnusedField", 3, () => decodeCnnModel(mutate((b) => (b[38 + 5] = 1)))],
      ["Kernel", 0, () => decodeCnnModel(mutate((b) => (b[9] = 9)))],
      ["Kernel", 1, () => decodeCnnModel(mutate((b) => (b[20] = 0)))],
      ["Stride", 0, () => decodeCnnModel(mutate((b) => (b[11] = 0)))],
      ["Stride", 1, () => decodeCnnModel(mutate((b) => (b[22] = 9)))],
      ["Padding", 0, () => decodeCnnModel(mutate((b) => (b[13] = 2)))],
      ["Channels", 0, () => decodeCnnModel(mutate((_, v) => v.setUint16(16, 0)))],
      ["Channels", 0, () => decodeCnnModel(mutate((_, v) => v.setUint16(16, 65)))],
      ["Channels", 3, () => decodeCnnModel(mutate((_, v) => v.setUint16(46, 1025)))],
      ["Shift", 0, () => decodeCnnModel(mutate((b) => (b[15] = 32)))],
      ["OutputShift", 3, () => decodeCnnModel(mutate((b) => (b[45] = 1)))],
      ["EmptyOutput", 1, () => decodeCnnModel(mutate((b) => (b[19] = 3)))],
      ["Activations", 0, () => validateCnnModel({ input: { height: 32, width: 32, channels: 1 }, layers: [conv(1, 1, Array.from({ length: 9 }, () => [[[1]]]), new Array<number>(9).fill(0)), flatten, dense([new Array<number>(9216).fill(0), new Array<number>(9216).fill(0)], [0, 0])] })],
      ["OutputWidth", 1, () => decodeCnnModel(mutate((_, v) => v.setUint16(46, 1)))],
      ["OutputWidth", 2, () => decodeCnnModel(good(), { featureCount: 9, classCount: 3 })],
      ["Length", 100, () => decodeCnnModel(Uint8Array.from([...good(), 0]))],
      ["Bias", 48, () => decodeCnnModel(mutate((_, v) => v.setInt32(48, MAX_BIAS_MAGNITUDE + 1)))],
      ["Bias", 88, () => validateCnnModel({ ...small(), layers: [...small().layers.slice(0, 3), dense([[1], [-1]], [0, -MAX_BIAS_MAGNITUDE - 1])] })],
      ["PaddingLane", 60, () => decodeCnnModel(mutate((b) => (b[60 + 5] = 0)))],
      ["PaddingLane", 92, () => decodeCnnModel(mutate((b) => (b[94] = 129)))],
      ["Structure", 0, () => validateCnnModel({ ...small(), layers: [conv(2, 2, [[[[1], [2]], [[3]]]], [-10], { shift: 1 }), ...small().layers.slice(1)] })],
      ["Weight", 3, () => validateCnnModel({ ...small(), layers: [...small().layers.slice(0, 3), dense([[128], [-1]], [0, 0])] })],
    ];
    for (const [defect, index, run] of cases) it(`${defect} (${index})`, () => expectDefect(run, defect, index));

    it("Work: over the per-point budget", function () {
      const c8 = (ci: number, out: number) => conv(8, 8, Array.from({ length: out }, () => Array.from({ length: 8 }, () => Array.from({ length: 8 }, () => new Array<number>(ci).fill(1)))), new Array<number>(out).fill(0));
      const model: CnnModel = { input: { height: 32, width: 32, channels: 1 }, layers: [c8(1, 8), c8(8, 8), flatten, dense([new Array<number>(18 * 18 * 8).fill(0), new Array<number>(18 * 18 * 8).fill(0)], [0, 0])] };
      // CNN_WORK_WEIGHTS by hand: per layer 15,000; conv/dense: 250 per output row, 500 per position, per position and
      // group 600 + 400 per kernel row + 48 per lane word, expansion 400 per group + 240 per weight record.
      const conv1 = 15_000 + 25 * 250 + 625 * (500 + 600 + 8 * (400 + 8 * 48)) + (400 + 64 * 240);
      const conv2 = 15_000 + 18 * 250 + 324 * (500 + 600 + 8 * (400 + 8 * 8 * 48)) + (400 + 512 * 240);
      const dense2 = 15_000 + 250 + 500 + 600 + 400 + 2592 * 48 + (400 + 2592 * 240);
      const work = conv1 + conv2 + 15_000 + dense2;
      expect(work).to.equal(14_921_760);
      expect(cnnWork(model.input, model.layers)).to.equal(work);
      expectDefect(() => validateCnnModel(model), "Work", work);
    });

    it("lists the defects in code order", function () {
      expect(CNN_MODEL_DEFECTS.indexOf("TooShort")).to.equal(0);
      expect(CNN_MODEL_DEFECTS.indexOf("TooLarge")).to.equal(21);
      expect(new Set(cases.map(([d]) => d)).size + 1).to.equal(CNN_MODEL_DEFECTS.length);
    });
  });
});

describe("CNN reference forward pass (hand-computed)", function () {
  it("conv (shift 1) → maxpool → dense; and the same with avgpool = floor(sum / 4)", function () {
    const image = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    // Conv outputs: (37, 47, 67, 77) − 10 = (27, 37, 57, 67) → >> 1 → (13, 18, 28, 33).
    expect(cnnLogits(small("maxpool"), image)).to.deep.equal([33, 40 - 33]);
    expect(cnnLogits(small("avgpool"), image)).to.deep.equal([23, 40 - 23]); // floor(92 / 4)
    expect(cnnPredict(small("avgpool"), image)).to.equal(0);
    expect(evaluateCnnAccuracy(small(), [{ features: image, label: 0 }, { features: image, label: 1 }])).to.deep.equal({ correct: 1, total: 2 });
  });

  it("zero padding, saturation at 255, strides, HWC channel order, ties to the lowest index", function () {
    const pad = (w: number): CnnModel => ({
      input: { height: 1, width: 1, channels: 1 },
      layers: [conv(3, 3, [[[[1], [1], [1]], [[1], [w], [1]], [[1], [1], [1]]]], [0], { padH: 1, padW: 1 }), flatten, dense([[1], [0]], [0, 0])],
    });
    expect(cnnLogits(pad(2), [10])).to.deep.equal([20, 0]); // only the centre sees a real input
    expect(cnnLogits(pad(127), [10])).to.deep.equal([255, 0]); // 1270 saturates
    const strided: CnnModel = {
      input: { height: 1, width: 5, channels: 1 },
      layers: [conv(1, 2, [[[[1], [1]]]], [0], { strideW: 2 }), flatten, dense([[1, 0], [0, 1]], [0, 0])],
    };
    expect(cnnLogits(strided, [1, 2, 3, 4, 5])).to.deep.equal([3, 7]);
    // H = 1, W = 2, C = 2: features (x0c0, x0c1, x1c0, x1c1) = (1, 2, 3, 4); 1×1 conv weights (5, 7).
    const hwc = (rows: number[][]): CnnModel => ({
      input: { height: 1, width: 2, channels: 2 },
      layers: [conv(1, 1, [[[[5, 7]]]], [0]), flatten, dense(rows, [0, 0])],
    });
    expect(cnnLogits(hwc([[1, 0], [0, 1]]), [1, 2, 3, 4])).to.deep.equal([19, 43]);
    expect(cnnPredict(hwc([[1, 0], [0, 1]]), [1, 2, 3, 4])).to.equal(1);
    expect(cnnPredict(hwc([[1, 0], [1, 0]]), [1, 2, 3, 4])).to.equal(0);
    // A negative pre-activation is 0 after ReLU.
    expect(cnnLogits({ ...hwc([[1, 0], [0, 1]]), layers: [conv(1, 1, [[[[-5, 7]]]], [-100]), flatten, dense([[1, 0], [0, 1]], [0, 0])] }, [1, 2, 3, 4])).to.deep.equal([0, 0]);
  });
});

describe("CNN quantizer", function () {
  it("picks the dense quantizer's exponents: e = 7, c = 5, shift 2 for the conv; pools keep the scale", function () {
    const floatModel: CnnModel = {
      input: { height: 2, width: 2, channels: 1 },
      layers: [
        conv(2, 2, [[[[0.5], [-0.25]], [[0.125], [0]]]], [1]),
        { kind: "maxpool", kernelH: 1, kernelW: 1, strideH: 1, strideW: 1 },
        flatten,
        dense([[1], [-1]], [0, 0]),
      ],
    };
    const image = [10, 20, 30, 40];
    const { model, report } = quantizeCnnModel(floatModel, [{ features: image, label: 0 }]);
    // z = 5 − 5 + 3.75 + 1 = 4.75; 4.75·2^5 = 152 ≤ 255 < 4.75·2^6.
    expect(model.layers[0]).to.deep.include({ shift: 2, biases: [128], weights: [[[[64], [-32]], [[16], [0]]]] });
    expect(report.layers.map((l) => [l.kind, l.weightExponent, l.inputExponent, l.outputExponent, l.shift])).to.deep.equal([
      ["conv2d", 7, 0, 5, 2],
      ["maxpool", undefined, 5, 5, 0],
      ["flatten", undefined, 5, 5, 0],
      ["dense", 6, 5, undefined, 0],
    ]);
    // 64·10 − 32·20 + 16·30 + 128 = 608 → 152 → logits ±152·64.
    expect(cnnLogits(model, image)).to.deep.equal([9728, -9728]);
    expect(report).to.deep.include({ float: { correct: 1, total: 1 }, quantized: { correct: 1, total: 1 }, agreement: 1 });
  });

  it("60 random float CNNs: valid output, shift = e + c_in − c_out within 0..31, scales carried through pools", function () {
    let agreeing = 0;
    let points = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const base = randomCnn(seed);
      const int = seededInts(seed);
      // A float model: the random integer network with weights and biases scaled by arbitrary powers and noise.
      const scale = 2 ** int(-12, 4) * (1 + int(0, 99) / 100);
      const floatLayers: CnnLayer[] = base.layers.map((layer) => {
        if (layer.kind === "conv2d") return { ...layer, biases: layer.biases.map((b) => (b / 2 ** 20) * scale), weights: layer.weights.map((k) => k.map((r) => r.map((c) => c.map((w) => w * scale)))) };
        if (layer.kind === "dense") return { ...layer, biases: layer.biases.map((b) => (b / 2 ** 20) * scale), weights: layer.weights.map((r) => r.map((w) => w * scale)) };
        return layer;
      });
      const floatModel: CnnModel = { input: base.input, layers: floatLayers };
      const calibration = randomImages(base, 12, seed).map((features, i) => ({ features, label: i % 2 }));
      const { model, report } = quantizeCnnModel(floatModel, calibration);
      expect(decodeCnnModel(encodeCnnModel(model))).to.deep.equal(model);
      report.layers.forEach((l, i) => {
        expect(l.shift, `seed ${seed} layer ${i}`).to.be.within(0, 31);
        if (l.weightExponent !== undefined && l.outputExponent !== undefined) expect(l.shift).to.equal(l.weightExponent + l.inputExponent - l.outputExponent);
        if (l.weightExponent === undefined) expect(l.outputExponent).to.equal(l.inputExponent);
        if (i > 0) expect(l.inputExponent).to.equal(report.layers[i - 1]!.outputExponent);
      });
      agreeing += Math.round(report.agreement * calibration.length);
      points += calibration.length;
    }
    console.log(`      float vs quantized predictions agree on ${agreeing}/${points} calibration points`);
    expect(agreeing / points).to.be.greaterThan(0.7);
  });

  it("refuses a model that does not fit the competition", function () {
    const floatModel = small();
    expect(() => quantizeCnnModel(floatModel, [{ features: [1, 2, 3, 4, 5, 6, 7, 8, 9], label: 0 }], { competition: { featureCount: 9, classCount: 3 } })).to.throw(CnnModelFormatError, /OutputWidth/);
    expect(() => quantizeCnnModel(floatModel, [])).to.throw(RangeError, /calibration/);
  });
});

/**
 * DankuCnnEvaluator (contracts/danku/DankuCnnEvaluator.sol) against lib/danku/cnn/: every validation defect with the
 * reference's reason and index, hand-made and quantized networks predicting like cnnPredict, the limits mirrored, and
 * the gas of the one-point forward pass a dispute runs (model read from its data contracts, point from calldata) for
 * LeNet-5 and for the most expensive models the work bound admits — each must fit one 16,777,216-gas transaction.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { decodeFunctionResult, encodeFunctionData, toHex, type Address } from "viem";
import { CNN_MODEL_DEFECTS, CnnModelFormatError, descriptorOf, encodeCnnModel, type CnnModelDefect } from "../../lib/danku/cnn/encoding";
import { cnnPredict } from "../../lib/danku/cnn/forward";
import {
  CNN_MAX_ACTIVATIONS,
  CNN_MAX_CHANNELS,
  CNN_MAX_DENSE_WIDTH,
  CNN_MAX_KERNEL,
  CNN_MAX_LAYERS,
  CNN_MAX_SIDE,
  CNN_MAX_STRIDE,
  CNN_MAX_WORK,
  CNN_MODEL_FORMAT_VERSION,
  cnnMacs,
  cnnWork,
  shapeSize,
  type CnnLayer,
  type CnnModel,
  type ImageShape,
} from "../../lib/danku/cnn/model";
import { parseOnnxCnnModel } from "../../lib/danku/cnn/onnx";
import { quantizeCnnModel } from "../../lib/danku/cnn/quantize";
import { MAX_MODEL_BYTES } from "../../lib/danku/constants";
import { randomCnn } from "../ort/cnnSupport";
import { seededInts } from "../ort/support";
import { lenet, torchCnnOnnx } from "../support/torchCnnOnnx";
import { chainVerdict, cnnEvaluatorHarnessAbi, deployCnnHarness, referenceVerdict, type CnnHarness } from "./cnnHarness";
import { receipt, type Env } from "./fixtures";

/** EIP-7825's per-transaction gas cap (osaka). */
const TX_GAS_CAP = 16_777_216n;

const conv = (kernelH: number, kernelW: number, weights: number[][][][], biases: number[], extra: Partial<CnnLayer> = {}): CnnLayer =>
  ({ kind: "conv2d", kernelH, kernelW, strideH: 1, strideW: 1, padH: 0, padW: 0, shift: 0, biases, weights, ...extra }) as CnnLayer;

/** 3×3×1 → conv 2×2 (shift 1) → maxpool 2×2 → flatten → dense 1→2: 100 bytes, docs/cnn.md §2's example. */
const SMALL: CnnModel = {
  input: { height: 3, width: 3, channels: 1 },
  layers: [
    conv(2, 2, [[[[1], [2]], [[3], [4]]]], [-10], { shift: 1 }),
    { kind: "maxpool", kernelH: 2, kernelW: 2, strideH: 1, strideW: 1 },
    { kind: "flatten" },
    { kind: "dense", shift: 0, biases: [0, 40], weights: [[1], [-1]] },
  ],
};

/** Header and descriptor bytes only (what the descriptor-phase checks read), as [kind, kh, kw, sh, sw, ph, pw, shift, out]. */
function descriptorsOnly(input: ImageShape, layers: readonly (readonly number[])[]): Uint8Array {
  const out = new Uint8Array(8 + 10 * layers.length);
  const view = new DataView(out.buffer);
  out[0] = CNN_MODEL_FORMAT_VERSION;
  out[1] = layers.length;
  view.setUint16(2, input.height);
  view.setUint16(4, input.width);
  view.setUint16(6, input.channels);
  layers.forEach((d, l) => {
    out.set(d.slice(0, 8), 8 + 10 * l);
    view.setUint16(8 + 10 * l + 8, d[8] as number);
  });
  return out;
}

function patched(bytes: Uint8Array, changes: readonly [number, number][]): Uint8Array {
  const out = bytes.slice();
  for (const [at, value] of changes) out[at] = value;
  return out;
}

/** A random model with these shapes (weights −128..127, small biases, shift 8 on hidden layers). */
function withRandomWeights(input: ImageShape, plan: readonly (CnnLayer | { kind: "conv2d" | "dense"; out: number; k?: number | readonly [number, number]; pad?: number })[], seed: number): CnnModel {
  const int = seededInts(seed);
  const layers: CnnLayer[] = [];
  let shape = input;
  plan.forEach((p, l) => {
    const isLast = l === plan.length - 1;
    if ("out" in p && p.kind === "conv2d") {
      const [kh, kw] = typeof p.k === "object" ? p.k : [p.k ?? 1, p.k ?? 1];
      const pad = p.pad ?? 0;
      layers.push(
        conv(kh, kw, Array.from({ length: p.out }, () => Array.from({ length: kh }, () => Array.from({ length: kw }, () => Array.from({ length: shape.channels }, () => int(-128, 127))))), Array.from({ length: p.out }, () => int(-2000, 2000)), { shift: 8, padH: pad, padW: pad }),
      );
      shape = { height: shape.height + 2 * pad - kh + 1, width: shape.width + 2 * pad - kw + 1, channels: p.out };
    } else if ("out" in p) {
      const n = shapeSize(shape);
      layers.push({ kind: "dense", shift: isLast ? 0 : 8, biases: Array.from({ length: p.out }, () => int(-2000, 2000)), weights: Array.from({ length: p.out }, () => Array.from({ length: n }, () => int(-128, 127))) });
      shape = { height: 1, width: 1, channels: p.out };
    } else {
      layers.push(p);
      if (p.kind === "flatten") shape = { height: 1, width: 1, channels: shapeSize(shape) };
      else if (p.kind === "maxpool" || p.kind === "avgpool") shape = { height: Math.floor((shape.height - p.kernelH) / p.strideH) + 1, width: Math.floor((shape.width - p.kernelW) / p.strideW) + 1, channels: shape.channels };
    }
  });
  return { input, layers };
}

function images(model: CnnModel, count: number, seed: number): Uint8Array[] {
  const int = seededInts(seed);
  return Array.from({ length: count }, () => Uint8Array.from({ length: shapeSize(model.input) }, () => (int(0, 2) === 0 ? 0 : int(0, 255))));
}

function classesOf(model: CnnModel): number {
  const last = model.layers[model.layers.length - 1];
  return last?.kind === "dense" ? last.biases.length : 0;
}

async function storeModel(env: Env, harness: CnnHarness, bytes: Uint8Array): Promise<readonly Address[]> {
  const { result } = await harness.simulate.store([toHex(bytes)]);
  await receipt(env, harness.write.store([toHex(bytes)]));
  return result;
}

/** Gas of a transaction that runs the dispute's forward pass: model from its data contracts, one point in calldata. */
async function disputeGas(env: Env, harness: CnnHarness, chunks: readonly Address[], point: Uint8Array, classes: number): Promise<bigint> {
  const data = encodeFunctionData({ abi: cnnEvaluatorHarnessAbi, functionName: "predictStored", args: [chunks, toHex(point), BigInt(classes)] });
  return env.publicClient.estimateGas({ to: harness.address, data });
}

/** measureStored as a call limited to the transaction cap: [prediction, forward-pass gas]. */
async function measure(env: Env, harness: CnnHarness, chunks: readonly Address[], point: Uint8Array, classes: number): Promise<readonly [bigint, bigint]> {
  const data = encodeFunctionData({ abi: cnnEvaluatorHarnessAbi, functionName: "measureStored", args: [chunks, toHex(point), BigInt(classes)] });
  const { data: result } = await env.publicClient.call({ to: harness.address, data, gas: TX_GAS_CAP });
  if (!result) throw new Error("measureStored returned nothing");
  return decodeFunctionResult({ abi: cnnEvaluatorHarnessAbi, functionName: "measureStored", data: result });
}

describe("DankuCnnEvaluator: validation, prediction and gas", function () {
  this.timeout(600_000);

  it("mirrors the limits of lib/danku/cnn/model.ts", async function () {
    const { harness } = await loadFixture(deployCnnHarness);
    const values = await harness.read.limits();
    expect(values.map(Number)).to.deep.equal([CNN_MODEL_FORMAT_VERSION, CNN_MAX_LAYERS, CNN_MAX_KERNEL, CNN_MAX_STRIDE, CNN_MAX_CHANNELS, CNN_MAX_SIDE, CNN_MAX_ACTIVATIONS, CNN_MAX_DENSE_WIDTH, CNN_MAX_WORK]);
  });

  it("refuses every defect of docs/cnn.md §3 with the reference's reason and index", async function () {
    const { harness } = await loadFixture(deployCnnHarness);
    const base = encodeCnnModel(SMALL);
    expect(base.length).to.equal(100);
    const d = (l: number, field: number) => 8 + 10 * l + field; // descriptor byte of layer l
    const big: ImageShape = { height: 32, width: 32, channels: 1 };
    const cases: { defect: CnnModelDefect; bytes: Uint8Array; F?: number; C?: number }[] = [
      { defect: "TooShort", bytes: base.slice(0, 7) },
      { defect: "TooShort", bytes: base.slice(0, 47) },
      { defect: "Version", bytes: patched(base, [[0, 1]]) },
      { defect: "LayerCount", bytes: patched(base, [[1, 1]]) },
      { defect: "LayerCount", bytes: patched(base, [[1, 17]]) },
      { defect: "InputShape", bytes: patched(base, [[3, 0]]) },
      { defect: "InputShape", bytes: patched(base, [[4, 4], [5, 1]]) }, // W = 1025
      { defect: "InputShape", bytes: patched(base, [[7, 65]]) },
      { defect: "InputFeatures", bytes: base, F: 10 },
      { defect: "InputFeatures", bytes: patched(base, [[3, 32], [5, 32], [7, 2]]), F: 2048 },
      { defect: "Kind", bytes: patched(base, [[d(1, 0), 6]]) },
      { defect: "Kind", bytes: patched(base, [[d(2, 0), 0]]) },
      { defect: "Order", bytes: patched(base, [[d(0, 0), 5]]) },
      { defect: "Order", bytes: patched(base, [[d(3, 0), 4]]) },
      { defect: "UnusedField", bytes: patched(base, [[d(1, 7), 1]]) },
      { defect: "UnusedField", bytes: patched(base, [[d(2, 9), 3]]) },
      { defect: "UnusedField", bytes: patched(base, [[d(3, 1), 1]]) },
      { defect: "Kernel", bytes: patched(base, [[d(0, 1), 9]]) },
      { defect: "Kernel", bytes: patched(base, [[d(1, 2), 0]]) },
      { defect: "Stride", bytes: patched(base, [[d(0, 3), 0]]) },
      { defect: "Stride", bytes: patched(base, [[d(1, 4), 9]]) },
      { defect: "Padding", bytes: patched(base, [[d(0, 5), 2]]) },
      { defect: "Channels", bytes: patched(base, [[d(0, 9), 65]]) },
      { defect: "Channels", bytes: patched(base, [[d(3, 8), 4], [d(3, 9), 1]]) }, // dense 1025
      { defect: "Shift", bytes: patched(base, [[d(0, 7), 32]]) },
      { defect: "OutputShift", bytes: patched(base, [[d(3, 7), 1]]) },
      { defect: "EmptyOutput", bytes: patched(base, [[d(1, 1), 3]]) },
      { defect: "Activations", bytes: descriptorsOnly(big, [[1, 1, 1, 1, 1, 0, 0, 8, 9], [4, 0, 0, 0, 0, 0, 0, 0, 0], [5, 0, 0, 0, 0, 0, 0, 0, 2]]), F: 1024 },
      { defect: "OutputWidth", bytes: base, C: 3 },
      { defect: "OutputWidth", bytes: patched(base, [[d(3, 9), 1]]) },
      { defect: "Work", bytes: descriptorsOnly(big, [[1, 8, 8, 1, 1, 0, 0, 8, 8], [1, 8, 8, 1, 1, 0, 0, 8, 8], [4, 0, 0, 0, 0, 0, 0, 0, 0], [5, 0, 0, 0, 0, 0, 0, 0, 2]]), F: 1024 },
      { defect: "TooLarge", bytes: descriptorsOnly(big, [[4, 0, 0, 0, 0, 0, 0, 0, 0], [5, 0, 0, 0, 0, 0, 8, 0, 80], [5, 0, 0, 0, 0, 0, 0, 0, 2]].map((x, l) => (l === 1 ? [5, 0, 0, 0, 0, 0, 0, 8, 80] : x))), F: 1024 },
      { defect: "TooLarge", bytes: Uint8Array.from({ length: MAX_MODEL_BYTES + 1 }, (_, i) => (i === 0 ? 2 : 0)) },
      { defect: "Length", bytes: Uint8Array.from([...base, 0]) },
      { defect: "Length", bytes: base.slice(0, 99) },
      { defect: "Bias", bytes: patched(base, [[48, 0x40], [51, 1]]) }, // 2^30 + 1
      { defect: "Bias", bytes: patched(base, [[84 + 4, 0xbf], [84 + 5, 0xff], [84 + 6, 0xff], [84 + 7, 0xff]]) }, // −2^30 − 1 at the dense layer's second bias
      { defect: "PaddingLane", bytes: patched(base, [[60 + 3, 0]]) }, // conv record 1, lane 3
      { defect: "PaddingLane", bytes: patched(base, [[92 + 7, 129]]) },
    ];
    const met = new Set<CnnModelDefect>();
    for (const c of cases) {
      const F = c.F ?? 9;
      const C = c.C ?? 2;
      const reference = referenceVerdict(c.bytes, F, C);
      expect(reference, `${c.defect}: the reference accepts the bytes`).to.not.equal(null);
      expect(CNN_MODEL_DEFECTS[reference?.[0] ?? -1], `the case meant for ${c.defect}`).to.equal(c.defect);
      expect(await chainVerdict(harness, c.bytes, F, C), `${c.defect} (${reference?.[1]})`).to.deep.equal(reference);
      met.add(c.defect);
    }
    // Every defect bytes can express (all but the library-only Structure and Weight).
    expect([...met].sort()).to.deep.equal(CNN_MODEL_DEFECTS.filter((x) => x !== "Structure" && x !== "Weight").sort());
    expect(await chainVerdict(harness, base, 9, 2), "the unchanged model").to.equal(null);
  });

  it("predicts like the reference on hand-made cases: padding, strides, HWC channels, avgpool floors, saturation, ties", async function () {
    const { harness } = await loadFixture(deployCnnHarness);
    const int = seededInts(5);
    const cases: CnnModel[] = [
      SMALL,
      { ...SMALL, layers: SMALL.layers.map((l) => (l.kind === "maxpool" ? { ...l, kind: "avgpool" } : l)) },
      // 9 output channels (two lane groups, the second with one channel), 5×5 kernel, padding 4 on 7×9, strides 2×3,
      // avgpool 3×2 at strides 2×3, two dense layers.
      strided(),
      // Ties: two equal output rows; the lower index must win.
      { input: { height: 2, width: 2, channels: 1 }, layers: [{ kind: "flatten" }, { kind: "dense", shift: 0, biases: [5, 7, 7], weights: [[1, 1, 1, 1], [0, 0, 0, 0], [0, 0, 0, 0]] }] },
      // Saturation: every hidden activation at 255 (huge bias, shift 0).
      { input: { height: 2, width: 2, channels: 2 }, layers: [conv(2, 2, [[[[127, 127], [127, 127]], [[127, 127], [127, 127]]]], [2 ** 30], { shift: 0 }), { kind: "flatten" }, { kind: "dense", shift: 0, biases: [-254, 0], weights: [[1], [0]] }] },
    ];
    for (const [i, model] of cases.entries()) {
      const bytes = encodeCnnModel(model);
      for (const row of [...images(model, 6, 100 + i), new Uint8Array(shapeSize(model.input)).fill(255), Uint8Array.from({ length: shapeSize(model.input) }, () => int(0, 255))]) {
        const onChain = Number(await harness.read.predict([toHex(bytes), toHex(row), BigInt(classesOf(model))]));
        expect(onChain, `case ${i}`).to.equal(cnnPredict(model, row));
      }
    }
    expect(cnnPredict(cases[3] as CnnModel, [0, 0, 0, 0]), "tie of outputs 1 and 2").to.equal(1);
    expect(cnnPredict(cases[4] as CnnModel, [255, 255, 255, 255, 255, 255, 255, 255]), "saturated: 255 − 254 > 0").to.equal(0);
  });

  it("a quantized LeNet-5 predicts like the reference, and its dispute fits one transaction (figures printed)", async function () {
    const { env, harness } = await loadFixture(deployCnnHarness);
    const int = seededInts(77);
    const image = () => Uint8Array.from({ length: 784 }, () => (int(0, 2) === 0 ? 0 : int(0, 255)));
    const calibration = Array.from({ length: 32 }, (_, i) => ({ features: image(), label: i % 10 }));
    const { model } = quantizeCnnModel(parseOnnxCnnModel(torchCnnOnnx(lenet(11))), calibration);
    const bytes = encodeCnnModel(model);
    expect(bytes.length).to.equal(63_536);
    expect(cnnWork(model.input, model.layers)).to.equal(9_099_814);
    const chunks = await storeModel(env, harness, bytes);
    expect(chunks.length).to.equal(3);
    const rows = Array.from({ length: 4 }, image);
    const predictions = new Set<number>();
    let worst = 0n;
    for (const row of rows) {
      const expected = cnnPredict(model, row);
      predictions.add(expected);
      expect(Number(await harness.read.predictStored([chunks, toHex(row), 10n]))).to.equal(expected);
      const gas = await disputeGas(env, harness, chunks, row, 10);
      if (gas > worst) worst = gas;
    }
    expect(Number(await harness.read.predict([toHex(bytes), toHex(rows[0] as Uint8Array), 10n]))).to.equal(cnnPredict(model, rows[0] as Uint8Array));
    expect(predictions.size, "not a constant network").to.be.greaterThan(1);
    console.log(`      LeNet-5: ${bytes.length} bytes, ${cnnMacs(model.input, model.layers)} MACs, ${cnnWork(model.input, model.layers)} work units; one-point dispute ${worst} gas (worst of ${rows.length} points, model from ${chunks.length} data contracts)`);
    expect(worst < TX_GAS_CAP).to.equal(true);
    expect(worst < 12_000_000n, "well under the cap").to.equal(true);
  });

  // The shapes that exceeded one transaction under the old work units (multiply-accumulates and pool reads only):
  // the gas-faithful units charge what made them expensive, so validation now refuses them, on chain as in the
  // library (docs/cnn.md §7).
  it("refuses the shapes that exceeded the cap under the old work units, with the library's Work index", async function () {
    const { harness } = await loadFixture(deployCnnHarness);
    const big: ImageShape = { height: 32, width: 32, channels: 1 };
    const refused: [string, CnnModel, number][] = [
      ["pools", withRandomWeights(big, [{ kind: "conv2d", out: 8 }, { kind: "maxpool", kernelH: 8, kernelW: 8, strideH: 1, strideW: 1 }, { kind: "avgpool", kernelH: 8, kernelW: 8, strideH: 1, strideW: 1 }, { kind: "flatten" }, { kind: "dense", out: 2 }], 1), 58_825_998],
      ["positions", withRandomWeights(big, [...Array.from({ length: 13 }, () => ({ kind: "conv2d" as const, out: 1 })), { kind: "flatten" }, { kind: "dense", out: 2 }], 3), 21_241_358],
      ["padding", withRandomWeights(big, [...Array.from({ length: 10 }, () => ({ kind: "conv2d" as const, out: 1, k: 2, pad: 1 })), { kind: "flatten" }, { kind: "dense", out: 2 }], 4), 30_388_872],
    ];
    for (const [name, model, work] of refused) {
      expect(cnnWork(model.input, model.layers), name).to.equal(work);
      expect(() => encodeCnnModel(model), name).to.throw(CnnModelFormatError, `(Work, ${work})`);
      const bytes = encodeUnchecked(model);
      expect(referenceVerdict(bytes, 1024, 2), name).to.deep.equal([CNN_MODEL_DEFECTS.indexOf("Work"), BigInt(work)]);
      expect(await chainVerdict(harness, bytes, 1024, 2), name).to.deep.equal([CNN_MODEL_DEFECTS.indexOf("Work"), BigInt(work)]);
    }
  });

  it("the chain's work units equal cnnWork on 220 random CNNs and the heavy shapes", async function () {
    const { harness } = await loadFixture(deployCnnHarness);
    for (let seed = 1; seed <= 220; seed++) {
      const model = randomCnn(seed);
      const bytes = encodeCnnModel(model);
      const units = await harness.read.work([toHex(bytes), BigInt(shapeSize(model.input)), BigInt(classesOf(model))]);
      expect(Number(units), `seed ${seed}`).to.equal(cnnWork(model.input, model.layers));
    }
    for (const [name, model] of heaviest()) {
      const units = await harness.read.work([toHex(encodeCnnModel(model)), BigInt(shapeSize(model.input)), 2n]);
      expect(Number(units), name).to.equal(cnnWork(model.input, model.layers));
    }
  });

  // Per term of the work units, a shape built to spend as much of the bound on that term as the limits allow: each
  // must stay at ≤ 1 gas per unit (the figure CNN_MAX_WORK's margin is computed from) and its dispute under the cap.
  it("the heaviest shapes the work bound admits, one per term, fit one transaction (figures printed)", async function () {
    const { env, harness } = await loadFixture(deployCnnHarness);
    for (const [name, model] of heaviest()) {
      const work = cnnWork(model.input, model.layers);
      expect(work, name).to.be.at.most(CNN_MAX_WORK);
      expect(work, `${name} is near the bound`).to.be.at.least(0.85 * CNN_MAX_WORK);
      const bytes = encodeCnnModel(model);
      const chunks = await storeModel(env, harness, bytes);
      const row = images(model, 1, 7)[0] as Uint8Array;
      const [prediction, used] = await measure(env, harness, chunks, row, 2);
      expect(Number(prediction), name).to.equal(cnnPredict(model, row));
      const gas = await disputeGas(env, harness, chunks, row, 2);
      console.log(`      ${name}: ${work} work units, ${bytes.length} bytes; forward pass ${used} gas (${(Number(used) / work).toFixed(3)} gas/unit), dispute transaction ${gas} gas`);
      expect(Number(used) / work, `${name}: gas per unit`).to.be.at.most(1);
      expect(gas < TX_GAS_CAP, `${name}: ${gas} gas`).to.equal(true);
    }
  });

  // maxpool's only data-dependent step: a read that beats the window's maximum so far costs an extra assignment. An
  // image rising along every row and column makes every read of every window a new maximum.
  it("maxpool with every read a new maximum stays under 1 gas per unit (figures printed)", async function () {
    const { env, harness } = await loadFixture(deployCnnHarness);
    const pool: CnnLayer = { kind: "maxpool", kernelH: 8, kernelW: 8, strideH: 1, strideW: 1 };
    const model = withRandomWeights({ height: 32, width: 32, channels: 1 }, [pool, pool, pool, { kind: "flatten" }, { kind: "dense", out: 2 }], 18);
    const rising = Uint8Array.from({ length: 1024 }, (_, i) => 7 * Math.floor(i / 32) + (i % 32));
    const work = cnnWork(model.input, model.layers);
    const chunks = await storeModel(env, harness, encodeCnnModel(model));
    const [prediction, used] = await measure(env, harness, chunks, rising, 2);
    expect(Number(prediction)).to.equal(cnnPredict(model, rising));
    const [, usedRandom] = await measure(env, harness, chunks, images(model, 1, 7)[0] as Uint8Array, 2);
    console.log(`      maxpool 8×8 ×3: ${work} work units; forward pass ${used} gas rising (${(Number(used) / work).toFixed(3)} gas/unit), ${usedRandom} gas on a random image`);
    expect(used > usedRandom, "the rising image takes the branch more often").to.equal(true);
    expect(Number(used) / work).to.be.at.most(1);
  });
});

/** Per term of the work formula, the heaviest shape found under CNN_MAX_WORK (docs/cnn.md §7). */
function heaviest(): [string, CnnModel][] {
  const big: ImageShape = { height: 32, width: 32, channels: 1 };
  const pool = (kind: "maxpool" | "avgpool", k: number, stride = 1): CnnLayer => ({ kind, kernelH: k, kernelW: k, strideH: stride, strideW: stride });
  const conv1 = (n: number, out = 1) => Array.from({ length: n }, () => ({ kind: "conv2d" as const, out }));
  const tail = [{ kind: "flatten" } as const, { kind: "dense" as const, out: 2 }];
  return [
    // Output positions: one-channel 1×1 convolutions on 32×32.
    ["positions", withRandomWeights(big, [...conv1(7), ...tail], 11)],
    // Pooled bytes read: 8×8 windows at stride 1 over two channels.
    ["pool reads", withRandomWeights(big, [...conv1(1, 2), pool("maxpool", 8), pool("avgpool", 2, 2), ...tail], 12)],
    // Pooled values: 2×2 windows at stride 1 over four channels.
    ["pool values", withRandomWeights(big, [...conv1(1, 4), pool("maxpool", 2), pool("avgpool", 2), pool("maxpool", 2), ...tail], 13)],
    // Receptive-field rows: 8×1 kernels (rows of one input: no four-input step).
    ["rows", withRandomWeights(big, [{ kind: "conv2d", out: 1, k: [8, 1] }, { kind: "conv2d", out: 1, k: [8, 1] }, { kind: "conv2d", out: 1, k: [8, 1] }, ...conv1(5), ...tail], 14)],
    // One-input steps: rows of three inputs (8×1 kernels over three channels), the dot product's slowest path.
    ["one-input steps", withRandomWeights(big, [...conv1(1, 3), { kind: "conv2d", out: 3, k: [8, 1] }, { kind: "conv2d", out: 3, k: [8, 1] }, { kind: "conv2d", out: 1, k: [8, 1] }, ...tail], 19)],
    // Lane words: 8×8, 4×4 and 2×2 kernels over eight channels.
    ["lane words", withRandomWeights(big, [{ kind: "conv2d", out: 8, k: 8 }, { kind: "conv2d", out: 8, k: 4 }, { kind: "conv2d", out: 8, k: 2 }, ...tail], 15)],
    // Lane groups: 64 channels (eight groups per position), 1×1.
    ["groups", withRandomWeights({ height: 8, width: 8, channels: 16 }, [...conv1(5, 64), ...tail], 16)],
    // Padding: 2×2 kernels with padding 1, the image growing by one per layer, every border clipped.
    ["padding", withRandomWeights(big, [...Array.from({ length: 4 }, () => ({ kind: "conv2d" as const, out: 1, k: 2, pad: 1 })), ...tail], 17)],
  ];
}

/** Header and descriptors of a model validation refuses at the work check (encodeCnnModel would throw first). */
function encodeUnchecked(model: CnnModel): Uint8Array {
  return descriptorsOnly(model.input, model.layers.map(descriptorOf).map((d) => [d.kind, d.kernelH, d.kernelW, d.strideH, d.strideW, d.padH, d.padW, d.shift, d.out]));
}

/** 7×9×3 → conv 5×5 (padding 4, strides 2×3) → 9 → 6×5×9 → avgpool 3×2 /2×3 → 2×2×9 → flatten 36 → 17 → 3. */
function strided(): CnnModel {
  const int = seededInts(21);
  const w = () => int(-128, 127);
  const dense = (out: number, n: number, shift: number): CnnLayer => ({ kind: "dense", shift, biases: Array.from({ length: out }, () => int(-3000, 3000)), weights: Array.from({ length: out }, () => Array.from({ length: n }, w)) });
  const kernel = () => Array.from({ length: 5 }, () => Array.from({ length: 5 }, () => Array.from({ length: 3 }, w)));
  return {
    input: { height: 7, width: 9, channels: 3 },
    layers: [
      conv(5, 5, Array.from({ length: 9 }, kernel), Array.from({ length: 9 }, () => int(-3000, 3000)), { shift: 9, padH: 4, padW: 4, strideH: 2, strideW: 3 }),
      { kind: "avgpool", kernelH: 3, kernelW: 2, strideH: 2, strideW: 3 },
      { kind: "flatten" },
      dense(17, 36, 6),
      dense(3, 17, 0),
    ],
  };
}

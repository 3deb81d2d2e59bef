/**
 * Measurement for the gas-faithful work formula (docs/cnn.md §3/§7): random CNN shapes, each with its interpreter
 * counts (positions, groups, rows, lane words, pooled values …) and the gas measureStored spends on one point.
 * Writes rows to $CNN_FIT_OUT (JSON) for the least-squares fit; runs only when that variable is set.
 */
import { writeFileSync } from "node:fs";
import { decodeFunctionResult, encodeFunctionData, toHex } from "viem";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { encodeCnnModel } from "../../lib/danku/cnn/encoding";
import { layerShapes, shapeSize, type CnnLayer, type CnnModel, type ImageShape } from "../../lib/danku/cnn/model";
import { seededInts } from "../ort/support";
import { cnnEvaluatorHarnessAbi, deployCnnHarness } from "./cnnHarness";
import { receipt } from "./fixtures";

type Plan = { kind: "conv2d"; k: [number, number]; s: [number, number]; p: [number, number]; out: number } | { kind: "maxpool" | "avgpool"; k: [number, number]; s: [number, number] } | { kind: "flatten" } | { kind: "dense"; out: number };

function build(input: ImageShape, plan: readonly Plan[], seed: number): CnnModel {
  const int = seededInts(seed);
  let shape = input;
  const layers: CnnLayer[] = plan.map((p, l) => {
    let layer: CnnLayer;
    if (p.kind === "conv2d") {
      layer = { kind: "conv2d", kernelH: p.k[0], kernelW: p.k[1], strideH: p.s[0], strideW: p.s[1], padH: p.p[0], padW: p.p[1], shift: 8, biases: Array.from({ length: p.out }, () => int(-2000, 2000)), weights: Array.from({ length: p.out }, () => Array.from({ length: p.k[0] }, () => Array.from({ length: p.k[1] }, () => Array.from({ length: shape.channels }, () => int(-128, 127))))) };
    } else if (p.kind === "dense") {
      const n = shapeSize(shape);
      layer = { kind: "dense", shift: l === plan.length - 1 ? 0 : 8, biases: Array.from({ length: p.out }, () => int(-2000, 2000)), weights: Array.from({ length: p.out }, () => Array.from({ length: n }, () => int(-128, 127))) };
    } else if (p.kind === "flatten") layer = { kind: "flatten" };
    else layer = { kind: p.kind, kernelH: p.k[0], kernelW: p.k[1], strideH: p.s[0], strideW: p.s[1] };
    shape = layerShapes(shape, [layer])[0] as ImageShape;
    return layer;
  });
  return { input, layers };
}

function randomPlan(seed: number): { input: ImageShape; plan: Plan[] } {
  const int = seededInts(seed * 7919 + 13);
  const inputs: ImageShape[] = [{ height: 32, width: 32, channels: 1 }, { height: 16, width: 16, channels: 4 }, { height: 28, width: 28, channels: 1 }, { height: 8, width: 8, channels: 16 }, { height: 32, width: 8, channels: 4 }];
  const input = inputs[int(0, inputs.length - 1)] as ImageShape;
  const plan: Plan[] = [];
  let shape = input;
  const spatial = int(1, 5);
  for (let s = 0; s < spatial; s++) {
    const isPool = int(0, 2) === 0;
    const kh = Math.min(int(1, 6), shape.height);
    const kw = Math.min(int(1, 6), shape.width);
    const sh = int(0, 2) === 0 ? 2 : 1;
    const sw = int(0, 2) === 0 ? 2 : 1;
    let p: Plan;
    if (isPool) p = { kind: int(0, 1) === 0 ? "maxpool" : "avgpool", k: [kh, kw], s: [sh, sw] };
    else {
      const out = [1, 2, 4, 6, 8, 9, 12, 16, 24][int(0, 8)] as number;
      p = { kind: "conv2d", k: [kh, kw], s: [sh, sw], p: [int(0, 1) === 0 ? 0 : int(0, kh - 1), int(0, 1) === 0 ? 0 : int(0, kw - 1)], out };
    }
    const layer = build(shape, [p], 1).layers[0] as CnnLayer;
    const next = layerShapes(shape, [layer])[0] as ImageShape;
    if (next.height < 1 || next.width < 1 || shapeSize(next) > 8192) continue;
    plan.push(p);
    shape = next;
  }
  plan.push({ kind: "flatten" });
  const n = shapeSize(shape);
  const hidden = int(0, 1) === 0 && n * 16 < 40_000 ? [int(1, 16)] : [];
  for (const h of hidden) plan.push({ kind: "dense", out: h });
  plan.push({ kind: "dense", out: int(2, 10) });
  return { input, plan };
}

/** The interpreter's counts of one model, with the padding clipping applied exactly as the evaluator clips. */
export function counts(model: CnnModel): Record<string, number> {
  const c: Record<string, number> = { layers: model.layers.length, bytes: 0, convLayers: 0, outRows: 0, positions: 0, groups: 0, rows: 0, words: 0, singles: 0, exGroups: 0, exWords: 0, poolPositions: 0, poolValues: 0, poolRows: 0, poolReads: 0, largest: 0, avgValues: 0, avgRows: 0, avgReads: 0 };
  let shape = model.input;
  for (const layer of model.layers) {
    const next = layerShapes(shape, [layer])[0] as ImageShape;
    if (layer.kind === "conv2d" || layer.kind === "dense") {
      const conv = layer.kind === "conv2d" ? layer : { kernelH: 1, kernelW: 1, strideH: 1, strideW: 1, padH: 0, padW: 0 };
      const inH = layer.kind === "conv2d" ? shape.height : 1;
      const inW = layer.kind === "conv2d" ? shape.width : 1;
      const ci = layer.kind === "conv2d" ? shape.channels : shapeSize(shape);
      const G = Math.ceil(next.channels / 8);
      c.convLayers! += 1;
      c.outRows! += next.height;
      c.exGroups! += G;
      c.exWords! += G * conv.kernelH * conv.kernelW * ci;
      c.largest = Math.max(c.largest!, G * (1 + conv.kernelH * conv.kernelW * ci));
      for (let oy = 0; oy < next.height; oy++) {
        const y0 = oy * conv.strideH;
        const ky = Math.max(0, conv.padH - y0);
        const kyEnd = Math.min(conv.kernelH, inH + conv.padH - y0);
        for (let ox = 0; ox < next.width; ox++) {
          const x0 = ox * conv.strideW;
          const kx = Math.max(0, conv.padW - x0);
          const kxEnd = Math.min(conv.kernelW, inW + conv.padW - x0);
          const run = (kxEnd - kx) * ci;
          const rows = kyEnd - ky;
          c.positions! += 1;
          c.groups! += G;
          c.rows! += G * rows;
          c.words! += G * rows * run;
          c.singles! += G * rows * (run % 4);
        }
      }
    } else if (layer.kind === "maxpool" || layer.kind === "avgpool") {
      const P = next.height * next.width;
      c.poolPositions! += P;
      const pre = layer.kind === "maxpool" ? "pool" : "avg";
      c[`${pre}Values`]! += P * next.channels;
      c[`${pre}Rows`]! += P * next.channels * layer.kernelH;
      c[`${pre}Reads`]! += P * next.channels * layer.kernelH * layer.kernelW;
    }
    shape = next;
  }
  return c;
}

function classCount(model: CnnModel): number {
  const last = model.layers[model.layers.length - 1];
  return last?.kind === "dense" ? last.biases.length : 0;
}

describe("CNN evaluator gas fit (measurement only)", function () {
  this.timeout(1_800_000);
  it("measures random shapes", async function () {
    const out = process.env.CNN_FIT_OUT;
    if (!out) this.skip();
    const { env, harness } = await loadFixture(deployCnnHarness);
    const rows: Record<string, number>[] = [];
    const count = Number(process.env.CNN_FIT_COUNT ?? 40);
    for (let seed = 1; rows.length < count && seed < 10 * count; seed++) {
      if (seed <= Number(process.env.CNN_FIT_SKIP ?? 0)) continue; {
      const { input, plan } = randomPlan(seed);
      const model = build(input, plan, seed);
      let bytes: Uint8Array;
      try {
        bytes = encodeCnnModel(model);
      } catch {
        continue;
      }
      const { result: chunks } = await harness.simulate.store([toHex(bytes)]);
      await receipt(env, harness.write.store([toHex(bytes)]));
      const int = seededInts(seed);
      const point = Uint8Array.from({ length: shapeSize(input) }, () => int(0, 255));
      const data = encodeFunctionData({ abi: cnnEvaluatorHarnessAbi, functionName: "measureStored", args: [chunks, toHex(point), BigInt(classCount(model))] });
      let gas: bigint;
      try {
        const { data: result } = await env.publicClient.call({ to: harness.address, data, gas: 16_777_216n });
        gas = decodeFunctionResult({ abi: cnnEvaluatorHarnessAbi, functionName: "measureStored", data: result as `0x${string}` })[1];
      } catch {
        continue;
      }
      rows.push({ seed, gas: Number(gas), ...counts(model), bytes: bytes.length });
    }
    }
    writeFileSync(out, JSON.stringify(rows));
    console.log(`      ${rows.length} models measured`);
  });
});

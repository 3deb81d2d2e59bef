/**
 * The DEL ONNX graph run by onnxruntime-web (Node build, WASM provider) gives the TypeScript forward's y within
 * float32 tolerance, batches, and reads back to the same parameters.
 */
import { expect } from "chai";
import { onnx } from "onnx-proto";
import { DelRandom, PerturbationSampler, applyPerturbation, randomLabelVector, type LabelVector } from "../../lib/daimon/generateData";
import { delForward, initDelParameters, modifiedCosineDistance, type DelParameters } from "../../lib/daimon/del";
import { trainDel } from "../../lib/daimon/delTrainer";
import { DEL_ONNX_INPUT, DEL_ONNX_OPS, DEL_ONNX_OUTPUT, DelOnnxError, buildDelOnnx, readDelOnnx } from "../../lib/daimon/delOnnx";
import { ort } from "../ort/support";

async function runOnnx(bytes: Uint8Array, vectors: readonly LabelVector[], m: number, n: number): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ["wasm"] });
  try {
    const input = new Int32Array(vectors.length * m);
    vectors.forEach((x, i) => input.set(x, i * m));
    const outputs = await session.run({ [DEL_ONNX_INPUT]: new ort.Tensor("int32", input, [vectors.length, m]) });
    const y = outputs[DEL_ONNX_OUTPUT]!;
    expect(y.dims).to.deep.equal([vectors.length, n]);
    const data = y.data as Float32Array;
    return vectors.map((_, i) => data.slice(i * n, (i + 1) * n));
  } finally {
    await session.release();
  }
}

function someVectors(xt: LabelVector, classCount: number, count: number, seed: number): LabelVector[] {
  const random = new DelRandom(seed);
  const sampler = new PerturbationSampler(xt, classCount);
  return [xt, ...Array.from({ length: count - 1 }, (_, i) => applyPerturbation(xt, sampler.sample(random, i % 2 === 0 ? { maxChanged: Math.max(1, xt.length >> 3) } : {})))];
}

function expectSameY(params: DelParameters, vectors: readonly LabelVector[], ys: readonly Float32Array[], tolerance: number): void {
  const yt = delForward(params, vectors[0]!);
  vectors.forEach((x, i) => {
    const reference = delForward(params, x);
    const got = ys[i]!;
    let worst = 0;
    for (let o = 0; o < params.n; o++) worst = Math.max(worst, Math.abs(got[o]! - reference[o]!));
    expect(worst, `vector ${i}: largest |y_onnx − y_ts|`).to.be.below(tolerance);
    // What a verifier compares: d against y_t, from float32 outputs.
    expect(modifiedCosineDistance(got, yt)).to.be.closeTo(modifiedCosineDistance(reference, yt), 10 * tolerance);
  });
}

describe("lib/daimon DEL ONNX export (onnxruntime-web WASM in Node)", function () {
  this.timeout(300_000);

  it("builds the documented graph (opset 13, int32 [N, m] in, float [N, n] out) with WebGPU-capable ops", () => {
    const params = initDelParameters({ m: 12, classCount: 3, hidden: 8, n: 4 }, new DelRandom(1));
    const model = onnx.ModelProto.decode(buildDelOnnx(params));
    expect(Number(model.opsetImport?.[0]?.version)).to.equal(13);
    expect(model.graph?.node?.map((n) => n.opType)).to.deep.equal([...DEL_ONNX_OPS]);
    const input = model.graph?.input?.[0];
    expect(input?.name).to.equal(DEL_ONNX_INPUT);
    expect(input?.type?.tensorType?.elemType).to.equal(onnx.TensorProto.DataType.INT32);
    expect(input?.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue))).to.deep.equal(["N", 12]);
    expect(Object.fromEntries((model.metadataProps ?? []).map((p) => [p.key, p.value]))).to.include({
      "daimon.del.m": "12",
      "daimon.del.classCount": "3",
      "daimon.del.labels": "0-based",
    });
  });

  it("a random small DEL: y equals the TypeScript forward within float32 tolerance, one vector or a batch", async () => {
    const params = initDelParameters({ m: 50, classCount: 4, hidden: 32, n: 8 }, new DelRandom(2));
    const r = new DelRandom(3);
    for (let i = 0; i < params.b1.length; i++) params.b1[i] = 0.2 * r.normal();
    for (let i = 0; i < params.b2.length; i++) params.b2[i] = 0.2 * r.normal();
    const xt = randomLabelVector(50, 4, r);
    const vectors = someVectors(xt, 4, 9, 4);
    const bytes = buildDelOnnx(params);
    expectSameY(params, vectors, await runOnnx(bytes, vectors, 50, 8), 1e-6);
    const single = await runOnnx(bytes, [vectors[3]!], 50, 8);
    expectSameY(params, [xt, vectors[3]!].slice(1), single, 1e-6);
  });

  it("a trained m = 1,000, C = 10, H = 1,024, n = 64 DEL: same y and the same distances as the TypeScript forward", async () => {
    const xt = randomLabelVector(1000, 10, new DelRandom(5));
    // A few steps are enough to move the weights away from their initialization; quality is tested elsewhere.
    const { parameters } = await trainDel(xt, 10, { n: 64, hidden: 1024, steps: 3, batchSize: 16, seed: 6 });
    const vectors = someVectors(xt, 10, 6, 7);
    const bytes = buildDelOnnx(parameters);
    expect(bytes.length).to.be.greaterThan(4 * 1000 * 10 * 1024);
    // Sums of 1,000 float32 rows in another order: a few float32 ulps of the larger partial sums.
    expectSameY(parameters, vectors, await runOnnx(bytes, vectors, 1000, 64), 2e-5);
  });

  it("reads the parameters back bit for bit and refuses files that are not DEL graphs", () => {
    const params = initDelParameters({ m: 20, classCount: 5, hidden: 6, n: 3 }, new DelRandom(8));
    params.b1[2] = 0.25;
    params.b2[1] = -1.5;
    const back = readDelOnnx(buildDelOnnx(params));
    expect([back.m, back.classCount, back.hidden, back.n]).to.deep.equal([20, 5, 6, 3]);
    expect(Array.from(back.w1)).to.deep.equal(Array.from(params.w1));
    expect(Array.from(back.b1)).to.deep.equal(Array.from(params.b1));
    expect(Array.from(back.w2)).to.deep.equal(Array.from(params.w2));
    expect(Array.from(back.b2)).to.deep.equal(Array.from(params.b2));
    expect(() => readDelOnnx(new Uint8Array([1, 2, 3, 4, 5]))).to.throw(DelOnnxError);
    const noGraph = onnx.ModelProto.encode({ irVersion: 7, graph: { name: "empty" } }).finish();
    expect(() => readDelOnnx(noGraph)).to.throw(DelOnnxError, /no initializer/);
  });
});

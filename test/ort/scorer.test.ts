/**
 * lib/ort's scorer in Node (onnxruntime-web's WASM provider): backend choice and fallback notes, batching and
 * progress over 10k rows, every input shape, scores and confusion matrices equal to the reference.
 */
import { expect } from "chai";
import chai from "chai";
import chaiAsPromised from "chai-as-promised";
import { DataFormatError, ModelFormatError, encodePoints, type DataPoint, type QuantizedModel } from "../../lib/danku/encoding";
import { evaluateAccuracy, predict } from "../../lib/danku/forward";
import { confusionMatrix, evaluateConfusion, perClassAccuracy } from "../../lib/danku/confusion";
import { isFloatExact } from "../../lib/danku/onnxExport";
import { createScorer, labelledRowsFromPointBytes, probeWebGpu, type GpuLike, type OrtModule } from "../../lib/ort";
import { ort, randomModel, randomRows, seededInts } from "./support";

chai.use(chaiAsPromised);

const EXACT = randomModel([12, 16, 5], 21, 8);
const INEXACT: QuantizedModel = { widths: [2, 3], layers: [{ shift: 0, biases: [2 ** 30, 0, -(2 ** 30)], weights: [[1, 2], [3, 4], [5, 6]] }] };

function points(model: QuantizedModel, count: number, seed: number): DataPoint[] {
  const F = model.widths[0] as number;
  const C = model.widths[model.widths.length - 1] as number;
  const int = seededInts(seed);
  return Array.from({ length: count }, (_, p) => {
    const features = Array.from({ length: F }, () => int(0, 255));
    // Half the labels are the model's own prediction, so scores are not ~1/C.
    return { features, label: p % 2 === 0 ? predict(model, features) : int(0, C - 1) };
  });
}

const adapter = (isFallbackAdapter: boolean): GpuLike => ({
  requestAdapter: () => Promise.resolve({ info: { vendor: "test", architecture: "fake", isFallbackAdapter } }),
});

describe("lib/ort scorer (onnxruntime-web WASM in Node)", function () {
  this.timeout(120_000);

  it("detects WebGPU: missing, null adapter, throwing, software and hardware adapters", async function () {
    expect(await probeWebGpu(null)).to.deep.include({ available: false });
    expect((await probeWebGpu({ requestAdapter: () => Promise.resolve(null) })) as { reason: string }).to.have.property("reason").that.matches(/no adapter/);
    expect(await probeWebGpu({ requestAdapter: () => Promise.reject(new Error("denied")) })).to.deep.include({ available: false });
    expect(await probeWebGpu(adapter(true))).to.deep.include({ available: true, isFallbackAdapter: true });
    expect(await probeWebGpu(adapter(false))).to.deep.include({ available: true, isFallbackAdapter: false });
    // Node has no navigator.gpu.
    expect(await probeWebGpu()).to.deep.include({ available: false });
  });

  it("chooses the backend and says why: wasm asked, no WebGPU, no adapter, software adapter, inexact model, failed session", async function () {
    const data = points(EXACT, 40, 1);
    const expected = data.map((p) => predict(EXACT, p.features));
    const cases: { what: string; options: { preferredBackend?: "webgpu" | "wasm" | "auto"; gpu?: GpuLike | null }; model?: QuantizedModel; note: RegExp | null }[] = [
      { what: "wasm asked", options: { preferredBackend: "wasm", gpu: adapter(false) }, note: null },
      { what: "no navigator.gpu", options: { gpu: null }, note: /navigator\.gpu is missing.*WASM/ },
      { what: "null adapter", options: { gpu: { requestAdapter: () => Promise.resolve(null) } }, note: /no adapter.*WASM/ },
      { what: "software adapter on auto", options: { gpu: adapter(true) }, note: /software fallback.*WASM/ },
      { what: "inexact model", options: { preferredBackend: "webgpu", gpu: adapter(false) }, model: INEXACT, note: /not provably exact.*MatMulInteger.*WASM/ },
      // onnxruntime-web's Node build has no WebGPU provider: the session fails and the scorer falls back.
      { what: "WebGPU session fails", options: { preferredBackend: "webgpu", gpu: adapter(true) }, note: /WebGPU session could not be created.*WASM/ },
    ];
    for (const { what, options, model = EXACT, note } of cases) {
      const scorer = await createScorer({ model, ort, ...options });
      try {
        expect(scorer.backend, what).to.equal("ort-wasm");
        expect(scorer.variant, what).to.equal("integer");
        if (note) expect(scorer.fallbackNotes.join("\n"), what).to.match(note);
        else expect(scorer.fallbackNotes, what).to.deep.equal([]);
        const rows = model === EXACT ? data : points(model, 10, 2);
        expect(Array.from(await scorer.predict(rows)), what).to.deep.equal(model === EXACT ? expected : rows.map((p) => predict(model, p.features)));
      } finally {
        await scorer.release();
      }
    }
  });

  it("the float-exact graph on WASM when asked and exact; refused with a note when not", async function () {
    expect(isFloatExact(EXACT).exact).to.equal(true);
    const data = points(EXACT, 30, 3);
    const floatScorer = await createScorer({ model: EXACT, ort, preferredBackend: "wasm", wasmVariant: "float-exact" });
    expect(floatScorer.variant).to.equal("float-exact");
    expect(Array.from(await floatScorer.predict(data))).to.deep.equal(data.map((p) => predict(EXACT, p.features)));
    await floatScorer.release();
    const refused = await createScorer({ model: INEXACT, ort, preferredBackend: "wasm", wasmVariant: "float-exact" });
    expect(refused.variant).to.equal("integer");
    expect(refused.fallbackNotes.join()).to.match(/not provably exact/);
    await refused.release();
  });

  it("784-32-10 × 10,000 rows in batches, with progress, equal to the reference on every row", async function () {
    const model = randomModel([784, 32, 10], 31, 12);
    const N = 10_000;
    const flat = randomRows(N, 784, 32);
    const scorer = await createScorer({ model, ort, preferredBackend: "wasm" });
    const progress: [number, number][] = [];
    const predictions = await scorer.predict(flat, (done, total) => progress.push([done, total]));
    expect(progress).to.deep.equal([[0, N], [4096, N], [8192, N], [N, N]]);
    let mismatches = 0;
    for (let r = 0; r < N; r++) if (predictions[r] !== predict(model, flat.subarray(r * 784, (r + 1) * 784))) mismatches++;
    expect(mismatches).to.equal(0);
    await scorer.release();
  });

  it("every input shape gives the same predictions; score and confusion equal the reference", async function () {
    const model = randomModel([7, 9, 4], 41, 7);
    const data = points(model, 53, 4);
    const scorer = await createScorer({ model, ort, preferredBackend: "wasm", batchSize: 7 });
    const expected = data.map((p) => predict(model, p.features));
    const flat = Uint8Array.from(data.flatMap((p) => Array.from(p.features)));
    const progress: number[] = [];
    expect(Array.from(await scorer.predict(data, (done) => progress.push(done)))).to.deep.equal(expected);
    expect(progress).to.deep.equal([0, 7, 14, 21, 28, 35, 42, 49, 53]);
    expect(Array.from(await scorer.predict(flat))).to.deep.equal(expected);
    expect(Array.from(await scorer.predict({ features: flat }))).to.deep.equal(expected);
    expect(Array.from(await scorer.predict(data.map((p) => p.features)))).to.deep.equal(expected);
    expect(Array.from(await scorer.predict([]))).to.deep.equal([]);

    const reference = evaluateConfusion(model, data);
    const fromPoints = await scorer.score(data);
    expect(fromPoints.correct).to.equal(evaluateAccuracy(model, data).correct);
    expect(fromPoints.total).to.equal(53);
    expect(fromPoints.confusion).to.deep.equal(reference.confusion);
    expect(fromPoints.perClass).to.deep.equal(perClassAccuracy(reference.confusion));
    expect(fromPoints.backend).to.equal("ort-wasm");
    const fromBytes = await scorer.score(labelledRowsFromPointBytes(encodePoints(data, 7, 4), 7));
    expect(fromBytes.confusion).to.deep.equal(reference.confusion);
    await scorer.release();
    await expect(scorer.predict(data)).to.be.rejectedWith(/released/);
  });

  it("concurrent calls queue; aborts stop between batches; bad data and models are rejected", async function () {
    const model = randomModel([5, 3], 51);
    const scorer = await createScorer({ model, ort, preferredBackend: "wasm", batchSize: 4 });
    const a = points(model, 30, 5);
    const b = points(model, 17, 6);
    const [pa, pb] = await Promise.all([scorer.predict(a), scorer.predict(b)]);
    expect(Array.from(pa)).to.deep.equal(a.map((p) => predict(model, p.features)));
    expect(Array.from(pb)).to.deep.equal(b.map((p) => predict(model, p.features)));

    const controller = new AbortController();
    let batches = 0;
    const aborted = scorer.predict(a, (done) => {
      if (done > 0 && ++batches === 2) controller.abort();
    }, controller.signal);
    await expect(aborted).to.be.rejected;
    expect(batches).to.equal(2);

    await expect(scorer.predict([[1, 2, 3, 4, 256]])).to.be.rejectedWith(DataFormatError, /0\.\.255/);
    await expect(scorer.predict([[1, 2, 3, 4]])).to.be.rejectedWith(DataFormatError, /4 features, expected 5/);
    await expect(scorer.predict(new Uint8Array(7))).to.be.rejectedWith(DataFormatError);
    await expect(scorer.score([{ features: [1, 2, 3, 4, 5], label: 3 }])).to.be.rejectedWith(DataFormatError, /label 3/);
    // Still usable after rejected calls.
    expect(Array.from(await scorer.predict(b))).to.deep.equal(Array.from(pb));
    await scorer.release();

    await expect(createScorer({ model: { ...model, layers: [{ ...model.layers[0]!, shift: 2 }] }, ort })).to.be.rejectedWith(ModelFormatError);
    const big = randomModel([784, 128, 10], 52);
    await expect(createScorer({ model: big, ort, preferredBackend: "wasm" })).to.be.rejectedWith(ModelFormatError, /bytes/);
    const preview = await createScorer({ model: big, ort, preferredBackend: "wasm", requireRevealable: false });
    const rows = randomRows(5, 784, 53);
    expect(Array.from(await preview.predict(rows))).to.deep.equal([0, 1, 2, 3, 4].map((r) => predict(big, rows.subarray(r * 784, (r + 1) * 784))));
    await preview.release();
  });

  it("uses the injected loader per backend; leaves wasmPaths alone in Node", async function () {
    const asked: string[] = [];
    const loader = (backend: "webgpu" | "wasm"): Promise<OrtModule> => {
      asked.push(backend);
      return Promise.resolve(ort);
    };
    const before = ort.env.wasm.wasmPaths;
    const scorer = await createScorer({ model: EXACT, loadOrt: loader, preferredBackend: "webgpu", gpu: adapter(false) });
    expect(asked).to.deep.equal(["webgpu", "wasm"]);
    expect(scorer.backend).to.equal("ort-wasm");
    expect(ort.env.wasm.wasmPaths).to.equal(before);
    await scorer.release();
  });

  it("confusion helpers: counts, per-class recall and precision, errors", function () {
    const summary = confusionMatrix([0, 1, 1, 2, 0], [0, 1, 2, 2, 1], 3);
    expect(summary).to.deep.equal({ correct: 3, total: 5, confusion: [[1, 0, 0], [1, 1, 0], [0, 1, 1]] });
    expect(perClassAccuracy(summary.confusion).map((c) => [c.support, c.correct, c.recall, c.precision])).to.deep.equal([
      [1, 1, 1, 0.5],
      [2, 1, 0.5, 0.5],
      [2, 1, 0.5, 1],
    ]);
    expect(perClassAccuracy([[0, 0], [0, 2]])[0]).to.include({ recall: null, precision: null });
    expect(() => confusionMatrix([0], [2], 2)).to.throw(DataFormatError);
    expect(() => confusionMatrix([0, 1], [0], 2)).to.throw(DataFormatError);
  });
});

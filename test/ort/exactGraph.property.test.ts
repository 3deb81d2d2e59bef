/**
 * The exact ONNX graphs (lib/danku/onnxExport.ts) run by onnxruntime-web (WASM provider) ≡ lib/danku/forward.ts,
 * logits and predictions, for every point of random networks and datasets; plus the float32 counterexample and
 * the graph's structure and edge cases.
 *
 * fast-check runs with a fixed seed; set ORT_PROPERTY_SEED to explore others.
 */
import { expect } from "chai";
import fc from "fast-check";
import { onnx } from "onnx-proto";
import { ModelFormatError, type DataPoint, type QuantizedModel } from "../../lib/danku/encoding";
import { logits as referenceLogits, predict } from "../../lib/danku/forward";
import { MAX_BIAS_MAGNITUDE } from "../../lib/danku/constants";
import {
  buildExactOnnxGraph,
  EXACT_GRAPH_IR_VERSION,
  EXACT_GRAPH_OPS,
  EXACT_GRAPH_OPSET,
  FLOAT32_EXACT_INTEGER_LIMIT,
  InexactFloatGraphError,
  isFloatExact,
  validateModelArithmetic,
  type ExactGraphVariant,
} from "../../lib/danku/onnxExport";
import { assertProperty, modelArb, ort, pointsArb, randomModel, randomRows, seededInts } from "./support";

interface GraphRun {
  readonly logits: number[][];
  readonly predictions: number[];
}

/** Runs a graph directly (no scorer): the graph's own ArgMax output, not a JS argmax. */
async function runGraph(graph: Uint8Array, variant: ExactGraphVariant, rows: readonly ArrayLike<number>[], featureCount: number): Promise<GraphRun> {
  const session = await ort.InferenceSession.create(graph, { executionProviders: ["wasm"] });
  try {
    const flat = variant === "integer" ? new Uint8Array(rows.length * featureCount) : new Float32Array(rows.length * featureCount);
    rows.forEach((row, r) => {
      for (let f = 0; f < featureCount; f++) flat[r * featureCount + f] = row[f]!;
    });
    const input =
      flat instanceof Uint8Array
        ? new ort.Tensor("uint8", flat, [rows.length, featureCount])
        : new ort.Tensor("float32", flat, [rows.length, featureCount]);
    const out = await session.run({ features: input });
    const logits = out.logits!.data;
    const prediction = out.prediction!.data;
    expect(logits, "logits type").to.be.instanceOf(variant === "integer" ? Int32Array : Float32Array);
    expect(prediction, "prediction type").to.be.instanceOf(BigInt64Array);
    const classCount = out.logits!.dims[1]!;
    const values = Array.from(logits as Int32Array | Float32Array);
    return {
      logits: rows.map((_, r) => values.slice(r * classCount, (r + 1) * classCount)),
      predictions: Array.from(prediction as BigInt64Array, Number),
    };
  } finally {
    await session.release();
  }
}

async function expectExact(model: QuantizedModel, points: readonly ArrayLike<number>[], variant: ExactGraphVariant, what: string) {
  const featureCount = model.widths[0] as number;
  const run = await runGraph(buildExactOnnxGraph(model, { variant, requireRevealable: false }), variant, points, featureCount);
  points.forEach((features, p) => {
    expect(run.logits[p], `${what}: ${variant} logits of point ${p}`).to.deep.equal(referenceLogits(model, features));
    expect(run.predictions[p], `${what}: ${variant} prediction of point ${p}`).to.equal(predict(model, features));
  });
}

describe("exact ONNX graphs on onnxruntime-web ≡ lib/danku/forward.ts", function () {
  this.timeout(120_000);

  it("200 random networks × ≥ 20 points: the integer graph always, the float-exact graph whenever isFloatExact", async function () {
    let networks = 0;
    let floatChecked = 0;
    const depths = [0, 0, 0];
    let ties = 0;
    const property = fc.asyncProperty(
      fc
        .record({ featureCount: fc.integer({ min: 1, max: 64 }), classCount: fc.integer({ min: 2, max: 32 }), floatFriendly: fc.boolean() })
        .chain(({ featureCount, classCount, floatFriendly }) =>
          fc.record({ model: modelArb(featureCount, classCount, floatFriendly), points: pointsArb(featureCount, classCount, 20, 40) }),
        ),
      async ({ model, points }) => {
        const rows = points.map((point: DataPoint) => point.features);
        const what = `widths ${model.widths.join("-")}`;
        await expectExact(model, rows, "integer", what);
        const exactness = isFloatExact(model);
        if (exactness.exact) {
          await expectExact(model, rows, "float-exact", what);
          floatChecked++;
        } else {
          expect(() => buildExactOnnxGraph(model, { variant: "float-exact", requireRevealable: false })).to.throw(InexactFloatGraphError);
        }
        networks++;
        depths[model.layers.length - 1]!++;
        for (const row of rows) {
          const z = referenceLogits(model, row);
          if (z.filter((v) => v === Math.max(...z)).length > 1) ties++;
        }
      },
    );
    await assertProperty(property, 200);
    expect(networks).to.equal(200);
    // The generator must actually reach every depth, ties, and many float-exact models.
    expect(depths.every((d) => d >= 30), `depths ${depths.join("/")}`).to.equal(true);
    expect(ties, "points with tied outputs").to.be.greaterThan(200);
    expect(floatChecked, "networks also checked as float-exact").to.be.greaterThanOrEqual(60);
    console.log(`      ${networks} networks (depth 1/2/3: ${depths.join("/")}), ${floatChecked} also float-exact, ${ties} tied points`);
  });

  it("extremes: F = 1024 with all-−128 / all-127 / alternating weights on all-255 inputs, |bias| = 2^30", async function () {
    const F = 1024;
    const rows = [new Uint8Array(F).fill(255), new Uint8Array(F), Uint8Array.from({ length: F }, (_, i) => (i % 2 ? 255 : 0))];
    const row = (kind: number) => Array.from({ length: F }, (_, i) => (kind === 0 ? -128 : kind === 1 ? 127 : i % 2 ? 127 : -128));
    const model: QuantizedModel = {
      widths: [F, 3],
      layers: [{ shift: 0, biases: [MAX_BIAS_MAGNITUDE, -MAX_BIAS_MAGNITUDE, 0], weights: [row(0), row(1), row(2)] }],
    };
    expect(referenceLogits(model, rows[0]!)).to.deep.equal([2 ** 30 - 128 * 255 * F, 127 * 255 * F - 2 ** 30, -0.5 * 255 * F]);
    await expectExact(model, rows, "integer", "F=1024 extremes");
    // The largest hidden pre-activation (2^30 + 127·255·1024) into a shift of 31 (2^31 is not an int32), 30, 24 and 0
    // (saturating at 255).
    for (const shift of [31, 30, 24, 0]) {
      const deep: QuantizedModel = {
        widths: [F, 2, 2],
        layers: [
          { shift, biases: [MAX_BIAS_MAGNITUDE, MAX_BIAS_MAGNITUDE], weights: [row(1), row(0)] },
          { shift: 0, biases: [0, 1], weights: [[127, -128], [-128, 127]] },
        ],
      };
      await expectExact(deep, rows, "integer", `shift ${shift}`);
    }
  });

  it("a model at the float32 limit is exact; one past it is not, and float32 really gets it wrong", async function () {
    // z0 = 2^24 (constant), z1 = 127·a + b1. At a = 255: z1 = 127·255 + b1.
    const atLimit = (b1: number): QuantizedModel => ({ widths: [1, 2], layers: [{ shift: 0, biases: [FLOAT32_EXACT_INTEGER_LIMIT, b1], weights: [[0], [127]] }] });
    const exact = atLimit(FLOAT32_EXACT_INTEGER_LIMIT - 127 * 255);
    expect(isFloatExact(exact)).to.include({ exact: true, worstMagnitude: 2 ** 24, worstLayer: 0 });
    const rows = [[255], [254], [0]];
    await expectExact(exact, rows, "float-exact", "at the limit");

    const past = atLimit(FLOAT32_EXACT_INTEGER_LIMIT - 127 * 255 + 1);
    const verdict = isFloatExact(past);
    expect(verdict).to.include({ exact: false, worstMagnitude: 2 ** 24 + 1, worstLayer: 0, worstNeuron: 1 });
    // The proof that it matters: exactly, z = [2^24, 2^24 + 1] → class 1. In float32, 127·255 + b1 rounds to 2^24
    // (2^24 + 1 is not a float32; ties-to-even goes down), the outputs tie, and argmax says class 0.
    expect(referenceLogits(past, [255])).to.deep.equal([2 ** 24, 2 ** 24 + 1]);
    expect(predict(past, [255])).to.equal(1);
    const b1 = past.layers[0]!.biases[1]!;
    expect(Math.fround(b1)).to.equal(b1);
    expect(Math.fround(Math.fround(127 * 255) + Math.fround(b1))).to.equal(2 ** 24);
    expect(Math.fround(Math.fround(b1) + Math.fround(127 * 255))).to.equal(2 ** 24);
    // …and ONNX Runtime's float graph, built anyway, does get it wrong; the integer graph does not.
    expect(() => buildExactOnnxGraph(past, { variant: "float-exact" })).to.throw(InexactFloatGraphError, /2\^24/);
    const wrong = await runGraph(buildExactOnnxGraph(past, { variant: "float-exact", allowInexact: true }), "float-exact", [[255]], 1);
    expect(wrong.logits[0]).to.deep.equal([2 ** 24, 2 ** 24]);
    expect(wrong.predictions[0]).to.equal(0);
    await expectExact(past, [[255], [0]], "integer", "past the limit");
  });

  it("isFloatExact bounds hidden inputs by what the previous layer can output", function () {
    // Layer 1 can output at most floor((100·255)/2^10) = 24, so layer 2's bound uses 24, not 255.
    const model: QuantizedModel = {
      widths: [1, 1, 2],
      layers: [
        { shift: 10, biases: [0], weights: [[100]] },
        { shift: 0, biases: [16_000_000, 0], weights: [[127], [-128]] },
      ],
    };
    expect(isFloatExact(model)).to.include({ exact: true, worstMagnitude: 16_000_000 + 127 * 24, worstLayer: 1, worstNeuron: 0 });
    // A dead layer (never positive) passes 0 on.
    const dead: QuantizedModel = { ...model, layers: [{ shift: 0, biases: [-40_000], weights: [[127]] }, model.layers[1]!] };
    expect(isFloatExact(dead)).to.include({ worstMagnitude: 16_000_000, worstLayer: 1 });
  });

  it("graph structure: opset 13, the documented ops, ArgMax ties to the lowest index, input and output types", function () {
    const model = randomModel([5, 4, 3, 2], 7);
    for (const variant of ["integer", "float-exact"] as const) {
      const proto = onnx.ModelProto.decode(buildExactOnnxGraph(model, { variant }));
      expect(Number(proto.irVersion)).to.equal(EXACT_GRAPH_IR_VERSION);
      expect(proto.opsetImport.map((o) => [o.domain, Number(o.version)])).to.deep.equal([["", EXACT_GRAPH_OPSET]]);
      const graph = proto.graph as onnx.GraphProto;
      const ops = [...new Set(graph.node.map((n) => n.opType))];
      expect(ops.sort()).to.deep.equal([...EXACT_GRAPH_OPS[variant]].sort());
      expect(graph.node.every((n) => n.domain === "")).to.equal(true);
      const argmax = graph.node.find((n) => n.opType === "ArgMax")!;
      const attr = Object.fromEntries((argmax.attribute ?? []).map((a) => [a.name, Number(a.i)]));
      expect(attr).to.deep.equal({ axis: 1, keepdims: 0, select_last_index: 0 });
      const T = onnx.TensorProto.DataType;
      const type = (v: onnx.IValueInfoProto) => v.type!.tensorType!.elemType;
      expect(graph.input.map((i) => [i.name, type(i)])).to.deep.equal([["features", variant === "integer" ? T.UINT8 : T.FLOAT]]);
      expect(graph.output.map((o) => [o.name, type(o)])).to.deep.equal([
        ["logits", variant === "integer" ? T.INT32 : T.FLOAT],
        ["prediction", T.INT64],
      ]);
      expect(graph.input[0]!.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue))).to.deep.equal(["N", 5]);
    }
  });

  it("edge cases: one layer, 255 classes, 784 and 1024 features, 8 layers, width-1 hidden layers", async function () {
    const int = seededInts(99);
    const rowsFor = (F: number, n: number) => Array.from({ length: n }, (_, r) => Array.from({ length: F }, () => (r === 0 ? 255 : int(0, 255))));
    const cases: [string, QuantizedModel][] = [
      ["one layer", randomModel([3, 2], 1, 0, 100)],
      ["255 classes", randomModel([8, 255], 2)],
      ["784-32-10", randomModel([784, 32, 10], 3, 12)],
      ["1024-8-2", randomModel([1024, 8, 2], 4, 14)],
      ["8 layers", randomModel([6, 9, 1, 7, 16, 3, 5, 4, 3], 5, 6, 3000)],
      ["width-1 hidden", randomModel([4, 1, 1, 2], 6, 3)],
    ];
    for (const [what, model] of cases) {
      const rows = rowsFor(model.widths[0] as number, 12);
      await expectExact(model, rows, "integer", what);
      if (isFloatExact(model).exact) await expectExact(model, rows, "float-exact", what);
    }
    // Bytes straight from a Uint8Array and from the protocol's max-size model also work.
    await expectExact(randomModel([784, 32, 10], 8, 12), [randomRows(1, 784, 1)], "integer", "Uint8Array row");
  });

  it("rejects models the contract rejects, and checks only arithmetic when requireRevealable is false", function () {
    const good = randomModel([3, 4, 2], 11);
    const bad: [string, QuantizedModel][] = [
      ["output shift", { ...good, layers: [good.layers[0]!, { ...good.layers[1]!, shift: 1 }] }],
      ["weight 128", { ...good, layers: [{ ...good.layers[0]!, weights: [[128, 0, 0], ...good.layers[0]!.weights.slice(1)] }, good.layers[1]!] }],
      ["bias 2^30 + 1", { ...good, layers: [{ ...good.layers[0]!, biases: [2 ** 30 + 1, 0, 0, 0] }, good.layers[1]!] }],
      ["shift 32", { ...good, layers: [{ ...good.layers[0]!, shift: 32 }, good.layers[1]!] }],
      ["widths", { ...good, widths: [3, 5, 2] }],
      ["no layers", { widths: [3], layers: [] }],
    ];
    for (const [what, model] of bad) {
      for (const variant of ["integer", "float-exact"] as const) {
        expect(() => buildExactOnnxGraph(model, { variant }), what).to.throw(ModelFormatError);
        expect(() => buildExactOnnxGraph(model, { variant, requireRevealable: false }), what).to.throw(ModelFormatError);
      }
      expect(() => isFloatExact(model), what).to.throw(ModelFormatError);
    }
    // Too large to reveal (and one class): the contract rejects it, the arithmetic is still well defined.
    const big = randomModel([784, 128, 10], 12);
    expect(() => buildExactOnnxGraph(big, { variant: "integer" })).to.throw(ModelFormatError, /bytes/);
    expect(() => validateModelArithmetic(big)).not.to.throw();
    expect(buildExactOnnxGraph(big, { variant: "integer", requireRevealable: false }).length).to.be.greaterThan(784 * 128);
  });
});

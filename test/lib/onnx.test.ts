import { expect } from "chai";
import { onnx } from "onnx-proto";
import { floatForward } from "../../lib/danku/floatModel";
import { OnnxImportError, parseOnnxDenseModel } from "../../lib/danku/onnx";

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const DOUBLE = onnx.TensorProto.DataType.DOUBLE;
const INT64 = onnx.TensorProto.DataType.INT64;
const A = onnx.AttributeProto.AttributeType;

/** float32 tensor stored as little-endian raw_data, as PyTorch writes initializers. */
function rawFloat(name: string, dims: number[], values: number[]): onnx.ITensorProto {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return { name, dims, dataType: FLOAT, rawData: bytes };
}

/** float32 tensor in float_data, as skl2onnx writes initializers. */
function floatData(name: string, dims: number[], values: number[]): onnx.ITensorProto {
  return { name, dims, dataType: FLOAT, floatData: values };
}

function node(opType: string, input: string[], output: string[], attribute: onnx.IAttributeProto[] = [], name = "", domain = ""): onnx.INodeProto {
  return { opType, input, output, attribute, name: name || `${opType}_${output[0]}`, domain };
}

const int = (name: string, i: number): onnx.IAttributeProto => ({ name, type: A.INT, i });
const float = (name: string, f: number): onnx.IAttributeProto => ({ name, type: A.FLOAT, f });

function valueInfo(name: string, dims: (number | string)[], elemType = FLOAT): onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } },
  };
}

function encode(graph: onnx.IGraphProto, irVersion = 7): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion,
    producerName: "test",
    opsetImport: [{ domain: "", version: 13 }],
    graph: { name: "g", ...graph },
  }).finish();
}

/** Float32 rounding, since the initializers are stored as float32. */
const f32 = (x: number) => Math.fround(x);

// Layer weights in PyTorch's [out][in] layout.
const W1 = [
  [0.5, -1.25, 2],
  [-0.75, 0.1, 0.3],
  [1.5, 0.25, -0.5],
  [0.2, 0.2, 0.2],
];
const B1 = [0.1, -0.2, 0.3, -0.4];
const W2 = [
  [1, -1, 0.5, 2],
  [-0.5, 0.75, 1.25, -1],
];
const B2 = [0.05, -0.05];

function direct(x: number[]): number[] {
  const h = W1.map((row, j) => Math.max(0, row.reduce((s, w, i) => s + f32(w) * x[i]!, f32(B1[j]!))));
  return W2.map((row, k) => row.reduce((s, w, j) => s + f32(w) * h[j]!, f32(B2[k]!)));
}

/** nn.Sequential(nn.Flatten(), nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)) exported by torch.onnx. */
function pytorchGraph(overrides: { nodes?: onnx.INodeProto[]; initializer?: onnx.ITensorProto[] } = {}): onnx.IGraphProto {
  return {
    node: overrides.nodes ?? [
      node("Flatten", ["input"], ["/flatten/Flatten_output_0"], [int("axis", 1)], "/flatten/Flatten"),
      node("Gemm", ["/flatten/Flatten_output_0", "0.weight", "0.bias"], ["/0/Gemm_output_0"], [float("alpha", 1), float("beta", 1), int("transB", 1)], "/0/Gemm"),
      node("Relu", ["/0/Gemm_output_0"], ["/1/Relu_output_0"], [], "/1/Relu"),
      node("Gemm", ["/1/Relu_output_0", "2.weight", "2.bias"], ["output"], [float("alpha", 1), float("beta", 1), int("transB", 1)], "/2/Gemm"),
    ],
    initializer: overrides.initializer ?? [
      rawFloat("0.weight", [4, 3], W1.flat()),
      rawFloat("0.bias", [4], B1),
      rawFloat("2.weight", [2, 4], W2.flat()),
      rawFloat("2.bias", [2], B2),
    ],
    input: [valueInfo("input", ["batch", 3])],
    output: [valueInfo("output", ["batch", 2])],
  };
}

const transpose = (m: number[][]) => m[0]!.map((_, i) => m.map((row) => row[i]!));

/** skl2onnx's MLPClassifier: MatMul + Add ([1, n] intercepts) + Relu …, then Softmax, ArgMax, label lookup, ZipMap. */
function sklearnGraph(): onnx.IGraphProto {
  return {
    node: [
      node("Cast", ["float_input"], ["cast_input"], [int("to", FLOAT)]),
      node("MatMul", ["cast_input", "coefficient"], ["mul_result"]),
      node("Add", ["mul_result", "intercepts"], ["add_result"]),
      node("Relu", ["add_result"], ["next_activations"]),
      node("MatMul", ["next_activations", "coefficient1"], ["mul_result1"]),
      node("Add", ["mul_result1", "intercepts1"], ["add_result1"]),
      node("Softmax", ["add_result1"], ["out_activations_result"], [int("axis", 1)]),
      node("ArgMax", ["out_activations_result"], ["argmax_output"], [int("axis", 1)]),
      node("ArrayFeatureExtractor", ["classes", "argmax_output"], ["array_feature_extractor_result"], [], "", "ai.onnx.ml"),
      node("Cast", ["array_feature_extractor_result"], ["cast2_result"], [int("to", INT64)]),
      node("Reshape", ["cast2_result", "shape_tensor"], ["label"]),
      node("ZipMap", ["out_activations_result"], ["output_probability"], [], "", "ai.onnx.ml"),
    ],
    initializer: [
      floatData("coefficient", [3, 4], transpose(W1).flat()),
      floatData("intercepts", [1, 4], B1),
      floatData("coefficient1", [4, 2], transpose(W2).flat()),
      floatData("intercepts1", [1, 2], B2),
      { name: "classes", dims: [2], dataType: INT64, int64Data: [0, 1] },
      { name: "shape_tensor", dims: [1], dataType: INT64, int64Data: [-1] },
    ],
    input: [valueInfo("float_input", ["N", 3])],
    output: [valueInfo("label", ["N"], INT64), { name: "output_probability" }],
  };
}

function rejects(bytes: Uint8Array, pattern: RegExp): void {
  expect(() => parseOnnxDenseModel(bytes)).to.throw(OnnxImportError, pattern);
}

describe("lib/danku/onnx", () => {
  const inputs = [
    [0, 0, 0],
    [255, 0, 17],
    [12, 200, 99],
    [255, 255, 255],
  ];

  it("imports a PyTorch Gemm (transB = 1) network with a leading Flatten", () => {
    const model = parseOnnxDenseModel(encode(pytorchGraph()));
    expect(model.layers).to.have.length(2);
    expect(model.layers[0]!.weights).to.deep.equal(W1.map((row) => row.map(f32)));
    expect(model.layers[0]!.biases).to.deep.equal(B1.map(f32));
    expect(model.layers[1]!.weights).to.deep.equal(W2.map((row) => row.map(f32)));
    for (const x of inputs) expect(floatForward(model, x)).to.deep.equal(direct(x));
  });

  it("imports an skl2onnx MLPClassifier graph and ignores its post-processing", () => {
    const model = parseOnnxDenseModel(encode(sklearnGraph()));
    expect(model.layers[0]!.weights).to.deep.equal(W1.map((row) => row.map(f32)));
    expect(model.layers[1]!.biases).to.deep.equal(B2.map(f32));
    for (const x of inputs) expect(floatForward(model, x)).to.deep.equal(direct(x));
  });

  it("applies Gemm alpha, beta and transB = 0, and reads float64 initializers", () => {
    const graph = pytorchGraph({
      nodes: [
        node("Gemm", ["input", "w1", "b1"], ["h"], [float("alpha", 2), float("beta", 0.5)]),
        node("Relu", ["h"], ["r"]),
        node("Gemm", ["r", "w2", "b2"], ["output"], [int("transB", 1)]),
      ],
      initializer: [
        { name: "w1", dims: [3, 4], dataType: DOUBLE, doubleData: transpose(W1).flat() },
        { name: "b1", dims: [4], dataType: DOUBLE, doubleData: B1 },
        rawFloat("w2", [2, 4], W2.flat()),
        // raw little-endian float64
        { name: "b2", dims: [1, 2], dataType: DOUBLE, rawData: new Uint8Array(new Float64Array(B2).buffer) },
      ],
    });
    const model = parseOnnxDenseModel(encode(graph));
    expect(model.layers[0]!.weights).to.deep.equal(W1.map((row) => row.map((w) => 2 * w)));
    expect(model.layers[0]!.biases).to.deep.equal(B1.map((b) => 0.5 * b));
    expect(model.layers[1]!.biases).to.deep.equal(B2);
  });

  it("reads weights from Constant nodes and a scalar broadcast bias, and passes Identity/Dropout through", () => {
    const graph: onnx.IGraphProto = {
      node: [
        node("Constant", [], ["w"], [{ name: "value", type: A.TENSOR, t: rawFloat("", [3, 2], [1, 2, 3, 4, 5, 6]) }]),
        node("Constant", [], ["b"], [{ name: "value_float", type: A.FLOAT, f: 0.5 }]),
        node("Identity", ["input"], ["x"]),
        node("MatMul", ["x", "w"], ["m"]),
        node("Add", ["b", "m"], ["a"]),
        node("Dropout", ["a"], ["output", "mask"]),
      ],
      initializer: [],
      input: [valueInfo("input", ["batch", 3])],
      output: [valueInfo("output", ["batch", 2])],
    };
    const model = parseOnnxDenseModel(encode(graph));
    expect(model.layers).to.deep.equal([
      {
        weights: [
          [1, 3, 5],
          [2, 4, 6],
        ],
        biases: [0.5, 0.5],
      },
    ]);
  });

  it("folds a Transpose of a constant weight (torch.onnx without constant folding)", () => {
    const graph = pytorchGraph();
    graph.node!.unshift(node("Transpose", ["w_t"], ["0.weight"], [{ name: "perm", type: A.INTS, ints: [1, 0] }]));
    graph.node!.unshift(node("Transpose", ["w2_t"], ["2.weight"]));
    graph.initializer![0] = rawFloat("w_t", [3, 4], transpose(W1).flat());
    graph.initializer![2] = rawFloat("w2_t", [4, 2], transpose(W2).flat());
    const model = parseOnnxDenseModel(encode(graph));
    for (const x of inputs) expect(floatForward(model, x)).to.deep.equal(direct(x));
  });

  it("lists initializers among the graph inputs (old exporters) without treating them as data inputs", () => {
    const graph = pytorchGraph();
    graph.input = [...graph.input!, valueInfo("0.weight", [4, 3]), valueInfo("0.bias", [4])];
    expect(parseOnnxDenseModel(encode(graph)).layers).to.have.length(2);
  });

  describe("rejections", () => {
    it("rejects bytes that are not an ONNX model", () => {
      rejects(new Uint8Array(0), /empty/);
      rejects(new TextEncoder().encode('{"layers": []}'), /not an ONNX model/);
      rejects(Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 255), /not an ONNX model/);
      rejects(onnx.ModelProto.encode({ producerName: "x" }).finish(), /not an ONNX model/);
    });

    it("rejects an empty graph", () => {
      rejects(encode({ node: [], input: [valueInfo("input", [1, 3])] }), /graph is empty/);
    });

    for (const op of ["Conv", "Sigmoid", "Tanh", "BatchNormalization"]) {
      it(`rejects ${op} and names the node`, () => {
        const graph = pytorchGraph();
        graph.node![2] = node(op, ["/0/Gemm_output_0"], ["/1/Relu_output_0"], [], "/1/Act");
        rejects(encode(graph), new RegExp(`unsupported operator ${op} in node "/1/Act" \\(${op}\\)`));
      });
    }

    it("rejects a network that ends with Relu", () => {
      const graph = pytorchGraph();
      graph.node!.push(node("Relu", ["output"], ["final"]));
      graph.output = [valueInfo("final", ["batch", 2])];
      rejects(encode(graph), /ends with Relu/);
    });

    it("rejects non-finite weights and names the tensor", () => {
      rejects(encode(pytorchGraph({ initializer: [rawFloat("0.weight", [4, 3], [...W1.flat().slice(0, 11), NaN]), rawFloat("0.bias", [4], B1), rawFloat("2.weight", [2, 4], W2.flat()), rawFloat("2.bias", [2], B2)] })), /"0\.weight".*NaN at index 11/);
      rejects(encode(pytorchGraph({ initializer: [rawFloat("0.weight", [4, 3], W1.flat()), rawFloat("0.bias", [4], [1, Infinity, 0, 0]), rawFloat("2.weight", [2, 4], W2.flat()), rawFloat("2.bias", [2], B2)] })), /"0\.bias".*Infinity/);
    });

    it("rejects shapes that do not chain", () => {
      // Second layer expects 5 inputs but the first has 4 outputs.
      rejects(
        encode(pytorchGraph({ initializer: [rawFloat("0.weight", [4, 3], W1.flat()), rawFloat("0.bias", [4], B1), rawFloat("2.weight", [2, 5], new Array(10).fill(1)), rawFloat("2.bias", [2], B2)] })),
        /"\/2\/Gemm" \(Gemm\) expects 5 inputs but receives 4/,
      );
      // The declared input width disagrees with the first layer.
      const graph = pytorchGraph();
      graph.input = [valueInfo("input", ["batch", 7])];
      rejects(encode(graph), /expects 3 inputs but receives 7/);
      // A bias of the wrong length.
      rejects(
        encode(pytorchGraph({ initializer: [rawFloat("0.weight", [4, 3], W1.flat()), rawFloat("0.bias", [3], [1, 2, 3]), rawFloat("2.weight", [2, 4], W2.flat()), rawFloat("2.bias", [2], B2)] })),
        /bias .* has shape \[3\]; expected \[4\]/,
      );
      // raw_data of the wrong size.
      rejects(
        encode(pytorchGraph({ initializer: [rawFloat("0.weight", [4, 4], W1.flat()), rawFloat("0.bias", [4], B1), rawFloat("2.weight", [2, 4], W2.flat()), rawFloat("2.bias", [2], B2)] })),
        /48 raw bytes but its shape \[4, 4\] needs 64/,
      );
      // A 3-D weight.
      rejects(
        encode(pytorchGraph({ initializer: [rawFloat("0.weight", [4, 3, 1], W1.flat()), rawFloat("0.bias", [4], B1), rawFloat("2.weight", [2, 4], W2.flat()), rawFloat("2.bias", [2], B2)] })),
        /shape \[4, 3, 1\]; expected a matrix/,
      );
    });

    it("rejects integer weights, external data, and weights computed at run time", () => {
      const ints = pytorchGraph();
      ints.initializer![0] = { name: "0.weight", dims: [4, 3], dataType: INT64, int64Data: new Array(12).fill(1) };
      rejects(encode(ints), /data type INT64; only float32 and float64/);
      const external = pytorchGraph();
      external.initializer![0] = { name: "0.weight", dims: [4, 3], dataType: FLOAT, dataLocation: onnx.TensorProto.DataLocation.EXTERNAL };
      rejects(encode(external), /external file/);
      const computed = pytorchGraph();
      computed.node!.unshift(node("Mul", ["w_half", "two"], ["0.weight"]));
      computed.initializer![0] = rawFloat("w_half", [4, 3], W1.flat().map((w) => w / 2));
      computed.initializer!.push(rawFloat("two", [], [2]));
      rejects(encode(computed), /weight B "0\.weight" of node "\/0\/Gemm" \(Gemm\) is not a constant \(it is computed by a Mul node\)/);
    });

    it("rejects branches, non-dense structure and post-processing that can change the argmax", () => {
      const branch = pytorchGraph();
      branch.node!.push(node("Relu", ["/0/Gemm_output_0"], ["other"]));
      rejects(encode(branch), /branches at "\/0\/Gemm_output_0"/);
      const scaled = pytorchGraph();
      scaled.node!.push(node("Mul", ["output", "k"], ["scaled"]));
      scaled.initializer!.push(rawFloat("k", [1], [-1]));
      rejects(encode(scaled), /unsupported operator Mul/);
      const wrongAxis = pytorchGraph();
      wrongAxis.node!.push(node("Softmax", ["output"], ["probs"], [int("axis", 0)]));
      rejects(encode(wrongAxis), /axis 0, not the class axis/);
      const noLinear = pytorchGraph({ nodes: [node("Relu", ["input"], ["output"])] });
      rejects(encode(noLinear), /Relu.*does not follow a dense layer/);
      const twoLinear = pytorchGraph();
      twoLinear.node!.splice(2, 1);
      twoLinear.node![2] = node("Gemm", ["/0/Gemm_output_0", "2.weight", "2.bias"], ["output"], [int("transB", 1)], "/2/Gemm");
      rejects(encode(twoLinear), /without a Relu in between/);
      const transA = pytorchGraph();
      transA.node![1]!.attribute!.push(int("transA", 1));
      rejects(encode(transA), /transA = 1/);
      const flatten0 = pytorchGraph();
      flatten0.node![0]!.attribute = [int("axis", 0)];
      rejects(encode(flatten0), /axis 0/);
      const castInt = pytorchGraph();
      castInt.node![0] = node("Cast", ["input"], ["/flatten/Flatten_output_0"], [int("to", INT64)]);
      rejects(encode(castInt), /casts to INT64/);
      const twoInputs = pytorchGraph();
      twoInputs.input!.push(valueInfo("extra", ["batch", 3]));
      rejects(encode(twoInputs), /exactly one data input; this graph has 2/);
      const custom = pytorchGraph();
      custom.node![2] = node("FusedRelu", ["/0/Gemm_output_0"], ["/1/Relu_output_0"], [], "fr", "com.microsoft");
      rejects(encode(custom), /unsupported operator com\.microsoft\.FusedRelu/);
    });

    it("rejects a model the float format cannot hold (too many layers)", () => {
      const nodes: onnx.INodeProto[] = [];
      const initializer: onnx.ITensorProto[] = [];
      let current = "input";
      for (let l = 0; l < 9; l++) {
        nodes.push(node("Gemm", [current, `w${l}`], [`z${l}`], [int("transB", 1)]));
        initializer.push(rawFloat(`w${l}`, [2, 2], [1, 0, 0, 1]));
        current = `z${l}`;
        if (l < 8) {
          nodes.push(node("Relu", [current], [`r${l}`]));
          current = `r${l}`;
        }
      }
      const graph: onnx.IGraphProto = { node: nodes, initializer, input: [valueInfo("input", ["b", 2])], output: [valueInfo(current, ["b", 2])] };
      rejects(encode(graph), /not usable: a model needs 1 to 8 layers, this one has 9/);
    });
  });
});

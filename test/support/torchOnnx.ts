/**
 * Test fixtures: a float dense network written as the ONNX graph `torch.onnx.export` produces for
 * nn.Sequential(nn.Linear, nn.ReLU, …, nn.Linear) — Gemm(transB = 1) with float32 raw_data initializers, a
 * symbolic batch dimension — plus files the importer must reject. Used by the library tests and the end-to-end tests,
 * which have no Python to export real PyTorch models with.
 */
import { onnx } from "onnx-proto";
import type { FloatModel } from "../../lib/danku/floatModel";

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const A = onnx.AttributeProto.AttributeType;

function rawFloat(name: string, dims: number[], values: readonly number[]): onnx.ITensorProto {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return { name, dims, dataType: FLOAT, rawData: bytes };
}

function valueInfo(name: string, dims: (number | string)[]): onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } } };
}

/** ONNX bytes of `model` as torch.onnx.export writes an nn.Sequential of Linear and ReLU layers. */
export function torchStyleOnnx(model: FloatModel, options: { extraNode?: onnx.INodeProto } = {}): Uint8Array {
  const nodes: onnx.INodeProto[] = [];
  const initializer: onnx.ITensorProto[] = [];
  let input = "input";
  model.layers.forEach((layer, l) => {
    const index = 2 * l;
    const out = l === model.layers.length - 1 && !options.extraNode ? "output" : `/${index}/Gemm_output_0`;
    initializer.push(rawFloat(`${index}.weight`, [layer.weights.length, layer.weights[0]?.length ?? 0], layer.weights.flat()));
    initializer.push(rawFloat(`${index}.bias`, [layer.biases.length], layer.biases));
    nodes.push({
      opType: "Gemm",
      name: `/${index}/Gemm`,
      input: [input, `${index}.weight`, `${index}.bias`],
      output: [out],
      attribute: [
        { name: "alpha", type: A.FLOAT, f: 1 },
        { name: "beta", type: A.FLOAT, f: 1 },
        { name: "transB", type: A.INT, i: 1 },
      ],
    });
    input = out;
    if (l < model.layers.length - 1) {
      const relu = `/${index + 1}/Relu_output_0`;
      nodes.push({ opType: "Relu", name: `/${index + 1}/Relu`, input: [input], output: [relu] });
      input = relu;
    }
  });
  if (options.extraNode) nodes.push({ ...options.extraNode, input: [input], output: ["output"] });
  const inputs = model.layers[0]?.weights[0]?.length ?? 0;
  const outputs = model.layers[model.layers.length - 1]?.biases.length ?? 0;
  return onnx.ModelProto.encode({
    irVersion: 8,
    producerName: "pytorch",
    producerVersion: "2.5.0",
    opsetImport: [{ domain: "", version: 17 }],
    graph: { name: "main_graph", node: nodes, initializer, input: [valueInfo("input", ["batch", inputs])], output: [valueInfo("output", ["batch", outputs])] },
  }).finish();
}

/** A torch-style network with an operator the importer does not support (Sigmoid) in front of the output. */
export function onnxWithUnsupportedOperator(model: FloatModel): Uint8Array {
  return torchStyleOnnx(model, { extraNode: { opType: "Sigmoid", name: "/sigmoid/Sigmoid" } });
}

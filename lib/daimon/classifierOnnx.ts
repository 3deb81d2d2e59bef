/**
 * A float dense classifier (lib/danku/floatModel.ts's `{"layers": [...]}`, ReLU between layers) as the ONNX graph a
 * PyTorch export of nn.Sequential(Flatten, Linear, ReLU, …, Linear) produces: float32 input [N, ...inputShape],
 * Flatten when the input has more than one dimension, Gemm (transB = 1) per layer, float32 scores [N, C] out.
 * DaiMoN models M are any ONNX classifier of that interface (docs/daimon.md "Client formats"); this builder gives the
 * demo seeding, the CLI tests and the PoI tests real model files without Python.
 */
import { onnx } from "onnx-proto";
import { floatModelWidths, type FloatModel } from "../danku/floatModel";

export const CLASSIFIER_ONNX_INPUT = "input";
export const CLASSIFIER_ONNX_OUTPUT = "scores";

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const AttributeType = onnx.AttributeProto.AttributeType;

function floatTensor(name: string, dims: number[], values: readonly number[]): onnx.ITensorProto {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return { name, dims, dataType: FLOAT, rawData: bytes };
}

function valueInfo(name: string, dims: readonly (number | string)[]): onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } },
  };
}

/** ONNX bytes of `model` for inputs of `inputShape` (default: [features], the model's input width). */
export function buildClassifierOnnx(model: FloatModel, options: { inputShape?: readonly number[] } = {}): Uint8Array {
  const widths = floatModelWidths(model);
  const features = widths[0] as number;
  const inputShape = options.inputShape ?? [features];
  if (inputShape.reduce((a, b) => a * b, 1) !== features) {
    throw new RangeError(`an input of shape [${inputShape.join(", ")}] has ${inputShape.reduce((a, b) => a * b, 1)} values, the model takes ${features}`);
  }
  const nodes: onnx.INodeProto[] = [];
  const initializer: onnx.ITensorProto[] = [];
  let current = CLASSIFIER_ONNX_INPUT;
  if (inputShape.length > 1) {
    nodes.push({ opType: "Flatten", name: "flatten", input: [current], output: ["flat"], attribute: [{ name: "axis", type: AttributeType.INT, i: 1 }] });
    current = "flat";
  }
  model.layers.forEach((layer, l) => {
    const last = l === model.layers.length - 1;
    const out = last ? CLASSIFIER_ONNX_OUTPUT : `gemm_${l}`;
    initializer.push(floatTensor(`w${l}`, [layer.weights.length, layer.weights[0]?.length ?? 0], layer.weights.flat()));
    initializer.push(floatTensor(`b${l}`, [layer.biases.length], layer.biases));
    nodes.push({
      opType: "Gemm",
      name: `gemm${l}`,
      input: [current, `w${l}`, `b${l}`],
      output: [out],
      attribute: [{ name: "transB", type: AttributeType.INT, i: 1 }],
    });
    current = out;
    if (!last) {
      nodes.push({ opType: "Relu", name: `relu${l}`, input: [current], output: [`relu_${l}`] });
      current = `relu_${l}`;
    }
  });
  return onnx.ModelProto.encode({
    irVersion: 8,
    producerName: "modelbounty",
    producerVersion: "1",
    opsetImport: [{ domain: "", version: 13 }],
    graph: {
      name: "classifier",
      node: nodes,
      initializer,
      input: [valueInfo(CLASSIFIER_ONNX_INPUT, ["N", ...inputShape])],
      output: [valueInfo(CLASSIFIER_ONNX_OUTPUT, ["N", widths[widths.length - 1] as number])],
    },
  }).finish();
}

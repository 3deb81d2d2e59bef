/**
 * ONNX → float CNN (docs/cnn.md §6), for PyTorch exports of nn.Sequential-style networks over images:
 *
 *   input [N, C, H, W] (static C, H, W) →
 *   ( Conv → Relu | MaxPool | AveragePool )* → Flatten (axis 1) or Reshape to [N, C·H·W] →
 *   ( Gemm | MatMul [+ Add] ) (Relu (Gemm | MatMul [+ Add]))* → [Softmax | LogSoftmax on the class axis]
 *
 * with Identity, Dropout and casts to float types passed through. Conv: any kernel ≤ 8, strides, symmetric zero
 * padding, group 1, dilation 1. Pools: no padding (so AveragePool's count_include_pad cannot matter), ceil_mode 0.
 * The format's conv2d always applies ReLU, so every Conv must be followed by a Relu (a MaxPool may come between them:
 * the two commute). PyTorch flattens NCHW in
 * C, H, W order; the format flattens HWC, so the first dense layer's weight columns are permuted here. Anything else
 * is rejected naming the node and what to change.
 */
import { onnx } from "onnx-proto";
import {
  attribute,
  collectConstants,
  decodeOnnxModel,
  floatAttribute,
  intAttribute,
  nodeLabel,
  OnnxImportError,
  readTensor,
  toInteger,
  toIntegerOrZero,
  type Tensor,
} from "../onnx";
import { validateCnnModel, CnnModelFormatError } from "./encoding";
import { CNN_MAX_KERNEL, CNN_MAX_STRIDE, type CnnLayer, type FloatCnnModel, type ImageShape } from "./model";

const DataType = onnx.TensorProto.DataType;
const FLOAT_TYPES = new Set<number>([DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16, DataType.BFLOAT16]);
const WHAT_TO_DO = "the format supports Conv+Relu, MaxPool, AveragePool, Flatten/Reshape, Gemm/MatMul(+Add) and Relu (docs/cnn.md §6)";

function intsAttribute(node: onnx.INodeProto, index: number, name: string, fallback: readonly number[]): number[] {
  const a = attribute(node, name);
  return a ? (a.ints ?? []).map((v) => toInteger(v, `attribute ${name} of ${nodeLabel(node, index)}`)) : [...fallback];
}

function stringAttribute(node: onnx.INodeProto, name: string): string | undefined {
  const s = attribute(node, name)?.s;
  return s ? new TextDecoder().decode(s) : undefined;
}

/** The values of an int64 tensor (a Reshape's shape), from int64_data or little-endian raw bytes. */
function readInt64s(tensor: onnx.ITensorProto, what: string): number[] {
  if (tensor.dataType !== DataType.INT64) throw new OnnxImportError(`${what} must be an int64 tensor`);
  const raw = tensor.rawData;
  if (raw && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    return Array.from({ length: raw.length / 8 }, (_, i) => Number(view.getBigInt64(8 * i, true)));
  }
  return (tensor.int64Data ?? []).map((v) => toInteger(v, what));
}

interface OpenDense {
  weights: number[][];
  biases: number[];
}

/** Parses an ONNX file of a convolutional network into a {@link FloatCnnModel} (HWC layout, ready to quantize). */
export function parseOnnxCnnModel(bytes: Uint8Array): FloatCnnModel {
  const graph = decodeOnnxModel(bytes).graph as onnx.IGraphProto;
  const nodes = graph.node ?? [];
  if (nodes.length === 0) throw new OnnxImportError("the ONNX graph is empty: it has no nodes");
  const constants = collectConstants(graph);
  const dataInputs = (graph.input ?? []).filter((input) => input.name && !constants.has(input.name));
  if (dataInputs.length !== 1) throw new OnnxImportError(`a network has exactly one data input; this graph has ${dataInputs.length}`);
  const dataInput = dataInputs[0] as onnx.IValueInfoProto;
  const dims = (dataInput.type?.tensorType?.shape?.dim ?? []).map((d) => toIntegerOrZero(d.dimValue));
  if (dims.length !== 4 || dims.slice(1).some((d) => d < 1)) {
    throw new OnnxImportError(
      `the input "${dataInput.name}" must be an image batch [N, C, H, W] with fixed C, H and W (export with a dummy input of the image's shape); it has ${dims.length} dimensions`,
    );
  }
  const input: ImageShape = { channels: dims[1] as number, height: dims[2] as number, width: dims[3] as number };

  const consumers = new Map<string, number[]>();
  nodes.forEach((node, index) => {
    for (const name of node.input ?? []) {
      if (!name) continue;
      const list = consumers.get(name) ?? [];
      if (!list.includes(index)) list.push(index);
      consumers.set(name, list);
    }
  });
  const graphOutputs = new Set((graph.output ?? []).map((o) => o.name ?? ""));
  const constantOperand = (node: onnx.INodeProto, index: number, name: string | undefined, role: string): Tensor => {
    const tensor = name ? constants.get(name) : undefined;
    if (!name || !tensor) throw new OnnxImportError(`the ${role} of ${nodeLabel(node, index)} is not a constant; weights must be stored as initializers`);
    return readTensor(tensor, `the ${role} "${name}" of ${nodeLabel(node, index)}`);
  };

  const layers: CnnLayer<number>[] = [];
  /** Shape in C, H, W terms while in the image part; undefined after the flatten. */
  let image: ImageShape | undefined = input;
  let width = 0;
  let pendingConv = false;
  let open: OpenDense | undefined;
  let firstDense = true;
  let flattenedFrom: ImageShape | undefined;
  let current = dataInput.name as string;
  let endsWithRelu = false;

  const startDense = (label: string, weights: number[][]) => {
    if (image) throw new OnnxImportError(`${label} is a dense layer on an image; put a Flatten (torch.flatten(x, 1) or nn.Flatten()) before it`);
    if (open) throw new OnnxImportError(`${label} follows another dense layer without a Relu in between`);
    const fanIn = (weights[0] ?? []).length;
    if (fanIn !== width) throw new OnnxImportError(`${label} expects ${fanIn} inputs but receives ${width}`);
    let rows = weights;
    if (firstDense && flattenedFrom) {
      // PyTorch's flatten order is c·H·W + y·W + x; the format's is (y·W + x)·C + c.
      const { height: H, width: W, channels: C } = flattenedFrom;
      rows = weights.map((row) => Array.from({ length: fanIn }, (_, i) => row[(i % C) * H * W + Math.floor(i / C)] as number));
    }
    firstDense = false;
    open = { weights: rows, biases: new Array<number>(rows.length).fill(0) };
    width = rows.length;
    endsWithRelu = false;
  };
  const addBias = (label: string, bias: Tensor, scale: number) => {
    const layer = open as OpenDense;
    const n = layer.biases.length;
    if (bias.values.length !== n && bias.values.length !== 1) throw new OnnxImportError(`the bias of ${label} has ${bias.values.length} values for ${n} outputs`);
    layer.biases = layer.biases.map((b, j) => b + scale * (bias.values[bias.values.length === 1 ? 0 : j] as number));
  };
  const closeDense = () => {
    if (open) layers.push({ kind: "dense", shift: 0, biases: open.biases, weights: open.weights });
    open = undefined;
  };
  const windowAttributes = (node: onnx.INodeProto, index: number, label: string, kernel: number[]) => {
    const strides = intsAttribute(node, index, "strides", [1, 1]);
    const pads = intsAttribute(node, index, "pads", [0, 0, 0, 0]);
    const dilations = intsAttribute(node, index, "dilations", [1, 1]);
    const autoPad = stringAttribute(node, "auto_pad") ?? "NOTSET";
    if (kernel.length !== 2 || strides.length !== 2 || pads.length !== 4) throw new OnnxImportError(`${label} is not a 2-D window (kernel [${kernel.join(", ")}])`);
    if (autoPad !== "NOTSET" && !(autoPad === "VALID" && pads.every((p) => p === 0))) throw new OnnxImportError(`${label} uses auto_pad ${autoPad}; export with explicit padding (padding=k//2 in PyTorch)`);
    if (dilations.some((d) => d !== 1)) throw new OnnxImportError(`${label} has dilation [${dilations.join(", ")}]; only dilation 1 is supported`);
    if (pads[0] !== pads[2] || pads[1] !== pads[3]) throw new OnnxImportError(`${label} pads [${pads.join(", ")}] unevenly; only the same padding on both sides of an axis is supported`);
    const win = { kernelH: kernel[0] as number, kernelW: kernel[1] as number, strideH: strides[0] as number, strideW: strides[1] as number, padH: pads[0] as number, padW: pads[1] as number };
    // The format's limits (docs/cnn.md §3), checked here so the message can name the node.
    if (Math.max(win.kernelH, win.kernelW) > CNN_MAX_KERNEL) throw new OnnxImportError(`${label} has a ${win.kernelH}×${win.kernelW} kernel; the format allows up to ${CNN_MAX_KERNEL}×${CNN_MAX_KERNEL}`);
    if (Math.max(win.strideH, win.strideW) > CNN_MAX_STRIDE || Math.min(win.strideH, win.strideW) < 1) throw new OnnxImportError(`${label} has stride ${win.strideH}×${win.strideW}; the format allows 1..${CNN_MAX_STRIDE}`);
    const shape = image as ImageShape;
    if (shape.height + 2 * win.padH < win.kernelH || shape.width + 2 * win.padW < win.kernelW) throw new OnnxImportError(`${label}: its ${win.kernelH}×${win.kernelW} window does not fit the ${shape.height}×${shape.width} input`);
    return win;
  };

  for (let steps = 0; ; steps++) {
    if (steps > nodes.length) throw new OnnxImportError("the graph contains a cycle");
    const next = consumers.get(current) ?? [];
    if (next.length === 0) {
      if (!graphOutputs.has(current)) throw new OnnxImportError(`the tensor "${current}" is neither consumed nor a graph output`);
      break;
    }
    if (next.length > 1) throw new OnnxImportError(`the graph branches at "${current}"; only a chain of layers is supported`);
    const index = next[0] as number;
    const node = nodes[index] as onnx.INodeProto;
    const op = node.opType ?? "";
    const label = nodeLabel(node, index);
    const inputs = node.input ?? [];
    if (node.domain && node.domain !== "ai.onnx") throw new OnnxImportError(`unsupported operator ${node.domain}.${op} in ${label}; ${WHAT_TO_DO}`);
    if (inputs[0] !== current && op !== "Add") throw new OnnxImportError(`${label} must take the activations as its first input`);
    // relu(maxpool(z)) = maxpool(relu(z)) exactly (max is monotone), so Conv → MaxPool → Relu, as in
    // F.relu(F.max_pool2d(conv(x), 2)), is the format's conv2d (with its ReLU) followed by the maxpool.
    if (pendingConv && op !== "Relu" && op !== "MaxPool") {
      throw new OnnxImportError(
        `${label} follows a Conv without a Relu in between; the format's conv2d always applies ReLU, so add nn.ReLU() right after each Conv2d` +
          (op === "AveragePool" ? " (only a MaxPool may come between a Conv and its Relu: averaging does not commute with ReLU)" : ""),
      );
    }
    switch (op) {
      case "Identity":
      case "Dropout":
        break;
      case "Cast":
        if (!FLOAT_TYPES.has(intAttribute(node, index, "to", 0))) throw new OnnxImportError(`${label} casts to a non-float type, which would change the values`);
        break;
      case "Conv": {
        if (!image) throw new OnnxImportError(`${label} comes after the flatten; convolutions must come before it`);
        const w = constantOperand(node, index, inputs[1], "weight");
        if (w.dims.length !== 4) throw new OnnxImportError(`the weight of ${label} has shape [${w.dims.join(", ")}]; expected [out, in, kh, kw]`);
        const [Co, Ci, kh, kw] = w.dims as [number, number, number, number];
        if (intAttribute(node, index, "group", 1) !== 1) throw new OnnxImportError(`${label} is a grouped/depthwise convolution; only group 1 is supported`);
        if (Ci !== image.channels) throw new OnnxImportError(`${label} expects ${Ci} input channels but receives ${image.channels}`);
        const win = windowAttributes(node, index, label, intsAttribute(node, index, "kernel_shape", [kh, kw]));
        if (win.kernelH !== kh || win.kernelW !== kw) throw new OnnxImportError(`${label} has kernel_shape ${win.kernelH}×${win.kernelW} but a ${kh}×${kw} weight`);
        const bias = inputs[2] ? constantOperand(node, index, inputs[2], "bias") : undefined;
        if (bias && bias.values.length !== Co) throw new OnnxImportError(`the bias of ${label} has ${bias.values.length} values for ${Co} channels`);
        const weights = Array.from({ length: Co }, (_, co) =>
          Array.from({ length: kh }, (_, ky) => Array.from({ length: kw }, (_, kx) => Array.from({ length: Ci }, (_, ci) => w.values[((co * Ci + ci) * kh + ky) * kw + kx] as number))),
        );
        const layer: CnnLayer<number> = { kind: "conv2d", ...win, shift: 0, biases: Array.from({ length: Co }, (_, j) => (bias ? (bias.values[j] as number) : 0)), weights };
        layers.push(layer);
        image = {
          channels: Co,
          height: Math.floor((image.height + 2 * win.padH - kh) / win.strideH) + 1,
          width: Math.floor((image.width + 2 * win.padW - kw) / win.strideW) + 1,
        };
        pendingConv = true;
        break;
      }
      case "MaxPool":
      case "AveragePool": {
        if (!image) throw new OnnxImportError(`${label} comes after the flatten; pools must come before it`);
        if ((node.output ?? []).filter((o) => o).length > 1) throw new OnnxImportError(`${label} also outputs indices; only the pooled values are supported`);
        if (intAttribute(node, index, "ceil_mode", 0) !== 0) throw new OnnxImportError(`${label} uses ceil_mode; export with ceil_mode=False`);
        const win = windowAttributes(node, index, label, intsAttribute(node, index, "kernel_shape", []));
        if (win.padH !== 0 || win.padW !== 0) {
          throw new OnnxImportError(`${label} pads its input; pools must not pad (padding=0), so that max and average are over real inputs only (count_include_pad cannot matter)`);
        }
        const kind = op === "MaxPool" ? "maxpool" : "avgpool";
        layers.push({ kind, kernelH: win.kernelH, kernelW: win.kernelW, strideH: win.strideH, strideW: win.strideW });
        image = {
          channels: image.channels,
          height: Math.floor((image.height - win.kernelH) / win.strideH) + 1,
          width: Math.floor((image.width - win.kernelW) / win.strideW) + 1,
        };
        break;
      }
      case "Flatten":
      case "Reshape": {
        if (!image) {
          if (op === "Flatten" || open === undefined) break; // flattening a vector again changes nothing
          throw new OnnxImportError(`${label} reshapes the dense activations; only a Flatten/Reshape between the image layers and the dense layers is supported`);
        }
        const size = image.height * image.width * image.channels;
        if (op === "Flatten") {
          const axis = intAttribute(node, index, "axis", 1);
          if (axis !== 1) throw new OnnxImportError(`${label} flattens with axis ${axis}; only axis 1 (keep the batch dimension) is supported`);
        } else {
          const shapeName = inputs[1];
          const shapeTensor = shapeName ? constants.get(shapeName) : undefined;
          if (!shapeTensor) throw new OnnxImportError(`the target shape of ${label} is computed in the graph; use torch.flatten(x, 1) or nn.Flatten() instead of x.view(x.size(0), -1)`);
          const target = readInt64s(shapeTensor, `the shape of ${label}`);
          const ok = target.length === 2 && (target[0] === -1 || target[0] === 0) && (target[1] === -1 || target[1] === size);
          if (!ok) throw new OnnxImportError(`${label} reshapes to [${target.join(", ")}]; only [N, ${size}] (flatten keeping the batch) is supported`);
        }
        layers.push({ kind: "flatten" });
        flattenedFrom = image;
        width = size;
        image = undefined;
        break;
      }
      case "Gemm": {
        if (intAttribute(node, index, "transA", 0) !== 0) throw new OnnxImportError(`${label} has transA = 1, which is not a dense layer`);
        const transB = intAttribute(node, index, "transB", 0) !== 0;
        const alpha = floatAttribute(node, "alpha", 1);
        const b = constantOperand(node, index, inputs[1], "weight B");
        if (b.dims.length !== 2) throw new OnnxImportError(`the weight B of ${label} has shape [${b.dims.join(", ")}]; expected a matrix`);
        const [rows, cols] = b.dims as [number, number];
        const fanOut = transB ? rows : cols;
        const fanIn = transB ? cols : rows;
        startDense(label, Array.from({ length: fanOut }, (_, j) => Array.from({ length: fanIn }, (_, i) => alpha * (b.values[transB ? j * cols + i : i * cols + j] as number))));
        if (inputs[2]) addBias(label, constantOperand(node, index, inputs[2], "bias C"), floatAttribute(node, "beta", 1));
        break;
      }
      case "MatMul": {
        const b = constantOperand(node, index, inputs[1], "weight");
        if (b.dims.length !== 2) throw new OnnxImportError(`the weight of ${label} has shape [${b.dims.join(", ")}]; expected a matrix`);
        const [fanIn, fanOut] = b.dims as [number, number];
        startDense(label, Array.from({ length: fanOut }, (_, j) => Array.from({ length: fanIn }, (_, i) => b.values[i * fanOut + j] as number)));
        break;
      }
      case "Add": {
        if (!open || inputs.length !== 2 || !inputs.includes(current)) throw new OnnxImportError(`${label} is not a bias added to a MatMul; ${WHAT_TO_DO}`);
        addBias(label, constantOperand(node, index, inputs[0] === current ? inputs[1] : inputs[0], "bias"), 1);
        break;
      }
      case "Relu": {
        if (pendingConv) pendingConv = false;
        else if (open) {
          closeDense();
          endsWithRelu = true;
        } else throw new OnnxImportError(`${label} does not follow a Conv or a dense layer`);
        break;
      }
      case "Softmax":
      case "LogSoftmax": {
        const axis = intAttribute(node, index, "axis", -1);
        if (!open || (axis !== 1 && axis !== -1)) throw new OnnxImportError(`${label} is only allowed on the class axis after the last dense layer`);
        break;
      }
      default:
        throw new OnnxImportError(`unsupported operator ${op} in ${label}; ${WHAT_TO_DO}`);
    }
    const output = node.output?.[0];
    if (!output) throw new OnnxImportError(`${label} has no output`);
    current = output;
  }
  if (pendingConv) throw new OnnxImportError("the network ends with a Conv; it must end with a dense (Linear) layer");
  if (open) closeDense();
  else if (endsWithRelu) throw new OnnxImportError("the network ends with Relu; the output layer must be linear (its outputs are the class scores)");
  if (image) throw new OnnxImportError("the network has no Flatten and no dense layer; it must end with Flatten and Linear layers");
  const model: FloatCnnModel = { input, layers };
  try {
    // Shapes, kinds and limits as the format checks them (weights are floats here, so the int8 check is skipped).
    validateCnnModel({ input, layers: layers.map(withZeroParameters) });
  } catch (error) {
    if (error instanceof CnnModelFormatError) throw new OnnxImportError(`the imported network does not fit the CNN format: ${error.message}`);
    throw error;
  }
  return model;
}

/** The same layer with every weight and bias 0: its structure can be validated before it is quantized. */
function withZeroParameters(layer: CnnLayer<number>): CnnLayer<number> {
  if (layer.kind === "conv2d") return { ...layer, biases: layer.biases.map(() => 0), weights: layer.weights.map((k) => k.map((r) => r.map((c) => c.map(() => 0)))) };
  if (layer.kind === "dense") return { ...layer, biases: layer.biases.map(() => 0), weights: layer.weights.map((r) => r.map(() => 0)) };
  return layer;
}

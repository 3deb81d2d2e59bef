/**
 * ONNX → float model (docs/protocol.md §4.2). Users train with PyTorch or scikit-learn and export ONNX; the protocol
 * only evaluates dense ReLU networks, so this importer accepts exactly a chain of dense layers and says precisely
 * which node is the problem otherwise, instead of silently importing a different network.
 *
 * Accepted, in graph order from the single data input:
 *  - pass-through: Identity, Dropout (inference), Flatten (axis 1), Cast to a float type;
 *  - a dense layer: Gemm (alpha, beta, transB; transA = 0) or MatMul, optionally followed by Add of a constant bias;
 *  - Relu between dense layers;
 *  - after the last dense layer, post-processing that cannot change which output is largest (Softmax/LogSoftmax on
 *    the class axis, ArgMax, ZipMap, ArrayFeatureExtractor, Cast, Reshape, Squeeze, Unsqueeze, Identity, Flatten), as
 *    skl2onnx's MLPClassifier export adds. It is ignored; the imported model ends at the logits.
 * Weights must be constants (initializers, Constant nodes, or a Transpose of one), float32 or float64, stored inside
 * the file.
 */
import { onnx } from "onnx-proto";
import { FloatModelError, parseFloatModelJson, type FloatModel } from "./floatModel";

export class OnnxImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OnnxImportError";
  }
}

const DataType = onnx.TensorProto.DataType;
const FLOAT_TYPES = new Set<number>([DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16, DataType.BFLOAT16]);
const STANDARD_DOMAINS = new Set(["", "ai.onnx", "ai.onnx.ml"]);
const POST_PROCESSING = new Set([
  "Softmax",
  "LogSoftmax",
  "ArgMax",
  "ZipMap",
  "ArrayFeatureExtractor",
  "Cast",
  "Reshape",
  "Squeeze",
  "Unsqueeze",
  "Identity",
  "Flatten",
]);
/** Post-processing ops that start the post-processing region (pass-through ops continue the chain instead). */
const POST_PROCESSING_START = new Set(["Softmax", "LogSoftmax", "ArgMax", "ZipMap", "ArrayFeatureExtractor"]);
/** Ops whose `axis` must be the class axis for argmax to be unchanged. */
const CLASS_AXIS_OPS = new Set(["Softmax", "LogSoftmax", "ArgMax"]);

export interface Tensor {
  readonly dims: number[];
  readonly values: Float64Array;
}

interface OpenLayer {
  weights: number[][];
  biases: number[];
}

/** int64 fields arrive as numbers or Long objects depending on the runtime; both print as decimal. */
export function toInteger(value: unknown, what: string): number {
  const n = typeof value === "number" ? value : typeof value === "object" && value !== null ? Number(String(value)) : NaN;
  if (!Number.isSafeInteger(n)) throw new OnnxImportError(`${what} is not a usable integer (${String(value)})`);
  return n;
}

export function nodeLabel(node: onnx.INodeProto, index: number): string {
  return `node ${node.name ? `"${node.name}"` : `#${index}`} (${node.opType ?? "?"})`;
}

export function attribute(node: onnx.INodeProto, name: string): onnx.IAttributeProto | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

export function intAttribute(node: onnx.INodeProto, index: number, name: string, fallback: number): number {
  const a = attribute(node, name);
  return a ? toInteger(a.i ?? 0, `attribute ${name} of ${nodeLabel(node, index)}`) : fallback;
}

export function floatAttribute(node: onnx.INodeProto, name: string, fallback: number): number {
  const a = attribute(node, name);
  return a ? (a.f ?? 0) : fallback;
}

/** The numbers of a float32/float64 tensor, from typed fields or little-endian raw bytes. */
export function readTensor(tensor: onnx.ITensorProto, what: string): Tensor {
  const dims = (tensor.dims ?? []).map((d) => toInteger(d, `a dimension of ${what}`));
  if (dims.some((d) => d < 0)) throw new OnnxImportError(`${what} has a negative dimension`);
  const count = dims.reduce((a, b) => a * b, 1);
  if (tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    throw new OnnxImportError(`${what} is stored in an external file; export the model with all weights embedded`);
  }
  const dataType = tensor.dataType ?? 0;
  const raw = tensor.rawData;
  let values: Float64Array;
  if (dataType === DataType.FLOAT || dataType === DataType.DOUBLE) {
    const size = dataType === DataType.FLOAT ? 4 : 8;
    if (raw && raw.length > 0) {
      if (raw.length !== count * size) {
        throw new OnnxImportError(`${what} has ${raw.length} raw bytes but its shape [${dims.join(", ")}] needs ${count * size}`);
      }
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      values = new Float64Array(count);
      for (let i = 0; i < count; i++) values[i] = size === 4 ? view.getFloat32(4 * i, true) : view.getFloat64(8 * i, true);
    } else {
      const typed = (dataType === DataType.FLOAT ? tensor.floatData : tensor.doubleData) ?? [];
      if (typed.length !== count) {
        throw new OnnxImportError(`${what} has ${typed.length} values but its shape [${dims.join(", ")}] needs ${count}`);
      }
      values = Float64Array.from(typed);
    }
  } else {
    const name = DataType[dataType] ?? String(dataType);
    throw new OnnxImportError(`${what} has data type ${name}; only float32 and float64 weights are supported`);
  }
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new OnnxImportError(`${what} contains ${values[bad]} at index ${bad}; weights must be finite`);
  return { dims, values };
}

function decodeModel(bytes: Uint8Array): onnx.ModelProto {
  if (bytes.length === 0) throw new OnnxImportError("the ONNX file is empty");
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new OnnxImportError(`not an ONNX model: the bytes are not a valid ModelProto (${(error as Error).message})`);
  }
  // Every exporter sets ir_version; bytes that merely happen to parse as protobuf almost never do.
  if (toIntegerOrZero(model.irVersion) <= 0 || !model.graph) {
    throw new OnnxImportError("not an ONNX model: no IR version or no graph");
  }
  return model;
}

export function toIntegerOrZero(value: unknown): number {
  try {
    return toInteger(value ?? 0, "ir_version");
  } catch {
    return 0;
  }
}

/**
 * Every constant tensor of a graph by name: initializers, Constant nodes (value, value_float, value_floats), and 2-D
 * Transposes of constants folded into constants. Shared with the CNN importer (lib/danku/cnn/onnx.ts).
 */
export function collectConstants(graph: onnx.IGraphProto): Map<string, onnx.ITensorProto> {
  const nodes = graph.node ?? [];
  const constants = new Map<string, onnx.ITensorProto>();
  for (const init of graph.initializer ?? []) if (init.name) constants.set(init.name, init);
  for (const node of nodes) {
    if (node.opType !== "Constant") continue;
    const output = node.output?.[0];
    const value = attribute(node, "value")?.t;
    const single = attribute(node, "value_float");
    const many = attribute(node, "value_floats");
    if (!output) continue;
    if (value) constants.set(output, value);
    else if (single) constants.set(output, { dims: [], dataType: DataType.FLOAT, floatData: [single.f ?? 0] });
    else if (many) constants.set(output, { dims: [(many.floats ?? []).length], dataType: DataType.FLOAT, floatData: many.floats ?? [] });
  }

  // Some exporters (torch.onnx's dynamo path without constant folding) store a Linear weight as
  // Transpose(initializer); fold a 2-D transpose of a constant into a constant.
  for (const [index, node] of nodes.entries()) {
    const source = node.input?.[0];
    const output = node.output?.[0];
    if (node.opType !== "Transpose" || !source || !output || !constants.has(source)) continue;
    const perm = (attribute(node, "perm")?.ints ?? [1, 0]).map((v) => toInteger(v, `perm of ${nodeLabel(node, index)}`));
    const tensor = readTensor(constants.get(source) as onnx.ITensorProto, `the input "${source}" of ${nodeLabel(node, index)}`);
    if (tensor.dims.length !== 2 || perm.length !== 2) continue;
    const [rows, cols] = tensor.dims as [number, number];
    const swap = perm[0] === 1;
    const doubleData = swap ? Array.from({ length: rows * cols }, (_, k) => tensor.values[(k % rows) * cols + Math.floor(k / rows)] as number) : Array.from(tensor.values);
    constants.set(output, { dims: swap ? [cols, rows] : [rows, cols], dataType: DataType.DOUBLE, doubleData });
  }
  return constants;
}

/** Parses an ONNX file of a dense ReLU network into the float model of docs/protocol.md §4.2. */
export function parseOnnxDenseModel(bytes: Uint8Array): FloatModel {
  const graph = decodeModel(bytes).graph as onnx.IGraphProto;
  const nodes = graph.node ?? [];
  if (nodes.length === 0) throw new OnnxImportError("the ONNX graph is empty: it has no nodes");

  const constants = collectConstants(graph);

  const dataInputs = (graph.input ?? []).filter((input) => input.name && !constants.has(input.name));
  if (dataInputs.length !== 1) {
    throw new OnnxImportError(
      `a dense network has exactly one data input; this graph has ${dataInputs.length}` +
        (dataInputs.length > 0 ? ` (${dataInputs.map((i) => `"${i.name}"`).join(", ")})` : ""),
    );
  }
  const dataInput = dataInputs[0] as onnx.IValueInfoProto;
  const inputDims = dataInput.type?.tensorType?.shape?.dim ?? [];
  const staticInputWidth = inputDims.length === 2 ? toIntegerOrZero(inputDims[1]?.dimValue) : 0;

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
    if (!name) throw new OnnxImportError(`${nodeLabel(node, index)} has no ${role}`);
    const tensor = constants.get(name);
    if (!tensor) {
      const producer = nodes.find((n) => (n.output ?? []).includes(name));
      throw new OnnxImportError(
        `the ${role} "${name}" of ${nodeLabel(node, index)} is not a constant` +
          (producer ? ` (it is computed by a ${producer.opType} node)` : "") +
          "; weights must be stored as initializers",
      );
    }
    return readTensor(tensor, `the ${role} "${name}" of ${nodeLabel(node, index)}`);
  };

  const layers: OpenLayer[] = [];
  let open: OpenLayer | undefined;
  let width = staticInputWidth > 0 ? staticInputWidth : undefined;
  let current = dataInput.name as string;
  let endsWithRelu = false;

  const startLayer = (node: onnx.INodeProto, index: number, weights: number[][], fanIn: number) => {
    if (open) {
      throw new OnnxImportError(
        `${nodeLabel(node, index)} follows another dense layer without a Relu in between; only Relu-separated dense layers are supported`,
      );
    }
    if (width !== undefined && fanIn !== width) {
      throw new OnnxImportError(`${nodeLabel(node, index)} expects ${fanIn} inputs but receives ${width}`);
    }
    open = { weights, biases: new Array<number>(weights.length).fill(0) };
    width = weights.length;
    endsWithRelu = false;
  };

  const addBias = (node: onnx.INodeProto, index: number, bias: Tensor, scale: number) => {
    const layer = open as OpenLayer;
    const n = layer.biases.length;
    const leading = bias.dims.slice(0, -1);
    const broadcastable =
      bias.values.length === 1 || (bias.dims[bias.dims.length - 1] === n && leading.every((d) => d === 1) && bias.values.length === n);
    if (!broadcastable) {
      throw new OnnxImportError(`the bias of ${nodeLabel(node, index)} has shape [${bias.dims.join(", ")}]; expected [${n}] or [1, ${n}]`);
    }
    layer.biases = layer.biases.map((b, j) => b + scale * (bias.values.length === 1 ? (bias.values[0] as number) : (bias.values[j] as number)));
  };

  for (let steps = 0; ; steps++) {
    if (steps > nodes.length) throw new OnnxImportError("the graph contains a cycle");
    const next = consumers.get(current) ?? [];
    if (next.length === 0) {
      if (!graphOutputs.has(current)) throw new OnnxImportError(`the tensor "${current}" is neither consumed nor a graph output`);
      break;
    }
    const nextNodes = next.map((i) => nodes[i] as onnx.INodeProto);
    if (nextNodes.some((n) => POST_PROCESSING_START.has(n.opType ?? "")) || next.length > 1) {
      if (!open || !nextNodes.every((n) => POST_PROCESSING.has(n.opType ?? ""))) {
        const list = next.map((i) => nodeLabel(nodes[i] as onnx.INodeProto, i)).join(", ");
        throw new OnnxImportError(
          open
            ? `the graph branches at "${current}" (consumed by ${list}); only a chain of dense layers is supported`
            : `the tensor "${current}" feeds ${list}, which is only allowed after the last dense layer (without a Relu)`,
        );
      }
      checkPostProcessing(nodes, consumers, current);
      break;
    }
    const index = next[0] as number;
    const node = nextNodes[0] as onnx.INodeProto;
    const op = node.opType ?? "";
    const label = nodeLabel(node, index);
    if (!STANDARD_DOMAINS.has(node.domain ?? "")) {
      throw new OnnxImportError(`unsupported operator ${node.domain}.${op} in ${label}`);
    }
    const inputs = node.input ?? [];
    const dataOperandFirst = inputs[0] === current;
    switch (op) {
      case "Identity":
      case "Dropout":
        break;
      case "Flatten": {
        const axis = intAttribute(node, index, "axis", 1);
        if (axis !== 1) throw new OnnxImportError(`${label} flattens with axis ${axis}; only axis 1 (keep the batch dimension) is supported`);
        break;
      }
      case "Cast": {
        const to = intAttribute(node, index, "to", 0);
        if (!FLOAT_TYPES.has(to)) {
          throw new OnnxImportError(`${label} casts to ${DataType[to] ?? to}, which would change the values; only casts to float types are allowed`);
        }
        break;
      }
      case "Gemm": {
        if (!dataOperandFirst) throw new OnnxImportError(`${label} must take the activations as its first operand A`);
        if (intAttribute(node, index, "transA", 0) !== 0) throw new OnnxImportError(`${label} has transA = 1, which is not a dense layer`);
        const transB = intAttribute(node, index, "transB", 0) !== 0;
        const alpha = floatAttribute(node, "alpha", 1);
        const beta = floatAttribute(node, "beta", 1);
        const b = constantOperand(node, index, inputs[1], "weight B");
        if (b.dims.length !== 2) throw new OnnxImportError(`the weight B of ${label} has shape [${b.dims.join(", ")}]; expected a matrix`);
        const [rows, cols] = b.dims as [number, number];
        const fanOut = transB ? rows : cols;
        const fanIn = transB ? cols : rows;
        const weights = Array.from({ length: fanOut }, (_, j) =>
          Array.from({ length: fanIn }, (_, i) => alpha * (b.values[transB ? j * cols + i : i * cols + j] as number)),
        );
        startLayer(node, index, weights, fanIn);
        if (inputs[2]) addBias(node, index, constantOperand(node, index, inputs[2], "bias C"), beta);
        break;
      }
      case "MatMul": {
        if (!dataOperandFirst) {
          throw new OnnxImportError(`${label} multiplies a constant by the activations; only activations × weights is supported`);
        }
        const b = constantOperand(node, index, inputs[1], "weight");
        if (b.dims.length !== 2) throw new OnnxImportError(`the weight of ${label} has shape [${b.dims.join(", ")}]; expected a matrix`);
        const [fanIn, fanOut] = b.dims as [number, number];
        const weights = Array.from({ length: fanOut }, (_, j) => Array.from({ length: fanIn }, (_, i) => b.values[i * fanOut + j] as number));
        startLayer(node, index, weights, fanIn);
        break;
      }
      case "Add": {
        if (!open) throw new OnnxImportError(`${label} does not follow a MatMul or Gemm; only a bias added to a dense layer is supported`);
        const other = inputs[0] === current ? inputs[1] : inputs[0];
        if (inputs.length !== 2 || !inputs.includes(current)) throw new OnnxImportError(`${label} must add a constant to the activations`);
        addBias(node, index, constantOperand(node, index, other, "bias"), 1);
        break;
      }
      case "Relu": {
        if (!open) throw new OnnxImportError(`${label} does not follow a dense layer`);
        layers.push(open);
        open = undefined;
        endsWithRelu = true;
        break;
      }
      default:
        throw new OnnxImportError(`unsupported operator ${op} in ${label}; only dense layers (Gemm, MatMul + Add) with Relu are supported`);
    }
    if (op !== "Gemm" && op !== "MatMul" && op !== "Add" && !dataOperandFirst) {
      throw new OnnxImportError(`${label} must take the activations as its first input`);
    }
    const output = node.output?.[0];
    if (!output) throw new OnnxImportError(`${label} has no output`);
    current = output;
  }

  if (open) layers.push(open);
  else if (endsWithRelu) {
    throw new OnnxImportError("the network ends with Relu; the output layer must be linear (its outputs are the class scores)");
  }
  if (layers.length === 0) throw new OnnxImportError("no dense layer (Gemm or MatMul) was found on the path from the input");

  try {
    return parseFloatModelJson({ layers });
  } catch (error) {
    if (error instanceof FloatModelError) throw new OnnxImportError(`the imported network is not usable: ${error.message}`);
    throw error;
  }
}

/** Every node downstream of the logits must be harmless post-processing, with class-axis reductions. */
function checkPostProcessing(nodes: readonly onnx.INodeProto[], consumers: Map<string, number[]>, logits: string): void {
  const queue = [logits];
  const seen = new Set<number>();
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    for (const index of consumers.get(name) ?? []) {
      if (seen.has(index)) continue;
      seen.add(index);
      const node = nodes[index] as onnx.INodeProto;
      const op = node.opType ?? "";
      const label = nodeLabel(node, index);
      if (!POST_PROCESSING.has(op) || !STANDARD_DOMAINS.has(node.domain ?? "")) {
        throw new OnnxImportError(
          `unsupported operator ${op} in ${label} after the last dense layer; only post-processing that keeps the argmax is allowed`,
        );
      }
      if (CLASS_AXIS_OPS.has(op)) {
        const axis = intAttribute(node, index, "axis", op === "ArgMax" ? 0 : -1);
        if (axis !== 1 && axis !== -1) throw new OnnxImportError(`${label} works along axis ${axis}, not the class axis`);
      }
      queue.push(...(node.output ?? []).filter((o) => o));
    }
  }
}

/** The ModelProto decoder with its sanity checks, for the CNN importer (named apart from encoding.ts's decodeModel). */
export { decodeModel as decodeOnnxModel };

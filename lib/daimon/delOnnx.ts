/**
 * DEL function → ONNX, so provers and verifiers run exactly the published f with ONNX Runtime (onnxruntime-web on
 * WASM or WebGPU, or any other runtime), and the inverse: read the parameters back from such a file.
 *
 * Graph (opset 13, IR 7, float32), for a batch of N label vectors:
 *   labels   int32 [N, m]      predicted labels 0..C−1 (the paper's class c is label c − 1)
 *   rows     = Add(labels, offsets)                  offsets[i] = i·C (int32 [m]): the one-hot row of each label
 *   gathered = Gather(W1 [m·C, H], rows, axis 0)     [N, m, H]
 *   a        = Add(ReduceSum(gathered, axes [1], keepdims 0), b1)     [N, H]
 *   z        = Add(MatMul(Relu(a), W2 [H, n]), b2)   [N, n]
 *   y        = Div(z, ReduceL2(z, axes [1], keepdims 1))               [N, n], unit rows
 * One vector is fed as [1, m]. Every op has a WebGPU kernel in onnxruntime-web (LpNormalization has none, hence
 * ReduceL2 + Div) and a CPU/WASM kernel. The input is int32, not the usual int64: JavaScript fills an Int32Array
 * without BigInt, WebGPU has no 64-bit integers (onnxruntime-web would narrow int64 anyway), and labels are tiny.
 * The graph does not range-check labels: a label ≥ C at position i silently reads a row of position i + 1, so
 * callers validate with {@link toLabelVector} first. z = 0 (every hidden unit dead and b2 = 0) gives NaN here where
 * lib/daimon/del.ts returns y = 0; a trained f never gets there.
 *
 * Gather holds N·m·H float32 (m = 10,000, H = 1,024: 41 MB per vector); W1 is 4·m·C·H bytes of raw_data.
 */
import { onnx } from "onnx-proto";
import { checkDelParameters, type DelParameters } from "./del";

export const DEL_ONNX_OPSET = 13;
export const DEL_ONNX_IR_VERSION = 7;
export const DEL_ONNX_INPUT = "labels";
export const DEL_ONNX_OUTPUT = "y";
/** The ops of the graph in order (for people, notes and tests). */
export const DEL_ONNX_OPS = ["Add", "Gather", "ReduceSum", "Add", "Relu", "MatMul", "Add", "ReduceL2", "Div"] as const;

const DataType = onnx.TensorProto.DataType;
const AttributeType = onnx.AttributeProto.AttributeType;
const META_PREFIX = "daimon.del.";

export class DelOnnxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DelOnnxError";
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Little-endian bytes of a float32 or int32 array (ONNX raw_data is little-endian). */
function littleEndianBytes(values: Float32Array | Int32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  const float = values instanceof Float32Array;
  for (let i = 0; i < values.length; i++) {
    if (float) view.setFloat32(4 * i, values[i] as number, true);
    else view.setInt32(4 * i, values[i] as number, true);
  }
  return bytes;
}

function tensor(name: string, dataType: number, dims: readonly number[], values: Float32Array | Int32Array): onnx.ITensorProto {
  return { name, dataType, dims: [...dims], rawData: littleEndianBytes(values) };
}

function valueInfo(name: string, elemType: number, dims: readonly (number | string)[]): onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } },
  };
}

/** The ONNX ModelProto (serialized) of the DEL function `params`. */
export function buildDelOnnx(params: DelParameters): Uint8Array {
  checkDelParameters(params);
  const { m, classCount: C, hidden: H, n } = params;
  const offsets = new Int32Array(m);
  for (let i = 0; i < m; i++) offsets[i] = i * C;
  if ((m - 1) * C + C - 1 > 2 ** 31 - 1) throw new DelOnnxError(`m·C = ${m * C} rows do not fit int32 indices`);
  const nodes: onnx.INodeProto[] = [];
  const node = (opType: string, input: string[], output: string, attribute: onnx.IAttributeProto[] = []) => {
    nodes.push({ opType, input, output: [output], attribute, name: `${opType}_${output}`, domain: "" });
  };
  node("Add", [DEL_ONNX_INPUT, "offsets"], "rows");
  node("Gather", ["W1", "rows"], "gathered", [{ name: "axis", type: AttributeType.INT, i: 0 }]);
  node("ReduceSum", ["gathered", "sum_axes"], "summed", [{ name: "keepdims", type: AttributeType.INT, i: 0 }]);
  node("Add", ["summed", "b1"], "a");
  node("Relu", ["a"], "h");
  node("MatMul", ["h", "W2"], "hw");
  node("Add", ["hw", "b2"], "z");
  node("ReduceL2", ["z"], "norm", [
    { name: "axes", type: AttributeType.INTS, ints: [1] },
    { name: "keepdims", type: AttributeType.INT, i: 1 },
  ]);
  node("Div", ["z", "norm"], DEL_ONNX_OUTPUT);
  const sumAxes: onnx.ITensorProto = { name: "sum_axes", dataType: DataType.INT64, dims: [1], int64Data: [1] };
  const graph: onnx.IGraphProto = {
    name: `daimon_del_m${m}_c${C}_h${H}_n${n}`,
    node: nodes,
    initializer: [
      tensor("offsets", DataType.INT32, [m], offsets),
      tensor("W1", DataType.FLOAT, [m * C, H], params.w1),
      sumAxes,
      tensor("b1", DataType.FLOAT, [H], params.b1),
      tensor("W2", DataType.FLOAT, [H, n], params.w2),
      tensor("b2", DataType.FLOAT, [n], params.b2),
    ],
    input: [valueInfo(DEL_ONNX_INPUT, DataType.INT32, ["N", m])],
    output: [valueInfo(DEL_ONNX_OUTPUT, DataType.FLOAT, ["N", n])],
    docString:
      "DaiMoN DEL function (docs/daimon-del.md): y = normalize(ReLU(b1 + sum_i W1[i*C + labels_i]) W2 + b2); " +
      "labels are 0..C-1 (the paper's class c is label c-1).",
  };
  const meta: Record<string, number | string> = { m, classCount: C, hidden: H, n, labels: "0-based" };
  return onnx.ModelProto.encode({
    irVersion: DEL_ONNX_IR_VERSION,
    producerName: "modelbounty",
    producerVersion: "1",
    opsetImport: [{ domain: "", version: DEL_ONNX_OPSET }],
    metadataProps: Object.entries(meta).map(([key, value]) => ({ key: META_PREFIX + key, value: String(value) })),
    graph,
  }).finish();
}

/** int64 fields arrive as numbers or Long objects depending on the runtime. */
function toInteger(value: unknown, what: string): number {
  const n = typeof value === "number" ? value : typeof value === "object" && value !== null ? Number(String(value)) : NaN;
  if (!Number.isSafeInteger(n)) throw new DelOnnxError(`${what} is not a usable integer (${String(value)})`);
  return n;
}

function readFloats(t: onnx.ITensorProto, count: number): Float32Array {
  if (t.dataType !== DataType.FLOAT) throw new DelOnnxError(`initializer ${t.name} is not float32`);
  const out = new Float32Array(count);
  if (t.rawData && t.rawData.length > 0) {
    if (t.rawData.length !== 4 * count) throw new DelOnnxError(`initializer ${t.name} has ${t.rawData.length} bytes, expected ${4 * count}`);
    const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
  } else {
    const data = t.floatData ?? [];
    if (data.length !== count) throw new DelOnnxError(`initializer ${t.name} has ${data.length} values, expected ${count}`);
    out.set(data);
  }
  return out;
}

/**
 * The parameters of a DEL ONNX file written by {@link buildDelOnnx} (or any graph with the same initializers, names
 * and shapes). Checks the shapes; does not check that the graph's nodes compute the DEL function.
 */
export function readDelOnnx(bytes: Uint8Array): DelParameters {
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new DelOnnxError(`not an ONNX model: ${error instanceof Error ? error.message : String(error)}`);
  }
  const initializers = new Map((model.graph?.initializer ?? []).map((t) => [t.name ?? "", t]));
  const get = (name: string) => {
    const t = initializers.get(name);
    if (!t) throw new DelOnnxError(`the model has no initializer ${name}: not a DEL graph`);
    return t;
  };
  const dims = (t: onnx.ITensorProto) => (t.dims ?? []).map((d, i) => toInteger(d, `dimension ${i} of ${t.name}`));
  const w1Dims = dims(get("W1"));
  const w2Dims = dims(get("W2"));
  if (w1Dims.length !== 2 || w2Dims.length !== 2) throw new DelOnnxError("W1 and W2 must be matrices");
  const [rows, hidden] = w1Dims as [number, number];
  const [hidden2, n] = w2Dims as [number, number];
  if (hidden !== hidden2) throw new DelOnnxError(`W1 has ${hidden} columns but W2 has ${hidden2} rows`);
  const offsets = get("offsets");
  const m = toInteger(dims(offsets)[0], "the length of offsets");
  const metaC = (model.metadataProps ?? []).find((p) => p.key === `${META_PREFIX}classCount`)?.value;
  const classCount = metaC !== undefined && metaC !== null ? Number(metaC) : rows / m;
  if (!Number.isInteger(classCount) || classCount * m !== rows) throw new DelOnnxError(`W1 has ${rows} rows, not m·C for m = ${m}`);
  const params: DelParameters = {
    m,
    classCount,
    hidden,
    n,
    w1: readFloats(get("W1"), rows * hidden),
    b1: readFloats(get("b1"), hidden),
    w2: readFloats(get("W2"), hidden * n),
    b2: readFloats(get("b2"), n),
  };
  checkDelParameters(params);
  return params;
}

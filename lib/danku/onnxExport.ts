/**
 * Quantized model → ONNX graph whose arithmetic is exactly the contract's forward pass (docs/protocol.md §4), so a
 * submitter can preview a model's on-chain score with ONNX Runtime (onnxruntime-web: WebGPU or WASM) and get the same
 * predictions, bit for bit, as lib/danku/forward.ts and the on-chain evaluator.
 *
 * Two variants, one input `features` [N, F] and two outputs, `logits` [N, C] and `prediction` [N] (int64):
 *
 * **integer** (input uint8, logits int32) — exact for every valid model, by construction:
 *   per layer `MatMulInteger(a: uint8 [N, in], W: int8 [in, out]) → int32`, `Add(int32 bias)`;
 *   hidden layers then `Max(z, 0)` (ReLU), `Cast → uint32`, `BitShift RIGHT by s` (floor of a non-negative value
 *   divided by 2^s; BitShift is defined on unsigned types only, and s = 31 needs 2^31, which int32 cannot hold),
 *   `Min(·, 255)`, `Cast → uint8` for the next layer. Every value fits int32: |z| ≤ 128·255·1024 + 2^30 < 2^31.
 *   ONNX Runtime has CPU kernels only for MatMulInteger, so this graph runs on the WASM (CPU) execution provider.
 *
 * **float-exact** (input float32, logits float32) — exact only when {@link isFloatExact} says so:
 *   per layer `MatMul(a, W: float32 [in, out])`, `Add(float32 bias)`; hidden layers then `Relu`, `Mul(2^-s)`, `Floor`,
 *   `Min(·, 255)`. Every op is a float op, so all of it runs on WebGPU. See {@link isFloatExact} for why it is exact.
 *   `Mul` by 2^-s rather than `Div` by 2^s: WGSL guarantees correctly rounded `*` but allows 2.5 ULP error for `/`.
 *
 * Both end with `ArgMax(logits, axis = 1, keepdims = 0, select_last_index = 0)`: ties go to the lowest index, as on
 * chain. Opset 13 (ai.onnx; IR version 7): the newest opset every op above is defined in and that onnxruntime-web's
 * WebGPU and CPU kernels cover (ArgMax's select_last_index needs ≥ 12, Min on integer types ≥ 12; nothing here needs
 * the opset-14+ changes, and pinning the older opset keeps the graph loadable by older runtimes). The batch size N is
 * a symbolic dimension, so one graph serves every batch.
 */
import { onnx } from "onnx-proto";
import { MAX_BIAS_MAGNITUDE, MAX_LAYERS, MAX_LAYER_WIDTH, MAX_SHIFT } from "./constants";
import { ModelFormatError, validateModel, type QuantizedModel } from "./encoding";

export type ExactGraphVariant = "integer" | "float-exact";

/** Opset of the default (ai.onnx) domain the exported graphs import. */
export const EXACT_GRAPH_OPSET = 13;
/** ONNX IR version of the exported ModelProto (IR 7 is the one that introduced opset 13). */
export const EXACT_GRAPH_IR_VERSION = 7;
export const EXACT_GRAPH_INPUT = "features";
export const EXACT_GRAPH_LOGITS = "logits";
export const EXACT_GRAPH_PREDICTION = "prediction";
/** Every integer with |x| ≤ 2^24 is a float32 (24-bit significand). */
export const FLOAT32_EXACT_INTEGER_LIMIT = 2 ** 24;

/** The ops each variant uses, in the order they first appear (for people, notes and tests). */
export const EXACT_GRAPH_OPS: Readonly<Record<ExactGraphVariant, readonly string[]>> = {
  integer: ["MatMulInteger", "Add", "Max", "Cast", "BitShift", "Min", "ArgMax"],
  "float-exact": ["MatMul", "Add", "Relu", "Mul", "Floor", "Min", "ArgMax"],
};

export interface FloatExactness {
  /** True when every intermediate of the float-exact graph is provably an integer of magnitude ≤ 2^24. */
  readonly exact: boolean;
  /** The largest bound found: max over layers l and neurons j of Σ_i |W[l][j][i]|·â_i + |B[l][j]|. */
  readonly worstMagnitude: number;
  /** Where the worst bound occurs (0-based layer and neuron). */
  readonly worstLayer: number;
  readonly worstNeuron: number;
  readonly limit: number;
}

/**
 * Checks what the exactness arguments of this file rely on: 1..8 layers, widths 1..1024, int8 weights, integer biases
 * within ±2^30, shifts 0..31 with 0 on the output layer, consistent shapes. Unlike {@link validateModel} it does not
 * apply the reveal limits (lane words, encoded size, class count), so a model too large to reveal can still be
 * previewed; pass `requireRevealable` to the builders to get the contract's full check instead.
 */
export function validateModelArithmetic(model: QuantizedModel): void {
  const { widths, layers } = model;
  if (layers.length < 1 || layers.length > MAX_LAYERS) throw new ModelFormatError(`a model needs 1 to ${MAX_LAYERS} layers, this one has ${layers.length}`);
  if (widths.length !== layers.length + 1) throw new ModelFormatError(`${layers.length} layers need ${layers.length + 1} widths, got ${widths.length}`);
  widths.forEach((w, i) => {
    if (!Number.isInteger(w) || w < 1 || w > MAX_LAYER_WIDTH) throw new ModelFormatError(`layer width ${i} is ${w}; widths must be 1..${MAX_LAYER_WIDTH}`);
  });
  layers.forEach((layer, l) => {
    const fanIn = widths[l] as number;
    const fanOut = widths[l + 1] as number;
    if (!Number.isInteger(layer.shift) || layer.shift < 0 || layer.shift > MAX_SHIFT) {
      throw new ModelFormatError(`layer ${l + 1} shift ${layer.shift} is outside 0..${MAX_SHIFT}`);
    }
    if (l === layers.length - 1 && layer.shift !== 0) throw new ModelFormatError("the output layer's shift must be 0");
    if (layer.biases.length !== fanOut || layer.weights.length !== fanOut) {
      throw new ModelFormatError(`layer ${l + 1} needs ${fanOut} biases and weight rows`);
    }
    layer.biases.forEach((b, j) => {
      if (!Number.isInteger(b) || Math.abs(b) > MAX_BIAS_MAGNITUDE) {
        throw new ModelFormatError(`layer ${l + 1} bias ${j} is ${b}; biases must be integers within ±2^30`);
      }
    });
    layer.weights.forEach((row, j) => {
      if (row.length !== fanIn) throw new ModelFormatError(`layer ${l + 1} neuron ${j} has ${row.length} weights for ${fanIn} inputs`);
      row.forEach((w, i) => {
        if (!Number.isInteger(w) || w < -128 || w > 127) {
          throw new ModelFormatError(`layer ${l + 1} weight [${j}][${i}] is ${w}; weights must be int8 (-128..127)`);
        }
      });
    });
  });
}

/**
 * Whether the float-exact graph computes exactly what the contract computes, for every possible input.
 *
 * Proof. Let â_i be an upper bound of input i of a layer: 255 for features (bytes) and, for layer l + 1,
 * â_j = min(255, floor(max(0, B_j + Σ_i max(W_ji, 0)·â_i) / 2^s)) (since 0 ≤ a_i ≤ â_i, z_j ≤ B_j + Σ_i max(W_ji,0)·â_i).
 * In layer l every product W_ji·a_i is an integer with |W_ji·a_i| ≤ |W_ji|·â_i ≤ 128·255, exact in float32.
 * Whatever order and blocking MatMul and Add use (sequential, tiled, tree, fused multiply-add, bias first or last),
 * each partial result is the sum of a subset of {W_ji·a_i} ∪ {B_j}, so an integer of magnitude at most
 * M_j = Σ_i |W_ji|·â_i + |B_j|. If M_j ≤ 2^24 that integer is a float32, and IEEE-754 addition and multiplication
 * (correctly rounded, as WGSL and WebAssembly require for f32 `+` and `*`) return a representable exact result
 * unchanged; so z_j is exact. Relu is exact; z·2^-s only changes the exponent (|z| ≤ 2^24 and s ≤ 31 stay in the
 * normal range), so it is exact; Floor and Min(·, 255) are exact; the next layer's inputs are therefore exactly the
 * contract's a_j ∈ 0..255. The output logits are exact, so ArgMax sees the contract's z. ∎
 * The only assumption is that MatMul is a sum of products (not a Winograd/Strassen-style transform), which holds for
 * ONNX Runtime's WebGPU and CPU MatMul kernels.
 */
export function isFloatExact(model: QuantizedModel): FloatExactness {
  validateModelArithmetic(model);
  let bounds: number[] = new Array<number>(model.widths[0] as number).fill(255);
  let worstMagnitude = 0;
  let worstLayer = 0;
  let worstNeuron = 0;
  const depth = model.layers.length;
  model.layers.forEach((layer, l) => {
    const next: number[] = [];
    layer.weights.forEach((row, j) => {
      const bias = layer.biases[j] as number;
      let magnitude = Math.abs(bias);
      let upper = bias;
      row.forEach((w, i) => {
        const bound = bounds[i] as number;
        magnitude += Math.abs(w) * bound;
        if (w > 0) upper += w * bound;
      });
      if (magnitude > worstMagnitude) {
        worstMagnitude = magnitude;
        worstLayer = l;
        worstNeuron = j;
      }
      if (l < depth - 1) next.push(Math.min(255, Math.floor(Math.max(0, upper) / 2 ** layer.shift)));
    });
    bounds = next;
  });
  return {
    exact: worstMagnitude <= FLOAT32_EXACT_INTEGER_LIMIT,
    worstMagnitude,
    worstLayer,
    worstNeuron,
    limit: FLOAT32_EXACT_INTEGER_LIMIT,
  };
}

export class InexactFloatGraphError extends Error {
  constructor(readonly exactness: FloatExactness) {
    super(
      `this model is not exact in float32: layer ${exactness.worstLayer + 1} neuron ${exactness.worstNeuron} can reach ` +
        `|${exactness.worstMagnitude}| > 2^24; use the integer graph`,
    );
    this.name = "InexactFloatGraphError";
  }
}

export interface ExactGraphOptions {
  readonly variant: ExactGraphVariant;
  /**
   * Build the float graph even when {@link isFloatExact} cannot prove it exact. Only for tests that demonstrate the
   * rounding; never for scoring.
   */
  readonly allowInexact?: boolean;
  /**
   * Default true: the contract's full reveal check ({@link validateModel}). false: only
   * {@link validateModelArithmetic}, to preview models beyond the reveal limits (e.g. a 784-128-10 network).
   */
  readonly requireRevealable?: boolean;
}

const DataType = onnx.TensorProto.DataType;
const AttributeType = onnx.AttributeProto.AttributeType;

export function intAttr(name: string, i: number): onnx.IAttributeProto {
  return { name, type: AttributeType.INT, i };
}

export function stringAttr(name: string, s: string): onnx.IAttributeProto {
  return { name, type: AttributeType.STRING, s: new TextEncoder().encode(s) };
}

export function valueInfo(name: string, elemType: number, dims: readonly (number | string)[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

/** Little-endian raw_data tensor (the layout ONNX prescribes for raw_data). */
export function rawTensor(name: string, dataType: number, dims: readonly number[], bytes: Uint8Array): onnx.ITensorProto {
  return { name, dataType, dims: [...dims], rawData: bytes };
}

function int8Matrix(name: string, model: QuantizedModel, l: number): onnx.ITensorProto {
  const fanIn = model.widths[l] as number;
  const fanOut = model.widths[l + 1] as number;
  const layer = model.layers[l]!;
  const data = new Int8Array(fanIn * fanOut);
  for (let j = 0; j < fanOut; j++) {
    const row = layer.weights[j]!;
    for (let i = 0; i < fanIn; i++) data[i * fanOut + j] = row[i]!;
  }
  return rawTensor(name, DataType.INT8, [fanIn, fanOut], new Uint8Array(data.buffer));
}

function float32Matrix(name: string, model: QuantizedModel, l: number): onnx.ITensorProto {
  const fanIn = model.widths[l] as number;
  const fanOut = model.widths[l + 1] as number;
  const layer = model.layers[l]!;
  const bytes = new Uint8Array(fanIn * fanOut * 4);
  const view = new DataView(bytes.buffer);
  for (let j = 0; j < fanOut; j++) {
    const row = layer.weights[j]!;
    for (let i = 0; i < fanIn; i++) view.setFloat32(4 * (i * fanOut + j), row[i]!, true);
  }
  return rawTensor(name, DataType.FLOAT, [fanIn, fanOut], bytes);
}

export function vector(name: string, dataType: number, values: readonly number[]): onnx.ITensorProto {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => {
    if (dataType === DataType.FLOAT) view.setFloat32(4 * i, v, true);
    else if (dataType === DataType.INT32) view.setInt32(4 * i, v, true);
    else view.setUint32(4 * i, v, true);
  });
  return rawTensor(name, dataType, [values.length], bytes);
}

export function scalar(name: string, dataType: number, value: number): onnx.ITensorProto {
  return { ...vector(name, dataType, [value]), dims: [] };
}

/**
 * Builds the ONNX ModelProto (serialized) of `model` in the chosen variant. Validates the model as the contract does
 * (a {@link ModelFormatError} for anything the contract would reject at reveal, or see `requireRevealable`); the float-exact variant also throws
 * {@link InexactFloatGraphError} unless {@link isFloatExact} proves it exact.
 */
export function buildExactOnnxGraph(model: QuantizedModel, options: ExactGraphOptions): Uint8Array {
  if (options.requireRevealable === false) validateModelArithmetic(model);
  else validateModel(model);
  const { variant } = options;
  if (variant === "float-exact" && !options.allowInexact) {
    const exactness = isFloatExact(model);
    if (!exactness.exact) throw new InexactFloatGraphError(exactness);
  }
  const integer = variant === "integer";
  const depth = model.layers.length;
  const featureCount = model.widths[0] as number;
  const classCount = model.widths[depth] as number;
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  const node = (opType: string, input: string[], output: string, attribute: onnx.IAttributeProto[] = []) => {
    nodes.push({ opType, input, output: [output], attribute, name: `${opType}_${output}`, domain: "" });
  };

  if (depth > 1 && integer) initializers.push(scalar("zero_i32", DataType.INT32, 0), scalar("cap_u32", DataType.UINT32, 255));
  if (depth > 1 && !integer) initializers.push(scalar("cap_f32", DataType.FLOAT, 255));

  let activation = EXACT_GRAPH_INPUT;
  model.layers.forEach((layer, l) => {
    const n = l + 1;
    const isOutput = l === depth - 1;
    const z = isOutput ? EXACT_GRAPH_LOGITS : `z${n}`;
    if (integer) {
      initializers.push(int8Matrix(`W${n}`, model, l), vector(`B${n}`, DataType.INT32, layer.biases));
      node("MatMulInteger", [activation, `W${n}`], `mm${n}`);
    } else {
      initializers.push(float32Matrix(`W${n}`, model, l), vector(`B${n}`, DataType.FLOAT, layer.biases));
      node("MatMul", [activation, `W${n}`], `mm${n}`);
    }
    node("Add", [`mm${n}`, `B${n}`], z);
    if (isOutput) return;
    if (integer) {
      node("Max", [z, "zero_i32"], `relu${n}`);
      node("Cast", [`relu${n}`], `relu${n}_u32`, [intAttr("to", DataType.UINT32)]);
      let shifted = `relu${n}_u32`;
      if (layer.shift > 0) {
        initializers.push(scalar(`shift${n}`, DataType.UINT32, layer.shift));
        shifted = `shifted${n}`;
        node("BitShift", [`relu${n}_u32`, `shift${n}`], shifted, [stringAttr("direction", "RIGHT")]);
      }
      node("Min", [shifted, "cap_u32"], `sat${n}`);
      activation = `a${n}`;
      node("Cast", [`sat${n}`], activation, [intAttr("to", DataType.UINT8)]);
    } else {
      node("Relu", [z], `relu${n}`);
      let floored = `relu${n}`;
      if (layer.shift > 0) {
        initializers.push(scalar(`scale${n}`, DataType.FLOAT, 2 ** -layer.shift));
        node("Mul", [`relu${n}`, `scale${n}`], `scaled${n}`);
        floored = `floor${n}`;
        node("Floor", [`scaled${n}`], floored);
      }
      activation = `a${n}`;
      node("Min", [floored, "cap_f32"], activation);
    }
  });
  node("ArgMax", [EXACT_GRAPH_LOGITS], EXACT_GRAPH_PREDICTION, [
    intAttr("axis", 1),
    intAttr("keepdims", 0),
    intAttr("select_last_index", 0),
  ]);

  const elem = integer ? DataType.UINT8 : DataType.FLOAT;
  const logitsType = integer ? DataType.INT32 : DataType.FLOAT;
  const graph: onnx.IGraphProto = {
    name: `modelbounty_${variant.replace("-", "_")}_${model.widths.join("x")}`,
    node: nodes,
    initializer: initializers,
    input: [valueInfo(EXACT_GRAPH_INPUT, elem, ["N", featureCount])],
    output: [
      valueInfo(EXACT_GRAPH_LOGITS, logitsType, ["N", classCount]),
      valueInfo(EXACT_GRAPH_PREDICTION, DataType.INT64, ["N"]),
    ],
    docString:
      `ModelBounty fixed-point network (docs/protocol.md §4), ${variant} variant: ` +
      "hidden a = min(floor(max(z, 0) / 2^s), 255); prediction = argmax z, ties to the lowest index.",
  };
  return onnx.ModelProto.encode({
    irVersion: EXACT_GRAPH_IR_VERSION,
    producerName: "modelbounty",
    producerVersion: "1",
    opsetImport: [{ domain: "", version: EXACT_GRAPH_OPSET }],
    metadataProps: [
      { key: "modelbounty.variant", value: variant },
      { key: "modelbounty.widths", value: model.widths.join("-") },
    ],
    graph,
  }).finish();
}

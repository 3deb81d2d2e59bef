/**
 * Quantized CNN → ONNX graph whose arithmetic is exactly {@link cnnLogits} (docs/cnn.md §5), for the browser preview
 * with onnxruntime-web's WASM (CPU) execution provider. Input `features` uint8 [N, H·W·C] (the point's bytes, HWC),
 * outputs `logits` int32 [N, classes] and `prediction` int64 [N] (ArgMax, ties to the lowest index).
 *
 *   image     Reshape [N, H, W, C] → Transpose to NCHW (ONNX's image layout).
 *   conv2d    ConvInteger(x: uint8, w: uint8 = W + 128, x_zero_point 0, w_zero_point 128) → int32 Σ x·W exactly
 *             (ONNX Runtime's CPU ConvInteger has a kernel for uint8 weights only, so the weights are stored as the
 *             model bytes store them, W + 128, and the zero point takes the 128 off again; zero padding pads with the
 *             input zero point 0). Add int32 bias [C, 1, 1]; then as a dense hidden layer: Max 0, Cast uint32,
 *             BitShift RIGHT s, Min 255, Cast uint8.
 *   maxpool   MaxPool on uint8 (defined for 8-bit integers since opset 12; exact: it only compares).
 *   avgpool   no integer AveragePool exists, so: Cast float32, AveragePool (no padding) = S/K for the window sum S and
 *             K = kh·kw, Mul K, Round → S exactly, Cast int32, Div K (integer division of S ≥ 0: floor(S / K)), Cast
 *             uint8. Exactness: S ≤ 255·64 < 2^14 is an integer, so any summation order gives S exactly in float32;
 *             AveragePool returns S/K with relative error ≤ 2^-23 whether it divides or multiplies by a rounded 1/K
 *             (two roundings of 2^-24 each), so |avg − S/K| < 256·2^-23 = 2^-15; Mul K adds ≤ K·2^-15 + 2^-24·S
 *             < 2^-8 + 2^-10 < 1/2, so Round gives S. The remaining steps are integer operations.
 *   flatten   Transpose back to NHWC, Reshape [N, H·W·C]: the HWC flatten order of the model format.
 *   dense     MatMulInteger(uint8, int8 W [in, out]) + Add int32 bias, hidden layers as in lib/danku/onnxExport.ts.
 *
 * Every int32 is in range: |Σ W·x| ≤ 128·255·8192 + 2^30 < 2^31 (a receptive field has ≤ 8·8·64 = 4096 inputs,
 * a dense layer ≤ 8192). Opset 13, IR 7, as the dense graphs.
 *
 * **float-exact** variant (float32 input and logits; only float ops, so WebGPU can run it), for models that
 * {@link isCnnFloatExact} proves exact: Conv (float weights and bias) / MatMul + Add, then Relu, Mul 2^-s, Floor,
 * Min 255; MaxPool; avgpool as AveragePool, Mul K, Round (= S, as above), then Floor((S + 1/2) · (1/K)) instead of
 * a division, because WGSL's `/` is not correctly rounded (see the comment at the node).
 */
import { onnx } from "onnx-proto";
import { WEIGHT_OFFSET } from "../constants";
import {
  FLOAT32_EXACT_INTEGER_LIMIT,
  EXACT_GRAPH_INPUT,
  EXACT_GRAPH_IR_VERSION,
  EXACT_GRAPH_LOGITS,
  EXACT_GRAPH_OPSET,
  EXACT_GRAPH_PREDICTION,
  intAttr,
  rawTensor,
  scalar,
  stringAttr,
  valueInfo,
  vector,
} from "../onnxExport";
import { validateCnnModel } from "./encoding";
import { layerShapes, shapeSize, type CnnModel, type ImageShape } from "./model";

export type CnnExactGraphVariant = "integer" | "float-exact";

export interface CnnFloatExactness {
  /** True when every intermediate of the float-exact graph is provably an integer of magnitude ≤ 2^24. */
  readonly exact: boolean;
  /** max over conv2d/dense outputs of |B| + Σ |W|·â over the receptive field (â: the inputs' upper bounds). */
  readonly worstMagnitude: number;
  /** The 0-based layer where it occurs. */
  readonly worstLayer: number;
  readonly limit: number;
}

/**
 * Whether the float-exact CNN graph computes exactly {@link cnnLogits} for every input; the argument of
 * lib/danku/onnxExport.ts `isFloatExact`, per channel. â (an upper bound of each input channel) is 255 for the image;
 * a conv2d or dense output channel j is bounded by min(255, floor(max(0, B_j + Σ max(W, 0)·â) / 2^s)); pools keep
 * their input's bounds (max and floor-average never exceed the largest input); flatten spreads each channel's bound
 * over its positions. Every partial sum of a Conv/MatMul output, in any order or blocking, is a sum of a subset of
 * the products and the bias, so an integer of magnitude ≤ M_j = |B_j| + Σ |W|·â; if M_j ≤ 2^24 it is exact in
 * float32, and Relu, ·2^-s, Floor, Min are exact as in the dense proof. Padding only removes terms. avgpool: see
 * {@link buildCnnExactOnnxGraph}. As for dense models, Conv is assumed to be a sum of products (im2col/direct, not a
 * Winograd transform), which holds for ONNX Runtime's CPU and WebGPU Conv kernels.
 */
export function isCnnFloatExact(model: CnnModel): CnnFloatExactness {
  validateCnnModel(model);
  const shapes = layerShapes(model.input, model.layers);
  /** Upper bound per channel of the current tensor (after flatten: per vector entry). */
  let bounds: number[] = new Array<number>(model.input.channels).fill(255);
  let worstMagnitude = 0;
  let worstLayer = 0;
  model.layers.forEach((layer, l) => {
    const inShape = l === 0 ? model.input : (shapes[l - 1] as ImageShape);
    if (layer.kind === "flatten") {
      bounds = Array.from({ length: shapeSize(inShape) }, (_, i) => bounds[i % inShape.channels] as number);
      return;
    }
    if (layer.kind !== "conv2d" && layer.kind !== "dense") return;
    const rows: readonly (readonly number[])[] =
      layer.kind === "dense" ? layer.weights : layer.weights.map((k) => k.flatMap((row) => row.flatMap((w) => [...w])));
    const boundOf = (i: number) => (layer.kind === "dense" ? (bounds[i] as number) : (bounds[i % inShape.channels] as number));
    bounds = rows.map((row, j) => {
      const bias = layer.biases[j] as number;
      let magnitude = Math.abs(bias);
      let upper = bias;
      row.forEach((w, i) => {
        magnitude += Math.abs(w) * boundOf(i);
        if (w > 0) upper += w * boundOf(i);
      });
      if (magnitude > worstMagnitude) {
        worstMagnitude = magnitude;
        worstLayer = l;
      }
      return Math.min(255, Math.floor(Math.max(0, upper) / 2 ** layer.shift));
    });
  });
  return { exact: worstMagnitude <= FLOAT32_EXACT_INTEGER_LIMIT, worstMagnitude, worstLayer, limit: FLOAT32_EXACT_INTEGER_LIMIT };
}

/** The ops the CNN graph can use (for people, notes and tests). */
export const CNN_EXACT_GRAPH_OPS = [
  "Reshape",
  "Transpose",
  "ConvInteger",
  "Add",
  "Max",
  "Cast",
  "BitShift",
  "Min",
  "MaxPool",
  "AveragePool",
  "Mul",
  "Round",
  "Div",
  "MatMulInteger",
  "ArgMax",
] as const;
/** The ops of the float-exact variant. */
export const CNN_FLOAT_EXACT_GRAPH_OPS = ["Reshape", "Transpose", "Conv", "Relu", "Mul", "Floor", "Min", "MaxPool", "AveragePool", "Round", "Add", "MatMul", "ArgMax"] as const;

const DataType = onnx.TensorProto.DataType;
const AttributeType = onnx.AttributeProto.AttributeType;

function intsAttr(name: string, ints: readonly number[]): onnx.IAttributeProto {
  return { name, type: AttributeType.INTS, ints: [...ints] };
}

function int64Vector(name: string, values: readonly number[]): onnx.ITensorProto {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setBigInt64(8 * i, BigInt(v), true));
  return rawTensor(name, DataType.INT64, [values.length], bytes);
}

/**
 * Builds the serialized ONNX ModelProto of `model` (validated as the format requires; throws CnnModelFormatError).
 * `float-exact` (float32 input and logits, float ops only, so it also runs on WebGPU) throws unless
 * {@link isCnnFloatExact} proves it exact.
 */
export function buildCnnExactOnnxGraph(model: CnnModel, variant: CnnExactGraphVariant = "integer"): Uint8Array {
  validateCnnModel(model);
  const integer = variant === "integer";
  if (!integer) {
    const exactness = isCnnFloatExact(model);
    if (!exactness.exact) {
      throw new RangeError(`this model is not exact in float32: layer ${exactness.worstLayer} can reach |${exactness.worstMagnitude}| > 2^24; use the integer graph`);
    }
  }
  const { input, layers } = model;
  const shapes = layerShapes(input, layers);
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [int64Vector("image_shape", [-1, input.height, input.width, input.channels])];
  // Shared constants, added once and only when a node uses them (ONNX Runtime warns about unused initializers).
  const shared: Record<string, () => onnx.ITensorProto> = {
    zero_i32: () => scalar("zero_i32", DataType.INT32, 0),
    cap_u32: () => scalar("cap_u32", DataType.UINT32, 255),
    zero_u8: () => rawTensor("zero_u8", DataType.UINT8, [], Uint8Array.of(0)),
    offset_u8: () => rawTensor("offset_u8", DataType.UINT8, [], Uint8Array.of(WEIGHT_OFFSET)),
    cap_f32: () => scalar("cap_f32", DataType.FLOAT, 255),
    half_f32: () => scalar("half_f32", DataType.FLOAT, 0.5),
  };
  const added = new Set<string>();
  const node = (opType: string, inputs: string[], output: string, attribute: onnx.IAttributeProto[] = []) => {
    for (const name of inputs) {
      const make = shared[name];
      if (make && !added.has(name)) {
        added.add(name);
        initializers.push(make());
      }
    }
    nodes.push({ opType, input: inputs, output: [output], attribute, name: `${opType}_${output}`, domain: "" });
  };
  /** ReLU, shift, saturate of an int32 pre-activation, as lib/danku/onnxExport.ts does for dense hidden layers. */
  const activate = (z: string, n: number, shift: number): string => {
    if (!integer) {
      // Float: Relu, ·2^-s (an exponent change: exact), Floor, Min 255, as lib/danku/onnxExport.ts's float graph.
      node("Relu", [z], `relu${n}`);
      let floored = `relu${n}`;
      if (shift > 0) {
        initializers.push(scalar(`scale${n}`, DataType.FLOAT, 2 ** -shift));
        node("Mul", [`relu${n}`, `scale${n}`], `scaled${n}`);
        floored = `floor${n}`;
        node("Floor", [`scaled${n}`], floored);
      }
      node("Min", [floored, "cap_f32"], `a${n}`);
      return `a${n}`;
    }
    node("Max", [z, "zero_i32"], `relu${n}`);
    node("Cast", [`relu${n}`], `relu${n}_u32`, [intAttr("to", DataType.UINT32)]);
    let shifted = `relu${n}_u32`;
    if (shift > 0) {
      initializers.push(scalar(`shift${n}`, DataType.UINT32, shift));
      shifted = `shifted${n}`;
      node("BitShift", [`relu${n}_u32`, `shift${n}`], shifted, [stringAttr("direction", "RIGHT")]);
    }
    node("Min", [shifted, "cap_u32"], `sat${n}`);
    node("Cast", [`sat${n}`], `a${n}`, [intAttr("to", DataType.UINT8)]);
    return `a${n}`;
  };

  node("Reshape", [EXACT_GRAPH_INPUT, "image_shape"], "image_nhwc");
  node("Transpose", ["image_nhwc"], "a0", [intsAttr("perm", [0, 3, 1, 2])]);
  let activation = "a0";
  layers.forEach((layer, l) => {
    const n = l + 1;
    const inShape: ImageShape = l === 0 ? input : (shapes[l - 1] as ImageShape);
    const isOutput = l === layers.length - 1;
    switch (layer.kind) {
      case "conv2d": {
        const { kernelH: kh, kernelW: kw } = layer;
        const Ci = inShape.channels;
        const Co = layer.biases.length;
        const w = new Uint8Array(Co * Ci * kh * kw);
        for (let co = 0; co < Co; co++)
          for (let ci = 0; ci < Ci; ci++)
            for (let ky = 0; ky < kh; ky++)
              for (let kx = 0; kx < kw; kx++) w[((co * Ci + ci) * kh + ky) * kw + kx] = layer.weights[co]![ky]![kx]![ci]! + WEIGHT_OFFSET;
        const convAttributes = [
          intsAttr("kernel_shape", [kh, kw]),
          intsAttr("strides", [layer.strideH, layer.strideW]),
          intsAttr("pads", [layer.padH, layer.padW, layer.padH, layer.padW]),
          intsAttr("dilations", [1, 1]),
          intAttr("group", 1),
        ];
        if (integer) {
          initializers.push(rawTensor(`W${n}`, DataType.UINT8, [Co, Ci, kh, kw], w), { ...vector(`B${n}`, DataType.INT32, layer.biases), dims: [Co, 1, 1] });
          node("ConvInteger", [activation, `W${n}`, "zero_u8", "offset_u8"], `conv${n}`, convAttributes);
          node("Add", [`conv${n}`, `B${n}`], `z${n}`);
        } else {
          const wf = new Float32Array(w.length);
          w.forEach((v, i) => (wf[i] = v - WEIGHT_OFFSET));
          initializers.push(rawTensor(`W${n}`, DataType.FLOAT, [Co, Ci, kh, kw], new Uint8Array(wf.buffer)), vector(`B${n}`, DataType.FLOAT, layer.biases));
          node("Conv", [activation, `W${n}`, `B${n}`], `z${n}`, convAttributes);
        }
        activation = activate(`z${n}`, n, layer.shift);
        break;
      }
      case "maxpool":
        node("MaxPool", [activation], `a${n}`, [intsAttr("kernel_shape", [layer.kernelH, layer.kernelW]), intsAttr("strides", [layer.strideH, layer.strideW])]);
        activation = `a${n}`;
        break;
      case "avgpool": {
        const count = layer.kernelH * layer.kernelW;
        initializers.push(scalar(`count${n}_f32`, DataType.FLOAT, count));
        const pooled = integer ? `pool${n}_f32` : activation;
        if (integer) node("Cast", [activation], pooled, [intAttr("to", DataType.FLOAT)]);
        node("AveragePool", [pooled], `avg${n}`, [
          intsAttr("kernel_shape", [layer.kernelH, layer.kernelW]),
          intsAttr("strides", [layer.strideH, layer.strideW]),
          intAttr("count_include_pad", 0),
        ]);
        node("Mul", [`avg${n}`, `count${n}_f32`], `sum${n}_f32`);
        node("Round", [`sum${n}_f32`], `sum${n}_round`);
        if (integer) {
          initializers.push(scalar(`count${n}_i32`, DataType.INT32, count));
          node("Cast", [`sum${n}_round`], `sum${n}`, [intAttr("to", DataType.INT32)]);
          node("Div", [`sum${n}`, `count${n}_i32`], `floor${n}`);
          node("Cast", [`floor${n}`], `a${n}`, [intAttr("to", DataType.UINT8)]);
        } else {
          // floor((S + 1/2) · (1/K)) = floor(S / K) without a division (WGSL's `/` is not correctly rounded):
          // (S + 1/2)/K lies in [q + 1/(2K), q + 1 − 1/(2K)], at least 1/128 from an integer, and the product with a
          // rounded 1/K is within 256·2^-23 of it.
          initializers.push(scalar(`inverse${n}_f32`, DataType.FLOAT, 1 / count));
          node("Add", [`sum${n}_round`, "half_f32"], `sum${n}_half`);
          node("Mul", [`sum${n}_half`, `inverse${n}_f32`], `quotient${n}`);
          node("Floor", [`quotient${n}`], `a${n}`);
        }
        activation = `a${n}`;
        break;
      }
      case "flatten":
        initializers.push(int64Vector(`flat${n}_shape`, [-1, shapeSize(inShape)]));
        node("Transpose", [activation], `nhwc${n}`, [intsAttr("perm", [0, 2, 3, 1])]);
        node("Reshape", [`nhwc${n}`, `flat${n}_shape`], `a${n}`);
        activation = `a${n}`;
        break;
      case "dense": {
        const fanIn = shapeSize(inShape);
        const fanOut = layer.biases.length;
        const w = new Int8Array(fanIn * fanOut);
        for (let j = 0; j < fanOut; j++) for (let i = 0; i < fanIn; i++) w[i * fanOut + j] = layer.weights[j]![i]!;
        if (integer) {
          initializers.push(rawTensor(`W${n}`, DataType.INT8, [fanIn, fanOut], new Uint8Array(w.buffer)), vector(`B${n}`, DataType.INT32, layer.biases));
          node("MatMulInteger", [activation, `W${n}`], `mm${n}`);
        } else {
          initializers.push(rawTensor(`W${n}`, DataType.FLOAT, [fanIn, fanOut], new Uint8Array(Float32Array.from(w).buffer)), vector(`B${n}`, DataType.FLOAT, layer.biases));
          node("MatMul", [activation, `W${n}`], `mm${n}`);
        }
        const z = isOutput ? EXACT_GRAPH_LOGITS : `z${n}`;
        node("Add", [`mm${n}`, `B${n}`], z);
        if (!isOutput) activation = activate(z, n, layer.shift);
        break;
      }
    }
  });
  node("ArgMax", [EXACT_GRAPH_LOGITS], EXACT_GRAPH_PREDICTION, [intAttr("axis", 1), intAttr("keepdims", 0), intAttr("select_last_index", 0)]);
  const classCount = (shapes[shapes.length - 1] as ImageShape).channels;
  const graph: onnx.IGraphProto = {
    name: `modelbounty_cnn_${input.height}x${input.width}x${input.channels}`,
    node: nodes,
    initializer: initializers,
    input: [valueInfo(EXACT_GRAPH_INPUT, integer ? DataType.UINT8 : DataType.FLOAT, ["N", shapeSize(input)])],
    output: [valueInfo(EXACT_GRAPH_LOGITS, integer ? DataType.INT32 : DataType.FLOAT, ["N", classCount]), valueInfo(EXACT_GRAPH_PREDICTION, DataType.INT64, ["N"])],
    docString: "ModelBounty convolutional network (docs/cnn.md), integer graph: bit-exact with the reference forward pass.",
  };
  return onnx.ModelProto.encode({
    irVersion: EXACT_GRAPH_IR_VERSION,
    producerName: "modelbounty",
    producerVersion: "1",
    opsetImport: [{ domain: "", version: EXACT_GRAPH_OPSET }],
    metadataProps: [{ key: "modelbounty.variant", value: `cnn-${variant}` }],
    graph,
  }).finish();
}

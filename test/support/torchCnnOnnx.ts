/**
 * Test fixtures: convolutional networks written as the ONNX graph `torch.onnx.export` produces for an nn.Sequential
 * of Conv2d, ReLU, MaxPool2d, AvgPool2d, Flatten and Linear (input [batch, C, H, W], float32 raw_data initializers
 * named "<index>.weight"/"<index>.bias", nodes "/<index>/Conv" …, Gemm with transB = 1), and an independent float
 * forward pass in PyTorch's own NCHW layout, so tests can check the importer's layout conversion without Python.
 */
import { onnx } from "onnx-proto";
import { seededInts } from "../ort/support";

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const A = onnx.AttributeProto.AttributeType;

export type TorchModule =
  /** weight: [out][in][kh][kw] flattened (PyTorch's Conv2d.weight), bias: [out]. */
  | { type: "conv"; out: number; kernel: [number, number]; stride: [number, number]; padding: [number, number]; weight: number[]; bias: number[] }
  | { type: "relu" }
  | { type: "maxpool" | "avgpool"; kernel: [number, number]; stride: [number, number] }
  | { type: "flatten" }
  /** weight: [out][in] flattened (Linear.weight), inputs in PyTorch's C, H, W flatten order. */
  | { type: "linear"; out: number; weight: number[]; bias: number[] };

export interface TorchCnn {
  readonly input: { channels: number; height: number; width: number };
  readonly modules: readonly TorchModule[];
}

function rawFloat(name: string, dims: number[], values: readonly number[]): onnx.ITensorProto {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return { name, dims, dataType: FLOAT, rawData: bytes };
}

const ints = (name: string, values: number[]): onnx.IAttributeProto => ({ name, type: A.INTS, ints: values });

function valueInfo(name: string, dims: (number | string)[]): onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } } };
}

/** Shape [C, H, W] after each module. */
export function torchShapes(model: TorchCnn): number[][] {
  let shape = [model.input.channels, model.input.height, model.input.width];
  return model.modules.map((m) => {
    const [C, H, W] = shape as [number, number, number];
    if (m.type === "conv") shape = [m.out, Math.floor((H + 2 * m.padding[0] - m.kernel[0]) / m.stride[0]) + 1, Math.floor((W + 2 * m.padding[1] - m.kernel[1]) / m.stride[1]) + 1];
    else if (m.type === "maxpool" || m.type === "avgpool") shape = [C, Math.floor((H - m.kernel[0]) / m.stride[0]) + 1, Math.floor((W - m.kernel[1]) / m.stride[1]) + 1];
    else if (m.type === "flatten") shape = [C * H * W, 1, 1];
    else if (m.type === "linear") shape = [m.out, 1, 1];
    return shape;
  });
}

/**
 * ONNX bytes as torch.onnx.export writes them. `flatten: "reshape"` writes the flatten as Reshape with a constant
 * shape [-1, n] (what `x.view(-1, n)` gives with constant folding); `extraNode` is inserted before the output.
 */
export function torchCnnOnnx(model: TorchCnn, options: { flatten?: "flatten" | "reshape"; extraNode?: onnx.INodeProto } = {}): Uint8Array {
  const nodes: onnx.INodeProto[] = [];
  const initializer: onnx.ITensorProto[] = [];
  const shapes = torchShapes(model);
  let input = "input";
  model.modules.forEach((m, i) => {
    const last = i === model.modules.length - 1 && !options.extraNode;
    const op = { conv: "Conv", relu: "Relu", maxpool: "MaxPool", avgpool: "AveragePool", flatten: options.flatten === "reshape" ? "Reshape" : "Flatten", linear: "Gemm" }[m.type];
    const out = last ? "output" : `/${i}/${op}_output_0`;
    const inputs = [input];
    const attribute: onnx.IAttributeProto[] = [];
    const inShape = (i === 0 ? [model.input.channels, model.input.height, model.input.width] : shapes[i - 1]) as number[];
    if (m.type === "conv") {
      initializer.push(rawFloat(`${i}.weight`, [m.out, inShape[0] as number, ...m.kernel], m.weight), rawFloat(`${i}.bias`, [m.out], m.bias));
      inputs.push(`${i}.weight`, `${i}.bias`);
      attribute.push(ints("dilations", [1, 1]), { name: "group", type: A.INT, i: 1 }, ints("kernel_shape", m.kernel), ints("pads", [...m.padding, ...m.padding]), ints("strides", m.stride));
    } else if (m.type === "maxpool" || m.type === "avgpool") {
      attribute.push(ints("kernel_shape", m.kernel), ints("pads", [0, 0, 0, 0]), ints("strides", m.stride), { name: "ceil_mode", type: A.INT, i: 0 });
      if (m.type === "maxpool") attribute.push(ints("dilations", [1, 1]));
      else attribute.push({ name: "count_include_pad", type: A.INT, i: 1 });
    } else if (m.type === "flatten") {
      if (options.flatten === "reshape") {
        const shape = new Uint8Array(16);
        const view = new DataView(shape.buffer);
        view.setBigInt64(0, -1n, true);
        view.setBigInt64(8, BigInt((inShape[0] as number) * (inShape[1] as number) * (inShape[2] as number)), true);
        initializer.push({ name: `/${i}/Constant_output_0`, dims: [2], dataType: INT64, rawData: shape });
        inputs.push(`/${i}/Constant_output_0`);
      } else attribute.push({ name: "axis", type: A.INT, i: 1 });
    } else if (m.type === "linear") {
      const fanIn = (inShape[0] as number) * (inShape[1] as number) * (inShape[2] as number);
      initializer.push(rawFloat(`${i}.weight`, [m.out, fanIn], m.weight), rawFloat(`${i}.bias`, [m.out], m.bias));
      inputs.push(`${i}.weight`, `${i}.bias`);
      attribute.push({ name: "alpha", type: A.FLOAT, f: 1 }, { name: "beta", type: A.FLOAT, f: 1 }, { name: "transB", type: A.INT, i: 1 });
    }
    nodes.push({ opType: op, name: `/${i}/${op}`, input: inputs, output: [out], attribute });
    input = out;
  });
  if (options.extraNode) nodes.push({ ...options.extraNode, input: [input, ...(options.extraNode.input ?? [])], output: ["output"] });
  const classes = (shapes[shapes.length - 1] as number[])[0] as number;
  const { channels, height, width } = model.input;
  return onnx.ModelProto.encode({
    irVersion: 8,
    producerName: "pytorch",
    producerVersion: "2.5.0",
    opsetImport: [{ domain: "", version: 17 }],
    graph: { name: "main_graph", node: nodes, initializer, input: [valueInfo("input", ["batch", channels, height, width])], output: [valueInfo("output", ["batch", classes])] },
  }).finish();
}

/** PyTorch's forward pass in its own layout: `image` is [C][H][W] flattened (NCHW with N = 1). Returns the logits. */
export function torchForward(model: TorchCnn, image: ArrayLike<number>): number[] {
  let x = Array.from(image);
  let [C, H, W] = [model.input.channels, model.input.height, model.input.width];
  for (const [i, m] of model.modules.entries()) {
    const [oc, oh, ow] = torchShapes(model)[i] as [number, number, number];
    const y = new Array<number>(oc * oh * ow).fill(0);
    if (m.type === "conv") {
      const [kh, kw] = m.kernel;
      for (let o = 0; o < oc; o++)
        for (let r = 0; r < oh; r++)
          for (let c = 0; c < ow; c++) {
            let s = m.bias[o] as number;
            for (let ci = 0; ci < C; ci++)
              for (let a = 0; a < kh; a++)
                for (let b = 0; b < kw; b++) {
                  const yy = r * m.stride[0] - m.padding[0] + a;
                  const xx = c * m.stride[1] - m.padding[1] + b;
                  if (yy >= 0 && yy < H && xx >= 0 && xx < W) s += (m.weight[((o * C + ci) * kh + a) * kw + b] as number) * (x[(ci * H + yy) * W + xx] as number);
                }
            y[(o * oh + r) * ow + c] = s;
          }
    } else if (m.type === "relu") {
      x = x.map((v) => Math.max(v, 0));
      continue;
    } else if (m.type === "maxpool" || m.type === "avgpool") {
      for (let ch = 0; ch < C; ch++)
        for (let r = 0; r < oh; r++)
          for (let c = 0; c < ow; c++) {
            const window: number[] = [];
            for (let a = 0; a < m.kernel[0]; a++) for (let b = 0; b < m.kernel[1]; b++) window.push(x[(ch * H + r * m.stride[0] + a) * W + c * m.stride[1] + b] as number);
            y[(ch * oh + r) * ow + c] = m.type === "maxpool" ? Math.max(...window) : window.reduce((p, q) => p + q, 0) / window.length;
          }
    } else if (m.type === "flatten") {
      [C, H, W] = [oc, 1, 1];
      continue;
    } else if (m.type === "linear") {
      for (let o = 0; o < m.out; o++) y[o] = x.reduce((s, v, k) => s + (m.weight[o * x.length + k] as number) * v, m.bias[o] as number);
    }
    x = y;
    [C, H, W] = [oc, oh, ow];
  }
  return x;
}

/** LeNet-5 for 28×28×1 (conv 5×5×6 pad 2 → maxpool 2 → conv 5×5×16 → avgpool 2 → 120 → 84 → classes), random weights. */
export function lenet(seed: number, classes = 10): TorchCnn {
  const int = seededInts(seed);
  const r = (n: number, scale: number) => Array.from({ length: n }, () => (int(-1000, 1000) / 1000) * scale);
  return {
    input: { channels: 1, height: 28, width: 28 },
    modules: [
      { type: "conv", out: 6, kernel: [5, 5], stride: [1, 1], padding: [2, 2], weight: r(6 * 25, 0.02), bias: r(6, 0.5) },
      { type: "relu" },
      { type: "maxpool", kernel: [2, 2], stride: [2, 2] },
      { type: "conv", out: 16, kernel: [5, 5], stride: [1, 1], padding: [0, 0], weight: r(16 * 6 * 25, 0.05), bias: r(16, 0.5) },
      { type: "relu" },
      { type: "avgpool", kernel: [2, 2], stride: [2, 2] },
      { type: "flatten" },
      { type: "linear", out: 120, weight: r(120 * 400, 0.05), bias: r(120, 0.5) },
      { type: "relu" },
      { type: "linear", out: 84, weight: r(84 * 120, 0.1), bias: r(84, 0.5) },
      { type: "relu" },
      { type: "linear", out: classes, weight: r(classes * 84, 0.1), bias: r(classes, 0.5) },
    ],
  };
}

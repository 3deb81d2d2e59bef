/**
 * Random quantized CNNs for the CNN tests: small shapes (so 200 networks run in well under two minutes on one core)
 * that still reach every layer kind, padding, strides, saturation, shifts 0..31, extreme weights and biases, and
 * tied outputs.
 */
import { MAX_BIAS_MAGNITUDE } from "../../lib/danku/constants";
import type { CnnLayer, CnnModel, ImageShape } from "../../lib/danku/cnn/model";
import { layerShapes, shapeSize } from "../../lib/danku/cnn/model";
import { seededInts } from "./support";
import type { TorchCnn, TorchModule } from "../support/torchCnnOnnx";

type Int = (min: number, max: number) => number;

function weightSource(int: Int): () => number {
  const mode = int(0, 9);
  if (mode === 0) return () => -128;
  if (mode === 1) return () => 127;
  let toggle = 0;
  if (mode === 2) return () => (toggle++ % 2 === 0 ? 127 : -128);
  return () => (int(0, 9) === 0 ? [-128, 127, 0][int(0, 2)]! : int(-128, 127));
}

function bias(int: Int, shift: number, floatFriendly: boolean): number {
  const mode = int(0, 9);
  // Float-friendly networks keep |B| ≤ 2^20, so many of them are provably exact in float32 (isCnnFloatExact).
  const big = floatFriendly ? 2 ** 20 : MAX_BIAS_MAGNITUDE;
  if (mode === 0) return [big, -big, 0][int(0, 2)]!;
  if (mode === 1) return int(-big, big);
  // Near saturation: 255·2^shift is where a hidden activation hits the cap.
  if (mode === 2) return Math.min(big, 255 * 2 ** shift + int(-5000, 5000));
  return int(-4000, 4000);
}

function shift(int: Int): number {
  return int(0, 3) === 0 ? int(0, 31) : int(4, 14);
}

/** A random valid CNN for this seed: 0–3 conv/pool layers, flatten, 1–3 dense layers, 2–6 classes. */
export function randomCnn(seed: number): CnnModel {
  const int = seededInts(seed);
  const floatFriendly = int(0, 1) === 0;
  const input: ImageShape = { height: int(1, 12), width: int(1, 12), channels: int(1, 4) };
  const layers: CnnLayer[] = [];
  let shape = input;
  const spatial = int(0, 3);
  for (let s = 0; s < spatial; s++) {
    const pick = int(0, 3);
    if (pick <= 1) {
      const kernelH = int(1, 4);
      const kernelW = int(1, 4);
      let padH = int(0, kernelH - 1);
      let padW = int(0, kernelW - 1);
      if (shape.height + 2 * padH < kernelH) padH = Math.ceil((kernelH - shape.height) / 2);
      if (shape.width + 2 * padW < kernelW) padW = Math.ceil((kernelW - shape.width) / 2);
      const out = int(1, 12);
      const w = weightSource(int);
      const layerShift = shift(int);
      layers.push({
        kind: "conv2d",
        kernelH,
        kernelW,
        strideH: int(1, 3),
        strideW: int(1, 3),
        padH,
        padW,
        shift: layerShift,
        biases: Array.from({ length: out }, () => bias(int, layerShift, floatFriendly)),
        weights: Array.from({ length: out }, () =>
          Array.from({ length: kernelH }, () => Array.from({ length: kernelW }, () => Array.from({ length: shape.channels }, w))),
        ),
      });
    } else {
      // Mostly small windows; one in four up to 8×8, where avgpool's exact float sum has the most to lose (K = 64).
      const side = int(0, 3) === 0 ? 8 : 3;
      layers.push({ kind: pick === 2 ? "maxpool" : "avgpool", kernelH: int(1, Math.min(side, shape.height)), kernelW: int(1, Math.min(side, shape.width)), strideH: int(1, 3), strideW: int(1, 3) });
    }
    shape = layerShapes(shape, [layers[layers.length - 1]!])[0]!;
  }
  layers.push({ kind: "flatten" });
  const dense = int(1, 3);
  let fanIn = shapeSize(shape);
  for (let d = 0; d < dense; d++) {
    const isOutput = d === dense - 1;
    const out = isOutput ? int(2, 6) : int(1, 12);
    const w = weightSource(int);
    const layerShift = isOutput ? 0 : shift(int);
    const biases = Array.from({ length: out }, () => bias(int, layerShift, floatFriendly));
    const weights = Array.from({ length: out }, () => Array.from({ length: fanIn }, w));
    if (isOutput && int(0, 2) === 0) {
      // Ties: copy one output neuron over another, so argmax must pick the lower index.
      const from = int(0, out - 1);
      const to = int(0, out - 1);
      biases[to] = biases[from]!;
      weights[to] = [...weights[from]!];
    }
    layers.push({ kind: "dense", shift: layerShift, biases, weights });
    fanIn = out;
  }
  return { input, layers };
}

/** Feature rows for a model: random bytes, plus one all-255 and one all-0 row. */
export function randomImages(model: CnnModel, count: number, seed: number): Uint8Array[] {
  const int = seededInts(seed);
  const size = shapeSize(model.input);
  return Array.from({ length: count }, (_, r) =>
    Uint8Array.from({ length: size }, () => (r === 0 ? 255 : r === 1 ? 0 : int(0, 3) === 0 ? int(0, 1) * 255 : int(0, 255))),
  );
}

/**
 * A CNN written as the PyTorch nn.Sequential it corresponds to (test/support/torchCnnOnnx.ts), weights as floats:
 * Conv2d (+ ReLU: the format's conv2d always applies it), pools, Flatten, Linear with ReLU between, with PyTorch's
 * layouts (Conv2d.weight [out][in][kh][kw], Linear inputs in C, H, W order). Its ONNX export is a float model a data
 * scientist could hand in; `scale` divides every weight and bias, so the float model is not the integer one.
 */
export function torchFromCnn(model: CnnModel, scale = 1): TorchCnn {
  const modules: TorchModule[] = [];
  let shape = model.input;
  let flattenedFrom: ImageShape | undefined;
  let firstDense = true;
  model.layers.forEach((layer, l) => {
    const isLast = l === model.layers.length - 1;
    const inShape = shape;
    shape = layerShapes(shape, [layer])[0]!;
    switch (layer.kind) {
      case "conv2d": {
        const weight: number[] = [];
        layer.weights.forEach((k) => {
          for (let c = 0; c < inShape.channels; c++) for (let ky = 0; ky < layer.kernelH; ky++) for (let kx = 0; kx < layer.kernelW; kx++) weight.push(k[ky]![kx]![c]! / scale);
        });
        modules.push(
          { type: "conv", out: layer.biases.length, kernel: [layer.kernelH, layer.kernelW], stride: [layer.strideH, layer.strideW], padding: [layer.padH, layer.padW], weight, bias: layer.biases.map((b) => b / scale) },
          { type: "relu" },
        );
        break;
      }
      case "maxpool":
      case "avgpool":
        modules.push({ type: layer.kind, kernel: [layer.kernelH, layer.kernelW], stride: [layer.strideH, layer.strideW] });
        break;
      case "flatten":
        flattenedFrom = inShape;
        modules.push({ type: "flatten" });
        break;
      case "dense": {
        const fanIn = shapeSize(inShape);
        const from = firstDense ? flattenedFrom : undefined;
        firstDense = false;
        const weight: number[] = [];
        layer.weights.forEach((row) => {
          for (let t = 0; t < fanIn; t++) {
            // PyTorch's input t = c·H·W + y·W + x is the format's (y·W + x)·C + c.
            const i = from ? (t % (from.height * from.width)) * from.channels + Math.floor(t / (from.height * from.width)) : t;
            weight.push(row[i]! / scale);
          }
        });
        modules.push({ type: "linear", out: layer.biases.length, weight, bias: layer.biases.map((b) => b / scale) });
        if (!isLast) modules.push({ type: "relu" });
        break;
      }
    }
  });
  return { input: { channels: model.input.channels, height: model.input.height, width: model.input.width }, modules };
}

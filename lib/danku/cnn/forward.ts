/**
 * The reference integer forward pass of convolutional models (docs/cnn.md §1): what the on-chain evaluator and the
 * exact ONNX graph must reproduce bit for bit. Activations are HWC row-major bytes; every intermediate is an integer
 * below 2^31 in magnitude (|Σ W·a| ≤ 128·255·8·8·64 + 2^30 for a convolution), so plain numbers are exact.
 */
import type { AccuracyResult } from "../forward";
import { argmax } from "../forward";
import type { DataPoint } from "../encoding";
import { layerShapes, type CnnLayer, type CnnModel, type FloatCnnModel, type ImageShape } from "./model";

/** The output of a convolution or dense layer before ReLU / shift: int in the quantized model, float in the float one. */
type Activate = (z: number, shift: number, isOutput: boolean) => number;
type Pool = (sum: number, max: number, count: number) => number;

/** The one layer loop both the integer reference and the float model (quantizer calibration) run. */
function run(
  input: ImageShape,
  layers: readonly CnnLayer<number>[],
  features: ArrayLike<number>,
  activate: Activate,
  average: Pool,
  onLayer?: (l: number, values: Float64Array) => void,
): Float64Array {
  const shapes = layerShapes(input, layers);
  let a = Float64Array.from({ length: input.height * input.width * input.channels }, (_, i) => features[i] as number);
  let shape = input;
  layers.forEach((layer, l) => {
    const out = shapes[l] as ImageShape;
    const isOutput = l === layers.length - 1;
    const next = new Float64Array(out.height * out.width * out.channels);
    const { height: H, width: W, channels: C } = shape;
    switch (layer.kind) {
      case "conv2d": {
        for (let oy = 0; oy < out.height; oy++) {
          for (let ox = 0; ox < out.width; ox++) {
            for (let co = 0; co < out.channels; co++) {
              const kernel = layer.weights[co]!;
              let z = layer.biases[co]!;
              for (let ky = 0; ky < layer.kernelH; ky++) {
                const iy = oy * layer.strideH - layer.padH + ky;
                if (iy < 0 || iy >= H) continue; // zero padding contributes nothing
                for (let kx = 0; kx < layer.kernelW; kx++) {
                  const ix = ox * layer.strideW - layer.padW + kx;
                  if (ix < 0 || ix >= W) continue;
                  const w = kernel[ky]![kx]!;
                  const base = (iy * W + ix) * C;
                  for (let ci = 0; ci < C; ci++) z += w[ci]! * a[base + ci]!;
                }
              }
              next[(oy * out.width + ox) * out.channels + co] = activate(z, layer.shift, isOutput);
            }
          }
        }
        break;
      }
      case "maxpool":
      case "avgpool": {
        for (let oy = 0; oy < out.height; oy++) {
          for (let ox = 0; ox < out.width; ox++) {
            for (let c = 0; c < C; c++) {
              let sum = 0;
              let max = -Infinity;
              for (let ky = 0; ky < layer.kernelH; ky++) {
                for (let kx = 0; kx < layer.kernelW; kx++) {
                  const v = a[((oy * layer.strideH + ky) * W + ox * layer.strideW + kx) * C + c]!;
                  sum += v;
                  if (v > max) max = v;
                }
              }
              next[(oy * out.width + ox) * C + c] = layer.kind === "maxpool" ? max : average(sum, max, layer.kernelH * layer.kernelW);
            }
          }
        }
        break;
      }
      case "flatten":
        next.set(a); // HWC row-major is already the flatten order
        break;
      case "dense": {
        const n = a.length;
        for (let j = 0; j < out.channels; j++) {
          const row = layer.weights[j]!;
          let z = layer.biases[j]!;
          for (let i = 0; i < n; i++) z += row[i]! * a[i]!;
          next[j] = activate(z, layer.shift, isOutput);
        }
        break;
      }
    }
    onLayer?.(l, next);
    a = next;
    shape = out;
  });
  return a;
}

/** ReLU, floor shift, saturate at 255 (docs/protocol.md §4), on hidden layers; the output layer's z unchanged. */
const integerActivate: Activate = (z, shift, isOutput) => (isOutput ? z : z <= 0 ? 0 : Math.min(Math.floor(z / 2 ** shift), 255));
/** avgpool's exact integer rule: floor(sum / (kh·kw)). */
const integerAverage: Pool = (sum, _max, count) => Math.floor(sum / count);

/** Output logits of a quantized convolutional model for one point's feature bytes (HWC). */
export function cnnLogits(model: CnnModel, features: ArrayLike<number>): number[] {
  return Array.from(run(model.input, model.layers, features, integerActivate, integerAverage));
}

/** Prediction: argmax of the logits, ties to the lowest index. */
export function cnnPredict(model: CnnModel, features: ArrayLike<number>): number {
  return argmax(cnnLogits(model, features));
}

export function evaluateCnnAccuracy(model: CnnModel, points: readonly DataPoint[]): AccuracyResult {
  let correct = 0;
  for (const point of points) if (cnnPredict(model, point.features) === point.label) correct++;
  return { correct, total: points.length };
}

/** Float forward pass (ReLU on every layer but the last, real averages): every layer's output, for calibration. */
export function floatCnnActivations(model: FloatCnnModel, features: ArrayLike<number>): Float64Array[] {
  const outputs: Float64Array[] = [];
  run(
    model.input,
    model.layers,
    features,
    (z, _shift, isOutput) => (isOutput ? z : Math.max(z, 0)),
    (sum, _max, count) => sum / count,
    (_l, values) => outputs.push(values),
  );
  return outputs;
}

export function floatCnnPredict(model: FloatCnnModel, features: ArrayLike<number>): number {
  const outputs = floatCnnActivations(model, features);
  return argmax(Array.from(outputs[outputs.length - 1] ?? []));
}

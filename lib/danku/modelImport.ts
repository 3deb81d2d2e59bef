/**
 * From a file a data scientist has (float JSON or ONNX) to the exact bytes the contract will evaluate.
 * Shared by the CLI and the browser so both reject the same files with the same sentences.
 *
 * Two kinds of network come in (lib/danku/anyModel.ts): dense ones (float JSON, or ONNX Gemm/MatMul + Relu;
 * format version 1) and convolutional ones (ONNX with Conv, MaxPool or AveragePool over an [N, C, H, W] input,
 * docs/cnn.md §6; format version 2), which only image competitions (metadata `imageShape`) of the same shape take.
 */
import type { DataPoint } from "./encoding";
import { ModelFormatError } from "./encoding";
import { parseFloatModelJson } from "./floatModel";
import { decodeOnnxModel, OnnxImportError, parseOnnxDenseModel, toIntegerOrZero } from "./onnx";
import { parseOnnxCnnModel } from "./cnn/onnx";
import { checkAnyModelAgainstCompetition, quantizeAnyModel, type AnyFloatModel, type ModelCompetition, type QuantizedAny } from "./anyModel";

/** Model files larger than this are refused before parsing (a 1024-wide 8-layer float network is ~33 MB). */
export const MAX_MODEL_FILE_BYTES = 64 * 1024 * 1024;

export type ModelFileFormat = "json" | "onnx";

/** JSON files start with `{` (after whitespace); anything else is treated as an ONNX protobuf. */
export function detectModelFormat(bytes: Uint8Array, fileName = ""): ModelFileFormat {
  const lower = fileName.toLowerCase();
  if (lower.endsWith(".onnx")) return "onnx";
  if (lower.endsWith(".json")) return "json";
  for (const byte of bytes) {
    if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) continue;
    return byte === 0x7b ? "json" : "onnx";
  }
  throw new ModelFormatError("the model file is empty");
}

/** Operators only a convolutional network has: an ONNX graph with any of them is imported as a CNN. */
export const SPATIAL_ONNX_OPS: ReadonlySet<string> = new Set(["Conv", "MaxPool", "AveragePool"]);

/**
 * An ONNX file → float model of its kind. A graph with Conv, MaxPool or AveragePool is a CNN (lib/danku/cnn/onnx.ts).
 * Any other graph is read as a dense network (lib/danku/onnx.ts), which is cheaper on chain; if that fails and the
 * input is an image batch [N, C, H, W] (e.g. a Reshape the dense importer does not take before the first Linear), it
 * is read as a CNN of flatten and dense layers, and when that fails too the dense importer's reason is reported.
 */
export function importOnnxModel(bytes: Uint8Array): AnyFloatModel {
  const graph = decodeOnnxModel(bytes).graph;
  const nodes = graph?.node ?? [];
  if (nodes.some((node) => SPATIAL_ONNX_OPS.has(node.opType ?? ""))) return parseOnnxCnnModel(bytes);
  try {
    return parseOnnxDenseModel(bytes);
  } catch (denseError) {
    const initializers = new Set((graph?.initializer ?? []).map((t) => t.name ?? ""));
    const dataInput = (graph?.input ?? []).find((input) => input.name && !initializers.has(input.name));
    const dims = dataInput?.type?.tensorType?.shape?.dim ?? [];
    const isImageBatch = dims.length === 4 && dims.slice(1).every((d) => toIntegerOrZero(d.dimValue) > 0);
    if (!(denseError instanceof OnnxImportError) || !isImageBatch) throw denseError;
    try {
      return parseOnnxCnnModel(bytes);
    } catch {
      throw denseError;
    }
  }
}

export function importModelFile(bytes: Uint8Array, fileName = ""): AnyFloatModel {
  if (bytes.length === 0) throw new ModelFormatError("the model file is empty");
  if (bytes.length > MAX_MODEL_FILE_BYTES) {
    throw new ModelFormatError(`the model file is ${bytes.length} bytes; the limit is ${MAX_MODEL_FILE_BYTES} bytes`);
  }
  return detectModelFormat(bytes, fileName) === "json" ? parseFloatModelJson(new TextDecoder().decode(bytes)) : importOnnxModel(bytes);
}

export type PreparedModel<M extends AnyFloatModel = AnyFloatModel> = QuantizedAny<M>;

/**
 * Checks the float model against the competition (a CNN needs an image competition of its input shape), quantizes
 * it on the calibration data, and validates the result.
 */
export function prepareSubmissionModel<M extends AnyFloatModel>(floatModel: M, calibration: readonly DataPoint[], competition: ModelCompetition): PreparedModel<M> {
  checkAnyModelAgainstCompetition(floatModel, competition);
  return quantizeAnyModel(floatModel, calibration, { featureCount: competition.featureCount, classCount: competition.classCount });
}

/**
 * From a file a data scientist has (float JSON or ONNX) to the exact bytes the contract will evaluate.
 * Shared by the CLI and the browser so both reject the same files with the same sentences.
 */
import type { DataPoint, QuantizedModel } from "./encoding";
import { ModelFormatError } from "./encoding";
import { checkModelAgainstCompetition, parseFloatModelJson, type FloatModel } from "./floatModel";
import { parseOnnxDenseModel } from "./onnx";
import { quantizeModel, type QuantizationReport } from "./quantize";

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

export function importModelFile(bytes: Uint8Array, fileName = ""): FloatModel {
  if (bytes.length === 0) throw new ModelFormatError("the model file is empty");
  if (bytes.length > MAX_MODEL_FILE_BYTES) {
    throw new ModelFormatError(`the model file is ${bytes.length} bytes; the limit is ${MAX_MODEL_FILE_BYTES} bytes`);
  }
  return detectModelFormat(bytes, fileName) === "json"
    ? parseFloatModelJson(new TextDecoder().decode(bytes))
    : parseOnnxDenseModel(bytes);
}

export interface PreparedModel {
  model: QuantizedModel;
  report: QuantizationReport;
}

/** Checks the float model against the competition, quantizes it on the calibration data, and validates the result. */
export function prepareSubmissionModel(
  floatModel: FloatModel,
  calibration: readonly DataPoint[],
  competition: { featureCount: number; classCount: number },
): PreparedModel {
  checkModelAgainstCompetition(floatModel, competition);
  return quantizeModel(floatModel, calibration, { competition });
}

/**
 * Convolutional models (format version 2, docs/cnn.md): types and limits, byte encoding, reference forward pass,
 * quantizer, ONNX import and the exact ONNX graph. Kept apart from lib/danku/index.ts until the rest of the library
 * (model import, submissions, preview) handles version-2 models.
 */
export * from "./model";
export * from "./encoding";
export * from "./forward";
export * from "./quantize";
export * from "./onnx";
export * from "./onnxExport";

/**
 * Public API of the DanKu client library: everything the CLI, the web app and workers need to build datasets,
 * compute the split, import/quantize models and handle the secrets files. Framework-free; runs in Node and browsers.
 */
export * from "./constants";
export * from "./encoding";
export * from "./forward";
export * from "./random";
export * from "./dataset";
export * from "./groups";
export * from "./split";
export * from "./odds";
export * from "./floatModel";
export * from "./quantize";
export * from "./onnx";
export * from "./secrets";
export * from "./modelImport";
export * from "./train";
export * from "./gasModel";
export * from "./metadata";
export * from "./onnxExport";
export * from "./confusion";
export * from "./anyModel";

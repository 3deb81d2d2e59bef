/**
 * ONNX Runtime Web preview of the contract's score: exact ONNX graphs (lib/danku/onnxExport.ts) run on WebGPU or WASM.
 * Browser, worker and Node; the ONNX Runtime module is injected or loaded from `onnxruntime-web/webgpu`.
 */
export * from "./scorer";
export * from "./input";
export * from "./webgpu";
export * from "./preview";
export * from "./lab";

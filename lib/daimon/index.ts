/**
 * Public API of the DaiMoN client library. Framework-free; runs in Node, browsers and workers.
 */
// DEL (Distance Embedding for Labels): GENERATEDATA, the MLP, its trainer, metrics, ONNX export, brute-force odds.
export * from "./generateData";
export * from "./del";
export * from "./delTrainer";
export * from "./delMetrics";
export * from "./delOnnx";
export * from "./bruteForce";
export * from "./delQuantized";

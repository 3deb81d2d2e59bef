/**
 * Score worker: model import, quantization and the onnxruntime-web preview off the main thread, so the page stays
 * responsive on large data sets and can show progress (protocol in ./scoreProtocol.ts, logic in lib/ort/preview.ts).
 * ORT's own .mjs/.wasm files are served by the app from /ort/ (scripts/copy-ort-assets.mjs), never from a CDN.
 */
import { previewModel } from "../ort/preview";
import type { ScoreWorkerRequest, ScoreWorkerResponse } from "./scoreProtocol";

interface WorkerScope {
  onmessage: ((event: MessageEvent<ScoreWorkerRequest>) => void) | null;
  postMessage(message: ScoreWorkerResponse, transfer?: Transferable[]): void;
}
const scope = globalThis as unknown as WorkerScope;

async function handle(request: ScoreWorkerRequest): Promise<void> {
  const fileBytes = new Uint8Array(await request.file.arrayBuffer());
  let lastProgress = 0;
  const result = await previewModel(
    {
      fileBytes,
      fileName: request.fileName,
      featureCount: request.featureCount,
      classCount: request.classCount,
      ...(request.imageShape ? { imageShape: request.imageShape } : {}),
      trainingPoints: request.trainingPoints,
      ...(request.testPoints ? { testPoints: request.testPoints } : {}),
      preferredBackend: request.preferredBackend,
    },
    {
      onProgress: (phase, done, total) => {
        // At most ~20 messages a second, plus every phase's first and last.
        const now = performance.now();
        if (done !== 0 && done !== total && now - lastProgress < 50) return;
        lastProgress = now;
        scope.postMessage({ id: request.id, kind: "progress", phase, done, total });
      },
    },
  );
  scope.postMessage({ id: request.id, kind: "previewed", result }, [result.modelBytes.buffer as ArrayBuffer]);
}

scope.onmessage = (event) => {
  const request = event.data;
  handle(request).catch((error: unknown) => {
    scope.postMessage({ id: request.id, kind: "error", message: error instanceof Error ? error.message : String(error) });
  });
};

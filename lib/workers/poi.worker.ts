/**
 * Proof-of-improvement worker: PROVE and VERIFY (lib/daimon/poi.ts) with onnxruntime-web off the main thread, so
 * the page stays responsive and shows progress (protocol in ./poiProtocol.ts). WebGPU when the browser has a
 * hardware adapter (nodes WebGPU lacks run on WASM), WASM otherwise or when WebGPU fails; ORT's .mjs/.wasm files
 * come from the app's /ort/ (scripts/copy-ort-assets.mjs), never from a CDN.
 */
import { prove, verify, type PoiProgress, type PoiRuntimeOptions, type PoiTuple } from "../daimon/poi";
import { defaultOrtLoader } from "../ort/scorer";
import { probeWebGpu } from "../ort/webgpu";
import type { PoiBackend, PoiBackendPreference, PoiTupleFiles, PoiWorkerRequest, PoiWorkerResponse } from "./poiProtocol";

interface WorkerScope {
  onmessage: ((event: MessageEvent<PoiWorkerRequest>) => void) | null;
  postMessage(message: PoiWorkerResponse): void;
}
const scope = globalThis as unknown as WorkerScope;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function chooseBackend(preferred: PoiBackendPreference): Promise<{ backend: PoiBackend; notes: string[] }> {
  if (preferred === "wasm") return { backend: "ort-wasm", notes: ["WASM was chosen"] };
  const probe = await probeWebGpu();
  if (!probe.available) return { backend: "ort-wasm", notes: [`${probe.reason}: ran on WASM`] };
  if (probe.isFallbackAdapter && preferred === "auto") {
    return { backend: "ort-wasm", notes: [`the only WebGPU adapter is a software one (${probe.description}): ran on WASM, which is faster there`] };
  }
  return { backend: "ort-webgpu", notes: [`WebGPU on ${probe.description}; nodes without a WebGPU kernel run on WASM`] };
}

async function runtime(backend: PoiBackend, onProgress: (p: PoiProgress) => void): Promise<PoiRuntimeOptions> {
  const webgpu = backend === "ort-webgpu";
  return { ort: await defaultOrtLoader(webgpu ? "webgpu" : "wasm"), executionProviders: webgpu ? ["webgpu", "wasm"] : ["wasm"], onProgress };
}

function tuplesOf(files: readonly PoiTupleFiles[]): PoiTuple[] {
  return files.map((t) => ({ inputs: t.inputs, del: t.del, target: t.target, inputsCid: t.inputsCid, delCid: t.delCid }));
}

/** At most ~20 progress messages a second, plus every phase's first and last. */
function progressReporter(id: number): (p: PoiProgress) => void {
  let last = 0;
  return (progress) => {
    const now = performance.now();
    if (progress.done !== 0 && progress.done !== progress.total && now - last < 50) return;
    last = now;
    scope.postMessage({ id, kind: "progress", progress });
  };
}

async function handle(request: PoiWorkerRequest): Promise<void> {
  const onProgress = progressReporter(request.id);
  const chosen = await chooseBackend(request.preferredBackend);
  const notes = [...chosen.notes];
  const started = performance.now();
  const tuples = tuplesOf(request.tuples);

  if (request.kind === "prove") {
    const model = new Uint8Array(await request.model.arrayBuffer());
    const input = { model, tuples, problem: request.problem, problemAddress: request.problemAddress, ...(request.improver ? { improver: request.improver } : {}) };
    let backend = chosen.backend;
    let proof;
    try {
      proof = await prove(input, await runtime(backend, onProgress));
    } catch (error) {
      if (backend !== "ort-webgpu") throw error;
      // WebGPU can fail where WASM works (no kernel, device lost): the same PROVE on WASM decides.
      notes.push(`WebGPU failed (${message(error)}): ran again on WASM`);
      backend = "ort-wasm";
      proof = await prove(input, await runtime(backend, onProgress));
    }
    scope.postMessage({ id: request.id, kind: "proved", proof, run: { backend, notes, ms: performance.now() - started } });
    return;
  }

  const input = {
    model: request.model,
    proof: request.proof,
    tuples,
    problem: request.problem,
    bestDistance: request.bestDistance,
    margin: request.margin,
    tolerance: request.tolerance,
  };
  let backend = chosen.backend;
  let verification = await verify(input, await runtime(backend, onProgress));
  const notComputed = verification.checks.some((c) => c.name === "outputs" && !c.ok && c.detail.startsWith("f(M(Z)) could not be computed"));
  if (backend === "ort-webgpu" && notComputed) {
    notes.push("WebGPU could not run the model or f: verified again on WASM");
    backend = "ort-wasm";
    verification = await verify(input, await runtime(backend, onProgress));
  }
  scope.postMessage({ id: request.id, kind: "verified", verification, run: { backend, notes, ms: performance.now() - started } });
}

scope.onmessage = (event) => {
  const request = event.data;
  handle(request).catch((error: unknown) => {
    scope.postMessage({ id: request.id, kind: "error", message: message(error) });
  });
};

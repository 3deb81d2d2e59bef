/**
 * The scoring lab: how fast, and how exactly, this browser scores models. One benchmark for people (the /lab page)
 * and for `npm run bench:score` (which drives that page in headless Chromium): random int8 networks over random byte
 * inputs, through ONNX Runtime Web on WASM, on WebGPU when the browser has an adapter, and through the plain
 * TypeScript reference (lib/danku/forward.ts), in the same run, so the ratios compare like with like. Every ORT
 * backend's predictions are also checked against the reference, point by point.
 */
import type { QuantizedModel } from "../danku/encoding";
import { predict } from "../danku/forward";
import { createScorer, type OrtLoader, type OrtModule } from "./scorer";
import { probeWebGpu, type GpuLike } from "./webgpu";

export type LabBackend = "ort-wasm" | "ort-webgpu" | "reference";

export interface LabNetwork {
  /** e.g. "784-128-10". */
  readonly name: string;
  readonly widths: readonly number[];
}

/** The two networks: an MNIST-sized one and the DanKu demo's 2-4-4-2. */
export const LAB_NETWORKS: readonly LabNetwork[] = [
  { name: "784-128-10", widths: [784, 128, 10] },
  { name: "2-4-4-2", widths: [2, 4, 4, 2] },
];

export interface ScoreBenchmarkEntry {
  readonly network: string;
  readonly backend: LabBackend;
  readonly samples: number;
  /** 0 when the backend is not available here (see `note`). */
  readonly samplesPerSecond: number;
  readonly milliseconds: number;
  readonly available: boolean;
  /** ORT backends: every prediction equals the reference's. */
  readonly agreesWithReference?: boolean;
  readonly note?: string;
}

/** Deterministic 32-bit LCG integers in [min, max] (reproducible benchmark inputs, not randomness for secrets). */
export function labIntegers(seed: number): (min: number, max: number) => number {
  let state = seed >>> 0;
  return (min, max) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return min + Math.floor((state / 2 ** 32) * (max - min + 1));
  };
}

/**
 * A random valid network. Weights stay within ±`weightBound` so that Σ|W|·255 + |B| < 2^24 for every neuron: the
 * float-exact graph (and so WebGPU) can run it; the integer graph does not care.
 */
export function labNetwork(widths: readonly number[], seed: number): QuantizedModel {
  const int = labIntegers(seed);
  return {
    widths: [...widths],
    layers: widths.slice(1).map((fanOut, l) => {
      const fanIn = widths[l] as number;
      const weightBound = Math.max(1, Math.min(127, Math.floor((2 ** 24 - 2 ** 20) / (255 * fanIn))));
      return {
        // Hidden activations stay in 0..255 after the shift; the output layer keeps the full pre-activation.
        shift: l === widths.length - 2 ? 0 : Math.max(0, Math.ceil(Math.log2(Math.max(1, weightBound * fanIn)))),
        biases: Array.from({ length: fanOut }, () => int(-4000, 4000)),
        weights: Array.from({ length: fanOut }, () => Array.from({ length: fanIn }, () => int(-weightBound, weightBound))),
      };
    }),
  };
}

export function labRows(count: number, featureCount: number, seed: number): Uint8Array {
  const int = labIntegers(seed);
  const bytes = new Uint8Array(count * featureCount);
  for (let i = 0; i < bytes.length; i++) bytes[i] = int(0, 255);
  return bytes;
}

/** Reference predictions (the contract's forward pass in TypeScript). */
export function referencePredictions(model: QuantizedModel, rows: Uint8Array): Int32Array {
  const featureCount = model.widths[0] as number;
  const count = rows.length / featureCount;
  const out = new Int32Array(count);
  for (let r = 0; r < count; r++) out[r] = predict(model, rows.subarray(r * featureCount, (r + 1) * featureCount));
  return out;
}

export interface ScoreBenchmarkOptions {
  readonly networks?: readonly LabNetwork[];
  readonly samples?: number;
  readonly backends?: readonly LabBackend[];
  readonly ort?: OrtModule;
  readonly loadOrt?: OrtLoader;
  readonly gpu?: GpuLike | null;
  readonly now?: () => number;
  readonly onProgress?: (message: string, done: number, total: number) => void;
}

function sameArray(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Runs every backend on every network, one after the other, each after a warm-up batch. */
export async function runScoreBenchmark(options: ScoreBenchmarkOptions = {}): Promise<ScoreBenchmarkEntry[]> {
  const networks = options.networks ?? LAB_NETWORKS;
  const samples = options.samples ?? 10_000;
  const backends = options.backends ?? ["ort-wasm", "ort-webgpu", "reference"];
  const now = options.now ?? (() => performance.now());
  const entries: ScoreBenchmarkEntry[] = [];
  const total = networks.length * backends.length;
  const gpu = await probeWebGpu(options.gpu === undefined ? undefined : options.gpu);
  for (const [n, network] of networks.entries()) {
    const model = labNetwork(network.widths, 1000 + n);
    const rows = labRows(samples, network.widths[0] as number, 2000 + n);
    const started = now();
    const reference = referencePredictions(model, rows);
    const referenceMs = now() - started;
    for (const backend of backends) {
      options.onProgress?.(`${network.name} on ${backend}`, entries.length, total);
      if (backend === "reference") {
        entries.push({ network: network.name, backend, samples, milliseconds: referenceMs, samplesPerSecond: (samples * 1000) / referenceMs, available: true });
        continue;
      }
      if (backend === "ort-webgpu" && !gpu.available) {
        entries.push({ network: network.name, backend, samples, milliseconds: 0, samplesPerSecond: 0, available: false, note: gpu.reason });
        continue;
      }
      const scorer = await createScorer({
        model,
        preferredBackend: backend === "ort-webgpu" ? "webgpu" : "wasm",
        // 784-128-10 encodes to ≈ 100 KB, over what one reveal transaction can store: a benchmark, not a submission.
        requireRevealable: false,
        ...(options.ort ? { ort: options.ort } : {}),
        ...(options.loadOrt ? { loadOrt: options.loadOrt } : {}),
        ...(options.gpu !== undefined ? { gpu: options.gpu } : {}),
      });
      try {
        if (scorer.backend !== backend) {
          entries.push({ network: network.name, backend, samples, milliseconds: 0, samplesPerSecond: 0, available: false, note: scorer.fallbackNotes.join("; ") });
          continue;
        }
        // Warm-up: session initialization, kernel compilation and buffer allocation are not throughput.
        await scorer.predict(rows.subarray(0, Math.min(rows.length, 256 * (network.widths[0] as number))));
        const t0 = now();
        const predictions = await scorer.predict(rows);
        const ms = now() - t0;
        const note = gpu.available && backend === "ort-webgpu" && gpu.isFallbackAdapter ? `software adapter: ${gpu.description}` : undefined;
        entries.push({
          network: network.name,
          backend,
          samples,
          milliseconds: ms,
          samplesPerSecond: (samples * 1000) / ms,
          available: true,
          agreesWithReference: sameArray(predictions, reference),
          ...(note ? { note } : {}),
        });
      } finally {
        await scorer.release();
      }
    }
  }
  options.onProgress?.("done", total, total);
  return entries;
}

/** ORT-over-reference speed-up per network and ORT backend (undefined where a backend was unavailable). */
export function benchmarkRatios(entries: readonly ScoreBenchmarkEntry[]): { network: string; backend: LabBackend; overReference: number | undefined }[] {
  return entries
    .filter((e) => e.backend !== "reference")
    .map((e) => {
      const reference = entries.find((r) => r.network === e.network && r.backend === "reference");
      return { network: e.network, backend: e.backend, overReference: e.available && reference ? e.samplesPerSecond / reference.samplesPerSecond : undefined };
    });
}

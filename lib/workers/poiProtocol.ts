/**
 * Messages between the page and the proof-of-improvement worker (lib/workers/poi.worker.ts): PROVE for a model
 * improver and VERIFY for a validator (lib/daimon/poi.ts), run with onnxruntime-web off the main thread. The page
 * downloads Z and f by CID (verified against the CID) and sends the bytes; the worker checks them again.
 * Everything here is structured-cloneable (bigint and typed arrays included).
 */
import type { Address, Hex } from "viem";
import type { PoiProblem, PoiProgress, PoiProof, PoiVerification, SubmittedProof } from "../daimon/poi";

/** One tuple with its files' bytes and CIDs. */
export interface PoiTupleFiles {
  readonly inputs: Uint8Array;
  readonly del: Uint8Array;
  readonly target: Hex;
  readonly inputsCid: string;
  readonly delCid: string;
  /** The tuple's delRoot (f_q's root, docs/daimon.md §14.3.1): PROVE refuses an f whose f_q does not have it. */
  readonly delRoot: Hex;
}

/** "auto": WebGPU when the browser has a hardware adapter (WASM for what WebGPU lacks), else WASM. */
export type PoiBackendPreference = "auto" | "webgpu" | "wasm";
export type PoiBackend = "ort-webgpu" | "ort-wasm";

export interface ProveRequest {
  readonly id: number;
  readonly kind: "prove";
  readonly model: Blob;
  readonly tuples: readonly PoiTupleFiles[];
  readonly problem: PoiProblem;
  readonly problemAddress: Address;
  readonly improver?: Address;
  readonly preferredBackend: PoiBackendPreference;
}

export interface VerifyRequest {
  readonly id: number;
  readonly kind: "verify";
  readonly model: Uint8Array;
  readonly proof: SubmittedProof;
  readonly tuples: readonly PoiTupleFiles[];
  readonly problem: PoiProblem;
  readonly bestDistance: bigint;
  readonly margin: bigint;
  readonly tolerance: number;
  readonly preferredBackend: PoiBackendPreference;
}

export type PoiWorkerRequest = ProveRequest | VerifyRequest;

export interface PoiRun {
  readonly backend: PoiBackend;
  /** Why the run is not on WebGPU, or what fell back; for people. */
  readonly notes: string[];
  /** Wall-clock milliseconds of the ONNX Runtime work. */
  readonly ms: number;
}

export type PoiWorkerResponse =
  | { readonly id: number; readonly kind: "progress"; readonly progress: PoiProgress }
  | { readonly id: number; readonly kind: "proved"; readonly proof: PoiProof; readonly run: PoiRun }
  | { readonly id: number; readonly kind: "verified"; readonly verification: PoiVerification; readonly run: PoiRun }
  | { readonly id: number; readonly kind: "error"; readonly message: string };

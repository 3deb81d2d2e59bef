/**
 * WebGPU detection without depending on the WebGPU type declarations: `navigator.gpu?.requestAdapter()`, with every
 * way it can fail turned into a sentence for the fallback notes. Works on the main thread and in workers.
 */

/** The part of `GPUAdapter` this module reads (`info` is the current spec, `isFallbackAdapter` the older one). */
export interface GpuAdapterLike {
  readonly info?: { readonly vendor?: string; readonly architecture?: string; readonly isFallbackAdapter?: boolean };
  readonly isFallbackAdapter?: boolean;
}

/** The part of `navigator.gpu` this module calls. */
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: "low-power" | "high-performance" }): Promise<GpuAdapterLike | null>;
}

export type WebGpuProbe =
  | { readonly available: true; readonly adapter: GpuAdapterLike; readonly isFallbackAdapter: boolean; readonly description: string }
  | { readonly available: false; readonly reason: string };

/** `navigator.gpu` of this global scope, if any. */
export function navigatorGpu(): GpuLike | undefined {
  const scope = globalThis as { navigator?: { gpu?: GpuLike } };
  return scope.navigator?.gpu;
}

/**
 * Asks for a WebGPU adapter. `gpu` defaults to `navigator.gpu`; pass `null` to mean "no WebGPU here" (tests, Node).
 */
export async function probeWebGpu(gpu: GpuLike | null | undefined = navigatorGpu()): Promise<WebGpuProbe> {
  if (!gpu) return { available: false, reason: "WebGPU is not available here (navigator.gpu is missing)" };
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  } catch (error) {
    return { available: false, reason: `WebGPU adapter request failed (${error instanceof Error ? error.message : String(error)})` };
  }
  if (!adapter) return { available: false, reason: "WebGPU is present but gave no adapter (navigator.gpu.requestAdapter() returned null)" };
  const isFallbackAdapter = adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
  const name = [adapter.info?.vendor, adapter.info?.architecture].filter((part) => part).join(" ");
  const description = `${name || "WebGPU adapter"}${isFallbackAdapter ? " (software fallback adapter)" : ""}`;
  return { available: true, adapter, isFallbackAdapter, description };
}

"use client";

import { useId } from "react";
import type { PoiBackendPreference } from "@/lib/workers/poiProtocol";
import { fieldBase, labelBase } from "@/components/ui/styles";

const OPTIONS: { value: PoiBackendPreference; label: string }[] = [
  { value: "auto", label: "Automatic (WebGPU on a GPU, else WASM)" },
  { value: "webgpu", label: "WebGPU (WASM for what it lacks)" },
  { value: "wasm", label: "WASM" },
];

/** Where PROVE and VERIFY run: ONNX Runtime Web's WebGPU or WASM backend; either falls back to WASM when it must. */
export function BackendSelect({ value, onChange, disabled }: { value: PoiBackendPreference; onChange: (value: PoiBackendPreference) => void; disabled?: boolean }) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className={labelBase}>
        ONNX Runtime backend
      </label>
      <select id={id} className={`${fieldBase} mt-1`} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as PoiBackendPreference)}>
        {OPTIONS.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

#!/usr/bin/env node
/**
 * Copies onnxruntime-web's WebAssembly runtime files to public/ort/, where the app serves them
 * (lib/ort sets `ort.env.wasm.wasmPaths = "/ort/"` in browsers): the app never fetches them from a CDN.
 *
 * Runs from package.json's postinstall, predev, predev:production and prebuild. Only files whose size or
 * modification time differ are copied, so repeated runs are cheap. public/ort/ is gitignored.
 *
 * Which files, and why (onnxruntime-web 1.30):
 *   ort-wasm-simd-threaded.asyncify.{mjs,wasm}  loaded by `onnxruntime-web/webgpu` (the WebGPU backend; lib/ort)
 *   ort-wasm-simd-threaded.{mjs,wasm}           loaded by `onnxruntime-web/wasm` (the WASM backend; lib/ort)
 * With --all, also the builds of the other entries: ort-wasm-simd-threaded.jsep.* (the default `onnxruntime-web`
 * and `/all` entries in browsers) and ort-wasm-simd-threaded.jspi.* (`/jspi`). lib/ort uses neither.
 *
 * Plain ESM so it runs with bare `node` before anything is compiled.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, unlinkSync, utimesSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const TARGET = path.join(ROOT, "public", "ort");
const BUILDS = process.argv.includes("--all") ? ["", ".asyncify", ".jsep", ".jspi"] : ["", ".asyncify"];
const FILES = BUILDS.flatMap((build) => [`ort-wasm-simd-threaded${build}.mjs`, `ort-wasm-simd-threaded${build}.wasm`]);

/** onnxruntime-web's dist/ (its exports map hides package.json, so resolve the main entry, which lives in dist/). */
function distDirectory() {
  const require = createRequire(path.join(ROOT, "package.json"));
  try {
    return path.dirname(require.resolve("onnxruntime-web"));
  } catch {
    return null;
  }
}

function sameFile(from, to) {
  if (!existsSync(to)) return false;
  const a = statSync(from);
  const b = statSync(to);
  // utimes keeps milliseconds only: allow the rounding.
  return a.size === b.size && Math.abs(a.mtimeMs - b.mtimeMs) <= 1;
}

function main() {
  const dist = distDirectory();
  if (!dist) {
    console.warn("copy-ort-assets: onnxruntime-web is not installed; nothing copied (the ONNX Runtime preview will not load)");
    return;
  }
  mkdirSync(TARGET, { recursive: true });
  let copied = 0;
  let bytes = 0;
  for (const name of FILES) {
    const from = path.join(dist, name);
    const to = path.join(TARGET, name);
    if (!existsSync(from)) throw new Error(`copy-ort-assets: ${from} is missing; is onnxruntime-web installed completely?`);
    if (sameFile(from, to)) continue;
    copyFileSync(from, to);
    const { atime, mtime, size } = statSync(from);
    utimesSync(to, atime, mtime);
    copied++;
    bytes += size;
  }
  // Files of an older onnxruntime-web (or of --all) that are no longer wanted.
  let removed = 0;
  for (const name of readdirSync(TARGET)) {
    if (name.startsWith("ort-") && !FILES.includes(name)) {
      unlinkSync(path.join(TARGET, name));
      removed++;
    }
  }
  const { version } = JSON.parse(readFileSync(path.join(dist, "..", "package.json"), "utf8"));
  console.log(
    `copy-ort-assets: onnxruntime-web ${version} → public/ort/ (${copied} copied${copied ? `, ${(bytes / 2 ** 20).toFixed(1)} MiB` : ""}, ` +
      `${FILES.length - copied} up to date${removed ? `, ${removed} stale removed` : ""})`,
  );
}

main();

/**
 * `npm run bench:score`: scoring throughput in headless Chromium, through the app's /lab page (lib/ort/lab.ts):
 * 10,000 samples (BENCH_SAMPLES) through a 784-128-10 int8 network and the DanKu demo's 2-4-4-2, with ORT-web on
 * WASM, on WebGPU when the browser has an adapter (started with --enable-unsafe-webgpu, headless Chromium offers
 * SwiftShader, a CPU emulation — reported as such), and the plain TypeScript reference, in the same run. Writes
 * bench/results/score.json (a list of entries) and prints a table with the ratios. Target (issue): WASM ≥ 5× the
 * reference on 784-128-10. It records; it asserts only that every ORT prediction equals the reference's.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { benchmarkRatios, type ScoreBenchmarkEntry, type WebGpuProbe } from "../lib/ort";
import { e2eSettings } from "../e2e/fixtures/settings";
import { expect, test } from "../e2e/fixtures";

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 10_000);

test("scoring benchmark", async ({ page }) => {
  await page.goto("/lab");
  await expect(page.getByTestId("webgpu-probe")).toHaveAttribute("data-ready", "true", { timeout: 120_000 });
  const probe = await page.evaluate(() => window.modelbountyLab?.probe() as Promise<WebGpuProbe>);
  const entries = await page.evaluate((samples) => window.modelbountyLab?.benchmark({ samples }) as Promise<ScoreBenchmarkEntry[]>, SAMPLES);
  for (const e of entries) if (e.agreesWithReference !== undefined) expect(e.agreesWithReference, `${e.network} ${e.backend}`).toBe(true);

  const ratios = benchmarkRatios(entries);
  const withRatios = entries.map((e) => ({ ...e, overReference: ratios.find((r) => r.network === e.network && r.backend === e.backend)?.overReference }));
  const file = path.join(e2eSettings.root, "bench", "results", "score.json");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(withRatios, null, 2)}\n`);
  const adapter = probe.available ? probe.description : `none (${probe.reason})`;
  const rows = withRatios.map(
    (e) =>
      `  ${e.network.padEnd(11)} ${e.backend.padEnd(11)} ${e.available ? Math.round(e.samplesPerSecond).toLocaleString("en-US").padStart(10) : "       n/a"} samples/s` +
      `${e.overReference !== undefined ? `  ${e.overReference.toFixed(1)}× reference` : ""}${e.note ? `  (${e.note})` : ""}`,
  );
  process.stdout.write(["", `scoring benchmark, ${SAMPLES.toLocaleString("en-US")} samples, WebGPU adapter: ${adapter}`, ...rows, `  → ${file}`, ""].join("\n"));
});

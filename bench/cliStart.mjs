// `npm run bench:cli`: time from starting `modelbounty` to its first line on stdout, from the build (what
// bin/modelbounty.cjs runs when .cli-build is current) and from the TypeScript sources through ts-node (the
// fallback, and what every start cost before the build, issue 12 §5), for `--help` and for the README's first
// command (`score` of the sample model on the sample data). Median of RUNS runs each; bench/results/cli-start.json.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CLI = path.join(ROOT, "bin", "modelbounty.cjs");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const COMMANDS = {
  help: ["--help"],
  scoreSample: ["score", "--model", "samples/seeds-model.json", "--data", "samples/seeds.csv", "--label", "variety"],
};

/** Milliseconds until the first byte on stdout, and until exit. */
function time(args, fromSource) {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    if (fromSource) env.MODELBOUNTY_CLI_FROM_SOURCE = "1";
    else delete env.MODELBOUNTY_CLI_FROM_SOURCE;
    const started = performance.now();
    let firstLine;
    let stderr = "";
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env });
    child.stdout.once("data", () => (firstLine = performance.now() - started));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) reject(new Error(`modelbounty ${args.join(" ")} exited with ${code}: ${stderr}`));
      else if (!fromSource && stderr.includes("running the TypeScript sources")) reject(new Error(`the build is not current: ${stderr.trim()}`));
      else resolve({ firstLineMs: firstLine, exitMs: performance.now() - started });
    });
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

spawnSync(process.execPath, [path.join(ROOT, "bin", "build-cli.cjs")], { cwd: ROOT, stdio: "inherit" });
const results = {};
for (const [name, args] of Object.entries(COMMANDS)) {
  for (const mode of ["built", "source"]) {
    const runs = [];
    for (let r = 0; r < RUNS; r++) runs.push(await time(args, mode === "source"));
    results[`${name}.${mode}`] = {
      firstLineMs: Math.round(median(runs.map((x) => x.firstLineMs))),
      exitMs: Math.round(median(runs.map((x) => x.exitMs))),
      runs: runs.map((x) => Math.round(x.firstLineMs)),
    };
    console.log(`${name.padEnd(12)} ${mode.padEnd(7)} first line ${results[`${name}.${mode}`].firstLineMs} ms (runs ${results[`${name}.${mode}`].runs.join(", ")})`);
  }
}
const out = path.join(ROOT, "bench", "results", "cli-start.json");
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))), runs: RUNS, results }, null, 2)}\n`,
);
console.log(`written to ${path.relative(ROOT, out)}`);

/**
 * Big dataset CSVs in the CLI (issue 12 §3: a 200 MB CSV used to crash `score` and `create` after ≈ 200 s with
 * "JavaScript heap out of memory"). A file over the size cap is refused from its size before it is read, by the CLI
 * itself; a file under the cap with more rows than a competition holds stops at the first row past the limit;
 * files are streamed, and a normal file gives the same dataset as parsing its whole text. Figures (time, memory)
 * are printed, never asserted. The big files are sparse or short-lived and removed afterwards.
 */
import { expect } from "chai";
import { execFile } from "node:child_process";
import { closeSync, existsSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { DatasetError, parseCsvDataset } from "../../lib/danku/dataset";
import { csvTooLargeMessage, MAX_CSV_BYTES, MAX_CSV_DATA_ROWS } from "../../lib/danku/csvLimits";
import { readCsvDataset } from "../../scripts/cli/files";
import { CliError } from "../../scripts/cli/context";

const execFileAsync = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..");
const CLI = path.join(ROOT, "bin", "modelbounty.cjs");
const MIB = 1024 * 1024;

/** A file of `size` bytes whose first bytes are `head` and the rest a hole (no disk used, never read here). */
function sparseFile(file: string, head: string, size: number): void {
  writeFileSync(file, head);
  const fd = openSync(file, "r+");
  ftruncateSync(fd, size);
  closeSync(fd);
}

/** Runs `body` while sampling this process's resident memory; returns its result or error with the figures. */
async function measured<T>(body: () => Promise<T>): Promise<{ value?: T; error?: unknown; ms: number; peakRssMiB: number; rssBeforeMiB: number }> {
  const rssBefore = process.memoryUsage.rss();
  let peak = rssBefore;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const started = performance.now();
  try {
    const value = await body();
    return { value, ms: Math.round(performance.now() - started), peakRssMiB: Math.round(Math.max(peak, process.memoryUsage.rss()) / MIB), rssBeforeMiB: Math.round(rssBefore / MIB) };
  } catch (error) {
    return { error, ms: Math.round(performance.now() - started), peakRssMiB: Math.round(Math.max(peak, process.memoryUsage.rss()) / MIB), rssBeforeMiB: Math.round(rssBefore / MIB) };
  } finally {
    clearInterval(timer);
  }
}

interface CliRun {
  code: number;
  json: { ok?: boolean; error?: string };
  ms: number;
  maxRssMiB?: number;
}

/** Runs the CLI with --json; under /usr/bin/time when there is one, for the child's peak memory. */
async function cli(cwd: string, ...args: string[]): Promise<CliRun> {
  const time = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
  const [command, argv] = time ? [time, ["-f", "maxrss-kib=%M", process.execPath, CLI, "--json", ...args]] : [process.execPath, [CLI, "--json", ...args]];
  const env: NodeJS.ProcessEnv = { ...process.env, MODELBOUNTY_RPC_URL: "http://127.0.0.1:9" };
  delete env.MODELBOUNTY_PRIVATE_KEY;
  const started = performance.now();
  let stdout: string;
  let stderr: string;
  let code = 0;
  try {
    ({ stdout, stderr } = await execFileAsync(command, argv, { cwd, env, timeout: 240_000, maxBuffer: 16 * MIB }));
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    code = failed.code ?? 1;
    stdout = failed.stdout ?? "";
    stderr = failed.stderr ?? "";
  }
  const rss = /maxrss-kib=(\d+)/.exec(stderr);
  return {
    code,
    json: stdout.trim() ? (JSON.parse(stdout.trim().split("\n").pop() as string) as CliRun["json"]) : {},
    ms: Math.round(performance.now() - started),
    ...(rss ? { maxRssMiB: Math.round(Number(rss[1]) / 1024) } : {}),
  };
}

describe("CLI: big dataset CSVs", function () {
  let workdir: string;

  before(() => {
    workdir = mkdtempSync(path.join(os.tmpdir(), "modelbounty-bigcsv-"));
  });

  after(() => {
    rmSync(workdir, { recursive: true, force: true });
  });

  it("refuses a 200 MiB CSV from its size, in score and create, before reading it", async function () {
    this.timeout(300_000);
    const file = path.join(workdir, "big.csv");
    const size = 200 * MIB;
    sparseFile(file, "x,label\n1,a\n0,b\n", size);
    const expected = csvTooLargeMessage(size, file);
    expect(expected).to.include("200 MiB (209,715,200 bytes)").and.include("128 MiB (134,217,728 bytes)").and.include("random sample");

    const direct = await measured(() => readCsvDataset(file, { labelColumn: "label" }));
    console.log(`      readCsvDataset: refused in ${direct.ms} ms, rss ${direct.rssBeforeMiB} → peak ${direct.peakRssMiB} MiB`);
    expect(direct.error).to.be.instanceOf(CliError);
    expect((direct.error as Error).message).to.equal(expected);

    // The CLI itself, both commands that take --data (no chain is reachable: nothing may need one).
    const secrets = path.join(workdir, "big.secrets.json");
    const [score, create] = await Promise.all([
      cli(workdir, "score", "--model", path.join(ROOT, "samples", "seeds-model.json"), "--data", file, "--label", "label"),
      cli(workdir, "create", "--data", file, "--label", "label", "--reward", "1", "--secrets", secrets),
    ]);
    for (const [name, run] of [["score", score], ["create", create]] as const) {
      console.log(`      modelbounty ${name}: exit ${run.code} after ${run.ms} ms (CLI start included)${run.maxRssMiB ? `, peak rss ${run.maxRssMiB} MiB` : ""}`);
      expect(run.code, name).to.not.equal(0);
      expect(run.json, name).to.deep.equal({ ok: false, error: expected });
    }
    expect(existsSync(secrets)).to.equal(false);
  });

  it("stops at the first row past the protocol's point limit in a file just under the size cap", async function () {
    this.timeout(300_000);
    const file = path.join(workdir, "rows.csv");
    // 4,000,001 data rows (16 MB) and then a hole up to one byte under the cap: reading must stop before the hole.
    const rows = MAX_CSV_DATA_ROWS + 1;
    const fd = openSync(file, "w");
    writeSync(fd, "x,label\n");
    const block = "1,a\n0,b\n".repeat(50_000);
    for (let written = 0; written < rows; written += 100_000) writeSync(fd, block.slice(0, Math.min(100_000, rows - written) * 4));
    ftruncateSync(fd, MAX_CSV_BYTES - 1);
    closeSync(fd);

    const result = await measured(() => readCsvDataset(file, { labelColumn: "label" }));
    console.log(`      readCsvDataset: stopped in ${result.ms} ms, rss ${result.rssBeforeMiB} → peak ${result.peakRssMiB} MiB (file ${MAX_CSV_BYTES - 1} bytes)`);
    expect(result.error).to.be.instanceOf(DatasetError);
    const issues = (result.error as DatasetError).issues;
    expect(issues).to.have.length(1);
    expect(issues[0]?.line).to.equal(MAX_CSV_DATA_ROWS + 2); // line 1 is the header
    expect(issues[0]?.message).to.include("more than 4,000,000 data rows").and.include("random sample");
    rmSync(file);
  });

  it("reads a normal file exactly as the whole-text parse does, characters split across reads included", async function () {
    this.timeout(120_000);
    for (const [file, labelColumn] of [
      [path.join(ROOT, "samples", "seeds.csv"), "variety"],
      [path.join(ROOT, "public", "demo", "us-counties.csv"), "party"],
    ] as const) {
      expect(await readCsvDataset(file, { labelColumn })).to.deep.equal(parseCsvDataset(readFileSync(file, "utf8"), { labelColumn }));
    }
    // 3 MiB with two- and three-byte UTF-8 labels and a BOM: the 1 MiB reads cut through characters.
    const file = path.join(workdir, "utf8.csv");
    const lines = ["\ufeffa,b,label"];
    for (let i = 0, length = 0; length < 3 * MIB; i++) {
      const line = `${i % 256},${(i * 0.37).toFixed(2)},${["é", "日本", "x"][i % 3]}`;
      lines.push(line);
      length += line.length + 2;
    }
    writeFileSync(file, lines.join("\r\n"));
    const streamed = await readCsvDataset(file, { labelColumn: "label" });
    expect(streamed).to.deep.equal(parseCsvDataset(readFileSync(file, "utf8"), { labelColumn: "label" }));
    expect(streamed.classNames).to.deep.equal(["x", "é", "日本"]);
  });

  it("names a missing file as before", async () => {
    let error: unknown;
    await readCsvDataset(path.join(workdir, "missing.csv"), { labelColumn: "label" }).catch((caught: unknown) => (error = caught));
    expect(error).to.be.instanceOf(CliError);
    expect((error as Error).message).to.equal(`dataset ${path.join(workdir, "missing.csv")} does not exist`);
  });
});

/**
 * Runs the built `modelbounty` CLI (bin/modelbounty.cjs) as a user would, with `--json`, against a local chain: the CLI
 * tests share this one runner instead of each spawning the process its own way.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import type { Hex } from "viem";

const execFileAsync = promisify(execFile);
export const CLI = path.join(path.resolve(__dirname, "..", ".."), "bin", "modelbounty.cjs");

export interface CliResult {
  code: number;
  json: Record<string, unknown>;
  stderr: string;
}

/**
 * `modelbounty --json …args` in `cwd` with `MODELBOUNTY_RPC_URL = rpc` and, when `key` is given, that private key (none
 * otherwise, whatever the environment holds). A failing command is a result with its exit code, not a thrown error.
 */
export async function runCli(options: { rpc: string; cwd: string; key?: Hex; timeoutMs?: number }, ...args: string[]): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, MODELBOUNTY_RPC_URL: options.rpc };
  delete env.MODELBOUNTY_PRIVATE_KEY;
  if (options.key) env.MODELBOUNTY_PRIVATE_KEY = options.key;
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [CLI, "--json", ...args], { cwd: options.cwd, env, timeout: options.timeoutMs ?? 120_000 });
    return { code: 0, json: JSON.parse(stdout) as Record<string, unknown>, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    const stdout = failed.stdout ?? "";
    return { code: failed.code ?? 1, json: stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {}, stderr: failed.stderr ?? "" };
  }
}

/**
 * Files the CLI writes for people to keep. Secrets are written before the transaction that needs them and never
 * overwritten silently: losing them makes a reveal impossible.
 */
import { existsSync, renameSync, writeFileSync } from "node:fs";
import { CliError } from "./context";

/** Throws unless `file` may be written: it does not exist yet, or --force allows overwriting it. */
export function refuseOverwrite(file: string, options: { force?: boolean } = {}): void {
  if (existsSync(file) && !options.force) {
    throw new CliError(`${file} already exists; refusing to overwrite a file that may hold secrets (choose another path or pass --force)`);
  }
}

export function writeNewFile(file: string, contents: string, options: { force?: boolean } = {}): void {
  refuseOverwrite(file, options);
  writeAtomically(file, contents);
}

/** Write to a temporary file and rename, so a crash never leaves a half-written secrets file. */
export function writeAtomically(file: string, contents: string): void {
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, contents, { mode: 0o600 });
  renameSync(temporary, file);
}

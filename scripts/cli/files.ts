/**
 * Files the CLI reads and writes. Secrets are written before the transaction that needs them and never overwritten
 * silently: losing them makes a reveal impossible. Dataset CSVs are refused from their size before they are read,
 * and streamed, so a large file never has to fit in memory as text.
 */
import { createReadStream, existsSync, renameSync, statSync, writeFileSync } from "node:fs";
import { parseCsvDatasetChunks, type ParsedDataset, type ParseCsvOptions } from "../../lib/danku/dataset";
import { csvTooLargeMessage, MAX_CSV_BYTES } from "../../lib/danku/csvLimits";
import { CliError } from "./context";

/** Bytes read from the file at a time (and so about the text held at once). */
const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * Reads a dataset CSV (what `create --data` and `score --data` take): refused from its size above
 * {@link MAX_CSV_BYTES} before a byte is read, otherwise streamed through the parser, which stops at the first
 * row past the protocol's point limit. Problems of the file's contents are thrown as `DatasetError`.
 */
export async function readCsvDataset(file: string, options: ParseCsvOptions): Promise<ParsedDataset> {
  if (!existsSync(file)) throw new CliError(`dataset ${file} does not exist`);
  const size = statSync(file).size;
  if (size > MAX_CSV_BYTES) throw new CliError(csvTooLargeMessage(size, file));
  const stream = createReadStream(file, { encoding: "utf8", highWaterMark: READ_CHUNK_BYTES });
  try {
    return await parseCsvDatasetChunks(capped(stream, file), options);
  } finally {
    stream.destroy();
  }
}

/** The stream's text, refused as soon as more than the cap has been read (a file that grew after the size check). */
async function* capped(stream: ReturnType<typeof createReadStream>, file: string): AsyncGenerator<string> {
  for await (const chunk of stream) {
    if (stream.bytesRead > MAX_CSV_BYTES) throw new CliError(csvTooLargeMessage(stream.bytesRead, file));
    yield chunk as string;
  }
}

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

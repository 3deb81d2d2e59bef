/**
 * Files the CLI reads and writes. Secrets are written before the transaction that needs them and never overwritten
 * silently: losing them makes a reveal impossible. Dataset CSVs are refused from their size before they are read,
 * and streamed, so a large file never has to fit in memory as text.
 */
import { createReadStream, existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseCsvDatasetChunks, type ParsedDataset, type ParseCsvOptions } from "../../lib/danku/dataset";
import { csvTooLargeMessage, MAX_CSV_BYTES } from "../../lib/danku/csvLimits";
import { formatBytes } from "../../lib/ipfs/config";
import { MAX_IMAGE_INPUT_BYTES, parseImageFiles, type ImageDataset, type NamedBytes } from "../../lib/danku/images";
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

/** Where an image dataset comes from: `create --images <dir|zip> [--labels <csv>]` or `--idx-images/--idx-labels`. */
export type ImageSource =
  | { readonly kind: "png"; readonly images: string; readonly labels?: string }
  | { readonly kind: "idx"; readonly images: string; readonly labels: string };

/** The PNGs and CSVs under `dir` (recursively, hidden files skipped), named by their path relative to it. */
function folderFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && /\.(png|csv)$/i.test(entry.name)) found.push(full);
    }
  };
  walk(dir);
  return found.sort();
}

/**
 * Reads an image dataset with the library the wizard uses (lib/danku/images.ts): refused from the files' sizes above
 * {@link MAX_IMAGE_INPUT_BYTES} before a byte is read. A folder contributes its PNGs and CSVs (other files are not
 * read); `labels` adds a labels CSV kept elsewhere. Problems of the contents are thrown as `DatasetError`.
 */
export function readImageDataset(source: ImageSource): ImageDataset {
  const paths: { file: string; name: string }[] = [];
  const missing = (file: string, flag: string) => new CliError(`${flag} ${file} does not exist`);
  if (!existsSync(source.images)) throw missing(source.images, source.kind === "png" ? "--images" : "--idx-images");
  if (source.labels !== undefined && !existsSync(source.labels)) throw missing(source.labels, source.kind === "png" ? "--labels" : "--idx-labels");
  if (source.kind === "png" && statSync(source.images).isDirectory()) {
    for (const file of folderFiles(source.images)) paths.push({ file, name: path.relative(source.images, file).split(path.sep).join("/") });
  } else paths.push({ file: source.images, name: path.basename(source.images) });
  if (source.labels !== undefined) {
    const labels = path.resolve(source.labels);
    // A labels CSV inside the folder is already there: read it once.
    if (!paths.some((p) => path.resolve(p.file) === labels)) paths.push({ file: source.labels, name: path.basename(source.labels) });
  }
  const total = paths.reduce((sum, p) => sum + statSync(p.file).size, 0);
  if (total > MAX_IMAGE_INPUT_BYTES) {
    throw new CliError(
      `the image dataset is ${formatBytes(total)} (${total.toLocaleString("en-US")} bytes), over the ${formatBytes(MAX_IMAGE_INPUT_BYTES)} ` +
        `limit, so it was not read: the whole dataset is decoded, checked and hashed in memory. Take a random sample of the images and try again.`,
    );
  }
  const files: NamedBytes[] = paths.map((p) => ({ name: p.name, bytes: readFileSync(p.file) }));
  return parseImageFiles(files);
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

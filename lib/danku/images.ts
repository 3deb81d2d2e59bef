/**
 * Image datasets → byte dataset (docs/protocol.md §2.3), next to CSV (§2.1): IDX files as MNIST ships them (an idx3
 * image file and an idx1 label file, optionally gzipped), or PNG images with a labels CSV (a folder, several selected
 * files, or a .zip archive). The result is the {@link ParsedDataset} the CSV path produces — so grouping, hashing and
 * the reveals do not know where the points came from — plus the image shape the competition declares in its metadata.
 *
 * Features are the pixel bytes row-major, H × W × C (row, then column, then channel), with identity mappings: the
 * bytes already are 0..255. Grayscale stays one channel, RGB three. An alpha channel is dropped when every pixel of
 * every image is opaque (alpha 255, as some exporters write it) and refused otherwise: the colour under a transparent
 * pixel is undefined, so there is no one right byte for it. 16-bit and 1/2/4-bit grayscale PNGs are refused with the
 * way out (save as 8-bit); palette PNGs are expanded to RGB.
 *
 * Pure: it takes the files' bytes and names (the CLI reads them from disk, the wizard's worker from Blobs).
 */
import { convertIndexedToRgb, decode as decodePng, hasPngSignature, type DecodedPng } from "fast-png";
import { Gunzip, unzipSync, zipSync } from "fflate";
import Papa from "papaparse";
import { formatBytes } from "../ipfs/config";
import { MAX_CLASSES, MAX_FEATURES, MAX_TOTAL_POINTS, MIN_CLASSES } from "./constants";
import { MAX_CSV_BYTES } from "./csvLimits";
import { DatasetError, orderClassNames, type BytePoint, type DatasetIssue, type FeatureMapping, type ParsedDataset } from "./dataset";

/** The shape of every image of a dataset; `height · width · channels` is the feature count. */
export interface ImageShape {
  readonly height: number;
  readonly width: number;
  /** 1 (grayscale) or 3 (RGB). */
  readonly channels: 1 | 3;
}

export interface ImageDataset extends ParsedDataset {
  readonly imageShape: ImageShape;
  /** Per point, where it came from: the PNG's path, or `#index` in the IDX files (for previews and error messages). */
  readonly sources: readonly string[];
  /** The label column's name: the labels CSV's, or {@link IDX_LABEL_COLUMN}. */
  readonly labelColumn: string;
}

/** A file handed to the parsers: its path (as in the folder or archive) and its bytes. */
export interface NamedBytes {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/**
 * Largest input, in bytes, as given (an archive, or the files of a selection together): the CSV cap, for the same
 * reason — the whole dataset is decoded, checked and hashed in memory (lib/danku/csvLimits.ts).
 */
export const MAX_IMAGE_INPUT_BYTES = MAX_CSV_BYTES;
/**
 * Largest decompressed content (gunzipped IDX files, unzipped archive entries), so a small archive cannot expand
 * into more memory than a browser tab has: 256 MiB holds MNIST's 60,000 training images (47 MB) five times over.
 */
export const MAX_IMAGE_DECODED_BYTES = 256 * 1024 * 1024;
/** The label column written for IDX datasets (their labels have no name of their own). */
export const IDX_LABEL_COLUMN = "label";

/** Header names accepted for the labels CSV's two columns (compared case-insensitively after trimming). */
const FILE_COLUMNS = ["file", "filename", "image", "path"];
const LABEL_COLUMNS = ["label", "class", "target", "y"];

function count(n: number): string {
  return n.toLocaleString("en-US");
}

function fail(message: string, line = 0): never {
  throw new DatasetError([{ line, message }]);
}

/** Feature names of an image shape, in feature order: `pixel_<row>_<col>`, with `_r`/`_g`/`_b` for RGB. */
export function imageFeatureNames(shape: ImageShape): string[] {
  const names: string[] = [];
  const channelNames = shape.channels === 1 ? [""] : ["_r", "_g", "_b"];
  for (let row = 0; row < shape.height; row++) {
    for (let col = 0; col < shape.width; col++) for (const c of channelNames) names.push(`pixel_${row}_${col}${c}`);
  }
  return names;
}

/** Refuses a shape whose feature count exceeds MAX_FEATURES, naming what would fit. */
function checkShape(shape: ImageShape, source: string): void {
  if (!Number.isInteger(shape.height) || !Number.isInteger(shape.width) || shape.height < 1 || shape.width < 1) {
    fail(`${source}: images of ${shape.height} × ${shape.width} pixels; both must be at least 1`);
  }
  const features = shape.height * shape.width * shape.channels;
  if (features > MAX_FEATURES) {
    fail(
      `${source}: images of ${shape.height} × ${shape.width} × ${shape.channels} are ${count(features)} features, over the ` +
        `${MAX_FEATURES} a competition allows (MAX_FEATURES; 28 × 28 × 1 = 784 fits). Downscale or crop the images ` +
        `(or convert them to grayscale) and try again.`,
    );
  }
}

function checkPointCount(points: number, source: string): void {
  if (points < 1) fail(`${source}: no images; a dataset needs at least one`);
  if (points > MAX_TOTAL_POINTS) {
    fail(
      `${source}: ${count(points)} images, more than the ${count(MAX_TOTAL_POINTS)} points a competition can hold ` +
        `(MAX_TOTAL_POINTS). Take a random sample of at most ${count(MAX_TOTAL_POINTS)} images and try again.`,
    );
  }
}

function decodedTooLarge(size: number, source: string): never {
  fail(
    `${source} expands to ${formatBytes(size)} (${count(size)} bytes), over the ${formatBytes(MAX_IMAGE_DECODED_BYTES)} limit ` +
      `for decompressed image data (the whole dataset is decoded in memory). Take a random sample of the images and try again.`,
  );
}

/** True when `bytes` start with the gzip magic number (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** True when `bytes` start like a zip archive's first local file header ("PK\x03\x04") or an empty archive's end record. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

/** Pieces the gzip stream is inflated in, so the decompressed-size cap stops a gzip bomb after at most ~16 MiB more. */
const INFLATE_PIECE = 16 * 1024;

/** Gunzips `bytes` (named `source` in errors), refusing output over {@link MAX_IMAGE_DECODED_BYTES} as it grows. */
export function gunzipCapped(bytes: Uint8Array, source: string): Uint8Array {
  const pieces: Uint8Array[] = [];
  let total = 0;
  let over = false;
  const inflater = new Gunzip((chunk) => {
    total += chunk.length;
    if (total > MAX_IMAGE_DECODED_BYTES) over = true;
    else pieces.push(chunk);
  });
  try {
    for (let at = 0; at < bytes.length && !over; at += INFLATE_PIECE) {
      const end = Math.min(bytes.length, at + INFLATE_PIECE);
      inflater.push(bytes.subarray(at, end), end === bytes.length);
    }
  } catch (error) {
    fail(`${source} is not a valid gzip file (${error instanceof Error ? error.message : String(error)}); decompress it again from the original download`);
  }
  if (over) decodedTooLarge(total, source);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}

/** An IDX file's header: its dimensions, and where its ubyte data starts. */
export interface IdxHeader {
  readonly dims: number[];
  readonly dataOffset: number;
}

/**
 * Reads an IDX header (magic: two zero bytes, the type byte — only 0x08, unsigned byte, is accepted — and the number of
 * dimensions; then one big-endian uint32 per dimension) and checks the file holds exactly the data it declares.
 */
export function readIdxHeader(bytes: Uint8Array, source: string): IdxHeader {
  if (bytes.length < 4) fail(`${source} is ${bytes.length} bytes long, too short for an IDX file (a 4-byte magic number, then the dimensions)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    fail(`${source} is not an IDX file: it should start with two zero bytes (the IDX magic number), not ${hex(bytes[0])} ${hex(bytes[1])}`);
  }
  const type = bytes[2] as number;
  if (type !== 0x08) {
    fail(
      `${source} holds IDX values of type ${hex(type)}; only 0x08 (unsigned bytes, as MNIST's images and labels are) ` +
        `can be pixels and labels. Convert the values to unsigned bytes 0..255 and try again.`,
    );
  }
  const ndims = bytes[3] as number;
  if (ndims < 1) fail(`${source} declares 0 dimensions; an IDX image file has 3 (count, rows, columns) and a label file 1`);
  const dataOffset = 4 + 4 * ndims;
  if (bytes.length < dataOffset) fail(`${source} ends inside its header: ${ndims} dimensions need ${dataOffset} bytes, the file has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: ndims }, (_, d) => view.getUint32(4 + 4 * d, false));
  const expected = dims.reduce((product, d) => product * d, 1);
  const actual = bytes.length - dataOffset;
  if (actual !== expected) {
    fail(
      `${source} declares ${dims.join(" × ")} = ${count(expected)} values but holds ${count(actual)} bytes after its header ` +
        `(${actual < expected ? "truncated" : "trailing bytes"}); download it again`,
    );
  }
  return { dims, dataOffset };
}

function hex(byte: number | undefined): string {
  return `0x${(byte ?? 0).toString(16).padStart(2, "0")}`;
}

/** The class names of byte labels (§2.1's numeric order) and each label byte's class index. */
function byteLabelClasses(labels: Uint8Array): { classNames: string[]; classOf: Uint8Array } {
  const present = new Set<number>();
  for (const label of labels) present.add(label);
  const classNames = orderClassNames([...present].map(String));
  const classOf = new Uint8Array(256);
  classNames.forEach((name, index) => {
    classOf[Number(name)] = index;
  });
  return { classNames, classOf };
}

function checkClassCount(classNames: readonly string[], source: string): void {
  if (classNames.length < MIN_CLASSES || classNames.length > MAX_CLASSES) {
    fail(
      `${source}: the labels have ${classNames.length} distinct value${classNames.length === 1 ? "" : "s"}; ` +
        `a competition needs ${MIN_CLASSES}..${MAX_CLASSES} classes`,
    );
  }
}

/** The ParsedDataset of identity-mapped byte features (one buffer, each point a view of its image). */
function byteDataset(
  pixels: Uint8Array,
  shape: ImageShape,
  labels: ArrayLike<number>,
  classNames: string[],
  sources: string[],
  labelColumn: string,
): ImageDataset {
  const featureCount = shape.height * shape.width * shape.channels;
  const n = labels.length;
  const classCounts = new Array<number>(classNames.length).fill(0);
  const points: BytePoint[] = new Array<BytePoint>(n);
  const min = new Uint8Array(featureCount).fill(255);
  const max = new Uint8Array(featureCount);
  for (let i = 0; i < n; i++) {
    const features = pixels.subarray(i * featureCount, (i + 1) * featureCount);
    const label = labels[i] as number;
    classCounts[label] = (classCounts[label] as number) + 1;
    points[i] = { features, label };
    for (let f = 0; f < featureCount; f++) {
      const v = features[f] as number;
      if (v < (min[f] as number)) min[f] = v;
      if (v > (max[f] as number)) max[f] = v;
    }
  }
  const identity: FeatureMapping = { kind: "identity" };
  return {
    featureNames: imageFeatureNames(shape),
    classNames,
    featureMappings: Array.from({ length: featureCount }, () => identity),
    points,
    rawRowCount: n,
    classCounts,
    featureRanges: Array.from({ length: featureCount }, (_, f) => ({ min: min[f] as number, max: max[f] as number })),
    imageShape: shape,
    sources,
    labelColumn,
  };
}

/**
 * An IDX pair as MNIST ships it: images (idx3: count × rows × columns, or idx4 with a last dimension of 1 or 3
 * channels) and labels (idx1: count), each optionally gzipped. Labels are bytes; the class names are their decimal
 * values in numeric order (§2.1), so MNIST's digits 0..9 are classes 0..9.
 */
export function parseIdxDataset(images: NamedBytes, labels: NamedBytes): ImageDataset {
  const imageBytes = isGzip(images.bytes) ? gunzipCapped(images.bytes, images.name) : images.bytes;
  const labelBytes = isGzip(labels.bytes) ? gunzipCapped(labels.bytes, labels.name) : labels.bytes;
  const imageHeader = readIdxHeader(imageBytes, images.name);
  const labelHeader = readIdxHeader(labelBytes, labels.name);
  const dims = imageHeader.dims;
  if (dims.length !== 3 && dims.length !== 4) {
    fail(
      `${images.name} has ${dims.length} dimension${dims.length === 1 ? "" : "s"} (${dims.join(" × ")}); an IDX image file has 3 ` +
        `(count × rows × columns, as MNIST's idx3 files) or 4 (… × channels). ${dims.length === 1 ? "Is it the label file? Swap the two." : ""}`.trim(),
    );
  }
  if (labelHeader.dims.length !== 1) {
    fail(`${labels.name} has ${labelHeader.dims.length} dimensions (${labelHeader.dims.join(" × ")}); an IDX label file has 1 (count, as MNIST's idx1 files)`);
  }
  const [n = 0, height = 0, width = 0, channels = 1] = dims;
  if (channels !== 1 && channels !== 3) fail(`${images.name} has ${channels} channels per pixel; 1 (grayscale) or 3 (RGB) are accepted`);
  const shape: ImageShape = { height, width, channels };
  checkPointCount(n, images.name);
  checkShape(shape, images.name);
  if (labelHeader.dims[0] !== n) {
    fail(`${images.name} holds ${count(n)} images but ${labels.name} holds ${count(labelHeader.dims[0] ?? 0)} labels; they must be a matching pair`);
  }
  const labelValues = labelBytes.subarray(labelHeader.dataOffset);
  const { classNames, classOf } = byteLabelClasses(labelValues);
  checkClassCount(classNames, labels.name);
  const classIndex = new Uint8Array(n);
  for (let i = 0; i < n; i++) classIndex[i] = classOf[labelValues[i] as number] as number;
  const sources = Array.from({ length: Math.min(n, SOURCE_NAMES_KEPT) }, (_, i) => `${images.name} #${i}`);
  return byteDataset(imageBytes.subarray(imageHeader.dataOffset), shape, classIndex, classNames, sources, IDX_LABEL_COLUMN);
}

/** IDX sources are named for the first this many points only (they are for previews; a name per MNIST image is waste). */
const SOURCE_NAMES_KEPT = 64;

/** The last path segment, for matching a labels CSV's `file` column against files in any folder. */
function baseName(name: string): string {
  const parts = name.split(/[\\/]/);
  return parts[parts.length - 1] ?? name;
}

/** Normalized path: forward slashes, no leading "./" or "/". */
function normalPath(name: string): string {
  return name.replace(/\\/g, "/").replace(/^(?:\.\/|\/)+/, "");
}

/** A decoded PNG as 8-bit pixels, row-major H × W × C, with C of 1 or 3 (alpha dropped when opaque). */
function pngPixels(file: NamedBytes): { shape: ImageShape; pixels: Uint8Array } {
  let png: DecodedPng;
  try {
    png = decodePng(file.bytes);
  } catch (error) {
    fail(`${file.name} could not be decoded as a PNG (${error instanceof Error ? error.message : String(error)}); export it again`);
  }
  let data: Uint8Array;
  let channels = png.channels;
  if (png.palette) {
    data = convertIndexedToRgb(png);
    channels = data.length / (png.width * png.height);
  } else {
    if (png.depth !== 8) {
      fail(
        `${file.name} is a ${png.depth}-bit PNG; features are bytes, so only 8-bit PNGs are read (grayscale, RGB, or with an ` +
          `opaque alpha channel). Save it as 8-bit and try again.`,
      );
    }
    data = png.data instanceof Uint8Array ? png.data : Uint8Array.from(png.data);
  }
  const area = png.width * png.height;
  if (channels === 2 || channels === 4) {
    const colour = channels - 1;
    const out = new Uint8Array(area * colour);
    for (let p = 0; p < area; p++) {
      if (data[p * channels + colour] !== 255) {
        fail(
          `${file.name} has transparent pixels (pixel ${p % png.width},${Math.floor(p / png.width)} has alpha ${data[p * channels + colour]}); ` +
            `the colour under a transparent pixel is undefined, so alpha is refused unless every pixel is opaque. ` +
            `Flatten the images onto a background and save them without alpha.`,
        );
      }
      for (let c = 0; c < colour; c++) out[p * colour + c] = data[p * channels + c] as number;
    }
    data = out;
    channels = colour;
  }
  if (channels !== 1 && channels !== 3) fail(`${file.name} has ${channels} channels; grayscale (1) or RGB (3) PNGs are accepted`);
  return { shape: { height: png.height, width: png.width, channels }, pixels: data };
}

/**
 * PNG images with a labels CSV: a header with a file column (`file`, `filename`, `image` or `path`) and a label
 * column (`label`, `class`, `target` or `y`), one row per image, in the order the points take. A listed name matches
 * a PNG by its path in the selection, by its path from the CSV's folder, or by its file name when that is unique. Every listed file must exist, every
 * PNG be listed once, and every image have the same height, width and channel count. Class names are the label
 * strings in §2.1's order.
 */
export function parsePngDataset(pngs: readonly NamedBytes[], labelsCsv: NamedBytes): ImageDataset {
  const csvName = labelsCsv.name;
  const text = new TextDecoder("utf-8").decode(labelsCsv.bytes).replace(/^\uFEFF/, "");
  // Blank lines are kept by Papa and skipped here, so a row's index is its line (file names hold no line breaks).
  const parsed = Papa.parse<string[]>(text, { delimiter: ",", newline: text.includes("\r\n") ? "\r\n" : "\n" });
  const issues: DatasetIssue[] = [];
  for (const error of parsed.errors) issues.push({ line: (error.row ?? 0) + 1, message: `${csvName}: ${error.message}` });
  const numbered = parsed.data.map((fields, i) => ({ fields, line: i + 1 })).filter((row) => row.fields.some((f) => f.trim() !== ""));
  const header = numbered[0]?.fields ?? [];
  const headerLine = numbered[0]?.line ?? 1;
  const rows = numbered.slice(1);
  const names = header.map((h) => h.trim());
  const fileColumn = names.findIndex((h) => FILE_COLUMNS.includes(h.toLowerCase()));
  const labelColumn = names.findIndex((h) => LABEL_COLUMNS.includes(h.toLowerCase()));
  if (fileColumn < 0 || labelColumn < 0) {
    fail(
      `${csvName}: the header (${names.map((n) => `"${n}"`).join(", ")}) needs a file column (${FILE_COLUMNS.join(", ")}) and a ` +
        `label column (${LABEL_COLUMNS.join(", ")}), e.g. "file,label"`,
      headerLine,
    );
  }
  checkPointCount(rows.length, csvName);

  // PNGs by normalized path and by file name (a name shared by two folders only matches by path).
  const byPath = new Map<string, NamedBytes>();
  const byBase = new Map<string, NamedBytes | null>();
  for (const png of pngs) {
    const full = normalPath(png.name);
    byPath.set(full, png);
    const base = baseName(full);
    byBase.set(base, byBase.has(base) ? null : png);
  }
  // Names are also tried relative to the CSV's own folder (a folder selection names every file from its top).
  const csvPath = normalPath(csvName);
  const csvDir = csvPath.includes("/") ? csvPath.slice(0, csvPath.lastIndexOf("/") + 1) : "";
  const listed = new Map<NamedBytes, number>();
  const rowFiles: (NamedBytes | undefined)[] = [];
  const rowLabels: string[] = [];
  rows.forEach(({ fields, line }) => {
    const file = (fields[fileColumn] ?? "").trim();
    const label = (fields[labelColumn] ?? "").trim();
    if (fields.length !== header.length) issues.push({ line, message: `${csvName}: expected ${header.length} columns, found ${fields.length}` });
    if (label === "") issues.push({ line, message: `${csvName}: the label of "${file}" is empty` });
    let found: NamedBytes | undefined;
    if (file === "") issues.push({ line, message: `${csvName}: the file name is empty` });
    else {
      found = byPath.get(normalPath(file)) ?? byPath.get(csvDir + normalPath(file)) ?? byBase.get(baseName(file)) ?? undefined;
      if (!found) {
        const ambiguous = byBase.get(baseName(file)) === null;
        issues.push({
          line,
          message: ambiguous
            ? `${csvName}: "${file}" matches PNGs in several folders; write its path as in the selection`
            : `${csvName}: "${file}" is listed but no such PNG was given; add it, or remove the row`,
        });
      } else if (listed.has(found)) {
        issues.push({ line, message: `${csvName}: "${file}" is listed twice (first on line ${listed.get(found)}); each image is one point` });
        found = undefined;
      } else listed.set(found, line);
    }
    rowFiles.push(found);
    rowLabels.push(label);
  });
  for (const png of pngs) {
    if (!listed.has(png)) issues.push({ line: 0, message: `${png.name} is not listed in ${csvName}; add a row "${baseName(png.name)},<label>", or leave the file out` });
  }
  if (issues.length > 0) throw new DatasetError(issues);

  const classNames = orderClassNames(rowLabels);
  checkClassCount(classNames, csvName);
  const classIndex = new Map(classNames.map((name, i) => [name, i]));
  let shape: ImageShape | undefined;
  let first = "";
  let pixels = new Uint8Array(0);
  const labels = new Uint8Array(rows.length);
  rowFiles.forEach((file, i) => {
    const png = file as NamedBytes;
    const decoded = pngPixels(png);
    if (!shape) {
      shape = decoded.shape;
      first = png.name;
      checkShape(shape, png.name);
      pixels = new Uint8Array(rows.length * shape.height * shape.width * shape.channels);
    } else if (decoded.shape.height !== shape.height || decoded.shape.width !== shape.width || decoded.shape.channels !== shape.channels) {
      fail(
        `${png.name} is ${describeShape(decoded.shape)} but ${first} is ${describeShape(shape)}; every image of a dataset must have the ` +
          `same height, width and channels. Resize or convert the odd ones and try again.`,
      );
    }
    pixels.set(decoded.pixels, i * decoded.pixels.length);
    labels[i] = classIndex.get(rowLabels[i] as string) as number;
  });
  const labelName = names[labelColumn] as string;
  return byteDataset(pixels, shape as ImageShape, labels, classNames, rowFiles.map((f) => (f as NamedBytes).name), labelName);
}

function describeShape(shape: ImageShape): string {
  return `${shape.height} × ${shape.width} ${shape.channels === 1 ? "grayscale" : "RGB"}`;
}

/** Zip archive entries (files only, macOS resource forks skipped), refusing more than the decompressed-size cap. */
export function unzipEntries(archive: NamedBytes): NamedBytes[] {
  let declared = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(archive.bytes, {
      filter: (file) => {
        if (file.name.endsWith("/") || file.name.startsWith("__MACOSX/") || baseName(file.name).startsWith("._")) return false;
        declared += file.originalSize;
        if (declared > MAX_IMAGE_DECODED_BYTES) decodedTooLarge(declared, archive.name);
        return true;
      },
    });
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    fail(`${archive.name} is not a readable zip archive (${error instanceof Error ? error.message : String(error)}); create it again`);
  }
  return Object.entries(entries).map(([name, bytes]) => ({ name, bytes }));
}

/** A labels CSV that was gzipped: its name ends in .csv.gz (or .csv, when a tool kept the name). */
const GZIPPED_CSV_NAME = /\.csv(\.gz)?$/i;

/** What kind of file this is, from its content (never trusting the extension alone). */
function kindOf(file: NamedBytes): "png" | "idx" | "csv" | "zip" | "other" {
  const bytes = file.bytes;
  // A gzipped file in an image selection: MNIST's .gz IDX files (its header is checked once it is decompressed).
  if (isGzip(bytes)) return "idx";
  if (hasPngSignature(bytes)) return "png";
  if (isZip(bytes)) return "zip";
  if (/\.csv$/i.test(file.name)) return "csv";
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0) return "idx";
  return "other";
}

/** The refusal of an image input of `sizeBytes` over {@link MAX_IMAGE_INPUT_BYTES}: the size, the limit, why, what to do. */
export function imageInputTooLargeMessage(sizeBytes: number, name: string): string {
  return (
    `${name} is ${formatBytes(sizeBytes)} (${count(sizeBytes)} bytes), over the ${formatBytes(MAX_IMAGE_INPUT_BYTES)} ` +
    `(${count(MAX_IMAGE_INPUT_BYTES)} bytes) limit for an image dataset, so it was not read: the whole dataset is decoded, ` +
    `checked and hashed in memory. Take a random sample of the images and try again.`
  );
}

/**
 * Several files (a folder, a multiple selection, an IDX pair) as one stored zip archive, which {@link parseImageFiles}
 * reads like any other: the wizard keeps a dataset as one Blob, so a reload can parse and hash it again. Stored, not
 * deflated (level 0): PNGs and .gz files are compressed already, and storing is a copy.
 */
export function packImageFiles(files: readonly NamedBytes[]): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const file of files) {
    const name = normalPath(file.name);
    if (name in entries) fail(`${name} was given twice; choose each file once`);
    entries[name] = file.bytes;
  }
  return zipSync(entries, { level: 0 });
}

/**
 * Any image dataset input: a .zip (expanded), PNGs with one labels CSV, or an IDX pair (two IDX files, gzipped or
 * not: the one with one dimension holds the labels). This is what the wizard's worker and the CLI both call.
 */
export function parseImageFiles(files: readonly NamedBytes[]): ImageDataset {
  const total = files.reduce((sum, f) => sum + f.bytes.length, 0);
  if (total > MAX_IMAGE_INPUT_BYTES) {
    fail(
      `the selection is ${formatBytes(total)} (${count(total)} bytes), over the ${formatBytes(MAX_IMAGE_INPUT_BYTES)} limit for a ` +
        `dataset (it is decoded, checked and hashed in memory); take a random sample of the images and try again`,
    );
  }
  const expanded: NamedBytes[] = [];
  for (const file of files) {
    if (kindOf(file) === "zip") expanded.push(...unzipEntries(file));
    else expanded.push(file);
  }
  // A gzipped labels CSV (labels.csv.gz) is a CSV, not one of MNIST's gzipped IDX files: decompress it here so it is
  // read as the CSV it is instead of failing as an IDX file without an IDX header.
  for (const [i, file] of expanded.entries()) {
    if (isGzip(file.bytes) && GZIPPED_CSV_NAME.test(file.name)) {
      expanded[i] = { name: file.name.replace(/\.gz$/i, ""), bytes: gunzipCapped(file.bytes, file.name) };
    }
  }
  const kinds = expanded.map(kindOf);
  const pngs = expanded.filter((_, i) => kinds[i] === "png");
  const csvs = expanded.filter((_, i) => kinds[i] === "csv");
  const idx = expanded.filter((_, i) => kinds[i] === "idx");
  const other = expanded.filter((_, i) => kinds[i] === "other" || kinds[i] === "zip");
  if (other.length > 0) {
    fail(
      `${other.map((f) => f.name).slice(0, 5).join(", ")}${other.length > 5 ? ` and ${other.length - 5} more` : ""} ` +
        `${other.length === 1 ? "is" : "are"} neither a PNG, a labels CSV nor an IDX file; leave ${other.length === 1 ? "it" : "them"} out`,
    );
  }
  if (idx.length > 0) {
    if (idx.length !== 2 || pngs.length > 0 || csvs.length > 0) {
      fail(
        `an IDX dataset is exactly two files, the images (idx3) and the labels (idx1), as MNIST ships them; got ` +
          `${idx.length} IDX file${idx.length === 1 ? "" : "s"}${pngs.length ? `, ${pngs.length} PNGs` : ""}${csvs.length ? `, ${csvs.length} CSVs` : ""}`,
      );
    }
    const [a, b] = idx as [NamedBytes, NamedBytes];
    const aBytes = isGzip(a.bytes) ? gunzipCapped(a.bytes, a.name) : a.bytes;
    const aIsLabels = readIdxHeader(aBytes, a.name).dims.length === 1;
    const plainA = { name: a.name, bytes: aBytes };
    return aIsLabels ? parseIdxDataset(b, plainA) : parseIdxDataset(plainA, b);
  }
  if (csvs.length !== 1) {
    fail(
      csvs.length === 0
        ? `${pngs.length} PNG${pngs.length === 1 ? "" : "s"} but no labels CSV; add a CSV with the columns "file,label" (one row per image)`
        : `${csvs.length} CSV files (${csvs.map((c) => c.name).join(", ")}); give exactly one labels CSV with the columns "file,label"`,
    );
  }
  if (pngs.length === 0) fail(`${(csvs[0] as NamedBytes).name} lists images, but no PNG files were given with it`);
  return parsePngDataset(pngs, csvs[0] as NamedBytes);
}

/** A few images for a preview (thumbnails): their pixels, class name and source. */
export interface ImageSample {
  readonly pixels: Uint8Array;
  readonly className: string;
  readonly source: string;
}

/** The first `n` points of an image dataset as {@link ImageSample}s (copies, so they can be sent to the page). */
export function imageSamples(dataset: ImageDataset, n: number): ImageSample[] {
  return dataset.points.slice(0, n).map((point, i) => ({
    pixels: point.features.slice(),
    className: dataset.classNames[point.label] as string,
    source: dataset.sources[i] ?? `#${i}`,
  }));
}

/**
 * CSV → byte dataset (docs/protocol.md §2.1). The on-chain dataset *is* the byte dataset; this module decides how
 * raw CSV columns become bytes and records that decision (`featureMappings`, `classNames`) so anyone can map new
 * data the same way. Pure: it takes text (whole, or in pieces as a file is read) and returns data; opening files and
 * checking their size first (lib/danku/csvLimits.ts) is the caller's business.
 */
import Papa from "papaparse";
import { MAX_CLASSES, MAX_FEATURES, MIN_CLASSES } from "./constants";
import { csvTooManyRowsMessage, MAX_CSV_DATA_ROWS } from "./csvLimits";
import { DataFormatError, type DataPoint } from "./encoding";

/** How one raw feature column maps to a byte (stored in the competition metadata). */
export type FeatureMapping = { readonly kind: "identity" } | { readonly kind: "linear"; readonly min: number; readonly max: number };

/** A data point whose features are already bytes. */
export interface BytePoint extends DataPoint {
  readonly features: Uint8Array;
}

export interface FeatureRange {
  readonly min: number;
  readonly max: number;
}

export interface ParsedDataset {
  readonly featureNames: string[];
  /** Class names in class-index order (§2.1 ordering). */
  readonly classNames: string[];
  readonly featureMappings: FeatureMapping[];
  readonly points: BytePoint[];
  /** Number of data rows read (header and blank lines excluded); equals `points.length`. */
  readonly rawRowCount: number;
  /** Points per class index. */
  readonly classCounts: number[];
  /** Raw (pre-mapping) minimum and maximum of every feature column, for charts. */
  readonly featureRanges: FeatureRange[];
}

export interface DatasetIssue {
  /** 1-based line of the file where the offending row starts; 0 for problems of the whole file (e.g. too few classes). */
  readonly line: number;
  readonly message: string;
}

/** At most this many issues are kept; `DatasetError.totalIssues` still counts all of them. */
export const MAX_REPORTED_ISSUES = 1000;
const ISSUES_IN_MESSAGE = 5;

/** Everything wrong with a CSV file, reported at once so a user can fix the file in one pass. */
export class DatasetError extends Error {
  readonly issues: DatasetIssue[];
  readonly totalIssues: number;

  constructor(issues: DatasetIssue[], totalIssues = issues.length) {
    const shown = issues
      .slice(0, ISSUES_IN_MESSAGE)
      .map((issue) => (issue.line > 0 ? `line ${issue.line}: ${issue.message}` : issue.message));
    const more = totalIssues > shown.length ? `\n  … and ${totalIssues - shown.length} more` : "";
    super(`the dataset has ${totalIssues} problem${totalIssues === 1 ? "" : "s"}:\n  ${shown.join("\n  ")}${more}`);
    this.name = "DatasetError";
    this.issues = issues;
    this.totalIssues = totalIssues;
  }
}

export interface ParseCsvOptions {
  /** Header name of the label column (compared after trimming, like the header names). */
  readonly labelColumn: string;
  /** Field delimiter; default ",". Never guessed, so a file is always read the same way. */
  readonly delimiter?: string;
}

/**
 * Plain decimal numbers only (optional sign, digits, optional fraction, optional exponent). `Number()` alone would
 * also accept "", "0x1F", "Infinity" and whitespace, which are data-entry mistakes rather than values.
 */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function parseDecimal(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  return Number(text);
}

/** Compares strings by Unicode code point (JavaScript's default sort compares UTF-16 units, which differs for astral characters). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done || cb.done) return ca.done ? (cb.done ? 0 : -1) : 1;
    const d = (ca.value.codePointAt(0) as number) - (cb.value.codePointAt(0) as number);
    if (d !== 0) return d;
  }
}

/**
 * Class order of §2.1: numeric order if every label is a number (ties between spellings of the same number,
 * such as "1" and "1.0", fall back to code-point order so the order is still total), otherwise code-point order.
 */
export function orderClassNames(labels: Iterable<string>): string[] {
  const distinct = [...new Set(labels)];
  const numeric = distinct.map(parseDecimal);
  if (numeric.every((n) => n !== undefined && Number.isFinite(n))) {
    const values = new Map(distinct.map((label, i) => [label, numeric[i] as number]));
    return distinct.sort((a, b) => (values.get(a) as number) - (values.get(b) as number) || compareCodePoints(a, b));
  }
  return distinct.sort(compareCodePoints);
}

/** Half-up rounding for non-negative values (what `Math.round` does there); spelled out so other clients can match it. */
function roundHalfUp(x: number): number {
  return Math.floor(x + 0.5);
}

/** The mapping §2.1 chooses for one column of raw values. */
export function chooseFeatureMapping(values: ArrayLike<number>): FeatureMapping {
  let min = Infinity;
  let max = -Infinity;
  let bytes = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
    if (bytes && !(Number.isInteger(v) && v >= 0 && v <= 255)) bytes = false;
  }
  if (bytes) return { kind: "identity" };
  return { kind: "linear", min, max };
}

/**
 * One raw value → byte. Linear: `round((x − min) / (max − min) · 255)`, evaluated in exactly that order, clamped to
 * 0..255 for new data outside the recorded range; a constant column (`max == min`) maps to 0. Identity: rounded and
 * clamped the same way, so out-of-range new data still yields a byte.
 */
export function mapRawFeature(value: number, mapping: FeatureMapping): number {
  if (!Number.isFinite(value)) throw new DataFormatError(`feature value ${value} is not a finite number`);
  let q: number;
  if (mapping.kind === "identity") q = roundHalfUp(value);
  else if (mapping.max === mapping.min) q = 0;
  else q = roundHalfUp(((value - mapping.min) / (mapping.max - mapping.min)) * 255);
  return Math.min(255, Math.max(0, q));
}

/** Maps a raw feature vector (e.g. a new example to classify) to the byte features a model consumes. */
export function mapRawFeatures(raw: readonly number[], mappings: readonly FeatureMapping[]): Uint8Array {
  if (raw.length !== mappings.length) {
    throw new DataFormatError(`expected ${mappings.length} feature values, got ${raw.length}`);
  }
  const out = new Uint8Array(raw.length);
  raw.forEach((value, f) => {
    out[f] = mapRawFeature(value, mappings[f] as FeatureMapping);
  });
  return out;
}

/**
 * One feature column's raw values, as compactly as they allow: bytes while every value so far is an integer 0..255
 * (the common case, and what an identity mapping needs), float64 from the first value that is not. Grows by doubling,
 * so memory stays within twice the parsed values whatever the length of their text.
 */
class FeatureColumn {
  private bytes: Uint8Array | undefined = new Uint8Array(16);
  private floats: Float64Array | undefined;
  length = 0;

  push(value: number): void {
    if (this.bytes !== undefined && !(Number.isInteger(value) && value >= 0 && value <= 255 && !Object.is(value, -0))) {
      this.floats = Float64Array.from(this.bytes);
      this.bytes = undefined;
    }
    const store = (this.bytes ?? this.floats) as Uint8Array | Float64Array;
    if (this.length === store.length) {
      const grown = this.bytes !== undefined ? new Uint8Array(store.length * 2) : new Float64Array(store.length * 2);
      grown.set(store);
      if (this.bytes !== undefined) this.bytes = grown as Uint8Array;
      else this.floats = grown as Float64Array;
    }
    ((this.bytes ?? this.floats) as Uint8Array | Float64Array)[this.length++] = value;
  }

  /** Copies the values into `target` (at least `length` long). */
  copyTo(target: Float64Array): void {
    const store = (this.bytes ?? this.floats) as Uint8Array | Float64Array;
    for (let i = 0; i < this.length; i++) target[i] = store[i] as number;
  }
}

/** Bytes that grow by doubling (the per-row label ids). */
class ByteList {
  private data = new Uint8Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Uint8Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  at(index: number): number {
    return this.data[index] as number;
  }
}

export interface CsvDatasetReaderOptions extends ParseCsvOptions {
  /** Also keep the first this many parsed rows (header included, raw fields) as {@link CsvDatasetReader.preview}. */
  readonly previewRows?: number;
  /** Chooses the label column from the (trimmed) header names when the header arrives, instead of `labelColumn`. */
  readonly chooseLabelColumn?: (header: readonly string[]) => string;
}

/**
 * Text looked at before parsing starts: Papa guesses the line ending from the first 1 MiB of what it is given, so the
 * reader asks Papa for that guess on the first 1 MiB and then passes it explicitly, and a stream cut anywhere is read
 * exactly like the same text in one piece.
 */
const GUESS_CHARS = 1024 * 1024;

/**
 * The row-by-row half of the parse, shared by whole texts ({@link parseCsvDataset}) and streams
 * ({@link CsvDatasetReader}): checks each row as it comes, keeps only the numeric values (per column, see
 * {@link FeatureColumn}) and a one-byte label id per row, and keeps the text only from the last row on (for line
 * numbers). Memory is bounded by the parsed values, not by the text.
 */
class DatasetRows {
  private readonly issues: DatasetIssue[] = [];
  private totalIssues = 0;
  private readonly delimiter: string;
  /** The label column (trimmed): the one asked for, or the one chosen from the header. */
  labelColumn: string;
  private readonly chooseLabelColumn: ((header: readonly string[]) => string) | undefined;
  private readonly previewLimit: number;
  readonly preview: string[][] = [];
  private previewSeen = 0;

  private header: string[] | undefined;
  private headerOk = false;
  private labelIndex = -1;
  private columns: FeatureColumn[] = [];
  /** One row's feature values while it is checked. */
  private values = new Float64Array(0);
  /** Distinct labels in first-seen order → their first-seen id. */
  private readonly labelIds = new Map<string, number>();
  /** Per accepted row, the first-seen id of its label (capped at 255: more than 255 classes is an error anyway). */
  private readonly rowLabels = new ByteList();
  private rowCount = 0;
  private dataRows = 0;
  /** Set at the first row past {@link MAX_CSV_DATA_ROWS}: nothing more needs to be read. */
  stopped = false;

  // Line numbers: the text from row `scanned` on, as `window` starting at offset `windowStart`.
  private window = "";
  private windowStart = 0;
  private scanned = 0;
  private breaksBeforeScanned = 0;
  private lineBreak = "\n";

  constructor(options: CsvDatasetReaderOptions) {
    this.delimiter = options.delimiter ?? ",";
    this.labelColumn = options.labelColumn.trim();
    this.chooseLabelColumn = options.chooseLabelColumn;
    this.previewLimit = options.previewRows ?? 0;
  }

  report(line: number, message: string): void {
    this.totalIssues++;
    if (this.issues.length < MAX_REPORTED_ISSUES) this.issues.push({ line, message });
  }

  /**
   * Decides the line break used to count lines, from the whole text or (when streaming) its first megabyte: "\n" if
   * it has one ("\n" also counts "\r\n" line ends), else "\r" if it has one, else "\n".
   */
  chooseLineBreak(text: string): void {
    this.lineBreak = text.includes("\n") ? "\n" : text.includes("\r") ? "\r" : "\n";
  }

  /** Text that Papa is about to parse (BOM already removed), appended to what is kept for line numbers. */
  addText(text: string): void {
    this.window = this.window.slice(this.scanned - this.windowStart) + text;
    this.windowStart = this.scanned;
  }

  private text(start: number, end: number): string {
    return this.window.slice(start - this.windowStart, end - this.windowStart);
  }

  /** Line breaks in the text from `start` to `end` (absolute offsets). */
  private countBreaks(start: number, end: number): number {
    const { window, lineBreak } = this;
    const stop = end - this.windowStart;
    let n = 0;
    for (let at = window.indexOf(lineBreak, start - this.windowStart); at >= 0 && at + lineBreak.length <= stop; at = window.indexOf(lineBreak, at + lineBreak.length)) n++;
    return n;
  }

  /** What Papa's `skipEmptyLines: "greedy"` skips: a line whose fields are all blank (absolute offsets). */
  private isBlankLine(start: number, end: number): boolean {
    // Most lines start with a printable ASCII character that no blank field can start with (not a space, quote or
    // the delimiter): decided without splitting the line.
    const first = start < end ? this.window.charCodeAt(start - this.windowStart) : 0;
    if (first > 32 && first < 127 && first !== 34 && first !== this.delimiter.charCodeAt(0)) return false;
    return isBlankLine(this.text(start, end), this.delimiter);
  }

  /** One row from Papa's step; `cursor` is where it ends in the whole text. Returns false once reading should stop. */
  row(fields: string[], errors: readonly { message: string }[], cursor: number): boolean {
    const lineBreak = this.lineBreak;
    // The row starts after the previous row, past any lines Papa skipped as blank; counting from there (rather
    // than back from the cursor) stays right when a malformed quoted field swallows line breaks.
    let start = this.scanned;
    let blankLines = 0;
    for (;;) {
      const found = this.window.indexOf(lineBreak, start - this.windowStart);
      const end = found < 0 ? -1 : found + this.windowStart;
      if (end < 0 || end >= cursor || !this.isBlankLine(start, end)) break;
      start = end + lineBreak.length;
      blankLines++;
    }
    const line = 1 + this.breaksBeforeScanned + this.countBreaks(this.scanned, start);
    this.breaksBeforeScanned += this.countBreaks(this.scanned, cursor);
    this.scanned = cursor;
    // Papa's own preview counts the blank lines it skips as rows; so does this one, to show the same rows.
    this.previewSeen += blankLines + 1;
    if (this.previewSeen <= this.previewLimit) this.preview.push(fields);

    const header = this.header;
    if (header !== undefined && ++this.dataRows > MAX_CSV_DATA_ROWS) {
      this.report(line, csvTooManyRowsMessage());
      this.stopped = true;
      return false;
    }
    for (const error of errors) this.report(line, error.message);
    if (header === undefined) {
      const names = fields.map((name) => name.trim());
      this.header = names;
      if (this.chooseLabelColumn) this.labelColumn = this.chooseLabelColumn(names).trim();
      this.labelIndex = names.indexOf(this.labelColumn);
      this.headerOk = errors.length === 0 && checkHeader(names, this.labelColumn, line, (l, m) => this.report(l, m));
      if (this.headerOk) {
        this.columns = Array.from({ length: names.length - 1 }, () => new FeatureColumn());
        this.values = new Float64Array(names.length - 1);
      }
      return true;
    }
    if (!this.headerOk || errors.length > 0) return true;
    if (fields.length !== header.length) {
      this.report(line, `expected ${header.length} columns, found ${fields.length}`);
      return true;
    }
    // Check the whole row before storing any of it: a row with a problem contributes nothing.
    let ok = true;
    const values = this.values;
    let featureAt = 0;
    for (let column = 0; column < fields.length; column++) {
      const value = (fields[column] as string).trim();
      const name = header[column] as string;
      if (column === this.labelIndex) {
        if (value === "") {
          this.report(line, `the label (column "${name}") is empty`);
          ok = false;
        }
        continue;
      }
      const parsed = parseDecimal(value);
      if (parsed === undefined || !Number.isFinite(parsed)) {
        const what =
          value === "" ? "is empty" : parsed === undefined ? `"${value}" is not a number` : `"${value}" is not a finite number`;
        this.report(line, `feature "${name}" ${what}`);
        ok = false;
        continue;
      }
      values[featureAt++] = parsed;
    }
    if (!ok || this.totalIssues > 0) return true;
    for (let f = 0; f < featureAt; f++) (this.columns[f] as FeatureColumn).push(values[f] as number);
    const label = (fields[this.labelIndex] as string).trim();
    let id = this.labelIds.get(label);
    if (id === undefined) {
      id = this.labelIds.size;
      this.labelIds.set(label, id);
    }
    this.rowLabels.push(Math.min(id, 255));
    this.rowCount++;
    return true;
  }

  finish(): ParsedDataset {
    const { labelColumn } = this;
    if (this.header === undefined) this.report(0, "the file is empty: a header row and at least one data row are required");
    else if (this.headerOk && this.rowCount === 0 && this.totalIssues === 0) this.report(0, "the file has a header but no data rows");
    if (this.totalIssues > 0) throw new DatasetError(this.issues, this.totalIssues);

    const featureNames = (this.header as string[]).filter((_, column) => column !== this.labelIndex);
    const classNames = orderClassNames(this.labelIds.keys());
    if (classNames.length < MIN_CLASSES || classNames.length > MAX_CLASSES) {
      this.report(
        0,
        `the label column "${labelColumn}" has ${classNames.length} distinct value${classNames.length === 1 ? "" : "s"}; ` +
          `a competition needs ${MIN_CLASSES}..${MAX_CLASSES} classes`,
      );
      throw new DatasetError(this.issues, this.totalIssues);
    }
    // First-seen id → class index.
    const classOf = new Uint8Array(classNames.length);
    const classIndex = new Map(classNames.map((name, i) => [name, i]));
    for (const [label, id] of this.labelIds) classOf[id] = classIndex.get(label) as number;

    const rowCount = this.rowCount;
    const featureCount = featureNames.length;
    const featureMappings: FeatureMapping[] = [];
    const featureRanges: FeatureRange[] = [];
    const column = new Float64Array(rowCount);
    // One buffer for all points; each point's features are a view of its row.
    const bytes = new Uint8Array(rowCount * featureCount);
    for (let f = 0; f < featureCount; f++) {
      (this.columns[f] as FeatureColumn).copyTo(column);
      const mapping = chooseFeatureMapping(column);
      featureMappings.push(mapping);
      let min = Infinity;
      let max = -Infinity;
      for (let r = 0; r < rowCount; r++) {
        const v = column[r] as number;
        if (v < min) min = v;
        if (v > max) max = v;
        bytes[r * featureCount + f] = mapRawFeature(v, mapping);
      }
      featureRanges.push({ min, max });
    }
    this.columns = [];

    const classCounts = new Array<number>(classNames.length).fill(0);
    const points: BytePoint[] = new Array<BytePoint>(rowCount);
    for (let r = 0; r < rowCount; r++) {
      const label = classOf[this.rowLabels.at(r)] as number;
      classCounts[label] = (classCounts[label] as number) + 1;
      points[r] = { features: bytes.subarray(r * featureCount, (r + 1) * featureCount), label };
    }
    return { featureNames, classNames, featureMappings, points, rawRowCount: rowCount, classCounts, featureRanges };
  }
}

const PAPA_CONFIG = { skipEmptyLines: "greedy" } as const;

/**
 * Parses a CSV dataset: header row required, the label column chosen by name, every other column a numeric
 * feature. All problems are collected and thrown together as one {@link DatasetError}; nothing is returned from
 * a file with errors. A file with more than {@link MAX_CSV_DATA_ROWS} data rows is refused at the first row past it.
 * For files, read them with {@link CsvDatasetReader} (or {@link parseCsvDatasetChunks}) instead of as one string.
 */
export function parseCsvDataset(text: string, options: ParseCsvOptions): ParsedDataset {
  const rows = new DatasetRows(options);
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  rows.chooseLineBreak(source);
  rows.addText(source);
  Papa.parse<string[]>(source, {
    ...PAPA_CONFIG,
    delimiter: options.delimiter ?? ",",
    step(result, parser) {
      if (!rows.row(result.data, result.errors, result.meta.cursor)) parser.abort();
    },
  });
  return rows.finish();
}

type Listener = (argument?: unknown) => void;

/**
 * The smallest readable-stream shape Papa streams from (`readable`, `read`, `on`, `removeListener`, `pause`,
 * `resume`): text is pushed in with {@link emit} and parsed synchronously, so the reader needs no Node streams and
 * works the same in a browser worker.
 */
class PushedText {
  readonly readable = true;
  private readonly listeners = new Map<string, Listener>();
  read(): null {
    return null;
  }
  on(event: string, listener: Listener): this {
    this.listeners.set(event, listener);
    return this;
  }
  removeListener(event: string): this {
    this.listeners.delete(event);
    return this;
  }
  pause(): void {}
  resume(): void {}
  emit(event: "data" | "end", text?: string): void {
    this.listeners.get(event)?.(text);
  }
}

/**
 * Streaming CSV dataset parser: `write` text in pieces of any size as it is read, then `end()` for the dataset.
 * The result (and every error, with its line number) is the same as {@link parseCsvDataset} of the whole text, while
 * memory holds only the parsed values and about a megabyte of text. Once {@link stopped} is true (more than
 * {@link MAX_CSV_DATA_ROWS} data rows) further text is ignored: stop reading and call `end()`, which throws.
 */
export class CsvDatasetReader {
  private readonly rows: DatasetRows;
  private readonly input = new PushedText();
  private readonly options: CsvDatasetReaderOptions;
  private readonly feedChars: number;
  private pending = "";
  private started = false;
  private parsing = false;
  private ended = false;
  private failure: unknown;

  constructor(options: CsvDatasetReaderOptions & { readonly feedChars?: number }) {
    this.options = options;
    this.rows = new DatasetRows(options);
    this.feedChars = Math.max(1, options.feedChars ?? GUESS_CHARS);
  }

  /** True once the file is known to be refused (too many rows): the rest need not be read. */
  get stopped(): boolean {
    return this.rows.stopped;
  }

  /** The first `previewRows` parsed rows (header included, raw fields), whether or not the file is valid. */
  get preview(): string[][] {
    return this.rows.preview;
  }

  /** The label column: `labelColumn`, or what `chooseLabelColumn` picked once the header was read. */
  get labelColumn(): string {
    return this.rows.labelColumn;
  }

  write(text: string): void {
    if (this.ended) throw new Error("CsvDatasetReader.write after end()");
    if (this.rows.stopped || text === "") return;
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.pending += text;
    if (!this.parsing && this.pending.length >= GUESS_CHARS) this.start();
    if (this.parsing) this.feed(false);
  }

  /** Fixes the line ending from the text so far (at least its first 1 MiB, or all of it) and starts Papa. */
  private start(): void {
    const head = this.pending.slice(0, GUESS_CHARS);
    const delimiter = this.options.delimiter ?? ",";
    const guessed = Papa.parse<string[]>(head, { delimiter, preview: 1 }).meta.linebreak;
    const newline = guessed === "\r\n" || guessed === "\r" ? guessed : "\n";
    this.rows.chooseLineBreak(head);
    Papa.parse<string[]>(this.input as unknown as Papa.LocalFile, {
      ...PAPA_CONFIG,
      delimiter,
      newline,
      step: (result, parser) => {
        if (!this.rows.row(result.data, result.errors, result.meta.cursor)) parser.abort();
      },
      error: (error: unknown) => {
        this.failure ??= error;
      },
    });
    this.parsing = true;
  }

  /** Hands the pending text to Papa in pieces of `feedChars` (all of it when `all`). */
  private feed(all: boolean): void {
    while (!this.rows.stopped && (this.pending.length >= this.feedChars || (all && this.pending !== ""))) {
      const piece = this.pending.slice(0, this.feedChars);
      this.pending = this.pending.slice(piece.length);
      this.rows.addText(piece);
      this.input.emit("data", piece);
      if (this.failure !== undefined) throw this.failure instanceof Error ? this.failure : new Error(String(this.failure));
    }
    if (this.rows.stopped) this.pending = "";
  }

  /** The dataset; throws {@link DatasetError} with every problem found (or the row-limit refusal). */
  end(): ParsedDataset {
    if (this.ended) throw new Error("CsvDatasetReader.end called twice");
    this.ended = true;
    if (!this.parsing) this.start();
    this.feed(true);
    if (!this.rows.stopped) {
      this.input.emit("end");
      if (this.failure !== undefined) throw this.failure instanceof Error ? this.failure : new Error(String(this.failure));
    }
    return this.rows.finish();
  }
}

/**
 * {@link CsvDatasetReader} over text pieces as they arrive (a Node `ReadStream` with an encoding, or a browser
 * stream through `TextDecoderStream`); stops pulling, which lets the source close, as soon as the file is refused.
 */
export async function parseCsvDatasetChunks(chunks: AsyncIterable<string>, options: CsvDatasetReaderOptions): Promise<ParsedDataset> {
  const reader = new CsvDatasetReader(options);
  for await (const chunk of chunks) {
    reader.write(chunk);
    if (reader.stopped) break;
  }
  return reader.end();
}

/**
 * What Papa's `skipEmptyLines: "greedy"` skips: a line that parses, on its own and without error, into fields that
 * are all blank after trimming (spaces, delimiters, `""`; but not ` "" `, whose quotes are text).
 */
function isBlankLine(text: string, delimiter: string): boolean {
  if (!/^[\s"]*$/.test(text.split(delimiter).join(""))) return false;
  const parsed = Papa.parse<string[]>(text, { delimiter, newline: "\n" });
  return parsed.errors.length === 0 && parsed.data.every((fields) => fields.join("").trim() === "");
}

/** Header rules: the label column exists once, names are non-empty and distinct, 1..MAX_FEATURES features remain. */
function checkHeader(header: string[], labelColumn: string, line: number, report: (line: number, message: string) => void): boolean {
  let ok = true;
  const labelCount = header.filter((name) => name === labelColumn).length;
  if (labelCount === 0) {
    report(line, `the header has no label column "${labelColumn}" (columns: ${header.map((n) => `"${n}"`).join(", ")})`);
    ok = false;
  }
  const seen = new Set<string>();
  header.forEach((name, column) => {
    if (name === "") {
      report(line, `column ${column + 1} has an empty name`);
      ok = false;
    } else if (seen.has(name)) {
      report(line, `column name "${name}" appears more than once`);
      ok = false;
    }
    seen.add(name);
  });
  const featureCount = header.length - 1;
  if (labelCount === 1 && (featureCount < 1 || featureCount > MAX_FEATURES)) {
    report(line, `${featureCount} feature columns; a dataset needs 1..${MAX_FEATURES}`);
    ok = false;
  }
  return ok;
}

/**
 * Byte points → CSV text (header, then one row per point; features as bytes, labels as class names). Used to export
 * revealed data; parsing the result again gives identity mappings and the same points, provided every class occurs
 * (class indices are positions among the labels present).
 */
export function datasetToCsv(
  points: readonly DataPoint[],
  featureNames: readonly string[],
  classNames: readonly string[],
  options: { labelColumn?: string } = {},
): string {
  const labelColumn = options.labelColumn ?? "label";
  if (featureNames.includes(labelColumn)) {
    throw new DataFormatError(`the label column name "${labelColumn}" is also a feature name; choose another labelColumn`);
  }
  const rows: string[][] = [[...featureNames, labelColumn]];
  points.forEach((point, p) => {
    if (point.features.length !== featureNames.length) {
      throw new DataFormatError(`point ${p} has ${point.features.length} features, expected ${featureNames.length}`);
    }
    const name = classNames[point.label];
    if (name === undefined) throw new DataFormatError(`point ${p} has label ${point.label}, but there are ${classNames.length} classes`);
    rows.push([...Array.from(point.features, String), name]);
  });
  return Papa.unparse(rows, { newline: "\n" }) + "\n";
}

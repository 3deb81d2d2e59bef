/**
 * CSV → byte dataset (docs/protocol.md §2.1). The on-chain dataset *is* the byte dataset; this module decides how
 * raw CSV columns become bytes and records that decision (`featureMappings`, `classNames`) so anyone can map new
 * data the same way. Pure: it takes text and returns data; reading files is the caller's business.
 */
import Papa from "papaparse";
import { MAX_CLASSES, MAX_FEATURES, MIN_CLASSES } from "./constants";
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

interface RawRow {
  readonly line: number;
  readonly features: Float64Array;
  readonly label: string;
}

/**
 * Parses a CSV dataset: header row required, the label column chosen by name, every other column a numeric
 * feature. All problems are collected and thrown together as one {@link DatasetError}; nothing is returned from
 * a file with errors.
 */
export function parseCsvDataset(text: string, options: ParseCsvOptions): ParsedDataset {
  const issues: DatasetIssue[] = [];
  let totalIssues = 0;
  const report = (line: number, message: string) => {
    totalIssues++;
    if (issues.length < MAX_REPORTED_ISSUES) issues.push({ line, message });
  };

  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // "\n" also counts "\r\n" line ends; a file with bare "\r" line ends is counted by "\r".
  const lineBreak = source.includes("\n") ? "\n" : source.includes("\r") ? "\r" : "\n";
  const countBreaks = (s: string): number => s.split(lineBreak).length - 1;

  let header: string[] | undefined;
  let headerOk = false;
  let labelIndex = -1;
  const rows: RawRow[] = [];
  let scanned = 0;
  let breaksBeforeScanned = 0;
  const delimiter = options.delimiter ?? ",";
  const labelColumn = options.labelColumn.trim();

  Papa.parse<string[]>(source, {
    delimiter,
    skipEmptyLines: "greedy",
    step(result) {
      const fields = result.data;
      const cursor = result.meta.cursor;
      // The row starts after the previous row, past any lines Papa skipped as blank; counting from there (rather
      // than back from the cursor) stays right when a malformed quoted field swallows line breaks.
      let start = scanned;
      for (;;) {
        const end = source.indexOf(lineBreak, start);
        if (end < 0 || end >= cursor || !isBlankLine(source.slice(start, end), delimiter)) break;
        start = end + lineBreak.length;
      }
      const line = 1 + breaksBeforeScanned + countBreaks(source.slice(scanned, start));
      breaksBeforeScanned += countBreaks(source.slice(scanned, cursor));
      scanned = cursor;
      for (const error of result.errors) report(line, error.message);
      if (header === undefined) {
        header = fields.map((name) => name.trim());
        labelIndex = header.indexOf(labelColumn);
        headerOk = result.errors.length === 0 && checkHeader(header, labelColumn, line, report);
        return;
      }
      if (!headerOk || result.errors.length > 0) return;
      if (fields.length !== header.length) {
        report(line, `expected ${header.length} columns, found ${fields.length}`);
        return;
      }
      const features = new Float64Array(header.length - 1);
      let ok = true;
      for (let column = 0; column < fields.length; column++) {
        const value = (fields[column] as string).trim();
        const name = header[column] as string;
        if (column === labelIndex) {
          if (value === "") {
            report(line, `the label (column "${name}") is empty`);
            ok = false;
          }
          continue;
        }
        const parsed = parseDecimal(value);
        if (parsed === undefined || !Number.isFinite(parsed)) {
          const what =
            value === "" ? "is empty" : parsed === undefined ? `"${value}" is not a number` : `"${value}" is not a finite number`;
          report(line, `feature "${name}" ${what}`);
          ok = false;
          continue;
        }
        features[column < labelIndex ? column : column - 1] = parsed;
      }
      if (ok) rows.push({ line, features, label: (fields[labelIndex] as string).trim() });
    },
  });

  if (header === undefined) report(0, "the file is empty: a header row and at least one data row are required");
  else if (headerOk && rows.length === 0 && totalIssues === 0) report(0, "the file has a header but no data rows");
  if (totalIssues > 0) throw new DatasetError(issues, totalIssues);

  const featureNames = (header as string[]).filter((_, column) => column !== labelIndex);
  const classNames = orderClassNames(rows.map((row) => row.label));
  if (classNames.length < MIN_CLASSES || classNames.length > MAX_CLASSES) {
    report(
      0,
      `the label column "${labelColumn}" has ${classNames.length} distinct value${classNames.length === 1 ? "" : "s"}; ` +
        `a competition needs ${MIN_CLASSES}..${MAX_CLASSES} classes`,
    );
    throw new DatasetError(issues, totalIssues);
  }
  const classIndex = new Map(classNames.map((name, i) => [name, i]));

  const featureCount = featureNames.length;
  const featureMappings: FeatureMapping[] = [];
  const featureRanges: FeatureRange[] = [];
  const column = new Float64Array(rows.length);
  const bytes = rows.map(() => new Uint8Array(featureCount));
  for (let f = 0; f < featureCount; f++) {
    rows.forEach((row, r) => {
      column[r] = row.features[f] as number;
    });
    const mapping = chooseFeatureMapping(column);
    featureMappings.push(mapping);
    let min = Infinity;
    let max = -Infinity;
    rows.forEach((row, r) => {
      const v = row.features[f] as number;
      if (v < min) min = v;
      if (v > max) max = v;
      (bytes[r] as Uint8Array)[f] = mapRawFeature(v, mapping);
    });
    featureRanges.push({ min, max });
  }

  const classCounts = new Array<number>(classNames.length).fill(0);
  const points: BytePoint[] = rows.map((row, r) => {
    const label = classIndex.get(row.label) as number;
    classCounts[label] = (classCounts[label] as number) + 1;
    return { features: bytes[r] as Uint8Array, label };
  });
  return { featureNames, classNames, featureMappings, points, rawRowCount: rows.length, classCounts, featureRanges };
}

/** What Papa's `skipEmptyLines: "greedy"` skips: a line whose fields are all blank. */
function isBlankLine(text: string, delimiter: string): boolean {
  return text.split(delimiter).every((field) => /^[\s"]*$/.test(field));
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

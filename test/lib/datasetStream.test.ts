/**
 * The streaming CSV reader (CsvDatasetReader, parseCsvDatasetChunks) against the whole-text parser: on random CSV
 * files — valid ones and ones with every kind of problem, any line ending, BOM, quotes, blank lines — cut into random
 * pieces, the dataset (or every reported problem, with its line) and the wizard's preview rows are the same.
 * The seed is fixed and printed; MODELBOUNTY_TEST_SEED replays another one.
 */
import { expect } from "chai";
import Papa from "papaparse";
import {
  CsvDatasetReader,
  DatasetError,
  parseCsvDataset,
  parseCsvDatasetChunks,
  type ParsedDataset,
} from "../../lib/danku/dataset";
import { csvSizeProblem, csvTooLargeMessage, MAX_CSV_BYTES, MAX_CSV_DATA_ROWS } from "../../lib/danku/csvLimits";
import { MAX_TOTAL_POINTS } from "../../lib/danku/constants";
import { seededUniform } from "../../lib/danku/train";

const SEED = Number(process.env.MODELBOUNTY_TEST_SEED ?? 20261203);
const CASES = 400;


type Outcome = { ok: ParsedDataset } | { error: { message: string; issues: unknown; total: number } };

function outcome(parse: () => ParsedDataset): Outcome {
  try {
    return { ok: parse() };
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    return { error: { message: error.message, issues: error.issues, total: error.totalIssues } };
  }
}

/** A random CSV text: mostly well-formed (half the files have no problem at all), with the edge cases in between. */
function randomCsv(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const chance = (p: number) => random() < p;
  const clean = chance(0.5);
  const features = 1 + Math.floor(random() * 4);
  const labelAt = Math.floor(random() * (features + 1));
  const names = Array.from({ length: features }, (_, i) => (chance(0.1) ? ` f${i} ` : `f${i}`));
  names.splice(labelAt, 0, "label");
  const labels = chance(0.5) ? ["a", "b", "c"] : ["1", "2", "10", "1.0"];
  const newline = chance(0.1) ? "\r" : chance(0.35) ? "\r\n" : "\n";
  const value = (): string => {
    const roll = random();
    let text: string;
    if (roll < 0.7) text = String(Math.floor(random() * 256));
    else if (roll < 0.85) text = (random() * 1000 - 500).toFixed(Math.floor(random() * 4));
    else if (roll < 0.9) text = pick(["1e3", "2.5E-2", "-0", ".5", "+7", " 12 "]);
    else if (clean) text = String(Math.floor(random() * 256));
    else text = pick(["abc", "", "0x1F", "NaN", "Infinity", "1e999"]);
    if (chance(0.05)) text = `"${text}"`;
    return text;
  };
  const lines = [names.join(",")];
  const rows = 1 + Math.floor(random() * 30);
  for (let r = 0; r < rows; r++) {
    const fields = names.map((name) => (name === "label" ? (clean || chance(0.95) ? pick(labels) : "") : value()));
    if (chance(0.03)) fields[labelAt] = `"${pick(labels)}"`;
    if (chance(0.02)) fields[labelAt] = `"${pick(labels)}${newline}x"`; // a quoted line break: a new class "a\nx"
    if (!clean && chance(0.04)) fields.pop();
    if (!clean && chance(0.02)) fields.push("9");
    let line = fields.join(",");
    if (!clean && chance(0.01)) line += ',"unterminated';
    if (!clean && chance(0.01)) line = `"ab"c,${line}`;
    lines.push(line);
    if (chance(0.05)) lines.push(pick(["", "  ", ",,", ' "" ']));
  }
  let text = lines.join(newline);
  if (chance(0.05)) text = text.replace("\n", "\r"); // a stray different line end
  if (chance(0.5)) text += newline;
  if (chance(0.1)) text = `\ufeff${text}`;
  return text;
}

/** Feeds `text` in random writes of 1..60 characters to a reader that hands Papa random pieces of 1..80. */
function streamed(text: string, random: () => number, previewRows = 0): { result: Outcome; preview: string[][] } {
  const reader = new CsvDatasetReader({ labelColumn: "label", previewRows, feedChars: 1 + Math.floor(random() * 80) });
  const result = outcome(() => {
    for (let at = 0; at < text.length; ) {
      const size = 1 + Math.floor(random() * 60);
      reader.write(text.slice(at, at + size));
      at += size;
    }
    return reader.end();
  });
  return { result, preview: reader.preview };
}

describe("lib/danku/dataset: streaming reader", () => {
  it(`reads ${CASES} random files cut into random pieces exactly like the whole text (seed ${SEED})`, function () {
    this.timeout(60_000);
    console.log(`      seed ${SEED} (MODELBOUNTY_TEST_SEED replays another)`);
    const random = seededUniform(SEED);
    let valid = 0;
    for (let i = 0; i < CASES; i++) {
      const text = randomCsv(random);
      const whole = outcome(() => parseCsvDataset(text, { labelColumn: "label" }));
      const { result, preview } = streamed(text, random, 9);
      expect(result, `case ${i}: ${JSON.stringify(text)}`).to.deep.equal(whole);
      // The wizard's preview used to be Papa's own preview of the whole text.
      const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
      const papaPreview = Papa.parse<string[]>(source, { delimiter: ",", skipEmptyLines: "greedy", preview: 9 }).data;
      expect(preview, `case ${i} preview`).to.deep.equal(papaPreview);
      if ("ok" in whole) valid++;
    }
    // Both kinds are exercised, not just one.
    expect(valid).to.be.greaterThan(CASES / 5);
    expect(CASES - valid).to.be.greaterThan(CASES / 5);
  });

  it("guesses the line ending from the first megabyte as the whole-text parse does, whatever the pieces", () => {
    // The header alone is longer than the pieces, and the only line breaks are "\r\n".
    const header = Array.from({ length: 200 }, (_, i) => `feature_${i}`).join(",") + ",label";
    const row = (k: number) => Array.from({ length: 200 }, (_, i) => String((i * k) % 256)).join(",") + `,${k % 2 ? "odd" : "even"}`;
    const text = [header, row(1), row(2), row(3), ""].join("\r\n");
    const whole = parseCsvDataset(text, { labelColumn: "label" });
    const reader = new CsvDatasetReader({ labelColumn: "label", feedChars: 7 });
    for (let at = 0; at < text.length; at += 13) reader.write(text.slice(at, at + 13));
    expect(reader.end()).to.deep.equal(whole);
    expect(whole.points).to.have.length(3);
  });

  it("names the right line for a row of quotes that Papa does not skip as blank", () => {
    // ` "" ` is text (the quotes do not open the field), so it is a row of one column, on line 3 (it used to be
    // reported on line 4, the blank-line test having skipped it).
    const error = outcome(() => parseCsvDataset('f,label\n1,a\n "" \n2,b\n""\n3,a\n', { labelColumn: "label" }));
    expect(error).to.deep.equal({
      error: { message: "the dataset has 1 problem:\n  line 3: expected 2 columns, found 1", issues: [{ line: 3, message: "expected 2 columns, found 1" }], total: 1 },
    });
  });

  it("reports an empty file, blank lines only, or a header alone as the whole-text parse does", () => {
    for (const text of ["", "\n\n", "\ufeff", "x,label", "x,label\r\n\r\n"]) {
      const reader = new CsvDatasetReader({ labelColumn: "label", feedChars: 3 });
      if (text !== "") reader.write(text);
      const whole = outcome(() => parseCsvDataset(text, { labelColumn: "label" }));
      expect("error" in whole, JSON.stringify(text)).to.equal(true);
      expect(outcome(() => reader.end()), JSON.stringify(text)).to.deep.equal(whole);
    }
  });

  it("parseCsvDatasetChunks reads an async source and gives the same dataset", async () => {
    const text = "x,y,label\n1,2,a\n3,4,b\n\n5,6.5,a\n";
    async function* pieces() {
      for (const piece of ["x,y,la", "bel\n1,2,a\n3", ",4,b\n\n5,6", ".5,a\n"]) yield piece;
    }
    expect(await parseCsvDatasetChunks(pieces(), { labelColumn: "label" })).to.deep.equal(parseCsvDataset(text, { labelColumn: "label" }));
  });

  it(`stops at the first data row past ${MAX_CSV_DATA_ROWS.toLocaleString("en-US")} and stops pulling text`, async function () {
    this.timeout(120_000);
    expect(MAX_CSV_DATA_ROWS).to.equal(MAX_TOTAL_POINTS);
    const rowsPerPiece = 100_000;
    const piece = "1,a\n0,b\n".repeat(rowsPerPiece / 2);
    const totalPieces = 60; // 6,000,000 rows offered; 4,000,001 are needed to refuse
    let pulled = 0;
    async function* pieces() {
      yield "x,label\n";
      for (let i = 0; i < totalPieces; i++) {
        pulled++;
        yield piece;
      }
    }
    const started = Date.now();
    let error: unknown;
    try {
      await parseCsvDatasetChunks(pieces(), { labelColumn: "label" });
    } catch (caught) {
      error = caught;
    }
    console.log(`      refused after ${pulled} of ${totalPieces} pieces, ${Date.now() - started} ms`);
    expect(error).to.be.instanceOf(DatasetError);
    const issues = (error as DatasetError).issues;
    expect(issues).to.have.length(1);
    // Line 1 is the header, so data row 4,000,001 is on line 4,000,002.
    expect(issues[0]?.line).to.equal(MAX_CSV_DATA_ROWS + 2);
    expect(issues[0]?.message).to.include("more than 4,000,000 data rows").and.include("random sample");
    expect(pulled).to.be.lessThan(totalPieces);
  });

  it("states the size cap with the file's size, the limit, why and what to do", () => {
    expect(csvSizeProblem(MAX_CSV_BYTES)).to.equal(undefined);
    expect(csvSizeProblem(1)).to.equal(undefined);
    const message = csvSizeProblem(MAX_CSV_BYTES + 1, "big.csv") as string;
    expect(message).to.equal(csvTooLargeMessage(MAX_CSV_BYTES + 1, "big.csv"));
    expect(message).to.match(/^big\.csv is 128\.0 MiB \(134,217,729 bytes\), over the 128 MiB \(134,217,728 bytes\) limit/);
    expect(message).to.include("was not read").and.include("stored on chain").and.include("random sample");
    expect(csvTooLargeMessage(200 * 1024 * 1024)).to.match(/^The file is 200 MiB \(209,715,200 bytes\)/);
  });
});

/**
 * The plain logic of the problem contributor's page (/problems/new): reading the private labelled test set (the
 * JSON of docs/daimon.md §12, or a DMZ1 file with a labels file) with errors that name the line and column or the
 * field, and checking the problem definition form against the contract's bounds (lib/daimon/fixedPoint.ts
 * DAIMON_LIMITS) before anything is trained, uploaded or sent. Framework-free, unit-tested in test/web/.
 */
import { parseUnits } from "viem";
import { DAIMON_LIMITS } from "../daimon/fixedPoint";
import type { ProblemConfig, ProblemSpec } from "../daimon/encoding";
import {
  TestInputsError,
  checkLabels,
  decodeTestInputs,
  makeTestInputs,
  parseLabelledTestSet,
  sampleShape,
  testInputCount,
  type LabelledTestSet,
} from "../daimon/inputs";
import { MAX_PROBLEM_DESCRIPTION_LENGTH, MAX_PROBLEM_TITLE_LENGTH, buildProblemMetadata, type ProblemMetadata } from "../daimon/metadata";

const L = DAIMON_LIMITS;

/** A test set that could not be read: `where` is the file and, when known, the line/column or the field. */
export class TestSetFileError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = "TestSetFileError";
  }
}

/** A test set that was read: Z, x_t and what follows from them. */
export interface LoadedTestSet {
  readonly set: LabelledTestSet;
  readonly m: number;
  readonly inputShape: number[];
  /** The smallest class count the labels allow: max label + 1, at least 2. */
  readonly minClassCount: number;
  /** How many points carry each label 0…minClassCount−1. */
  readonly labelCounts: number[];
  readonly source: string;
}

/** Line and column (1-based) of character `index` in `text`. */
export function lineAndColumn(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.max(0, Math.min(index, text.length));
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * Where the first JSON syntax error is, and what it is, by a small scanner of RFC 8259: engines word (and place)
 * their JSON.parse errors differently, Node 20 names no position at all.
 */
export function findJsonSyntaxError(text: string): { index: number; message: string } | undefined {
  let i = 0;
  const fail = (message: string): never => {
    throw { index: i, message };
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i] as string)) i++;
  };
  const describeHere = () => (i >= text.length ? "the file ends" : `unexpected ${JSON.stringify(text[i])}`);
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`${describeHere()}, expected a value`);
  };
  const string = () => {
    i++;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 32) fail("a control character inside a string (a line break must be written \\n)");
      if (c === 92) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("a bad \\u escape");
          i += 6;
        } else if (e !== undefined && "\"\\/bfnrt".includes(e)) i += 2;
        else fail("a bad escape in a string");
      } else i++;
    }
    fail("a string that is never closed");
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match || match[0] === "" || match[0] === "-") fail(`${describeHere()}, expected a value`);
    i += (match as RegExpExecArray)[0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`${describeHere()}, expected a field name in double quotes`);
        string();
        ws();
        if (text[i] !== ":") fail(`${describeHere()}, expected ":"`);
        i++;
        value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        fail(`${describeHere()}, expected "," or "}"`);
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] === "]") fail('unexpected "]" after a comma (a trailing comma is not JSON)');
        value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        fail(`${describeHere()}, expected "," or "]"`);
      }
    }
    if (c === '"') return string();
    if (c === "t") return literal("true");
    if (c === "f") return literal("false");
    if (c === "n") return literal("null");
    number();
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`${describeHere()} after the end of the document`);
    return undefined;
  } catch (error) {
    return error as { index: number; message: string };
  }
}

/** JSON.parse with a syntax error that says the line and column ("line 3, column 14: …"). */
export function parseJsonWithPosition(text: string, file: string): unknown {
  const syntax = findJsonSyntaxError(text);
  if (syntax) {
    const at = lineAndColumn(text, syntax.index);
    throw new TestSetFileError(`${file} is not valid JSON: line ${at.line}, column ${at.column}: ${syntax.message}`, file);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TestSetFileError(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, file);
  }
}

function describe(set: LabelledTestSet, source: string): LoadedTestSet {
  let max = 0;
  for (const label of set.labels) max = Math.max(max, label);
  const minClassCount = Math.max(2, max + 1);
  const labelCounts = new Array<number>(minClassCount).fill(0);
  for (const label of set.labels) labelCounts[label] = (labelCounts[label] ?? 0) + 1;
  return { set, m: testInputCount(set.inputs), inputShape: sampleShape(set.inputs), minClassCount, labelCounts, source };
}

function rethrow(error: unknown, file: string): never {
  if (error instanceof TestSetFileError) throw error;
  if (error instanceof TestInputsError) throw new TestSetFileError(`${file}: ${error.message}`, file);
  throw new TestSetFileError(`${file}: ${error instanceof Error ? error.message : String(error)}`, file);
}

/** The labelled test set JSON `{"inputs": [...], "labels": [...]}`; labels must be integers 0…65,534. */
export function readLabelledTestSetJson(text: string, file = "the test set"): LoadedTestSet {
  const parsed = parseJsonWithPosition(text, file);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new TestSetFileError(`${file} must be a JSON object {"inputs": [...], "labels": [...]} (docs/daimon.md "Client formats")`, file);
  }
  const keys = Object.keys(parsed);
  const unknown = keys.filter((k) => k !== "inputs" && k !== "labels");
  if (unknown.length > 0) throw new TestSetFileError(`${file} has the unknown field${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")}; it holds only "inputs" and "labels"`, file);
  try {
    // The class count is not known yet: any label 0…MAX_CLASSES−1 passes here, and C follows from the labels.
    return describe(parseLabelledTestSet(text, Number(L.MAX_CLASSES)), file);
  } catch (error) {
    rethrow(error, file);
  }
}

/** A DMZ1 test-inputs file and a JSON array of labels (one per input). */
export function readInputsAndLabels(inputs: Uint8Array, labelsText: string, files: { inputs: string; labels: string } = { inputs: "the inputs file", labels: "the labels file" }): LoadedTestSet {
  let z;
  try {
    z = decodeTestInputs(inputs);
  } catch (error) {
    rethrow(error, files.inputs);
  }
  const labels = parseJsonWithPosition(labelsText, files.labels);
  if (!Array.isArray(labels)) throw new TestSetFileError(`${files.labels} must be a JSON array of labels such as [0, 2, 1, …]`, files.labels);
  try {
    return describe({ inputs: z, labels: checkLabels(labels, testInputCount(z), Number(L.MAX_CLASSES)) }, `${files.inputs} + ${files.labels}`);
  } catch (error) {
    rethrow(error, files.labels);
  }
}

// ------------------------------------------------------------------ the definition form

/** What the contributor types; every field is text, as the inputs give it. */
export interface ProblemForm {
  title: string;
  description: string;
  /** Comma-separated, one per class, or empty. */
  classNames: string;
  inputDescription: string;
  classCount: string;
  /** e.g. "6" or "1, 28, 28". */
  inputShape: string;
  embeddingSize: string;
  definitionPeriod: string;
  competitionPeriod: string;
  rewardShape: string;
  /** δ as a decimal, e.g. "0.01". */
  margin: string;
  /** Whole tokens for R = 1, e.g. "1000". */
  rewardScale: string;
  minVotes: string;
  tokenName: string;
  tokenSymbol: string;
  openTuples: boolean;
  hidden: string;
  steps: string;
  batchSize: string;
  seed: string;
}

export type ProblemFormField = Exclude<keyof ProblemForm, "openTuples">;

/** Small defaults: f trains in seconds in a browser (docs/daimon-del.md's defaults are H = 1024, 400 steps). */
export function defaultProblemForm(loaded?: LoadedTestSet): ProblemForm {
  return {
    title: "",
    description: "",
    classNames: "",
    inputDescription: "",
    classCount: loaded ? String(loaded.minClassCount) : "",
    inputShape: loaded ? loaded.inputShape.join(", ") : "",
    embeddingSize: "32",
    definitionPeriod: "100",
    competitionPeriod: "200",
    rewardShape: "3",
    margin: "0.01",
    rewardScale: "1000",
    minVotes: "2",
    tokenName: "",
    tokenSymbol: "",
    openTuples: true,
    hidden: "128",
    steps: "300",
    batchSize: "64",
    seed: "1",
  };
}

export interface ProblemDefinition {
  config: ProblemConfig;
  inputShape: number[];
  name: string;
  symbol: string;
  metadata: ProblemMetadata;
  training: { n: number; hidden: number; steps: number; batchSize: number; seed: number };
}

export type FormCheck = { ok: true; definition: ProblemDefinition } | { ok: false; errors: Partial<Record<ProblemFormField, string>> };

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

function wholeNumber(value: string, min: number | bigint, max: number | bigint): number | string {
  const text = value.trim().replace(/[ _,](?=\d{3}\b)/g, "");
  if (!/^\d+$/.test(text)) return `a whole number ${min}…${max}`;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < Number(min) || n > Number(max)) return `must be ${Number(min).toLocaleString("en-US")}…${Number(max).toLocaleString("en-US")}, got ${text}`;
  return n;
}

function decimal18(value: string): bigint | undefined {
  const text = value.trim().replace(/[ _,](?=\d{3}(\b|\.))/g, "");
  if (!/^\d+(\.\d{1,18})?$|^\.\d{1,18}$/.test(text)) return undefined;
  try {
    return parseUnits(text, 18);
  } catch {
    return undefined;
  }
}

/** "1, 28, 28" / "1x28x28" → [1, 28, 28], or why not. */
export function parseInputShape(value: string): number[] | string {
  const parts = value.split(/[,x×\s]+/).filter(Boolean);
  if (parts.length < 1 || parts.length > Number(L.MAX_INPUT_RANK)) return `1…${L.MAX_INPUT_RANK} dimensions such as 6 or 1, 28, 28`;
  const dims: number[] = [];
  for (const p of parts) {
    const d = wholeNumber(p, 1, 0xffffffff);
    if (typeof d === "string") return `every dimension is ${d}`;
    dims.push(d);
  }
  return dims;
}

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** Checks the whole form against the test set; every failing field gets its sentence. */
export function checkProblemForm(form: ProblemForm, loaded: LoadedTestSet): FormCheck {
  const errors: Partial<Record<ProblemFormField, string>> = {};
  const title = form.title.trim();
  if (title === "") errors.title = "a problem needs a title";
  else if (title.length > MAX_PROBLEM_TITLE_LENGTH) errors.title = `at most ${MAX_PROBLEM_TITLE_LENGTH} characters (${title.length} now)`;
  if (form.description.length > MAX_PROBLEM_DESCRIPTION_LENGTH) errors.description = `at most ${MAX_PROBLEM_DESCRIPTION_LENGTH} characters`;

  const classCount = wholeNumber(form.classCount, L.MIN_CLASSES, L.MAX_CLASSES);
  if (typeof classCount === "string") errors.classCount = classCount;
  else if (classCount < loaded.minClassCount) errors.classCount = `the labels go up to ${loaded.minClassCount - 1}, so C is at least ${loaded.minClassCount}`;
  const classNames = form.classNames.split(",").map((c) => c.trim()).filter((c, _, all) => all.length > 1 || c !== "");
  if (classNames.length > 0 && typeof classCount === "number" && classNames.length !== classCount) {
    errors.classNames = `${classNames.length} names for ${classCount} classes: give one per class (label 0 first) or none`;
  } else if (classNames.some((c) => c === "")) errors.classNames = "a class name is empty";

  const shape = parseInputShape(form.inputShape);
  if (typeof shape === "string") errors.inputShape = shape;
  else if (product(shape) !== product(loaded.inputShape)) {
    errors.inputShape = `the test inputs have ${product(loaded.inputShape)} values each ([${loaded.inputShape.join(", ")}]); [${shape.join(", ")}] has ${product(shape)}`;
  }

  const n = wholeNumber(form.embeddingSize, L.MIN_EMBEDDING, L.MAX_EMBEDDING);
  if (typeof n === "string") errors.embeddingSize = n;
  const definitionPeriod = wholeNumber(form.definitionPeriod, L.MIN_PERIOD, L.MAX_PERIOD);
  if (typeof definitionPeriod === "string") errors.definitionPeriod = definitionPeriod;
  const competitionPeriod = wholeNumber(form.competitionPeriod, L.MIN_PERIOD, L.MAX_PERIOD);
  if (typeof competitionPeriod === "string") errors.competitionPeriod = competitionPeriod;
  const rewardShape = wholeNumber(form.rewardShape, L.MIN_REWARD_SHAPE, L.MAX_REWARD_SHAPE);
  if (typeof rewardShape === "string") errors.rewardShape = rewardShape;
  const minVotes = wholeNumber(form.minVotes, L.MIN_MIN_VOTES, L.MAX_MIN_VOTES);
  if (typeof minVotes === "string") errors.minVotes = minVotes;

  const margin = decimal18(form.margin);
  if (margin === undefined) errors.margin = "a decimal such as 0.01";
  else if (margin > L.MAX_MARGIN) errors.margin = "δ is at most 0.5";
  const rewardScale = decimal18(form.rewardScale);
  if (rewardScale === undefined) errors.rewardScale = "an amount of tokens such as 1000";
  else if (rewardScale < 1n) errors.rewardScale = "more than 0 tokens";
  else if (rewardScale > L.MAX_REWARD_SCALE) errors.rewardScale = "at most 1,000,000,000,000 tokens (10³⁰ base units)";

  const name = form.tokenName.trim();
  if (byteLength(name) < 1 || byteLength(name) > Number(L.MAX_NAME_BYTES)) errors.tokenName = `1…${L.MAX_NAME_BYTES} bytes`;
  const symbol = form.tokenSymbol.trim();
  if (byteLength(symbol) < 1 || byteLength(symbol) > Number(L.MAX_SYMBOL_BYTES)) errors.tokenSymbol = `1…${L.MAX_SYMBOL_BYTES} bytes`;
  else if (/\s/.test(symbol)) errors.tokenSymbol = "no spaces";

  const hidden = wholeNumber(form.hidden, 1, 4096);
  if (typeof hidden === "string") errors.hidden = hidden;
  const steps = wholeNumber(form.steps, 2, 100_000);
  if (typeof steps === "string") errors.steps = steps;
  const batchSize = wholeNumber(form.batchSize, 1, 4096);
  if (typeof batchSize === "string") errors.batchSize = batchSize;
  const seed = wholeNumber(form.seed, 0, 0xffffffff);
  if (typeof seed === "string") errors.seed = seed;

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  // Every value below was checked above; the casts only narrow what TypeScript cannot follow through the record.
  const num = (v: number | string) => v as number;
  const config: ProblemConfig = {
    classCount: num(classCount),
    testSetSize: loaded.m,
    embeddingSize: num(n),
    definitionPeriod: num(definitionPeriod),
    competitionPeriod: num(competitionPeriod),
    rewardShape: num(rewardShape),
    minVotes: num(minVotes),
    openTuples: form.openTuples,
    margin: margin as bigint,
    rewardScale: rewardScale as bigint,
  };
  const metadata = buildProblemMetadata({ title, description: form.description.trim(), classNames, inputDescription: form.inputDescription.trim() });
  return {
    ok: true,
    definition: {
      config,
      inputShape: shape as number[],
      name,
      symbol,
      metadata,
      training: { n: num(n), hidden: num(hidden), steps: num(steps), batchSize: num(batchSize), seed: num(seed) },
    },
  };
}

/** Z as published: the test inputs in the problem's input shape (a reshape of the same values, if it differs). */
export function publishedInputs(loaded: LoadedTestSet, inputShape: readonly number[]): LabelledTestSet["inputs"] {
  return makeTestInputs([loaded.m, ...inputShape], loaded.set.inputs.data);
}

/** The `ProblemSpec` createProblem takes. */
export function problemSpec(definition: ProblemDefinition, metadataCid: string): ProblemSpec {
  return { config: definition.config, inputShape: definition.inputShape, name: definition.name, symbol: definition.symbol, metadataCid };
}

/** Bytes the trainer holds (W1 and two Adam moments dominate): warns before a browser tab runs out of memory. */
export function trainingMemoryBytes(m: number, classCount: number, hidden: number): number {
  return 12 * m * classCount * hidden;
}

/**
 * The client file formats of a DaiMoN tuple's test inputs Z and of the private labelled test set a contributor
 * trains f from (docs/daimon.md "Client formats"). Framework-free: Node, browsers and workers.
 *
 * Z ("DMZ1", what is stored on IPFS under a tuple's inputsCid), all integers little-endian:
 *   offset 0      4 bytes       magic "DMZ1" (44 4D 5A 31)
 *   offset 4      uint32        rank r = 1 + the input rank (2…9)
 *   offset 8      r × uint32    dims [m, d1, …, d(r−1)]: m test inputs, each of the problem's input shape
 *   offset 8+4r   float32 × m·∏dᵢ  the inputs, row-major (input i is the i-th block of ∏dᵢ values)
 * and nothing after. Little-endian like ONNX raw_data, so the data is a Float32Array view of the file on every
 * platform that runs ONNX Runtime Web; the header is a multiple of 4 bytes, so the view is aligned. Every value must
 * be finite. Row i of Z is the input of test point i, whose label is entry i of the label vector f takes.
 *
 * Labelled test set (JSON, private to the contributor: it holds x_t and is never uploaded):
 *   {"inputs": [input₀, input₁, …], "labels": [x₀, x₁, …]}
 * every input a (nested) array of numbers of the problem's input shape, every label an integer 0…C−1.
 */

export const TEST_INPUTS_MAGIC = "DMZ1";
/** The contract's MAX_INPUT_RANK (8) plus the leading m. */
export const MAX_TEST_INPUTS_RANK = 9;
const HEADER_FIXED_BYTES = 8;

export class TestInputsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TestInputsError";
  }
}

/** Z in memory: `shape` = [m, ...inputShape], `data` = m · ∏inputShape float32 values, row-major. */
export interface TestInputs {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** The number of test inputs m. */
export function testInputCount(inputs: TestInputs): number {
  return inputs.shape[0] as number;
}

/** The shape of one input (the problem's input shape). */
export function sampleShape(inputs: TestInputs): number[] {
  return inputs.shape.slice(1);
}

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function checkShape(shape: readonly number[]): void {
  if (shape.length < 2 || shape.length > MAX_TEST_INPUTS_RANK) {
    throw new TestInputsError(`test inputs have shape [m, …input shape] with 1…${MAX_TEST_INPUTS_RANK - 1} input dimensions, got rank ${shape.length}`);
  }
  shape.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 1 || d > 0xffffffff) {
      throw new TestInputsError(`dimension ${i} of the test inputs must be an integer 1…4294967295, got ${d}`);
    }
  });
  // A Float32Array holds at most 2^32 − 1 values; checking the product here keeps the size arithmetic exact.
  if (product(shape) > 2 ** 32 - 1) throw new TestInputsError(`test inputs of shape [${shape.join(", ")}] are too large for one array`);
}

function checkFinite(data: Float32Array): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i] as number)) throw new TestInputsError(`test input value ${i} is ${data[i]}; every value must be finite`);
  }
}

/** Checks shape and data and returns the inputs (the data is not copied). */
export function makeTestInputs(shape: readonly number[], data: Float32Array): TestInputs {
  checkShape(shape);
  if (data.length !== product(shape)) {
    throw new TestInputsError(`test inputs of shape [${shape.join(", ")}] need ${product(shape)} values, got ${data.length}`);
  }
  checkFinite(data);
  return { shape: [...shape], data };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The DMZ1 file of `inputs`. */
export function encodeTestInputs(inputs: TestInputs): Uint8Array {
  const { shape, data } = makeTestInputs(inputs.shape, inputs.data);
  const header = HEADER_FIXED_BYTES + 4 * shape.length;
  const bytes = new Uint8Array(header + 4 * data.length);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 4; i++) bytes[i] = TEST_INPUTS_MAGIC.charCodeAt(i);
  view.setUint32(4, shape.length, true);
  shape.forEach((d, i) => view.setUint32(HEADER_FIXED_BYTES + 4 * i, d, true));
  if (LITTLE_ENDIAN) bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), header);
  else for (let i = 0; i < data.length; i++) view.setFloat32(header + 4 * i, data[i] as number, true);
  return bytes;
}

/** Reads a DMZ1 file; refuses anything else with a sentence that says what is wrong. */
export function decodeTestInputs(bytes: Uint8Array): TestInputs {
  if (bytes.length < HEADER_FIXED_BYTES || String.fromCharCode(...bytes.subarray(0, 4)) !== TEST_INPUTS_MAGIC) {
    throw new TestInputsError(`not a DaiMoN test-inputs file: it does not start with "${TEST_INPUTS_MAGIC}" (docs/daimon.md "Client formats")`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rank = view.getUint32(4, true);
  if (rank < 2 || rank > MAX_TEST_INPUTS_RANK) throw new TestInputsError(`the test-inputs file declares rank ${rank}; it must be 2…${MAX_TEST_INPUTS_RANK}`);
  const header = HEADER_FIXED_BYTES + 4 * rank;
  if (bytes.length < header) throw new TestInputsError(`the test-inputs file ends inside its header (${bytes.length} bytes)`);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(HEADER_FIXED_BYTES + 4 * i, true));
  checkShape(shape);
  const expected = header + 4 * product(shape);
  if (bytes.length !== expected) {
    throw new TestInputsError(`a test-inputs file of shape [${shape.join(", ")}] has ${expected} bytes, this one has ${bytes.length}`);
  }
  const count = product(shape);
  let data: Float32Array;
  if (LITTLE_ENDIAN && (bytes.byteOffset + header) % 4 === 0) {
    data = new Float32Array(bytes.buffer, bytes.byteOffset + header, count);
  } else {
    data = new Float32Array(count);
    for (let i = 0; i < count; i++) data[i] = view.getFloat32(header + 4 * i, true);
  }
  checkFinite(data);
  return { shape, data };
}

/** The shape of a nested array of numbers, checking that it is rectangular. */
function nestedShape(value: unknown, where: string): number[] {
  if (typeof value === "number") return [];
  if (!Array.isArray(value) || value.length === 0) throw new TestInputsError(`${where} must be a number or a non-empty array`);
  const inner = nestedShape(value[0], `${where}[0]`);
  value.forEach((v, i) => {
    const shape = nestedShape(v, `${where}[${i}]`);
    if (shape.length !== inner.length || shape.some((d, k) => d !== inner[k])) {
      throw new TestInputsError(`${where}[${i}] has shape [${shape.join(", ")}], ${where}[0] has [${inner.join(", ")}]: inputs must be rectangular`);
    }
  });
  return [value.length, ...inner];
}

function flattenInto(value: unknown, out: Float32Array, at: { next: number }, where: string): void {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TestInputsError(`${where} is ${value}; every input value must be a finite number`);
    out[at.next++] = value;
    return;
  }
  (value as unknown[]).forEach((v, i) => flattenInto(v, out, at, `${where}[${i}]`));
}

/**
 * Z from m inputs given as nested arrays (each of the input shape; a plain number is an input of shape [1]).
 * `inputShape`, when given, must match.
 */
export function testInputsFromArrays(rows: readonly unknown[], inputShape?: readonly number[]): TestInputs {
  if (rows.length === 0) throw new TestInputsError("there must be at least one test input");
  const first = nestedShape(rows[0], "inputs[0]");
  const sample = first.length === 0 ? [1] : first;
  const shape = [rows.length, ...sample];
  checkShape(shape);
  const data = new Float32Array(product(shape));
  const at = { next: 0 };
  rows.forEach((row, i) => {
    const s = nestedShape(row, `inputs[${i}]`);
    const rowShape = s.length === 0 ? [1] : s;
    if (rowShape.length !== sample.length || rowShape.some((d, k) => d !== sample[k])) {
      throw new TestInputsError(`inputs[${i}] has shape [${rowShape.join(", ")}], inputs[0] has [${sample.join(", ")}]`);
    }
    flattenInto(row, data, at, `inputs[${i}]`);
  });
  if (inputShape && (inputShape.length !== sample.length || inputShape.some((d, k) => d !== sample[k]))) {
    throw new TestInputsError(`the inputs have shape [${sample.join(", ")}], the problem's input shape is [${inputShape.join(", ")}]`);
  }
  return { shape, data };
}

/** A labelled test set: Z and the true label vector x_t (labels 0…C−1). */
export interface LabelledTestSet {
  readonly inputs: TestInputs;
  readonly labels: Int32Array;
}

/** Checks that there is one integer label 0…C−1 per input. */
export function checkLabels(labels: ArrayLike<unknown>, count: number, classCount: number): Int32Array {
  if (labels.length !== count) throw new TestInputsError(`there are ${count} test inputs but ${labels.length} labels`);
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = labels[i];
    if (typeof label !== "number" || !Number.isInteger(label) || label < 0 || label >= classCount) {
      throw new TestInputsError(`label ${i} is ${JSON.stringify(label)}; labels are integers 0…${classCount - 1} (the paper's class c is label c − 1)`);
    }
    out[i] = label;
  }
  return out;
}

/** Parses the labelled test set JSON (`{"inputs": [...], "labels": [...]}`) for a problem with `classCount` classes. */
export function parseLabelledTestSet(text: string, classCount: number, inputShape?: readonly number[]): LabelledTestSet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new TestInputsError(`the labelled test set is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new TestInputsError('the labelled test set must be a JSON object {"inputs": [...], "labels": [...]}');
  }
  const { inputs, labels } = parsed as { inputs?: unknown; labels?: unknown };
  if (!Array.isArray(inputs)) throw new TestInputsError('the labelled test set has no "inputs" array');
  if (!Array.isArray(labels)) throw new TestInputsError('the labelled test set has no "labels" array');
  const z = testInputsFromArrays(inputs, inputShape);
  return { inputs: z, labels: checkLabels(labels, testInputCount(z), classCount) };
}

/** The labelled test set JSON of Z and x_t (what {@link parseLabelledTestSet} reads). */
export function serializeLabelledTestSet(set: LabelledTestSet): string {
  const width = product(sampleShape(set.inputs));
  const sample = sampleShape(set.inputs);
  const nest = (flat: number[], dims: readonly number[]): unknown => {
    if (dims.length <= 1) return flat;
    const step = product(dims.slice(1));
    return Array.from({ length: dims[0] as number }, (_, i) => nest(flat.slice(i * step, (i + 1) * step), dims.slice(1)));
  };
  const inputs = Array.from({ length: testInputCount(set.inputs) }, (_, i) => nest(Array.from(set.inputs.data.subarray(i * width, (i + 1) * width)), sample));
  return `${JSON.stringify({ inputs, labels: Array.from(set.labels) })}\n`;
}

/**
 * The problem contributor's page logic (lib/web/problemForm.ts): reading the labelled test set (JSON, or DMZ1 +
 * labels) with errors that name the line and column or the field, and the definition form's checks against the
 * contract's bounds, before anything is trained, uploaded or sent.
 */
import { expect } from "chai";
import { WAD } from "../../lib/daimon/fixedPoint";
import { encodeTestInputs, makeTestInputs, serializeLabelledTestSet } from "../../lib/daimon/inputs";
import {
  TestSetFileError,
  checkProblemForm,
  defaultProblemForm,
  lineAndColumn,
  parseInputShape,
  problemSpec,
  publishedInputs,
  readInputsAndLabels,
  readLabelledTestSetJson,
  type LoadedTestSet,
  type ProblemForm,
} from "../../lib/web/problemForm";

function smallSet(): { text: string; labels: number[] } {
  const labels = [0, 1, 2, 1, 0, 2];
  const inputs = makeTestInputs([6, 2], Float32Array.from({ length: 12 }, (_, i) => i / 10));
  return { text: serializeLabelledTestSet({ inputs, labels: Int32Array.from(labels) }), labels };
}

function filled(loaded: LoadedTestSet, patch: Partial<ProblemForm> = {}): ProblemForm {
  return { ...defaultProblemForm(loaded), title: "Faults", tokenName: "Fault token", tokenSymbol: "FAULT", ...patch };
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(TestSetFileError);
    return (error as Error).message;
  }
  throw new Error("expected a refusal");
}

describe("web: the problem contributor's form (lib/web/problemForm.ts)", () => {
  it("reads a labelled test set JSON and derives m, the input shape and the smallest C", () => {
    const loaded = readLabelledTestSetJson(smallSet().text, "set.json");
    expect(loaded.m).to.equal(6);
    expect(loaded.inputShape).to.deep.equal([2]);
    expect(loaded.minClassCount).to.equal(3);
    expect(loaded.labelCounts).to.deep.equal([2, 2, 2]);
    expect(Array.from(loaded.set.labels)).to.deep.equal(smallSet().labels);
  });

  it("names the line and column of a JSON syntax error", () => {
    const text = '{\n  "inputs": [[1, 2], [3, 4]],\n  "labels": [0, 1,]\n}';
    const message = refusal(() => readLabelledTestSetJson(text, "set.json"));
    expect(message).to.match(/^set\.json is not valid JSON: line 3, column 19: unexpected "\]" after a comma/);
    expect(lineAndColumn("ab\ncd", 4)).to.deep.equal({ line: 2, column: 2 });
    expect(refusal(() => readLabelledTestSetJson('{"inputs": [[1]],\n "labels": [0]', "s.json"))).to.match(/line 2, column 15: the file ends, expected "," or "}"/);
    expect(refusal(() => readLabelledTestSetJson("{'inputs': []}", "s.json"))).to.match(/line 1, column 2: unexpected "'", expected a field name/);
    expect(refusal(() => readLabelledTestSetJson('{"inputs": [NaN]}', "s.json"))).to.match(/line 1, column 13: unexpected "N", expected a value/);
  });

  it("names the field of a bad label, a ragged input, a missing or unknown field", () => {
    expect(refusal(() => readLabelledTestSetJson('{"inputs": [[1], [2]], "labels": [0, -1]}', "s.json"))).to.match(/s\.json: label 1 is -1/);
    expect(refusal(() => readLabelledTestSetJson('{"inputs": [[1], [2]], "labels": [0, 1.5]}', "s.json"))).to.match(/label 1 is 1\.5/);
    expect(refusal(() => readLabelledTestSetJson('{"inputs": [[1, 2], [3]], "labels": [0, 1]}', "s.json"))).to.match(/inputs\[1\] has shape \[1\]/);
    expect(refusal(() => readLabelledTestSetJson('{"inputs": [[1], [2]], "labels": [0]}', "s.json"))).to.match(/2 test inputs but 1 labels/);
    expect(refusal(() => readLabelledTestSetJson('{"inputs": [[1], [2]]}', "s.json"))).to.match(/no "labels" array/);
    expect(refusal(() => readLabelledTestSetJson('{"inputs": [[1]], "labels": [0], "x": 1}', "s.json"))).to.match(/unknown field "x"/);
    expect(refusal(() => readLabelledTestSetJson("[1, 2]", "s.json"))).to.match(/must be a JSON object/);
  });

  it("reads a DMZ1 file with a labels array, and refuses a truncated DMZ1 file", () => {
    const z = encodeTestInputs(makeTestInputs([3, 2, 2], new Float32Array(12)));
    const loaded = readInputsAndLabels(z, "[1, 0, 1]", { inputs: "z.dmz", labels: "l.json" });
    expect(loaded.inputShape).to.deep.equal([2, 2]);
    expect(loaded.minClassCount).to.equal(2);
    expect(refusal(() => readInputsAndLabels(z.subarray(0, z.length - 4), "[1, 0, 1]", { inputs: "z.dmz", labels: "l.json" }))).to.match(/^z\.dmz: .*has 68 bytes, this one has 64/);
    expect(refusal(() => readInputsAndLabels(z, '{"labels": [1]}', { inputs: "z.dmz", labels: "l.json" }))).to.match(/l\.json must be a JSON array/);
    expect(refusal(() => readInputsAndLabels(z, "[1, 0, 7.5]", { inputs: "z.dmz", labels: "l.json" }))).to.match(/^l\.json: label 2 is 7\.5/);
  });

  it("turns a filled form into the config, spec and metadata createProblem takes", () => {
    const loaded = readLabelledTestSetJson(smallSet().text);
    const check = checkProblemForm(filled(loaded, { classNames: "a, b, c", margin: "0.05", rewardScale: "1,000", embeddingSize: "16", openTuples: false }), loaded);
    if (!check.ok) throw new Error(JSON.stringify(check.errors));
    const d = check.definition;
    expect(d.config).to.deep.equal({
      classCount: 3,
      testSetSize: 6,
      embeddingSize: 16,
      definitionPeriod: 100,
      competitionPeriod: 200,
      rewardShape: 3,
      minVotes: 2,
      openTuples: false,
      margin: WAD / 20n,
      rewardScale: 1000n * WAD,
    });
    expect(d.metadata.classNames).to.deep.equal(["a", "b", "c"]);
    expect(d.training).to.deep.equal({ n: 16, hidden: 128, steps: 300, batchSize: 64, seed: 1 });
    expect(problemSpec(d, "bafy")).to.deep.equal({ config: d.config, inputShape: [2], name: "Fault token", symbol: "FAULT", metadataCid: "bafy" });
  });

  it("says what is wrong with each field, against the contract's bounds", () => {
    const loaded = readLabelledTestSetJson(smallSet().text);
    const check = checkProblemForm(
      filled(loaded, {
        title: " ",
        classCount: "2",
        classNames: "a, b",
        inputShape: "3",
        embeddingSize: "257",
        definitionPeriod: "9",
        competitionPeriod: "2000001",
        rewardShape: "0",
        margin: "0.6",
        rewardScale: "0",
        minVotes: "x",
        tokenName: "",
        tokenSymbol: "TOO LONG SYMBOL!!",
        steps: "1",
      }),
      loaded,
    );
    expect(check.ok).to.equal(false);
    if (check.ok) return;
    expect(check.errors.title).to.match(/needs a title/);
    expect(check.errors.classCount).to.match(/labels go up to 2, so C is at least 3/);
    expect(check.errors.inputShape).to.match(/2 values each/);
    expect(check.errors.embeddingSize).to.match(/2…256/);
    expect(check.errors.definitionPeriod).to.match(/10…2,000,000, got 9/);
    expect(check.errors.competitionPeriod).to.match(/got 2000001/);
    expect(check.errors.rewardShape).to.match(/1…32/);
    expect(check.errors.margin).to.match(/at most 0\.5/);
    expect(check.errors.rewardScale).to.match(/more than 0/);
    expect(check.errors.minVotes).to.match(/whole number/);
    expect(check.errors.tokenName).to.match(/1…64 bytes/);
    expect(check.errors.tokenSymbol).to.match(/1…16 bytes/);
    expect(check.errors.steps).to.match(/2…100,000/);
    const names = checkProblemForm(filled(loaded, { classNames: "a, b" }), loaded);
    expect(!names.ok && names.errors.classNames).to.match(/2 names for 3 classes/);
  });

  it("allows a reshape of the same values and publishes Z in the problem's input shape", () => {
    const z = encodeTestInputs(makeTestInputs([2, 4], Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8])));
    const loaded = readInputsAndLabels(z, "[0, 1]");
    const check = checkProblemForm(filled(loaded, { inputShape: "1 x 2 x 2" }), loaded);
    if (!check.ok) throw new Error(JSON.stringify(check.errors));
    expect(check.definition.inputShape).to.deep.equal([1, 2, 2]);
    expect(publishedInputs(loaded, check.definition.inputShape).shape).to.deep.equal([2, 1, 2, 2]);
    expect(parseInputShape("0")).to.be.a("string");
    expect(parseInputShape("1,2,3,4,5,6,7,8,9")).to.match(/1…8 dimensions/);
  });
});

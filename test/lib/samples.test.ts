/**
 * The committed sample (samples/): the CSV parses, the model loads and scores like `modelbounty score --data` does
 * (quantized on the scored rows, then the reference forward pass), well above chance; and the generator
 * (scripts/samples/make-samples.ts) reproduces both files byte for byte.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseCsvDataset } from "../../lib/danku/dataset";
import { checkModelAgainstCompetition, floatAccuracy, parseFloatModelJson } from "../../lib/danku/floatModel";
import { evaluateAccuracy } from "../../lib/danku/forward";
import { quantizeModel } from "../../lib/danku/quantize";
import { buildSamples, SAMPLE_CSV, SAMPLE_DIR, SAMPLE_LABEL, SAMPLE_MODEL } from "../../scripts/samples/make-samples";

describe("samples/: the dataset and model to try the CLI with", function () {
  const csv = readFileSync(path.join(SAMPLE_DIR, SAMPLE_CSV), "utf8");
  const modelText = readFileSync(path.join(SAMPLE_DIR, SAMPLE_MODEL), "utf8");

  it("parses, loads and scores above 80 % after quantization, as `score --data` computes it", function () {
    const dataset = parseCsvDataset(csv, { labelColumn: SAMPLE_LABEL });
    expect(dataset.points.length).to.be.within(200, 400);
    expect(dataset.featureNames).to.have.length(3);
    expect(dataset.classNames).to.deep.equal(["amber", "basalt", "coral"]);
    const competition = { featureCount: dataset.featureNames.length, classCount: dataset.classNames.length };
    const model = parseFloatModelJson(modelText);
    checkModelAgainstCompetition(model, competition);
    const float = floatAccuracy(model, dataset.points);
    expect(float.correct / float.total).to.be.greaterThan(0.8);
    const { model: quantized } = quantizeModel(model, dataset.points, { competition });
    const score = evaluateAccuracy(quantized, dataset.points);
    expect(score.total).to.equal(dataset.points.length);
    expect(score.correct / score.total, `${score.correct}/${score.total}`).to.be.greaterThan(0.8);
  });

  it("is reproduced byte for byte by scripts/samples/make-samples.ts", function () {
    const built = buildSamples();
    expect(built.csv === csv, `${SAMPLE_CSV} differs from the generator's output: rerun the generator`).to.equal(true);
    expect(built.model === modelText, `${SAMPLE_MODEL} differs from the generator's output: rerun the generator`).to.equal(true);
  });
});

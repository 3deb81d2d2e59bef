/**
 * `score` agrees with the chain, exactly, on 1,000 random cases per run (issue 12 §1): random float networks and
 * datasets go through the library path `modelbounty score` uses (previewScore in lib/danku/submission.ts: quantize
 * on the training rows, score the decoded bytes), and the bytes `commit` submits for the same model and training
 * data (modelToCommit, what commitCommand hashes and reveals) are stored and run by the on-chain evaluator
 * (DankuEvaluator through the EvaluatorHarness test contract) on the scored rows. The scored rows are often drawn
 * from another range than the training rows, so quantizing on the scored rows (what `score` used to do) gives other
 * activation scales: the run counts those cases and requires enough of them for the property to catch that mistake.
 *
 * Fixed seed, printed; SCORE_AGREEMENT_SEED=<n> replays another one. Whole competitions through the real CLI are in
 * test/cli/scoreAgreement.test.ts.
 */
import { expect } from "chai";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { encodePoints, type DataPoint } from "../../lib/danku/encoding";
import { predict } from "../../lib/danku/forward";
import type { FloatModel } from "../../lib/danku/floatModel";
import { modelToCommit, previewScore } from "../../lib/danku/submission";
import { previewModel } from "../../lib/ort";
import { bytesHex, deployEnv, deployTestContract, evaluatorHarnessAbi, receipt } from "../danku/fixtures";
import { ort } from "../ort/support";

const SEED = Number(process.env.SCORE_AGREEMENT_SEED ?? 20261203);
const CASES = 1000;

interface Case {
  readonly model: FloatModel;
  readonly training: DataPoint[];
  readonly scored: DataPoint[];
  readonly featureCount: number;
  readonly classCount: number;
}

/** Points whose features lie in 0..max (max < 255: a narrower range than the other set, so other activation scales). */
function pointsArb(featureCount: number, classCount: number, max: number): fc.Arbitrary<DataPoint[]> {
  return fc.array(
    fc.record({
      features: fc.array(fc.noBias(fc.integer({ min: 0, max })), { minLength: featureCount, maxLength: featureCount }),
      label: fc.integer({ min: 0, max: classCount - 1 }),
    }),
    { minLength: 8, maxLength: 32 },
  );
}

/** Uniform on [−max, max] in steps of max/10⁴ (fc.double is uniform over the doubles, so mostly tiny values). */
function realArb(max: number): fc.Arbitrary<number> {
  return fc.noBias(fc.integer({ min: -10_000, max: 10_000 })).map((i) => (i * max) / 10_000);
}

const weightArb = fc.oneof(
  { weight: 6, arbitrary: realArb(2) },
  { weight: 1, arbitrary: realArb(0.01) },
  { weight: 1, arbitrary: fc.constant(0) },
);

function floatModelArb(widths: readonly number[]): fc.Arbitrary<FloatModel> {
  const layers = widths.slice(1).map((fanOut, l) => {
    const fanIn = widths[l] as number;
    return fc.record({
      weights: fc.array(fc.array(weightArb, { minLength: fanIn, maxLength: fanIn }), { minLength: fanOut, maxLength: fanOut }),
      biases: fc.array(realArb(64), { minLength: fanOut, maxLength: fanOut }),
    });
  });
  return fc.tuple(...layers).map((built) => ({ layers: built }));
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    featureCount: fc.integer({ min: 1, max: 8 }),
    classCount: fc.integer({ min: 2, max: 6 }),
    hidden: fc.oneof(
      { weight: 1, arbitrary: fc.constant([]) },
      { weight: 6, arbitrary: fc.array(fc.integer({ min: 2, max: 8 }), { minLength: 1, maxLength: 2 }) },
    ),
    // Mostly the training rows in a narrower range than the scored ones (a held-out set with larger values, which
    // saturate activations scaled for the training rows), sometimes the other way round or both over all bytes.
    trainingMax: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 8, max: 96 }) }, { weight: 1, arbitrary: fc.constant(255) }),
    scoredMax: fc.oneof({ weight: 3, arbitrary: fc.constant(255) }, { weight: 1, arbitrary: fc.integer({ min: 8, max: 200 }) }),
  })
  .chain(({ featureCount, classCount, hidden, trainingMax, scoredMax }) =>
    fc.record({
      model: floatModelArb([featureCount, ...hidden, classCount]),
      training: pointsArb(featureCount, classCount, trainingMax),
      scored: pointsArb(featureCount, classCount, scoredMax),
      featureCount: fc.constant(featureCount),
      classCount: fc.constant(classCount),
    }),
  );

async function deployHarness() {
  const env = await deployEnv();
  const harness = await deployTestContract(env, "EvaluatorHarness", evaluatorHarnessAbi);
  return { harness, publicClient: env.publicClient };
}

describe("modelbounty score ≡ the chain's score of the committed bytes (1,000 random cases)", function () {
  this.timeout(600_000);

  it(`agrees on every case (seed ${SEED})`, async function () {
    console.log(`      seed ${SEED} (SCORE_AGREEMENT_SEED=${SEED} replays it), ${CASES} cases`);
    const { harness, publicClient } = await loadFixture(deployHarness);
    let cases = 0;
    let calibrationMatters = 0;
    const property = fc.asyncProperty(caseArb, async ({ model, training, scored, featureCount, classCount }) => {
      const shape = { featureCount, classCount };
      const preview = previewScore(model, { training, scored, ...shape });
      // What commit submits: the same float model, quantized for the competition on its training data.
      const submitted = modelToCommit(model, training, shape);
      const hex = bytesHex(submitted.bytes);
      const { result: chunks } = await harness.simulate.store([hex]);
      await receipt({ publicClient }, harness.write.store([hex]));
      const chainCorrect = async (points: readonly DataPoint[]) =>
        Number((await harness.read.evaluate([chunks, bytesHex(encodePoints(points, featureCount, classCount)), BigInt(featureCount)]))[0]);
      const what = `widths ${submitted.model.widths.join("-")}, ${training.length} training and ${scored.length} scored points`;
      expect(preview.score.total, what).to.equal(scored.length);
      expect(preview.score.correct, `${what}: score vs chain`).to.equal(await chainCorrect(scored));
      // Point by point: labelled with the preview's own predictions, the chain counts every point correct.
      const predicted = scored.map((point) => ({ features: point.features, label: predict(preview.committed.model, point.features) }));
      expect(await chainCorrect(predicted), `${what}: the chain predicts what the preview predicts`).to.equal(scored.length);
      expect(preview.committed.hash, `${what}: score previews the bytes commit submits`).to.equal(submitted.hash);
      // The old mistake, for the coverage count: quantizing on the scored rows scores other bytes differently.
      const onScored = previewScore(model, { training: scored, scored, ...shape });
      if (onScored.score.correct !== preview.score.correct) calibrationMatters++;
      cases++;
    });
    const details = await fc.check(property, { seed: SEED, numRuns: CASES, endOnFailure: true });
    if (details.failed) {
      const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      throw new Error(
        `property failed with seed ${SEED} (SCORE_AGREEMENT_SEED=${SEED}, path ${details.counterexamplePath}) after ${details.numRuns} cases: ${error}\n` +
          (fc.defaultReportMessage(details) ?? "").slice(0, 4000),
      );
    }
    console.log(`      ${cases} cases agree; in ${calibrationMatters} of them quantizing on the scored rows would have scored differently`);
    expect(cases).to.equal(CASES);
    // Enough cases where the calibration rows change the score for the property to catch a preview calibrated on them.
    expect(calibrationMatters).to.be.greaterThanOrEqual(20);
  });

  it(`the browser preview (lib/ort/preview.ts, ORT WASM) previews the same bytes and the chain's test score (seed ${SEED})`, async function () {
    const { harness, publicClient } = await loadFixture(deployHarness);
    const runs = 30;
    let calibrationMatters = 0;
    const property = fc.asyncProperty(caseArb, async ({ model, training, scored, featureCount, classCount }) => {
      const shape = { featureCount, classCount };
      const result = await previewModel(
        {
          fileBytes: new TextEncoder().encode(JSON.stringify(model)),
          fileName: "model.json",
          ...shape,
          trainingPoints: encodePoints(training, featureCount, classCount),
          testPoints: encodePoints(scored, featureCount, classCount),
          preferredBackend: "wasm",
        },
        { ort },
      );
      const submitted = modelToCommit(model, training, shape);
      const hex = bytesHex(submitted.bytes);
      const { result: chunks } = await harness.simulate.store([hex]);
      await receipt({ publicClient }, harness.write.store([hex]));
      const [chainCorrect] = await harness.read.evaluate([chunks, bytesHex(encodePoints(scored, featureCount, classCount)), BigInt(featureCount)]);
      expect(result.test?.quantized.correct, "the preview's test score vs the chain").to.equal(Number(chainCorrect));
      expect(bytesHex(result.modelBytes), "the preview's bytes are the ones commit submits").to.equal(hex);
      if (previewScore(model, { training: scored, scored, ...shape }).score.correct !== Number(chainCorrect)) calibrationMatters++;
    });
    const details = await fc.check(property, { seed: SEED, numRuns: runs, endOnFailure: true });
    if (details.failed) {
      const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      throw new Error(`property failed with seed ${SEED} (SCORE_AGREEMENT_SEED=${SEED}) after ${details.numRuns} cases: ${error}`);
    }
    console.log(`      ${runs} browser previews agree; in ${calibrationMatters} quantizing on the test rows would have scored differently`);
    expect(calibrationMatters).to.be.greaterThanOrEqual(1);
  });
});

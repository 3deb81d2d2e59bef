/**
 * The three legs agree: the ONNX Runtime preview (lib/ort, WASM; the float-exact graph too when the model allows),
 * the reference (lib/danku/forward.ts) and the on-chain evaluator (DankuEvaluator through the EvaluatorHarness test
 * contract), on 200 random networks and datasets.
 *
 * Per point, not just in total: the chain is also given the points labelled with ORT's own predictions, and must
 * count every one of them correct — the evaluator predicts exactly what ORT predicts for every point.
 */
import { expect } from "chai";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { encodeModel, encodePoints, type DataPoint, type QuantizedModel } from "../../lib/danku/encoding";
import { evaluateAccuracy } from "../../lib/danku/forward";
import { createScorer } from "../../lib/ort";
import { bytesHex, deployEnv, deployTestContract, evaluatorHarnessAbi, receipt } from "../danku/fixtures";
import { assertProperty, modelArb, ort, pointsArb } from "./support";

async function deployHarness() {
  const env = await deployEnv();
  const harness = await deployTestContract(env, "EvaluatorHarness", evaluatorHarnessAbi);
  return { harness, publicClient: env.publicClient };
}

describe("ORT preview ≡ lib/danku reference ≡ on-chain evaluator", function () {
  this.timeout(300_000);

  it("200 random networks × ≥ 20 points agree point by point", async function () {
    const { harness, publicClient } = await loadFixture(deployHarness);
    let networks = 0;
    let floatExact = 0;
    const property = fc.asyncProperty(
      fc
        .record({ featureCount: fc.integer({ min: 1, max: 48 }), classCount: fc.integer({ min: 2, max: 16 }), floatFriendly: fc.boolean() })
        .chain(({ featureCount, classCount, floatFriendly }) =>
          fc.record({ model: modelArb(featureCount, classCount, floatFriendly, 24), points: pointsArb(featureCount, classCount, 20, 30) }),
        ),
      async ({ model, points }: { model: QuantizedModel; points: DataPoint[] }) => {
        const featureCount = model.widths[0] as number;
        const classCount = model.widths[model.widths.length - 1] as number;
        const what = `widths ${model.widths.join("-")}`;

        const scorer = await createScorer({ model, ort, preferredBackend: "wasm" });
        const predictions = await scorer.predict(points);
        const ortScore = await scorer.score(points);
        await scorer.release();
        if (scorer.exactness.exact) {
          const floatScorer = await createScorer({ model, ort, preferredBackend: "wasm", wasmVariant: "float-exact" });
          expect(Array.from(await floatScorer.predict(points)), `${what}: float-exact`).to.deep.equal(Array.from(predictions));
          await floatScorer.release();
          floatExact++;
        }

        const modelBytes = bytesHex(encodeModel(model));
        const { result: chunks } = await harness.simulate.store([modelBytes]);
        await receipt({ publicClient }, harness.write.store([modelBytes]));
        const chainCorrect = async (labelled: readonly DataPoint[]) =>
          Number((await harness.read.evaluate([chunks, bytesHex(encodePoints(labelled, featureCount, classCount)), BigInt(featureCount)]))[0]);

        const reference = evaluateAccuracy(model, points).correct;
        expect(ortScore.correct, `${what}: ORT vs reference`).to.equal(reference);
        expect(await chainCorrect(points), `${what}: chain vs reference`).to.equal(reference);
        const ortLabelled = points.map((point, p) => ({ features: point.features, label: predictions[p]! }));
        expect(await chainCorrect(ortLabelled), `${what}: chain predicts ORT's prediction for every point`).to.equal(points.length);
        networks++;
      },
    );
    await assertProperty(property, 200);
    expect(networks).to.equal(200);
    expect(floatExact).to.be.greaterThanOrEqual(60);
    console.log(`      ${networks} networks on chain, ${floatExact} also through the float-exact graph`);
  });
});

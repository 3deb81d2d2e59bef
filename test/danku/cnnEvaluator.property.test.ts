/**
 * Differential property test: DankuCnnEvaluator (through CnnEvaluatorHarness) ≡ lib/danku/cnn/ on ≥ 200 random CNNs
 * (test/ort/cnnSupport.ts's generator, the one the ONNX graph test uses: every layer kind, padding, strides, shifts
 * 0..31, ±2^30 biases, saturation, ties): the prediction of every point, and, for one random corruption of each
 * network's bytes, the same accept / (defect, index) verdict as decodeCnnModel.
 * fast-check draws the seeds with a fixed seed; DANKU_PROPERTY_SEED explores others.
 */
import { expect } from "chai";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { toHex } from "viem";
import { encodeCnnModel } from "../../lib/danku/cnn/encoding";
import { cnnLogits, cnnPredict } from "../../lib/danku/cnn/forward";
import { shapeSize, type CnnModel } from "../../lib/danku/cnn/model";
import { randomCnn, randomImages } from "../ort/cnnSupport";
import { seededInts } from "../ort/support";
import { chainVerdict, deployCnnHarness, referenceVerdict } from "./cnnHarness";

const SEED = Number(process.env.DANKU_PROPERTY_SEED ?? 20251203);
const NETWORKS = 220;
const POINTS = 6;

function classCount(model: CnnModel): number {
  const last = model.layers[model.layers.length - 1];
  return last?.kind === "dense" ? last.biases.length : 0;
}

/** One random corruption: a byte of the header, a descriptor or the parameters changed, or the length changed. */
function corrupt(bytes: Uint8Array, seed: number): Uint8Array {
  const int = seededInts(seed);
  const mode = int(0, 5);
  if (mode === 0) return bytes.slice(0, int(0, bytes.length - 1));
  if (mode === 1) return Uint8Array.from([...bytes, ...Array.from({ length: int(1, 9) }, () => int(0, 255))]);
  const out = bytes.slice();
  const descriptorsEnd = 8 + 10 * (bytes[1] as number);
  const at = mode <= 3 ? int(0, descriptorsEnd - 1) : int(descriptorsEnd, bytes.length - 1);
  // Small changes (off by one, zero) hit the range checks' edges; random bytes the rest.
  const value = [0, 1, 128, 255, ((out[at] as number) + 1) & 255, ((out[at] as number) + 255) & 255, int(0, 255)][int(0, 6)] as number;
  out[at] = value;
  return out;
}

describe("DankuCnnEvaluator ≡ lib/danku/cnn on random CNNs", function () {
  this.timeout(600_000);

  it(`${NETWORKS} random CNNs × ${POINTS} points: every prediction equal; one corruption each: the same verdict`, async function () {
    const { harness } = await loadFixture(deployCnnHarness);
    const seen = { conv2d: 0, maxpool: 0, avgpool: 0, padded: 0, strided: 0, ties: 0, predictions: 0, refused: 0, accepted: 0 };
    const defects = new Set<number>();
    const property = fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
      const model = randomCnn(seed);
      const bytes = encodeCnnModel(model);
      const C = classCount(model);
      for (const row of randomImages(model, POINTS, seed ^ 0x5bd1e995)) {
        const onChain = await harness.read.predict([toHex(bytes), toHex(row), BigInt(C)]);
        expect(Number(onChain), `seed ${seed}: point ${toHex(row).slice(0, 40)}…`).to.equal(cnnPredict(model, row));
        seen.predictions++;
        const z = cnnLogits(model, row);
        if (z.filter((v) => v === Math.max(...z)).length > 1) seen.ties++;
      }
      for (const layer of model.layers) {
        if (layer.kind === "conv2d" || layer.kind === "maxpool" || layer.kind === "avgpool") {
          seen[layer.kind]++;
          if (layer.strideH + layer.strideW > 2) seen.strided++;
        }
        if (layer.kind === "conv2d" && layer.padH + layer.padW > 0) seen.padded++;
      }
      const F = shapeSize(model.input);
      const bad = corrupt(bytes, seed ^ 0x2545f491);
      const expected = referenceVerdict(bad, F, C);
      expect(await chainVerdict(harness, bad, F, C), `seed ${seed}: corrupted bytes ${toHex(bad).slice(0, 120)}…`).to.deep.equal(expected);
      if (expected) {
        seen.refused++;
        defects.add(expected[0]);
      } else seen.accepted++;
    });
    const details = await fc.check(property, { seed: SEED, numRuns: NETWORKS, endOnFailure: true });
    if (details.failed) throw new Error(`property failed with seed ${SEED} (DANKU_PROPERTY_SEED):\n${String(fc.defaultReportMessage(details)).slice(0, 6000)}`);
    console.log(`      ${JSON.stringify(seen)}; defects met by corruption: ${[...defects].sort((a, b) => a - b).join(",")}`);
    expect(seen.predictions).to.equal(NETWORKS * POINTS);
    // The generator must reach what the evaluator could get wrong.
    expect(seen.conv2d).to.be.greaterThan(100);
    expect(seen.maxpool).to.be.greaterThan(40);
    expect(seen.avgpool).to.be.greaterThan(40);
    expect(seen.padded).to.be.greaterThan(40);
    expect(seen.strided).to.be.greaterThan(40);
    expect(seen.ties).to.be.greaterThan(100);
    expect(seen.refused).to.be.greaterThan(100);
    expect(defects.size).to.be.greaterThan(8);
  });
});

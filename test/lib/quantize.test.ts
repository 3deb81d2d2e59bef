import { expect } from "chai";
import fc from "fast-check";
import { MAX_BIAS_MAGNITUDE } from "../../lib/danku/constants";
import { decodeModel, encodeModel, ModelFormatError, validateModel, type DataPoint } from "../../lib/danku/encoding";
import { floatForward, floatPredict, type FloatModel } from "../../lib/danku/floatModel";
import { evaluateAccuracy, logits, predict } from "../../lib/danku/forward";
import { largestExponent, quantizeModel, roundHalfAwayFromZero, scaleByPowerOfTwo } from "../../lib/danku/quantize";
import { blobDataset, seededFloats, trainMlp } from "./helpers";

function maxAbs(rows: readonly (readonly number[])[]): number {
  return Math.max(...rows.flatMap((row) => row.map(Math.abs)));
}

describe("lib/danku/quantize", () => {
  describe("exponents and rounding", () => {
    it("rounds half away from zero, symmetric and without −0", () => {
      expect([2.5, -2.5, 0.49, -0.49, -0.5, 127.5, -127.5].map(roundHalfAwayFromZero)).to.deep.equal([3, -3, 0, 0, -1, 128, -128]);
      expect(Object.is(roundHalfAwayFromZero(-0.2), 0)).to.equal(true);
    });

    it("picks the largest weight exponent whose rounded maximum is ≤ 127 (127.5 would round to 128)", () => {
      expect(largestExponent(1, 127)).to.equal(6); // 64; 128 is too big
      expect(largestExponent(0.99, 127)).to.equal(7); // 126.72 → 127
      expect(largestExponent(127.4, 127)).to.equal(0);
      expect(largestExponent(127.5, 127)).to.equal(-1);
      expect(largestExponent(0.99609375, 127)).to.equal(6); // exactly 127.5 / 128: 127.5 rounds up to 128
      expect(largestExponent(1e-6, 127)).to.equal(26);
      expect(largestExponent(1e6, 127)).to.equal(-13);
      expect(largestExponent(5e-324, 127)).to.be.greaterThan(1000);
      expect(() => largestExponent(0, 127)).to.throw(RangeError);
      for (const m of [3e-9, 0.1, 0.7, 1.5, 42, 1e3, 2 ** 20]) {
        const e = largestExponent(m, 127);
        expect(roundHalfAwayFromZero(m * 2 ** e)).to.be.at.most(127);
        expect(roundHalfAwayFromZero(m * 2 ** (e + 1))).to.be.greaterThan(127);
      }
    });

    it("scales by powers of two beyond the double exponent range in steps", () => {
      expect(scaleByPowerOfTwo(5e-324, 1100)).to.be.closeTo(5e-324 * 2 ** 1000 * 2 ** 100, 1e-10);
      expect(scaleByPowerOfTwo(1e300, -1100)).to.be.greaterThan(0);
      expect(() => scaleByPowerOfTwo(1, 0.5)).to.throw(RangeError);
    });
  });

  describe("quantizeModel", () => {
    const points = blobDataset({ seed: 11, classes: 4, features: 8, perClass: 120, spread: 45 });
    const floatModel = trainMlp(points, { hidden: 16, classes: 4, epochs: 30, seed: 5, rate: 0.05 });

    it("keeps a trained model's accuracy within a couple of points", () => {
      const { model, report } = quantizeModel(floatModel, points);
      expect(report.floatAccuracy).to.be.greaterThan(0.7); // the fixture is a real, imperfect classifier
      expect(report.floatAccuracy).to.be.lessThan(1);
      expect(Math.abs(report.accuracyLoss)).to.be.at.most(0.02);
      expect(report.agreement).to.be.at.least(0.97);
      expect(report.accuracyLoss).to.be.closeTo(report.floatAccuracy - report.quantizedAccuracy, 1e-12);
      expect(() => validateModel(model, { featureCount: 8, classCount: 4 })).not.to.throw();
    });

    it("reports accuracies that forward.ts and the float model reproduce", () => {
      const { model, report } = quantizeModel(floatModel, points);
      const quantized = evaluateAccuracy(model, points);
      expect(report.quantized).to.deep.equal(quantized);
      expect(report.quantizedAccuracy).to.equal(quantized.correct / points.length);
      const floatCorrect = points.filter((p) => floatPredict(floatModel, p.features) === p.label).length;
      expect(report.float).to.deep.equal({ correct: floatCorrect, total: points.length });
      // The reported model survives the byte encoding unchanged and predicts the same after decoding.
      const decoded = decodeModel(encodeModel(model));
      expect(decoded).to.deep.equal(model);
      expect(points.map((p) => predict(decoded, p.features))).to.deep.equal(points.map((p) => predict(model, p.features)));
    });

    it("uses the exponents of docs/protocol.md §4.3 and keeps dequantized logits close to the float logits", () => {
      const { model, report } = quantizeModel(floatModel, points);
      const [hidden, output] = report.layers;
      expect(report.activationExponents[0]).to.equal(0);
      expect(hidden!.shift).to.equal(hidden!.weightExponent + 0 - hidden!.outputExponent!);
      expect(report.shifts).to.deep.equal(model.layers.map((l) => l.shift));
      expect(report.shifts[1]).to.equal(0);
      // c_1 is the largest exponent with max activation · 2^c ≤ 255.
      expect(hidden!.maxActivation! * 2 ** hidden!.outputExponent!).to.be.at.most(255);
      expect(hidden!.maxActivation! * 2 ** (hidden!.outputExponent! + 1)).to.be.greaterThan(255);
      // Weights use the int8 range fully: the largest magnitude lands in 64..127.
      for (const layer of model.layers) expect(maxAbs(layer.weights)).to.be.within(64, 127);
      const scale = 2 ** output!.preActivationExponent;
      const range = Math.max(...points.flatMap((p) => floatForward(floatModel, p.features).map(Math.abs)));
      for (const p of points.slice(0, 50)) {
        const q = logits(model, p.features).map((z) => z / scale);
        floatForward(floatModel, p.features).forEach((z, j) => expect(q[j]).to.be.closeTo(z, range * 0.05));
      }
    });

    /** Every layer's weights × f and biases × f^(l+1): layer l's outputs scale by f^(l+1), predictions are unchanged. */
    function scaled(model: FloatModel, factor: number): FloatModel {
      return {
        layers: model.layers.map((l, index) => ({
          weights: l.weights.map((row) => row.map((w) => w * factor)),
          biases: l.biases.map((b) => b * factor ** (index + 1)),
        })),
      };
    }

    it("handles tiny and huge weights with shifted exponents and unchanged predictions", () => {
      const base = quantizeModel(floatModel, points);
      for (const factor of [2 ** -20, 2 ** 20]) {
        const { model, report } = quantizeModel(scaled(floatModel, factor), points);
        // Power-of-two scales move every exponent (e_l, c_l) by exactly −k per layer, so the integer model is identical.
        const k = Math.log2(factor);
        expect(report.weightExponents).to.deep.equal(base.report.weightExponents.map((e) => e - k));
        expect(report.activationExponents).to.deep.equal(base.report.activationExponents.map((c, l) => c - l * k));
        expect(model).to.deep.equal(base.model);
      }
      const { report } = quantizeModel(scaled(floatModel, 1e-7), points);
      expect(report.weightExponents[0]).to.be.greaterThan(30);
      expect(report.shifts.every((s) => s >= 0 && s <= 31)).to.equal(true);
      expect(Math.abs(report.accuracyLoss)).to.be.at.most(0.02);
    });

    it("clamps the shift to 31 and the biases to ±2^30 when the float scales demand more", () => {
      // Weights ≈ 1e-12 give e = 45; a bias of 1e6 makes the activation ≈ 1e6, which wants c = −12, so s would be 57.
      // c is raised to e − 31 (s = 31), and both biases (·2^45) exceed 2^30.
      const model: FloatModel = {
        layers: [
          { weights: [[1e-12], [2e-12]], biases: [1e6, 5] },
          { weights: [[1, 0], [0, 1]], biases: [0, 0] },
        ],
      };
      const { model: q, report } = quantizeModel(model, [{ features: [100], label: 0 }]);
      expect(report.shifts[0]).to.equal(31);
      expect(report.layers[0]!.clampedBiases).to.equal(2);
      expect(q.layers[0]!.biases).to.deep.equal([MAX_BIAS_MAGNITUDE, MAX_BIAS_MAGNITUDE]);
      expect(() => validateModel(q)).not.to.throw();
    });

    it("quantizes all-zero layers and keeps the biases' order", () => {
      const zeroOutput: FloatModel = { layers: [{ weights: [[0, 0], [0, 0], [0, 0]], biases: [0.1, 0.3, 0.2] }] };
      const calibration: DataPoint[] = [{ features: [1, 2], label: 1 }];
      const { model, report } = quantizeModel(zeroOutput, calibration);
      expect(model.layers[0]!.weights.flat().every((w) => w === 0)).to.equal(true);
      expect(predict(model, [200, 9])).to.equal(1);
      expect(Math.max(...model.layers[0]!.biases.map(Math.abs))).to.be.at.most(MAX_BIAS_MAGNITUDE);
      expect(Math.max(...model.layers[0]!.biases)).to.be.greaterThan(2 ** 29); // full precision, not rounded to 0
      expect(report.quantizedAccuracy).to.equal(1);

      const zeroHidden: FloatModel = {
        layers: [
          { weights: [[0, 0], [0, 0]], biases: [0, 0] },
          { weights: [[1, -1], [-1, 1]], biases: [0, 0.5] },
        ],
      };
      const result = quantizeModel(zeroHidden, calibration);
      expect(result.report.shifts[0]).to.equal(0);
      expect(result.report.layers[0]!.maxActivation).to.equal(0);
      expect(predict(result.model, [3, 4])).to.equal(1);
      expect(() => validateModel(result.model)).not.to.throw();
    });

    it("rejects empty calibration data and models over the evaluator's limits", () => {
      expect(() => quantizeModel(floatModel, [])).to.throw(RangeError, /calibration point/);
      const oneOutput: FloatModel = { layers: [{ weights: [[1, 1]], biases: [0] }] };
      expect(() => quantizeModel(oneOutput, [{ features: [1, 2], label: 0 }])).to.throw(ModelFormatError, /outputs/);
      expect(() => quantizeModel(floatModel, points, { competition: { featureCount: 8, classCount: 5 } })).to.throw(ModelFormatError, /5 classes/);
    });

    it("always produces a model validateModel accepts (property)", () => {
      const rand = seededFloats(99);
      const calibration: DataPoint[] = Array.from({ length: 20 }, () => ({
        features: Array.from({ length: 3 }, () => Math.floor(rand() * 256)),
        label: Math.floor(rand() * 2),
      }));
      const weight = fc.oneof(
        fc.double({ min: -1e4, max: 1e4, noNaN: true, noDefaultInfinity: true }),
        fc.double({ min: -1e-6, max: 1e-6, noNaN: true, noDefaultInfinity: true }),
        fc.constant(0),
      );
      const layer = (fanIn: number, fanOut: number) =>
        fc.record({
          weights: fc.array(fc.array(weight, { minLength: fanIn, maxLength: fanIn }), { minLength: fanOut, maxLength: fanOut }),
          biases: fc.array(weight, { minLength: fanOut, maxLength: fanOut }),
        });
      const model = fc
        .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }))
        .chain(([h1, h2]) => fc.tuple(layer(3, h1), layer(h1, h2), layer(h2, 2)))
        .map((layers): FloatModel => ({ layers }));
      fc.assert(
        fc.property(model, (m) => {
          const { model: q, report } = quantizeModel(m, calibration);
          validateModel(q, { featureCount: 3, classCount: 2 });
          expect(report.shifts.slice(0, -1).every((s) => s >= 0 && s <= 31)).to.equal(true);
          expect(decodeModel(encodeModel(q))).to.deep.equal(q);
        }),
        { numRuns: 200, seed: 1 },
      );
    });
  });
});

import { expect } from "chai";
import {
  FloatModelError,
  checkModelAgainstCompetition,
  floatAccuracy,
  floatActivations,
  floatForward,
  floatModelWidths,
  floatPredict,
  parseFloatModelJson,
} from "../../lib/danku/floatModel";

const tiny = {
  layers: [
    {
      weights: [
        [1, -1],
        [0.5, 0.5],
        [-2, 0],
      ],
      biases: [0, -10, 3],
    },
    {
      weights: [
        [1, 0, 0],
        [0, 1, 1],
      ],
      biases: [0.5, -0.5],
    },
  ],
};

function rejects(input: unknown, pattern: RegExp): void {
  expect(() => parseFloatModelJson(input)).to.throw(FloatModelError, pattern);
}

describe("lib/danku/floatModel", () => {
  it("parses JSON text and already-parsed values into the same model", () => {
    const fromText = parseFloatModelJson(JSON.stringify(tiny));
    expect(fromText).to.deep.equal(tiny);
    expect(parseFloatModelJson(tiny)).to.deep.equal(tiny);
    expect(floatModelWidths(fromText)).to.deep.equal([2, 3, 2]);
    expect(parseFloatModelJson(JSON.stringify({ ...tiny, producer: "pytorch" }))).to.deep.equal(tiny);
  });

  it("computes ReLU between layers and raw logits at the end", () => {
    const model = parseFloatModelJson(tiny);
    // x = (10, 4): hidden z = (6, -3, -17) → relu (6, 0, 0); output = (6.5, -0.5).
    expect(floatActivations(model, [10, 4])).to.deep.equal([
      [6, 0, 0],
      [6.5, -0.5],
    ]);
    expect(floatForward(model, [10, 4])).to.deep.equal([6.5, -0.5]);
    expect(floatPredict(model, [10, 4])).to.equal(0);
    // x = (0, 30): hidden (-30→0, 5, 3); output (0.5, 7.5) → class 1.
    expect(floatForward(model, [0, 30])).to.deep.equal([0.5, 7.5]);
    expect(floatPredict(model, [0, 30])).to.equal(1);
    expect(floatAccuracy(model, [
      { features: [10, 4], label: 0 },
      { features: [0, 30], label: 0 },
    ])).to.deep.equal({ correct: 1, total: 2 });
    expect(() => floatForward(model, [1, 2, 3])).to.throw(FloatModelError, /expects 2 inputs/);
  });

  it("breaks ties toward the lowest class like the contract", () => {
    const model = parseFloatModelJson({ layers: [{ weights: [[0], [0], [0]], biases: [1, 2, 2] }] });
    expect(floatPredict(model, [9])).to.equal(1);
  });

  it("rejects malformed files with a message that says where", () => {
    rejects("{not json", /not valid JSON/);
    rejects("[]", /must be an object/);
    rejects("null", /must be an object/);
    rejects({}, /no "layers" field/);
    rejects({ layers: {} }, /"layers" must be an array/);
    rejects({ layers: [] }, /1 to 8 layers, this one has 0/);
    rejects({ layers: new Array(9).fill(tiny.layers[1]) }, /1 to 8 layers, this one has 9/);
    rejects({ layers: [5] }, /layers\[0\] must be an object/);
    rejects({ layers: [{ biases: [1] }] }, /layers\[0\]\.weights must be an array of rows/);
    rejects({ layers: [{ weights: [], biases: [] }] }, /layers\[0\] has 0 neurons/);
    rejects({ layers: [{ weights: [[]], biases: [0] }] }, /layers\[0\] has 0 inputs/);
    rejects({ layers: [{ weights: [[1, 2], [3]], biases: [0, 0] }] }, /layers\[0\]\.weights\[1\] has 1 values, expected 2/);
    rejects({ layers: [{ weights: [[1], [2]], biases: [0] }] }, /layers\[0\]\.biases has 1 values, expected 2/);
    rejects({ layers: [{ weights: [[1], [2]] }] }, /layers\[0\] has no "biases"/);
    rejects(
      { layers: [tiny.layers[0], { weights: [[1, 2]], biases: [0] }] },
      /layers\[1\]\.weights\[0\] has 2 values, expected 3 \(layers\[0\] has that many neurons\)/,
    );
    rejects({ layers: [{ weights: [[1, "2"]], biases: [0] }] }, /layers\[0\]\.weights\[0\]\[1\] must be a number, got the string "2"/);
    rejects({ layers: [{ weights: [[1, null]], biases: [0] }] }, /must be a number, got null/);
    rejects({ layers: [{ weights: [[1, NaN]], biases: [0] }] }, /weights\[0\]\[1\] is NaN/);
    rejects({ layers: [{ weights: [[1]], biases: [Infinity] }] }, /biases\[0\] is Infinity/);
    rejects({ layers: [{ weights: [[1]], biases: "0" }] }, /biases must be an array/);
    rejects({ layers: [{ weights: Array.from({ length: 1025 }, () => [1]), biases: new Array(1025).fill(0) }] }, /1025 neurons/);
    rejects({ layers: [{ weights: [new Array(1025).fill(0)], biases: [0] }] }, /1025 inputs/);
  });

  it("checks a model against a competition's shape and the evaluator's budget", () => {
    const model = parseFloatModelJson(tiny);
    expect(() => checkModelAgainstCompetition(model, { featureCount: 2, classCount: 2 })).not.to.throw();
    expect(() => checkModelAgainstCompetition(model, { featureCount: 3, classCount: 2 })).to.throw(FloatModelError, /takes 2 inputs .* 3 features/);
    expect(() => checkModelAgainstCompetition(model, { featureCount: 2, classCount: 3 })).to.throw(FloatModelError, /2 outputs .* 3 classes/);
    const one = parseFloatModelJson({ layers: [{ weights: [[1]], biases: [0] }] });
    expect(() => checkModelAgainstCompetition(one, { featureCount: 1, classCount: 1 })).to.throw(FloatModelError, /2\.\.255 classes/);
    // 1024 inputs × ⌈1024/8⌉ = 131072 lane words > 16384.
    const wide = {
      layers: [
        { weights: Array.from({ length: 1024 }, () => new Array<number>(1024).fill(0)), biases: new Array<number>(1024).fill(0) },
        { weights: [new Array<number>(1024).fill(0), new Array<number>(1024).fill(0)], biases: [0, 0] },
      ],
    };
    expect(() => checkModelAgainstCompetition(parseFloatModelJson(wide), { featureCount: 1024, classCount: 2 })).to.throw(
      FloatModelError,
      /too large .* lane words/,
    );
  });
});

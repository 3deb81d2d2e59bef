import { expect } from "chai";
import { FloatModelError, findNonFiniteLiteral, parseFloatModelJson } from "../../lib/danku/floatModel";

describe("lib/danku/floatModel: non-finite numbers in a model file", () => {
  it("names NaN and where it is instead of a raw JSON.parse error", () => {
    const text = '{"layers": [\n  {"weights": [[0.5, NaN]], "biases": [0]}\n]}';
    expect(() => parseFloatModelJson(text)).to.throw(FloatModelError, /contains NaN at line 2, column 22: a weight or bias is not a finite number/);
  });

  it("names -Infinity and Infinity", () => {
    expect(findNonFiniteLiteral('{"a": [1, -Infinity]}')).to.deep.equal({ token: "-Infinity", line: 1, column: 11 });
    expect(findNonFiniteLiteral('{"a":Infinity}')).to.deep.equal({ token: "Infinity", line: 1, column: 6 });
  });

  it("ignores NaN inside strings and words that only contain it", () => {
    expect(findNonFiniteLiteral('{"name": "NaN \\" Infinity", "x": 1}')).to.equal(undefined);
    expect(findNonFiniteLiteral('{"x": xNaN}')).to.equal(undefined);
  });

  it("keeps the JSON error for other syntax errors", () => {
    expect(() => parseFloatModelJson('{"layers": [')).to.throw(FloatModelError, /not valid JSON/);
  });
});

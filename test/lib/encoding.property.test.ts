import { expect } from "chai";
import fc from "fast-check";
import { LANES, MAX_BIAS_MAGNITUDE } from "../../lib/danku/constants";
import { ModelFormatError, decodeModel, encodeModel, encodedModelLength, type QuantizedModel } from "../../lib/danku/encoding";

/** Random valid models: 1..3 layers, small widths (so padding lanes are common), full int8/bias/shift ranges. */
const modelArbitrary: fc.Arbitrary<QuantizedModel> = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 12 }))
  .chain(([depth, inputs]) =>
    fc
      .array(fc.integer({ min: 1, max: 12 }), { minLength: depth - 1, maxLength: depth - 1 })
      .chain((hidden) => fc.integer({ min: 2, max: 11 }).map((classes) => [inputs, ...hidden, classes])),
  )
  .chain((widths) =>
    fc
      .tuple(
        ...widths.slice(1).map((fanOut, l) =>
          fc.record({
            shift: l === widths.length - 2 ? fc.constant(0) : fc.integer({ min: 0, max: 31 }),
            biases: fc.array(fc.integer({ min: -MAX_BIAS_MAGNITUDE, max: MAX_BIAS_MAGNITUDE }), { minLength: fanOut, maxLength: fanOut }),
            weights: fc.array(fc.array(fc.integer({ min: -128, max: 127 }), { minLength: widths[l]!, maxLength: widths[l]! }), {
              minLength: fanOut,
              maxLength: fanOut,
            }),
          }),
        ),
      )
      .map((layers): QuantizedModel => ({ widths, layers })),
  );

/** Byte offsets of the padding lanes (neurons ≥ n_l in the last lane group) of every layer. */
function paddingOffsets(model: QuantizedModel): number[] {
  const offsets: number[] = [];
  let at = 2 + 2 * model.widths.length;
  for (let l = 1; l < model.widths.length; l++) {
    const fanIn = model.widths[l - 1]!;
    const fanOut = model.widths[l]!;
    at += 1 + 4 * fanOut;
    const groups = Math.ceil(fanOut / LANES);
    for (let g = 0; g < groups; g++) {
      for (let i = 0; i < fanIn; i++) {
        for (let k = 0; k < LANES; k++) if (g * LANES + k >= fanOut) offsets.push(at + (g * fanIn + i) * LANES + k);
      }
    }
    at += groups * fanIn * LANES;
  }
  return offsets;
}

describe("lib/danku/encoding (properties)", () => {
  it("decodeModel(encodeModel(m)) = m, at the exact length", () => {
    fc.assert(
      fc.property(modelArbitrary, (model) => {
        const bytes = encodeModel(model);
        expect(bytes.length).to.equal(encodedModelLength(model.widths));
        expect(decodeModel(bytes)).to.deep.equal(model);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it("rejects truncated and extended encodings", () => {
    fc.assert(
      fc.property(modelArbitrary, fc.integer({ min: 1, max: 64 }), fc.uint8Array({ minLength: 1, maxLength: 16 }), (model, cut, extra) => {
        const bytes = encodeModel(model);
        const truncated = bytes.slice(0, Math.max(0, bytes.length - cut));
        expect(() => decodeModel(truncated)).to.throw(ModelFormatError);
        const extended = new Uint8Array(bytes.length + extra.length);
        extended.set(bytes);
        extended.set(extra, bytes.length);
        expect(() => decodeModel(extended)).to.throw(ModelFormatError);
      }),
      { numRuns: 200, seed: 8 },
    );
  });

  it("rejects any padding lane that is not 128", () => {
    const withPadding = modelArbitrary.filter((m) => paddingOffsets(m).length > 0);
    fc.assert(
      fc.property(withPadding, fc.nat(), fc.integer({ min: 0, max: 255 }).filter((b) => b !== 128), (model, pick, value) => {
        const bytes = encodeModel(model);
        const offsets = paddingOffsets(model);
        offsets.forEach((o) => expect(bytes[o]).to.equal(128));
        const tampered = bytes.slice();
        tampered[offsets[pick % offsets.length]!] = value;
        expect(() => decodeModel(tampered)).to.throw(ModelFormatError, /padding/);
      }),
      { numRuns: 200, seed: 9 },
    );
  });

  it("rejects a non-zero output shift and out-of-range header fields in the bytes", () => {
    fc.assert(
      fc.property(modelArbitrary, fc.integer({ min: 1, max: 255 }), (model, shift) => {
        const bytes = encodeModel(model);
        // The output layer's shift byte sits right after every earlier layer.
        let at = 2 + 2 * model.widths.length;
        for (let l = 1; l < model.widths.length - 1; l++) {
          at += 1 + 4 * model.widths[l]! + model.widths[l - 1]! * Math.ceil(model.widths[l]! / LANES) * LANES;
        }
        const tampered = bytes.slice();
        tampered[at] = shift;
        expect(() => decodeModel(tampered)).to.throw(ModelFormatError, /shift/);
        const version = bytes.slice();
        version[0] = 2;
        expect(() => decodeModel(version)).to.throw(ModelFormatError, /version/);
      }),
      { numRuns: 100, seed: 10 },
    );
  });
});

/**
 * contracts/danku/DankuEvaluator.sol is generated (scripts/codegen/danku-evaluator.ts from
 * scripts/codegen/DankuEvaluator.sol.template): the committed contract must be exactly what the generator writes, so
 * nobody edits the unrolled forward pass by hand and the template stays the source of truth.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { expectedEvaluator, generateEvaluator, OUTPUT_PATH, TEMPLATE_PATH } from "../../scripts/codegen/danku-evaluator";

/** Line (1-based) of the first difference between two texts, or 0 when they are equal. */
function firstDifference(a: string, b: string): number {
  const x = a.split("\n");
  const y = b.split("\n");
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) return i + 1;
  return 0;
}

describe("DankuEvaluator.sol is generated (npm run codegen)", function () {
  it("the committed contract equals the generator's output", () => {
    const committed = readFileSync(OUTPUT_PATH, "utf8");
    const generated = expectedEvaluator();
    const line = firstDifference(committed, generated);
    expect(
      line,
      `contracts/danku/DankuEvaluator.sol differs from what scripts/codegen/danku-evaluator.ts generates (first at line ${line}). ` +
        "Edit scripts/codegen/DankuEvaluator.sol.template or the generator, never the contract, then run `npm run codegen`.",
    ).to.equal(0);
  });

  it("generates the point-major layer functions with every multiply-accumulate of the unrolled loops", () => {
    const generated = expectedEvaluator();
    for (const name of ["hiddenFromBytes", "hiddenFromLanes", "outputFromBytes", "outputFromLanes"]) {
      expect(generated.split(`function ${name}(`).length - 1, name).to.equal(1);
    }
    // Fed by bytes: hidden 64 (main loop) + 32 + 16 + 8 + 4 + 2 (tail), output 32 + 16 + 8 + 4 + 2; by lanes: 16 + 8.
    const macs = generated.match(/mul\(mload\((?:wp|add\(wp, 0x[0-9a-f]+\))\), byte\(\d+, v2?\)\)/g) ?? [];
    expect(macs.length).to.equal(64 + 32 + 16 + 8 + 4 + 2 + (32 + 16 + 8 + 4 + 2) + 2 * (16 + 8));
  });

  it("generates every weight-stationary kernel the layer driver dispatches to, each with its chunk's terms", () => {
    const generated = expectedEvaluator();
    const kernels = [...generated.matchAll(/function (k([BL])(\d+)([fnol]))\(f\) \{([\s\S]*?)\n {12}\}/g)];
    const names = kernels.map((k) => k[1]);
    // Feature bytes: 2 and 4 in every mode, 8 without `only`; lane words: 1, 4 and 8 in every mode.
    expect(names.sort()).to.deep.equal(
      ["kB2f", "kB2n", "kB2o", "kB2l", "kB4f", "kB4n", "kB4o", "kB4l", "kB8f", "kB8n", "kB8l"]
        .concat(["kL1f", "kL1n", "kL1o", "kL1l", "kL4f", "kL4n", "kL4o", "kL4l", "kL8f", "kL8n", "kL8o", "kL8l"])
        .sort(),
    );
    for (const [, name, kind, size, , body] of kernels) {
      const terms = body!.match(/mul\(w\d+, byte\(\d+, v\)\)/g) ?? [];
      expect(terms.length, name).to.equal(Number(size));
      // Each chunk input once, in order: byte k (feature bytes) or the low byte 4k + 3 of lane k.
      terms.forEach((t, k) => expect(t, name).to.equal(`mul(w${k}, byte(${kind === "B" ? k : 4 * k + 3}, v))`));
      expect(generated, `dispatch of ${name}`).to.contain(`{ ${name}(f) }`);
    }
  });

  it("no line of the template or the contract is a hand-unrolled wall (≤ 160 characters)", () => {
    for (const file of [TEMPLATE_PATH, OUTPUT_PATH]) {
      const long = readFileSync(file, "utf8")
        .split("\n")
        .map((text, i) => ({ line: i + 1, length: text.length }))
        .filter((l) => l.length > 160);
      expect(long, file).to.deep.equal([]);
    }
  });

  it("the output follows the template: a changed template changes the contract, a template without the marker is refused", () => {
    const template = readFileSync(TEMPLATE_PATH, "utf8");
    const changed = generateEvaluator(template.replace("library DankuEvaluator {", "library DankuEvaluator2 {"));
    expect(changed).to.not.equal(expectedEvaluator());
    expect(changed).to.contain("library DankuEvaluator2 {");
    expect(generateEvaluator(template)).to.equal(expectedEvaluator());
    expect(() => generateEvaluator(template.replace("// {{layer functions}}", ""))).to.throw(/must contain the line/);
  });
});

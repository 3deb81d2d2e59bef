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

  it("generates the four layer functions with every multiply-accumulate of the unrolled loops", () => {
    const generated = expectedEvaluator();
    for (const name of ["hiddenFromBytes", "hiddenFromLanes", "outputFromBytes", "outputFromLanes"]) {
      expect(generated.split(`function ${name}(`).length - 1, name).to.equal(1);
    }
    // Per function fed by bytes: 64 (main loop) + 32 + 16 + 8 + 4 + 2 (tail); by lanes: 16 + 8. Two of each.
    const macs = generated.match(/mul\(mload\((?:wp|add\(wp, 0x[0-9a-f]+\))\), byte\(\d+, v2?\)\)/g) ?? [];
    expect(macs.length).to.equal(2 * (64 + 32 + 16 + 8 + 4 + 2) + 2 * (16 + 8));
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

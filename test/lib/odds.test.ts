import { expect } from "chai";
import { binomial, manipulationOdds, manipulationOddsTable, splitCombinations } from "../../lib/danku/odds";

describe("lib/danku/odds", () => {
  it("reproduces the paper's §5.2 table (TP 80 %, L 5)", () => {
    const table = manipulationOddsTable();
    expect(table.map((r) => r.groupCount)).to.deep.equal([5, 10, 15, 20, 25, 30]);
    const percent = table.map((r) => r.odds * 100);
    // The paper's numbers, rounded to the significant digits it prints.
    const paper: [number, number][] = [
      [100, 3],
      [11.11, 4],
      [1.0989, 5],
      [0.103199, 6],
      [0.00941088, 6],
      [0.00084207, 5],
    ];
    percent.forEach((p, i) => expect(Number(p.toPrecision(paper[i]![1]))).to.equal(paper[i]![0]));
    expect(table[1]!.combinations).to.equal(45n);
    expect(table[1]!.trainingGroups).to.equal(8);
    expect(table[1]!.singleDrawOdds).to.be.closeTo(1 / 45, 1e-15);
    expect(table[0]!.odds).to.equal(1); // 5 attempts ≥ C(5, 4) = 5 possible training sets
  });

  it("equals the paper's product formula", () => {
    for (const g of [10, 20, 40]) {
      const nTest = g - Math.floor(g * 0.8);
      let product = 1;
      for (let n = nTest + 1; n <= g; n++) product *= (g - n + 1) / n;
      expect(manipulationOdds({ groupCount: g, trainingBps: 8000, attempts: 3 })).to.be.closeTo(3 * product, 3 * product * 1e-12);
    }
  });

  it("computes binomials exactly", () => {
    expect(binomial(5, 0)).to.equal(1n);
    expect(binomial(5, 5)).to.equal(1n);
    expect(binomial(30, 24)).to.equal(593775n);
    expect(binomial(60, 30)).to.equal(118264581564861424n);
    expect(binomial(4, 7)).to.equal(0n);
    expect(splitCombinations(20, 8000)).to.equal(4845n);
  });

  it("stays finite and positive for the largest groups, beyond float range of the plain product", () => {
    const odds = manipulationOdds({ groupCount: 1024, trainingBps: 5000, attempts: 1 });
    expect(odds).to.be.greaterThan(0);
    // C(1024, 512) ≈ 4.48e306.
    expect(Math.log10(odds)).to.be.closeTo(-306.65, 0.01);
    const tiny = manipulationOdds({ groupCount: 1000, trainingBps: 9000, attempts: 1e6 });
    expect(tiny).to.be.closeTo(1e6 / Number(binomial(1000, 900)), 1e6 / Number(binomial(1000, 900)) * 1e-12);
  });

  it("scales with attempts, is capped at 1, and validates inputs", () => {
    const one = manipulationOdds({ groupCount: 20, trainingBps: 8000, attempts: 1 });
    expect(manipulationOdds({ groupCount: 20, trainingBps: 8000, attempts: 10 })).to.be.closeTo(10 * one, 1e-15);
    expect(manipulationOdds({ groupCount: 20, trainingBps: 8000, attempts: 0 })).to.equal(0);
    expect(manipulationOdds({ groupCount: 10, trainingBps: 8000, attempts: 1000 })).to.equal(1);
    expect(() => manipulationOdds({ groupCount: 10, trainingBps: 8000, attempts: -1 })).to.throw(RangeError);
    expect(() => manipulationOdds({ groupCount: 10, trainingBps: 8000, attempts: NaN })).to.throw(RangeError);
    expect(() => manipulationOdds({ groupCount: 5, trainingBps: 1000, attempts: 1 })).to.throw(RangeError);
  });
});

/**
 * lib/web/daimonGlossary: every DaiMoN symbol the pages print has plain words and a meaning, and the phase badge's
 * "Competition · round N" gets its ordinal right (rounds count from 0).
 */
import { expect } from "chai";
import { DAIMON_GLOSSARY, describeRound, type DaimonTerm } from "../../lib/web/daimonGlossary";

describe("lib/web/daimonGlossary", () => {
  it("explains DEL, d_c, δ and DMZ1 in plain words", () => {
    expect(DAIMON_GLOSSARY.DEL.plain).to.equal("distance embedding for labels");
    expect(DAIMON_GLOSSARY.DEL.meaning).to.contain("a learned function that turns predicted labels into a distance");
    expect(DAIMON_GLOSSARY.d_c.plain).to.equal("current best distance");
    expect(DAIMON_GLOSSARY.δ.meaning).to.contain("d + δ < d_c");
    expect(DAIMON_GLOSSARY.DMZ1.meaning).to.contain("32-bit floats");
  });

  it("has a non-empty gloss and a longer meaning for every term, keyed by the symbol shown", () => {
    for (const [key, entry] of Object.entries(DAIMON_GLOSSARY) as [DaimonTerm, (typeof DAIMON_GLOSSARY)[DaimonTerm]][]) {
      expect(entry.term, key).to.equal(key);
      expect(entry.plain.length, key).to.be.greaterThan(3);
      expect(entry.meaning.length, key).to.be.greaterThan(entry.plain.length);
    }
  });

  it("describes a round with its ordinal and length", () => {
    expect(describeRound(0n, 40)).to.equal("round 0: the 1st window of 40 blocks for proofs and votes (rounds count from 0)");
    expect(describeRound(1n)).to.equal("round 1: the 2nd window of T_b blocks for proofs and votes (rounds count from 0)");
    expect(describeRound(2n, 1_000n)).to.contain("the 3rd window of 1,000 blocks");
    expect(describeRound(10n)).to.contain("the 11th window");
    expect(describeRound(11n)).to.contain("the 12th window");
    expect(describeRound(12n)).to.contain("the 13th window");
    expect(describeRound(20n)).to.contain("the 21st window");
    expect(describeRound(110n)).to.contain("the 111th window");
    expect(describeRound(121n)).to.contain("the 122nd window");
  });
});

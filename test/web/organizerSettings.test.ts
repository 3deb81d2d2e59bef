import { expect } from "chai";
import { defaultSettings, validateSettings } from "../../components/organizer/settings";
import { maxRevealablePointsPerGroup } from "../../lib/chain/gas";
import { minimumEvaluationPeriod } from "../../lib/danku/groups";

describe("wizard settings: groups must be revealable in one transaction", () => {
  function form(groupCount: number, points: number) {
    const base = defaultSettings(true);
    return {
      ...base,
      title: "Sizes",
      groupMode: "count" as const,
      groupCount: String(groupCount),
      periods: { ...base.periods, evaluationPeriod: String(minimumEvaluationPeriod(points)) },
    };
  }

  it("refuses groups larger than one reveal transaction carries and names how many groups are needed", () => {
    const max = maxRevealablePointsPerGroup(785);
    const points = 4 * max + 1;
    const validation = validateSettings(form(4, points), points, 784);
    expect(validation.ok).to.equal(false);
    expect(validation.errors.groupCount).to.equal(
      `Groups of ${(max + 1).toLocaleString("en-US")} points are too large to reveal: one transaction carries at most ${max} points of 785 bytes. Use at least 5 groups.`,
    );
    expect(validateSettings(form(5, points), points, 784).ok).to.equal(true);
  });

  it("does not judge group sizes before the feature count is known", () => {
    const points = 10_000;
    expect(validateSettings(form(2, points), points).errors.groupCount).to.equal(undefined);
  });
});

/** lib/web/organizerHistory: an organizer's record from the listing's summaries. */
import { expect } from "chai";
import type { Address } from "viem";
import type { CompetitionSummary, StageName } from "../../lib/chain/danku";
import { competitionsWithWinner, organizerHistory } from "../../lib/web/organizerHistory";

const ORGANIZER = "0x00000000000000000000000000000000000000aA" as Address;
const OTHER = "0x00000000000000000000000000000000000000bB" as Address;
const ACCOMPLICE = "0x00000000000000000000000000000000000000cC" as Address;

let n = 0;
function summary(
  stage: StageName,
  options: { organizer?: Address; winner?: boolean; forfeited?: boolean; withheld?: boolean } = {},
): Pick<CompetitionSummary, "address" | "organizer" | "stage" | "best" | "rewardForfeited" | "testWithheld"> {
  n++;
  return {
    address: `0x${n.toString(16).padStart(40, "0")}` as Address,
    organizer: options.organizer ?? ORGANIZER,
    stage,
    best: { exists: !!options.winner, id: 0, correct: options.winner ? 10 : 0 },
    rewardForfeited: !!options.forfeited,
    testWithheld: !!options.withheld,
  };
}

describe("lib/web/organizerHistory", () => {
  it("counts created, running, cancelled, forfeited, finalized with a winner, withheld and refunded competitions", () => {
    const list = [
      summary("Submission"),
      summary("AwaitingSplit"),
      summary("Cancelled"),
      summary("Cancelled", { forfeited: true }),
      summary("SetupExpired"),
      summary("Finalized", { winner: true }),
      summary("Finalized", { winner: true }),
      summary("Finalized", { withheld: true }),
      summary("Finalized"),
      summary("Finalized", { organizer: OTHER, winner: true }),
    ];
    const history = organizerHistory(ORGANIZER, list);
    expect(history).to.deep.equal({
      created: 9,
      running: 2,
      cancelled: 3,
      forfeited: 1,
      finalizedWithWinner: 2,
      wonByOrganizer: 0,
      testWithheld: 1,
      finalizedWithoutWinner: 1,
    });
  });

  it("counts wins by the organizer's own address (any case), not by other addresses", () => {
    const own = summary("Finalized", { winner: true });
    const accomplice = summary("Finalized", { winner: true });
    const unknown = summary("Finalized", { winner: true });
    const list = [own, accomplice, unknown];
    expect(competitionsWithWinner(ORGANIZER, list)).to.deep.equal([own.address, accomplice.address, unknown.address]);
    const winners = new Map<string, Address>([
      [own.address.toUpperCase().replace("0X", "0x"), ORGANIZER.toLowerCase() as Address],
      [accomplice.address.toLowerCase(), ACCOMPLICE],
    ]);
    // Keys are looked up lower-cased.
    const lowered = new Map([...winners].map(([k, v]) => [k.toLowerCase(), v]));
    const history = organizerHistory(ORGANIZER, list, lowered);
    expect(history.finalizedWithWinner).to.equal(3);
    expect(history.wonByOrganizer).to.equal(1);
  });

  it("is empty for an address that created nothing", () => {
    const history = organizerHistory(OTHER, [summary("Finalized", { winner: true })]);
    expect(history.created).to.equal(0);
    expect(Object.values(history).every((v) => v === 0)).to.equal(true);
    expect(competitionsWithWinner(OTHER, [])).to.deep.equal([]);
  });
});

/**
 * lib/web/actions.ts availableActions: what the competition page shows to each visitor in each stage — only what
 * they can do now, plus one line for the rest (issue 12 §5). The whole stage × role table, then the rules behind it.
 */
import { expect } from "chai";
import { parseEther, type Address } from "viem";
import type { CompetitionState, StageName, SubmissionState } from "../../lib/chain/danku";
import { availableActions, type AvailableActions, type ViewerRole } from "../../lib/web/actions";
import { SHORT_COMPETITION_CONFIG } from "./fixtures";

const COMPETITION = "0x00000000000000000000000000000000000000a1" as Address;
const ORGANIZER = "0x00000000000000000000000000000000000000c3" as Address;
const SUBMITTER = "0x00000000000000000000000000000000000000d4" as Address;
const STRANGER = "0x00000000000000000000000000000000000000e5" as Address;


/** init1 at block 10: seed block 11, split by 16, training reveal by 66; trained at 20 → submissions until 120, … */
function deadlines(trained: boolean): CompetitionState["deadlines"] {
  const base = { splitSeedBlock: 11n, init2Deadline: 16n, trainingRevealDeadline: 66n, submissionEnd: 0n, modelRevealEnd: 0n, testRevealEnd: 0n, evaluationEnd: 0n };
  return trained ? { ...base, submissionEnd: 120n, modelRevealEnd: 140n, testRevealEnd: 160n, evaluationEnd: 190n } : base;
}

function sub(overrides: Partial<SubmissionState> = {}): SubmissionState {
  return { id: 0, submitter: SUBMITTER, commitment: "0x01", modelHash: "0x02", revealed: false, evaluated: false, cursor: 0, correct: 0, commitBlock: 30n, ...overrides };
}

/** A typical competition in each stage: the submitter's one model is committed, then revealed, then evaluated (and best). */
function scenario(stage: StageName): { state: CompetitionState; submissions: SubmissionState[] } {
  const setup = stage === "AwaitingSplit" || stage === "TrainingReveal" || stage === "SetupExpired" || stage === "Cancelled";
  const submissions =
    setup
      ? []
      : stage === "Submission" || stage === "ModelReveal"
        ? [sub()]
        : stage === "TestReveal" || stage === "Evaluation"
          ? [sub({ revealed: true })]
          : [sub({ revealed: true, evaluated: true, cursor: 20, correct: 18 })];
  const blockNumber: Record<StageName, bigint> = {
    AwaitingSplit: 12n,
    TrainingReveal: 30n,
    Submission: 100n,
    ModelReveal: 130n,
    TestReveal: 150n,
    Evaluation: 170n,
    AwaitingFinalization: 200n,
    Finalized: 210n,
    Cancelled: 40n,
    SetupExpired: 80n,
  };
  const testIn = stage === "Evaluation" || stage === "AwaitingFinalization" || stage === "Finalized";
  return {
    submissions,
    state: {
      address: COMPETITION,
      stage,
      organizer: ORGANIZER,
      reward: parseEther("1"),
      totalDonations: 0n,
      config: SHORT_COMPETITION_CONFIG,
      metadataCid: "",
      groupCount: 10,
      trainingGroupCount: 8,
      init1Block: 10n,
      splitDone: stage !== "AwaitingSplit" && stage !== "SetupExpired",
      deadlines: deadlines(!setup),
      trainingPoints: 80,
      testPoints: testIn ? 20 : 0,
      usesTestData: testIn,
      submissionCount: submissions.length,
      best: submissions.some((s) => s.evaluated) ? { exists: true, id: 0, correct: 18 } : { exists: false, id: 0, correct: 0 },
      blockNumber: blockNumber[stage],
      totalCommittedPoints: 100,
      committedTrainingPoints: 80,
      committedTestPoints: 20,
      rewardForfeited: false,
      testWithheld: false,
    },
  };
}

const VIEWERS: Record<"disconnected" | "organizer" | "submitter" | "stranger", Address | undefined> = {
  disconnected: undefined,
  organizer: ORGANIZER,
  submitter: SUBMITTER,
  stranger: STRANGER,
};

/** What a visitor sees, in words: the panels and action rows shown (the submit section with its parts). */
function shown(a: AvailableActions): string {
  const parts: string[] = [];
  if (a.reveal) parts.push(`reveal ${a.reveal}`);
  if (a.submit) {
    const what = (["preview", "commit", "importFile"] as const).filter((k) => a.submit?.[k]);
    parts.push(`submit(${what.join(",")})`);
  }
  for (const k of ["evaluate", "finalize", "withdraw", "cancel", "donate"] as const) if (a[k]) parts.push(k);
  return parts.join(" ");
}

describe("lib/web/actions availableActions (what each visitor sees in each stage)", () => {
  // Hand-written: [role the page infers, what it shows] for disconnected / organizer / submitter / stranger.
  const TABLE: Record<StageName, Record<keyof typeof VIEWERS, [ViewerRole, string]>> = {
    AwaitingSplit: { disconnected: ["disconnected", "donate"], organizer: ["organizer", "cancel donate"], submitter: ["visitor", "donate"], stranger: ["visitor", "donate"] },
    TrainingReveal: {
      disconnected: ["disconnected", "donate"],
      organizer: ["organizer", "reveal training cancel donate"],
      submitter: ["visitor", "donate"],
      stranger: ["visitor", "donate"],
    },
    Submission: {
      disconnected: ["disconnected", "submit(preview,commit,importFile) donate"],
      organizer: ["organizer", "donate"],
      submitter: ["submitter", "submit(preview,commit,importFile) donate"],
      stranger: ["visitor", "submit(preview,commit,importFile) donate"],
    },
    ModelReveal: {
      disconnected: ["disconnected", "donate"],
      organizer: ["organizer", "donate"],
      submitter: ["submitter", "submit(importFile) donate"],
      stranger: ["visitor", "donate"],
    },
    TestReveal: {
      disconnected: ["disconnected", "donate"],
      organizer: ["organizer", "reveal test donate"],
      submitter: ["submitter", "submit() donate"],
      stranger: ["visitor", "donate"],
    },
    Evaluation: {
      disconnected: ["disconnected", "donate"],
      organizer: ["organizer", "evaluate donate"],
      submitter: ["submitter", "submit(preview) evaluate donate"],
      stranger: ["visitor", "evaluate donate"],
    },
    AwaitingFinalization: {
      disconnected: ["disconnected", "donate"],
      organizer: ["organizer", "finalize donate"],
      submitter: ["submitter", "submit() finalize donate"],
      stranger: ["visitor", "finalize donate"],
    },
    Finalized: { disconnected: ["disconnected", ""], organizer: ["organizer", ""], submitter: ["submitter", ""], stranger: ["visitor", ""] },
    Cancelled: { disconnected: ["disconnected", ""], organizer: ["organizer", ""], submitter: ["visitor", ""], stranger: ["visitor", ""] },
    SetupExpired: { disconnected: ["disconnected", ""], organizer: ["organizer", "cancel"], submitter: ["visitor", "cancel"], stranger: ["visitor", "cancel"] },
  };

  for (const [stage, row] of Object.entries(TABLE) as [StageName, (typeof TABLE)[StageName]][]) {
    it(`${stage}: shows each visitor only what they can do now`, () => {
      const { state, submissions } = scenario(stage);
      for (const [who, [role, expected]] of Object.entries(row) as [keyof typeof VIEWERS, [ViewerRole, string]][]) {
        const a = availableActions(state, { account: VIEWERS[who], rightNetwork: true }, { submissions, secondsPerBlock: 12 });
        expect([a.role, shown(a)], `${stage} / ${who}`).to.deep.equal([role, expected]);
        expect(a.connect, `${stage} / ${who}: connect`).to.equal(who === "disconnected");
        expect(a.next, `${stage} / ${who}: next`).to.match(/\.$/);
      }
    });
  }

  it("never shows a disabled action: every row shown is allowed (on the right network)", () => {
    for (const stage of Object.keys(TABLE) as StageName[]) {
      const { state, submissions } = scenario(stage);
      for (const [who, account] of Object.entries(VIEWERS)) {
        for (const withdrawable of [0n, parseEther("0.5")]) {
          const a = availableActions(state, { account, rightNetwork: true }, { submissions, withdrawable });
          for (const k of ["evaluate", "finalize", "withdraw", "cancel", "donate"] as const) {
            // Not connected, the donate panel is shown with a Connect wallet button instead of Donate.
            if (a[k] && !(k === "donate" && !account)) expect(a.details[k].allowed, `${stage} / ${who} / ${k}: ${a.details[k].reason}`).to.equal(true);
          }
        }
      }
    }
  });

  it("says what comes next and when, with the time from the block time", () => {
    const at = (stage: StageName, account?: Address) => {
      const { state, submissions } = scenario(stage);
      return availableActions(state, { account, rightNetwork: true }, { submissions, secondsPerBlock: 12 }).next;
    };
    // Block 130, test reveal by 160: 30 blocks of 12 s.
    expect(at("ModelReveal", STRANGER)).to.equal("Submissions closed at block #120; evaluation opens after the test reveal, by block #160 (≈ 6 min).");
    expect(at("ModelReveal", SUBMITTER)).to.equal("Reveal your model by block #140 (≈ 2 min): an unrevealed model is never scored.");
    expect(at("ModelReveal")).to.match(/Submitted a model\? Connect that wallet to reveal it by block #140\.$/);
    expect(at("TestReveal", ORGANIZER)).to.match(/^Reveal the test data by block #160 \(≈ 2 min\): if it is not revealed in full, there is no winner/);
    expect(at("Submission")).to.equal("Preview a model now; connect a wallet to commit it by block #120 (≈ 4 min).");
    expect(at("Submission", ORGANIZER)).to.match(/^Submissions are open until block #120 \(≈ 4 min\); you reveal the test data after the model reveal, from block #140/);
    expect(at("AwaitingFinalization")).to.match(/anyone can finalize .*; connect a wallet to do it\.$/);
    expect(at("Finalized", STRANGER)).to.equal("The competition is finalized; nothing is owed to this account.");
    const { state, submissions } = scenario("Evaluation");
    // Hours: 1,800 blocks of 4 s.
    expect(availableActions({ ...state, blockNumber: 170n, deadlines: { ...state.deadlines, evaluationEnd: 1_970n } }, { account: STRANGER, rightNetwork: true }, { submissions, secondsPerBlock: 4 }).next).to.equal(
      "Anyone can run the evaluation of a revealed model until block #1,970 (≈ 2 h); then anyone can finalize.",
    );
    // Without a block time, the block alone.
    expect(availableActions(state, { account: STRANGER, rightNetwork: true }, { submissions }).next).to.equal("Anyone can run the evaluation of a revealed model until block #190; then anyone can finalize.");
  });

  it("shows the reveal inputs only to the organizer's connected address, whatever its letter case", () => {
    const { state } = scenario("TestReveal");
    expect(availableActions(state, { account: ORGANIZER.toUpperCase().replace("0X", "0x") as Address, rightNetwork: true }).reveal).to.equal("test");
    for (const account of [undefined, STRANGER, SUBMITTER]) expect(availableActions(state, { account, rightNetwork: true }).reveal).to.equal(undefined);
    // After its stage the reveal is over: no inputs (also not in the stage before).
    expect(availableActions(scenario("Evaluation").state, { account: ORGANIZER, rightNetwork: true }).reveal).to.equal(undefined);
    expect(availableActions(scenario("ModelReveal").state, { account: ORGANIZER, rightNetwork: true }).reveal).to.equal(undefined);
  });

  it("offers donations only while they can still reach a winner", () => {
    const donate = (stage: StageName, change: (x: ReturnType<typeof scenario>) => ReturnType<typeof scenario>) => {
      const { state, submissions } = change(scenario(stage));
      return availableActions(state, { account: STRANGER, rightNetwork: true }, { submissions });
    };
    const same = (x: ReturnType<typeof scenario>) => x;
    expect(donate("Evaluation", same).donate).to.equal(true);
    // Test data withheld (the test reveal lapsed): a donation could only be refunded.
    const withheld = donate("Evaluation", (x) => ({ ...x, state: { ...x.state, usesTestData: false } }));
    expect(withheld.donate).to.equal(false);
    expect(withheld.evaluate).to.equal(false);
    expect(withheld.details.donate).to.deep.equal({
      allowed: false,
      reason: "The test data was withheld: there will be no winner, so a donation now could only be refunded. Donations are not taken here any more.",
    });
    // Nothing committed by the end of submissions, nothing revealed, no best submission at the end.
    expect(donate("ModelReveal", (x) => ({ state: { ...x.state, submissionCount: 0 }, submissions: [] })).donate).to.equal(false);
    expect(donate("TestReveal", (x) => ({ ...x, submissions: [sub()] })).donate).to.equal(false);
    expect(donate("AwaitingFinalization", (x) => ({ ...x, state: { ...x.state, best: { exists: false, id: 0, correct: 0 } } })).donate).to.equal(false);
    for (const over of ["Finalized", "Cancelled", "SetupExpired"] as const) expect(donate(over, same).details.donate.reason).to.equal("Donations are closed: the competition is over.");
  });

  it("shows Withdraw to whoever is owed something, once it is owed", () => {
    for (const stage of ["Finalized", "Cancelled"] as const) {
      const { state, submissions } = scenario(stage);
      const owed = availableActions(state, { account: STRANGER, rightNetwork: true }, { submissions, withdrawable: parseEther("0.4") });
      expect(owed.withdraw).to.equal(true);
      expect(owed.details.withdraw.reason).to.equal("You can withdraw 0.4 ETH.");
      expect(owed.next).to.match(/withdraw what you are owed\.$/);
      expect(availableActions(state, { account: undefined, rightNetwork: true }, { submissions, withdrawable: parseEther("0.4") }).withdraw).to.equal(false);
    }
  });

  it("on another network keeps the visitor's actions but asks to switch first", () => {
    const { state, submissions } = scenario("AwaitingFinalization");
    const a = availableActions(state, { account: STRANGER, rightNetwork: false }, { submissions });
    expect(a.finalize).to.equal(true);
    expect(a.details.finalize).to.deep.equal({ allowed: false, reason: "Switch your wallet to the marketplace's network first." });
  });

  it("lists a submitter's own models after the submission period, with the file input only while one still needs revealing", () => {
    const { state } = scenario("ModelReveal");
    const revealed = availableActions(state, { account: SUBMITTER, rightNetwork: true }, { submissions: [sub({ revealed: true })] });
    expect(revealed.submit).to.deep.equal({ preview: false, commit: false, importFile: false });
    expect(revealed.next).to.match(/^Submissions closed at block #120; evaluation opens after the test reveal/);
    // Someone else's submission does not make a stranger a submitter.
    expect(availableActions(state, { account: STRANGER, rightNetwork: true }, { submissions: [sub()] }).submit).to.equal(undefined);
  });
});

/**
 * Which actions the competition page offers the connected account in the current stage, each with the reason
 * when it is not possible (docs/protocol.md §6–§8). Plain function, unit-tested; the contract stays the authority:
 * every action is simulated before the wallet is asked.
 */
import type { Address } from "viem";
import type { CompetitionState, SubmissionState } from "../chain/danku";
import { formatDuration, formatEth, formatNumber, sameAddress } from "./format";
import { testDataWithheld, withheldPayout } from "./payouts";

export interface ActionAvailability {
  allowed: boolean;
  /** Why not (or, when allowed, a hint about what will happen). */
  reason: string;
}

export interface CompetitionActions {
  finalize: ActionAvailability;
  withdraw: ActionAvailability;
  cancel: ActionAvailability;
  evaluate: ActionAvailability & { candidates: SubmissionState[] };
  revealTraining: ActionAvailability;
  revealTest: ActionAvailability;
  donate: ActionAvailability;
}

const no = (reason: string): ActionAvailability => ({ allowed: false, reason });
const yes = (reason: string): ActionAvailability => ({ allowed: true, reason });

export function competitionActions(input: {
  state: CompetitionState;
  account?: Address;
  /** False when the wallet is on another chain. */
  rightNetwork: boolean;
  withdrawable?: bigint;
  submissions?: readonly SubmissionState[];
}): CompetitionActions {
  const { state, account, rightNetwork } = input;
  const s = state.stage;
  const d = state.deadlines;
  const isOrganizer = sameAddress(account, state.organizer);
  const wallet = !account ? "Connect a wallet first." : !rightNetwork ? "Switch your wallet to the marketplace's network first." : undefined;
  const gate = (availability: ActionAvailability): ActionAvailability => (availability.allowed && wallet ? no(wallet) : availability);

  const withheld = testDataWithheld(state);
  const payout = withheld ? withheldPayout(state, input.submissions ?? []) : undefined;
  const sharing = payout
    ? `the reward of ${formatEth(payout.pool)} is shared equally by the ${formatNumber(payout.revealed)} revealed submission${payout.revealed === 1 ? "" : "s"} (${formatEth(payout.share)} each)${payout.refundedDonations > 0n ? ` and the donors get their ${formatEth(payout.refundedDonations)} back` : ""}`
    : undefined;
  const finalize =
    s === "AwaitingFinalization"
      ? yes(
          withheld && sharing
            ? `The test data was not revealed in full: anyone can finalize, and ${sharing}.`
            : "Evaluation is over: anyone can finalize and open the payout.",
        )
      : s === "Finalized"
        ? no("Already finalized.")
        : s === "Cancelled" || s === "SetupExpired"
          ? no("A cancelled or expired competition is never finalized; refunds are open instead.")
          : d.evaluationEnd !== 0n
            ? no(`Finalization opens at block #${formatNumber(d.evaluationEnd)}, when the evaluation period ends.`)
            : no("Finalization opens when the evaluation period ends.");

  const owed = input.withdrawable ?? 0n;
  const withdraw = !account
    ? no("Connect a wallet to see what you can withdraw.")
    : owed > 0n
      ? yes(`You can withdraw ${formatEth(owed)}.`)
      : s === "Finalized" || s === "Cancelled"
        ? no("Nothing is owed to this account.")
        : withheld && sharing
          ? no(`The test data was withheld: after finalization ${sharing}.`)
          : no("Payouts open after finalization (the winner) or cancellation (refunds to the organizer and donors).");

  // From the seed block on the split is knowable: backing out then burns the reward (docs/protocol.md §3).
  const pastSeed = state.blockNumber >= d.splitSeedBlock;
  let cancel: ActionAvailability;
  if (s === "SetupExpired") {
    cancel = yes(
      pastSeed
        ? `The setup lapsed: anyone can cancel; donors get refunds, and the organizer's reward of ${formatEth(state.reward)} is burned.`
        : "The setup lapsed: anyone can cancel and open refunds.",
    );
  } else if (s === "AwaitingSplit" || s === "TrainingReveal") {
    cancel = !isOrganizer
      ? no("Only the organizer can cancel at this stage.")
      : pastSeed
        ? yes(`You can cancel, but the seed block #${formatNumber(d.splitSeedBlock)} is mined: cancelling now burns your reward of ${formatEth(state.reward)}.`)
        : yes(`You can cancel for free until block #${formatNumber(d.splitSeedBlock)} (the seed block); from then on cancelling burns the reward.`);
  } else if (s === "Cancelled") cancel = no("Already cancelled.");
  else cancel = no("Once the training data is revealed, the competition can no longer be cancelled.");

  const candidates = (input.submissions ?? []).filter((x) => x.revealed && !x.evaluated);
  let evaluate: ActionAvailability;
  if (s !== "Evaluation") {
    evaluate =
      s === "TestReveal" || s === "ModelReveal" || s === "Submission"
        ? no(
            d.testRevealEnd !== 0n
              ? `Evaluation opens once the test data is revealed, or at block #${formatNumber(d.testRevealEnd)} at the latest.`
              : "Evaluation opens after the test data reveal.",
          )
        : no("Evaluation is only possible during the evaluation stage.");
  } else if (withheld) {
    evaluate = no(
      `The organizer did not reveal the test data in full, so there is no evaluation (the contract refuses it: TestDataWithheld)${sharing ? `; at finalization ${sharing}` : ""}.`,
    );
  } else if (candidates.length === 0) {
    evaluate = no((input.submissions ?? []).some((x) => x.revealed) ? "Every revealed submission is fully evaluated." : "No submission was revealed, so there is nothing to evaluate.");
  } else evaluate = yes("Anyone can run the evaluation; the contract scores the model itself.");

  // The reveal itself happens in the page's reveal panel (GroupRevealPanel), which needs the secrets file.
  const revealTraining = !isOrganizer
    ? no("Only the organizer can reveal the training data.")
    : s !== "TrainingReveal"
      ? no("The training data is revealed during the training-reveal stage.")
      : yes("Reveal the training groups in the reveal panel on this page, with your secrets file.");
  const revealTest = !isOrganizer
    ? no("Only the organizer can reveal the test data.")
    : s !== "TestReveal"
      ? no("The test data is revealed during the test-reveal stage.")
      : yes("Reveal the test groups in the reveal panel on this page, with your secrets file.");

  const donate =
    s === "Finalized" || s === "Cancelled" || s === "SetupExpired"
      ? no("Donations are closed: the competition is over.")
      : withheld
        ? yes("The test data was withheld: there will be no winner, so a donation now is only refunded to you after finalization.")
        : yes("Donations add to the prize pool; if the test data is not revealed in full, they are refunded.");

  return {
    finalize: gate(finalize),
    withdraw: gate(withdraw),
    cancel: gate(cancel),
    evaluate: { ...gate(evaluate), candidates: withheld ? [] : candidates },
    revealTraining: gate(revealTraining),
    revealTest: gate(revealTest),
    donate: gate(donate),
  };
}

// ============================================================ what the page shows to this visitor

/**
 * Who is looking at the competition page: not connected, the organizer's address, an address with a commitment
 * (revealed or not) on chain, or anyone else connected.
 */
export type ViewerRole = "disconnected" | "organizer" | "submitter" | "visitor";

export interface Viewer {
  account?: Address;
  /** False when the wallet is on another chain (the actions are then shown, but ask to switch first). */
  rightNetwork: boolean;
}

/** The parts of the submit section this visitor can use now. */
export interface SubmitSection {
  /** Score a model file exactly as the contract will (the training data; the test data once revealed). */
  preview: boolean;
  /** Commit a new model (the submission period only). */
  commit: boolean;
  /** Load a submission file kept elsewhere, to commit or reveal from this browser. */
  importFile: boolean;
}

export interface AvailableActions {
  role: ViewerRole;
  /** The organizer's reveal inputs: only for the organizer's connected address, only in their reveal stage. */
  reveal?: "training" | "test";
  /** The submit section; absent when this visitor can do nothing there (their own submissions are listed in it). */
  submit?: SubmitSection;
  finalize: boolean;
  withdraw: boolean;
  evaluate: boolean;
  cancel: boolean;
  /** Only while a donation can still reach a winner (otherwise it could only be refunded). */
  donate: boolean;
  /** Connecting a wallet would let this visitor act (or see what it is owed). */
  connect: boolean;
  /** One short line: what comes next for this visitor, and when. */
  next: string;
  /** Each action's availability and reason, for the rows shown. */
  details: CompetitionActions;
}

/** `block #N (≈ 2 h)`: the block and, when the block time is known, roughly how long until it. */
function untilBlock(block: bigint, now: bigint, secondsPerBlock: number | undefined): string {
  const left = block > now ? block - now : 0n;
  const time = secondsPerBlock !== undefined && secondsPerBlock > 0 && left > 0n ? formatDuration(Number(left) * secondsPerBlock) : "";
  return `block #${formatNumber(block)}${time ? ` (${time})` : ""}`;
}

/** Whether a donation made now can still reach a winner (docs/protocol.md §7: otherwise it is only ever refunded). */
function donationCounts(state: CompetitionState, submissions: readonly SubmissionState[] | undefined): { counts: boolean; reason: string } {
  const s = state.stage;
  if (s === "Finalized" || s === "Cancelled" || s === "SetupExpired") return { counts: false, reason: "Donations are closed: the competition is over." };
  if (testDataWithheld(state)) {
    return { counts: false, reason: "The test data was withheld: there will be no winner, so a donation now could only be refunded. Donations are not taken here any more." };
  }
  const anyRevealed = submissions ? submissions.some((x) => x.revealed) : state.submissionCount > 0;
  const noWinner =
    (s === "ModelReveal" && state.submissionCount === 0) ||
    ((s === "TestReveal" || s === "Evaluation") && !anyRevealed) ||
    (s === "AwaitingFinalization" && !state.best.exists);
  if (noWinner) {
    return { counts: false, reason: "No submission can win any more, so a donation now could only be refunded. Donations are not taken here any more." };
  }
  return { counts: true, reason: "" };
}

/**
 * What the competition page shows to this visitor in this stage (docs/protocol.md §6–§8): only what they can do now,
 * and one line for the rest. Pure; the whole stage × role table is unit-tested (test/web/actions.test.ts).
 */
export function availableActions(
  state: CompetitionState,
  viewer: Viewer,
  context: { submissions?: readonly SubmissionState[]; withdrawable?: bigint; secondsPerBlock?: number } = {},
): AvailableActions {
  const { account, rightNetwork } = viewer;
  const { submissions, withdrawable, secondsPerBlock } = context;
  const details = competitionActions({ state, account, rightNetwork, withdrawable, submissions });
  const s = state.stage;
  const d = state.deadlines;
  const at = (block: bigint) => untilBlock(block, state.blockNumber, secondsPerBlock);
  const connected = !!account;
  const isOrganizer = connected && sameAddress(account, state.organizer);
  const mine = connected ? (submissions ?? []).filter((x) => sameAddress(x.submitter, account)) : [];
  const role: ViewerRole = !connected ? "disconnected" : isOrganizer ? "organizer" : mine.length > 0 ? "submitter" : "visitor";
  const withheld = testDataWithheld(state);
  const owed = (withdrawable ?? 0n) > 0n;

  const reveal = isOrganizer && s === "TrainingReveal" ? "training" : isOrganizer && s === "TestReveal" ? "test" : undefined;

  const unrevealedMine = mine.filter((x) => !x.revealed);
  const toEvaluateMine = mine.filter((x) => x.revealed && !x.evaluated);
  let submit: SubmitSection | undefined;
  if (s === "Submission" && !isOrganizer) submit = { preview: true, commit: true, importFile: true };
  else if (mine.length > 0 && (s === "Submission" || s === "ModelReveal" || s === "TestReveal" || s === "Evaluation" || s === "AwaitingFinalization")) {
    submit = {
      preview: s === "Evaluation" && !withheld && state.usesTestData && toEvaluateMine.length > 0,
      commit: false,
      importFile: s === "ModelReveal" && unrevealedMine.length > 0,
    };
  }

  const finalize = connected && s === "AwaitingFinalization";
  const withdraw = connected && owed;
  const evaluate = connected && s === "Evaluation" && details.evaluate.candidates.length > 0;
  const cancel = connected && (s === "SetupExpired" || (isOrganizer && (s === "AwaitingSplit" || s === "TrainingReveal")));
  const donation = donationCounts(state, submissions);
  const donate = donation.counts;

  const closed = d.submissionEnd !== 0n ? `Submissions closed at block #${formatNumber(d.submissionEnd)}` : "Submissions are closed";
  const evaluationOpens = `${closed}; evaluation opens after the test reveal, by ${at(d.testRevealEnd)}.`;
  let next: string;
  switch (s) {
    case "AwaitingSplit":
      next = isOrganizer
        ? `The train/test split can be drawn after the seed ${at(d.splitSeedBlock)}, until block #${formatNumber(d.init2Deadline)}; then you reveal the training data.`
        : `Setting up: the train/test split is drawn after the seed ${at(d.splitSeedBlock)}; submissions open once the organizer has revealed the training data.`;
      break;
    case "TrainingReveal":
      next = isOrganizer
        ? `Reveal the training data by ${at(d.trainingRevealDeadline)}; submissions open as soon as it is revealed.`
        : `Submissions open once the organizer has revealed the training data, by ${at(d.trainingRevealDeadline)}; otherwise the setup lapses.`;
      break;
    case "Submission":
      next = isOrganizer
        ? `Submissions are open until ${at(d.submissionEnd)}; you reveal the test data after the model reveal, from ${at(d.modelRevealEnd)}.`
        : connected
          ? `Commit a model by ${at(d.submissionEnd)}; committed models are revealed from then until block #${formatNumber(d.modelRevealEnd)}.`
          : `Preview a model now; connect a wallet to commit it by ${at(d.submissionEnd)}.`;
      break;
    case "ModelReveal":
      next = isOrganizer
        ? `${closed}. Models are revealed until ${at(d.modelRevealEnd)}; then you reveal the test data, by block #${formatNumber(d.testRevealEnd)}.`
        : unrevealedMine.length > 0
          ? `Reveal your model by ${at(d.modelRevealEnd)}: an unrevealed model is never scored.`
          : connected
            ? evaluationOpens
            : `${evaluationOpens} Submitted a model? Connect that wallet to reveal it by block #${formatNumber(d.modelRevealEnd)}.`;
      break;
    case "TestReveal":
      next = isOrganizer
        ? `Reveal the test data by ${at(d.testRevealEnd)}: if it is not revealed in full, there is no winner, the revealed submissions share the reward and the donors are refunded.`
        : evaluationOpens;
      break;
    case "Evaluation":
      next = withheld
        ? `The test data was withheld, so there is no evaluation; from ${at(d.evaluationEnd)} anyone can finalize: the revealed submissions share the reward and the donors are refunded.`
        : details.evaluate.candidates.length === 0
          ? `${(submissions ?? []).some((x) => x.revealed) ? "Every revealed model is evaluated" : "No model was revealed, so there is nothing to evaluate"}; finalization opens at ${at(d.evaluationEnd)}.`
          : connected
            ? `Anyone can run the evaluation of a revealed model until ${at(d.evaluationEnd)}; then anyone can finalize.`
            : `Revealed models are evaluated until ${at(d.evaluationEnd)}; connect a wallet to run an evaluation.`;
      break;
    case "AwaitingFinalization": {
      const what = withheld ? "the revealed submissions share the reward and the donors are refunded" : "it opens the payout";
      next = connected ? `Evaluation is over: finalize the competition (anyone can); ${what}.` : `Evaluation is over: anyone can finalize (${what}); connect a wallet to do it.`;
      break;
    }
    case "Finalized":
    case "Cancelled": {
      const over = s === "Finalized" ? "The competition is finalized" : "The competition was cancelled; refunds are open";
      next = !connected
        ? `${over}: connect a wallet to see whether anything is owed to you.`
        : owed
          ? `${over}: withdraw what you are owed.`
          : `${over}; nothing is owed to this account.`;
      break;
    }
    case "SetupExpired":
      next = connected ? "The setup lapsed: anyone can cancel the competition to open the refunds." : "The setup lapsed: anyone can cancel it to open the refunds; connect a wallet to do it.";
      break;
  }

  const connect = !connected;
  return {
    role,
    ...(reveal ? { reveal } : {}),
    ...(submit ? { submit } : {}),
    finalize,
    withdraw,
    evaluate,
    cancel,
    donate,
    connect,
    next,
    details: { ...details, donate: donate ? details.donate : no(donation.reason) },
  };
}

/**
 * Which actions the competition page offers the connected account in the current stage, each with the reason
 * when it is not possible (docs/protocol.md §6–§8). Plain function, unit-tested; the contract stays the authority:
 * every action is simulated before the wallet is asked.
 */
import type { Address } from "viem";
import type { CompetitionState, SubmissionState } from "../chain/danku";
import { formatEth, formatNumber, sameAddress } from "./format";
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

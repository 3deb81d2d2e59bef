/**
 * Sentences for the contracts' custom errors (contracts/danku/IDankuCompetition.sol). Arguments arrive in
 * declaration order. An unknown name falls back to the raw name and arguments, so a new error is never hidden.
 * The enum label lists mirror the Solidity enums; a test checks them against the ABI.
 */
import { formatEther } from "viem";

export const STAGE_LABELS = [
  "waiting for the train/test split",
  "training-data reveal",
  "submission",
  "model reveal",
  "test-data reveal",
  "evaluation",
  "waiting for finalization",
  "finalized",
  "cancelled",
  "setup expired",
] as const;

export const CONFIG_FIELD_LABELS = [
  "the number of features",
  "the number of classes",
  "the training share",
  "the minimum accuracy",
  "the init2 window",
  "the training-reveal period",
  "the submission period",
  "the model-reveal period",
  "the test-reveal period",
  "the evaluation period",
  "the number of data groups",
  "the number of training groups",
] as const;

export const MODEL_DEFECT_LABELS = [
  "the model bytes are too short to hold a header",
  "the model format version is unknown",
  "the number of layers is outside 1..8",
  "a layer width is outside 1..1024",
  "the input width differs from the competition's feature count",
  "the output width differs from the competition's class count",
  "the network is too large for the evaluator (lane-word limit)",
  "the byte length does not match the layer widths",
  "a shift is larger than 31",
  "the output layer's shift is not 0",
  "a bias is outside ±2^30",
  "a padding weight byte is not 128",
  "the model is too large to store",
] as const;

function index(value: unknown): number {
  return typeof value === "number" ? value : typeof value === "bigint" ? Number(value) : -1;
}

function label(labels: readonly string[], value: unknown): string {
  return labels[index(value)] ?? String(value);
}

function show(value: unknown): string {
  return typeof value === "bigint" ? value.toString() : String(value);
}

type Describer = (args: readonly unknown[]) => string;

const DESCRIPTIONS: Record<string, Describer> = {
  WrongStage: ([current, required]) =>
    `This is only possible during the ${label(STAGE_LABELS, required)} stage; the competition is in the ${label(STAGE_LABELS, current)} stage.`,
  ConfigOutOfRange: ([field, value, min, max]) =>
    `${label(CONFIG_FIELD_LABELS, field)} is ${show(value)}, but it must be between ${show(min)} and ${show(max)}.`,
  ZeroReward: () => "A competition needs a reward greater than zero.",
  NotFactory: () => "Competitions can only be initialized by their factory.",
  NotOrganizer: ([caller, organizer]) => `Only the organizer ${show(organizer)} can do that; you are ${show(caller)}.`,
  SplitTooEarly: ([current, first]) =>
    `The train/test split can be drawn from block ${show(first)} on; the chain is at block ${show(current)}. Wait for the next block.`,
  BadRevealArrays: ([groups, points, nonces]) =>
    `A reveal needs as many point arrays and nonces as group indices (got ${show(groups)}, ${show(points)} and ${show(nonces)}).`,
  GroupOutOfRange: ([group, count]) => `Data group ${show(group)} does not exist; the competition has ${show(count)} groups.`,
  WrongGroupKind: ([group, isTraining]) =>
    `Data group ${show(group)} is a ${isTraining === true ? "training" : "test"} group and cannot be revealed in this step.`,
  GroupAlreadyRevealed: ([group]) => `Data group ${show(group)} is already revealed.`,
  BadGroupLength: ([group, length, size]) =>
    `Data group ${show(group)} has ${show(length)} bytes, which is not a whole number of ${show(size)}-byte points.`,
  LabelOutOfRange: ([group, point, value, classes]) =>
    `Point ${show(point)} of data group ${show(group)} has label ${show(value)}, but the competition has only ${show(classes)} classes.`,
  GroupHashMismatch: ([group]) =>
    `Data group ${show(group)} does not match its committed hash: the data or the nonce differ from what was committed.`,
  UnknownSubmission: ([id, count]) => `There is no submission ${show(id)}; the competition has ${show(count)}.`,
  NotSubmitter: ([caller, submitter]) => `Only the committer ${show(submitter)} can reveal this model; you are ${show(caller)}.`,
  AlreadyRevealed: ([id]) => `Submission ${show(id)} is already revealed.`,
  CommitmentMismatch: ([id]) =>
    `The model and salt do not match the commitment of submission ${show(id)}; reveal exactly the file saved at commit time.`,
  InvalidModel: ([reason, at]) => `The contract rejected the model: ${label(MODEL_DEFECT_LABELS, reason)} (at ${show(at)}).`,
  NotRevealed: ([id]) => `Submission ${show(id)} was never revealed, so it cannot be evaluated.`,
  AlreadyEvaluated: ([id]) => `Submission ${show(id)} is already fully evaluated.`,
  ZeroMaxPoints: () => "An evaluation step must cover at least one point.",
  DonationsClosed: ([stage]) => `Donations are closed: the competition is ${label(STAGE_LABELS, stage)}.`,
  ZeroDonation: () => "A donation must be more than 0 ETH.",
  CancelNotAllowed: ([stage]) =>
    `The competition cannot be cancelled in the ${label(STAGE_LABELS, stage)} stage: only before the training data is revealed, or once setup expired.`,
  NothingToWithdraw: ([account]) => `${show(account)} has nothing to withdraw from this competition.`,
  ZeroRecipient: () => "Choose a recipient address other than the zero address.",
  InsufficientBalance: ([balance, needed]) =>
    `The contract holds ${typeof balance === "bigint" ? formatEther(balance) : show(balance)} ETH but needs ${typeof needed === "bigint" ? formatEther(needed) : show(needed)} ETH.`,
  ReentrancyGuardReentrantCall: () => "Re-entering the contract during a payout is not allowed.",
};

export function describeContractError(name: string, args: readonly unknown[]): string {
  const describe = DESCRIPTIONS[name];
  if (describe) return describe(args);
  const rendered = args.map(show).join(", ");
  return `The contract rejected the call with ${name}${rendered ? `(${rendered})` : ""}.`;
}

/** Error names this module has sentences for; a test checks every contract error is covered. */
export const DESCRIBED_ERRORS: readonly string[] = Object.keys(DESCRIPTIONS);

/**
 * Sentences for the contracts' custom errors (contracts/danku/IDankuCompetition.sol, contracts/daimon/IDaimonProblem.sol). Arguments arrive in
 * declaration order. An unknown name falls back to the raw name and arguments, so a new error is never hidden.
 * The enum label lists mirror the Solidity enums; a test checks them against the ABI.
 */
import { formatEther } from "viem";
import { CNN_MODEL_DEFECTS } from "../danku/cnn/encoding";

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
  "the split delay",
  "the training-reveal period",
  "the submission period",
  "the model-reveal period",
  "the test-reveal period",
  "the evaluation period",
  "the number of data groups",
  "the number of training groups",
  "the number of points of all groups",
  "the challenge window",
  "the bond gas price",
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

/** Mirrors `enum Phase` in contracts/daimon/IDaimonProblem.sol. */
export const PHASE_LABELS = ["definition", "competition", "dead"] as const;

/** A WAD (1e18 = 1) distance as a decimal. */
function wad(value: unknown): string {
  return typeof value === "bigint" ? (Number(value) / 1e18).toFixed(6) : String(value);
}

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
  // Convolutional models (docs/cnn.md §3): the defect names of CnnModelDefect, in code order (CNN_MODEL_DEFECTS).
  InvalidCnnModel: ([reason, at]) => `The contract rejected the convolutional model: defect ${label(CNN_MODEL_DEFECTS, reason)} (at ${show(at)}; docs/cnn.md §3).`,
  CnnNeedsClaimMode: ([id]) =>
    `Submission ${show(id)} is a convolutional model, which only claim-mode competitions accept (a full on-chain evaluation of a CNN does not fit the evaluation transactions); this competition evaluates on chain.`,
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
  // Claim mode (docs/protocol.md §11).
  NotClaimMode: () => "This competition evaluates models on chain and has no claims: use evaluate instead.",
  ClaimModeCompetition: () => "This competition scores by claims, not by on-chain evaluation: claim the score with claimScore.",
  WrongBond: ([sent, required]) =>
    `This transaction must send exactly its bond of ${typeof required === "bigint" ? formatEther(required) : show(required)} ETH (a DanKu claim's, or a DaiMoN proof's, vote's or availability dispute's); it sent ${typeof sent === "bigint" ? formatEther(sent) : show(sent)} ETH.`,
  BadPredictionsLength: ([length, points]) =>
    `A claim needs one prediction byte per test point (${show(points)}); these predictions have ${show(length)} bytes.`,
  PredictionOutOfRange: ([point, prediction, classes]) =>
    `The prediction for test point ${show(point)} is ${show(prediction)}, but the competition has only ${show(classes)} classes.`,
  UnknownClaim: ([id, count]) => `There is no claim ${show(id)}; the competition has ${show(count)}.`,
  ClaimIsVoid: ([id]) => `Claim ${show(id)} was already disproven; it can be neither disputed nor settled.`,
  ClaimAlreadySettled: ([id]) => `Claim ${show(id)} is already settled.`,
  ChallengeWindowClosed: ([id, closedAt]) =>
    `The challenge window of claim ${show(id)} closed at block ${show(closedAt)}: it can no longer be disputed, only settled.`,
  ChallengeWindowOpen: ([id, closesAt]) =>
    `Claim ${show(id)} can still be disputed until block ${show(closesAt)}; settle it from that block on.`,
  PredictionsMismatch: ([id]) =>
    `These predictions are not claim ${show(id)}'s: pass exactly the predictions from its claimScore transaction.`,
  UnknownTestRoot: ([root, count]) => `There is no test reveal ${show(root)}; the competition has ${show(count)}.`,
  PointOutOfRoot: ([root, at, count]) =>
    `Test reveal ${show(root)} holds ${show(count)} points; point ${show(at)} is not one of them (padding or beyond).`,
  BadPointLength: ([length, size]) => `A disputed point must be ${show(size)} bytes (features and label); this one has ${show(length)}.`,
  BadProofLength: ([length, depth]) => `The proof has ${show(length)} nodes, but this test reveal's tree has ${show(depth)} levels.`,
  PointNotInRoot: ([root, at]) =>
    `The point and proof do not match test reveal ${show(root)} at position ${show(at)}: it is not the revealed test point there.`,
  ModelMismatch: ([id]) =>
    `These model bytes are not submission ${show(id)}'s revealed model: pass exactly the model from its revealModel transaction.`,
  ClaimedPredictionCorrect: ([id, point, prediction]) =>
    `The dispute fails: the model does predict ${show(prediction)} at test point ${show(point)}, as claim ${show(id)} says.`,
  FinalizeTooEarly: ([current, first]) =>
    `A claim-mode competition can be finalized from block ${show(first)} on (evaluation end plus two challenge windows); the chain is at block ${show(current)}.`,
  InvalidInitialization: () => "The competition is already initialized.",
  ReentrancyGuardReentrantCall: () => "Re-entering the contract during a payout is not allowed.",

  // DaiMoN problems (contracts/daimon/IDaimonProblem.sol; NotFactory and ConfigOutOfRange share DanKu's names).
  WrongPhase: ([current, required]) =>
    `This is only possible in the ${label(PHASE_LABELS, required)} phase; the problem is in the ${label(PHASE_LABELS, current)} phase.`,
  NotCreator: ([caller, creator]) => `Only the problem's creator ${show(creator)} can add tuples to it; you are ${show(caller)}.`,
  TooManyTuples: ([max]) => `The problem already has the maximum of ${show(max)} tuples.`,
  UnknownTuple: ([index, count]) => `There is no tuple ${show(index)}; the problem has ${show(count)}.`,
  CidLength: ([length, max]) => `A CID must be 1 to ${show(max)} bytes long; this one has ${show(length)}.`,
  VectorLength: ([tuple, length, expected]) => `The vector for tuple ${show(tuple)} has ${show(length)} bytes; the problem needs ${show(expected)}.`,
  ZeroVector: ([tuple]) => `The vector for tuple ${show(tuple)} is all zeros, which has no direction.`,
  ProblemBlockAlreadyCommitted: () => "The Problem block (#0) is already committed.",
  AlreadyRegistered: () => "This registration is already on chain.",
  NotRegistered: () =>
    "Your account has not registered this model with exactly these outputs: register the CID and outputs together first, then submit the proof once the registration is old enough.",
  RegistrationTooRecent: ([, registeredBlock, usableFrom]) =>
    `The registration was mined in block ${show(registeredBlock)}; its proof is accepted from block ${show(usableFrom)} on. Wait for that block and submit again.`,
  CidTaken: ([, owner]) => `Another account (${show(owner)}), registered before yours, already submitted a proof for this model's CID.`,
  CopiedOutputs: ([, proofId, improver]) =>
    `These outputs are proof ${show(proofId)}'s, registered earlier by ${show(improver)}: a copy of a model earns nothing. Submit a model whose predictions differ.`,
  Superseded: ([id, by]) =>
    `Proof ${show(id)} is a copy: proof ${show(by)}, registered earlier, owns its outputs or CID. It takes no votes and is never committed; vote for proof ${show(by)} if it verifies.`,
  ProofLength: ([length, expected]) => `The proof's outputs are ${show(length)} bytes; the problem's tuples need ${show(expected)}.`,
  NoImprovement: ([distance, best, margin]) =>
    `The proof's distance ${wad(distance)} does not beat the best distance ${wad(best)} by the margin ${wad(margin)}: no improvement.`,
  UnknownProof: ([id, count]) => `There is no proof ${show(id)}; the problem has ${show(count)}.`,
  ProofHashMismatch: ([id]) => `The vote names another proof hash than proof ${show(id)}'s: vote for exactly the proof you verified.`,
  VotingClosed: ([id, proofRound, currentRound]) =>
    `Voting on proof ${show(id)} closed with round ${show(proofRound)}; the problem is in round ${show(currentRound)}.`,
  SelfVote: ([id]) => `You submitted proof ${show(id)}; improvers cannot vote for their own proofs.`,
  AlreadyVoted: ([id, , position]) => `You already voted for proof ${show(id)} (validator #${show(position)}).`,
  TooManyVotes: ([id, max]) => `Proof ${show(id)} already has the most votes a proof can take (${show(max)}).`,
  VoteBondNotWithdrawable: ([id]) =>
    `Your vote bond on proof ${show(id)} cannot be withdrawn: no vote, already withdrawn, its round is not over, the proof lost a dispute (the bond went to the challenger) or its model is still owed.`,
  NothingToCommit: () => "No round has proofs waiting to be committed.",
  RoundNotOver: ([round, endBlock]) => `Round ${show(round)} is still open; it can be committed from block ${show(endBlock)} on.`,
  UnknownBlock: ([blockNumber, length]) => `There is no Improvement block ${show(blockNumber)}; the chain has ${show(length)} blocks.`,
  NoVote: ([blockNumber]) => `You did not vote for the proof of block ${show(blockNumber)}, so there is no validator reward for you.`,
  AlreadyClaimed: ([blockNumber]) => `You already claimed your validator reward for block ${show(blockNumber)}.`,
  NothingToClaim: ([blockNumber]) => `Your validator reward for block ${show(blockNumber)} rounds down to 0 tokens.`,
  NotProblem: ([caller, problem]) => `Only the problem ${show(problem)} can mint its tokens; the caller is ${show(caller)}.`,
  ProblemIndexOutOfRange: ([index, count]) => `There is no problem ${show(index)}; the factory created ${show(count)}.`,
};

export function describeContractError(name: string, args: readonly unknown[]): string {
  const describe = DESCRIPTIONS[name];
  if (describe) return describe(args);
  const rendered = args.map(show).join(", ");
  return `The contract rejected the call with ${name}${rendered ? `(${rendered})` : ""}.`;
}

/** Error names this module has sentences for; a test checks every contract error is covered. */
export const DESCRIBED_ERRORS: readonly string[] = Object.keys(DESCRIPTIONS);

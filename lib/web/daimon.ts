/**
 * DaiMoN problems for people: phase and round windows with their countdowns, what each role may do at the next
 * block (each with the reason when it may not), the chain of blocks as chart points, token holders from transfers
 * and validators' claimable rewards (docs/daimon.md §4, §5, §7). Plain functions, unit-tested in test/web; the
 * contract stays the authority: every transaction is simulated before the wallet is asked.
 */
import { zeroAddress, type Address } from "viem";
import type { ChainBlock, ChainImprovementBlock, ChainProof, ChainVote, PendingRoundState, PhaseName, VoteBondWithdrawal } from "../chain/daimon";
import type { TokenTransfer, ValidatorClaim } from "../chain/daimonReads";
import { DAIMON_LIMITS, WAD, disputeSchedule, fromWad, isImprovement, registrationUsableFrom, validatorShare } from "../daimon/fixedPoint";
import { formatBlocks, formatEth, formatFixedRounded, formatNumber, sameAddress, shortAddress } from "./format";
import type { ActionAvailability } from "./actions";
import type { StageTone } from "./stages";

export const PHASE_TITLES: Record<PhaseName, string> = {
  Definition: "Definition period",
  Competition: "Competition",
  Dead: "Dead: no test tuple",
};

export const PHASE_TONES: Record<PhaseName, StageTone> = { Definition: "setup", Competition: "open", Dead: "closed" };

export const PHASE_DESCRIPTIONS: Record<PhaseName, string> = {
  Definition: "contributors add test tuples; improvers may already register models",
  Competition: "improvers submit proofs, validators verify and vote, every round can become an Improvement block",
  Dead: "the definition period ended without a tuple, so no proof can ever be checked",
};

export const UNTITLED_PROBLEM = "Untitled problem";

/** What the schedule of a problem depends on (a ProblemState or a marketplace summary both fit). */
export interface ScheduleInput {
  definitionEnd: bigint;
  createdBlock: bigint;
  tupleCount: number;
  config: { competitionPeriod: number };
}

/** The phase at `block` (docs/daimon.md §5); tuples can only be added before definitionEnd, so the count is final after it. */
export function phaseAt(block: bigint, p: ScheduleInput): PhaseName {
  if (block < p.definitionEnd) return "Definition";
  return p.tupleCount > 0 ? "Competition" : "Dead";
}

/** The round of `block`, undefined during the definition period. */
export function roundAt(block: bigint, p: Pick<ScheduleInput, "definitionEnd" | "config">): bigint | undefined {
  if (block < p.definitionEnd) return undefined;
  return (block - p.definitionEnd) / BigInt(p.config.competitionPeriod);
}

/** Blocks [start, end) of round `round`. */
export function roundWindow(round: bigint, p: Pick<ScheduleInput, "definitionEnd" | "config">): { start: bigint; end: bigint } {
  const period = BigInt(p.config.competitionPeriod);
  const start = p.definitionEnd + round * period;
  return { start, end: start + period };
}

export interface ProblemSchedule {
  /** The phase at the latest block. */
  phase: PhaseName;
  /** The round of the latest block (Competition only). */
  round?: bigint;
  /** The window of the current phase (Definition) or round (Competition); `end` is the first block outside it. */
  window?: { start: bigint; end: bigint };
  /** Blocks still to come in the window after the latest block (0: it ends with the next block). */
  blocksLeft?: bigint;
  /** The round a transaction sent now lands in (the next block's). */
  nextRound?: bigint;
}

/** Where a problem stands at `blockNumber` (the latest block): phase, round, window and countdown. */
export function problemSchedule(p: ScheduleInput, blockNumber: bigint): ProblemSchedule {
  const phase = phaseAt(blockNumber, p);
  const nextRound = phaseAt(blockNumber + 1n, p) === "Competition" ? roundAt(blockNumber + 1n, p) : undefined;
  const left = (end: bigint) => (end - blockNumber - 1n > 0n ? end - blockNumber - 1n : 0n);
  if (phase === "Definition") {
    const window = { start: p.createdBlock, end: p.definitionEnd };
    return { phase, window, blocksLeft: left(window.end), nextRound };
  }
  if (phase === "Dead") return { phase };
  const round = roundAt(blockNumber, p) as bigint;
  const window = roundWindow(round, p);
  return { phase, round, window, blocksLeft: left(window.end), nextRound };
}

/** Improvement blocks in a chain of `chainLength` blocks (block 0 is the Problem block). */
export function improvementBlockCount(chainLength: number): number {
  return Math.max(0, chainLength - 1);
}

/** A WAD distance as a decimal ("0.1235"). */
export function formatDistance(distance: bigint, digits = 4): string {
  return fromWad(distance).toFixed(digits);
}

/** The DEL distance is the proxy of the model's error on the hidden test labels, so 1 − d estimates its accuracy. */
export function estimatedAccuracy(distance: bigint): number {
  return Math.min(1, Math.max(0, 1 - fromWad(distance)));
}

export function formatAccuracy(distance: bigint, digits = 1): string {
  return `${(estimatedAccuracy(distance) * 100).toFixed(digits)} %`;
}

/**
 * Token base units (18 decimals) → "1,234.5678 SYM": at most `decimals` decimals, rounded half up in bigint (the same
 * helper as formatEth), so 1.99999 tokens read "2", not "1.9999".
 */
export function formatTokenAmount(amount: bigint, symbol?: string, decimals = 4): string {
  return formatFixedRounded(amount, 18, { decimals, suffix: symbol });
}

// ------------------------------------------------------------------ the pending round

export interface PendingRoundStatus {
  /** A round with proofs that is not settled. */
  open: boolean;
  round?: bigint;
  /** The round is over for a transaction sent now (it lands in a later round). */
  over: boolean;
  /** First block after the pending round. */
  endBlock?: bigint;
  leader?: ChainProof;
  leaderVotes: number;
  /** The leader has at least minVotes votes: settling the round appends a block. */
  enoughVotes: boolean;
}

export interface ProblemLike extends ScheduleInput {
  phase: PhaseName;
  bestDistance: bigint;
  pendingRound: PendingRoundState;
  config: ScheduleInput["config"] & { minVotes: number; margin: bigint };
  blockNumber: bigint;
}

export function pendingRoundStatus(state: ProblemLike, proofs: readonly ChainProof[]): PendingRoundStatus {
  const pending = state.pendingRound;
  if (!pending.open) return { open: false, over: false, leaderVotes: 0, enoughVotes: false };
  const next = roundAt(state.blockNumber + 1n, state);
  const leader = pending.leaderVotes > 0 ? proofs.find((p) => p.proofId === pending.leader) : undefined;
  return {
    open: true,
    round: pending.round,
    over: next !== undefined && next > pending.round,
    endBlock: roundWindow(pending.round, state).end,
    leader,
    leaderVotes: pending.leaderVotes,
    enoughVotes: pending.leaderVotes > 0 && pending.leaderVotes >= state.config.minVotes,
  };
}

/**
 * d_c for a proof sent now: the committed best distance, or the pending leader's if its round is over with enough
 * votes, because every action first settles that round (docs/daimon.md §5).
 */
export function effectiveBestDistance(state: ProblemLike, proofs: readonly ChainProof[]): bigint {
  const status = pendingRoundStatus(state, proofs);
  // A superseded leader (a copy, §7) and a voided one (it lost a dispute, §14.3) are never committed.
  if (
    status.open &&
    status.over &&
    status.enoughVotes &&
    status.leader &&
    status.leader.supersededBy === undefined &&
    status.leader.voided === undefined &&
    isImprovement(status.leader.distance, state.bestDistance, state.config.margin)
  ) {
    return status.leader.distance;
  }
  return state.bestDistance;
}

export interface ProofWithVotes extends ChainProof {
  votes: ChainVote[];
  leading: boolean;
}

/** The proofs of the pending round with their votes, the leader first then by id. */
export function pendingProofs(state: ProblemLike, proofs: readonly ChainProof[], votes: readonly ChainVote[]): ProofWithVotes[] {
  const pending = state.pendingRound;
  if (!pending.open) return [];
  return proofs
    .filter((p) => p.round === pending.round)
    .map((p) => ({ ...p, votes: votes.filter((v) => v.proofId === p.proofId), leading: pending.leaderVotes > 0 && p.proofId === pending.leader }))
    .sort((a, b) => (a.leading !== b.leading ? (a.leading ? -1 : 1) : a.proofId < b.proofId ? -1 : 1));
}

// ------------------------------------------------------------------ what each role can do

const no = (reason: string): ActionAvailability => ({ allowed: false, reason });
const yes = (reason: string): ActionAvailability => ({ allowed: true, reason });

export interface WalletContext {
  account?: Address;
  /** False when the wallet is on another chain. */
  rightNetwork: boolean;
}

function walletProblem(w: WalletContext): string | undefined {
  return !w.account ? "Connect a wallet first." : !w.rightNetwork ? "Switch your wallet to the marketplace's network first." : undefined;
}

function gate(availability: ActionAvailability, w: WalletContext): ActionAvailability {
  const problem = walletProblem(w);
  return availability.allowed && problem ? no(problem) : availability;
}

/** What the improver knows about the model he proved. */
export interface ProvedModel {
  cid: string;
  distance: bigint;
}

export interface ImproverInput extends WalletContext {
  state: ProblemLike;
  proofs: readonly ChainProof[];
  proved?: ProvedModel;
  /** Block of the account's registration of the proved CID and outputs; 0n when not registered; undefined while unknown. */
  registeredAt?: bigint;
  /** Owner of the proved CID (the account with the oldest registration among its proofs), zero address when none. */
  cidOwner?: Address;
  /** Block of the owner's registration of the CID (`cidClaim`): an older registration of ours takes the CID back. */
  cidOwnerRegisteredAt?: bigint;
}

export interface ImproverActions {
  register: ActionAvailability;
  submit: ActionAvailability;
  /** The proved model would be accepted against d_c − δ (undefined before a proof). */
  beats?: boolean;
  /** d_c for a proof sent now. */
  bestDistance: bigint;
  /** The registration's age (docs/daimon.md §7): when it was mined, the first block its proof may land in, and how many blocks remain. */
  registration?: { registeredAt: bigint; usableFrom: bigint; blocksLeft: bigint; age: bigint };
}

/** Whether block `block` lies in its round's dispute window, where no proof is accepted (docs/daimon.md §14.3). */
export function inDisputeWindow(block: bigint, state: Pick<ProblemLike, "definitionEnd" | "config">): boolean {
  const round = roundAt(block, state);
  if (round === undefined) return false;
  return block >= disputeSchedule(state.definitionEnd, BigInt(state.config.competitionPeriod), round).submissionsClose;
}

/**
 * Register (hide the CID and the outputs, REGISTRATION_AGE blocks before the proof) and submit the proof
 * (docs/daimon.md §7, "Model improvers").
 */
export function improverActions(input: ImproverInput): ImproverActions {
  const { state, proved } = input;
  const next = state.blockNumber + 1n;
  const nextPhase = phaseAt(next, state);
  const best = effectiveBestDistance(state, input.proofs);
  const beats = proved ? isImprovement(proved.distance, best, state.config.margin) : undefined;
  const ownedByOther = !!input.cidOwner && input.cidOwner !== zeroAddress && !sameAddress(input.cidOwner, input.account);
  const threshold = `d_c − δ = ${formatDistance(best, 6)} − ${formatDistance(state.config.margin, 6)}`;
  const registeredAt = input.registeredAt;
  const registration =
    registeredAt !== undefined && registeredAt > 0n
      ? (() => {
          const usableFrom = registrationUsableFrom(registeredAt);
          return { registeredAt, usableFrom, blocksLeft: usableFrom > next ? usableFrom - next : 0n, age: DAIMON_LIMITS.REGISTRATION_AGE };
        })()
      : undefined;

  let register: ActionAvailability;
  if (nextPhase === "Dead") register = no("The problem is dead: its definition period ended without a tuple.");
  else if (!proved) register = no("Load a model and run PROVE first: the registration hides the model's CID.");
  else if (input.registeredAt === undefined) register = no("Checking whether this model is already registered…");
  else if (registration) register = no(`Registered in block #${formatNumber(registration.registeredAt)}, usable from block #${formatNumber(registration.usableFrom)}.`);
  else if (ownedByOther) register = no(`Another account (${shortAddress(input.cidOwner as string)}) already submitted a proof for this model's CID.`);
  else if (!beats) register = no(`d = ${formatDistance(proved.distance, 6)} does not beat ${threshold}: the proof would be refused.`);
  else register = yes(`Registers keccak256(problem, you, CID, keccak256(outputs)); both stay hidden. The proof is accepted ${formatNumber(DAIMON_LIMITS.REGISTRATION_AGE)} blocks after it is mined.`);

  let submit: ActionAvailability;
  if (nextPhase !== "Competition") {
    submit =
      nextPhase === "Dead"
        ? no("The problem is dead: no proof can be checked.")
        : no(`Proofs open with the competition at block #${formatNumber(state.definitionEnd)}; register now, submit then.`);
  } else if (!proved) submit = no("Load a model and run PROVE first.");
  else if (input.registeredAt === undefined) submit = no("Checking the registration…");
  else if (!registration) submit = no(`Register the model first; its proof is accepted ${formatNumber(DAIMON_LIMITS.REGISTRATION_AGE)} blocks after the registration.`);
  else if (inDisputeWindow(next, state)) {
    const window = disputeSchedule(state.definitionEnd, BigInt(state.config.competitionPeriod), roundAt(next, state) ?? 0n);
    submit = no(
      `Round ${formatNumber(roundAt(next, state) ?? 0n)}'s last ${formatNumber(window.end - window.submissionsClose)} blocks are its dispute window: proofs are accepted again from block #${formatNumber(window.end)}, in the next round.`,
    );
  } else if (registration.blocksLeft > 0n) {
    submit = no(
      `Registered in block #${formatNumber(registration.registeredAt)}, usable from block #${formatNumber(registration.usableFrom)}: ${formatBlocks(registration.blocksLeft)} to go. Sending earlier would fail and publish the outputs.`,
    );
  }
  // The contract gives the CID to the oldest registration (§7): a copier's younger claim does not stop the author.
  else if (ownedByOther && (input.cidOwnerRegisteredAt === undefined || input.cidOwnerRegisteredAt < registration.registeredAt)) {
    submit = no(`Another account (${shortAddress(input.cidOwner as string)}) owns this CID: it registered it before you did.`);
  } else if (!beats) submit = no(`d = ${formatDistance(proved.distance, 6)} does not beat ${threshold}.`);
  else if (ownedByOther && input.cidOwnerRegisteredAt !== undefined && input.cidOwnerRegisteredAt > registration.registeredAt) {
    submit = yes(
      `Another account (${shortAddress(input.cidOwner as string)}) submitted this CID with a registration from block #${formatNumber(input.cidOwnerRegisteredAt)}; yours is older, so your proof takes the CID back and supersedes theirs. d = ${formatDistance(proved.distance, 6)} beats ${threshold}.`,
    );
  } else submit = yes(`d = ${formatDistance(proved.distance, 6)} beats ${threshold}; validators can vote for it in round ${formatNumber(roundAt(next, state) ?? 0n)}.`);

  return { register: gate(register, input), submit: gate(submit, input), beats, bestDistance: best, ...(registration ? { registration } : {}) };
}

export interface VoteInput extends WalletContext {
  state: ProblemLike;
  proof: ChainProof;
  votes: readonly ChainVote[];
  /** The account's VERIFY of this proof: undefined before it ran. */
  verified?: boolean;
}

/** A validator's vote for one proof (docs/daimon.md §7, "Validators"). */
export function voteAvailability(input: VoteInput): ActionAvailability & { position?: bigint } {
  const { state, proof } = input;
  const next = state.blockNumber + 1n;
  const mine = input.votes.find((v) => v.proofId === proof.proofId && sameAddress(v.validator, input.account));
  if (mine) return { ...no(`You voted for this proof (validator #${formatNumber(mine.position)}).`), position: mine.position };
  if (phaseAt(next, state) !== "Competition" || roundAt(next, state) !== proof.round) {
    return no(`Voting closed with round ${formatNumber(proof.round)}: votes count only in the proof's round.`);
  }
  if (sameAddress(proof.improver, input.account)) return no("You submitted this proof; improvers cannot vote for their own proofs.");
  if (proof.supersededBy !== undefined) {
    return no(`A copy: proof #${formatNumber(proof.supersededBy)}, registered earlier, owns its outputs or CID. It takes no votes and is never committed.`);
  }
  if (proof.voided) {
    return no(
      proof.voided.reason === "wrong-label"
        ? `Voided: a dispute showed that its model does not predict its claimed label of test point ${formatNumber(proof.voided.index)}. It takes no votes and is never committed.`
        : "Voided: its model was not posted after an availability dispute. It takes no votes and is never committed.",
    );
  }
  if (input.verified === undefined) return gate(no("Verify the proof first: the vote attests that you checked the model."), input);
  if (!input.verified) return gate(no("The proof did not verify, so you should not vote for it."), input);
  return gate(
    yes(
      `Verified in this browser: the vote names this proof's hash and locks a bond of ${formatEth(DAIMON_LIMITS.VOTE_BOND)}, lost to the challenger if the proof loses a dispute, withdrawable after the round otherwise.`,
    ),
    input,
  );
}

export interface VoteBondRow {
  proofId: bigint;
  round: bigint;
  amount: bigint;
  withdrawn: boolean;
  availability: ActionAvailability;
}

/**
 * The account's vote bonds (docs/daimon.md §14.4), one row per proof it voted for: withdrawable once the proof's round
 * is over unless the proof was voided (the bond went to the challenger). A proof whose model is still owed after an
 * availability dispute is not known from events; its withdrawal reverts `VoteBondNotWithdrawable`.
 */
export function voteBondRows(
  input: WalletContext & { proofs: readonly ChainProof[]; votes: readonly ChainVote[]; withdrawals: readonly VoteBondWithdrawal[]; state: ProblemLike },
): VoteBondRow[] {
  if (!input.account) return [];
  const { state } = input;
  const next = state.blockNumber + 1n;
  const current = phaseAt(next, state) === "Competition" ? roundAt(next, state) : undefined;
  const rows: VoteBondRow[] = [];
  for (const vote of input.votes) {
    if (!sameAddress(vote.validator, input.account)) continue;
    const proof = input.proofs.find((p) => p.proofId === vote.proofId);
    const round = proof?.round ?? vote.round;
    const withdrawn = input.withdrawals.some((w) => w.proofId === vote.proofId && sameAddress(w.validator, input.account));
    const amount = DAIMON_LIMITS.VOTE_BOND;
    const availability = withdrawn
      ? no("Withdrawn.")
      : proof?.voided
        ? no(`Slashed: proof #${formatNumber(vote.proofId)} lost a dispute, so its votes' bonds went to the challenger.`)
        : current === undefined || current <= round
          ? no(`Locked until round ${formatNumber(round)} is over: until then a dispute can still void the proof.`)
          : gate(yes(`Proof #${formatNumber(vote.proofId)} survived round ${formatNumber(round)}: withdraw your ${formatEth(amount)}.`), input);
    rows.push({ proofId: vote.proofId, round, amount, withdrawn, availability });
  }
  return rows;
}

export interface CommitActions {
  problemBlock: ActionAvailability;
  improvementBlock: ActionAvailability & { blockNumber?: number };
  status: PendingRoundStatus;
}

/** The block committer (anyone): the Problem block once T_p is over, an Improvement block once a round ended. */
export function commitActions(input: WalletContext & { state: ProblemLike & { problemBlockCommitted: boolean; chainLength: number }; proofs: readonly ChainProof[] }): CommitActions {
  const { state } = input;
  const next = state.blockNumber + 1n;
  const nextPhase = phaseAt(next, state);
  const status = pendingRoundStatus(state, input.proofs);

  let problemBlock: ActionAvailability;
  if (state.problemBlockCommitted) problemBlock = no("Block #0 is committed.");
  else if (nextPhase === "Dead") problemBlock = no("The definition period ended without a tuple: there is no Problem block.");
  else if (nextPhase === "Definition") problemBlock = no(`Block #0 can be committed from block #${formatNumber(state.definitionEnd)}, when the definition period ends.`);
  else problemBlock = yes("The definition period is over: commit the definition and its tuples as block #0 (the first competition action does it otherwise).");

  let improvementBlock: ActionAvailability & { blockNumber?: number };
  const number = Math.max(1, state.chainLength);
  if (nextPhase !== "Competition") improvementBlock = no(nextPhase === "Dead" ? "The problem is dead." : "Rounds start when the definition period ends.");
  else if (!status.open) improvementBlock = no("No round has proofs waiting to be committed.");
  else if (!status.over) {
    improvementBlock = no(
      `Round ${formatNumber(status.round ?? 0n)} is still open: it can be committed from block #${formatNumber(status.endBlock ?? 0n)} on.`,
    );
  } else if (!status.enoughVotes) {
    improvementBlock = no(
      `Round ${formatNumber(status.round ?? 0n)} ended with ${status.leaderVotes} vote${status.leaderVotes === 1 ? "" : "s"} for its leader; ` +
        `a block needs ${state.config.minVotes}. The next action on the problem closes the round without a block.`,
    );
  } else if (status.leader?.voided !== undefined) {
    improvementBlock = no(
      `Round ${formatNumber(status.round ?? 0n)} ended with proof #${formatNumber(status.leader.proofId)} leading, voided by a dispute: ` +
        "it is never committed, so the next action on the problem closes the round without a block.",
    );
  } else if (status.leader?.supersededBy !== undefined) {
    improvementBlock = no(
      `Round ${formatNumber(status.round ?? 0n)} ended with proof #${formatNumber(status.leader.proofId)} leading, a copy superseded by proof #${formatNumber(status.leader.supersededBy)}: ` +
        "it is never committed, so the next action on the problem closes the round without a block.",
    );
  } else {
    improvementBlock = {
      ...yes(
        `Round ${formatNumber(status.round ?? 0n)} is over: proof #${formatNumber(status.leader?.proofId ?? 0n)} leads with ${status.leaderVotes} vote${status.leaderVotes === 1 ? "" : "s"}` +
          (status.leader ? ` (d = ${formatDistance(status.leader.distance)})` : "") +
          ` and becomes block #${number}.`,
      ),
      blockNumber: number,
    };
  }
  return { problemBlock: gate(problemBlock, input), improvementBlock: gate(improvementBlock, input), status };
}

export interface ValidatorRewardRow {
  blockNumber: bigint;
  proofId: bigint;
  position: bigint;
  amount: bigint;
  claimed: boolean;
  availability: ActionAvailability;
}

/** The account's validator rewards: one row per Improvement block whose proof it voted for. */
export function validatorRewards(
  input: WalletContext & { blocks: readonly ChainBlock[]; votes: readonly ChainVote[]; claims: readonly ValidatorClaim[]; state: Pick<ProblemLike, "phase"> },
): ValidatorRewardRow[] {
  if (!input.account) return [];
  const rows: ValidatorRewardRow[] = [];
  for (const block of input.blocks) {
    if (block.kind !== "improvement") continue;
    const vote = input.votes.find((v) => v.proofId === block.proofId && sameAddress(v.validator, input.account));
    if (!vote) continue;
    const amount = validatorShare(block.improverReward, block.voteCount);
    const claimed = input.claims.some((c) => c.blockNumber === block.blockNumber && sameAddress(c.validator, input.account));
    const share = `⌊⌊reward / 4⌋ / ${formatNumber(block.voteCount)} votes⌋`;
    const availability = claimed
      ? no("Claimed.")
      : amount === 0n
        ? no(`Nothing to claim: ${share} is 0.`)
        : gate(yes(`One of ${formatNumber(block.voteCount)} validators of block #${block.blockNumber}, each paid the same: ${share}.`), input);
    rows.push({ blockNumber: block.blockNumber, proofId: block.proofId, position: vote.position, amount, claimed, availability });
  }
  return rows;
}

// ------------------------------------------------------------------ chart, holders

export interface DistancePoint {
  /** Block number in the problem's chain (0 = the Problem block). */
  block: number;
  /** d of the block (WAD → double); the Problem block carries the initial d_c = 1. */
  distance: number;
  /** 1 − d: the estimated accuracy on the hidden test labels. */
  accuracy: number;
  improver?: Address;
  reward?: bigint;
}

/** The chain as points for the distance chart: block 0 at d = 1 (the initial d_c), then every Improvement block. */
export function distanceSeries(blocks: readonly ChainBlock[]): DistancePoint[] {
  const points: DistancePoint[] = [];
  for (const b of blocks) {
    if (b.kind === "problem") points.push({ block: 0, distance: 1, accuracy: 0 });
    else points.push({ block: Number(b.blockNumber), distance: fromWad(b.distance), accuracy: estimatedAccuracy(b.distance), improver: b.improver, reward: b.improverReward });
  }
  return points;
}

export interface TokenHolder {
  address: Address;
  balance: bigint;
  /** balance / totalSupply. */
  share: number;
}

/** Balances from a token's transfers (mints from the zero address), largest first; zero balances left out. */
export function tokenHolders(transfers: readonly TokenTransfer[]): { holders: TokenHolder[]; totalSupply: bigint } {
  const balances = new Map<string, { address: Address; balance: bigint }>();
  let totalSupply = 0n;
  const entry = (address: Address) => {
    const key = address.toLowerCase();
    let e = balances.get(key);
    if (!e) {
      e = { address, balance: 0n };
      balances.set(key, e);
    }
    return e;
  };
  for (const t of transfers) {
    if (t.from === zeroAddress) totalSupply += t.value;
    else entry(t.from).balance -= t.value;
    if (t.to === zeroAddress) totalSupply -= t.value;
    else entry(t.to).balance += t.value;
  }
  const holders = [...balances.values()]
    .filter((h) => h.balance > 0n)
    .sort((a, b) => (a.balance === b.balance ? a.address.localeCompare(b.address) : a.balance > b.balance ? -1 : 1))
    .map((h) => ({ ...h, share: totalSupply > 0n ? Number((h.balance * 1_000_000n) / totalSupply) / 1_000_000 : 0 }));
  return { holders, totalSupply };
}

/** "blocks #10 – #29" for a window with an exclusive end. */
export function describeWindow(window: { start: bigint; end: bigint }): string {
  return `blocks #${formatNumber(window.start)} – #${formatNumber(window.end - 1n)}`;
}

/** "ends with the next block" / "5 blocks left". */
export function describeBlocksLeft(left: bigint): string {
  return left === 0n ? "ends with the next block" : `${formatBlocks(left)} left`;
}

/** The improvement blocks of a rebuilt chain. */
export function improvementBlocks(blocks: readonly ChainBlock[]): ChainImprovementBlock[] {
  return blocks.filter((b): b is ChainImprovementBlock => b.kind === "improvement");
}

/** The initial d_c (docs/daimon.md §10). */
export const INITIAL_BEST_DISTANCE = WAD;

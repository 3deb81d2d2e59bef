/**
 * The web app's plain DaiMoN functions: phase and round windows, what improvers, validators and committers may do
 * at the next block and why not, the chain as chart points, token holders, validator rewards, the marketplace
 * listing of competitions and problems together, and the DaiMoN error sentences.
 */
import { expect } from "chai";
import { parseEther, zeroAddress, zeroHash, type Address, type Hex } from "viem";
import type { ChainBlock, ChainProof, ChainVote, ListedProblem, ProblemState } from "../../lib/chain/daimon";
import type { ProblemSummary, TokenTransfer } from "../../lib/chain/daimonReads";
import type { CompetitionSummary } from "../../lib/chain/danku";
import { DAIMON_LIMITS, WAD, improverReward, validatorShare } from "../../lib/daimon/fixedPoint";
import { describeContractError } from "../../lib/chain/errors";
import { shortAddress } from "../../lib/web/format";
import {
  commitActions,
  distanceSeries,
  effectiveBestDistance,
  formatTokenAmount,
  improverActions,
  inDisputeWindow,
  pendingProofs,
  phaseAt,
  problemSchedule,
  roundAt,
  tokenHolders,
  validatorRewards,
  voteAvailability,
  voteBondRows,
} from "../../lib/web/daimon";
import { DEFAULT_FILTERS, filterAndSortListing, listingAddress, matchesFilters, type ListingItem } from "../../lib/web/marketplace";

const CREATOR = "0x00000000000000000000000000000000000000c3" as Address;
const IMPROVER = "0x00000000000000000000000000000000000000a1" as Address;
const V1 = "0x00000000000000000000000000000000000000b1" as Address;
const V2 = "0x00000000000000000000000000000000000000b2" as Address;
const PROBLEM = "0x00000000000000000000000000000000000000d1" as Address;
const TOKEN = "0x00000000000000000000000000000000000000e1" as Address;

const CONFIG = {
  classCount: 3,
  testSetSize: 50,
  embeddingSize: 16,
  definitionPeriod: 10,
  competitionPeriod: 20,
  rewardShape: 3,
  minVotes: 2,
  openTuples: true,
  margin: WAD / 100n,
  rewardScale: 1000n * WAD,
};

/** Created at block 100: definition until 109, round k = [110 + 20k, 130 + 20k). */
function problem(blockNumber: bigint, overrides: Partial<ProblemState> = {}): ProblemState {
  return {
    address: PROBLEM,
    phase: phaseAt(blockNumber, { definitionEnd: 110n, createdBlock: 100n, tupleCount: overrides.tupleCount ?? 1, config: CONFIG }),
    creator: CREATOR,
    token: TOKEN,
    tokenName: "Faults",
    tokenSymbol: "FLT",
    config: CONFIG,
    inputShape: [6],
    metadataCid: "",
    createdBlock: 100n,
    definitionEnd: 110n,
    definitionHash: zeroHash,
    tupleCount: 1,
    tuplesDigest: zeroHash,
    problemBlockCommitted: blockNumber >= 110n,
    bestDistance: WAD,
    pendingRound: { open: false, round: 0n, leader: 0n, leaderVotes: 0 },
    chainLength: blockNumber >= 110n ? 1 : 0,
    proofCount: 0,
    currentRound: roundAt(blockNumber, { definitionEnd: 110n, config: CONFIG }),
    blockNumber,
    ...overrides,
  };
}

function proof(id: bigint, overrides: Partial<ChainProof> = {}): ChainProof {
  return {
    proofId: id,
    round: 0n,
    improver: IMPROVER,
    cid: `bafk-model-${id}`,
    outputs: "0x0001",
    distances: [WAD / 4n],
    distance: WAD / 4n,
    proofHash: `0x${id.toString(16).padStart(64, "0")}` as Hex,
    blockNumber: 112n,
    transactionHash: zeroHash,
    modelHash: zeroHash,
    labelsRoot: zeroHash,
    checkpoints: "0x",
    ...overrides,
  };
}

function vote(proofId: bigint, validator: Address, position: bigint, round = 0n): ChainVote {
  return { proofId, round, validator, position, votesDigest: zeroHash, blockNumber: 113n };
}

const WALLET = { account: IMPROVER, rightNetwork: true };

describe("lib/web/daimon (phases and rounds)", () => {
  it("counts down the definition period, then fixed rounds of T_b blocks; a problem without tuples is dead", () => {
    expect(problemSchedule(problem(100n), 100n)).to.deep.include({ phase: "Definition", blocksLeft: 9n, nextRound: undefined });
    expect(problemSchedule(problem(109n), 109n)).to.deep.include({ phase: "Definition", blocksLeft: 0n, nextRound: 0n });
    const r0 = problemSchedule(problem(110n), 110n);
    expect(r0).to.deep.include({ phase: "Competition", round: 0n, blocksLeft: 19n, nextRound: 0n });
    expect(r0.window).to.deep.equal({ start: 110n, end: 130n });
    expect(problemSchedule(problem(129n), 129n)).to.deep.include({ round: 0n, blocksLeft: 0n, nextRound: 1n });
    expect(problemSchedule(problem(175n), 175n)).to.deep.include({ round: 3n, blocksLeft: 14n });
    expect(problemSchedule(problem(120n, { tupleCount: 0 }), 120n)).to.deep.equal({ phase: "Dead" });
  });
});

describe("lib/web/daimon (what each role can do)", () => {
  it("an improver proves, registers, waits REGISTRATION_AGE blocks and submits only a proof that beats d_c − δ", () => {
    const at = (block: bigint, input: Partial<Parameters<typeof improverActions>[0]>) => improverActions({ state: problem(block), proofs: [], ...WALLET, ...input });
    const proved = { cid: "bafk-model", distance: WAD / 5n };
    expect(at(105n, {}).register.reason).to.match(/run PROVE first/);
    expect(at(105n, { proved, registeredAt: 0n }).register.allowed).to.equal(true);
    expect(at(105n, { proved, registeredAt: 0n }).submit.reason).to.match(/Proofs open with the competition at block #110/);
    expect(at(105n, { proved, registeredAt: 103n }).register.reason).to.equal("Registered in block #103, usable from block #111.");
    // Registered in block 113: the proof may land in block 121 = 113 + 8, i.e. be sent once the latest block is 120.
    const young = at(115n, { proved, registeredAt: 113n, cidOwner: zeroAddress });
    expect(young.submit.allowed).to.equal(false);
    expect(young.submit.reason).to.equal(
      "Registered in block #113, usable from block #121: 5 blocks to go. Sending earlier would fail and publish the outputs.",
    );
    expect(young.registration).to.deep.equal({ registeredAt: 113n, usableFrom: 121n, blocksLeft: 5n, age: 8n });
    expect(at(119n, { proved, registeredAt: 113n, cidOwner: zeroAddress }).submit.reason).to.match(/usable from block #121: 1 block to go/);
    const ok = at(120n, { proved, registeredAt: 113n, cidOwner: zeroAddress });
    expect(ok.submit.allowed).to.equal(true);
    expect(ok.registration?.blocksLeft).to.equal(0n);
    expect(ok.beats).to.equal(true);
    expect(at(120n, { proved, registeredAt: 112n, cidOwner: V1 }).submit.reason).to.match(/owns this CID/);
    // The CID belongs to the oldest registration: an older one of ours may submit and take it back, a younger not.
    expect(at(120n, { proved, registeredAt: 112n, cidOwner: V1, cidOwnerRegisteredAt: 111n }).submit.reason).to.equal(
      `Another account (${shortAddress(V1)}) owns this CID: it registered it before you did.`,
    );
    const back = at(120n, { proved, registeredAt: 112n, cidOwner: V1, cidOwnerRegisteredAt: 114n }).submit;
    expect(back.allowed).to.equal(true);
    expect(back.reason).to.match(/^Another account \(.*\) submitted this CID with a registration from block #114; yours is older, so your proof takes the CID back and supersedes theirs\./);
    expect(at(120n, { proved, registeredAt: 112n, cidOwner: V1, cidOwnerRegisteredAt: 112n }).submit.allowed).to.equal(true);
    expect(at(120n, { proved: { cid: "x", distance: WAD - WAD / 100n }, registeredAt: 0n }).register.reason).to.match(/does not beat/);
    expect(improverActions({ state: problem(120n), proofs: [], account: undefined, rightNetwork: true, proved, registeredAt: 0n }).register.reason).to.equal("Connect a wallet first.");
  });

  it("d_c for a new proof is the pending leader's once its round is over with enough votes (lazy settlement)", () => {
    const leader = proof(0n, { distance: WAD / 4n });
    const pending = { open: true, round: 0n, leader: 0n, leaderVotes: 2 };
    expect(effectiveBestDistance(problem(125n, { pendingRound: pending }), [leader])).to.equal(WAD);
    expect(effectiveBestDistance(problem(129n, { pendingRound: pending }), [leader])).to.equal(WAD / 4n);
    expect(effectiveBestDistance(problem(129n, { pendingRound: { ...pending, leaderVotes: 1 } }), [leader])).to.equal(WAD);
    const proved = { cid: "c", distance: WAD / 4n };
    expect(improverActions({ state: problem(129n, { pendingRound: pending }), proofs: [leader], ...WALLET, proved, registeredAt: 100n }).beats).to.equal(false);
  });

  it("a validator votes once, after verifying, never for his own proof and only in the proof's round", () => {
    const p = proof(0n);
    const state = problem(115n, { pendingRound: { open: true, round: 0n, leader: 0n, leaderVotes: 0 } });
    const as = (account: Address, verified: boolean | undefined, votes: ChainVote[] = [], s = state) => voteAvailability({ state: s, proof: p, votes, account, rightNetwork: true, verified });
    expect(as(V1, undefined).reason).to.match(/Verify the proof first/);
    expect(as(V1, false).reason).to.match(/did not verify/);
    expect(as(V1, true).allowed).to.equal(true);
    expect(as(IMPROVER, true).reason).to.match(/improvers cannot vote/);
    const voted = as(V1, true, [vote(0n, V1, 1n)]);
    expect(voted.allowed).to.equal(false);
    expect(voted.reason).to.match(/You voted for this proof \(validator #1\)/);
    expect(as(V2, true, [], problem(129n)).reason).to.match(/Voting closed with round 0/);
    expect(voteAvailability({ state, proof: p, votes: [], account: V1, rightNetwork: false, verified: true }).reason).to.match(/Switch your wallet/);
    // A copy superseded by an earlier registrant's proof takes no votes, verified or not.
    const copy = voteAvailability({ state, proof: { ...p, supersededBy: 3n }, votes: [], account: V1, rightNetwork: true, verified: true });
    expect(copy).to.deep.equal({ allowed: false, reason: "A copy: proof #3, registered earlier, owns its outputs or CID. It takes no votes and is never committed." });
  });

  it("a vote bond is locked during the proof's round, withdrawable after it once, and gone when the proof was voided", () => {
    const p = proof(0n);
    const votes = [vote(0n, V1, 1n)];
    const rows = (state: ReturnType<typeof problem>, proofs: ChainProof[] = [p], withdrawals: { proofId: bigint; validator: Address; amount: bigint }[] = []) =>
      voteBondRows({ state, proofs, votes, withdrawals, account: V1, rightNetwork: true });
    const during = rows(problem(115n))[0];
    expect(during).to.deep.include({ proofId: 0n, round: 0n, amount: DAIMON_LIMITS.VOTE_BOND, withdrawn: false });
    expect(during?.availability).to.deep.equal({ allowed: false, reason: "Locked until round 0 is over: until then a dispute can still void the proof." });
    expect(rows(problem(129n))[0]?.availability).to.deep.equal({ allowed: true, reason: "Proof #0 survived round 0: withdraw your 0.001 ETH." });
    expect(rows(problem(129n), [p], [{ proofId: 0n, validator: V1, amount: DAIMON_LIMITS.VOTE_BOND }])[0]?.availability).to.deep.equal({ allowed: false, reason: "Withdrawn." });
    const voided = { ...p, voided: { challenger: V2, reason: "wrong-label" as const, tuple: 0n, index: 7n } };
    expect(rows(problem(129n), [voided])[0]?.availability.reason).to.match(/^Slashed: proof #0 lost a dispute/);
    expect(voteBondRows({ state: problem(129n), proofs: [p], votes, withdrawals: [], account: V2, rightNetwork: true })).to.deep.equal([]);
    expect(voteAvailability({ state: problem(115n, { pendingRound: { open: true, round: 0n, leader: 0n, leaderVotes: 0 } }), proof: p, votes: [], account: V2, rightNetwork: true, verified: true }).reason).to.match(/locks a bond of 0\.001 ETH/);
  });

  it("a superseded leader is never committed: d_c stays and the round closes without a block", () => {
    const copy = proof(0n, { distance: WAD / 4n, supersededBy: 1n });
    const pending = { open: true, round: 0n, leader: 0n, leaderVotes: 2 };
    const state = problem(129n, { pendingRound: pending });
    expect(effectiveBestDistance(state, [copy])).to.equal(WAD);
    const commit = commitActions({ state, proofs: [copy], account: V2, rightNetwork: true }).improvementBlock;
    expect(commit.allowed).to.equal(false);
    expect(commit.reason).to.equal(
      "Round 0 ended with proof #0 leading, a copy superseded by proof #1: it is never committed, so the next action on the problem closes the round without a block.",
    );
  });

  it("a voided proof (it lost a dispute, §14.3) takes no votes and is never committed; no proof is submitted in the dispute window", () => {
    const voided = proof(0n, { distance: WAD / 4n, voided: { challenger: V2, reason: "wrong-label", tuple: 0n, index: 7n } });
    const pending = { open: true, round: 0n, leader: 0n, leaderVotes: 2 };
    const open = problem(115n, { pendingRound: pending });
    expect(voteAvailability({ state: open, proof: voided, votes: [], account: V1, rightNetwork: true, verified: true })).to.deep.equal({
      allowed: false,
      reason: "Voided: a dispute showed that its model does not predict its claimed label of test point 7. It takes no votes and is never committed.",
    });
    const unavailable = { ...voided, voided: { challenger: V2, reason: "unavailable" as const, tuple: 0n, index: 0n } };
    expect(voteAvailability({ state: open, proof: unavailable, votes: [], account: V1, rightNetwork: true, verified: true }).reason).to.match(/not posted after an availability dispute/);
    const over = problem(129n, { pendingRound: pending });
    expect(effectiveBestDistance(over, [voided])).to.equal(WAD);
    expect(commitActions({ state: over, proofs: [voided], account: V2, rightNetwork: true }).improvementBlock.reason).to.equal(
      "Round 0 ended with proof #0 leading, voided by a dispute: it is never committed, so the next action on the problem closes the round without a block.",
    );
    // T_b = 20: the dispute window is the last 5 blocks of round 0, [125, 130).
    const proved = { cid: "bafk-model", distance: WAD / 5n };
    expect(inDisputeWindow(124n, problem(124n))).to.equal(false);
    expect(inDisputeWindow(125n, problem(125n))).to.equal(true);
    const late = improverActions({ state: problem(124n), proofs: [], ...WALLET, proved, registeredAt: 100n, cidOwner: zeroAddress });
    expect(late.submit).to.deep.equal({ allowed: false, reason: "Round 0's last 5 blocks are its dispute window: proofs are accepted again from block #130, in the next round." });
    expect(improverActions({ state: problem(123n), proofs: [], ...WALLET, proved, registeredAt: 100n, cidOwner: zeroAddress }).submit.allowed).to.equal(true);
  });

  it("anyone commits a block once the round is over and its leader has minVotes votes", () => {
    const leader = proof(0n);
    const pending = { open: true, round: 0n, leader: 0n, leaderVotes: 2 };
    const at = (block: bigint, overrides: Partial<ProblemState> = {}) => commitActions({ state: problem(block, overrides), proofs: [leader], account: V2, rightNetwork: true });
    expect(at(105n).problemBlock.reason).to.match(/from block #110/);
    expect(at(109n, { problemBlockCommitted: false, chainLength: 0 }).problemBlock.allowed).to.equal(true);
    expect(at(120n).improvementBlock.reason).to.match(/No round has proofs/);
    expect(at(120n, { pendingRound: pending }).improvementBlock.reason).to.match(/still open: it can be committed from block #130/);
    const ready = at(129n, { pendingRound: pending });
    expect(ready.improvementBlock.allowed).to.equal(true);
    expect(ready.improvementBlock.blockNumber).to.equal(1);
    expect(ready.improvementBlock.reason).to.match(/proof #0 leads with 2 votes .* becomes block #1/);
    expect(at(140n, { pendingRound: { ...pending, leaderVotes: 1 } }).improvementBlock.reason).to.match(/ended with 1 vote for its leader; a block needs 2/);
  });

  it("lists the pending round's proofs, the leader first, with their votes", () => {
    const state = problem(115n, { pendingRound: { open: true, round: 0n, leader: 1n, leaderVotes: 1 } });
    const list = pendingProofs(state, [proof(0n), proof(1n), proof(2n, { round: 1n })], [vote(1n, V1, 1n)]);
    expect(list.map((p) => [p.proofId, p.leading, p.votes.length])).to.deep.equal([
      [1n, true, 1],
      [0n, false, 0],
    ]);
  });
});

describe("lib/web/daimon (chain, holders, rewards)", () => {
  const reward = improverReward(WAD / 4n, WAD, 3, CONFIG.rewardScale);
  const blocks: ChainBlock[] = [
    { kind: "problem", blockNumber: 0n, blockHash: "0x01", definitionHash: zeroHash, tupleCount: 1, tuplesDigest: zeroHash, committer: CREATOR },
    {
      kind: "improvement",
      blockNumber: 1n,
      blockHash: "0x02",
      parentHash: "0x01",
      round: 0n,
      proofId: 0n,
      improver: IMPROVER,
      proofHash: zeroHash,
      distance: WAD / 4n,
      previousDistance: WAD,
      voteCount: 2,
      votesDigest: zeroHash,
      improverReward: reward,
      committer: V2,
    },
  ];

  it("charts block 0 at the initial d_c = 1 and every block's d with 1 − d", () => {
    expect(distanceSeries(blocks)).to.deep.equal([
      { block: 0, distance: 1, accuracy: 0 },
      { block: 1, distance: 0.25, accuracy: 0.75, improver: IMPROVER, reward },
    ]);
  });

  it("rebuilds balances from transfers, mints included, largest first", () => {
    const t = (from: Address, to: Address, value: bigint, i: number): TokenTransfer => ({ from, to, value, blockNumber: 1n, logIndex: i });
    const { holders, totalSupply } = tokenHolders([t(zeroAddress, IMPROVER, 100n, 0), t(zeroAddress, V1, 50n, 1), t(IMPROVER, V2, 30n, 2), t(V1, V1, 5n, 3)]);
    expect(totalSupply).to.equal(150n);
    expect(holders.map((h) => [h.address, h.balance])).to.deep.equal([
      [IMPROVER, 70n],
      [V1, 50n],
      [V2, 30n],
    ]);
    expect(holders[0]?.share).to.be.closeTo(70 / 150, 1e-6);
  });

  it("gives every vote of a block the same share ⌊⌊reward / 4⌋ / votes⌋, whatever its position, claimable once", () => {
    const votes = [vote(0n, V1, 1n), vote(0n, V2, 2n)];
    const rows = validatorRewards({ blocks, votes, claims: [], state: { phase: "Competition" }, account: V2, rightNetwork: true });
    expect(rows).to.have.length(1);
    expect(rows[0]).to.deep.include({ blockNumber: 1n, position: 2n, amount: validatorShare(reward, 2), claimed: false });
    expect(rows[0]?.amount).to.equal(reward / 4n / 2n);
    const first = validatorRewards({ blocks, votes, claims: [], state: { phase: "Competition" }, account: V1, rightNetwork: true });
    expect(first[0]?.amount).to.equal(rows[0]?.amount);
    expect(rows[0]?.availability.allowed).to.equal(true);
    const claimed = validatorRewards({ blocks, votes, claims: [{ blockNumber: 1n, validator: V2, position: 2n, amount: reward / 4n }], state: { phase: "Competition" }, account: V2, rightNetwork: true });
    expect(claimed[0]?.availability).to.deep.equal({ allowed: false, reason: "Claimed." });
    expect(validatorRewards({ blocks, votes, claims: [], state: { phase: "Competition" }, account: CREATOR, rightNetwork: true })).to.deep.equal([]);
  });

  it("formats token amounts with 18 decimals", () => {
    expect(formatTokenAmount(1234n * WAD + WAD / 2n, "FLT")).to.equal("1,234.5 FLT");
    expect(formatTokenAmount(1n, "FLT")).to.equal("< 0.0001 FLT");
    expect(formatTokenAmount(0n)).to.equal("0");
  });
});

describe("lib/web/marketplace (competitions and problems together)", () => {
  const competition: CompetitionSummary = {
    address: "0x00000000000000000000000000000000000000f1",
    organizer: CREATOR,
    reward: parseEther("1"),
    groupCount: 10,
    trainingGroupCount: 8,
    init1Block: 10n,
    config: { featureCount: 2, classCount: 2, trainingBps: 8000, minAccuracyBps: 7000, init2Window: 5, splitDelay: 1, trainingRevealPeriod: 50, submissionPeriod: 100, modelRevealPeriod: 20, testRevealPeriod: 20, evaluationPeriod: 30 },
    metadataCid: "",
    blockNumber: 150n,
    transactionHash: zeroHash,
    stage: "Submission",
    totalDonations: 0n,
    deadlines: { splitSeedBlock: 11n, init2Deadline: 16n, trainingRevealDeadline: 66n, submissionEnd: 200n, modelRevealEnd: 220n, testRevealEnd: 240n, evaluationEnd: 270n },
    submissionCount: 0,
    best: { exists: false, id: 0, correct: 0 },
    usesTestData: false,
    trainingPoints: 0,
    testPoints: 0,
    totalPoints: 100,
    committedTrainingPoints: 80,
    committedTestPoints: 20,
    rewardForfeited: false,
    testWithheld: false,
  };
  const listed: ListedProblem = {
    address: PROBLEM,
    creator: CREATOR,
    token: TOKEN,
    spec: { config: CONFIG, inputShape: [6], name: "Faults", symbol: "FLT", metadataCid: "" },
    initialTupleCount: 1,
    createdBlock: 100n,
    definitionEnd: 110n,
    transactionHash: zeroHash,
  };
  const summary: ProblemSummary = {
    ...listed,
    config: CONFIG,
    phase: "Competition",
    bestDistance: WAD,
    chainLength: 1,
    proofCount: 0,
    tupleCount: 1,
    problemBlockCommitted: true,
    pendingRound: { open: false, round: 0n, leader: 0n, leaderVotes: 0 },
  };
  const items: ListingItem[] = [
    { protocol: "danku", competition },
    { protocol: "daimon", problem: summary, blockNumber: 175n },
  ];
  const titles = new Map([
    [competition.address.toLowerCase(), "Wine quality"],
    [PROBLEM.toLowerCase(), "Machine faults"],
  ]);
  const f = (filters: Partial<typeof DEFAULT_FILTERS>, context = {}) => filterAndSortListing(items, { ...DEFAULT_FILTERS, ...filters }, { titles, ...context }).map(listingAddress);

  it("the protocol filter filters both kinds", () => {
    expect(f({})).to.have.length(2);
    expect(f({ protocol: "danku" })).to.deep.equal([competition.address]);
    expect(f({ protocol: "daimon" })).to.deep.equal([PROBLEM]);
    expect(matchesFilters(competition, { ...DEFAULT_FILTERS, protocol: "daimon" }, { titles })).to.equal(false);
  });

  it("searches problems by title, address and token symbol; phases filter problems, stages competitions", () => {
    expect(f({ search: "faults" })).to.deep.equal([PROBLEM]);
    expect(f({ search: "flt" })).to.deep.equal([PROBLEM]);
    expect(f({ search: "wine" })).to.deep.equal([competition.address]);
    expect(f({ stage: "Competition" })).to.deep.equal([PROBLEM]);
    expect(f({ stage: "Submission" })).to.deep.equal([competition.address]);
    expect(f({ stage: "active" })).to.have.length(2);
    expect(f({ stage: "Dead" })).to.deep.equal([]);
  });

  it("problems have no ETH prize pool, and 'mine' keeps problems the account created or entered", () => {
    expect(f({ minReward: parseEther("0.5") })).to.deep.equal([competition.address]);
    expect(f({ maxReward: parseEther("0.5") })).to.deep.equal([PROBLEM]);
    expect(f({ mine: true }, { account: V1 })).to.deep.equal([]);
    expect(f({ mine: true }, { account: V1, entered: new Set([PROBLEM.toLowerCase()]) })).to.deep.equal([PROBLEM]);
    expect(f({ mine: true }, { account: CREATOR })).to.have.length(2);
  });

  it("sorts both kinds: newest by creation block, soonest end of the stage or round, prize pool", () => {
    expect(f({ sort: "newest" })).to.deep.equal([competition.address, PROBLEM]);
    // Round 3 of the problem ends at block 190, the competition's submission stage at 200.
    expect(f({ sort: "deadline" })).to.deep.equal([PROBLEM, competition.address]);
    expect(f({ sort: "reward" })).to.deep.equal([competition.address, PROBLEM]);
  });
});

describe("lib/chain/errors (DaiMoN sentences)", () => {
  it("explains the problem's custom errors", () => {
    expect(describeContractError("NoImprovement", [WAD / 2n, WAD / 2n, WAD / 100n])).to.equal(
      "The proof's distance 0.500000 does not beat the best distance 0.500000 by the margin 0.010000: no improvement.",
    );
    expect(describeContractError("WrongPhase", [0, 1])).to.equal("This is only possible in the competition phase; the problem is in the definition phase.");
    expect(describeContractError("RoundNotOver", [2n, 150n])).to.match(/Round 2 is still open; it can be committed from block 150 on/);
    expect(describeContractError("AlreadyVoted", [1n, V1, 2n])).to.equal("You already voted for proof 1 (validator #2).");
  });
});

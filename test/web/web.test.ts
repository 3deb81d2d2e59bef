/**
 * The web app's plain functions: runtime configuration, marketplace filters and sorting, stage windows and the
 * timeline, which actions a stage allows, number formatting and wallet error sentences.
 */
import { expect } from "chai";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { BaseError, encodeErrorResult, HttpRequestError, parseEther, UserRejectedRequestError, type Address } from "viem";
import { readAppConfig } from "../../lib/config/server";
import { chainFromConfig } from "../../lib/config";
import type { CompetitionState, CompetitionSummary, StageName, SubmissionState } from "../../lib/chain/danku";
import { DEFAULT_FILTERS, filterAndSort, matchesFilters, sortCompetitions } from "../../lib/web/marketplace";
import { blocksLeft, buildTimeline, stageEndBlock } from "../../lib/web/stages";
import { competitionActions } from "../../lib/web/actions";
import { matchSubmissions, nextSubmitterStep } from "../../lib/web/submitter";
import { buildSubmissionFile, submissionFileCommitment } from "../../lib/danku/secrets";
import { encodeModel } from "../../lib/danku/encoding";
import { formatBlocks, formatDuration, formatEth, formatPercent, shortAddress } from "../../lib/web/format";
import { explainWalletError } from "../../lib/web/errors";
import { describeReadError } from "../../lib/web/readErrors";
import { dankuCompetitionAbi } from "../../lib/generated/abis";
import { SHORT_COMPETITION_CONFIG } from "./fixtures";

const A = "0x00000000000000000000000000000000000000a1" as Address;
const B = "0x00000000000000000000000000000000000000b2" as Address;
const ORGANIZER = "0x00000000000000000000000000000000000000c3" as Address;


function deadlines(trainingCompleted: bigint | undefined, init1 = 10n): CompetitionState["deadlines"] {
  const splitSeedBlock = init1 + 1n;
  const init2Deadline = splitSeedBlock + 5n;
  const base = { splitSeedBlock, init2Deadline, trainingRevealDeadline: init2Deadline + 50n, submissionEnd: 0n, modelRevealEnd: 0n, testRevealEnd: 0n, evaluationEnd: 0n };
  if (trainingCompleted === undefined) return base;
  const submissionEnd = trainingCompleted + 100n;
  return { ...base, submissionEnd, modelRevealEnd: submissionEnd + 20n, testRevealEnd: submissionEnd + 40n, evaluationEnd: submissionEnd + 70n };
}

function summary(address: Address, overrides: Partial<CompetitionSummary> = {}): CompetitionSummary {
  return {
    address,
    organizer: ORGANIZER,
    reward: parseEther("1"),
    groupCount: 10,
    trainingGroupCount: 8,
    init1Block: 10n,
    config: SHORT_COMPETITION_CONFIG,
    metadataCid: "",
    blockNumber: 10n,
    transactionHash: "0x01",
    stage: "Submission",
    totalDonations: 0n,
    deadlines: deadlines(20n),
    submissionCount: 0,
    best: { exists: false, id: 0, correct: 0 },
    usesTestData: false,
    trainingPoints: 80,
    testPoints: 0,
    totalPoints: 100,
    committedTrainingPoints: 80,
    committedTestPoints: 20,
    rewardForfeited: false,
    testWithheld: false,
    ...overrides,
  };
}

function state(stage: StageName, overrides: Partial<CompetitionState> = {}): CompetitionState {
  return {
    address: A,
    stage,
    organizer: ORGANIZER,
    reward: parseEther("1"),
    totalDonations: 0n,
    config: SHORT_COMPETITION_CONFIG,
    metadataCid: "",
    groupCount: 10,
    trainingGroupCount: 8,
    init1Block: 10n,
    splitDone: true,
    deadlines: deadlines(20n),
    trainingPoints: 80,
    testPoints: 20,
    usesTestData: true,
    submissionCount: 1,
    best: { exists: false, id: 0, correct: 0 },
    blockNumber: 50n,
    totalCommittedPoints: 100,
    committedTrainingPoints: 80,
    committedTestPoints: 20,
    rewardForfeited: false,
    testWithheld: false,
    ...overrides,
  };
}

describe("lib/config (runtime configuration)", () => {
  function root(deployment?: object): string {
    const dir = mkdtempSync(path.join(tmpdir(), "mb-config-"));
    if (deployment) {
      mkdirSync(path.join(dir, "deployments"));
      writeFileSync(path.join(dir, "deployments", "31337.json"), JSON.stringify(deployment));
    }
    return dir;
  }

  it("defaults to the local chain and reads the factory from deployments/<chainId>.json", () => {
    const config = readAppConfig({}, root({ chainId: 31337, CompetitionFactory: { address: "0x5fbdb2315678afecb367f032d93f642f64180aa3", deploymentBlock: "7" } }));
    expect(config.rpcUrl).to.equal("http://127.0.0.1:8545");
    expect(config.chainId).to.equal(31337);
    expect(config.factory).to.equal("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    expect(config.factoryBlock).to.equal("7");
    expect(config.localChain).to.equal(true);
    expect(config.walletConnectProjectId).to.equal(null);
    expect(config.blockTimeSeconds).to.equal(null);
    expect(config.issues).to.deep.equal([]);
  });

  it("takes every value from the environment at call time", () => {
    const config = readAppConfig(
      {
        MODELBOUNTY_RPC_URL: "https://rpc.example.org",
        MODELBOUNTY_CHAIN_ID: "11155111",
        MODELBOUNTY_FACTORY: "0x00000000000000000000000000000000000000a1",
        MODELBOUNTY_FACTORY_BLOCK: "123",
        MODELBOUNTY_WALLETCONNECT_PROJECT_ID: "abc",
        MODELBOUNTY_BLOCK_TIME_SECONDS: "12",
      },
      root(),
    );
    expect(config).to.include({ rpcUrl: "https://rpc.example.org", chainId: 11155111, factoryBlock: "123", walletConnectProjectId: "abc", blockTimeSeconds: 12, localChain: false });
    expect(config.chainName).to.equal("Chain 11155111");
    expect(chainFromConfig(config).rpcUrls.default.http).to.deep.equal(["https://rpc.example.org"]);
  });

  it("reports bad values instead of failing", () => {
    const config = readAppConfig({ MODELBOUNTY_CHAIN_ID: "x", MODELBOUNTY_FACTORY: "nope", MODELBOUNTY_BLOCK_TIME_SECONDS: "-1" }, root());
    expect(config.chainId).to.equal(31337);
    expect(config.factory).to.equal(null);
    expect(config.issues.join(" ")).to.match(/MODELBOUNTY_CHAIN_ID=x/).and.match(/MODELBOUNTY_FACTORY=nope/).and.match(/MODELBOUNTY_BLOCK_TIME_SECONDS=-1/);
  });

  it("says when no factory is known for the chain", () => {
    const config = readAppConfig({}, root());
    expect(config.factory).to.equal(null);
    expect(config.issues[0]).to.match(/No CompetitionFactory is configured for chain 31337/);
  });
});

describe("lib/web/marketplace (filters and sorting)", () => {
  const open = summary(A, { reward: parseEther("2"), totalDonations: parseEther("0.5"), blockNumber: 30n });
  const finished = summary(B, { stage: "Finalized", reward: parseEther("1"), blockNumber: 40n, deadlines: deadlines(20n) });
  const titles = new Map([
    [A.toLowerCase(), "Wine quality"],
    [B.toLowerCase(), "County elections"],
  ]);

  it("searches titles and addresses, case-insensitively", () => {
    expect(filterAndSort([open, finished], { ...DEFAULT_FILTERS, search: "WINE" }, { titles }).map((c) => c.address)).to.deep.equal([A]);
    expect(filterAndSort([open, finished], { ...DEFAULT_FILTERS, search: "b2" }, { titles }).map((c) => c.address)).to.deep.equal([B]);
  });

  it("filters by stage, 'active', protocol and prize pool (reward + donations)", () => {
    const f = (filters: Partial<typeof DEFAULT_FILTERS>) => filterAndSort([open, finished], { ...DEFAULT_FILTERS, ...filters }, { titles }).map((c) => c.address);
    expect(f({ stage: "Finalized" })).to.deep.equal([B]);
    expect(f({ stage: "active" })).to.deep.equal([A]);
    expect(f({ protocol: "danku" })).to.have.length(2);
    expect(f({ minReward: parseEther("2.5") })).to.deep.equal([A]);
    expect(f({ minReward: parseEther("2.6") })).to.deep.equal([]);
    expect(f({ maxReward: parseEther("1") })).to.deep.equal([B]);
  });

  it("'mine' keeps what the account organizes or entered, and nothing without an account", () => {
    const mine = { ...DEFAULT_FILTERS, mine: true };
    expect(matchesFilters(open, mine, { titles })).to.equal(false);
    expect(matchesFilters(open, mine, { titles, account: ORGANIZER })).to.equal(true);
    expect(matchesFilters(open, mine, { titles, account: B })).to.equal(false);
    expect(matchesFilters(open, mine, { titles, account: B, entered: new Set([A.toLowerCase()]) })).to.equal(true);
  });

  it("sorts by prize pool, by the soonest stage end (finished last) and by newest", () => {
    const soon = summary("0x00000000000000000000000000000000000000d4", { stage: "AwaitingSplit", deadlines: deadlines(undefined, 10n), blockNumber: 10n });
    expect(sortCompetitions([finished, open], "reward").map((c) => c.address)).to.deep.equal([A, B]);
    expect(sortCompetitions([finished, open, soon], "deadline").map((c) => c.address)).to.deep.equal([soon.address, A, B]);
    expect(sortCompetitions([open, finished], "newest").map((c) => c.address)).to.deep.equal([B, A]);
  });
});

describe("lib/web/stages (windows and timeline)", () => {
  const d = deadlines(20n);

  it("gives the first block outside each stage, matching the contract's inclusive and exclusive bounds", () => {
    expect(stageEndBlock("AwaitingSplit", d)).to.equal(17n); // block ≤ init1 + splitDelay + window
    expect(stageEndBlock("TrainingReveal", d)).to.equal(67n);
    expect(stageEndBlock("Submission", d)).to.equal(120n); // block < submissionEnd
    expect(stageEndBlock("Evaluation", d)).to.equal(190n);
    expect(stageEndBlock("Finalized", d)).to.equal(undefined);
    expect(blocksLeft("Submission", d, 100n)).to.equal(19n);
    expect(blocksLeft("Submission", d, 119n)).to.equal(0n);
  });

  it("marks done, current and upcoming steps", () => {
    const steps = buildTimeline(state("ModelReveal"));
    expect(steps.map((s) => s.status)).to.deep.equal(["done", "done", "done", "current", "upcoming", "upcoming", "upcoming"]);
    expect(steps[3]).to.include({ start: 120n, end: 140n });
    expect(buildTimeline(state("Finalized")).every((s) => s.status === "done")).to.equal(true);
  });
});

describe("lib/web/actions (what the page offers)", () => {
  const submissions: SubmissionState[] = [
    { id: 0, submitter: A, commitment: "0x00", modelHash: "0x00", revealed: true, evaluated: false, cursor: 0, correct: 0, commitBlock: 30n },
    { id: 1, submitter: B, commitment: "0x00", modelHash: "0x00", revealed: false, evaluated: false, cursor: 0, correct: 0, commitBlock: 31n },
  ];

  it("opens finalize only after evaluation, saying when", () => {
    expect(competitionActions({ state: state("Evaluation"), account: A, rightNetwork: true }).finalize).to.deep.equal({
      allowed: false,
      reason: "Finalization opens at block #190, when the evaluation period ends.",
    });
    expect(competitionActions({ state: state("AwaitingFinalization"), account: A, rightNetwork: true }).finalize.allowed).to.equal(true);
  });

  it("needs a connected wallet on the right network for allowed actions", () => {
    expect(competitionActions({ state: state("AwaitingFinalization"), rightNetwork: true }).finalize.reason).to.equal("Connect a wallet first.");
    expect(competitionActions({ state: state("AwaitingFinalization"), account: A, rightNetwork: false }).finalize.reason).to.match(/Switch your wallet/);
  });

  it("lets the organizer cancel before the training data is revealed, and anyone once the setup expired", () => {
    expect(competitionActions({ state: state("TrainingReveal"), account: ORGANIZER, rightNetwork: true }).cancel.allowed).to.equal(true);
    expect(competitionActions({ state: state("TrainingReveal"), account: A, rightNetwork: true }).cancel.reason).to.equal("Only the organizer can cancel at this stage.");
    expect(competitionActions({ state: state("SetupExpired"), account: A, rightNetwork: true }).cancel.allowed).to.equal(true);
    expect(competitionActions({ state: state("Submission"), account: ORGANIZER, rightNetwork: true }).cancel.allowed).to.equal(false);
  });

  it("offers evaluation of revealed, unevaluated submissions during evaluation", () => {
    const actions = competitionActions({ state: state("Evaluation"), account: B, rightNetwork: true, submissions });
    expect(actions.evaluate.allowed).to.equal(true);
    expect(actions.evaluate.candidates.map((s) => s.id)).to.deep.equal([0]);
    expect(competitionActions({ state: state("TestReveal"), account: B, rightNetwork: true, submissions }).evaluate.reason).to.match(/at block #160 at the latest/);
  });

  it("shows what can be withdrawn, and closes donations once the competition is over", () => {
    expect(competitionActions({ state: state("Finalized"), account: A, rightNetwork: true, withdrawable: parseEther("1.5") }).withdraw).to.deep.equal({ allowed: true, reason: "You can withdraw 1.5 ETH." });
    expect(competitionActions({ state: state("Finalized"), account: A, rightNetwork: true, withdrawable: 0n }).withdraw.allowed).to.equal(false);
    expect(competitionActions({ state: state("Cancelled"), account: A, rightNetwork: true }).donate.allowed).to.equal(false);
    expect(competitionActions({ state: state("Evaluation"), account: A, rightNetwork: true }).donate.allowed).to.equal(true);
  });

  it("with the test data withheld, says the reward is shared and the donations are refunded, and that a donation now is only refunded", () => {
    const sub = (id: number, submitter: Address, revealed: boolean): SubmissionState => ({
      id,
      submitter,
      commitment: "0x01",
      modelHash: "0x02",
      revealed,
      evaluated: false,
      cursor: 0,
      correct: 0,
      commitBlock: 40n,
    });
    const withheld = state("AwaitingFinalization", { usesTestData: false, testPoints: 10, totalDonations: parseEther("0.5") });
    const actions = competitionActions({ state: withheld, account: A, rightNetwork: true, submissions: [sub(0, A, true), sub(1, B, true), sub(2, B, false)] });
    expect(actions.finalize.reason).to.equal(
      "The test data was not revealed in full: anyone can finalize, and the reward of 1 ETH is shared equally by the 2 revealed submissions (0.5 ETH each) and the donors get their 0.5 ETH back.",
    );
    expect(actions.donate).to.deep.equal({ allowed: true, reason: "The test data was withheld: there will be no winner, so a donation now is only refunded to you after finalization." });
    expect(competitionActions({ state: state("Submission"), account: A, rightNetwork: true }).donate.reason).to.match(/if the test data is not revealed in full, they are refunded/);
  });

  it("points the organizer to the reveal panel in the reveal stages, and tells everyone else why not", () => {
    const organizer = competitionActions({ state: state("TestReveal"), account: ORGANIZER, rightNetwork: true });
    expect(organizer.revealTest).to.deep.include({ allowed: true });
    expect(organizer.revealTest.reason).to.match(/reveal panel/);
    expect(organizer.revealTraining.allowed).to.equal(false);
    expect(competitionActions({ state: state("TestReveal"), account: A, rightNetwork: true }).revealTest).to.deep.equal({
      allowed: false,
      reason: "Only the organizer can reveal the test data.",
    });
    expect(competitionActions({ state: state("TestReveal"), account: ORGANIZER, rightNetwork: false }).revealTest.allowed).to.equal(false);
    expect(competitionActions({ state: state("TrainingReveal"), account: ORGANIZER, rightNetwork: true }).revealTraining.allowed).to.equal(true);
  });
});

describe("lib/web/submitter (what a data scientist can do next)", () => {
  const modelBytes = encodeModel({ widths: [2, 2], layers: [{ shift: 0, biases: [0, 1], weights: [[1, -1], [2, 3]] }] });
  const file = buildSubmissionFile({ chainId: 31337, competition: A, submitter: B, modelBytes, random: (n) => new Uint8Array(n).fill(7) });
  const onChain = (overrides: Partial<SubmissionState> = {}): SubmissionState => ({
    id: 3,
    submitter: B,
    commitment: submissionFileCommitment(file),
    modelHash: file.modelHash,
    revealed: false,
    evaluated: false,
    cursor: 0,
    correct: 0,
    commitBlock: 40n,
    ...overrides,
  });

  it("finds a stored file's submission by its commitment, not by an id the file may not have yet", () => {
    const other = onChain({ id: 1, commitment: "0x1234" });
    expect(matchSubmissions([file], [other, onChain()])).to.deep.equal([{ file, onChain: onChain() }]);
    expect(matchSubmissions([file], [other])).to.deep.equal([{ file }]);
  });

  it("walks a model from commit to payout, naming the blocks", () => {
    const d = deadlines(20n);
    const step = (stage: StageName, sub: SubmissionState | undefined, extra: Partial<CompetitionState> = {}, withdrawable = 0n) =>
      nextSubmitterStep(state(stage, { deadlines: d, ...extra }), sub ? { file, onChain: sub } : { file }, B, withdrawable);
    expect(nextSubmitterStep(state("Submission"), undefined, B)).to.deep.include({ action: "commit", untilBlock: 120n });
    expect(nextSubmitterStep(state("Submission"), undefined, B).message).to.match(/before block #120 \(70 blocks from now\)/);
    expect(nextSubmitterStep(state("TrainingReveal"), undefined, B).action).to.equal("wait");
    expect(step("Submission", undefined).action).to.equal("commit");
    expect(step("Submission", onChain())).to.deep.include({ action: "wait", untilBlock: 120n });
    expect(step("ModelReveal", onChain())).to.deep.include({ action: "reveal", untilBlock: 140n });
    expect(step("TestReveal", onChain()).message).to.match(/was not revealed in its window/);
    expect(step("TestReveal", onChain({ revealed: true })).action).to.equal("wait");
    expect(step("Evaluation", onChain({ revealed: true, cursor: 7 })).message).to.match(/Evaluate #3 before block #190.*7 points done/);
    expect(step("Evaluation", onChain({ revealed: true, evaluated: true }), { best: { exists: true, id: 3, correct: 9 } }).message).to.match(/leads the leaderboard/);
    expect(step("AwaitingFinalization", onChain({ revealed: true, evaluated: true }), { best: { exists: true, id: 3, correct: 9 } }).action).to.equal("finalize");
    expect(step("AwaitingFinalization", onChain({ revealed: true, evaluated: true }), { best: { exists: true, id: 0, correct: 9 } }).action).to.equal("none");
    expect(step("Finalized", onChain({ revealed: true, evaluated: true }), {}, parseEther("1.2")).action).to.equal("withdraw");
    expect(step("AwaitingFinalization", onChain({ revealed: true })).message).to.match(/not evaluated before the evaluation period ended/);
  });

  it("tells another account that the model is not theirs", () => {
    expect(nextSubmitterStep(state("ModelReveal"), { file, onChain: onChain() }, A)).to.deep.include({ action: "none" });
  });
});

describe("lib/web/format", () => {
  it("formats ETH, blocks, durations and percentages for people", () => {
    expect(formatEth(parseEther("1234.56789"))).to.equal("1,234.5679 ETH");
    expect(formatEth(parseEther("2"))).to.equal("2 ETH");
    expect(formatEth(1n)).to.equal("< 0.0001 ETH");
    expect(formatEth(0n)).to.equal("0 ETH");
    expect(formatBlocks(1n)).to.equal("1 block");
    expect(formatBlocks(12345)).to.equal("12,345 blocks");
    expect(formatDuration(30)).to.equal("< 1 min");
    expect(formatDuration(3 * 3600 + 5 * 60)).to.equal("≈ 3 h 5 min");
    expect(formatDuration(3 * 86400 + 4 * 3600)).to.equal("≈ 3 d 4 h");
    expect(formatPercent(51, 60)).to.equal("85.0 %");
    expect(shortAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")).to.equal("0x5FbD…0aa3");
  });
});

describe("lib/web/errors and readErrors", () => {
  it("turns a declined signature (EIP-1193 4001) into the calm sentence", () => {
    const viemError = new UserRejectedRequestError(new Error("User rejected the request."));
    expect(explainWalletError(viemError)).to.include({ kind: "rejected", message: "You rejected the request in your wallet; nothing was sent." });
    expect(explainWalletError({ code: 4001, message: "nope" })).to.include({ kind: "rejected" });
  });

  it("decodes a competition's custom error from raw revert data (donations to receive())", () => {
    const data = encodeErrorResult({ abi: dankuCompetitionAbi, errorName: "DonationsClosed", args: [7] });
    const error = new BaseError("execution reverted", { cause: Object.assign(new Error("reverted"), { data }) });
    (error as unknown as { data: string }).data = data;
    const failure = explainWalletError(error);
    expect(failure.kind).to.equal("reverted");
    expect(failure.message).to.equal("Donations are closed: the competition is finalized.");
  });

  it("recognises an unreachable RPC", () => {
    const error = new HttpRequestError({ url: "http://127.0.0.1:8545", details: "fetch failed" });
    const described = describeReadError(error, "http://127.0.0.1:8545");
    expect(described.kind).to.equal("unreachable");
    expect(described.body).to.contain("http://127.0.0.1:8545");
  });
});

/**
 * Commands for everyone: finalize, withdraw, donate, status, list, odds, deploy.
 */
import { parseEther, type Address, type PublicClient } from "viem";
import { dankuCompetitionAbi } from "../../lib/generated/abis";
import { deployFactories } from "../../lib/chain/deploy";
import { writeDeployment } from "../shared/deployments";
import { listCompetitions, readCompetition, readSubmissions, STAGE_DESCRIPTIONS } from "../../lib/chain/danku";
import { sendContractTransaction } from "../../lib/chain/transactions";
import { readClaims, readClaimTerms, readEvaluationMode, type ClaimState } from "../../lib/chain/claims";
import { manipulationOdds } from "../../lib/danku/odds";
import { BPS } from "../../lib/danku/constants";
import { trainingGroupCount } from "../../lib/danku/groups";
import { CliError, connect, eth, Output, parseAddress, resolveFactory, signer, type GlobalOptions } from "./context";
import {
  evaluationFit,
  formatEvaluationFit,
  formatForfeitRule,
  formatGroupSizes,
  groupSizeSummary,
  percent,
  placementOdds,
  withheldShares,
} from "./commitments";

type CompetitionOptions = GlobalOptions & { competition: string };

export async function finalizeCommand(options: CompetitionOptions, output: Output): Promise<void> {
  const context = await connect(options);
  const competition = parseAddress(options.competition, "--competition");
  const sent = await sendContractTransaction(signer(context), context.client, {
    address: competition,
    abi: dankuCompetitionAbi,
    functionName: "finalize",
    args: [],
  });
  const state = await readCompetition(context.client, competition);
  const pool = state.reward + state.totalDonations;
  let human: string;
  let shares: { revealedSubmissions: number; share: bigint; remainder: bigint; refundedDonations: bigint } | null = null;
  if (state.best.exists) {
    human = `finalized: submission ${state.best.id} wins ${eth(pool)} (withdraw with modelbounty withdraw)`;
  } else if (state.testWithheld) {
    const revealed = (await readSubmissions(context.client, competition)).filter((s) => s.revealed).length;
    shares = { revealedSubmissions: revealed, ...withheldShares(state.reward, revealed), refundedDonations: state.totalDonations };
    human =
      `finalized with the test data withheld: the reward of ${eth(state.reward)} is shared by the ${revealed} revealed submission(s), ` +
      `${eth(shares.share)} each (the first revealer also gets ${shares.remainder} wei); the donors are refunded their ${eth(state.totalDonations)}, ` +
      `the organizer does not get the reward back (withdraw with modelbounty withdraw)`;
  } else {
    human = "finalized without a qualified submission: the organizer and donors can withdraw what they put in";
  }
  output.result(human, {
    competition,
    transaction: sent.hash,
    hasWinner: state.best.exists,
    winningSubmission: state.best.exists ? state.best.id : null,
    testWithheld: state.testWithheld,
    withheldShares: shares,
  });
}

export async function withdrawCommand(options: CompetitionOptions & { to?: string }, output: Output): Promise<void> {
  const context = await connect(options);
  const competition = parseAddress(options.competition, "--competition");
  const wallet = signer(context);
  const amount = await context.client.readContract({
    address: competition,
    abi: dankuCompetitionAbi,
    functionName: "withdrawable",
    args: [wallet.account.address],
  });
  if (amount === 0n) throw new CliError(`${wallet.account.address} has nothing to withdraw from ${competition}`);
  const recipient = options.to ? parseAddress(options.to, "--to") : undefined;
  const sent = recipient
    ? await sendContractTransaction(wallet, context.client, { address: competition, abi: dankuCompetitionAbi, functionName: "withdrawTo", args: [recipient] })
    : await sendContractTransaction(wallet, context.client, { address: competition, abi: dankuCompetitionAbi, functionName: "withdraw", args: [] });
  output.result(`withdrew ${eth(amount)} to ${recipient ?? wallet.account.address}`, {
    competition,
    amount,
    recipient: recipient ?? wallet.account.address,
    transaction: sent.hash,
  });
}

export async function donateCommand(options: CompetitionOptions & { amount: string }, output: Output): Promise<void> {
  let value: bigint;
  try {
    value = parseEther(options.amount);
  } catch {
    throw new CliError(`--amount must be an amount of ETH such as 0.1, got ${options.amount}`);
  }
  if (value <= 0n) throw new CliError("--amount must be greater than zero");
  const context = await connect(options);
  const competition = parseAddress(options.competition, "--competition");
  const wallet = signer(context);
  try {
    // A donation is a plain transfer to the competition address, exactly as from any wallet; simulate it first.
    await context.client.call({ account: wallet.account, to: competition, value });
  } catch (error) {
    const { explainError } = await import("../../lib/chain/transactions");
    throw new CliError(`the competition refuses the donation: ${explainError(error).message}`);
  }
  const hash = await wallet.sendTransaction({ account: wallet.account, chain: context.chain, to: competition, value });
  const receipt = await context.client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new CliError(`the donation ${hash} reverted`);
  output.result(`donated ${eth(value)} to ${competition}`, { competition, amount: value, transaction: hash });
}

/** The committed point count of every group (groupPointCountAt), a few calls at a time. */
async function readGroupPointCounts(client: PublicClient, competition: Address, groupCount: number): Promise<number[]> {
  const counts: number[] = [];
  const batch = 64;
  for (let at = 0; at < groupCount; at += batch) {
    const ids = Array.from({ length: Math.min(batch, groupCount - at) }, (_, i) => at + i);
    const read = await Promise.all(
      ids.map((g) =>
        client.readContract({ address: competition, abi: dankuCompetitionAbi, functionName: "groupPointCountAt", args: [BigInt(g)] }),
      ),
    );
    counts.push(...read.map(Number));
  }
  return counts;
}

export async function statusCommand(options: CompetitionOptions, output: Output): Promise<void> {
  const context = await connect(options);
  const competition = parseAddress(options.competition, "--competition");
  const state = await readCompetition(context.client, competition);
  const submissions = await readSubmissions(context.client, competition);
  const pointCounts = await readGroupPointCounts(context.client, competition, state.groupCount);
  const sizes = groupSizeSummary(pointCounts);
  const fit = evaluationFit(state.totalCommittedPoints, state.config.evaluationPeriod);
  const mode = await readEvaluationMode(context.client, competition);
  const claimMode =
    mode === "claim"
      ? { terms: await readClaimTerms(context.client, competition), claims: await readClaims(context.client, competition) }
      : undefined;
  const placement = placementOdds(state.groupCount, state.trainingGroupCount);
  const seedBlock = state.deadlines.splitSeedBlock;
  const revealedSubmissions = submissions.filter((s) => s.revealed).length;
  const shares = withheldShares(state.reward, revealedSubmissions);
  const total = state.testPoints;
  const split = state.splitDone
    ? `committed split: ${state.committedTrainingPoints} training points, ${state.committedTestPoints} test points`
    : "committed split: not drawn yet";
  let money: string;
  if (state.rewardForfeited) {
    money = `reward forfeited: the organizer backed out after the seed block ${seedBlock}; the ${eth(state.reward)} reward is locked for ever, donors are refunded`;
  } else if (state.testWithheld) {
    money =
      `test data withheld: the reward of ${eth(state.reward)} is shared by ${revealedSubmissions} revealed submission(s), ` +
      `${eth(shares.share)} each (the first revealer also gets ${shares.remainder} wei); the donors are refunded their ${eth(state.totalDonations)}, ` +
      `the organizer does not get the reward back`;
  } else {
    money =
      `if the test data is not revealed in full, the reward is shared equally by the revealed submissions and the donors are refunded: ` +
      (revealedSubmissions > 0 ? `${eth(shares.share)} each for ${revealedSubmissions} now` : "none revealed yet");
  }
  const lines = [
    `competition ${competition} on chain ${context.chain.id}, block ${state.blockNumber}`,
    `stage: ${state.stage} — ${STAGE_DESCRIPTIONS[state.stage]}`,
    `organizer: ${state.organizer}`,
    `reward: ${eth(state.reward)} + donations ${eth(state.totalDonations)}`,
    `data: ${state.config.featureCount} features, ${state.config.classCount} classes, ${state.groupCount} groups (${state.trainingGroupCount} training)`,
    `group sizes: ${formatGroupSizes(sizes)}`,
    split,
    `revealed points: ${state.trainingPoints} training, ${state.testPoints} test` +
      (state.usesTestData ? "; evaluation uses the test data" : "; evaluation needs the full test reveal (there is no training-data fallback)"),
    claimMode
      ? `evaluation: claimed scores with one-point disputes (docs/protocol.md §11): bond ${eth(claimMode.terms.bond)} ` +
        `(${claimMode.terms.bondGasPrice} wei per gas × 16,777,216), challenge window ${claimMode.terms.challengeWindow} blocks; ` +
        `a wrong claim counts only if no checker disputes it within its window`
      : `evaluation: on chain, every model on every test point; ${formatEvaluationFit(fit)}`,
    `split seed: the hash of block ${seedBlock} (split delay ${state.config.splitDelay}); one chosen group lands in training with ${percent(placement.perDraw)} per draw`,
    formatForfeitRule(seedBlock, state.reward),
    money,
    `minimum accuracy: ${(state.config.minAccuracyBps / 100).toFixed(2)} %`,
    `deadlines: split seed ${seedBlock}, split by ${state.deadlines.init2Deadline}, submission ends ${state.deadlines.submissionEnd || "—"}, model reveal ends ${state.deadlines.modelRevealEnd || "—"}, test reveal ends ${state.deadlines.testRevealEnd || "—"}, evaluation ends ${state.deadlines.evaluationEnd || "—"}`,
    `submissions: ${submissions.length}`,
    ...submissions.map(
      (s) =>
        `  #${s.id} ${s.submitter} ${s.revealed ? "revealed" : "committed"}${s.evaluated ? `, ${s.correct}/${total} correct` : s.cursor > 0 ? `, evaluating ${s.cursor}/${total}` : ""}${state.best.exists && state.best.id === s.id ? " ★ best" : ""}`,
    ),
    ...(claimMode ? [`claims: ${claimMode.claims.length}`, ...claimMode.claims.map((c) => `  ${formatClaim(c, total, state.blockNumber)}`)] : []),
  ];
  output.result(lines.join("\n"), {
    ...state,
    submissions,
    groupPointCounts: pointCounts,
    groupSizes: sizes,
    worstCaseEvaluation: fit,
    groupPlacementOdds: placement,
    revealedSubmissions,
    withheldShares: { pool: state.reward, refundedDonations: state.totalDonations, ...shares },
    evaluationMode: mode,
    ...(claimMode ? { claimTerms: claimMode.terms, claims: claimMode.claims } : {}),
  });
}

export async function listCommand(options: GlobalOptions, output: Output): Promise<void> {
  const context = await connect(options);
  const factory = resolveFactory(options, context.chain.id);
  const listed = await listCompetitions(context.client, factory);
  const states = await Promise.all(listed.map((c) => readCompetition(context.client, c.address)));
  output.result(
    listed.length === 0
      ? `no competitions on factory ${factory} yet`
      : states
          .map(
            (s) =>
              `${s.address}  ${s.stage.padEnd(20)} ${eth(s.reward + s.totalDonations).padStart(14)}  ${s.submissionCount} submissions, ` +
              `${s.totalCommittedPoints} points in ${s.groupCount} groups` +
              (s.rewardForfeited ? ", reward forfeited" : "") +
              (s.testWithheld ? ", test withheld (reward shared, donors refunded)" : ""),
          )
          .join("\n"),
    {
      factory,
      competitions: states.map((s, i) => ({
        address: s.address,
        stage: s.stage,
        organizer: s.organizer,
        reward: s.reward,
        totalDonations: s.totalDonations,
        submissions: s.submissionCount,
        metadataCid: s.metadataCid,
        totalCommittedPoints: s.totalCommittedPoints,
        rewardForfeited: s.rewardForfeited,
        testWithheld: s.testWithheld,
        createdInBlock: listed[i]?.blockNumber,
      })),
    },
  );
}

export function oddsCommand(options: { groups: string; trainingRatio: string; attempts: string; json?: boolean }, output: Output): void {
  const groupCount = Number(options.groups);
  const trainingBps = Math.round(Number(options.trainingRatio) * BPS);
  const attempts = Number(options.attempts);
  if (!Number.isInteger(groupCount) || groupCount < 2) throw new CliError(`--groups must be an integer ≥ 2, got ${options.groups}`);
  if (!Number.isInteger(attempts) || attempts < 1) throw new CliError(`--attempts must be a positive integer, got ${options.attempts}`);
  if (!(trainingBps > 0 && trainingBps < BPS)) throw new CliError(`--training-ratio must be between 0 and 1, got ${options.trainingRatio}`);
  const odds = manipulationOdds({ groupCount, trainingBps, attempts });
  const nTrain = trainingGroupCount(groupCount, trainingBps);
  const placement = placementOdds(groupCount, nTrain, [attempts]);
  const placed = placement.overDraws[0]?.probability ?? placement.perDraw;
  output.result(
    [
      `P(one chosen group lands in the training set) with G=${groupCount}, ${nTrain} training groups: ${percent(placement.perDraw)} per draw, ` +
        `${percent(placed)} over ${attempts} draw(s) — the attack that matters; each redraw costs the reward (docs/protocol.md §3)`,
      `P(an organizer obtains one chosen training set) with G=${groupCount}, TP=${options.trainingRatio}, ${attempts} attempt(s): ${(odds * 100).toPrecision(6)} %`,
    ].join("\n"),
    { groupCount, trainingBps, attempts, probability: odds, trainingGroups: nTrain, groupPlacementPerDraw: placement.perDraw, groupPlacementProbability: placed },
  );
}

/**
 * Deploys both factories (each deploys its implementations): the DanKu CompetitionFactory and the DaiMoN
 * ProblemFactory, and records them in deployments/<chainId>.json.
 */
export async function deployCommand(options: GlobalOptions, output: Output): Promise<void> {
  const context = await connect(options);
  const deployment = await deployFactories(signer(context), context.client);
  const file = writeDeployment(deployment);
  const { competitionFactory, problemFactory } = deployment;
  output.result(
    [
      `CompetitionFactory deployed at ${competitionFactory.address} (block ${competitionFactory.deploymentBlock})`,
      `ProblemFactory deployed at ${problemFactory.address} (block ${problemFactory.deploymentBlock})`,
      `recorded in ${file}`,
    ].join("\n"),
    {
      factory: competitionFactory.address,
      deploymentBlock: competitionFactory.deploymentBlock,
      problemFactory: problemFactory.address,
      problemFactoryDeploymentBlock: problemFactory.deploymentBlock,
      file,
    },
  );
}

/** One line of `status` for a claim: whose, what it claims, and where it stands at block `now`. */
function formatClaim(c: ClaimState, total: number, now: bigint): string {
  const standing = c.voided
    ? "disproven by a dispute (bond to the challenger)"
    : c.settled
      ? "settled (bond returned)"
      : now < c.windowClosesAt
        ? `open to disputes until block ${c.windowClosesAt - 1n}`
        : `window closed at block ${c.windowClosesAt}: can be settled`;
  return `claim #${c.id} for submission #${c.submissionId} by ${c.claimant}: ${c.correct}/${total} correct, ${standing}`;
}

/**
 * Commands for everyone: finalize, withdraw, donate, status, list, odds, deploy.
 */
import { parseEther } from "viem";
import { dankuCompetitionAbi } from "../../lib/generated/abis";
import { deployFactories } from "../../lib/chain/deploy";
import { writeDeployment } from "../shared/deployments";
import { listCompetitions, readCompetition, readSubmissions, STAGE_DESCRIPTIONS } from "../../lib/chain/danku";
import { sendContractTransaction } from "../../lib/chain/transactions";
import { manipulationOdds } from "../../lib/danku/odds";
import { BPS } from "../../lib/danku/constants";
import { CliError, connect, eth, Output, parseAddress, resolveFactory, signer, type GlobalOptions } from "./context";

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
  output.result(
    state.best.exists
      ? `finalized: submission ${state.best.id} wins ${eth(state.reward + state.totalDonations)} (withdraw with modelbounty withdraw)`
      : "finalized without a qualified submission: the organizer and donors can withdraw what they put in",
    { competition, transaction: sent.hash, hasWinner: state.best.exists, winningSubmission: state.best.exists ? state.best.id : null },
  );
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

export async function statusCommand(options: CompetitionOptions, output: Output): Promise<void> {
  const context = await connect(options);
  const competition = parseAddress(options.competition, "--competition");
  const state = await readCompetition(context.client, competition);
  const submissions = await readSubmissions(context.client, competition);
  const total = state.usesTestData ? state.testPoints : state.trainingPoints;
  const lines = [
    `competition ${competition} on chain ${context.chain.id}, block ${state.blockNumber}`,
    `stage: ${state.stage} — ${STAGE_DESCRIPTIONS[state.stage]}`,
    `organizer: ${state.organizer}`,
    `reward: ${eth(state.reward)} + donations ${eth(state.totalDonations)}`,
    `data: ${state.config.featureCount} features, ${state.config.classCount} classes, ${state.groupCount} groups (${state.trainingGroupCount} training)`,
    `revealed points: ${state.trainingPoints} training, ${state.testPoints} test; evaluation uses ${state.usesTestData ? "test" : "training"} data`,
    `minimum accuracy: ${(state.config.minAccuracyBps / 100).toFixed(2)} %`,
    `deadlines: submission ends ${state.deadlines.submissionEnd || "—"}, model reveal ends ${state.deadlines.modelRevealEnd || "—"}, test reveal ends ${state.deadlines.testRevealEnd || "—"}, evaluation ends ${state.deadlines.evaluationEnd || "—"}`,
    `submissions: ${submissions.length}`,
    ...submissions.map(
      (s) =>
        `  #${s.id} ${s.submitter} ${s.revealed ? "revealed" : "committed"}${s.evaluated ? `, ${s.correct}/${total} correct` : s.cursor > 0 ? `, evaluating ${s.cursor}/${total}` : ""}${state.best.exists && state.best.id === s.id ? " ★ best" : ""}`,
    ),
  ];
  output.result(lines.join("\n"), { ...state, submissions });
}

export async function listCommand(options: GlobalOptions, output: Output): Promise<void> {
  const context = await connect(options);
  const factory = resolveFactory(options, context.chain.id);
  const listed = await listCompetitions(context.client, factory);
  const states = await Promise.all(listed.map((c) => readCompetition(context.client, c.address)));
  output.result(
    listed.length === 0
      ? `no competitions on factory ${factory} yet`
      : states.map((s) => `${s.address}  ${s.stage.padEnd(20)} ${eth(s.reward + s.totalDonations).padStart(14)}  ${s.submissionCount} submissions`).join("\n"),
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
  output.result(
    `P(an organizer obtains one chosen training set) with G=${groupCount}, TP=${options.trainingRatio}, ${attempts} attempt(s): ${(odds * 100).toPrecision(6)} %`,
    { groupCount, trainingBps, attempts, probability: odds },
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

/**
 * Claim-mode commands (docs/protocol.md §11): claim a submission's score with a bond, dispute a wrong claim, settle
 * a claim whose window closed, and `watch`, the checker that disputes every wrong claim of a competition in its
 * window. The checking itself is lib/danku/checker.ts, shared with the app; this file only talks to people.
 */
import { type Address, type PublicClient } from "viem";
import { parseEventLogs } from "viem";
import { dankuClaimModuleAbi } from "../../lib/generated/abis";
import { readCompetition, readRevealedClaimModel, readRevealedPoints, readSubmission } from "../../lib/chain/danku";
import { claimScore, disputeClaim, readClaims, readClaimTerms, readEvaluationMode, settleClaim } from "../../lib/chain/claims";
import { explainError } from "../../lib/chain/transactions";
import { predictionsOf, scorePredictions } from "../../lib/danku/claims";
import { checkCompetition, type ClaimCheck } from "../../lib/danku/checker";
import { evaluateClaimSubmission, readFullEvaluation } from "../../lib/chain/fullEvaluation";
import { checkAndDispute, checkingIsOver, SETTLE_POLICIES, type ClaimAction, type CompetitionRound, type SettlePolicy } from "../../lib/danku/checkerLoop";
import { CliError, connect, eth, Output, parseAddress, signer, type ChainContext, type GlobalOptions } from "./context";

type CompetitionOptions = GlobalOptions & { competition: string };

function idOption(value: string, flag: string): number {
  const id = Number(value);
  if (!Number.isInteger(id) || id < 0) throw new CliError(`${flag} must be a non-negative integer, got ${value}`);
  return id;
}

async function requireClaimMode(client: PublicClient, competition: Address): Promise<void> {
  if ((await readEvaluationMode(client, competition)) !== "claim") {
    throw new CliError(`competition ${competition} evaluates models on chain and has no claims: use modelbounty evaluate; nothing was sent`);
  }
}

export async function claimScoreCommand(options: CompetitionOptions & { submissionId: string }, output: Output): Promise<void> {
  const context = await connect(options);
  const competition = parseAddress(options.competition, "--competition");
  const id = idOption(options.submissionId, "--submission-id");
  await requireClaimMode(context.client, competition);
  const state = await readCompetition(context.client, competition);
  if (state.stage !== "Evaluation") throw new CliError(`the competition is in the ${state.stage} stage; scores are claimed in the Evaluation stage; nothing was sent`);
  if (!state.usesTestData) {
    throw new CliError("the organizer did not reveal the test data in full, so no score can be claimed: after the evaluation period, finalize shares the reward (docs/protocol.md §7.1)");
  }
  if (id >= state.submissionCount) throw new CliError(`there is no submission ${id}; the competition has ${state.submissionCount}`);
  const submission = await readSubmission(context.client, competition, id);
  if (!submission.revealed) throw new CliError(`submission ${id} was never revealed, so it has no model to claim a score for`);
  if (submission.evaluated) throw new CliError(`submission ${id} already has its score: ${submission.correct} correct; nothing was sent`);
  // Dense or convolutional, from the reveal transaction's calldata (claim mode keeps only the model's hash).
  const model = await readRevealedClaimModel(context.client, competition, id);
  if (!model) throw new CliError(`submission ${id}'s revealed model cannot be read back from its reveal transaction`);
  const points = await readRevealedPoints(context.client, competition, false, state.config.featureCount);
  // The predictions are the model's own on every revealed test point: an honest claim nobody can dispute.
  const predictions = predictionsOf(model, points);
  const correct = scorePredictions(predictions, points.map((p) => p.label));
  const terms = await readClaimTerms(context.client, competition);
  output.progress(`claiming ${correct}/${points.length} correct for submission ${id} with a bond of ${eth(terms.bond)}…`);
  const sent = await claimScore(signer(context), context.client, { competition, submissionId: id, predictions });
  const windowClosesAt = sent.receipt.blockNumber + BigInt(terms.challengeWindow);
  output.result(
    [
      `claim ${sent.claimId}: submission ${id} scores ${correct}/${points.length} (bond ${eth(terms.bond)})`,
      `it can be disputed until block ${windowClosesAt - 1n}; settle it from block ${windowClosesAt} on: modelbounty settle --competition ${competition} --claim ${sent.claimId}`,
    ].join("\n"),
    { competition, claimId: sent.claimId, submissionId: id, correct, total: points.length, bond: terms.bond, claimBlock: sent.receipt.blockNumber, windowClosesAt, transaction: sent.hash },
  );
}

/** The one check of claim `claimId`, or a clear error when there is no such claim. */
async function checkOne(context: ChainContext, competition: Address, claimId: number): Promise<ClaimCheck> {
  const result = await checkCompetition(context.client, competition, { claimIds: [claimId] });
  const check = result.checks[0];
  if (!check) throw new CliError(`there is no claim ${claimId} on ${competition}; nothing was sent`);
  return check;
}

function describeCheck(c: ClaimCheck, total: number): string {
  const head = `claim ${c.claim.id} (submission ${c.claim.submissionId}, ${c.claim.correct}/${total} claimed)`;
  switch (c.verdict) {
    case "void":
      return `${head}: already disproven`;
    case "settled":
      return `${head}: settled`;
    case "honest":
      return `${head}: honest (the model predicts every claimed prediction)` + (c.settleable ? `; its window closed at block ${c.claim.windowClosesAt}, settle it` : `; window open until block ${c.claim.windowClosesAt - 1n}`);
    case "wrong":
      return `${head}: wrong at test point ${c.mismatch?.index} (claimed ${c.mismatch?.claimed}, the model predicts ${c.mismatch?.actual}; it scores ${c.actualCorrect}/${total})`;
    case "window-closed":
      return `${head}: wrong at test point ${c.mismatch?.index}, but its window closed at block ${c.claim.windowClosesAt}: it can no longer be disputed`;
  }
}

async function sendDispute(context: ChainContext, competition: Address, check: ClaimCheck) {
  const args = check.dispute;
  if (!args) throw new CliError(`claim ${check.claim.id} has nothing to dispute`);
  return disputeClaim(signer(context), context.client, { competition, ...args });
}

export async function disputeCommand(options: CompetitionOptions & { claim: string }, output: Output): Promise<void> {
  const context = await connect(options);
  const competition = parseAddress(options.competition, "--competition");
  const claimId = idOption(options.claim, "--claim");
  await requireClaimMode(context.client, competition);
  const check = await checkOne(context, competition, claimId);
  const total = (await readCompetition(context.client, competition)).testPoints;
  if (check.verdict !== "wrong") {
    const why: Record<Exclude<ClaimCheck["verdict"], "wrong">, string> = {
      honest: `claim ${claimId} is honest: submission ${check.claim.submissionId}'s model predicts every one of its ${total} claimed predictions, so a dispute would revert (ClaimedPredictionCorrect) and only cost you gas`,
      void: `claim ${claimId} was already disproven`,
      settled: `claim ${claimId} is already settled`,
      "window-closed": `claim ${claimId} is wrong at test point ${check.mismatch?.index}, but its challenge window closed at block ${check.claim.windowClosesAt}: it can no longer be disputed`,
    };
    throw new CliError(`${why[check.verdict]}; nothing was sent`);
  }
  const sent = await sendDispute(context, competition, check);
  output.result(
    `claim ${claimId} disproven at test point ${check.mismatch?.index} (claimed ${check.mismatch?.claimed}, the model predicts ${check.mismatch?.actual}); ` +
      `its bond of ${eth(check.claim.bond)} is credited to you: modelbounty withdraw --competition ${competition}`,
    { competition, claimId, point: check.mismatch, bond: check.claim.bond, transaction: sent.hash, gasUsed: sent.receipt.gasUsed },
  );
}

export async function settleCommand(options: CompetitionOptions & { claim: string }, output: Output): Promise<void> {
  const context = await connect(options);
  const competition = parseAddress(options.competition, "--competition");
  const claimId = idOption(options.claim, "--claim");
  await requireClaimMode(context.client, competition);
  const claim = (await readClaims(context.client, competition)).find((c) => c.id === claimId);
  if (!claim) throw new CliError(`there is no claim ${claimId} on ${competition}; nothing was sent`);
  if (claim.voided) throw new CliError(`claim ${claimId} was disproven: there is nothing to settle (its bond went to the challenger); nothing was sent`);
  if (claim.settled) throw new CliError(`claim ${claimId} is already settled; nothing was sent`);
  const next = (await context.client.getBlockNumber()) + 1n;
  const evaluator = (await readFullEvaluation(context.client, competition, claim.submissionId)).evaluator;
  if (evaluator) return settleByEvaluation(context, competition, claimId, output);
  if (next < claim.windowClosesAt) {
    throw new CliError(`claim ${claimId} can still be disputed until block ${claim.windowClosesAt - 1n}; settle it from block ${claim.windowClosesAt} on; nothing was sent`);
  }
  const sent = await settleClaim(signer(context), context.client, { competition, claimId });
  const [event] = parseEventLogs({ abi: dankuClaimModuleAbi, logs: sent.receipt.logs, eventName: "ClaimSettled" });
  const counted = event?.args.counted === true;
  output.result(
    `claim ${claimId} settled: ${counted ? `submission ${claim.submissionId} now scores ${claim.correct}` : "the submission already had a score (or the competition is finalized), so only the bond returns"}; ` +
      `its bond of ${eth(claim.bond)} is credited to the claimant ${claim.claimant}`,
    { competition, claimId, submissionId: claim.submissionId, counted, correct: claim.correct, bond: claim.bond, claimant: claim.claimant, transaction: sent.hash },
  );
}

/** Settles a claim of a fully evaluated submission (§11.9): at once, bond back if it agrees, void if not. */
async function settleByEvaluation(context: ChainContext, competition: Address, claimId: number, output: Output): Promise<void> {
  const sent = await settleClaim(signer(context), context.client, { competition, claimId });
  const [voided] = parseEventLogs({ abi: dankuClaimModuleAbi, logs: sent.receipt.logs, eventName: "ClaimVoidedByEvaluation" });
  if (voided) {
    const a = voided.args;
    output.result(
      `claim ${claimId} is void: it claimed ${a.claimedCorrect} correct, the full evaluation of submission ${a.submissionId} found ${a.evaluatedCorrect}; its bond of ${eth(a.bond)} is credited to the evaluator ${a.evaluator}`,
      { competition, claimId, submissionId: Number(a.submissionId), voided: true, claimedCorrect: Number(a.claimedCorrect), evaluatedCorrect: Number(a.evaluatedCorrect), bond: a.bond, evaluator: a.evaluator, transaction: sent.hash },
    );
    return;
  }
  const [event] = parseEventLogs({ abi: dankuClaimModuleAbi, logs: sent.receipt.logs, eventName: "ClaimSettled" });
  output.result(
    `claim ${claimId} settled: it agrees with the full evaluation of submission ${event?.args.submissionId}; its bond is credited back to the claimant ${event?.args.claimant}`,
    { competition, claimId, submissionId: Number(event?.args.submissionId), voided: false, counted: false, claimant: event?.args.claimant, transaction: sent.hash },
  );
}

/**
 * `evaluate` in claim mode (docs/protocol.md §11.9): runs the submission's model on every test root not evaluated yet,
 * one transaction per root (the points and the model from the reveal calldata, verified); the last records the score.
 * Called by `evaluate` (scripts/cli/submitter.ts) once it checked the stage, the test data and the submission.
 */
export async function fullEvaluationCommand(context: ChainContext, competition: Address, id: number, featureCount: number, output: Output): Promise<void> {
  const result = await evaluateClaimSubmission(signer(context), context.client, {
    competition,
    submissionId: id,
    featureCount,
    onRoot: (rootIndex, sent) => output.progress(`evaluated test root ${rootIndex}: ${sent.correct} correct`),
  });
  const submission = await readSubmission(context.client, competition, id);
  const total = (await readCompetition(context.client, competition)).testPoints;
  output.result(
    `submission ${id}: ${submission.correct}/${total} correct on the test data, fully evaluated in ${result.sent.length} transaction(s); ` +
      `its claims now settle at once (modelbounty settle): a claim of another score is void and its bond goes to the evaluator ${result.evaluator}`,
    { competition, submissionId: id, correct: submission.correct, total, evaluator: result.evaluator, transactions: result.sent.map((t) => t.hash) },
  );
}

export interface WatchOptions extends CompetitionOptions {
  once?: boolean;
  interval: string;
  settle: string;
}

/**
 * One round (lib/danku/checkerLoop.ts checkAndDispute): check every claim, dispute each wrong one whose window is
 * open, and describe it for people. A keyless checker gets `signer`'s own explanation in the failed action.
 */
async function watchRound(context: ChainContext, competition: Address, settle: SettlePolicy, output: Output): Promise<CompetitionRound & { lines: string[] }> {
  const round = await checkAndDispute(context.client, () => signer(context), competition, {
    explain: (error) => (error instanceof CliError ? error.message : explainError(error).message),
    settle,
  });
  const lines: string[] = [];
  round.result.checks.forEach((check, i) => {
    const action = round.actions[i];
    lines.push(describeCheck(check, round.result.testPoints));
    if (action?.disputed) lines.push(`  disputed at test point ${action.disputed.point}: ${action.disputed.transaction}; the bond of ${eth(check.claim.bond)} is credited to this account`);
    if (action?.settled) lines.push(`  settled (window closed, honest): ${action.settled.transaction}; the bond of ${eth(check.claim.bond)} is credited to the claimant ${check.claim.claimant}`);
    if (action?.error) lines.push(`  ${check.verdict === "honest" ? "the settlement" : "the dispute"} failed: ${action.error}`);
  });
  output.progress(`block ${round.result.blockNumber}, ${round.result.stage}: ${round.result.checks.length} claim(s)`);
  return { ...round, lines };
}

export async function watchCommand(options: WatchOptions, output: Output): Promise<void> {
  const context = await connect(options);
  const competition = parseAddress(options.competition, "--competition");
  const interval = Number(options.interval);
  if (!Number.isFinite(interval) || interval <= 0) throw new CliError(`--interval must be a positive number of seconds, got ${options.interval}`);
  const settle = SETTLE_POLICIES.find((p) => p === options.settle);
  if (!settle) throw new CliError(`--settle must be one of ${SETTLE_POLICIES.join(", ")}, got ${options.settle}`);
  await requireClaimMode(context.client, competition);
  const all: ClaimAction[] = [];
  for (;;) {
    const round = await watchRound(context, competition, settle, output);
    all.push(...round.actions.filter((a) => a.disputed || a.error));
    // Without --once the watch ends by itself once no claim can come any more and every window has closed.
    const done = options.once || checkingIsOver(round);
    if (done) {
      const disputed = all.filter((a) => a.disputed).length;
      // A wrong claim this watch could not dispute (no key, no funds, a node error) must not look like a quiet round.
      const failed = all.filter((a) => a.error).length;
      if (failed > 0) process.exitCode = 2;
      output.result(
        [
          `competition ${competition} at block ${round.result.blockNumber} (${round.result.stage}): ${round.actions.length} claim(s), ${disputed} disputed by this watch` +
            (failed > 0 ? `, ${failed} dispute(s) failed (exit status 2)` : ""),
          ...round.lines,
        ].join("\n"),
        { competition, blockNumber: round.result.blockNumber, stage: round.result.stage, claims: round.actions, disputed: all.filter((a) => a.disputed), failed: all.filter((a) => a.error) },
      );
      return;
    }
    for (const line of round.lines) output.progress(line);
    await new Promise((resolve) => setTimeout(resolve, interval * 1000));
  }
}

/**
 * The claim-mode checker (docs/protocol.md §11, "The checker"): for every claim of a competition, recompute the
 * claimed submission's predictions from its revealed model and the revealed test points, and say whether the claim is
 * honest, wrong (with the exact `disputeClaim` arguments that disprove it) or past its window. One home for the CLI
 * (`modelbounty watch`, `dispute`) and the app's server (through lib/danku/checkerLoop.ts): {@link planClaimChecks}
 * is pure, {@link checkCompetition} reads the chain and calls it. The math is lib/danku/claims.ts (the forward pass of lib/danku/forward.ts), never a copy.
 */
import { bytesToHex, keccak256, type Address, type PublicClient } from "viem";
import { decodePoints, type DataPoint } from "./encoding";
import { predictAny } from "./anyModel";
import { disputablePoint, encodeClaimModel, locateTestPoint, predictionsOf, revealProof, revealTree, scorePredictions, type ClaimModel, type RevealTree } from "./claims";
import { readClaimModeRevealCalls, readClaimPredictions, readClaims, readEvaluationMode, type ClaimState, type DisputeCallArguments } from "../chain/claims";
import { readCompetition, readRevealedClaimModel } from "../chain/danku";

/** Exactly what `disputeClaim(claimId, rootIndex, indexInRoot, point, proof, predictions, model)` takes (built into the call by lib/chain/claims.ts disputeClaimCall). */
export type DisputeArguments = DisputeCallArguments;

/**
 * What a claim is, seen from the block the next transaction would be mined in:
 * - `void`: already disproven; `settled`: its bond is back, nothing to do;
 * - `honest`: every claimed prediction is the model's own (a dispute would revert with ClaimedPredictionCorrect);
 * - `wrong`: some prediction is not the model's and the window is open: `dispute` disproves it;
 * - `window-closed`: wrong, but its window closed before it was disputed: it can only be settled now.
 */
export type ClaimVerdict = "void" | "settled" | "honest" | "wrong" | "window-closed";

export interface ClaimCheck {
  claim: ClaimState;
  verdict: ClaimVerdict;
  /** Whether a dispute sent now is mined inside the window (claimBlock … windowClosesAt − 1). */
  windowOpen: boolean;
  /** Whether `settleClaim` would be accepted now: not void, not settled, window closed. */
  settleable: boolean;
  /** The first point where the claim differs from the model (null when honest, void or settled). */
  mismatch: { index: number; claimed: number; actual: number } | null;
  /** The model's score on the test data, for comparison with the claimed one (null when not checked). */
  actualCorrect: number | null;
  /** The dispute to send: only for `wrong`. */
  dispute: DisputeArguments | null;
}

/** One claim-mode test reveal call: the bytes of each of its points, in order (lib/chain readClaimModeRevealCalls). */
export interface RevealCallPoints {
  points: readonly Uint8Array[];
}

export interface ClaimCheckInput {
  featureCount: number;
  /** The block the next transaction would be mined in (head + 1). */
  nextBlock: bigint;
  claims: readonly ClaimState[];
  /** Each open claim's predictions, by claim id (void and settled claims need none). */
  predictions: ReadonlyMap<number, Uint8Array>;
  /** Each claimed submission's revealed model (dense or convolutional), by submission id. */
  models: ReadonlyMap<number, ClaimModel>;
  /** The test reveal calls in reveal order (global test point index = reveal order). */
  calls: readonly RevealCallPoints[];
}

export interface PlanProgress {
  /** Model runs done and to do: one run of every point per distinct submission with an open claim. */
  done: number;
  total: number;
}

/**
 * Plans what to do about every claim; throws when an input needed for an open claim is missing or inconsistent.
 * `onProgress` hears how far the recomputation of the models' predictions is (the slow part).
 */
export function planClaimChecks(input: ClaimCheckInput, options: { onProgress?: (progress: PlanProgress) => void } = {}): ClaimCheck[] {
  const trees: RevealTree[] = input.calls.map((call) => revealTree([...call.points]));
  const pointCounts = trees.map((t) => t.pointCount);
  const testPoints = testPointsOf(input.calls, input.featureCount);
  // Several claims may name one submission: its predictions are computed once.
  const reference = new Map<number, Uint8Array>();
  const toRun = new Set(input.claims.filter((c) => !c.voided && !c.settled).map((c) => c.submissionId)).size * testPoints.length;
  let ran = 0;
  options.onProgress?.({ done: 0, total: toRun });
  const referenceOf = (submissionId: number): Uint8Array => {
    const known = reference.get(submissionId);
    if (known) return known;
    const model = input.models.get(submissionId);
    if (!model) throw new Error(`submission ${submissionId} has a claim but its revealed model was not given: read it with readRevealedClaimModel`);
    const computed = predictionsOf(model, testPoints, (done) => options.onProgress?.({ done: ran + done, total: toRun }));
    ran += testPoints.length;
    reference.set(submissionId, computed);
    return computed;
  };
  return input.claims.map((claim): ClaimCheck => {
    const windowOpen = input.nextBlock < claim.windowClosesAt;
    const base = { claim, windowOpen, mismatch: null, actualCorrect: null, dispute: null };
    if (claim.voided) return { ...base, verdict: "void", settleable: false };
    if (claim.settled) return { ...base, verdict: "settled", settleable: false };
    const settleable = !windowOpen;
    const claimed = input.predictions.get(claim.id);
    if (!claimed) throw new Error(`claim ${claim.id}'s predictions were not given: read them with readClaimPredictions`);
    if (keccak256(bytesToHex(claimed)) !== claim.predictionsHash) {
      throw new Error(`the predictions given for claim ${claim.id} are not the ones it committed to (their hash differs from the claim's)`);
    }
    const actual = referenceOf(claim.submissionId);
    const actualCorrect = testPoints.reduce((n, p, i) => n + (actual[i] === p.label ? 1 : 0), 0);
    const mismatch = disputablePoint(claimed, actual);
    if (!mismatch) return { ...base, actualCorrect, verdict: "honest", settleable };
    if (!windowOpen) return { ...base, actualCorrect, mismatch, verdict: "window-closed", settleable };
    const { rootIndex, indexInRoot } = locateTestPoint(pointCounts, mismatch.index);
    const tree = trees[rootIndex] as RevealTree;
    const dispute: DisputeArguments = {
      claimId: claim.id,
      rootIndex,
      indexInRoot,
      point: input.calls[rootIndex]?.points[indexInRoot] as Uint8Array,
      proof: revealProof(tree, indexInRoot),
      predictions: claimed,
      model: encodeClaimModel(input.models.get(claim.submissionId) as ClaimModel),
    };
    return { ...base, actualCorrect, mismatch, verdict: "wrong", settleable, dispute };
  });
}

export interface CompetitionCheck {
  competition: Address;
  /** The chain's head when it was read. */
  blockNumber: bigint;
  /** The competition's stage then (lib/chain/danku STAGES). */
  stage: string;
  testPoints: number;
  checks: ClaimCheck[];
}

/** What {@link planClaimChecks} needs about a competition, read from the chain, plus where it stood then. */
export interface ClaimCheckReading {
  input: ClaimCheckInput;
  competition: Address;
  blockNumber: bigint;
  stage: string;
  testPoints: number;
}

/**
 * Reads a claim-mode competition's claims, their predictions (calldata), the claimed models (reveal calldata) and the
 * test points (reveal calldata, verified against the stored roots): everything {@link planClaimChecks} needs, so it
 * can run elsewhere (the app runs it in a worker, lib/workers/claims.worker.ts). `claimIds` limits it to some claims;
 * `modelsOf` adds the models of further submissions (the app shows what the model gives at a voided claim's point).
 */
export async function readClaimCheckInput(
  client: PublicClient,
  competition: Address,
  options: { claimIds?: readonly number[]; modelsOf?: readonly number[] } = {},
): Promise<ClaimCheckReading> {
  const mode = await readEvaluationMode(client, competition);
  if (mode !== "claim") throw new Error(`competition ${competition} evaluates models on chain; it has no claims to check (use evaluate)`);
  const state = await readCompetition(client, competition);
  const all = await readClaims(client, competition);
  const claims = options.claimIds ? all.filter((c) => options.claimIds?.includes(c.id)) : all;
  const open = claims.filter((c) => !c.voided && !c.settled);
  const extra = options.modelsOf ?? [];
  const calls = open.length === 0 && extra.length === 0 ? [] : await readClaimModeRevealCalls(client, competition, state.config.featureCount);
  const predictions = new Map<number, Uint8Array>();
  for (const c of open) predictions.set(c.id, await readClaimPredictions(client, competition, c.id, c.claimBlock));
  const models = new Map<number, ClaimModel>();
  for (const id of new Set([...open.map((c) => c.submissionId), ...extra])) {
    const model = await readRevealedClaimModel(client, competition, id);
    if (!model) throw new Error(`submission ${id} of ${competition} has a claim but no revealed model`);
    models.set(id, model);
  }
  return {
    input: { featureCount: state.config.featureCount, nextBlock: state.blockNumber + 1n, claims, predictions, models, calls },
    competition: state.address,
    blockNumber: state.blockNumber,
    stage: state.stage,
    testPoints: state.testPoints,
  };
}

/**
 * Reads a claim-mode competition ({@link readClaimCheckInput}) and plans every claim with {@link planClaimChecks}.
 * `claimIds` limits it to some claims (e.g. one the user names).
 */
export async function checkCompetition(client: PublicClient, competition: Address, options: { claimIds?: readonly number[] } = {}): Promise<CompetitionCheck> {
  const reading = await readClaimCheckInput(client, competition, options);
  const checks = planClaimChecks(reading.input);
  return { competition: reading.competition, blockNumber: reading.blockNumber, stage: reading.stage, testPoints: reading.testPoints, checks };
}

/** The test points of the reveal calls, decoded, in reveal order (global test point index = position). */
export function testPointsOf(calls: readonly RevealCallPoints[], featureCount: number): DataPoint[] {
  const points: DataPoint[] = [];
  for (const call of calls) for (const p of call.points) points.push(...decodePoints(p, featureCount));
  return points;
}

/**
 * What a claim of `submissionId` sends and what the contract will score it: the model's predictions on every test
 * point (lib/danku/claims.ts predictionsOf) and how many equal their labels. `onProgress` as for predictionsOf.
 */
export function claimedPredictions(
  input: Pick<ClaimCheckInput, "featureCount" | "models" | "calls">,
  submissionId: number,
  onProgress?: (done: number, total: number) => void,
): { predictions: Uint8Array; correct: number; total: number } {
  const model = input.models.get(submissionId);
  if (!model) throw new Error(`submission ${submissionId}'s revealed model was not given`);
  const points = testPointsOf(input.calls, input.featureCount);
  const predictions = predictionsOf(model, points, onProgress);
  const correct = scorePredictions(
    predictions,
    points.map((p) => p.label),
  );
  return { predictions, correct, total: points.length };
}

/** What `submissionId`'s model predicts at global test point `index` (e.g. where a dispute voided a claim). */
export function modelPredictionAt(input: Pick<ClaimCheckInput, "featureCount" | "models" | "calls">, submissionId: number, index: number): number {
  const model = input.models.get(submissionId);
  if (!model) throw new Error(`submission ${submissionId}'s revealed model was not given`);
  const { rootIndex, indexInRoot } = locateTestPoint(
    input.calls.map((c) => c.points.length),
    index,
  );
  const bytes = input.calls[rootIndex]?.points[indexInRoot];
  if (!bytes) throw new Error(`test point ${index} is not among the revealed points`);
  const [point] = decodePoints(bytes, input.featureCount);
  if (!point) throw new Error(`test point ${index} could not be decoded`);
  return predictAny(model, point.features);
}

/**
 * Messages between the page and the claims worker (lib/workers/claims.worker.ts). The worker recomputes claims with
 * the checker's own planner (lib/danku/checker.ts planClaimChecks: the integer forward pass the chain's evaluator
 * runs, over the test points rebuilt from the reveal calldata) and a submitter's predictions for a claim, off the
 * main thread: 10,000 test points take seconds. Everything here is structured-cloneable (Maps, typed arrays, bigints).
 */
import type { ClaimCheck, ClaimCheckInput, PlanProgress } from "../danku/checker";

export interface CheckClaimsRequest {
  readonly id: number;
  readonly kind: "check";
  readonly input: ClaimCheckInput;
  /** Voided claims whose model's own prediction at the disputed point the page shows (their models are in `input.models`). */
  readonly disputed: readonly { readonly claimId: number; readonly submissionId: number; readonly point: number }[];
}

export interface PredictRequest {
  readonly id: number;
  readonly kind: "predict";
  /** The submission whose predictions are claimed (its model must be in `input.models`). */
  readonly submissionId: number;
  readonly input: Pick<ClaimCheckInput, "featureCount" | "models" | "calls">;
}

export type ClaimsWorkerRequest = CheckClaimsRequest | PredictRequest;

export interface CheckedClaims {
  readonly checks: ClaimCheck[];
  /** claimId → what the model predicts at the point its dispute proved (for voided claims asked about). */
  readonly disputedActual: ReadonlyMap<number, number>;
}

export interface Predicted {
  /** One class byte per test point, in reveal order: the bytes `claimScore` takes. */
  readonly predictions: Uint8Array;
  /** How many equal their labels: the score the contract will record for the claim. */
  readonly correct: number;
  readonly total: number;
}

export type ClaimsWorkerResponse =
  | { readonly id: number; readonly kind: "progress"; readonly progress: PlanProgress }
  | { readonly id: number; readonly kind: "checked"; readonly result: CheckedClaims }
  | { readonly id: number; readonly kind: "predicted"; readonly result: Predicted }
  | { readonly id: number; readonly kind: "error"; readonly message: string };

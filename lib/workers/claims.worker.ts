/**
 * Claims worker: recomputes a competition's claims (lib/danku/checker.ts planClaimChecks) and a submitter's claimed
 * predictions (lib/danku/claims.ts predictionsOf) off the main thread, with progress (protocol in ./claimsProtocol.ts).
 * The logic is lib/danku's, shared with the CLI's checker and the server's; this file only carries messages.
 */
import { claimedPredictions, modelPredictionAt, planClaimChecks } from "../danku/checker";
import type { ClaimsWorkerRequest, ClaimsWorkerResponse, CheckClaimsRequest, PredictRequest } from "./claimsProtocol";

interface WorkerScope {
  onmessage: ((event: MessageEvent<ClaimsWorkerRequest>) => void) | null;
  postMessage(message: ClaimsWorkerResponse, transfer?: Transferable[]): void;
}
const scope = globalThis as unknown as WorkerScope;

/** At most ~20 progress messages a second, plus the first and the last. */
function throttled(id: number): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    const now = performance.now();
    if (done !== 0 && done !== total && now - last < 50) return;
    last = now;
    scope.postMessage({ id, kind: "progress", progress: { done, total } });
  };
}

function check(request: CheckClaimsRequest): void {
  const progress = throttled(request.id);
  const checks = planClaimChecks(request.input, { onProgress: (p) => progress(p.done, p.total) });
  const disputedActual = new Map<number, number>();
  for (const d of request.disputed) disputedActual.set(d.claimId, modelPredictionAt(request.input, d.submissionId, d.point));
  scope.postMessage({ id: request.id, kind: "checked", result: { checks, disputedActual } });
}

function predict(request: PredictRequest): void {
  const result = claimedPredictions(request.input, request.submissionId, throttled(request.id));
  scope.postMessage({ id: request.id, kind: "predicted", result }, [result.predictions.buffer as ArrayBuffer]);
}

scope.onmessage = (event) => {
  const request = event.data;
  try {
    if (request.kind === "check") check(request);
    else predict(request);
  } catch (error) {
    scope.postMessage({ id: request.id, kind: "error", message: error instanceof Error ? error.message : String(error) });
  }
};

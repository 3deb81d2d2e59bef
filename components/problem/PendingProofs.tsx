"use client";

import { useEffect, useId, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useAccount } from "wagmi";
import { daimonProblemAbi } from "@/lib/generated/abis";
import type { ChainProof, ChainTuple, ChainVote, ProblemState } from "@/lib/chain/daimon";
import type { PoiVerification } from "@/lib/daimon/poi";
import { PoiWorkerClient } from "@/lib/browser/poiWorker";
import type { PoiBackendPreference, PoiRun } from "@/lib/workers/poiProtocol";
import { formatAccuracy, formatDistance, pendingProofs, pendingRoundStatus, voteAvailability, type ProofWithVotes } from "@/lib/web/daimon";
import { formatEth, formatNumber } from "@/lib/web/format";
import { DAIMON_LIMITS } from "@/lib/daimon/fixedPoint";
import { useAppConfig } from "@/components/providers/AppConfigContext";
import { TransactionStatus } from "@/components/tx/TransactionStatus";
import { useTransactor } from "@/components/tx/useTransactor";
import { ProgressBar } from "@/components/organizer/ProgressBar";
import { PrimaryButton, SecondaryButton } from "@/components/organizer/ui";
import { AddressText } from "@/components/ui/Address";
import { AlertIcon, CheckIcon } from "@/components/ui/Icons";
import { labelBase } from "@/components/ui/styles";
import { BackendSelect } from "./BackendSelect";
import { ipfsFileQuery, loadTupleFiles } from "./useProblem";
import { describeBackend, poiProblemOf, poiProgressLabel, type PoiStep } from "./poiClient";

/**
 * docs/daimon.md §7: runtimes differ in the last float bits, so a validator accepts outputs within ±1 unit per
 * entry of what it recomputes (and votes for the submitted proof's hash).
 */
export const VERIFY_TOLERANCE = 1;

type Verification =
  | { kind: "running"; step: PoiStep; source: string }
  | { kind: "failed"; message: string; source: string }
  | { kind: "done"; verification: PoiVerification; run: PoiRun; source: string };

function ProofRow({
  state,
  proof,
  votes,
  verification,
  onVerify,
  onVerifyFile,
  onVote,
  busy,
}: {
  state: ProblemState;
  proof: ProofWithVotes;
  votes: readonly ChainVote[];
  verification: Verification | undefined;
  onVerify: () => void;
  onVerifyFile: (file: File) => void;
  onVote: (proofHash: `0x${string}`) => void;
  busy: boolean;
}) {
  const app = useAppConfig();
  const { address: account, chainId: walletChain } = useAccount();
  const id = useId();
  const verified = verification?.kind === "done" ? verification.verification.verified : verification?.kind === "failed" ? false : undefined;
  const vote = voteAvailability({ state, proof, votes, account, rightNetwork: walletChain === undefined || walletChain === app.chainId, verified });
  const result = verification?.kind === "done" ? verification.verification : undefined;
  const voteHash = result?.proofHash ?? undefined;
  return (
    <li className="rounded-xl border border-slate-200 p-4 dark:border-slate-800" data-testid="pending-proof" data-proof-id={proof.proofId.toString()}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 className="text-sm font-semibold">
            Proof #{formatNumber(proof.proofId)}
            {proof.leading ? <span className="ml-2 rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-700 dark:bg-emerald-500/10 dark:text-emerald-300">leading</span> : null}
          </h3>
          <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">
            by <AddressText address={proof.improver} /> · round {formatNumber(proof.round)} · block #{formatNumber(proof.blockNumber)}
          </p>
          <p className="mt-0.5 break-all font-mono text-xs text-slate-500 dark:text-slate-400">model {proof.cid}</p>
        </div>
        <dl className="flex gap-4 text-right text-sm">
          <div>
            <dt className="text-xs text-slate-500 dark:text-slate-400">Distance</dt>
            <dd className="tabular font-semibold">{formatDistance(proof.distance, 6)}</dd>
            <dd className="tabular text-xs text-slate-500">≈ {formatAccuracy(proof.distance)} accurate</dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500 dark:text-slate-400">Votes</dt>
            <dd className="tabular font-semibold" data-testid="proof-votes">
              {proof.votes.length} / {state.config.minVotes}
            </dd>
          </div>
        </dl>
      </div>
      {proof.votes.length > 0 ? (
        <ol className="mt-2 flex flex-wrap gap-2 text-xs" aria-label={`Validators of proof #${proof.proofId}`}>
          {proof.votes.map((v) => (
            <li key={v.validator} className="rounded-md bg-slate-100 px-2 py-1 dark:bg-slate-800">
              #{formatNumber(v.position)} <AddressText address={v.validator} />
            </li>
          ))}
        </ol>
      ) : null}

      <div className="mt-3 flex flex-wrap items-center gap-2">
        <SecondaryButton onClick={onVerify} disabled={verification?.kind === "running"} aria-describedby={`${id}-verify-hint`}>
          Verify
        </SecondaryButton>
        <PrimaryButton disabled={!vote.allowed || busy || !voteHash} aria-describedby={`${id}-vote-reason`} onClick={() => voteHash && onVote(voteHash)}>
          Vote · bond {formatEth(DAIMON_LIMITS.VOTE_BOND)}
        </PrimaryButton>
        <label className="text-xs text-slate-600 dark:text-slate-300">
          <span className={`${labelBase} inline`}>or verify a model file </span>
          <input
            type="file"
            accept=".onnx,application/octet-stream"
            aria-label={`Model file to verify proof #${proof.proofId} with`}
            className="ml-1 text-xs file:mr-2 file:rounded-md file:border-0 file:bg-slate-100 file:px-2 file:py-1 file:text-xs dark:file:bg-slate-800"
            disabled={verification?.kind === "running"}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) onVerifyFile(file);
              e.target.value = "";
            }}
          />
        </label>
      </div>
      <p id={`${id}-verify-hint`} className="mt-1 text-xs text-slate-500 dark:text-slate-400">
        Verify downloads the model by its CID from IPFS, runs it on every tuple&apos;s Z and f in this browser and checks the submitted y and the distance.
      </p>
      <p id={`${id}-vote-reason`} className={`mt-1 text-xs ${vote.allowed ? "text-emerald-700 dark:text-emerald-400" : "text-slate-600 dark:text-slate-300"}`} data-testid="vote-reason">
        {vote.reason}
      </p>

      {verification?.kind === "running" ? (
        <div className="mt-3">
          <ProgressBar {...poiProgressLabel(verification.step)} />
        </div>
      ) : null}
      {verification?.kind === "failed" ? (
        <div role="alert" className="mt-3 rounded-lg border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-900 dark:border-rose-500/30 dark:bg-rose-500/10 dark:text-rose-200" data-testid="verify-result" data-verified="false">
          <p className="flex items-center gap-1.5 font-semibold">
            <AlertIcon /> Not verified ({verification.source})
          </p>
          <p className="mt-1">{verification.message}</p>
        </div>
      ) : null}
      {verification?.kind === "done" ? (
        <div
          role={verification.verification.verified ? "status" : "alert"}
          className={`mt-3 rounded-lg border px-3 py-2 text-sm ${
            verification.verification.verified
              ? "border-emerald-200 bg-emerald-50 text-emerald-900 dark:border-emerald-500/30 dark:bg-emerald-500/10 dark:text-emerald-200"
              : "border-rose-200 bg-rose-50 text-rose-900 dark:border-rose-500/30 dark:bg-rose-500/10 dark:text-rose-200"
          }`}
          data-testid="verify-result"
          data-verified={verification.verification.verified ? "true" : "false"}
        >
          <p className="flex items-center gap-1.5 font-semibold">
            {verification.verification.verified ? <CheckIcon /> : <AlertIcon />}
            {verification.verification.verified ? "Verified" : "Not verified"} ({verification.source}, {describeBackend(verification.run)})
          </p>
          <ul className="mt-1 space-y-0.5" aria-label="Checks">
            {verification.verification.checks.map((c) => (
              <li key={c.name} className="flex gap-1.5" data-testid="verify-check" data-check={c.name} data-ok={c.ok ? "true" : "false"}>
                <span aria-hidden>{c.ok ? "✓" : "✗"}</span>
                <span>
                  <span className="sr-only">{c.ok ? "passed: " : "failed: "}</span>
                  {c.detail}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </li>
  );
}

/** The validator's view: the proofs of the pending round with their votes; verify one in the browser, then vote. */
export function PendingProofs({
  state,
  tuples,
  proofs,
  votes,
}: {
  state: ProblemState;
  tuples: readonly ChainTuple[] | undefined;
  proofs: readonly ChainProof[];
  votes: readonly ChainVote[];
}) {
  const queryClient = useQueryClient();
  const tx = useTransactor();
  const [verifications, setVerifications] = useState<Record<string, Verification>>({});
  const [backend, setBackend] = useState<PoiBackendPreference>("auto");
  const worker = useRef<PoiWorkerClient | null>(null);
  useEffect(() => () => worker.current?.dispose(), []);
  const list = pendingProofs(state, proofs, votes);
  const status = pendingRoundStatus(state, proofs);

  const set = (proof: ChainProof, value: Verification) => setVerifications((all) => ({ ...all, [`${proof.proofId}:${proof.proofHash}`]: value }));

  async function runVerify(proof: ChainProof, source: string, getModel: (onProgress: (done: number, total: number) => void) => Promise<Uint8Array>) {
    if (!tuples) return;
    const step = (s: PoiStep) => set(proof, { kind: "running", step: s, source });
    try {
      step({ kind: "download", done: 0, total: 1, what: "Getting the model" });
      const model = await getModel((done, total) => step({ kind: "download", done, total, what: "Getting the model" }));
      const files = await loadTupleFiles(queryClient, tuples, (done, total) => step({ kind: "download", done, total }));
      worker.current ??= new PoiWorkerClient();
      const result = await worker.current.verify(
        {
          model,
          proof: { cid: proof.cid, outputs: proof.outputs, improver: proof.improver, problem: state.address, proofHash: proof.proofHash, distance: proof.distance, distances: proof.distances, binding: { modelHash: proof.modelHash, labelsRoot: proof.labelsRoot, checkpoints: proof.checkpoints } },
          tuples: files,
          problem: poiProblemOf(state),
          // Votes count only in the proof's round, during which d_c is the committed best distance.
          bestDistance: state.bestDistance,
          margin: state.config.margin,
          tolerance: VERIFY_TOLERANCE,
          preferredBackend: backend,
        },
        (progress) => step({ kind: "run", progress, tuples: tuples.length }),
      );
      set(proof, { kind: "done", verification: result.verification, run: result.run, source });
    } catch (error) {
      set(proof, { kind: "failed", message: error instanceof Error ? error.message : String(error), source });
    }
  }

  const verifyFromIpfs = (proof: ChainProof) =>
    void runVerify(proof, "model from IPFS", async (onProgress) => {
      try {
        const bytes = await queryClient.fetchQuery(ipfsFileQuery(proof.cid));
        onProgress(1, 1);
        return bytes;
      } catch (error) {
        throw new Error(
          `The model ${proof.cid} could not be downloaded from IPFS (${error instanceof Error ? error.message : String(error)}). The improver may not have published it yet; without the model the proof cannot be checked.`,
        );
      }
    });

  const verifyFile = (proof: ChainProof, file: File) => void runVerify(proof, file.name, async () => new Uint8Array(await file.arrayBuffer()));

  const vote = (proof: ChainProof, proofHash: `0x${string}`) =>
    void tx.write(`Vote for proof #${proof.proofId} (bond ${formatEth(DAIMON_LIMITS.VOTE_BOND)})`, {
      address: state.address,
      abi: daimonProblemAbi,
      functionName: "vote",
      args: [proof.proofId, proofHash],
      value: DAIMON_LIMITS.VOTE_BOND,
    });

  if (list.length === 0) {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="no-pending-proofs">
        {state.phase === "Competition" ? `No proof in round ${formatNumber(state.currentRound ?? 0n)} yet.` : "Proofs can be submitted once the definition period is over."}
      </p>
    );
  }
  return (
    <div>
      <div className="mb-3 max-w-xs">
        <BackendSelect value={backend} onChange={setBackend} />
      </div>
      <p className="mb-3 text-xs text-slate-500 dark:text-slate-400">
        Round {formatNumber(status.round ?? 0n)}
        {status.over ? " is over: voting is closed and the leader's block can be committed." : `: a block needs ${state.config.minVotes} vote${state.config.minVotes === 1 ? "" : "s"} for its leader by block #${formatNumber((status.endBlock ?? 1n) - 1n)}.`}{" "}
        Outputs may differ from your recomputation by ±{VERIFY_TOLERANCE} unit per entry (runtimes differ in the last float bits).
      </p>
      <ul className="space-y-3" aria-label="Pending proofs">
        {list.map((p) => (
          <ProofRow
            key={p.proofId.toString()}
            state={state}
            proof={p}
            votes={votes}
            verification={verifications[`${p.proofId}:${p.proofHash}`]}
            onVerify={() => verifyFromIpfs(p)}
            onVerifyFile={(file) => verifyFile(p, file)}
            onVote={(hash) => vote(p, hash)}
            busy={tx.busy}
          />
        ))}
      </ul>
      <TransactionStatus state={tx.state} onDismiss={tx.reset} />
    </div>
  );
}

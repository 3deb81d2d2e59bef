"use client";

import { useEffect, useId, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { parseEventLogs } from "viem";
import { useAccount } from "wagmi";
import { daimonProblemAbi } from "@/lib/generated/abis";
import type { ChainProof, ChainTuple, ProblemState } from "@/lib/chain/daimon";
import { registrationHash } from "@/lib/daimon/encoding";
import { DAIMON_LIMITS, improverReward, validatorPool, validatorShare } from "@/lib/daimon/fixedPoint";
import type { PoiProgress, PoiProof } from "@/lib/daimon/poi";
import { PoiWorkerClient } from "@/lib/browser/poiWorker";
import { uploadToIpfs } from "@/lib/ipfs/client";
import { formatBytes } from "@/lib/ipfs/config";
import type { PoiBackendPreference, PoiRun } from "@/lib/workers/poiProtocol";
import { formatAccuracy, formatDistance, formatTokenAmount, improverActions, phaseAt } from "@/lib/web/daimon";
import { formatBlocks, formatNumber, sameAddress } from "@/lib/web/format";
import { useAppConfig } from "@/components/providers/AppConfigContext";
import { TransactionStatus } from "@/components/tx/TransactionStatus";
import { useTransactor } from "@/components/tx/useTransactor";
import { ProgressBar } from "@/components/organizer/ProgressBar";
import { Notice, PrimaryButton, SecondaryButton } from "@/components/organizer/ui";
import { fieldBase, labelBase } from "@/components/ui/styles";
import { BackendSelect } from "./BackendSelect";
import { loadTupleFiles, useRegistration } from "./useProblem";
import { describeBackend, poiProgressLabel, poiProblemOf, type PoiStep } from "./poiClient";
import { Term } from "./Term";

/** ONNX models above this are refused before anything runs (they are uploaded and downloaded by every validator). */
export const MAX_DAIMON_MODEL_BYTES = 64 * 1024 * 1024;

type ProveStatus =
  | { kind: "idle" }
  | { kind: "running"; fileName: string; step: PoiStep }
  | { kind: "failed"; fileName: string; message: string }
  | { kind: "done"; fileName: string; file: File; proof: PoiProof; run: PoiRun };

type Upload = { status: "idle" } | { status: "uploading"; sent: number; total: number } | { status: "failed"; message: string } | { status: "done"; cid: string };

type Submitted = { proofId: bigint; round: bigint; distance: bigint; hash: string };

/**
 * The model improver's PROVE → register → wait → submit → publish, from this browser: the model runs on every tuple's
 * Z and f in a worker, the registration hides the CID and the outputs REGISTRATION_AGE blocks before the proof
 * (docs/daimon.md §7), and the model is uploaded to IPFS only once the proof is mined, as the CLI does.
 */
export function ImproverPanel({ state, tuples, proofs }: { state: ProblemState; tuples: readonly ChainTuple[] | undefined; proofs: readonly ChainProof[] }) {
  const app = useAppConfig();
  const { address: account, chainId: walletChain } = useAccount();
  const queryClient = useQueryClient();
  const tx = useTransactor();
  const inputId = useId();
  const [status, setStatus] = useState<ProveStatus>({ kind: "idle" });
  const [upload, setUpload] = useState<Upload>({ status: "idle" });
  const [submitted, setSubmitted] = useState<Submitted>();
  const [backend, setBackend] = useState<PoiBackendPreference>("auto");
  const worker = useRef<PoiWorkerClient | null>(null);
  const run = useRef(0);
  useEffect(() => () => worker.current?.dispose(), []);

  const proof = status.kind === "done" ? status.proof : undefined;
  const registration = useRegistration(state.address, account, proof?.cid, proof?.packedOutputs);
  const actions = improverActions({
    state,
    proofs,
    account,
    rightNetwork: walletChain === undefined || walletChain === app.chainId,
    proved: proof ? { cid: proof.cid, distance: proof.distance } : undefined,
    registeredAt: registration.data?.registeredAt,
    cidOwner: registration.data?.cidOwner,
    cidOwnerRegisteredAt: registration.data?.cidOwnerRegisteredAt,
  });
  const nextPhase = phaseAt(state.blockNumber + 1n, state);
  const canProve = state.tupleCount > 0 && nextPhase !== "Dead" && !!tuples && tuples.length === state.tupleCount;

  async function runProve(file: File) {
    const current = ++run.current;
    setUpload({ status: "idle" });
    setSubmitted(undefined);
    tx.reset();
    if (file.size > MAX_DAIMON_MODEL_BYTES) {
      setStatus({ kind: "failed", fileName: file.name, message: `The file is ${formatBytes(file.size)}; models are limited to ${formatBytes(MAX_DAIMON_MODEL_BYTES)}.` });
      return;
    }
    if (!tuples) return;
    const step = (s: PoiStep) => {
      if (run.current === current) setStatus({ kind: "running", fileName: file.name, step: s });
    };
    step({ kind: "download", done: 0, total: tuples.length * 2 });
    try {
      const files = await loadTupleFiles(queryClient, tuples, (done, total) => step({ kind: "download", done, total }));
      worker.current ??= new PoiWorkerClient();
      const result = await worker.current.prove(
        { model: file, tuples: files, problem: poiProblemOf(state), problemAddress: state.address, ...(account ? { improver: account } : {}), preferredBackend: backend },
        (progress: PoiProgress) => step({ kind: "run", progress, tuples: tuples.length }),
      );
      if (run.current !== current) return;
      setStatus({ kind: "done", fileName: file.name, file, proof: result.proof, run: result.run });
    } catch (error) {
      if (run.current !== current) return;
      setStatus({ kind: "failed", fileName: file.name, message: error instanceof Error ? error.message : String(error) });
    }
  }

  async function publish(file: File, cid: string) {
    setUpload({ status: "uploading", sent: 0, total: file.size });
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const uploaded = await uploadToIpfs(bytes, { onProgress: (sent, total) => setUpload({ status: "uploading", sent, total }) });
      if (uploaded.cid !== cid) throw new Error(`the upload's CID ${uploaded.cid} is not the proved model's ${cid}`);
      setUpload({ status: "done", cid: uploaded.cid });
    } catch (error) {
      setUpload({ status: "failed", message: error instanceof Error ? error.message : String(error) });
    }
  }

  async function register() {
    if (status.kind !== "done" || !account) return;
    const receipt = await tx.write("Register the model", {
      address: state.address,
      abi: daimonProblemAbi,
      functionName: "register",
      args: [registrationHash(state.address, account, status.proof.cid, status.proof.packedOutputs)],
    });
    if (!receipt) return;
    await registration.refetch();
  }

  async function submit() {
    if (status.kind !== "done") return;
    const receipt = await tx.write("Submit the proof", {
      address: state.address,
      abi: daimonProblemAbi,
      functionName: "submitProof",
      args: [status.proof.cid, status.proof.binding.modelHash, status.proof.binding.labelsRoot, status.proof.binding.checkpoints, status.proof.packedOutputs],
      value: DAIMON_LIMITS.PROOF_BOND,
    });
    if (!receipt) return;
    const [event] = parseEventLogs({ abi: daimonProblemAbi, logs: receipt.logs, eventName: "ProofSubmitted" });
    if (event) setSubmitted({ proofId: event.args.proofId, round: event.args.round, distance: event.args.distance, hash: event.args.proofHash });
    // Only now, with the proof (and so the CID and the outputs) owned on chain, does the model leave the browser.
    await publish(status.file, status.proof.cid);
  }

  const age = actions.registration;
  // The latest proof this account made with the proved model, if any (its block may be committed already).
  const ownProof = proof ? [...proofs].reverse().find((p) => p.cid === proof.cid && sameAddress(p.improver, account)) : undefined;
  const mineOwn = !!ownProof && ownProof.round === (state.currentRound ?? -1n);
  const reward = proof && actions.beats ? improverReward(proof.distance, actions.bestDistance, state.config.rewardShape, state.config.rewardScale) : undefined;

  return (
    <div className="space-y-4" data-testid="improver-panel">
      <div className="grid gap-3 sm:grid-cols-3">
        <div className="sm:col-span-2">
        <label htmlFor={inputId} className={labelBase}>
          Model file (ONNX)
        </label>
        <input
          id={inputId}
          type="file"
          accept=".onnx,application/octet-stream"
          className={`${fieldBase} mt-1`}
          disabled={!canProve || status.kind === "running"}
          aria-describedby={`${inputId}-hint`}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void runProve(file);
          }}
        />
        <p id={`${inputId}-hint`} className="mt-1 text-xs text-slate-500 dark:text-slate-400">
          {canProve
            ? `A classifier with one float32 input [N, ${state.inputShape.join(", ")}] and ${state.config.classCount} scores (or one label) per input. PROVE runs it on every tuple's test inputs Z and the DEL function f on its predictions, here in your browser; nothing leaves it before you register.`
            : nextPhase === "Dead"
              ? "The problem is dead: no proof can be checked."
              : state.tupleCount === 0
                ? "No test tuple yet: there is nothing to prove against."
                : "Reading the problem's tuples…"}
        </p>
        </div>
        <BackendSelect value={backend} onChange={setBackend} disabled={status.kind === "running"} />
      </div>

      {status.kind === "running" ? <ProgressBar {...poiProgressLabel(status.step)} /> : null}

      {status.kind === "failed" ? (
        <Notice tone="error" title={`${status.fileName} cannot be used`} testId="model-error">
          <p>{status.message}</p>
          <p>Nothing was sent. Fix the model and choose the file again.</p>
        </Notice>
      ) : null}

      {status.kind === "done" ? (
        <div className="space-y-3" data-testid="prove-result">
          <p className="text-sm">
            <span className="font-medium">{status.fileName}</span> · CID <span className="break-all font-mono text-xs" data-testid="proof-cid">{status.proof.cid}</span> · {describeBackend(status.run)}
          </p>
          {status.run.notes.length > 0 ? (
            <ul className="list-disc space-y-1 pl-5 text-xs text-slate-600 dark:text-slate-300" data-testid="prove-notes">
              {status.run.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          ) : null}
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            <div className="rounded-lg border border-slate-200 px-3 py-2 dark:border-slate-800">
              <dt className="text-xs text-slate-500 dark:text-slate-400">Estimated error (distance d)</dt>
              <dd className="tabular text-lg font-semibold" data-testid="proof-distance">
                {formatDistance(status.proof.distance, 6)}
              </dd>
              {status.proof.distances.length > 1 ? (
                <dd className="tabular text-xs text-slate-500">per tuple {status.proof.distances.map((d) => formatDistance(d)).join(", ")}</dd>
              ) : null}
            </div>
            <div className="rounded-lg border border-slate-200 px-3 py-2 dark:border-slate-800">
              <dt className="text-xs text-slate-500 dark:text-slate-400">Estimated accuracy (1 − d)</dt>
              <dd className="tabular text-lg font-semibold">{formatAccuracy(status.proof.distance)}</dd>
            </div>
            <div className="rounded-lg border border-slate-200 px-3 py-2 dark:border-slate-800">
              <dt className="text-xs text-slate-500 dark:text-slate-400">
                Needed: <Term name="d" gloss={false} /> &lt; <Term name="d_c" gloss={false} /> − <Term name="δ" gloss={false} /> (best distance minus the margin)
              </dt>
              <dd className="tabular text-lg font-semibold">
                {formatDistance(actions.bestDistance - state.config.margin > 0n ? actions.bestDistance - state.config.margin : 0n, 6)}
              </dd>
              <dd className="tabular text-xs text-slate-500">
                <Term name="d_c" /> {formatDistance(actions.bestDistance)} · <Term name="δ" gloss={false} /> (margin) {formatDistance(state.config.margin)}
              </dd>
            </div>
            <div className="rounded-lg border border-slate-200 px-3 py-2 dark:border-slate-800">
              <dt className="text-xs text-slate-500 dark:text-slate-400">Reward if committed</dt>
              <dd className="tabular text-lg font-semibold">{reward !== undefined ? formatTokenAmount(reward, state.tokenSymbol) : "—"}</dd>
              {reward !== undefined ? (
                <dd className="tabular text-xs text-slate-500">
                  validators together: {formatTokenAmount(validatorPool(reward), state.tokenSymbol)}, in equal shares ({formatTokenAmount(validatorShare(reward, state.config.minVotes), state.tokenSymbol)} each with {formatNumber(state.config.minVotes)} vote{state.config.minVotes === 1 ? "" : "s"})
                </dd>
              ) : null}
            </div>
          </dl>
          <p
            className={`text-sm font-medium ${ownProof ? "text-slate-700 dark:text-slate-200" : actions.beats ? "text-emerald-700 dark:text-emerald-400" : "text-rose-700 dark:text-rose-400"}`}
            data-testid="proof-beats"
          >
            {ownProof && !actions.beats
              ? `You submitted this model as proof #${ownProof.proofId} in round ${ownProof.round} (d = ${formatDistance(ownProof.distance, 6)}); the best distance is now ${formatDistance(actions.bestDistance, 6)}.`
              : actions.beats
              ? `Beats the best distance: d = ${formatDistance(status.proof.distance, 6)} < ${formatDistance(actions.bestDistance, 6)} − ${formatDistance(state.config.margin, 6)}.`
              : `No improvement: d = ${formatDistance(status.proof.distance, 6)} is not below ${formatDistance(actions.bestDistance, 6)} − ${formatDistance(state.config.margin, 6)}; the contract would refuse the proof.`}
          </p>

          <ol className="space-y-3 border-t border-slate-100 pt-3 text-sm dark:border-slate-800">
            <li className="flex flex-col gap-1 sm:flex-row sm:items-start sm:justify-between">
              <div className="min-w-0">
                <p className="font-semibold">1. Register the model</p>
                <p className="text-xs text-slate-500 dark:text-slate-400">
                  Only keccak256(problem, you, CID, keccak256(outputs)) goes on chain. The proof is accepted {formatNumber(DAIMON_LIMITS.REGISTRATION_AGE)} blocks after
                  the registration: if a proof fails and shows its outputs, anyone who registers them after seeing them waits as long, so you can retry first.
                </p>
                <p id={`${inputId}-register`} className="mt-1 text-xs text-slate-600 dark:text-slate-300" data-testid="registration-status">
                  {actions.register.reason}
                </p>
                {age ? (
                  <div className="mt-1" data-testid="registration-age">
                    <ProgressBar
                      label={
                        age.blocksLeft > 0n
                          ? `Registered in block #${formatNumber(age.registeredAt)}, usable from block #${formatNumber(age.usableFrom)}: ${formatBlocks(age.blocksLeft)} to go`
                          : `Registered in block #${formatNumber(age.registeredAt)}, usable from block #${formatNumber(age.usableFrom)}: ready`
                      }
                      value={Number(age.age - age.blocksLeft)}
                      max={Number(age.age)}
                      detail={`${formatNumber(age.age - age.blocksLeft)} / ${formatBlocks(age.age)}`}
                    />
                  </div>
                ) : null}
              </div>
              <PrimaryButton disabled={!actions.register.allowed || tx.busy} aria-describedby={`${inputId}-register`} onClick={() => void register()}>
                Register
              </PrimaryButton>
            </li>
            <li className="flex flex-col gap-1 sm:flex-row sm:items-start sm:justify-between">
              <div className="min-w-0">
                <p className="font-semibold">2. Submit the proof</p>
                <p className="text-xs text-slate-500 dark:text-slate-400">
                  The CID and y = f(M(Z)) of every tuple ({formatNumber(status.proof.outputs.reduce((n, o) => n + o.length, 0))} int16 values); the contract recomputes d and refuses it unless d + δ &lt; d_c.
                </p>
                <p id={`${inputId}-submit`} className="mt-1 text-xs text-slate-600 dark:text-slate-300" data-testid="submit-status">
                  {mineOwn && !submitted ? "You already submitted this model in this round." : actions.submit.reason}
                </p>
              </div>
              <PrimaryButton disabled={!actions.submit.allowed || tx.busy || mineOwn} aria-describedby={`${inputId}-submit`} onClick={() => void submit()}>
                Submit the proof
              </PrimaryButton>
            </li>
            <li>
              <p className="font-semibold">3. Publish the model on IPFS</p>
              <p className="text-xs text-slate-500 dark:text-slate-400">Right after the proof is mined (done for you), so validators can download it by its CID and check it.</p>
              {upload.status === "uploading" ? <ProgressBar label="Uploading the model to IPFS" value={upload.sent} max={upload.total} /> : null}
              {upload.status === "done" ? (
                <p className="mt-1 text-xs text-emerald-700 dark:text-emerald-400" data-testid="model-published">
                  Published as <span className="break-all font-mono">{upload.cid}</span>.
                </p>
              ) : null}
              {upload.status === "failed" ? (
                <Notice tone="error" title="The model upload failed" testId="model-upload-failed">
                  <p>{upload.message} Validators need the model to verify your proof.</p>
                  <SecondaryButton onClick={() => void publish(status.file, status.proof.cid)}>Retry the upload</SecondaryButton>
                </Notice>
              ) : null}
              {upload.status === "idle" && (submitted || ownProof) ? (
                <SecondaryButton className="mt-1" onClick={() => void publish(status.file, status.proof.cid)}>
                  Publish the model
                </SecondaryButton>
              ) : null}
            </li>
          </ol>
          {submitted ? (
            <Notice tone="success" testId="proof-submitted">
              Proof #{formatNumber(submitted.proofId)} accepted in round {formatNumber(submitted.round)} with d = {formatDistance(submitted.distance, 6)}. Validators can verify and vote for it
              until the round ends; then anyone commits the block and you receive {reward !== undefined ? formatTokenAmount(reward, state.tokenSymbol) : "the reward"}.
            </Notice>
          ) : null}
        </div>
      ) : null}
      <TransactionStatus state={tx.state} onDismiss={tx.reset} />
    </div>
  );
}


"use client";

import { useId, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { hexToBytes, parseEventLogs } from "viem";
import { useAccount, useConfig } from "wagmi";
import { simulateContract, writeContract } from "wagmi/actions";
import { dankuCompetitionAbi } from "@/lib/generated/abis";
import { revealModelGasLimit } from "@/lib/chain/flows";
import type { CompetitionState, SubmissionState } from "@/lib/chain/danku";
import {
  buildSubmissionFile,
  parseSubmissionFile,
  serializeSubmissionFile,
  submissionFileCommitment,
  verifySubmissionAgainstCommitment,
  withSubmissionId,
  type SubmissionFile,
} from "@/lib/danku/secrets";
import { loadSubmissions, saveSubmission, submissionFileName, type LoadedSubmission } from "@/lib/browser/submissionStore";
import { downloadTextFile } from "@/lib/browser/download";
import { uploadToIpfs } from "@/lib/ipfs/client";
import type { SubmitSection } from "@/lib/web/actions";
import { matchSubmissions, nextSubmitterStep, type TrackedSubmission } from "@/lib/web/submitter";
import { sameAddress } from "@/lib/web/format";
import { useAppConfig } from "@/components/providers/AppConfigContext";
import { TransactionStatus } from "@/components/tx/TransactionStatus";
import { useTransactor } from "@/components/tx/useTransactor";
import { EvaluationProgressBar } from "@/components/competition/EvaluationProgressBar";
import { useEvaluation } from "@/components/competition/useEvaluation";
import { ProgressBar } from "@/components/organizer/ProgressBar";
import { Notice, PrimaryButton, SecondaryButton } from "@/components/organizer/ui";
import { fieldBase, labelBase } from "@/components/ui/styles";
import { useClaimsState, useEvaluationMode } from "@/components/competition/useClaims";
import { claimStepMessage } from "@/lib/web/claims";
import type { PreviewedModel } from "./ModelPreview";
import { ClaimScore } from "./ClaimScore";

type Upload =
  | { status: "idle" }
  | { status: "uploading"; sent: number; total: number }
  | { status: "failed"; message: string; file: SubmissionFile }
  | { status: "done"; cid: string };

/**
 * Commit → reveal (then the model is uploaded to IPFS) → evaluate, from the wallet. The submission file (salt and
 * model) is written to this browser's storage and offered as a download before the commit is sent: without it the
 * model can never be revealed. Until the reveal the model leaves neither the browser nor that file (only its hash
 * is on chain): the public IPFS copy is made only once the reveal has put the model bytes on chain anyway.
 */
export function SubmissionFlow({
  state,
  submissions,
  previewed,
  withdrawable,
  section,
}: {
  state: CompetitionState;
  submissions: readonly SubmissionState[] | undefined;
  previewed: PreviewedModel | undefined;
  withdrawable: bigint | undefined;
  /** What this visitor can do here now (lib/web/actions.ts availableActions). */
  section: SubmitSection;
}) {
  const app = useAppConfig();
  const wagmiConfig = useConfig();
  const { address: account, chainId: walletChain } = useAccount();
  const tx = useTransactor();
  const { evaluate, progress, evaluating } = useEvaluation(state, tx);
  const fileInputId = useId();
  const queryClient = useQueryClient();
  const storedKey = ["submitter", "stored", app.chainId, state.address.toLowerCase()] as const;
  const storedQuery = useQuery({ queryKey: storedKey, queryFn: () => loadSubmissions(app.chainId, state.address) });
  const stored: LoadedSubmission[] = storedQuery.data ?? [];
  const refresh = () => queryClient.invalidateQueries({ queryKey: storedKey });
  const [storageProblem, setStorageError] = useState<string>();
  const storageError = storageProblem ?? (storedQuery.error ? storedQuery.error.message : undefined);
  // The submission file being prepared belongs to one preview: a new preview starts afresh (new salt).
  const [draft, setDraft] = useState<{ for: PreviewedModel; file: SubmissionFile; saved: boolean; acknowledged: boolean }>();
  const current = draft && draft.for === previewed ? draft : undefined;
  const prepared = current?.file;
  const saved = current?.saved ?? false;
  const acknowledged = current?.acknowledged ?? false;
  const setAcknowledged = (value: boolean) => setDraft((d) => (d ? { ...d, acknowledged: value } : d));
  const [upload, setUpload] = useState<Upload>({ status: "idle" });
  const [importError, setImportError] = useState<string>();
  const competition = state.address;
  // Claim mode (docs/protocol.md §11): a revealed submission's score is claimed, not evaluated on chain.
  const claimMode = useEvaluationMode(competition).data === "claim";
  const claims = useClaimsState(competition, claimMode, state.init1Block).data?.claims;

  const wrongNetwork = walletChain !== undefined && walletChain !== app.chainId;
  const blocked = !account ? "Connect a wallet to submit." : wrongNetwork ? `Switch your wallet to ${app.chainName} to submit.` : undefined;
  const tracked = matchSubmissions(
    stored.map((s) => s.file),
    submissions ?? [],
  ).filter((t) => !account || sameAddress(t.file.submitter, account));
  const modelFileName = (file: SubmissionFile) => stored.find((s) => s.file.salt === file.salt)?.record.modelFileName ?? previewed?.fileName ?? "model";

  /** Creates the submission file (fresh salt), keeps it in this browser and offers it as a download. */
  async function prepare() {
    if (!previewed || !account) return;
    const file = buildSubmissionFile({ chainId: app.chainId, competition, submitter: account, modelBytes: previewed.result.modelBytes });
    let keptHere = false;
    try {
      await saveSubmission(file, { modelFileName: previewed.fileName });
      keptHere = true;
    } catch (error) {
      setStorageError(`${error instanceof Error ? error.message : String(error)} Keep the downloaded file: it is the only copy.`);
    }
    setDraft({ for: previewed, file, saved: keptHere, acknowledged: false });
    downloadTextFile(submissionFileName(file), serializeSubmissionFile(file));
    void refresh();
  }

  async function uploadModel(file: SubmissionFile) {
    setUpload({ status: "uploading", sent: 0, total: 1 });
    try {
      const { cid } = await uploadToIpfs(hexToBytes(file.modelHex), { onProgress: (sent, total) => setUpload({ status: "uploading", sent, total }) });
      await saveSubmission(file, { modelFileName: modelFileName(file), modelCid: cid }).catch(() => undefined);
      setUpload({ status: "done", cid });
      void refresh();
    } catch (error) {
      setUpload({ status: "failed", message: error instanceof Error ? error.message : String(error), file });
    }
  }

  async function commit() {
    if (!prepared || !account) return;
    const commitment = submissionFileCommitment(prepared);
    let request: unknown;
    const receipt = await tx.execute("Commit the model", {
      simulate: async () => {
        const simulated = await simulateContract(wagmiConfig, {
          account,
          address: competition,
          abi: dankuCompetitionAbi,
          functionName: "commitModel",
          args: [commitment],
          blockTag: "pending",
        });
        request = simulated.request;
      },
      send: () => writeContract(wagmiConfig, request as never),
    });
    if (!receipt) return;
    const [event] = parseEventLogs({ abi: dankuCompetitionAbi, logs: receipt.logs, eventName: "ModelCommitted" });
    const committed = event ? withSubmissionId(prepared, Number(event.args.submissionId)) : prepared;
    await saveSubmission(committed, { modelFileName: modelFileName(committed) }).catch(() => undefined);
    setDraft(undefined);
    await refresh();
    // No upload here: until the reveal the model stays in this browser and the submission file (docs/submitting.md §3).
  }

  async function reveal(entry: TrackedSubmission) {
    const sub = entry.onChain;
    if (!sub) return;
    try {
      verifySubmissionAgainstCommitment(entry.file, sub.commitment, { competition, submitter: account, chainId: app.chainId });
    } catch (error) {
      setImportError(error instanceof Error ? error.message : String(error));
      return;
    }
    const receipt = await tx.write(`Reveal model #${sub.id}`, {
      address: competition,
      abi: dankuCompetitionAbi,
      functionName: "revealModel",
      args: [BigInt(sub.id), entry.file.modelHex, entry.file.salt],
      // From the reveal gas model: wallets' eth_estimateGas fails on some nodes for models of tens of kB.
      gas: revealModelGasLimit(entry.file.modelHex),
    });
    // The reveal put the model bytes on chain: only now is a public copy on IPFS made.
    if (receipt) await uploadModel(entry.file);
  }

  async function importFile(file: File | undefined) {
    if (!file) return;
    setImportError(undefined);
    try {
      const parsed = parseSubmissionFile(await file.text());
      if (parsed.chainId !== app.chainId || !sameAddress(parsed.competition, competition)) {
        throw new Error(`it belongs to competition ${parsed.competition} on chain ${parsed.chainId}, not this one`);
      }
      await saveSubmission(parsed, { modelFileName: file.name });
      await refresh();
    } catch (error) {
      setImportError(`${file.name} cannot be used: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const general = nextSubmitterStep(state, undefined, account, withdrawable);
  const canCommit = section.commit && state.stage === "Submission";
  // Submissions of this account on chain whose submission file is not in this browser.
  const elsewhere = account ? (submissions ?? []).filter((x) => sameAddress(x.submitter, account) && !tracked.some((t) => t.onChain?.id === x.id)) : [];
  const elsewhereLine =
    elsewhere.length === 0
      ? undefined
      : `${elsewhere.map((x) => `#${x.id}`).join(", ")} ${elsewhere.length === 1 ? "was" : "were"} committed from this account${
          section.importFile ? ": load the submission file below to reveal it from this browser." : "; its submission file is not in this browser."
        }`;

  return (
    <div className="space-y-5" data-testid="submission-flow">
      {storageError ? (
        <Notice tone="warning" title="Browser storage">
          {storageError}
        </Notice>
      ) : null}

      {tracked.length > 0 ? (
        <ul className="space-y-3" aria-label="Your submissions">
          {tracked.map((entry) => {
            const step = nextSubmitterStep(state, entry, account, withdrawable);
            const sub = entry.onChain;
            const claimStep = claimMode && step.action === "evaluate" && sub;
            const openClaim = claimStep ? claims?.find((c) => c.submissionId === sub.id && !c.voided && !c.settled) : undefined;
            // The IPFS copy is made at the reveal; a CID is shown only for a revealed (public) model.
            const cid = sub?.revealed ? stored.find((s) => s.file.salt === entry.file.salt)?.record.modelCid : undefined;
            return (
              <li key={entry.file.salt} className="rounded-lg border border-slate-200 p-3 dark:border-slate-800" data-testid="my-submission">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <p className="text-sm font-semibold">
                    {sub ? `Submission #${sub.id}` : "Not committed"} · {modelFileName(entry.file)}
                  </p>
                  <SecondaryButton onClick={() => downloadTextFile(submissionFileName(entry.file), serializeSubmissionFile(entry.file))}>
                    Download submission file
                  </SecondaryButton>
                </div>
                <p className="mt-1 text-sm text-slate-700 dark:text-slate-200" data-testid="next-step">
                  {claimStep ? claimStepMessage(sub.id, state.deadlines.evaluationEnd, openClaim) : step.message}
                </p>
                {cid ? (
                  <p className="mt-1 break-all text-xs text-slate-500">
                    Public copy on IPFS (the model is on chain since its reveal): <span className="font-mono">{cid}</span>
                  </p>
                ) : null}
                <div className="mt-2 flex flex-wrap gap-2">
                  {step.action === "reveal" ? (
                    <PrimaryButton disabled={!!blocked || tx.busy} onClick={() => void reveal(entry)}>
                      Reveal model #{sub?.id}
                    </PrimaryButton>
                  ) : null}
                  {step.action === "evaluate" && sub && !claimMode ? (
                    <PrimaryButton disabled={!!blocked || tx.busy} onClick={() => void evaluate(sub.id)}>
                      {evaluating ? "Evaluating…" : sub.cursor > 0 ? `Continue evaluating #${sub.id}` : `Evaluate #${sub.id}`}
                    </PrimaryButton>
                  ) : null}
                </div>
                {claimStep && !openClaim && claims ? (
                  <div className="mt-2">
                    <ClaimScore state={state} submissionId={sub.id} tx={tx} disabled={!!blocked} />
                  </div>
                ) : null}
                {progress && sub && progress.id === sub.id ? (
                  <div className="mt-2">
                    <EvaluationProgressBar progress={progress} />
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="text-sm text-slate-700 dark:text-slate-200" data-testid="next-step">
          {elsewhereLine ?? general.message}
        </p>
      )}
      {tracked.length > 0 && elsewhereLine ? <p className="text-sm text-slate-700 dark:text-slate-200">{elsewhereLine}</p> : null}

      {canCommit ? (
        <div className="space-y-3 border-t border-slate-100 pt-4 dark:border-slate-800">
          <h3 className="text-sm font-semibold">Commit the previewed model</h3>
          {!previewed ? (
            <p className="text-sm text-slate-600 dark:text-slate-300">Preview a model above first; the quantized model you previewed is exactly what gets committed.</p>
          ) : (
            <>
              <ol className="list-decimal space-y-2 pl-5 text-sm">
                <li>
                  <span>Save the submission file. It holds the salt and the model; without it you cannot reveal. </span>
                  <SecondaryButton onClick={() => void prepare()} disabled={!!blocked || !!prepared} data-testid="prepare-submission">
                    {prepared ? "Saved" : "Save and download the submission file"}
                  </SecondaryButton>
                  {prepared ? (
                    <p className="mt-1 text-xs text-slate-600 dark:text-slate-300" data-testid="submission-saved">
                      {saved ? "Kept in this browser and downloaded as " : "Downloaded (not kept in this browser) as "}
                      <span className="font-mono">{submissionFileName(prepared)}</span>.{" "}
                      <button type="button" className="underline" onClick={() => downloadTextFile(submissionFileName(prepared), serializeSubmissionFile(prepared))}>
                        Download again
                      </button>
                    </p>
                  ) : null}
                </li>
                <li>
                  <label className="inline-flex items-center gap-2">
                    <input type="checkbox" checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)} disabled={!prepared} />
                    I have kept the submission file somewhere safe.
                  </label>
                </li>
                <li>
                  <PrimaryButton onClick={() => void commit()} disabled={!!blocked || !prepared || !acknowledged || tx.busy}>
                    Commit the model
                  </PrimaryButton>
                  <span className="ml-2 text-xs text-slate-500">
                    Only keccak256(competition, you, model hash, salt) goes on chain; the model stays in this browser and your file until you reveal it.
                  </span>
                </li>
              </ol>
              {blocked ? <p className="text-xs text-slate-600 dark:text-slate-300">{blocked}</p> : null}
            </>
          )}
        </div>
      ) : null}

      {upload.status === "uploading" ? <ProgressBar label="Uploading the revealed model to IPFS" value={upload.sent} max={upload.total} /> : null}
      {upload.status === "done" ? (
        <Notice tone="success" testId="model-uploaded">
          The revealed model is public on chain; a copy is on IPFS as <span className="break-all font-mono">{upload.cid}</span>.
        </Notice>
      ) : null}
      {upload.status === "failed" ? (
        <Notice tone="error" title="The IPFS copy failed" testId="model-upload-failed">
          <p>{upload.message} The reveal is on chain and the submission file is safe; the IPFS upload is only a convenience copy.</p>
          <SecondaryButton onClick={() => void uploadModel(upload.file)}>Retry the upload</SecondaryButton>
        </Notice>
      ) : null}

      {section.importFile ? (
        <div>
          <label htmlFor={fileInputId} className={labelBase}>
            Submission file
          </label>
          <input id={fileInputId} type="file" accept=".json,application/json" className={`${fieldBase} mt-1`} onChange={(e) => void importFile(e.target.files?.[0])} />
          <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">Revealing from another browser? Load the submission file you downloaded at commit time.</p>
        </div>
      ) : null}
      {importError ? (
        <Notice tone="error" testId="submission-file-error">
          {importError}
        </Notice>
      ) : null}
      <TransactionStatus state={tx.state} onDismiss={tx.reset} />
    </div>
  );
}


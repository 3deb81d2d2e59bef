"use client";

import { useId } from "react";
import { ProgressBar } from "../ProgressBar";
import type { PreparedGroups } from "../draftStore";
import { Notice, PrimaryButton, SecondaryButton, StepActions } from "../ui";

export type HashingState =
  | { readonly status: "idle" }
  | { readonly status: "hashing"; readonly done: number; readonly total: number }
  | { readonly status: "failed"; readonly message: string };

/**
 * Step 3: nonces and group hashes, computed in the worker; the secrets are kept in this browser and offered as a
 * file. No transaction is possible until the organizer confirms the file is saved somewhere safe.
 */
export function SecretsStep({
  groupCount,
  prepared,
  hashing,
  secretsFileName,
  onHash,
  onDownload,
  onConfirm,
  onBack,
  onContinue,
}: {
  groupCount: number;
  prepared: PreparedGroups | undefined;
  hashing: HashingState;
  secretsFileName: string;
  onHash: () => void;
  onDownload: () => void;
  onConfirm: (confirmed: boolean) => void;
  onBack: () => void;
  onContinue: () => void;
}) {
  const confirmId = useId();
  const busy = hashing.status === "hashing";
  return (
    <div className="space-y-6">
      {!prepared && (
        <>
          <p className="text-sm text-slate-600 dark:text-slate-300">
            The points are shuffled into {groupCount} groups and each group gets a fresh 32-byte nonce from your browser&apos;s cryptographic random
            generator. Only the hashes go on chain; the points and nonces stay with you until you reveal them.
          </p>
          {hashing.status === "hashing" && <ProgressBar label="Hashing data groups" value={hashing.done} max={hashing.total} detail={`${hashing.done} / ${hashing.total} groups`} />}
          {hashing.status === "failed" && <Notice tone="error" title="Hashing failed">{hashing.message}</Notice>}
          <StepActions>
            <SecondaryButton onClick={onBack} disabled={busy}>
              Back
            </SecondaryButton>
            <PrimaryButton onClick={onHash} disabled={busy}>
              {busy ? "Hashing…" : hashing.status === "failed" ? "Try again" : `Generate nonces and hash ${groupCount} groups`}
            </PrimaryButton>
          </StepActions>
        </>
      )}
      {prepared && (
        <>
          <ProgressBar label="Hashing data groups" value={prepared.groupCount} max={prepared.groupCount} detail={`${prepared.groupCount} / ${prepared.groupCount} groups`} />
          <Notice tone="success" title="Secrets saved in this browser">
            <p>
              {prepared.groupCount} groups of {prepared.pointCount.toLocaleString("en-US")} points are hashed. The secrets file is stored in this
              browser&apos;s IndexedDB, so a reload does not lose it.
            </p>
          </Notice>
          <Notice tone="warning" title="Download the secrets file and keep it safe">
            <p>
              Revealing the training data now, and the test data at the end of the competition, is impossible without this file. Browser storage
              can be cleared, so keep a copy elsewhere. Do not publish it before the test reveal: anyone holding it knows your test data.
            </p>
          </Notice>
          <div className="flex flex-wrap items-center gap-4">
            <PrimaryButton onClick={onDownload} data-testid="download-secrets">
              Download {secretsFileName}
            </PrimaryButton>
            {prepared.downloaded && <span className="text-sm text-emerald-700 dark:text-emerald-300">Downloaded.</span>}
          </div>
          <div className="flex items-start gap-3">
            <input
              id={confirmId}
              type="checkbox"
              className="mt-1 size-4"
              checked={prepared.confirmed}
              disabled={!prepared.downloaded}
              onChange={(event) => onConfirm(event.target.checked)}
            />
            <label htmlFor={confirmId} className="text-sm">
              I have saved the secrets file somewhere safe. I understand that without it the data can never be revealed and the competition
              cannot proceed.
              {!prepared.downloaded && <span className="block text-xs text-slate-500">Download the file first.</span>}
            </label>
          </div>
          <StepActions>
            <SecondaryButton onClick={onBack}>Back</SecondaryButton>
            <PrimaryButton onClick={onContinue} disabled={!prepared.confirmed}>
              Continue to publishing
            </PrimaryButton>
          </StepActions>
        </>
      )}
    </div>
  );
}

"use client";

import { formatBytes } from "@/lib/ipfs/config";
import { ProgressBar } from "../ProgressBar";
import { Notice, PrimaryButton, SecondaryButton, StepActions } from "../ui";

export type UploadState =
  | { readonly status: "idle" }
  | { readonly status: "uploading"; readonly sent: number; readonly total: number }
  | { readonly status: "failed"; readonly message: string; readonly retryable: boolean };

/**
 * Step 4: the public metadata document (title, description, column names, byte mappings; never data or nonces)
 * goes to IPFS. The upload retries on its own; a failure can be retried by hand.
 */
export function PublishStep({
  metadataText,
  metadataCid,
  upload,
  onUpload,
  onBack,
  onContinue,
}: {
  metadataText: string;
  metadataCid: string | undefined;
  upload: UploadState;
  onUpload: () => void;
  onBack: () => void;
  onContinue: () => void;
}) {
  const busy = upload.status === "uploading";
  const size = new TextEncoder().encode(metadataText).length;
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-600 dark:text-slate-300">
        The competition&apos;s description is published on IPFS and its content identifier (CID) is recorded on chain, so everyone sees the same
        text. It holds the title, description, column and class names and how each column maps to bytes — no data points and no nonces.
      </p>
      <details className="text-sm">
        <summary className="cursor-pointer text-slate-600 dark:text-slate-300">Show the metadata document ({formatBytes(size)})</summary>
        <pre className="mt-2 max-h-72 overflow-auto rounded-lg bg-slate-100 p-3 text-xs dark:bg-slate-900">{metadataText}</pre>
      </details>
      {upload.status === "uploading" && <ProgressBar label="Uploading metadata to IPFS" value={upload.sent} max={upload.total} detail={`${formatBytes(upload.sent)} / ${formatBytes(upload.total)}`} />}
      {upload.status === "failed" && (
        <Notice tone="error" title="The upload failed" testId="upload-error">
          <p>{upload.message}</p>
          {upload.retryable && <p>Your progress is saved; retry when the server is reachable again.</p>}
        </Notice>
      )}
      {metadataCid && (
        <Notice tone="success" title="Metadata published">
          <p>
            CID <code className="break-all" data-testid="metadata-cid">{metadataCid}</code> (verified: the CID was computed in your browser from the
            bytes sent).
          </p>
        </Notice>
      )}
      <StepActions>
        <SecondaryButton onClick={onBack} disabled={busy}>
          Back
        </SecondaryButton>
        {metadataCid ? (
          <PrimaryButton onClick={onContinue}>Continue to creation</PrimaryButton>
        ) : (
          <PrimaryButton onClick={onUpload} disabled={busy}>
            {busy ? "Uploading…" : upload.status === "failed" ? "Retry upload" : "Upload metadata to IPFS"}
          </PrimaryButton>
        )}
      </StepActions>
    </div>
  );
}

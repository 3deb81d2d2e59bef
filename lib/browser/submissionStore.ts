/**
 * A submitter's submission files (salt and quantized model, lib/danku/secrets.ts) kept in the browser. Without the
 * salt a committed model can never be revealed, so the page also offers the file as a download before the commit;
 * this store lets a reload, or a later visit in the reveal window, carry on without asking for the file.
 *
 * Keys: `<chainId>:<competition, lowercase>:<salt>` (one record per commitment). What is stored is the serialized
 * file, parsed again — and so re-checked — on every load, plus what happened to it since.
 */
import { getAddress, type Address } from "viem";
import { parseSubmissionFile, serializeSubmissionFile, type SubmissionFile } from "../danku/secrets";
import { idbGetAll, idbPut } from "./idb";

export interface StoredSubmission {
  readonly key: string;
  readonly chainId: number;
  readonly competition: Address;
  readonly submitter: Address;
  /** The submission file exactly as offered for download. */
  readonly text: string;
  /** Name of the model file it was made from. */
  readonly modelFileName: string;
  /** CID of the encoded model, once uploaded: only after its reveal is mined (before, the model stays private). */
  readonly modelCid?: string;
  readonly savedAt: number;
}

export interface LoadedSubmission {
  readonly record: StoredSubmission;
  readonly file: SubmissionFile;
}

export function submissionKey(file: Pick<SubmissionFile, "chainId" | "competition" | "salt">): string {
  return `${file.chainId}:${file.competition.toLowerCase()}:${file.salt.toLowerCase()}`;
}

/** Saves (or updates) a submission file; resolves once the browser has committed it to storage. */
export async function saveSubmission(file: SubmissionFile, extra: { modelFileName: string; modelCid?: string }): Promise<StoredSubmission> {
  const record: StoredSubmission = {
    key: submissionKey(file),
    chainId: file.chainId,
    competition: getAddress(file.competition),
    submitter: getAddress(file.submitter),
    text: serializeSubmissionFile(file),
    modelFileName: extra.modelFileName,
    ...(extra.modelCid ? { modelCid: extra.modelCid } : {}),
    savedAt: Date.now(),
  };
  await idbPut("submissions", record);
  return record;
}

/** Every submission file kept here for this competition (any submitter), newest first; unreadable records skipped. */
export async function loadSubmissions(chainId: number, competition: Address): Promise<LoadedSubmission[]> {
  const records = await idbGetAll<StoredSubmission>("submissions");
  const loaded: LoadedSubmission[] = [];
  for (const record of records) {
    if (record.chainId !== chainId || record.competition.toLowerCase() !== competition.toLowerCase()) continue;
    try {
      loaded.push({ record, file: parseSubmissionFile(record.text) });
    } catch {
      // A record this version cannot read is left in place (never deleted), just not offered.
    }
  }
  return loaded.sort((a, b) => b.record.savedAt - a.record.savedAt);
}

/** The download name: which competition, which submitter, and that it holds the salt. */
export function submissionFileName(file: Pick<SubmissionFile, "competition" | "submitter" | "submissionId">): string {
  const id = file.submissionId !== undefined ? `-${file.submissionId}` : "";
  return `submission-${file.competition.slice(0, 10).toLowerCase()}${id}-${file.submitter.slice(0, 8).toLowerCase()}.submission.json`;
}

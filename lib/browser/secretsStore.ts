/**
 * The organizer's secrets (every group's points and nonce) kept in the browser. Without them the data can never be
 * revealed, so the wizard also makes the organizer download the file; this store is the convenience copy that lets
 * a reload, or the competition page, carry on without asking for the file again.
 *
 * Keys: `<chainId>:<competition address, lowercase>` once the competition exists, `draft:<draftId>` before.
 * What is stored is the serialized file (lib/danku/secrets.ts), parsed again — and so re-verified — on every load.
 */
import { getAddress, type Address } from "viem";
import { parseSecrets, serializeSecrets, withCompetition, type DankuSecrets } from "../danku/secrets";
import { idbDelete, idbGet, idbPut } from "./idb";

export interface StoredSecrets {
  readonly key: string;
  readonly chainId: number;
  readonly competition?: Address;
  readonly draftId?: string;
  /** The secrets file exactly as offered for download. */
  readonly text: string;
  readonly savedAt: number;
}

export function competitionSecretsKey(chainId: number, competition: Address): string {
  return `${chainId}:${competition.toLowerCase()}`;
}

export function draftSecretsKey(draftId: string): string {
  return `draft:${draftId}`;
}

/** Asks the browser not to evict this origin's storage under pressure; best effort, never throws. */
export async function requestPersistentStorage(): Promise<boolean> {
  try {
    return (await navigator.storage?.persist?.()) ?? false;
  } catch {
    return false;
  }
}

export async function saveDraftSecrets(draftId: string, secrets: DankuSecrets): Promise<StoredSecrets> {
  const record: StoredSecrets = {
    key: draftSecretsKey(draftId),
    chainId: secrets.chainId,
    draftId,
    text: serializeSecrets(secrets),
    savedAt: Date.now(),
  };
  await idbPut("secrets", record);
  return record;
}

/**
 * Files the secrets under their competition once it exists (and records the address inside the file). The draft
 * copy is kept until the draft itself is deleted, so an interrupted wizard still finds it.
 */
export async function saveCompetitionSecrets(secrets: DankuSecrets, competition: Address, draftId?: string): Promise<StoredSecrets> {
  const withAddress = withCompetition(secrets, competition);
  const record: StoredSecrets = {
    key: competitionSecretsKey(secrets.chainId, competition),
    chainId: secrets.chainId,
    competition: getAddress(competition),
    ...(draftId ? { draftId } : {}),
    text: serializeSecrets(withAddress),
    savedAt: Date.now(),
  };
  await idbPut("secrets", record);
  return record;
}

export interface LoadedSecrets {
  readonly record: StoredSecrets;
  readonly secrets: DankuSecrets;
}

async function load(key: string): Promise<LoadedSecrets | undefined> {
  const record = await idbGet<StoredSecrets>("secrets", key);
  if (!record) return undefined;
  return { record, secrets: parseSecrets(record.text) };
}

export function loadCompetitionSecrets(chainId: number, competition: Address): Promise<LoadedSecrets | undefined> {
  return load(competitionSecretsKey(chainId, competition));
}

export function loadDraftSecrets(draftId: string): Promise<LoadedSecrets | undefined> {
  return load(draftSecretsKey(draftId));
}

export function deleteDraftSecrets(draftId: string): Promise<void> {
  return idbDelete("secrets", draftSecretsKey(draftId));
}

/** The download name people see: says what it is and which competition it opens. */
export function secretsFileName(secrets: Pick<DankuSecrets, "chainId" | "competition">, title?: string): string {
  const slug = (title ?? "competition")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  const which = secrets.competition ? secrets.competition.slice(0, 10).toLowerCase() : "draft";
  return `${slug || "competition"}-${which}.secrets.json`;
}

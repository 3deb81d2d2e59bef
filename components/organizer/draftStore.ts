/**
 * The organizer wizard's progress, persisted in IndexedDB after every step so a reload, a closed tab or a rejected
 * signature never loses the dataset, the secrets or how far the launch got. The secrets themselves live in the
 * secrets store (lib/browser/secretsStore.ts); a draft only names the draft id they are filed under.
 */
import type { Address, Hex } from "viem";
import type { CompetitionConfig } from "../../lib/chain/danku";
import type { ImageShape } from "../../lib/danku/images";
import { idbDelete, idbGet, idbGetAll, idbPut } from "../../lib/browser/idb";
import { deleteDraftSecrets } from "../../lib/browser/secretsStore";
import { defaultSettings, type SettingsForm } from "./settings";

export const WIZARD_STEPS = [
  { id: "dataset", title: "Dataset" },
  { id: "settings", title: "Settings" },
  { id: "secrets", title: "Secrets" },
  { id: "publish", title: "Metadata" },
  { id: "create", title: "Create" },
  { id: "split", title: "Split" },
  { id: "reveal", title: "Training reveal" },
  { id: "done", title: "Done" },
] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number]["id"];

export function stepIndex(step: WizardStep): number {
  return WIZARD_STEPS.findIndex((s) => s.id === step);
}

export interface DraftFile {
  readonly name: string;
  readonly size: number;
  /** The CSV (or the zip of an image dataset) itself: IndexedDB stores Blobs, so a reload can parse and hash it again. */
  readonly blob: Blob;
}

/** Fixed once the groups are hashed; editing the dataset or the group count afterwards discards it. */
export interface PreparedGroups {
  readonly chainId: number;
  readonly labelColumn: string;
  readonly groupCount: number;
  readonly pointCount: number;
  readonly featureCount: number;
  readonly classCount: number;
  /** Image datasets: the input shape the competition declares in its metadata (docs/protocol.md §2.3). */
  readonly imageShape?: ImageShape;
  readonly groupHashes: Hex[];
  readonly downloaded: boolean;
  /** The organizer ticked "I saved the secrets file"; no transaction is possible before. */
  readonly confirmed: boolean;
}

/** Everything the creation transaction was (or is about to be) sent with, frozen before the wallet is asked. */
export interface LaunchRecord {
  readonly chainId: number;
  readonly factory: Address;
  readonly organizer: Address;
  readonly config: CompetitionConfig;
  /** Wei, as a decimal string (IndexedDB keeps bigints, but the draft is also logged and compared as JSON). */
  readonly reward: string;
  /** Claim mode's terms as sent (bondGasPrice in wei, decimal string); absent for on-chain evaluation. */
  readonly claimTerms?: { readonly challengeWindow: number; readonly bondGasPrice: string };
  readonly createTx?: Hex;
  readonly competition?: Address;
  /** Decimal string. */
  readonly init1Block?: string;
  readonly init2Tx?: Hex;
}

export interface WizardDraft {
  readonly id: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly step: WizardStep;
  readonly file?: DraftFile;
  readonly labelColumn?: string;
  readonly settings: SettingsForm;
  readonly prepared?: PreparedGroups;
  readonly metadataCid?: string;
  /** The metadata document `metadataCid` names; a different document (edited settings) needs a new upload. */
  readonly metadataText?: string;
  readonly launch?: LaunchRecord;
  readonly finishedAt?: number;
}

function newDraftId(): string {
  return typeof crypto.randomUUID === "function"
    ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A new draft with the settings' defaults for this chain (a local chain gets a short split delay). */
export function createDraft(localChain = false): WizardDraft {
  const now = Date.now();
  return { id: newDraftId(), createdAt: now, updatedAt: now, step: "dataset", settings: defaultSettings(localChain) };
}

export async function saveDraft(draft: WizardDraft): Promise<WizardDraft> {
  const saved = { ...draft, updatedAt: Date.now() };
  await idbPut("drafts", saved);
  return saved;
}

export function loadDraft(id: string): Promise<WizardDraft | undefined> {
  return idbGet<WizardDraft>("drafts", id);
}

/** Unfinished drafts, most recently touched first. */
export async function listOpenDrafts(): Promise<WizardDraft[]> {
  const drafts = await idbGetAll<WizardDraft>("drafts");
  return drafts.filter((d) => d.finishedAt === undefined).sort((a, b) => b.updatedAt - a.updatedAt);
}

/**
 * Deletes a draft that never reached the chain, with its draft copy of the secrets. Once a competition exists its
 * secrets stay filed under the competition (the reveals need them), whatever happens to the draft.
 */
export async function discardDraft(draft: WizardDraft): Promise<void> {
  if (draft.launch?.createTx) throw new Error("This draft already sent its creation transaction; it can no longer be discarded.");
  await idbDelete("drafts", draft.id);
  await deleteDraftSecrets(draft.id);
}

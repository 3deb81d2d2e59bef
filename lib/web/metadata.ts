/**
 * Competition and problem metadata for display: fetched by CID through the app's verifying IPFS client, validated, and reduced
 * to what the UI needs. Any failure leaves a fallback title, never a blank.
 */
import { fetchFromIpfs } from "../ipfs/client";
import { parseCompetitionMetadata, type CompetitionMetadata } from "../danku/metadata";
import { parseProblemMetadata, type ProblemMetadata } from "../daimon/metadata";
import type { IpfsStore } from "../ipfs/store";

export const UNTITLED = "Untitled competition";

/** Metadata documents are small; refuse anything large rather than download it for a card. */
export const MAX_METADATA_BYTES = 256 * 1024;

/**
 * A metadata document from a server-side store (verified there against its CID) parsed by `parse`, or undefined when the
 * store does not hold it or it is larger than {@link MAX_METADATA_BYTES}. Parse errors propagate.
 */
export async function readStoredMetadata<T>(store: IpfsStore, cid: string, parse: (text: string) => T): Promise<T | undefined> {
  const bytes = await store.get(cid);
  if (!bytes || bytes.byteLength > MAX_METADATA_BYTES) return undefined;
  return parse(new TextDecoder().decode(bytes));
}

export async function loadCompetitionMetadata(cid: string, signal?: AbortSignal): Promise<CompetitionMetadata> {
  const bytes = await fetchFromIpfs(cid, { signal, maxBytes: MAX_METADATA_BYTES, retries: 1 });
  return parseCompetitionMetadata(new TextDecoder().decode(bytes));
}

export function metadataQueryKey(cid: string): readonly unknown[] {
  return ["ipfs", "competition-metadata", cid];
}

/** DaiMoN problem metadata (lib/daimon/metadata.ts), fetched and verified the same way. */
export async function loadProblemMetadata(cid: string, signal?: AbortSignal, classCount?: number): Promise<ProblemMetadata> {
  const bytes = await fetchFromIpfs(cid, { signal, maxBytes: MAX_METADATA_BYTES, retries: 1 });
  return parseProblemMetadata(new TextDecoder().decode(bytes), classCount);
}

export function problemMetadataQueryKey(cid: string): readonly unknown[] {
  return ["ipfs", "problem-metadata", cid];
}

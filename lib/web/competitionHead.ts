/**
 * What the server puts in a competition page's first HTML (Node only): the competition's title and description.
 *
 * Why: the browser can only ask the chain for the metadata CID after the app's JavaScript has loaded and hydrated,
 * and then fetch the document from /ipfs, so the heading was a grey placeholder for seconds (issue 12 §5) although
 * this server holds the document. Here one `eth_call` (`metadataCid()`) and a read of the server's own IPFS store,
 * verified against the CID, give the page its heading; the browser's metadata query starts from it.
 *
 * Within a budget: when the chain or the store is slow or fails, the page renders without it and the browser reads
 * both itself, as before. Trust is unchanged: the browser already trusts this server for its JavaScript.
 */
import { createPublicClient, http, type Address, type PublicClient } from "viem";
import { chainFromConfig, type AppConfig } from "../config";
import { parseCompetitionMetadata, type CompetitionMetadata } from "../danku/metadata";
import { dankuCompetitionAbi } from "../generated/abis";
import { getIpfsStore, type IpfsStore } from "../ipfs/store";
import { readStoredMetadata } from "./metadata";

/** The metadata the page is rendered with: the CID on chain ("" when the organizer published none) and its document. */
export interface InitialCompetitionMetadata {
  cid: string;
  /** Absent when the CID is empty or the document is not in this server's store. */
  metadata?: CompetitionMetadata;
}

/** How long a page waits for the CID and the document before it renders without them. */
export const HEAD_BUDGET_MS = 1_500;

const CLIENTS_KEY = Symbol.for("modelbounty.competitionHeadClients");
type GlobalWithClients = typeof globalThis & { [CLIENTS_KEY]?: Map<string, PublicClient> };

/** One client per RPC endpoint and chain, kept on `globalThis` so that Next's development reloads keep it. */
function clientFor(config: AppConfig): PublicClient {
  const holder = globalThis as GlobalWithClients;
  const clients = (holder[CLIENTS_KEY] ??= new Map());
  const key = `${config.rpcUrl}|${config.chainId}`;
  let client = clients.get(key);
  if (!client) {
    client = createPublicClient({ chain: chainFromConfig(config), transport: http(config.rpcUrl, { retryCount: 0, timeout: HEAD_BUDGET_MS }) });
    clients.set(key, client);
  }
  return client;
}

/** The document named by `cid` from the store (verified there against the CID), or undefined when absent or invalid. */
export async function readStoredCompetitionMetadata(store: IpfsStore, cid: string): Promise<CompetitionMetadata | undefined> {
  return readStoredMetadata(store, cid, parseCompetitionMetadata);
}

/**
 * The competition's metadata for its page, or undefined when the chain did not answer within `budgetMs` (no contract
 * there, node down or slow). The store's failures leave `metadata` out; the browser then fetches and reports.
 */
export async function readInitialCompetitionMetadata(
  config: AppConfig,
  address: Address,
  options: { budgetMs?: number; client?: PublicClient; store?: () => IpfsStore } = {},
): Promise<InitialCompetitionMetadata | undefined> {
  const budgetMs = options.budgetMs ?? HEAD_BUDGET_MS;
  const client = options.client ?? clientFor(config);
  const store = options.store ?? getIpfsStore;
  const read = async (): Promise<InitialCompetitionMetadata> => {
    const cid = await client.readContract({ address, abi: dankuCompetitionAbi, functionName: "metadataCid" });
    if (cid.trim() === "") return { cid };
    const metadata = await readStoredCompetitionMetadata(store(), cid).catch(() => undefined);
    return { cid, metadata };
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), budgetMs);
  });
  try {
    return await Promise.race([read().catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

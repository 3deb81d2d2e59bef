/**
 * IPFS for the DaiMoN CLI commands: Z, f, models and metadata go where the app serves them from. Two ways there:
 *  - `--ipfs <url>` (default http://127.0.0.1:3000): the app's routes, POST /api/ipfs and GET /ipfs/<cid>, the same
 *    client the browser uses (lib/ipfs/client.ts), which checks the CID of every upload and download;
 *  - `--ipfs-dir <folder>`: the app's embedded store itself (lib/ipfs/store.ts, what `npm run dev` serves from
 *    .data/ipfs), written and read directly like scripts/dev/seed.ts does, for when the app is not running.
 * Everything read back is verified against its CID; nothing unverified reaches PROVE or VERIFY.
 */
import path from "node:path";
import { fetchFromIpfs, uploadToIpfs, IpfsDownloadError, IpfsUploadError } from "../../lib/ipfs/client";
import { EmbeddedIpfsStore } from "../../lib/ipfs/store";
import { CliError } from "./context";

export const DEFAULT_IPFS_URL = "http://127.0.0.1:3000";

export interface IpfsLocationOptions {
  ipfs?: string;
  ipfsDir?: string;
}

export interface CliIpfs {
  /** Where the files go, for messages. */
  readonly location: string;
  add(bytes: Uint8Array): Promise<string>;
  /** The file named by `cid`, verified against it; `what` names it in errors. */
  get(cid: string, what: string): Promise<Uint8Array>;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function openIpfs(options: IpfsLocationOptions): CliIpfs {
  if (options.ipfs !== undefined && options.ipfsDir !== undefined) throw new CliError("pass either --ipfs <url> or --ipfs-dir <folder>, not both");
  if (options.ipfsDir !== undefined) {
    const dir = path.resolve(options.ipfsDir);
    const store = new EmbeddedIpfsStore(dir);
    return {
      location: `the IPFS folder ${dir}`,
      add: async (bytes) => (await store.add(bytes)).cid,
      get: async (cid, what) => {
        const bytes = await store.get(cid);
        if (!bytes) throw new CliError(`${what} ${cid} is not in the IPFS folder ${dir}`);
        return bytes;
      },
    };
  }
  const base = (options.ipfs ?? DEFAULT_IPFS_URL).replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+/.test(base)) throw new CliError(`--ipfs must be the http(s) address of the ModelBounty app, such as ${DEFAULT_IPFS_URL}; got ${base}`);
  const unreachable = `is the app running there (npm run dev)? Pass --ipfs <url>, or --ipfs-dir .data/ipfs to use its store directly`;
  return {
    location: `the app's IPFS at ${base}`,
    add: async (bytes) => {
      try {
        return (await uploadToIpfs(bytes, { endpoint: `${base}/api/ipfs`, retries: 1, retryDelayMs: 200 })).cid;
      } catch (error) {
        if (error instanceof IpfsUploadError && error.code === "network") throw new CliError(`uploading to ${base} failed: ${error.message} (${unreachable})`);
        throw new CliError(`uploading to ${base} failed: ${reason(error)}`);
      }
    },
    get: async (cid, what) => {
      try {
        return await fetchFromIpfs(cid, { gatewayBase: base, retries: 1, retryDelayMs: 200 });
      } catch (error) {
        if (error instanceof IpfsDownloadError && error.code === "not-found") throw new CliError(`${what} ${cid} is not available from ${base} (not published yet?)`);
        if (error instanceof IpfsDownloadError && error.code === "network") throw new CliError(`downloading ${what} from ${base} failed: ${error.message} (${unreachable})`);
        throw new CliError(`downloading ${what} ${cid} failed: ${reason(error)}`);
      }
    },
  };
}

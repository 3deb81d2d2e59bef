/**
 * Content identifiers, computed exactly as kubo computes them (browser and Node; no file system access).
 *
 * The CID of a file depends on how it is cut into blocks and how the blocks are linked, not only on its bytes.
 * This app uses kubo's choices for `ipfs add --cid-version=1` (which implies raw leaves) so that the same file
 * added to any kubo node gets the same CID as here:
 *
 * - CIDv1, sha2-256 multihash, base32 string form (`bafk…` for one-block files, `bafy…` otherwise);
 * - fixed-size chunks of 262,144 bytes (kubo's `size-262144` chunker);
 * - raw leaves: each chunk is its own `raw` (0x55) block; a file of one chunk is just that block;
 * - a balanced DAG of `dag-pb` UnixFS file nodes with at most 174 links per node (kubo's default
 *   `Import.UnixFSFileMaxLinks`).
 *
 * These constants are the single source of truth: the importer options, the kubo RPC query and docs/ipfs.md
 * all derive from them.
 */
import { CID } from "multiformats/cid";
import { importer, type ImporterOptions, type WritableStorage } from "ipfs-unixfs-importer";
import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";
import { InvalidCidError, IpfsVerificationError } from "./errors";

export { InvalidCidError, IpfsVerificationError } from "./errors";

/** kubo's import parameters for `ipfs add --cid-version=1 --raw-leaves=true --chunker=size-262144`. */
export const IPFS_CID_PARAMS = Object.freeze({
  cidVersion: 1 as const,
  rawLeaves: true,
  chunkSize: 262_144,
  maxLinksPerNode: 174,
  hashName: "sha2-256",
});

/** Multicodec and multihash codes the app accepts (see https://github.com/multiformats/multicodec). */
export const RAW_CODEC = 0x55;
export const DAG_PB_CODEC = 0x70;
export const SHA2_256_CODE = 0x12;

/** Query of kubo's `POST /api/v0/add` that reproduces {@link IPFS_CID_PARAMS}. */
export const KUBO_ADD_QUERY = `cid-version=${IPFS_CID_PARAMS.cidVersion}&raw-leaves=${IPFS_CID_PARAMS.rawLeaves}&chunker=size-${IPFS_CID_PARAMS.chunkSize}`;

/** A fresh options object for `ipfs-unixfs-importer` (the importer mutates what it is given). */
export function kuboImporterOptions(): ImporterOptions {
  return {
    cidVersion: IPFS_CID_PARAMS.cidVersion,
    rawLeaves: IPFS_CID_PARAMS.rawLeaves,
    reduceSingleLeafToSelf: true,
    wrapWithDirectory: false,
    chunker: fixedSize({ chunkSize: IPFS_CID_PARAMS.chunkSize }),
    layout: balanced({ maxChildrenPerNode: IPFS_CID_PARAMS.maxLinksPerNode }),
  };
}

/** Longest CID string accepted; sha2-256 CIDs are 59 (v1 base32) or 46 (v0) characters. */
const MAX_CID_LENGTH = 128;

/**
 * Parses a CID string and checks that the app can verify content against it: sha2-256 multihash, and a `raw`
 * or `dag-pb` codec (the only ones UnixFS files use). CIDv0 (`Qm…`) strings are accepted.
 * @throws InvalidCidError
 */
export function parseCid(input: string): CID {
  if (typeof input !== "string" || input.length === 0) throw new InvalidCidError(String(input), "it is empty.");
  if (input.length > MAX_CID_LENGTH) throw new InvalidCidError(input, "it is far too long to be a CID.");
  let cid: CID;
  try {
    cid = CID.parse(input);
  } catch {
    throw new InvalidCidError(
      input,
      "it is not a valid CID. Expected a CIDv1 in base32 (starting with “bafy” or “bafk”) or a CIDv0 (starting with “Qm”).",
    );
  }
  if (cid.multihash.code !== SHA2_256_CODE) {
    throw new InvalidCidError(input, "it does not use a sha2-256 hash, the only hash this app verifies.");
  }
  if (cid.code !== RAW_CODEC && cid.code !== DAG_PB_CODEC) {
    throw new InvalidCidError(input, "it does not address a file (its codec is neither raw nor dag-pb).");
  }
  return cid;
}

/** True when {@link parseCid} accepts the string. */
export function isValidCid(input: string): boolean {
  try {
    parseCid(input);
    return true;
  } catch {
    return false;
  }
}

/** The canonical string form: CIDv1 in base32 (a CIDv0 is converted; the content it names is the same). */
export function normalizeCid(input: string | CID): string {
  const cid = typeof input === "string" ? parseCid(input) : input;
  return cid.toV1().toString();
}

/** Used to compute a CID only: blocks are hashed and dropped, so nothing but the input is held in memory. */
const discardingBlockstore: WritableStorage = {
  put: async (cid: CID) => cid,
};

/**
 * The CID kubo gives `bytes` with `ipfs add --cid-version=1` (see {@link IPFS_CID_PARAMS}).
 * "hello world" → bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e.
 */
export async function computeCid(bytes: Uint8Array): Promise<string> {
  return (await computeCidObject(bytes)).toString();
}

async function computeCidObject(bytes: Uint8Array): Promise<CID> {
  let root: CID | undefined;
  for await (const entry of importer([{ content: bytes }], discardingBlockstore, kuboImporterOptions())) {
    root = entry.cid;
  }
  if (!root) throw new Error("The IPFS importer produced no CID for the content.");
  return root;
}

/**
 * Checks that `bytes` are exactly the content named by `cid`, by recomputing the CID with kubo's parameters.
 * Content stored under other import parameters (another chunk size, CIDv0 without raw leaves) does not pass:
 * this app only accepts content addressed the way it (and a default kubo with CIDv1) addresses it.
 * @throws InvalidCidError when `cid` is malformed, IpfsVerificationError when the bytes do not match.
 */
export async function verifyContent(bytes: Uint8Array, cid: string | CID): Promise<void> {
  const expected = typeof cid === "string" ? parseCid(cid) : cid;
  const actual = await computeCidObject(bytes);
  if (!actual.equals(expected.toV1())) {
    const expectedText = expected.toString();
    throw new IpfsVerificationError(
      `The content received for CID ${expectedText} does not match it (its ${bytes.length.toLocaleString("en-US")} bytes ` +
        `have CID ${actual.toString()}). It may be corrupted or tampered with, so it was not used.`,
      expectedText,
      actual.toString(),
    );
  }
}

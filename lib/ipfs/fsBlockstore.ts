/**
 * A small filesystem blockstore (server only) that checks every block against its CID when it is read.
 *
 * Layout, like kubo's flatfs: `<root>/blocks/<shard>/<key>.data`, where `<key>` is the block's multihash in
 * lowercase base32 and `<shard>` its next-to-last two characters. Blocks are keyed by multihash, not CID, so a
 * block reads the same whatever codec or CID version names it. Writes go to a temporary file that is renamed
 * into place, so a crash never leaves a half-written block under a valid name.
 *
 * (The npm `blockstore-fs@4` package cannot be loaded from CommonJS, which Hardhat's test runner uses, and
 * does not verify what it reads; this is the part of it the app needs.)
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { base32 } from "multiformats/bases/base32";
import type { CID } from "multiformats/cid";
import { sha256 } from "multiformats/hashes/sha2";
import { collectBytes } from "./bytes";
import { IpfsVerificationError } from "./errors";
import { SHA2_256_CODE } from "./cid";

/** Thrown by {@link FsBlockstore.get} for a block that is not stored (the exporter propagates it). */
export class BlockNotFoundError extends Error {
  override readonly name = "BlockNotFoundError";
  constructor(readonly cid: CID) {
    super(`Block ${cid.toString()} is not in the local IPFS store.`);
  }
}

export class FsBlockstore {
  readonly blocksDir: string;

  constructor(readonly root: string) {
    // The folder is chosen at run time: keep Next's output tracing from following it.
    this.blocksDir = path.join(/*turbopackIgnore: true*/ root, "blocks");
  }

  /** Where the block named by `cid` lives (whether or not it exists). */
  pathFor(cid: CID): string {
    const key = base32.baseEncode(cid.multihash.bytes);
    const shard = key.slice(-3, -1);
    return path.join(/*turbopackIgnore: true*/ this.blocksDir, shard, `${key}.data`);
  }

  async put(
    cid: CID,
    value: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  ): Promise<CID> {
    const file = this.pathFor(cid);
    if (await exists(file)) return cid; // content-addressed: same name, same bytes
    const bytes = value instanceof Uint8Array ? value : await collectBytes(value);
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await writeFile(temporary, bytes);
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return cid;
  }

  /**
   * Yields the block's bytes after checking that they hash to `cid`.
   * @throws BlockNotFoundError, IpfsVerificationError
   */
  async *get(cid: CID): AsyncGenerator<Uint8Array> {
    yield await this.getBlock(cid);
  }

  async getBlock(cid: CID): Promise<Uint8Array> {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(this.pathFor(cid)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new BlockNotFoundError(cid);
      throw error;
    }
    await verifyBlock(cid, bytes);
    return bytes;
  }

  async has(cid: CID): Promise<boolean> {
    return exists(this.pathFor(cid));
  }
}

/**
 * Whether `bytes` hash to the multihash in `cid` (sha2-256 only).
 * @throws IpfsVerificationError for a CID with another hash function.
 */
export async function blockMatchesCid(cid: CID, bytes: Uint8Array): Promise<boolean> {
  if (cid.multihash.code !== SHA2_256_CODE) {
    throw new IpfsVerificationError(
      `Block ${cid.toString()} uses a hash this app cannot verify (only sha2-256 is supported).`,
      cid.toString(),
    );
  }
  const digest = await sha256.digest(bytes);
  return equalBytes(digest.bytes, cid.multihash.bytes);
}

/** Checks one stored block against its CID's sha2-256 multihash. */
export async function verifyBlock(cid: CID, bytes: Uint8Array): Promise<void> {
  if (!(await blockMatchesCid(cid, bytes))) {
    throw new IpfsVerificationError(
      `Stored block ${cid.toString()} does not match its hash: the IPFS data folder is corrupted or was modified. ` +
        "The content was not served.",
      cid.toString(),
    );
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

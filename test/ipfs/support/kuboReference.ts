/**
 * An independent reference for kubo's CIDs, used to check lib/ipfs/cid.ts (which relies on ipfs-unixfs-importer).
 *
 * Nothing here comes from the IPFS JavaScript stack: protobuf, varints, CIDs and base32 are written out by hand,
 * hashing uses node:crypto, and the DAG shape follows kubo's own balanced builder (boxo
 * `ipld/unixfs/importer/balanced`), which grows the tree top-down (`fillNodeRec`), unlike the importer's
 * bottom-up batching. Both must give the same tree.
 */
import { createHash } from "node:crypto";

export interface ReferenceOptions {
  chunkSize?: number;
  maxLinks?: number;
}

export interface ReferenceResult {
  cid: string;
  /** 0 for a single raw block; 1 when the root links to leaves; 2 when it links to nodes that link to leaves… */
  depth: number;
  rootLinks: number;
  blocks: number;
}

interface DagNode {
  cid: Uint8Array;
  /** Cumulative size of the block and everything below it (dag-pb `Tsize`). */
  tsize: number;
  /** Bytes of file content below it. */
  fileSize: number;
  links: number;
}

const RAW = 0x55;
const DAG_PB = 0x70;
const UNIXFS_FILE = 2;

export function referenceCid(data: Uint8Array, options: ReferenceOptions = {}): ReferenceResult {
  const chunkSize = options.chunkSize ?? 262_144;
  const maxLinks = options.maxLinks ?? 174;
  let offset = 0;
  let blocks = 0;
  const done = () => offset >= data.length;
  const nextLeaf = (): DagNode => {
    const chunk = data.subarray(offset, Math.min(offset + chunkSize, data.length));
    offset += chunk.length;
    blocks++;
    return { cid: cidV1(RAW, sha256(chunk)), tsize: chunk.length, fileSize: chunk.length, links: 0 };
  };
  const fileNode = (children: DagNode[]): DagNode => {
    blocks++;
    return encodeFileNode(children);
  };
  // kubo: fillNodeRec(node, depth) adds children until the node has maxLinks of them or the data runs out.
  const fillNodeRec = (children: DagNode[], depth: number): DagNode => {
    while (children.length < maxLinks && !done()) {
      children.push(depth === 1 ? nextLeaf() : fillNodeRec([], depth - 1));
    }
    return fileNode(children);
  };

  let root = nextLeaf(); // even an empty file has one (empty) leaf
  let depth = 0;
  while (!done()) {
    depth++;
    root = fillNodeRec([root], depth);
  }
  return { cid: `b${base32(root.cid)}`, depth, rootLinks: root.links, blocks };
}

function encodeFileNode(children: DagNode[]): DagNode {
  const fileSize = children.reduce((sum, child) => sum + child.fileSize, 0);
  // UnixFS Data { Type = 1: File; filesize = 3; blocksizes = 4 (repeated, not packed) }
  const unixfs = [...key(1, 0), ...varint(UNIXFS_FILE), ...key(3, 0), ...varint(fileSize)];
  for (const child of children) unixfs.push(...key(4, 0), ...varint(child.fileSize));
  // PBNode { Links = 2 (each a PBLink { Hash = 1, Name = 2 (empty), Tsize = 3 }) ; Data = 1 }, links first.
  const node: number[] = [];
  for (const child of children) {
    const link = [...lengthDelimited(1, child.cid), ...lengthDelimited(2, new Uint8Array(0)), ...key(3, 0), ...varint(child.tsize)];
    node.push(...lengthDelimited(2, Uint8Array.from(link)));
  }
  node.push(...lengthDelimited(1, Uint8Array.from(unixfs)));
  const block = Uint8Array.from(node);
  return {
    cid: cidV1(DAG_PB, sha256(block)),
    tsize: block.length + children.reduce((sum, child) => sum + child.tsize, 0),
    fileSize,
    links: children.length,
  };
}

function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(bytes).digest());
}

/** CIDv1 = varint(1) varint(codec) multihash(sha2-256 = 0x12, length 32, digest). */
function cidV1(codec: number, digest: Uint8Array): Uint8Array {
  return Uint8Array.from([...varint(1), ...varint(codec), 0x12, 0x20, ...digest]);
}

function varint(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return out;
}

function key(field: number, wireType: number): number[] {
  return varint(field * 8 + wireType);
}

function lengthDelimited(field: number, bytes: Uint8Array): number[] {
  return [...key(field, 2), ...varint(bytes.length), ...bytes];
}

/** RFC 4648 base32, lowercase, no padding (multibase prefix "b" added by the caller). */
function base32(bytes: Uint8Array): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += alphabet[(buffer << (5 - bits)) & 31];
  return out;
}

/** Deterministic pseudo-random bytes (xorshift32), fast enough for tens of MiB. */
export function patternBytes(length: number, seed = 0x9e3779b9): Uint8Array<ArrayBuffer> {
  const words = new Uint32Array(Math.ceil(length / 4));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    words[i] = x;
  }
  return new Uint8Array(words.buffer, 0, length);
}

/**
 * The embedded IPFS node's network side (server only): a libp2p host (TCP, noise encryption, yamux multiplexing,
 * identify) running the bitswap protocol over the app's filesystem blockstore. It serves every block in the data
 * folder to peers that ask for it and fetches blocks the folder lacks from connected peers.
 *
 * Deliberately small: no DHT, no public bootstrap list, no mDNS, no relays. Peers are the multiaddrs listed in
 * `MODELBOUNTY_IPFS_PEERS` (kept connected) plus whoever dials in. The peer identity (an Ed25519 key) is kept in
 * `<data folder>/peer.key`, so the node's multiaddr stays the same across restarts.
 *
 * Versions: `@helia/bitswap` 3.2 (its 4.x pulls in `@helia/libp2p`, the full Helia stack with undici 8, which needs
 * Node 22), libp2p 3 with `Promise.withResolvers` installed for Node 20 (lib/ipfs/node20.ts).
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { createBitswap, type Bitswap, type BitswapComponents } from "@helia/bitswap";
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from "@libp2p/crypto/keys";
import { identify } from "@libp2p/identify";
import { KEEP_ALIVE, type Libp2p, type PrivateKey } from "@libp2p/interface";
import { defaultLogger } from "@libp2p/logger";
import { noise } from "@libp2p/noise";
import { tcp } from "@libp2p/tcp";
import { yamux } from "@libp2p/yamux";
import { multiaddr, type Multiaddr } from "@multiformats/multiaddr";
import { createLibp2p } from "libp2p";
import type { CID } from "multiformats/cid";
import { sha256 } from "multiformats/hashes/sha2";
import { BlockNotFoundError, FsBlockstore, verifyBlock } from "./fsBlockstore";
import { installPromiseWithResolvers } from "./node20";
import { BITSWAP_SOURCE_NAME, type BlockFetchResult, type BlockSource } from "./retrieval";
import { SHA2_256_CODE } from "./cid";

export interface IpfsNodeOptions {
  /** The data folder: blocks under `blocks/`, the peer key in `peer.key`. */
  dir: string;
  /** Listening address; port 0 picks a free port. */
  host: string;
  port: number;
  /** Multiaddrs (with `/p2p/<peer id>`) to connect to at start and keep connected. */
  peers?: readonly string[];
  /** How long to wait for connected peers to send a block before giving up on them (per block). */
  peerTimeoutMs?: number;
  /** Where progress and problems are written (default: console). */
  log?: (message: string) => void;
}

export const DEFAULT_PEER_TIMEOUT_MS = 10_000;

type BitswapBlockstore = BitswapComponents["blockstore"];
type BitswapRouting = BitswapComponents["routing"];

/** The embedded node: libp2p + bitswap over the data folder. Create with {@link IpfsNode.start}. */
export class IpfsNode implements BlockSource {
  readonly name = BITSWAP_SOURCE_NAME;
  private readonly configuredPeers: Multiaddr[];

  private constructor(
    readonly libp2p: Libp2p,
    private readonly bitswap: Bitswap,
    readonly blockstore: FsBlockstore,
    peers: readonly Multiaddr[],
    private readonly peerTimeoutMs: number,
    private readonly log: (message: string) => void,
  ) {
    this.configuredPeers = [...peers];
  }

  /**
   * Starts the node: loads (or creates) the peer key, listens, starts bitswap and dials the configured peers
   * (a peer that cannot be reached is reported, not fatal). When the port is taken, the node listens on a free
   * port instead and says so.
   * @throws Error naming the bad multiaddr, or when the node cannot listen at all.
   */
  static async start(options: IpfsNodeOptions): Promise<IpfsNode> {
    installPromiseWithResolvers();
    const log = options.log ?? ((message: string) => console.log(message));
    const peers = (options.peers ?? []).map((text) => parsePeerAddress(text));
    const privateKey = await loadOrCreatePeerKey(path.join(/*turbopackIgnore: true*/ options.dir, "peer.key"));
    const blockstore = new FsBlockstore(options.dir);

    let libp2p: Libp2p;
    try {
      libp2p = await createHost(privateKey, options.host, options.port);
    } catch (error) {
      if (options.port === 0 || !isAddressInUse(error)) throw error;
      log(
        `[ipfs] port ${options.port} on ${options.host} is in use (another IPFS node or app?); listening on a free ` +
          "port instead. Set MODELBOUNTY_IPFS_SWARM_PORT to choose one.",
      );
      libp2p = await createHost(privateKey, options.host, 0);
    }

    const bitswap = createBitswap({
      libp2p,
      blockstore: new LocalBlocksForBitswap(blockstore),
      logger: defaultLogger(),
      routing: NO_CONTENT_ROUTING,
      getHasher: async (code: number) => {
        if (code !== SHA2_256_CODE) throw new Error(`Unsupported hash function 0x${code.toString(16)} (only sha2-256).`);
        return sha256;
      },
    });
    await bitswap.start();
    const node = new IpfsNode(libp2p, bitswap, blockstore, peers, options.peerTimeoutMs ?? DEFAULT_PEER_TIMEOUT_MS, log);
    await node.connectConfiguredPeers();
    return node;
  }

  get peerId(): string {
    return this.libp2p.peerId.toString();
  }

  /** Where peers reach this node, with `/p2p/<peer id>`. */
  multiaddrs(): string[] {
    return this.libp2p.getMultiaddrs().map((address) => address.toString());
  }

  /** Peers with an open connection. */
  connectedPeers(): string[] {
    return this.libp2p.getPeers().map((peer) => peer.toString());
  }

  /**
   * Connects to a peer and keeps the connection (libp2p redials it when it drops).
   * @throws Error when the address is malformed or the peer cannot be reached.
   */
  async connect(address: string | Multiaddr, options: { signal?: AbortSignal } = {}): Promise<string> {
    const target = typeof address === "string" ? parsePeerAddress(address) : address;
    const connection = await this.libp2p.dial(target, { signal: options.signal ?? AbortSignal.timeout(this.peerTimeoutMs) });
    await this.libp2p.peerStore.merge(connection.remotePeer, {
      multiaddrs: [target],
      tags: { [KEEP_ALIVE]: { value: 50 } },
    });
    return connection.remotePeer.toString();
  }

  /**
   * Asks connected peers for one block over bitswap. The block's bytes are checked against the CID before they are
   * returned. Without connected peers the answer comes at once; otherwise peers get {@link peerTimeoutMs}.
   */
  async fetchBlock(cid: CID, options: { signal?: AbortSignal } = {}): Promise<BlockFetchResult> {
    if (this.libp2p.getPeers().length === 0) await this.connectConfiguredPeers();
    const peers = this.libp2p.getPeers().length;
    if (peers === 0) return { ok: false, outcome: "not-found", detail: "no peer is connected (MODELBOUNTY_IPFS_PEERS lists peers to connect to)" };
    const timeout = AbortSignal.timeout(this.peerTimeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    try {
      const bytes = await this.bitswap.want(cid, { signal });
      await verifyBlock(cid, bytes);
      return { ok: true, bytes };
    } catch (error) {
      if (timeout.aborted) {
        return {
          ok: false,
          outcome: "not-found",
          detail: `${peers === 1 ? "the connected peer did not send it" : `none of ${peers} connected peers sent it`} within ${formatDuration(this.peerTimeoutMs)}`,
        };
      }
      if (error instanceof Error && error.name === "IpfsVerificationError") {
        return { ok: false, outcome: "invalid", detail: "a peer sent bytes that do not hash to the CID; refused" };
      }
      return { ok: false, outcome: "failed", detail: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Tells peers waiting for this block that it is here now (bitswap). */
  async announce(cid: CID): Promise<void> {
    await this.bitswap.notify(cid);
  }

  async stop(): Promise<void> {
    await this.bitswap.stop();
    await this.libp2p.stop();
  }

  private async connectConfiguredPeers(): Promise<void> {
    const connected = new Set(this.connectedPeers());
    await Promise.all(
      this.configuredPeers
        .filter((address) => {
          const peer = address.getComponents().find((component) => component.name === "p2p")?.value;
          return peer === undefined || !connected.has(peer);
        })
        .map(async (address) => {
          try {
            await this.connect(address);
          } catch (error) {
            this.log(
              `[ipfs] could not connect to peer ${address.toString()} (${error instanceof Error ? error.message : String(error)}); ` +
                "will try again when a block is missing.",
            );
          }
        }),
    );
  }
}

function formatDuration(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

async function createHost(privateKey: PrivateKey, host: string, port: number): Promise<Libp2p> {
  const family = host.includes(":") ? "ip6" : "ip4";
  return createLibp2p({
    privateKey,
    addresses: { listen: [`/${family}/${host}/tcp/${port}`] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() },
  });
}

function isAddressInUse(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if ((current as NodeJS.ErrnoException).code === "EADDRINUSE" || /EADDRINUSE|address already in use/i.test(current.message)) {
      return true;
    }
    if (current instanceof AggregateError && current.errors.some((inner) => isAddressInUse(inner))) return true;
  }
  return false;
}

/**
 * A peer's multiaddr, which must name the peer: `/ip4/127.0.0.1/tcp/4001/p2p/12D3Koo…`.
 * @throws Error saying what is wrong.
 */
export function parsePeerAddress(text: string): Multiaddr {
  let address: Multiaddr;
  try {
    address = multiaddr(text.trim());
  } catch (error) {
    throw new Error(
      `"${text}" is not a multiaddr (${error instanceof Error ? error.message : String(error)}); write a peer as ` +
        "/ip4/<address>/tcp/<port>/p2p/<peer id>, as the other node prints it.",
    );
  }
  if (!address.getComponents().some((component) => component.name === "p2p")) {
    throw new Error(`The peer address "${text}" lacks /p2p/<peer id>; copy the whole multiaddr the other node prints.`);
  }
  return address;
}

async function loadOrCreatePeerKey(file: string): Promise<PrivateKey> {
  try {
    return privateKeyFromProtobuf(new Uint8Array(await readFile(file)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new Error(
        `The IPFS peer key ${file} cannot be read (${error instanceof Error ? error.message : String(error)}). ` +
          "Delete it to give the node a new identity.",
        { cause: error },
      );
    }
  }
  const key = await generateKeyPair("Ed25519");
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.tmp`;
  await writeFile(temporary, privateKeyToProtobuf(key), { mode: 0o600 });
  await rename(temporary, file);
  return key;
}

/**
 * The local blocks as bitswap's blockstore: what peers are sent. Only the data folder is consulted (a peer's
 * request never makes this node fetch from elsewhere), and a missing block is reported as bitswap expects
 * (`NotFoundError`) so the peer is told "don't have". The app never deletes blocks through bitswap.
 */
class LocalBlocksForBitswap implements BitswapBlockstore {
  constructor(private readonly local: FsBlockstore) {}

  async has(cid: CID): Promise<boolean> {
    return this.local.has(cid);
  }

  async put(cid: CID, bytes: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<CID> {
    const stored = await this.local.put(cid, bytes);
    return stored;
  }

  async *putMany(
    source: Iterable<{ cid: CID; bytes: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array> }> |
      AsyncIterable<{ cid: CID; bytes: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array> }>,
  ): AsyncGenerator<CID> {
    for await (const { cid, bytes } of source) yield await this.put(cid, bytes);
  }

  async *get(cid: CID): AsyncGenerator<Uint8Array> {
    try {
      yield await this.local.getBlock(cid);
    } catch (error) {
      if (error instanceof BlockNotFoundError) throw new NotFoundError(error.message);
      throw error;
    }
  }

  async *getMany(source: Iterable<CID> | AsyncIterable<CID>): AsyncGenerator<{ cid: CID; bytes: AsyncGenerator<Uint8Array> }> {
    for await (const cid of source) yield { cid, bytes: this.get(cid) };
  }

  async delete(cid: CID): Promise<void> {
    throw new Error(`Refusing to delete block ${cid.toString()}: the app's IPFS store never deletes through bitswap.`);
  }

  async *deleteMany(source: Iterable<CID> | AsyncIterable<CID>): AsyncGenerator<CID> {
    for await (const cid of source) {
      await this.delete(cid);
      yield cid;
    }
  }

  async *getAll(): AsyncGenerator<{ cid: CID; bytes: AsyncGenerator<Uint8Array> }> {
    yield* [];
    throw new Error("Listing every block is not supported by the app's IPFS store.");
  }
}

class NotFoundError extends Error {
  override readonly name = "NotFoundError";
}

async function* nothing<T>(): AsyncGenerator<T> {
  yield* [];
}

/** No content routing (no DHT, no delegated routing): peers come from configuration and inbound connections. */
const NO_CONTENT_ROUTING: BitswapRouting = {
  name: "none",
  provide: async () => undefined,
  cancelReprovide: async () => undefined,
  findProviders: () => nothing(),
  put: async () => undefined,
  get: async () => {
    throw new NotFoundError("This node has no content routing (no DHT).");
  },
  findPeer: async () => {
    throw new NotFoundError("This node has no peer routing (no DHT); list peers in MODELBOUNTY_IPFS_PEERS.");
  },
  getClosestPeers: () => nothing(),
};

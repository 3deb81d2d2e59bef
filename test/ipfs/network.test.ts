/**
 * The embedded node on the IPFS network, with real libp2p nodes on loopback (TCP + noise + yamux, bitswap): content
 * added on one node is fetched by CID on another over bitswap and verified; trustless gateways are a verified
 * fallback; a node that has no way to find a CID says so.
 */
import { expect } from "chai";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CID } from "multiformats/cid";
import { sha256 } from "multiformats/hashes/sha2";
import { computeCid, RAW_CODEC } from "../../lib/ipfs/cid";
import { IpfsNotFoundError, IpfsStoreError, IpfsVerificationError } from "../../lib/ipfs/errors";
import { handleIpfsGateway } from "../../lib/ipfs/handlers";
import { IpfsNode } from "../../lib/ipfs/network";
import { TrustlessGatewaySource } from "../../lib/ipfs/retrieval";
import {
  EmbeddedIpfsStore,
  getIpfsStore,
  resetIpfsStore,
  startEmbeddedIpfsNode,
  stopEmbeddedIpfsNode,
} from "../../lib/ipfs/store";
import { patternBytes } from "./support/kuboReference";
import { startTestGateway, type TestGateway } from "./support/trustlessGateway";

const CHUNK = 262_144;
const quiet = () => undefined;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a).equals(Buffer.from(b));
}

describe("lib/ipfs/network: the embedded node over libp2p", () => {
  const dirs: string[] = [];
  const nodes: IpfsNode[] = [];
  const gateways: TestGateway[] = [];

  async function folder(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), "modelbounty-ipfs-node-"));
    dirs.push(dir);
    return dir;
  }

  async function node(dir: string, peers: string[] = [], peerTimeoutMs = 3_000): Promise<IpfsNode> {
    const started = await IpfsNode.start({ dir, host: "127.0.0.1", port: 0, peers, peerTimeoutMs, log: quiet });
    nodes.push(started);
    return started;
  }

  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((started) => started.stop()));
    await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("content added on node A is fetched by CID on node B over bitswap, verified, and kept by B", async () => {
    const dirA = await folder();
    const a = await node(dirA);
    expect(a.multiaddrs()[0]).to.match(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/12D3KooW/);
    const storeA = new EmbeddedIpfsStore(dirA);
    // Five blocks: four raw leaves under a dag-pb root, so the exporter walks a tree across the network.
    const big = patternBytes(3 * CHUNK + 777, 41);
    const small = new TextEncoder().encode("a dataset's CID outlives its server");
    const bigCid = (await storeA.add(big)).cid;
    const smallCid = (await storeA.add(small)).cid;

    const dirB = await folder();
    const b = await node(dirB, [a.multiaddrs()[0] ?? ""]);
    expect(b.connectedPeers()).to.deep.equal([a.peerId]);
    const storeB = new EmbeddedIpfsStore(dirB, { sources: () => [b] });
    expect(await storeB.has(bigCid), "B starts without the file").to.equal(false);

    const fetched = await storeB.get(bigCid);
    expect(fetched && sameBytes(fetched, big)).to.equal(true);
    expect(await computeCid(fetched ?? new Uint8Array())).to.equal(bigCid);
    expect(new TextDecoder().decode(await storeB.get(smallCid))).to.equal("a dataset's CID outlives its server");

    // B kept the verified blocks: it now serves the file with A gone.
    await a.stop();
    nodes.splice(nodes.indexOf(a), 1);
    const offlineB = new EmbeddedIpfsStore(dirB);
    expect(sameBytes((await offlineB.get(bigCid)) ?? new Uint8Array(), big)).to.equal(true);
  });

  it("through the app: startEmbeddedIpfsNode prints the multiaddr and GET /ipfs/<cid> reads through the node", async () => {
    const dirA = await folder();
    const a = await node(dirA);
    const bytes = patternBytes(CHUNK + 5, 42);
    const { cid } = await new EmbeddedIpfsStore(dirA).add(bytes);

    const saved = { ...process.env };
    const logged: string[] = [];
    try {
      process.env.MODELBOUNTY_IPFS_DIR = await folder();
      process.env.MODELBOUNTY_IPFS_SWARM_PORT = "0";
      process.env.MODELBOUNTY_IPFS_PEERS = a.multiaddrs()[0] ?? "";
      delete process.env.MODELBOUNTY_IPFS_API;
      delete process.env.MODELBOUNTY_IPFS_GATEWAYS;
      resetIpfsStore();
      const started = await startEmbeddedIpfsNode((line) => logged.push(line));
      expect(started, logged.join("\n")).to.not.equal(undefined);
      expect(logged.join("\n")).to.match(/serves .* over bitswap at \/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/12D3KooW/);
      expect(await startEmbeddedIpfsNode(quiet), "one node per process").to.equal(started);

      const response = await handleIpfsGateway(new Request(`http://localhost/ipfs/${cid}`), cid);
      expect(response.status).to.equal(200);
      expect(sameBytes(new Uint8Array(await response.arrayBuffer()), bytes)).to.equal(true);
      expect(await getIpfsStore().has?.(cid)).to.equal(true);
    } finally {
      await stopEmbeddedIpfsNode();
      for (const name of Object.keys(process.env)) if (name.startsWith("MODELBOUNTY_IPFS_")) delete process.env[name];
      Object.assign(process.env, saved);
      resetIpfsStore();
    }
  });

  it("keeps its peer identity across restarts (the multiaddr others were given stays valid)", async () => {
    const dir = await folder();
    const first = await node(dir);
    const peerId = first.peerId;
    await first.stop();
    nodes.splice(nodes.indexOf(first), 1);
    expect((await node(dir)).peerId).to.equal(peerId);
  });

  it("moves to a free port, and says so, when its port is taken", async () => {
    const first = await node(await folder());
    const port = Number(/\/tcp\/(\d+)\//.exec(first.multiaddrs()[0] ?? "")?.[1]);
    const logged: string[] = [];
    const second = await IpfsNode.start({ dir: await folder(), host: "127.0.0.1", port, log: (line) => logged.push(line) });
    nodes.push(second);
    expect(logged.join("\n")).to.match(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use .*MODELBOUNTY_IPFS_SWARM_PORT`));
    expect(second.multiaddrs()[0]).to.match(/\/tcp\/\d+\//).and.not.include(`/tcp/${port}/`);
  });

  it("a node with no peers and no gateway gives a clear not-found error (and the gateway route answers 404)", async () => {
    const lonely = await node(await folder());
    const store = new EmbeddedIpfsStore(await folder(), { sources: () => [lonely] });
    const cid = await computeCid(new TextEncoder().encode("nobody has this"));
    const started = Date.now();
    const error = await rejection(store.get(cid));
    expect(Date.now() - started, "no peer to wait for").to.be.below(2_000);
    expect(error).to.be.instanceOf(IpfsNotFoundError);
    expect((error as Error).message).to.match(/No file with CID .* is stored on this server/);
    expect((error as Error).message).to.match(/no peer is connected .*MODELBOUNTY_IPFS_PEERS/);
    expect((error as Error).message).to.match(/no trustless gateway is configured \(MODELBOUNTY_IPFS_GATEWAYS\)/);

    const response = await handleIpfsGateway(new Request(`http://localhost/ipfs/${cid}`), cid, { store });
    expect(response.status).to.equal(404);
    expect(((await response.json()) as { error: string }).error).to.match(/no peer is connected/);
  });

  it("connected peers that lack a block are given the peer timeout, then reported", async () => {
    const a = await node(await folder());
    const b = await node(await folder(), [a.multiaddrs()[0] ?? ""], 500);
    const store = new EmbeddedIpfsStore(await folder(), { sources: () => [b] });
    const error = await rejection(store.get(await computeCid(new TextEncoder().encode("A does not have this"))));
    expect(error).to.be.instanceOf(IpfsNotFoundError);
    expect((error as Error).message).to.match(/connected peers \(bitswap\): the connected peer did not send it within 500 ms/);
  });

  it("a node does not serve a block that is corrupted on its disk", async () => {
    const dirA = await folder();
    const a = await node(dirA);
    const bytes = new TextEncoder().encode("to be corrupted on A");
    const { cid } = await new EmbeddedIpfsStore(dirA).add(bytes);
    const file = new EmbeddedIpfsStore(dirA).blockstore.pathFor(CID.parse(cid));
    const stored = await readFile(file);
    stored[0] = (stored[0] ?? 0) ^ 1;
    await writeFile(file, stored);
    const b = await node(await folder(), [a.multiaddrs()[0] ?? ""], 800);
    const error = await rejection(new EmbeddedIpfsStore(await folder(), { sources: () => [b] }).get(cid));
    expect(error).to.be.instanceOf(IpfsNotFoundError);
  });

  describe("trustless gateways (verified retrieval)", () => {
    it("reads missing blocks from a gateway with ?format=raw, verifying each, when no peer has them", async () => {
      const dirA = await folder();
      const bytes = patternBytes(2 * CHUNK + 3, 43);
      const { cid } = await new EmbeddedIpfsStore(dirA).add(bytes);
      const gateway = await startTestGateway(dirA);
      gateways.push(gateway);
      const lonely = await node(await folder());
      const store = new EmbeddedIpfsStore(await folder(), {
        sources: () => [lonely, new TrustlessGatewaySource(gateway.url, { timeoutMs: 5_000 })],
      });
      expect(sameBytes((await store.get(cid)) ?? new Uint8Array(), bytes)).to.equal(true);
      expect(gateway.requests).to.have.length(4); // root + three leaves
      expect(gateway.requests[0]).to.deep.include({ path: `/ipfs/${cid}`, format: "raw", accept: "application/vnd.ipld.raw" });
    });

    it("refuses a tampered block from a gateway and uses the next source", async () => {
      const dirA = await folder();
      const bytes = new TextEncoder().encode("tampering is detected");
      const { cid } = await new EmbeddedIpfsStore(dirA).add(bytes);
      const liar = await startTestGateway(dirA);
      liar.tamper = true;
      gateways.push(liar);

      const alone = new EmbeddedIpfsStore(await folder(), {
        sources: () => [new TrustlessGatewaySource(liar.url, { timeoutMs: 5_000 })],
      });
      const error = await rejection(alone.get(cid));
      expect(error).to.be.instanceOf(IpfsVerificationError);
      expect((error as Error).message).to.match(/do not hash to the CID; refused/);
      expect(await alone.has(cid), "a tampered block is never stored").to.equal(false);
      const consoleError = console.error;
      console.error = quiet; // the handler logs the refusal for operators
      try {
        const response = await handleIpfsGateway(new Request(`http://localhost/ipfs/${cid}`), cid, { store: alone });
        expect(response.status).to.equal(502);
        expect(((await response.json()) as { error: string }).error).to.match(/does not match its CID, so nothing was served/);
      } finally {
        console.error = consoleError;
      }

      const honest = await startTestGateway(dirA);
      gateways.push(honest);
      const both = new EmbeddedIpfsStore(await folder(), {
        sources: () => [
          new TrustlessGatewaySource(liar.url, { timeoutMs: 5_000 }),
          new TrustlessGatewaySource(honest.url, { timeoutMs: 5_000 }),
        ],
      });
      expect(new TextDecoder().decode(await both.get(cid))).to.equal("tampering is detected");
    });

    it("reports a missing inner block as an incomplete file, naming what was tried", async () => {
      const dirA = await folder();
      const bytes = patternBytes(2 * CHUNK + 9, 44);
      const { cid } = await new EmbeddedIpfsStore(dirA).add(bytes);
      const leaf = CID.createV1(RAW_CODEC, await sha256.digest(bytes.subarray(0, CHUNK)));
      await rm(new EmbeddedIpfsStore(dirA).blockstore.pathFor(leaf));
      const gateway = await startTestGateway(dirA);
      gateways.push(gateway);
      const store = new EmbeddedIpfsStore(await folder(), {
        sources: () => [new TrustlessGatewaySource(gateway.url, { timeoutMs: 5_000 })],
      });
      const error = await rejection(store.get(cid));
      expect(error).to.be.instanceOf(IpfsStoreError);
      expect((error as Error).message).to.match(/Part of file .* could not be fetched .*does not have it \(HTTP 404\)/);
    });
  });
});

import { expect } from "chai";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CID } from "multiformats/cid";
import { sha256 } from "multiformats/hashes/sha2";
import { computeCid, RAW_CODEC } from "../../lib/ipfs/cid";
import { InvalidCidError, IpfsStoreError, IpfsVerificationError } from "../../lib/ipfs/errors";
import {
  EmbeddedIpfsStore,
  getIpfsStore,
  KuboIpfsStore,
  readIpfsServerConfig,
  resetIpfsStore,
} from "../../lib/ipfs/store";
import { startFakeKubo, type FakeKubo } from "./support/fakeKubo";
import { patternBytes } from "./support/kuboReference";

const CHUNK = 262_144;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

async function rawLeafCid(bytes: Uint8Array): Promise<CID> {
  return CID.createV1(RAW_CODEC, await sha256.digest(bytes));
}

async function flipByte(file: string, index = 0): Promise<void> {
  const bytes = await readFile(file);
  bytes[index] = (bytes[index] ?? 0) ^ 0x80;
  await writeFile(file, bytes);
}

describe("lib/ipfs/store", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "modelbounty-ipfs-"));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe("EmbeddedIpfsStore", () => {
    it("stores files under their kubo CID and reads them back from a fresh instance (persistence)", async () => {
      const small = new TextEncoder().encode("hello world");
      const big = patternBytes(4 * CHUNK + 12_345, 1);
      const writer = new EmbeddedIpfsStore(dir);
      expect(await writer.add(small)).to.deep.equal({
        cid: "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e",
        size: 11,
      });
      const added = await writer.add(big);
      expect(added).to.deep.equal({ cid: await computeCid(big), size: big.length });

      const reader = new EmbeddedIpfsStore(dir); // as after a server restart
      expect(await reader.has(added.cid)).to.equal(true);
      expect(Buffer.from((await reader.get(added.cid))!).equals(Buffer.from(big))).to.equal(true);
      expect(new TextDecoder().decode(await reader.get("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"))).to.equal(
        "hello world",
      );
      // 5 raw leaves + 1 root node, plus the separate "hello world" block
      const shards = await readdir(path.join(dir, "blocks"));
      let files = 0;
      for (const shard of shards) files += (await readdir(path.join(dir, "blocks", shard))).filter((f) => f.endsWith(".data")).length;
      expect(files).to.equal(7);
    });

    it("adding the same content twice is harmless", async () => {
      const store = new EmbeddedIpfsStore(dir);
      const bytes = patternBytes(CHUNK + 1, 2);
      expect(await store.add(bytes)).to.deep.equal(await store.add(bytes));
      expect((await store.get((await store.add(bytes)).cid))?.length).to.equal(bytes.length);
    });

    it("answers undefined for content it does not hold, and rejects malformed CIDs", async () => {
      const store = new EmbeddedIpfsStore(dir);
      const absent = await computeCid(new TextEncoder().encode("never stored"));
      expect(await store.get(absent)).to.equal(undefined);
      expect(await store.has(absent)).to.equal(false);
      expect(await rejection(store.get("not-a-cid"))).to.be.instanceOf(InvalidCidError);
    });

    it("refuses to return a file whose leaf block was modified on disk", async () => {
      const store = new EmbeddedIpfsStore(dir);
      const bytes = patternBytes(3 * CHUNK, 3);
      const { cid } = await store.add(bytes);
      const secondLeaf = await rawLeafCid(bytes.subarray(CHUNK, 2 * CHUNK));
      await flipByte(store.blockstore.pathFor(secondLeaf), 1000);
      const error = await rejection(new EmbeddedIpfsStore(dir).get(cid));
      expect(error).to.be.instanceOf(IpfsVerificationError);
      expect((error as Error).message).to.match(/corrupted or was modified/);
    });

    it("refuses a modified root block and a modified single-block file", async () => {
      const store = new EmbeddedIpfsStore(dir);
      const multi = await store.add(patternBytes(2 * CHUNK + 1, 4));
      await flipByte(store.blockstore.pathFor(CID.parse(multi.cid)), 5);
      expect(await rejection(store.get(multi.cid))).to.be.instanceOf(IpfsVerificationError);

      const single = await store.add(new TextEncoder().encode("a model's weights"));
      await flipByte(store.blockstore.pathFor(CID.parse(single.cid)));
      expect(await rejection(store.get(single.cid))).to.be.instanceOf(IpfsVerificationError);
    });

    it("reports a file with a missing block as incomplete", async () => {
      const store = new EmbeddedIpfsStore(dir);
      const bytes = patternBytes(2 * CHUNK + 1, 5);
      const { cid } = await store.add(bytes);
      await rm(store.blockstore.pathFor(await rawLeafCid(bytes.subarray(0, CHUNK))));
      const error = await rejection(store.get(cid));
      expect(error).to.be.instanceOf(IpfsStoreError);
      expect((error as Error).message).to.match(/missing/);
    });
  });

  describe("KuboIpfsStore (against a fake kubo RPC server)", () => {
    let kubo: FakeKubo;

    beforeEach(async () => {
      kubo = await startFakeKubo(path.join(dir, "kubo"));
    });

    afterEach(async () => {
      await kubo.close();
    });

    it("adds with kubo's parameters and reads back verified content", async () => {
      const store = new KuboIpfsStore(kubo.url);
      const bytes = patternBytes(3 * CHUNK + 17, 6);
      const added = await store.add(bytes);
      expect(added).to.deep.equal({ cid: await computeCid(bytes), size: bytes.length });
      const add = kubo.requests.find((r) => r.path === "/api/v0/add");
      expect(add?.method).to.equal("POST");
      expect(add?.query.get("cid-version")).to.equal("1");
      expect(add?.query.get("raw-leaves")).to.equal("true");
      expect(add?.query.get("chunker")).to.equal("size-262144");

      const read = await store.get(added.cid);
      expect(Buffer.from(read!).equals(Buffer.from(bytes))).to.equal(true);
      const cat = kubo.requests.find((r) => r.path === "/api/v0/cat");
      expect(cat?.query.get("arg")).to.equal(added.cid);
    });

    it("sends the configured Authorization header (pinning services with kubo's RPC API) on every request", async () => {
      const config = readIpfsServerConfig({ MODELBOUNTY_IPFS_API: kubo.url, MODELBOUNTY_IPFS_API_AUTH: "Bearer pin-token" });
      expect(config.apiAuthorization).to.equal("Bearer pin-token");
      const store = new KuboIpfsStore(kubo.url, { authorization: config.apiAuthorization });
      const added = await store.add(new TextEncoder().encode("pinned with a token"));
      await store.get(added.cid);
      expect(kubo.requests.map((r) => r.authorization)).to.deep.equal(["Bearer pin-token", "Bearer pin-token"]);
      await new KuboIpfsStore(kubo.url).get(added.cid);
      expect(kubo.requests.at(-1)?.authorization).to.equal(undefined);
    });

    it("answers undefined for content the node does not hold", async () => {
      const store = new KuboIpfsStore(kubo.url);
      expect(await store.get(await computeCid(new TextEncoder().encode("absent")))).to.equal(undefined);
    });

    it("detects a node that reports the wrong CID for an upload", async () => {
      kubo.lieOnAdd = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";
      const error = await rejection(new KuboIpfsStore(kubo.url).add(new TextEncoder().encode("my model")));
      expect(error).to.be.instanceOf(IpfsVerificationError);
      expect((error as Error).message).to.match(/was not accepted/);
      expect((error as IpfsVerificationError).actualCid).to.equal(kubo.lieOnAdd);
    });

    it("detects a node that returns altered bytes", async () => {
      const store = new KuboIpfsStore(kubo.url);
      const { cid } = await store.add(patternBytes(CHUNK + 9, 8));
      kubo.corruptCat = true;
      expect(await rejection(store.get(cid))).to.be.instanceOf(IpfsVerificationError);
    });

    it("explains an unreachable node", async () => {
      const url = kubo.url;
      await kubo.close();
      kubo = await startFakeKubo(path.join(dir, "kubo2")); // for afterEach
      const error = await rejection(new KuboIpfsStore(url, { timeoutMs: 2000 }).get(await computeCid(new Uint8Array([1]))));
      expect(error).to.be.instanceOf(IpfsStoreError);
      expect((error as Error).message).to.match(/could not be reached.*MODELBOUNTY_IPFS_API/);
    });

    it("refuses content over its read limit", async () => {
      const writer = new KuboIpfsStore(kubo.url);
      const { cid } = await writer.add(patternBytes(2000, 9));
      const error = await rejection(new KuboIpfsStore(kubo.url, { maxBytes: 1000 }).get(cid));
      expect(error).to.be.instanceOf(IpfsStoreError);
    });
  });

  describe("configuration", () => {
    const saved = { ...process.env };

    afterEach(() => {
      for (const name of Object.keys(process.env)) if (name.startsWith("MODELBOUNTY_IPFS_")) delete process.env[name];
      Object.assign(process.env, saved);
      resetIpfsStore();
    });

    it("reads the environment with defaults", () => {
      const config = readIpfsServerConfig({});
      expect(config.dir).to.equal(path.resolve(".data/ipfs"));
      expect(config.apiUrl).to.equal(undefined);
      expect(config.maxUploadBytes).to.equal(50 * 1024 * 1024);
      const custom = readIpfsServerConfig({
        MODELBOUNTY_IPFS_DIR: "/tmp/x",
        MODELBOUNTY_IPFS_API: "http://127.0.0.1:5001/",
        MODELBOUNTY_IPFS_MAX_BYTES: "1000",
      });
      expect(custom).to.include({ dir: "/tmp/x", apiUrl: "http://127.0.0.1:5001", maxUploadBytes: 1000 });
    });

    it("reads the node, peer and gateway settings with defaults", () => {
      expect(readIpfsServerConfig({})).to.include({ network: true, swarmHost: "127.0.0.1", swarmPort: 4001, peerTimeoutMs: 10_000 });
      expect(readIpfsServerConfig({}).peers).to.deep.equal([]);
      expect(readIpfsServerConfig({}).gateways).to.deep.equal([]);
      const peer = "/ip4/10.0.0.2/tcp/4001/p2p/12D3KooWDNUVee71rTSQCSfhpiE2hA9d1eqFyfF8XuWJf9oYKfMR";
      const custom = readIpfsServerConfig({
        MODELBOUNTY_IPFS_NETWORK: "off",
        MODELBOUNTY_IPFS_SWARM_HOST: "0.0.0.0",
        MODELBOUNTY_IPFS_SWARM_PORT: "0",
        MODELBOUNTY_IPFS_PEERS: ` ${peer}, ${peer}`,
        MODELBOUNTY_IPFS_GATEWAYS: "https://gw.example/ http://127.0.0.1:8080",
        MODELBOUNTY_IPFS_PEER_TIMEOUT_MS: "2500",
      });
      expect(custom).to.include({ network: false, swarmHost: "0.0.0.0", swarmPort: 0, peerTimeoutMs: 2500 });
      expect(custom.peers).to.deep.equal([peer, peer]);
      expect(custom.gateways).to.deep.equal(["https://gw.example", "http://127.0.0.1:8080"]);
    });

    it("names the node variable when a value is unusable", () => {
      expect(() => readIpfsServerConfig({ MODELBOUNTY_IPFS_SWARM_PORT: "70000" })).to.throw(/MODELBOUNTY_IPFS_SWARM_PORT must be a TCP port/);
      expect(() => readIpfsServerConfig({ MODELBOUNTY_IPFS_SWARM_HOST: "localhost" })).to.throw(/MODELBOUNTY_IPFS_SWARM_HOST/);
      expect(() => readIpfsServerConfig({ MODELBOUNTY_IPFS_PEERS: "/ip4/127.0.0.1/tcp/4001" })).to.throw(/\/p2p\/<peer id>/);
      expect(() => readIpfsServerConfig({ MODELBOUNTY_IPFS_GATEWAYS: "gw.example" })).to.throw(/MODELBOUNTY_IPFS_GATEWAYS/);
      expect(() => readIpfsServerConfig({ MODELBOUNTY_IPFS_NETWORK: "maybe" })).to.throw(/"on" or "off"/);
    });

    it("names the variable when a value is unusable", () => {
      expect(() => readIpfsServerConfig({ MODELBOUNTY_IPFS_MAX_BYTES: "50MB" })).to.throw(/MODELBOUNTY_IPFS_MAX_BYTES/);
      expect(() => readIpfsServerConfig({ MODELBOUNTY_IPFS_MAX_BYTES: "0" })).to.throw(/positive whole number/);
      expect(() => readIpfsServerConfig({ MODELBOUNTY_IPFS_API: "localhost:5001" })).to.throw(/MODELBOUNTY_IPFS_API/);
    });

    it("getIpfsStore picks the store from the environment, once", () => {
      process.env.MODELBOUNTY_IPFS_DIR = dir;
      delete process.env.MODELBOUNTY_IPFS_API;
      resetIpfsStore();
      const embedded = getIpfsStore();
      expect(embedded).to.be.instanceOf(EmbeddedIpfsStore);
      expect((embedded as EmbeddedIpfsStore).dir).to.equal(dir);
      expect(getIpfsStore()).to.equal(embedded);

      process.env.MODELBOUNTY_IPFS_API = "http://127.0.0.1:5001";
      expect(getIpfsStore(), "memoized").to.equal(embedded);
      resetIpfsStore();
      const kuboStore = getIpfsStore();
      expect(kuboStore).to.be.instanceOf(KuboIpfsStore);
      expect((kuboStore as KuboIpfsStore).apiUrl).to.equal("http://127.0.0.1:5001");
    });
  });
});

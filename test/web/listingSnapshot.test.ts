/**
 * lib/web/listingSnapshot: the server's copy of the marketplace listing, on Hardhat's in-process chain with a real
 * embedded IPFS store. It must never serve a listing of a block the chain no longer holds, must serve a valid older
 * one at once while it catches up, and must give up within the page's budget when the node is down or hangs.
 */
import hre from "hardhat";
import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { createPublicClient, custom, http, parseEther, type Address, type Hex, type PublicClient } from "viem";
import { deployFactory } from "../../lib/chain/deploy";
import { type DankuWallet } from "../../lib/chain/danku";
import { launchCompetition, mineLocalBlocks } from "../../lib/chain/flows";
import { EmbeddedIpfsStore } from "../../lib/ipfs/store";
import type { AppConfig } from "../../lib/config";
import { ListingIndexer } from "../../lib/web/listingSnapshot";
import { addCompetitionMetadata, OPEN_COMPETITION_CONFIG } from "./fixtures";

const HASHES = [`0x${"11".repeat(32)}`, `0x${"22".repeat(32)}`] as Hex[];

function appConfig(factory: Address, rpcUrl = "http://127.0.0.1:8545"): AppConfig {
  return {
    chainId: 31337,
    chainName: "Hardhat (in-process)",
    rpcUrl,
    factory,
    factoryBlock: "0",
    problemFactory: null,
    problemFactoryBlock: "0",
    walletConnectProjectId: null,
    blockTimeSeconds: null,
    multicall3: null,
    localChain: true,
    issues: [],
  };
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, attempts = 50): Promise<T> {
  let value = await read();
  for (let i = 0; i < attempts && !done(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await read();
  }
  return value;
}

describe("lib/web/listingSnapshot (the server's listing snapshot)", function () {
  let client: PublicClient;
  let organizer: DankuWallet;
  let factory: Address;
  let store: EmbeddedIpfsStore;
  let metadataCid: string;
  const indexers: ListingIndexer[] = [];

  const create = async (cid: string) =>
    (
      await launchCompetition(
        organizer,
        client,
        { factory, config: OPEN_COMPETITION_CONFIG, groupHashes: HASHES, groupPointCounts: HASHES.map(() => 2), metadataCid: cid, reward: parseEther("1") },
        { advance: mineLocalBlocks(client) },
      )
    ).address;
  const indexer = (config: AppConfig, over = client) => {
    const made = new ListingIndexer(config, over, { pollingIntervalMs: 60_000, store: () => store });
    indexers.push(made);
    return made;
  };

  before(async function () {
    client = (await hre.viem.getPublicClient()) as unknown as PublicClient;
    const [first] = (await hre.viem.getWalletClients()) as unknown as DankuWallet[];
    if (!first) throw new Error("needs an account");
    organizer = first;
    factory = (await deployFactory(organizer, client)).address;
    store = new EmbeddedIpfsStore(mkdtempSync(path.join(os.tmpdir(), "mb-snapshot-ipfs-")));
    metadataCid = await addCompetitionMetadata(store, "Snapshot title", "Read by the server from its IPFS store.");
  });

  after(() => indexers.forEach((i) => i.stop()));

  it("scans the factory on the first read and carries the metadata documents its store holds", async function () {
    const withMetadata = await create(metadataCid);
    const missing = await create("bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy");
    const snapshot = await indexer(appConfig(factory)).read(5_000);
    expect(snapshot?.competitions?.summaries.map((s) => s.address)).to.include.members([withMetadata, missing]);
    expect(snapshot?.competitions?.blockNumber).to.equal(await client.getBlockNumber());
    expect(snapshot?.competitionMetadata[metadataCid]?.title).to.equal("Snapshot title");
    expect(Object.keys(snapshot?.competitionMetadata ?? {})).to.deep.equal([metadataCid]);
    expect(snapshot?.observedBlockTime).to.be.a("number");
  });

  it("waits for the rescan when the chain moved on, and serves the older snapshot only when the rescan is too slow", async function () {
    let slowCalls = false;
    // The in-process node, with eth_call (the summary reads) held back on demand.
    const slowable = createPublicClient({
      transport: custom({
        request: async (args: { method: string; params?: unknown }) => {
          if (slowCalls && args.method === "eth_call") await new Promise((resolve) => setTimeout(resolve, 1_000));
          return hre.network.provider.request(args as { method: string; params?: unknown[] });
        },
      }),
    }) as PublicClient;
    const follower = indexer(appConfig(factory), slowable);
    const first = await follower.read(5_000);
    const added = await create("");
    const fresh = await follower.read(5_000);
    expect(fresh?.competitions?.summaries.map((c) => c.address)).to.include(added);
    expect(fresh?.competitions?.blockNumber).to.equal(await client.getBlockNumber());
    expect((first?.competitions?.blockNumber ?? 0n) < (fresh?.competitions?.blockNumber ?? 0n)).to.equal(true);

    slowCalls = true;
    const late = await create("");
    const started = Date.now();
    const older = await follower.read(300);
    expect(Date.now() - started).to.be.lessThan(900);
    expect(older?.competitions?.blockNumber).to.equal(fresh?.competitions?.blockNumber);
    expect(older?.competitions?.summaries.map((c) => c.address)).not.to.include(late);
    slowCalls = false;
    const caughtUp = await eventually(
      () => follower.read(5_000),
      (s) => !!s?.competitions?.summaries.some((c) => c.address === late),
    );
    expect(caughtUp?.competitions?.blockNumber).to.equal(await client.getBlockNumber());
  });

  it("never serves a snapshot of a block the chain no longer holds (a reverted snapshot, re-mined higher)", async function () {
    const follower = indexer(appConfig(factory));
    const testClient = await hre.viem.getTestClient();
    const id = await testClient.snapshot();
    const doomed = await create("");
    const before = await follower.read(5_000);
    expect(before?.competitions?.summaries.map((c) => c.address)).to.include(doomed);
    await testClient.revert({ id });
    // The chain grows past the snapshot's height with other blocks.
    await testClient.mine({ blocks: 3 });
    const replacement = await create("");
    const after = await follower.read(5_000);
    const addresses = after?.competitions?.summaries.map((c) => c.address) ?? [];
    const head = await client.getBlock();
    expect(after?.competitions?.blockNumber).to.equal(head.number);
    expect(after?.competitions?.blockHash).to.equal(head.hash);
    expect(addresses).to.include(replacement);
    // The clone may reuse the reverted one's address (same factory nonce); either way it replaced it, not joined it.
    if (replacement !== doomed) expect(addresses).not.to.include(doomed);
    expect(addresses).to.have.length(before?.competitions?.summaries.length ?? -1);
  });

  it("returns nothing when the node refuses connections, and within the budget when it hangs", async function () {
    const refused = createPublicClient({ transport: http("http://127.0.0.1:9", { retryCount: 0 }) });
    expect(await indexer(appConfig(factory, "http://127.0.0.1:9"), refused as PublicClient).read(2_000)).to.equal(undefined);

    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const hanging = createPublicClient({ transport: http(`http://127.0.0.1:${port}`, { retryCount: 0, timeout: 30_000 }) });
      const started = Date.now();
      expect(await indexer(appConfig(factory, `http://127.0.0.1:${port}`), hanging as PublicClient).read(300)).to.equal(undefined);
      expect(Date.now() - started).to.be.lessThan(2_000);
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

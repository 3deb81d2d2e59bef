/**
 * lib/web/competitionHead: the title and description a competition page's first HTML carries, read by the server
 * from the chain (the metadata CID) and its own IPFS store, on Hardhat's in-process chain with a real embedded store.
 * It must give the document the store holds, say when there is none, and give up within the page's budget when the
 * node hangs or there is no contract.
 */
import hre from "hardhat";
import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { createPublicClient, http, parseEther, type Address, type Hex, type PublicClient } from "viem";
import { deployFactory } from "../../lib/chain/deploy";
import { type DankuWallet } from "../../lib/chain/danku";
import { launchCompetition, mineLocalBlocks } from "../../lib/chain/flows";
import { EmbeddedIpfsStore } from "../../lib/ipfs/store";
import type { AppConfig } from "../../lib/config";
import { readInitialCompetitionMetadata } from "../../lib/web/competitionHead";
import { addCompetitionMetadata, OPEN_COMPETITION_CONFIG } from "./fixtures";

const HASHES = [`0x${"33".repeat(32)}`, `0x${"44".repeat(32)}`] as Hex[];

const config = (rpcUrl = "http://127.0.0.1:8545"): AppConfig => ({
  chainId: 31337,
  chainName: "Hardhat (in-process)",
  rpcUrl,
  factory: null,
  factoryBlock: "0",
  problemFactory: null,
  problemFactoryBlock: "0",
  walletConnectProjectId: null,
  blockTimeSeconds: null,
  multicall3: null,
  localChain: true,
  issues: [],
});

describe("lib/web/competitionHead (title and description in the competition page's HTML)", function () {
  let client: PublicClient;
  let organizer: DankuWallet;
  let factory: Address;
  let store: EmbeddedIpfsStore;
  let metadataCid: string;

  const create = async (cid: string) =>
    (
      await launchCompetition(
        organizer,
        client,
        { factory, config: OPEN_COMPETITION_CONFIG, groupHashes: HASHES, groupPointCounts: HASHES.map(() => 2), metadataCid: cid, reward: parseEther("1") },
        { advance: mineLocalBlocks(client) },
      )
    ).address;

  before(async function () {
    client = (await hre.viem.getPublicClient()) as unknown as PublicClient;
    const [first] = (await hre.viem.getWalletClients()) as unknown as DankuWallet[];
    if (!first) throw new Error("needs an account");
    organizer = first;
    factory = (await deployFactory(organizer, client)).address;
    store = new EmbeddedIpfsStore(mkdtempSync(path.join(os.tmpdir(), "mb-head-ipfs-")));
    metadataCid = await addCompetitionMetadata(store, "Head title", "Sent with the first HTML.");
  });

  it("gives the CID on chain and the document from the server's store", async function () {
    const address = await create(metadataCid);
    const head = await readInitialCompetitionMetadata(config(), address, { client, store: () => store, budgetMs: 5_000 });
    expect(head?.cid).to.equal(metadataCid);
    expect(head?.metadata?.title).to.equal("Head title");
    expect(head?.metadata?.description).to.equal("Sent with the first HTML.");
  });

  it("says there is no metadata for an empty CID, and leaves it to the browser when the store lacks the document", async function () {
    const none = await readInitialCompetitionMetadata(config(), await create(""), { client, store: () => store, budgetMs: 5_000 });
    expect(none).to.deep.equal({ cid: "" });
    const absentCid = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
    const absent = await readInitialCompetitionMetadata(config(), await create(absentCid), { client, store: () => store, budgetMs: 5_000 });
    expect(absent).to.deep.equal({ cid: absentCid, metadata: undefined });
    // A document that is not competition metadata is not shown either.
    const junkCid = (await store.add(new TextEncoder().encode("not json"))).cid;
    const junk = await readInitialCompetitionMetadata(config(), await create(junkCid), { client, store: () => store, budgetMs: 5_000 });
    expect(junk).to.deep.equal({ cid: junkCid, metadata: undefined });
  });

  it("returns nothing for an address without a contract, and within the budget when the node hangs", async function () {
    const nobody = "0x000000000000000000000000000000000000dEaD";
    expect(await readInitialCompetitionMetadata(config(), nobody, { client, store: () => store, budgetMs: 5_000 })).to.equal(undefined);

    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const hanging = createPublicClient({ transport: http(`http://127.0.0.1:${port}`, { retryCount: 0, timeout: 30_000 }) }) as PublicClient;
      const started = Date.now();
      expect(await readInitialCompetitionMetadata(config(`http://127.0.0.1:${port}`), nobody, { client: hanging, store: () => store, budgetMs: 300 })).to.equal(undefined);
      expect(Date.now() - started).to.be.lessThan(2_000);
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

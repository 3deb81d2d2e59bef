/**
 * The DaiMoN demo seeding of `npm run dev` (scripts/dev/seedDaimon.ts) on Hardhat's in-process chain with an
 * embedded IPFS store in a temporary folder: the chain it leaves checks link by link, its files are on IPFS, the
 * tokens went where the blocks say, the best model it leaves for people really improves, and it stays fast.
 */
import hre from "hardhat";
import { expect } from "chai";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { isAddressEqual, type PublicClient, type TestClient } from "viem";
import { deployProblemFactory, readChain, readProblem, readTokenBalance, readTuples, readValidatorReward, type ChainImprovementBlock, type DaimonWallet } from "../../lib/chain/daimon";
import { EmbeddedIpfsStore } from "../../lib/ipfs/store";
import { parseProblemMetadata } from "../../lib/daimon/metadata";
import { decodeTestInputs } from "../../lib/daimon/inputs";
import { isImprovement, validatorShare } from "../../lib/daimon/fixedPoint";
import { prove } from "../../lib/daimon/poi";
import { seedDaimonDemo } from "../../scripts/dev/seedDaimon";
import { ort } from "../ort/support";

describe("npm run dev: the DaiMoN demo problem", function () {
  this.timeout(300_000);

  it("commits two Improvement blocks with verified votes, keeps its files on IPFS and leaves a better model to submit", async () => {
    const client = (await hre.viem.getPublicClient()) as unknown as PublicClient;
    const testClient = (await hre.viem.getTestClient()) as unknown as TestClient;
    const [creator, alice, bob, carol, dave] = (await hre.viem.getWalletClients()) as unknown as DaimonWallet[];
    const factory = await deployProblemFactory(creator!, client);
    const root = mkdtempSync(path.join(tmpdir(), "mb-seed-daimon-"));
    const ipfs = new EmbeddedIpfsStore(path.join(root, "ipfs"));
    const log: string[] = [];
    const started = performance.now();
    const seeded = await seedDaimonDemo({
      client,
      testClient,
      problemFactory: factory.address,
      creator: creator!,
      improvers: [alice!, bob!],
      validators: [carol!, dave!],
      ipfs,
      root,
      log: (m) => log.push(m),
    });
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`      DaiMoN demo seeding: ${seconds.toFixed(1)} s\n${log.map((l) => `      ${l}\n`).join("")}`);
    expect(seconds, "seeding must stay fast").to.be.below(20);

    const state = await readProblem(client, seeded.address);
    expect(state.phase).to.equal("Competition");
    expect(state.chainLength).to.equal(3);
    const chain = await readChain(client, seeded.address);
    expect(chain.problems).to.deep.equal([]);
    const [b1, b2] = chain.blocks.slice(1) as [ChainImprovementBlock, ChainImprovementBlock];
    expect(isAddressEqual(b1.improver, alice!.account.address)).to.equal(true);
    expect(isAddressEqual(b2.improver, bob!.account.address)).to.equal(true);
    expect(b1.voteCount).to.equal(2);
    expect(b2.voteCount).to.equal(2);
    expect(b2.distance < b1.distance).to.equal(true);
    expect(state.bestDistance).to.equal(b2.distance);

    // Tokens: improvers minted at commit; carol claimed block 1 (one of two equal shares), dave's claims are left for the UI.
    expect(await readTokenBalance(client, state.token, alice!.account.address)).to.equal(b1.improverReward);
    expect(await readTokenBalance(client, state.token, bob!.account.address)).to.equal(b2.improverReward);
    expect(await readTokenBalance(client, state.token, carol!.account.address)).to.equal(validatorShare(b1.improverReward, 2));
    expect(await readValidatorReward(client, seeded.address, 1n, dave!.account.address)).to.equal(validatorShare(b1.improverReward, 2));

    // Z, f and the metadata are on IPFS and decode; the tuple's CIDs name them.
    const [tuple] = await readTuples(client, seeded.address);
    const z = await ipfs.get(tuple!.inputsCid);
    const del = await ipfs.get(tuple!.delCid);
    expect(decodeTestInputs(z!).shape).to.deep.equal([200, 6]);
    const metadata = parseProblemMetadata(new TextDecoder().decode(await ipfs.get(state.metadataCid)), 3);
    expect(metadata.classNames).to.have.length(3);

    // The best model left for people proves an improvement on the chain's best distance.
    const best = new Uint8Array(readFileSync(path.join(root, ".data", "demo", `${seeded.address}.best-model.onnx`)));
    const proof = await prove(
      { model: best, tuples: [{ inputs: z!, del: del!, target: tuple!.target }], problem: { classCount: 3, testSetSize: 200, embeddingSize: 32, inputShape: [6] } },
      { ort },
    );
    expect(isImprovement(proof.distance, state.bestDistance, state.config.margin), `best model d = ${proof.distance}, d_c = ${state.bestDistance}`).to.equal(true);
  });
});

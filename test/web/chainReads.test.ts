/**
 * The marketplace's chain reads on Hardhat's in-process chain: batched summaries through a deployless multicall
 * (no Multicall3 exists there), donations and "entered by" from events, withdrawable amounts.
 */
import hre from "hardhat";
import { expect } from "chai";
import { isAddressEqual, parseEther, toHex, type Address, type PublicClient } from "viem";
import { deployFactory } from "../../lib/chain/deploy";
import {
  listCompetitions,
  listCompetitionsEnteredBy,
  listDonations,
  readCompetition,
  readCompetitionSummaries,
  readWithdrawable,
  type DankuWallet,
} from "../../lib/chain/danku";
import { commitSubmission, launchCompetition, mineLocalBlocks, revealPendingGroups } from "../../lib/chain/flows";
import { parseCsvDataset } from "../../lib/danku/dataset";
import { buildDataGroups, groupPointCounts } from "../../lib/danku/groups";
import { submissionCommitment } from "../../lib/danku/encoding";
import { randomBytes32 } from "../../lib/danku/random";
import { OPEN_COMPETITION_CONFIG } from "./fixtures";

describe("lib/chain/danku marketplace reads", function () {
  let client: PublicClient;
  let wallets: DankuWallet[];
  let factory: Address;
  /** Other test files share this chain: scan only from this file's factory on. */
  let fromBlock: bigint;
  const created: Address[] = [];

  before(async function () {
    client = (await hre.viem.getPublicClient()) as unknown as PublicClient;
    wallets = (await hre.viem.getWalletClients()) as unknown as DankuWallet[];
    const [organizer, submitter, donor] = wallets;
    if (!organizer || !submitter || !donor) throw new Error("needs three accounts");
    const deployment = await deployFactory(organizer, client);
    factory = deployment.address;
    fromBlock = deployment.deploymentBlock;
    const csv = ["x,y,label", ...Array.from({ length: 20 }, (_, i) => `${i * 5},${250 - i * 7},${i % 2 ? "a" : "b"}`)].join("\n");
    const dataset = parseCsvDataset(csv, { labelColumn: "label" });
    for (let n = 0; n < 25; n++) {
      const groups = buildDataGroups(dataset.points, { groupCount: 4, featureCount: 2, classCount: 2 });
      const launched = await launchCompetition(
        organizer,
        client,
        {
          factory,
          config: OPEN_COMPETITION_CONFIG,
          groupHashes: groups.map((g) => g.hash),
          groupPointCounts: groupPointCounts(groups),
          metadataCid: `cid-${n}`,
          reward: parseEther(String(n + 1)),
        },
        { advance: mineLocalBlocks(client) },
      );
      created.push(launched.address);
      if (n === 3) {
        await revealPendingGroups(organizer, client, { competition: launched.address, groups: groups.map((g) => ({ index: g.index, points: toHex(g.bytes), nonce: g.nonce })), training: true });
        const commitment = submissionCommitment({ competition: launched.address, submitter: submitter.account.address, modelHash: randomBytes32(), salt: randomBytes32() });
        await commitSubmission(submitter, client, { competition: launched.address, commitment });
        for (const eth of ["0.25", "0.5"]) {
          const hash = await donor.sendTransaction({ account: donor.account, chain: donor.chain, to: launched.address, value: parseEther(eth) });
          await client.waitForTransactionReceipt({ hash });
        }
      }
    }
  });

  it("reads every competition's state in batched calls, identical to readCompetition", async () => {
    const listed = await listCompetitions(client, factory);
    expect(listed.map((c) => c.address)).to.deep.equal(created);
    const { summaries, failed, blockNumber } = await readCompetitionSummaries(client, listed, { competitionsPerCall: 4 });
    expect(failed).to.deep.equal([]);
    expect(summaries).to.have.length(25);
    for (const s of [summaries[0], summaries[3], summaries[24]]) {
      const full = await readCompetition(client, s!.address);
      expect(full.blockNumber).to.equal(blockNumber);
      expect(s).to.deep.include({
        stage: full.stage,
        totalDonations: full.totalDonations,
        deadlines: full.deadlines,
        submissionCount: full.submissionCount,
        best: full.best,
        usesTestData: full.usesTestData,
        trainingPoints: full.trainingPoints,
        testPoints: full.testPoints,
        reward: full.reward,
        metadataCid: full.metadataCid,
        totalPoints: full.totalCommittedPoints,
        committedTrainingPoints: full.committedTrainingPoints,
        committedTestPoints: full.committedTestPoints,
        rewardForfeited: full.rewardForfeited,
        testWithheld: full.testWithheld,
      });
    }
    expect(summaries[3]).to.deep.include({ stage: "Submission", submissionCount: 1, totalDonations: parseEther("0.75"), trainingPoints: 10 });
    // The sizes committed at creation: 20 points in 4 groups of 5, half of the groups for training.
    expect(summaries[3]).to.deep.include({ totalPoints: 20, committedTrainingPoints: 10, committedTestPoints: 10, rewardForfeited: false, testWithheld: false });
  });

  it("lists donations and the competitions an account entered, from events", async () => {
    const donations = await listDonations(client, created[3]!);
    expect(donations.map((d) => d.amount)).to.deep.equal([parseEther("0.25"), parseEther("0.5")]);
    expect(donations[1]!.totalDonations).to.equal(parseEther("0.75"));
    // Logs carry checksummed addresses; Hardhat's JSON-RPC wallet accounts are lower-case.
    expect(donations.every((d) => isAddressEqual(d.donor, wallets[2]!.account.address))).to.equal(true);
    expect([...(await listCompetitionsEnteredBy(client, wallets[1]!.account.address, { fromBlock }))]).to.deep.equal([created[3]]);
    expect((await listCompetitionsEnteredBy(client, wallets[2]!.account.address, { fromBlock })).size).to.equal(0);
  });

  it("reads what an account may withdraw (nothing before the end)", async () => {
    expect(await readWithdrawable(client, created[3]!, wallets[2]!.account.address)).to.equal(0n);
  });
});

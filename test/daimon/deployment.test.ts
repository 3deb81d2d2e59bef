/**
 * Where clients find the ProblemFactory: deployments/<chainId>.json written by the shared deploy path (both
 * factories), read back by the CLI and the web server config; files from before the ProblemFactory stay valid.
 */
import hre from "hardhat";
import { expect } from "chai";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { getAddress, type PublicClient } from "viem";
import { deployFactories } from "../../lib/chain/deploy";
import type { DankuWallet } from "../../lib/chain/danku";
import { problemFactoryAbi, competitionFactoryAbi } from "../../lib/generated/abis";
import { readDeployment, readProblemFactoryDeployment, writeDeployment } from "../../scripts/shared/deployments";
import { readAppConfig } from "../../lib/config/server";
import { problemFactoryBlock } from "../../lib/config";

// The deployer's third and sixth contracts: the claim module and the engine come first, the dispute judge and module
// between the factories (lib/chain/deploy.ts, lib/chain/daimon.ts).
const COMPETITION_FACTORY = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";
const PROBLEM_FACTORY = "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707";

function folder(deployment?: object): string {
  const dir = mkdtempSync(path.join(tmpdir(), "mb-deployments-"));
  if (deployment) {
    mkdirSync(path.join(dir, "deployments"));
    writeFileSync(path.join(dir, "deployments", "31337.json"), JSON.stringify(deployment));
  }
  return dir;
}

describe("DaiMoN deployment: ProblemFactory next to the CompetitionFactory", function () {
  it("deploys both factories, records both in deployments/<chainId>.json, and the CLI and server read them", async () => {
    const client = (await hre.viem.getPublicClient()) as unknown as PublicClient;
    const [deployer] = (await hre.viem.getWalletClients()) as unknown as DankuWallet[];
    const deployed = await deployFactories(deployer!, client);
    // Both are live factories: their implementations are in place.
    expect(await client.readContract({ address: deployed.problemFactory.address, abi: problemFactoryAbi, functionName: "problemImplementation" })).to.match(/^0x[0-9a-fA-F]{40}$/);
    expect(await client.readContract({ address: deployed.competitionFactory.address, abi: competitionFactoryAbi, functionName: "competitionCount" })).to.equal(0n);

    const root = folder();
    const file = writeDeployment(deployed, root);
    const written = JSON.parse(readFileSync(file, "utf8")) as Record<string, { address: string; deploymentBlock: string }>;
    expect(Object.keys(written)).to.deep.equal(["chainId", "CompetitionFactory", "ProblemFactory"]);
    expect(written.ProblemFactory!.deploymentBlock).to.equal(deployed.problemFactory.deploymentBlock.toString());
    expect(readDeployment(deployed.chainId, root)?.address).to.equal(getAddress(deployed.competitionFactory.address));
    expect(readProblemFactoryDeployment(deployed.chainId, root)).to.deep.equal({ address: getAddress(deployed.problemFactory.address), deploymentBlock: deployed.problemFactory.deploymentBlock });

    const config = readAppConfig({}, root);
    expect(config.problemFactory).to.equal(getAddress(deployed.problemFactory.address));
    expect(problemFactoryBlock(config)).to.equal(deployed.problemFactory.deploymentBlock);
    expect(config.issues).to.deep.equal([]);
  });

  it("a deployment file without ProblemFactory still works; DaiMoN is simply off", () => {
    const root = folder({ chainId: 31337, CompetitionFactory: { address: COMPETITION_FACTORY.toLowerCase(), deploymentBlock: "7" } });
    expect(readProblemFactoryDeployment(31337, root)).to.equal(undefined);
    expect(readDeployment(31337, root)?.address).to.equal(COMPETITION_FACTORY);
    const config = readAppConfig({}, root);
    expect(config.factory).to.equal(COMPETITION_FACTORY);
    expect(config.problemFactory).to.equal(null);
    expect(config.problemFactoryBlock).to.equal("0");
    expect(config.issues).to.deep.equal([]);
  });

  it("MODELBOUNTY_PROBLEM_FACTORY overrides the file (keeping its block when it names the same factory) and bad values are reported", () => {
    const root = folder({
      chainId: 31337,
      CompetitionFactory: { address: COMPETITION_FACTORY, deploymentBlock: "1" },
      ProblemFactory: { address: PROBLEM_FACTORY, deploymentBlock: "2" },
    });
    expect(readAppConfig({}, root)).to.include({ problemFactory: PROBLEM_FACTORY, problemFactoryBlock: "2" });
    expect(readAppConfig({ MODELBOUNTY_PROBLEM_FACTORY: PROBLEM_FACTORY.toLowerCase() }, root)).to.include({ problemFactory: PROBLEM_FACTORY, problemFactoryBlock: "2" });
    const other = readAppConfig({ MODELBOUNTY_PROBLEM_FACTORY: "0x00000000000000000000000000000000000000b2" }, root);
    expect(other).to.include({ problemFactory: "0x00000000000000000000000000000000000000b2", problemFactoryBlock: "0" });
    const bad = readAppConfig({ MODELBOUNTY_PROBLEM_FACTORY: "nope" }, root);
    expect(bad.problemFactory).to.equal(PROBLEM_FACTORY);
    expect(bad.issues.join(" ")).to.match(/MODELBOUNTY_PROBLEM_FACTORY=nope is not an Ethereum address/);
    const broken = readAppConfig({}, folder({ chainId: 31337, CompetitionFactory: { address: COMPETITION_FACTORY }, ProblemFactory: { address: "0x12" } }));
    expect(broken.issues.join(" ")).to.match(/does not name a valid ProblemFactory address/);
  });
});

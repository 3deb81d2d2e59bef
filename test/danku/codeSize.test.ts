/**
 * EIP-170 caps a contract's runtime code at 24,576 bytes. Every contract the app deploys (through the shared deploy
 * path, lib/chain/deploy.ts) and every contract those deploy is measured on chain and must stay below the cap with a
 * margin, so growth fails here, loudly, long before a deployment would. DankuCompetition has the tighter budget: it
 * is split along its concerns (docs/protocol.md §10); the claim mode lives in DankuClaimModule (≤ 90 % like the rest).
 * DaimonProblem is split the same way: its disputes live in DaimonDisputeModule (docs/daimon.md §14.3).
 */
import hre from "hardhat";
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { size, type Address, type PublicClient } from "viem";
import { deployFactories } from "../../lib/chain/deploy";
import type { DankuWallet } from "../../lib/chain/danku";
import { competitionFactoryAbi, daimonProblemAbi, dankuCompetitionAbi, problemFactoryAbi } from "../../lib/generated/abis";

/** EIP-170: the most bytes of runtime code a contract may have. */
const EIP170_LIMIT = 24_576;
/** EIP-3860: the most bytes of init code a creation transaction may carry (a factory's includes its parts'). */
const EIP3860_LIMIT = 49_152;
/** Every deployed contract: at most 90 % of the limit. */
const DEFAULT_BUDGET = Math.floor(EIP170_LIMIT * 0.9);
/** DankuCompetition: at most 80 % of the limit (room to grow; the claim mode is in its own module). */
const COMPETITION_BUDGET = Math.floor(EIP170_LIMIT * 0.8);

function budgetOf(name: string): number {
  return name === "DankuCompetition" ? COMPETITION_BUDGET : DEFAULT_BUDGET;
}

interface Measured {
  name: string;
  address: Address;
  bytes: number;
}

/** Init code size of every artifact under `.cache/artifacts/contracts/<folder>/`. */
function initCodeSizes(folder: string): Map<string, number> {
  const root = path.join(hre.config.paths.artifacts, "contracts", folder);
  const sizes = new Map<string, number>();
  for (const file of readdirSync(root, { recursive: true, encoding: "utf8" })) {
    if (!file.endsWith(".json") || file.endsWith(".dbg.json")) continue;
    const artifact = JSON.parse(readFileSync(path.join(root, file), "utf8")) as { contractName: string; bytecode: string };
    sizes.set(artifact.contractName, (artifact.bytecode.length - 2) / 2);
  }
  return sizes;
}

/** Deployed runtime size of every artifact under `.cache/artifacts/contracts/<folder>/` (libraries excluded). */
function artifactSizes(folder: string): Map<string, number> {
  const root = path.join(hre.config.paths.artifacts, "contracts", folder);
  const sizes = new Map<string, number>();
  for (const file of readdirSync(root, { recursive: true, encoding: "utf8" })) {
    if (!file.endsWith(".json") || file.endsWith(".dbg.json")) continue;
    const artifact = JSON.parse(readFileSync(path.join(root, file), "utf8")) as { contractName: string; deployedBytecode: string };
    sizes.set(artifact.contractName, (artifact.deployedBytecode.length - 2) / 2);
  }
  return sizes;
}

describe("Contract sizes (EIP-170 with a margin)", function () {
  let measured: Measured[];

  before(async () => {
    const client = (await hre.viem.getPublicClient()) as unknown as PublicClient;
    const [deployer] = (await hre.viem.getWalletClients()) as unknown as DankuWallet[];
    const deployed = await deployFactories(deployer!, client);
    const competitionFactory = deployed.competitionFactory.address;
    const problemFactory = deployed.problemFactory.address;
    const implementation = await client.readContract({ address: competitionFactory, abi: competitionFactoryAbi, functionName: "implementation" });
    const evaluator = await client.readContract({ address: implementation, abi: dankuCompetitionAbi, functionName: "evaluator" });
    const revealModule = await client.readContract({ address: implementation, abi: dankuCompetitionAbi, functionName: "revealModule" });
    const claimModule = await client.readContract({ address: implementation, abi: dankuCompetitionAbi, functionName: "claimModule" });
    const problemImplementation = await client.readContract({ address: problemFactory, abi: problemFactoryAbi, functionName: "problemImplementation" });
    const tokenImplementation = await client.readContract({ address: problemFactory, abi: problemFactoryAbi, functionName: "tokenImplementation" });
    const disputeModule = await client.readContract({ address: problemImplementation, abi: daimonProblemAbi, functionName: "disputeModule" });
    const judge = await client.readContract({ address: problemFactory, abi: problemFactoryAbi, functionName: "judge" });
    const contracts: [string, Address][] = [
      ["CompetitionFactory", competitionFactory],
      ["DankuCompetition", implementation],
      ["DankuEvaluatorEngine", evaluator],
      ["DankuRevealModule", revealModule],
      ["DankuClaimModule", claimModule],
      ["ProblemFactory", problemFactory],
      ["DaimonProblem", problemImplementation],
      ["DaimonDisputeModule", disputeModule],
      ["DaimonModelJudge", judge],
      ["ProblemToken", tokenImplementation],
    ];
    measured = [];
    for (const [name, address] of contracts) {
      const code = await client.getCode({ address });
      measured.push({ name, address, bytes: code ? size(code) : 0 });
    }
  });

  it("every contract the deployment creates is on chain with the code of its artifact", () => {
    const sizes = new Map([...artifactSizes("danku"), ...artifactSizes("daimon")]);
    for (const m of measured) {
      expect(m.bytes, `${m.name} at ${m.address} has no code`).to.be.greaterThan(0);
      expect(m.bytes, `${m.name}: on-chain size vs artifact`).to.equal(sizes.get(m.name));
    }
  });

  it("every deployed contract stays below EIP-170's 24,576 bytes with its margin (DankuCompetition ≤ 80 %, the rest ≤ 90 %)", () => {
    const over = measured.filter((m) => m.bytes > budgetOf(m.name));
    const table = measured.map((m) => `${m.name}: ${m.bytes} bytes (${((100 * m.bytes) / EIP170_LIMIT).toFixed(1)} %, budget ${budgetOf(m.name)})`).join("\n  ");
    expect(over, `over budget — split the contract along its concerns rather than squeezing it:\n  ${table}`).to.deep.equal([]);
  });

  it("no contract of contracts/danku or contracts/daimon is over the budget, deployed or not", () => {
    const over = [...artifactSizes("danku"), ...artifactSizes("daimon")].filter(([name, bytes]) => bytes > budgetOf(name));
    expect(over.map(([name, bytes]) => `${name}: ${bytes} bytes`)).to.deep.equal([]);
  });

  it("the factories' creation transactions stay below EIP-3860's 49,152 bytes of init code with a 10 % margin", () => {
    // The CompetitionFactory's init code carries the competition's, which carries the reveal module's; the claim module
    // and the engine are deployed on their own (lib/chain/deploy.ts), so their init code is checked by itself; so are
    // DaiMoN's dispute module and judge (lib/chain/daimon.ts), whose init code the ProblemFactory's does not carry.
    const sizes = new Map([...initCodeSizes("danku"), ...initCodeSizes("daimon")]);
    for (const name of ["CompetitionFactory", "ProblemFactory", "DankuClaimModule", "DankuEvaluatorEngine", "DaimonDisputeModule", "DaimonModelJudge"]) {
      const bytes = sizes.get(name);
      expect(bytes, `${name} init code`).to.be.a("number");
      expect(bytes, `${name}: ${bytes} bytes of init code`).to.be.at.most(Math.floor(EIP3860_LIMIT * 0.9));
    }
  });
});

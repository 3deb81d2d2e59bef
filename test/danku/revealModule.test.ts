/**
 * The reveals run in DankuRevealModule by DELEGATECALL (docs/protocol.md §10): whatever they do must look exactly as
 * if the competition did it itself — its events, its data contracts (created from its own address), its errors —
 * and the module must do nothing when called on its own.
 */
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import { getAddress, getContractAddress, getContract, parseAbi, parseEventLogs, type Address } from "viem";
import { dankuCompetitionAbi, competitionFactoryAbi } from "../../lib/generated/abis";
import {
  bytesHex,
  createCompetition,
  deployEnv,
  doSplit,
  expectRevert,
  prepareModel,
  PERFECT_MODEL,
  reveal,
  salt,
  type Env,
} from "./fixtures";

/** The module's reveal functions (the competition's selectors) and its one error of its own. */
const revealModuleAbi = parseAbi([
  "function revealTrainingGroups(uint256[] groupIndices, bytes[] groupPoints, bytes32[] nonces)",
  "function revealTestGroups(uint256[] groupIndices, bytes[] groupPoints, bytes32[] nonces)",
  "function revealModel(uint256 submissionId, bytes model, bytes32 salt)",
  "error OnlyDelegateCall()",
]);

async function moduleOf(env: Env): Promise<Address> {
  const implementation = await env.publicClient.readContract({ address: env.factory, abi: competitionFactoryAbi, functionName: "implementation" });
  return env.publicClient.readContract({ address: implementation, abi: dankuCompetitionAbi, functionName: "revealModule" });
}

describe("DankuRevealModule (the reveals, by DELEGATECALL)", function () {
  it("a reveal through a competition emits from the competition and creates the data contracts from its address", async () => {
    const env = await loadFixture(deployEnv);
    const created = await createCompetition(env);
    const split = await doSplit(env, created);
    const training = created.groups.filter((g) => split.isTraining[g.index]);
    const r = await reveal(env, created.organizer, true, training);
    expect(r.logs.length).to.be.greaterThan(0);
    for (const log of r.logs) expect(getAddress(log.address)).to.equal(getAddress(created.address));
    const [stored] = parseEventLogs({ abi: dankuCompetitionAbi, logs: r.logs, eventName: "DataChunkStored" });
    if (!stored) throw new Error("no DataChunkStored event");
    // CREATE addresses of the competition's own nonces (1 = its first creation, the group records, then the chunk).
    const candidates = Array.from({ length: 8 }, (_, i) => getContractAddress({ from: created.address, nonce: BigInt(i + 1) }));
    expect(candidates).to.include(getAddress(stored.args.pointer));
    const moduleAddress = await moduleOf(env);
    const fromModule = Array.from({ length: 8 }, (_, i) => getContractAddress({ from: moduleAddress, nonce: BigInt(i + 1) }));
    expect(fromModule).to.not.include(getAddress(stored.args.pointer));
    expect(await created.organizer.read.isGroupRevealed([BigInt(training[0]!.index)])).to.equal(true);
  });

  it("errors raised in the module reach the caller as the competition's own custom errors", async () => {
    const env = await loadFixture(deployEnv);
    const created = await createCompetition(env);
    const split = await doSplit(env, created);
    const test = created.groups.filter((g) => !split.isTraining[g.index]);
    // A test group revealed as training: the module's WrongGroupKind, decoded with the competition's ABI.
    await expectRevert(
      created.organizer.write.revealTrainingGroups([[BigInt(test[0]!.index)], [bytesHex(test[0]!.bytes)], [test[0]!.nonce]]),
      "WrongGroupKind",
      [BigInt(test[0]!.index), false],
    );
    // Stage checks run in the module too.
    await expectRevert(
      created.organizer.write.revealTestGroups([[BigInt(test[0]!.index)], [bytesHex(test[0]!.bytes)], [test[0]!.nonce]]),
      "WrongStage",
    );
    await expectRevert(created.organizer.write.revealModel([0n, "0x00", salt(1)]), "WrongStage");
  });

  it("called directly, the module refuses every reveal (OnlyDelegateCall) and has no storage of a competition to change", async () => {
    const env = await loadFixture(deployEnv);
    const created = await createCompetition(env);
    await doSplit(env, created);
    const revealModule = getContract({
      address: await moduleOf(env),
      abi: revealModuleAbi,
      client: { public: env.publicClient, wallet: env.wallets[0]! },
    });
    const g = created.groups[0]!;
    const prepared = prepareModel(PERFECT_MODEL, salt(2));
    await expectRevert(revealModule.write.revealTrainingGroups([[BigInt(g.index)], [bytesHex(g.bytes)], [g.nonce]]), "OnlyDelegateCall", [], revealModuleAbi);
    await expectRevert(revealModule.write.revealTestGroups([[BigInt(g.index)], [bytesHex(g.bytes)], [g.nonce]]), "OnlyDelegateCall", [], revealModuleAbi);
    await expectRevert(revealModule.write.revealModel([0n, prepared.bytes, salt(2)]), "OnlyDelegateCall", [], revealModuleAbi);
    // The module holds no state: its code is all there is (no competition storage slot was ever written there).
    expect(await env.publicClient.getStorageAt({ address: revealModule.address, slot: "0x0" })).to.be.oneOf([undefined, `0x${"0".repeat(64)}`]);
  });

  it("the competition and the module share one storage layout: only DankuCompetitionState declares state variables", async () => {
    interface AstNode {
      nodeType: string;
      id: number;
      name?: string;
      nodes?: AstNode[];
      stateVariable?: boolean;
      mutability?: string;
      linearizedBaseContracts?: number[];
    }
    const contracts = new Map<number, AstNode>();
    for (const name of ["DankuCompetition", "DankuRevealModule"]) {
      const info = await hre.artifacts.getBuildInfo(`contracts/danku/${name}.sol:${name}`);
      if (!info) throw new Error(`no build info for ${name}`);
      for (const source of Object.values(info.output.sources)) {
        for (const node of (source.ast as AstNode).nodes ?? []) if (node.nodeType === "ContractDefinition") contracts.set(node.id, node);
      }
    }
    const byName = (name: string) => [...contracts.values()].find((c) => c.name === name);
    const state = byName("DankuCompetitionState");
    expect(state, "DankuCompetitionState").to.not.equal(undefined);
    for (const name of ["DankuCompetition", "DankuRevealModule"]) {
      const contract = byName(name);
      if (!contract?.linearizedBaseContracts) throw new Error(`no AST for ${name}`);
      expect(contract.linearizedBaseContracts, `${name} derives from DankuCompetitionState`).to.include(state!.id);
      // Storage is laid out along the linearization: every contract in it except DankuCompetitionState must
      // declare no storage variable (constants and immutables live in code).
      const declaring = contract.linearizedBaseContracts
        .map((id) => contracts.get(id))
        .filter((c) => (c?.nodes ?? []).some((n) => n.nodeType === "VariableDeclaration" && n.stateVariable === true && n.mutability === "mutable"))
        .map((c) => c?.name);
      expect(declaring, name).to.deep.equal(["DankuCompetitionState"]);
    }
  });
});

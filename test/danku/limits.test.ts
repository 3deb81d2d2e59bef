/**
 * The protocol constants in contracts/danku/DankuLimits.sol equal lib/danku/constants.ts (docs/protocol.md §1).
 */
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import * as constants from "../../lib/danku/constants";
import { deployEnv, deployTestContract, limitsProbeAbi } from "./fixtures";

describe("DankuLimits ≡ lib/danku/constants.ts", function () {
  it("has the same value for every constant", async function () {
    const env = await loadFixture(deployEnv);
    const probe = await deployTestContract(env, "LimitsProbe", limitsProbeAbi);
    const [names, values] = await probe.read.limits();
    const lib = constants as unknown as Record<string, number>;
    expect(names.length).to.equal(35);
    // Every constant DankuLimits declares is probed (a new one must be added to LimitsProbe and to the lib).
    const declared = [...readFileSync("contracts/danku/DankuLimits.sol", "utf8").matchAll(/\bconstant\s+([A-Z0-9_]+)\s*=/g)].map((m) => m[1]);
    expect([...names].sort()).to.deep.equal([...declared].sort());
    names.forEach((name, i) => {
      expect(lib[name], `lib/danku/constants.ts lacks ${name}`).to.be.a("number");
      expect(BigInt(lib[name] as number), name).to.equal(values[i]);
    });
    // BlobStore's chunk size follows from EIP-170 (24,576 bytes of code, one of them the STOP byte).
    expect(await probe.read.maxChunk()).to.equal(24_575n);
  });
});

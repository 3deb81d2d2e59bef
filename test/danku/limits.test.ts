/**
 * The protocol constants in contracts/danku/DankuLimits.sol equal lib/danku/constants.ts (docs/protocol.md §1).
 */
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
    expect(names.length).to.equal(21);
    names.forEach((name, i) => {
      expect(lib[name], `lib/danku/constants.ts lacks ${name}`).to.be.a("number");
      expect(BigInt(lib[name] as number), name).to.equal(values[i]);
    });
    // BlobStore's chunk size follows from EIP-170 (24,576 bytes of code, one of them the STOP byte).
    expect(await probe.read.maxChunk()).to.equal(24_575n);
  });
});

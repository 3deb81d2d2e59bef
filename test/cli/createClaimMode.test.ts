/**
 * `modelbounty create --mode claim`: the claim terms are range-checked before anything is written or sent, and the
 * evaluation-fits minimum (docs/protocol.md §7.2) applies to the on-chain mode only. Runs createCommand in-process
 * against an RPC nobody listens on: reaching for the chain ("cannot reach") means every input check passed.
 */
import { expect } from "chai";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { requiredEvaluationBlocks } from "../../lib/danku/groups";
import { CliError, Output } from "../../scripts/cli/context";
import { createCommand, type CreateOptions } from "../../scripts/cli/organizer";

describe("CLI create: --mode claim and its terms", function () {
  let base: CreateOptions;

  before(function () {
    const dir = mkdtempSync(path.join(os.tmpdir(), "modelbounty-create-claim-"));
    // 700 points: the on-chain mode needs a longer evaluation period than 20 blocks for them.
    const rows = ["x,y,party", ...Array.from({ length: 700 }, (_, i) => `${i % 251},${(i * 7) % 241},${i % 2 ? "red" : "blue"}`)];
    writeFileSync(path.join(dir, "data.csv"), `${rows.join("\n")}\n`);
    base = {
      rpc: "http://127.0.0.1:1",
      json: true,
      data: path.join(dir, "data.csv"),
      label: "party",
      reward: "1",
      groups: "10",
      trainingRatio: "0.8",
      minAccuracy: "0.5",
      init2Window: "5",
      trainingRevealPeriod: "100",
      submissionPeriod: "100",
      modelRevealPeriod: "50",
      testRevealPeriod: "50",
      evaluationPeriod: "20",
      metadataCid: "",
      secrets: path.join(dir, "org.secrets.json"),
    };
  });

  async function refusal(options: Partial<CreateOptions>): Promise<string> {
    try {
      await createCommand({ ...base, ...options }, new Output(true));
    } catch (error) {
      expect(error).to.be.instanceOf(CliError);
      expect(existsSync(base.secrets), "no secrets file").to.equal(false);
      return (error as CliError).message;
    }
    throw new Error("create was expected to refuse");
  }

  it("applies the evaluation-fits minimum to the on-chain mode only", async function () {
    expect(await refusal({})).to.include(`at least ${requiredEvaluationBlocks(700)} blocks`);
    expect(await refusal({ mode: "claim" })).to.match(/cannot reach an Ethereum node/);
  });

  it("range-checks the challenge window and the bond gas price, and refuses claim terms without --mode claim", async function () {
    expect(await refusal({ mode: "claim", challengeWindow: "100001" })).to.equal("--challenge-window must be an integer between 10 and 100000, got 100001");
    expect(await refusal({ mode: "claim", bondGasPrice: "0.5" })).to.equal("--bond-gas-price must be between 1 and 10000 gwei, got 0.5");
    expect(await refusal({ mode: "claim", bondGasPrice: "10000.000000001" })).to.equal("--bond-gas-price must be between 1 and 10000 gwei, got 10000.000000001");
    expect(await refusal({ mode: "claim", bondGasPrice: "lots" })).to.equal("--bond-gas-price must be a gas price in gwei such as 1.5, got lots");
    expect(await refusal({ challengeWindow: "50" })).to.equal("--challenge-window and --bond-gas-price are claim-mode terms: pass --mode claim with them");
    expect(await refusal({ mode: "claim", challengeWindow: "10", bondGasPrice: "10000" })).to.match(/cannot reach an Ethereum node/);
  });
});

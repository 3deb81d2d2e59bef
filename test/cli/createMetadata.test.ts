/**
 * `modelbounty create --title/--description`: too-long or inconsistent values are refused before anything is uploaded,
 * written or sent, with a message naming the limit. Runs createCommand in-process against an RPC nobody listens on,
 * so reaching the network would fail with a different message. (The upload itself: test/cli/cli.test.ts.)
 */
import { expect } from "chai";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { MAX_DESCRIPTION_LENGTH, MAX_TITLE_LENGTH } from "../../lib/danku/metadata";
import { CliError, Output } from "../../scripts/cli/context";
import { createCommand, type CreateOptions } from "../../scripts/cli/organizer";

describe("CLI create: --title and --description", function () {
  let dir: string;
  let base: CreateOptions;

  before(function () {
    dir = mkdtempSync(path.join(os.tmpdir(), "modelbounty-create-metadata-"));
    const rows = ["x,y,party", ...Array.from({ length: 40 }, (_, i) => `${i},${(i * 7) % 41},${i % 2 ? "red" : "blue"}`)];
    writeFileSync(path.join(dir, "data.csv"), `${rows.join("\n")}\n`);
    base = {
      rpc: "http://127.0.0.1:1",
      json: true,
      data: path.join(dir, "data.csv"),
      label: "party",
      reward: "1",
      groupSize: "5",
      trainingRatio: "0.8",
      minAccuracy: "0.5",
      init2Window: "5",
      trainingRevealPeriod: "100",
      submissionPeriod: "100",
      modelRevealPeriod: "50",
      testRevealPeriod: "50",
      metadataCid: "",
      ipfsDir: path.join(dir, "ipfs"),
      secrets: path.join(dir, "org.secrets.json"),
    };
  });

  async function refusal(options: Partial<CreateOptions>): Promise<string> {
    try {
      await createCommand({ ...base, ...options }, new Output(true));
    } catch (error) {
      expect(error).to.be.instanceOf(CliError);
      expect(existsSync(base.secrets), "no secrets file").to.equal(false);
      expect(existsSync(path.join(dir, "ipfs")), "nothing uploaded").to.equal(false);
      return (error as CliError).message;
    }
    throw new Error("create was expected to refuse");
  }

  it("refuses a title over MAX_TITLE_LENGTH, naming the limit", async function () {
    const message = await refusal({ title: "t".repeat(MAX_TITLE_LENGTH + 1) });
    expect(message).to.include("--title").and.to.include(`${MAX_TITLE_LENGTH + 1} characters`).and.to.include(`limit is ${MAX_TITLE_LENGTH}`);
  });

  it("refuses a description over MAX_DESCRIPTION_LENGTH, naming the limit", async function () {
    const message = await refusal({ title: "Fine", description: "d".repeat(MAX_DESCRIPTION_LENGTH + 1) });
    expect(message).to.include("--description").and.to.include(`limit is ${MAX_DESCRIPTION_LENGTH}`);
  });

  it("refuses an empty title, a description without a title, and --title with --metadata-cid", async function () {
    expect(await refusal({ title: "   " })).to.match(/--title is empty/);
    expect(await refusal({ description: "no title" })).to.match(/needs a --title/);
    expect(await refusal({ title: "Fine", metadataCid: "bafkreiabc" })).to.match(/not both/);
  });

  it("accepts a title of exactly MAX_TITLE_LENGTH and only then reaches for the chain", async function () {
    const message = await refusal({ title: "t".repeat(MAX_TITLE_LENGTH), description: "d".repeat(MAX_DESCRIPTION_LENGTH) });
    expect(message).to.match(/cannot reach an Ethereum node/);
  });
});

/**
 * `modelbounty create` with image datasets (issue 10 §5): an IDX pair as MNIST ships it (gzipped) and a folder of
 * PNGs with a labels CSV, each creating a competition on a real local chain through the CLI's own process, with the
 * image shape in the uploaded metadata and the committed group hashes equal to the secrets file's. Inconsistent
 * dataset flags are refused before anything is read, written or sent.
 */
import { expect } from "chai";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { encode as encodePng } from "fast-png";
import { gzipSync } from "fflate";
import { createPublicClient, http, type Address, type Hex } from "viem";
import { readGroupHashes } from "../../lib/chain/danku";
import { devPrivateKey } from "../../lib/chain/devAccounts";
import { parseCompetitionMetadata } from "../../lib/danku/metadata";
import { EmbeddedIpfsStore } from "../../lib/ipfs/store";
import { CliError, Output } from "../../scripts/cli/context";
import { createCommand, type CreateOptions } from "../../scripts/cli/organizer";
import { startHardhatNode, type HardhatNode } from "../support/hardhatNode";
import { runCli, type CliResult } from "../support/cli";


function idx(dims: number[], values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + values.length);
  out.set([0, 0, 8, dims.length]);
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(Array.from(values), 4 + 4 * dims.length);
  return out;
}

describe("CLI create with image datasets", function () {
  let dir: string;

  before(function () {
    dir = mkdtempSync(path.join(os.tmpdir(), "modelbounty-create-images-"));
    // 40 MNIST-shaped images (28 × 28 × 1), labels 0..9, gzipped as MNIST ships them.
    const n = 40;
    const pixels = new Uint8Array(n * 784);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 13) % 256;
    writeFileSync(path.join(dir, "train-images-idx3-ubyte.gz"), gzipSync(idx([n, 28, 28], pixels)));
    writeFileSync(path.join(dir, "train-labels-idx1-ubyte.gz"), gzipSync(idx([n], Array.from({ length: n }, (_, i) => i % 10))));
    // 12 RGB PNGs of 4 × 5 in a folder with their labels CSV.
    mkdirSync(path.join(dir, "pngs", "all"), { recursive: true });
    const rows = ["file,label"];
    for (let i = 0; i < 12; i++) {
      const data = Uint8Array.from({ length: 4 * 5 * 3 }, (_, k) => (i * 17 + k) % 256);
      writeFileSync(path.join(dir, "pngs", "all", `img${i}.png`), encodePng({ width: 5, height: 4, channels: 3, depth: 8, data }));
      rows.push(`img${i}.png,${i % 3 === 0 ? "cat" : "dog"}`);
    }
    writeFileSync(path.join(dir, "pngs", "labels.csv"), `${rows.join("\n")}\n`);
  });

  describe("refusals before anything is read or sent", function () {
    const base: CreateOptions = {
      rpc: "http://127.0.0.1:1",
      json: true,
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
      secrets: "never-written.json",
    };

    async function refusal(options: Partial<CreateOptions>): Promise<string> {
      try {
        await createCommand({ ...base, secrets: path.join(dir, "never.json"), ...options }, new Output(true));
      } catch (error) {
        expect(error).to.be.instanceOf(CliError);
        expect(existsSync(path.join(dir, "never.json"))).to.equal(false);
        return (error as Error).message;
      }
      throw new Error("create was expected to refuse");
    }

    it("names the three ways to give a dataset, and refuses two at once or half an IDX pair", async function () {
      expect(await refusal({})).to.include("--data <csv> --label <column>, --images <folder|zip> [--labels <csv>], or --idx-images <file> --idx-labels <file>");
      expect(await refusal({ data: "x.csv", label: "y", images: "pngs" })).to.equal("give one dataset, not --data and --images");
      expect(await refusal({ idxImages: path.join(dir, "train-images-idx3-ubyte.gz") })).to.include("needs both --idx-images (idx3) and --idx-labels (idx1)");
      expect(await refusal({ images: path.join(dir, "pngs"), label: "label" })).to.include("--label is for --data CSVs");
      const labels = path.join(dir, "train-labels-idx1-ubyte.gz");
      expect(await refusal({ idxImages: labels, idxLabels: labels })).to.include("--idx-images and --idx-labels both name");
      expect(await refusal({ idxImages: path.join(dir, "nope"), idxLabels: path.join(dir, "train-labels-idx1-ubyte.gz") })).to.include("--idx-images");
    });
  });

  describe("on a local chain", function () {
    let node: HardhatNode | undefined;
    let rpc: string;

    async function cli(...args: string[]): Promise<CliResult> {
      return runCli({ rpc, cwd: dir, key: devPrivateKey(0) }, ...args);
    }

    before(async function () {
      this.timeout(120_000);
      node = await startHardhatNode();
      rpc = node.rpcUrl;
      const deployed = await cli("deploy");
      expect(deployed.code, deployed.stderr).to.equal(0);
    });

    after(() => node?.stop());

    const periods = ["--training-reveal-period", "20", "--submission-period", "20", "--model-reveal-period", "10", "--test-reveal-period", "10"];

    async function checkCreated(created: { code: number; json: Record<string, unknown>; stderr: string }, secretsFile: string) {
      expect(created.code, JSON.stringify(created)).to.equal(0);
      const client = createPublicClient({ transport: http(rpc) });
      const onChain = await readGroupHashes(client, created.json.competition as Address);
      const secrets = JSON.parse(readFileSync(path.join(dir, secretsFile), "utf8")) as { groups: { hash: Hex }[] };
      expect(onChain).to.deep.equal(secrets.groups.map((g) => g.hash));
      const document = await new EmbeddedIpfsStore(path.join(dir, "ipfs")).get(String(created.json.metadataCid));
      return parseCompetitionMetadata(new TextDecoder().decode(document));
    }

    it("creates a competition from an IDX pair as MNIST ships it, declaring 28 × 28 × 1", async function () {
      this.timeout(240_000);
      const created = await cli(
        "create", "--idx-images", "train-images-idx3-ubyte.gz", "--idx-labels", "train-labels-idx1-ubyte.gz",
        "--reward", "1", "--groups", "8", ...periods, "--title", "Digits", "--ipfs-dir", "ipfs", "--secrets", "idx.secrets.json",
      );
      const metadata = await checkCreated(created, "idx.secrets.json");
      expect(created.json).to.deep.include({ pointCount: 40, featureCount: 784, imageShape: { height: 28, width: 28, channels: 1 } });
      expect(metadata.dataset).to.deep.include({
        name: "train-images-idx3-ubyte.gz",
        labelColumn: "label",
        pointCount: 40,
        groupCount: 8,
        classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
        imageShape: { height: 28, width: 28, channels: 1 },
      });
      expect(metadata.dataset.featureNames).to.have.length(784);
    });

    it("creates a competition from a folder of RGB PNGs with a labels CSV, declaring 4 × 5 × 3", async function () {
      this.timeout(240_000);
      const created = await cli(
        "create", "--images", "pngs", "--reward", "1", "--groups", "3", ...periods, "--title", "Cats", "--ipfs-dir", "ipfs", "--secrets", "png.secrets.json",
      );
      const metadata = await checkCreated(created, "png.secrets.json");
      expect(created.json).to.deep.include({ pointCount: 12, featureCount: 60, imageShape: { height: 4, width: 5, channels: 3 } });
      expect(metadata.dataset).to.deep.include({ name: "pngs", labelColumn: "label", classNames: ["cat", "dog"], imageShape: { height: 4, width: 5, channels: 3 } });
    });
  });
});

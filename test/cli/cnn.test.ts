/**
 * A convolutional network through the CLI (issue 10 §5) on a real `hardhat node`: an image competition (a folder of
 * RGB PNGs, claim mode, its 4 × 5 × 3 image shape in the metadata on IPFS) created with `create`; `score` and
 * `commit` of a PyTorch-style CNN ONNX file (the image shape read from the competition's metadata), the commitment
 * on chain covering the version-2 bytes the submission file holds, and the claim's predictions computed locally
 * from those bytes on the test points. Refused: a CNN of another shape (nothing sent) and a CNN scored on a CSV
 * without --image-shape.
 * Then on chain: `reveal-model` of the version-2 bytes (validated by DankuCnnEvaluator, claim mode keeps the hash),
 * `reveal-test`, and `claim`, whose score must equal the one computed locally from the committed bytes.
 */
import { expect } from "chai";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { encode as encodePng } from "fast-png";
import { createPublicClient, hexToBytes, http, type Address, type Hex, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { devPrivateKey } from "../../lib/chain/devAccounts";
import { readCompetition, readGroupFlags, readRevealedPoints, readSubmission } from "../../lib/chain/danku";
import { decodeAnyModel, isCnnModel } from "../../lib/danku/anyModel";
import { disputablePoint, predictionsOf, scorePredictions } from "../../lib/danku/claims";
import { modelHash, submissionCommitment } from "../../lib/danku/encoding";
import { parseSecrets, parseSubmissionFile, secretGroupPoints } from "../../lib/danku/secrets";
import { startHardhatNode, type HardhatNode } from "../support/hardhatNode";
import { runCli, type CliResult } from "../support/cli";
import { torchCnnOnnx, type TorchCnn } from "../support/torchCnnOnnx";
import { seededInts } from "../ort/support";
import { CliError } from "../../scripts/cli/context";
import { parseImageShapeOption } from "../../scripts/cli/submitter";

const KEYS = { organizer: devPrivateKey(0), alice: devPrivateKey(1) };
const H = 4;
const W = 5;

/** conv 2×2 → 3 channels, ReLU, maxpool 2×2 stride 1, flatten, linear 2: over [N, 3, height, width] images. */
function cnn(height: number, width: number): TorchCnn {
  const int = seededInts(11);
  const r = (n: number) => Array.from({ length: n }, () => int(-1000, 1000) / 1000);
  const flat = 3 * (height - 2) * (width - 2);
  return {
    input: { channels: 3, height, width },
    modules: [
      { type: "conv", out: 3, kernel: [2, 2], stride: [1, 1], padding: [0, 0], weight: r(3 * 3 * 4), bias: r(3) },
      { type: "relu" },
      { type: "maxpool", kernel: [2, 2], stride: [1, 1] },
      { type: "flatten" },
      { type: "linear", out: 2, weight: r(2 * flat), bias: r(2) },
    ],
  };
}

describe("modelbounty CLI: a convolutional network for an image competition", function () {
  it("--image-shape reads height x width x channels, with 1 or 3 channels", function () {
    expect(parseImageShapeOption("28x28x1")).to.deep.equal({ height: 28, width: 28, channels: 1 });
    expect(parseImageShapeOption(" 4 × 5 × 3 ")).to.deep.equal({ height: 4, width: 5, channels: 3 });
    for (const bad of ["28x28", "28x28x2", "0x5x3", "4x5x3x1", "a×b×c"]) {
      expect(() => parseImageShapeOption(bad), bad).to.throw(CliError, `--image-shape must be height x width x channels with 1 or 3 channels, such as 28x28x1; got ${bad}`);
    }
  });

  let node: HardhatNode | undefined;
  let rpc: string;
  let dir: string;
  let client: PublicClient;

  async function cli(key: Hex | undefined, ...args: string[]): Promise<CliResult> {
    return runCli({ rpc, cwd: dir, key }, ...args);
  }

  async function mineTo(block: bigint): Promise<void> {
    const current = await client.getBlockNumber();
    if (block > current) await client.request({ method: "hardhat_mine" as never, params: [`0x${(block - current).toString(16)}`] as never });
  }

  before(async function () {
    this.timeout(180_000);
    dir = mkdtempSync(path.join(os.tmpdir(), "modelbounty-cnn-"));
    // 40 RGB PNGs of 4 × 5: "bright" when the red channel's mean is high.
    mkdirSync(path.join(dir, "pngs", "all"), { recursive: true });
    const rows = ["file,label"];
    const int = seededInts(5);
    for (let i = 0; i < 40; i++) {
      const bright = i % 2 === 0;
      const data = Uint8Array.from({ length: H * W * 3 }, (_, k) => (k % 3 === 0 ? (bright ? int(150, 255) : int(0, 100)) : int(0, 255)));
      writeFileSync(path.join(dir, "pngs", "all", `img${i}.png`), encodePng({ width: W, height: H, channels: 3, depth: 8, data }));
      rows.push(`img${i}.png,${bright ? "bright" : "dark"}`);
    }
    writeFileSync(path.join(dir, "pngs", "labels.csv"), `${rows.join("\n")}\n`);
    writeFileSync(path.join(dir, "cnn.onnx"), torchCnnOnnx(cnn(H, W)));
    writeFileSync(path.join(dir, "wrong-shape.onnx"), torchCnnOnnx(cnn(W, H)));
    writeFileSync(path.join(dir, "pixels.csv"), `${["a", "b", "label"].join(",")}\n1,2,x\n3,4,y\n`);
    node = await startHardhatNode(120_000);
    rpc = node.rpcUrl;
    client = createPublicClient({ chain: hardhat, transport: http(rpc), cacheTime: 0 }) as PublicClient;
  });

  after(() => node?.stop());

  it("scores and commits a CNN ONNX file (version-2 bytes under the commitment), reveals it, and its claim on chain equals the score computed locally", async function () {
    this.timeout(900_000);
    expect((await cli(KEYS.organizer, "deploy")).code).to.equal(0);
    const created = await cli(
      KEYS.organizer,
      "create", "--images", "pngs", "--reward", "1", "--groups", "8", "--training-ratio", "0.5", "--min-accuracy", "0.1",
      "--training-reveal-period", "20", "--submission-period", "20", "--model-reveal-period", "10", "--test-reveal-period", "10",
      "--evaluation-period", "30", "--mode", "claim", "--challenge-window", "10",
      "--title", "Bright or dark", "--ipfs-dir", "ipfs", "--secrets", "org.secrets.json",
    );
    expect(created.code, JSON.stringify(created)).to.equal(0);
    expect(created.json.imageShape).to.deep.equal({ height: H, width: W, channels: 3 });
    const competition = created.json.competition as Address;
    expect((await cli(KEYS.organizer, "reveal-training", "--competition", competition, "--secrets", "org.secrets.json")).code).to.equal(0);

    // score reads the image shape from the competition's metadata and scores the bytes commit would submit.
    const scored = await cli(undefined, "score", "--competition", competition, "--model", "cnn.onnx", "--ipfs-dir", "ipfs");
    expect(scored.code, JSON.stringify(scored)).to.equal(0);
    expect(scored.json).to.deep.include({ kind: "cnn", network: "4×5×3 · conv2×2/1→3 · maxpool2×2/1 · flatten · dense→2", macs: 3 * 4 * 3 * 12 + 2 * 18 });
    expect(scored.json.widths).to.equal(undefined);
    expect(scored.json.estimatedGas).to.equal(undefined);

    // Refused, nothing sent: a CNN of another shape, and a CNN on a CSV without --image-shape.
    const nonce = await client.getTransactionCount({ address: privateKeyToAccount(KEYS.alice).address });
    const wrong = await cli(KEYS.alice, "commit", "--competition", competition, "--model", "wrong-shape.onnx", "--out", "wrong.json", "--ipfs-dir", "ipfs");
    expect(wrong.code).to.not.equal(0);
    expect(String(wrong.json.error)).to.equal(
      "the network reads 5 × 4 × 3 images (height × width × channels, from its ONNX input [N, C, H, W]) but the competition's images are 4 × 5 × 3; export it with a dummy input of shape [1, 3, 4, 5]",
    );
    expect(await client.getTransactionCount({ address: privateKeyToAccount(KEYS.alice).address })).to.equal(nonce);
    const noShape = await cli(undefined, "score", "--data", "pixels.csv", "--label", "label", "--model", "cnn.onnx");
    expect(String(noShape.json.error)).to.equal(
      "the model is a convolutional network over 4 × 5 × 3 images; pass --image-shape 4x5x3 if the features of pixels.csv are those images, row by row (height × width × channels, as an image competition's points are)",
    );

    // commit: the version-2 bytes in the submission file are the ones the on-chain commitment covers.
    const committed = await cli(KEYS.alice, "commit", "--competition", competition, "--model", "cnn.onnx", "--out", "alice.json", "--ipfs-dir", "ipfs");
    expect(committed.code, JSON.stringify(committed)).to.equal(0);
    expect(committed.json).to.deep.include({ submissionId: 0, kind: "cnn", modelHash: scored.json.modelHash });
    const file = parseSubmissionFile(readFileSync(path.join(dir, "alice.json"), "utf8"));
    const bytes = hexToBytes(file.modelHex);
    expect(bytes[0]).to.equal(2);
    expect(committed.json.modelBytes).to.equal(bytes.length);
    expect(modelHash(bytes)).to.equal(committed.json.modelHash);
    const onChain = await readSubmission(client, competition, 0);
    expect(onChain.commitment).to.equal(submissionCommitment({ competition, submitter: file.submitter, modelHash: modelHash(bytes), salt: file.salt }));

    // The claim, computed locally: the committed model's predictions on the test groups (index order), as `claim` does.
    const state = await readCompetition(client, competition);
    const model = decodeAnyModel(bytes, { featureCount: state.config.featureCount, classCount: state.config.classCount });
    expect(isCnnModel(model)).to.equal(true);
    const secrets = parseSecrets(readFileSync(path.join(dir, "org.secrets.json"), "utf8"));
    const { isTraining } = await readGroupFlags(client, competition, state.groupCount);
    const testPoints = isTraining.flatMap((training, g) => (training ? [] : secretGroupPoints(secrets, g)));
    expect(testPoints.length).to.be.greaterThan(0);
    const predictions = predictionsOf(model, testPoints);
    const correct = scorePredictions(predictions, testPoints.map((p) => p.label));
    expect(disputablePoint(predictions, predictionsOf(model, testPoints))).to.equal(null);

    await mineTo(state.deadlines.submissionEnd);
    const revealed = await cli(KEYS.alice, "reveal-model", "--submission", "alice.json");
    expect(revealed.code, `reveal-model of a CNN: ${JSON.stringify(revealed.json)}`).to.equal(0);
    await mineTo((await readCompetition(client, competition)).deadlines.modelRevealEnd);
    expect((await cli(KEYS.organizer, "reveal-test", "--competition", competition, "--secrets", "org.secrets.json")).code).to.equal(0);
    const revealedTest = await readRevealedPoints(client, competition, false, state.config.featureCount);
    const claimed = await cli(KEYS.alice, "claim", "--competition", competition, "--submission-id", "0");
    expect(claimed.code, JSON.stringify(claimed)).to.equal(0);
    expect(claimed.json).to.deep.include({ submissionId: 0, correct: scorePredictions(predictionsOf(model, revealedTest), revealedTest.map((p) => p.label)), total: revealedTest.length });
    expect(revealedTest.length).to.equal(testPoints.length);
    expect(claimed.json.correct).to.equal(correct);
  });
});

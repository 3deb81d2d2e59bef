/**
 * `modelbounty score` against the chain, whole competitions through the real CLI (issue 12 §1): on a `hardhat node`,
 * each competition is created from a random dataset, its training data revealed, random float models committed,
 * revealed and evaluated on chain; before the evaluation, `score --competition C --test` and `score --data test.csv
 * --training train.csv --classes n` (the revealed data as CSVs, as a data scientist downloads them) must print exactly
 * the score `evaluate` then gets, and the hash of the bytes `commit` wrote. The models are picked so that quantizing
 * on the scored (test) rows instead of the training rows — what `score` used to do — would print another score.
 *
 * The 1,000-case property over the library path is test/lib/scoreAgreement.property.test.ts. Fixed seed, printed;
 * SCORE_AGREEMENT_SEED=<n> replays another one.
 */
import { expect } from "chai";
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createPublicClient, createTestClient, http, type Address, type Hex, type PublicClient } from "viem";
import { readRevealedPoints } from "../../lib/chain/danku";
import { devPrivateKey } from "../../lib/chain/devAccounts";
import { datasetToCsv } from "../../lib/danku/dataset";
import { decodePoints, modelHash, type DataPoint } from "../../lib/danku/encoding";
import type { FloatModel } from "../../lib/danku/floatModel";
import { parseSecrets, parseSubmissionFile } from "../../lib/danku/secrets";
import { previewScore } from "../../lib/danku/submission";
import { seededUniform } from "../../lib/danku/train";
import { startHardhatNode, type HardhatNode } from "../support/hardhatNode";

const execFileAsync = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..");
const CLI = path.join(ROOT, "bin", "modelbounty.cjs");
const SEED = Number(process.env.SCORE_AGREEMENT_SEED ?? 20261203);
const COMPETITIONS = 3;
const MODELS_PER_COMPETITION = 2;
const ORGANIZER = devPrivateKey(0);
const SUBMITTERS = [devPrivateKey(1), devPrivateKey(2)];


describe("modelbounty score ≡ the chain's score after commit, reveal and evaluate (whole competitions)", function () {
  let node: HardhatNode | undefined;
  let rpc: string;
  let workdir: string;
  let publicClient: PublicClient;
  let testClient: ReturnType<typeof createTestClient>;

  async function cli(key: Hex | undefined, ...args: string[]): Promise<Record<string, unknown>> {
    const env: NodeJS.ProcessEnv = { ...process.env, MODELBOUNTY_RPC_URL: rpc };
    delete env.MODELBOUNTY_PRIVATE_KEY;
    if (key) env.MODELBOUNTY_PRIVATE_KEY = key;
    try {
      const { stdout } = await execFileAsync(process.execPath, [CLI, "--json", ...args], { cwd: workdir, env, timeout: 180_000 });
      return JSON.parse(stdout) as Record<string, unknown>;
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string };
      throw new Error(`modelbounty ${args.join(" ")} failed: ${failed.stdout ?? ""} ${failed.stderr ?? ""}`);
    }
  }

  async function mineTo(block: bigint): Promise<void> {
    const current = await publicClient.getBlockNumber({ cacheTime: 0 });
    if (block > current) await testClient.mine({ blocks: Number(block - current) });
  }

  before(async function () {
    this.timeout(300_000);
    // The CLI runs from its build (bin/modelbounty.cjs); build it if the sources changed, or every command recompiles.
    const probe = spawnSync(process.execPath, [CLI, "--help"], { cwd: ROOT, encoding: "utf8" });
    if (probe.stderr.includes("running the TypeScript sources")) execFileSync(process.execPath, [path.join(ROOT, "bin", "build-cli.cjs")], { cwd: ROOT, stdio: "ignore" });
    workdir = mkdtempSync(path.join(os.tmpdir(), "modelbounty-score-"));
    node = await startHardhatNode();
    rpc = node.rpcUrl;
    publicClient = createPublicClient({ transport: http(rpc), cacheTime: 0 }) as PublicClient;
    testClient = createTestClient({ mode: "hardhat", transport: http(rpc) });
    await cli(ORGANIZER, "deploy");
  });

  after(() => {
    node?.stop();
  });

  it(`score prints the chain's score for every committed model (seed ${SEED})`, async function () {
    this.timeout(900_000);
    console.log(`      seed ${SEED} (SCORE_AGREEMENT_SEED=${SEED} replays it), ${COMPETITIONS} competitions × ${MODELS_PER_COMPETITION} models`);
    const random = seededUniform(SEED);
    const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
    let calibrationMatters = 0;
    let checked = 0;

    for (let c = 0; c < COMPETITIONS; c++) {
      const featureCount = int(2, 4);
      const classCount = 3;
      // Mostly small feature values, some rows over the whole byte range: the training and the test rows, drawn
      // by the chain, then have different largest activations, so the calibration rows matter.
      const rows = [[...Array.from({ length: featureCount }, (_, f) => `f${f}`), "y"].join(",")];
      for (let r = 0; r < 80; r++) {
        const max = random() < 0.12 ? 255 : 40;
        rows.push([...Array.from({ length: featureCount }, () => String(int(0, max))), String(r % classCount)].join(","));
      }
      writeFileSync(path.join(workdir, `data${c}.csv`), `${rows.join("\n")}\n`);
      const created = await cli(
        ORGANIZER,
        "create", "--data", `data${c}.csv`, "--label", "y", "--reward", "1", "--groups", "16", "--training-ratio", "0.5",
        "--min-accuracy", "0", "--init2-window", "5", "--training-reveal-period", "20", "--submission-period", "20",
        "--model-reveal-period", "20", "--test-reveal-period", "20", "--evaluation-period", "40", "--secrets", `org${c}.json`,
      );
      const competition = created.competition as Address;
      await cli(ORGANIZER, "reveal-training", "--competition", competition, "--secrets", `org${c}.json`);

      // The test rows are known to the organizer's secrets file: models are picked for which quantizing on them
      // instead of on the training rows changes the test score (falling back to any model after 300 tries).
      const secrets = parseSecrets(readFileSync(path.join(workdir, `org${c}.json`), "utf8"));
      const trainingGroups = new Set(created.trainingGroups as number[]);
      const testRows: DataPoint[] = secrets.groups.filter((g) => !trainingGroups.has(g.index)).flatMap((g) => decodePoints(Buffer.from(g.points.slice(2), "hex"), featureCount));
      const training = await readRevealedPoints(publicClient, competition, true, featureCount);
      const shape = { featureCount, classCount };
      const models: FloatModel[] = [];
      for (let attempt = 0; models.length < MODELS_PER_COMPETITION; attempt++) {
        const widths = [featureCount, int(3, 6), classCount];
        const model: FloatModel = {
          layers: widths.slice(1).map((fanOut, l) => ({
            weights: Array.from({ length: fanOut }, () => Array.from({ length: widths[l] as number }, () => (random() * 4 - 2))),
            biases: Array.from({ length: fanOut }, () => random() * 128 - 64),
          })),
        };
        const right = previewScore(model, { training, scored: testRows, ...shape }).score.correct;
        const onTest = previewScore(model, { training: testRows, scored: testRows, ...shape }).score.correct;
        if (right !== onTest || attempt >= 300) {
          if (right !== onTest) calibrationMatters++;
          models.push(model);
        }
      }

      const submissions: { id: number; file: string; model: string }[] = [];
      for (const [m, model] of models.entries()) {
        const file = `model${c}-${m}.json`;
        writeFileSync(path.join(workdir, file), JSON.stringify(model));
        const committed = await cli(SUBMITTERS[m % SUBMITTERS.length], "commit", "--competition", competition, "--model", file, "--out", `sub${c}-${m}.json`);
        submissions.push({ id: committed.submissionId as number, file: `sub${c}-${m}.json`, model: file });
      }
      const status = await cli(undefined, "status", "--competition", competition);
      const deadlines = status.deadlines as Record<string, string>;
      await mineTo(BigInt(deadlines.submissionEnd ?? "0"));
      for (const [m, submission] of submissions.entries()) await cli(SUBMITTERS[m % SUBMITTERS.length], "reveal-model", "--submission", submission.file);
      await mineTo(BigInt(deadlines.modelRevealEnd ?? "0"));
      await cli(ORGANIZER, "reveal-test", "--competition", competition, "--secrets", `org${c}.json`);

      // The revealed data as a data scientist downloads it (byte features, class numbers as labels).
      const featureNames = Array.from({ length: featureCount }, (_, f) => `f${f}`);
      const classNames = Array.from({ length: classCount }, (_, k) => String(k));
      const test = await readRevealedPoints(publicClient, competition, false, featureCount);
      writeFileSync(path.join(workdir, `train${c}.csv`), datasetToCsv(training, featureNames, classNames, { labelColumn: "y" }));
      writeFileSync(path.join(workdir, `test${c}.csv`), datasetToCsv(test, featureNames, classNames, { labelColumn: "y" }));

      for (const submission of submissions) {
        const committedBytes = parseSubmissionFile(readFileSync(path.join(workdir, submission.file), "utf8")).modelHex;
        const hash = modelHash(Buffer.from(committedBytes.slice(2), "hex"));
        const fromChain = await cli(undefined, "score", "--model", submission.model, "--competition", competition, "--test");
        const fromCsv = await cli(
          undefined,
          "score", "--model", submission.model, "--data", `test${c}.csv`, "--training", `train${c}.csv`, "--label", "y", "--classes", String(classCount),
        );
        const evaluated = await cli(devPrivateKey(3), "evaluate", "--competition", competition, "--submission-id", String(submission.id));
        const what = `competition ${c}, ${submission.model}`;
        expect(fromChain.modelHash, `${what}: score --competition previews the committed bytes`).to.equal(hash);
        expect(fromCsv.modelHash, `${what}: score --data --training previews the committed bytes`).to.equal(hash);
        expect([fromChain.correct, fromChain.total], `${what}: score --competition --test vs evaluate`).to.deep.equal([evaluated.correct, evaluated.total]);
        expect([fromCsv.correct, fromCsv.total], `${what}: score --data test.csv --training train.csv vs evaluate`).to.deep.equal([evaluated.correct, evaluated.total]);
        checked++;
      }
    }
    console.log(`      ${checked} committed models scored as the chain scores them; for ${calibrationMatters} of them quantizing on the test rows would have printed another score`);
    expect(checked).to.equal(COMPETITIONS * MODELS_PER_COMPETITION);
    expect(calibrationMatters).to.be.greaterThanOrEqual(2);
  });
});

describe("modelbounty score --data: datasets that hold only some classes (--classes), in a dataset's words", function () {
  this.timeout(300_000);
  let workdir: string;

  async function score(...args: string[]): Promise<{ code: number; json: Record<string, unknown> }> {
    try {
      const { stdout } = await execFileAsync(process.execPath, [CLI, "--json", "score", ...args], { cwd: workdir, timeout: 180_000 });
      return { code: 0, json: JSON.parse(stdout) as Record<string, unknown> };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string };
      return { code: failed.code ?? 1, json: failed.stdout?.trim() ? (JSON.parse(failed.stdout) as Record<string, unknown>) : {} };
    }
  }

  before(function () {
    workdir = mkdtempSync(path.join(os.tmpdir(), "modelbounty-classes-"));
    // Classes 0 and 2 of a 3-class model: output 0 wins when a > b, output 2 when b > a, output 1 never.
    const rows = ["a,b,y"];
    const names = ["a,b,y"];
    for (let i = 0; i < 40; i++) {
      const a = (i * 37) % 256;
      const b = (i * 91 + 7) % 256;
      if (a === b) continue;
      rows.push(`${a},${b},${a > b ? 0 : 2}`);
      names.push(`${a},${b},${a > b ? "east" : "west"}`);
    }
    writeFileSync(path.join(workdir, "two.csv"), `${rows.join("\n")}\n`);
    writeFileSync(path.join(workdir, "names.csv"), `${names.join("\n")}\n`);
    writeFileSync(path.join(workdir, "other.csv"), "a,c,y\n1,2,0\n3,4,1\n");
    writeFileSync(path.join(workdir, "m3.json"), JSON.stringify({ layers: [{ weights: [[1, -1], [0, 0], [-1, 1]], biases: [0, -300, 0] }] }));
  });

  it("refuses a model with more outputs than the CSV's classes, naming the dataset and --classes", async function () {
    const refused = await score("--model", "m3.json", "--data", "two.csv", "--label", "y");
    expect(refused.code).to.not.equal(0);
    expect(String(refused.json.error)).to.match(/the dataset two\.csv has 2 classes; .*--classes 3/);
    expect(String(refused.json.error)).to.not.match(/competition/);
  });

  it("--classes 3 scores labels as class numbers, exactly as the bytes to commit score them", async function () {
    const scored = await score("--model", "m3.json", "--data", "two.csv", "--label", "y", "--classes", "3");
    expect(scored.code, JSON.stringify(scored.json)).to.equal(0);
    const points: DataPoint[] = readFileSync(path.join(workdir, "two.csv"), "utf8").trim().split("\n").slice(1).map((line) => {
      const [a, b, y] = line.split(",").map(Number) as [number, number, number];
      return { features: [a, b], label: y };
    });
    const model = JSON.parse(readFileSync(path.join(workdir, "m3.json"), "utf8")) as FloatModel;
    const expected = previewScore(model, { training: points, scored: points, featureCount: 2, classCount: 3 });
    expect(scored.json).to.include({ classCount: 3, correct: expected.score.correct, total: points.length, modelHash: expected.committed.hash });
    expect(expected.score.correct).to.equal(points.length);
    expect(scored.json.calibration).to.deep.equal({ source: "two.csv", points: points.length });
  });

  it("validates --classes: at least the classes seen, class numbers when more are declared, and --training with the same features", async function () {
    const fewer = await score("--model", "m3.json", "--data", "two.csv", "--label", "y", "--classes", "1");
    expect(String(fewer.json.error)).to.match(/--classes must be a whole number of classes between 2 and 255, got 1/);
    const mismatch = await score("--model", "m3.json", "--data", "two.csv", "--label", "y", "--classes", "4");
    expect(String(mismatch.json.error)).to.match(/the model has 3 outputs but the dataset two\.csv has 4 classes/);
    const named = await score("--model", "m3.json", "--data", "names.csv", "--label", "y", "--classes", "3");
    expect(String(named.json.error)).to.match(/labels are names \(east, west\).*class numbers 0…2/);
    const otherFeatures = await score("--model", "m3.json", "--data", "two.csv", "--training", "other.csv", "--label", "y", "--classes", "3");
    expect(String(otherFeatures.json.error)).to.match(/--training other\.csv has the features a, c, but --data two\.csv has a, b/);
    for (const refused of [fewer, mismatch, named, otherFeatures]) expect(refused.code).to.not.equal(0);
  });
});

import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { hexToBytes, keccak256, toHex, type Address } from "viem";
import * as danku from "../../lib/danku";
import { blobDataset, seededRandom, trainMlp } from "./helpers";

const LIB_DIR = join(__dirname, "..", "..", "lib", "danku");

describe("lib/danku (public API and portability)", () => {
  it("re-exports every module's public functions from index.ts", () => {
    const expected = [
      "parseCsvDataset",
      "datasetToCsv",
      "mapRawFeatures",
      "DatasetError",
      "buildDataGroups",
      "trainingGroupCount",
      "splitSeed",
      "selectTrainingGroups",
      "manipulationOdds",
      "manipulationOddsTable",
      "parseFloatModelJson",
      "floatForward",
      "floatPredict",
      "floatAccuracy",
      "checkModelAgainstCompetition",
      "quantizeModel",
      "parseOnnxDenseModel",
      "OnnxImportError",
      "buildSecrets",
      "parseSecrets",
      "serializeSecrets",
      "verifySecretsAgainstHashes",
      "buildSubmissionFile",
      "parseSubmissionFile",
      "verifySubmissionAgainstCommitment",
      "encodeModel",
      "decodeModel",
      "predict",
      "MAX_FEATURES",
      "decodeAnyModel",
      "encodeAnyModel",
      "predictAny",
      "anyModelMacs",
    ];
    const api = danku as Record<string, unknown>;
    for (const name of expected) expect(api[name], name).not.to.equal(undefined);
  });

  it("keeps the library free of Node-only and framework imports so it runs in browsers and workers", () => {
    const forbidden = /from\s+["'](?:node:|fs|path|os|crypto|child_process|react|next|hardhat)[/"']|require\(|\bprocess\.|\bBuffer\b/;
    const files = readdirSync(LIB_DIR).filter((f) => f.endsWith(".ts"));
    expect(files.length).to.be.greaterThan(10);
    for (const file of files) {
      const source = readFileSync(join(LIB_DIR, file), "utf8");
      expect(forbidden.test(source), `${file} uses a Node-only or framework API`).to.equal(false);
    }
  });

  it("runs the whole organizer and submitter flow off chain", () => {
    // Organizer: CSV → groups → secrets; the chain's split; training data revealed.
    const points = blobDataset({ seed: 21, classes: 3, features: 4, perClass: 60, spread: 25 });
    const csv = danku.datasetToCsv(points, ["w", "x", "y", "z"], ["a", "b", "c"]);
    const dataset = danku.parseCsvDataset(csv, { labelColumn: "label" });
    const groups = danku.buildDataGroups(dataset.points, { groupCount: 10, featureCount: 4, classCount: 3, random: seededRandom(8) });
    const competition: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    const secrets = danku.parseSecrets(
      danku.serializeSecrets(
        danku.withCompetition(
          danku.buildSecrets({
            chainId: 31337,
            featureCount: 4,
            classCount: 3,
            featureNames: dataset.featureNames,
            classNames: dataset.classNames,
            featureMappings: dataset.featureMappings,
            groups,
          }),
          competition,
        ),
      ),
    );
    const onChainHashes = groups.map((g) => g.hash);
    expect(danku.verifySecretsAgainstHashes(secrets, onChainHashes).ok).to.equal(true);
    const split = danku.selectTrainingGroups({ blockHash: keccak256(toHex("init1")), competition, groupHashes: onChainHashes, trainingBps: 7000 });
    const training = split.training.flatMap((g) => danku.secretGroupPoints(secrets, g));
    const test = split.test.flatMap((g) => danku.secretGroupPoints(secrets, g));
    expect(training.length + test.length).to.equal(180);

    // Submitter: train on the revealed training data, quantize, commit.
    const floatModel = danku.parseFloatModelJson(JSON.stringify(trainMlp(training, { hidden: 8, classes: 3, epochs: 30, seed: 2, rate: 0.05 })));
    danku.checkModelAgainstCompetition(floatModel, { featureCount: 4, classCount: 3 });
    const { model, report } = danku.quantizeModel(floatModel, training, { competition: { featureCount: 4, classCount: 3 } });
    expect(report.quantizedAccuracy).to.be.greaterThan(0.9);
    const submitter: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    const file = danku.buildSubmissionFile({ chainId: 31337, competition, submitter, modelBytes: danku.encodeModel(model) });
    const commitment = danku.submissionCommitment({ competition, submitter, modelHash: file.modelHash, salt: file.salt });
    danku.verifySubmissionAgainstCommitment(danku.parseSubmissionFile(danku.serializeSubmissionFile(file)), commitment, { submitter });
    const revealed = danku.decodeModel(hexToBytes(file.modelHex));
    const score = danku.evaluateAccuracy(revealed, test);
    expect(score.correct / score.total).to.be.greaterThan(0.85);
  });
});

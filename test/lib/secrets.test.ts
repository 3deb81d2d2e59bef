import { expect } from "chai";
import { keccak256, toHex, type Address, type Hex } from "viem";
import { encodeModel, modelHash, submissionCommitment, type QuantizedModel } from "../../lib/danku/encoding";
import { parseCsvDataset } from "../../lib/danku/dataset";
import { buildDataGroups } from "../../lib/danku/groups";
import {
  SecretsFileError,
  assertSecretsMatch,
  buildSecrets,
  buildSubmissionFile,
  parseSecrets,
  parseSubmissionFile,
  secretGroupPoints,
  serializeSecrets,
  serializeSubmissionFile,
  submissionFileCommitment,
  verifySecretsAgainstHashes,
  verifySubmissionAgainstCommitment,
  withCompetition,
  withSubmissionId,
  type DankuSecrets,
} from "../../lib/danku/secrets";
import { seededRandom } from "./helpers";

const competition: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const submitter: Address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

function makeSecrets(): DankuSecrets {
  const rows = Array.from({ length: 30 }, (_, i) => `${i * 3},${(i * 0.37) % 1},${["cat", "dog", "emu"][i % 3]}`);
  const dataset = parseCsvDataset(`a,b,kind\n${rows.join("\n")}\n`, { labelColumn: "kind" });
  const groups = buildDataGroups(dataset.points, { groupCount: 6, featureCount: 2, classCount: 3, random: seededRandom(3) });
  return buildSecrets({
    chainId: 31337,
    featureCount: 2,
    classCount: 3,
    featureNames: dataset.featureNames,
    classNames: dataset.classNames,
    featureMappings: dataset.featureMappings,
    groups,
  });
}

function edited(secrets: DankuSecrets, edit: (json: Record<string, unknown>) => void): string {
  const json = JSON.parse(serializeSecrets(secrets)) as Record<string, unknown>;
  edit(json);
  return JSON.stringify(json);
}

const model: QuantizedModel = {
  widths: [2, 3],
  layers: [
    {
      shift: 0,
      biases: [1, -2, 3],
      weights: [
        [1, 2],
        [-3, 4],
        [127, -128],
      ],
    },
  ],
};

describe("lib/danku/secrets", () => {
  describe("organizer secrets", () => {
    it("round-trips through serialize/parse and keeps everything needed to reveal", () => {
      const secrets = makeSecrets();
      expect(secrets.format).to.equal("modelbounty-danku-secrets");
      expect(secrets.version).to.equal(1);
      expect(secrets.competition).to.equal(undefined);
      expect(parseSecrets(serializeSecrets(secrets))).to.deep.equal(secrets);
      expect(secrets.groups.map((g) => g.index)).to.deep.equal([0, 1, 2, 3, 4, 5]);
      expect(secrets.classNames).to.deep.equal(["cat", "dog", "emu"]);
      expect(secrets.featureMappings[1]!.kind).to.equal("linear");
      const points = secrets.groups.flatMap((_, g) => secretGroupPoints(secrets, g));
      expect(points).to.have.length(30);
      const withAddress = withCompetition(secrets, competition.toLowerCase() as Address);
      expect(withAddress.competition).to.equal(competition);
      expect(parseSecrets(serializeSecrets(withAddress))).to.deep.equal(withAddress);
    });

    it("verifies against the committed hashes and names exactly the groups that differ", () => {
      const secrets = makeSecrets();
      const hashes = secrets.groups.map((g) => g.hash);
      expect(verifySecretsAgainstHashes(secrets, hashes)).to.deep.include({ ok: true, mismatches: [], message: "" });
      expect(verifySecretsAgainstHashes(secrets, hashes.map((h) => h.toUpperCase().replace("0X", "0x") as Hex)).ok).to.equal(true);
      const wrong = [...hashes];
      wrong[1] = keccak256(toHex("x"));
      wrong[4] = keccak256(toHex("y"));
      const result = verifySecretsAgainstHashes(secrets, wrong);
      expect(result.ok).to.equal(false);
      expect(result.mismatches.map((m) => m.index)).to.deep.equal([1, 4]);
      expect(result.mismatches[0]).to.deep.equal({ index: 1, onChain: wrong[1], recomputed: hashes[1] });
      expect(result.message).to.match(/2 groups do not match .*groups 1, 4/);
      const fewer = verifySecretsAgainstHashes(secrets, hashes.slice(0, 5));
      expect(fewer.ok).to.equal(false);
      expect(fewer.mismatches).to.deep.equal([]);
      expect(fewer.message).to.match(/file has 6 groups but the competition committed 5/);
      expect(() => assertSecretsMatch(secrets, wrong)).to.throw(SecretsFileError, /does not belong/);
      expect(() => assertSecretsMatch(secrets, hashes)).not.to.throw();
    });

    it("rejects malformed or tampered files with a precise reason", () => {
      const s = makeSecrets();
      const bad = (text: string, pattern: RegExp) => expect(() => parseSecrets(text)).to.throw(SecretsFileError, pattern);
      bad("not json", /not valid JSON/);
      bad("[]", /must be an object/);
      bad(edited(s, (j) => (j.format = "other")), /"format" must be "modelbounty-danku-secrets"/);
      bad(edited(s, (j) => (j.version = 2)), /unsupported version 2/);
      bad(edited(s, (j) => (j.chainId = "1")), /"chainId" must be an integer/);
      bad(edited(s, (j) => (j.competition = "0x1234")), /"competition" must be an address/);
      bad(edited(s, (j) => (j.featureCount = 0)), /"featureCount" must be an integer in 1\.\.1024/);
      bad(edited(s, (j) => (j.classCount = 1)), /"classCount" must be an integer in 2\.\.255/);
      bad(edited(s, (j) => (j.featureNames = ["a"])), /"featureNames" must be an array of 2 strings/);
      bad(edited(s, (j) => (j.featureMappings = [{ kind: "identity" }, { kind: "linear", min: 2, max: 1 }])), /featureMappings\[1\]/);
      bad(edited(s, (j) => (j.groups = (j.groups as unknown[]).slice(0, 1))), /"groups" must be an array of 2\.\.1024/);
      const group = (j: Record<string, unknown>, g: number) => (j.groups as Record<string, unknown>[])[g]!;
      bad(edited(s, (j) => (group(j, 2).index = 3)), /groups\[2\]\.index is 3/);
      bad(edited(s, (j) => (group(j, 0).nonce = "0x1234")), /groups\[0\]\.nonce" must be 32 bytes/);
      bad(edited(s, (j) => (group(j, 0).points = "0xzz")), /groups\[0\]\.points" must be a 0x-prefixed hex/);
      bad(edited(s, (j) => (group(j, 0).points = "0x01020304")), /4 bytes, not a positive multiple of the 3-byte point size/);
      // Flip the first label to 3 (≥ classCount).
      bad(edited(s, (j) => (group(j, 1).points = `${(group(j, 1).points as string).slice(0, 6)}03${(group(j, 1).points as string).slice(8)}`)), /groups\[1\] point 0 has label 3/);
      // Change one feature byte: the stored hash no longer matches.
      bad(
        edited(s, (j) => {
          const p = group(j, 5).points as string;
          group(j, 5).points = `0x${p[2] === "0" ? "1" : "0"}${p.slice(3)}`;
        }),
        /groups\[5\]\.hash does not match its points and nonce/,
      );
    });
  });

  describe("submission file", () => {
    const modelBytes = encodeModel(model);

    it("builds with a fresh 32-byte CSPRNG salt and opens its own commitment", () => {
      const a = buildSubmissionFile({ chainId: 1, competition, submitter, modelBytes });
      const b = buildSubmissionFile({ chainId: 1, competition, submitter, modelBytes });
      expect(a.salt).to.match(/^0x[0-9a-f]{64}$/);
      expect(a.salt).not.to.equal(b.salt);
      expect(a.modelHash).to.equal(modelHash(modelBytes));
      expect(a.modelHex).to.equal(toHex(modelBytes));
      const commitment = submissionCommitment({ competition, submitter, modelHash: a.modelHash, salt: a.salt });
      expect(submissionFileCommitment(a)).to.equal(commitment);
      expect(() => verifySubmissionAgainstCommitment(a, commitment, { competition, submitter, chainId: 1 })).not.to.throw();
      expect(parseSubmissionFile(serializeSubmissionFile(a))).to.deep.equal(a);
      const numbered = withSubmissionId(a, 4);
      expect(parseSubmissionFile(serializeSubmissionFile(numbered)).submissionId).to.equal(4);
      const fixed = buildSubmissionFile({ chainId: 1, competition, submitter, modelBytes, random: seededRandom(1) });
      expect(fixed.salt).to.equal(buildSubmissionFile({ chainId: 1, competition, submitter, modelBytes, random: seededRandom(1) }).salt);
    });

    it("refuses a file that does not open the commitment, or belongs elsewhere", () => {
      const file = buildSubmissionFile({ chainId: 1, competition, submitter, modelBytes });
      const commitment = submissionFileCommitment(file);
      const other = buildSubmissionFile({ chainId: 1, competition, submitter, modelBytes });
      expect(() => verifySubmissionAgainstCommitment(other, commitment)).to.throw(SecretsFileError, /does not open the on-chain commitment/);
      expect(() => verifySubmissionAgainstCommitment(file, commitment, { submitter: competition })).to.throw(SecretsFileError, /only that account/);
      expect(() => verifySubmissionAgainstCommitment(file, commitment, { competition: submitter })).to.throw(SecretsFileError, /not 0x7099/);
      expect(() => verifySubmissionAgainstCommitment(file, commitment, { chainId: 5 })).to.throw(SecretsFileError, /chain 1, not chain 5/);
    });

    it("rejects malformed or tampered submission files", () => {
      const file = buildSubmissionFile({ chainId: 1, competition, submitter, modelBytes, submissionId: 0 });
      const text = serializeSubmissionFile(file);
      const change = (edit: (j: Record<string, unknown>) => void) => {
        const j = JSON.parse(text) as Record<string, unknown>;
        edit(j);
        return JSON.stringify(j);
      };
      const bad = (t: string, pattern: RegExp) => expect(() => parseSubmissionFile(t)).to.throw(SecretsFileError, pattern);
      bad(change((j) => (j.format = "modelbounty-danku-secrets")), /"format" must be "modelbounty-danku-submission"/);
      bad(change((j) => (j.salt = "0x12")), /"salt" must be 32 bytes/);
      bad(change((j) => (j.submitter = "nobody")), /"submitter" must be an address/);
      bad(change((j) => (j.submissionId = -1)), /"submissionId" must be an integer/);
      bad(change((j) => (j.modelHex = `${file.modelHex}00`)), /"modelHex" is not a valid model/);
      const otherModel = encodeModel({ ...model, layers: [{ ...model.layers[0]!, biases: [9, 9, 9] }] });
      bad(change((j) => (j.modelHex = toHex(otherModel))), /"modelHash" is not keccak256 of "modelHex"/);
    });
  });
});

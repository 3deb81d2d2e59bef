/**
 * The two files a participant must keep between transactions:
 *  - the organizer's secrets file: every group's points and nonce, needed to reveal training and test data. Losing
 *    it means the data can never be revealed; a file that does not belong to the competition would make every
 *    reveal revert, so it is checked against the on-chain group hashes before any transaction.
 *  - the submitter's salt file: the model bytes and salt behind a commitment, needed to reveal the model.
 * Both are versioned JSON; parsing is strict and says exactly what is wrong.
 */
import { getAddress, isAddress, isHex, toHex, hexToBytes, type Address, type Hex } from "viem";
import { MAX_CLASSES, MAX_FEATURES, MAX_GROUPS, MIN_CLASSES, MIN_GROUPS } from "./constants";
import { decodePoints, groupHash, modelHash, pointSize, submissionCommitment, type DataPoint } from "./encoding";
import { decodeAnyModel } from "./anyModel";
import type { FeatureMapping } from "./dataset";
import type { DataGroup } from "./groups";
import { randomBytes32, type RandomBytes } from "./random";

export const SECRETS_FORMAT = "modelbounty-danku-secrets";
export const SUBMISSION_FORMAT = "modelbounty-danku-submission";
export const SECRETS_VERSION = 1;
export const SUBMISSION_VERSION = 1;

export class SecretsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretsFileError";
  }
}

export interface SecretGroup {
  readonly index: number;
  readonly nonce: Hex;
  /** Encoded points (docs/protocol.md §2), hex. */
  readonly points: Hex;
  /** keccak256(points ‖ nonce). */
  readonly hash: Hex;
}

export interface DankuSecrets {
  readonly format: typeof SECRETS_FORMAT;
  readonly version: typeof SECRETS_VERSION;
  readonly chainId: number;
  /** Known once the competition is created; absent in a file written before the creation transaction. */
  readonly competition?: Address;
  readonly featureCount: number;
  readonly classCount: number;
  readonly featureNames: string[];
  readonly classNames: string[];
  readonly featureMappings: FeatureMapping[];
  readonly groups: SecretGroup[];
}

export interface BuildSecretsInput {
  readonly chainId: number;
  readonly competition?: Address;
  readonly featureCount: number;
  readonly classCount: number;
  readonly featureNames: readonly string[];
  readonly classNames: readonly string[];
  readonly featureMappings: readonly FeatureMapping[];
  readonly groups: readonly Pick<DataGroup, "index" | "nonce" | "bytes" | "hash">[];
}

// ---------------------------------------------------------------------------------------------------------------
// Field readers shared by both file kinds.

type Json = Record<string, unknown>;

function fail(file: string, message: string): never {
  throw new SecretsFileError(`${file}: ${message}`);
}

function readObject(value: unknown, file: string, where: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(file, `${where} must be an object`);
  return value as Json;
}

function readInteger(obj: Json, key: string, file: string, min: number, max: number, where = key): number {
  const v = obj[key];
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min || v > max) {
    fail(file, `"${where}" must be an integer in ${min}..${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function readHex(obj: Json, key: string, file: string, bytes: number | undefined, where = key): Hex {
  const v = obj[key];
  if (typeof v !== "string" || !isHex(v, { strict: true })) fail(file, `"${where}" must be a 0x-prefixed hex string`);
  if (v.length % 2 !== 0) fail(file, `"${where}" has an odd number of hex digits`);
  if (bytes !== undefined && v.length !== 2 + 2 * bytes) fail(file, `"${where}" must be ${bytes} bytes, got ${(v.length - 2) / 2}`);
  return v.toLowerCase() as Hex;
}

function readAddress(obj: Json, key: string, file: string): Address {
  const v = obj[key];
  if (typeof v !== "string" || !isAddress(v, { strict: false })) fail(file, `"${key}" must be an address, got ${JSON.stringify(v)}`);
  return getAddress(v);
}

function readStrings(obj: Json, key: string, file: string, length: number): string[] {
  const v = obj[key];
  if (!Array.isArray(v) || v.length !== length || !v.every((s) => typeof s === "string")) {
    fail(file, `"${key}" must be an array of ${length} strings`);
  }
  return [...(v as string[])];
}

function parseJsonObject(text: string, file: string, format: string, version: number): Json {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    fail(file, `not valid JSON (${(error as Error).message})`);
  }
  const obj = readObject(value, file, "the file");
  if (obj.format !== format) fail(file, `"format" must be "${format}", got ${JSON.stringify(obj.format)}`);
  if (obj.version !== version) fail(file, `unsupported version ${JSON.stringify(obj.version)}; this client reads version ${version}`);
  return obj;
}

function readMapping(value: unknown, file: string, f: number): FeatureMapping {
  const obj = readObject(value, file, `featureMappings[${f}]`);
  if (obj.kind === "identity") return { kind: "identity" };
  if (obj.kind === "linear" && typeof obj.min === "number" && typeof obj.max === "number" && obj.min <= obj.max) {
    return { kind: "linear", min: obj.min, max: obj.max };
  }
  fail(file, `featureMappings[${f}] must be {"kind":"identity"} or {"kind":"linear","min":…,"max":…} with min ≤ max`);
}

// ---------------------------------------------------------------------------------------------------------------
// Organizer secrets.

const SECRETS_FILE = "secrets file";

/** Builds the organizer's secrets from the groups of {@link buildDataGroups} and the dataset's metadata. */
export function buildSecrets(input: BuildSecretsInput): DankuSecrets {
  const secrets: DankuSecrets = {
    format: SECRETS_FORMAT,
    version: SECRETS_VERSION,
    chainId: input.chainId,
    ...(input.competition ? { competition: getAddress(input.competition) } : {}),
    featureCount: input.featureCount,
    classCount: input.classCount,
    featureNames: [...input.featureNames],
    classNames: [...input.classNames],
    featureMappings: input.featureMappings.map((m) => ({ ...m })),
    groups: input.groups.map((g) => ({ index: g.index, nonce: g.nonce, points: toHex(g.bytes), hash: g.hash })),
  };
  // Round-trip through the parser so a file this library writes is always one it reads back.
  return parseSecrets(serializeSecrets(secrets));
}

/** The same secrets with the competition address recorded (known after the creation transaction). */
export function withCompetition(secrets: DankuSecrets, competition: Address): DankuSecrets {
  return { ...secrets, competition: getAddress(competition) };
}

export function serializeSecrets(secrets: DankuSecrets): string {
  return `${JSON.stringify(secrets, null, 2)}\n`;
}

/**
 * Reads and fully checks a secrets file: format and version, counts within protocol limits, names and mappings per
 * feature/class, groups indexed 0..G−1 in order, every group a whole number of points with labels < classCount, and
 * every stored hash equal to keccak256(points ‖ nonce) — so a corrupted or hand-edited file is caught here.
 */
export function parseSecrets(text: string): DankuSecrets {
  const file = SECRETS_FILE;
  const obj = parseJsonObject(text, file, SECRETS_FORMAT, SECRETS_VERSION);
  const chainId = readInteger(obj, "chainId", file, 1, Number.MAX_SAFE_INTEGER);
  const competition = obj.competition === undefined ? undefined : readAddress(obj, "competition", file);
  const featureCount = readInteger(obj, "featureCount", file, 1, MAX_FEATURES);
  const classCount = readInteger(obj, "classCount", file, MIN_CLASSES, MAX_CLASSES);
  const featureNames = readStrings(obj, "featureNames", file, featureCount);
  const classNames = readStrings(obj, "classNames", file, classCount);
  const rawMappings = obj.featureMappings;
  if (!Array.isArray(rawMappings) || rawMappings.length !== featureCount) fail(file, `"featureMappings" must be an array of ${featureCount} mappings`);
  const featureMappings = rawMappings.map((m: unknown, f) => readMapping(m, file, f));
  const rawGroups = obj.groups;
  if (!Array.isArray(rawGroups) || rawGroups.length < MIN_GROUPS || rawGroups.length > MAX_GROUPS) {
    fail(file, `"groups" must be an array of ${MIN_GROUPS}..${MAX_GROUPS} groups`);
  }
  const size = pointSize(featureCount);
  const groups = rawGroups.map((raw: unknown, g): SecretGroup => {
    const where = `groups[${g}]`;
    const group = readObject(raw, file, where);
    const index = readInteger(group, "index", file, 0, MAX_GROUPS - 1, `${where}.index`);
    if (index !== g) fail(file, `${where}.index is ${index}; groups must be listed in index order 0, 1, 2, …`);
    const nonce = readHex(group, "nonce", file, 32, `${where}.nonce`);
    const points = readHex(group, "points", file, undefined, `${where}.points`);
    const hash = readHex(group, "hash", file, 32, `${where}.hash`);
    const bytes = hexToBytes(points);
    if (bytes.length === 0 || bytes.length % size !== 0) {
      fail(file, `${where}.points is ${bytes.length} bytes, not a positive multiple of the ${size}-byte point size`);
    }
    for (let at = featureCount; at < bytes.length; at += size) {
      if ((bytes[at] as number) >= classCount) fail(file, `${where} point ${(at - featureCount) / size} has label ${bytes[at]} ≥ ${classCount} classes`);
    }
    if (groupHash(bytes, nonce) !== hash) {
      fail(file, `${where}.hash does not match its points and nonce; the file is corrupted or was edited`);
    }
    return { index, nonce, points, hash };
  });
  return {
    format: SECRETS_FORMAT,
    version: SECRETS_VERSION,
    chainId,
    ...(competition ? { competition } : {}),
    featureCount,
    classCount,
    featureNames,
    classNames,
    featureMappings,
    groups,
  };
}

/** A group's points, decoded. */
export function secretGroupPoints(secrets: DankuSecrets, index: number): DataPoint[] {
  const group = secrets.groups[index];
  if (!group) throw new SecretsFileError(`the secrets file has no group ${index}`);
  return decodePoints(hexToBytes(group.points), secrets.featureCount);
}

export interface GroupHashMismatch {
  readonly index: number;
  /** The hash committed on chain. */
  readonly onChain: Hex;
  /** keccak256(points ‖ nonce) recomputed from the file. */
  readonly recomputed: Hex;
}

export interface SecretsVerification {
  readonly ok: boolean;
  readonly groupCountOnChain: number;
  readonly groupCountInFile: number;
  /** Groups present in both whose hashes differ. */
  readonly mismatches: GroupHashMismatch[];
  /** A sentence for people; empty when ok. */
  readonly message: string;
}

/**
 * Recomputes every group hash from the file and compares it with the competition's committed hashes, reporting
 * exactly which groups differ. Run before any reveal: a mismatching group would make the reveal revert.
 */
export function verifySecretsAgainstHashes(secrets: DankuSecrets, onChainGroupHashes: readonly Hex[]): SecretsVerification {
  const mismatches: GroupHashMismatch[] = [];
  const common = Math.min(secrets.groups.length, onChainGroupHashes.length);
  for (let g = 0; g < common; g++) {
    const group = secrets.groups[g] as SecretGroup;
    const recomputed = groupHash(hexToBytes(group.points), group.nonce);
    const onChain = (onChainGroupHashes[g] as Hex).toLowerCase() as Hex;
    if (recomputed !== onChain) mismatches.push({ index: g, onChain, recomputed });
  }
  const problems: string[] = [];
  if (secrets.groups.length !== onChainGroupHashes.length) {
    problems.push(`the file has ${secrets.groups.length} groups but the competition committed ${onChainGroupHashes.length}`);
  }
  if (mismatches.length > 0) {
    const shown = mismatches.slice(0, 10).map((m) => m.index).join(", ");
    problems.push(
      `${mismatches.length} group${mismatches.length === 1 ? "" : "s"} do not match the committed hashes ` +
        `(group${mismatches.length === 1 ? "" : "s"} ${shown}${mismatches.length > 10 ? ", …" : ""})`,
    );
  }
  const message = problems.length > 0 ? `this secrets file does not belong to the competition: ${problems.join("; ")}` : "";
  return {
    ok: problems.length === 0,
    groupCountOnChain: onChainGroupHashes.length,
    groupCountInFile: secrets.groups.length,
    mismatches,
    message,
  };
}

/** {@link verifySecretsAgainstHashes}, throwing SecretsFileError when anything differs. */
export function assertSecretsMatch(secrets: DankuSecrets, onChainGroupHashes: readonly Hex[]): void {
  const result = verifySecretsAgainstHashes(secrets, onChainGroupHashes);
  if (!result.ok) throw new SecretsFileError(result.message);
}

// ---------------------------------------------------------------------------------------------------------------
// Submitter's salt file.

const SUBMISSION_FILE = "submission file";

export interface SubmissionFile {
  readonly format: typeof SUBMISSION_FORMAT;
  readonly version: typeof SUBMISSION_VERSION;
  readonly chainId: number;
  readonly competition: Address;
  readonly submitter: Address;
  /** Known once the commit transaction is mined. */
  readonly submissionId?: number;
  readonly salt: Hex;
  readonly modelHex: Hex;
  readonly modelHash: Hex;
}

/** Builds a submission file with a fresh CSPRNG salt (or the given one); validates the model bytes first. */
export function buildSubmissionFile(input: {
  chainId: number;
  competition: Address;
  submitter: Address;
  modelBytes: Uint8Array;
  submissionId?: number;
  salt?: Hex;
  random?: RandomBytes;
}): SubmissionFile {
  const modelHex = toHex(input.modelBytes);
  const built: SubmissionFile = {
    format: SUBMISSION_FORMAT,
    version: SUBMISSION_VERSION,
    chainId: input.chainId,
    competition: getAddress(input.competition),
    submitter: getAddress(input.submitter),
    ...(input.submissionId !== undefined ? { submissionId: input.submissionId } : {}),
    salt: input.salt ?? randomBytes32(input.random),
    modelHex,
    modelHash: modelHash(input.modelBytes),
  };
  return parseSubmissionFile(serializeSubmissionFile(built));
}

export function serializeSubmissionFile(file: SubmissionFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** The same submission with its id recorded (known after the commit transaction). */
export function withSubmissionId(file: SubmissionFile, submissionId: number): SubmissionFile {
  if (!Number.isSafeInteger(submissionId) || submissionId < 0) throw new RangeError(`invalid submission id ${submissionId}`);
  return { ...file, submissionId };
}

/**
 * Reads and checks a submission file: format, version, addresses, a 32-byte salt, model bytes the contract would
 * accept (decodeAnyModel: a dense version-1 or a convolutional version-2 model), and modelHash = keccak256(modelHex).
 */
export function parseSubmissionFile(text: string): SubmissionFile {
  const file = SUBMISSION_FILE;
  const obj = parseJsonObject(text, file, SUBMISSION_FORMAT, SUBMISSION_VERSION);
  const chainId = readInteger(obj, "chainId", file, 1, Number.MAX_SAFE_INTEGER);
  const competition = readAddress(obj, "competition", file);
  const submitter = readAddress(obj, "submitter", file);
  const submissionId = obj.submissionId === undefined ? undefined : readInteger(obj, "submissionId", file, 0, Number.MAX_SAFE_INTEGER);
  const salt = readHex(obj, "salt", file, 32);
  const modelHex = readHex(obj, "modelHex", file, undefined);
  const storedHash = readHex(obj, "modelHash", file, 32);
  const bytes = hexToBytes(modelHex);
  try {
    decodeAnyModel(bytes);
  } catch (error) {
    fail(file, `"modelHex" is not a valid model: ${(error as Error).message}`);
  }
  if (modelHash(bytes) !== storedHash) fail(file, `"modelHash" is not keccak256 of "modelHex"; the file is corrupted or was edited`);
  return {
    format: SUBMISSION_FORMAT,
    version: SUBMISSION_VERSION,
    chainId,
    competition,
    submitter,
    ...(submissionId !== undefined ? { submissionId } : {}),
    salt,
    modelHex,
    modelHash: storedHash,
  };
}

/** keccak256(abi.encode(competition, submitter, modelHash, salt)) for this file (docs/protocol.md §5). */
export function submissionFileCommitment(file: SubmissionFile): Hex {
  return submissionCommitment({
    competition: file.competition,
    submitter: file.submitter,
    modelHash: file.modelHash,
    salt: file.salt,
  });
}

/**
 * Throws unless this file opens `onChainCommitment` (and, when given, belongs to `expected` competition/submitter):
 * a reveal with the wrong file would revert and waste gas.
 */
export function verifySubmissionAgainstCommitment(
  file: SubmissionFile,
  onChainCommitment: Hex,
  expected: { competition?: Address; submitter?: Address; chainId?: number } = {},
): void {
  if (expected.chainId !== undefined && expected.chainId !== file.chainId) {
    throw new SecretsFileError(`the submission file is for chain ${file.chainId}, not chain ${expected.chainId}`);
  }
  if (expected.competition && getAddress(expected.competition) !== file.competition) {
    throw new SecretsFileError(`the submission file is for competition ${file.competition}, not ${getAddress(expected.competition)}`);
  }
  if (expected.submitter && getAddress(expected.submitter) !== file.submitter) {
    throw new SecretsFileError(
      `the submission file was committed by ${file.submitter}; only that account can reveal it, not ${getAddress(expected.submitter)}`,
    );
  }
  if (submissionFileCommitment(file) !== onChainCommitment.toLowerCase()) {
    throw new SecretsFileError("the submission file does not open the on-chain commitment (different model, salt, competition or submitter)");
  }
}

/**
 * The DaiMoN problem metadata document, stored on IPFS and named by the problem's `metadataCid` (docs/daimon.md
 * "Client formats"). Public only: what people need to build a model for the problem. The labels are 0…C−1 and
 * `classNames[c]` names label c.
 */

export const PROBLEM_METADATA_FORMAT = "modelbounty-problem";
export const MAX_PROBLEM_TITLE_LENGTH = 120;
export const MAX_PROBLEM_DESCRIPTION_LENGTH = 5000;

export interface ProblemMetadata {
  format: typeof PROBLEM_METADATA_FORMAT;
  version: 1;
  protocol: "daimon";
  title: string;
  description: string;
  /** One name per label 0…C−1; empty when the creator gave none. */
  classNames: string[];
  /** What one input holds (its shape is on chain), for people. */
  inputDescription: string;
}

export class ProblemMetadataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProblemMetadataError";
  }
}

export function buildProblemMetadata(input: {
  title: string;
  description?: string;
  classNames?: readonly string[];
  inputDescription?: string;
}): ProblemMetadata {
  const metadata: ProblemMetadata = {
    format: PROBLEM_METADATA_FORMAT,
    version: 1,
    protocol: "daimon",
    title: input.title,
    description: input.description ?? "",
    classNames: [...(input.classNames ?? [])],
    inputDescription: input.inputDescription ?? "",
  };
  validateProblemMetadata(metadata);
  return metadata;
}

/** Checks a parsed document; `classCount`, when given, must match the number of class names (if there are any). */
export function validateProblemMetadata(value: unknown, classCount?: number): asserts value is ProblemMetadata {
  if (typeof value !== "object" || value === null) throw new ProblemMetadataError("problem metadata must be a JSON object");
  const m = value as Partial<ProblemMetadata>;
  if (m.format !== PROBLEM_METADATA_FORMAT || m.version !== 1 || m.protocol !== "daimon") {
    throw new ProblemMetadataError(`not a ${PROBLEM_METADATA_FORMAT} version 1 (daimon) document`);
  }
  if (typeof m.title !== "string" || m.title.trim() === "" || m.title.length > MAX_PROBLEM_TITLE_LENGTH) {
    throw new ProblemMetadataError(`the title must be 1…${MAX_PROBLEM_TITLE_LENGTH} characters`);
  }
  if (typeof m.description !== "string" || m.description.length > MAX_PROBLEM_DESCRIPTION_LENGTH) {
    throw new ProblemMetadataError(`the description must be at most ${MAX_PROBLEM_DESCRIPTION_LENGTH} characters`);
  }
  if (!Array.isArray(m.classNames) || !m.classNames.every((c) => typeof c === "string")) throw new ProblemMetadataError("classNames must be an array of strings");
  if (classCount !== undefined && m.classNames.length > 0 && m.classNames.length !== classCount) {
    throw new ProblemMetadataError(`there are ${m.classNames.length} class names for ${classCount} classes`);
  }
  if (typeof m.inputDescription !== "string") throw new ProblemMetadataError("inputDescription must be a string");
}

export function parseProblemMetadata(text: string, classCount?: number): ProblemMetadata {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ProblemMetadataError("the problem metadata is not valid JSON");
  }
  validateProblemMetadata(parsed, classCount);
  return parsed;
}

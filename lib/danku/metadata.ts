/**
 * The competition metadata document, stored on IPFS and named by `metadataCid` in `CompetitionCreated`.
 * Public only: titles, the dataset's column names and feature mappings; never nonces or test data.
 */
import type { FeatureMapping } from "./dataset";
import type { ImageShape } from "./images";

export const METADATA_FORMAT = "modelbounty-competition";
export const MAX_TITLE_LENGTH = 120;
export const MAX_DESCRIPTION_LENGTH = 5000;

export interface CompetitionMetadata {
  format: typeof METADATA_FORMAT;
  version: 1;
  protocol: "danku";
  title: string;
  description: string;
  dataset: {
    name: string;
    featureNames: string[];
    classNames: string[];
    featureMappings: FeatureMapping[];
    pointCount: number;
    groupCount: number;
    /** Label column name in the organizer's CSV. */
    labelColumn: string;
    /**
     * Image datasets (docs/protocol.md §2.3): the input shape the features are, row-major height × width × channels.
     * Absent for CSV datasets.
     */
    imageShape?: ImageShape;
  };
}

export class MetadataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MetadataError";
  }
}

export function buildCompetitionMetadata(input: Omit<CompetitionMetadata, "format" | "version" | "protocol">): CompetitionMetadata {
  const metadata: CompetitionMetadata = { format: METADATA_FORMAT, version: 1, protocol: "danku", ...input };
  validateCompetitionMetadata(metadata);
  return metadata;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

function isMapping(value: unknown): value is FeatureMapping {
  if (typeof value !== "object" || value === null) return false;
  const v = value as { kind?: unknown; min?: unknown; max?: unknown };
  if (v.kind === "identity") return true;
  return v.kind === "linear" && typeof v.min === "number" && typeof v.max === "number" && Number.isFinite(v.min) && Number.isFinite(v.max);
}

export function validateCompetitionMetadata(value: unknown): asserts value is CompetitionMetadata {
  if (typeof value !== "object" || value === null) throw new MetadataError("metadata must be a JSON object");
  const m = value as Partial<CompetitionMetadata>;
  if (m.format !== METADATA_FORMAT || m.version !== 1) throw new MetadataError(`not a ${METADATA_FORMAT} version 1 document`);
  if (m.protocol !== "danku") throw new MetadataError(`unknown protocol ${String(m.protocol)}`);
  if (typeof m.title !== "string" || m.title.trim() === "" || m.title.length > MAX_TITLE_LENGTH) {
    throw new MetadataError(`the title must be 1..${MAX_TITLE_LENGTH} characters`);
  }
  if (typeof m.description !== "string" || m.description.length > MAX_DESCRIPTION_LENGTH) {
    throw new MetadataError(`the description must be at most ${MAX_DESCRIPTION_LENGTH} characters`);
  }
  const d = m.dataset;
  if (typeof d !== "object" || d === null) throw new MetadataError("metadata.dataset is missing");
  if (typeof d.name !== "string" || typeof d.labelColumn !== "string") throw new MetadataError("metadata.dataset needs a name and a label column");
  if (!isStringArray(d.featureNames) || !isStringArray(d.classNames)) throw new MetadataError("feature and class names must be string arrays");
  if (!Array.isArray(d.featureMappings) || d.featureMappings.length !== d.featureNames.length || !d.featureMappings.every(isMapping)) {
    throw new MetadataError("there must be one valid feature mapping per feature");
  }
  if (!Number.isInteger(d.pointCount) || !Number.isInteger(d.groupCount)) throw new MetadataError("point and group counts must be integers");
  if (d.imageShape !== undefined) validateImageShape(d.imageShape, d.featureNames.length);
}

/** An image shape is positive integers with 1 or 3 channels whose product is the feature count. */
function validateImageShape(value: unknown, featureCount: number): void {
  const s = value as Partial<ImageShape> | null;
  const positive = (n: unknown) => Number.isInteger(n) && (n as number) >= 1;
  if (typeof s !== "object" || s === null || !positive(s.height) || !positive(s.width) || (s.channels !== 1 && s.channels !== 3)) {
    throw new MetadataError("metadata.dataset.imageShape needs integer height and width ≥ 1 and 1 or 3 channels");
  }
  const features = (s.height as number) * (s.width as number) * s.channels;
  if (features !== featureCount) {
    throw new MetadataError(
      `metadata.dataset.imageShape is ${s.height} × ${s.width} × ${s.channels} = ${features} features, but the dataset has ${featureCount}`,
    );
  }
}

export function parseCompetitionMetadata(text: string): CompetitionMetadata {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new MetadataError("the metadata is not valid JSON");
  }
  validateCompetitionMetadata(parsed);
  return parsed;
}

/**
 * Messages between the page and the dataset worker (lib/workers/dataset.worker.ts). The worker parses the CSV and
 * hashes the data groups, the two steps that can take seconds on a large file, so the page stays responsive and can
 * show progress. Everything here is structured-cloneable.
 */
import type { Hex } from "viem";
import type { DatasetIssue, FeatureMapping, FeatureRange } from "../danku/dataset";
import type { ImageSample, ImageShape } from "../danku/images";

/** Rows of the file shown as a preview (raw text, header excluded). */
export const PREVIEW_ROWS = 8;
/** Images of an image dataset shown as thumbnails. */
export const PREVIEW_IMAGES = 8;

/** Bins of the per-feature byte histograms (16 bins of 16 byte values each). */
export const HISTOGRAM_BINS = 16;

export interface DatasetSummary {
  readonly featureNames: string[];
  readonly classNames: string[];
  readonly featureMappings: FeatureMapping[];
  readonly classCounts: number[];
  /** Raw (pre-mapping) range of every feature column. */
  readonly featureRanges: FeatureRange[];
  /** Per feature: how many points fall in each of the {@link HISTOGRAM_BINS} byte-value bins. */
  readonly featureHistograms: number[][];
  readonly pointCount: number;
  /** Image datasets (docs/protocol.md §2.3): the shape the features are, row-major height × width × channels. */
  readonly imageShape?: ImageShape;
}

/** The first images of an image dataset, for thumbnails. */
export interface ImagePreview {
  readonly shape: ImageShape;
  readonly samples: ImageSample[];
}

export type AnalyzeOutcome =
  | { readonly ok: true; readonly summary: DatasetSummary }
  | { readonly ok: false; readonly issues: DatasetIssue[]; readonly totalIssues: number };

export interface AnalyzeResult {
  /** Trimmed header names; empty when the file has no header row. */
  readonly header: string[];
  readonly previewRows: string[][];
  /** The label column the outcome was computed for (the one asked for, or the worker's guess). */
  readonly labelColumn: string;
  readonly outcome: AnalyzeOutcome;
  /** Set for an image dataset (a zip of PNGs and a labels CSV, or of an IDX pair): there is no header to choose from. */
  readonly images?: ImagePreview;
}

export interface HashResult {
  /** The serialized secrets file (lib/danku/secrets.ts), without a competition address yet. */
  readonly secretsText: string;
  readonly groupHashes: Hex[];
  readonly pointCount: number;
  readonly imageShape?: ImageShape;
}

export type DatasetWorkerRequest =
  | { readonly id: number; readonly kind: "analyze"; readonly file: Blob; readonly labelColumn?: string }
  | { readonly id: number; readonly kind: "hash"; readonly file: Blob; readonly labelColumn: string; readonly groupCount: number; readonly chainId: number };

export type DatasetWorkerResponse =
  | { readonly id: number; readonly kind: "analyzed"; readonly result: AnalyzeResult }
  | { readonly id: number; readonly kind: "progress"; readonly done: number; readonly total: number }
  /** Bytes of the file read so far while it is analyzed (at most a few reports a second). */
  | { readonly id: number; readonly kind: "read"; readonly bytes: number; readonly total: number }
  | { readonly id: number; readonly kind: "hashed"; readonly result: HashResult }
  | { readonly id: number; readonly kind: "error"; readonly message: string };

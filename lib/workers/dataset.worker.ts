/**
 * Dataset worker: CSV parsing and group hashing off the main thread (protocol in ./datasetProtocol.ts).
 * Stateless: every request carries the file, so a worker restarted after a reload needs nothing from before.
 */
import { csvSizeProblem } from "../danku/csvLimits";
import { CsvDatasetReader, DatasetError, type CsvDatasetReaderOptions, type ParsedDataset } from "../danku/dataset";
import { buildDataGroups } from "../danku/groups";
import { imageSamples, isZip, parseImageFiles, type ImageDataset } from "../danku/images";
import { buildSecrets, serializeSecrets } from "../danku/secrets";
import {
  HISTOGRAM_BINS,
  PREVIEW_IMAGES,
  PREVIEW_ROWS,
  type AnalyzeResult,
  type DatasetSummary,
  type DatasetWorkerRequest,
  type DatasetWorkerResponse,
} from "./datasetProtocol";

interface WorkerScope {
  onmessage: ((event: MessageEvent<DatasetWorkerRequest>) => void) | null;
  postMessage(message: DatasetWorkerResponse): void;
}
const scope = globalThis as unknown as WorkerScope;

/** How often, at most, the worker reports bytes read while analyzing a file. */
const READ_REPORT_INTERVAL_MS = 200;

const LABEL_NAMES = ["label", "class", "target", "y", "outcome"];

/** The label column when the user has not chosen one: a conventionally named column, else the last one. */
function guessLabelColumn(header: readonly string[]): string {
  // By the names' priority, not column order: in "x,y,label" the label is "label", not the feature "y".
  for (const wanted of LABEL_NAMES) {
    const found = header.find((name) => name.toLowerCase() === wanted);
    if (found) return found;
  }
  return header[header.length - 1] ?? "";
}

/**
 * Streams the file through the CSV reader (refused from its size first), so neither the text nor intermediate strings
 * of a large file are held at once; stops reading as soon as the file is refused for too many rows.
 */
async function readDataset(
  file: Blob,
  options: CsvDatasetReaderOptions,
  onRead?: (bytes: number, total: number) => void,
): Promise<CsvDatasetReader> {
  const problem = csvSizeProblem(file.size, file instanceof File ? file.name : undefined);
  if (problem) throw new Error(problem);
  const reader = new CsvDatasetReader(options);
  // Bytes are counted before decoding, so the progress is in the file's own units (File.size).
  let bytesRead = 0;
  let lastReport = 0;
  const counter = new TransformStream<Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>>({
    transform(chunk, controller) {
      bytesRead += chunk.byteLength;
      const now = Date.now();
      if (onRead && now - lastReport >= READ_REPORT_INTERVAL_MS) {
        lastReport = now;
        onRead(bytesRead, file.size);
      }
      controller.enqueue(chunk);
    },
  });
  const text = file.stream().pipeThrough(counter).pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { done, value } = await text.read();
      if (done) break;
      reader.write(value);
      if (reader.stopped) break;
    }
  } finally {
    await text.cancel().catch(() => undefined);
  }
  return reader; // reader.end() gives the dataset or throws its problems
}

/** True when the Blob is a zip archive (an image dataset: the dropzone packs several files into one), from its first bytes. */
async function isImageBundle(file: Blob): Promise<boolean> {
  return isZip(new Uint8Array(await file.slice(0, 4).arrayBuffer()));
}

/** The whole Blob's bytes, read as a stream so `onRead` can report progress (a 60,000-image MNIST pair is 47 MB). */
async function readBytes(file: Blob, onRead?: (bytes: number, total: number) => void): Promise<Uint8Array> {
  const out = new Uint8Array(file.size);
  let offset = 0;
  let lastReport = 0;
  const reader = file.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (offset + value.byteLength > out.length) throw new Error("the file grew while it was read; choose it again");
    out.set(value, offset);
    offset += value.byteLength;
    const now = Date.now();
    if (onRead && now - lastReport >= READ_REPORT_INTERVAL_MS) {
      lastReport = now;
      onRead(offset, file.size);
    }
  }
  onRead?.(offset, file.size);
  return out.subarray(0, offset);
}

/** An image dataset from its bundle (lib/danku/images.ts, the same code the CLI runs). */
async function readImageDataset(file: Blob, onRead?: (bytes: number, total: number) => void): Promise<ImageDataset> {
  const name = file instanceof File ? file.name : "dataset.zip";
  return parseImageFiles([{ name, bytes: await readBytes(file, onRead) }]);
}

function summarize(dataset: ParsedDataset): DatasetSummary {
  const featureCount = dataset.featureNames.length;
  const featureHistograms = Array.from({ length: featureCount }, () => new Array<number>(HISTOGRAM_BINS).fill(0));
  const binWidth = 256 / HISTOGRAM_BINS;
  for (const point of dataset.points) {
    for (let f = 0; f < featureCount; f++) {
      const bins = featureHistograms[f] as number[];
      const bin = Math.floor((point.features[f] as number) / binWidth);
      bins[bin] = (bins[bin] as number) + 1;
    }
  }
  return {
    featureNames: dataset.featureNames,
    classNames: dataset.classNames,
    featureMappings: dataset.featureMappings,
    classCounts: dataset.classCounts,
    featureRanges: dataset.featureRanges,
    featureHistograms,
    pointCount: dataset.points.length,
  };
}

async function analyzeImages(file: Blob, onRead: (bytes: number, total: number) => void): Promise<AnalyzeResult> {
  let dataset: ImageDataset;
  try {
    dataset = await readImageDataset(file, onRead);
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    return { header: [], previewRows: [], labelColumn: "label", outcome: { ok: false, issues: error.issues, totalIssues: error.totalIssues } };
  }
  return {
    header: [],
    previewRows: [],
    labelColumn: dataset.labelColumn,
    outcome: { ok: true, summary: { ...summarize(dataset), imageShape: dataset.imageShape } },
    images: { shape: dataset.imageShape, samples: imageSamples(dataset, PREVIEW_IMAGES) },
  };
}

async function analyze(file: Blob, labelColumn: string | undefined, onRead: (bytes: number, total: number) => void): Promise<AnalyzeResult> {
  if (await isImageBundle(file)) return analyzeImages(file, onRead);
  const reader = await readDataset(
    file,
    {
      labelColumn: labelColumn ?? "",
      ...(labelColumn === undefined ? { chooseLabelColumn: guessLabelColumn } : {}),
      previewRows: PREVIEW_ROWS + 1,
    },
    onRead,
  );
  let outcome: AnalyzeResult["outcome"];
  try {
    outcome = { ok: true, summary: summarize(reader.end()) };
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    outcome = { ok: false, issues: error.issues, totalIssues: error.totalIssues };
  }
  const [header = [], ...rows] = reader.preview;
  return { header: header.map((name) => name.trim()), previewRows: rows, labelColumn: labelColumn ?? reader.labelColumn, outcome };
}

async function handle(request: DatasetWorkerRequest): Promise<void> {
  if (request.kind === "analyze") {
    const onRead = (bytes: number, total: number) => scope.postMessage({ id: request.id, kind: "read", bytes, total });
    scope.postMessage({ id: request.id, kind: "analyzed", result: await analyze(request.file, request.labelColumn, onRead) });
    return;
  }
  const images = (await isImageBundle(request.file)) ? await readImageDataset(request.file) : undefined;
  const dataset = images ?? (await readDataset(request.file, { labelColumn: request.labelColumn })).end();
  const featureCount = dataset.featureNames.length;
  const classCount = dataset.classNames.length;
  let lastReport = 0;
  const groups = buildDataGroups(dataset.points, {
    groupCount: request.groupCount,
    featureCount,
    classCount,
    onProgress: (done, total) => {
      // Enough updates for a smooth bar without flooding the page with messages.
      const now = Date.now();
      if (done === 0 || done === total || now - lastReport > 50) {
        lastReport = now;
        scope.postMessage({ id: request.id, kind: "progress", done, total });
      }
    },
  });
  const secrets = buildSecrets({
    chainId: request.chainId,
    featureCount,
    classCount,
    featureNames: dataset.featureNames,
    classNames: dataset.classNames,
    featureMappings: dataset.featureMappings,
    groups,
  });
  scope.postMessage({
    id: request.id,
    kind: "hashed",
    result: {
      secretsText: serializeSecrets(secrets),
      groupHashes: secrets.groups.map((g) => g.hash),
      pointCount: dataset.points.length,
      ...(images ? { imageShape: images.imageShape } : {}),
    },
  });
}

scope.onmessage = (event) => {
  const request = event.data;
  handle(request).catch((error: unknown) => {
    scope.postMessage({ id: request.id, kind: "error", message: error instanceof Error ? error.message : String(error) });
  });
};

/**
 * A submitter's preview, from a model file to the scores the chain will compute: import (float JSON or ONNX, dense
 * or, for image competitions, convolutional: lib/danku/anyModel.ts) →
 * the model bytes commit would submit (lib/danku/submission.ts: checked against the competition, quantized on the
 * revealed training data, whichever data is then scored) → score the model of those bytes
 * with onnxruntime-web on the training and, once revealed, the test data, next to the float model's own score.
 *
 * The score worker runs this in browsers; Node tests run it with an injected `onnxruntime-web` module. A file the
 * contract would reject throws ModelFormatError / OnnxImportError / FloatModelError with a sentence for people.
 */
import { decodePoints } from "../danku/encoding";
import { anyModelMacs, denseWidths, describeAnyModel, floatAnyAccuracy, modelKind } from "../danku/anyModel";
import type { ImageShape } from "../danku/cnn/model";
import { importModelFile, detectModelFormat } from "../danku/modelImport";
import type { ExactGraphVariant } from "../danku/onnxExport";
import { modelToCommit } from "../danku/submission";
import { labelledRowsFromPointBytes } from "./input";
import { createScorer, type OrtLoader, type OrtModule, type PreferredBackend } from "./scorer";
import type { GpuLike } from "./webgpu";
import type { DatasetScore, PreviewPhase, PreviewResult } from "../workers/scoreProtocol";

export interface PreviewInput {
  readonly fileBytes: Uint8Array;
  readonly fileName: string;
  readonly featureCount: number;
  readonly classCount: number;
  /** The competition's image shape (metadata.dataset.imageShape); a CNN is only accepted when it reads exactly this. */
  readonly imageShape?: ImageShape;
  readonly trainingPoints: Uint8Array;
  readonly testPoints?: Uint8Array;
  readonly preferredBackend?: PreferredBackend;
}

export interface PreviewOptions {
  readonly ort?: OrtModule;
  readonly loadOrt?: OrtLoader;
  readonly gpu?: GpuLike | null;
  readonly onProgress?: (phase: PreviewPhase, done: number, total: number) => void;
  readonly signal?: AbortSignal;
  /** Milliseconds clock (performance.now in browsers). */
  readonly now?: () => number;
  /** The graph on the WASM backend (lib/ort/scorer.ts); default "integer". */
  readonly wasmVariant?: ExactGraphVariant;
}

export async function previewModel(input: PreviewInput, options: PreviewOptions = {}): Promise<PreviewResult> {
  const progress = options.onProgress;
  const competition = { featureCount: input.featureCount, classCount: input.classCount, imageShape: input.imageShape };
  const pointSize = input.featureCount + 1;
  if (input.trainingPoints.length === 0) {
    throw new RangeError("the training data is not revealed yet, so the model cannot be quantized or scored; come back once the organizer revealed it");
  }
  if (input.trainingPoints.length % pointSize !== 0 || (input.testPoints && input.testPoints.length % pointSize !== 0)) {
    throw new RangeError(`the revealed data is not a whole number of ${pointSize}-byte points`);
  }

  progress?.("import", 0, 1);
  const format = detectModelFormat(input.fileBytes, input.fileName);
  const floatModel = importModelFile(input.fileBytes, input.fileName);
  progress?.("import", 1, 1);

  progress?.("quantize", 0, 1);
  const training = decodePoints(input.trainingPoints, input.featureCount);
  // The training rows calibrate the quantization for both scores below: the bytes are the ones commit submits.
  const committed = modelToCommit(floatModel, training, competition);
  const { model, report } = committed;
  progress?.("quantize", 1, 1);
  options.signal?.throwIfAborted();

  const scorer = await createScorer({
    model,
    preferredBackend: input.preferredBackend ?? "auto",
    ...(options.ort ? { ort: options.ort } : {}),
    ...(options.loadOrt ? { loadOrt: options.loadOrt } : {}),
    ...(options.gpu !== undefined ? { gpu: options.gpu } : {}),
    ...(options.wasmVariant ? { wasmVariant: options.wasmVariant } : {}),
  });
  const now = options.now ?? (() => performance.now());
  const started = now();
  try {
    const score = async (bytes: Uint8Array, phase: PreviewPhase, floatScore: { correct: number; total: number }): Promise<DatasetScore> => {
      const rows = labelledRowsFromPointBytes(bytes, input.featureCount);
      const result = await scorer.score(rows, (done, total) => progress?.(phase, done, total), options.signal);
      const { backend: _backend, ...quantized } = result;
      return { quantized, float: floatScore };
    };
    const trainingScore = await score(input.trainingPoints, "training", report.float);
    let testScore: DatasetScore | undefined;
    if (input.testPoints && input.testPoints.length > 0) {
      const test = decodePoints(input.testPoints, input.featureCount);
      testScore = await score(input.testPoints, "test", floatAnyAccuracy(floatModel, test));
    }
    return {
      format,
      kind: modelKind(model),
      network: describeAnyModel(model),
      ...(denseWidths(model) ? { widths: denseWidths(model) } : {}),
      macs: anyModelMacs(model),
      modelBytes: committed.bytes,
      report,
      backend: scorer.backend,
      variant: scorer.variant,
      notes: [...scorer.fallbackNotes],
      training: trainingScore,
      ...(testScore ? { test: testScore } : {}),
      scoringMs: now() - started,
    };
  } finally {
    await scorer.release();
  }
}

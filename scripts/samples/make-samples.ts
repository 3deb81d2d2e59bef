/**
 * Writes the sample to try the CLI with (samples/): a small synthetic dataset and a float model trained on it.
 *
 *   npx ts-node --transpile-only scripts/samples/make-samples.ts      # rewrites samples/ byte for byte
 *
 * Everything is deterministic: the data comes from a seeded PRNG and plain arithmetic only (no Math.random, no
 * transcendental functions), and the model is lib/danku/train.ts's baseline MLP with a fixed seed, its weights
 * rounded to 6 significant digits. test/lib/samples.test.ts checks that this reproduces the committed files.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseCsvDataset } from "../../lib/danku/dataset";
import type { FloatModel } from "../../lib/danku/floatModel";
import { seededUniform, trainBaselineMlp } from "../../lib/danku/train";

export const SAMPLE_DIR = path.resolve(__dirname, "..", "..", "samples");
export const SAMPLE_CSV = "seeds.csv";
export const SAMPLE_MODEL = "seeds-model.json";
export const SAMPLE_LABEL = "variety";

const SEED = 12;
const ROWS_PER_CLASS = 100;

/** Three varieties of a made-up seed, measured three ways: mean and spread per feature (length mm, width mm, mass mg). */
const VARIETIES: { name: string; mean: [number, number, number]; spread: [number, number, number] }[] = [
  { name: "amber", mean: [5.2, 3.1, 42], spread: [0.35, 0.3, 5] },
  { name: "basalt", mean: [6.3, 2.7, 55], spread: [0.4, 0.25, 6] },
  { name: "coral", mean: [5.6, 3.6, 64], spread: [0.4, 0.3, 6] },
];
const FEATURES = ["length_mm", "width_mm", "mass_mg"];

/** The CSV text: a header, then 300 rows in a shuffled order. */
export function sampleCsv(): string {
  const rand = seededUniform(SEED);
  // Irwin–Hall: the sum of four uniforms, centred and scaled to unit variance, is close enough to a normal here.
  const normal = () => (rand() + rand() + rand() + rand() - 2) * Math.sqrt(3);
  const rows: string[] = [];
  for (const variety of VARIETIES) {
    for (let i = 0; i < ROWS_PER_CLASS; i++) {
      const values = variety.mean.map((m, f) => m + normal() * (variety.spread[f] as number));
      rows.push([values[0]!.toFixed(2), values[1]!.toFixed(2), values[2]!.toFixed(1), variety.name].join(","));
    }
  }
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  return `${[...FEATURES, SAMPLE_LABEL].join(",")}\n${rows.join("\n")}\n`;
}

function round(x: number): number {
  // 6 significant digits: a readable file that does not hang on the last bit of a float.
  const r = Number(x.toPrecision(6));
  return r === 0 ? 0 : r;
}

/** The float model JSON (docs/protocol.md §4.2) trained on the parsed CSV: 3-8-3, ReLU, reading byte features. */
export function sampleModel(csv: string): FloatModel {
  const dataset = parseCsvDataset(csv, { labelColumn: SAMPLE_LABEL });
  const model = trainBaselineMlp(dataset.points, { hidden: 8, classes: dataset.classNames.length, epochs: 60, seed: SEED, rate: 0.05 });
  return { layers: model.layers.map((layer) => ({ weights: layer.weights.map((row) => row.map(round)), biases: layer.biases.map(round) })) };
}

/** Both files, as the exact text written to samples/. */
export function buildSamples(): { csv: string; model: string } {
  const csv = sampleCsv();
  const model = sampleModel(csv);
  const lines = model.layers.map((layer) => `    ${JSON.stringify(layer)}`);
  return { csv, model: `{\n  "layers": [\n${lines.join(",\n")}\n  ]\n}\n` };
}

if (require.main === module) {
  const { csv, model } = buildSamples();
  mkdirSync(SAMPLE_DIR, { recursive: true });
  writeFileSync(path.join(SAMPLE_DIR, SAMPLE_CSV), csv);
  writeFileSync(path.join(SAMPLE_DIR, SAMPLE_MODEL), model);
  process.stdout.write(`wrote ${path.join(SAMPLE_DIR, SAMPLE_CSV)} and ${path.join(SAMPLE_DIR, SAMPLE_MODEL)}\n`);
}

import { writeFileSync } from "node:fs";
import { readRevealedPoints, readSubmission, readCompetition } from "../lib/chain/danku";
import { trainBaselineMlp } from "../lib/danku/train";
import type { FloatModel } from "../lib/danku/floatModel";
import { MAX_MODEL_FILE_BYTES } from "../lib/danku/modelImport";
import { onnxWithUnsupportedOperator, torchStyleOnnx } from "../test/support/torchOnnx";
import { connectWallet, expect, test } from "./fixtures";
import { commitPreviewedModel, expectedScore, previewModelFile, submitPanel } from "./submitter-helpers";

const SHAPE = { featureCount: 2, classCount: 2 };
const json = (model: FloatModel) => Buffer.from(JSON.stringify(model));

test.describe("as a data scientist (account 1)", () => {
  test.use({ walletAccount: 1 });

  test("with no test reveal, the model is evaluated on the training data: the previewed score is the on-chain score", async ({ page, chain, wallet }) => {
    const created = await chain.createCompetition({ title: "Nobody reveals", stage: "Submission" });
    const training = await readRevealedPoints(chain.client, created.address, true, SHAPE.featureCount);
    const model = trainBaselineMlp(training, { hidden: 4, classes: 2, epochs: 20, seed: 5, rate: 0.05 });
    const expected = expectedScore(model, training, training, SHAPE);

    await page.goto(`/competitions/${created.address}`);
    await expect(page.getByRole("heading", { level: 1, name: "Nobody reveals" })).toBeVisible();
    await connectWallet(page);
    const panel = submitPanel(page);
    await previewModelFile(page, { name: "model.json", buffer: json(model) });
    await expect(panel.getByTestId("training-onchain-score")).toContainText(`${expected.correct} / ${expected.total}`);
    await expect(panel.getByTestId("preview-backend")).toHaveText("ONNX Runtime Web on WASM");
    await expect(panel.getByTestId("preview-notes")).toContainText(/WASM/);
    await expect(panel.getByTestId("confusion-matrix")).toBeVisible();
    await expect(panel.getByTestId("per-class-accuracy")).toBeVisible();
    await expect(panel.getByTestId("preview-gas")).toContainText(/gas in 1 transaction/);

    await commitPreviewedModel(page);
    const mine = panel.getByTestId("my-submission");
    await expect(mine).toContainText("Submission #0");
    await expect(mine.getByTestId("next-step")).toContainText("Reveal it after the submission period");

    let state = await readCompetition(chain.client, created.address);
    await chain.mineTo(state.deadlines.submissionEnd);
    await mine.getByRole("button", { name: "Reveal model #0" }).click();
    await expect(panel.getByTestId("transaction-status")).toContainText(/Reveal model #0: confirmed/);
    expect((await readSubmission(chain.client, created.address, 0)).revealed).toBe(true);

    // The organizer lets the test-reveal period lapse: evaluation falls back to the training data (paper §4.3).
    state = await readCompetition(chain.client, created.address);
    await chain.mineTo(state.deadlines.testRevealEnd);
    await expect(mine.getByTestId("next-step")).toContainText("Evaluate #0");
    await mine.getByRole("button", { name: "Evaluate #0" }).click();
    await expect(mine.getByText(/done · [\d.]+ % correct/)).toBeVisible({ timeout: 60_000 });

    const scored = await readSubmission(chain.client, created.address, 0);
    state = await readCompetition(chain.client, created.address);
    expect(state.usesTestData).toBe(false);
    expect(scored.evaluated).toBe(true);
    expect({ correct: scored.correct, total: state.trainingPoints }).toEqual(expected);
    expect(wallet.sentTransactions).toHaveLength(3);
  });

  test("every bad model file is refused with a reason, and nothing is sent", async ({ page, chain, wallet }, testInfo) => {
    const created = await chain.createCompetition({ title: "Strict about models", stage: "Submission" });
    const training = await readRevealedPoints(chain.client, created.address, true, SHAPE.featureCount);
    const good = trainBaselineMlp(training, { hidden: 4, classes: 2, epochs: 5, seed: 1, rate: 0.05 });
    const threeInputs = trainBaselineMlp(
      training.map((p) => ({ features: [...Array.from(p.features), 0], label: p.label })),
      { hidden: 4, classes: 2, epochs: 1, seed: 1, rate: 0.05 },
    );
    const nanWeights: FloatModel = { layers: good.layers.map((l, i) => (i === 0 ? { ...l, weights: [[Number.NaN, ...l.weights[0]!.slice(1)], ...l.weights.slice(1)] } : l)) };
    // Playwright passes buffers up to 50 MB only; the oversized file goes through disk.
    const huge = testInfo.outputPath("huge.onnx");
    writeFileSync(huge, Buffer.alloc(MAX_MODEL_FILE_BYTES + 1, 1));
    const cases: { name: string; buffer?: Buffer; path?: string; reason: RegExp }[] = [
      { name: "sigmoid.onnx", buffer: Buffer.from(onnxWithUnsupportedOperator(good)), reason: /unsupported operator Sigmoid/ },
      { name: "three-inputs.json", buffer: json(threeInputs), reason: /takes 3 inputs but the competition's data has 2 features/ },
      { name: "nan.onnx", buffer: Buffer.from(torchStyleOnnx(nanWeights)), reason: /contains NaN/ },
      { name: "huge.onnx", path: huge, reason: /model files are limited to 64 MiB/ },
      { name: "notes.onnx", buffer: Buffer.from("these are my notes, not a model"), reason: /^.*not an ONNX model/ },
    ];
    const startBlock = await chain.client.getBlockNumber({ cacheTime: 0 });

    await page.goto(`/competitions/${created.address}`);
    await expect(page.getByRole("heading", { level: 1, name: "Strict about models" })).toBeVisible();
    await connectWallet(page);
    const panel = submitPanel(page);
    for (const bad of cases) {
      await panel.getByLabel("Model file").setInputFiles(bad.path ?? { name: bad.name, mimeType: "application/octet-stream", buffer: bad.buffer ?? Buffer.alloc(0) });
      const error = panel.getByTestId("model-error");
      await expect(error, bad.name).toContainText(`${bad.name} cannot be used`, { timeout: 90_000 });
      await expect(error, bad.name).toContainText(bad.reason);
      await expect(panel.getByTestId("preview-result")).toHaveCount(0);
      await expect(panel.getByTestId("prepare-submission")).toHaveCount(0);
    }
    expect(wallet.sentTransactions).toEqual([]);
    expect(await chain.client.getBlockNumber({ cacheTime: 0 })).toBe(startBlock);
  });
});

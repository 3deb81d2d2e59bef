/**
 * The trust fidelity test of the submitters' issue, in a real browser: for 200 random networks and datasets,
 * ONNX Runtime Web in Chromium (WASM, and WebGPU on the float-exact graph — headless Chromium's SwiftShader
 * adapter, enabled for this file), the lib/danku reference and the on-chain evaluator on the local chain agree,
 * point by point. The random cases are fast-check's (test/ort/support.ts), seeded, covering the fixed-point extremes.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { toHex, type Abi, type Address, type Hex } from "viem";
import { encodeModel, encodePoints, type DataPoint, type QuantizedModel } from "../lib/danku/encoding";
import { predict } from "../lib/danku/forward";
import { isFloatExact } from "../lib/danku/onnxExport";
import { modelArb, pointsArb, SEED } from "../test/ort/support";
import { readRevealedPoints } from "../lib/chain/danku";
import { trainBaselineMlp } from "../lib/danku/train";
import { chromiumWithWebGpu, e2eSettings } from "./fixtures/settings";
import { expectedScore, previewModelFile, submitPanel } from "./submitter-helpers";
import { expect, test } from "./fixtures";

test.use({ launchOptions: chromiumWithWebGpu });

const CASES = 200;

function harnessArtifact(): { abi: Abi; bytecode: Hex } {
  const file = path.join(e2eSettings.root, ".cache", "artifacts", "contracts", "testing", "EvaluatorHarness.sol", "EvaluatorHarness.json");
  return JSON.parse(readFileSync(file, "utf8")) as { abi: Abi; bytecode: Hex };
}

test("200 random networks: ORT-web in Chromium, the reference and the on-chain evaluator agree point by point", async ({ page, chain }) => {
  test.setTimeout(600_000);
  const { abi, bytecode } = harnessArtifact();
  const deployer = chain.wallet(5);
  const deployHash = await deployer.deployContract({ abi, bytecode, account: deployer.account, chain: deployer.chain });
  const address = (await chain.client.waitForTransactionReceipt({ hash: deployHash })).contractAddress as Address;

  const cases = fc.sample(
    fc
      .record({ featureCount: fc.integer({ min: 1, max: 32 }), classCount: fc.integer({ min: 2, max: 12 }), floatFriendly: fc.boolean() })
      .chain(({ featureCount, classCount, floatFriendly }) =>
        fc.record({ model: modelArb(featureCount, classCount, floatFriendly, 16), points: pointsArb(featureCount, classCount, 20, 30) }),
      ),
    { seed: SEED, numRuns: CASES },
  ) as { model: QuantizedModel; points: DataPoint[] }[];

  await page.goto("/lab");
  await expect(page.getByTestId("webgpu-probe")).toHaveAttribute("data-ready", "true", { timeout: 120_000 });
  const probe = await page.evaluate(() => window.modelbountyLab?.probe());
  expect(probe?.available, "Chromium with --enable-unsafe-webgpu offers an adapter").toBe(true);

  let onWebGpu = 0;
  for (const [i, { model, points }] of cases.entries()) {
    const featureCount = model.widths[0] as number;
    const classCount = model.widths[model.widths.length - 1] as number;
    const what = `case ${i} (widths ${model.widths.join("-")})`;
    const reference = points.map((p) => predict(model, p.features));
    const rows = points.flatMap((p) => Array.from(p.features));

    const wasm = await page.evaluate(({ m, r }) => window.modelbountyLab?.predict(m, r, "wasm"), { m: model, r: rows });
    expect(wasm?.backend, what).toBe("ort-wasm");
    expect(wasm?.predictions, `${what}: ORT WASM vs reference`).toEqual(reference);
    if (isFloatExact(model).exact) {
      const gpu = await page.evaluate(({ m, r }) => window.modelbountyLab?.predict(m, r, "webgpu"), { m: model, r: rows });
      expect(gpu?.backend, `${what}: ${gpu?.notes.join("; ")}`).toBe("ort-webgpu");
      expect(gpu?.predictions, `${what}: ORT WebGPU vs reference`).toEqual(reference);
      onWebGpu++;
    }

    // On chain: the model stored as the competition stores it; the evaluator counts a point correct exactly when it
    // predicts the point's label, so labelling every point with ORT's prediction must score every point.
    const modelHex = toHex(encodeModel(model));
    const store = { address, abi, functionName: "store", args: [modelHex], account: deployer.account } as const;
    const chunks = (await chain.client.simulateContract(store)).result as Address[];
    await chain.client.waitForTransactionReceipt({ hash: await deployer.writeContract({ ...store, chain: deployer.chain }) });
    const chainCorrect = async (labelled: readonly DataPoint[]) => {
      const points = toHex(encodePoints(labelled, featureCount, classCount));
      const [correct] = (await chain.client.readContract({ address, abi, functionName: "evaluate", args: [chunks, points, BigInt(featureCount)] })) as readonly bigint[];
      return Number(correct);
    };
    const referenceCorrect = points.filter((p, k) => reference[k] === p.label).length;
    expect(await chainCorrect(points), `${what}: chain vs reference`).toBe(referenceCorrect);
    expect(await chainCorrect(points.map((p, k) => ({ features: p.features, label: wasm?.predictions[k] ?? -1 }))), `${what}: chain vs ORT per point`).toBe(points.length);
  }
  console.log(`scoring agreement: ${CASES} networks in Chromium (WASM), ${onWebGpu} also on WebGPU, all equal to the reference and the chain`);
  expect(onWebGpu).toBeGreaterThanOrEqual(40);
});

test("on a browser with a WebGPU adapter, a submitter can preview on WebGPU and gets the same score", async ({ page, chain }) => {
  const created = await chain.createCompetition({ title: "On the GPU", stage: "Submission" });
  const training = await readRevealedPoints(chain.client, created.address, true, 2);
  const model = trainBaselineMlp(training, { hidden: 4, classes: 2, epochs: 20, seed: 9, rate: 0.05 });
  const expected = expectedScore(model, training, training, { featureCount: 2, classCount: 2 });
  await page.goto(`/competitions/${created.address}`);
  const panel = submitPanel(page);
  await panel.getByLabel("Scoring backend").selectOption("webgpu");
  await previewModelFile(page, { name: "model.json", buffer: Buffer.from(JSON.stringify(model)) });
  await expect(panel.getByTestId("preview-backend")).toHaveText("ONNX Runtime Web on WebGPU");
  await expect(panel.getByTestId("preview-notes")).toContainText(/WebGPU .* runs the float-exact graph/);
  await expect(panel.getByTestId("training-onchain-score")).toContainText(`${expected.correct} / ${expected.total}`);
  // Automatic choice: a software adapter (SwiftShader) is slower than WASM, so the preview says so and uses WASM.
  await panel.getByLabel("Scoring backend").selectOption("auto");
  await expect(panel.getByTestId("preview-notes")).toContainText(/software fallback .* running on WASM/, { timeout: 60_000 });
  await expect(panel.getByTestId("training-onchain-score")).toContainText(`${expected.correct} / ${expected.total}`);
});

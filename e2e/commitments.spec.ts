/**
 * The hardened commitments (issue 9) where people read them: the wizard states the committed group sizes, the
 * evaluation period's worst-case minimum and the odds of one group's placement over repeated draws; the competition
 * page shows the committed sizes, the split's seed block and the risk no contract removes, with the organizer's record.
 */
import { writeFileSync } from "node:fs";
import { minimumEvaluationPeriod, WORST_CASE_POINTS_PER_EVALUATION_TX } from "../lib/danku/groups";
import { dankuCompetitionAbi } from "../lib/generated/abis";
import { formatNumber } from "../lib/web/format";
import { expect, test } from "./fixtures";
import { shot, syntheticCsv, wizard } from "./organizer-helpers";

test("the wizard shows the group sizes, the minimum evaluation period and the one-group odds", async ({ page }, testInfo) => {
  const csv = testInfo.outputPath("sizes.csv");
  writeFileSync(csv, syntheticCsv(500, 4));
  await page.goto("/competitions/new");
  await page.locator('input[type="file"]').setInputFiles(csv);
  await expect(page.getByTestId("dataset-summary")).toBeVisible();
  await page.getByRole("button", { name: "Continue to settings" }).click();
  await expect(wizard(page)).toHaveAttribute("data-step", "settings");

  await page.getByLabel("Title").fill("Committed sizes");
  await page.getByRole("radio", { name: "By number of groups" }).check();
  await page.getByRole("textbox", { name: "Number of groups" }).fill("20");
  // 500 points in 20 groups of 25; 80 % training → 16 training groups, 4 test groups of 25 = 100 test points.
  await expect(page.getByTestId("group-sizes")).toContainText("25 points per group, 500 in total; test points expected 100");
  // The local chain defaults to a 2-block split delay (it mines only on transactions).
  await expect(page.getByRole("textbox", { name: "Split delay" })).toHaveValue("2");

  // 500 points need 2 × ⌈500 / worst-case points per transaction⌉ blocks of evaluation (the contract's rule).
  const transactions = Math.ceil(500 / WORST_CASE_POINTS_PER_EVALUATION_TX);
  const minimum = minimumEvaluationPeriod(500);
  const evaluation = page.getByRole("textbox", { name: "Evaluation period" });
  await expect(page.getByTestId("evaluation-fit")).toContainText(`at least ${minimum} blocks for 500 points`);
  await expect(page.getByTestId("evaluation-fit")).toContainText(
    `Worst-case evaluation: ${transactions} transactions of 15 M gas for any allowed model; your period holds ${Math.floor(7200 / transactions)}×`,
  );
  await evaluation.fill(String(minimum - 1));
  await expect(page.getByText(`At least ${minimum} blocks for 500 points: the contract refuses a period too short for a worst-case evaluation`)).toBeVisible();
  await expect(page.getByRole("button", { name: "Continue to secrets" })).toBeDisabled();
  await page.getByRole("button", { name: `Use the minimum: ${minimum} blocks` }).click();
  await expect(evaluation).toHaveValue(String(minimum));
  await expect(page.getByRole("button", { name: "Continue to secrets" })).toBeEnabled();

  // The odds of the attack that matters: one group's placement, 16/20 = 80 % per draw, 96 % over two.
  const odds = page.getByTestId("one-group-odds");
  await expect(odds).toContainText("one chosen group is training with 80 % (1 in 1.3) per draw");
  await expect(odds).toContainText("burns the reward");
  const rows = page.getByTestId("one-group-odds-table").locator("tbody tr");
  await expect(rows.nth(1)).toContainText("96 %");
  await expect(page.getByTestId("commitment-warning")).toContainText("burns your reward");
  await expect(page.getByTestId("commitment-warning")).toContainText("shares your reward equally among all revealed submissions and refunds the donors");

  await shot(page, testInfo, "settings-1366");
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByTestId("one-group-odds")).toBeVisible();
  await shot(page, testInfo, "settings-390");
});

test("the competition page shows the committed sizes, the seed block and the risk notice with the organizer's history", async ({ page, chain }, testInfo) => {
  const created = await chain.createCompetition({ title: "Sizes on the page", reward: "1" });
  await page.goto(`/competitions/${created.address}`);
  await expect(page.getByRole("heading", { level: 1, name: "Sizes on the page" })).toBeVisible();

  // 40 points in 8 groups of 5, half of them training: 20 test points committed at the split.
  const commitments = page.getByTestId("commitments");
  await expect(commitments.getByTestId("committed-group-sizes")).toHaveText("5 points each");
  await expect(commitments.getByTestId("committed-total-points")).toHaveText("40");
  await expect(commitments.getByTestId("committed-test-points")).toHaveText("20");
  const seedBlock = await chain.client.readContract({ address: created.address, abi: dankuCompetitionAbi, functionName: "splitSeedBlock" });
  await expect(commitments.getByTestId("split-seed-block")).toHaveText(`#${formatNumber(seedBlock)}`);
  await expect(commitments).toContainText(`the period holds 100,000 blocks, worst case needs ${minimumEvaluationPeriod(40)} blocks`);

  const risk = page.getByTestId("risk-notice");
  await expect(risk).toContainText("measured 60 / 60 against an honest model's 56 / 60");
  await expect(risk).toContainText("No contract can tell that address apart");
  await expect(page.getByTestId("organizer-history")).toContainText(/\d+ created \(this one included\), 0 cancelled, 0 forfeited, 0 finalized with a winner/);
  await expect(page.getByTestId("donate-risk")).toContainText("60 / 60");

  await shot(page, testInfo, "competition-1366");
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByTestId("risk-notice")).toBeVisible();
  await shot(page, testInfo, "competition-390");
});

/**
 * The competition page on a phone (390 × 844, issue 12 §5): in every stage a competition can be in, nothing is wider
 * than the screen and the page never scrolls sideways (tables, cards, hashes and addresses wrap or stack inside their
 * own box); the preview's confusion matrix is a readable table (labels beside the cells, not over them, no empty band
 * above it, text of at least 12 px); the organizer wizard's odds tables fit; and the title and description are in the
 * server's HTML, not a placeholder until the browser has fetched the metadata from IPFS.
 */
import { writeFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import type { Address } from "viem";
import { readCompetition, readRevealedPoints, STAGES, type StageName } from "../lib/chain/danku";
import { sendContractTransaction } from "../lib/chain/transactions";
import { evaluateConfusion } from "../lib/danku/confusion";
import { parseCompetitionMetadata } from "../lib/danku/metadata";
import { prepareSubmissionModel } from "../lib/danku/modelImport";
import { trainBaselineMlp } from "../lib/danku/train";
import { dankuCompetitionAbi } from "../lib/generated/abis";
import { STAGE_TITLES } from "../lib/web/stages";
import { connectWallet, expect, test } from "./fixtures";
import type { ChainFixture, SeedStage } from "./fixtures/chain";
import { NetworkGuard } from "./fixtures/network";
import { TestWallet } from "./fixtures/wallet";
import { shot, syntheticCsv, wizard } from "./organizer-helpers";
import { previewModelFile, submitPanel } from "./submitter-helpers";

const PHONE = { width: 390, height: 844 };
test.use({ viewport: PHONE });

interface Overflow {
  scrollWidth: number;
  viewport: number;
  /** Elements inside <main> wider than the viewport or reaching past its edges (tag, classes, box). */
  offenders: string[];
}

/**
 * What sticks out sideways: the document's scroll width, and every element in <main> not within [0, viewport] — but
 * for text only screen readers get (inside a 1 × 1 px box that clips its content, Tailwind's `sr-only`).
 */
async function sidewaysOverflow(page: Page): Promise<Overflow> {
  return page.evaluate(() => {
    const viewport = window.innerWidth;
    const offenders: string[] = [];
    const screenReaderOnly = (element: Element): boolean => {
      for (let e: Element | null = element; e && e.tagName !== "MAIN"; e = e.parentElement) {
        const box = e.getBoundingClientRect();
        if (box.width <= 1 && box.height <= 1 && getComputedStyle(e).overflow !== "visible") return true;
      }
      return false;
    };
    for (const element of document.querySelectorAll("main *")) {
      const box = element.getBoundingClientRect();
      if ((box.width === 0 && box.height === 0) || screenReaderOnly(element)) continue;
      if (box.width > viewport + 0.5 || box.left < -0.5 || box.right > viewport + 0.5) {
        const name = `${element.tagName.toLowerCase()}${element.getAttribute("data-testid") ? `[data-testid=${element.getAttribute("data-testid")}]` : ""}`;
        offenders.push(`${name} "${(element.textContent ?? "").trim().slice(0, 40)}" ${Math.round(box.left)}…${Math.round(box.right)} (${Math.round(box.width)} px)`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, viewport, offenders: offenders.slice(0, 12) };
  });
}

async function expectNothingSideways(page: Page, where: string): Promise<void> {
  const overflow = await sidewaysOverflow(page);
  expect(overflow.viewport, "viewport width").toBe(PHONE.width);
  expect(overflow.offenders, `${where}: elements wider than the screen or past its edge`).toEqual([]);
  expect(overflow.scrollWidth, `${where}: the page scrolls sideways`).toBeLessThanOrEqual(PHONE.width);
}

/** The page with everything it loads after the chain state: leaderboard, committed sizes, the organizer's record, donors. */
async function openLoaded(page: Page, address: Address, title: string, stage: StageName, { navigate = true } = {}): Promise<void> {
  if (navigate) await page.goto(`/competitions/${address}`);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("main").locator("header").getByText(STAGE_TITLES[stage], { exact: true })).toBeVisible();
  await expect(page.getByTestId("committed-group-sizes")).toBeVisible();
  await expect(page.getByTestId("organizer-history")).not.toContainText("reading…");
  await expect(page.getByTestId("leaderboard").or(page.getByText("No submissions yet."))).toBeVisible();
}

/**
 * The pages to check: every stage, and the two outcome notices (a reward forfeited by a cancel after the seed block,
 * the test data withheld). Each is made from one of the fixture's stages and at most one more transaction or a few blocks.
 */
const CASES: { name: string; stage: StageName; seed: SeedStage; then?: (chain: ChainFixture, address: Address) => Promise<void>; notice?: string }[] = [
  { name: "AwaitingSplit", stage: "AwaitingSplit", seed: "AwaitingSplit" },
  { name: "TrainingReveal", stage: "TrainingReveal", seed: "TrainingReveal" },
  { name: "Submission", stage: "Submission", seed: "Submission" },
  { name: "ModelReveal", stage: "ModelReveal", seed: "ModelReveal" },
  { name: "TestReveal", stage: "TestReveal", seed: "TestReveal" },
  { name: "Evaluation", stage: "Evaluation", seed: "Evaluation" },
  { name: "AwaitingFinalization", stage: "AwaitingFinalization", seed: "AwaitingFinalization" },
  {
    name: "Finalized",
    stage: "Finalized",
    seed: "AwaitingFinalization",
    then: (chain, address) => send(chain, 2, address, "finalize"),
  },
  { name: "Cancelled", stage: "Cancelled", seed: "AwaitingSplit", then: (chain, address) => send(chain, 0, address, "cancel") },
  {
    name: "Cancelled, reward forfeited",
    stage: "Cancelled",
    seed: "TrainingReveal",
    then: (chain, address) => send(chain, 0, address, "cancel"),
    notice: "reward-forfeited",
  },
  {
    name: "SetupExpired",
    stage: "SetupExpired",
    seed: "AwaitingSplit",
    then: async (chain, address) => chain.mineTo((await readCompetition(chain.client, address)).deadlines.init2Deadline + 1n),
  },
  {
    name: "Evaluation, test data withheld",
    stage: "Evaluation",
    seed: "TestReveal",
    then: async (chain, address) => chain.mineTo((await readCompetition(chain.client, address)).deadlines.testRevealEnd),
    notice: "test-withheld",
  },
];

async function send(chain: ChainFixture, account: number, address: Address, functionName: "finalize" | "cancel"): Promise<void> {
  await sendContractTransaction(chain.wallet(account), chain.client, { address, abi: dankuCompetitionAbi, functionName, args: [] });
}

async function competitionFor(chain: ChainFixture, check: (typeof CASES)[number], title: string): Promise<Address> {
  const { address } = await chain.createCompetition({
    title,
    stage: check.seed,
    // A long description of unbroken text and a long token must wrap, not widen the page.
    description: `A phone-sized check of every card. 0x${"8d".repeat(32)} ${"word ".repeat(40)}`,
  });
  await check.then?.(chain, address);
  expect((await readCompetition(chain.client, address)).stage).toBe(check.stage);
  return address;
}

test("in every stage, and with either outcome notice, the competition page fits a 390 px phone: no card, table or hash wider than the screen, no sideways scroll", async ({ browser, page, chain }, testInfo) => {
  test.setTimeout(600_000);
  // The organizer (account 0) in a browser of its own, connected once: it also sees the reveal and cancel panels.
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, viewport: PHONE });
  const guard = new NetworkGuard(context);
  const organizer = await context.newPage();
  await new TestWallet(chain.chain, chain.rpcUrl, 0).install(organizer);
  let connected = false;
  try {
    // Each competition is checked right after it is made: the short stages (the split window, the reveal periods) pass as blocks are mined.
    expect(new Set(CASES.map((c) => c.stage)), "every stage is checked").toEqual(new Set(STAGES));
    for (const check of CASES) {
      const { name, stage } = check;
      const title = `Phone check: ${name}`;
      const address = await competitionFor(chain, check, title);
      await openLoaded(page, address, title, stage);
      if (check.notice) await expect(page.getByTestId(check.notice)).toBeVisible();
      await expectNothingSideways(page, `${name}, not connected`);
      if (stage === "AwaitingFinalization") await shot(page, testInfo, "competition-390-awaiting-finalization");
      await organizer.goto(`/competitions/${address}`);
      if (!connected) {
        await expect(organizer.getByRole("heading", { level: 1, name: title })).toBeVisible({ timeout: 60_000 });
        await connectWallet(organizer);
        connected = true;
      }
      await openLoaded(organizer, address, title, stage, { navigate: false });
      await expectNothingSideways(organizer, `${name}, as the organizer`);
    }
  } finally {
    await context.close();
  }
  expect(guard.external, "requests that left this machine").toEqual([]);
});

/** The font size a text element is drawn at: its computed size, times the scale of an SVG it is drawn in. */
async function renderedFontSizes(page: Page, selector: string): Promise<{ text: string; px: number }[]> {
  return page.locator(selector).evaluateAll((elements) =>
    elements
      .filter((e) => (e.textContent ?? "").trim() !== "" && e.getClientRects().length > 0 && ![...e.children].some((c) => (c.textContent ?? "").trim() !== ""))
      .map((e) => {
        const size = parseFloat(getComputedStyle(e).fontSize);
        const scale = e instanceof SVGGraphicsElement ? (e.getScreenCTM()?.a ?? 1) : 1;
        return { text: (e.textContent ?? "").trim(), px: Math.round(size * scale * 10) / 10 };
      }),
  );
}

function intersects(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): boolean {
  const dx = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const dy = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return dx > 0.5 && dy > 0.5;
}

test("the preview's confusion matrix at 390 px is a table: labels beside the cells, no empty band, text of 12 px or more, the numbers the model scores", async ({ page, request, chain }, testInfo) => {
  const { address, metadataCid } = await chain.createCompetition({ title: "Readable matrix", stage: "Submission" });
  const { classNames } = parseCompetitionMetadata(await (await request.get(`/ipfs/${metadataCid}`)).text()).dataset;
  const state = await readCompetition(chain.client, address);
  const training = await readRevealedPoints(chain.client, address, true, state.config.featureCount);
  const float = trainBaselineMlp(training, { hidden: 4, classes: 2, epochs: 20, seed: 3, rate: 0.05 });
  const shape = { featureCount: state.config.featureCount, classCount: state.config.classCount };
  const { model } = prepareSubmissionModel(float, training, shape);
  const expected = evaluateConfusion(model, training).confusion;

  await page.goto(`/competitions/${address}`);
  await expect(page.getByRole("heading", { level: 1, name: "Readable matrix" })).toBeVisible({ timeout: 60_000 });
  await previewModelFile(page, { name: "model.json", buffer: Buffer.from(JSON.stringify(float)) });
  const figure = submitPanel(page).getByTestId("confusion-matrix");
  await figure.scrollIntoViewIfNeeded();

  // An accessible table on screen (not only in a collapsed <details>): class names as row and column headers.
  const table = figure.getByRole("table", { name: /confusion matrix/i });
  await expect(table).toBeVisible();
  expect(classNames).toHaveLength(2);
  const columnHeaders = table.getByRole("columnheader").filter({ hasText: new RegExp(`^(${classNames.join("|")})$`) });
  const rowHeaders = table.getByRole("rowheader");
  await expect(columnHeaders).toHaveText(classNames);
  await expect(rowHeaders).toHaveText(classNames);
  // Each cell says its count; rows are the true classes, columns the predictions.
  const cells = table.getByRole("cell");
  await expect(cells).toHaveCount(4);
  await expect(cells).toHaveText(expected.flat().map((n) => new RegExp(`^${n}\\b`)));

  // Labels never overlap a cell.
  const cellBoxes = await Promise.all((await cells.all()).map((c) => c.boundingBox()));
  const labelBoxes = await Promise.all([...(await columnHeaders.all()), ...(await rowHeaders.all())].map((h) => h.boundingBox()));
  for (const label of labelBoxes) {
    expect(label).not.toBeNull();
    for (const cell of cellBoxes) expect(intersects(label!, cell!), `label ${JSON.stringify(label)} over cell ${JSON.stringify(cell)}`).toBe(false);
  }
  // No empty band above the matrix: the first row of cells starts right below the caption and the column labels.
  const top = (await figure.boundingBox())!;
  const firstCell = cellBoxes[0]!;
  expect(firstCell.y - top.y, "space between the figure's top and the first cell").toBeLessThan(100);
  expect(top.x + top.width).toBeLessThanOrEqual(PHONE.width);

  // Text in the matrix and in the per-class chart is drawn at 12 px or more.
  for (const testId of ["confusion-matrix", "per-class-accuracy"]) {
    const sizes = await renderedFontSizes(page, `[data-testid="${testId}"] *`);
    expect(sizes.length, `${testId}: text elements`).toBeGreaterThan(0);
    expect(sizes.filter((s) => s.px < 12), `${testId}: text below 12 px`).toEqual([]);
  }
  await expect(page.getByTestId("per-class-accuracy")).toContainText(classNames[0]!);
  await figure.screenshot({ path: testInfo.outputPath("confusion-matrix-390.png") });
  await expectNothingSideways(page, "submission stage with a preview");
});

test("the wizard's odds tables fit a 390 px phone", async ({ page }, testInfo) => {
  const csv = testInfo.outputPath("odds.csv");
  writeFileSync(csv, syntheticCsv(500, 4));
  await page.goto("/competitions/new");
  await page.locator('input[type="file"]').setInputFiles(csv);
  await expect(page.getByTestId("dataset-summary")).toBeVisible();
  await page.getByRole("button", { name: "Continue to settings" }).click();
  await expect(wizard(page)).toHaveAttribute("data-step", "settings");
  await page.getByLabel("Title").fill("Odds on a phone");
  await page.getByRole("radio", { name: "By number of groups" }).check();
  await page.getByRole("textbox", { name: "Number of groups" }).fill("20");
  const odds = page.getByTestId("odds-table");
  await expect(odds.locator('[aria-current="true"]')).toBeVisible();
  await expect(odds.getByRole("rowheader")).toHaveCount(5);
  await expect(odds.getByRole("columnheader", { name: "Possible training sets" })).toBeAttached();
  await expect(page.getByTestId("one-group-odds-table").getByRole("rowheader")).toHaveCount(5);
  for (const testId of ["odds-table", "one-group-odds-table"]) {
    const box = (await page.getByTestId(testId).boundingBox())!;
    expect(box.x + box.width, `${testId} right edge`).toBeLessThanOrEqual(PHONE.width);
    // Nothing in the table scrolls inside its box either.
    const scrolls = await page.getByTestId(testId).evaluate((table) => (table.parentElement as HTMLElement).scrollWidth - (table.parentElement as HTMLElement).clientWidth);
    expect(scrolls, `${testId} scrolls sideways by`).toBeLessThanOrEqual(0);
  }
  await expectNothingSideways(page, "wizard settings");
  await page.getByTestId("odds-table").screenshot({ path: testInfo.outputPath("odds-table-390.png") });
});

test("the title and description are in the server's HTML: readable with JavaScript off, no placeholder while IPFS loads", async ({ browser, request, chain }, testInfo) => {
  const title = "Server-rendered title";
  const description = "A description the server already holds, sent with the first HTML.";
  const { address } = await chain.createCompetition({ title, description });

  const response = await request.get(`/competitions/${address}`);
  expect(response.ok()).toBe(true);
  const html = await response.text();
  expect(html).toContain(title);
  expect(html).toContain(description);

  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, javaScriptEnabled: false, viewport: PHONE });
  try {
    const page = await context.newPage();
    await page.goto(`/competitions/${address}`);
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    await expect(page.getByText(description)).toBeVisible();
    await expectNothingSideways(page, "server HTML");
  } finally {
    await context.close();
  }
});

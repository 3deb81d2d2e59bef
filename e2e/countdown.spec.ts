/**
 * Countdowns move as blocks come (issue 12 §5: "on the local chain blocks only come with transactions, so countdowns
 * never move"). `npm run dev` mines on an interval (scripts/dev/mining.ts; test/lib/devMining.test.ts); the e2e web
 * server does not, so this test turns interval mining on for itself, sends no transaction, and watches the
 * competition page's "N blocks left" and the marketplace card's "in N blocks" go down; then it turns it off again
 * before the fixture reverts the chain.
 */
import { expect, test } from "./fixtures";

const blocksIn = (text: string | null): number => {
  const match = /([\d,]+) blocks?/.exec(text ?? "");
  if (!match?.[1]) throw new Error(`no block count in ${JSON.stringify(text)}`);
  return Number(match[1].replace(/,/g, ""));
};

test("with interval mining and no transaction, the stage countdowns on the competition page and the marketplace tick down", async ({ page, chain }) => {
  const created = await chain.createCompetition({ title: "Ticking countdown" });
  await page.goto(`/competitions/${created.address}`);
  const left = page.getByTestId("blocks-left");
  await expect(left).toContainText("blocks left", { timeout: 90_000 });
  const before = blocksIn(await left.textContent());

  await chain.testClient.setIntervalMining({ interval: 1 });
  try {
    await expect.poll(async () => blocksIn(await left.textContent()), { timeout: 30_000 }).toBeLessThanOrEqual(before - 2);
    // The time estimate stays next to the count.
    await expect(left).toContainText(/ · (≈ \d+|< 1 min)/);

    await page.goto("/");
    const card = page.locator(`[data-testid="competition-card"][data-address="${created.address}"]`);
    const ends = card.getByText(/^in [\d,]+ blocks?$/);
    await expect(ends).toBeVisible({ timeout: 90_000 });
    const onCard = blocksIn(await ends.textContent());
    await expect.poll(async () => blocksIn(await ends.textContent()), { timeout: 30_000 }).toBeLessThanOrEqual(onCard - 2);
  } finally {
    await chain.testClient.setIntervalMining({ interval: 0 });
  }
});

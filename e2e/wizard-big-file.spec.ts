/**
 * Big files in the organizer wizard (issue 12 §3): a CSV over the size cap is refused from its size, with the words of
 * lib/danku/csvLimits.ts, before a byte is read — picked or dropped; a CSV under the cap with more rows than a
 * competition can hold is streamed in the worker and refused at the first row past the limit. Nothing is sent.
 */
import { closeSync, ftruncateSync, openSync, writeFileSync } from "node:fs";
import { csvTooLargeMessage, MAX_CSV_BYTES, MAX_CSV_DATA_ROWS } from "../lib/danku/csvLimits";
import { connectWallet, expect, test } from "./fixtures";

const BIG = 200 * 1024 * 1024;

test("a 200 MiB CSV is refused from its size, picked or dropped, and nothing is read or sent", async ({ page, chain, wallet }, testInfo) => {
  expect(BIG).toBeGreaterThan(MAX_CSV_BYTES);
  await page.goto("/competitions/new");
  await connectWallet(page);
  const nonce = await chain.client.getTransactionCount({ address: wallet.address });

  // A sparse file: 200 MiB long, a few bytes on disk. Its contents are never looked at.
  const file = testInfo.outputPath("huge.csv");
  writeFileSync(file, "x,label\n1,a\n");
  const fd = openSync(file, "r+");
  ftruncateSync(fd, BIG);
  closeSync(fd);
  await page.locator('input[type="file"]').setInputFiles(file);
  const alert = page.getByRole("alert").filter({ hasText: "over the 128 MiB" });
  await expect(alert).toHaveText(csvTooLargeMessage(BIG, "huge.csv"));
  await expect(alert).toContainText("200 MiB (209,715,200 bytes)");
  await expect(alert).toContainText("Take a random sample of the rows");

  // Dropped: a File made of 200 references to one 1 MiB blob, so the page holds 1 MiB, not 200.
  const dataTransfer = await page.evaluateHandle((size) => {
    const mebibyte = new Blob([new Uint8Array(1024 * 1024)]);
    const transfer = new DataTransfer();
    transfer.items.add(new File(Array.from({ length: size / (1024 * 1024) }, () => mebibyte), "dropped.csv", { type: "text/csv" }));
    return transfer;
  }, BIG);
  await page.getByTestId("csv-dropzone").dispatchEvent("drop", { dataTransfer });
  await expect(page.getByRole("alert").filter({ hasText: "dropped.csv" })).toHaveText(csvTooLargeMessage(BIG, "dropped.csv"));

  // No draft, no preview, no way forward, no transaction.
  await expect(page).not.toHaveURL(/draft=/);
  await expect(page.getByTestId("dataset-preview")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Continue to settings" })).toHaveCount(0);
  expect(wallet.requests).not.toContain("eth_sendTransaction");
  expect(await chain.client.getTransactionCount({ address: wallet.address })).toBe(nonce);
});

test("a CSV under the size cap with more rows than a competition holds is refused at the first row past the limit", async ({ page, chain, wallet }, testInfo) => {
  test.setTimeout(240_000);
  await page.goto("/competitions/new");
  await connectWallet(page);
  const nonce = await chain.client.getTransactionCount({ address: wallet.address });

  // 4,000,001 data rows of four bytes each: 16 MB, far under the size cap.
  const file = testInfo.outputPath("many-rows.csv");
  const rows = MAX_CSV_DATA_ROWS + 1;
  writeFileSync(file, "x,label\n" + "1,a\n0,b\n".repeat(Math.ceil(rows / 2)).slice(0, rows * 4));
  await page.locator('input[type="file"]').setInputFiles(file);
  // Reading 16 MB takes seconds: the page shows how far it has got, in the file's bytes.
  const reading = page.getByRole("progressbar", { name: "Reading and checking the file" });
  await expect(reading).toBeVisible();
  await expect(reading).toHaveAttribute("aria-valuemax", String(rows * 4 + "x,label\n".length));
  await expect(reading).toHaveAttribute("aria-valuetext", /MiB|KiB|bytes/);

  const issues = page.getByTestId("dataset-issues");
  await expect(issues).toBeVisible({ timeout: 180_000 });
  await expect(page.getByRole("heading", { name: "many-rows.csv has 1 problem; nothing was hashed or sent." })).toBeVisible();
  const row = issues.locator("tbody tr");
  await expect(row).toHaveCount(1);
  // Line 1 is the header: data row 4,000,001 is line 4,000,002.
  await expect(row.first().locator("td").first()).toHaveText(String(MAX_CSV_DATA_ROWS + 2));
  await expect(row.first()).toContainText("more than 4,000,000 data rows");
  await expect(page.getByRole("button", { name: "Continue to settings" })).toHaveCount(0);
  expect(wallet.requests).not.toContain("eth_sendTransaction");
  expect(await chain.client.getTransactionCount({ address: wallet.address })).toBe(nonce);
});

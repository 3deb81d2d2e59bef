/**
 * How large a dataset CSV may be, and the words every client (CLI and wizard) uses to refuse one that is not.
 *
 * The protocol bounds a dataset by points and features (`MAX_TOTAL_POINTS` points of at most `MAX_FEATURES` features,
 * docs/protocol.md §1), not by the length of its text: the same points can be written in a few megabytes or, with long
 * decimals, in gigabytes. So two limits apply:
 *
 * - **Rows**, from the protocol: a file with more than `MAX_TOTAL_POINTS` data rows can never be a competition, and the
 *   parser stops reading at the first row past it (`MAX_CSV_DATA_ROWS`).
 * - **Bytes**, a stated cap checked from the file's size before a byte is read (`MAX_CSV_BYTES`): the whole dataset is
 *   checked and hashed in memory, and every point is stored on chain when it is revealed. 128 MiB holds every dataset
 *   it is practical to publish — MNIST-sized data (70,000 rows of 784 pixel values, ≈ 122 MiB as CSV) fits — while
 *   the parsed values stay within a few hundred MiB of memory (docs/protocol.md §2.1).
 */
import { formatBytes } from "../ipfs/config";
import { MAX_TOTAL_POINTS } from "./constants";

/** Largest dataset CSV, in bytes, that the CLI and the wizard read: 128 MiB. */
export const MAX_CSV_BYTES = 128 * 1024 * 1024;

/** Most data rows (header and blank lines excluded) a dataset can have: a competition holds this many points. */
export const MAX_CSV_DATA_ROWS = MAX_TOTAL_POINTS;

function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** The refusal of a CSV file of `sizeBytes` over {@link MAX_CSV_BYTES}: the size, the limit, why, and what to do. */
export function csvTooLargeMessage(sizeBytes: number, name?: string): string {
  const subject = name === undefined || name === "" ? "The file" : name;
  return (
    `${subject} is ${formatBytes(sizeBytes)} (${count(sizeBytes)} bytes), over the ${formatBytes(MAX_CSV_BYTES)} ` +
    `(${count(MAX_CSV_BYTES)} bytes) limit for a dataset CSV, so it was not read. The whole dataset is checked and ` +
    `hashed in memory, and every point is stored on chain when it is revealed (a competition holds at most ` +
    `${count(MAX_TOTAL_POINTS)} points); ${formatBytes(MAX_CSV_BYTES)} already holds MNIST-sized data. ` +
    `Take a random sample of the rows, or drop columns you do not need, to get under ${formatBytes(MAX_CSV_BYTES)}, and try again.`
  );
}

/** The problem reported at the first data row past {@link MAX_CSV_DATA_ROWS}, where reading stops. */
export function csvTooManyRowsMessage(): string {
  return (
    `more than ${count(MAX_CSV_DATA_ROWS)} data rows, the most points a competition can hold (MAX_TOTAL_POINTS), ` +
    `so reading stopped here. Take a random sample of at most ${count(MAX_CSV_DATA_ROWS)} rows and try again.`
  );
}

/** Why a file of `sizeBytes` cannot be read as a dataset without opening it, or undefined when its size is fine. */
export function csvSizeProblem(sizeBytes: number, name?: string): string | undefined {
  if (sizeBytes > MAX_CSV_BYTES) return csvTooLargeMessage(sizeBytes, name);
  return undefined;
}

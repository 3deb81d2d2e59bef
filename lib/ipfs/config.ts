/** Settings of the IPFS layer shared by the browser and the server (no environment or file access here). */

/** The app's upload route (raw bytes in, `{ cid, size }` out). */
export const IPFS_UPLOAD_PATH = "/api/ipfs";
/** The app's gateway route prefix: `GET /ipfs/<cid>`. */
export const IPFS_GATEWAY_PATH = "/ipfs";

/** Default upload limit when `MODELBOUNTY_IPFS_MAX_BYTES` is not set: 50 MiB. */
export const DEFAULT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

/** "50 MiB", "1.5 KiB", "12 bytes": sizes as people read them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? "byte" : "bytes"}`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = "bytes";
  for (const next of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  const text = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${text} ${unit}`;
}

/** The message the upload route and the client show when a file is over the limit. */
export function tooLargeMessage(limitBytes: number, actualBytes?: number): string {
  const size = actualBytes === undefined ? "The file is larger than" : `The file is ${formatBytes(actualBytes)}, over`;
  return (
    `${size} the upload limit of ${formatBytes(limitBytes)} (${limitBytes.toLocaleString("en-US")} bytes). ` +
    "Choose a smaller file, or ask the server's operator to raise MODELBOUNTY_IPFS_MAX_BYTES."
  );
}

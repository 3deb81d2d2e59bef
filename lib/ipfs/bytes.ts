/** Byte helpers shared by the IPFS modules (browser and Node). */

/** Joins chunks into one array. */
export function concatBytes(parts: readonly Uint8Array[], totalLength?: number): Uint8Array {
  const length = totalLength ?? parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Collects an (async) iterable of chunks. */
export async function collectBytes(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return concatBytes(parts);
}

/**
 * The same bytes typed as backed by a plain ArrayBuffer, as `Blob`, `fetch` and `XMLHttpRequest` bodies require
 * (copied only when the view is backed by a SharedArrayBuffer).
 */
export function toArrayBufferBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

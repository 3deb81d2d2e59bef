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

/**
 * A response body read to its end, refused with `tooLarge()` as soon as it passes `limit` bytes (the rest is not
 * downloaded), so a hostile or broken server cannot make us hold more than we would accept.
 */
export async function readResponseAtMost(response: Response, limit: number, tooLarge: () => Error): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    parts.push(value);
  }
  return concatBytes(parts, length);
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

/**
 * Randomness for nonces, salts and the dataset shuffle (docs/protocol.md §2, §5).
 *
 * Every secret the protocol relies on (group nonces, commitment salts) and the point shuffle must come from a
 * CSPRNG, so the only default source is `globalThis.crypto.getRandomValues`, which exists in Node ≥ 19, browsers
 * and Web Workers. Callers may inject another byte source (tests use a seeded one for reproducibility).
 */
import { toHex, type Hex } from "viem";

/** A source of `n` random bytes. Must be cryptographically secure outside tests. */
export type RandomBytes = (n: number) => Uint8Array;

/** `getRandomValues` refuses more than 65,536 bytes per call (WebCrypto quota), so larger requests are chunked. */
const WEB_CRYPTO_QUOTA = 65_536;

/** `n` bytes from `globalThis.crypto.getRandomValues`; throws if no CSPRNG is available rather than degrade. */
export function cryptoRandomBytes(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`cannot draw ${n} random bytes`);
  const webCrypto = globalThis.crypto;
  if (!webCrypto || typeof webCrypto.getRandomValues !== "function") {
    throw new Error("no cryptographically secure random source (globalThis.crypto.getRandomValues) is available");
  }
  const out = new Uint8Array(n);
  for (let at = 0; at < n; at += WEB_CRYPTO_QUOTA) {
    webCrypto.getRandomValues(out.subarray(at, Math.min(n, at + WEB_CRYPTO_QUOTA)));
  }
  return out;
}

/** A fresh 32-byte value (nonce or salt) as hex. */
export function randomBytes32(random: RandomBytes = cryptoRandomBytes): Hex {
  const bytes = random(32);
  if (bytes.length !== 32) throw new Error(`the random source returned ${bytes.length} bytes, expected 32`);
  return toHex(bytes);
}

const TWO_32 = 2 ** 32;
const POOL_SIZE = 4096;

/**
 * Uniform integers from a byte source without modulo bias: a 32-bit draw `u` is accepted only below the largest
 * multiple of `bound` that fits in 2^32, so every residue is equally likely. Bytes are pooled so a shuffle of a
 * large dataset does not call the byte source once per element.
 */
export class UniformIntSource {
  private pool: Uint8Array = new Uint8Array(0);
  private at = 0;

  constructor(private readonly random: RandomBytes = cryptoRandomBytes) {}

  /** A uniform integer in `0 .. bound − 1`; `bound` must be an integer in 1..2^32. */
  below(bound: number): number {
    if (!Number.isInteger(bound) || bound < 1 || bound > TWO_32) {
      throw new RangeError(`cannot draw a uniform integer below ${bound}`);
    }
    if (bound === 1) return 0;
    const limit = TWO_32 - (TWO_32 % bound);
    for (;;) {
      const u = this.nextUint32();
      if (u < limit) return u % bound;
    }
  }

  private nextUint32(): number {
    if (this.at + 4 > this.pool.length) {
      this.pool = this.random(POOL_SIZE);
      if (this.pool.length !== POOL_SIZE) {
        throw new Error(`the random source returned ${this.pool.length} bytes, expected ${POOL_SIZE}`);
      }
      this.at = 0;
    }
    const p = this.pool;
    const a = this.at;
    this.at += 4;
    return ((p[a]! << 24) >>> 0) + (p[a + 1]! << 16) + (p[a + 2]! << 8) + p[a + 3]!;
  }
}

/** In-place unbiased Fisher–Yates shuffle driven by `source`. */
export function shuffleInPlace<T>(items: T[], source: UniformIntSource): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = source.below(i + 1);
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
  return items;
}

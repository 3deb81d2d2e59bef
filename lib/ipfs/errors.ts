/**
 * Errors of the IPFS layer. Every message is a sentence a person can act on; callers may show it as is.
 * Shared by the browser (lib/ipfs/client.ts) and the server (lib/ipfs/store.ts, lib/ipfs/handlers.ts).
 */

/** A string that is not a CID this app can work with (malformed, or an unsupported hash or codec). */
export class InvalidCidError extends Error {
  override readonly name = "InvalidCidError";
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`"${shorten(input)}" is not a usable IPFS CID: ${reason}`);
  }
}

/** Content whose bytes do not hash to the CID they were requested or announced under. */
export class IpfsVerificationError extends Error {
  override readonly name = "IpfsVerificationError";
  constructor(
    message: string,
    readonly expectedCid: string,
    readonly actualCid?: string,
  ) {
    super(message);
  }
}

/** The storage backend failed (missing blocks of a partially stored file, an unreachable IPFS node, …). */
export class IpfsStoreError extends Error {
  override readonly name = "IpfsStoreError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Content that is neither in the local store nor obtainable from the sources that were tried (connected peers over
 * bitswap, trustless gateways). The message says what was tried and what to configure.
 */
export class IpfsNotFoundError extends Error {
  override readonly name = "IpfsNotFoundError";
  constructor(
    message: string,
    readonly cid: string,
  ) {
    super(message);
  }
}

function shorten(input: string): string {
  return input.length > 80 ? `${input.slice(0, 77)}...` : input;
}

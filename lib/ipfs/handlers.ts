/**
 * Request handlers behind the app's IPFS routes (server only). The route files in app/ stay thin:
 * `POST /api/ipfs` → {@link handleIpfsUpload}, `GET /ipfs/[cid]` → {@link handleIpfsGateway}.
 */
import { toArrayBufferBytes, concatBytes } from "./bytes";
import { parseCid } from "./cid";
import { IPFS_GATEWAY_PATH, tooLargeMessage } from "./config";
import { InvalidCidError, IpfsNotFoundError, IpfsStoreError, IpfsVerificationError } from "./errors";
import type { RemotePinner } from "./pinning";
import { createRemotePinner, getIpfsStore, getRunningIpfsNode, readIpfsServerConfig, type IpfsStore } from "./store";

/** Served content never changes under its CID. */
export const IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable";

export interface IpfsHandlerOptions {
  /** Defaults to {@link getIpfsStore}. */
  store?: IpfsStore;
  /** Upload limit in bytes; defaults to `MODELBOUNTY_IPFS_MAX_BYTES` (50 MiB). */
  maxBytes?: number;
}

/**
 * `POST /api/ipfs`: the body is the file's raw bytes. Answers `201 { cid, size }`; `413` as soon as the body
 * passes the limit (it is not read further); `400` for an empty or interrupted body; `415` for form uploads;
 * `502` when the IPFS backend fails or misbehaves; `500` otherwise.
 */
export async function handleIpfsUpload(request: Request, options: IpfsHandlerOptions = {}): Promise<Response> {
  let store: IpfsStore;
  let maxBytes: number;
  try {
    maxBytes = options.maxBytes ?? readIpfsServerConfig().maxUploadBytes;
    store = options.store ?? getIpfsStore();
  } catch (error) {
    console.error("[ipfs] configuration error:", error);
    return jsonError(500, `The IPFS upload service is misconfigured: ${messageOf(error)}`);
  }

  const contentType = request.headers.get("content-type") ?? "";
  if (/^(multipart\/|application\/x-www-form-urlencoded)/i.test(contentType)) {
    return jsonError(
      415,
      "Send the file's raw bytes as the request body (Content-Type: application/octet-stream), not as a form.",
    );
  }

  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) {
    await request.body?.cancel().catch(() => undefined);
    return jsonError(413, tooLargeMessage(maxBytes, Number(declared)), { limitBytes: maxBytes });
  }

  const body = await readBodyWithLimit(request, maxBytes);
  if (body.kind === "too-large") {
    return jsonError(413, tooLargeMessage(maxBytes), { limitBytes: maxBytes });
  }
  if (body.kind === "interrupted") {
    return jsonError(400, "The upload was interrupted before all of the file arrived. Please try again.");
  }
  if (body.bytes.length === 0) {
    return jsonError(400, "The upload is empty: send the file's bytes as the request body.");
  }

  try {
    const result = await store.add(body.bytes);
    return Response.json(result, {
      status: 201,
      headers: { "Cache-Control": "no-store", Location: `${IPFS_GATEWAY_PATH}/${result.cid}` },
    });
  } catch (error) {
    console.error("[ipfs] upload failed:", error);
    if (error instanceof IpfsStoreError || error instanceof IpfsVerificationError) {
      return jsonError(502, error.message);
    }
    return jsonError(500, `The server could not store the file (${messageOf(error)}). Please try again later.`);
  }
}

/** What a client needs to know before uploading: `GET /api/ipfs` → `{ maxBytes, gateway, node?, pinning }`. */
export interface IpfsUploadInfo {
  maxBytes: number;
  gateway: string;
  /** The embedded node, when it runs: other IPFS nodes can fetch this server's files from these addresses. */
  node?: { peerId: string; multiaddrs: string[]; connectedPeers: number };
  /** Whether uploads are also pinned with a remote pinning service. */
  pinning: boolean;
}

/** `GET /api/ipfs`: the upload limit, so clients can explain a refused upload (or check before sending). */
export async function handleIpfsInfo(options: IpfsHandlerOptions = {}): Promise<Response> {
  try {
    const config = readIpfsServerConfig();
    const node = getRunningIpfsNode();
    const info: IpfsUploadInfo = {
      maxBytes: options.maxBytes ?? config.maxUploadBytes,
      gateway: IPFS_GATEWAY_PATH,
      ...(node ? { node: { peerId: node.peerId, multiaddrs: node.multiaddrs(), connectedPeers: node.connectedPeers().length } } : {}),
      pinning: config.pinning !== undefined,
    };
    return Response.json(info, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return jsonError(500, `The IPFS upload service is misconfigured: ${messageOf(error)}`);
  }
}

type BodyResult = { kind: "ok"; bytes: Uint8Array } | { kind: "too-large" } | { kind: "interrupted" };

/** Reads the request body, giving up (and cancelling the stream) as soon as it passes `maxBytes`. */
async function readBodyWithLimit(request: Request, maxBytes: number): Promise<BodyResult> {
  if (!request.body) return { kind: "ok", bytes: new Uint8Array(0) };
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.length;
      if (length > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return { kind: "too-large" };
      }
      parts.push(value);
    }
  } catch {
    return { kind: "interrupted" };
  }
  return { kind: "ok", bytes: concatBytes(parts, length) };
}

/**
 * `GET /ipfs/<cid>`: the file's bytes, verified against the CID before the first byte is sent.
 * `400` for a malformed CID, `404` when the content is not stored here, `304` for a matching `If-None-Match`,
 * `502` when stored data fails verification or the IPFS backend fails. `?filename=name.ext` asks the browser to
 * save the file under that name.
 */
export async function handleIpfsGateway(
  request: Request,
  cidParam: string,
  options: IpfsHandlerOptions = {},
): Promise<Response> {
  let cidText: string;
  try {
    cidText = parseCid(safeDecode(cidParam)).toString();
  } catch (error) {
    return jsonError(400, error instanceof InvalidCidError ? error.message : `Invalid CID: ${messageOf(error)}`);
  }
  const etag = `"${cidText}"`;
  const cacheHeaders = { "Cache-Control": IMMUTABLE_CACHE_CONTROL, ETag: etag };

  if (matchesEtag(request.headers.get("if-none-match"), etag)) {
    return new Response(null, { status: 304, headers: cacheHeaders });
  }

  let bytes: Uint8Array | undefined;
  try {
    bytes = await (options.store ?? getIpfsStore()).get(cidText);
  } catch (error) {
    if (error instanceof IpfsNotFoundError) return jsonError(404, error.message);
    console.error(`[ipfs] serving ${cidText} failed:`, error);
    if (error instanceof IpfsVerificationError || error instanceof IpfsStoreError) return jsonError(502, error.message);
    return jsonError(500, `The file ${cidText} could not be read (${messageOf(error)}). Please try again later.`);
  }
  if (bytes === undefined) {
    return jsonError(404, `No file with CID ${cidText} is stored on this server.`);
  }

  const headers: Record<string, string> = {
    ...cacheHeaders,
    "Content-Type": "application/octet-stream",
    "Content-Length": String(bytes.length),
    "X-Ipfs-Path": `/ipfs/${cidText}`,
    "X-Content-Type-Options": "nosniff",
    // The bytes are arbitrary user uploads served from the app's origin: never let a browser run them.
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, X-Ipfs-Path",
  };
  const filename = new URL(request.url).searchParams.get("filename");
  if (filename) headers["Content-Disposition"] = contentDisposition(filename);
  return new Response(toArrayBufferBytes(bytes), { status: 200, headers });
}

export interface IpfsPinHandlerOptions {
  /** Defaults to the configured service (`MODELBOUNTY_PINNING_SERVICE_URL`). */
  pinner?: RemotePinner;
  /** Defaults to {@link getIpfsStore}: a pin is only requested for content this server holds. */
  store?: IpfsStore;
}

/**
 * `GET /api/ipfs/pins/<cid>`: the remote pin's state (`queued`, `pinning`, `pinned`, `failed`, or `not-requested`
 * when the request did not go through), refreshed from the service. `404` when no pin was requested; `501` when no
 * pinning service is configured.
 */
export async function handleIpfsPinStatus(cidParam: string, options: IpfsPinHandlerOptions = {}): Promise<Response> {
  const prepared = preparePin(cidParam, options);
  if (prepared instanceof Response) return prepared;
  const record = await prepared.pinner.status(prepared.cid);
  if (!record) return jsonError(404, `No remote pin was requested for ${prepared.cid}; POST to this address to request one.`);
  return Response.json(record, { headers: { "Cache-Control": "no-store" } });
}

/**
 * `POST /api/ipfs/pins/<cid>`: requests the remote pin again (after a failure) or refreshes a pending one. The
 * content must be stored here. Answers the record: `202` when the service accepted the request, `502` with the
 * record when it failed (`retryable` says whether trying later can help).
 */
export async function handleIpfsPinRequest(cidParam: string, options: IpfsPinHandlerOptions = {}): Promise<Response> {
  const prepared = preparePin(cidParam, options);
  if (prepared instanceof Response) return prepared;
  let store: IpfsStore;
  try {
    store = options.store ?? getIpfsStore();
  } catch (error) {
    return jsonError(500, `The IPFS service is misconfigured: ${messageOf(error)}`);
  }
  if (store.has && !(await store.has(prepared.cid))) {
    return jsonError(404, `No file with CID ${prepared.cid} is stored on this server; upload it before pinning it.`);
  }
  const record = await prepared.pinner.pin(prepared.cid);
  return Response.json(record, { status: record.status === "not-requested" ? 502 : 202, headers: { "Cache-Control": "no-store" } });
}

function preparePin(cidParam: string, options: IpfsPinHandlerOptions): { cid: string; pinner: RemotePinner } | Response {
  let cid: string;
  try {
    cid = parseCid(safeDecode(cidParam)).toString();
  } catch (error) {
    return jsonError(400, error instanceof InvalidCidError ? error.message : `Invalid CID: ${messageOf(error)}`);
  }
  let pinner: RemotePinner | undefined;
  try {
    pinner = options.pinner ?? createRemotePinner(readIpfsServerConfig());
  } catch (error) {
    return jsonError(500, `The IPFS service is misconfigured: ${messageOf(error)}`);
  }
  if (!pinner) {
    return jsonError(
      501,
      "No remote pinning service is configured: set MODELBOUNTY_PINNING_SERVICE_URL and MODELBOUNTY_PINNING_SERVICE_TOKEN.",
    );
  }
  return { cid, pinner };
}

function jsonError(status: number, error: string, extra: Record<string, unknown> = {}): Response {
  return Response.json({ error, ...extra }, { status, headers: { "Cache-Control": "no-store" } });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, "");
    return tag === etag;
  });
}

/** `attachment; filename="…"` with an ASCII fallback and the exact name in RFC 5987 form. */
function contentDisposition(requested: string): string {
  const name = requested.replace(/[\u0000-\u001f\u007f/\\]/g, "_").slice(0, 200) || "download";
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["%]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Remote pinning through the IPFS Pinning Service API (https://ipfs.github.io/pinning-services-api-spec/), server
 * only: `POST /pins` asks a service to keep a CID, `GET /pins/{requestid}` follows the request, `GET /pins?cid=`
 * finds earlier requests. Pinata, Filebase, web3.storage-style services and kubo's own `ipfs pin remote` speak it.
 *
 * Configured by `MODELBOUNTY_PINNING_SERVICE_URL` (the API's base, e.g. `https://api.example.com/psa`) and
 * `MODELBOUNTY_PINNING_SERVICE_TOKEN` (sent as `Authorization: Bearer <token>`; never sent to the browser).
 *
 * A pin request can fail (service down, bad token) without losing anything: the file stays in the local store, the
 * failure is recorded in `<data folder>/pins/<cid>.json` with whether it is worth retrying, and
 * `POST /api/ipfs/pins/<cid>` tries again. Requests carry the node's multiaddrs as `origins` so the service can
 * fetch the blocks from this node over bitswap; the node connects to the `delegates` the service answers with.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

/** The states of a pin request in the Pinning Service API. */
export type RemotePinStatus = "queued" | "pinning" | "pinned" | "failed";

/** A `PinStatus` object of the API (the fields the app uses). */
export interface PinStatusResponse {
  requestid: string;
  status: RemotePinStatus;
  created: string;
  pin: { cid: string; name?: string; origins?: string[]; meta?: Record<string, string> };
  delegates: string[];
  info?: Record<string, string>;
}

export class PinningServiceError extends Error {
  override readonly name = "PinningServiceError";
  constructor(
    message: string,
    /** Worth trying again later (network failure, timeout, 429, 5xx); not for a refused token or a bad request. */
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface PinningServiceClientOptions {
  /** Time limit for one request (default 60 s). */
  timeoutMs?: number;
  /** Replaces the global `fetch`. */
  fetch?: typeof fetch;
}

const STATUSES: readonly RemotePinStatus[] = ["queued", "pinning", "pinned", "failed"];

/** A client of one pinning service. Every answer is checked for the fields the spec requires. */
export class PinningServiceClient {
  readonly endpoint: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(
    endpoint: string,
    private readonly token: string,
    options: PinningServiceClientOptions = {},
  ) {
    this.endpoint = endpoint.replace(/\/+$/, "");
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** `POST /pins`: asks the service to pin `cid`. */
  async addPin(cid: string, options: { name?: string; origins?: readonly string[] } = {}): Promise<PinStatusResponse> {
    const body: Record<string, unknown> = { cid };
    if (options.name) body.name = options.name.slice(0, 255);
    if (options.origins && options.origins.length > 0) body.origins = [...options.origins].slice(0, 20);
    const answer = await this.request("POST", "/pins", `pin ${cid}`, body);
    return parsePinStatus(answer, this.endpoint);
  }

  /** `GET /pins/{requestid}`: the current state of a request. */
  async getPin(requestid: string): Promise<PinStatusResponse> {
    const answer = await this.request("GET", `/pins/${encodeURIComponent(requestid)}`, `read pin request ${requestid}`);
    return parsePinStatus(answer, this.endpoint);
  }

  /** `GET /pins?cid=…`: earlier requests for `cid` in any state, newest first. */
  async findPins(cid: string): Promise<PinStatusResponse[]> {
    const query = `?cid=${encodeURIComponent(cid)}&status=${STATUSES.join(",")}&limit=10`;
    const answer = await this.request("GET", `/pins${query}`, `list the pins of ${cid}`);
    const results = isRecord(answer) && Array.isArray(answer.results) ? answer.results : undefined;
    if (!results) throw new PinningServiceError(`The pinning service at ${this.endpoint} answered a pin list without "results".`, true);
    return results.map((result) => parsePinStatus(result, this.endpoint));
  }

  private async request(method: "GET" | "POST", route: string, action: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.endpoint}${route}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error && error.name === "TimeoutError"
        ? `no answer within ${Math.round(this.timeoutMs / 1000)} s`
        : error instanceof Error ? error.message : String(error);
      throw new PinningServiceError(
        `The pinning service at ${this.endpoint} could not be reached to ${action} (${reason}). It will be retried; ` +
          "check MODELBOUNTY_PINNING_SERVICE_URL if this persists.",
        true,
      );
    }
    const text = await response.text().catch(() => "");
    if (!response.ok) {
      const reason = errorReason(text);
      const status = response.status;
      const detail = `HTTP ${status}${reason ? `: ${reason}` : ""}`;
      if (status === 401 || status === 403) {
        throw new PinningServiceError(
          `The pinning service at ${this.endpoint} refused the access token (${detail}). Check MODELBOUNTY_PINNING_SERVICE_TOKEN.`,
          false,
          status,
        );
      }
      const retryable = status === 408 || status === 429 || status >= 500;
      throw new PinningServiceError(
        `The pinning service at ${this.endpoint} could not ${action} (${detail}).${retryable ? " It will be retried." : ""}`,
        retryable,
        status,
      );
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new PinningServiceError(`The pinning service at ${this.endpoint} answered with something that is not JSON.`, true, response.status);
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The spec's error body: `{"error": {"reason": "…", "details": "…"}}`. */
function errorReason(text: string): string {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (isRecord(parsed) && isRecord(parsed.error)) {
      const { reason, details } = parsed.error;
      return [reason, details].filter((part): part is string => typeof part === "string" && part !== "").join(": ");
    }
  } catch {
    // not JSON: use the text
  }
  return text.trim().slice(0, 300);
}

function parsePinStatus(value: unknown, endpoint: string): PinStatusResponse {
  const invalid = (what: string) =>
    new PinningServiceError(`The pinning service at ${endpoint} answered a pin status without ${what}.`, true);
  if (!isRecord(value)) throw invalid("a JSON object");
  const { requestid, status, created, pin, delegates, info } = value;
  if (typeof requestid !== "string" || requestid === "") throw invalid('"requestid"');
  if (typeof status !== "string" || !STATUSES.includes(status as RemotePinStatus)) throw invalid('a known "status"');
  if (!isRecord(pin) || typeof pin.cid !== "string") throw invalid('"pin.cid"');
  const strings = (items: unknown) => (Array.isArray(items) ? items.filter((item): item is string => typeof item === "string") : []);
  return {
    requestid,
    status: status as RemotePinStatus,
    created: typeof created === "string" ? created : "",
    pin: { cid: pin.cid, ...(typeof pin.name === "string" ? { name: pin.name } : {}), origins: strings(pin.origins) },
    delegates: strings(delegates),
    ...(isRecord(info) ? { info: Object.fromEntries(Object.entries(info).filter((entry): entry is [string, string] => typeof entry[1] === "string")) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// What the app remembers about its pin requests

/** The app's record of one CID's remote pin. */
export interface PinRecord {
  cid: string;
  /** The service's base URL. */
  service: string;
  /** The service's state, or `not-requested` when the request itself did not go through. */
  status: RemotePinStatus | "not-requested";
  requestid?: string;
  /** Last problem, as a sentence; absent once the request went through. */
  error?: string;
  /** Whether trying again can help (the request failed, or the service reports `failed`). */
  retryable: boolean;
  updatedAt: string;
}

export interface RemotePinnerOptions {
  /** The data folder; records go to `<dir>/pins/<cid>.json`. */
  dir: string;
  /** This node's multiaddrs, sent as `origins`. */
  origins?: () => readonly string[];
  /** Connects to a delegate the service names (best effort). */
  connect?: (multiaddr: string) => Promise<unknown>;
  /** Where problems are written (default: console.error). */
  log?: (message: string) => void;
}

/**
 * Requests and follows remote pins, one record per CID. {@link pin} never throws for a service failure: the
 * failure is recorded and returned, and the local copy is untouched.
 */
export class RemotePinner {
  constructor(
    readonly client: PinningServiceClient,
    private readonly options: RemotePinnerOptions,
  ) {}

  /**
   * Asks the service to pin `cid`, unless a request for it is already queued, pinning or pinned (then its state is
   * refreshed instead). A request that failed, or that the service marked `failed`, is made again.
   */
  async pin(cid: string, name?: string): Promise<PinRecord> {
    const existing = await this.read(cid);
    if (existing?.requestid && existing.status !== "failed") {
      const refreshed = await this.status(cid);
      if (refreshed && refreshed.status !== "failed") return refreshed;
    }
    try {
      const answer = await this.client.addPin(cid, { name, origins: this.options.origins?.() ?? [] });
      this.connectToDelegates(answer.delegates);
      return await this.save(fromStatus(cid, this.client.endpoint, answer));
    } catch (error) {
      const failure = describeFailure(error);
      (this.options.log ?? console.error)(`[ipfs] remote pin of ${cid} failed: ${failure.message}`);
      return this.save({
        cid,
        service: this.client.endpoint,
        status: "not-requested",
        error: failure.message,
        retryable: failure.retryable,
        updatedAt: new Date().toISOString(),
      });
    }
  }

  /**
   * The recorded state of `cid`'s pin, refreshed from the service while it is `queued` or `pinning`; `undefined`
   * when no pin was ever requested. A failed refresh keeps the last known state and adds the error.
   */
  async status(cid: string): Promise<PinRecord | undefined> {
    const record = await this.read(cid);
    if (!record?.requestid || record.status === "pinned" || record.status === "failed") return record;
    try {
      const answer = await this.client.getPin(record.requestid);
      return await this.save(fromStatus(cid, this.client.endpoint, answer));
    } catch (error) {
      const failure = describeFailure(error);
      return { ...record, error: `The pin's state could not be refreshed: ${failure.message}` };
    }
  }

  private connectToDelegates(delegates: readonly string[]): void {
    const connect = this.options.connect;
    if (!connect) return;
    for (const delegate of delegates.slice(0, 5)) {
      connect(delegate).catch((error: unknown) => {
        (this.options.log ?? console.error)(
          `[ipfs] could not connect to pinning delegate ${delegate} (${error instanceof Error ? error.message : String(error)}); ` +
            "the service can still fetch from this node's origins.",
        );
      });
    }
  }

  private file(cid: string): string {
    if (!/^[a-zA-Z0-9]+$/.test(cid)) throw new Error(`"${cid}" cannot name a pin record.`);
    return path.join(/*turbopackIgnore: true*/ this.options.dir, "pins", `${cid}.json`);
  }

  private async read(cid: string): Promise<PinRecord | undefined> {
    try {
      const parsed = JSON.parse(await readFile(this.file(cid), "utf8")) as PinRecord;
      return parsed.cid === cid ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  private async save(record: PinRecord): Promise<PinRecord> {
    const file = this.file(record.cid);
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
    await writeFile(temporary, `${JSON.stringify(record, null, 2)}\n`);
    await rename(temporary, file);
    return record;
  }
}

function fromStatus(cid: string, service: string, answer: PinStatusResponse): PinRecord {
  const failed = answer.status === "failed";
  const reason = answer.info?.status_details ?? answer.info?.reason;
  return {
    cid,
    service,
    status: answer.status,
    requestid: answer.requestid,
    ...(failed ? { error: `The pinning service could not pin ${cid}${reason ? ` (${reason})` : ""}; ask again to retry.` } : {}),
    retryable: failed,
    updatedAt: new Date().toISOString(),
  };
}

function describeFailure(error: unknown): { message: string; retryable: boolean } {
  if (error instanceof PinningServiceError) return { message: error.message, retryable: error.retryable };
  return { message: error instanceof Error ? error.message : String(error), retryable: true };
}

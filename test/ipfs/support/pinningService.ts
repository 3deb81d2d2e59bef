/**
 * A small IPFS Pinning Service API server (https://ipfs.github.io/pinning-services-api-spec/) for tests:
 * `POST /pins`, `GET /pins/{requestid}`, `GET /pins?cid=…`, with Bearer-token checks and the spec's error bodies.
 * Tests move pins between states themselves (`setStatus`) and can make the service fail (`unavailable`).
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

type Status = "queued" | "pinning" | "pinned" | "failed";

export interface ServicePin {
  requestid: string;
  status: Status;
  created: string;
  pin: { cid: string; name?: string; origins?: string[] };
  delegates: string[];
  info?: Record<string, string>;
}

export interface TestPinningService {
  /** The API base, as MODELBOUNTY_PINNING_SERVICE_URL. */
  url: string;
  token: string;
  pins: Map<string, ServicePin>;
  /** Every request: method, path with query, Authorization header. */
  requests: Array<{ method: string; path: string; authorization?: string }>;
  /** Answer every request with 503 while true. */
  unavailable: boolean;
  setStatus(requestid: string, status: Status, info?: Record<string, string>): void;
  close(): Promise<void>;
}

const BASE = "/psa";
const DELEGATE = "/ip4/127.0.0.1/tcp/1/p2p/12D3KooWGRhx4uwsjFefDGQVDMkoH188DPbTQvGWtXNFWapGPVTo";

export async function startTestPinningService(token = "secret-token"): Promise<TestPinningService> {
  const service: TestPinningService = {
    url: "",
    token,
    pins: new Map(),
    requests: [],
    unavailable: false,
    setStatus(requestid, status, info) {
      const pin = service.pins.get(requestid);
      if (!pin) throw new Error(`no pin ${requestid}`);
      pin.status = status;
      if (info) pin.info = info;
    },
    close: async () => undefined,
  };
  const fail = (res: http.ServerResponse, status: number, reason: string, details?: string) =>
    res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify({ error: { reason, details } }));
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://service");
      if (!url.pathname.startsWith(`${BASE}/`)) return fail(res, 404, "NOT_FOUND", `the API is under ${BASE}`);
      url.pathname = url.pathname.slice(BASE.length);
      service.requests.push({ method: req.method ?? "", path: `${url.pathname}${url.search}`, authorization: req.headers.authorization });
      if (service.unavailable) return fail(res, 503, "UNAVAILABLE", "down for maintenance");
      if (req.headers.authorization !== `Bearer ${service.token}`) return fail(res, 401, "UNAUTHORIZED", "access token is missing or invalid");
      const json = (status: number, body: unknown) =>
        res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
      if (req.method === "POST" && url.pathname === "/pins") {
        let body: { cid?: unknown; name?: unknown; origins?: unknown };
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof body;
        } catch {
          return fail(res, 400, "BAD_REQUEST", "body is not JSON");
        }
        if (typeof body.cid !== "string") return fail(res, 400, "BAD_REQUEST", "cid is required");
        const pin: ServicePin = {
          requestid: randomUUID(),
          status: "queued",
          created: new Date().toISOString(),
          pin: {
            cid: body.cid,
            ...(typeof body.name === "string" ? { name: body.name } : {}),
            ...(Array.isArray(body.origins) ? { origins: body.origins.filter((o): o is string => typeof o === "string") } : {}),
          },
          delegates: [DELEGATE],
        };
        service.pins.set(pin.requestid, pin);
        return json(202, pin);
      }
      const single = /^\/pins\/([^/]+)$/.exec(url.pathname);
      if (req.method === "GET" && single?.[1]) {
        const pin = service.pins.get(decodeURIComponent(single[1]));
        return pin ? json(200, pin) : fail(res, 404, "NOT_FOUND", "no such pin request");
      }
      if (req.method === "GET" && url.pathname === "/pins") {
        const cids = (url.searchParams.get("cid") ?? "").split(",").filter(Boolean);
        const results = [...service.pins.values()].filter((pin) => cids.length === 0 || cids.includes(pin.pin.cid));
        return json(200, { count: results.length, results });
      }
      return fail(res, 404, "NOT_FOUND", `${req.method} ${url.pathname} is not part of the API`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // Served under a base path, as real services are (the client must append /pins to the configured URL).
  service.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${BASE}`;
  service.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return service;
}

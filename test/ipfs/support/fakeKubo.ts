/**
 * A stand-in for a remote kubo node's HTTP RPC (`/api/v0/add`, `/api/v0/cat`), backed by the embedded store.
 * It can be told to lie, to check that KuboIpfsStore does not trust the node.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { EmbeddedIpfsStore } from "../../../lib/ipfs/store";

export interface FakeKubo {
  url: string;
  store: EmbeddedIpfsStore;
  /** Every request's path and query, in order. */
  requests: Array<{ method: string; path: string; query: URLSearchParams; authorization?: string }>;
  /** Report this CID for every `add` instead of the real one. */
  lieOnAdd?: string;
  /** Flip a bit of what `cat` returns. */
  corruptCat?: boolean;
  close(): Promise<void>;
}

export async function startFakeKubo(dir: string): Promise<FakeKubo> {
  const store = new EmbeddedIpfsStore(dir);
  const fake: FakeKubo = { url: "", store, requests: [], close: async () => undefined };

  const server = http.createServer((req, res) => {
    handle(fake, req, res).catch((error: unknown) => {
      res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ Message: String(error), Code: 0, Type: "error" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return fake;
}

async function handle(fake: FakeKubo, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", fake.url);
  fake.requests.push({ method: req.method ?? "", path: url.pathname, query: url.searchParams, authorization: req.headers.authorization });
  const kuboError = (status: number, message: string) => {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ Message: message, Code: 0, Type: "error" }));
  };
  if (req.method !== "POST") return kuboError(405, `${req.method} not allowed`);

  if (url.pathname === "/api/v0/add") {
    const query = url.searchParams;
    // A real kubo with other parameters would answer other CIDs: insist on the ones the app relies on.
    if (query.get("cid-version") !== "1" || query.get("raw-leaves") !== "true" || query.get("chunker") !== "size-262144") {
      return kuboError(400, `unexpected add parameters: ${query.toString()}`);
    }
    const request = new Request(url, {
      method: "POST",
      headers: req.headers as Record<string, string>,
      body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
      duplex: "half",
    } as RequestInit);
    const file = (await request.formData()).get("file");
    if (!(file instanceof Blob)) return kuboError(400, "file argument 'path' is required");
    const bytes = new Uint8Array(await file.arrayBuffer());
    const { cid } = await fake.store.add(bytes);
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(`${JSON.stringify({ Name: "upload.bin", Hash: fake.lieOnAdd ?? cid, Size: String(bytes.length) })}\n`);
    return;
  }

  if (url.pathname === "/api/v0/cat") {
    const arg = url.searchParams.get("arg") ?? "";
    const bytes = await fake.store.get(arg);
    if (!bytes) return kuboError(500, `block was not found locally (offline): ipld: could not find ${arg}`);
    const out = Buffer.from(bytes);
    if (fake.corruptCat && out.length > 0) out[out.length - 1] = (out[out.length - 1] ?? 0) ^ 1;
    res.writeHead(200, { "Content-Type": "text/plain", "X-Stream-Output": "1" });
    res.end(out);
    return;
  }

  kuboError(404, "404 page not found");
}

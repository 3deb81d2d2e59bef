import { expect } from "chai";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import {
  fetchFromIpfs,
  InvalidCidError,
  IpfsDownloadError,
  IpfsUploadError,
  IpfsVerificationError,
  uploadToIpfs,
} from "../../lib/ipfs/client";
import { computeCid } from "../../lib/ipfs/cid";
import { handleIpfsGateway, handleIpfsInfo, handleIpfsUpload } from "../../lib/ipfs/handlers";
import { EmbeddedIpfsStore } from "../../lib/ipfs/store";
import { patternBytes } from "./support/kuboReference";

const ORIGIN = "http://app.test";

/** What the fake XMLHttpRequest does on each successive `send` (then it passes requests to the real handler). */
type Behavior = "network-error" | "lie" | { status: number; error?: string };

/** Just enough of XMLHttpRequest for lib/ipfs/client.ts, backed by the real upload handler. */
class FakeXMLHttpRequest {
  static script: Behavior[] = [];
  static sends = 0;
  static handle: (request: Request) => Promise<Response> = () => Promise.reject(new Error("no handler"));

  upload: { onprogress: ((event: { loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  responseText = "";
  responseType = "";
  private method = "GET";
  private url = "";
  private requestHeaders: Record<string, string> = {};
  private responseHeaders = new Headers();
  private aborted = false;

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }

  setRequestHeader(name: string, value: string): void {
    this.requestHeaders[name] = value;
  }

  getResponseHeader(name: string): string | null {
    return this.responseHeaders.get(name);
  }

  abort(): void {
    this.aborted = true;
    setTimeout(() => this.onabort?.(), 0);
  }

  send(body: Uint8Array<ArrayBuffer>): void {
    FakeXMLHttpRequest.sends++;
    const behavior = FakeXMLHttpRequest.script.shift();
    void (async () => {
      for (let step = 1; step <= 4; step++) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (this.aborted) return;
        this.upload.onprogress?.({ loaded: Math.floor((body.length * step) / 4), total: body.length });
      }
      if (behavior === "network-error") return this.onerror?.();
      if (typeof behavior === "object") {
        this.status = behavior.status;
        this.responseText = JSON.stringify({ error: behavior.error ?? "scripted failure" });
        return this.onload?.();
      }
      const response = await FakeXMLHttpRequest.handle(
        new Request(new URL(this.url, ORIGIN), { method: this.method, body, headers: this.requestHeaders }),
      );
      this.status = response.status;
      this.responseHeaders = response.headers;
      this.responseText = await response.text();
      if (behavior === "lie" && response.ok) {
        const parsed = JSON.parse(this.responseText) as { cid: string; size: number };
        this.responseText = JSON.stringify({ ...parsed, cid: await computeCid(new TextEncoder().encode("something else")) });
      }
      if (!this.aborted) this.onload?.();
    })();
  }
}

describe("lib/ipfs/client", () => {
  let dir: string;
  let store: EmbeddedIpfsStore;
  const realFetch = globalThis.fetch;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "modelbounty-ipfs-client-"));
    store = new EmbeddedIpfsStore(dir);
    FakeXMLHttpRequest.script = [];
    FakeXMLHttpRequest.sends = 0;
    FakeXMLHttpRequest.handle = (request) => handleIpfsUpload(request, { store, maxBytes: 1_000_000 });
    Reflect.set(globalThis, "XMLHttpRequest", FakeXMLHttpRequest);
    // The client asks GET /api/ipfs for the limit after a lost connection.
    globalThis.fetch = (async (input: string | URL | Request) => {
      const url = new URL(typeof input === "string" ? input : input instanceof URL ? input : input.url, ORIGIN);
      if (url.pathname === "/api/ipfs") return handleIpfsInfo({ maxBytes: 1_000_000 });
      return new Response("not found", { status: 404 });
    }) as typeof fetch;
  });

  afterEach(async () => {
    Reflect.deleteProperty(globalThis, "XMLHttpRequest");
    globalThis.fetch = realFetch;
    await rm(dir, { recursive: true, force: true });
  });

  describe("uploadToIpfs", () => {
    it("uploads, reports progress, and returns the CID it checked itself", async () => {
      const bytes = patternBytes(300_000, 31);
      const progress: Array<[number, number]> = [];
      const result = await uploadToIpfs(bytes, { onProgress: (sent, total) => progress.push([sent, total]) });
      expect(result).to.deep.equal({ cid: await computeCid(bytes), size: bytes.length });
      expect(await store.has(result.cid)).to.equal(true);
      expect(progress[0]).to.deep.equal([0, bytes.length]);
      expect(progress.some(([sent]) => sent > 0 && sent < bytes.length), "intermediate progress").to.equal(true);
      expect(progress.at(-1)).to.deep.equal([bytes.length, bytes.length]);
      for (let i = 1; i < progress.length; i++) expect(progress[i]![0]).to.be.at.least(progress[i - 1]![0]);
    });

    it("retries lost connections and 5xx answers, then succeeds", async () => {
      FakeXMLHttpRequest.script = ["network-error", { status: 503, error: "busy" }];
      const bytes = patternBytes(5000, 32);
      const result = await uploadToIpfs(bytes, { retries: 3, retryDelayMs: 1 });
      expect(result.cid).to.equal(await computeCid(bytes));
      expect(FakeXMLHttpRequest.sends).to.equal(3);
    });

    it("gives up after the allowed retries with the last reason", async () => {
      FakeXMLHttpRequest.script = ["network-error", "network-error", "network-error"];
      const error = await rejection(uploadToIpfs(patternBytes(100, 33), { retries: 2, retryDelayMs: 1 }));
      expect(error).to.be.instanceOf(IpfsUploadError);
      expect((error as IpfsUploadError).code).to.equal("network");
      expect((error as Error).message).to.match(/failed after 3 attempts.*connection to the server was lost/);
      expect(FakeXMLHttpRequest.sends).to.equal(3);
    });

    it("never retries a 413, and passes on the server's explanation", async () => {
      FakeXMLHttpRequest.handle = (request) => handleIpfsUpload(request, { store, maxBytes: 1000 });
      const error = await rejection(uploadToIpfs(patternBytes(5000, 34), { retries: 3, retryDelayMs: 1 }));
      expect((error as IpfsUploadError).code).to.equal("too-large");
      expect((error as Error).message).to.match(/upload limit of 1000 bytes/);
      expect(FakeXMLHttpRequest.sends).to.equal(1);
    });

    it("explains a connection dropped because the file is over the limit", async () => {
      FakeXMLHttpRequest.script = ["network-error"];
      const error = await rejection(uploadToIpfs(patternBytes(1_500_000, 35), { retries: 3, retryDelayMs: 1 }));
      expect((error as IpfsUploadError).code).to.equal("too-large");
      expect((error as Error).message).to.match(/1\.4 MiB, over the upload limit of 976\.6 KiB/);
      expect(FakeXMLHttpRequest.sends).to.equal(1);
    });

    it("never retries other 4xx answers", async () => {
      FakeXMLHttpRequest.script = [{ status: 400, error: "The upload is empty." }];
      const error = await rejection(uploadToIpfs(patternBytes(10, 36), { retries: 3, retryDelayMs: 1 }));
      expect((error as IpfsUploadError).code).to.equal("rejected");
      expect((error as Error).message).to.equal("The upload is empty.");
      expect(FakeXMLHttpRequest.sends).to.equal(1);
    });

    it("rejects a server that reports another CID than the file's", async () => {
      FakeXMLHttpRequest.script = ["lie"];
      const error = await rejection(uploadToIpfs(patternBytes(10, 37), { retries: 3, retryDelayMs: 1 }));
      expect((error as IpfsUploadError).code).to.equal("mismatch");
      expect((error as Error).message).to.match(/file's own CID is .* cannot be trusted/);
    });

    it("refuses locally what is over a known limit, and empty files", async () => {
      const tooBig = await rejection(uploadToIpfs(patternBytes(2000, 38), { maxBytes: 1000 }));
      expect((tooBig as IpfsUploadError).code).to.equal("too-large");
      const empty = await rejection(uploadToIpfs(new Uint8Array(0)));
      expect((empty as Error).message).to.match(/empty/);
      expect(FakeXMLHttpRequest.sends).to.equal(0);
    });

    it("can be cancelled, also while waiting to retry", async () => {
      const during = new AbortController();
      const onProgress = (sent: number) => {
        if (sent > 0) during.abort();
      };
      const first = await rejection(uploadToIpfs(patternBytes(1000, 39), { signal: during.signal, onProgress }));
      expect((first as IpfsUploadError).code).to.equal("aborted");

      FakeXMLHttpRequest.script = ["network-error"];
      const waiting = new AbortController();
      const promise = uploadToIpfs(patternBytes(1000, 40), { signal: waiting.signal, retryDelayMs: 60_000 });
      setTimeout(() => waiting.abort(), 50);
      const second = await rejection(promise);
      expect((second as IpfsUploadError).code).to.equal("aborted");
      expect((second as Error).message).to.equal("The upload was cancelled.");
    });
  });

  describe("fetchFromIpfs", () => {
    const gatewayFetch = (tamper = false): typeof fetch =>
      (async (input: string | URL | Request) => {
        const url = new URL(typeof input === "string" ? input : input instanceof URL ? input : input.url);
        const cid = decodeURIComponent(url.pathname.replace(/^\/ipfs\//, ""));
        const response = await handleIpfsGateway(new Request(url), cid, { store });
        if (!tamper || !response.ok) return response;
        const bytes = new Uint8Array(await response.arrayBuffer());
        bytes[0] = (bytes[0] ?? 0) ^ 1;
        return new Response(bytes, { status: 200, headers: response.headers });
      }) as typeof fetch;

    it("returns content only after verifying it", async () => {
      const bytes = patternBytes(700_000, 41);
      const { cid } = await store.add(bytes);
      const fetched = await fetchFromIpfs(cid, { gatewayBase: ORIGIN, fetch: gatewayFetch() });
      expect(Buffer.from(fetched).equals(Buffer.from(bytes))).to.equal(true);
    });

    it("rejects tampered content with IpfsVerificationError", async () => {
      const { cid } = await store.add(patternBytes(1000, 42));
      const error = await rejection(fetchFromIpfs(cid, { gatewayBase: ORIGIN, fetch: gatewayFetch(true) }));
      expect(error).to.be.instanceOf(IpfsVerificationError);
      expect((error as Error).message).to.match(/does not match it/);
    });

    it("explains a missing file and a malformed CID", async () => {
      const absent = await computeCid(new TextEncoder().encode("absent"));
      const missing = await rejection(fetchFromIpfs(absent, { gatewayBase: ORIGIN, fetch: gatewayFetch() }));
      expect(missing).to.be.instanceOf(IpfsDownloadError);
      expect((missing as IpfsDownloadError).code).to.equal("not-found");
      expect((missing as Error).message).to.equal(`The file ${absent} is not available from the IPFS gateway at ${ORIGIN}.`);
      expect(await rejection(fetchFromIpfs("nope", { gatewayBase: ORIGIN, fetch: gatewayFetch() }))).to.be.instanceOf(
        InvalidCidError,
      );
      const noBase = await rejection(fetchFromIpfs(absent));
      expect((noBase as Error).message).to.match(/gatewayBase/);
    });

    it("retries a failing gateway", async () => {
      const { cid } = await store.add(patternBytes(1000, 43));
      let calls = 0;
      const flaky = (async (input: string | URL | Request) => {
        calls++;
        if (calls === 1) throw new TypeError("fetch failed");
        if (calls === 2) return new Response("{}", { status: 502 });
        return gatewayFetch()(input);
      }) as typeof fetch;
      const fetched = await fetchFromIpfs(cid, { gatewayBase: ORIGIN, fetch: flaky, retryDelayMs: 1 });
      expect(fetched.length).to.equal(1000);
      expect(calls).to.equal(3);
    });
  });

  describe("over real HTTP (Node, without XMLHttpRequest)", () => {
    let server: http.Server;
    let base: string;

    beforeEach(async () => {
      Reflect.deleteProperty(globalThis, "XMLHttpRequest");
      globalThis.fetch = realFetch;
      server = http.createServer((req, res) => {
        void (async () => {
          const url = new URL(req.url ?? "/", base);
          const request = new Request(url, {
            method: req.method,
            headers: req.headers as Record<string, string>,
            body: req.method === "POST" ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
            duplex: "half",
          } as RequestInit);
          const response =
            url.pathname === "/api/ipfs"
              ? await handleIpfsUpload(request, { store, maxBytes: 1_000_000 })
              : await handleIpfsGateway(request, url.pathname.replace(/^\/ipfs\//, ""), { store });
          res.writeHead(response.status, Object.fromEntries(response.headers));
          res.end(Buffer.from(await response.arrayBuffer()));
        })();
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterEach(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it("uploads and downloads a multi-block file", async () => {
      const bytes = patternBytes(900_000, 44);
      const { cid } = await uploadToIpfs(bytes, { endpoint: `${base}/api/ipfs` });
      expect(cid).to.equal(await computeCid(bytes));
      const fetched = await fetchFromIpfs(cid, { gatewayBase: base });
      expect(Buffer.from(fetched).equals(Buffer.from(bytes))).to.equal(true);
    });
  });
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

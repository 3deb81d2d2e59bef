import { expect } from "chai";
import { mkdtemp, rm, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CID } from "multiformats/cid";
import * as uploadRoute from "../../app/api/ipfs/route";
import * as gatewayRoute from "../../app/ipfs/[cid]/route";
import { computeCid } from "../../lib/ipfs/cid";
import { IpfsStoreError } from "../../lib/ipfs/errors";
import { handleIpfsGateway, handleIpfsUpload, IMMUTABLE_CACHE_CONTROL } from "../../lib/ipfs/handlers";
import { EmbeddedIpfsStore, resetIpfsStore, type IpfsStore } from "../../lib/ipfs/store";
import { patternBytes } from "./support/kuboReference";

const ORIGIN = "http://localhost:3000";
const HELLO_CID = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";

function upload(body: BodyInit | null, headers: Record<string, string> = {}): Request {
  return new Request(`${ORIGIN}/api/ipfs`, {
    method: "POST",
    body,
    headers: { "Content-Type": "application/octet-stream", ...headers },
    duplex: "half",
  } as RequestInit);
}

function gateway(cid: string, init: RequestInit & { query?: string } = {}) {
  const request = new Request(`${ORIGIN}/ipfs/${cid}${init.query ?? ""}`, init);
  return gatewayRoute.GET(request, { params: Promise.resolve({ cid }) });
}

/** An endless body that counts how much of it was read. */
function endlessBody(chunkSize: number): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += chunkSize;
      controller.enqueue(new Uint8Array(chunkSize).fill(7));
    },
  });
  return { stream, pulled: () => pulled };
}

describe("IPFS routes (POST /api/ipfs, GET /ipfs/[cid])", () => {
  let dir: string;
  const saved = { ...process.env };
  const consoleError = console.error;
  let logged: unknown[][] = [];

  beforeEach(async () => {
    logged = [];
    console.error = (...args: unknown[]) => void logged.push(args); // the handlers log failures for operators
    dir = await mkdtemp(path.join(tmpdir(), "modelbounty-ipfs-routes-"));
    process.env.MODELBOUNTY_IPFS_DIR = dir;
    delete process.env.MODELBOUNTY_IPFS_API;
    delete process.env.MODELBOUNTY_IPFS_MAX_BYTES;
    resetIpfsStore();
  });

  afterEach(async () => {
    console.error = consoleError;
    for (const name of Object.keys(process.env)) if (name.startsWith("MODELBOUNTY_IPFS_")) delete process.env[name];
    Object.assign(process.env, saved);
    resetIpfsStore();
    await rm(dir, { recursive: true, force: true });
  });

  it("run on the Node.js runtime", () => {
    expect(uploadRoute.runtime).to.equal("nodejs");
    expect(gatewayRoute.runtime).to.equal("nodejs");
  });

  it("uploads raw bytes and serves them back by CID with immutable caching", async () => {
    const bytes = patternBytes(600_000, 21);
    const response = await uploadRoute.POST(upload(bytes));
    expect(response.status).to.equal(201);
    const body = (await response.json()) as { cid: string; size: number };
    const cid = await computeCid(bytes);
    expect(body).to.deep.equal({ cid, size: bytes.length });
    expect(response.headers.get("location")).to.equal(`/ipfs/${cid}`);

    const served = await gateway(cid);
    expect(served.status).to.equal(200);
    expect(served.headers.get("cache-control")).to.equal("public, max-age=31536000, immutable");
    expect(served.headers.get("etag")).to.equal(`"${cid}"`);
    expect(served.headers.get("content-type")).to.equal("application/octet-stream");
    expect(served.headers.get("content-length")).to.equal(String(bytes.length));
    expect(served.headers.get("x-content-type-options")).to.equal("nosniff");
    expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(bytes))).to.equal(true);
  });

  it("persists across store instances (a server restart)", async () => {
    const response = await uploadRoute.POST(upload(new TextEncoder().encode("hello world")));
    expect(((await response.json()) as { cid: string }).cid).to.equal(HELLO_CID);
    resetIpfsStore();
    const served = await gateway(HELLO_CID);
    expect(await served.text()).to.equal("hello world");
  });

  it("answers 413 with the limit when Content-Length is over it, without reading the body", async () => {
    process.env.MODELBOUNTY_IPFS_MAX_BYTES = "1000";
    const { stream, pulled } = endlessBody(64);
    const response = await uploadRoute.POST(upload(stream, { "Content-Length": "5000" }));
    expect(response.status).to.equal(413);
    const body = (await response.json()) as { error: string; limitBytes: number };
    expect(body.limitBytes).to.equal(1000);
    expect(body.error).to.match(/4\.9 KiB/).and.match(/1,000 bytes/).and.match(/smaller file/).and.match(/MODELBOUNTY_IPFS_MAX_BYTES/);
    expect(pulled()).to.be.lessThan(1000);
  });

  it("answers 413 while streaming a body with no length, and stops reading it", async () => {
    process.env.MODELBOUNTY_IPFS_MAX_BYTES = "100000";
    const { stream, pulled } = endlessBody(16_384);
    const response = await uploadRoute.POST(upload(stream));
    expect(response.status).to.equal(413);
    expect(((await response.json()) as { error: string }).error).to.match(/larger than the upload limit of 97\.7 KiB/);
    expect(pulled()).to.be.lessThan(100_000 + 5 * 16_384);
  });

  it("accepts a file of exactly the limit", async () => {
    const bytes = patternBytes(1000, 22);
    const response = await handleIpfsUpload(upload(bytes), { maxBytes: 1000 });
    expect(response.status).to.equal(201);
    const tooBig = await handleIpfsUpload(upload(patternBytes(1001, 22)), { maxBytes: 1000 });
    expect(tooBig.status).to.equal(413);
  });

  it("refuses empty bodies and form uploads with a sentence", async () => {
    const empty = await uploadRoute.POST(upload(new Uint8Array(0)));
    expect(empty.status).to.equal(400);
    expect(((await empty.json()) as { error: string }).error).to.match(/empty/);
    const form = new FormData();
    form.append("file", new Blob(["x"]));
    const formResponse = await uploadRoute.POST(
      new Request(`${ORIGIN}/api/ipfs`, { method: "POST", body: form }),
    );
    expect(formResponse.status).to.equal(415);
    expect(((await formResponse.json()) as { error: string }).error).to.match(/raw bytes/);
  });

  it("reports storage failures as 502 and unexpected ones as 500", async () => {
    const failing = (error: Error): IpfsStore => ({
      add: () => Promise.reject(error),
      get: () => Promise.reject(error),
    });
    const bytes = new TextEncoder().encode("x");
    const unreachable = await handleIpfsUpload(upload(bytes), {
      store: failing(new IpfsStoreError("The IPFS node at http://127.0.0.1:5001 could not be reached.")),
    });
    expect(unreachable.status).to.equal(502);
    expect(((await unreachable.json()) as { error: string }).error).to.match(/could not be reached/);
    const broken = await handleIpfsUpload(upload(bytes), { store: failing(new Error("disk full")) });
    expect(broken.status).to.equal(500);
    expect(((await broken.json()) as { error: string }).error).to.match(/could not store the file \(disk full\)/);
    expect(logged.length, "failures are logged on the server").to.equal(2);
  });

  it("gateway: 400 for a malformed CID, 404 when absent (not cached), 304 on a matching ETag", async () => {
    const bad = await gateway("not-a-cid");
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { error: string }).error).to.match(/not a valid CID/);

    const absent = await gateway(await computeCid(new TextEncoder().encode("nobody uploaded this")));
    expect(absent.status).to.equal(404);
    expect(absent.headers.get("cache-control")).to.equal("no-store");
    expect(((await absent.json()) as { error: string }).error).to.match(/No file with CID/);

    await uploadRoute.POST(upload(new TextEncoder().encode("hello world")));
    const cached = await gateway(HELLO_CID, { headers: { "If-None-Match": `"${HELLO_CID}"` } });
    expect(cached.status).to.equal(304);
    expect(cached.headers.get("etag")).to.equal(`"${HELLO_CID}"`);
  });

  it("gateway: offers a download name when asked", async () => {
    await uploadRoute.POST(upload(new TextEncoder().encode("hello world")));
    const response = await gateway(HELLO_CID, { query: "?filename=model%20v1.onnx" });
    expect(response.headers.get("content-disposition")).to.equal(
      `attachment; filename="model v1.onnx"; filename*=UTF-8''model%20v1.onnx`,
    );
  });

  it("gateway: never serves content that fails verification", async () => {
    const bytes = patternBytes(300_000, 23);
    const { cid } = (await (await uploadRoute.POST(upload(bytes))).json()) as { cid: string };
    const blockFile = new EmbeddedIpfsStore(dir).blockstore.pathFor(CID.parse(cid));
    const block = await readFile(blockFile);
    block[block.length - 1] = (block[block.length - 1] ?? 0) ^ 1;
    await writeFile(blockFile, block);
    const response = await gateway(cid);
    expect(response.status).to.equal(502);
    expect(response.headers.get("cache-control")).to.equal("no-store");
    expect(((await response.json()) as { error: string }).error).to.match(/does not match its hash/);
  });

  it("gateway handler accepts an injected store", async () => {
    const store = new EmbeddedIpfsStore(path.join(dir, "other"));
    const { cid } = await store.add(new TextEncoder().encode("injected"));
    const response = await handleIpfsGateway(new Request(`${ORIGIN}/ipfs/${cid}`), cid, { store });
    expect(response.headers.get("cache-control")).to.equal(IMMUTABLE_CACHE_CONTROL);
    expect(await response.text()).to.equal("injected");
  });

  it("GET /api/ipfs tells clients the limit", async () => {
    process.env.MODELBOUNTY_IPFS_MAX_BYTES = "12345";
    const response = await uploadRoute.GET();
    // No node runs in this test process, and no pinning service is configured.
    expect(await response.json()).to.deep.equal({ maxBytes: 12345, gateway: "/ipfs", pinning: false });
  });
});

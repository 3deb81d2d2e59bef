/**
 * Remote pinning with the IPFS Pinning Service API, against a local HTTP server that implements the spec's
 * POST /pins, GET /pins/{requestid} and GET /pins?cid= (test/ipfs/support/pinningService.ts).
 */
import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { handleIpfsPinRequest, handleIpfsPinStatus, handleIpfsUpload } from "../../lib/ipfs/handlers";
import { PinningServiceClient, PinningServiceError, RemotePinner, type PinRecord } from "../../lib/ipfs/pinning";
import { EmbeddedIpfsStore, readIpfsServerConfig } from "../../lib/ipfs/store";
import { startTestPinningService, type TestPinningService } from "./support/pinningService";

const ORIGIN = "http://localhost";
const ORIGINS = ["/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWDNUVee71rTSQCSfhpiE2hA9d1eqFyfF8XuWJf9oYKfMR"];

describe("lib/ipfs/pinning (IPFS Pinning Service API)", () => {
  let dir: string;
  let service: TestPinningService;
  let delegatesDialed: string[];
  let logged: string[];

  function pinner(token = service.token, url = service.url): RemotePinner {
    return new RemotePinner(new PinningServiceClient(url, token, { timeoutMs: 5_000 }), {
      dir,
      origins: () => ORIGINS,
      connect: async (address) => void delegatesDialed.push(address),
      log: (line) => void logged.push(line),
    });
  }

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "modelbounty-ipfs-pins-"));
    service = await startTestPinningService();
    delegatesDialed = [];
    logged = [];
  });

  afterEach(async () => {
    await service.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("an upload is pinned with POST /pins (Bearer token, CID, this node's origins) and followed to 'pinned'", async () => {
    const store = new EmbeddedIpfsStore(dir, { pinner: pinner() });
    const result = await store.add(new TextEncoder().encode("pin me"));
    expect(result.pin).to.deep.include({ cid: result.cid, status: "queued", retryable: false, service: service.url });
    const [request] = [...service.pins.values()];
    expect(request?.pin).to.deep.equal({ cid: result.cid, origins: ORIGINS });
    expect(result.pin?.requestid).to.equal(request?.requestid);
    expect(service.requests[0]).to.deep.equal({ method: "POST", path: "/pins", authorization: `Bearer ${service.token}` });
    expect(delegatesDialed, "connects to the service's delegates").to.deep.equal(request?.delegates);

    service.setStatus(request?.requestid ?? "", "pinning");
    expect((await pinner().status(result.cid))?.status).to.equal("pinning");
    service.setStatus(request?.requestid ?? "", "pinned");
    expect((await pinner().status(result.cid))?.status).to.equal("pinned");
    const reads = service.requests.filter((r) => r.path === `/pins/${request?.requestid}`).length;
    expect((await pinner().status(result.cid))?.status, "a pinned CID is final: no more requests").to.equal("pinned");
    expect(service.requests.filter((r) => r.path === `/pins/${request?.requestid}`).length).to.equal(reads);
  });

  it("asking again for a queued pin refreshes it instead of pinning twice", async () => {
    const store = new EmbeddedIpfsStore(dir, { pinner: pinner() });
    const { cid } = await store.add(new TextEncoder().encode("only once"));
    await store.add(new TextEncoder().encode("only once"));
    const again = await pinner().pin(cid);
    expect(again.status).to.equal("queued");
    expect(service.pins.size).to.equal(1);
  });

  it("a refused token is reported, not retried blindly, and the local copy is kept", async () => {
    const store = new EmbeddedIpfsStore(dir, { pinner: pinner("wrong-token") });
    const bytes = new TextEncoder().encode("kept locally");
    const result = await store.add(bytes);
    expect(result.pin).to.deep.include({ status: "not-requested", retryable: false });
    expect(result.pin?.error).to.match(/refused the access token \(HTTP 401: UNAUTHORIZED: access token is missing or invalid\)/);
    expect(result.pin?.error).to.match(/MODELBOUNTY_PINNING_SERVICE_TOKEN/);
    expect(new TextDecoder().decode(await store.get(result.cid))).to.equal("kept locally");
    expect(service.pins.size).to.equal(0);
    expect(logged.join("\n")).to.match(/remote pin of .* failed/);
  });

  it("a service outage is recorded as retryable, and POST /api/ipfs/pins/<cid> retries it", async () => {
    service.unavailable = true;
    const store = new EmbeddedIpfsStore(dir, { pinner: pinner() });
    const upload = await handleIpfsUpload(
      new Request(`${ORIGIN}/api/ipfs`, { method: "POST", body: new TextEncoder().encode("retry me"), headers: { "Content-Type": "application/octet-stream" } }),
      { store, maxBytes: 1000 },
    );
    expect(upload.status, "the upload itself succeeds").to.equal(201);
    const uploaded = (await upload.json()) as { cid: string; pin: PinRecord };
    expect(uploaded.pin).to.deep.include({ status: "not-requested", retryable: true });
    expect(uploaded.pin.error).to.match(/HTTP 503: UNAVAILABLE: down for maintenance\)\. It will be retried\./);

    const recorded = await handleIpfsPinStatus(uploaded.cid, { pinner: pinner() });
    expect(recorded.status).to.equal(200);
    expect(((await recorded.json()) as PinRecord).status).to.equal("not-requested");

    const stillDown = await handleIpfsPinRequest(uploaded.cid, { pinner: pinner(), store });
    expect(stillDown.status).to.equal(502);
    expect(((await stillDown.json()) as PinRecord).retryable).to.equal(true);

    service.unavailable = false;
    const retried = await handleIpfsPinRequest(uploaded.cid, { pinner: pinner(), store });
    expect(retried.status).to.equal(202);
    const record = (await retried.json()) as PinRecord;
    expect(record).to.deep.include({ status: "queued", retryable: false });
    expect(record.error).to.equal(undefined);
    expect([...service.pins.values()].map((pin) => pin.pin.cid)).to.deep.equal([uploaded.cid]);
  });

  it("a pin the service marks 'failed' is reported with its reason and requested again on retry", async () => {
    const store = new EmbeddedIpfsStore(dir, { pinner: pinner() });
    const { cid, pin } = await store.add(new TextEncoder().encode("fails remotely"));
    service.setStatus(pin?.requestid ?? "", "failed", { status_details: "could not fetch the blocks" });
    const failed = await pinner().status(cid);
    expect(failed).to.deep.include({ status: "failed", retryable: true });
    expect(failed?.error).to.match(/could not pin .*\(could not fetch the blocks\); ask again to retry/);
    const again = await pinner().pin(cid);
    expect(again.status).to.equal("queued");
    expect(again.requestid).to.not.equal(pin?.requestid);
    expect(service.pins.size).to.equal(2);
  });

  it("the pin routes: 400 for a bad CID, 404 for content not stored or never pinned, 501 without a service", async () => {
    const store = new EmbeddedIpfsStore(dir);
    expect((await handleIpfsPinStatus("not-a-cid", { pinner: pinner() })).status).to.equal(400);
    const absent = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";
    const notStored = await handleIpfsPinRequest(absent, { pinner: pinner(), store });
    expect(notStored.status).to.equal(404);
    expect(((await notStored.json()) as { error: string }).error).to.match(/upload it before pinning/);
    expect((await handleIpfsPinStatus(absent, { pinner: pinner() })).status).to.equal(404);
    expect(service.requests, "nothing was sent to the service").to.deep.equal([]);

    const saved = { ...process.env };
    try {
      delete process.env.MODELBOUNTY_PINNING_SERVICE_URL;
      delete process.env.MODELBOUNTY_PINNING_SERVICE_TOKEN;
      const unconfigured = await handleIpfsPinStatus(absent);
      expect(unconfigured.status).to.equal(501);
      expect(((await unconfigured.json()) as { error: string }).error).to.match(/MODELBOUNTY_PINNING_SERVICE_URL/);
    } finally {
      Object.assign(process.env, saved);
    }
  });

  it("the client checks answers against the spec", async () => {
    const client = new PinningServiceClient(service.url, service.token);
    const status = await client.addPin("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e", { name: "hello" });
    expect(status).to.deep.include({ status: "queued" });
    expect((await client.getPin(status.requestid)).pin.name).to.equal("hello");
    expect((await client.findPins(status.pin.cid)).map((pin) => pin.requestid)).to.deep.equal([status.requestid]);
    const missing = await client.getPin("no-such-request").catch((error: unknown) => error);
    expect(missing).to.be.instanceOf(PinningServiceError);
    expect((missing as PinningServiceError).status).to.equal(404);
    const unreachable = await new PinningServiceClient("http://127.0.0.1:1/psa", "t", { timeoutMs: 2_000 })
      .addPin(status.pin.cid)
      .catch((error: unknown) => error);
    expect(unreachable).to.be.instanceOf(PinningServiceError);
    expect((unreachable as PinningServiceError).retryable).to.equal(true);
  });

  it("configuration: the URL needs its token and the reverse", () => {
    expect(readIpfsServerConfig({}).pinning).to.equal(undefined);
    expect(
      readIpfsServerConfig({ MODELBOUNTY_PINNING_SERVICE_URL: "https://pins.example/psa/", MODELBOUNTY_PINNING_SERVICE_TOKEN: "t" }).pinning,
    ).to.deep.equal({ url: "https://pins.example/psa", token: "t" });
    expect(() => readIpfsServerConfig({ MODELBOUNTY_PINNING_SERVICE_URL: "https://pins.example" })).to.throw(/MODELBOUNTY_PINNING_SERVICE_TOKEN is not set/);
    expect(() => readIpfsServerConfig({ MODELBOUNTY_PINNING_SERVICE_TOKEN: "t" })).to.throw(/MODELBOUNTY_PINNING_SERVICE_URL is not/);
    expect(() => readIpfsServerConfig({ MODELBOUNTY_PINNING_SERVICE_URL: "pins.example", MODELBOUNTY_PINNING_SERVICE_TOKEN: "t" })).to.throw(
      /MODELBOUNTY_PINNING_SERVICE_URL must be/,
    );
  });
});

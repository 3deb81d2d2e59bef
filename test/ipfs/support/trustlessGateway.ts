/**
 * A small trustless gateway (https://specs.ipfs.tech/http-gateways/trustless-gateway/) over a data folder: answers
 * `GET /ipfs/<cid>?format=raw` with the block's bytes, 404 for blocks it lacks. It can be told to alter what it
 * sends, to check that the app verifies every block a gateway returns.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { CID } from "multiformats/cid";
import { BlockNotFoundError, FsBlockstore } from "../../../lib/ipfs/fsBlockstore";

export interface TestGateway {
  url: string;
  /** Every request: path, `format` query, `Accept` header. */
  requests: Array<{ path: string; format: string | null; accept?: string }>;
  /** Flip a bit of every block sent. */
  tamper: boolean;
  close(): Promise<void>;
}

export async function startTestGateway(dir: string): Promise<TestGateway> {
  const blocks = new FsBlockstore(dir);
  const gateway: TestGateway = { url: "", requests: [], tamper: false, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://gateway");
    gateway.requests.push({ path: url.pathname, format: url.searchParams.get("format"), accept: req.headers.accept });
    const match = /^\/ipfs\/([a-z0-9]+)$/i.exec(url.pathname);
    if (!match?.[1] || (url.searchParams.get("format") !== "raw" && req.headers.accept !== "application/vnd.ipld.raw")) {
      res.writeHead(400).end("only /ipfs/<cid>?format=raw is served");
      return;
    }
    const cid = CID.parse(match[1]);
    blocks.getBlock(cid).then(
      (bytes) => {
        const body = Buffer.from(bytes);
        if (gateway.tamper) body[0] = (body[0] ?? 0) ^ 1;
        res.writeHead(200, { "Content-Type": "application/vnd.ipld.raw", "Content-Length": body.length }).end(body);
      },
      (error: unknown) => {
        res.writeHead(error instanceof BlockNotFoundError ? 404 : 500).end(String(error));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  gateway.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  gateway.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return gateway;
}

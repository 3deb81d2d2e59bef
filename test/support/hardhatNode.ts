/**
 * A standalone `hardhat node` for tests that must see what the product's local chain does over JSON-RPC (the
 * in-process network answers some calls differently, e.g. eth_estimateGas for large transactions).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

export interface HardhatNode {
  readonly rpcUrl: string;
  stop(): void;
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `hardhat node` on a loopback port and resolves once it serves JSON-RPC: `port` when given (a test that must
 * stay within ports assigned to it), else a free one.
 */
export async function startHardhatNode(timeoutMs = 90_000, port?: number): Promise<HardhatNode> {
  port ??= await freePort();
  const node: ChildProcess = spawn(path.join(ROOT, "node_modules", ".bin", "hardhat"), ["node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("hardhat node did not start")), timeoutMs);
    node.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("Started HTTP")) {
        clearTimeout(timer);
        resolve();
      }
    });
    node.on("exit", (code) => reject(new Error(`hardhat node exited with ${code}`)));
  });
  return { rpcUrl: `http://127.0.0.1:${port}`, stop: () => node.kill("SIGTERM") };
}

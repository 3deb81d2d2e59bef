/**
 * `npm run dev`: the whole product on embedded defaults, with no internet.
 *
 *   1. compile the contracts (typed ABIs for the app and the CLI)
 *   2. start a Hardhat node on 127.0.0.1:8545 (chain 31337, in memory: state is rebuilt on every start)
 *   3. deploy the CompetitionFactory and the DaiMoN ProblemFactory and record them in deployments/31337.json
 *   4. seed demo competitions in four stages and one DaiMoN problem with two committed Improvement blocks
 *      (their IPFS documents go to the embedded node under .data/ipfs)
 *   5. start Next.js on http://localhost:3000 (`next dev`, or `next build && next start` with --production)
 *
 * After the seed, the node also mines a block every MODELBOUNTY_DEV_BLOCK_INTERVAL seconds (default 2; 0: only on
 * transactions) so that countdowns move on an idle chain (./mining.ts).
 *
 * With MODELBOUNTY_RPC_URL set, steps 2–4 are skipped: the app talks to that chain and MODELBOUNTY_FACTORY /
 * MODELBOUNTY_PROBLEM_FACTORY (or deployments/<chainId>.json). Ctrl-C stops every child process.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createPublicClient, createTestClient, createWalletClient, defineChain, http, type Chain } from "viem";
import { deployFactories } from "../../lib/chain/deploy";
import { devAccount } from "../../lib/chain/devAccounts";
import type { DankuWallet } from "../../lib/chain/danku";
import { getIpfsStore } from "../../lib/ipfs/store";
import { readDeployment, writeDeployment } from "../shared/deployments";
import { devBlockInterval, startIntervalMining } from "./mining";
import { seedDemo } from "./seed";
import { seedDaimonDemo } from "./seedDaimon";

const ROOT = path.resolve(__dirname, "..", "..");
const BIN = path.join(ROOT, "node_modules", ".bin");
const CHAIN_PORT = Number(process.env.MODELBOUNTY_CHAIN_PORT ?? 8545);
const APP_PORT = Number(process.env.PORT ?? 3000);

const args = new Set(process.argv.slice(2));
const production = args.has("--production");
const seed = !args.has("--no-seed");
const children: ChildProcess[] = [];
let stopping = false;

function log(message: string): void {
  process.stdout.write(`[modelbounty] ${message}\n`);
}

function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
    }
  }
  setTimeout(() => process.exit(code), 500).unref();
}

process.on("SIGINT", () => {
  log("stopping…");
  stopAll(0);
});
process.on("SIGTERM", () => stopAll(0));

function start(command: string, argv: string[], env: NodeJS.ProcessEnv, ready?: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // detached: a process group of its own, so Ctrl-C handling can stop the whole tree (next spawns workers).
    const child = spawn(command, argv, { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    let resolved = !ready;
    if (resolved) resolve(child);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      if (!resolved && ready?.test(text)) {
        resolved = true;
        resolve(child);
      }
      return text;
    };
    child.stdout?.on("data", (chunk: Buffer) => {
      const text = onData(chunk);
      if (command.endsWith("next")) process.stdout.write(text);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      onData(chunk);
      process.stderr.write(chunk);
    });
    child.on("exit", (code) => {
      if (!resolved) reject(new Error(`${path.basename(command)} exited with code ${code} before it was ready`));
      else if (!stopping) {
        log(`${path.basename(command)} exited with code ${code}; stopping`);
        stopAll(code ?? 1);
      }
    });
  });
}

async function rpcAnswers(url: string): Promise<number | undefined> {
  try {
    return await createPublicClient({ transport: http(url, { retryCount: 0, timeout: 2_000 }) }).getChainId();
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const blockInterval = devBlockInterval(process.env);
  log("compiling contracts…");
  const compiled = spawnSync(path.join(BIN, "hardhat"), ["compile", "--quiet"], { cwd: ROOT, stdio: "inherit" });
  if (compiled.status !== 0) throw new Error("contract compilation failed");

  const external = process.env.MODELBOUNTY_RPC_URL;
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  if (external) {
    const chainId = await rpcAnswers(external);
    if (chainId === undefined) throw new Error(`MODELBOUNTY_RPC_URL=${external} does not answer`);
    log(`using the chain at ${external} (chain ${chainId}); no local node, no demo seeding`);
  } else {
    const rpcUrl = `http://127.0.0.1:${CHAIN_PORT}`;
    if ((await rpcAnswers(rpcUrl)) !== undefined) {
      throw new Error(`something already answers JSON-RPC on ${rpcUrl}; stop it (a previous npm run dev?) or set MODELBOUNTY_RPC_URL to use it`);
    }
    log(`starting a local Hardhat chain on ${rpcUrl}…`);
    await start(path.join(BIN, "hardhat"), ["node", "--hostname", "127.0.0.1", "--port", String(CHAIN_PORT)], env, /Started HTTP/);
    const chain: Chain = defineChain({
      id: 31337,
      name: "Hardhat",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [rpcUrl] } },
    });
    const client = createPublicClient({ chain, transport: http(rpcUrl), cacheTime: 0 });
    const wallet = (index: number): DankuWallet => createWalletClient({ account: devAccount(index), chain, transport: http(rpcUrl) });
    const deployments = await deployFactories(wallet(0), client);
    const deployment = deployments.competitionFactory;
    writeDeployment(deployments, ROOT);
    log(`CompetitionFactory at ${deployment.address}, ProblemFactory at ${deployments.problemFactory.address}`);
    if (seed) {
      log("seeding demo competitions…");
      const seeded = await seedDemo({
        client,
        testClient: createTestClient({ chain, mode: "hardhat", transport: http(rpcUrl) }),
        factory: deployment.address,
        organizer: wallet(0),
        submitters: [wallet(1), wallet(2), wallet(3)],
        donor: wallet(4),
        // The same store the web server uses: the embedded node, or kubo when MODELBOUNTY_IPFS_API is set.
        ipfs: getIpfsStore(),
        root: ROOT,
        log,
      });
      for (const s of seeded) log(`  ${s.stage.padEnd(12)} ${s.title} ${s.address}`);
      log("seeding the DaiMoN demo problem…");
      const problem = await seedDaimonDemo({
        client,
        testClient: createTestClient({ chain, mode: "hardhat", transport: http(rpcUrl) }),
        problemFactory: deployments.problemFactory.address,
        creator: wallet(0),
        improvers: [wallet(1), wallet(2)],
        validators: [wallet(3), wallet(4)],
        ipfs: getIpfsStore(),
        root: ROOT,
        log,
      });
      log(`  DaiMoN       ${problem.title} ${problem.address} (${problem.blocks} blocks, seeded in ${problem.seconds.toFixed(1)} s)`);
    }
    const blockTime = await startIntervalMining(createTestClient({ chain, mode: "hardhat", transport: http(rpcUrl) }), blockInterval, process.env);
    if (blockTime !== undefined) env.MODELBOUNTY_BLOCK_TIME_SECONDS = blockTime;
    log(blockInterval > 0 ? `mining a block every ${blockInterval} s (and one per transaction)` : "mining only on transactions");
    env.MODELBOUNTY_RPC_URL = rpcUrl;
    env.MODELBOUNTY_CHAIN_ID = "31337";
    env.MODELBOUNTY_FACTORY = deployment.address;
    env.MODELBOUNTY_FACTORY_BLOCK = deployment.deploymentBlock.toString();
    env.MODELBOUNTY_PROBLEM_FACTORY = deployments.problemFactory.address;
  }
  if (!external && readDeployment(31337, ROOT) === undefined) throw new Error("the factory deployment was not recorded");

  if (production) {
    log("building the app (next build)…");
    const built = spawnSync(path.join(BIN, "next"), ["build"], { cwd: ROOT, env, stdio: "inherit" });
    if (built.status !== 0) throw new Error("next build failed");
  }
  log(`starting the app on http://localhost:${APP_PORT} …`);
  await start(path.join(BIN, "next"), [production ? "start" : "dev", "-p", String(APP_PORT), "-H", "127.0.0.1"], env, /Ready|started server|Local:/);
  log(`ModelBounty is up: http://localhost:${APP_PORT}  (Ctrl-C stops everything)`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[modelbounty] ${error instanceof Error ? error.message : String(error)}\n`);
  stopAll(1);
});

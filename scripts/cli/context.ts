/**
 * What every CLI command shares: clients for the chosen RPC, the signer from the environment, and output that is
 * either for people (stderr progress, stdout summary) or for agents (`--json`: one JSON document on stdout).
 */
import { existsSync, readFileSync } from "node:fs";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  formatEther,
  getAddress,
  http,
  isAddress,
  type Address,
  type Chain,
  type PublicClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { DankuWallet } from "../../lib/chain/danku";
import { explainError } from "../../lib/chain/transactions";
import { readDeployment, readProblemFactoryDeployment } from "../shared/deployments";

export const PRIVATE_KEY_ENV = "MODELBOUNTY_PRIVATE_KEY";
export const FACTORY_ENV = "MODELBOUNTY_FACTORY";
export const PROBLEM_FACTORY_ENV = "MODELBOUNTY_PROBLEM_FACTORY";
export const RPC_ENV = "MODELBOUNTY_RPC_URL";
export const DEFAULT_RPC = "http://127.0.0.1:8545";

/** An error the user can fix; printed without a stack trace, exit code 1, nothing sent. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

export interface GlobalOptions {
  rpc?: string;
  json?: boolean;
  factory?: string;
}

export class Output {
  constructor(private readonly json: boolean) {}

  /** Progress for people; silent in JSON mode so stdout stays one document. */
  progress(message: string): void {
    if (!this.json) process.stderr.write(`${message}\n`);
  }

  result(human: string, data: Record<string, unknown>): void {
    if (this.json) process.stdout.write(`${JSON.stringify({ ok: true, ...data }, jsonReplacer, 2)}\n`);
    else process.stdout.write(`${human}\n`);
  }

  failure(message: string): void {
    if (this.json) process.stdout.write(`${JSON.stringify({ ok: false, error: message })}\n`);
    else process.stderr.write(`error: ${message}\n`);
  }
}

export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return `0x${Buffer.from(value).toString("hex")}`;
  return value;
}

export interface ChainContext {
  client: PublicClient;
  chain: Chain;
  rpcUrl: string;
}

export async function connect(options: GlobalOptions): Promise<ChainContext> {
  const rpcUrl = options.rpc ?? process.env[RPC_ENV] ?? DEFAULT_RPC;
  const probe = createPublicClient({ transport: http(rpcUrl, { retryCount: 0, timeout: 10_000 }) });
  let chainId: number;
  try {
    chainId = await probe.getChainId();
  } catch {
    throw new CliError(`cannot reach an Ethereum node at ${rpcUrl}; start one (npm run dev starts a local chain) or pass --rpc`);
  }
  const chain = defineChain({
    id: chainId,
    name: `chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  // A CLI run is short and acts on what it reads: never answer from viem's block-number cache.
  const client = createPublicClient({ chain, transport: http(rpcUrl), cacheTime: 0 }) as PublicClient;
  return { client, chain, rpcUrl };
}

export function signer(context: ChainContext): DankuWallet {
  const key = process.env[PRIVATE_KEY_ENV];
  if (!key) throw new CliError(`set ${PRIVATE_KEY_ENV} to the hex private key of the account that signs (never pass keys as flags)`);
  const normalized = key.startsWith("0x") ? key : `0x${key}`;
  if (!/^0x[0-9a-fA-F]{64}$/.test(normalized)) throw new CliError(`${PRIVATE_KEY_ENV} must be a 32-byte hex private key`);
  return createWalletClient({
    account: privateKeyToAccount(normalized as `0x${string}`),
    chain: context.chain,
    transport: http(context.rpcUrl),
  });
}

export function parseAddress(value: string | undefined, what: string): Address {
  if (!value || !isAddress(value)) throw new CliError(`${what} must be a 0x-prefixed 20-byte address, got ${value ?? "nothing"}`);
  return getAddress(value);
}

/** Factory address: --factory, then $MODELBOUNTY_FACTORY, then deployments/<chainId>.json written by the deploy command. */
export function resolveFactory(options: GlobalOptions, chainId: number): Address {
  const explicit = options.factory ?? process.env[FACTORY_ENV];
  if (explicit) return parseAddress(explicit, "the factory address");
  const recorded = readDeployment(chainId);
  if (recorded) return recorded.address;
  throw new CliError(`no factory known for chain ${chainId}: pass --factory, set ${FACTORY_ENV}, or deploy with npm run deploy:local`);
}

/** ProblemFactory address: --problem-factory, then $MODELBOUNTY_PROBLEM_FACTORY, then deployments/<chainId>.json. */
export function resolveProblemFactory(explicit: string | undefined, chainId: number): Address {
  const given = explicit ?? process.env[PROBLEM_FACTORY_ENV];
  if (given) return parseAddress(given, "the ProblemFactory address");
  const recorded = readProblemFactoryDeployment(chainId);
  if (recorded) return recorded.address;
  throw new CliError(
    `no ProblemFactory known for chain ${chainId}: pass --problem-factory, set ${PROBLEM_FACTORY_ENV}, or deploy both factories with modelbounty deploy`,
  );
}

export function readTextFile(file: string, what: string): string {
  if (!existsSync(file)) throw new CliError(`${what} ${file} does not exist`);
  return readFileSync(file, "utf8");
}

export function eth(value: bigint): string {
  return `${formatEther(value)} ETH`;
}

/** Runs a command body, turning every failure into one clear line and a non-zero exit. */
export async function run(output: Output, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const message =
      error instanceof CliError || (error instanceof Error && error.name.endsWith("Error") && !(error.name === "Error"))
        ? error.message
        : explainError(error).message;
    output.failure(message);
    process.exitCode = 1;
  }
}

/**
 * The app's runtime configuration: what the server reads from the environment at request time (see ./server.ts)
 * and hands to the browser, so one build works on any chain. Plain JSON only (it crosses the server → client
 * boundary); bigints travel as decimal strings.
 */
import { defineChain, type Address, type Chain } from "viem";

export interface AppConfig {
  chainId: number;
  chainName: string;
  /** JSON-RPC endpoint the browser and the server read from. */
  rpcUrl: string;
  /** CompetitionFactory address; null when none is configured or deployed for this chain. */
  factory: Address | null;
  /** Block of the factory's deployment (decimal string): where event scans start. */
  factoryBlock: string;
  /** DaiMoN ProblemFactory address; null when none is configured or deployed for this chain (DaiMoN is then off). */
  problemFactory: Address | null;
  /** Block of the ProblemFactory's deployment (decimal string), "0" when unknown. */
  problemFactoryBlock: string;
  /** WalletConnect Cloud project id; WalletConnect wallets are offered only when it is set. */
  walletConnectProjectId: string | null;
  /** Seconds per block when set explicitly; otherwise the app observes recent blocks (12 s as a last resort). */
  blockTimeSeconds: number | null;
  /** Multicall3 address when the chain has one; otherwise reads use a deployless multicall. */
  multicall3: Address | null;
  /** Development chains (Hardhat, Anvil): blocks are mined on demand, so wall-clock estimates mean little. */
  localChain: boolean;
  /** Problems found in the environment, shown to the user instead of failing obscurely later. */
  issues: string[];
}

export const DEFAULT_RPC_URL = "http://127.0.0.1:8545";
export const DEFAULT_CHAIN_ID = 31337;
export const DEFAULT_BLOCK_TIME_SECONDS = 12;
export const LOCAL_CHAIN_IDS: readonly number[] = [31337, 1337];

export function factoryBlock(config: AppConfig): bigint {
  return BigInt(config.factoryBlock);
}

export function problemFactoryBlock(config: AppConfig): bigint {
  return BigInt(config.problemFactoryBlock);
}

/** The viem chain the wallet and the reads use, built from the runtime config. */
/** How often the app polls the chain head: local chains mine on demand, so a transaction from elsewhere shows up quickly. */
export function pollingIntervalMs(config: Pick<AppConfig, "localChain">): number {
  return config.localChain ? 1_000 : 4_000;
}

export function chainFromConfig(config: AppConfig): Chain {
  return defineChain({
    id: config.chainId,
    name: config.chainName,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
    contracts: config.multicall3 ? { multicall3: { address: config.multicall3 } } : undefined,
    testnet: config.localChain,
  });
}

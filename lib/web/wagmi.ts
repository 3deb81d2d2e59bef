/**
 * The one wagmi config of the app (wagmi's Next.js playground pattern): built from the runtime AppConfig, cookie
 * storage so the server's first render already knows the account, JSON-RPC batching so many reads share one
 * HTTP request. Connectors are passed in by the client providers (RainbowKit's wallet list lives there); the
 * server builds the same config without connectors only to read the cookie.
 */
import { cookieStorage, createConfig, createStorage, http, type CreateConnectorFn } from "wagmi";
import type { Chain } from "viem";
import { chainFromConfig, pollingIntervalMs, type AppConfig } from "../config";

export function createWagmiConfig(app: AppConfig, connectors: CreateConnectorFn[] = []) {
  const chain = chainFromConfig(app);
  return createConfig({
    chains: [chain] as [Chain],
    connectors,
    transports: { [chain.id]: http(app.rpcUrl, { batch: true }) },
    ssr: true,
    storage: createStorage({ storage: cookieStorage, key: "modelbounty.wagmi" }),
    pollingInterval: pollingIntervalMs(app),
    // Aggregating reads needs a Multicall3 contract; without one, plain (JSON-RPC-batched) calls.
    batch: { multicall: app.multicall3 !== null },
  });
}

export type WagmiConfig = ReturnType<typeof createWagmiConfig>;

declare module "wagmi" {
  interface Register {
    config: WagmiConfig;
  }
}

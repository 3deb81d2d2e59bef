"use client";

import "@rainbow-me/rainbowkit/styles.css";
import { useState, type ReactNode } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { WagmiProvider, type State } from "wagmi";
import { connectorsForWallets, darkTheme, lightTheme, RainbowKitProvider, type WalletList } from "@rainbow-me/rainbowkit";
import { injectedWallet, metaMaskWallet, rainbowWallet, walletConnectWallet } from "@rainbow-me/rainbowkit/wallets";
import type { AppConfig } from "@/lib/config";
import { createWagmiConfig } from "@/lib/web/wagmi";
import { AppConfigProvider } from "./AppConfigContext";
import { ChainSync } from "./ChainSync";

function walletList(config: AppConfig): WalletList {
  // WalletConnect (and the wallets that need it) only with a real project id: without one, nothing may call out.
  const wallets = config.walletConnectProjectId ? [injectedWallet, metaMaskWallet, rainbowWallet, walletConnectWallet] : [injectedWallet];
  return [{ groupName: "Wallets", wallets }];
}

/** Wagmi → TanStack Query → RainbowKit, built once from the server's runtime config. */
export function Providers({ config, initialState, children }: { config: AppConfig; initialState?: State; children: ReactNode }) {
  const [wagmiConfig] = useState(() =>
    createWagmiConfig(
      config,
      connectorsForWallets(walletList(config), { appName: "ModelBounty", projectId: config.walletConnectProjectId ?? "modelbounty-local" }),
    ),
  );
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { retry: 1, retryDelay: 500, refetchOnWindowFocus: false, staleTime: 5_000 },
        },
      }),
  );
  return (
    <AppConfigProvider config={config}>
      <WagmiProvider config={wagmiConfig} initialState={initialState}>
        <QueryClientProvider client={queryClient}>
          <RainbowKitProvider
            appInfo={{ appName: "ModelBounty" }}
            theme={{ lightMode: lightTheme({ accentColor: "#4f46e5", borderRadius: "medium" }), darkMode: darkTheme({ accentColor: "#6366f1", borderRadius: "medium" }) }}
          >
            <ChainSync />
            {children}
          </RainbowKitProvider>
        </QueryClientProvider>
      </WagmiProvider>
    </AppConfigProvider>
  );
}

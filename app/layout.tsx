import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { headers } from "next/headers";
import { cookieToInitialState } from "wagmi";
import "./globals.css";
import { readAppConfig } from "@/lib/config/server";
import { createWagmiConfig } from "@/lib/web/wagmi";
import { Providers } from "@/components/providers/Providers";
import { SiteHeader } from "@/components/shell/SiteHeader";
import { NetworkBanner } from "@/components/shell/NetworkBanner";
import { ConfigIssues } from "@/components/shell/ConfigIssues";
import { SiteFooter } from "@/components/shell/SiteFooter";

export const metadata: Metadata = {
  title: { default: "ModelBounty", template: "%s · ModelBounty" },
  description: "Trustless machine-learning competitions on Ethereum",
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f8fafc" },
    { media: "(prefers-color-scheme: dark)", color: "#020617" },
  ],
};

// The configuration comes from the environment of the running server, not from the build.
export const dynamic = "force-dynamic";

export default async function RootLayout({ children }: { children: ReactNode }) {
  const config = readAppConfig();
  const cookie = (await headers()).get("cookie");
  const initialState = cookieToInitialState(createWagmiConfig(config), cookie);
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <a
          href="#main"
          className="sr-only z-50 rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white focus:not-sr-only focus:fixed focus:left-4 focus:top-3"
        >
          Skip to content
        </a>
        <Providers config={config} initialState={initialState}>
          <SiteHeader />
          <NetworkBanner />
          <ConfigIssues config={config} />
          <main id="main" tabIndex={-1} className="mx-auto max-w-7xl px-4 py-8 outline-none sm:px-6">
            {children}
          </main>
          <SiteFooter config={config} />
        </Providers>
      </body>
    </html>
  );
}

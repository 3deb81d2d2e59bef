import type { NextConfig } from "next";

// Optional modules of wallet SDKs that are not installed and never used here: resolved to an empty stub so the
// bundler does not fail (wagmi's Coinbase connector → @coinbase/cdp-sdk → @x402/*).
const EMPTY_MODULE = "./lib/web/stubs/empty-module.cjs";
const OPTIONAL_WALLET_MODULES = [
  "@x402/core/client",
  "@x402/core/schemas",
  "@x402/core/server",
  "@x402/evm",
  "@x402/evm/auth-capture/client",
  "@x402/evm/batch-settlement/client",
  "@x402/evm/exact/client",
  "@x402/evm/exact/server",
  "@x402/evm/exact/v1/client",
  "@x402/evm/upto/client",
  "@x402/evm/upto/server",
  "@x402/express",
  "@x402/extensions/bazaar",
  "@x402/extensions/builder-code",
  "@x402/fetch",
  "@x402/svm/exact/client",
  "@x402/svm/exact/server",
  "@x402/svm/exact/v1/client",
  "@x402/svm/upto/client",
  "@x402/svm/upto/server",
];

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // Only one `next dev` may run per build folder; the end-to-end tests use their own (playwright.config.ts) so they
  // can run while someone works on `npm run dev`.
  distDir: process.env.MODELBOUNTY_NEXT_DIST_DIR || ".next",
  // Hardhat's ts-node reads tsconfig.json; Next reads it too. Keep the build free of remote assets.
  images: { unoptimized: true },
  // `next build` type-checks only what it bundles (tsconfig.app.json): tests, e2e, benches and scripts are checked by
  // `npm run typecheck` (tsconfig.json), so the build does not spend minutes on them.
  typescript: { tsconfigPath: "tsconfig.app.json" },
  // The embedded IPFS node (lib/ipfs/network.ts, started by instrumentation.ts) runs on the server only; its libp2p
  // stack is loaded from node_modules at run time rather than bundled.
  serverExternalPackages: [
    "libp2p",
    "@libp2p/crypto",
    "@libp2p/identify",
    "@libp2p/logger",
    "@libp2p/noise",
    "@libp2p/tcp",
    "@libp2p/yamux",
    "@multiformats/multiaddr",
    "@helia/bitswap",
  ],
  turbopack: {
    resolveAlias: Object.fromEntries(OPTIONAL_WALLET_MODULES.map((name) => [name, EMPTY_MODULE])),
  },
};

export default nextConfig;

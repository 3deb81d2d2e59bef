/**
 * End-to-end tests (e2e/): Debian's Chromium, one worker (the tests share one chain and revert it after each
 * test), and the product itself as the web server: `scripts/dev/main.ts --no-seed` starts a Hardhat node, deploys
 * the factory and serves the app; the tests create the competitions they need.
 *
 *   npm run test:e2e                       # ports 3000 (app) and 8545 (chain); both must be free
 *   E2E_APP_PORT=3100 E2E_CHAIN_PORT=8555 npm run test:e2e
 *   E2E_PRODUCTION=1 npm run test:e2e      # against `next build && next start`
 *   E2E_REUSE_SERVER=1 npm run test:e2e    # use an app already running on the app port (its chain on the chain port)
 */
import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions, chromiumWithWebGpu, e2eSettings } from "./e2e/fixtures/settings";

const production = process.env.E2E_PRODUCTION === "1";

export default defineConfig({
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // The first visit to a page in `next dev` compiles it; chain fixtures mine and deploy.
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: e2eSettings.appUrl,
    browserName: "chromium",
    viewport: { width: 1366, height: 900 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: chromiumLaunchOptions,
  },
  projects: [
    // `npm test` (npm run test:e2e): the end-to-end tests.
    { name: "e2e", testDir: "e2e" },
    // `npm run bench:score` / `npm run bench:listing`: benchmarks driven through the same app and chain; they print
    // figures and write bench/results/*.json, and assert nothing about speed.
    { name: "bench", testDir: "bench", testMatch: /.*\.bench\.ts/, timeout: 900_000, use: { launchOptions: chromiumWithWebGpu } },
  ],
  webServer: {
    command: `node_modules/.bin/ts-node --transpile-only scripts/dev/main.ts --no-seed${production ? " --production" : ""}`,
    url: `${e2eSettings.appUrl}/`,
    env: {
      MODELBOUNTY_CHAIN_PORT: String(e2eSettings.chainPort),
      PORT: String(e2eSettings.appPort),
      NEXT_TELEMETRY_DISABLED: "1",
      // The embedded IPFS node listens on any free port, so a developer's `npm run dev` (port 4001) can keep running.
      MODELBOUNTY_IPFS_SWARM_PORT: process.env.MODELBOUNTY_IPFS_SWARM_PORT ?? "0",
      // No interval mining (scripts/dev/mining.ts): the specs count blocks and mine exactly the ones they need.
      MODELBOUNTY_DEV_BLOCK_INTERVAL: "0",
      // A build folder of its own: `next dev` allows one server per folder, and one may already be running.
      MODELBOUNTY_NEXT_DIST_DIR: process.env.MODELBOUNTY_NEXT_DIST_DIR ?? ".next/e2e",
    },
    reuseExistingServer: process.env.E2E_REUSE_SERVER === "1",
    timeout: (production ? 600 : 240) * 1000,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
  },
});

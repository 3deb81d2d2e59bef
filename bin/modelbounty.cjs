#!/usr/bin/env node
// Entry point of `npx modelbounty`: runs the TypeScript CLI through ts-node (transpile only, CommonJS — the same
// toolchain Hardhat uses), so the CLI shares lib/ with the app as is. Node resolves ESM-only dependencies itself.
const path = require("node:path");
require("ts-node").register({
  transpileOnly: true,
  project: path.join(__dirname, "..", "tsconfig.json"),
  compilerOptions: { module: "commonjs", moduleResolution: "node" },
});
require("../scripts/cli/main.ts");

#!/usr/bin/env node
// Entry point of `npx modelbounty`. Runs the CLI as built by `npm run build:cli` (bin/build-cli.cjs: tsc to CommonJS
// in .cli-build/, done at postinstall): it starts in about a second instead of compiling the TypeScript at every
// start. When the build is missing or a source it was built from has changed since (the sources were edited), it
// says so in one line on stderr and runs the TypeScript through ts-node instead, so editing the sources works.
// ESM-only dependencies (multiformats, ipfs-unixfs-*) are loaded by Node's require(esm) both ways (Node >= 20.19).
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const BUILD = path.join(ROOT, ".cli-build");
const ENTRY = path.join(BUILD, "scripts", "cli", "main.js");

/**
 * Why the build cannot be used (missing, or a source it was built from has changed: the SHA-256s recorded by
 * bin/build-cli.cjs), or undefined when it is current. Only sources modified after the build are hashed.
 */
function staleReason() {
  let sources;
  try {
    sources = JSON.parse(fs.readFileSync(path.join(BUILD, "sources.json"), "utf8"));
  } catch {
    return "the CLI is not built";
  }
  const builtAt = fs.statSync(path.join(BUILD, "sources.json")).mtimeMs;
  for (const [source, hash] of Object.entries(sources)) {
    const file = path.join(ROOT, source);
    let modified;
    try {
      modified = fs.statSync(file).mtimeMs;
    } catch {
      return `${source} is gone since the build`;
    }
    if (modified <= builtAt) continue;
    if (createHash("sha256").update(fs.readFileSync(file)).digest("hex") !== hash) return `${source} changed since the build`;
  }
  return undefined;
}

const reason = process.env.MODELBOUNTY_CLI_FROM_SOURCE ? "MODELBOUNTY_CLI_FROM_SOURCE is set" : staleReason();
if (reason === undefined) {
  require(ENTRY);
} else {
  process.stderr.write(`modelbounty: ${reason}; running the TypeScript sources (slow start; \`npm run build:cli\` rebuilds it)\n`);
  require("ts-node").register({
    transpileOnly: true,
    project: path.join(ROOT, "tsconfig.json"),
    compilerOptions: { module: "commonjs", moduleResolution: "node" },
  });
  require("../scripts/cli/main.ts");
}

#!/usr/bin/env node
// `npm run build:cli` (also at postinstall and at the start of `npm test`): compiles the CLI (scripts/cli/main.ts and
// the lib/ it imports) to CommonJS in .cli-build/ with tsc (emit only: `npm run typecheck` checks the types), then
// records the SHA-256 of every source the build came from in .cli-build/sources.json, which bin/modelbounty.cjs
// compares with the sources to decide whether the build is current.
const { createHash } = require("node:crypto");
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const BUILD = path.join(ROOT, ".cli-build");

fs.rmSync(BUILD, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(ROOT, "tsconfig.cli.json"), "--noCheck"], {
  cwd: ROOT,
  stdio: "inherit",
});

const sources = {};
const pending = [BUILD];
while (pending.length > 0) {
  const dir = pending.pop();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const built = path.join(dir, entry.name);
    if (entry.isDirectory()) pending.push(built);
    else if (entry.name.endsWith(".js")) {
      const relative = path.relative(BUILD, built).slice(0, -".js".length);
      const source = [".ts", ".tsx"].map((ext) => relative + ext).find((file) => fs.existsSync(path.join(ROOT, file)));
      if (!source) throw new Error(`${path.relative(ROOT, built)} was built from no .ts/.tsx source`);
      sources[source.split(path.sep).join("/")] = createHash("sha256").update(fs.readFileSync(path.join(ROOT, source))).digest("hex");
    }
  }
}
fs.writeFileSync(path.join(BUILD, "sources.json"), `${JSON.stringify(sources, null, 1)}\n`);
console.log(`modelbounty CLI built: ${Object.keys(sources).length} modules in ${path.relative(ROOT, BUILD)}/`);

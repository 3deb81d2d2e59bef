#!/usr/bin/env node
// Entry point of `npx modelbounty`: runs the TypeScript CLI through tsx, so the CLI shares lib/ with the app as is.
require("tsx/cjs/api").register();
require("../scripts/cli/main.ts");

/**
 * The README's requirements agree with package.json: it said "Node ≥ 20.18" while `engines` (and the ESM
 * `require`s the app relies on) need 20.19 (issue 12 §5).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";

const ROOT = path.resolve(__dirname, "..", "..");

describe("README requirements", () => {
  it("states the same minimum Node version as package.json's engines", () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { engines?: { node?: string } };
    const engines = /^>=\s*(\d+\.\d+(?:\.\d+)?)$/.exec(pkg.engines?.node ?? "");
    expect(engines, `package.json engines.node (${pkg.engines?.node}) should read ">=X.Y"`).to.not.equal(null);
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const stated = [...readme.matchAll(/Node\s*(?:≥|>=)\s*(\d+\.\d+(?:\.\d+)?)/g)].map((m) => m[1]);
    expect(stated.length, "the README states a minimum Node version").to.be.greaterThan(0);
    for (const version of stated) expect(version).to.equal(engines?.[1]);
  });
});

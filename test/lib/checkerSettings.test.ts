/**
 * When the app's server runs the claim checker (lib/config/checker.ts): on by default on chain 31337 with Hardhat
 * development account 9, off elsewhere unless asked for with a key, and every bad value refused with a reason.
 */
import { expect } from "chai";
import { readCheckerSettings, CHECKER_DEV_ACCOUNT } from "../../lib/config/checker";
import { privateKeyToAccount } from "viem/accounts";
import { devPrivateKey } from "../../lib/chain/devAccounts";
import { startServerChecker } from "../../lib/web/serverChecker";

const FACTORY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const LOCAL = { chainId: 31337, factory: FACTORY, factoryBlock: "7", rpcUrl: "http://127.0.0.1:8545" } as const;
const REMOTE = { ...LOCAL, chainId: 11155111, rpcUrl: "https://rpc.example" } as const;
const KEY = `0x${"ab".repeat(32)}` as const;

describe("claim checker settings (lib/config/checker.ts)", function () {
  it("is on by default on the local chain, signing with development account 9", function () {
    expect(CHECKER_DEV_ACCOUNT).to.equal(9);
    expect(readCheckerSettings({}, LOCAL)).to.deep.equal({
      enabled: true,
      privateKey: devPrivateKey(9),
      intervalMs: 3000,
      factory: FACTORY,
      fromBlock: 7n,
      rpcUrl: LOCAL.rpcUrl,
      chainId: 31337,
      usesDevAccount: true,
    });
  });

  it("is off with MODELBOUNTY_CHECKER=off, and off by default on any other chain", function () {
    expect(readCheckerSettings({ MODELBOUNTY_CHECKER: "off" }, LOCAL)).to.deep.equal({ enabled: false, reason: "MODELBOUNTY_CHECKER=off" });
    expect(readCheckerSettings({ MODELBOUNTY_CHECKER: " OFF " }, LOCAL).enabled).to.equal(false);
    expect(readCheckerSettings({ MODELBOUNTY_CHECKER_PRIVATE_KEY: KEY }, REMOTE)).to.deep.equal({
      enabled: false,
      reason: "chain 11155111 is not the local chain: set MODELBOUNTY_CHECKER=on and MODELBOUNTY_CHECKER_PRIVATE_KEY to run the claim checker",
    });
  });

  it("runs on another chain when switched on with a key (0x optional), and refuses to without one", function () {
    const on = readCheckerSettings({ MODELBOUNTY_CHECKER: "on", MODELBOUNTY_CHECKER_PRIVATE_KEY: KEY.slice(2), MODELBOUNTY_CHECKER_INTERVAL_SECONDS: "12.5" }, REMOTE);
    expect(on).to.deep.equal({ enabled: true, privateKey: KEY, intervalMs: 12_500, factory: FACTORY, fromBlock: 7n, rpcUrl: REMOTE.rpcUrl, chainId: 11155111, usesDevAccount: false });
    expect(readCheckerSettings({ MODELBOUNTY_CHECKER: "on" }, REMOTE)).to.deep.equal({
      enabled: false,
      reason: "MODELBOUNTY_CHECKER=on on chain 11155111 needs MODELBOUNTY_CHECKER_PRIVATE_KEY (a funded account that sends the disputes)",
    });
    // A key given on the local chain replaces the development account.
    expect(readCheckerSettings({ MODELBOUNTY_CHECKER_PRIVATE_KEY: KEY }, LOCAL)).to.include({ enabled: true, privateKey: KEY, usesDevAccount: false });
  });

  it("refuses bad values with a reason instead of guessing", function () {
    expect(readCheckerSettings({ MODELBOUNTY_CHECKER: "yes" }, LOCAL)).to.deep.equal({ enabled: false, reason: "MODELBOUNTY_CHECKER=yes is neither on nor off; the claim checker is not started" });
    expect(readCheckerSettings({ MODELBOUNTY_CHECKER_PRIVATE_KEY: "0x1234" }, LOCAL)).to.deep.equal({
      enabled: false,
      reason: "MODELBOUNTY_CHECKER_PRIVATE_KEY must be a 32-byte hex private key; the claim checker is not started",
    });
    for (const bad of ["0", "-3", "soon"]) {
      expect(readCheckerSettings({ MODELBOUNTY_CHECKER_INTERVAL_SECONDS: bad }, LOCAL)).to.deep.equal({
        enabled: false,
        reason: `MODELBOUNTY_CHECKER_INTERVAL_SECONDS=${bad} is not a positive number of seconds; the claim checker is not started`,
      });
    }
    expect(readCheckerSettings({}, { ...LOCAL, factory: null })).to.deep.equal({ enabled: false, reason: "no CompetitionFactory is configured for chain 31337, so there are no competitions to check" });
  });
});

describe("the server's checker start (lib/web/serverChecker.ts)", function () {
  it("logs why it is off and starts nothing", function () {
    const lines: string[] = [];
    expect(startServerChecker({ MODELBOUNTY_CHECKER: "off", MODELBOUNTY_FACTORY: FACTORY }, (l) => lines.push(l))).to.equal(null);
    expect(startServerChecker({ MODELBOUNTY_CHAIN_ID: "11155111", MODELBOUNTY_FACTORY: FACTORY }, (l) => lines.push(l))).to.equal(null);
    expect(lines).to.deep.equal([
      "off: MODELBOUNTY_CHECKER=off",
      "off: chain 11155111 is not the local chain: set MODELBOUNTY_CHECKER=on and MODELBOUNTY_CHECKER_PRIVATE_KEY to run the claim checker",
    ]);
  });

  it("survives a chain that does not answer: the failure is logged once (not once per round) and stop() ends it", async function () {
    const lines: string[] = [];
    // Port 8689 (this suite's range) has no node: every round fails the same way.
    const env = { MODELBOUNTY_RPC_URL: "http://127.0.0.1:8689", MODELBOUNTY_FACTORY: FACTORY, MODELBOUNTY_CHECKER_INTERVAL_SECONDS: "0.02" };
    const loop = startServerChecker(env, (l) => lines.push(l));
    expect(loop).to.not.equal(null);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await loop?.stop();
    expect(lines[0]).to.equal(`checking the claims of factory ${FACTORY}'s claim-mode competitions every 0.02 s as ${privateKeyToAccount(devPrivateKey(9)).address} (Hardhat development account 9; MODELBOUNTY_CHECKER=off turns it off)`);
    const failures = lines.filter((l) => l.startsWith("a round failed (retrying every 0.02 s): "));
    expect(failures.length, lines.join("\n")).to.equal(1);
    expect(lines.length).to.equal(2);
  });
});

/**
 * Whether and how the app's server runs the claim checker (lib/danku/checkerLoop.ts, docs/protocol.md §11 "The
 * checker"), from the environment:
 *
 * | variable | default |
 * | --- | --- |
 * | MODELBOUNTY_CHECKER | on for chain 31337 (the local Hardhat chain of `npm run dev`), off elsewhere |
 * | MODELBOUNTY_CHECKER_PRIVATE_KEY | chain 31337: Hardhat development account 9; elsewhere required when on |
 * | MODELBOUNTY_CHECKER_INTERVAL_SECONDS | 3 |
 *
 * Account 9 is used by nothing else: the seed, the e2e tests and the demos use accounts 0–5, so its balance and
 * nonce only ever move through disputes (and its winnings are the wrong claims' bonds).
 */
import type { Hex } from "viem";
import { devPrivateKey } from "../chain/devAccounts";
import type { AppConfig } from "./index";

type Env = Record<string, string | undefined>;

/** The Hardhat development account the local checker signs with (see the table above). */
export const CHECKER_DEV_ACCOUNT = 9;
export const DEFAULT_CHECKER_INTERVAL_SECONDS = 3;
/** The chain where the checker runs by default, with a development key: Hardhat's. */
export const CHECKER_DEFAULT_CHAIN_ID = 31337;

export type CheckerSettings =
  | { enabled: true; privateKey: Hex; intervalMs: number; factory: `0x${string}`; fromBlock: bigint; rpcUrl: string; chainId: number; usesDevAccount: boolean }
  | { enabled: false; reason: string };

export function readCheckerSettings(env: Env, config: Pick<AppConfig, "chainId" | "factory" | "factoryBlock" | "rpcUrl">): CheckerSettings {
  const switchText = env.MODELBOUNTY_CHECKER?.trim().toLowerCase() || undefined;
  if (switchText !== undefined && switchText !== "on" && switchText !== "off") {
    return { enabled: false, reason: `MODELBOUNTY_CHECKER=${env.MODELBOUNTY_CHECKER} is neither on nor off; the claim checker is not started` };
  }
  const local = config.chainId === CHECKER_DEFAULT_CHAIN_ID;
  const on = switchText === undefined ? local : switchText === "on";
  if (!on) {
    return { enabled: false, reason: switchText === "off" ? "MODELBOUNTY_CHECKER=off" : `chain ${config.chainId} is not the local chain: set MODELBOUNTY_CHECKER=on and MODELBOUNTY_CHECKER_PRIVATE_KEY to run the claim checker` };
  }
  if (!config.factory) return { enabled: false, reason: `no CompetitionFactory is configured for chain ${config.chainId}, so there are no competitions to check` };

  let privateKey: Hex;
  const keyText = env.MODELBOUNTY_CHECKER_PRIVATE_KEY?.trim();
  if (keyText) {
    const normalized = keyText.startsWith("0x") ? keyText : `0x${keyText}`;
    if (!/^0x[0-9a-fA-F]{64}$/.test(normalized)) {
      return { enabled: false, reason: "MODELBOUNTY_CHECKER_PRIVATE_KEY must be a 32-byte hex private key; the claim checker is not started" };
    }
    privateKey = normalized as Hex;
  } else if (local) {
    privateKey = devPrivateKey(CHECKER_DEV_ACCOUNT);
  } else {
    return { enabled: false, reason: `MODELBOUNTY_CHECKER=on on chain ${config.chainId} needs MODELBOUNTY_CHECKER_PRIVATE_KEY (a funded account that sends the disputes)` };
  }

  let intervalSeconds = DEFAULT_CHECKER_INTERVAL_SECONDS;
  const intervalText = env.MODELBOUNTY_CHECKER_INTERVAL_SECONDS?.trim();
  if (intervalText) {
    const parsed = Number(intervalText);
    if (!Number.isFinite(parsed) || parsed <= 0) {
      return { enabled: false, reason: `MODELBOUNTY_CHECKER_INTERVAL_SECONDS=${intervalText} is not a positive number of seconds; the claim checker is not started` };
    }
    intervalSeconds = parsed;
  }
  return {
    enabled: true,
    privateKey,
    intervalMs: Math.round(intervalSeconds * 1000),
    factory: config.factory,
    fromBlock: BigInt(config.factoryBlock),
    rpcUrl: config.rpcUrl,
    chainId: config.chainId,
    usesDevAccount: !keyText,
  };
}

/**
 * Starts the claim checker inside the app's Node server (instrumentation.ts): every claim-mode competition of the
 * configured factory is checked every few seconds and each wrong claim disputed in its window, so a local chain has
 * the honest checker the claim mode's trust assumption needs (docs/protocol.md §11). Settings: lib/config/checker.ts.
 * Nothing here throws: a checker that cannot start or a failing round is logged and the server goes on.
 */
import { createPublicClient, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { chainFromConfig, pollingIntervalMs } from "../config";
import { readAppConfig } from "../config/server";
import { readCheckerSettings } from "../config/checker";
import { startCheckerLoop, type CheckerLoop, type CheckerRound } from "../danku/checkerLoop";
import { explainError } from "../chain/transactions";

/** Log lines of one round: only what changed something or went wrong (a quiet round logs nothing). */
export function describeCheckerRound(round: CheckerRound): string[] {
  const lines: string[] = [];
  for (const { result, actions } of round.checked) {
    for (const a of actions) {
      if (a.disputed) lines.push(`claim ${a.claimId} of ${result.competition} was wrong at test point ${a.disputed.point}: disputed in ${a.disputed.transaction}`);
      if (a.settled) lines.push(`claim ${a.claimId} of ${result.competition} is honest and its window closed: settled in ${a.settled.transaction}`);
      if (a.error) lines.push(`claim ${a.claimId} of ${result.competition} is wrong but the dispute failed: ${a.error}`);
    }
  }
  for (const f of round.failures) lines.push(`could not check ${f.competition}: ${f.error}`);
  return lines;
}

export function startServerChecker(env: Record<string, string | undefined> = process.env, log: (line: string) => void = (line) => console.log(`[checker] ${line}`)): CheckerLoop | null {
  try {
    const config = readAppConfig(env);
    const settings = readCheckerSettings(env, config);
    if (!settings.enabled) {
      log(`off: ${settings.reason}`);
      return null;
    }
    const chain = chainFromConfig(config);
    const transport = http(settings.rpcUrl);
    const client = createPublicClient({ chain, transport, pollingInterval: pollingIntervalMs(config) });
    const account = privateKeyToAccount(settings.privateKey);
    const wallet = createWalletClient({ account, chain, transport });
    log(
      `checking the claims of factory ${settings.factory}'s claim-mode competitions every ${settings.intervalMs / 1000} s as ${account.address}` +
        (settings.usesDevAccount ? " (Hardhat development account 9; MODELBOUNTY_CHECKER=off turns it off)" : ""),
    );
    // A node that is down fails every round the same way: that is logged once, and again when it changes or ends.
    let lastError: string | null = null;
    return startCheckerLoop({
      client,
      wallet,
      factory: settings.factory,
      fromBlock: settings.fromBlock,
      intervalMs: settings.intervalMs,
      onRound: (round) => {
        if (lastError !== null) log("the chain answers again; checking resumed");
        lastError = null;
        describeCheckerRound(round).forEach(log);
      },
      onError: (error) => {
        const message = explainError(error).message;
        if (message !== lastError) log(`a round failed (retrying every ${settings.intervalMs / 1000} s): ${message}`);
        lastError = message;
      },
    });
  } catch (error) {
    log(`could not start: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

/**
 * Server-side reading of the runtime configuration from the environment, at request time (never inlined at build
 * time), so the same `next build` serves any chain:
 *
 * | variable | default |
 * | --- | --- |
 * | MODELBOUNTY_RPC_URL | http://127.0.0.1:8545 |
 * | MODELBOUNTY_CHAIN_ID | 31337 |
 * | MODELBOUNTY_CHAIN_NAME | "Hardhat (local)" on 31337, "Chain <id>" otherwise |
 * | MODELBOUNTY_FACTORY | deployments/<chainId>.json |
 * | MODELBOUNTY_FACTORY_BLOCK | the deployment file's block, else 0 |
 * | MODELBOUNTY_PROBLEM_FACTORY | deployments/<chainId>.json ("ProblemFactory"); none: DaiMoN is off |
 * | MODELBOUNTY_WALLETCONNECT_PROJECT_ID | none: only injected wallets |
 * | MODELBOUNTY_BLOCK_TIME_SECONDS | observed from recent blocks, else 12 |
 * | MODELBOUNTY_MULTICALL3 | none: deployless multicall |
 */
import { getAddress, isAddress, type Address } from "viem";
import { readDeployment, readProblemFactoryDeployment } from "../../scripts/shared/deployments";
import { DEFAULT_CHAIN_ID, DEFAULT_RPC_URL, LOCAL_CHAIN_IDS, type AppConfig } from "./index";

type Env = Record<string, string | undefined>;

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function parseAddress(value: string | undefined, name: string, issues: string[]): Address | null {
  const text = nonEmpty(value);
  if (!text) return null;
  if (!isAddress(text, { strict: false })) {
    issues.push(`${name}=${text} is not an Ethereum address.`);
    return null;
  }
  return getAddress(text);
}

export function readAppConfig(env: Env = process.env, root: string = process.cwd()): AppConfig {
  const issues: string[] = [];

  const rpcUrl = nonEmpty(env.MODELBOUNTY_RPC_URL) ?? DEFAULT_RPC_URL;
  if (!/^https?:\/\//.test(rpcUrl)) issues.push(`MODELBOUNTY_RPC_URL=${rpcUrl} must be an http(s) URL.`);

  let chainId = DEFAULT_CHAIN_ID;
  const chainText = nonEmpty(env.MODELBOUNTY_CHAIN_ID);
  if (chainText !== undefined) {
    const parsed = Number(chainText);
    if (Number.isSafeInteger(parsed) && parsed > 0) chainId = parsed;
    else issues.push(`MODELBOUNTY_CHAIN_ID=${chainText} is not a positive integer; using ${DEFAULT_CHAIN_ID}.`);
  }
  const localChain = LOCAL_CHAIN_IDS.includes(chainId);

  let deployment: ReturnType<typeof readDeployment>;
  try {
    deployment = readDeployment(chainId, root);
  } catch (error) {
    issues.push(error instanceof Error ? error.message : String(error));
  }
  const explicitFactory = parseAddress(env.MODELBOUNTY_FACTORY, "MODELBOUNTY_FACTORY", issues);
  const factory = explicitFactory ?? deployment?.address ?? null;
  if (!factory && !nonEmpty(env.MODELBOUNTY_FACTORY)) {
    issues.push(`No CompetitionFactory is configured for chain ${chainId}: set MODELBOUNTY_FACTORY or deploy one (npm run deploy:local).`);
  }

  let block = explicitFactory ? 0n : (deployment?.deploymentBlock ?? 0n);
  const blockText = nonEmpty(env.MODELBOUNTY_FACTORY_BLOCK);
  if (blockText !== undefined) {
    if (/^\d+$/.test(blockText)) block = BigInt(blockText);
    else issues.push(`MODELBOUNTY_FACTORY_BLOCK=${blockText} is not a block number; scanning from block ${block}.`);
  }

  // DaiMoN is optional: a chain without a ProblemFactory (or a deployment file from before it) is not an issue.
  let problemDeployment: ReturnType<typeof readProblemFactoryDeployment>;
  try {
    problemDeployment = readProblemFactoryDeployment(chainId, root);
  } catch (error) {
    // An unreadable file was already reported above for the CompetitionFactory.
    const text = error instanceof Error ? error.message : String(error);
    if (!issues.includes(text)) issues.push(text);
  }
  const explicitProblemFactory = parseAddress(env.MODELBOUNTY_PROBLEM_FACTORY, "MODELBOUNTY_PROBLEM_FACTORY", issues);
  const problemFactory = explicitProblemFactory ?? problemDeployment?.address ?? null;
  // The recorded block still applies when the variable names the recorded factory (npm run dev sets both).
  const problemBlock =
    problemDeployment && problemFactory && problemFactory === problemDeployment.address ? problemDeployment.deploymentBlock : 0n;

  let blockTimeSeconds: number | null = null;
  const blockTimeText = nonEmpty(env.MODELBOUNTY_BLOCK_TIME_SECONDS);
  if (blockTimeText !== undefined) {
    const parsed = Number(blockTimeText);
    if (Number.isFinite(parsed) && parsed > 0) blockTimeSeconds = parsed;
    else issues.push(`MODELBOUNTY_BLOCK_TIME_SECONDS=${blockTimeText} is not a positive number; estimating from recent blocks.`);
  }

  return {
    chainId,
    chainName: nonEmpty(env.MODELBOUNTY_CHAIN_NAME) ?? (localChain ? "Hardhat (local)" : `Chain ${chainId}`),
    rpcUrl,
    factory,
    factoryBlock: block.toString(),
    problemFactory,
    problemFactoryBlock: problemBlock.toString(),
    walletConnectProjectId: nonEmpty(env.MODELBOUNTY_WALLETCONNECT_PROJECT_ID) ?? null,
    blockTimeSeconds,
    multicall3: parseAddress(env.MODELBOUNTY_MULTICALL3, "MODELBOUNTY_MULTICALL3", issues),
    localChain,
    issues,
  };
}

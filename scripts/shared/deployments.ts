/**
 * deployments/<chainId>.json: where the CLI, `npm run dev` and the web server find the factory of a chain.
 * Written after every deploy; the file shape is {"chainId", "CompetitionFactory": {"address", "deploymentBlock", "transactionHash"}}.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getAddress, isAddress, type Address } from "viem";
import type { FactoryDeployment } from "../../lib/chain/deploy";

export function deploymentsFile(chainId: number, root = process.cwd()): string {
  return path.join(root, "deployments", `${chainId}.json`);
}

export function writeDeployment(deployment: FactoryDeployment, root = process.cwd()): string {
  const file = deploymentsFile(deployment.chainId, root);
  mkdirSync(path.dirname(file), { recursive: true });
  const body = {
    chainId: deployment.chainId,
    CompetitionFactory: {
      address: deployment.address,
      deploymentBlock: deployment.deploymentBlock.toString(),
      transactionHash: deployment.transactionHash,
    },
  };
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify(body, null, 2)}\n`);
  renameSync(temporary, file);
  return file;
}

export function readDeployment(chainId: number, root = process.cwd()): { address: Address; deploymentBlock: bigint } | undefined {
  const file = deploymentsFile(chainId, root);
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, "utf8")) as { CompetitionFactory?: { address?: string; deploymentBlock?: string } };
  const address = parsed.CompetitionFactory?.address;
  if (!address || !isAddress(address)) throw new Error(`${file} does not name a valid CompetitionFactory address`);
  return { address: getAddress(address), deploymentBlock: BigInt(parsed.CompetitionFactory?.deploymentBlock ?? "0") };
}

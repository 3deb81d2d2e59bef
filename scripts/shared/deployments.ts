/**
 * deployments/<chainId>.json: where the CLI, `npm run dev` and the web server find the factories of a chain.
 * Written after every deploy; the file shape is
 *   {"chainId", "CompetitionFactory": {"address", "deploymentBlock", "transactionHash"}, "ProblemFactory": {…the same}}
 * "ProblemFactory" (DaiMoN) was added later: files without it stay valid and simply name no ProblemFactory.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getAddress, isAddress, type Address } from "viem";
import type { FactoryDeployment, FactoryDeployments } from "../../lib/chain/deploy";

export function deploymentsFile(chainId: number, root = process.cwd()): string {
  return path.join(root, "deployments", `${chainId}.json`);
}

function entry(deployment: FactoryDeployment): { address: Address; deploymentBlock: string; transactionHash: string } {
  return { address: deployment.address, deploymentBlock: deployment.deploymentBlock.toString(), transactionHash: deployment.transactionHash };
}

/** Records a deployment: both factories, or (as before the ProblemFactory existed) the CompetitionFactory alone. */
export function writeDeployment(deployment: FactoryDeployment | FactoryDeployments, root = process.cwd()): string {
  const file = deploymentsFile(deployment.chainId, root);
  mkdirSync(path.dirname(file), { recursive: true });
  const body =
    "competitionFactory" in deployment
      ? { chainId: deployment.chainId, CompetitionFactory: entry(deployment.competitionFactory), ProblemFactory: entry(deployment.problemFactory) }
      : { chainId: deployment.chainId, CompetitionFactory: entry(deployment) };
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify(body, null, 2)}\n`);
  renameSync(temporary, file);
  return file;
}

type DeploymentFile = Partial<Record<"CompetitionFactory" | "ProblemFactory", { address?: string; deploymentBlock?: string }>>;

function readEntry(chainId: number, root: string, key: keyof DeploymentFile): { address: Address; deploymentBlock: bigint } | undefined {
  const file = deploymentsFile(chainId, root);
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, "utf8")) as DeploymentFile;
  const recorded = parsed[key];
  if (recorded === undefined && key === "ProblemFactory") return undefined;
  const address = recorded?.address;
  if (!address || !isAddress(address)) throw new Error(`${file} does not name a valid ${key} address`);
  return { address: getAddress(address), deploymentBlock: BigInt(recorded?.deploymentBlock ?? "0") };
}

/** The CompetitionFactory of the chain, or undefined when no deployment is recorded. */
export function readDeployment(chainId: number, root = process.cwd()): { address: Address; deploymentBlock: bigint } | undefined {
  return readEntry(chainId, root, "CompetitionFactory");
}

/** The ProblemFactory of the chain, or undefined when none is recorded (also in files written before it existed). */
export function readProblemFactoryDeployment(chainId: number, root = process.cwd()): { address: Address; deploymentBlock: bigint } | undefined {
  return readEntry(chainId, root, "ProblemFactory");
}

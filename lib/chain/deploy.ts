/**
 * Deploying the factories from the Hardhat build's bytecode (lib/generated), used by the CLI and `npm run dev`:
 * the DanKu CompetitionFactory and the DaiMoN ProblemFactory, always together, so every chain that has one has both.
 */
import type { Address, Hex, PublicClient } from "viem";
import { competitionFactoryAbi, competitionFactoryBytecode, dankuClaimModuleAbi, dankuClaimModuleBytecode } from "../generated/abis";
import type { DankuWallet } from "./danku";
import { deployProblemFactory } from "./daimon";

export interface FactoryDeployment {
  chainId: number;
  address: Address;
  deploymentBlock: bigint;
  transactionHash: Hex;
}

/** Both factories of a chain (what deployments/<chainId>.json records). */
export interface FactoryDeployments {
  chainId: number;
  competitionFactory: FactoryDeployment;
  problemFactory: FactoryDeployment;
}

/**
 * The claim-mode module first (its init code does not fit in the factory's under EIP-3860, docs/protocol.md §10),
 * then the CompetitionFactory that every competition of which runs it.
 */
export async function deployFactory(wallet: DankuWallet, client: PublicClient): Promise<FactoryDeployment> {
  const moduleHash = await wallet.deployContract({
    abi: dankuClaimModuleAbi,
    bytecode: dankuClaimModuleBytecode,
    account: wallet.account,
    chain: wallet.chain,
  });
  const moduleReceipt = await client.waitForTransactionReceipt({ hash: moduleHash });
  if (moduleReceipt.status !== "success" || !moduleReceipt.contractAddress) {
    throw new Error(`deploying the claim module failed in ${moduleHash}`);
  }
  const hash = await wallet.deployContract({
    abi: competitionFactoryAbi,
    bytecode: competitionFactoryBytecode,
    args: [moduleReceipt.contractAddress],
    account: wallet.account,
    chain: wallet.chain,
  });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || !receipt.contractAddress) throw new Error(`deploying the factory failed in ${hash}`);
  return {
    chainId: await client.getChainId(),
    address: receipt.contractAddress,
    deploymentBlock: receipt.blockNumber,
    transactionHash: hash,
  };
}

/**
 * The CompetitionFactory (after its claim module), then the ProblemFactory, from the same account: on a fresh
 * development chain the factory is the deployer's second contract and the ProblemFactory its third.
 */
export async function deployFactories(wallet: DankuWallet, client: PublicClient): Promise<FactoryDeployments> {
  const competitionFactory = await deployFactory(wallet, client);
  const problemFactory = await deployProblemFactory(wallet, client);
  return { chainId: competitionFactory.chainId, competitionFactory, problemFactory: { chainId: competitionFactory.chainId, ...problemFactory } };
}

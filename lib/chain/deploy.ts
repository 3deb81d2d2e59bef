/**
 * Deploying the factories from the Hardhat build's bytecode (lib/generated), used by the CLI and `npm run dev`:
 * the DanKu CompetitionFactory and the DaiMoN ProblemFactory, always together, so every chain that has one has both.
 */
import type { Address, Hex, PublicClient } from "viem";
import { competitionFactoryAbi, competitionFactoryBytecode } from "../generated/abis";
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

export async function deployFactory(wallet: DankuWallet, client: PublicClient): Promise<FactoryDeployment> {
  const hash = await wallet.deployContract({
    abi: competitionFactoryAbi,
    bytecode: competitionFactoryBytecode,
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
 * The CompetitionFactory, then the ProblemFactory, from the same account. The DanKu factory goes first so that on a
 * fresh development chain it keeps the address it always had (the deployer's first contract).
 */
export async function deployFactories(wallet: DankuWallet, client: PublicClient): Promise<FactoryDeployments> {
  const competitionFactory = await deployFactory(wallet, client);
  const problemFactory = await deployProblemFactory(wallet, client);
  return { chainId: competitionFactory.chainId, competitionFactory, problemFactory: { chainId: competitionFactory.chainId, ...problemFactory } };
}

/**
 * Deploying the DanKu factory from the Hardhat build's bytecode (lib/generated), used by the CLI and `npm run dev`.
 */
import type { Address, Hex, PublicClient } from "viem";
import { competitionFactoryAbi, competitionFactoryBytecode } from "../generated/abis";
import type { DankuWallet } from "./danku";

export interface FactoryDeployment {
  chainId: number;
  address: Address;
  deploymentBlock: bigint;
  transactionHash: Hex;
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

/**
 * Deploying the factories from the Hardhat build's bytecode (lib/generated), used by the CLI and `npm run dev`:
 * the DanKu CompetitionFactory and the DaiMoN ProblemFactory, always together, so every chain that has one has both.
 */
import type { Abi, Address, Hex, PublicClient } from "viem";
import {
  competitionFactoryAbi,
  competitionFactoryBytecode,
  dankuClaimModuleAbi,
  dankuClaimModuleBytecode,
  dankuEvaluatorEngineAbi,
  dankuEvaluatorEngineBytecode,
} from "../generated/abis";
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
 * The claim-mode module and the forward-pass engine first (their init code does not fit in the factory's under
 * EIP-3860, docs/protocol.md §10), then the CompetitionFactory whose every competition runs them.
 */
export async function deployFactory(wallet: DankuWallet, client: PublicClient): Promise<FactoryDeployment> {
  const claimModule = await deployPart(wallet, client, "the claim module", dankuClaimModuleAbi, dankuClaimModuleBytecode);
  const engine = await deployPart(wallet, client, "the evaluator engine", dankuEvaluatorEngineAbi, dankuEvaluatorEngineBytecode);
  const hash = await wallet.deployContract({
    abi: competitionFactoryAbi,
    bytecode: competitionFactoryBytecode,
    args: [claimModule, engine],
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

/** Deploys one constructor-less part of the factory and returns its address. */
async function deployPart(wallet: DankuWallet, client: PublicClient, what: string, abi: Abi, bytecode: Hex): Promise<Address> {
  const hash = await wallet.deployContract({ abi, bytecode, account: wallet.account, chain: wallet.chain });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || !receipt.contractAddress) throw new Error(`deploying ${what} failed in ${hash}`);
  return receipt.contractAddress;
}

/**
 * The CompetitionFactory (after its claim module and engine), then the ProblemFactory (after its dispute judge, the f_q
 * evaluator and the dispute module), from the same account: on a fresh development chain the factory is the deployer's
 * third contract and the ProblemFactory its seventh.
 */
export async function deployFactories(wallet: DankuWallet, client: PublicClient): Promise<FactoryDeployments> {
  const competitionFactory = await deployFactory(wallet, client);
  const problemFactory = await deployProblemFactory(wallet, client);
  return { chainId: competitionFactory.chainId, competitionFactory, problemFactory: { chainId: competitionFactory.chainId, ...problemFactory } };
}

/**
 * Sending contract transactions: simulate first (so invalid calls never reach the wallet), then send, then wait.
 * Failures come back as {@link TransactionFailure} with the contract's custom error decoded into a sentence.
 */
import {
  BaseError,
  ContractFunctionRevertedError,
  InsufficientFundsError,
  UserRejectedRequestError,
  type Abi,
  type Address,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
} from "viem";
import type { DankuWallet } from "./danku";
import { describeContractError } from "./errors";

export class TransactionFailure extends Error {
  constructor(
    message: string,
    readonly kind: "rejected" | "reverted" | "failed",
    readonly errorName?: string,
  ) {
    super(message);
    this.name = "TransactionFailure";
  }
}

/** Turns anything viem throws into a sentence a person understands. */
export function explainError(error: unknown): TransactionFailure {
  if (error instanceof TransactionFailure) return error;
  if (error instanceof BaseError) {
    if (error.walk((e) => e instanceof UserRejectedRequestError)) {
      return new TransactionFailure("You rejected the request in your wallet; nothing was sent.", "rejected");
    }
    const revert = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError) {
      const name = revert.data?.errorName;
      if (name) return new TransactionFailure(describeContractError(name, revert.data?.args ?? []), "reverted", name);
      return new TransactionFailure(`The contract rejected the call: ${revert.reason ?? revert.shortMessage}`, "reverted");
    }
    if (error.walk((e) => e instanceof InsufficientFundsError)) {
      return new TransactionFailure("The account does not hold enough ETH to pay for this transaction and its gas.", "failed");
    }
    // Generic RPC errors ("Missing or invalid parameters") hide the node's own explanation in `details`.
    const details = error.details && !error.shortMessage.includes(error.details) ? `: ${error.details}` : "";
    return new TransactionFailure(`${error.shortMessage.split("\n")[0]}${details}`, "failed");
  }
  return new TransactionFailure(error instanceof Error ? error.message : String(error), "failed");
}

export interface SentTransaction {
  hash: Hex;
  receipt: TransactionReceipt;
}

/**
 * Simulates, sends and waits for one contract call. `gas` may pin the limit (e.g. after our own estimate);
 * otherwise the node estimates it.
 */
export async function sendContractTransaction<
  const abi extends Abi,
  functionName extends ContractFunctionName<abi, "payable" | "nonpayable">,
>(
  wallet: DankuWallet,
  client: PublicClient,
  call: {
    address: Address;
    abi: abi;
    functionName: functionName;
    args: ContractFunctionArgs<abi, "payable" | "nonpayable", functionName>;
    value?: bigint;
    gas?: bigint;
  },
): Promise<SentTransaction> {
  try {
    // Simulate against the pending block: that is the block the transaction will be mined in (block.number differs
    // from `latest`, which matters for stage boundaries and for init2, which must run after the init1 block).
    const { request } = await client.simulateContract({ account: wallet.account, blockTag: "pending", ...call } as never);
    const hash = await wallet.writeContract(request as never);
    const receipt = await client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") {
      throw new TransactionFailure(`The transaction ${hash} was mined but reverted.`, "reverted");
    }
    return { hash, receipt };
  } catch (error) {
    throw explainError(error);
  }
}

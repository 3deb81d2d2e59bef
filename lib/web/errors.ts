/**
 * Wallet and call errors → sentences. Contract calls decoded by viem go through lib/chain/transactions'
 * explainError; plain ETH transfers to a competition (donations hit `receive()`, which has no ABI entry) come back
 * as raw revert data, decoded here against the competition ABI.
 */
import { BaseError, decodeErrorResult, type Hex } from "viem";
import { dankuCompetitionAbi } from "../generated/abis";
import { describeContractError } from "../chain/errors";
import { explainError, TransactionFailure } from "../chain/transactions";

function revertData(error: unknown): Hex | undefined {
  if (!(error instanceof BaseError)) return undefined;
  let found: Hex | undefined;
  error.walk((e) => {
    const data = (e as { data?: unknown }).data;
    if (typeof data === "string" && /^0x[0-9a-fA-F]{8,}$/.test(data)) found = data as Hex;
    else if (typeof data === "object" && data !== null && typeof (data as { data?: unknown }).data === "string") {
      const inner = (data as { data: string }).data;
      if (/^0x[0-9a-fA-F]{8,}$/.test(inner)) found = inner as Hex;
    }
    return false;
  });
  return found;
}

/** A person-readable failure with `kind` "rejected" for a signature the user declined. */
export function explainWalletError(error: unknown): TransactionFailure {
  const explained = explainError(error);
  if (explained.kind !== "failed") return explained;
  const data = revertData(error);
  if (data) {
    try {
      const decoded = decodeErrorResult({ abi: dankuCompetitionAbi, data });
      return new TransactionFailure(describeContractError(decoded.errorName, decoded.args ?? []), "reverted", decoded.errorName);
    } catch {
      // Not one of ours: keep viem's sentence.
    }
  }
  // EIP-1193 4001 from wallets that do not go through viem's error classes.
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 4001) return new TransactionFailure("You rejected the request in your wallet; nothing was sent.", "rejected");
  return explained;
}

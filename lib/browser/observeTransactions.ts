/**
 * Lets the page follow multi-transaction flows of lib/chain/flows.ts (which sign, send and wait internally) one
 * transaction at a time: the returned wallet reports each hash as soon as the wallet has sent it, the returned
 * client each receipt as it arrives. The flows themselves stay unchanged and shared with the CLI.
 */
import type { Hex, PublicClient, TransactionReceipt } from "viem";
import type { DankuWallet } from "../chain/danku";

export interface TransactionObserver {
  /** The wallet is about to be asked for a signature. */
  onSigning?: () => void;
  /** The wallet signed and sent; `hash` is pending. */
  onSent?: (hash: Hex) => void;
  /** A receipt arrived (status may be "reverted"). */
  onMined?: (receipt: TransactionReceipt) => void;
}

export function observeWallet(wallet: DankuWallet, observer: TransactionObserver): DankuWallet {
  const writeContract = (async (request: Parameters<DankuWallet["writeContract"]>[0]) => {
    observer.onSigning?.();
    const hash = await wallet.writeContract(request);
    observer.onSent?.(hash);
    return hash;
  }) as DankuWallet["writeContract"];
  return { ...wallet, writeContract };
}

export function observeClient(client: PublicClient, observer: TransactionObserver): PublicClient {
  const waitForTransactionReceipt = (async (args: Parameters<PublicClient["waitForTransactionReceipt"]>[0]) => {
    const receipt = await client.waitForTransactionReceipt(args);
    observer.onMined?.(receipt);
    return receipt;
  }) as PublicClient["waitForTransactionReceipt"];
  return { ...client, waitForTransactionReceipt };
}

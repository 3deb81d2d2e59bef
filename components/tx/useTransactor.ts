"use client";

/**
 * scaffold-eth's transactor, for ModelBounty: every write goes simulate → wallet signature → pending (hash) →
 * confirmed (block) or failed, with contract errors decoded into sentences and a declined signature reported
 * calmly. Components render the state with <TransactionStatus>.
 */
import { useCallback, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useAccount, useConfig, usePublicClient } from "wagmi";
import { simulateContract, writeContract } from "wagmi/actions";
import type { Abi, ContractFunctionArgs, ContractFunctionName, Address, Hash, TransactionReceipt } from "viem";
import { useAppConfig } from "@/components/providers/AppConfigContext";
import { CHAIN_QUERY_PREFIX } from "@/components/providers/ChainSync";
import { explainWalletError } from "@/lib/web/errors";

export type TransactionPhase = "idle" | "simulating" | "signing" | "pending" | "confirmed" | "failed" | "rejected";

export interface TransactionState {
  phase: TransactionPhase;
  /** What is being done, e.g. "Donate 0.1 ETH". */
  label?: string;
  hash?: Hash;
  blockNumber?: bigint;
  message?: string;
}

export interface TransactionAction {
  /** Dry run before the wallet is asked (throws with the revert reason when the call would fail). */
  simulate?: () => Promise<void>;
  /** Asks the wallet to sign and send; resolves with the transaction hash. */
  send: () => Promise<Hash>;
}

export interface ContractWrite<abi extends Abi, functionName extends ContractFunctionName<abi, "nonpayable" | "payable">> {
  address: Address;
  abi: abi;
  functionName: functionName;
  args: ContractFunctionArgs<abi, "nonpayable" | "payable", functionName>;
  value?: bigint;
  gas?: bigint;
}

export function useTransactor() {
  const app = useAppConfig();
  const wagmiConfig = useConfig();
  const publicClient = usePublicClient();
  const { address: account } = useAccount();
  const queryClient = useQueryClient();
  const [state, setState] = useState<TransactionState>({ phase: "idle" });
  const busy = useRef(false);

  const execute = useCallback(
    async (label: string, action: TransactionAction): Promise<TransactionReceipt | undefined> => {
      if (busy.current) return undefined;
      busy.current = true;
      const fail = (error: unknown) => {
        const failure = explainWalletError(error);
        setState({ phase: failure.kind === "rejected" ? "rejected" : "failed", label, message: failure.message });
      };
      try {
        if (!publicClient) throw new Error("The app has no connection to the chain.");
        setState({ phase: "simulating", label });
        try {
          await action.simulate?.();
        } catch (error) {
          fail(error);
          return undefined;
        }
        setState({ phase: "signing", label });
        let hash: Hash;
        try {
          hash = await action.send();
        } catch (error) {
          fail(error);
          return undefined;
        }
        setState({ phase: "pending", label, hash });
        try {
          const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: app.localChain ? 250 : 2_000 });
          // Gas was paid (and value sent) either way: wagmi's balance queries (header, donate panel) refetch now.
          void queryClient.invalidateQueries({ queryKey: ["balance"] });
          if (receipt.status !== "success") {
            setState({ phase: "failed", label, hash, blockNumber: receipt.blockNumber, message: "The transaction was mined but reverted; nothing changed." });
            return undefined;
          }
          setState({ phase: "confirmed", label, hash, blockNumber: receipt.blockNumber });
          void queryClient.invalidateQueries({ queryKey: [CHAIN_QUERY_PREFIX] });
          return receipt;
        } catch (error) {
          const failure = explainWalletError(error);
          setState({ phase: "failed", label, hash, message: failure.message });
          return undefined;
        }
      } finally {
        busy.current = false;
      }
    },
    [app.localChain, publicClient, queryClient],
  );

  /** Simulates a contract call against the pending block, then has the wallet send exactly the simulated request. */
  const write = useCallback(
    <const abi extends Abi, functionName extends ContractFunctionName<abi, "nonpayable" | "payable">>(
      label: string,
      call: ContractWrite<abi, functionName>,
    ): Promise<TransactionReceipt | undefined> => {
      let request: unknown;
      return execute(label, {
        simulate: async () => {
          if (!account) throw new Error("Connect a wallet first.");
          // The pending block is where the transaction will land (stage boundaries are block heights).
          const simulated = await simulateContract(wagmiConfig, { ...call, account, blockTag: "pending" } as never);
          request = (simulated as { request: unknown }).request;
        },
        send: () => writeContract(wagmiConfig, request as never),
      });
    },
    [account, execute, wagmiConfig],
  );

  const reset = useCallback(() => setState({ phase: "idle" }), []);
  const busyPhase = state.phase === "simulating" || state.phase === "signing" || state.phase === "pending";
  return { state, execute, write, reset, busy: busyPhase };
}

"use client";

import { useAccount, useSwitchChain } from "wagmi";
import { useAppConfig } from "@/components/providers/AppConfigContext";
import { AlertIcon, SpinnerIcon } from "@/components/ui/Icons";
import { explainWalletError } from "@/lib/web/errors";

/** Shown while the connected wallet is on another chain than the marketplace; one click asks it to switch. */
export function NetworkBanner() {
  const config = useAppConfig();
  const { isConnected, chainId } = useAccount();
  const { switchChain, isPending, error, reset } = useSwitchChain();
  if (!isConnected || chainId === undefined || chainId === config.chainId) return null;
  const failure = error ? explainWalletError(error) : undefined;
  return (
    <div role="alert" aria-labelledby="wrong-network-title" className="border-b border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-200">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-3 px-4 py-3 text-sm sm:px-6">
        <AlertIcon className="shrink-0 text-lg" />
        <p className="min-w-0 flex-1">
          <strong id="wrong-network-title" className="font-semibold">
            Wrong network.
          </strong>{" "}
          Your wallet is on chain {chainId}; ModelBounty runs on {config.chainName} (chain {config.chainId}). Reads still work, but transactions
          need the right network.
          {failure ? <span className="mt-1 block text-amber-800 dark:text-amber-300">{failure.message}</span> : null}
        </p>
        <button
          type="button"
          onClick={() => {
            reset();
            switchChain({ chainId: config.chainId });
          }}
          disabled={isPending}
          className="inline-flex items-center gap-2 rounded-lg bg-amber-600 px-3 py-1.5 text-sm font-semibold text-white shadow-sm hover:bg-amber-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-600 disabled:opacity-60"
        >
          {isPending ? <SpinnerIcon /> : null}
          {isPending ? "Switching…" : `Switch to ${config.chainName}`}
        </button>
      </div>
    </div>
  );
}

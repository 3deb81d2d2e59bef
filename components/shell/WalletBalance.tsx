"use client";

import { useAccount, useBalance } from "wagmi";
import { formatEth } from "@/lib/web/format";

/**
 * The connected wallet's balance for the header, from wagmi's useBalance and formatted by formatEth (rounded in
 * bigint to 4 decimals). RainbowKit's own balance truncates through floats ("9,999.6" for 9,999.6999), so the header
 * uses ./WalletButton (RainbowKit's connect and network modals, our account pop-up). The transactor invalidates this
 * query when a transaction is mined.
 */
export function WalletBalance() {
  const { address, isConnected } = useAccount();
  const balance = useBalance({ address, query: { enabled: isConnected && !!address } });
  if (!isConnected || !balance.data) return null;
  const symbol = balance.data.symbol;
  return (
    <span
      className="tabular hidden rounded-xl bg-white px-3 py-2 text-sm font-semibold text-slate-900 shadow-sm ring-1 ring-slate-200 md:inline-block dark:bg-slate-900 dark:text-white dark:ring-slate-700"
      data-testid="wallet-balance"
      title={`${formatEth(balance.data.value, { decimals: 18, unit: false })} ${symbol}`}
    >
      {formatEth(balance.data.value, { unit: false })} {symbol}
    </span>
  );
}

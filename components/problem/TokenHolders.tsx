"use client";

import type { TokenTransfer } from "@/lib/chain/daimonReads";
import { formatTokenAmount, tokenHolders } from "@/lib/web/daimon";
import { AddressText } from "@/components/ui/Address";

/** Balances of the problem's token, rebuilt from its Transfer events (improvers minted at commit, validators at claim). */
export function TokenHolders({ transfers, symbol, loading }: { transfers: readonly TokenTransfer[] | undefined; symbol: string; loading: boolean }) {
  if (!transfers) return <p className="text-sm text-slate-500">{loading ? "Reading the token's transfers…" : "The transfers could not be read."}</p>;
  const { holders, totalSupply } = tokenHolders(transfers);
  if (holders.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-300">No {symbol} yet: tokens are minted to improvers when their block is committed.</p>;
  return (
    <div>
      <p className="text-xs text-slate-500 dark:text-slate-400">
        Total supply <span className="tabular font-semibold text-slate-700 dark:text-slate-200" data-testid="token-supply">{formatTokenAmount(totalSupply, symbol)}</span>
      </p>
      <table className="mt-2 w-full text-left text-sm" data-testid="token-holders">
        <caption className="sr-only">Holders of {symbol}</caption>
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="py-1 pr-3 font-medium">
              Holder
            </th>
            <th scope="col" className="py-1 pr-3 text-right font-medium">
              Balance
            </th>
            <th scope="col" className="py-1 text-right font-medium">
              Share
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {holders.map((h) => (
            <tr key={h.address} data-testid="token-holder" data-address={h.address}>
              <td className="py-1.5 pr-3">
                <AddressText address={h.address} />
              </td>
              <td className="tabular py-1.5 pr-3 text-right" data-testid="holder-balance">
                {formatTokenAmount(h.balance, symbol, 6)}
              </td>
              <td className="tabular py-1.5 text-right text-slate-500">{(h.share * 100).toFixed(2)} %</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

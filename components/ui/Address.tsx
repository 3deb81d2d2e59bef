"use client";

import { useAccount } from "wagmi";
import { sameAddress, shortAddress } from "@/lib/web/format";

/** A shortened address with the full one on hover, marked "you" for the connected account. */
export function AddressText({ address, className = "" }: { address: string; className?: string }) {
  const { address: account } = useAccount();
  const you = sameAddress(address, account);
  return (
    <span className={`inline-flex items-center gap-1.5 ${className}`}>
      <span className="font-mono text-[0.8125rem]" title={address}>
        {shortAddress(address)}
      </span>
      {you ? <span className="rounded bg-indigo-100 px-1.5 py-px text-[0.6875rem] font-semibold text-indigo-700 dark:bg-indigo-500/20 dark:text-indigo-300">you</span> : null}
    </span>
  );
}

"use client";

import { useEffect, useId, useRef, useState } from "react";
import { ConnectButton } from "@rainbow-me/rainbowkit";
import type { Address } from "viem";
import { useBalance, useDisconnect } from "wagmi";
import { formatEth } from "@/lib/web/format";
import { CopyButton } from "@/components/ui/CopyButton";

const buttonBase =
  "inline-flex max-w-full items-center gap-2 rounded-xl px-3 py-2 text-sm font-semibold shadow-sm ring-1 transition focus-visible:outline-2 focus-visible:outline-indigo-500";
const neutral = `${buttonBase} bg-white text-slate-900 ring-slate-200 hover:bg-slate-50 dark:bg-slate-900 dark:text-white dark:ring-slate-700 dark:hover:bg-slate-800`;

/**
 * The header's wallet controls on RainbowKit's ConnectButton.Custom: RainbowKit's connect and network modals, but
 * our own account pop-up. RainbowKit's account modal always shows the balance through a float
 * (abbreviateETHBalance(parseFloat(…)): 9,999.6999 ETH reads "9,999.6") and has no option to hide it; this one
 * shows formatEth's bigint rounding (4 decimals, the exact 18 in the tooltip), the address to copy, and Disconnect.
 */
export function WalletButton() {
  return (
    <ConnectButton.Custom>
      {({ account, chain, mounted, openConnectModal, openChainModal }) => {
        if (!mounted || !account || !chain) {
          // Until RainbowKit has mounted (after hydration) the button would do nothing: it keeps its place but is
          // hidden from view, pointer and assistive technology, as RainbowKit's own ConnectButton does.
          return (
            <button
              type="button"
              onClick={openConnectModal}
              className={`${buttonBase} bg-indigo-600 text-white ring-indigo-600 hover:bg-indigo-500 ${mounted ? "" : "pointer-events-none select-none opacity-0"}`}
              aria-hidden={mounted ? undefined : true}
              tabIndex={mounted ? undefined : -1}
            >
              Connect Wallet
            </button>
          );
        }
        if (chain.unsupported) {
          return (
            <button type="button" onClick={openChainModal} className={`${buttonBase} bg-rose-600 text-white ring-rose-600 hover:bg-rose-500`}>
              Wrong network
            </button>
          );
        }
        return (
          <div className="flex min-w-0 items-center gap-2">
            <button type="button" onClick={openChainModal} className={`${neutral} hidden sm:inline-flex`} aria-label={`Network: ${chain.name ?? `chain ${chain.id}`}. Change network`}>
              {chain.name ?? `Chain ${chain.id}`}
            </button>
            <AccountMenu address={account.address as Address} displayName={account.displayName} />
          </div>
        );
      }}
    </ConnectButton.Custom>
  );
}

function AccountMenu({ address, displayName }: { address: Address; displayName: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={neutral} aria-haspopup="dialog" aria-expanded={open} onClick={() => setOpen(true)} data-testid="account-button">
        <span className="truncate font-mono">{displayName}</span>
        <span aria-hidden>▾</span>
      </button>
      {open ? <AccountDialog address={address} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function AccountDialog({ address, onClose }: { address: Address; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const balance = useBalance({ address });
  const { disconnect } = useDisconnect();
  useEffect(() => {
    // Modal: focus stays inside, Escape closes (the `close` event). Unmounting removes it, which closes it too.
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const value = balance.data;
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      onClick={(e) => {
        // A click on the backdrop (the dialog element itself, outside its panel) closes it.
        if (e.target === e.currentTarget) onClose();
      }}
      className="w-[min(24rem,calc(100vw-2rem))] rounded-2xl bg-white p-0 text-slate-900 shadow-xl ring-1 ring-slate-200 backdrop:bg-slate-950/50 dark:bg-slate-900 dark:text-white dark:ring-slate-700"
      data-testid="account-dialog"
    >
      <div className="space-y-4 p-5">
        <h2 id={titleId} className="text-base font-semibold">
          Your account
        </h2>
        <div>
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">Address</p>
          <div className="mt-1 flex items-start justify-between gap-2">
            <code className="break-all text-sm">{address}</code>
            <CopyButton value={address} label="Copy the address" />
          </div>
        </div>
        <div>
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">Balance</p>
          <p className="tabular mt-1 text-lg font-semibold" data-testid="account-balance" title={value ? `${formatEth(value.value, { decimals: 18, unit: false })} ${value.symbol}` : undefined}>
            {value ? `${formatEth(value.value, { unit: false })} ${value.symbol}` : balance.isError ? "could not be read" : "reading…"}
          </p>
        </div>
        <div className="flex flex-wrap justify-end gap-2">
          <button
            type="button"
            className={`${buttonBase} bg-white text-rose-700 ring-rose-200 hover:bg-rose-50 dark:bg-slate-900 dark:text-rose-300 dark:ring-rose-900`}
            onClick={() => {
              disconnect();
              onClose();
            }}
          >
            Disconnect
          </button>
          {/* Autofocus on Close: Escape, Enter or Space close it at once from the keyboard. */}
          <button type="button" className={neutral} onClick={onClose} autoFocus>
            Close
          </button>
        </div>
      </div>
    </dialog>
  );
}

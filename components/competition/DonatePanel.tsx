"use client";

import { useId, useState } from "react";
import { parseEther, type Address } from "viem";
import { useAccount, useBalance, usePublicClient, useSendTransaction } from "wagmi";
import { useConnectModal } from "@rainbow-me/rainbowkit";
import type { Donation } from "@/lib/chain/danku";
import type { ActionAvailability } from "@/lib/web/actions";
import { formatEth, formatNumber } from "@/lib/web/format";
import { buttonPrimary, fieldBase } from "@/components/ui/styles";
import { AddressText } from "@/components/ui/Address";
import { Skeleton } from "@/components/ui/Skeleton";
import { SpinnerIcon } from "@/components/ui/Icons";
import { TransactionStatus } from "@/components/tx/TransactionStatus";
import { useTransactor } from "@/components/tx/useTransactor";

/** Validates a donation amount typed in ETH; returns wei or a sentence. */
export function parseDonation(text: string, balance: bigint | undefined): { wei?: bigint; error?: string } {
  const trimmed = text.trim();
  if (trimmed === "") return { error: "Enter an amount in ETH." };
  if (!/^(\d+\.?\d*|\.\d+)$/.test(trimmed)) return { error: "Use a plain decimal number, e.g. 0.1." };
  const decimals = trimmed.split(".")[1]?.length ?? 0;
  if (decimals > 18) return { error: "ETH has at most 18 decimals." };
  const wei = parseEther(trimmed);
  if (wei <= 0n) return { error: "A donation must be more than 0 ETH." };
  if (balance !== undefined && wei > balance) return { error: `Your balance is ${formatEth(balance)}.` };
  return { wei };
}

export function DonatePanel({
  competition,
  availability,
  riskNoticeId,
}: {
  competition: Address;
  availability: ActionAvailability;
  /** Where the page shows the organizer's history, linked from the panel's risk line. */
  riskNoticeId?: string;
}) {
  const id = useId();
  const { address: account, isConnected } = useAccount();
  const { openConnectModal } = useConnectModal();
  const balance = useBalance({ address: account, query: { enabled: !!account } });
  const client = usePublicClient();
  const { sendTransactionAsync } = useSendTransaction();
  const tx = useTransactor();
  const [amount, setAmount] = useState("");
  const [touched, setTouched] = useState(false);
  const parsed = parseDonation(amount, balance.data?.value);
  const showError = touched && amount !== "" && parsed.error;

  async function donate() {
    setTouched(true);
    if (!parsed.wei || !account || !client) return;
    const value = parsed.wei;
    const receipt = await tx.execute(`Donate ${formatEth(value)}`, {
      // receive() rejects donations once the competition is over; find out before the wallet is asked.
      simulate: async () => {
        await client.call({ account, to: competition, value, blockTag: "pending" });
      },
      send: () => sendTransactionAsync({ to: competition, value }),
    });
    if (receipt) {
      setAmount("");
      setTouched(false);
    }
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void donate();
      }}
      noValidate
      aria-labelledby={`${id}-title`}
    >
      <h3 id={`${id}-title`} className="sr-only">
        Donate to the prize pool
      </h3>
      <label htmlFor={`${id}-amount`} className="block text-sm font-medium text-slate-700 dark:text-slate-200">
        Amount
      </label>
      <div className="mt-1 flex gap-2">
        <div className="relative min-w-0 flex-1">
          <input
            id={`${id}-amount`}
            name="amount"
            inputMode="decimal"
            autoComplete="off"
            placeholder="0.1"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            onBlur={() => setTouched(true)}
            aria-invalid={showError ? true : undefined}
            aria-describedby={`${id}-hint`}
            disabled={!availability.allowed && isConnected}
            className={`${fieldBase} pr-12 ${showError ? "border-rose-400" : ""}`}
          />
          <span className="pointer-events-none absolute right-3 top-1/2 -translate-y-1/2 text-sm text-slate-500">ETH</span>
        </div>
        {isConnected ? (
          <button type="submit" className={buttonPrimary} disabled={!availability.allowed || tx.busy || (touched && !parsed.wei)}>
            {tx.busy ? <SpinnerIcon /> : null}
            Donate
          </button>
        ) : (
          <button type="button" className={buttonPrimary} onClick={openConnectModal}>
            Connect wallet
          </button>
        )}
      </div>
      <p id={`${id}-hint`} className={`mt-1.5 text-xs ${showError ? "text-rose-600 dark:text-rose-400" : "text-slate-500 dark:text-slate-400"}`}>
        {showError
          ? parsed.error
          : !availability.allowed && isConnected
            ? availability.reason
            : `${balance.data ? `Balance ${formatEth(balance.data.value)}. ` : ""}The ETH goes straight to the competition contract. ${availability.reason}`}
      </p>
      <p className="mt-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-xs text-amber-950 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100" data-testid="donate-risk">
        Before you donate: the organizer knows the test set, so a model memorising it, submitted from another address, wins (measured 60 / 60 against an
        honest 56 / 60; it took the reward and 5 ETH of donations). No contract can tell that address apart. If the organizer withholds the test data
        instead (does not reveal it in full), there is no winner and every donor is refunded: you withdraw your donation after finalization.{" "}
        {riskNoticeId ? (
          <a href={`#${riskNoticeId}`} className="font-medium underline">
            See the organizer&apos;s history
          </a>
        ) : null}
      </p>
      <TransactionStatus state={tx.state} onDismiss={tx.reset} />
    </form>
  );
}

export function DonorsList({ donations, loading }: { donations: readonly Donation[] | undefined; loading: boolean }) {
  if (loading && !donations) {
    return (
      <div className="space-y-2" aria-hidden>
        <Skeleton className="h-5 w-full" />
        <Skeleton className="h-5 w-2/3" />
      </div>
    );
  }
  if (!donations || donations.length === 0) return <p className="text-sm text-slate-500 dark:text-slate-400">No donations yet — be the first.</p>;
  const newestFirst = [...donations].reverse();
  return (
    <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800" aria-label="Donations" data-testid="donors">
      {newestFirst.map((d) => (
        <li key={`${d.transactionHash}-${d.logIndex}`} className="flex items-center justify-between gap-3 py-2">
          <span className="min-w-0">
            <AddressText address={d.donor} />
            <span className="tabular block text-xs text-slate-500 dark:text-slate-400">block #{formatNumber(d.blockNumber)}</span>
          </span>
          <span className="tabular shrink-0 font-semibold">{formatEth(d.amount)}</span>
        </li>
      ))}
    </ul>
  );
}

"use client";

import type { TransactionState } from "./useTransactor";
import { AlertIcon, CheckIcon, InfoIcon, SpinnerIcon } from "@/components/ui/Icons";
import { formatNumber, shortAddress } from "@/lib/web/format";

/** The state of one transaction, in words. Announced to screen readers as it changes. */
export function TransactionStatus({ state, onDismiss }: { state: TransactionState; onDismiss?: () => void }) {
  if (state.phase === "idle") return null;
  const label = state.label ? `${state.label}: ` : "";
  let tone = "border-slate-200 bg-slate-50 text-slate-700 dark:border-slate-700 dark:bg-slate-800/60 dark:text-slate-200";
  let icon = <SpinnerIcon className="text-indigo-500" />;
  let text: React.ReactNode;
  switch (state.phase) {
    case "simulating":
      text = `${label}checking the transaction…`;
      break;
    case "signing":
      text = `${label}confirm in your wallet…`;
      break;
    case "pending":
      text = (
        <>
          {label}sent <span className="font-mono">{shortAddress(state.hash ?? "")}</span>, waiting for it to be mined…
        </>
      );
      break;
    case "confirmed":
      tone = "border-emerald-200 bg-emerald-50 text-emerald-900 dark:border-emerald-500/30 dark:bg-emerald-500/10 dark:text-emerald-200";
      icon = <CheckIcon className="text-emerald-600 dark:text-emerald-400" />;
      text = (
        <>
          {label}confirmed in block <span className="tabular font-semibold">#{formatNumber(state.blockNumber ?? 0n)}</span>
          {state.hash ? (
            <>
              {" "}
              · <span className="font-mono" title={state.hash}>{shortAddress(state.hash)}</span>
            </>
          ) : null}
        </>
      );
      break;
    case "rejected":
      // Declining is a normal choice, not an error.
      icon = <InfoIcon className="text-slate-500" />;
      text = state.message;
      break;
    case "failed":
      tone = "border-rose-200 bg-rose-50 text-rose-900 dark:border-rose-500/30 dark:bg-rose-500/10 dark:text-rose-200";
      icon = <AlertIcon className="text-rose-600 dark:text-rose-400" />;
      text = (
        <>
          {label}
          {state.message}
        </>
      );
      break;
  }
  const settled = state.phase === "confirmed" || state.phase === "failed" || state.phase === "rejected";
  return (
    <div
      role={state.phase === "failed" ? "alert" : "status"}
      aria-live="polite"
      data-phase={state.phase}
      data-testid="transaction-status"
      className={`mt-3 flex items-start gap-2.5 rounded-lg border px-3 py-2.5 text-sm ${tone}`}
    >
      <span className="mt-0.5 shrink-0">{icon}</span>
      <p className="min-w-0 flex-1 break-words">{text}</p>
      {settled && onDismiss ? (
        <button type="button" onClick={onDismiss} className="shrink-0 rounded px-1.5 text-xs font-medium underline-offset-2 hover:underline" aria-label="Dismiss the transaction message">
          Dismiss
        </button>
      ) : null}
    </div>
  );
}

"use client";

import Link from "next/link";
import { TransactionStatus } from "@/components/tx/TransactionStatus";
import type { TransactionState } from "@/components/tx/useTransactor";
import type { CompetitionState } from "@/lib/chain/danku";
import { formatBlocks, formatDuration, formatNumber } from "@/lib/web/format";
import { blocksLeft } from "@/lib/web/stages";
import { Notice, PrimaryButton } from "../ui";

/**
 * Step 6: init2. Anyone may draw the split in the blocks after creation, up to the window's end; the seed is the
 * creation block's hash, so waiting gains nothing. A countdown shows how many blocks are left.
 */
export function SplitStep({
  state,
  blockNumber,
  blockTimeSeconds,
  blocked,
  transaction,
  onSplit,
}: {
  state: CompetitionState | undefined;
  blockNumber: bigint | undefined;
  blockTimeSeconds: number;
  blocked: string | undefined;
  transaction: TransactionState;
  onSplit: () => void;
}) {
  if (!state) return <p role="status">Reading the competition…</p>;
  const busy = transaction.phase === "simulating" || transaction.phase === "signing" || transaction.phase === "pending";
  const current = blockNumber ?? state.blockNumber;
  const deadline = state.deadlines.init2Deadline;
  if (state.stage === "SetupExpired" || (state.stage === "AwaitingSplit" && current >= deadline && !busy && transaction.phase !== "confirmed")) {
    return (
      <Notice tone="error" title="The split window has passed" testId="split-expired">
        <p>
          The split had to be drawn by block {formatNumber(deadline)}; the chain is at block {formatNumber(current)}. The competition can no longer
          start. Anyone can now cancel it, and you can then withdraw the reward on the{" "}
          <Link className="font-medium underline" href={`/competitions/${state.address}`}>
            competition page
          </Link>
          . Your secrets and metadata are kept: create the competition again from a new draft with the same file.
        </p>
      </Notice>
    );
  }
  // Blocks current+1 … deadline can still hold the split transaction.
  const chances = blocksLeft("AwaitingSplit", state.deadlines, current) ?? 0n;
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Competition created in block {formatNumber(state.init1Block)}. Now the chain draws which {state.trainingGroupCount} of the {state.groupCount}{" "}
        groups are training data, seeded by that block&apos;s hash — nobody, including you, can choose it.
      </p>
      <div className="rounded-xl border border-slate-200 p-4 dark:border-slate-800" data-testid="split-countdown" aria-live="polite">
        <p className="text-3xl font-bold tabular-nums">{formatBlocks(chances)}</p>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          left to draw the split (until block {formatNumber(deadline)}, {formatDuration(Number(chances) * blockTimeSeconds)}); the chain is at block{" "}
          {formatNumber(current)}.
        </p>
      </div>
      <TransactionStatus state={transaction} />
      {blocked && !busy && <Notice tone="info">{blocked}</Notice>}
      <PrimaryButton onClick={onSplit} disabled={busy || !!blocked}>
        {transaction.phase === "rejected" || transaction.phase === "failed" ? "Try again: draw the split" : "Draw the training/test split"}
      </PrimaryButton>
    </div>
  );
}

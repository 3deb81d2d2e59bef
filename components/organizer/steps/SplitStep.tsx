"use client";

import Link from "next/link";
import { TransactionStatus } from "@/components/tx/TransactionStatus";
import type { TransactionState } from "@/components/tx/useTransactor";
import type { CompetitionState } from "@/lib/chain/danku";
import { formatBlocks, formatDuration, formatNumber } from "@/lib/web/format";
import { blocksLeft } from "@/lib/web/stages";
import { ProgressBar } from "../ProgressBar";
import { Notice, PrimaryButton } from "../ui";

/**
 * Step 6: init2. The seed is the hash of block init1 + splitDelay, unknown when the groups were committed; the split
 * can be drawn in the blocks after it, up to the window's end. Until the seed block is mined a progress bar waits
 * for it (on the local chain the wizard mines the blocks); then a countdown shows how many blocks are left.
 */
export function SplitStep({
  state,
  blockNumber,
  blockTimeSeconds,
  blocked,
  transaction,
  onSplit,
  mining = false,
}: {
  state: CompetitionState | undefined;
  blockNumber: bigint | undefined;
  blockTimeSeconds: number;
  blocked: string | undefined;
  transaction: TransactionState;
  onSplit: () => void;
  /** Set on a local development chain while the wizard mines up to the seed block itself. */
  mining?: boolean;
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
  const seedBlock = state.deadlines.splitSeedBlock;
  // The split transaction must land after the seed block: with the head at the seed block, the next block is.
  const seedMined = current >= seedBlock;
  // Blocks current+1 … deadline can still hold the split transaction.
  const chances = blocksLeft("AwaitingSplit", state.deadlines, current) ?? 0n;
  const delay = Number(seedBlock - state.init1Block);
  const passed = Number(current > state.init1Block ? (current < seedBlock ? current - state.init1Block : seedBlock - state.init1Block) : 0n);
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Competition created in block {formatNumber(state.init1Block)}. The chain draws which {state.trainingGroupCount} of the {state.groupCount}{" "}
        groups are training data, seeded by the hash of block {formatNumber(seedBlock)} ({formatBlocks(delay)} later) — unknown when you committed,
        so nobody, including you, can choose it.
      </p>
      <Notice tone="warning" title="From the seed block on, backing out burns the reward" testId="forfeit-warning">
        <p>
          Once block {formatNumber(seedBlock)} is mined, cancelling, or not drawing the split and revealing the training data in time, forfeits your
          reward: it stays locked in the contract for ever (donors are still refunded).
        </p>
      </Notice>
      {!seedMined && (
        <div className="rounded-xl border border-slate-200 p-4 dark:border-slate-800" data-testid="seed-wait" aria-live="polite">
          <ProgressBar
            label="Waiting for the seed block"
            value={passed}
            max={delay}
            detail={`waiting for block ${formatNumber(seedBlock)} (current ${formatNumber(current)})`}
          />
          <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
            {mining
              ? "This local chain mines only on transactions: the wizard mines the missing blocks."
              : `About ${formatDuration(Number(seedBlock - current) * blockTimeSeconds)}; the split can be drawn from block ${formatNumber(seedBlock + 1n)} on.`}
          </p>
        </div>
      )}
      <div className="rounded-xl border border-slate-200 p-4 dark:border-slate-800" data-testid="split-countdown" aria-live="polite" hidden={!seedMined}>
        <p className="text-3xl font-bold tabular-nums">{formatBlocks(chances)}</p>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          left to draw the split (until block {formatNumber(deadline)}, {formatDuration(Number(chances) * blockTimeSeconds)}); the chain is at block{" "}
          {formatNumber(current)}.
        </p>
      </div>
      <TransactionStatus state={transaction} />
      {blocked && !busy && <Notice tone="info">{blocked}</Notice>}
      <PrimaryButton onClick={onSplit} disabled={busy || !!blocked || !seedMined}>
        {transaction.phase === "rejected" || transaction.phase === "failed" ? "Try again: draw the split" : "Draw the training/test split"}
      </PrimaryButton>
    </div>
  );
}

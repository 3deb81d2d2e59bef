"use client";

import { ConnectButton } from "@rainbow-me/rainbowkit";
import { formatBps, formatBlocks, formatEth } from "@/lib/web/format";
import { AddressText } from "@/components/ui/Address";
import { TransactionStatus } from "@/components/tx/TransactionStatus";
import type { TransactionState } from "@/components/tx/useTransactor";
import type { CompetitionConfig } from "@/lib/chain/danku";
import { PERIOD_FIELDS } from "../settings";
import { Notice, PrimaryButton, SecondaryButton, StepActions } from "../ui";

/**
 * Step 5: init1. The factory creates the competition with the group hashes and the metadata CID, and escrows the
 * reward (the transaction's value).
 */
export function CreateStep({
  config,
  reward,
  groupCount,
  trainingGroups,
  metadataCid,
  factory,
  blocked,
  recovering,
  transaction,
  locked,
  onCreate,
  onBack,
}: {
  config: CompetitionConfig;
  reward: bigint;
  groupCount: number;
  trainingGroups: number;
  metadataCid: string;
  factory: string | null;
  /** Why the transaction cannot be sent now (no wallet, wrong chain…), or undefined. */
  blocked: string | undefined;
  /** A creation transaction from an earlier visit is being looked up. */
  recovering: boolean;
  transaction: TransactionState;
  /** The creation transaction was sent: the settings can no longer change. */
  locked: boolean;
  onCreate: () => void;
  onBack: () => void;
}) {
  const busy = transaction.phase === "simulating" || transaction.phase === "signing" || transaction.phase === "pending" || recovering;
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Creating the competition commits the {groupCount} group hashes and escrows the reward. Right after it, the split must be drawn within{" "}
        {formatBlocks(config.init2Window)}.
      </p>
      <dl className="grid gap-x-8 gap-y-2 text-sm sm:grid-cols-2" data-testid="create-summary">
        <Row label="Reward (escrowed now)" value={formatEth(reward, { decimals: 18 })} />
        <Row label="Data" value={`${config.featureCount} features, ${config.classCount} classes`} />
        <Row label="Groups" value={`${groupCount} (${trainingGroups} training, ${groupCount - trainingGroups} test)`} />
        <Row label="Minimum accuracy" value={formatBps(config.minAccuracyBps)} />
        <Row label="Split window" value={formatBlocks(config.init2Window)} />
        {PERIOD_FIELDS.map(({ key, label }) => (
          <Row key={key} label={`${label} period`} value={formatBlocks(config[key])} />
        ))}
        <Row label="Metadata CID" value={<code className="break-all text-xs">{metadataCid}</code>} />
        <Row label="Factory" value={factory ? <AddressText address={factory} /> : "not configured"} />
      </dl>
      {recovering && (
        <Notice tone="info" title="Looking for your creation transaction">
          A creation transaction was sent on an earlier visit; waiting for it to be found on chain…
        </Notice>
      )}
      <TransactionStatus state={transaction} />
      {blocked && !busy && (
        <Notice tone="info">
          <p>{blocked}</p>
          <div className="pt-2">
            <ConnectButton />
          </div>
        </Notice>
      )}
      <StepActions>
        <SecondaryButton onClick={onBack} disabled={busy || locked}>
          Back
        </SecondaryButton>
        <PrimaryButton onClick={onCreate} disabled={busy || !!blocked}>
          {transaction.phase === "rejected" || transaction.phase === "failed" ? "Try again: create" : "Create competition"} and escrow{" "}
          {formatEth(reward, { decimals: 18 })}
        </PrimaryButton>
      </StepActions>
    </div>
  );
}

function Row({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div className="flex justify-between gap-4 border-b border-slate-100 py-1 dark:border-slate-800">
      <dt className="text-slate-500">{label}</dt>
      <dd className="text-right font-medium tabular-nums">{value}</dd>
    </div>
  );
}

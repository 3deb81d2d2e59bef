"use client";

import { ConnectButton } from "@rainbow-me/rainbowkit";
import { formatBps, formatBlocks, formatEth } from "@/lib/web/format";
import { AddressText } from "@/components/ui/Address";
import { TransactionStatus } from "@/components/tx/TransactionStatus";
import type { TransactionState } from "@/components/tx/useTransactor";
import type { CompetitionConfig } from "@/lib/chain/danku";
import { groupSizes } from "@/lib/danku/groups";
import { evaluationFit, groupSizeSummary } from "@/lib/danku/risk";
import { formatDuration, formatNumber } from "@/lib/web/format";
import type { ImageShape } from "@/lib/danku/images";
import { formatImageShape } from "../ImageThumbnails";
import { claimBond } from "@/lib/danku/claims";
import { PERIOD_FIELDS, type ClaimTermsInput } from "../settings";
import { Notice, PrimaryButton, SecondaryButton, StepActions } from "../ui";

/**
 * Step 5: init1. The factory creates the competition with the group hashes and the metadata CID, and escrows the
 * reward (the transaction's value).
 */
export function CreateStep({
  config,
  reward,
  claimTerms,
  blockTimeSeconds,
  groupCount,
  trainingGroups,
  pointCount,
  imageShape,
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
  /** Claim mode's terms; absent for on-chain evaluation. */
  claimTerms: ClaimTermsInput | undefined;
  blockTimeSeconds: number;
  groupCount: number;
  trainingGroups: number;
  /** Points of all groups: their sizes are committed with the hashes. */
  pointCount: number;
  /** Image datasets: the input shape declared in the metadata. */
  imageShape?: ImageShape;
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
  const sizes = groupSizeSummary(groupSizes(pointCount, groupCount), trainingGroups);
  const fit = evaluationFit(pointCount, config.evaluationPeriod);
  const busy = transaction.phase === "simulating" || transaction.phase === "signing" || transaction.phase === "pending" || recovering;
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Creating the competition commits the {groupCount} group hashes and their sizes, and escrows the reward. The split is seeded by the block{" "}
        {formatBlocks(config.splitDelay)} after creation and must be drawn within {formatBlocks(config.init2Window)} after that block.
      </p>
      <dl className="grid gap-x-8 gap-y-2 text-sm sm:grid-cols-2" data-testid="create-summary">
        <Row label="Reward (escrowed now)" value={formatEth(reward, { decimals: 18 })} />
        <Row label="Data" value={`${formatNumber(pointCount)} points, ${config.featureCount} features, ${config.classCount} classes`} />
        {imageShape && <Row label="Input shape (images)" value={formatImageShape(imageShape)} />}
        <Row label="Groups" value={`${groupCount} (${trainingGroups} training, ${groupCount - trainingGroups} test)`} />
        <Row
          label="Group sizes (committed)"
          value={`${formatNumber(sizes.min)}–${formatNumber(sizes.max)} points, ${formatNumber(sizes.total)} in total`}
        />
        <Row
          label="Test points expected"
          value={sizes.testPointsMin === sizes.testPointsMax ? formatNumber(sizes.testPointsMin) : `${formatNumber(sizes.testPointsMin)}–${formatNumber(sizes.testPointsMax)}`}
        />
        <Row label="Minimum accuracy" value={formatBps(config.minAccuracyBps)} />
        <Row label="Split delay (seed block)" value={formatBlocks(config.splitDelay)} />
        <Row label="Split window" value={formatBlocks(config.init2Window)} />
        <Row
          label="Evaluation"
          value={<span data-testid="create-evaluation-mode">{claimTerms ? "Claimed scores with one-point disputes" : "On chain"}</span>}
        />
        {claimTerms ? (
          <>
            <Row
              label="Challenge window"
              value={`${formatBlocks(claimTerms.challengeWindow)} (${formatDuration(claimTerms.challengeWindow * blockTimeSeconds)})`}
            />
            <Row label="Bond per claim" value={formatEth(claimBond(claimTerms.bondGasPrice), { decimals: 18 })} />
          </>
        ) : (
          <Row label="Evaluation fits" value={`worst case ${formatBlocks(fit.minimumPeriod)} needed, period ${formatBlocks(config.evaluationPeriod)}`} />
        )}
        {PERIOD_FIELDS.map(({ key, label }) => (
          <Row key={key} label={`${label} period`} value={formatBlocks(config[key])} />
        ))}
        <Row label="Metadata CID" value={<code className="break-all text-xs">{metadataCid}</code>} />
        <Row label="Factory" value={factory ? <AddressText address={factory} /> : "not configured"} />
      </dl>
      <Notice tone="warning" title="Before you sign">
        <p>
          Once the seed block (creation + {formatBlocks(config.splitDelay)}) is mined, cancelling or not revealing the training data in time burns your
          reward. Not revealing the test data in full shares the pool among all revealed submissions.
        </p>
      </Notice>
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
            <ConnectButton showBalance={false} />
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

"use client";

import { useId, useState } from "react";
import { parseEventLogs } from "viem";
import { useAccount } from "wagmi";
import { daimonDisputeModuleAbi, daimonProblemAbi } from "@/lib/generated/abis";
import type { ChainBlock, ChainProof, ChainVote, ProblemState, VoteBondWithdrawal } from "@/lib/chain/daimon";
import type { ValidatorClaim } from "@/lib/chain/daimonReads";
import type { ActionAvailability } from "@/lib/web/actions";
import { commitActions, formatDistance, formatTokenAmount, validatorRewards, voteBondRows } from "@/lib/web/daimon";
import { formatEth, formatNumber } from "@/lib/web/format";
import { DAIMON_LIMITS } from "@/lib/daimon/fixedPoint";
import { useAppConfig } from "@/components/providers/AppConfigContext";
import { TransactionStatus } from "@/components/tx/TransactionStatus";
import { useTransactor } from "@/components/tx/useTransactor";
import { Notice, PrimaryButton, SecondaryButton } from "@/components/organizer/ui";

function ActionRow({ title, description, availability, children }: { title: string; description: string; availability: ActionAvailability; children: (describedBy: string) => React.ReactNode }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-2 py-4 first:pt-0 last:pb-0 sm:flex-row sm:items-start sm:justify-between">
      <div className="min-w-0">
        <h3 className="text-sm font-semibold">{title}</h3>
        <p className="text-xs text-slate-500 dark:text-slate-400">{description}</p>
        <p id={`${id}-reason`} className={`mt-1 text-xs ${availability.allowed ? "text-emerald-700 dark:text-emerald-400" : "text-slate-600 dark:text-slate-300"}`} data-testid="action-reason">
          {availability.reason}
        </p>
      </div>
      <div className="shrink-0">{children(`${id}-reason`)}</div>
    </div>
  );
}

/** The block committer's actions (anyone): block #0 after the definition period, an Improvement block after each round. */
export function CommitPanel({ state, proofs }: { state: ProblemState; proofs: readonly ChainProof[] }) {
  const app = useAppConfig();
  const { address: account, chainId: walletChain } = useAccount();
  const tx = useTransactor();
  const [outcome, setOutcome] = useState<string>();
  const actions = commitActions({ state, proofs, account, rightNetwork: walletChain === undefined || walletChain === app.chainId });
  const number = actions.improvementBlock.blockNumber;

  async function commitImprovement() {
    setOutcome(undefined);
    const receipt = await tx.write(number ? `Commit block #${number}` : "Commit the round", { address: state.address, abi: daimonProblemAbi, functionName: "commitImprovementBlock", args: [] });
    if (!receipt) return;
    const [block] = parseEventLogs({ abi: daimonProblemAbi, logs: receipt.logs, eventName: "ImprovementBlockCommitted" });
    setOutcome(
      block
        ? `Block #${block.args.info.blockNumber} committed: d = ${formatDistance(block.args.info.distance, 6)}, ${formatTokenAmount(block.args.info.improverReward, state.tokenSymbol)} minted to the improver.`
        : "The round was closed without a block.",
    );
  }

  return (
    <div data-testid="commit-panel">
      <div className="divide-y divide-slate-100 dark:divide-slate-800">
        <ActionRow
          title={number ? `Commit block #${number}` : "Commit an Improvement block"}
          description="Settles the ended round: its leading proof becomes the next block if it has enough votes, and the improver's tokens are minted."
          availability={actions.improvementBlock}
        >
          {(describedBy) => (
            <PrimaryButton disabled={!actions.improvementBlock.allowed || tx.busy} aria-describedby={describedBy} onClick={() => void commitImprovement()}>
              Commit block
            </PrimaryButton>
          )}
        </ActionRow>
        <ActionRow title="Commit the Problem block" description="Block #0: the definition and every tuple added during the definition period." availability={actions.problemBlock}>
          {(describedBy) => (
            <SecondaryButton
              disabled={!actions.problemBlock.allowed || tx.busy}
              aria-describedby={describedBy}
              onClick={() => void tx.write("Commit block #0", { address: state.address, abi: daimonProblemAbi, functionName: "commitProblemBlock", args: [] })}
            >
              Commit block #0
            </SecondaryButton>
          )}
        </ActionRow>
      </div>
      {outcome ? (
        <Notice tone="success" testId="commit-outcome">
          {outcome}
        </Notice>
      ) : null}
      <TransactionStatus state={tx.state} onDismiss={tx.reset} />
    </div>
  );
}

/** The connected validator's rewards: ⌊⌊reward / 4⌋ / votes⌋ per committed block it voted for (the same for every vote), pulled with a claim. */
export function ValidatorRewards({
  state,
  blocks,
  votes,
  claims,
}: {
  state: ProblemState;
  blocks: readonly ChainBlock[];
  votes: readonly ChainVote[];
  claims: readonly ValidatorClaim[];
}) {
  const app = useAppConfig();
  const { address: account, chainId: walletChain } = useAccount();
  const tx = useTransactor();
  const rows = validatorRewards({ blocks, votes, claims, state, account, rightNetwork: walletChain === undefined || walletChain === app.chainId });
  if (!account) return <p className="text-sm text-slate-600 dark:text-slate-300">Connect a wallet to see the validator rewards you can claim.</p>;
  if (rows.length === 0) {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="no-validator-rewards">
        You voted for no committed block yet. A block&apos;s validators share a quarter of its reward equally: each vote can claim ⌊⌊reward / 4⌋ / votes⌋ {state.tokenSymbol}.
      </p>
    );
  }
  return (
    <div>
      <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label="Your validator rewards">
        {rows.map((r) => (
          <li key={r.blockNumber.toString()} className="flex flex-col gap-2 py-3 first:pt-0 sm:flex-row sm:items-center sm:justify-between" data-testid="validator-reward" data-block={r.blockNumber.toString()}>
            <div>
              <p className="text-sm font-semibold">
                Block #{formatNumber(r.blockNumber)} · validator #{formatNumber(r.position)}
              </p>
              <p className="text-xs text-slate-600 dark:text-slate-300">
                <span className="tabular font-semibold">{formatTokenAmount(r.amount, state.tokenSymbol, 6)}</span> · {r.availability.reason}
              </p>
            </div>
            <PrimaryButton
              disabled={!r.availability.allowed || tx.busy}
              onClick={() =>
                void tx.write(`Claim ${formatTokenAmount(r.amount, state.tokenSymbol)} for block #${r.blockNumber}`, {
                  address: state.address,
                  abi: daimonProblemAbi,
                  functionName: "claimValidatorReward",
                  args: [r.blockNumber],
                })
              }
            >
              {r.claimed ? "Claimed" : `Claim block #${r.blockNumber}`}
            </PrimaryButton>
          </li>
        ))}
      </ul>
      <TransactionStatus state={tx.state} onDismiss={tx.reset} />
    </div>
  );
}

/**
 * The connected validator's vote bonds (docs/daimon.md §14.4): each vote locked `VOTE_BOND`; once the proof's round is
 * over and the proof survived it, the bond is pulled back with `withdrawVoteBond` (a voided proof's went to its challenger).
 */
export function VoteBonds({
  state,
  proofs,
  votes,
  withdrawals,
}: {
  state: ProblemState;
  proofs: readonly ChainProof[];
  votes: readonly ChainVote[];
  withdrawals: readonly VoteBondWithdrawal[];
}) {
  const app = useAppConfig();
  const { address: account, chainId: walletChain } = useAccount();
  const tx = useTransactor();
  const rows = voteBondRows({ proofs, votes, withdrawals, state, account, rightNetwork: walletChain === undefined || walletChain === app.chainId });
  if (!account) return null;
  if (rows.length === 0) {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="no-vote-bonds">
        Every vote locks {formatEth(DAIMON_LIMITS.VOTE_BOND)}: lost to the challenger if the proof loses a dispute, withdrawable once its round is over otherwise.
      </p>
    );
  }
  return (
    <div className="mt-4">
      <h3 className="text-sm font-semibold">Your vote bonds</h3>
      <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label="Your vote bonds">
        {rows.map((r) => (
          <li key={r.proofId.toString()} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between" data-testid="vote-bond" data-proof-id={r.proofId.toString()}>
            <div>
              <p className="text-sm font-semibold">
                Proof #{formatNumber(r.proofId)} · round {formatNumber(r.round)} · <span className="tabular">{formatEth(r.amount)}</span>
              </p>
              <p className="text-xs text-slate-600 dark:text-slate-300" data-testid="vote-bond-reason">
                {r.availability.reason}
              </p>
            </div>
            <SecondaryButton
              disabled={!r.availability.allowed || tx.busy}
              onClick={() =>
                void tx.write(`Withdraw the vote bond on proof #${r.proofId}`, {
                  address: state.address,
                  abi: daimonDisputeModuleAbi,
                  functionName: "withdrawVoteBond",
                  args: [r.proofId],
                })
              }
            >
              {r.withdrawn ? "Withdrawn" : "Withdraw vote bond"}
            </SecondaryButton>
          </li>
        ))}
      </ul>
      <TransactionStatus state={tx.state} onDismiss={tx.reset} />
    </div>
  );
}

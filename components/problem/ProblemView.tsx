"use client";

import type { Address } from "viem";
import { PHASE_DESCRIPTIONS, PHASE_TITLES, UNTITLED_PROBLEM, distanceSeries, effectiveBestDistance, formatAccuracy, formatDistance, formatTokenAmount, improvementBlockCount, problemSchedule, tokenHolders } from "@/lib/web/daimon";
import { formatBlocks, formatDuration, formatNumber } from "@/lib/web/format";
import { fromWad } from "@/lib/daimon/fixedPoint";
import { useAppConfig } from "@/components/providers/AppConfigContext";
import { useBlockTime } from "@/components/hooks/useBlockTime";
import { PhaseBadge, ProtocolBadge } from "@/components/ui/Badge";
import { AddressText } from "@/components/ui/Address";
import { CopyButton } from "@/components/ui/CopyButton";
import { Skeleton } from "@/components/ui/Skeleton";
import { BackLink, ContractPageSkeleton, ContractReadFailure, PageSection } from "@/components/ui/ContractPage";
import { card } from "@/components/ui/styles";
import { BlockTimeline } from "./BlockTimeline";
import { CommitPanel, ValidatorRewards, VoteBonds } from "./CommitPanel";
import { DistanceChart } from "./DistanceChart";
import { ImproverPanel } from "./ImproverPanel";
import { PendingProofs } from "./PendingProofs";
import { RoundSchedule } from "./RoundSchedule";
import { TokenHolders } from "./TokenHolders";
import { TuplesPanel } from "./TuplesPanel";
import { useProblemEvents, useProblemListing, useProblemMetadata, useProblemState } from "./useProblem";
import { DaimonGlossary, Term } from "./Term";
import { describeRound, type DaimonTerm } from "@/lib/web/daimonGlossary";

/** The terms the problem page uses, explained in its "What these terms mean" list. */
const PAGE_TERMS: readonly DaimonTerm[] = ["DEL", "f", "d", "d_c", "δ", "round", "T_p", "T_b", "tuple", "Z", "y_t", "PROVE", "m", "n", "C", "a", "R"];


function ContractLine({ label, address, detail, testId }: { label: string; address: Address; detail?: string; testId: string }) {
  return (
    <div className="flex min-w-0 flex-col gap-1 sm:flex-row sm:items-center sm:justify-between">
      <div className="min-w-0">
        <p className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">{label}</p>
        <p className="mt-0.5 break-all font-mono text-sm" data-testid={testId}>
          {address}
        </p>
        {detail ? <p className="text-xs text-slate-500 dark:text-slate-400">{detail}</p> : null}
      </div>
      <CopyButton value={address} label={`Copy the ${label.toLowerCase()} address`} />
    </div>
  );
}

/** A DaiMoN problem: its chain of blocks, the distance over blocks, holders, pending proofs and each role's actions. */
export function ProblemView({ address }: { address: Address }) {
  const config = useAppConfig();
  const blockTime = useBlockTime();
  const problem = useProblemState(address);
  const state = problem.data;
  const metadata = useProblemMetadata(state?.metadataCid || undefined, state?.config.classCount);
  const listing = useProblemListing(address, state?.createdBlock);
  // Wait for the factory's event (to check block #0's definition hash) unless there is no factory to ask or it failed.
  const events = useProblemEvents(address, state?.token, state?.createdBlock, !config.problemFactory || listing.isError ? null : listing.isPending ? undefined : (listing.data ?? null));

  if (problem.isError && !state) {
    return (
      <ContractReadFailure
        error={problem.error}
        rpcUrl={config.rpcUrl}
        retrying={problem.isFetching}
        onRetry={() => void problem.refetch()}
        backLabel="Marketplace"
        notFound={{
          testId: "problem-not-found",
          title: "No problem at this address",
          body: (
            <>
              There is no DaiMoN problem contract at <span className="font-mono">{address}</span> on {config.chainName}. Check the link, or find the problem in the
              marketplace.
            </>
          ),
        }}
      />
    );
  }

  if (!state) return <ContractPageSkeleton backLabel="Marketplace" loading="Loading the problem…" />;


  const meta = metadata.data;
  const title = meta?.title ?? (metadata.isPending && state.metadataCid ? undefined : UNTITLED_PROBLEM);
  const schedule = problemSchedule(state, state.blockNumber);
  const data = events.data;
  const proofs = data?.proofs ?? [];
  const votes = data?.votes ?? [];
  const best = effectiveBestDistance(state, proofs);
  const points = distanceSeries(data?.chain.blocks ?? []);
  const threshold = state.phase === "Competition" ? Math.max(0, fromWad(best - state.config.margin)) : undefined;
  const supply = data ? tokenHolders(data.transfers).totalSupply : undefined;
  const blocksLeft = schedule.blocksLeft;

  return (
    <div>
      <BackLink label="Marketplace" />
      <header className="mt-4">
        <div className="flex flex-wrap items-center gap-2">
          <ProtocolBadge protocol="daimon" />
          <PhaseBadge phase={state.phase} round={state.currentRound} />
          {state.phase === "Competition" && state.currentRound !== undefined ? (
            <span className="text-xs text-slate-500 dark:text-slate-400" data-testid="phase-round-gloss">
              {describeRound(state.currentRound, state.config.competitionPeriod)}
            </span>
          ) : null}
          {problem.isError ? (
            <span role="status" className="text-xs font-medium text-amber-700 dark:text-amber-300">
              Updates paused: the chain stopped answering.
            </span>
          ) : null}
        </div>
        <h1 className="mt-3 text-3xl font-bold tracking-tight text-slate-900 dark:text-white">{title ?? <Skeleton className="h-9 w-2/3" />}</h1>
        <p className="mt-3 max-w-3xl whitespace-pre-line text-slate-600 dark:text-slate-300">
          {meta?.description ?? (metadata.isError ? "The description could not be loaded from IPFS." : state.metadataCid ? "" : "The creator published no description.")}
        </p>
        {meta && (meta.inputDescription || meta.classNames.length > 0) ? (
          <p className="mt-2 max-w-3xl text-sm text-slate-600 dark:text-slate-300">
            {meta.inputDescription ? `Input: ${meta.inputDescription}. ` : ""}
            {meta.classNames.length > 0 ? `Classes: ${meta.classNames.map((c, i) => `${i} ${c}`).join(", ")}.` : ""}
          </p>
        ) : null}
        <p className="mt-3 text-sm text-slate-500 dark:text-slate-400">
          Created by <AddressText address={state.creator} /> · block #{formatNumber(state.createdBlock)} · now {PHASE_DESCRIPTIONS[state.phase]}
        </p>
        <div className="mt-3 max-w-3xl">
          <DaimonGlossary terms={PAGE_TERMS} />
        </div>
      </header>

      <section aria-label="Contract addresses" className={`${card} mt-6 grid gap-4 p-4 md:grid-cols-2`}>
        <ContractLine label="Problem contract" address={state.address} testId="problem-address" />
        <ContractLine label="Token contract" address={state.token} detail={`${state.tokenName} (${state.tokenSymbol}), ERC-20 with 18 decimals`} testId="token-address" />
      </section>

      <dl className="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        {[
          { label: "Phase", value: PHASE_TITLES[state.phase], detail: state.currentRound !== undefined ? `round ${formatNumber(state.currentRound)} (rounds count from 0)` : undefined, testId: "problem-phase" },
          {
            label: state.phase === "Definition" ? "Definition ends" : "Round ends",
            value: blocksLeft === undefined ? "—" : blocksLeft === 0n ? "next block" : `in ${formatBlocks(blocksLeft)}`,
            detail: schedule.window
              ? `at block #${formatNumber(schedule.window.end)}${blocksLeft !== undefined && blocksLeft > 0n ? ` · ${formatDuration(Number(blocksLeft) * blockTime.seconds)}` : ""}`
              : undefined,
            testId: "problem-blocks-left",
          },
          {
            label: (
              <>
                Best distance <Term name="d_c" gloss={false} />
              </>
            ),
            key: "best",
            value: formatDistance(state.bestDistance),
            detail: improvementBlockCount(state.chainLength) > 0 ? `≈ ${formatAccuracy(state.bestDistance)} estimated accuracy` : "no improvement yet",
            testId: "best-distance",
          },
          { label: "Improvement blocks", value: formatNumber(improvementBlockCount(state.chainLength)), detail: `${formatNumber(state.proofCount)} proof${state.proofCount === 1 ? "" : "s"} so far`, testId: "improvement-blocks" },
          { label: "Token supply", value: supply === undefined ? "—" : formatTokenAmount(supply, state.tokenSymbol), detail: state.tokenName, testId: "token-supply-stat" },
          {
            label: (
              <>
                Margin <Term name="δ" gloss={false} /> · votes
              </>
            ),
            key: "margin",
            value: formatDistance(state.config.margin),
            detail: `${state.config.minVotes} vote${state.config.minVotes === 1 ? "" : "s"} per block; a new model needs d + δ < d_c`,
          },
        ].map((s) => (
          <div key={typeof s.label === "string" ? s.label : s.key} className={`${card} px-4 py-3`}>
            <dt className="text-xs font-medium text-slate-500 dark:text-slate-400">{s.label}</dt>
            <dd className="tabular mt-1 text-lg font-semibold" data-testid={s.testId}>
              {s.value}
            </dd>
            {s.detail ? <dd className="text-xs text-slate-500 dark:text-slate-400">{s.detail}</dd> : null}
          </div>
        ))}
      </dl>

      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <PageSection title="Chain of blocks" id="chain-title" aside={<span className="text-xs text-slate-500">live · block #{formatNumber(state.blockNumber)}</span>}>
            <BlockTimeline state={state} chain={data?.chain} proofs={data?.proofs} loading={events.isPending} />
          </PageSection>
          <PageSection title="Distance over blocks" id="chart-title" description="d is the DEL (distance embedding for labels) distance of the block's proof: how far the model's predictions are from the hidden test labels, lower is better.">
            <DistanceChart points={points} threshold={threshold} symbol={state.tokenSymbol} />
          </PageSection>
          <PageSection title="Pending proofs" id="pending-title" description="Validators: verify a proof in this browser, then vote for it. One vote per validator, in the proof's round.">
            <PendingProofs state={state} tuples={data?.tuples} proofs={proofs} votes={votes} />
          </PageSection>
          <PageSection title="Improve the model" id="improve-title" description="Model improvers: PROVE a better model here, register it, then submit the proof.">
            <ImproverPanel state={state} tuples={data?.tuples} proofs={proofs} />
          </PageSection>
          <PageSection title="Commit blocks" id="commit-title" description="Block committers: anyone, once a period or round is over.">
            <CommitPanel state={state} proofs={proofs} />
          </PageSection>
          <PageSection title="Validator rewards" id="rewards-title">
            <ValidatorRewards state={state} blocks={data?.chain.blocks ?? []} votes={votes} claims={data?.claims ?? []} />
            <VoteBonds state={state} proofs={proofs} votes={votes} withdrawals={data?.voteBondWithdrawals ?? []} />
          </PageSection>
        </div>
        <div className="space-y-6">
          <PageSection title="Schedule" id="schedule-title" aside={<span className="tabular text-xs text-slate-500">block #{formatNumber(state.blockNumber)}</span>}>
            <RoundSchedule state={state} blockTime={blockTime} />
          </PageSection>
          <PageSection title="Token holders" id="holders-title">
            <TokenHolders transfers={data?.transfers} symbol={state.tokenSymbol} loading={events.isPending} />
          </PageSection>
          <PageSection title="Rules" id="rules-title">
            <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm">
              {(
                [
                  ["Classes", "C", formatNumber(state.config.classCount)],
                  ["Input shape", undefined, `[${state.inputShape.join(", ")}]`],
                  ["Test set size", "m", formatNumber(state.config.testSetSize)],
                  ["Embedding size", "n", formatNumber(state.config.embeddingSize)],
                  ["Definition period", "T_p", formatBlocks(state.config.definitionPeriod)],
                  ["Round length", "T_b", formatBlocks(state.config.competitionPeriod)],
                  ["Reward shape", "a", formatNumber(state.config.rewardShape)],
                  ["Tokens for reward", "R", `${formatTokenAmount(state.config.rewardScale, state.tokenSymbol)} at R = 1`],
                  ["Margin", "δ", formatDistance(state.config.margin, 6)],
                  ["Votes per block", undefined, formatNumber(state.config.minVotes)],
                  ["Tuples (test sets)", undefined, `${state.tupleCount} (${state.config.openTuples ? "anyone" : "creator only"})`],
                ] satisfies [string, DaimonTerm | undefined, string][]
              ).map(([label, term, v]) => (
                <div key={label}>
                  <dt className="text-xs text-slate-500 dark:text-slate-400">
                    {label}
                    {term ? (
                      <>
                        {" "}
                        <Term name={term} gloss={false} />
                      </>
                    ) : null}
                  </dt>
                  <dd className="tabular">{v}</dd>
                </div>
              ))}
            </dl>
          </PageSection>
          <PageSection title="Test tuples" id="tuples-title">
            <TuplesPanel state={state} tuples={data?.tuples} loading={events.isPending} />
          </PageSection>
        </div>
      </div>
    </div>
  );
}

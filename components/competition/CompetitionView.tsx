"use client";

import type { Address } from "viem";
import { useAccount } from "wagmi";
import { STAGE_DESCRIPTIONS } from "@/lib/chain/danku";
import { availableActions } from "@/lib/web/actions";
import { formatBps, formatEth, formatNumber, formatPercent } from "@/lib/web/format";
import { UNTITLED } from "@/lib/web/metadata";
import { useAppConfig } from "@/components/providers/AppConfigContext";
import { useBlockTime } from "@/components/hooks/useBlockTime";
import { ProtocolBadge, StageBadge } from "@/components/ui/Badge";
import { AddressText } from "@/components/ui/Address";
import { CopyButton } from "@/components/ui/CopyButton";
import { Skeleton } from "@/components/ui/Skeleton";
import { BackLink, ContractPageSkeleton, ContractReadFailure, PageSection } from "@/components/ui/ContractPage";
import { ExternalIcon } from "@/components/ui/Icons";
import { card } from "@/components/ui/styles";
import { GroupRevealPanel } from "@/components/organizer/GroupRevealPanel";
import { SubmitterPanel } from "@/components/submitter/SubmitterPanel";
import { ActionsPanel } from "./ActionsPanel";
import { CommitmentsPanel } from "./CommitmentsPanel";
import { OutcomeNotice } from "./OutcomeNotice";
import { RiskNotice } from "./RiskNotice";
import { DatasetPanel } from "./DatasetPanel";
import { DonatePanel, DonorsList } from "./DonatePanel";
import { Leaderboard } from "./Leaderboard";
import { ClaimsPanel } from "./ClaimsPanel";
import { csvColumns } from "./DatasetPanel";
import { StageTimeline } from "./StageTimeline";
import { useCompetitionMetadata, useCompetitionState, useDonations, useSubmissions, useWithdrawable } from "./useCompetition";
import { useRevealShown } from "./useRevealShown";
import { useEvaluationMode } from "./useClaims";
import type { InitialCompetitionMetadata } from "@/lib/web/competitionHead";


/** The heading's title and description from the metadata query: a placeholder only while a document is still loading. */
function headingText(metadata: ReturnType<typeof useCompetitionMetadata>, cid: string | undefined) {
  const meta = metadata.data;
  return {
    title: meta?.title ?? (metadata.isPending && cid ? undefined : UNTITLED),
    description: meta?.description ?? (metadata.isError ? "The description could not be loaded from IPFS." : cid ? "" : "The organizer published no description."),
  };
}

function Title({ title }: { title: string | undefined }) {
  return <h1 className="mt-3 text-3xl font-bold tracking-tight wrap-break-word text-slate-900 dark:text-white">{title ?? <Skeleton className="h-9 w-2/3" />}</h1>;
}

function Description({ text }: { text: string }) {
  return <p className="mt-3 max-w-3xl whitespace-pre-line wrap-break-word text-slate-600 dark:text-slate-300">{text}</p>;
}

/**
 * `initialMetadata`: the metadata CID and document the server read for the page's HTML (lib/web/competitionHead), so
 * the title and description are there before the browser has read the chain or IPFS.
 */
export function CompetitionView({ address, initialMetadata }: { address: Address; initialMetadata?: InitialCompetitionMetadata }) {
  const config = useAppConfig();
  const { address: account, chainId: walletChain } = useAccount();
  const blockTime = useBlockTime();
  const competition = useCompetitionState(address);
  const state = competition.data;
  const metadataCid = (state ? state.metadataCid : initialMetadata?.cid) || undefined;
  const metadata = useCompetitionMetadata(metadataCid, initialMetadata);
  const submissions = useSubmissions(address, !!state);
  const donations = useDonations(address, state?.init1Block);
  const withdrawable = useWithdrawable(address);
  // Only what this visitor can do now (lib/web/actions.ts availableActions), and one line for the rest.
  const page = state
    ? availableActions(
        state,
        { account, rightNetwork: walletChain === undefined || walletChain === config.chainId },
        { submissions: submissions.data, withdrawable: withdrawable.data, secondsPerBlock: blockTime.seconds },
      )
    : undefined;
  const revealKind = useRevealShown(page?.reveal, account);
  const mode = useEvaluationMode(address);

  if (competition.isError && !state) {
    return (
      <ContractReadFailure
        error={competition.error}
        rpcUrl={config.rpcUrl}
        retrying={competition.isFetching}
        onRetry={() => void competition.refetch()}
        backLabel="All competitions"
        notFound={{
          testId: "competition-not-found",
          title: "No competition at this address",
          body: (
            <>
              There is no DanKu competition contract at <span className="font-mono">{address}</span> on {config.chainName}. Check the link, or find the
              competition in the marketplace.
            </>
          ),
        }}
      />
    );
  }

  if (!state || !page) {
    const known = initialMetadata ? headingText(metadata, metadataCid) : undefined;
    return (
      <ContractPageSkeleton
        backLabel="All competitions"
        loading="Loading the competition…"
        header={
          known ? (
            <header>
              <Title title={known.title} />
              <Description text={known.description} />
            </header>
          ) : undefined
        }
      />
    );
  }


  const meta = metadata.data;
  const { title, description } = headingText(metadata, metadataCid);
  const total = state.usesTestData ? state.testPoints : state.trainingPoints;
  const pool = state.reward + state.totalDonations;
  const paymentUri = `ethereum:${state.address}@${config.chainId}`;

  return (
    <div>
      <BackLink label="All competitions" />
      <header className="mt-4">
        <div className="flex flex-wrap items-center gap-2">
          <ProtocolBadge />
          <StageBadge stage={state.stage} />
          {competition.isError ? (
            <span role="status" className="text-xs font-medium text-amber-700 dark:text-amber-300">
              Updates paused: the chain stopped answering.
            </span>
          ) : null}
        </div>
        <Title title={title} />
        <Description text={description} />
        <p className="mt-3 text-sm text-slate-500 dark:text-slate-400">
          Organized by <AddressText address={state.organizer} /> · created in block #{formatNumber(state.init1Block)} · now {STAGE_DESCRIPTIONS[state.stage]}
        </p>
      </header>

      <section aria-label="Contract address" className={`${card} mt-6 flex flex-col gap-3 p-4 sm:flex-row sm:items-center sm:justify-between`}>
        <div className="min-w-0">
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">Competition contract</p>
          <p className="mt-0.5 break-all font-mono text-sm" data-testid="competition-address">
            {state.address}
          </p>
          {page.donate ? (
            <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">Send ETH to this address from any wallet to donate to the prize pool (chain {config.chainId}).</p>
          ) : null}
        </div>
        <div className="flex shrink-0 items-center gap-1">
          <CopyButton value={state.address} label="Copy the contract address" />
          {page.donate ? (
            <a
              href={paymentUri}
              className="inline-flex items-center gap-1.5 rounded-md px-2 py-1 text-xs font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-slate-300 dark:hover:bg-slate-800"
              title="EIP-681 payment link: opens a wallet app with the address filled in"
            >
              <ExternalIcon /> Open in wallet
            </a>
          ) : null}
        </div>
      </section>

      <dl className="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        {[
          { label: "Prize pool", value: formatEth(pool), testId: "prize-pool" },
          { label: "Reward", value: formatEth(state.reward) },
          { label: "Donations", value: formatEth(state.totalDonations), testId: "total-donations" },
          { label: "Submissions", value: formatNumber(state.submissionCount) },
          {
            label: "Best score",
            value: state.best.exists && total > 0 ? `${formatNumber(state.best.correct)} / ${formatNumber(total)}` : "—",
            detail: state.best.exists && total > 0 ? formatPercent(state.best.correct, total) : undefined,
          },
          { label: "Minimum accuracy", value: formatBps(state.config.minAccuracyBps), detail: `${formatBps(state.config.trainingBps)} of groups train` },
        ].map((s) => (
          <div key={s.label} className={`${card} px-4 py-3`}>
            <dt className="text-xs font-medium text-slate-500 dark:text-slate-400">{s.label}</dt>
            <dd className="tabular mt-1 text-lg font-semibold" data-testid={s.testId}>
              {s.value}
            </dd>
            {s.detail ? <dd className="text-xs text-slate-500 dark:text-slate-400">{s.detail}</dd> : null}
          </div>
        ))}
      </dl>

      <div className="mt-4 space-y-4">
        <OutcomeNotice state={state} submissions={submissions.data} />
      </div>

      {/* One column of minmax(0, 1fr) below lg: an implicit auto column would grow to its widest content. */}
      <div className="mt-6 grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <PageSection title="Leaderboard" id="leaderboard-title" aside={<span className="text-xs text-slate-500">live · block #{formatNumber(state.blockNumber)}</span>}>
            <Leaderboard state={state} submissions={submissions.data} loading={submissions.isPending} />
          </PageSection>
          {mode.data === "claim" ? (
            <PageSection
              title="Claims"
              id="claims-title"
              description="Claimed scores with one-point disputes: each claim is recomputed in this browser with the chain's own integer arithmetic."
            >
              <ClaimsPanel state={state} blockTime={blockTime} classNames={csvColumns(state, meta).classNames} />
            </PageSection>
          ) : null}
          {revealKind ? (
            <PageSection title={revealKind === "training" ? "Reveal the training data" : "Reveal the test data"} id="reveal-title">
              <GroupRevealPanel key={revealKind} competition={state.address} training={revealKind === "training"} embedded />
            </PageSection>
          ) : null}
          {page.submit ? (
            <PageSection title={state.stage === "Submission" ? "Submit a model" : "Your submissions"} id="submit-title">
              <SubmitterPanel state={state} metadata={meta} submissions={submissions.data} withdrawable={withdrawable.data} section={page.submit} />
            </PageSection>
          ) : null}
          <PageSection title="Actions" id="actions-title">
            <ActionsPanel state={state} page={page} withdrawable={withdrawable.data} />
          </PageSection>
          <PageSection title="Committed at creation" id="commitments-title" description="Fixed when the competition was created; the contract enforces them.">
            <CommitmentsPanel state={state} />
          </PageSection>
          <PageSection title="Dataset" id="dataset-title">
            <DatasetPanel state={state} metadata={meta} />
          </PageSection>
        </div>
        <div className="min-w-0 space-y-6">
          <PageSection title="Timeline" id="timeline-title" aside={<span className="tabular text-xs text-slate-500">block #{formatNumber(state.blockNumber)}</span>}>
            <StageTimeline state={state} blockTime={blockTime} />
          </PageSection>
          <PageSection title="What is still trusted" id="risk-title">
            <RiskNotice organizer={state.organizer} />
          </PageSection>
          <PageSection title={page.donate ? "Donate" : "Donations"} id="donate-title">
            {page.donate ? (
              <DonatePanel competition={state.address} availability={page.details.donate} riskNoticeId="risk-title" />
            ) : (
              <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="donations-closed">
                {page.details.donate.reason}
              </p>
            )}
            <h3 className="mb-2 mt-6 text-sm font-semibold">Donors</h3>
            <DonorsList donations={donations.data} loading={donations.isPending} />
          </PageSection>
        </div>
      </div>
    </div>
  );
}

"use client";

import { useEffect, useId, useRef, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useAccount, usePublicClient, useWalletClient } from "wagmi";
import type { Address, PublicClient } from "viem";
import { useAppConfig } from "@/components/providers/AppConfigContext";
import { CHAIN_QUERY_PREFIX } from "@/components/providers/ChainSync";
import { TransactionStatus } from "@/components/tx/TransactionStatus";
import type { TransactionState } from "@/components/tx/useTransactor";
import { readGroupFlags, readGroupHashes, type StageName } from "@/lib/chain/danku";
import { useCompetitionState } from "@/components/competition/useCompetition";
import { revealPendingGroups } from "@/lib/chain/flows";
import { observeClient, observeWallet } from "@/lib/browser/observeTransactions";
import { loadCompetitionSecrets, saveCompetitionSecrets } from "@/lib/browser/secretsStore";
import { parseSecrets, verifySecretsAgainstHashes, type DankuSecrets, type SecretsVerification } from "@/lib/danku/secrets";
import { explainWalletError } from "@/lib/web/errors";
import { sameAddress, shortAddress } from "@/lib/web/format";
import { STAGE_TITLES } from "@/lib/web/stages";
import { ProgressBar } from "./ProgressBar";
import { Notice, PrimaryButton } from "./ui";

type SecretsSource = "browser" | "file";

interface LoadedSecrets {
  readonly secrets: DankuSecrets;
  readonly source: SecretsSource;
  readonly fileName?: string;
}

interface RevealProgress {
  readonly revealed: number;
  readonly total: number;
  readonly batch: number;
  readonly batches: number;
}

/**
 * Reveals the organizer's training or test groups from the secrets file, batch by batch. The secrets come from
 * this browser's storage or from an uploaded file, and are checked against the on-chain group hashes first: a
 * group that does not match is named and nothing is sent. Enabled only for the organizer, in the right stage.
 */
export function GroupRevealPanel({
  competition,
  training,
  onComplete,
  embedded = false,
}: {
  competition: Address;
  training: boolean;
  /** Inside a page section that already has a heading for this (the wizard). */
  embedded?: boolean;
  /** Called once every group of this kind is revealed. */
  onComplete?: () => void;
}) {
  const app = useAppConfig();
  const { address: account, chainId: walletChainId } = useAccount();
  const client = usePublicClient();
  const { data: walletClient } = useWalletClient();
  const queryClient = useQueryClient();
  const fileInputId = useId();
  const kind = training ? "training" : "test";
  const requiredStage: StageName = training ? "TrainingReveal" : "TestReveal";

  const stateQuery = useCompetitionState(competition);
  const hashesQuery = useQuery({
    queryKey: ["organizer", "group-hashes", competition.toLowerCase()],
    queryFn: () => readGroupHashes(client as PublicClient, competition),
    enabled: !!client,
    staleTime: Infinity,
  });
  const groupCount = stateQuery.data?.groupCount;
  // 2·G calls: not refreshed on every block like the chain queries, only when a reveal (or the split) changed them.
  const flagsKey = ["organizer", "group-flags", competition.toLowerCase(), stateQuery.data?.splitDone ?? false] as const;
  const flagsQuery = useQuery({
    queryKey: flagsKey,
    queryFn: () => readGroupFlags(client as PublicClient, competition, groupCount ?? 0),
    enabled: !!client && groupCount !== undefined,
  });

  const [loaded, setLoaded] = useState<LoadedSecrets>();
  const [loadError, setLoadError] = useState<string>();
  const [storedLookupDone, setStoredLookupDone] = useState(false);
  const [progress, setProgress] = useState<RevealProgress>();
  const [transactions, setTransactions] = useState<TransactionState[]>([]);
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<{ tone: "info" | "error"; message: string }>();
  const completed = useRef(false);

  // Secrets kept in this browser (the wizard, or an earlier upload here) are used without asking.
  useEffect(() => {
    let cancelled = false;
    loadCompetitionSecrets(app.chainId, competition)
      .then((stored) => {
        if (!cancelled && stored) setLoaded((current) => current ?? { secrets: stored.secrets, source: "browser" });
      })
      .catch((error: unknown) => {
        if (!cancelled) setLoadError(`The secrets kept in this browser could not be read: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        if (!cancelled) setStoredLookupDone(true);
      });
    return () => {
      cancelled = true;
    };
  }, [app.chainId, competition]);

  const verification: SecretsVerification | undefined = loaded && hashesQuery.data ? verifySecretsAgainstHashes(loaded.secrets, hashesQuery.data) : undefined;
  const chainMismatch = loaded && loaded.secrets.chainId !== app.chainId;
  const addressMismatch = loaded?.secrets.competition !== undefined && !sameAddress(loaded.secrets.competition, competition);

  // A verified uploaded file is kept in this browser, so the next reveal (or a reload) does not ask again.
  useEffect(() => {
    if (loaded?.source === "file" && verification?.ok && !chainMismatch) {
      void saveCompetitionSecrets(loaded.secrets, competition).catch(() => undefined);
    }
  }, [loaded, verification?.ok, chainMismatch, competition]);

  const state = stateQuery.data;
  const flags = flagsQuery.data;
  const groupsOfKind = flags ? flags.isTraining.filter((isTraining) => isTraining === training).length : undefined;
  const pendingGroups = flags ? flags.isTraining.filter((isTraining, g) => isTraining === training && !flags.isRevealed[g]).length : undefined;
  const isOrganizer = sameAddress(account, state?.organizer);
  const everythingRevealed = pendingGroups === 0 && groupsOfKind !== undefined && groupsOfKind > 0;

  useEffect(() => {
    if (everythingRevealed && !completed.current) {
      completed.current = true;
      onComplete?.();
    }
  }, [everythingRevealed, onComplete]);

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setLoadError(undefined);
    setOutcome(undefined);
    try {
      setLoaded({ secrets: parseSecrets(await file.text()), source: "file", fileName: file.name });
    } catch (error) {
      setLoaded(undefined);
      setLoadError(`${file.name} cannot be used: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  let blocked: string | undefined;
  if (!state) blocked = "Reading the competition…";
  else if (!account) blocked = "Connect the organizer's wallet to reveal.";
  else if (walletChainId !== app.chainId) blocked = `Switch your wallet to ${app.chainName} to reveal.`;
  else if (!isOrganizer) blocked = `Only the organizer ${shortAddress(state.organizer)} can reveal the ${kind} data; you are connected as ${shortAddress(account)}.`;
  else if (everythingRevealed) blocked = undefined;
  else if (state.stage !== requiredStage) {
    blocked = `The ${kind} data can be revealed in the ${STAGE_TITLES[requiredStage]} stage; the competition is in ${STAGE_TITLES[state.stage]}.`;
  } else if (!loaded) blocked = "Load the secrets file to reveal.";
  else if (chainMismatch) blocked = `This secrets file is for chain ${loaded.secrets.chainId}, not ${app.chainName} (chain ${app.chainId}).`;
  else if (!verification) blocked = "Checking the secrets against the committed hashes…";
  else if (!verification.ok) blocked = "The secrets file does not match this competition.";
  else if (!walletClient) blocked = "Waiting for the wallet…";

  const reveal = async () => {
    if (!loaded || !walletClient || !client || blocked) return;
    setRunning(true);
    setOutcome(undefined);
    setTransactions([]);
    let current = -1;
    const update = (patch: Partial<TransactionState>) =>
      setTransactions((list) => list.map((tx, i) => (i === current ? { ...tx, ...patch } : tx)));
    const wallet = observeWallet(walletClient, {
      onSigning: () => {
        current += 1;
        const label = `Reveal ${kind} batch ${current + 1}`;
        setTransactions((list) => [...list, { phase: "signing", label }]);
      },
      onSent: (hash) => update({ phase: "pending", hash }),
    });
    const observedClient = observeClient(client as PublicClient, {
      onMined: (receipt) =>
        update(
          receipt.status === "success"
            ? { phase: "confirmed", blockNumber: receipt.blockNumber }
            : { phase: "failed", blockNumber: receipt.blockNumber, message: "The transaction was mined but reverted." },
        ),
    });
    try {
      const result = await revealPendingGroups(wallet, observedClient, { competition, groups: loaded.secrets.groups, training }, (revealed, total, batch, batches) =>
        setProgress({ revealed, total, batch, batches }),
      );
      setOutcome({
        tone: "info",
        message:
          result.revealedGroups === 0
            ? `Every ${kind} group was already revealed.`
            : `Revealed ${result.revealedGroups} ${kind} groups in ${result.transactions.length} transaction${result.transactions.length === 1 ? "" : "s"}.`,
      });
    } catch (error) {
      const failure = explainWalletError(error);
      if (current >= 0) update({ phase: failure.kind === "rejected" ? "rejected" : "failed", message: failure.message });
      setOutcome({
        tone: failure.kind === "rejected" ? "info" : "error",
        message:
          failure.kind === "rejected"
            ? "You declined the signature; nothing more was sent. Groups already revealed stay revealed — reveal again to continue with the rest."
            : `${failure.message} Groups already revealed stay revealed; you can try again.`,
      });
      if (current < 0) setTransactions([{ phase: failure.kind === "rejected" ? "rejected" : "failed", label: `Reveal ${kind} data`, message: failure.message }]);
    } finally {
      setRunning(false);
      void queryClient.invalidateQueries({ queryKey: [CHAIN_QUERY_PREFIX] });
      void queryClient.invalidateQueries({ queryKey: ["organizer", "group-flags", competition.toLowerCase()] });
    }
  };

  const revealedPoints = state ? (training ? state.trainingPoints : state.testPoints) : undefined;

  return (
    <section aria-labelledby={`${fileInputId}-heading`} className="space-y-4" data-testid={`${kind}-reveal-panel`}>
      <div className="space-y-1">
        <h3 id={`${fileInputId}-heading`} className={embedded ? "sr-only" : "text-base font-semibold"}>
          Reveal the {kind} data
        </h3>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          {training
            ? "The training groups the chain selected are published from your secrets file, so data scientists can train on them."
            : "Once the model reveal is over, publish the test groups so every revealed model is evaluated on data it has never seen."}
        </p>
      </div>

      {flags && groupsOfKind !== undefined && (
        <dl className="grid grid-cols-3 gap-3 text-sm" data-testid={`${kind}-reveal-counts`}>
          <div>
            <dt className="text-xs text-slate-500">{training ? "Training" : "Test"} groups</dt>
            <dd className="font-semibold tabular-nums">{groupsOfKind}</dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500">Still hidden</dt>
            <dd className="font-semibold tabular-nums">{pendingGroups}</dd>
          </div>
          <div>
            <dt className="text-xs text-slate-500">Points revealed</dt>
            <dd className="font-semibold tabular-nums" data-testid={`${kind}-points-revealed`}>
              {revealedPoints?.toLocaleString("en-US")}
            </dd>
          </div>
        </dl>
      )}

      {!everythingRevealed && (
        <div className="space-y-2">
          {loaded ? (
            <p className="text-sm" data-testid="secrets-source">
              Secrets: {loaded.source === "browser" ? "kept in this browser" : `from ${loaded.fileName}`} · {loaded.secrets.groups.length} groups
            </p>
          ) : (
            storedLookupDone && <p className="text-sm">No secrets for this competition are kept in this browser. Load the secrets file you downloaded when you created it.</p>
          )}
          <div className="flex flex-wrap items-center gap-3">
            <label htmlFor={fileInputId} className="text-sm font-medium">
              {loaded ? "Use another secrets file" : "Secrets file"}
            </label>
            <input
              id={fileInputId}
              type="file"
              accept=".json,application/json"
              disabled={running}
              className="text-sm file:mr-3 file:rounded-lg file:border-0 file:bg-slate-200 file:px-3 file:py-1.5 file:text-sm file:font-medium dark:file:bg-slate-800"
              onChange={(event) => {
                void onFile(event.target.files?.[0]);
                event.target.value = "";
              }}
            />
          </div>
          {loadError && <Notice tone="error">{loadError}</Notice>}
          {loaded && verification && !verification.ok && (
            <Notice tone="error" title="These secrets do not belong to this competition" testId="secrets-mismatch">
              <p>{verification.message}.</p>
              {verification.mismatches.length > 0 && (
                <p>
                  Mismatching group{verification.mismatches.length === 1 ? "" : "s"}:{" "}
                  <span data-testid="mismatched-groups">{verification.mismatches.map((m) => m.index).join(", ")}</span>
                </p>
              )}
              <p>Nothing was sent. Load the secrets file that was created with this competition.</p>
            </Notice>
          )}
          {loaded && verification?.ok && !chainMismatch && (
            <Notice tone="success" testId="secrets-verified">
              All {verification.groupCountOnChain} groups match the hashes committed on chain.
              {addressMismatch && " (The file names another competition address, but its groups match this one.)"}
            </Notice>
          )}
        </div>
      )}

      {progress && progress.total > 0 && (
        <ProgressBar
          label={`Revealing ${kind} groups`}
          value={progress.revealed}
          max={progress.total}
          detail={`${progress.revealed} / ${progress.total} groups · batch ${progress.batch} / ${progress.batches}`}
        />
      )}
      {transactions.map((tx, i) => (
        <TransactionStatus key={i} state={tx} />
      ))}
      {outcome && <Notice tone={outcome.tone === "error" ? "error" : "info"}>{outcome.message}</Notice>}

      {everythingRevealed ? (
        <Notice tone="success" title={`All ${kind} data is revealed`} testId={`${kind}-reveal-complete`}>
          {groupsOfKind} {kind} groups, {revealedPoints?.toLocaleString("en-US")} points on chain.
          {state && ` Stage: ${STAGE_TITLES[state.stage]}.`}
        </Notice>
      ) : (
        <div className="flex flex-wrap items-center gap-3">
          <PrimaryButton onClick={() => void reveal()} disabled={!!blocked || running}>
            {running ? "Revealing…" : `Reveal ${pendingGroups ?? ""} ${kind} groups`}
          </PrimaryButton>
          {blocked && !running && <span className="text-sm text-slate-600 dark:text-slate-300">{blocked}</span>}
        </div>
      )}
    </section>
  );
}

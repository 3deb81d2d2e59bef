"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useAccount, useConfig, usePublicClient } from "wagmi";
import { simulateContract, writeContract } from "wagmi/actions";
import { parseEventLogs, type Address, type Hex, type TransactionReceipt } from "viem";
import { useAppConfig } from "@/components/providers/AppConfigContext";
import { useTransactor } from "@/components/tx/useTransactor";
import { factoryBlock } from "@/lib/config";
import { useBlockTime } from "@/components/hooks/useBlockTime";
import { competitionFactoryAbi } from "@/lib/generated/abis";
import { buildCompetitionMetadata } from "@/lib/danku/metadata";
import { groupSizes, trainingGroupCount } from "@/lib/danku/groups";
import { parseSecrets, serializeSecrets, withCompetition, type DankuSecrets } from "@/lib/danku/secrets";
import { uploadToIpfs, IpfsUploadError } from "@/lib/ipfs/client";
import { DatasetWorkerClient } from "@/lib/browser/datasetWorker";
import { downloadTextFile } from "@/lib/browser/download";
import { loadDraftSecrets, requestPersistentStorage, saveCompetitionSecrets, saveDraftSecrets, secretsFileName } from "@/lib/browser/secretsStore";
import { sameAddress } from "@/lib/web/format";
import { WizardStepper } from "./WizardStepper";
import { createDraft, discardDraft, listOpenDrafts, loadDraft, saveDraft, stepIndex, WIZARD_STEPS, type WizardDraft, type WizardStep } from "./draftStore";
import { competitionConfig, validateSettings, withSettingDefaults, type SettingsForm } from "./settings";
import { CreateStep } from "./steps/CreateStep";
import { DatasetStep, type AnalysisState } from "./steps/DatasetStep";
import { PublishStep, type UploadState } from "./steps/PublishStep";
import { SecretsStep, type HashingState } from "./steps/SecretsStep";
import { SettingsStep } from "./steps/SettingsStep";
import { LaunchedSteps } from "./steps/LaunchedSteps";
import { Notice, SecondaryButton } from "./ui";

const STEP_HEADINGS: Record<WizardStep, string> = {
  dataset: "1. Upload and check the dataset",
  settings: "2. Settings",
  secrets: "3. Hash the data groups and keep the secrets",
  publish: "4. Publish the metadata",
  create: "5. Create the competition",
  split: "6. Draw the training/test split",
  reveal: "7. Reveal the training data",
  done: "Done",
};

/** The competition a successful creation receipt announces. */
function createdFrom(receipt: TransactionReceipt): { address: Address; init1Block: bigint } | undefined {
  const [created] = parseEventLogs({ abi: competitionFactoryAbi, logs: receipt.logs, eventName: "CompetitionCreated" });
  return created ? { address: created.args.competition, init1Block: receipt.blockNumber } : undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The organizer's wizard (`/competitions/new`): CSV → checks → settings → hashed groups and secrets → metadata on
 * IPFS → create (init1) → split (init2) → training reveal. Every step is persisted in IndexedDB under a draft id in
 * the URL (`?draft=…`), so a reload, a declined signature or a failed upload resumes where it stopped.
 */
export function OrganizerWizard() {
  const draftParam = useSearchParams().get("draft");
  // One wizard instance per draft: switching drafts (or starting one) starts from a clean slate.
  return <Wizard key={draftParam ?? "new"} draftParam={draftParam} />;
}

function Wizard({ draftParam }: { draftParam: string | null }) {
  const app = useAppConfig();
  const router = useRouter();
  const pathname = usePathname();
  const { address: account, chainId: walletChainId } = useAccount();
  const client = usePublicClient();
  const wagmiConfig = useConfig();
  const createTx = useTransactor();
  const blockTime = useBlockTime();

  const worker = useRef<DatasetWorkerClient | null>(null);
  const getWorker = () => (worker.current ??= new DatasetWorkerClient());
  useEffect(() => () => worker.current?.dispose(), []);

  const [draft, setDraft] = useState<WizardDraft>();
  const draftRef = useRef<WizardDraft | undefined>(undefined);
  const [loadState, setLoadState] = useState<"loading" | "ready" | "missing">(draftParam ? "loading" : "ready");
  const [openDrafts, setOpenDrafts] = useState<WizardDraft[]>([]);
  const [storageError, setStorageError] = useState<string>();
  const [analysis, setAnalysis] = useState<AnalysisState>({ status: "idle" });
  const [hashing, setHashing] = useState<HashingState>({ status: "idle" });
  const [upload, setUpload] = useState<UploadState>({ status: "idle" });
  const [secrets, setSecrets] = useState<DankuSecrets>();
  const [recovering, setRecovering] = useState(false);
  const [recoveryNote, setRecoveryNote] = useState<string>();
  const [recoveryAttempt, setRecoveryAttempt] = useState(0);
  const saveTimer = useRef<number | undefined>(undefined);

  /** Applies a change to the draft and persists it; the last write wins (IndexedDB orders them). */
  const commit = useCallback(async (change: (draft: WizardDraft) => WizardDraft) => {
    const current = draftRef.current;
    if (!current) return;
    const next = change(current);
    draftRef.current = next;
    setDraft(next);
    window.clearTimeout(saveTimer.current);
    try {
      await saveDraft(next);
      setStorageError(undefined);
    } catch (error) {
      setStorageError(`Your progress could not be saved in this browser: ${errorText(error)}`);
    }
  }, []);

  const analyze = useCallback(async (file: Blob, labelColumn: string | undefined) => {
    setAnalysis({ status: "reading", bytesRead: 0, total: file.size });
    try {
      const result = await getWorker().analyze(file, labelColumn, (bytesRead, total) => setAnalysis({ status: "reading", bytesRead, total }));
      setAnalysis({ status: "done", result });
      if (draftRef.current && draftRef.current.labelColumn !== result.labelColumn) {
        await commit((d) => ({ ...d, labelColumn: result.labelColumn }));
      }
    } catch (error) {
      setAnalysis({ status: "failed", message: `The file could not be read: ${errorText(error)}` });
    }
  }, [commit]);

  // Load the draft named in the URL (or list the open drafts when none is named).
  useEffect(() => {
    let cancelled = false;
    const fail = (error: unknown) => {
      if (cancelled) return;
      setStorageError(`This browser's storage could not be read: ${errorText(error)}`);
      if (draftParam) setLoadState("missing");
    };
    if (!draftParam) {
      listOpenDrafts()
        .then((drafts) => !cancelled && setOpenDrafts(drafts))
        .catch(fail);
    } else {
      (async () => {
        const found = await loadDraft(draftParam);
        if (cancelled) return;
        if (!found) return setLoadState("missing");
        // A draft saved before a setting existed (the split delay) gets its default; a sent one keeps what it sent.
        const loaded: WizardDraft = { ...found, settings: withSettingDefaults(found.settings, app.localChain) };
        draftRef.current = loaded;
        setDraft(loaded);
        setLoadState("ready");
        if (loaded.prepared) {
          const stored = await loadDraftSecrets(loaded.id).catch(() => undefined);
          if (!cancelled && stored) setSecrets(stored.secrets);
        }
        if (loaded.file && !cancelled) await analyze(loaded.file.blob, loaded.labelColumn);
      })().catch(fail);
    }
    return () => {
      cancelled = true;
    };
  }, [draftParam, analyze, app.localChain]);

  // ----------------------------------------------------------------------------------------------------------
  // Derived state

  const launch = draft?.launch;
  const launched = !!launch?.createTx || !!launch?.competition;
  const summary = analysis.status === "done" && analysis.result.outcome.ok ? analysis.result.outcome.summary : undefined;
  const pointCount = summary?.pointCount ?? draft?.prepared?.pointCount;
  const featureCount = summary?.featureNames.length ?? draft?.prepared?.featureCount;
  const validation = draft && pointCount !== undefined ? validateSettings(draft.settings, pointCount, featureCount) : undefined;
  const valid = validation?.ok ? validation.settings : undefined;
  const labelColumn = analysis.status === "done" ? analysis.result.labelColumn : draft?.labelColumn;
  // Hashed groups stay valid while the file, label column, group count and chain they were made for are unchanged.
  const prepared =
    draft?.prepared &&
    (launched ||
      (draft.prepared.labelColumn === labelColumn && draft.prepared.groupCount === valid?.groupCount && draft.prepared.chainId === app.chainId))
      ? draft.prepared
      : undefined;
  const metadataText = (() => {
    if (!draft?.file || !prepared || !secrets || !valid) return undefined;
    const metadata = buildCompetitionMetadata({
      title: valid.title,
      description: valid.description,
      dataset: {
        name: draft.file.name,
        featureNames: secrets.featureNames,
        classNames: secrets.classNames,
        featureMappings: secrets.featureMappings,
        pointCount: prepared.pointCount,
        groupCount: prepared.groupCount,
        labelColumn: prepared.labelColumn,
        ...(prepared.imageShape ? { imageShape: prepared.imageShape } : {}),
      },
    });
    return JSON.stringify(metadata, null, 2);
  })();
  // The published CID stays valid while the document it was computed from is unchanged (or once it is on chain).
  const metadataCid = draft?.metadataCid && (launched || draft.metadataText === metadataText) ? draft.metadataCid : undefined;
  const competition = launch?.competition;

  const reachable = useMemo(() => {
    const steps = new Set<WizardStep>();
    if (!draft) return steps;
    if (!launched) {
      steps.add("dataset");
      if (summary) steps.add("settings");
      if (summary && valid) steps.add("secrets");
      if (prepared?.confirmed) steps.add("publish");
      if (prepared?.confirmed && metadataCid) steps.add("create");
    }
    if (launched && !competition) steps.add("create");
    if (competition) {
      steps.add("split");
      if (stepIndex(draft.step) >= stepIndex("reveal")) steps.add("reveal");
      if (draft.finishedAt !== undefined) steps.add("done");
    }
    return steps;
  }, [draft, launched, summary, valid, prepared?.confirmed, metadataCid, competition]);

  const goTo = useCallback((step: WizardStep) => void commit((d) => ({ ...d, step })), [commit]);

  const onSplitDrawn = useCallback(
    (init2Tx: Hex | undefined) => void commit((d) => ({ ...d, step: "reveal", launch: d.launch && { ...d.launch, init2Tx: init2Tx ?? d.launch.init2Tx } })),
    [commit],
  );
  const onFinished = useCallback(() => void commit((d) => ({ ...d, step: "done", finishedAt: d.finishedAt ?? Date.now() })), [commit]);

  // ----------------------------------------------------------------------------------------------------------
  // Step 1: dataset

  const onFile = async (file: File) => {
    const current = draftRef.current;
    if (current?.prepared && !window.confirm("The groups are already hashed from the current file. Choose another file and discard them?")) return;
    if (!current) {
      // A new draft is saved with its file first; the URL then names it and the wizard continues from storage.
      const fresh: WizardDraft = { ...createDraft(app.localChain), file: { name: file.name, size: file.size, blob: file } };
      void requestPersistentStorage();
      try {
        await saveDraft(fresh);
      } catch (error) {
        setStorageError(`Your draft could not be saved in this browser: ${errorText(error)}`);
        return;
      }
      router.replace(`${pathname}?draft=${fresh.id}`);
      return;
    }
    setHashing({ status: "idle" });
    await commit((d) => ({ ...d, step: "dataset", file: { name: file.name, size: file.size, blob: file }, labelColumn: undefined, prepared: undefined }));
    await analyze(file, undefined);
  };

  const onLabelColumn = async (column: string) => {
    if (!draftRef.current?.file) return;
    await commit((d) => ({ ...d, labelColumn: column }));
    await analyze(draftRef.current.file.blob, column);
  };

  // ----------------------------------------------------------------------------------------------------------
  // Step 2: settings (saved shortly after typing stops, and at once when leaving the step)

  const onSettings = (settings: SettingsForm) => {
    const current = draftRef.current;
    if (!current) return;
    const next = { ...current, settings };
    draftRef.current = next;
    setDraft(next);
    window.clearTimeout(saveTimer.current);
    saveTimer.current = window.setTimeout(() => {
      if (draftRef.current) void saveDraft(draftRef.current).catch((error: unknown) => setStorageError(errorText(error)));
    }, 400);
  };

  // ----------------------------------------------------------------------------------------------------------
  // Step 3: hash the groups, keep the secrets

  const hash = async () => {
    const d = draftRef.current;
    if (!d?.file || !valid || !labelColumn || !summary) return;
    setHashing({ status: "hashing", done: 0, total: valid.groupCount });
    try {
      const result = await getWorker().hash(d.file.blob, { labelColumn, groupCount: valid.groupCount, chainId: app.chainId }, (done, total) =>
        setHashing({ status: "hashing", done, total }),
      );
      const built = parseSecrets(result.secretsText);
      // Stored before anything else happens: the secrets must never exist only in memory.
      await saveDraftSecrets(d.id, built);
      setSecrets(built);
      await commit((draft) => ({
        ...draft,
        metadataCid: undefined,
        metadataText: undefined,
        prepared: {
          chainId: app.chainId,
          labelColumn,
          groupCount: valid.groupCount,
          pointCount: result.pointCount,
          featureCount: built.featureCount,
          classCount: built.classCount,
          ...(result.imageShape ? { imageShape: result.imageShape } : {}),
          groupHashes: result.groupHashes,
          downloaded: false,
          confirmed: false,
        },
      }));
      setHashing({ status: "idle" });
    } catch (error) {
      setHashing({ status: "failed", message: errorText(error) });
    }
  };

  const downloadSecrets = () => {
    const d = draftRef.current;
    if (!secrets || !d) return;
    const file = d.launch?.competition ? withCompetition(secrets, d.launch.competition) : secrets;
    downloadTextFile(secretsFileName(file, d.settings.title), serializeSecrets(file));
    if (d.prepared && !d.prepared.downloaded) void commit((draft) => ({ ...draft, prepared: draft.prepared && { ...draft.prepared, downloaded: true } }));
  };

  // ----------------------------------------------------------------------------------------------------------
  // Step 4: metadata to IPFS

  const publish = async () => {
    if (!metadataText) return;
    const bytes = new TextEncoder().encode(metadataText);
    setUpload({ status: "uploading", sent: 0, total: bytes.length });
    try {
      const { cid } = await uploadToIpfs(bytes, { onProgress: (sent, total) => setUpload({ status: "uploading", sent, total }) });
      await commit((d) => ({ ...d, metadataCid: cid, metadataText }));
      setUpload({ status: "idle" });
    } catch (error) {
      const retryable = !(error instanceof IpfsUploadError) || (error.code !== "too-large" && error.code !== "rejected");
      setUpload({ status: "failed", message: errorText(error), retryable });
    }
  };

  // ----------------------------------------------------------------------------------------------------------
  // Step 5: create (init1)

  const recordCreated = useCallback(
    async (address: Address, init1Block: bigint, txHash: Hex) => {
      const d = draftRef.current;
      if (!d) return;
      const kept = await loadDraftSecrets(d.id).catch(() => undefined);
      if (kept) {
        await saveCompetitionSecrets(kept.secrets, address, d.id).catch((error: unknown) =>
          setStorageError(`The secrets could not be filed under the new competition: ${errorText(error)}. Keep the downloaded file.`),
        );
      }
      await commit((draft) => ({
        ...draft,
        step: "split",
        launch: draft.launch && { ...draft.launch, createTx: draft.launch.createTx ?? txHash, competition: address, init1Block: init1Block.toString() },
      }));
    },
    [commit],
  );

  /** Creation transactions already being followed (by `create` itself or by the recovery below). */
  const followed = useRef(new Set<Hex>());

  const create = async () => {
    const d = draftRef.current;
    if (!d || !prepared || !valid || !metadataCid || !account || !app.factory) return;
    const factory = app.factory;
    const config = competitionConfig(valid, prepared.featureCount, prepared.classCount);
    // Frozen before the wallet is asked, so a resumed draft knows exactly what was sent.
    const terms = valid.claimTerms;
    await commit((draft) => ({
      ...draft,
      launch: {
        chainId: app.chainId,
        factory,
        organizer: account,
        config,
        reward: valid.reward.toString(),
        ...(terms ? { claimTerms: { challengeWindow: terms.challengeWindow, bondGasPrice: terms.bondGasPrice.toString() } } : {}),
      },
    }));
    let send: (() => Promise<Hex>) | undefined;
    let sent: Hex | undefined;
    const receipt = await createTx.execute("Create the competition", {
      simulate: async () => {
        // The committed sizes: buildDataGroups (in the worker) fills the groups in exactly these sizes, in order.
        const sizes = groupSizes(prepared.pointCount, prepared.groupCount);
        if (terms) {
          // Claim mode (docs/protocol.md §11): the same config, plus the terms the factory fixes at creation.
          const { request } = await simulateContract(wagmiConfig, {
            account,
            address: factory,
            abi: competitionFactoryAbi,
            functionName: "createClaimCompetition",
            args: [config, terms, prepared.groupHashes, sizes, metadataCid],
            value: valid.reward,
            blockTag: "pending",
          });
          send = () => writeContract(wagmiConfig, request);
        } else {
          const { request } = await simulateContract(wagmiConfig, {
            account,
            address: factory,
            abi: competitionFactoryAbi,
            functionName: "createCompetition",
            args: [config, prepared.groupHashes, sizes, metadataCid],
            value: valid.reward,
            blockTag: "pending",
          });
          send = () => writeContract(wagmiConfig, request);
        }
      },
      send: async () => {
        if (!send) throw new Error("The creation was not simulated.");
        const hash = await send();
        // Recorded before waiting for the receipt: a reload while pending must find this competition, not create another.
        sent = hash;
        followed.current.add(hash);
        await commit((draft) => ({ ...draft, launch: draft.launch && { ...draft.launch, createTx: hash } }));
        return hash;
      },
    });
    if (receipt) {
      const created = createdFrom(receipt);
      if (created) await recordCreated(created.address, created.init1Block, receipt.transactionHash);
      return;
    }
    if (!sent) {
      // Declined or refused before sending: nothing exists on chain, so the settings may still change.
      await commit((draft) => ({ ...draft, launch: undefined }));
    } else {
      // Sent, but reverted or lost on the way: let the recovery below find out what happened on chain.
      followed.current.delete(sent);
      setRecoveryAttempt((n) => n + 1);
    }
  };

  // Resume: a creation transaction was sent (earlier visit, or lost receipt) but its competition is not recorded.
  const pendingCreate = launch?.createTx && !launch.competition ? launch : undefined;
  useEffect(() => {
    if (!client || !pendingCreate?.createTx || followed.current.has(pendingCreate.createTx)) return;
    const txHash = pendingCreate.createTx;
    followed.current.add(txHash);
    setRecovering(true);
    setRecoveryNote(undefined);
    (async () => {
      try {
        const receipt = await client.waitForTransactionReceipt({ hash: txHash, timeout: 20_000 });
        const created = receipt.status === "success" ? createdFrom(receipt) : undefined;
        if (created) return await recordCreated(created.address, created.init1Block, txHash);
      } catch {
        // Not found (dropped, or replaced): look for the competition by organizer and metadata instead.
      }
      const logs = await client.getContractEvents({
        address: pendingCreate.factory,
        abi: competitionFactoryAbi,
        eventName: "CompetitionCreated",
        args: { organizer: pendingCreate.organizer },
        fromBlock: factoryBlock(app),
      });
      const match = [...logs].reverse().find((log) => log.args.competition && log.args.metadataCid === draftRef.current?.metadataCid);
      if (match?.args.competition) return await recordCreated(match.args.competition, match.blockNumber, match.transactionHash);
      setRecoveryNote("The creation transaction was not mined successfully, so no competition was created and no reward was escrowed. You can send it again.");
      await commit((d) => ({ ...d, launch: undefined }));
    })()
      .catch((error: unknown) => {
        followed.current.delete(txHash);
        setRecoveryNote(`Looking up the creation transaction failed: ${errorText(error)}. Reload the page to try again.`);
      })
      .finally(() => setRecovering(false));
  }, [client, pendingCreate, recoveryAttempt, recordCreated, commit, app]);

  // ----------------------------------------------------------------------------------------------------------
  // Rendering

  const walletBlocked = !account
    ? "Connect the wallet that will organize the competition."
    : walletChainId !== app.chainId
      ? `Switch your wallet to ${app.chainName}.`
      : launch?.organizer && !sameAddress(launch.organizer, account)
        ? `This competition is organized by ${launch.organizer}; connect that account.`
        : undefined;

  if (loadState === "loading") return <p role="status">Loading your draft…</p>;
  if (loadState === "missing") {
    return (
      <Notice tone="error" title="This draft is not in this browser">
        <p>Drafts are kept in the browser they were started in. Start a new competition, or open the link in that browser.</p>
        <div className="pt-2">
          <SecondaryButton onClick={() => router.replace(pathname)}>Start a new competition</SecondaryButton>
        </div>
      </Notice>
    );
  }

  const step: WizardStep = draft?.step ?? "dataset";
  const createConfig = launch?.config ?? (valid && prepared ? competitionConfig(valid, prepared.featureCount, prepared.classCount) : undefined);
  const createGroups = launch ? draft?.prepared?.groupCount : prepared?.groupCount;
  const createPoints = (launch ? draft?.prepared?.pointCount : prepared?.pointCount) ?? 0;
  const heading = STEP_HEADINGS[step];

  return (
    <div className="space-y-6" data-testid="organizer-wizard" data-step={step}>
      {draft && <WizardStepper current={step} reachable={reachable} onSelect={goTo} />}
      {storageError && <Notice tone="error">{storageError}</Notice>}
      {!draft && openDrafts.length > 0 && (
        <section aria-labelledby="open-drafts" className="space-y-2 rounded-xl border border-slate-200 p-4 dark:border-slate-800">
          <h2 id="open-drafts" className="font-semibold">
            Continue where you left off
          </h2>
          <ul className="divide-y divide-slate-100 dark:divide-slate-800">
            {openDrafts.map((d) => (
              <li key={d.id} className="flex flex-wrap items-center gap-3 py-2 text-sm">
                <span className="min-w-0 flex-1">
                  <span className="font-medium">{d.settings.title || d.file?.name || "Untitled draft"}</span>
                  <span className="text-slate-500">
                    {" "}
                    · step {stepIndex(d.step) + 1} of {WIZARD_STEPS.length} ({WIZARD_STEPS[stepIndex(d.step)]?.title}) · {new Date(d.updatedAt).toLocaleString()}
                  </span>
                </span>
                <SecondaryButton onClick={() => router.replace(`${pathname}?draft=${d.id}`)}>Resume</SecondaryButton>
                {!d.launch?.createTx && (
                  <SecondaryButton
                    onClick={() => {
                      if (!window.confirm("Discard this draft and the secrets kept for it in this browser?")) return;
                      void discardDraft(d).then(() => setOpenDrafts((list) => list.filter((x) => x.id !== d.id)));
                    }}
                  >
                    Discard
                  </SecondaryButton>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="wizard-step-heading" className="space-y-4 rounded-2xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <h2 id="wizard-step-heading" className="text-lg font-semibold">
          {heading}
        </h2>

        {step === "dataset" && (
          <DatasetStep
            file={draft?.file}
            analysis={analysis}
            locked={!!draft?.prepared}
            onFile={(file) => void onFile(file)}
            onLabelColumn={(column) => void onLabelColumn(column)}
            onContinue={() => goTo("settings")}
          />
        )}

        {step === "settings" && draft && (
          pointCount === undefined ? (
            <p role="status">Reading the dataset…</p>
          ) : (
            <SettingsStep
              form={draft.settings}
              pointCount={pointCount}
              featureCount={featureCount}
              blockTimeSeconds={blockTime.seconds}
              localChain={app.localChain}
              readOnly={launched}
              onChange={onSettings}
              onBack={() => goTo("dataset")}
              onContinue={() => goTo("secrets")}
            />
          )
        )}

        {step === "secrets" && draft && (
          valid ? (
            <SecretsStep
              groupCount={valid.groupCount}
              prepared={prepared}
              hashing={hashing}
              secretsFileName={secrets ? secretsFileName(secrets, valid.title) : "secrets.json"}
              onHash={() => void hash()}
              onDownload={downloadSecrets}
              onConfirm={(confirmed) => void commit((d) => ({ ...d, prepared: d.prepared && { ...d.prepared, confirmed } }))}
              onBack={() => goTo("settings")}
              onContinue={() => goTo("publish")}
            />
          ) : (
            <p role="status">Reading the dataset…</p>
          )
        )}

        {step === "publish" && draft && (
          metadataText ? (
            <PublishStep metadataText={metadataText} metadataCid={metadataCid} upload={upload} onUpload={() => void publish()} onBack={() => goTo("secrets")} onContinue={() => goTo("create")} />
          ) : (
            <p role="status">Preparing the metadata…</p>
          )
        )}

        {step === "create" && draft && (
          <>
            {recoveryNote && <Notice tone="info">{recoveryNote}</Notice>}
            {createConfig && createGroups !== undefined ? (
              <CreateStep
                config={createConfig}
                reward={launch ? BigInt(launch.reward) : (valid?.reward ?? 0n)}
                claimTerms={
                  launch
                    ? launch.claimTerms && { challengeWindow: launch.claimTerms.challengeWindow, bondGasPrice: BigInt(launch.claimTerms.bondGasPrice) }
                    : valid?.claimTerms
                }
                blockTimeSeconds={blockTime.seconds}
                groupCount={createGroups}
                trainingGroups={trainingGroupCount(createGroups, createConfig.trainingBps)}
                pointCount={createPoints}
                imageShape={draft.prepared?.imageShape}
                metadataCid={metadataCid ?? ""}
                factory={app.factory}
                blocked={!app.factory ? `No CompetitionFactory is configured for ${app.chainName}.` : walletBlocked}
                recovering={recovering}
                transaction={createTx.state}
                locked={launched}
                onCreate={() => void create()}
                onBack={() => goTo("publish")}
              />
            ) : (
              <p role="status">Preparing the creation…</p>
            )}
          </>
        )}

        {(step === "split" || step === "reveal" || step === "done") && competition && (
          <LaunchedSteps
            step={step}
            competition={competition}
            createTransaction={createTx.state}
            walletBlocked={walletBlocked}
            onSplitDrawn={onSplitDrawn}
            onFinished={onFinished}
            onDownloadSecrets={downloadSecrets}
          />
        )}
      </section>
    </div>
  );
}

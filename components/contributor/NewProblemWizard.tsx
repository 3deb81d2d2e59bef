"use client";

/**
 * /problems/new: a problem contributor turns a private labelled test set into a DaiMoN problem with its first tuple.
 *   1. the test set (JSON, or DMZ1 + labels) is read and checked here; a bad file stops everything with its reason;
 *   2. the definition (title, C, input shape, n with the brute-force odds, periods, a, δ, reward scale, votes, token);
 *   3. f is trained in a Web Worker (progress, Cancel), measured, and its label leakage shown;
 *   4. Z, f and the metadata go to IPFS (progress, retry);
 *   5. the wallet creates the problem with the tuple (Z, f, y_t) — simulate, sign, pending, confirmed or failed.
 * The labels x_t never leave the browser: only Z, f and y_t are published.
 */
import Link from "next/link";
import { useEffect, useId, useMemo, useRef, useState, type ReactNode } from "react";
import { ConnectButton } from "@rainbow-me/rainbowkit";
import { parseEventLogs, type Address } from "viem";
import { useAccount } from "wagmi";
import { useAppConfig } from "@/components/providers/AppConfigContext";
import { TransactionStatus } from "@/components/tx/TransactionStatus";
import { useTransactor } from "@/components/tx/useTransactor";
import { ProgressBar } from "@/components/organizer/ProgressBar";
import { Notice, PrimaryButton, SecondaryButton, StepActions } from "@/components/organizer/ui";
import { fieldBase, labelBase } from "@/components/ui/styles";
import { problemFactoryCallAbi } from "@/lib/chain/daimon";
import { problemFactoryAbi } from "@/lib/generated/abis";
import { BRUTE_FORCE_TABLE_N, bruteForceOdds, formatTinyProbability } from "@/lib/daimon/bruteForce";
import { MAX_EMBEDDING } from "@/lib/daimon/fixedPoint";
import { decodeTestInputs, encodeTestInputs } from "@/lib/daimon/inputs";
import { inputsRoot } from "@/lib/daimon/disputes";
import { tupleDelRoot } from "@/lib/daimon/delQuantized";
import { IpfsUploadError, uploadToIpfs } from "@/lib/ipfs/client";
import { formatBytes } from "@/lib/ipfs/config";
import { DAIMON_GLOSSARY } from "@/lib/web/daimonGlossary";
import { DaimonGlossary, Term } from "@/components/problem/Term";
import { DelWorkerClient, DelWorkerError } from "@/lib/browser/delWorker";
import type { DelTrainingProgress } from "@/lib/daimon/delTrainer";
import type { TrainedDel } from "@/lib/workers/delProtocol";
import {
  checkProblemForm,
  defaultProblemForm,
  problemSpec,
  publishedInputs,
  readInputsAndLabels,
  readLabelledTestSetJson,
  trainingMemoryBytes,
  type LoadedTestSet,
  type ProblemDefinition,
  type ProblemForm,
  type ProblemFormField,
} from "@/lib/web/problemForm";

const EPSILON = 0.1;
const STEPS = [
  { id: "data", title: "Test set" },
  { id: "define", title: "Definition" },
  { id: "train", title: "Train f" },
  { id: "publish", title: "Publish" },
  { id: "create", title: "Create" },
] as const;
type StepId = (typeof STEPS)[number]["id"];

type Training =
  | { status: "idle" }
  | { status: "training"; progress?: DelTrainingProgress; phase?: "evaluating" | "exporting" }
  | { status: "failed"; message: string }
  | { status: "cancelled" }
  | { status: "done"; result: TrainedDel };

type UploadKey = "inputs" | "del" | "metadata";
const UPLOAD_LABELS: Record<UploadKey, string> = { inputs: "Test inputs Z", del: "DEL function f", metadata: "Problem metadata" };
type Upload =
  | { status: "idle" }
  | { status: "uploading"; what: UploadKey; sent: number; total: number }
  | { status: "failed"; what: UploadKey; message: string; retryable: boolean };

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function formatPower(log10: number): string {
  return log10 < 300 ? (10 ** log10).toExponential(2) : `10^${log10.toFixed(1)}`;
}

const percent = (x: number) => `${(100 * x).toFixed(1)} %`;

export function NewProblemWizard() {
  const app = useAppConfig();
  const { address: account, chainId: walletChainId } = useAccount();
  const tx = useTransactor();
  const [step, setStep] = useState<StepId>("data");
  const [loaded, setLoaded] = useState<LoadedTestSet>();
  const [loadError, setLoadError] = useState<string>();
  const [form, setForm] = useState<ProblemForm>(() => defaultProblemForm());
  const [showErrors, setShowErrors] = useState(false);
  const [definition, setDefinition] = useState<ProblemDefinition>();
  const [training, setTraining] = useState<Training>({ status: "idle" });
  const [cids, setCids] = useState<Partial<Record<UploadKey, string>>>({});
  const [upload, setUpload] = useState<Upload>({ status: "idle" });
  const [created, setCreated] = useState<{ problem: Address; token: Address }>();
  const worker = useRef<DelWorkerClient | undefined>(undefined);
  const abort = useRef<AbortController | undefined>(undefined);

  useEffect(() => () => worker.current?.dispose(), []);

  const check = useMemo(() => (loaded ? checkProblemForm(form, loaded) : undefined), [form, loaded]);
  const errors: Partial<Record<ProblemFormField, string>> = showErrors && check && !check.ok ? check.errors : {};

  // ------------------------------------------------------------------ 1. the test set

  /** A new test set resets everything after it. */
  const accept = (next: LoadedTestSet | undefined, error?: string) => {
    setLoaded(next);
    setLoadError(error);
    setDefinition(undefined);
    setTraining({ status: "idle" });
    setCids({});
    setUpload({ status: "idle" });
    if (next) setForm((f) => ({ ...f, classCount: String(next.minClassCount), inputShape: next.inputShape.join(", ") }));
  };

  const [pair, setPair] = useState<{ inputs?: File; labels?: File }>({});

  async function loadJson(file: File | undefined) {
    if (!file) return;
    try {
      accept(readLabelledTestSetJson(await file.text(), file.name));
    } catch (error) {
      accept(undefined, errorText(error));
    }
  }

  async function loadPair(next: { inputs?: File; labels?: File }) {
    setPair(next);
    if (!next.inputs || !next.labels) return;
    try {
      accept(readInputsAndLabels(new Uint8Array(await next.inputs.arrayBuffer()), await next.labels.text(), { inputs: next.inputs.name, labels: next.labels.name }));
    } catch (error) {
      accept(undefined, errorText(error));
    }
  }

  // ------------------------------------------------------------------ 2. the definition

  const set = <K extends keyof ProblemForm>(key: K, value: ProblemForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  function confirmDefinition() {
    setShowErrors(true);
    if (!check?.ok) return;
    const next = check.definition;
    // A change to anything f depends on invalidates the trained f and everything published after it.
    const same = definition && JSON.stringify({ ...definition.training, c: definition.config.classCount }) === JSON.stringify({ ...next.training, c: next.config.classCount });
    if (!same) {
      setTraining({ status: "idle" });
      setCids({});
    } else setCids((c) => ({ del: c.del })); // Z (its shape) and the metadata may have changed: uploaded again, content-addressed.
    setDefinition(next);
    setStep("train");
  }

  // ------------------------------------------------------------------ 3. training

  async function train() {
    if (!loaded || !definition) return;
    worker.current ??= new DelWorkerClient();
    const controller = new AbortController();
    abort.current = controller;
    setCids({});
    setTraining({ status: "training" });
    try {
      const result = await worker.current.train(
        { labels: loaded.set.labels, classCount: definition.config.classCount, ...definition.training },
        {
          onProgress: (progress) => setTraining((t) => (t.status === "training" ? { ...t, progress } : t)),
          onPhase: (phase) => setTraining((t) => (t.status === "training" ? { ...t, phase } : t)),
        },
        controller.signal,
      );
      setTraining({ status: "done", result });
    } catch (error) {
      setTraining(error instanceof DelWorkerError && error.cancelled ? { status: "cancelled" } : { status: "failed", message: errorText(error) });
    } finally {
      abort.current = undefined;
    }
  }

  // ------------------------------------------------------------------ 4. IPFS

  const files = useMemo(() => {
    if (!loaded || !definition || training.status !== "done") return undefined;
    return {
      inputs: encodeTestInputs(publishedInputs(loaded, definition.inputShape)),
      del: training.result.del,
      metadata: new TextEncoder().encode(`${JSON.stringify(definition.metadata, null, 2)}\n`),
    } satisfies Record<UploadKey, Uint8Array>;
  }, [loaded, definition, training]);

  async function publish() {
    if (!files) return;
    const done = { ...cids };
    for (const what of ["inputs", "del", "metadata"] as const) {
      if (done[what]) continue;
      const bytes = files[what];
      setUpload({ status: "uploading", what, sent: 0, total: bytes.length });
      try {
        const { cid } = await uploadToIpfs(bytes, { onProgress: (sent, total) => setUpload({ status: "uploading", what, sent, total }) });
        done[what] = cid;
        setCids({ ...done });
      } catch (error) {
        const retryable = !(error instanceof IpfsUploadError) || (error.code !== "too-large" && error.code !== "rejected");
        setUpload({ status: "failed", what, message: errorText(error), retryable });
        return;
      }
    }
    setUpload({ status: "idle" });
  }

  const published = !!(cids.inputs && cids.del && cids.metadata);

  // ------------------------------------------------------------------ 5. create

  async function create() {
    if (!definition || training.status !== "done" || !cids.inputs || !cids.del || !cids.metadata || !app.problemFactory) return;
    const spec = problemSpec(definition, cids.metadata);
    const receipt = await tx.write("Create the problem", {
      address: app.problemFactory,
      abi: problemFactoryCallAbi,
      functionName: "createProblem",
      // The tuple commits Z's Merkle root in DanKu feature bytes (label disputes prove Z_i against it, §14.3) and its f_q's
      // root (output disputes check f against it, §14.3.1).
      args: [
        { ...spec, inputShape: [...spec.inputShape] },
        [{ inputsCid: cids.inputs, delCid: cids.del, inputsRoot: inputsRoot(decodeTestInputs(files?.inputs ?? new Uint8Array())), delRoot: tupleDelRoot(training.result.del), target: training.result.target }],
      ],
    });
    if (!receipt) return;
    const [event] = parseEventLogs({ abi: problemFactoryAbi, logs: receipt.logs, eventName: "ProblemCreated" });
    if (event) setCreated({ problem: event.args.problem, token: event.args.token });
  }

  const walletBlocked = !app.problemFactory
    ? `No DaiMoN ProblemFactory is configured for ${app.chainName}.`
    : !account
      ? "Connect the wallet that will create the problem."
      : walletChainId !== app.chainId
        ? `Switch your wallet to ${app.chainName}.`
        : undefined;

  // ------------------------------------------------------------------ rendering

  const reachable = new Set<StepId>(["data"]);
  if (loaded) reachable.add("define");
  if (definition) reachable.add("train");
  if (training.status === "done") reachable.add("publish");
  if (published) reachable.add("create");
  const locked = tx.busy || tx.state.phase === "confirmed";
  const currentIndex = STEPS.findIndex((s) => s.id === step);

  return (
    <div className="space-y-6">
      <Notice tone="info" title="Your labels stay in this browser">
        <p>
          The labelled test set is read and f is trained here. Only the test inputs Z, the <Term name="DEL" /> function f and its output y<sub>t</sub> = f(x<sub>t</sub>)
          are published; the labels x<sub>t</sub> themselves are never uploaded or sent.
        </p>
      </Notice>
      <DaimonGlossary terms={["DEL", "f", "DMZ1", "Z", "y_t", "tuple", "d", "d_c", "δ", "m", "n", "C", "T_p", "T_b", "round", "a", "R"]} />
      <nav aria-label="Problem creation steps">
        <ol className="flex flex-wrap gap-2 text-sm">
          {STEPS.map((s, i) => {
            const isCurrent = s.id === step;
            const canGo = !isCurrent && reachable.has(s.id) && !locked;
            const body = (
              <>
                <span aria-hidden className={`grid size-6 place-items-center rounded-full text-xs font-semibold ${isCurrent ? "bg-indigo-600 text-white" : i < currentIndex ? "bg-emerald-600 text-white" : "bg-slate-200 text-slate-600 dark:bg-slate-800 dark:text-slate-300"}`}>
                  {i < currentIndex ? "✓" : i + 1}
                </span>
                <span className={isCurrent ? "font-semibold" : ""}>{s.title}</span>
              </>
            );
            return (
              <li key={s.id} aria-current={isCurrent ? "step" : undefined}>
                {canGo ? (
                  <button type="button" onClick={() => setStep(s.id)} className="flex items-center gap-2 rounded-full px-2 py-1 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:bg-slate-800">
                    {body}
                  </button>
                ) : (
                  <span className={`flex items-center gap-2 px-2 py-1 ${reachable.has(s.id) || isCurrent ? "" : "opacity-60"}`}>{body}</span>
                )}
              </li>
            );
          })}
        </ol>
      </nav>

      <section aria-labelledby="step-heading" className="space-y-6 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <h2 id="step-heading" className="text-lg font-semibold">
          {currentIndex + 1}. {STEPS[currentIndex]?.title}
        </h2>

        {step === "data" && (
          <DataStep loaded={loaded} loadError={loadError} pair={pair} onJson={loadJson} onPair={loadPair} onContinue={() => setStep("define")} />
        )}

        {step === "define" && loaded && (
          <DefineStep form={form} loaded={loaded} errors={errors} set={set} invalid={showErrors && !!check && !check.ok} onBack={() => setStep("data")} onContinue={confirmDefinition} />
        )}

        {step === "train" && loaded && definition && (
          <TrainStep
            loaded={loaded}
            definition={definition}
            training={training}
            onTrain={train}
            onCancel={() => abort.current?.abort()}
            onBack={() => setStep("define")}
            onContinue={() => setStep("publish")}
          />
        )}

        {step === "publish" && files && (
          <div className="space-y-6">
            <p className="text-sm text-slate-600 dark:text-slate-300">
              Three public files go to IPFS; their content identifiers (CIDs) are recorded on chain with y<sub>t</sub>. Every CID is recomputed in this
              browser from the bytes sent. The labels are in none of them.
            </p>
            <ul className="space-y-2 text-sm" data-testid="upload-list">
              {(["inputs", "del", "metadata"] as const).map((what) => (
                <li key={what} className="flex flex-wrap justify-between gap-2 border-b border-slate-100 py-1 dark:border-slate-800">
                  <span>
                    {UPLOAD_LABELS[what]} ({formatBytes(files[what].length)})
                  </span>
                  {cids[what] ? (
                    <code className="break-all text-xs" data-testid={`cid-${what}`}>
                      {cids[what]}
                    </code>
                  ) : (
                    <span className="text-slate-500">not uploaded</span>
                  )}
                </li>
              ))}
            </ul>
            <details className="text-sm">
              <summary className="cursor-pointer text-slate-600 dark:text-slate-300">Show the metadata document</summary>
              <pre className="mt-2 max-h-72 overflow-auto rounded-lg bg-slate-100 p-3 text-xs dark:bg-slate-900">{new TextDecoder().decode(files.metadata)}</pre>
            </details>
            {upload.status === "uploading" && (
              <ProgressBar label={`Uploading ${UPLOAD_LABELS[upload.what]} to IPFS`} value={upload.sent} max={upload.total} detail={`${formatBytes(upload.sent)} / ${formatBytes(upload.total)}`} />
            )}
            {upload.status === "failed" && (
              <Notice tone="error" title={`Uploading ${UPLOAD_LABELS[upload.what]} failed`} testId="upload-error">
                <p>{upload.message}</p>
                {upload.retryable && <p>What was uploaded stays uploaded; retry when the server is reachable again.</p>}
              </Notice>
            )}
            {published && <Notice tone="success" title="Z, f and the metadata are on IPFS" />}
            <StepActions>
              <SecondaryButton onClick={() => setStep("train")} disabled={upload.status === "uploading"}>
                Back
              </SecondaryButton>
              {published ? (
                <PrimaryButton onClick={() => setStep("create")}>Continue to creation</PrimaryButton>
              ) : (
                <PrimaryButton onClick={() => void publish()} disabled={upload.status === "uploading"}>
                  {upload.status === "uploading" ? "Uploading…" : upload.status === "failed" ? "Retry upload" : "Upload Z, f and metadata to IPFS"}
                </PrimaryButton>
              )}
            </StepActions>
          </div>
        )}

        {step === "create" && definition && training.status === "done" && published && (
          <div className="space-y-6">
            <p className="text-sm text-slate-600 dark:text-slate-300">
              One transaction creates the problem, its token and its first tuple (Z, f and y<sub>t</sub>). The definition period of{" "}
              {definition.config.definitionPeriod} blocks starts now; others may add tuples during it{definition.config.openTuples ? "" : " (only you: tuples are closed)"}.
            </p>
            <dl className="grid gap-x-8 gap-y-2 text-sm sm:grid-cols-2" data-testid="create-summary">
              <Row label="Title" value={definition.metadata.title} />
              <Row label="Token" value={`${definition.name} (${definition.symbol})`} />
              <Row label="Classes C · test points m" value={`${definition.config.classCount} · ${definition.config.testSetSize}`} />
              <Row label="Input shape" value={`[${definition.inputShape.join(", ")}]`} />
              <Row label="Embedding size n" value={definition.config.embeddingSize} />
              <Row label="Definition period T_p · round length T_b (blocks)" value={`${definition.config.definitionPeriod} · ${definition.config.competitionPeriod}`} />
              <Row label="Reward shape a · margin δ" value={`${definition.config.rewardShape} · ${form.margin.trim()}`} />
              <Row label="Tokens for R = 1 · min votes" value={`${form.rewardScale.trim()} · ${definition.config.minVotes}`} />
              <Row label="Target y_t (f of your labels)" value={<code className="break-all text-xs">{training.result.target.slice(0, 18)}…</code>} />
            </dl>
            <TransactionStatus state={tx.state} />
            {walletBlocked && !tx.busy && (
              <Notice tone="info">
                <p>{walletBlocked}</p>
                {app.problemFactory && (
                  <div className="pt-2">
                    <ConnectButton showBalance={false} />
                  </div>
                )}
              </Notice>
            )}
            {created ? (
              <Notice tone="success" title="The problem is created">
                <p>
                  <Link href={`/problems/${created.problem}`} className="font-semibold text-indigo-700 underline dark:text-indigo-300" data-testid="created-problem">
                    Open the problem {created.problem}
                  </Link>
                </p>
              </Notice>
            ) : (
              <StepActions>
                <SecondaryButton onClick={() => setStep("publish")} disabled={locked}>
                  Back
                </SecondaryButton>
                <PrimaryButton onClick={() => void create()} disabled={locked || !!walletBlocked}>
                  {tx.state.phase === "failed" || tx.state.phase === "rejected" ? "Try again: create the problem" : "Create the problem"}
                </PrimaryButton>
              </StepActions>
            )}
          </div>
        )}
      </section>
    </div>
  );
}

// ------------------------------------------------------------------ steps

function DataStep({
  loaded,
  loadError,
  pair,
  onJson,
  onPair,
  onContinue,
}: {
  loaded: LoadedTestSet | undefined;
  loadError: string | undefined;
  pair: { inputs?: File; labels?: File };
  onJson: (file: File | undefined) => void;
  onPair: (pair: { inputs?: File; labels?: File }) => void;
  onContinue: () => void;
}) {
  const id = useId();
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-600 dark:text-slate-300">
        The labelled test set: either one JSON file <code>{'{"inputs": [input₀, …], "labels": [x₀, …]}'}</code> (every input a nested array of the input
        shape, every label an integer 0…C−1), or a <Term name="DMZ1" /> test-inputs file with a JSON array of labels (docs/daimon.md, &ldquo;Client formats&rdquo;).
      </p>
      <div className="grid gap-6 sm:grid-cols-2">
        <div className="space-y-2">
          <label htmlFor={`${id}-json`} className={labelBase}>
            Labelled test set (JSON)
          </label>
          <input id={`${id}-json`} type="file" accept=".json,application/json" className={fieldBase} onChange={(e) => onJson(e.currentTarget.files?.[0])} />
        </div>
        <fieldset className="space-y-2">
          <legend className={labelBase}>Or: test inputs (DMZ1) and labels (JSON array)</legend>
          <p className="text-xs text-slate-500 dark:text-slate-400">DMZ1: {DAIMON_GLOSSARY.DMZ1.plain}, as the CLI writes it.</p>
          <label htmlFor={`${id}-dmz`} className="sr-only">
            Test inputs (DMZ1)
          </label>
          <input id={`${id}-dmz`} type="file" className={fieldBase} onChange={(e) => onPair({ ...pair, inputs: e.currentTarget.files?.[0] })} />
          <label htmlFor={`${id}-labels`} className="sr-only">
            Labels (JSON array)
          </label>
          <input id={`${id}-labels`} type="file" accept=".json,application/json" className={fieldBase} onChange={(e) => onPair({ ...pair, labels: e.currentTarget.files?.[0] })} />
        </fieldset>
      </div>
      {loadError && (
        <Notice tone="error" title="This test set cannot be used" testId="test-set-error">
          <p>{loadError}</p>
          <p>Nothing was trained, uploaded or sent. Fix the file and choose it again.</p>
        </Notice>
      )}
      {loaded && !loadError && (
        <Notice tone="success" title={`Read ${loaded.source}`} testId="test-set-summary">
          <p>
            {loaded.m} test points of shape [{loaded.inputShape.join(", ")}], labels 0…{loaded.minClassCount - 1}: {loaded.labelCounts.map((c, label) => `${label}: ${c}`).join(", ")}.
          </p>
        </Notice>
      )}
      <StepActions>
        <PrimaryButton onClick={onContinue} disabled={!loaded || !!loadError}>
          Continue to the definition
        </PrimaryButton>
      </StepActions>
    </div>
  );
}

function Field({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: ReactNode;
  error?: string;
  children: (props: { id: string; "aria-invalid": boolean; "aria-describedby": string | undefined }) => ReactNode;
}) {
  const id = useId();
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className={labelBase}>
        {label}
      </label>
      {children({ id, "aria-invalid": !!error, "aria-describedby": described })}
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-xs font-medium text-rose-700 dark:text-rose-400">
          {label}: {error}
        </p>
      )}
    </div>
  );
}

function DefineStep({
  form,
  loaded,
  errors,
  set,
  invalid,
  onBack,
  onContinue,
}: {
  form: ProblemForm;
  loaded: LoadedTestSet;
  errors: Partial<Record<ProblemFormField, string>>;
  set: <K extends keyof ProblemForm>(key: K, value: ProblemForm[K]) => void;
  invalid: boolean;
  onBack: () => void;
  onContinue: () => void;
}) {
  const text = (key: ProblemFormField, label: string, hint?: ReactNode, type: "text" | "number" = "text") => (
    <Field label={label} hint={hint} error={errors[key]}>
      {(props) => (
        <input {...props} type={type} inputMode={type === "number" ? "numeric" : undefined} className={fieldBase} value={form[key]} onChange={(e) => set(key, e.currentTarget.value)} />
      )}
    </Field>
  );
  const chosenN = Number(form.embeddingSize);
  const rows = [...new Set<number>([...BRUTE_FORCE_TABLE_N.filter((n) => n <= MAX_EMBEDDING), ...(Number.isInteger(chosenN) && chosenN >= 2 && chosenN <= MAX_EMBEDDING ? [chosenN] : [])])].sort((a, b) => a - b);
  return (
    <form
      className="space-y-6"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onContinue();
      }}
    >
      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold">What the problem is</legend>
        {text("title", "Title")}
        {text("inputDescription", "What one input holds", "e.g. six sensor readings")}
        <div className="sm:col-span-2">
          <Field label="Description" error={errors.description}>
            {(props) => <textarea {...props} rows={3} className={fieldBase} value={form.description} onChange={(e) => set("description", e.currentTarget.value)} />}
          </Field>
        </div>
        {text("classCount", "Classes C", `${DAIMON_GLOSSARY.C.plain}; from the labels: at least ${loaded.minClassCount}`, "number")}
        {text("classNames", "Class names (optional)", "comma-separated, label 0 first")}
        {text("inputShape", "Input shape", `the test inputs are [${loaded.inputShape.join(", ")}]; a reshape of the same values is allowed`)}
        <div className="space-y-1">
          <span className={labelBase}>
            Test points <Term name="m" />
          </span>
          <p className="py-2 text-sm font-medium tabular-nums">{loaded.m}</p>
        </div>
      </fieldset>

      <fieldset className="space-y-4">
        <legend className="mb-2 text-sm font-semibold">Embedding size n and the brute-force odds</legend>
        <div className="grid gap-4 sm:grid-cols-2">{text("embeddingSize", "Embedding size n", `${DAIMON_GLOSSARY.n.plain}: 2…256 entries in every y vector; more is harder to guess labels from`, "number")}</div>
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="brute-force-table">
            <caption className="pb-2 text-left text-xs text-slate-500">
              An attacker who guesses label vectors x blindly until d(f(x), y<sub>t</sub>) &lt; ε = {EPSILON.toFixed(2)} succeeds with probability p per guess
              (the paper&apos;s §IV, outputs uniform on the sphere) and needs about q = 1/p guesses. This bounds blind guessing only; see the leakage figures
              after training.
            </caption>
            <thead>
              <tr className="text-left text-xs uppercase text-slate-500">
                <th scope="col" className="py-1">n</th>
                <th scope="col" className="py-1">p (ε = 0.10)</th>
                <th scope="col" className="py-1">q = 1/p</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((n) => {
                const odds = bruteForceOdds(n, EPSILON);
                const chosen = n === chosenN;
                return (
                  <tr key={n} data-n={n} aria-current={chosen ? "true" : undefined} className={`border-t border-slate-100 dark:border-slate-800 ${chosen ? "bg-indigo-50 font-semibold dark:bg-indigo-950/40" : ""}`}>
                    <td className="py-1 tabular-nums">
                      {n}
                      {chosen && <span className="sr-only"> (chosen)</span>}
                    </td>
                    <td className="py-1 tabular-nums">{formatTinyProbability(odds.log10P)}</td>
                    <td className="py-1 tabular-nums">{formatPower(odds.log10Q)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </fieldset>

      <fieldset className="grid gap-4 sm:grid-cols-3">
        <legend className="mb-2 text-sm font-semibold">Rules and rewards</legend>
        {text("definitionPeriod", "Definition period T_p (blocks)", "10…2,000,000: blocks during which test tuples may be added; proofs start after it", "number")}
        {text("competitionPeriod", "Round length T_b (blocks)", "10…2,000,000 blocks per round; each round can add one Improvement block", "number")}
        {text("rewardShape", "Reward shape a", "1…32 (the paper plots 3): larger a pays relatively more for gains near a perfect model", "number")}
        {text("margin", "Margin δ", `${DAIMON_GLOSSARY.δ.plain}: a proof needs d + δ < d_c (d: its distance, d_c: the current best distance); 0…0.5`)}
        {text("rewardScale", "Tokens for R = 1", "tokens paid for an improvement of reward R = 1 (R comes from the distances before and after); whole or decimal, 18 decimals")}
        {text("minVotes", "Minimum votes", "1…1000 validators per block", "number")}
        {text("tokenName", "Token name", "1…64 bytes")}
        {text("tokenSymbol", "Token symbol", "1…16 bytes")}
        <div className="flex items-center gap-2 pt-5">
          <input id="open-tuples" type="checkbox" checked={form.openTuples} onChange={(e) => set("openTuples", e.currentTarget.checked)} className="size-4" />
          <label htmlFor="open-tuples" className="text-sm">
            Anyone may add tuples during the definition period
          </label>
        </div>
      </fieldset>

      <details className="space-y-4">
        <summary className="cursor-pointer text-sm font-semibold">Advanced: training of f</summary>
        <p className="pt-2 text-xs text-slate-500">
          Small defaults so f trains in seconds in a browser; the CLI&apos;s are H = 1024 and 400 steps of 128 (docs/daimon-del.md). Memory ≈{" "}
          {formatBytes(trainingMemoryBytes(loaded.m, Math.max(loaded.minClassCount, Number(form.classCount) || 0), Number(form.hidden) || 0))}.
        </p>
        <div className="grid gap-4 pt-2 sm:grid-cols-4">
          {text("hidden", "Hidden units H", undefined, "number")}
          {text("steps", "Training steps", undefined, "number")}
          {text("batchSize", "Batch size", undefined, "number")}
          {text("seed", "Seed", undefined, "number")}
        </div>
      </details>

      {invalid && (
        <Notice tone="error" title="Some fields need attention" testId="form-errors">
          <p>Each one says what it needs below its field.</p>
        </Notice>
      )}
      <StepActions>
        <SecondaryButton onClick={onBack}>Back</SecondaryButton>
        <button type="submit" className="hidden" tabIndex={-1} aria-hidden />
        <PrimaryButton onClick={onContinue}>Continue to training</PrimaryButton>
      </StepActions>
    </form>
  );
}

function TrainStep({
  loaded,
  definition,
  training,
  onTrain,
  onCancel,
  onBack,
  onContinue,
}: {
  loaded: LoadedTestSet;
  definition: ProblemDefinition;
  training: Training;
  onTrain: () => void;
  onCancel: () => void;
  onBack: () => void;
  onContinue: () => void;
}) {
  const t = definition.training;
  const busy = training.status === "training";
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-600 dark:text-slate-300">
        f maps a label vector of m = {loaded.m} labels to n = {t.n} numbers so that the distance d(f(x), y<sub>t</sub>) tracks the error of x against your
        labels. It trains in a background worker of this page (H = {t.hidden}, {t.steps} steps of {t.batchSize}, seed {t.seed}).
      </p>
      {training.status === "training" && (
        <div className="space-y-2" data-testid="training-progress">
          <ProgressBar
            label="Training f"
            value={training.phase ? t.steps : (training.progress?.step ?? 0)}
            max={t.steps}
            detail={
              training.phase === "evaluating"
                ? "measuring on held-out perturbations…"
                : training.phase === "exporting"
                  ? "exporting to ONNX, computing y_t…"
                  : training.progress
                    ? `step ${training.progress.step}/${t.steps} · |d − e| ≈ ${training.progress.meanAbsError.toFixed(4)} · ${training.progress.etaSeconds.toFixed(0)} s left`
                    : "starting…"
            }
          />
        </div>
      )}
      {training.status === "failed" && (
        <Notice tone="error" title="Training failed" testId="training-error">
          <p>{training.message}</p>
        </Notice>
      )}
      {training.status === "cancelled" && <Notice tone="info" title="Training cancelled">Nothing was published. Train again when you are ready.</Notice>}
      {training.status === "done" && <TrainingReport result={training.result} classCount={definition.config.classCount} m={loaded.m} />}
      <StepActions>
        <SecondaryButton onClick={onBack} disabled={busy}>
          Back
        </SecondaryButton>
        {busy ? (
          <SecondaryButton onClick={onCancel}>Cancel training</SecondaryButton>
        ) : (
          <PrimaryButton onClick={onTrain}>{training.status === "done" ? "Train again" : "Train f"}</PrimaryButton>
        )}
        {training.status === "done" && <PrimaryButton onClick={onContinue}>Continue to publishing</PrimaryButton>}
      </StepActions>
    </div>
  );
}

function TrainingReport({ result, classCount, m }: { result: TrainedDel; classCount: number; m: number }) {
  const q = result.quality;
  const r = result.recovery;
  return (
    <div className="space-y-4" data-testid="training-report">
      <Notice tone="success" title={`f trained in ${result.trainingSeconds.toFixed(1)} s`}>
        <p>Quality on {q.samples.toLocaleString("en-US")} held-out perturbations of your labels (drawn with a seed the training never saw):</p>
      </Notice>
      <dl className="grid gap-x-8 gap-y-2 text-sm sm:grid-cols-2" data-testid="del-quality">
        <Row label="Pearson r of e and d" value={<span data-testid="quality-pearson">{q.pearson.toFixed(4)}</span>} />
        <Row label="Mean |e − d| (MAE)" value={<span data-testid="quality-mae">{q.mae.toFixed(4)}</span>} />
        <Row label="MAE below e = 0.2" value={Number.isNaN(q.maeLowError) ? "—" : q.maeLowError.toFixed(4)} />
        <Row
          label="Close pairs ordered right (e < 0.2, gap > 0.01)"
          value={<span data-testid="quality-ordering">{q.pairs > 0 ? `${percent(q.pairOrdering)} (${q.misorderedPairs.toLocaleString("en-US")} of ${q.pairs.toLocaleString("en-US")} wrong)` : "no pairs"}</span>}
        />
        <Row label="Largest |e − d|" value={q.maxAbsError.toFixed(4)} />
      </dl>
      <p className="text-xs text-slate-500">
        The pair ordering decides which of two close models wins; the CLI&apos;s targets are MAE ≤ 0.01 and ordering ≥ 99 %. Correlation alone proves
        little: an untrained f already reaches r ≈ 0.96. Raise the steps or H (advanced settings) if the figures are weak.
      </p>
      <Notice tone="warning" title="A published f and y_t leak your labels" testId="label-leak">
        <p>
          Anyone holding f and y<sub>t</sub> can recover labels much better than the brute-force odds suggest (docs/daimon-del.md, &ldquo;What DEL does
          not hide&rdquo;). Measured on this f:
        </p>
        <ul className="list-disc pl-5">
          <li data-testid="leak-weights">
            inspecting f&apos;s weights (no queries) recovers <strong>{percent(r.weightInspection)}</strong> of the {m} labels;
          </li>
          <li data-testid="leak-descent">
            one coordinate-descent sweep ({r.coordinateDescentQueries.toLocaleString("en-US")} queries of f against y<sub>t</sub>) recovers{" "}
            <strong>{percent(r.coordinateDescent)}</strong>;
          </li>
          <li>guessing gets {percent(r.chance)} (1/C for C = {classCount}).</li>
        </ul>
        <p>Treat the test labels as public once the problem is created: do not reuse them as a secret benchmark.</p>
      </Notice>
    </div>
  );
}

function Row({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div className="flex justify-between gap-4 border-b border-slate-100 py-1 dark:border-slate-800">
      <dt className="text-slate-500">{label}</dt>
      <dd className="text-right font-medium tabular-nums">{value}</dd>
    </div>
  );
}

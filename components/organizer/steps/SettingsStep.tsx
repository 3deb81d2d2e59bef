"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";
import {
  CLAIM_BOND_GAS,
  EVALUATION_TX_GAS,
  MAX_CHALLENGE_WINDOW,
  MAX_CLAIM_MODE_POINTS,
  MIN_CHALLENGE_WINDOW,
  MAX_GROUPS,
  MAX_INIT2_WINDOW,
  MAX_PERIOD,
  MAX_SPLIT_DELAY,
  MAX_TRAINING_BPS,
  MIN_GROUPS,
  MIN_INIT2_WINDOW,
  MIN_PERIOD,
  MIN_SPLIT_DELAY,
  MIN_TRAINING_BPS,
} from "../../../lib/danku/constants";
import { MAX_DESCRIPTION_LENGTH, MAX_TITLE_LENGTH } from "../../../lib/danku/metadata";
import { groupSizes, minimumEvaluationPeriod, trainingGroupCount } from "../../../lib/danku/groups";
import { evaluationFit, groupSizeSummary } from "../../../lib/danku/risk";
import { claimBond } from "../../../lib/danku/claims";
import { worstCaseDisputeGas } from "../../../lib/danku/claimCosts";
import { formatDuration, formatEth, formatNumber } from "../../../lib/web/format";
import { OddsTable, OneGroupOdds } from "../OddsTable";
import { PERIOD_FIELDS, parseBondGasPrice, requestedGroupCount, validateSettings, type SettingsField, type SettingsForm } from "../settings";
import { Notice, PrimaryButton, SecondaryButton, StepActions } from "../ui";

const inputClass =
  "w-full rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-900";

function Field({
  label,
  error,
  hint,
  children,
}: {
  label: string;
  error?: string;
  hint?: ReactNode;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}) {
  const id = useId();
  const hintId = useId();
  const errorId = useId();
  const describedBy = [hint ? hintId : undefined, error ? errorId : undefined].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children({ id, describedBy, invalid: !!error })}
      {hint && (
        <p id={hintId} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="text-xs text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * Step 2: the competition's settings, checked against the contract's bounds as they are typed, with the odds of a
 * rigged split for the chosen number of groups.
 */
export function SettingsStep({
  form,
  pointCount,
  featureCount,
  blockTimeSeconds,
  localChain,
  readOnly,
  onChange,
  onBack,
  onContinue,
}: {
  form: SettingsForm;
  pointCount: number;
  /** Features of the dataset, once known: groups too large to reveal in one transaction are refused. */
  featureCount?: number;
  blockTimeSeconds: number;
  localChain: boolean;
  readOnly: boolean;
  onChange: (form: SettingsForm) => void;
  onBack: () => void;
  onContinue: () => void;
}) {
  const validation = validateSettings(form, pointCount, featureCount);
  const errors: Partial<Record<SettingsField, string>> = validation.errors;
  const groupCount = requestedGroupCount(form, pointCount);
  const set = <K extends keyof SettingsForm>(key: K, value: SettingsForm[K]) => onChange({ ...form, [key]: value });
  const sizes = groupCount !== undefined && groupCount >= MIN_GROUPS && groupCount <= Math.min(pointCount, MAX_GROUPS) ? groupSizes(pointCount, groupCount) : undefined;
  const minimumEvaluation = minimumEvaluationPeriod(pointCount);
  const evaluationBlocks = Number(form.periods.evaluationPeriod);
  const fit = Number.isSafeInteger(evaluationBlocks) && evaluationBlocks > 0 ? evaluationFit(pointCount, evaluationBlocks) : undefined;
  const trainingGroups = (() => {
    if (!sizes || groupCount === undefined) return undefined;
    const bps = Math.round(Number(form.trainingPercent) * 100);
    try {
      return trainingGroupCount(groupCount, bps);
    } catch {
      return undefined;
    }
  })();
  const sizeSummary = sizes && trainingGroups !== undefined ? groupSizeSummary(sizes, trainingGroups) : undefined;

  // Raise a period below the contract's minimum once, when the step opens (a larger dataset than the default fits);
  // later edits are the organizer's, checked with a message instead of being overwritten while typed.
  const raised = useRef(false);
  useEffect(() => {
    if (raised.current || readOnly) return;
    raised.current = true;
    // Claim mode has no full evaluation, so no minimum to raise to (docs/protocol.md §11.1).
    if (form.evaluationMode === "claim") return;
    const current = Number(form.periods.evaluationPeriod);
    if (Number.isSafeInteger(current) && current < minimumEvaluation) {
      onChange({ ...form, periods: { ...form.periods, evaluationPeriod: String(minimumEvaluation) } });
    }
  }, [form, minimumEvaluation, onChange, readOnly]);

  const duration = (text: string) => {
    const blocks = Number(text);
    if (!Number.isFinite(blocks) || blocks <= 0) return "";
    return formatDuration(blocks * blockTimeSeconds);
  };

  const claimMode = form.evaluationMode === "claim";
  const bondGasPrice = parseBondGasPrice(form.bondGasPriceGwei);
  // The predictions vector is one byte per test point: the most test points the split can leave is the worst case.
  const disputeGas = featureCount !== undefined ? worstCaseDisputeGas(Math.max(1, sizeSummary?.testPointsMax ?? pointCount), featureCount) : undefined;

  return (
    <form
      className="space-y-6"
      onSubmit={(event) => {
        event.preventDefault();
        if (validation.ok) onContinue();
      }}
    >
      <fieldset disabled={readOnly} className="space-y-6">
        <div className="grid gap-4">
          <Field label="Title" error={errors.title} hint={`What data scientists see in the marketplace (at most ${MAX_TITLE_LENGTH} characters).`}>
            {({ id, describedBy, invalid }) => (
              <input id={id} className={inputClass} value={form.title} maxLength={MAX_TITLE_LENGTH + 20} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => set("title", e.target.value)} />
            )}
          </Field>
          <Field label="Description" error={errors.description} hint={`The task, the data's origin, what counts as a good model (at most ${MAX_DESCRIPTION_LENGTH} characters).`}>
            {({ id, describedBy, invalid }) => (
              <textarea id={id} rows={4} className={inputClass} value={form.description} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => set("description", e.target.value)} />
            )}
          </Field>
        </div>

        <fieldset className="space-y-3 rounded-xl border border-slate-200 p-4 dark:border-slate-800">
          <legend className="px-1 text-sm font-semibold">Data groups</legend>
          <p className="text-xs text-slate-500">
            The {pointCount.toLocaleString("en-US")} points are shuffled into groups; each group is hashed with its own secret nonce. The chain later
            picks which groups are training data. More groups make a rigged split less likely (see the table below).
          </p>
          <div className="flex gap-6 text-sm" role="radiogroup" aria-label="Choose groups by">
            <label className="flex items-center gap-2">
              <input type="radio" name="groupMode" checked={form.groupMode === "size"} onChange={() => set("groupMode", "size")} />
              By group size
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="groupMode" checked={form.groupMode === "count"} onChange={() => set("groupMode", "count")} />
              By number of groups
            </label>
          </div>
          {form.groupMode === "size" ? (
            <Field label="Points per group" error={errors.groupSize} hint="The paper suggests 5 points per group.">
              {({ id, describedBy, invalid }) => (
                <input id={id} inputMode="numeric" className={`${inputClass} max-w-40`} value={form.groupSize} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => set("groupSize", e.target.value)} />
              )}
            </Field>
          ) : (
            <Field label="Number of groups" error={errors.groupCount} hint={`${MIN_GROUPS}..${Math.min(MAX_GROUPS, pointCount)} groups.`}>
              {({ id, describedBy, invalid }) => (
                <input id={id} inputMode="numeric" className={`${inputClass} max-w-40`} value={form.groupCount} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => set("groupCount", e.target.value)} />
              )}
            </Field>
          )}
          {sizes && (
            <div className="text-sm" data-testid="group-summary">
              <p>
                {groupCount} groups of {sizes[sizes.length - 1] === sizes[0] ? sizes[0] : `${sizes[sizes.length - 1]}–${sizes[0]}`}{" "}
                {sizes[0] === 1 ? "point" : "points"}
                {validation.ok && ` · ${validation.settings.trainingGroups} training, ${validation.settings.groupCount - validation.settings.trainingGroups} test`}
              </p>
              {sizeSummary && (
                <p className="text-xs text-slate-600 dark:text-slate-300" data-testid="group-sizes">
                  Committed with the hashes:{" "}
                  {sizeSummary.min === sizeSummary.max
                    ? formatNumber(sizeSummary.min)
                    : `${formatNumber(sizeSummary.min)}–${formatNumber(sizeSummary.max)}`}{" "}
                  points per group,{" "}
                  {formatNumber(sizeSummary.total)} in total; test points expected{" "}
                  {sizeSummary.testPointsMin === sizeSummary.testPointsMax
                    ? formatNumber(sizeSummary.testPointsMin)
                    : `${formatNumber(sizeSummary.testPointsMin)}–${formatNumber(sizeSummary.testPointsMax)}`}
                  , whichever groups the split draws. Everyone sees these sizes before submitting, and a reveal of another size is refused.
                </p>
              )}
            </div>
          )}
          <Field label="Training share (%)" error={errors.trainingPercent} hint={`${MIN_TRAINING_BPS / 100}–${MAX_TRAINING_BPS / 100} % of the groups are revealed for training; the rest are the hidden test set.`}>
            {({ id, describedBy, invalid }) => (
              <input id={id} inputMode="decimal" className={`${inputClass} max-w-40`} value={form.trainingPercent} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => set("trainingPercent", e.target.value)} />
            )}
          </Field>
        </fieldset>

        <fieldset className="grid gap-4 rounded-xl border border-slate-200 p-4 sm:grid-cols-2 dark:border-slate-800">
          <legend className="px-1 text-sm font-semibold">Reward and winning</legend>
          <Field label="Reward (ETH)" error={errors.reward} hint="Escrowed by the contract when you create the competition; paid to the best qualified model.">
            {({ id, describedBy, invalid }) => (
              <input id={id} inputMode="decimal" className={inputClass} value={form.reward} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => set("reward", e.target.value)} />
            )}
          </Field>
          <Field label="Minimum accuracy (%)" error={errors.minAccuracyPercent} hint="A model must reach this accuracy to win; otherwise the reward returns to you.">
            {({ id, describedBy, invalid }) => (
              <input id={id} inputMode="decimal" className={inputClass} value={form.minAccuracyPercent} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => set("minAccuracyPercent", e.target.value)} />
            )}
          </Field>
        </fieldset>

        <fieldset className="space-y-3 rounded-xl border border-slate-200 p-4 dark:border-slate-800" data-testid="evaluation-mode">
          <legend className="px-1 text-sm font-semibold">Evaluation</legend>
          <div className="space-y-2 text-sm" role="radiogroup" aria-label="Evaluation">
            <label className="flex items-start gap-2">
              <input type="radio" name="evaluationMode" checked={!claimMode} onChange={() => set("evaluationMode", "onchain")} />
              <span>
                On chain (trustless; for small models)
                <span className="block text-xs text-slate-500">The contract runs every model on every test point; nobody has to watch, but the gas grows with model and test set.</span>
              </span>
            </label>
            <label className="flex items-start gap-2">
              <input type="radio" name="evaluationMode" checked={claimMode} onChange={() => set("evaluationMode", "claim")} />
              <span>
                Claimed scores with one-point disputes (cheap at any size; needs one honest checker online during each challenge window)
                <span className="block text-xs text-slate-500">
                  A bonded claim states each model&apos;s predictions and any wrong one is disproven by recomputing a single point; a wrong claim nobody disputes
                  counts. At most {formatNumber(MAX_CLAIM_MODE_POINTS)} points.
                </span>
              </span>
            </label>
          </div>
          {errors.evaluationMode && (
            <p className="text-sm text-red-700 dark:text-red-300" role="alert" data-testid="evaluation-mode-error">
              {errors.evaluationMode}
            </p>
          )}
          {claimMode && (
            <div className="grid gap-4 sm:grid-cols-2">
              <Field
                label="Challenge window (blocks)"
                error={errors.challengeWindow}
                hint={`${MIN_CHALLENGE_WINDOW}–${MAX_CHALLENGE_WINDOW.toLocaleString("en-US")} blocks in which a claim can be disputed (${duration(form.challengeWindow)}).`}
              >
                {({ id, describedBy, invalid }) => (
                  <input id={id} inputMode="numeric" className={inputClass} value={form.challengeWindow} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => set("challengeWindow", e.target.value)} />
                )}
              </Field>
              <Field
                label="Bond gas price (gwei)"
                error={errors.bondGasPriceGwei}
                hint={`A claim's bond pays for ${formatNumber(CLAIM_BOND_GAS)} gas (a whole transaction) at this price: above the market price, a checker's dispute always pays.`}
              >
                {({ id, describedBy, invalid }) => (
                  <input id={id} inputMode="decimal" className={inputClass} value={form.bondGasPriceGwei} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => set("bondGasPriceGwei", e.target.value)} />
                )}
              </Field>
              <dl className="grid gap-1 text-sm sm:col-span-2" data-testid="claim-terms-summary">
                <div className="flex justify-between gap-4">
                  <dt className="text-slate-500">Bond per claim</dt>
                  <dd data-testid="claim-bond">{bondGasPrice !== undefined ? formatEth(claimBond(bondGasPrice), { decimals: 18 }) : "—"}</dd>
                </div>
                <div className="flex justify-between gap-4">
                  <dt className="text-slate-500">Challenge window</dt>
                  <dd data-testid="claim-window">
                    {errors.challengeWindow ? "—" : `${formatNumber(Number(form.challengeWindow))} blocks ${duration(form.challengeWindow)}`}
                  </dd>
                </div>
                <div className="flex justify-between gap-4">
                  <dt className="text-slate-500">Worst-case dispute gas</dt>
                  <dd data-testid="claim-dispute-gas">
                    {disputeGas ? `${formatNumber(disputeGas.total)} gas (one point, any allowed model, ${formatNumber(disputeGas.calldataBytes)} calldata bytes)` : "—"}
                  </dd>
                </div>
              </dl>
            </div>
          )}
        </fieldset>

        <fieldset className="grid gap-4 rounded-xl border border-slate-200 p-4 sm:grid-cols-2 dark:border-slate-800">
          <legend className="px-1 text-sm font-semibold">Periods (blocks)</legend>
          <p className="text-xs text-slate-500 sm:col-span-2">
            Times are estimates at {blockTimeSeconds} s per block
            {localChain ? "; a local development chain mines blocks only when transactions arrive, so there they pass as fast as blocks are mined" : ""}.
          </p>
          <Field
            label="Split delay"
            error={errors.splitDelay}
            hint={`${MIN_SPLIT_DELAY}–${MAX_SPLIT_DELAY} blocks after creation; the hash of that block seeds the split, so it is unknown when you commit. ${
              localChain
                ? "This local chain mines only on transactions, so 2 blocks are enough; the wizard mines them."
                : "At least 64 on proof-of-stake: beyond the proposer lookahead, nobody knows who will produce the seed block."
            } (${duration(form.splitDelay)})`}
          >
            {({ id, describedBy, invalid }) => (
              <input id={id} inputMode="numeric" className={inputClass} value={form.splitDelay} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => set("splitDelay", e.target.value)} />
            )}
          </Field>
          <Field
            label="Split window (init2)"
            error={errors.init2Window}
            hint={`${MIN_INIT2_WINDOW}–${MAX_INIT2_WINDOW} blocks after the seed block in which the split must be drawn (${duration(form.init2Window)}).`}
          >
            {({ id, describedBy, invalid }) => (
              <input id={id} inputMode="numeric" className={inputClass} value={form.init2Window} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => set("init2Window", e.target.value)} />
            )}
          </Field>
          {PERIOD_FIELDS.map(({ key, label, help }) => (
            <Field
              key={key}
              label={`${label} period`}
              error={errors[key]}
              hint={
                key === "evaluationPeriod" && claimMode ? (
                  `${duration(form.periods[key])}: blocks in which scores are claimed (${MIN_PERIOD}–${MAX_PERIOD.toLocaleString("en-US")}); disputes and settlement follow within twice the challenge window.`
                ) : key === "evaluationPeriod" ? (
                  <span data-testid="evaluation-fit">
                    {duration(form.periods[key])}: {help}; at least {formatNumber(minimumEvaluation)} blocks for {formatNumber(pointCount)} points.
                    {fit &&
                      ` Worst-case evaluation: ${formatNumber(fit.transactions)} ${fit.transactions === 1 ? "transaction" : "transactions"} of ${EVALUATION_TX_GAS / 1_000_000} M gas for any allowed model; your period holds ${
                        fit.holds >= 10 ? Math.floor(fit.holds).toLocaleString("en-US") : fit.holds.toFixed(1)
                      }×.`}
                  </span>
                ) : (
                  `${duration(form.periods[key])}: ${help} (${MIN_PERIOD}–${MAX_PERIOD.toLocaleString("en-US")}).`
                )
              }
            >
              {({ id, describedBy, invalid }) => (
                <input
                  id={id}
                  inputMode="numeric"
                  className={inputClass}
                  value={form.periods[key]}
                  aria-invalid={invalid}
                  aria-describedby={describedBy}
                  onChange={(e) => set("periods", { ...form.periods, [key]: e.target.value })}
                />
              )}
            </Field>
          ))}
        </fieldset>
      </fieldset>

      {errors.evaluationPeriod && !claimMode && !readOnly && (
        <p>
          <SecondaryButton onClick={() => set("periods", { ...form.periods, evaluationPeriod: String(minimumEvaluation) })}>
            Use the minimum: {formatNumber(minimumEvaluation)} blocks
          </SecondaryButton>
        </p>
      )}

      {validation.ok && (
        <>
          <OneGroupOdds groupCount={validation.settings.groupCount} trainingBps={validation.settings.trainingBps} />
          <OddsTable groupCount={validation.settings.groupCount} trainingBps={validation.settings.trainingBps} maxGroups={pointCount} />
        </>
      )}

      <Notice tone="warning" title="What you commit to when you create the competition" testId="commitment-warning">
        <p>
          Once block creation + {validation.ok ? validation.settings.splitDelay : "split delay"} (the seed block) is mined, the split is known: cancelling
          then, or not revealing the training data in time, burns your reward — it stays locked in the contract for ever (donors are refunded).
        </p>
        <p>
          Not revealing the test data in full shares your reward equally among all revealed submissions and refunds the donors; there is no
          evaluation then, and the reward never comes back to you.
        </p>
      </Notice>

      <StepActions>
        <SecondaryButton onClick={onBack}>Back</SecondaryButton>
        <PrimaryButton type="submit" disabled={!validation.ok}>
          Continue to secrets
        </PrimaryButton>
        {!validation.ok && <span className="text-sm text-slate-500">Fix the highlighted fields to continue.</span>}
      </StepActions>
    </form>
  );
}

"use client";

import { useId, type ReactNode } from "react";
import { MAX_GROUPS, MAX_INIT2_WINDOW, MAX_PERIOD, MAX_TRAINING_BPS, MIN_GROUPS, MIN_INIT2_WINDOW, MIN_PERIOD, MIN_TRAINING_BPS } from "../../../lib/danku/constants";
import { MAX_DESCRIPTION_LENGTH, MAX_TITLE_LENGTH } from "../../../lib/danku/metadata";
import { groupSizes } from "../../../lib/danku/groups";
import { formatDuration } from "../../../lib/web/format";
import { OddsTable } from "../OddsTable";
import { PERIOD_FIELDS, requestedGroupCount, validateSettings, type SettingsField, type SettingsForm } from "../settings";
import { PrimaryButton, SecondaryButton, StepActions } from "../ui";

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
  blockTimeSeconds,
  localChain,
  readOnly,
  onChange,
  onBack,
  onContinue,
}: {
  form: SettingsForm;
  pointCount: number;
  blockTimeSeconds: number;
  localChain: boolean;
  readOnly: boolean;
  onChange: (form: SettingsForm) => void;
  onBack: () => void;
  onContinue: () => void;
}) {
  const validation = validateSettings(form, pointCount);
  const errors: Partial<Record<SettingsField, string>> = validation.errors;
  const groupCount = requestedGroupCount(form, pointCount);
  const set = <K extends keyof SettingsForm>(key: K, value: SettingsForm[K]) => onChange({ ...form, [key]: value });
  const sizes = groupCount !== undefined && groupCount >= MIN_GROUPS && groupCount <= Math.min(pointCount, MAX_GROUPS) ? groupSizes(pointCount, groupCount) : undefined;
  const duration = (text: string) => {
    const blocks = Number(text);
    if (!Number.isFinite(blocks) || blocks <= 0) return "";
    return formatDuration(blocks * blockTimeSeconds);
  };

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
            <p className="text-sm" data-testid="group-summary">
              {groupCount} groups of {sizes[sizes.length - 1] === sizes[0] ? sizes[0] : `${sizes[sizes.length - 1]}–${sizes[0]}`}{" "}
              {sizes[0] === 1 ? "point" : "points"}
              {validation.ok && ` · ${validation.settings.trainingGroups} training, ${validation.settings.groupCount - validation.settings.trainingGroups} test`}
            </p>
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

        <fieldset className="grid gap-4 rounded-xl border border-slate-200 p-4 sm:grid-cols-2 dark:border-slate-800">
          <legend className="px-1 text-sm font-semibold">Periods (blocks)</legend>
          <p className="text-xs text-slate-500 sm:col-span-2">
            Times are estimates at {blockTimeSeconds} s per block
            {localChain ? "; a local development chain mines blocks only when transactions arrive, so there they pass as fast as blocks are mined" : ""}.
          </p>
          <Field
            label="Split window (init2)"
            error={errors.init2Window}
            hint={`${MIN_INIT2_WINDOW}–${MAX_INIT2_WINDOW} blocks after creation in which the split must be drawn (${duration(form.init2Window)}).`}
          >
            {({ id, describedBy, invalid }) => (
              <input id={id} inputMode="numeric" className={inputClass} value={form.init2Window} aria-invalid={invalid} aria-describedby={describedBy} onChange={(e) => set("init2Window", e.target.value)} />
            )}
          </Field>
          {PERIOD_FIELDS.map(({ key, label, help }) => (
            <Field key={key} label={`${label} period`} error={errors[key]} hint={`${duration(form.periods[key])}: ${help} (${MIN_PERIOD}–${MAX_PERIOD.toLocaleString("en-US")}).`}>
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

      {validation.ok && <OddsTable groupCount={validation.settings.groupCount} trainingBps={validation.settings.trainingBps} maxGroups={pointCount} />}

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

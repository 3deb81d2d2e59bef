import { WIZARD_STEPS, stepIndex, type WizardStep } from "./draftStore";

/** The wizard's steps as an ordered list: done, current (aria-current="step") and not yet reachable. */
export function WizardStepper({
  current,
  reachable,
  onSelect,
}: {
  current: WizardStep;
  /** Steps the organizer may jump to now. */
  reachable: ReadonlySet<WizardStep>;
  onSelect: (step: WizardStep) => void;
}) {
  const currentIndex = stepIndex(current);
  return (
    <nav aria-label="Wizard steps">
      <ol className="flex flex-wrap gap-2 text-sm">
        {WIZARD_STEPS.map((step, i) => {
          const isCurrent = step.id === current;
          const done = i < currentIndex;
          const canGo = !isCurrent && reachable.has(step.id);
          const badge = (
            <span
              aria-hidden
              className={`grid size-6 place-items-center rounded-full text-xs font-semibold ${
                isCurrent ? "bg-indigo-600 text-white" : done ? "bg-emerald-600 text-white" : "bg-slate-200 text-slate-600 dark:bg-slate-800 dark:text-slate-300"
              }`}
            >
              {done ? "✓" : i + 1}
            </span>
          );
          const body = (
            <>
              {badge}
              <span className={isCurrent ? "font-semibold" : ""}>{step.title}</span>
              {done && <span className="sr-only">(done)</span>}
            </>
          );
          return (
            <li key={step.id} aria-current={isCurrent ? "step" : undefined}>
              {canGo ? (
                <button type="button" onClick={() => onSelect(step.id)} className="flex items-center gap-2 rounded-full px-2 py-1 hover:bg-slate-100 dark:hover:bg-slate-800">
                  {body}
                </button>
              ) : (
                <span className={`flex items-center gap-2 px-2 py-1 ${!isCurrent && !done ? "opacity-60" : ""}`}>{body}</span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

/**
 * A DaiMoN symbol with its plain words next to it: <abbr title="meaning">d_c</abbr> (current best distance). The
 * short gloss is visible text (keyboard, touch and screen-reader users get it without a tooltip); the tooltip adds
 * the longer meaning. `DaimonGlossary` lists every term the page uses in a <details> element.
 */
import { DAIMON_GLOSSARY, type DaimonTerm } from "@/lib/web/daimonGlossary";

export function Term({ name, gloss = true }: { name: DaimonTerm; gloss?: boolean }) {
  const entry = DAIMON_GLOSSARY[name];
  return (
    <span data-term={name}>
      <abbr title={entry.meaning} className="cursor-help underline decoration-slate-400 decoration-dotted underline-offset-2">
        {entry.term}
      </abbr>
      {gloss ? <span className="font-normal text-slate-500 dark:text-slate-400"> ({entry.plain})</span> : null}
    </span>
  );
}

export function DaimonGlossary({ terms, testId = "daimon-glossary" }: { terms: readonly DaimonTerm[]; testId?: string }) {
  return (
    <details className="rounded-lg border border-slate-200 px-3 py-2 text-sm dark:border-slate-700" data-testid={testId}>
      <summary className="cursor-pointer font-medium text-slate-700 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-slate-200">What these terms mean</summary>
      <dl className="mt-2 space-y-2">
        {terms.map((name) => (
          <div key={name}>
            <dt className="font-semibold text-slate-900 dark:text-white">
              {DAIMON_GLOSSARY[name].term} <span className="font-normal text-slate-500 dark:text-slate-400">— {DAIMON_GLOSSARY[name].plain}</span>
            </dt>
            <dd className="text-slate-600 dark:text-slate-300">{DAIMON_GLOSSARY[name].meaning}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

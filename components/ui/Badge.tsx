import type { ReactNode } from "react";
import type { StageName } from "@/lib/chain/danku";
import type { PhaseName } from "@/lib/chain/daimon";
import { PHASE_TITLES, PHASE_TONES } from "@/lib/web/daimon";
import { STAGE_TITLES, STAGE_TONES, type StageTone } from "@/lib/web/stages";

const TONES: Record<StageTone | "neutral" | "protocol", string> = {
  setup: "bg-amber-50 text-amber-800 ring-amber-600/20 dark:bg-amber-400/10 dark:text-amber-300 dark:ring-amber-400/20",
  open: "bg-emerald-50 text-emerald-800 ring-emerald-600/20 dark:bg-emerald-400/10 dark:text-emerald-300 dark:ring-emerald-400/20",
  progress: "bg-sky-50 text-sky-800 ring-sky-600/20 dark:bg-sky-400/10 dark:text-sky-300 dark:ring-sky-400/20",
  done: "bg-violet-50 text-violet-800 ring-violet-600/20 dark:bg-violet-400/10 dark:text-violet-300 dark:ring-violet-400/20",
  closed: "bg-slate-100 text-slate-700 ring-slate-500/20 dark:bg-slate-400/10 dark:text-slate-300 dark:ring-slate-400/20",
  neutral: "bg-slate-100 text-slate-700 ring-slate-500/20 dark:bg-slate-400/10 dark:text-slate-300 dark:ring-slate-400/20",
  protocol: "bg-indigo-50 text-indigo-700 ring-indigo-600/20 dark:bg-indigo-400/10 dark:text-indigo-300 dark:ring-indigo-400/20",
};

export function Badge({ tone = "neutral", children, title }: { tone?: keyof typeof TONES; children: ReactNode; title?: string }) {
  return (
    <span title={title} className={`inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone]}`}>
      {children}
    </span>
  );
}

const DOTS: Record<StageTone, string> = { open: "bg-emerald-500", setup: "bg-amber-500", progress: "bg-sky-500", done: "bg-violet-500", closed: "bg-slate-400" };

export function StageBadge({ stage }: { stage: StageName }) {
  const tone = STAGE_TONES[stage];
  return (
    <Badge tone={tone}>
      <span aria-hidden className={`size-1.5 rounded-full ${DOTS[tone]}`} />
      {STAGE_TITLES[stage]}
    </Badge>
  );
}

/** A DaiMoN problem's phase, with the round when it is competing. */
export function PhaseBadge({ phase, round }: { phase: PhaseName; round?: bigint }) {
  const tone = PHASE_TONES[phase];
  return (
    <Badge tone={tone}>
      <span aria-hidden className={`size-1.5 rounded-full ${DOTS[tone]}`} />
      {PHASE_TITLES[phase]}
      {phase === "Competition" && round !== undefined ? ` · round ${round.toString()}` : ""}
    </Badge>
  );
}

const PROTOCOLS = {
  danku: { name: "DanKu", title: "DanKu: commit–reveal data, on-chain evaluation" },
  daimon: { name: "DaiMoN", title: "DaiMoN: proofs of improvement checked against a DEL function, voted on by validators, paid in the problem's token" },
} as const;

export function ProtocolBadge({ protocol = "danku" }: { protocol?: keyof typeof PROTOCOLS }) {
  return (
    <Badge tone="protocol" title={PROTOCOLS[protocol].title}>
      {PROTOCOLS[protocol].name}
    </Badge>
  );
}

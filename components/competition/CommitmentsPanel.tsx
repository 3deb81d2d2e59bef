"use client";

import type { CompetitionState } from "@/lib/chain/danku";
import { EVALUATION_TX_GAS } from "@/lib/danku/constants";
import { evaluationFit, groupSizeSummary, oddsOverDraws, oneGroupTrainingOdds } from "@/lib/danku/risk";
import { formatBlocks, formatNumber } from "@/lib/web/format";
import { Skeleton } from "@/components/ui/Skeleton";
import { useGroupPointCounts } from "./useCompetition";

function Item({ label, value, detail, testId }: { label: string; value: React.ReactNode; detail?: React.ReactNode; testId?: string }) {
  return (
    <div>
      <dt className="text-xs text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="tabular font-semibold" data-testid={testId}>
        {value}
      </dd>
      {detail ? <dd className="text-xs text-slate-500 dark:text-slate-400">{detail}</dd> : null}
    </div>
  );
}

const percent = (p: number) => `${Number((p * 100).toPrecision(3))} %`;

/**
 * What the organizer committed at creation and the contract enforces (docs/protocol.md §2, §3, §7.2): the size of
 * every group (a reveal of another size reverts), the seed block of the split, and an evaluation period that holds
 * a worst-case evaluation of all points.
 */
export function CommitmentsPanel({ state }: { state: CompetitionState }) {
  const counts = useGroupPointCounts(state.address, state.groupCount);
  const sizes = counts.data ? groupSizeSummary(counts.data, state.trainingGroupCount) : undefined;
  const fit = evaluationFit(state.totalCommittedPoints, state.config.evaluationPeriod);
  const perDraw = oneGroupTrainingOdds(state.groupCount, state.trainingGroupCount);
  const seedMined = state.blockNumber >= state.deadlines.splitSeedBlock;
  return (
    <div className="space-y-3" data-testid="commitments">
      <dl className="grid grid-cols-2 gap-4 text-sm sm:grid-cols-3">
        <Item
          label="Groups"
          value={`${formatNumber(state.groupCount)} (${formatNumber(state.trainingGroupCount)} training)`}
          detail={
            sizes ? (
              <span data-testid="committed-group-sizes">
                {sizes.min === sizes.max ? `${formatNumber(sizes.min)} points each` : `${formatNumber(sizes.min)}–${formatNumber(sizes.max)} points per group`}
              </span>
            ) : counts.isError ? (
              "sizes could not be read"
            ) : (
              <Skeleton className="h-3 w-24" />
            )
          }
        />
        <Item label="Points committed" value={formatNumber(state.totalCommittedPoints)} testId="committed-total-points" detail="sizes fixed at creation" />
        <Item
          label="Test points committed"
          testId="committed-test-points"
          value={state.splitDone ? formatNumber(state.committedTestPoints) : sizes ? `${formatNumber(sizes.testPointsMin)}–${formatNumber(sizes.testPointsMax)}` : "—"}
          detail={state.splitDone ? `${formatNumber(state.committedTrainingPoints)} training points committed` : "known after the split"}
        />
        <Item
          label="Split seed block"
          testId="split-seed-block"
          value={`#${formatNumber(state.deadlines.splitSeedBlock)}`}
          detail={`${formatBlocks(state.config.splitDelay)} after creation${seedMined ? "" : " · not mined yet"}`}
        />
        <Item
          label="Evaluation fits"
          testId="evaluation-fits"
          value={fit.fits ? "yes" : "no"}
          detail={`the period holds ${formatBlocks(state.config.evaluationPeriod)}, worst case needs ${formatBlocks(fit.minimumPeriod)} (${formatNumber(fit.transactions)} ${fit.transactions === 1 ? "transaction" : "transactions"} of ${EVALUATION_TX_GAS / 1_000_000} M gas, twice over)`}
        />
        <Item
          label="One group's placement"
          value={`${percent(perDraw)} per draw`}
          detail={`${percent(oddsOverDraws(perDraw, 5))} over 5 draws; each redraw burns the reward`}
        />
      </dl>
      <p className="text-xs text-slate-500 dark:text-slate-400">
        A reveal whose size differs from the committed one is refused, so the test set cannot grow after submissions; a period that cannot hold a
        worst-case evaluation is refused at creation, so every revealed model can be evaluated in time.
      </p>
    </div>
  );
}

import { MAX_GROUPS, MIN_GROUPS } from "../../lib/danku/constants";
import { manipulationOddsTable, type ManipulationOddsRow } from "../../lib/danku/odds";
import { trainingGroupCount } from "../../lib/danku/groups";
import { expectedBurnedRewards, oneGroupOddsTable, oneGroupTrainingOdds, type OneGroupOddsRow } from "../../lib/danku/risk";
import { StackedTable, type StackedColumn } from "../ui/StackedTable";

/** The paper's block limit L (§5.2): the original contract let the organizer try this many blocks for init2. */
export const PAPER_ATTEMPTS = 5;

/** Group counts around `chosen`, in steps of 5 like the paper's table, that the contract would accept. */
export function oddsGroupCounts(chosen: number, trainingBps: number, maxGroups: number): number[] {
  const candidates = [chosen - 10, chosen - 5, chosen, chosen + 5, chosen + 10];
  return candidates.filter((g) => {
    if (g < MIN_GROUPS || g > Math.min(MAX_GROUPS, maxGroups)) return false;
    try {
      trainingGroupCount(g, trainingBps);
      return true;
    } catch {
      return false;
    }
  });
}

const SUPERSCRIPT: Record<string, string> = { "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹" };

/** 2.2e24 → "2.2 × 10²⁴" (scientific notation as people write it). */
function scientific(value: number, digits: number): string {
  const [mantissa = "", exponent = "0"] = value.toExponential(digits).split("e");
  const power = String(Number(exponent)).replace(/./g, (c) => SUPERSCRIPT[c] ?? c);
  return `${mantissa} × 10${power}`;
}

export function formatProbability(p: number): string {
  if (p >= 1) return "100 %";
  if (p === 0) return "0 %";
  const percent = p * 100;
  // Near certainty, three significant digits would round to "100 %": show the digits up to the first non-9.
  const missing = 100 - percent;
  const nearCertain = missing < 0.05 ? (missing < 1e-6 ? "> 99.999999 %" : `${(100 - missing).toFixed(Math.ceil(-Math.log10(missing)) + 1)} %`) : undefined;
  const text = nearCertain ?? (percent >= 0.001 ? `${Number(percent.toPrecision(3))} %` : `${scientific(percent, 1)} %`);
  const oneIn = 1 / p;
  // Likely events read better without "1 in 1"; "1 in 1.3" keeps two digits where rounding to an integer would lie.
  if (oneIn < 1.05) return text;
  const count = oneIn < 10 ? String(Number(oneIn.toPrecision(2))) : oneIn < 1e6 ? Math.round(oneIn).toLocaleString("en-US") : scientific(oneIn, 1);
  return `${text} (1 in ${count})`;
}

function formatCombinations(c: bigint): string {
  if (c < 1_000_000_000_000n) return c.toLocaleString("en-US");
  const text = c.toString();
  const power = String(text.length - 1).replace(/./g, (d) => SUPERSCRIPT[d] ?? d);
  return `${text[0]}.${text.slice(1, 3)} × 10${power}`;
}

/** A probability on two lines, so a narrow column wraps between the percentage and its "1 in …". */
function Probability({ p }: { p: number }) {
  const text = formatProbability(p);
  const split = text.indexOf(" (1 in ");
  if (split < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, split)} <span className="whitespace-nowrap">{text.slice(split + 1)}</span>
    </>
  );
}

/** The exact-split table's columns; the one-group table's below. Both render through {@link StackedTable}. */
function exactSplitColumns(chosen: number): StackedColumn<ManipulationOddsRow>[] {
  return [
    {
      key: "groups",
      header: "Groups G",
      cell: (row) => (
        <>
          {row.groupCount}
          {row.groupCount === chosen ? <span className="ml-1 text-xs font-normal">(yours)</span> : null}
        </>
      ),
    },
    { key: "training", header: "Training groups", cell: (row) => row.trainingGroups },
    { key: "combinations", header: "Possible training sets", cell: (row) => formatCombinations(row.combinations) },
    { key: "paper", header: `P with L = ${PAPER_ATTEMPTS} (paper)`, cell: (row) => <Probability p={row.odds} /> },
    { key: "single", header: "P with one draw (this contract)", cell: (row) => <Probability p={row.singleDrawOdds} /> },
  ];
}

const ONE_GROUP_COLUMNS: StackedColumn<OneGroupOddsRow>[] = [
  { key: "draws", header: "Draws k", cell: (row) => row.draws },
  { key: "odds", header: "P(one chosen group is training)", cell: (row) => <Probability p={row.odds} /> },
  { key: "burned", header: "Rewards burned", cell: (row) => row.rewardsBurned },
];

/**
 * The chance that an organizer obtains one particular training set (paper §5.2), for group counts around the chosen
 * one: with the paper's L = 5 tries and with the single draw this contract leaves (docs/protocol.md §3).
 */
export function OddsTable({ groupCount, trainingBps, maxGroups }: { groupCount: number; trainingBps: number; maxGroups: number }) {
  let rows: ManipulationOddsRow[];
  try {
    rows = manipulationOddsTable({ trainingBps, attempts: PAPER_ATTEMPTS, groupCounts: oddsGroupCounts(groupCount, trainingBps, maxGroups) });
  } catch {
    return null;
  }
  return (
    <section aria-labelledby="odds-heading" className="space-y-2">
      <h3 id="odds-heading" className="font-semibold">
        Odds of the exact split
      </h3>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        The odds of one exact training set (the paper&apos;s §5.2 bound P = L / C(G, training groups)). The original DanKu let the
        organizer try L = {PAPER_ATTEMPTS} blocks; here the seed is the hash of a block after creation, so each creation is a single
        draw, and each redraw burns the reward. The attack above, one group&apos;s placement, is far more likely than this.
      </p>
      <StackedTable
        caption="Odds of the exact split for group counts around yours"
        columns={exactSplitColumns(groupCount)}
        rows={rows}
        rowKey={(row) => row.groupCount}
        rowCurrent={(row) => row.groupCount === groupCount}
        rowClassName={(row) => (row.groupCount === groupCount ? "bg-indigo-50 font-semibold dark:bg-indigo-950/40" : undefined)}
        testId="odds-table"
      />
    </section>
  );
}

/**
 * The attack that matters (issue 9 §3): not one exact split but one group's placement — a small group drawn as
 * training, a hard group kept for the test — which succeeds with nTrain/G per draw and 1 − (1 − nTrain/G)^k over
 * k draws. Each redraw means cancelling after the seed block, which forfeits the reward.
 */
export function OneGroupOdds({ groupCount, trainingBps }: { groupCount: number; trainingBps: number }) {
  let trainingGroups: number;
  try {
    trainingGroups = trainingGroupCount(groupCount, trainingBps);
  } catch {
    return null;
  }
  const perDraw = oneGroupTrainingOdds(groupCount, trainingGroups);
  const rows = oneGroupOddsTable(groupCount, trainingBps);
  const exact = manipulationOddsTable({ trainingBps, attempts: 1, groupCounts: [groupCount] })[0];
  const burned = expectedBurnedRewards(perDraw);
  return (
    <section aria-labelledby="one-group-odds-heading" className="space-y-2" data-testid="one-group-odds">
      <h3 id="one-group-odds-heading" className="font-semibold">
        How hard is it to rig the split?
      </h3>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        An organizer rarely needs one exact split; one group&apos;s placement is usually enough (a small group drawn as training, a
        hard one kept for the test). With {trainingGroups} of {groupCount} groups training, one chosen group is training with{" "}
        <strong>{formatProbability(perDraw)}</strong> per draw, and with 1 − (1 − {trainingGroups}/{groupCount})<sup>k</sup> over k draws
        — against {exact ? formatProbability(exact.singleDrawOdds) : "—"} for the exact split in one draw. Every redraw means cancelling
        after the seed block, which <strong>burns the reward</strong>: on average{" "}
        {Number.isFinite(burned) ? `${burned.toFixed(burned < 10 ? 2 : 0)} rewards` : "every reward"} are lost before a wanted placement.
      </p>
      <StackedTable caption="Odds that one chosen group is training, by number of draws" columns={ONE_GROUP_COLUMNS} rows={rows} rowKey={(row) => row.draws} testId="one-group-odds-table" />
    </section>
  );
}

"use client";

import type { ChainBlock, ChainProof, ProblemState, RebuiltChain } from "@/lib/chain/daimon";
import { formatAccuracy, formatDistance, formatTokenAmount } from "@/lib/web/daimon";
import { formatNumber, shortAddress } from "@/lib/web/format";
import { AddressText } from "@/components/ui/Address";
import { AlertIcon, CheckIcon } from "@/components/ui/Icons";

function Hash({ label, value }: { label: string; value: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-[0.6875rem] font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="truncate font-mono text-xs" title={value}>
        {value}
      </dd>
    </div>
  );
}

function BlockBody({ block, proof, symbol, minVotes }: { block: ChainBlock; proof: ChainProof | undefined; symbol: string; minVotes: number }) {
  if (block.kind === "problem") {
    return (
      <>
        <p className="text-sm text-slate-700 dark:text-slate-200">
          The definition and {block.tupleCount} test tuple{block.tupleCount === 1 ? "" : "s"}; committed by <AddressText address={block.committer} />.
        </p>
        <dl className="mt-2 grid gap-2 sm:grid-cols-2">
          <Hash label="Block hash" value={block.blockHash} />
          <Hash label="Definition hash" value={block.definitionHash} />
          <Hash label="Tuples digest" value={block.tuplesDigest} />
        </dl>
      </>
    );
  }
  return (
    <>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-4">
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">Improver</dt>
          <dd>
            <AddressText address={block.improver} />
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">Distance</dt>
          <dd className="tabular font-semibold" data-testid="block-distance">
            {formatDistance(block.distance, 6)}
          </dd>
          <dd className="tabular text-xs text-slate-500 dark:text-slate-400">
            from {formatDistance(block.previousDistance)} · ≈ {formatAccuracy(block.distance)} accurate
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">Votes</dt>
          <dd className="tabular font-semibold">
            {block.voteCount} <span className="text-xs font-normal text-slate-500">(≥ {minVotes} needed)</span>
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">Improver reward</dt>
          <dd className="tabular font-semibold" data-testid="block-reward">
            {formatTokenAmount(block.improverReward, symbol)}
          </dd>
        </div>
      </dl>
      <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
        Round {formatNumber(block.round)} · proof #{formatNumber(block.proofId)}
        {proof ? (
          <>
            {" "}
            · model <span className="font-mono">{proof.cid}</span>
          </>
        ) : null}{" "}
        · committed by {shortAddress(block.committer)}
      </p>
      <dl className="mt-2 grid gap-2 sm:grid-cols-2">
        <Hash label="Block hash" value={block.blockHash} />
        <Hash label="Parent hash" value={block.parentHash} />
        <Hash label="Proof hash" value={block.proofHash} />
        <Hash label="Votes digest" value={block.votesDigest} />
      </dl>
    </>
  );
}

/** The problem's chain: the Problem block, then every Improvement block, each linked to its parent by hash. */
export function BlockTimeline({
  state,
  chain,
  proofs,
  loading,
}: {
  state: ProblemState;
  chain: RebuiltChain | undefined;
  proofs: readonly ChainProof[] | undefined;
  loading: boolean;
}) {
  if (!chain) {
    return <p className="text-sm text-slate-500">{loading ? "Rebuilding the chain from the problem's events…" : "The chain could not be read."}</p>;
  }
  const blocks = chain.blocks;
  return (
    <div>
      {chain.problems.length === 0 ? (
        blocks.length > 0 ? (
          <p className="mb-3 flex items-center gap-1.5 text-xs text-emerald-700 dark:text-emerald-400" data-testid="chain-verified">
            <CheckIcon /> Rebuilt from the problem&apos;s events: every hash and parent link checks out.
          </p>
        ) : null
      ) : (
        <div role="alert" className="mb-3 rounded-lg border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-900 dark:border-rose-500/30 dark:bg-rose-500/10 dark:text-rose-200">
          <p className="flex items-center gap-1.5 font-semibold">
            <AlertIcon /> The events do not rebuild this chain
          </p>
          <ul className="mt-1 list-disc pl-5">
            {chain.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      <ol className="relative" aria-label="Blocks of the problem's chain" data-testid="block-timeline">
        {blocks.map((block, i) => {
          const number = Number(block.blockNumber);
          const last = i === blocks.length - 1;
          const proof = block.kind === "improvement" ? proofs?.find((p) => p.proofId === block.proofId) : undefined;
          return (
            <li key={block.blockHash} className="relative flex gap-4 pb-5 last:pb-0" data-testid="chain-block" data-block={number}>
              {!last ? <span aria-hidden className="absolute left-[15px] top-9 h-[calc(100%-2rem)] w-0.5 bg-indigo-200 dark:bg-indigo-500/30" /> : null}
              <span
                aria-hidden
                className={`relative z-10 grid size-8 shrink-0 place-items-center rounded-lg text-xs font-bold ${
                  block.kind === "problem" ? "bg-slate-800 text-white dark:bg-slate-200 dark:text-slate-900" : "bg-indigo-600 text-white"
                }`}
              >
                #{number}
              </span>
              <div className="min-w-0 flex-1 rounded-xl border border-slate-200 p-3 dark:border-slate-800">
                <h3 className="text-sm font-semibold">
                  {block.kind === "problem" ? "Block #0 · Problem block" : `Block #${number} · Improvement block`}
                </h3>
                <div className="mt-1">
                  <BlockBody block={block} proof={proof} symbol={state.tokenSymbol} minVotes={state.config.minVotes} />
                </div>
              </div>
            </li>
          );
        })}
        {!state.problemBlockCommitted && state.phase !== "Dead" ? (
          <li className="relative flex gap-4" data-testid="chain-block-pending">
            <span aria-hidden className="relative z-10 grid size-8 shrink-0 place-items-center rounded-lg border-2 border-dashed border-slate-300 text-xs font-bold text-slate-400 dark:border-slate-600">
              #0
            </span>
            <div className="min-w-0 flex-1 rounded-xl border border-dashed border-slate-300 p-3 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-300">
              <h3 className="font-semibold">Block #0 · Problem block (not committed yet)</h3>
              <p className="mt-1">
                {state.phase === "Definition"
                  ? `It will hold the definition and the ${state.tupleCount} tuple${state.tupleCount === 1 ? "" : "s"} added by block #${formatNumber(state.definitionEnd - 1n)}.`
                  : "The definition period is over: anyone can commit it, and the first competition action does it anyway."}
              </p>
            </div>
          </li>
        ) : null}
        {state.phase === "Dead" ? <li className="text-sm text-slate-600 dark:text-slate-300">The definition period ended without a tuple: this problem has no chain.</li> : null}
      </ol>
    </div>
  );
}

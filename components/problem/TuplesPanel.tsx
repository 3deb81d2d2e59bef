"use client";

import type { ChainTuple, ProblemState } from "@/lib/chain/daimon";
import { unpackVector } from "@/lib/daimon/fixedPoint";
import { hexToBytes } from "viem";
import { ipfsGatewayUrl } from "@/lib/ipfs/client";
import { AddressText } from "@/components/ui/Address";
import { Term } from "./Term";

/** The test dataset tuples (Z, f, y_t): IPFS files anyone can download, with their contributors (docs/daimon.md §10). */
export function TuplesPanel({ state, tuples, loading }: { state: ProblemState; tuples: readonly ChainTuple[] | undefined; loading: boolean }) {
  if (!tuples) return <p className="text-sm text-slate-500">{loading ? "Reading the tuples…" : "The tuples could not be read."}</p>;
  if (tuples.length === 0) {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-300">
        {state.phase === "Definition" ? "No tuple yet; tuples can be added until the definition period ends." : "No tuple was added."}
      </p>
    );
  }
  return (
    <ol className="space-y-3" aria-label="Test tuples">
      {tuples.map((t) => (
        <li key={t.tupleHash} className="rounded-lg border border-slate-200 p-3 text-xs dark:border-slate-800" data-testid="tuple">
          <p className="text-sm font-semibold">
            Tuple {t.index} <span className="font-normal text-slate-500">by</span> <AddressText address={t.contributor} />
          </p>
          <dl className="mt-1 space-y-1">
            <div>
              <dt className="text-slate-500 dark:text-slate-400">
                Test inputs <Term name="Z" gloss={false} /> (<Term name="m" gloss={false} /> = {state.config.testSetSize} examples, a <Term name="DMZ1" /> file)
              </dt>
              <dd className="break-all font-mono">
                <a className="underline-offset-2 hover:underline" href={ipfsGatewayUrl(t.inputsCid)} download>
                  {t.inputsCid}
                </a>
              </dd>
            </div>
            <div>
              <dt className="text-slate-500 dark:text-slate-400">
                <Term name="DEL" /> function <Term name="f" gloss={false} /> (ONNX)
              </dt>
              <dd className="break-all font-mono">
                <a className="underline-offset-2 hover:underline" href={ipfsGatewayUrl(t.delCid)} download>
                  {t.delCid}
                </a>
              </dd>
            </div>
            <div>
              <dt className="text-slate-500 dark:text-slate-400">
                Target <Term name="y_t" /> = f(x_t)
              </dt>
              <dd className="font-mono text-slate-600 dark:text-slate-300">
                {unpackVector(hexToBytes(t.target)).length} int16 entries: [{unpackVector(hexToBytes(t.target)).slice(0, 6).join(", ")}, …]
              </dd>
            </div>
          </dl>
        </li>
      ))}
    </ol>
  );
}

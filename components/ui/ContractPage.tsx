"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { describeReadError } from "@/lib/web/readErrors";
import { RpcDownState } from "@/components/marketplace/Marketplace";
import { ArrowLeftIcon } from "./Icons";
import { Skeleton } from "./Skeleton";
import { card } from "./styles";

/**
 * The pieces every contract page (a competition, a problem) is built of: titled sections, the way back to the
 * marketplace, the loading skeleton, and what to show when the contract cannot be read.
 */

export function PageSection({ title, id, children, aside, description }: { title: string; id: string; children: ReactNode; aside?: ReactNode; description?: string }) {
  return (
    <section aria-labelledby={id} className={`${card} p-5`}>
      <div className={`mb-4 flex flex-wrap justify-between gap-2 ${description ? "items-start" : "items-center"}`}>
        <div className="min-w-0">
          <h2 id={id} className="text-base font-semibold">
            {title}
          </h2>
          {description ? <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{description}</p> : null}
        </div>
        {aside}
      </div>
      {children}
    </section>
  );
}

export function BackLink({ label }: { label: string }) {
  return (
    <Link href="/" className="inline-flex items-center gap-1.5 rounded text-sm font-medium text-slate-600 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-slate-300 dark:hover:text-white">
      <ArrowLeftIcon /> {label}
    </Link>
  );
}

/** While the contract is read: placeholders, or `header` (a title and description the server already knew) in their place. */
export function ContractPageSkeleton({ backLabel, loading, header }: { backLabel: string; loading: string; header?: ReactNode }) {
  return (
    <div aria-busy="true">
      <BackLink label={backLabel} />
      <p className="sr-only" role="status">
        {loading}
      </p>
      <Skeleton className="mt-6 h-6 w-40 rounded-full" />
      {header ?? (
        <>
          <Skeleton className="mt-4 h-9 w-2/3" />
          <Skeleton className="mt-3 h-4 w-full max-w-2xl" />
        </>
      )}
      <div className="mt-8 grid gap-4 lg:grid-cols-3">
        <Skeleton className="h-64 lg:col-span-2" />
        <Skeleton className="h-64" />
      </div>
    </div>
  );
}

/** The contract could not be read: either nothing is deployed at the address (`notFound`) or the RPC failed. */
export function ContractReadFailure({
  error,
  rpcUrl,
  retrying,
  onRetry,
  backLabel,
  notFound,
}: {
  error: unknown;
  rpcUrl: string;
  retrying: boolean;
  onRetry: () => void;
  backLabel: string;
  notFound: { testId: string; title: string; body: ReactNode };
}) {
  return (
    <div>
      <BackLink label={backLabel} />
      {describeReadError(error, rpcUrl).kind === "missing-contract" ? (
        <div className={`${card} mt-4 px-6 py-12 text-center`} role="alert" data-testid={notFound.testId}>
          <h1 className="text-lg font-semibold">{notFound.title}</h1>
          <p className="mx-auto mt-2 max-w-lg text-sm text-slate-600 dark:text-slate-400">{notFound.body}</p>
        </div>
      ) : (
        <RpcDownState error={error} rpcUrl={rpcUrl} retrying={retrying} onRetry={onRetry} />
      )}
    </div>
  );
}

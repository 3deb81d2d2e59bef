export function Skeleton({ className = "" }: { className?: string }) {
  return <span aria-hidden className={`block animate-pulse rounded-md bg-slate-200/80 dark:bg-slate-800 ${className}`} />;
}

import type { AppConfig } from "@/lib/config";

/** Problems in the server's environment, said plainly at the top of every page. */
export function ConfigIssues({ config }: { config: AppConfig }) {
  if (config.issues.length === 0) return null;
  return (
    <div role="status" className="border-b border-rose-200 bg-rose-50 text-rose-900 dark:border-rose-500/30 dark:bg-rose-500/10 dark:text-rose-200">
      <div className="mx-auto max-w-7xl px-4 py-3 text-sm sm:px-6">
        <p className="font-semibold">The server&apos;s configuration needs attention</p>
        <ul className="mt-1 list-disc pl-5">
          {config.issues.map((issue) => (
            <li key={issue}>{issue}</li>
          ))}
        </ul>
      </div>
    </div>
  );
}

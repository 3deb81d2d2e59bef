import type { AppConfig } from "@/lib/config";

export function SiteFooter({ config }: { config: AppConfig }) {
  return (
    <footer className="mt-16 border-t border-slate-200 dark:border-slate-800">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-2 px-4 py-6 text-xs text-slate-500 sm:px-6 dark:text-slate-400">
        <p>ModelBounty — trustless machine-learning competitions. Rewards are escrowed and models are scored by the contract itself.</p>
        <p>
          {config.chainName} · chain {config.chainId}
          {config.factory ? (
            <>
              {" "}
              · factory <span className="font-mono">{config.factory}</span>
            </>
          ) : null}
        </p>
      </div>
    </footer>
  );
}

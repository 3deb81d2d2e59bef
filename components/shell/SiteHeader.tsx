"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { LogoMark } from "@/components/ui/Icons";
import { WalletBalance } from "./WalletBalance";
import { WalletButton } from "./WalletButton";

const NAV = [
  { href: "/", label: "Marketplace", match: (path: string) => path === "/" || (path.startsWith("/problems/") && path !== "/problems/new") || (path.startsWith("/competitions/") && path !== "/competitions/new") },
  { href: "/competitions/new", label: "New competition", match: (path: string) => path === "/competitions/new" },
  { href: "/problems/new", label: "New problem", match: (path: string) => path === "/problems/new" },
  { href: "/lab", label: "Scoring lab", match: (path: string) => path === "/lab" },
];

export function SiteHeader() {
  const pathname = usePathname() ?? "/";
  return (
    <header className="sticky top-0 z-30 border-b border-slate-200/80 bg-white/85 backdrop-blur dark:border-slate-800 dark:bg-slate-950/85">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
        <Link href="/" className="flex items-center gap-2 rounded-md text-base font-bold tracking-tight text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-white">
          <span className="grid size-8 place-items-center rounded-lg bg-indigo-600 text-lg text-white shadow-sm">
            <LogoMark />
          </span>
          ModelBounty
        </Link>
        <nav aria-label="Main" className="order-3 w-full sm:order-none sm:w-auto">
          <ul className="flex gap-1">
            {NAV.map((item) => {
              const active = item.match(pathname);
              return (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    aria-current={active ? "page" : undefined}
                    className={`rounded-md px-3 py-2 text-sm font-medium transition focus-visible:outline-2 focus-visible:outline-indigo-500 ${
                      active
                        ? "bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-white"
                        : "text-slate-600 hover:bg-slate-50 hover:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-900 dark:hover:text-white"
                    }`}
                  >
                    {item.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="ml-auto flex items-center gap-2">
          <WalletBalance />
          <WalletButton />
        </div>
      </div>
    </header>
  );
}

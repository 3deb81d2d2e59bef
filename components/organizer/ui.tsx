/** Small presentational pieces shared by the organizer's steps and panels. */
import type { ButtonHTMLAttributes, ReactNode } from "react";
import { buttonPrimary, buttonSecondary } from "@/components/ui/styles";

export function PrimaryButton({ className = "", ...props }: ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button
      type="button"
      {...props}
      className={`${buttonPrimary} ${className}`}
    />
  );
}

export function SecondaryButton({ className = "", ...props }: ButtonHTMLAttributes<HTMLButtonElement>) {
  return (
    <button
      type="button"
      {...props}
      className={`${buttonSecondary} ${className}`}
    />
  );
}

export function StepActions({ children }: { children: ReactNode }) {
  return <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 pt-4 dark:border-slate-800">{children}</div>;
}

const NOTICE_STYLES = {
  info: "border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-800 dark:bg-sky-950/40 dark:text-sky-100",
  warning: "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100",
  error: "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950/40 dark:text-red-100",
  success: "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-100",
} as const;

/** A boxed message; errors and warnings are announced (role="alert"), the others are polite status updates. */
export function Notice({ tone, title, children, testId }: { tone: keyof typeof NOTICE_STYLES; title?: string; children?: ReactNode; testId?: string }) {
  return (
    <div
      role={tone === "error" || tone === "warning" ? "alert" : "status"}
      data-testid={testId}
      className={`space-y-1 rounded-lg border px-4 py-3 text-sm ${NOTICE_STYLES[tone]}`}
    >
      {title && <p className="font-semibold">{title}</p>}
      {children}
    </div>
  );
}

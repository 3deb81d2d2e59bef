import type { DatasetIssue } from "../../lib/danku/dataset";

/** Every problem the parser found, with the file's line numbers, so the file can be fixed in one pass. */
export function DatasetIssuesTable({ issues, totalIssues, fileName }: { issues: readonly DatasetIssue[]; totalIssues: number; fileName: string }) {
  return (
    <section
      role="alert"
      aria-labelledby="dataset-issues-heading"
      className="space-y-3 rounded-xl border border-red-300 bg-red-50 p-4 dark:border-red-800 dark:bg-red-950/30"
    >
      <h3 id="dataset-issues-heading" className="font-semibold text-red-900 dark:text-red-100">
        {fileName} has {totalIssues.toLocaleString("en-US")} problem{totalIssues === 1 ? "" : "s"}; nothing was hashed or sent.
      </h3>
      <p className="text-sm text-red-900 dark:text-red-100">Fix the lines below and choose the file again.</p>
      <div className="max-h-80 overflow-auto rounded-lg border border-red-200 bg-white dark:border-red-900 dark:bg-slate-950">
        <table className="w-full text-left text-sm" data-testid="dataset-issues">
          <thead className="sticky top-0 bg-red-100 dark:bg-red-950">
            <tr>
              <th scope="col" className="w-24 px-3 py-1.5 font-medium">
                Line
              </th>
              <th scope="col" className="px-3 py-1.5 font-medium">
                Problem
              </th>
            </tr>
          </thead>
          <tbody>
            {issues.map((issue, i) => (
              <tr key={i} className="border-t border-red-100 dark:border-red-900">
                <td className="px-3 py-1 tabular-nums">{issue.line > 0 ? issue.line : "file"}</td>
                <td className="px-3 py-1">{issue.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {totalIssues > issues.length && (
        <p className="text-sm text-red-900 dark:text-red-100">
          … and {(totalIssues - issues.length).toLocaleString("en-US")} more not listed.
        </p>
      )}
    </section>
  );
}

/** The first rows of the file as read, with the label column marked. */
export function DatasetPreviewTable({ header, rows, labelColumn }: { header: readonly string[]; rows: readonly (readonly string[])[]; labelColumn: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table className="w-full text-left text-sm" data-testid="dataset-preview">
        <caption className="sr-only">First rows of the dataset</caption>
        <thead className="bg-slate-100 dark:bg-slate-900">
          <tr>
            {header.map((name, c) => (
              <th key={c} scope="col" className={`whitespace-nowrap px-3 py-1.5 font-medium ${name === labelColumn ? "text-indigo-700 dark:text-indigo-300" : ""}`}>
                {name}
                {name === labelColumn && <span className="ml-1 text-xs font-normal">(label)</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r} className="border-t border-slate-100 dark:border-slate-800">
              {header.map((name, c) => (
                <td key={c} className={`whitespace-nowrap px-3 py-1 tabular-nums ${name === labelColumn ? "font-medium" : ""}`}>
                  {row[c] ?? ""}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

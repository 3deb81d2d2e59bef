import type { ReactNode } from "react";

/** One column of a {@link StackedTable}: its header, and what each row shows in it. */
export interface StackedColumn<Row> {
  key: string;
  header: ReactNode;
  /** The label beside the value once the table is stacked on a narrow screen (default: the header). */
  label?: ReactNode;
  cell: (row: Row) => ReactNode;
  align?: "left" | "right";
}

/**
 * A data table that is a table from the `sm` breakpoint up and stacks below it: on a phone every row becomes a small
 * card of "label  value" lines, so the table never needs more width than the screen has (issue 12 §5). It stays one
 * table for assistive technology at every width: the roles are explicit (a `display: block` table keeps them), the
 * header row is only visually hidden while stacked, and the stacked labels are `aria-hidden` (read once, as headers).
 * The first column is the row header.
 */
export function StackedTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
  rowCurrent,
  rowClassName,
  headClassName = "bg-slate-100 dark:bg-slate-900",
  cellPadding = "sm:px-3 sm:py-1",
  testId,
}: {
  /** Read by screen readers only (the section's heading says it on screen). */
  caption: string;
  columns: readonly StackedColumn<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string | number;
  /** The row marked `aria-current` (for instance the organizer's own choice). */
  rowCurrent?: (row: Row) => boolean;
  rowClassName?: (row: Row) => string | undefined;
  headClassName?: string;
  /** Cell padding from `sm` up, where it is a table. */
  cellPadding?: string;
  testId?: string;
}) {
  return (
    <table role="table" className="block w-full text-left text-sm sm:table" data-testid={testId}>
      <caption className="sr-only">{caption}</caption>
      <thead role="rowgroup" className={`sr-only sm:not-sr-only sm:table-header-group ${headClassName}`}>
        <tr role="row">
          {columns.map((column) => (
            <th key={column.key} role="columnheader" scope="col" className={`${cellPadding} sm:py-1.5 font-medium ${column.align === "right" ? "sm:text-right" : ""}`}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody role="rowgroup" className="block sm:table-row-group">
        {rows.map((row) => {
          const current = rowCurrent?.(row) ?? false;
          return (
            <tr
              key={rowKey(row)}
              role="row"
              aria-current={current ? "true" : undefined}
              className={`block border-t border-slate-100 px-2 py-2 sm:table-row sm:p-0 dark:border-slate-800 ${rowClassName?.(row) ?? ""}`}
            >
              {columns.map((column, index) => {
                const Cell = index === 0 ? "th" : "td";
                return (
                  <Cell
                    key={column.key}
                    role={index === 0 ? "rowheader" : "cell"}
                    scope={index === 0 ? "row" : undefined}
                    className={`flex items-baseline justify-between gap-3 py-0.5 text-left tabular-nums sm:table-cell ${cellPadding} ${
                      column.align === "right" ? "sm:text-right" : ""
                    }`}
                  >
                    <span aria-hidden className="shrink-0 text-xs font-normal text-slate-500 sm:hidden dark:text-slate-400">
                      {column.label ?? column.header}
                    </span>
                    <span className={`min-w-0 break-words text-right ${column.align === "right" ? "" : "sm:text-left"}`}>{column.cell(row)}</span>
                  </Cell>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

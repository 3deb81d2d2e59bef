"use client";

import { useId, useRef, useState, type DragEvent } from "react";
import { csvSizeProblem, MAX_CSV_BYTES, MAX_CSV_DATA_ROWS } from "../../lib/danku/csvLimits";
import { formatBytes } from "../../lib/ipfs/config";

/** Why `file` is refused before a byte of it is read (empty, or over the dataset size cap), or undefined. */
function fileProblem(file: File): string | undefined {
  if (file.size === 0) return "The file is empty. Choose a CSV file with a header row and data rows.";
  return csvSizeProblem(file.size, file.name);
}

/** File picker plus a drop zone for one CSV file; refuses oversized files before reading a byte. */
export function CsvDropzone({ onFile, disabled }: { onFile: (file: File) => void; disabled?: boolean }) {
  const inputId = useId();
  const hintId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [error, setError] = useState<string>();

  const accept = (file: File | undefined) => {
    if (!file) return;
    const problem = fileProblem(file);
    setError(problem);
    if (!problem) onFile(file);
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    if (disabled) return;
    const files = event.dataTransfer.files;
    if (files.length > 1) {
      setError("Drop a single CSV file.");
      return;
    }
    accept(files[0]);
  };

  return (
    <div className="space-y-2">
      <div
        data-testid="csv-dropzone"
        onDragOver={(event) => {
          event.preventDefault();
          if (!disabled) setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={`flex flex-col items-center justify-center gap-3 rounded-xl border-2 border-dashed px-6 py-10 text-center transition-colors ${
          dragging ? "border-indigo-500 bg-indigo-50 dark:bg-indigo-950/40" : "border-slate-300 dark:border-slate-700"
        }`}
      >
        <p className="text-sm text-slate-600 dark:text-slate-300">Drag a CSV file here, or</p>
        <label
          htmlFor={inputId}
          className="cursor-pointer rounded-lg bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 focus-within:ring-2 focus-within:ring-indigo-400"
        >
          Choose a CSV file
        </label>
        <input
          ref={input}
          id={inputId}
          type="file"
          accept=".csv,text/csv"
          aria-describedby={hintId}
          disabled={disabled}
          className="sr-only"
          onChange={(event) => {
            accept(event.target.files?.[0]);
            // Choosing the same file again after fixing it must fire another change event.
            event.target.value = "";
          }}
        />
        <p id={hintId} className="text-xs text-slate-500">
          A header row, one label column and numeric feature columns; up to {formatBytes(MAX_CSV_BYTES)} and{" "}
          {MAX_CSV_DATA_ROWS.toLocaleString("en-US")} rows. The file stays in your browser.
        </p>
      </div>
      {error && (
        <p role="alert" className="rounded-lg border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950/40 dark:text-red-200">
          {error}
        </p>
      )}
    </div>
  );
}

"use client";

import { useId, useRef, useState, type DragEvent } from "react";
import { csvSizeProblem, MAX_CSV_BYTES, MAX_CSV_DATA_ROWS } from "../../lib/danku/csvLimits";
import { DatasetError } from "../../lib/danku/dataset";
import { imageInputTooLargeMessage, MAX_IMAGE_INPUT_BYTES, packImageFiles } from "../../lib/danku/images";
import { formatBytes } from "../../lib/ipfs/config";
import { collectDroppedFiles, droppedEntries, pickedFromList, type PickedFile } from "../../lib/browser/droppedFiles";

/** Files that are parts of an image dataset (never a CSV dataset on their own): PNGs, gzipped or plain IDX files. */
function isImagePart(file: File): boolean {
  return /\.(png|gz|idx\d?-ubyte|idx|ubyte)$/i.test(file.name) || /-idx\d-ubyte$/i.test(file.name);
}

function isZipName(file: File): boolean {
  return /\.zip$/i.test(file.name) || file.type === "application/zip";
}

/** The name a packed selection goes by (it becomes the metadata's dataset name): the folder's, or the largest file's. */
function bundleName(picked: readonly PickedFile[]): string {
  const folders = new Set(picked.map((p) => p.path.split("/")[0]));
  const folder = picked.every((p) => p.path.includes("/")) && folders.size === 1 ? [...folders][0] : undefined;
  if (folder) return `${folder}.zip`;
  const files = picked.map((p) => p.file);
  const largest = files.reduce((a, b) => (b.size > a.size ? b : a));
  return `${largest.name.replace(/\.(gz|png)$/i, "")}${files.length > 1 ? ` and ${files.length - 1} more` : ""}.zip`;
}

/**
 * What the wizard keeps for a selection: a CSV or a .zip as it is, anything else (several files, a folder, an IDX
 * pair, a lone PNG) packed into one stored zip that the worker reads with lib/danku/images.ts. Throws the refusal.
 */
async function datasetFile(picked: readonly PickedFile[]): Promise<File> {
  const files = picked.map((p) => p.file);
  const [only] = files;
  if (files.length === 1 && only && !isImagePart(only)) {
    if (only.size === 0) throw new Error("The file is empty. Choose a CSV file with a header row and data rows, or an image dataset.");
    const problem = isZipName(only) ? (only.size > MAX_IMAGE_INPUT_BYTES ? imageInputTooLargeMessage(only.size, only.name) : undefined) : csvSizeProblem(only.size, only.name);
    if (problem) throw new Error(problem);
    return only;
  }
  const total = files.reduce((sum, f) => sum + f.size, 0);
  const name = bundleName(picked);
  if (total > MAX_IMAGE_INPUT_BYTES) throw new Error(imageInputTooLargeMessage(total, `The selection (${files.length} files)`));
  const parts = await Promise.all(picked.map(async (p) => ({ name: p.path, bytes: new Uint8Array(await p.file.arrayBuffer()) })));
  try {
    return new File([packImageFiles(parts) as Uint8Array<ArrayBuffer>], name, { type: "application/zip" });
  } catch (error) {
    if (error instanceof DatasetError) throw new Error(error.issues.map((i) => i.message).join("; "));
    throw error;
  }
}

/**
 * File picker, folder picker and drop zone for a dataset: one CSV, a .zip of PNGs with a labels CSV (or of an IDX
 * pair), several files (PNGs and their labels CSV, or the two IDX files as MNIST ships them) or a folder. Refuses
 * oversized input before reading a byte of it.
 */
export function DatasetDropzone({ onFile, disabled }: { onFile: (file: File) => void; disabled?: boolean }) {
  const inputId = useId();
  const hintId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [packing, setPacking] = useState(false);
  const [error, setError] = useState<string>();

  const accept = async (selection: FileList | null | undefined | Promise<PickedFile[]>) => {
    // "Reading…" shows while a dropped folder is walked and while several files are packed, not for one CSV.
    if (selection instanceof Promise) setPacking(true);
    try {
      const picked = selection instanceof Promise ? await selection : pickedFromList(selection ?? []);
      if (picked.length === 0) {
        if (selection instanceof Promise) throw new Error("The drop held no files (an empty folder?). Drop the dataset's folder, its files or a .zip.");
        return;
      }
      setPacking(picked.length > 1);
      const file = await datasetFile(picked);
      setError(undefined);
      onFile(file);
    } catch (problem) {
      setError(problem instanceof Error ? problem.message : String(problem));
    } finally {
      setPacking(false);
    }
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    if (disabled) return;
    // A dropped folder is one empty entry of dataTransfer.files: walk it through the entries API instead.
    const entries = droppedEntries(event.dataTransfer);
    void accept(entries && entries.some((e) => e.isDirectory) ? collectDroppedFiles(entries) : event.dataTransfer.files);
  };

  /** A folder picker made on demand, so the page keeps one file input (and the browser's folder dialog is optional). */
  const chooseFolder = () => {
    const picker = document.createElement("input");
    picker.type = "file";
    picker.webkitdirectory = true;
    picker.multiple = true;
    picker.addEventListener("change", () => void accept(picker.files));
    picker.click();
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
        <p className="text-sm text-slate-600 dark:text-slate-300">Drag a CSV file, a .zip, image files or a folder here, or</p>
        <div className="flex flex-wrap items-center justify-center gap-2">
          <label
            htmlFor={inputId}
            className="cursor-pointer rounded-lg bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 focus-within:ring-2 focus-within:ring-indigo-400"
          >
            Choose a CSV file or image files
          </label>
          <button
            type="button"
            onClick={chooseFolder}
            disabled={disabled}
            aria-describedby={hintId}
            className="rounded-lg border border-indigo-600 px-4 py-2 text-sm font-medium text-indigo-700 hover:bg-indigo-50 focus:outline-none focus:ring-2 focus:ring-indigo-400 dark:text-indigo-300 dark:hover:bg-indigo-950/40"
          >
            Choose a folder of PNGs
          </button>
        </div>
        <input
          ref={input}
          id={inputId}
          type="file"
          multiple
          aria-describedby={hintId}
          disabled={disabled}
          className="sr-only"
          onChange={(event) => {
            void accept(event.target.files);
            // Choosing the same file again after fixing it must fire another change event.
            event.target.value = "";
          }}
        />
        <p id={hintId} className="max-w-prose text-xs text-slate-500">
          A CSV with a header row, one label column and numeric feature columns (up to {formatBytes(MAX_CSV_BYTES)} and{" "}
          {MAX_CSV_DATA_ROWS.toLocaleString("en-US")} rows); or images: PNGs with a labels CSV (columns <code>file,label</code>) as a
          folder, several files or a .zip, or the two IDX files as MNIST ships them (.gz or not); up to {formatBytes(MAX_IMAGE_INPUT_BYTES)}.
          The files stay in your browser.
        </p>
      </div>
      {packing && <p role="status" className="text-sm text-slate-600 dark:text-slate-300">Reading the selected files…</p>}
      {error && (
        <p role="alert" className="rounded-lg border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950/40 dark:text-red-200">
          {error}
        </p>
      )}
    </div>
  );
}

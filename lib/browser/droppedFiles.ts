/**
 * Files of a drag-and-drop, folders included. `DataTransfer.files` lists a dropped folder as one empty entry, so a
 * folder of PNGs dropped on the wizard read as nothing; the File and Directory Entries API
 * (`DataTransferItem.webkitGetAsEntry`) walks it instead. Each file keeps its path inside the drop ("set/x/a.png"),
 * which the labels CSV's rows are matched against, as a folder chosen with the folder picker does
 * (`webkitRelativePath`).
 *
 * The entries must be taken from the drop event synchronously ({@link droppedEntries}); the walk itself is
 * asynchronous. The types below are the parts of the DOM's FileSystemEntry this module uses, so the walk runs on any
 * object of that shape.
 */

/** A file with the path it has inside the selection (no leading slash). */
export interface PickedFile {
  readonly file: File;
  readonly path: string;
}

export interface DroppedFileEntry {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly name: string;
  readonly fullPath: string;
  file?(success: (file: File) => void, failure?: (error: DOMException) => void): void;
  createReader?(): DroppedDirectoryReader;
}

export interface DroppedDirectoryReader {
  readEntries(success: (entries: DroppedFileEntry[]) => void, failure?: (error: DOMException) => void): void;
}

/** The most files one drop may hold: a walk over a whole disk by mistake stops with an error, not a frozen tab. */
export const MAX_DROPPED_FILES = 100_000;

/**
 * The drop's top-level entries, or null when the browser has no entries API (then `dataTransfer.files` is all
 * there is). Call it inside the drop handler: the items are emptied when the handler returns.
 */
export function droppedEntries(transfer: DataTransfer): DroppedFileEntry[] | null {
  const items = Array.from(transfer.items).filter((item) => item.kind === "file");
  if (items.length === 0 || typeof items[0]?.webkitGetAsEntry !== "function") return null;
  const entries: DroppedFileEntry[] = [];
  for (const item of items) {
    const entry = item.webkitGetAsEntry();
    if (entry) entries.push(entry as DroppedFileEntry);
  }
  return entries;
}

function readFile(entry: DroppedFileEntry): Promise<File> {
  return new Promise((resolve, reject) => {
    if (!entry.file) {
      reject(new Error(`${entry.fullPath} cannot be read as a file`));
      return;
    }
    entry.file(resolve, (error) => reject(new Error(`${entry.fullPath} could not be read (${error.message}); drop it again`)));
  });
}

/** Every entry of a directory: `readEntries` returns them in batches (Chromium: 100) until an empty one. */
async function readAllEntries(directory: DroppedFileEntry): Promise<DroppedFileEntry[]> {
  const reader = directory.createReader?.();
  if (!reader) return [];
  const all: DroppedFileEntry[] = [];
  for (;;) {
    const batch = await new Promise<DroppedFileEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, (error) => reject(new Error(`the folder ${directory.fullPath} could not be read (${error.message}); drop it again`))),
    );
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/**
 * The files under `entries`, depth first in name order (so a drop gives the same order on every run), each with
 * its path inside the drop. Hidden files (".DS_Store", "._a.png") are left out, as the zip reader leaves them out.
 */
export async function collectDroppedFiles(entries: readonly DroppedFileEntry[]): Promise<PickedFile[]> {
  const picked: PickedFile[] = [];
  const visit = async (entry: DroppedFileEntry): Promise<void> => {
    if (entry.name.startsWith(".")) return;
    if (entry.isDirectory) {
      const children = await readAllEntries(entry);
      children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const child of children) await visit(child);
      return;
    }
    if (!entry.isFile) return;
    if (picked.length >= MAX_DROPPED_FILES) {
      throw new Error(`the drop holds more than ${MAX_DROPPED_FILES.toLocaleString("en-US")} files; drop only the dataset's folder`);
    }
    picked.push({ file: await readFile(entry), path: entry.fullPath.replace(/^\/+/, "") });
  };
  for (const entry of entries) await visit(entry);
  return picked;
}

/** A picker's or a plain drop's files with their paths (`webkitRelativePath` for a folder picker, else the name). */
export function pickedFromList(files: Iterable<File>): PickedFile[] {
  // `webkitRelativePath` is "" outside a folder pick, and missing where File lacks it (Node, older browsers).
  return Array.from(files, (file) => ({ file, path: file.webkitRelativePath ? file.webkitRelativePath : file.name }));
}

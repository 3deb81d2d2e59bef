/**
 * A small promise wrapper around IndexedDB for the organizer's browser state. IndexedDB (not localStorage) because
 * a secrets file holds every data group's points and can be megabytes, and because writes are transactional: a
 * reload in the middle of a step never leaves half a record behind.
 */

export const ORGANIZER_DB_NAME = "modelbounty-organizer";
// 2 added the submitters' store; upgrades only create what is missing, so nothing stored before is touched.
const DB_VERSION = 2;

/** Object stores and their key paths. */
export const STORES = {
  /** Organizer secrets files, keyed by `<chainId>:<competition>` or `draft:<draftId>`. */
  secrets: "key",
  /** Competition wizard drafts, keyed by draft id. */
  drafts: "id",
  /** Submitters' submission files (salt and model), keyed by `<chainId>:<competition>:<salt>`. */
  submissions: "key",
} as const;
export type StoreName = keyof typeof STORES;

export class BrowserStorageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BrowserStorageError";
  }
}

let opening: Promise<IDBDatabase> | undefined;

function openDatabase(): Promise<IDBDatabase> {
  if (typeof indexedDB === "undefined") {
    return Promise.reject(
      new BrowserStorageError("This browser offers no IndexedDB storage (private mode?), so secrets cannot be kept between visits."),
    );
  }
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(ORGANIZER_DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      for (const [name, keyPath] of Object.entries(STORES)) {
        if (!db.objectStoreNames.contains(name)) db.createObjectStore(name, { keyPath });
      }
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab upgrading the schema: let it, and reopen on the next call.
      db.onversionchange = () => {
        db.close();
        opening = undefined;
      };
      resolve(db);
    };
    request.onerror = () => {
      opening = undefined;
      reject(new BrowserStorageError(`The browser refused to open its storage: ${request.error?.message ?? "unknown error"}`));
    };
    request.onblocked = () => {
      opening = undefined;
      reject(new BrowserStorageError("The browser storage is busy in another tab of this app; close it and try again."));
    };
  });
  return opening;
}

function settle<T>(request: IDBRequest<T>, transaction: IDBTransaction): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    // Resolve on commit, not on request success, so a value is only reported saved once it is durable.
    transaction.oncomplete = () => resolve(request.result);
    const fail = () =>
      reject(new BrowserStorageError(`Saving to browser storage failed: ${transaction.error?.message ?? request.error?.message ?? "unknown error"}`));
    transaction.onerror = fail;
    transaction.onabort = fail;
  });
}

export async function idbGet<T>(store: StoreName, key: string): Promise<T | undefined> {
  const db = await openDatabase();
  const transaction = db.transaction(store, "readonly");
  return (await settle(transaction.objectStore(store).get(key), transaction)) as T | undefined;
}

export async function idbGetAll<T>(store: StoreName): Promise<T[]> {
  const db = await openDatabase();
  const transaction = db.transaction(store, "readonly");
  return (await settle(transaction.objectStore(store).getAll(), transaction)) as T[];
}

export async function idbPut<T>(store: StoreName, value: T): Promise<void> {
  const db = await openDatabase();
  const transaction = db.transaction(store, "readwrite");
  await settle(transaction.objectStore(store).put(value), transaction);
}

export async function idbDelete(store: StoreName, key: string): Promise<void> {
  const db = await openDatabase();
  const transaction = db.transaction(store, "readwrite");
  await settle(transaction.objectStore(store).delete(key), transaction);
}

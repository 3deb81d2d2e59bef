/**
 * The page side of a Web Worker that answers requests: one worker per client, started on first use; every request
 * gets an id and a handler that sees each reply carrying that id (progress, a result, an error) until it settles. A
 * crashed worker rejects everything pending with a readable message and is replaced on the next request.
 */

export interface Settle<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

type Handler<Message> = { handle: (message: Message) => void; reject: (error: Error) => void };

export class WorkerRequests<Message extends { readonly id: number }> {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Handler<Message>>();

  /**
   * @param create starts the worker; keep the literal `new Worker(new URL("…", import.meta.url))` in the caller's
   *   module, which is the form the bundler recognizes and bundles.
   * @param name how people call this worker in messages ("The scoring worker …").
   * @param toError the client's error class, for failures of the worker itself.
   */
  constructor(
    private readonly create: () => Worker,
    private readonly name: string,
    private readonly toError: (message: string) => Error,
  ) {}

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.create();
    worker.onmessage = (event: MessageEvent<Message>) => this.pending.get(event.data.id)?.handle(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.failAll(`${this.name} stopped: ${event.message || "unknown error"}`);
    };
    worker.onmessageerror = () => this.failAll(`${this.name} sent a message the page could not read.`);
    this.worker = worker;
    return worker;
  }

  /**
   * Posts `body` with a fresh id; `handle` receives every reply to it and settles the promise (after which it hears
   * nothing more). `onSent` gets the id, e.g. to post a cancel for it later.
   */
  request<T>(body: object, handle: (message: Message, settle: Settle<T>) => void, onSent?: (id: number, worker: Worker) => void): Promise<T> {
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise<T>((resolve, reject) => {
      const done = () => this.pending.delete(id);
      const settle: Settle<T> = {
        resolve: (value) => {
          done();
          resolve(value);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      };
      this.pending.set(id, { handle: (message) => handle(message, settle), reject: settle.reject });
      worker.postMessage({ ...body, id });
      onSent?.(id, worker);
    });
  }

  /** Stops the worker; pending requests are rejected with `message`. */
  dispose(message: string): void {
    this.failAll(message);
  }

  private failAll(message: string): void {
    this.worker?.terminate();
    this.worker = undefined;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(this.toError(message));
  }
}

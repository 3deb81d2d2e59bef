/**
 * `Promise.withResolvers` for Node 20 (server only). libp2p 3 and its stream helpers call it (it arrived in Node 22);
 * Node 20 lacks it, and every inbound connection then fails with "Promise.withResolvers is not a function". It is
 * the only Node 22 API the app's libp2p stack needs. Installed once, before the IPFS node starts; a runtime that
 * has it keeps its own.
 */
interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

type PromiseWithResolversConstructor = PromiseConstructor & { withResolvers?: <T>() => Resolvers<T> };

export function installPromiseWithResolvers(): void {
  const constructor = Promise as PromiseWithResolversConstructor;
  if (typeof constructor.withResolvers === "function") return;
  Object.defineProperty(Promise, "withResolvers", {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(): Resolvers<T> {
      let resolve: Resolvers<T>["resolve"] = () => undefined;
      let reject: Resolvers<T>["reject"] = () => undefined;
      const promise = new Promise<T>((onResolve, onReject) => {
        resolve = onResolve;
        reject = onReject;
      });
      return { promise, resolve, reject };
    },
  });
}

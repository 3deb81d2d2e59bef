/** Read failures (the RPC is down, a contract is missing) as a title and a sentence for the error states. */
import { BaseError, ContractFunctionZeroDataError, HttpRequestError, TimeoutError, RpcRequestError } from "viem";

export interface DescribedReadError {
  kind: "unreachable" | "missing-contract" | "other";
  title: string;
  body: string;
  detail?: string;
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}

export function describeReadError(error: unknown, rpcUrl: string): DescribedReadError {
  if (error instanceof BaseError) {
    if (error.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError)) {
      return {
        kind: "unreachable",
        title: "Can't reach the blockchain node",
        body: `ModelBounty reads competitions straight from the chain, through the JSON-RPC endpoint ${rpcUrl}, and it is not answering. Check that the node is running (npm run dev starts one) and try again.`,
      };
    }
    if (error.walk((e) => e instanceof ContractFunctionZeroDataError)) {
      return {
        kind: "missing-contract",
        title: "The contract is not on this chain",
        body: "The chain answered, but there is no contract code at the configured address. The local chain may have been restarted without redeploying; redeploy (npm run deploy:local) or check MODELBOUNTY_FACTORY.",
        detail: firstLine(error.shortMessage),
      };
    }
    if (error.walk((e) => e instanceof RpcRequestError)) {
      return { kind: "other", title: "The blockchain node refused a request", body: `The node at ${rpcUrl} answered with an error.`, detail: firstLine(error.shortMessage) };
    }
    return { kind: "other", title: "Reading the chain failed", body: `Something went wrong while reading from ${rpcUrl}.`, detail: firstLine(error.shortMessage) };
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/fetch|network|ECONNREFUSED/i.test(message)) {
    return {
      kind: "unreachable",
      title: "Can't reach the blockchain node",
      body: `ModelBounty reads competitions straight from the chain, through the JSON-RPC endpoint ${rpcUrl}, and it is not answering. Check that the node is running and try again.`,
    };
  }
  return { kind: "other", title: "Reading the chain failed", body: `Something went wrong while reading from ${rpcUrl}.`, detail: firstLine(message) };
}

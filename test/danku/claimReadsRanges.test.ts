/**
 * lib/chain/claims.ts reads claim-mode calldata through logs scanned in block ranges, so a public RPC that limits
 * eth_getLogs' span (here: a client over the in-process node that refuses any span over LIMIT blocks, as such RPCs
 * do) still serves the model bytes and the test reveal calls, and the unlimited scan refuses it (the test can fail).
 */
import { expect } from "chai";
import { createPublicClient, custom, hexToBigInt, hexToBytes, type Hex, type PublicClient } from "viem";
import { deployEnv, mineTo, type Env } from "./fixtures";
import { toEvaluation } from "./claimFixtures";
import { readClaimModeModelBytes, readClaimModeRevealCalls } from "../../lib/chain/claims";

const LIMIT = 5n;

function rangeLimited(env: Env): { client: PublicClient; spans: bigint[] } {
  const spans: bigint[] = [];
  const client = createPublicClient({
    transport: custom({
      async request({ method, params }: { method: string; params?: unknown }) {
        if (method === "eth_getLogs") {
          const [filter] = params as [{ fromBlock?: Hex; toBlock?: Hex }];
          const head = await env.publicClient.getBlockNumber();
          const from = filter.fromBlock && filter.fromBlock.startsWith("0x") ? hexToBigInt(filter.fromBlock) : 0n;
          const to = filter.toBlock && filter.toBlock.startsWith("0x") ? hexToBigInt(filter.toBlock) : head;
          spans.push(to - from + 1n);
          if (to - from + 1n > LIMIT) throw new Error(`query exceeds max block range ${LIMIT}`);
        }
        return env.publicClient.request({ method, params } as never);
      },
    }),
  }) as unknown as PublicClient;
  return { client, spans };
}

describe("claim-mode calldata reads in block ranges (lib/chain/claims.ts)", function () {
  let env: Env;
  before(async function () {
    env = await deployEnv();
  });

  it("reads the model bytes and the test reveal calls through an RPC that limits getLogs to a few blocks", async function () {
    const r = await toEvaluation(env);
    await mineTo(env, (await env.publicClient.getBlockNumber()) + 3n);
    const head = await env.publicClient.getBlockNumber();
    expect(head - r.created.init1Block > 4n * LIMIT, "the competition spans many times the limit").to.equal(true);
    const { client, spans } = rangeLimited(env);
    const address = r.created.address;
    const featureCount = r.created.config.featureCount;

    // One unlimited scan from the creation block is refused by such an RPC.
    let refused: unknown;
    try {
      await readClaimModeRevealCalls(client, address, featureCount);
    } catch (error) {
      refused = error;
    }
    expect(String(refused)).to.match(/exceeds max block range/);

    spans.length = 0;
    const calls = await readClaimModeRevealCalls(client, address, featureCount, { blockRange: LIMIT });
    expect(calls.map((c) => c.points)).to.deep.equal(r.callPoints);
    expect(spans.length).to.be.greaterThan(1);
    expect(spans.every((s) => s <= LIMIT)).to.equal(true);

    spans.length = 0;
    for (const [id, bytes] of r.models) {
      expect(await readClaimModeModelBytes(client, address, Number(id), { blockRange: LIMIT })).to.deep.equal(hexToBytes(bytes));
    }
    expect(spans.every((s) => s <= LIMIT)).to.equal(true);
  });
});

/** lib/web/listing: incremental scans resume after the last block, and a chain that went backwards is rescanned. */
import { expect } from "chai";
import type { PublicClient } from "viem";
import { refreshListing, type ListingSource } from "../../lib/web/listing";

function chainAt(block: bigint): PublicClient {
  return { getBlockNumber: () => Promise.resolve(block) } as unknown as PublicClient;
}

describe("lib/web/listing (incremental listing scans)", () => {
  const scans: [bigint, bigint][] = [];
  const source: ListingSource<string, string> = {
    firstBlock: 5n,
    list: (from, to) => {
      scans.push([from, to]);
      return Promise.resolve([`created ${from}-${to}`]);
    },
    summarize: (listed, blockNumber) => Promise.resolve({ summaries: listed.map((l) => `${l} @${blockNumber}`), failed: [] }),
  };

  it("scans from the factory's block, then only the new blocks, and re-reads every item at the latest block", async () => {
    const first = await refreshListing(chainAt(10n), source);
    expect(first).to.deep.equal({ listed: ["created 5-10"], summaries: ["created 5-10 @10"], failed: [], blockNumber: 10n });
    const second = await refreshListing(chainAt(12n), source, first);
    expect(second.listed).to.deep.equal(["created 5-10", "created 11-12"]);
    expect(second.summaries).to.deep.equal(["created 5-10 @12", "created 11-12 @12"]);
    const same = await refreshListing(chainAt(12n), source, second);
    expect(same.listed).to.deep.equal(second.listed);
    expect(scans).to.deep.equal([
      [5n, 10n],
      [11n, 12n],
    ]);
  });

  it("rescans from the start when the chain is behind the last scan (a reset node or a reverted snapshot)", async () => {
    const ahead = { listed: ["gone"], summaries: ["gone"], failed: [], blockNumber: 50n };
    const rescanned = await refreshListing(chainAt(8n), source, ahead);
    expect(rescanned.listed).to.deep.equal(["created 5-8"]);
  });
});

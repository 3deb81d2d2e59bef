/** lib/web/listing: incremental scans resume after the last block, and a chain that no longer holds it is rescanned. */
import { expect } from "chai";
import type { Hash, PublicClient } from "viem";
import { refreshListing, type ListingSource } from "../../lib/web/listing";

/** A chain of `height` blocks whose hashes carry a fork tag, so a reverted and re-mined chain has other hashes. */
function chain(height: bigint, fork = "a"): PublicClient & { blockReads: number } {
  const hashOf = (n: bigint) => `0x${fork}${n.toString(16).padStart(63, "0")}` as Hash;
  const client = {
    blockReads: 0,
    getBlock: ({ blockTag, blockNumber }: { blockTag?: string; blockNumber?: bigint }) => {
      client.blockReads++;
      const n = blockTag === "latest" ? height : (blockNumber ?? height);
      if (n > height) return Promise.reject(new Error(`no block ${n}`));
      return Promise.resolve({ number: n, hash: hashOf(n) });
    },
  };
  return client as unknown as PublicClient & { blockReads: number };
}

describe("lib/web/listing (incremental listing scans)", () => {
  const scans: [bigint, bigint][] = [];
  let summarized = 0;
  const source: ListingSource<string, string> = {
    firstBlock: 5n,
    list: (from, to) => {
      scans.push([from, to]);
      return Promise.resolve([`created ${from}-${to}`]);
    },
    summarize: (listed, blockNumber) => {
      summarized++;
      return Promise.resolve({ summaries: listed.map((l) => `${l} @${blockNumber}`), failed: [] });
    },
  };
  beforeEach(() => {
    scans.length = 0;
    summarized = 0;
  });

  it("scans from the factory's block, then only the new blocks, and re-reads every item at the latest block", async () => {
    const first = await refreshListing(chain(10n), source);
    expect(first.listed).to.deep.equal(["created 5-10"]);
    expect(first.summaries).to.deep.equal(["created 5-10 @10"]);
    expect(first.blockNumber).to.equal(10n);
    const second = await refreshListing(chain(12n), source, first);
    expect(second.listed).to.deep.equal(["created 5-10", "created 11-12"]);
    expect(second.summaries).to.deep.equal(["created 5-10 @12", "created 11-12 @12"]);
    expect(scans).to.deep.equal([
      [5n, 10n],
      [11n, 12n],
    ]);
  });

  it("returns the previous listing untouched when the chain is still at its block", async () => {
    const first = await refreshListing(chain(10n), source);
    const client = chain(10n);
    const same = await refreshListing(client, source, first);
    expect(same).to.equal(first);
    expect(summarized).to.equal(1);
    expect(client.blockReads).to.equal(1);
  });

  it("rescans from the start when the chain is behind the last scan (a reset node or a reverted snapshot)", async () => {
    const ahead = await refreshListing(chain(50n), source);
    const rescanned = await refreshListing(chain(8n), source, ahead);
    expect(rescanned.listed).to.deep.equal(["created 5-8"]);
  });

  it("rescans from the start when the chain is as long or longer but no longer holds the last scan's block", async () => {
    const old = await refreshListing(chain(10n, "a"), source);
    const sameHeight = await refreshListing(chain(10n, "b"), source, old);
    expect(sameHeight.listed).to.deep.equal(["created 5-10"]);
    const longer = await refreshListing(chain(14n, "c"), source, old);
    expect(longer.listed).to.deep.equal(["created 5-14"]);
    expect(scans).to.deep.equal([
      [5n, 10n],
      [5n, 10n],
      [5n, 14n],
    ]);
  });
});

/**
 * lib/chain/blockTime: the "time left" block-time estimate stays put on a chain that mines in bursts (issue 12 §5:
 * "Time left swung from '≈ 7 h 13 min' to '≈ 14 d 23 h' for the same deadline"). Pure sequences of block headers,
 * and the real observer on the in-process Hardhat chain shaped as a local chain is (a burst of one-second blocks,
 * an hour with nothing, a few more blocks).
 */
import hre from "hardhat";
import { expect } from "chai";
import { toHex, type Hex, type PublicClient } from "viem";
import { BLOCK_TIME_WINDOW, estimateBlockTime, observeBlockTime, type BlockStamp } from "../../lib/chain/blockTime";
import { formatDuration } from "../../lib/web/format";

/** Headers from a start block/time and the seconds between consecutive blocks. */
function chainOf(gaps: readonly number[], start = { number: 1_000n, timestamp: 1_700_000_000n }): BlockStamp[] {
  const blocks: BlockStamp[] = [{ ...start }];
  for (const gap of gaps) {
    const last = blocks[blocks.length - 1] as BlockStamp;
    blocks.push({ number: last.number + 1n, timestamp: last.timestamp + BigInt(gap) });
  }
  return blocks;
}

const repeat = (value: number, times: number): number[] => Array.from({ length: times }, () => value);

/** The estimator this module replaced: the average over the last `span` blocks. */
function windowAverage(blocks: readonly BlockStamp[], span: number): number {
  const latest = blocks[blocks.length - 1] as BlockStamp;
  const earlier = blocks[Math.max(0, blocks.length - 1 - span)] as BlockStamp;
  return Number(latest.timestamp - earlier.timestamp) / Number(latest.number - earlier.number);
}

/** The last `window` headers, as observeBlockTime reads them. */
const tail = (blocks: readonly BlockStamp[], window = BLOCK_TIME_WINDOW) => blocks.slice(-window);

describe("lib/chain/blockTime estimateBlockTime", () => {
  it("a local chain's burst then an hour's gap: the estimate stays at the burst's pace where the old average swung ×30", () => {
    // 200 blocks one second apart (Hardhat gives each block at least its parent's second + 1), an hour with no
    // transaction, then 5 blocks: the same deadline, read before and after the gap entered the window.
    const before = chainOf(repeat(1, 200));
    const after = chainOf([...repeat(1, 200), 3_600, ...repeat(1, 5)]);
    const blocksLeft = 26_000;
    const oldBefore = windowAverage(before, 100);
    const oldAfter = windowAverage(after, 100);
    expect(oldAfter / oldBefore, `old: ${formatDuration(blocksLeft * oldBefore)} → ${formatDuration(blocksLeft * oldAfter)}`).to.be.greaterThan(30);
    const newBefore = estimateBlockTime(tail(before));
    const newAfter = estimateBlockTime(tail(after));
    expect(newBefore).to.equal(1);
    expect(newAfter).to.equal(1);
    // Every window sliding over the gap gives the same estimate.
    for (let end = 190; end <= after.length; end++) expect(estimateBlockTime(tail(after.slice(0, end)))).to.equal(1);
  });

  it("many blocks in one second then an hour's gap (a chain that allows equal timestamps): no swing, and a floor", () => {
    // 60 blocks sharing second t, 60 sharing t + 1, a gap of an hour, 10 more in one second.
    const blocks = chainOf([...repeat(0, 59), 1, ...repeat(0, 59), 3_600, ...repeat(0, 10)]);
    const estimates = new Set<number | null>();
    for (let end = 40; end <= blocks.length; end++) estimates.add(estimateBlockTime(tail(blocks.slice(0, end))));
    for (const e of estimates) expect(e).to.be.a("number").that.is.at.least(0.1).and.at.most(0.2);
    expect(windowAverage(blocks, 100)).to.be.greaterThan(30);
  });

  it("a 12 s chain with jitter and missed slots reads 12 s", () => {
    const gaps = Array.from({ length: 40 }, (_, i) => (i % 9 === 4 ? 24 : i % 7 === 3 ? 13 : 12));
    expect(estimateBlockTime(tail(chainOf(gaps)))).to.equal(12);
    // Sparse samples (every 10th block) give the same answer.
    const every10th = chainOf(repeat(12, 400)).filter((b) => b.number % 10n === 0n);
    expect(estimateBlockTime(every10th)).to.equal(12);
  });

  it("a 2 s interval-mined chain with transactions in between reads about 2 s", () => {
    // Interval blocks every 2 s, a transaction block in between now and then (timestamp + 1).
    const gaps = Array.from({ length: 40 }, (_, i) => (i % 5 === 0 ? 1 : 2));
    expect(estimateBlockTime(tail(chainOf(gaps)))).to.equal(2);
  });

  it("a sub-second chain (most timestamps repeat) reads its real pace from the mean, without its gaps", () => {
    // 4 blocks per second: intervals 0, 0, 0, 1 …, and one 30 s stall.
    const gaps = [...Array.from({ length: 40 }, (_, i) => (i % 4 === 3 ? 1 : 0)), 30, ...repeat(0, 3), 1];
    const estimate = estimateBlockTime(tail(chainOf(gaps)));
    expect(estimate).to.be.closeTo(0.25, 0.02);
  });

  it("gives no estimate (the caller falls back) with too few blocks, no rhythm, or a stale head", () => {
    expect(estimateBlockTime([])).to.equal(null);
    expect(estimateBlockTime(chainOf([12, 12]))).to.equal(null);
    // A chain that mines once an hour on demand has no block time to speak of.
    expect(estimateBlockTime(chainOf(repeat(3_600, 40)))).to.equal(null);
    // One-second blocks whose latest is an hour old: the chain mines on demand, its last burst says nothing.
    const burst = chainOf(repeat(1, 40));
    const latest = Number((burst[burst.length - 1] as BlockStamp).timestamp);
    expect(estimateBlockTime(burst, { nowSeconds: latest + 3_600 })).to.equal(null);
    expect(estimateBlockTime(burst, { nowSeconds: latest + 5 })).to.equal(1);
    // A chain ahead of the wall clock (Hardhat after hardhat_mine) is not stale.
    expect(estimateBlockTime(burst, { nowSeconds: latest - 5_000 })).to.equal(1);
    // A 12 s chain is stale only after 240 s (20 blocks' worth) without a block.
    const slow = chainOf(repeat(12, 40));
    const head = Number((slow[slow.length - 1] as BlockStamp).timestamp);
    expect(estimateBlockTime(slow, { nowSeconds: head + 200 })).to.equal(12);
    expect(estimateBlockTime(slow, { nowSeconds: head + 300 })).to.equal(null);
  });

  it("ignores repeated headers and timestamps that go backwards, in any order", () => {
    const blocks = chainOf(repeat(12, 20));
    const shuffled = [...blocks].reverse();
    shuffled.push(blocks[3] as BlockStamp, { number: 1_021n, timestamp: 1_600_000_000n });
    expect(estimateBlockTime(shuffled)).to.equal(12);
  });
});

describe("lib/chain/blockTime observeBlockTime (in-process Hardhat chain)", function () {
  const provider = hre.network.provider;
  let client: PublicClient;
  let snapshot: Hex;

  before(async () => {
    client = (await hre.viem.getPublicClient()) as unknown as PublicClient;
    snapshot = (await provider.request({ method: "evm_snapshot" })) as Hex;
  });
  after(async () => {
    await provider.request({ method: "evm_revert", params: [snapshot] });
  });

  it("reads the same block time before and after an hour's gap on a bursty local chain", async () => {
    // A seed script's burst: 150 blocks one second apart.
    await provider.request({ method: "hardhat_mine", params: [toHex(150), toHex(1)] });
    const before = await observeBlockTime(client);
    // An hour with no transaction, then a few.
    await provider.request({ method: "evm_increaseTime", params: [3_600] });
    await provider.request({ method: "evm_mine", params: [] });
    await provider.request({ method: "hardhat_mine", params: [toHex(5), toHex(1)] });
    const after = await observeBlockTime(client);
    expect(before).to.equal(1);
    expect(after).to.equal(1);
  });

  it("gives no estimate for a chain whose latest block is long past (it mines on demand)", async () => {
    const latest = await client.getBlock({ blockTag: "latest" });
    expect(await observeBlockTime(client, { nowSeconds: Number(latest.timestamp) + 7_200 })).to.equal(null);
  });
});

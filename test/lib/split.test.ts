import { expect } from "chai";
import { concat, keccak256, numberToHex, pad, toHex, type Address, type Hex } from "viem";
import { selectTrainingGroups, selectTrainingGroupsFromSeed, splitSeed, trainingBitmap } from "../../lib/danku/split";

const competition: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const blockHash = keccak256(toHex("block")) as Hex;
const hashes = (g: number) => Array.from({ length: g }, (_, i) => keccak256(toHex(`group ${i}`)));

/**
 * The split of docs/protocol.md §3 built from raw bytes (abi.encode of static types is 32-byte words), independent of
 * viem's ABI encoder that the library uses.
 */
function referenceSplit(block: Hex, address: Address, groupHashes: Hex[], nTrain: number): { seed: Hex; training: number[] } {
  const digest = keccak256(concat(groupHashes));
  const seed = keccak256(concat([block, pad(address.toLowerCase() as Hex, { size: 32 }), digest]));
  const order = groupHashes.map((_, g) => g);
  for (let t = 0; t < nTrain; t++) {
    const r = BigInt(keccak256(concat([seed, numberToHex(t, { size: 32 })]))) % BigInt(groupHashes.length - t);
    const j = t + Number(r);
    [order[t], order[j]] = [order[j]!, order[t]!];
  }
  return { seed, training: order.slice(0, nTrain) };
}

describe("lib/danku/split", () => {
  it("matches a byte-level reference implementation of seed and selection", () => {
    for (const [g, bps, n] of [
      [10, 8000, 8],
      [7, 5000, 3],
      [2, 5000, 1],
      [300, 1000, 30],
    ] as const) {
      const groupHashes = hashes(g);
      const result = selectTrainingGroups({ blockHash, competition, groupHashes, trainingBps: bps });
      const reference = referenceSplit(blockHash, competition, groupHashes, n);
      expect(result.seed).to.equal(reference.seed);
      expect(result.training).to.deep.equal(reference.training);
      expect(splitSeed({ blockHash, competition, groupHashes })).to.equal(reference.seed);
    }
  });

  it("returns training in selection order, test ascending, and a consistent isTraining", () => {
    const result = selectTrainingGroups({ blockHash, competition, groupHashes: hashes(25), trainingBps: 8000 });
    expect(result.training).to.have.length(20);
    expect(result.test).to.have.length(5);
    expect(result.test).to.deep.equal([...result.test].sort((a, b) => a - b));
    expect([...result.training, ...result.test].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 25 }, (_, i) => i));
    result.isTraining.forEach((train, g) => expect(train).to.equal(result.training.includes(g)));
    // Selection order is generally not sorted; it is what the swaps produced.
    expect(result.training).not.to.deep.equal([...result.training].sort((a, b) => a - b));
  });

  it("depends on the block hash, the competition address and every group hash", () => {
    const groupHashes = hashes(30);
    const base = selectTrainingGroups({ blockHash, competition, groupHashes, trainingBps: 5000 });
    const otherBlock = selectTrainingGroups({ blockHash: keccak256(toHex("other")), competition, groupHashes, trainingBps: 5000 });
    const otherAddress = selectTrainingGroups({
      blockHash,
      competition: "0x0000000000000000000000000000000000000001",
      groupHashes,
      trainingBps: 5000,
    });
    const swapped = [groupHashes[1]!, groupHashes[0]!, ...groupHashes.slice(2)];
    const otherOrder = selectTrainingGroups({ blockHash, competition, groupHashes: swapped, trainingBps: 5000 });
    for (const other of [otherBlock, otherAddress, otherOrder]) expect(other.seed).not.to.equal(base.seed);
    expect(selectTrainingGroups({ blockHash, competition, groupHashes, trainingBps: 5000 })).to.deep.equal(base);
  });

  it("chooses each test set about equally often over many seeds", () => {
    // G = 5 at 80 %: one test group, each should be chosen with probability 1/5.
    const counts = new Array<number>(5).fill(0);
    const trials = 3000;
    for (let i = 0; i < trials; i++) {
      const { test } = selectTrainingGroupsFromSeed(keccak256(numberToHex(i, { size: 32 })), 5, 8000);
      counts[test[0]!]!++;
    }
    const expected = trials / 5;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).to.be.lessThan(18.5); // 4 degrees of freedom, 0.1 % critical value
  });

  it("rejects malformed inputs", () => {
    expect(() => splitSeed({ blockHash: "0x1234", competition, groupHashes: hashes(3) })).to.throw(RangeError, /block hash/);
    expect(() => splitSeed({ blockHash, competition, groupHashes: ["0x12"] })).to.throw(RangeError, /group hash 0/);
    expect(() => splitSeed({ blockHash, competition: "0x1234" as Address, groupHashes: hashes(2) })).to.throw();
    expect(() => selectTrainingGroups({ blockHash, competition, groupHashes: hashes(5), trainingBps: 1000 })).to.throw(RangeError);
    expect(() => selectTrainingGroups({ blockHash, competition, groupHashes: hashes(1), trainingBps: 5000 })).to.throw(RangeError);
  });

  it("packs the training flags into 256-bit words like the contract", () => {
    const flags = new Array<boolean>(300).fill(false);
    flags[0] = true;
    flags[255] = true;
    flags[256] = true;
    flags[299] = true;
    expect(trainingBitmap(flags)).to.deep.equal([1n | (1n << 255n), 1n | (1n << 43n)]);
    expect(trainingBitmap([])).to.deep.equal([]);
  });
});

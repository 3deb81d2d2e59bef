import { expect } from "chai";
import {
  EVALUATION_PERIOD_FACTOR,
  EVALUATION_TX_GAS,
  MAX_EVALUATION_GAS_PER_POINT,
  MAX_EVALUATION_SETUP_GAS,
  MAX_GROUPS,
  MIN_PERIOD,
} from "../../lib/danku/constants";
import { decodePoints, encodePoints, groupHash, type DataPoint } from "../../lib/danku/encoding";
import {
  WORST_CASE_POINTS_PER_EVALUATION_TX,
  buildDataGroups,
  groupPointCounts,
  groupSizes,
  minimumEvaluationPeriod,
  requiredEvaluationBlocks,
  trainingGroupCount,
} from "../../lib/danku/groups";
import { UniformIntSource, cryptoRandomBytes, randomBytes32, shuffleInPlace } from "../../lib/danku/random";
import { seededRandom } from "./helpers";

function points(n: number): DataPoint[] {
  // Feature bytes identify the point (index split over two bytes) so every point is distinct.
  return Array.from({ length: n }, (_, i) => ({ features: Uint8Array.from([i & 255, i >> 8, 7]), label: i % 3 }));
}

const key = (p: DataPoint) => `${Array.from(p.features).join(".")}:${p.label}`;

describe("lib/danku/groups", () => {
  describe("buildDataGroups", () => {
    it("splits every point into near-equal groups, the first N mod G one larger, dropping none", () => {
      const input = points(23);
      const groups = buildDataGroups(input, { groupCount: 5, featureCount: 3, classCount: 3, random: seededRandom(1) });
      expect(groups.map((g) => g.points.length)).to.deep.equal([5, 5, 5, 4, 4]);
      expect(groups.map((g) => g.index)).to.deep.equal([0, 1, 2, 3, 4]);
      const all = groups.flatMap((g) => g.points.map(key)).sort();
      expect(all).to.deep.equal(input.map(key).sort());
    });

    it("encodes each group and hashes keccak256(points ‖ nonce) with a distinct 32-byte nonce", () => {
      const groups = buildDataGroups(points(40), { groupCount: 8, featureCount: 3, classCount: 3 });
      const nonces = new Set(groups.map((g) => g.nonce));
      expect(nonces.size).to.equal(8);
      for (const g of groups) {
        expect(g.nonce).to.match(/^0x[0-9a-f]{64}$/);
        expect(g.bytes).to.deep.equal(encodePoints(g.points, 3, 3));
        expect(g.hash).to.equal(groupHash(g.bytes, g.nonce));
        expect(decodePoints(g.bytes, 3).map(key)).to.deep.equal(g.points.map(key));
      }
    });

    it("shuffles: the file order does not survive, the input array is untouched, and a seed reproduces it", () => {
      const input = points(200);
      const before = input.map(key);
      const a = buildDataGroups(input, { groupCount: 4, featureCount: 3, classCount: 3, random: seededRandom(42) });
      const b = buildDataGroups(input, { groupCount: 4, featureCount: 3, classCount: 3, random: seededRandom(42) });
      const c = buildDataGroups(input, { groupCount: 4, featureCount: 3, classCount: 3, random: seededRandom(43) });
      expect(input.map(key)).to.deep.equal(before);
      expect(a.map((g) => g.hash)).to.deep.equal(b.map((g) => g.hash));
      expect(a.map((g) => g.hash)).not.to.deep.equal(c.map((g) => g.hash));
      expect(a.flatMap((g) => g.points.map(key))).not.to.deep.equal(before);
    });

    it("reports progress from 0 to G", () => {
      const calls: [number, number][] = [];
      buildDataGroups(points(9), { groupCount: 3, featureCount: 3, classCount: 3, onProgress: (d, t) => calls.push([d, t]) });
      expect(calls).to.deep.equal([
        [0, 3],
        [1, 3],
        [2, 3],
        [3, 3],
      ]);
    });

    it("validates the group count and the points", () => {
      const opts = { featureCount: 3, classCount: 3 };
      expect(() => buildDataGroups(points(10), { ...opts, groupCount: 1 })).to.throw(RangeError, /2\.\.1024/);
      expect(() => buildDataGroups(points(2000), { ...opts, groupCount: MAX_GROUPS + 1 })).to.throw(RangeError, /2\.\.1024/);
      expect(() => buildDataGroups(points(10), { ...opts, groupCount: 2.5 })).to.throw(RangeError);
      expect(() => buildDataGroups(points(3), { ...opts, groupCount: 4 })).to.throw(RangeError, /3 points cannot fill 4 groups/);
      expect(buildDataGroups(points(4), { ...opts, groupCount: 4 }).map((g) => g.points.length)).to.deep.equal([1, 1, 1, 1]);
      expect(() => buildDataGroups(points(10), { groupCount: 2, featureCount: 3, classCount: 2 })).to.throw(/label 2/);
    });

    it("refuses a random source that repeats nonces", () => {
      const constant = (n: number) => new Uint8Array(n).fill(1);
      expect(() => buildDataGroups(points(4), { groupCount: 2, featureCount: 3, classCount: 3, random: constant })).to.throw(/repeated/);
    });
  });

  describe("groupSizes", () => {
    it("differs by at most one and sums to N", () => {
      for (const [n, g] of [
        [10, 3],
        [10, 10],
        [1000, 7],
        [5, 2],
      ] as const) {
        const sizes = groupSizes(n, g);
        expect(sizes.reduce((a, b) => a + b, 0)).to.equal(n);
        expect(Math.max(...sizes) - Math.min(...sizes)).to.be.at.most(1);
        expect(sizes.filter((s) => s > Math.floor(n / g))).to.have.length(n % g);
        expect(sizes.slice(0, n % g).every((s) => s === Math.ceil(n / g))).to.equal(true);
      }
    });
  });

  describe("trainingGroupCount", () => {
    it("is floor(G · bps / 10000) when 1 ≤ n ≤ G − 1", () => {
      expect(trainingGroupCount(10, 8000)).to.equal(8);
      expect(trainingGroupCount(15, 8000)).to.equal(12);
      expect(trainingGroupCount(3, 9000)).to.equal(2);
      expect(trainingGroupCount(2, 5000)).to.equal(1);
      expect(trainingGroupCount(1024, 1000)).to.equal(102);
    });

    it("rejects splits with no training or no test group, and out-of-range inputs", () => {
      expect(() => trainingGroupCount(5, 1000)).to.throw(RangeError, /0 training groups/);
      expect(() => trainingGroupCount(2, 9000)).not.to.throw();
      expect(() => trainingGroupCount(10, 999)).to.throw(RangeError, /1000\.\.9000/);
      expect(() => trainingGroupCount(10, 9001)).to.throw(RangeError, /1000\.\.9000/);
      expect(() => trainingGroupCount(10, 8000.5)).to.throw(RangeError);
      expect(() => trainingGroupCount(1, 5000)).to.throw(RangeError, /group count/);
    });
  });

  describe("random", () => {
    it("rejects draws that would cause modulo bias", () => {
      // 0xffffffff is the one value ≥ the largest multiple of 3 below 2^32, so it must be redrawn.
      const pool = new Uint8Array(4096);
      pool.set([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 5]);
      const source = new UniformIntSource(() => pool.slice());
      expect(source.below(3)).to.equal(2); // 5 mod 3, not 0xffffffff mod 3 = 0
      const noReject = new UniformIntSource(() => pool.slice());
      expect(noReject.below(2 ** 32)).to.equal(0xffffffff);
    });

    it("produces every permutation of a small array about equally often", () => {
      const source = new UniformIntSource();
      const counts = new Map<string, number>();
      const trials = 12_000;
      for (let t = 0; t < trials; t++) {
        const p = shuffleInPlace([0, 1, 2], source).join("");
        counts.set(p, (counts.get(p) ?? 0) + 1);
      }
      expect(counts.size).to.equal(6);
      // Chi-square with 5 degrees of freedom; 25 is far beyond the 0.1 % critical value (20.5).
      const expected = trials / 6;
      const chi2 = [...counts.values()].reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
      expect(chi2).to.be.lessThan(25);
    });

    it("draws from crypto.getRandomValues, chunked beyond the 64 KiB quota", () => {
      const big = cryptoRandomBytes(200_000);
      expect(big).to.have.length(200_000);
      expect(big.slice(150_000).some((b) => b !== 0)).to.equal(true);
      expect(randomBytes32()).to.match(/^0x[0-9a-f]{64}$/);
      expect(randomBytes32()).not.to.equal(randomBytes32());
      expect(() => new UniformIntSource().below(0)).to.throw(RangeError);
    });
  });

  describe("committed sizes and the evaluation period", () => {
    it("commits each group's point count, in group order", () => {
      const groups = buildDataGroups(points(23), { groupCount: 5, featureCount: 3, classCount: 3, random: seededRandom(2) });
      expect(groupPointCounts(groups)).to.deep.equal([5, 5, 5, 4, 4]);
      expect(groupPointCounts(groups).reduce((a, n) => a + n, 0)).to.equal(23);
    });

    it("asks EVALUATION_PERIOD_FACTOR blocks per worst-case transaction, as DankuConfig.requiredEvaluationBlocks", () => {
      const perTx = WORST_CASE_POINTS_PER_EVALUATION_TX;
      expect(perTx).to.equal(Math.floor((EVALUATION_TX_GAS - MAX_EVALUATION_SETUP_GAS) / MAX_EVALUATION_GAS_PER_POINT));
      expect(requiredEvaluationBlocks(1)).to.equal(EVALUATION_PERIOD_FACTOR);
      expect(requiredEvaluationBlocks(perTx)).to.equal(EVALUATION_PERIOD_FACTOR);
      expect(requiredEvaluationBlocks(perTx + 1)).to.equal(2 * EVALUATION_PERIOD_FACTOR);
      expect(requiredEvaluationBlocks(10 * perTx)).to.equal(10 * EVALUATION_PERIOD_FACTOR);
      expect(requiredEvaluationBlocks(10 * perTx + 1)).to.equal(11 * EVALUATION_PERIOD_FACTOR);
      // The period to propose is never below MIN_PERIOD.
      expect(minimumEvaluationPeriod(1)).to.equal(MIN_PERIOD);
      expect(minimumEvaluationPeriod(40)).to.equal(Math.max(MIN_PERIOD, requiredEvaluationBlocks(40)));
      expect(minimumEvaluationPeriod(100 * perTx)).to.equal(100 * EVALUATION_PERIOD_FACTOR);
    });
  });
});

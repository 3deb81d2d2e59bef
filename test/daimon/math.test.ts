/**
 * DaimonMath (Solidity) against lib/daimon/fixedPoint.ts (TypeScript), bit for bit, and both against independent
 * double-precision references:
 *
 *   constants                 DaimonLimits ≡ DAIMON_LIMITS
 *   integer square roots      floor and ceiling, random and edge inputs up to 2^256 − 1
 *   distance                  ≥ 300 random vector pairs (fast-check, n = 2…256, full int16 range): Solidity ≡ TS;
 *                             each result within [exact, exact + 2e−18] (checked in exact integer arithmetic);
 *                             quantization of float DEL outputs moves d by ≤ 5e−4 (bound), ≤ 1e−4 seen on Gaussian data
 *   reward                    grid of d, d_c (22 values each, 0 … 1) and a (1…32): Solidity ≡ TS;
 *                             |R − (I_{d_c}(½, a) − I_d(½, a))| ≤ 5e−14 against lib/daimon/beta.ts;
 *                             |R − (I_{1−d}(a, ½) − I_{1−d_c}(a, ½))| ≤ 1e−10 (the literal form: the double 1 − d
 *                             carries an absolute error ≤ 1.1e−16 that √ amplifies at tiny d); within 4e−18 of the
 *                             same closed form evaluated with 60 decimal digits
 *
 * fast-check runs with a fixed seed; set DAIMON_PROPERTY_SEED to explore others.
 */
import { expect } from "chai";
import fc from "fast-check";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { regularizedIncompleteBeta } from "../../lib/daimon/beta";
import {
  DAIMON_LIMITS,
  WAD,
  cosineDistance,
  cosineDistanceFloat,
  dotAndNorms,
  encodeDelOutput,
  encodeDelOutputs,
  fromWad,
  isqrt,
  isqrtCeil,
  meanRoundedUp,
  packVector,
  quantizeVector,
  reward,
  toWad,
  unpackVector,
  upperTail,
  validatorShare,
} from "../../lib/daimon/fixedPoint";
import { deployEnv, deployMathHarness, hexVector, seededRng } from "./fixtures";

const SEED = Number(process.env.DAIMON_PROPERTY_SEED ?? 20190713);

async function setup() {
  const env = await deployEnv();
  return { env, harness: await deployMathHarness(env) };
}

const int16Arb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -32_768, max: 32_767 }) },
  { weight: 1, arbitrary: fc.constantFrom(-32_768, 32_767, 0, 1, -1) },
  { weight: 2, arbitrary: fc.integer({ min: -4, max: 4 }) },
);

/** Pairs of non-zero int16 vectors of one length, related in several ways (independent, near, opposite, parallel). */
const pairArb = fc
  .integer({ min: 2, max: 256 })
  .chain((n) =>
    fc.tuple(
      fc.array(int16Arb, { minLength: n, maxLength: n }),
      fc.array(int16Arb, { minLength: n, maxLength: n }),
      fc.constantFrom("independent", "near", "opposite", "scaled", "same"),
    ),
  )
  .map(([a, b, relation]) => {
    const clamp = (x: number) => Math.max(-32_768, Math.min(32_767, x));
    let y = b;
    if (relation === "near") y = a.map((x, i) => clamp(x + Math.round(((b[i] as number) / 32_768) * 200)));
    if (relation === "opposite") y = a.map((x, i) => clamp(-x + Math.round((b[i] as number) / 4096)));
    if (relation === "scaled") y = a.map((x) => clamp(Math.round(x / 3)));
    if (relation === "same") y = [...a];
    const fix = (v: number[]) => (v.every((x) => x === 0) ? [1, ...v.slice(1)] : v);
    return [fix(a), fix(y)] as const;
  });

/** The closed form of R in 60-digit fixed point (no square-root or term rounding visible at 1e−18). */
function preciseReward(d: bigint, dc: bigint, a: number): bigint {
  const SCALE = 10n ** 60n;
  const tail = (dw: bigint) => {
    const dHi = dw * 10n ** 42n;
    const x = SCALE - dHi;
    let term = SCALE;
    let sum = SCALE;
    for (let j = 1n; j < BigInt(a); j++) {
      term = (term * x * (2n * j - 1n)) / (2n * j * SCALE);
      sum += term;
    }
    return (sum * isqrt(dHi * SCALE)) / SCALE;
  };
  return (tail(dc) - tail(d)) / 10n ** 42n;
}

describe("DaimonMath ≡ lib/daimon/fixedPoint", function () {
  it("has the same protocol constants", async function () {
    const { harness } = await loadFixture(setup);
    const [names, values] = await harness.read.limits();
    const onChain = Object.fromEntries(names.map((n, i) => [n, values[i]]));
    for (const [name, value] of Object.entries(DAIMON_LIMITS)) expect(onChain[name], name).to.equal(value);
    expect(Object.keys(onChain)).to.have.members(Object.keys(DAIMON_LIMITS));
  });

  it("computes the same floor and ceiling square roots", async function () {
    const { harness } = await loadFixture(setup);
    const rng = seededRng(7);
    const xs: bigint[] = [0n, 1n, 2n, 3n, 4n, 15n, 16n, 17n, 2n ** 128n - 1n, 2n ** 128n, 2n ** 256n - 1n, (2n ** 128n - 1n) ** 2n];
    for (let i = 0; i < 200; i++) {
      const bits = 1 + Math.floor(rng() * 256);
      let x = 0n;
      for (let b = 0; b < bits; b += 16) x = (x << 16n) | BigInt(Math.floor(rng() * 65536));
      x &= (1n << BigInt(bits)) - 1n;
      const r = isqrt(x);
      xs.push(x, r * r, r * r + 1n > 2n ** 256n - 1n ? x : r * r + 1n);
    }
    const [floors, ceils] = await harness.read.isqrt([xs]);
    xs.forEach((x, i) => {
      expect(floors[i], `⌊√${x}⌋`).to.equal(isqrt(x));
      expect(ceils[i], `⌈√${x}⌉`).to.equal(isqrtCeil(x));
      const f = isqrt(x);
      expect(f * f <= x && (f + 1n) * (f + 1n) > x).to.equal(true);
    });
  });

  it("computes the same distance for ≥ 300 random vector pairs, never below the exact value and < 2e−18 above it", async function () {
    const { harness } = await loadFixture(setup);
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(pairArb, { minLength: 20, maxLength: 20 }), async (pairs) => {
        const onChain = await harness.read.distances([pairs.map(([a]) => hexVector(a)), pairs.map(([, b]) => hexVector(b))]);
        pairs.forEach(([a, b], i) => {
          const d = cosineDistance(a, b);
          expect(onChain[i]).to.equal(d);
          expect(d >= 0n && d <= WAD).to.equal(true);
          const { dot, norm1, norm2 } = dotAndNorms(a, b);
          if (dot <= 0n) {
            expect(d).to.equal(WAD);
          } else {
            // c = WAD − d must satisfy c ≤ WAD·cosθ < c + 2, i.e. c²·N ≤ dot²·WAD² < (c+2)²·N with N = ‖a‖²‖b‖².
            const c = WAD - d;
            const n = norm1 * norm2;
            expect(c * c * n <= dot * dot * WAD * WAD).to.equal(true);
            expect((c + 2n) * (c + 2n) * n > dot * dot * WAD * WAD).to.equal(true);
          }
        });
        checked += pairs.length;
      }),
      { numRuns: 16, seed: SEED },
    );
    expect(checked).to.be.at.least(300);
  });

  it("gives d = 0 for parallel vectors, 1 for orthogonal or opposite ones", function () {
    expect(cosineDistance([3, 4], [6, 8])).to.equal(0n);
    expect(cosineDistance([1, 0], [0, 1])).to.equal(WAD);
    expect(cosineDistance([1, 2], [-1, -2])).to.equal(WAD);
    expect(cosineDistance([1, 0], [1, 1])).to.equal(WAD - 707_106_781_186_547_524n); // ⌊1e36 / ⌈√2·1e18⌉⌋
    expect(() => cosineDistance([0, 0], [1, 1])).to.throw(RangeError);
  });

  it("moves the distance of quantized float DEL outputs by ≤ 5e−4 (≤ 1e−4 on Gaussian vectors)", function () {
    const rng = seededRng(11);
    const gauss = () => Math.sqrt(-2 * Math.log(rng() + 1e-300)) * Math.cos(2 * Math.PI * rng());
    let worst = 0;
    for (const n of [2, 16, 64, 256]) {
      for (let t = 0; t < 300; t++) {
        const a = Array.from({ length: n }, gauss);
        const mix = rng();
        const b = a.map((x) => x * (1 - mix) + gauss() * mix);
        const err = Math.abs(cosineDistanceFloat(a, b) - fromWad(cosineDistance(quantizeVector(a), quantizeVector(b))));
        // ‖rounding‖ ≤ ½√n against ‖q‖ ≥ 32767 per vector: each direction moves by ≤ 2.45e−4 at n = 256.
        expect(err).to.be.at.most(2 * (0.5 * Math.sqrt(n)) / 32_767 + 1e-12);
        worst = Math.max(worst, err);
      }
    }
    expect(worst).to.be.at.most(1e-4);
  });

  it("round-trips packed int16 vectors and quantizes to ±32767", function () {
    fc.assert(
      fc.property(fc.array(int16Arb, { minLength: 1, maxLength: 256 }), (v) => {
        expect(unpackVector(packVector(v))).to.deep.equal(v);
      }),
      { seed: SEED, numRuns: 200 },
    );
    expect(quantizeVector([0.5, -0.25, 0])).to.deep.equal([32_767, -16_384, 0]);
    expect(quantizeVector([-2, 1])).to.deep.equal([-32_767, 16_384]);
    expect(() => quantizeVector([0, 0])).to.throw(RangeError);
    expect(() => quantizeVector([1, Number.NaN])).to.throw(RangeError);
    expect(() => packVector([32_768])).to.throw(RangeError);
    expect(encodeDelOutput([0.5, -0.25])).to.deep.equal(packVector([32_767, -16_384]));
    expect(encodeDelOutputs([[1, 0], [0, -3]])).to.deep.equal(Uint8Array.from([0x7f, 0xff, 0, 0, 0, 0, 0x80, 0x01]));
  });

  it("rounds the aggregate distance up", function () {
    expect(meanRoundedUp(10n, 3n)).to.equal(4n);
    expect(meanRoundedUp(9n, 3n)).to.equal(3n);
    expect(meanRoundedUp(0n, 8n)).to.equal(0n);
  });

  describe("reward R(d, d_c) = I_{1−d}(a, ½) − I_{1−d_c}(a, ½)", function () {
    const GRID = [0, 1e-12, 1e-9, 1e-6, 1e-4, 0.001, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 1 - 1e-6, 1];
    const SHAPES = Array.from({ length: 32 }, (_, i) => i + 1);
    const SYMMETRIC_TOLERANCE = 5e-14;
    const LITERAL_TOLERANCE = 1e-10;

    it("has the closed form G_a(d) = 1 − I_{1−d}(a, ½) = √d Σ_{j<a} C(2j, j)/4^j (1−d)^j (checked against beta.ts)", function () {
      for (const a of SHAPES) {
        for (const d of GRID) {
          const g = fromWad(upperTail(toWad(d), a));
          expect(Math.abs(g - regularizedIncompleteBeta(d, 0.5, a)), `a=${a} d=${d}`).to.be.at.most(SYMMETRIC_TOLERANCE);
        }
      }
      // The first coefficients as exact rationals: 1, 1/2, 3/8, 5/16, 35/128.
      const x = WAD / 2n;
      const expected = [1, 1 + 1 / 4, 1 + 1 / 4 + 3 / 32, 1 + 1 / 4 + 3 / 32 + 5 / 128, 1 + 1 / 4 + 3 / 32 + 5 / 128 + 35 / 2048];
      expected.forEach((series, i) => {
        expect(Math.abs(fromWad(upperTail(x, i + 1)) - Math.SQRT1_2 * series)).to.be.at.most(1e-15);
      });
    });

    it("on chain equals the TypeScript mirror and the double-precision reference over the grid of d, d_c and a", async function () {
      const { harness } = await loadFixture(setup);
      const ds: bigint[] = [];
      const dcs: bigint[] = [];
      const as: bigint[] = [];
      for (const a of SHAPES) {
        for (const d of GRID) {
          for (const dc of GRID) {
            ds.push(toWad(d));
            dcs.push(toWad(dc));
            as.push(BigInt(a));
          }
        }
      }
      const onChain: bigint[] = [];
      for (let at = 0; at < ds.length; at += 400) {
        onChain.push(...(await harness.read.rewards([ds.slice(at, at + 400), dcs.slice(at, at + 400), as.slice(at, at + 400)])));
      }
      let worstSymmetric = 0;
      let worstLiteral = 0;
      ds.forEach((d, i) => {
        const dc = dcs[i] as bigint;
        const a = Number(as[i]);
        const r = reward(d, dc, a);
        expect(onChain[i], `a=${a} d=${d} dc=${dc}`).to.equal(r);
        if (d >= dc) {
          expect(r).to.equal(0n);
          return;
        }
        const precise = preciseReward(d, dc, a);
        const off = r > precise ? r - precise : precise - r;
        expect(off <= 4n, `fixed-point rounding at a=${a} d=${d} dc=${dc}: ${off} wei`).to.equal(true);
        const dF = fromWad(d);
        const dcF = fromWad(dc);
        const symmetric = regularizedIncompleteBeta(dcF, 0.5, a) - regularizedIncompleteBeta(dF, 0.5, a);
        const literal = regularizedIncompleteBeta(1 - dF, a, 0.5) - regularizedIncompleteBeta(1 - dcF, a, 0.5);
        worstSymmetric = Math.max(worstSymmetric, Math.abs(fromWad(r) - symmetric));
        worstLiteral = Math.max(worstLiteral, Math.abs(fromWad(r) - literal));
      });
      console.log(`      ${ds.length} grid points: |R − ref| ≤ ${worstSymmetric.toExponential(2)} (I_d(½,a) form), ${worstLiteral.toExponential(2)} (I_{1−d}(a,½) form)`);
      expect(worstSymmetric).to.be.at.most(SYMMETRIC_TOLERANCE);
      expect(worstLiteral).to.be.at.most(LITERAL_TOLERANCE);
    });

    it("is exactly 0 when d ≥ d_c or the rounded tails tie, never a wrapped subtraction", async function () {
      const { harness } = await loadFixture(setup);
      // Adjacent distances whose rounded tails are equal (found by search): R must be 0, not −0 wrapped.
      const d = 500_000_000_000_000_001n;
      expect(upperTail(d, 1)).to.equal(upperTail(d + 1n, 1));
      const cases: [bigint, bigint, bigint][] = [
        [WAD, WAD / 2n, 3n],
        [WAD / 2n, WAD / 2n, 3n],
        [WAD, 0n, 32n],
        [d, d + 1n, 1n],
        [0n, 0n, 1n],
      ];
      const out = await harness.read.rewards([cases.map((c) => c[0]), cases.map((c) => c[1]), cases.map((c) => c[2])]);
      expect(out).to.deep.equal(cases.map(() => 0n));
      cases.forEach(([x, y, a]) => expect(reward(x, y, Number(a))).to.equal(0n));
    });

    it("telescopes: the rewards of a strictly improving chain sum to at most R(0, 1) = 1", function () {
      const rng = seededRng(3);
      for (const a of [1, 3, 32]) {
        let dc = WAD;
        let total = 0n;
        while (dc > 1000n) {
          const d = (dc * BigInt(Math.floor(rng() * 900_000) + 50_000)) / 1_000_000n;
          total += reward(d, dc, a);
          dc = d;
        }
        expect(total <= WAD).to.equal(true);
        expect(reward(0n, WAD, a)).to.equal(WAD);
      }
    });

    it("gives every vote the same share ⌊⌊R / 4⌋ / votes⌋, all votes together at most a quarter of the improver's", function () {
      const amount = 1000n * 10n ** 18n + 12_345n;
      for (const votes of [1n, 2n, 3n, 7n, 1000n]) {
        const share = validatorShare(amount, votes);
        expect(share).to.equal(amount / 4n / votes);
        expect(share * votes <= amount / 4n).to.equal(true);
        expect(amount / 4n - share * votes < votes).to.equal(true);
      }
      expect(validatorShare(amount, 0)).to.equal(0n);
      expect(validatorShare(3n, 1)).to.equal(0n);
      expect(() => validatorShare(amount, -1)).to.throw(RangeError);
    });

    it("computes the same validator shares as DaimonMath.validatorShare", async function () {
      const { harness } = await loadFixture(setup);
      const amounts = [0n, 3n, 4n, 1000n * 10n ** 18n + 12_345n, 10n ** 30n, 2n ** 128n - 1n];
      const counts = [0n, 1n, 2n, 3n, 999n, 1000n];
      const pairs = amounts.flatMap((a) => counts.map((c) => [a, c] as const));
      const onChain = await harness.read.validatorShares([pairs.map(([a]) => a), pairs.map(([, c]) => c)]);
      expect(onChain).to.deep.equal(pairs.map(([a, c]) => validatorShare(a, c)));
    });
  });
});

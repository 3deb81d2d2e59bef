/**
 * DEL building blocks: GENERATEDATA, the forward pass and distance, the trainer's hand-written gradient (finite
 * differences on a tiny network), the fused sparse Adam update, determinism, progress and abort, the held-out
 * metrics, and the brute-force odds against the beta function, closed forms and a Monte-Carlo count.
 * The trained-quality and ONNX checks are in delTraining.test.ts and delOnnx.test.ts.
 */
import { expect } from "chai";
import chai from "chai";
import chaiAsPromised from "chai-as-promised";
import {
  DelRandom,
  LabelVectorError,
  PerturbationSampler,
  applyPerturbation,
  generateData,
  labelError,
  perturbationBetween,
  randomLabelVector,
  toLabelVector,
  type Perturbation,
} from "../../lib/daimon/generateData";
import {
  delForward,
  delForwardPerturbed,
  delPreActivation,
  delPreActivationPerturbed,
  initDelParameters,
  modifiedCosineDistance,
  type DelParameters,
} from "../../lib/daimon/del";
import { DelTrainer, trainDel, type DelLoss } from "../../lib/daimon/delTrainer";
import {
  coordinateDescentAttack,
  evaluateDel,
  heldOutPerturbations,
  meanAbsoluteError,
  pairOrdering,
  pearson,
  recoveredShare,
  weightInspectionAttack,
} from "../../lib/daimon/delMetrics";
import { bruteForceOdds, bruteForceTable, bruteForceTrials, formatTinyProbability } from "../../lib/daimon/bruteForce";
import { regularizedIncompleteBeta } from "../../lib/daimon/beta";

chai.use(chaiAsPromised);

describe("lib/daimon GENERATEDATA", () => {
  it("DelRandom is deterministic per seed, uniform below a bound, floats in [0, 1)", () => {
    const a = new DelRandom(42);
    const b = new DelRandom(42);
    const c = new DelRandom(43);
    const seqA = Array.from({ length: 20 }, () => a.uint32());
    expect(Array.from({ length: 20 }, () => b.uint32())).to.deep.equal(seqA);
    expect(Array.from({ length: 20 }, () => c.uint32())).to.not.deep.equal(seqA);
    const r = new DelRandom(1);
    const counts = new Array<number>(7).fill(0);
    const draws = 70_000;
    for (let i = 0; i < draws; i++) counts[r.below(7)]!++;
    // Each count is Binomial(70000, 1/7): σ ≈ 92.6; allow 5σ.
    counts.forEach((k) => expect(Math.abs(k - draws / 7)).to.be.below(5 * 92.6));
    for (let i = 0; i < 1000; i++) {
      const f = r.float();
      expect(f).to.be.at.least(0).and.below(1);
    }
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < 20_000; i++) {
      const z = r.normal();
      sum += z;
      sq += z * z;
    }
    expect(sum / 20_000).to.be.closeTo(0, 0.05);
    expect(sq / 20_000).to.be.closeTo(1, 0.05);
    expect(() => r.below(0)).to.throw(RangeError);
  });

  it("changes only drawn positions, to labels 0..C−1, listed once and ascending; e counts only real changes", () => {
    const C = 4;
    const xt = randomLabelVector(50, C, new DelRandom(5));
    const sampler = new PerturbationSampler(xt, C);
    const random = new DelRandom(6);
    let sawSameLabelRedraw = false;
    for (let t = 0; t < 300; t++) {
      const p = sampler.sample(random);
      expect(p.drawn).to.be.within(1, 50);
      expect(p.positions.length).to.be.at.most(p.drawn);
      if (p.positions.length < p.drawn) sawSameLabelRedraw = true;
      for (let i = 0; i < p.positions.length; i++) {
        if (i > 0) expect(p.positions[i]).to.be.greaterThan(p.positions[i - 1]!);
        const k = p.positions[i]!;
        expect(p.labels[i]).to.be.within(0, C - 1);
        expect(p.labels[i]).to.not.equal(xt[k]);
      }
      const x = applyPerturbation(xt, p);
      expect(labelError(x, xt)).to.equal(p.positions.length / 50);
      const back = perturbationBetween(xt, x);
      expect(Array.from(back.positions)).to.deep.equal(Array.from(p.positions));
      expect(Array.from(back.labels)).to.deep.equal(Array.from(p.labels));
    }
    // The paper's procedure may redraw the old label (so e ≤ v/m).
    expect(sawSameLabelRedraw).to.equal(true);
  });

  it("draws v uniformly in 1..m (or 1..maxChanged), so E[e] = (1 − 1/C)(m + 1)/(2m)", () => {
    const m = 8;
    const C = 3;
    const xt = randomLabelVector(m, C, new DelRandom(9));
    const sampler = new PerturbationSampler(xt, C);
    const random = new DelRandom(10);
    const draws = 40_000;
    const vCounts = new Array<number>(m + 1).fill(0);
    let errorSum = 0;
    const positionCounts = new Array<number>(m).fill(0);
    for (let t = 0; t < draws; t++) {
      const p = sampler.sample(random);
      vCounts[p.drawn]!++;
      errorSum += p.positions.length / m;
      p.positions.forEach((k) => positionCounts[k]!++);
    }
    expect(vCounts[0]).to.equal(0);
    // Binomial(40000, 1/8): σ ≈ 66.1.
    for (let v = 1; v <= m; v++) expect(Math.abs(vCounts[v]! - draws / m)).to.be.below(5 * 66.1);
    expect(errorSum / draws).to.be.closeTo(((1 - 1 / C) * (m + 1)) / (2 * m), 0.005);
    // Every position is equally likely to change.
    const mean = positionCounts.reduce((a, b) => a + b, 0) / m;
    positionCounts.forEach((k) => expect(Math.abs(k - mean) / mean).to.be.below(0.03));
    for (let t = 0; t < 500; t++) expect(sampler.sample(random, { maxChanged: 2 }).drawn).to.be.within(1, 2);
    expect(() => sampler.sample(random, { maxChanged: 0 })).to.throw(RangeError);
    expect(() => sampler.sample(random, { maxChanged: m + 1 })).to.throw(RangeError);
  });

  it("is reproducible from a seed, and generateData returns a full label vector", () => {
    const xt = randomLabelVector(30, 5, new DelRandom(1));
    const one = generateData(xt, 5, new DelRandom(77));
    expect(Array.from(generateData(xt, 5, new DelRandom(77)))).to.deep.equal(Array.from(one));
    expect(one.length).to.equal(30);
    one.forEach((label) => expect(label).to.be.within(0, 4));
  });

  it("validates label vectors (labels 0..C−1; the paper's 1..C is shifted by one)", () => {
    expect(Array.from(toLabelVector([0, 1, 2], 3))).to.deep.equal([0, 1, 2]);
    expect(() => toLabelVector([1, 2, 3], 3)).to.throw(LabelVectorError, /label 2 is 3/);
    expect(() => toLabelVector([0.5], 3)).to.throw(LabelVectorError);
    expect(() => toLabelVector([], 3)).to.throw(LabelVectorError);
    expect(() => toLabelVector([0], 1)).to.throw(LabelVectorError);
    expect(() => labelError([0, 1], [0])).to.throw(LabelVectorError);
  });
});

function tinyParameters(seed: number, m = 6, classCount = 3, hidden = 5, n = 4): DelParameters {
  const p = initDelParameters({ m, classCount, hidden, n }, new DelRandom(seed));
  const r = new DelRandom(seed + 1);
  for (let i = 0; i < p.b1.length; i++) p.b1[i] = 0.3 * r.normal();
  for (let i = 0; i < p.b2.length; i++) p.b2[i] = 0.3 * r.normal();
  return p;
}

describe("lib/daimon DEL forward and distance", () => {
  it("the modified cosine distance: 0 for equal directions, 1 − cos for acute angles, 1 for obtuse or zero vectors", () => {
    expect(modifiedCosineDistance([1, 0], [2, 0])).to.equal(0);
    expect(modifiedCosineDistance([1, 0], [0, 3])).to.be.closeTo(1, 1e-15);
    expect(modifiedCosineDistance([1, 0], [-1, 0.1])).to.equal(1);
    expect(modifiedCosineDistance([1, 1], [1, 0])).to.be.closeTo(1 - Math.SQRT1_2, 1e-15);
    expect(modifiedCosineDistance([0, 0], [1, 0])).to.equal(1);
    const y = [0.6, 0.8, 0];
    expect(modifiedCosineDistance(y, y)).to.equal(0);
    expect(() => modifiedCosineDistance([1], [1, 2])).to.throw(RangeError);
  });

  it("f is a dense layer on the one-hot encoding, unit-normalized; the incremental forward equals the full one", () => {
    const p = tinyParameters(3);
    const { m, classCount: C, hidden: H, n } = p;
    const random = new DelRandom(4);
    const xt = randomLabelVector(m, C, random);
    const sampler = new PerturbationSampler(xt, C);
    const aT = delPreActivation(p, xt);
    for (let t = 0; t < 20; t++) {
      const pert = sampler.sample(random);
      const x = applyPerturbation(xt, pert);
      // Explicit one-hot: a_j = b1_j + Σ_r onehot_r · W1[r][j].
      const oneHot = new Float64Array(m * C);
      x.forEach((label, i) => (oneHot[i * C + label] = 1));
      const a = Array.from({ length: H }, (_, j) => oneHot.reduce((s, v, r) => s + v * p.w1[r * H + j]!, p.b1[j]!));
      const z = Array.from({ length: n }, (_, o) => a.reduce((s, aj, j) => s + Math.max(0, aj) * p.w2[j * n + o]!, p.b2[o]!));
      const norm = Math.hypot(...z);
      const y = delForward(p, x);
      y.forEach((v, o) => expect(v).to.be.closeTo(z[o]! / norm, 1e-12));
      expect(Math.hypot(...y)).to.be.closeTo(1, 1e-12);
      const aInc = delPreActivationPerturbed(p, xt, aT, pert);
      aInc.forEach((v, j) => expect(v).to.be.closeTo(a[j]!, 1e-12));
      delForwardPerturbed(p, xt, aT, pert).forEach((v, o) => expect(v).to.be.closeTo(y[o]!, 1e-12));
    }
    expect(() => delForward(p, [0, 1])).to.throw(LabelVectorError);
    expect(() => delForward(p, [0, 1, 2, 0, 1, 3])).to.throw(LabelVectorError, /label 5 is 3/);
  });
});

/** The loss of a batch from scratch (full forward of every x, no incremental tricks): the reference for the gradient. */
function referenceLoss(p: DelParameters, xt: Int32Array, batch: readonly Perturbation[], kind: DelLoss, delta: number): number {
  const yt = delForward(p, xt);
  let total = 0;
  for (const pert of batch) {
    const r = modifiedCosineDistance(delForward(p, applyPerturbation(xt, pert)), yt) - pert.positions.length / xt.length;
    const a = Math.abs(r);
    total += kind === "mse" ? r * r : kind === "l1" ? a : a <= delta ? (r * r) / (2 * delta) : a - delta / 2;
  }
  return total / batch.length;
}

describe("lib/daimon DEL trainer", () => {
  for (const loss of ["smooth-l1", "l1", "mse"] as const) {
    it(`backpropagation matches central finite differences on a tiny network (${loss})`, () => {
      const C = 3;
      const m = 6;
      const xt = randomLabelVector(m, C, new DelRandom(11));
      // A wide smooth-L1 δ so both of its branches occur in the batch.
      const trainer = new DelTrainer(xt, C, { n: 4, hidden: 5, batchSize: 6, seed: 12, loss, smoothL1Delta: 0.05, lowErrorFraction: 0.5 });
      const init = tinyParameters(13, m, C, 5, 4);
      const p = trainer.parameters;
      p.w1.set(init.w1);
      p.b1.set(init.b1);
      p.w2.set(init.w2);
      p.b2.set(init.b2);
      const batch = trainer.sampleBatch();
      const gradient = trainer.batchGradient(batch);
      expect(gradient.loss).to.be.closeTo(referenceLoss(p, trainer.xt, batch, loss, 0.05), 1e-12);
      const w1Grad = trainer.firstLayerGradient(gradient);
      const check = (name: string, w: Float32Array, analytic: ArrayLike<number>) => {
        let worst = 0;
        let largest = 0;
        for (let i = 0; i < w.length; i++) {
          largest = Math.max(largest, Math.abs(analytic[i] as number));
          const original = w[i]!;
          w[i] = original + 1e-4;
          const up = w[i]!;
          const lossUp = referenceLoss(p, trainer.xt, batch, loss, 0.05);
          w[i] = original - 1e-4;
          const down = w[i]!;
          const lossDown = referenceLoss(p, trainer.xt, batch, loss, 0.05);
          w[i] = original;
          const numeric = (lossUp - lossDown) / (up - down);
          const error = Math.abs(numeric - (analytic[i] as number)) / Math.max(1e-3, Math.abs(numeric));
          worst = Math.max(worst, error);
        }
        expect(worst, `${name} worst relative error`).to.be.below(1e-4);
        expect(largest, `${name} has a non-trivial gradient`).to.be.greaterThan(1e-3);
      };
      check("W1", p.w1, w1Grad);
      check("b1", p.b1, gradient.b1);
      check("W2", p.w2, gradient.w2);
      check("b2", p.b2, gradient.b2);
      // Rows of positions no sample changed, other than x_t's row, get no gradient.
      const changed = new Set(batch.flatMap((b) => Array.from(b.positions)));
      for (let k = 0; k < m; k++) {
        for (let c = 0; c < C; c++) {
          if (changed.has(k) || c === xt[k]) continue;
          for (let j = 0; j < 5; j++) expect(w1Grad[(k * C + c) * 5 + j]).to.equal(0);
        }
      }
    });
  }

  it("the fused per-position Adam update of W1 equals Adam on the dense gradient", () => {
    const C = 3;
    const xt = randomLabelVector(7, C, new DelRandom(21));
    const trainer = new DelTrainer(xt, C, { n: 3, hidden: 4, batchSize: 5, seed: 22, learningRate: 0.01, firstLayerLearningRate: 0.02 });
    const before = trainer.parameters.w1.slice();
    const batch = trainer.sampleBatch();
    const gradient = trainer.batchGradient(batch);
    const dense = trainer.firstLayerGradient(gradient);
    trainer.applyGradient(gradient, 0.5);
    // First Adam step: m̂ = g, v̂ = g², so Δw = −lr·g/(|g| + ε).
    const lr = 0.02 * 0.5;
    for (let i = 0; i < before.length; i++) {
      const g = dense[i]!;
      const expected = Math.fround(before[i]! - (lr * g) / (Math.abs(g) + 1e-8));
      expect(trainer.parameters.w1[i]).to.be.closeTo(expected, 1e-6);
    }
  });

  it("the learning rate warms up linearly, then decays along a cosine to the final fraction", () => {
    const trainer = new DelTrainer([0, 1, 0, 1], 2, { n: 2, hidden: 2, steps: 100, warmupSteps: 9, finalLearningRateFraction: 0.01 });
    expect(trainer.scheduleAt(0)).to.be.closeTo(0.1, 1e-12);
    expect(trainer.scheduleAt(8)).to.be.closeTo(0.9, 1e-12);
    expect(trainer.scheduleAt(9)).to.be.closeTo(1, 1e-12);
    expect(trainer.scheduleAt(99)).to.be.closeTo(0.01, 1e-12);
    expect(trainer.scheduleAt(54)).to.be.closeTo(0.01 + 0.99 * 0.5 * (1 + Math.cos((Math.PI * 45) / 90)), 1e-12);
    for (let s = 10; s < 100; s++) expect(trainer.scheduleAt(s)).to.be.at.most(trainer.scheduleAt(s - 1));
  });

  it("is deterministic for a seed and learns: the loss falls on a small problem", async () => {
    const xt = randomLabelVector(60, 4, new DelRandom(31));
    const options = { n: 8, hidden: 32, steps: 60, batchSize: 32, seed: 5, learningRate: 3e-3, firstLayerLearningRate: 3e-3 };
    const a = await trainDel(xt, 4, options);
    const b = await trainDel(xt, 4, options);
    expect(Array.from(a.parameters.w1)).to.deep.equal(Array.from(b.parameters.w1));
    expect(Array.from(a.yt)).to.deep.equal(Array.from(b.yt));
    const c = await trainDel(xt, 4, { ...options, seed: 6 });
    expect(Array.from(c.parameters.w2)).to.not.deep.equal(Array.from(a.parameters.w2));
    const first = a.history.slice(0, 5).reduce((s, h) => s + h.meanAbsError, 0) / 5;
    const last = a.history.slice(-5).reduce((s, h) => s + h.meanAbsError, 0) / 5;
    expect(last).to.be.below(first * 0.75);
    expect(Array.from(a.yt).reduce((s, v) => s + v * v, 0)).to.be.closeTo(1, 1e-12);
  });

  it("reports progress (step, loss, ETA) and stops on abort", async () => {
    const xt = randomLabelVector(40, 3, new DelRandom(41));
    const seen: { step: number; steps: number; loss: number; etaSeconds: number }[] = [];
    await trainDel(xt, 3, { n: 4, hidden: 8, steps: 12, batchSize: 8 }, { progressIntervalMs: 0, onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => p.step)).to.deep.equal(Array.from({ length: 12 }, (_, i) => i + 1));
    seen.forEach((p) => {
      expect(p.steps).to.equal(12);
      expect(p.loss).to.be.a("number").and.at.least(0);
      expect(p.etaSeconds).to.be.at.least(0);
    });
    expect(seen[11]!.etaSeconds).to.equal(0);

    const controller = new AbortController();
    let last = 0;
    const run = trainDel(xt, 3, { n: 4, hidden: 8, steps: 1000, batchSize: 8 }, {
      progressIntervalMs: 0,
      signal: controller.signal,
      onProgress: (p) => {
        last = p.step;
        if (p.step === 3) controller.abort();
      },
    });
    await expect(run).to.be.rejectedWith(/abort/i);
    expect(last).to.equal(3);
    const aborted = new AbortController();
    aborted.abort();
    await expect(trainDel(xt, 3, { n: 4, hidden: 8, steps: 5 }, { signal: aborted.signal })).to.be.rejectedWith(/abort/i);
  });

  it("rejects bad options and mismatched initial parameters", () => {
    const xt = [0, 1, 2, 0];
    expect(() => new DelTrainer(xt, 3, { n: 4, steps: 0 })).to.throw(RangeError);
    expect(() => new DelTrainer(xt, 3, { n: 4, batchSize: 1.5 })).to.throw(RangeError);
    expect(() => new DelTrainer(xt, 3, { n: 4, lowErrorFraction: 2 })).to.throw(RangeError);
    expect(() => new DelTrainer(xt, 3, { n: 1 })).to.throw(/embedding dimension/);
    expect(() => new DelTrainer(xt, 3, { n: 4, hidden: 6, initialParameters: tinyParameters(1, 4, 3, 5, 4) })).to.throw(/initial parameters/);
    const start = tinyParameters(1, 4, 3, 5, 4);
    const trainer = new DelTrainer(xt, 3, { n: 4, hidden: 5, initialParameters: start });
    expect(Array.from(trainer.parameters.w1)).to.deep.equal(Array.from(start.w1));
    trainer.step();
    expect(Array.from(trainer.parameters.w1)).to.not.deep.equal(Array.from(start.w1));
  });
});

describe("lib/daimon DEL metrics", () => {
  it("pearson, MAE and pair ordering on hand-made series", () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).to.be.closeTo(1, 1e-15);
    expect(pearson([1, 2, 3], [3, 2, 1])).to.be.closeTo(-1, 1e-15);
    expect(meanAbsoluteError([0, 1], [0.5, 0.5])).to.equal(0.5);
    // e: 0.05, 0.10, 0.30 (outside the region), 0.055 (within 0.01 of the first: not a pair).
    const ordering = pairOrdering([0.05, 0.1, 0.3, 0.055], [0.04, 0.12, 0.01, 0.2]);
    // Pairs: (0.05, 0.10) right; (0.10, 0.055) wrong (d 0.12 < 0.2 while e 0.10 > 0.055).
    expect(ordering).to.deep.equal({ share: 0.5, pairs: 2, misordered: 1 });
    expect(pairOrdering([0.05, 0.1], [0.1, 0.1]).misordered).to.equal(1); // a tie in d counts wrong
    expect(Number.isNaN(pairOrdering([0.5], [0.5]).share)).to.equal(true);
  });

  it("the held-out set covers the low-error region densely and is reproducible", () => {
    const xt = randomLabelVector(1000, 10, new DelRandom(51));
    const set = heldOutPerturbations(xt, 10, { seed: 3 });
    expect(set.perturbations.length).to.equal(2000);
    const low = Array.from(set.errors).filter((e) => e < 0.2);
    expect(low.length).to.be.greaterThan(1000);
    // Every 0.02-wide bin below 0.2 holds a fair share (a uniform v would leave ~20 per bin out of 1000).
    for (let bin = 0; bin < 10; bin++) {
      expect(low.filter((e) => e >= bin * 0.02 && e < (bin + 1) * 0.02).length, `bin ${bin}`).to.be.greaterThan(60);
    }
    const paperPart = Array.from(set.errors.subarray(0, 1000));
    expect(paperPart.reduce((a, b) => a + b, 0) / 1000).to.be.closeTo(0.45, 0.03);
    const again = heldOutPerturbations(xt, 10, { seed: 3 });
    expect(Array.from(again.errors)).to.deep.equal(Array.from(set.errors));
  });

  it("an untrained network already correlates (r > 0.9) but misses the target MAE: correlation alone proves little", () => {
    const xt = randomLabelVector(300, 10, new DelRandom(61));
    const p = initDelParameters({ m: 300, classCount: 10, hidden: 256, n: 32 }, new DelRandom(62));
    const evaluation = evaluateDel(p, xt, heldOutPerturbations(xt, 10, { seed: 63, paperCount: 300, lowErrorCount: 300 }));
    expect(evaluation.pearson).to.be.greaterThan(0.9);
    expect(evaluation.mae).to.be.greaterThan(0.02);
    expect(evaluation.samples).to.equal(600);
  });
});

describe("lib/daimon label-recovery attacks", () => {
  it("weight inspection finds true-label rows that share a direction; coordinate descent queries C labels per position", () => {
    const m = 40;
    const C = 5;
    const H = 16;
    const xt = randomLabelVector(m, C, new DelRandom(81));
    const p = initDelParameters({ m, classCount: C, hidden: H, n: 6 }, new DelRandom(82));
    // What training does to W1: the true label's row of every position moves along one direction u.
    const u = Float64Array.from({ length: H }, (_, j) => (j % 3 === 0 ? 0.4 : -0.1));
    for (let k = 0; k < m; k++) for (let j = 0; j < H; j++) p.w1[(k * C + xt[k]!) * H + j]! += u[j]!;
    const yt = delForward(p, xt);
    const inspected = weightInspectionAttack(p, yt);
    expect(inspected.queries).to.equal(0);
    expect(recoveredShare(inspected.labels, xt)).to.equal(1);
    const partial = weightInspectionAttack(p, yt, { positions: 10 });
    expect(partial.labels.length).to.equal(10);
    const descended = coordinateDescentAttack(p, yt, { positions: 25 });
    expect(descended.queries).to.equal(25 * C);
    expect(descended.labels.length).to.equal(25);
    descended.labels.forEach((label) => expect(label).to.be.within(0, C - 1));
    // On an untrained network the inspection has nothing to find.
    const plain = initDelParameters({ m, classCount: C, hidden: H, n: 6 }, new DelRandom(83));
    expect(recoveredShare(weightInspectionAttack(plain, delForward(plain, xt)).labels, xt)).to.be.below(0.5);
  });
});

describe("lib/daimon brute-force odds (paper §IV)", () => {
  it("p = I_{ε(2−ε)}((n−1)/2, ½) and q = 1/p, with the closed forms at n = 2 and 3", () => {
    for (const n of [4, 10, 32, 100]) {
      for (const eps of [0.05, 0.1, 0.5]) {
        const odds = bruteForceOdds(n, eps);
        const direct = regularizedIncompleteBeta(eps * (2 - eps), (n - 1) / 2, 0.5);
        expect(odds.p).to.be.closeTo(direct, direct * 1e-12);
        expect(odds.q).to.be.closeTo(1 / direct, 1e-12 / direct);
        expect(odds.pSphere).to.equal(odds.p / 2);
      }
    }
    // n = 3: a cap of the 2-sphere has area 2π(1 − cos β), half a hemisphere's 2π ⇒ p = 1 − cos β = ε.
    for (const eps of [0.01, 0.1, 0.7]) expect(bruteForceOdds(3, eps).p).to.be.closeTo(eps, 1e-13);
    // n = 2: the arc of angle 2β out of a half circle π ⇒ p = 2β/π.
    expect(bruteForceOdds(2, 0.1).p).to.be.closeTo((2 * Math.acos(0.9)) / Math.PI, 1e-13);
    expect(bruteForceOdds(16, 1).p).to.be.closeTo(1, 1e-15);
    expect(() => bruteForceOdds(1, 0.1)).to.throw(RangeError);
    expect(() => bruteForceOdds(32, 0)).to.throw(RangeError);
  });

  it("the paper's examples: n = 32 and n = 256 at ε = 0.10 (the paper prints 6.12e−13 and 3.33e−93)", () => {
    const small = bruteForceOdds(32, 0.1);
    expect(small.p).to.be.closeTo(1.0379067e-12, 1e-18);
    expect(small.q).to.be.closeTo(9.6348e11, 1e8);
    const large = bruteForceOdds(256, 0.1);
    expect(large.log10P).to.be.closeTo(Math.log10(6.091024e-94), 1e-6);
    expect(large.q).to.be.closeTo(1.6418e93, 1e89);
    // Beyond a double's range p underflows; log10 p stays exact and is what a UI prints.
    const huge = bruteForceOdds(1 << 16, 0.1);
    expect(huge.p).to.equal(0);
    expect(huge.log10P).to.be.below(-20000);
    expect(formatTinyProbability(huge.log10P)).to.match(/^10\^-\d+\.\d$/);
    expect(formatTinyProbability(small.log10P)).to.equal("1.04e-12");
    expect(bruteForceTrials(32, 0.1, 0.5)).to.be.closeTo(Math.LN2 / small.p, 1e-3 / small.p);
    expect(bruteForceTable([32, 64], [0.1, 0.2]).map((r) => [r.n, r.epsilon])).to.deep.equal([
      [32, 0.1],
      [32, 0.2],
      [64, 0.1],
      [64, 0.2],
    ]);
    // Larger n, smaller p; larger ε, larger p.
    const table = bruteForceTable();
    for (const row of table) {
      const bigger = table.find((r) => r.epsilon === row.epsilon && r.n === row.n * 2);
      if (bigger) expect(bigger.log10P).to.be.below(row.log10P);
    }
  });

  it("Monte Carlo: random unit vectors fall within ε of a fixed one with probability ½·p (p is over a hemisphere)", () => {
    const random = new DelRandom(71);
    for (const [n, eps] of [
      [3, 0.1],
      [5, 0.3],
      [8, 0.4],
    ] as const) {
      const fixed = new Float64Array(n);
      fixed[0] = 1;
      const draws = 200_000;
      let inside = 0;
      let hemisphere = 0;
      let insideHemisphere = 0;
      const v = new Float64Array(n);
      for (let t = 0; t < draws; t++) {
        for (let i = 0; i < n; i++) v[i] = random.normal();
        const d = modifiedCosineDistance(v, fixed);
        if (d < eps) inside++;
        if (v[0]! >= 0) {
          hemisphere++;
          if (d < eps) insideHemisphere++;
        }
      }
      const { p, pSphere } = bruteForceOdds(n, eps);
      const sigma = Math.sqrt((pSphere * (1 - pSphere)) / draws);
      expect(inside / draws, `n=${n} ε=${eps} whole sphere`).to.be.closeTo(pSphere, 5 * sigma);
      const sigmaH = Math.sqrt((p * (1 - p)) / hemisphere);
      expect(insideHemisphere / hemisphere, `n=${n} ε=${eps} hemisphere`).to.be.closeTo(p, 5 * sigmaH);
      // The factor ½ is not within noise: the whole-sphere share is far from p itself.
      expect(Math.abs(inside / draws - p)).to.be.greaterThan(20 * sigma);
    }
  });
});

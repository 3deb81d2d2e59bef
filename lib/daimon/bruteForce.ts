/**
 * The brute-force hardness of a DEL embedding (DaiMoN paper §IV), shown to a problem contributor so they choose the
 * embedding dimension n knowingly.
 *
 * An attacker who knows f and y_t = f(x_t) draws random label vectors x until d(f(x), y_t) < ε. If the outputs of f
 * were uniform on the unit sphere S^{n−1}, the chance p of one draw landing within ε is the share of a cap: with
 * cos β = 1 − ε (d < ε ⇔ the angle to y_t is below β), sin²β = 1 − (1 − ε)² = ε(2 − ε) and (S. Li, 2011)
 *   p = I_{sin²β}((n − 1)/2, ½)           — the cap's share of a *hemisphere*, the paper's formula;
 *   p_sphere = ½ · I_{sin²β}((n − 1)/2, ½) — its share of the whole sphere (β ≤ 90°).
 * A uniformly random unit vector falls in the cap with probability p_sphere: the other hemisphere is at modified
 * distance 1, so the paper's p is the conditional probability given y·y_t ≥ 0. We report the paper's p and q = 1/p
 * (the draws for α = pq ≈ 1) and give p_sphere next to it; the Monte-Carlo check in test/daimon/del.test.ts
 * confirms the factor ½.
 *
 * The paper prints p = 6.12e−13 (n = 32) and 3.33e−93 (n = 256) for ε = 0.10; this formula gives 1.04e−12 and
 * 6.09e−94. No single variant reproduces both (a = n/2 or (n − 2)/2, x = ε, a factor ½: see docs/daimon-del.md), so
 * we report what the formula computes.
 *
 * Caveat (docs/daimon-del.md): the outputs of a trained f are not uniform on the sphere: d(f(x), y_t) ≈ e(x, x_t), and
 * a random x has e ≈ 1 − 1/C, so the real p of a blind draw is far smaller still. The figure bounds blind guessing
 * only; it says nothing about attackers who use the structure of f.
 */
import { logRegularizedIncompleteBeta } from "./beta";

export interface BruteForceOdds {
  readonly n: number;
  readonly epsilon: number;
  /** sin²β = ε(2 − ε). */
  readonly sin2Beta: number;
  /** The paper's p = I_{sin²β}((n−1)/2, ½): share of the hemisphere around y_t (0 when it underflows a double). */
  readonly p: number;
  /** log10 p, exact even where p underflows. */
  readonly log10P: number;
  /** p over the whole sphere: p / 2. */
  readonly pSphere: number;
  /** q = 1/p, the paper's number of draws for success α ≈ 1 (Infinity where p underflows). */
  readonly q: number;
  readonly log10Q: number;
}

/** p, q and their logarithms for embedding dimension n ≥ 2 and distance 0 < ε ≤ 1. */
export function bruteForceOdds(n: number, epsilon: number): BruteForceOdds {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`n must be an integer ≥ 2, got ${n}`);
  if (!(epsilon > 0 && epsilon <= 1)) throw new RangeError(`ε must be in (0, 1], got ${epsilon}`);
  const sin2Beta = epsilon * (2 - epsilon);
  const lnP = logRegularizedIncompleteBeta(sin2Beta, (n - 1) / 2, 0.5);
  const log10P = lnP / Math.LN10;
  const p = Math.exp(lnP);
  return { n, epsilon, sin2Beta, p, log10P, pSphere: p / 2, q: 1 / p, log10Q: -log10P };
}

/**
 * Draws q needed for success probability α under the paper's model: α = 1 − (1 − p)^q, so
 * q = ln(1 − α) / ln(1 − p) (≈ −ln(1 − α)/p; the paper's q = α/p is its small-α form). Infinity for α = 1.
 */
export function bruteForceTrials(n: number, epsilon: number, alpha: number): number {
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`α must be in [0, 1], got ${alpha}`);
  if (alpha === 0) return 0;
  if (alpha === 1) return Infinity;
  const { p } = bruteForceOdds(n, epsilon);
  if (p >= 1) return 1;
  return Math.log1p(-alpha) / Math.log1p(-p);
}

export const BRUTE_FORCE_TABLE_N = [8, 16, 32, 64, 128, 256, 512, 1024] as const;
export const BRUTE_FORCE_TABLE_EPSILON = [0.01, 0.05, 0.1, 0.2] as const;

/** p and q for each (n, ε) pair, row-major by n: what a UI shows next to the n a problem contributor picks. */
export function bruteForceTable(
  ns: readonly number[] = BRUTE_FORCE_TABLE_N,
  epsilons: readonly number[] = BRUTE_FORCE_TABLE_EPSILON,
): BruteForceOdds[] {
  return ns.flatMap((n) => epsilons.map((epsilon) => bruteForceOdds(n, epsilon)));
}

/** "1.04e-12", or "10^-1234.5" where a double cannot hold the number. */
export function formatTinyProbability(log10: number): string {
  if (log10 > -300) return (10 ** log10).toExponential(2);
  return `10^${log10.toFixed(1)}`;
}

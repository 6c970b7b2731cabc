// Change points in a series of build values (DESIGN §5.3): E-divisive means (Matteson & James
// 2014, "A nonparametric approach for multiple change point analysis of multivariate data",
// JASA 109:505) with its permutation test, in the form MongoDB's signal-processing library
// and Hunter use on nightly performance series:
//   - divergence of a split τ of a segment Z[a, b) into X = Z[a, τ), Y = Z[τ, b), α = 1:
//       Q(τ) = m·n/(m+n) · ( 2/(m·n) Σ|Xi − Yj| − Σ_{i<k}|Xi − Xk|/C(m,2) − Σ_{j<k}|Yj − Yk|/C(n,2) )
//     (κ is the segment's end, as in those implementations; the paper also searches κ);
//   - hierarchical: each round takes the best split over all current segments;
//   - significance: the observations are permuted within each segment (R times, seeded) and the
//     round's best Q recomputed; p = (#{Q_perm ≥ Q} + 1)/(R + 1). A round with p ≥ the
//     significance level stops the search, so an A/A series yields no change point with
//     probability about 1 − level (the false-alarm rate; measured in bench/history.ts).
// Pure functions, no I/O.
import { mulberry32 } from '../core/index.js';

export interface ChangePointOptions {
  /** Significance level of the permutation test (default 0.05). */
  significance?: number;
  /** Permutations per round (default 199). */
  permutations?: number;
  /** Fewest values either side of a change point (default 3): one outlier is not a level. */
  minSize?: number;
  /** Seed of the permutations, so a history page is reproducible (default 1). */
  seed?: number;
  /** Stop after this many change points (default: no limit). */
  maxChangePoints?: number;
}

export interface ChangePoint {
  /** Index of the first value of the new level. */
  index: number;
  /** The divergence Q at the split. */
  q: number;
  /** Permutation p-value of the round that found it. */
  p: number;
}

/**
 * Best split of z[a, b): the τ maximising Q(τ), with at least `minSize` values either side.
 * O((b − a)²): moving τ by one moves one value from the right part to the left, which changes
 * each of the three distance sums by one row of distances.
 */
export function bestSplit(z: readonly number[], a: number, b: number, minSize: number): { index: number; q: number } | null {
  const len = b - a;
  if (len < 2 * minSize) return null;
  const d = (i: number, j: number): number => Math.abs((z[i] as number) - (z[j] as number));
  // Start with τ = a: everything on the right.
  let wl = 0;
  let wr = 0;
  let bt = 0;
  for (let i = a; i < b; i++) for (let j = i + 1; j < b; j++) wr += d(i, j);
  let best: { index: number; q: number } | null = null;
  for (let tau = a; tau < b - minSize; tau++) {
    // Move z[tau] from the right part to the left part.
    let toLeft = 0;
    let toRight = 0;
    for (let i = a; i < tau; i++) toLeft += d(i, tau);
    for (let j = tau + 1; j < b; j++) toRight += d(tau, j);
    wl += toLeft;
    wr -= toRight;
    bt += toRight - toLeft;
    const split = tau + 1;
    const m = split - a;
    const n = b - split;
    if (m < minSize) continue;
    const e = (2 * bt) / (m * n) - (m > 1 ? wl / ((m * (m - 1)) / 2) : 0) - (n > 1 ? wr / ((n * (n - 1)) / 2) : 0);
    const q = ((m * n) / (m + n)) * e;
    if (best === null || q > best.q) best = { index: split, q };
  }
  return best;
}

/** The best split over every segment between the given boundaries. */
function bestOver(z: readonly number[], bounds: readonly number[], minSize: number): { index: number; q: number } | null {
  let best: { index: number; q: number } | null = null;
  for (let s = 0; s + 1 < bounds.length; s++) {
    const cand = bestSplit(z, bounds[s] as number, bounds[s + 1] as number, minSize);
    if (cand !== null && (best === null || cand.q > best.q)) best = cand;
  }
  return best;
}

/** Relative tolerance under which two divergences are a tie. */
const TIE_TOLERANCE = 1e-9;

/** Change points of `values`, in index order. Non-finite values are not allowed (filter first). */
export function eDivisive(values: readonly number[], opts: ChangePointOptions = {}): ChangePoint[] {
  const significance = opts.significance ?? 0.05;
  const permutations = opts.permutations ?? 199;
  const minSize = Math.max(1, opts.minSize ?? 3);
  const maxCp = opts.maxChangePoints ?? Infinity;
  const rand = mulberry32(opts.seed ?? 1);
  const z = [...values];
  const found: ChangePoint[] = [];
  while (found.length < maxCp) {
    const bounds = [0, ...found.map((c) => c.index).sort((x, y) => x - y), z.length];
    const best = bestOver(z, bounds, minSize);
    if (best === null || !(best.q > 0)) break;
    // Permutation test: shuffle within each segment (the null is "no further change").
    let atLeast = 0;
    const perm = [...z];
    for (let r = 0; r < permutations; r++) {
      for (let s = 0; s + 1 < bounds.length; s++) {
        const lo = bounds[s] as number;
        for (let i = (bounds[s + 1] as number) - 1; i > lo; i--) {
          const j = lo + Math.floor(rand() * (i - lo + 1));
          const t = perm[i] as number;
          perm[i] = perm[j] as number;
          perm[j] = t;
        }
      }
      const q = bestOver(perm, bounds, minSize)?.q ?? -Infinity;
      // A permutation that reproduces the observed split gives the same Q up to rounding: a
      // tie, counted as at least as large (else six builds could show p = 0.04 < 1/C(6,3)).
      if (q >= best.q - TIE_TOLERANCE * Math.max(1, Math.abs(best.q))) atLeast++;
      // Already certain to be non-significant: the remaining permutations cannot lower p.
      if ((atLeast + 1) / (permutations + 1) >= significance) break;
    }
    const p = (atLeast + 1) / (permutations + 1);
    if (p >= significance) break;
    found.push({ index: best.index, q: best.q, p });
  }
  return found.sort((x, y) => x.index - y.index);
}

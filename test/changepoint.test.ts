// E-divisive means (pipeline/changepoint.ts): the divergence Q of a split computed by hand,
// a planted step found at its build, constant and A/A-like series left alone, reproducibility.
import { describe, expect, it } from 'vitest';
import { bestSplit, eDivisive } from '../pipeline/history/index.js';

describe('bestSplit', () => {
  it('maximises Q = mn/(m+n)·(2·B/(mn) − WL/C(m,2) − WR/C(n,2))', () => {
    // z = 0 0 0 1 1 1. Split 3: B = 9, WL = WR = 0 → E = 2, Q = 9/6·2 = 3.
    // Split 2: B = 2·3 = 6 → 12/8 = 1.5; WR over 0 1 1 1 = 3 → 3/6 = 0.5; E = 1, Q = 8/6 = 1.333.
    const z = [0, 0, 0, 1, 1, 1];
    expect(bestSplit(z, 0, 6, 3)).toEqual({ index: 3, q: 3 });
    expect(bestSplit(z, 0, 6, 2)).toEqual({ index: 3, q: 3 });
    // Only split 2 or 4 allowed when looking at z[0, 5) with min 2: 0 0 | 0 1 1 → B = 4, 8/6;
    // WR over 0 1 1 = 2 → 2/3; E = 2/3, Q = 6/5·2/3 = 0.8. 0 0 0 | 1 1: B = 6 → 2; Q = 6/5·2 = 2.4.
    const s = bestSplit(z, 0, 5, 2);
    expect(s?.index).toBe(3);
    expect(s?.q).toBeCloseTo(2.4, 12);
    expect(bestSplit(z, 0, 5, 3)).toBeNull();
  });
});

describe('eDivisive', () => {
  it('finds a planted step at the build where the new level starts', () => {
    const z = [10, 10.1, 9.9, 10, 10.05, 9.95, 11, 11.1, 10.9, 11, 11.05, 10.95];
    const cps = eDivisive(z, { seed: 7 });
    expect(cps.map((c) => c.index)).toEqual([6]);
    // Only a perfect separation reaches this Q: 2 of C(12, 6) = 924 orders, so p is 1/200 or 2/200.
    expect(cps[0]?.p).toBeLessThanOrEqual(0.01);
  });

  it('finds two steps and keeps them in index order', () => {
    const z = [5, 5.1, 4.9, 5, 8, 8.1, 7.9, 8, 3, 3.1, 2.9, 3];
    expect(eDivisive(z, { seed: 3 }).map((c) => c.index)).toEqual([4, 8]);
  });

  it('leaves a constant series and a too-short series alone', () => {
    expect(eDivisive([4, 4, 4, 4, 4, 4, 4, 4])).toEqual([]);
    expect(eDivisive([1, 2, 3, 4, 5])).toEqual([]);
  });

  it('six values cannot be significant at 5%: a perfect split has p ≈ 2/C(6,3) = 0.1', () => {
    expect(eDivisive([0, 0, 0, 1, 1, 1], { seed: 1 })).toEqual([]);
  });

  it('is reproducible for a seed', () => {
    const z = [1, 3, 2, 5, 4, 6, 2, 7, 3, 8, 1, 9];
    expect(eDivisive(z, { seed: 11 })).toEqual(eDivisive(z, { seed: 11 }));
  });
});

// Chart data decisions by hand-computed cases: the unit a chart draws in (as the tables show
// it), which CDFs are steps rather than distributions, set colours that are not verdict colours,
// and the alternative text of an SVG.
import { describe, expect, it } from 'vitest';
import { chartUnit, inlineSvg, scaleCdfRows, SET_COLORS, stepValues } from '../pipeline/render/index.js';

const cdf = (set: string, pairs: [number, number][]) => pairs.map(([centile, mean]) => ({ set, centile, mean, min: mean, max: mean }));

describe('chartUnit', () => {
  it('draws seconds below one in ms, as formatValue shows them in the tables', () => {
    expect(chartUnit('s', [0.00005, 0.0321])).toEqual({ unit: 'ms', factor: 1000 });
    expect(chartUnit('s', [0.2, 1.4])).toEqual({ unit: 's', factor: 1 });
    expect(chartUnit('MiB', [0.5])).toEqual({ unit: 'MiB', factor: 1 });
    // 0.0321 s → 32.1 ms, the band's ends too.
    const [row] = scaleCdfRows([{ set: 'a', centile: 0.5, mean: 0.0321, min: 0.03, max: 0.035 }], 1000);
    expect([row?.set, row?.centile]).toEqual(['a', 0.5]);
    expect(Number(row?.mean)).toBeCloseTo(32.1, 9);
    expect(Number(row?.min)).toBeCloseTo(30, 9);
    expect(Number(row?.max)).toBeCloseTo(35, 9);
  });
});

describe('stepValues', () => {
  it('names a flat line and a one-step CDF by their values, and passes a distribution', () => {
    // Loop starts per slot: 1 from the 5th to the 95th centile in both sets; the 99th (2) is outside.
    expect(stepValues([...cdf('a', [[0.05, 1], [0.5, 1], [0.95, 1], [0.99, 2]]), ...cdf('b', [[0.05, 1], [0.5, 1], [0.95, 1]])])).toEqual([1]);
    // OS threads: 28 then 29 in one set, 28 in the other: one step.
    expect(stepValues([...cdf('a', [[0.05, 28], [0.5, 28], [0.95, 29]]), ...cdf('b', [[0.05, 28], [0.95, 28]])])).toEqual([28, 29]);
    // Three values in one set: a distribution.
    expect(stepValues(cdf('a', [[0.05, 1], [0.5, 2], [0.95, 3]]))).toBeNull();
    expect(stepValues([])).toBeNull();
  });
});

describe('set colours', () => {
  it('use neither the verdict red nor the verdict green', () => {
    const hue = (hex: string): [number, number, number] => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
      const max = Math.max(r, g, b);
      const min = Math.min(r, g, b);
      const d = max - min;
      const h = d === 0 ? 0 : max === r ? ((g - b) / d + 6) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
      return [h * 60, max === 0 ? 0 : d / max, max];
    };
    for (const c of SET_COLORS) {
      const [h, sat] = hue(c);
      const reddish = h < 20 || h > 340;
      const greenish = h > 75 && h < 165;
      expect(sat < 0.15 || !(reddish || greenish), `${c} (hue ${h.toFixed(0)}°) reads as a verdict colour`).toBe(true);
    }
  });
});

describe('inlineSvg', () => {
  it('gives the chart one text alternative and drops the ARIA vega puts on its parts', () => {
    const svg = '<svg class="marks" width="10" height="10"><g role="graphics-object" aria-roledescription="group mark container" aria-label="x"><path/></g></svg>';
    expect(inlineSvg(svg, 'c', 'Dot plot of "CPU" & <RSS>')).toBe('<svg role="img" aria-label="Dot plot of &quot;CPU&quot; &amp; &lt;RSS>" class="marks" width="10" height="10"><g><path/></g></svg>');
  });
});

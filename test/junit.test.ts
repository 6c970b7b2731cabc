// CI outputs: JUnit XML (pipeline/render/junit.ts), one test case per gated metric, failures
// and skips from the gate; the short pull-request summary (pipeline/render/summary.ts) on the
// render fixture (test/fixtures/render/report-model.json).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateGate, NOISE_GATE } from '../pipeline/gate/index.js';
import { junitXml, xmlEscape, renderSummary } from '../pipeline/render/index.js';
import type { Report } from '../pipeline/core/index.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'render', 'report-model.json');

describe('junitXml', () => {
  it('one case per metric: failure beyond budget, skipped when undecided, waived passes', () => {
    const gate = evaluateGate(
      { source: 'g.yaml', budgets: new Map([['rss_mb', 10], ['cpu_pct', 2]]), requireDecided: ['heap_mb'], waivers: new Map() },
      [
        { metric: 'cpu_pct', verdict: 'regressed', method: 'welch', delta_pct: 4.9, noise_pct: 2 },
        { metric: 'rss_mb', verdict: 'regressed', method: 'welch', delta_pct: 3, noise_pct: 2 },
        { metric: 'heap_mb', verdict: 'inconclusive', method: 'welch', delta_pct: 1, noise_pct: 2 },
        { metric: 'gc_cpu_pct', verdict: 'unchanged', method: 'welch', delta_pct: 0, noise_pct: 2 },
      ],
    );
    const xml = junitXml('a <b> & "c"', ['cpu_pct', 'rss_mb', 'heap_mb', 'gc_cpu_pct'].map((metric) => ({ classname: 'bench-report.resources', metric })), gate, '2026-01-01T00:00:00Z');
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="bench-report" tests="4" failures="1" errors="0">',
        '  <testsuite name="a &lt;b&gt; &amp; &quot;c&quot;" tests="4" failures="1" errors="0" skipped="1" timestamp="2026-01-01T00:00:00Z">',
        '    <testcase classname="bench-report.resources" name="cpu_pct">',
        '      <failure type="regression" message="cpu_pct regressed +4.90%, beyond its budget of 2%">cpu_pct regressed +4.90%, beyond its budget of 2%</failure>',
        '    </testcase>',
        '    <testcase classname="bench-report.resources" name="rss_mb">',
        '      <system-out>waived: +3.00%, within its budget of 10%</system-out>',
        '    </testcase>',
        '    <testcase classname="bench-report.resources" name="heap_mb">',
        '      <skipped message="undecided: required a run-to-run verdict; was inconclusive"/>',
        '    </testcase>',
        '    <testcase classname="bench-report.resources" name="gc_cpu_pct"></testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });

  it('a gate with no run-to-run verdict skips every case', () => {
    const gate = evaluateGate(NOISE_GATE, [{ metric: 'cpu_pct', verdict: 'unchanged', method: 'within-run', delta_pct: 0, noise_pct: 2 }]);
    expect(junitXml('s', [{ classname: 'c', metric: 'cpu_pct' }], gate, 't')).toContain('<skipped message="undecided: no metric reached a run-to-run verdict');
  });

  it('escapes XML and drops control characters', () => {
    expect(xmlEscape(`a'b\u0001c`)).toBe('a&apos;bc');
  });
});

describe('renderSummary', () => {
  it('lists only regressions, improvements, changes and what needs runs, with set labels', async () => {
    const report = JSON.parse(await readFile(FIXTURE, 'utf8')) as Report;
    report.gate = evaluateGate(NOISE_GATE, report.metrics.map((m) => ({ metric: m.id, verdict: m.verdict, method: m.method, delta_pct: m.delta_pct, noise_pct: m.noise_pct, family: m.family, better: m.better, ci95_pct: m.ci95_pct, margin_pct: m.margin_pct, runs_needed: m.runs_needed })));
    expect(renderSummary(report)).toBe(
      [
        '### new tracing against legacy tracing',
        '',
        '**TRADE-OFF** — costs: CPU usage +17.1% (CI +8.20% to +25.6%) regressed; Adoption by 90% of nodes +13.1% (CI +8.60% to +17.7%) regressed; gains: Allocation rate −13.9% (CI −18.9% to −7.10%) improved (with the gate)',
        '',
        '| primary metric | standing | Δ% | 95% CI | margin | runs a side to decide |',
        '| :-- | :-- | --: | --: | --: | --: |',
        '| CPU usage `cpu_pct` | cost | +17.1% | [+8.20%, +25.6%] | ±2.00% | — |',
        '| Adoption by 90% of nodes `adoption_p90_s` | cost | +13.1% | [+8.60%, +17.7%] | ±2.00% | — |',
        '| Allocation rate `alloc_mb_s` | gain | −13.9% | [−18.9%, −7.10%] | ±2.00% | — |',
        '| Adoption by 50% of nodes `adoption_p50_s` | undecided | +4.84% | [−8.20%, +18.5%] | ±2.00% | ~14 |',
        '| Resident set size `rss_mb` | undecided | +2.24% | [−7.80%, +12.8%] | ±2.00% | ~9 |',
        '',
        'Candidate **new tracing** (2 runs) against baseline **legacy tracing** (2 runs).',
        '',
        '**✗ Gate failed: 2 metrics regressed beyond budget** (\\--fail-on-regression)',
        '- failed: cpu\\_pct +17.1% (budget 2.00%); adoption\\_p90\\_s +13.1% (budget 2.00%)',
        '',
        '**Regressed** (3)',
        '',
        '- CPU usage `cpu_pct` +17.1% [+8.20%, +25.6%]',
        '- Leadership check start `forge_start_s` +15.4% [+6.00%, +24.6%] — exploratory',
        '- Adoption by 90% of nodes `adoption_p90_s` +13.1% [+8.60%, +17.7%]',
        '',
        '**Improved** (2)',
        '',
        '- Allocation rate `alloc_mb_s` −13.9% [−18.9%, −7.10%]',
        '- Block fetch `peer_fetch_s` −12.8% [−18.6%, −7.40%] — exploratory',
        '',
        '**Changed (no better direction)** (1)',
        '',
        '- Block size `block_size_bytes` +11.0% [+9.10%, +12.9%] — exploratory',
        '',
        '**Needs runs** (5): `rss_mb`, `block_battles`, `missed_slots`, `forge_forge_s`, `adoption_p50_s` — up to 14 runs per side would decide them at their margins.',
        '',
        '_Within-run verdicts describe one run a side; they never pass a gate._',
        '',
      ].join('\n'),
    );
  });
});

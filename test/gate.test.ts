// The gate stage (pipeline/gate.ts, DESIGN §5.4): gates files (YAML and JSON, every input
// error named), budgets, waivers, require_decided, within-run evidence never passing, and the
// gate block every format shows (pipeline/render/gate-view.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateGate, loadGate, NOISE_GATE, parseGate, type GateInput } from '../pipeline/gate/index.js';
import { gateJson, gateMarkdown } from '../pipeline/render/index.js';
import { CliError } from '../pipeline/core/index.js';

const IDS = ['cpu_pct', 'rss_mb', 'gc_cpu_pct', 'heap_mb'];
const m = (metric: string, verdict: GateInput['verdict'], delta_pct: number | null, method: GateInput['method'] = 'welch'): GateInput => ({
  metric,
  verdict,
  method,
  delta_pct,
  noise_pct: 2,
});

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gate-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('loadGate', () => {
  it('reads the DESIGN §5.4 YAML example', async () => {
    const f = join(tmp, 'gates.yaml');
    await writeFile(
      f,
      [
        'metrics:',
        '  cpu_pct: {max_regression_pct: 10}',
        '  rss_mb:  {max_regression_pct: 0}',
        'require_decided: [cpu_pct, rss_mb]',
        'waivers:',
        '  - {metric: gc_cpu_pct, reason: "GC cost of new tracing accepted"}',
      ].join('\n'),
    );
    const g = await loadGate(f, IDS);
    expect([...g.budgets]).toEqual([['cpu_pct', 10], ['rss_mb', 0]]);
    expect(g.requireDecided).toEqual(['cpu_pct', 'rss_mb']);
    expect([...g.waivers]).toEqual([['gc_cpu_pct', 'GC cost of new tracing accepted']]);
  });

  it('names the file and the problem for every bad input', async () => {
    const bad = async (text: string, name = 'g.json'): Promise<string> => {
      const f = join(tmp, name);
      await writeFile(f, text);
      const err = await loadGate(f, IDS).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CliError);
      expect((err as CliError).exitCode).toBe(2);
      return (err as Error).message;
    };
    expect(await bad('{"metrics": {"cpu": {"max_regression_pct": 5}}}')).toBe(`Gates file ${join(tmp, 'g.json')} is invalid: metrics names unknown metric "cpu" (see the data dictionary or docs/metrics.md for ids).`);
    expect(await bad('{"require_decided": ["nope"]}')).toContain('require_decided names unknown metric "nope"');
    expect(await bad('{"waivers": [{"metric": "rss_mb"}]}')).toContain('waivers[0] (rss_mb) needs a reason');
    expect(await bad('{"waivers": [{"metric": "x", "reason": "r"}]}')).toContain('waivers[0] names unknown metric "x"');
    expect(await bad('{"metrics": {"cpu_pct": {"max_regression_pct": -1}}}')).toContain('metrics.cpu_pct.max_regression_pct must be a number ≥ 0');
    expect(await bad('{"metric": {}}')).toBe(`Gates file ${join(tmp, 'g.json')} is invalid: unknown key "metric", did you mean "metrics"? (expected metrics, require_decided, waivers).`);
    // A misspelt key inside a metric's budget is named as such, not as a missing number.
    expect(await bad('{"metrics": {"cpu_pct": {"max_regression": 5}}}')).toBe(
      `Gates file ${join(tmp, 'g.json')} is invalid: metrics.cpu_pct has unknown key "max_regression", did you mean "max_regression_pct"? (expected max_regression_pct).`,
    );
    expect(await bad('{"metrics": {"cpu_pct": {"budget": 5}}}')).toContain('metrics.cpu_pct has unknown key "budget" (expected max_regression_pct).');
    expect(await bad('{"require_decided": ["cpu_pc"]}')).toContain('require_decided names unknown metric "cpu_pc", did you mean "cpu_pct"? (see the data dictionary');
    expect(await bad('{nope')).toMatch(/is not valid JSON/);
    expect(await bad('a: [', 'g.yaml')).toMatch(/is not valid YAML/);
    expect(await bad('{}', 'g.txt')).toBe(`Gates file ${join(tmp, 'g.txt')} must end in .json, .yaml or .yml.`);
    const missing = await loadGate(join(tmp, 'none.yaml'), IDS).catch((e: unknown) => e);
    expect((missing as Error).message).toBe(`Gates file ${join(tmp, 'none.yaml')} does not exist.`);
  });
});

describe('evaluateGate', () => {
  const spec = parseGate(
    { metrics: { cpu_pct: { max_regression_pct: 10 }, rss_mb: { max_regression_pct: 0 } }, require_decided: ['heap_mb'], waivers: [{ metric: 'gc_cpu_pct', reason: 'accepted' }] },
    'gates.yaml',
    IDS,
  );

  it('passes a regression within its budget and fails one beyond it', () => {
    // cpu +7.2% ≤ 10 → waived by budget; rss +0.5% > 0 → fails; gc waived by reason.
    const g = evaluateGate(spec, [m('cpu_pct', 'regressed', 7.2), m('rss_mb', 'regressed', 0.5), m('gc_cpu_pct', 'regressed', 30), m('heap_mb', 'unchanged', 0.1)]);
    expect(g.status).toBe('fail');
    expect(g.failed).toEqual([{ metric: 'rss_mb', delta_pct: 0.5, budget_pct: 0 }]);
    expect(g.waived).toEqual([
      { metric: 'cpu_pct', delta_pct: 7.2, budget_pct: 10, reason: 'within its budget of 10%' },
      { metric: 'gc_cpu_pct', delta_pct: 30, budget_pct: null, reason: 'accepted' },
    ]);
    expect(g.undecided).toEqual([]);
  });

  it('a metric without an entry has its noise threshold as budget; improvements (Δ% < 0 on higher-is-better) count by size', () => {
    expect(evaluateGate(NOISE_GATE, [m('heap_mb', 'regressed', 2.5)]).failed).toEqual([{ metric: 'heap_mb', delta_pct: 2.5, budget_pct: 2 }]);
    // A throughput fall of 3% is a regression of size 3.
    expect(evaluateGate(NOISE_GATE, [m('tps', 'regressed', -3)]).status).toBe('fail');
    expect(evaluateGate(NOISE_GATE, [m('cpu_pct', 'improved', -9), m('rss_mb', 'unchanged', 0)]).status).toBe('pass');
  });

  it('require_decided: inconclusive or within-run only is undecided, never pass', () => {
    const g = evaluateGate(spec, [m('cpu_pct', 'unchanged', 0.3), m('heap_mb', 'inconclusive', 3)]);
    expect(g.status).toBe('undecided');
    expect(g.undecided).toEqual([{ metric: 'heap_mb', reason: 'required a run-to-run verdict; was inconclusive' }]);
  });

  it('within-run evidence never passes: a within-run regression is undecided, as is a gate that saw only within-run verdicts', () => {
    const g = evaluateGate(NOISE_GATE, [m('cpu_pct', 'regressed', 7.5, 'within-run'), m('rss_mb', 'unchanged', 0.1, 'within-run')]);
    expect(g.status).toBe('undecided');
    expect(g.undecided).toEqual([{ metric: 'cpu_pct', reason: 'regressed on within-run evidence only (one run a side)' }]);
    const quiet = evaluateGate(NOISE_GATE, [m('rss_mb', 'unchanged', 0.1, 'within-run'), m('cpu_pct', 'insufficient-data', null)]);
    expect(quiet.status).toBe('undecided');
    expect(quiet.undecided[0]?.metric).toBe('*');
  });

  it('prediction-interval verdicts count as run-to-run', () => {
    expect(evaluateGate(NOISE_GATE, [m('cpu_pct', 'regressed', 4.9, 'prediction-interval')]).status).toBe('fail');
  });
});

describe('gate block', () => {
  it('renders the same facts in Markdown and JSON', () => {
    const g = evaluateGate(NOISE_GATE, [m('cpu_pct', 'regressed', 4.9), m('rss_mb', 'regressed', 7.5, 'within-run')]);
    expect(gateMarkdown(g, (s) => s)).toEqual([
      '**✗ Gate failed: 1 metric regressed beyond budget** (--fail-on-regression)',
      '- failed: cpu_pct +4.90% (budget 2.00%)',
      '- undecided: rss_mb: regressed on within-run evidence only (one run a side)',
      '',
    ]);
    expect(gateJson(g)).toEqual({
      status: 'fail',
      failed: [{ metric: 'cpu_pct', delta_pct: 4.9, budget_pct: 2 }],
      waived: [],
      undecided: [{ metric: 'rss_mb', reason: 'regressed on within-run evidence only (one run a side)' }],
      source: '--fail-on-regression',
    });
  });
});

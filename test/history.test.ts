// The history job (DESIGN §5.3): grouping warehouse runs into series and builds, change points
// and the latest-build verdict on hand-computed values (pipeline/history-series.ts), the
// --where selection (pipeline/history-runs.ts), and the whole job on simulated nights: the
// history@1 JSON, links from trend points to builds, the cache (no log is read again).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError, silentLogger, type Logger } from '../pipeline/core/index.js';
import {
  parseWhere,
  selectRuns,
  type WarehouseRun,
  groupSeries,
  judgeSeries,
  type RunValueMap,
  buildLabels,
  historyJunit,
  historyMarkdown,
  latestGateInputs,
  toHistoryJson,
  trendRows,
} from '../pipeline/history/index.js';
import type { History } from '../pipeline/history/index.js';
import { evaluateGate, NOISE_GATE } from '../pipeline/gate/index.js';
import { main } from '../pipeline/cli.js';
import { runHistory } from '../pipeline/jobs/index.js';
import { simulate } from '../pipeline/simulate/index.js';
import type { MetricDef, RunInfo } from '../pipeline/core/index.js';

const CPU: MetricDef = { id: 'cpu_pct', section: 'resources', title: 'CPU use', unit: '%', better: 'lower', definition: '', kind: 'distribution' };
const OPTS = { alpha: 0.05, noiseFor: () => 2, seed: 1, permutations: 199, minSize: 3, significance: 0.05 };

let nextId = 1;
function run(tag: string, batch: string | null, day: number, over: Partial<WarehouseRun> = {}): WarehouseRun {
  return {
    run_id: nextId++,
    tag,
    path: `/runs/${tag}`,
    fingerprint: tag,
    batch,
    start: new Date(Date.UTC(2026, 0, day)).toISOString(),
    commit: `c${day}`,
    branch: 'main',
    profile: 'p',
    tracing_backend: 'trace-dispatcher',
    rts_flags: ['-N2'],
    nodes: 6,
    log_lines: 0,
    malformed_lines: 0,
    ingested_at: '',
    info: {} as RunInfo,
    ...over,
  };
}
const values = (pairs: [WarehouseRun, number][]): RunValueMap => new Map(pairs.map(([r, v]) => [r.run_id, new Map([['cpu_pct', v]])]));

describe('groupSeries', () => {
  it('groups by configuration, builds by batch ordered by earliest systemStart', () => {
    const runs = [run('r3', 'b2', 3), run('r1', 'b1', 1), run('r2', 'b2', 2), run('x', 'b1', 1, { tracing_backend: 'iohk-monitoring' }), run('lone', null, 5)];
    const groups = groupSeries(runs);
    expect(groups.map((g) => g.key.tracing_backend)).toEqual(['iohk-monitoring', 'trace-dispatcher']);
    const td = groups[1];
    expect(td?.builds.map((b) => [b.id, b.runs, b.start.slice(0, 10), b.commit])).toEqual([
      ['b1', ['r1'], '2026-01-01', 'c1'],
      ['b2', ['r2', 'r3'], '2026-01-02', 'c2'],
      ['lone', ['lone'], '2026-01-05', 'c5'],
    ]);
  });
});

describe('judgeSeries', () => {
  it('judges a one-run latest build by the prediction interval of the window runs', () => {
    // Builds: b1 = 10; b2 = 11, 13; b3 = 12; b4 = 17 (latest). Build values 10, 12, 12, 17.
    // Window (no change point): runs 10, 11, 13, 12 → mean 11.5, sd √(5/3) = 1.290994;
    // se = sd·√(1 + 1/4) = 1.443376; Δ = 5.5, t = 3.810512, df 3. The t(3) CDF is
    // ½ + (1/π)(u/(1 + u²) + atan u), u = t/√3 = 2.2 → 0.984113, p = 0.031774 → q = p (one
    // metric) < 0.05 and Δ% = 47.83 ≥ 2 on a lower-is-better metric → regressed.
    const rs = [run('a', 'b1', 1), run('b', 'b2', 2), run('c', 'b2', 2), run('d', 'b3', 3), run('e', 'b4', 4)];
    const vs = values([[rs[0]!, 10], [rs[1]!, 11], [rs[2]!, 13], [rs[3]!, 12], [rs[4]!, 17]]);
    const [g] = groupSeries(rs);
    const s = judgeSeries(g!, [CPU], vs, OPTS);
    const m = s.metrics[0]!;
    expect(m.values).toEqual([10, 12, 12, 17]);
    expect(m.runs).toEqual([[10], [11, 13], [12], [17]]);
    expect(m.change_points).toEqual([]);
    expect(m.latest?.method).toBe('prediction-interval');
    expect(m.latest?.p_value).toBeCloseTo(0.031774, 5);
    expect(m.latest?.delta_pct).toBeCloseTo((5.5 / 11.5) * 100, 10);
    expect(m.latest?.verdict).toBe('regressed');
    expect(m.latest?.window).toEqual({ from: 'b1', builds: 3, runs: 4 });
  });

  it('gates the latest builds: a regression beyond the noise threshold fails, named by series', () => {
    const rs = [run('a', 'b1', 1), run('b', 'b2', 2), run('c', 'b2', 2), run('d', 'b3', 3), run('e', 'b4', 4)];
    const vs = values([[rs[0]!, 10], [rs[1]!, 11], [rs[2]!, 13], [rs[3]!, 12], [rs[4]!, 17]]);
    const s = judgeSeries(groupSeries(rs)[0]!, [CPU], vs, OPTS);
    const h = { series: [s] } as History;
    const g = evaluateGate(NOISE_GATE, latestGateInputs(h));
    expect(g.status).toBe('fail');
    expect(g.failed).toEqual([{ metric: 'cpu_pct', series: 'p · trace-dispatcher · -N2', delta_pct: expect.closeTo((5.5 / 11.5) * 100, 10), budget_pct: 2 }]);
    expect(historyJunit({ ...h, gate: g, generated_at: 't' } as History)).toContain('<testcase classname="history.p · trace-dispatcher · -N2" name="cpu_pct">\n      <failure');
  });

  it('finds a step, and judges the latest build only against the builds since it', () => {
    // 10 one-run builds: five at 10, five at 20. The perfect split is 2 of C(10,5) = 252 orders.
    const rs = Array.from({ length: 10 }, (_, i) => run(`n${i}`, `b${i}`, i + 1));
    const vs = values(rs.map((r, i) => [r, i < 5 ? 10 : 20]));
    const [g] = groupSeries(rs);
    const m = judgeSeries(g!, [CPU], vs, OPTS).metrics[0]!;
    expect(m.change_points).toHaveLength(1);
    expect(m.change_points[0]).toMatchObject({ index: 5, build: 'b5', before_mean: 10, after_mean: 20, delta_pct: 100, verdict: 'regressed' });
    expect(m.change_points[0]?.p_value).toBeLessThan(0.05);
    // Window b5..b8 (all 20): the latest 20 is exactly the window's level.
    expect(m.latest?.window).toEqual({ from: 'b5', builds: 4, runs: 4 });
    expect(m.latest?.delta_pct).toBe(0);
    expect(m.latest?.verdict).toBe('unchanged');
  });

  it('trend rows link each build point to its row and mark change points', () => {
    const rs = Array.from({ length: 10 }, (_, i) => run(`t${i}`, `c${i}`, i + 1));
    const [g] = groupSeries(rs);
    const s = judgeSeries(g!, [CPU], values(rs.map((r, i) => [r, i < 5 ? 10 : 20])), OPTS);
    const rows = trendRows(s.metrics[0]!, 2, s.builds);
    expect(rows[0]).toEqual({ kind: 'build', x: 1, value: 10, build: 'c0', href: '#build-2-0' });
    expect(rows[1]).toEqual({ kind: 'run', x: 1, value: 10 });
    // Two levels, 10 over builds 1–5 and 20 over 6–10, each with a ±2% noise band (noise 2%);
    // the change point at build 6 labelled with the levels before and after.
    expect(rows.filter((r) => r.kind === 'level')).toEqual([
      { kind: 'level', x: 1, x2: 5, value: 10 },
      { kind: 'level', x: 6, x2: 10, value: 20 },
    ]);
    expect(rows.filter((r) => r.kind === 'band')).toEqual([
      { kind: 'band', x: 1, x2: 5, lo: 9.8, hi: 10.2 },
      { kind: 'band', x: 6, x2: 10, lo: 19.6, hi: 20.4 },
    ]);
    expect(rows.at(-1)).toEqual({ kind: 'cp', x: 6, label: 'c5: 10% → 20% (+100%)' });
    expect(buildLabels(s.builds)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9']);
  });
});

describe('--where', () => {
  const rs = [run('a', 'b1', 1), run('b', 'b2', 5, { tracing_backend: 'iohk-monitoring', rts_flags: ['-N2', '-A64m'] })];
  it('selects by key, negation, tracing alias, RTS flag and date', () => {
    expect(selectRuns(rs, parseWhere(['tracing=legacy'], '--where')).map((r) => r.tag)).toEqual(['b']);
    expect(selectRuns(rs, parseWhere(['batch!=b2'], '--where')).map((r) => r.tag)).toEqual(['a']);
    expect(selectRuns(rs, parseWhere(['rts=-A64m'], '--where')).map((r) => r.tag)).toEqual(['b']);
    expect(selectRuns(rs, [], '2026-01-03T00:00:00.000Z').map((r) => r.tag)).toEqual(['b']);
  });
  it('rejects an unknown key with exit 2', () => {
    const err = (() => {
      try {
        parseWhere(['colour=red'], '--where');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(CliError);
    expect((err as Error).message).toBe('--where "colour=red" must be KEY=VALUE or KEY!=VALUE with KEY one of tag, batch, profile, tracing, rts, commit, branch.');
  });
});

describe('history job on simulated nights', () => {
  let tmp = '';
  const lines: string[] = [];
  const log: Logger = { info: (m) => lines.push(m), warn: (m) => lines.push(m) };
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'bench-report-history-'));
    // Four nights, one run each; seeds set the dates (systemStart = 2026-01-01 + seed hours).
    for (let n = 1; n <= 4; n++) await simulate({ out: join(tmp, `night${n}`), tracing: 'new', rts: '', nodes: 3, slots: 60, runs: 1, seed: 10 * n, tagPrefix: `night-${n}` });
  }, 120_000);
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('writes history@1, links trend points to builds, and reads values from the cache the second time', async () => {
    const db = join(tmp, 'w.duckdb');
    const out = join(tmp, 'h');
    const paths = [1, 2, 3, 4].map((n) => join(tmp, `night${n}`));
    const first = await runHistory({ paths, out, formats: ['json', 'md', 'html'], db, generatedAt: '2026-02-01T00:00:00Z' }, log);
    expect(lines.some((l) => l.includes('0 runs from the cache, 4 computed from events'))).toBe(true);
    const json = JSON.parse(await readFile(join(out, 'history.json'), 'utf8')) as ReturnType<typeof toHistoryJson> & {
      series: { label: string; key: Record<string, unknown>; builds: { id: string; start: string; commit: string; runs: string[] }[]; metrics: { id: string; values: number[]; latest: { method: string } | null }[] }[];
    };
    expect(Object.keys(json).slice(0, 5)).toEqual(['schema', 'generated_at', 'series', 'warnings', 'gate']);
    expect(json.schema).toBe('bench-report/history@1');
    const [s] = json.series;
    expect(s?.key).toEqual({ profile: 'sim-3n-60s', tracing_backend: 'trace-dispatcher', rts_flags: ['-N2', '-I0', '-A16m', '-qg1', '-qb1', '--disable-delayed-os-memory-return'] });
    expect(s?.builds.map((b) => [b.id, b.start, b.runs])).toEqual([
      ['night-1', '2026-01-01T10:00:00Z', ['night-1-s10']],
      ['night-2', '2026-01-01T20:00:00Z', ['night-2-s20']],
      ['night-3', '2026-01-02T06:00:00Z', ['night-3-s30']],
      ['night-4', '2026-01-02T16:00:00Z', ['night-4-s40']],
    ]);
    const cpu = s?.metrics.find((m) => m.id === 'cpu_pct');
    expect(cpu?.values).toHaveLength(4);
    expect(cpu?.latest?.method).toBe('prediction-interval');
    const html = await readFile(join(out, 'history.html'), 'utf8');
    expect(html).toContain('<tr id="build-0-3">');
    expect(html).toContain('href="#build-0-3"');
    expect(await readFile(join(out, 'history.md'), 'utf8')).toContain('4 builds; latest night-4');

    // The run folders may go: history reads the warehouse, and the values come from its cache.
    for (const n of [1, 2, 3, 4]) await rm(join(tmp, `night${n}`), { recursive: true, force: true });
    lines.length = 0;
    const second = await runHistory({ paths: [], out, formats: ['json', 'pdf'], db, generatedAt: '2026-02-01T00:00:00Z' }, log);
    expect(lines.some((l) => l.includes('4 runs from the cache, 0 computed'))).toBe(true);
    // A real PDF, printed from the same page.
    expect((await readFile(join(out, 'history.pdf'))).subarray(0, 5).toString()).toBe('%PDF-');
    expect(second.history.series[0]?.metrics.find((m) => m.id === 'cpu_pct')?.values).toEqual(first.history.series[0]?.metrics.find((m) => m.id === 'cpu_pct')?.values);
    expect(historyMarkdown(second.history)).toContain('### Benchmark history');
  }, 180_000);

  it('`runs --where/--since` lists the matching warehouse runs with build, date, commit and branch', async () => {
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (out.push(chunk), true)) as typeof process.stdout.write;
    let code: number;
    try {
      code = await main(['node', 'bench-report', 'runs', '--db', join(tmp, 'w.duckdb'), '--where', 'batch!=night-1', '--since', '2026-01-01T20:00:00Z', '--where', 'tracing=new', '--json']);
    } finally {
      process.stdout.write = write;
    }
    expect(code).toBe(0);
    const rows = JSON.parse(out.join('')) as Record<string, unknown>[];
    expect(rows.map((r) => [r.tag, r.batch, r.start, r.branch])).toEqual([
      ['night-2-s20', 'night-2', '2026-01-01T20:00:00Z', 'release/10.1'],
      ['night-3-s30', 'night-3', '2026-01-02T06:00:00Z', 'release/10.1'],
      ['night-4-s40', 'night-4', '2026-01-02T16:00:00Z', 'release/10.1'],
    ]);
    expect(typeof rows[0]?.commit).toBe('string');

    // Piped (not a terminal): tab-separated; --table: aligned, commit shortened; both at once: exit 2.
    const capture = async (args: string[]): Promise<[number, string]> => {
      const chunks: string[] = [];
      process.stdout.write = ((chunk: string) => (chunks.push(chunk), true)) as typeof process.stdout.write;
      try {
        return [await main(['node', 'bench-report', 'runs', '--db', join(tmp, 'w.duckdb'), '--where', 'batch=night-2', ...args]), chunks.join('')];
      } finally {
        process.stdout.write = write;
      }
    };
    const [tsvCode, tsv] = await capture([]);
    expect(tsvCode).toBe(0);
    expect(tsv.split('\n')[0]?.split('\t').slice(0, 3)).toEqual(['tag', 'batch', 'start']);
    expect(tsv.split('\n')[1]?.split('\t').slice(0, 3)).toEqual(['night-2-s20', 'night-2', '2026-01-01T20:00:00Z']);
    const [, table] = await capture(['--table']);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^tag {10}batch {4}start {17}profile/);
    expect(lines[1]).toMatch(/^─{11} {2}─{7} {2}─{20} {2}/);
    expect(lines[2]).toMatch(/^night-2-s20 {2}night-2 {2}2026-01-01T20:00:00Z {2}/);
    expect(lines[2]).toContain(` ${String(rows[0]?.commit).slice(0, 12)} `);
    expect(lines[2]).not.toContain(String(rows[0]?.commit));
    expect((await capture(['--table', '--json']))[0]).toBe(2);
  }, 60_000);

  it('`report --baseline-where/--candidate-where` takes both sets from the warehouse, run folders gone', async () => {
    const db = join(tmp, 'w.duckdb');
    const out = join(tmp, 'r');
    const code = await main(['node', 'bench-report', 'report', '--db', db, '--out', out, '--format', 'json', '--candidate-where', 'batch=night-4', '--baseline-where', 'batch!=night-4']);
    expect(code).toBe(0);
    const json = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as { baseline: { runs: { tag: string }[] }; metrics: { id: string; method: string }[] };
    expect(json.baseline.runs.map((r) => r.tag)).toEqual(['night-1-s10', 'night-2-s20', 'night-3-s30']);
    expect(json.metrics.find((m) => m.id === 'cpu_pct')?.method).toBe('prediction-interval');
    // Paths and a selection for one set at once is ambiguous: an input error.
    expect(await main(['node', 'bench-report', 'report', '--db', db, '--out', out, '--baseline', tmp, '--baseline-where', 'batch=night-1', '--candidate-where', 'batch=night-4'])).toBe(2);
    expect(await main(['node', 'bench-report', 'report', '--db', db, '--out', out, '--baseline-where', 'batch=nope', '--candidate-where', 'batch=night-4'])).toBe(2);
  }, 120_000);

  it('names the warehouse when no run matches', async () => {
    const err = await runHistory({ paths: [], out: join(tmp, 'h2'), formats: ['json'], db: join(tmp, 'w.duckdb'), where: ['profile=nope'] }, silentLogger).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as Error).message).toContain('matches --where/--since');
  }, 60_000);
});

// The example nightly workflow (examples/nightly/nightly.sh) run unattended on simulated
// nights: four earlier builds in the warehouse, then an A/A night (the gate does not fail, and
// the report decides one run against many by the prediction interval), then a night whose
// run carries legacy tracing's resource costs in the same configuration (the gate fails, exit 3).
// Runs the built CLI (bin/bench-report.js → dist/), as a CI job would; `npm test` builds first.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse, ingestRuns } from '../pipeline/warehouse/index.js';
import { discoverRuns } from '../pipeline/discover/index.js';
import { silentLogger } from '../pipeline/core/index.js';
import { simulate, type SimulateOptions } from '../pipeline/simulate/index.js';

const ROOT = join(import.meta.dirname, '..');
const SCRIPT = join(ROOT, 'examples', 'nightly', 'nightly.sh');
const SHAPE = { rts: '', nodes: 3, slots: 90, runs: 1 } as const;

let tmp = '';
const night = (n: number, extra: Partial<SimulateOptions> = {}) =>
  simulate({ ...SHAPE, tracing: 'new', out: join(tmp, `night${n}`), seed: 100 + 10 * n, tagPrefix: `nightly-${n}`, ...extra });

async function nightly(n: number): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    WAREHOUSE: join(tmp, 'history.duckdb'),
    GATES: join(ROOT, 'examples', 'nightly', 'gates.yaml'),
    FORMATS: 'json,md,summary,junit',
    BENCH_REPORT: `node ${join(ROOT, 'bin', 'bench-report.js')}`,
  };
  try {
    const r = await promisify(execFile)('bash', [SCRIPT, join(tmp, `night${n}`), join(tmp, `out${n}`)], { env, maxBuffer: 1 << 24 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bench-report-nightly-'));
  for (let n = 1; n <= 5; n++) await night(n);
  // Legacy tracing's resource effects, written in the new format: meta.json names the same
  // backend, so this night belongs to the same series, with higher allocation.
  await night(6, { tracing: 'legacy', format: 'new' });
  const db = await Warehouse.open(join(tmp, 'history.duckdb'));
  try {
    await ingestRuns(db, await discoverRuns([1, 2, 3, 4].map((n) => join(tmp, `night${n}`))), silentLogger);
  } finally {
    db.close();
  }
  // Earlier nights' folders are gone: the warehouse is the history.
  for (const n of [1, 2, 3, 4]) await rm(join(tmp, `night${n}`), { recursive: true, force: true });
}, 300_000);
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('examples/nightly/nightly.sh', () => {
  it('an A/A night: report against 4 earlier builds by the prediction interval, history page, gate not failed', async () => {
    const r = await nightly(5);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(0);
    const report = JSON.parse(await readFile(join(tmp, 'out5', 'report', 'report.json'), 'utf8')) as {
      baseline: { runs: unknown[] };
      candidate: { runs: { tag: string }[] };
      metrics: { id: string; method: string }[];
      gate: { status: string };
    };
    expect(report.baseline.runs).toHaveLength(4);
    expect(report.candidate.runs.map((x) => x.tag)).toEqual(['nightly-5-s150']);
    expect(report.metrics.find((m) => m.id === 'cpu_pct')?.method).toBe('prediction-interval');
    expect(report.gate.status).not.toBe('fail');
    const history = JSON.parse(await readFile(join(tmp, 'out5', 'history', 'history.json'), 'utf8')) as { series: { builds: { id: string }[] }[] };
    expect(history.series[0]?.builds.map((b) => b.id)).toEqual(['nightly-1', 'nightly-2', 'nightly-3', 'nightly-4', 'nightly-5']);
    expect(await readFile(join(tmp, 'out5', 'history', 'history.junit.xml'), 'utf8')).toContain('<testsuite name="bench-report history"');
    // The PR summary is printed for the CI log, with the set labels.
    expect(r.stdout).toContain('### nightly nightly-5 against history');
  }, 300_000);

  it('a night with a planted regression fails the gate with exit 3', async () => {
    const r = await nightly(6);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('nightly.sh: nightly-6 failed the gate or regressed');
    // history --fail-on-change: tonight against the builds since the last change point.
    expect(r.stderr).toMatch(/history: the latest build regressed in .*alloc_mb_s/);
    const history = JSON.parse(await readFile(join(tmp, 'out6', 'history', 'history.json'), 'utf8')) as {
      series: { metrics: { id: string; latest: { verdict: string; method: string; window: { builds: number } } | null }[] }[];
    };
    const alloc = history.series[0]?.metrics.find((m) => m.id === 'alloc_mb_s');
    expect(alloc?.latest).toMatchObject({ verdict: 'regressed', method: 'prediction-interval', window: { builds: 5 } });
    const report = JSON.parse(await readFile(join(tmp, 'out6', 'report', 'report.json'), 'utf8')) as {
      metrics: { id: string; verdict: string }[];
      gate: { status: string; failed: { metric: string }[] };
    };
    expect(report.gate.status).toBe('fail');
    // Legacy tracing allocates about a third more (the simulator's planted −25% for new tracing).
    expect(report.gate.failed.map((f) => f.metric)).toContain('alloc_mb_s');
    const junit = await readFile(join(tmp, 'out6', 'report', 'report.junit.xml'), 'utf8');
    expect(junit).toMatch(/<testcase classname="bench-report.resources" name="alloc_mb_s">\n\s+<failure/);
  }, 300_000);
});

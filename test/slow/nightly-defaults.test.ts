// `npm run test:nightly` (slow: 13 nights of the shipped job, ~2–8 min; run by .ci/run):
// examples/nightly/nightly.sh exactly as a user first runs it. Runs the built CLI
// (bin/bench-report.js → dist/); `npm run test:nightly` builds first.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate, type SimulateOptions } from '../../pipeline/simulate/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SCRIPT = join(ROOT, 'examples', 'nightly', 'nightly.sh');
const SHAPE = { rts: '', nodes: 3, slots: 90, runs: 1 } as const;

// The shipped job exactly as a user first runs it (issue 19): no GATES, no WAREHOUSE (the
// default ./bench-history.duckdb in the working directory), default FORMATS, an empty
// warehouse on night 1. Eleven quiet nights of 2 runs each may fail at most one (the primary
// family at α = 0.05); a night with RSS +10% on its 2 runs fails with rss_mb named.
describe('examples/nightly/nightly.sh with its defaults', () => {
  let dir = '';
  const QUIET = { ...SHAPE, runs: 2 } as const;
  async function run(n: number, extra: Partial<SimulateOptions> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    await simulate({ ...QUIET, tracing: 'new', out: join(dir, `night${n}`), seed: 1000 + 10 * n, tagPrefix: `quiet-${n}`, ...extra });
    const env: NodeJS.ProcessEnv = { ...process.env, BENCH_REPORT: `node ${join(ROOT, 'bin', 'bench-report.js')}` };
    for (const k of ['GATES', 'WAREHOUSE', 'FORMATS', 'STRICT_GATE', 'BENCH_REPORT_DB']) delete env[k];
    env.BENCH_REPORT = `node ${join(ROOT, 'bin', 'bench-report.js')}`;
    try {
      const r = await promisify(execFile)('bash', [SCRIPT, join(dir, `night${n}`), join(dir, `out${n}`)], { env, cwd: dir, maxBuffer: 1 << 24 });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    } finally {
      // The nightly layout: a night's run folders go once ingested; the warehouse is the history.
      await rm(join(dir, `night${n}`), { recursive: true, force: true });
    }
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-report-nightly-defaults-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('night 1 exits 0 with "no baseline yet"; 11 quiet nights fail at most once; RSS +10% fails naming rss_mb', async () => {
    const first = await run(1);
    expect(first.stderr).not.toContain('internal error');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('no baseline yet');
    expect(await readFile(join(dir, 'out1', 'report', 'report-summary.md'), 'utf8')).toContain('no baseline yet');
    expect(await readFile(join(dir, 'out1', 'history', 'history.json'), 'utf8')).toContain('"quiet-1"');

    const codes: number[] = [];
    for (let n = 2; n <= 12; n++) {
      const r = await run(n);
      expect(r.stderr, `night ${n}`).not.toContain('internal error');
      expect([0, 3], `night ${n}: ${r.stderr.slice(-400)}`).toContain(r.code);
      codes.push(r.code);
    }
    expect(codes.filter((c) => c === 3).length).toBeLessThanOrEqual(1);
    const report = JSON.parse(await readFile(join(dir, 'out12', 'report', 'report.json'), 'utf8')) as {
      baseline: { runs: unknown[] };
      metrics: { id: string; method: string; family: string }[];
      decision: { status: string };
    };
    expect(report.baseline.runs).toHaveLength(22);
    // 2 runs against 22: the baseline's prediction for the mean of 2 runs, not Welch on 1 df.
    expect(report.metrics.find((m) => m.id === 'rss_mb')).toMatchObject({ method: 'prediction-interval', family: 'primary' });
    expect(report.decision.status).toMatch(/^(ship|undecided|hold|trade-off)$/);

    const bad = await run(13, { plant: { rss: 1.1 } });
    expect(bad.code).toBe(3);
    const planted = JSON.parse(await readFile(join(dir, 'out13', 'report', 'report.json'), 'utf8')) as {
      metrics: { id: string; verdict: string; delta_pct: number }[];
      gate: { status: string; failed: { metric: string }[] };
      decision: { status: string; costs: string[]; line: string };
    };
    expect(planted.metrics.find((m) => m.id === 'rss_mb')?.verdict).toBe('regressed');
    expect(planted.gate.failed.map((f) => f.metric)).toContain('rss_mb');
    expect(planted.decision.costs).toContain('rss_mb');
    expect(planted.decision.line).toMatch(/^hold — RSS \+\d/);
  }, 900_000);
});

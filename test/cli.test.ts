// The command line as a user meets it: exit codes and one-sentence errors naming the path
// or option, --help on every subcommand, and a full `report` run on the committed samples
// whose report.json follows DESIGN §6.
import { mkdtemp, readFile, rm, writeFile, mkdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from './helpers/cli.js';

const SAMPLES = join(import.meta.dirname, '..', 'samples');

const run = runCli;

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bench-report-cli-'));
  // Commands without --db use the default warehouse: keep it out of the working tree.
  process.env.BENCH_REPORT_DB = join(tmp, 'default.duckdb');
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

describe('bench-report CLI', () => {
  it('prints help for the program and every subcommand', async () => {
    for (const cmd of [[], ['report'], ['ingest'], ['runs'], ['simulate'], ['demo'], ['samples']]) {
      const r = await run(...cmd, '--help');
      expect(r.code, cmd.join(' ')).toBe(0);
      expect(r.out).toContain('Usage: bench-report');
    }
    const r = await run('report', '--help');
    for (const opt of ['--baseline', '--candidate', '--format', '--noise', '--filter', '--fail-on-regression']) expect(r.out).toContain(opt);
  });

  it('says each default once, as text, and --noise per metric', async () => {
    for (const cmd of ['report', 'history', 'ingest', 'extract', 'runs', 'simulate', 'samples', 'demo']) {
      const r = await run(cmd, '--help');
      // One entry per option: a line starting with "  -" and its continuation lines.
      const entries = r.out.split(/\n(?= {2}-)/).map((e) => e.replace(/\s+/g, ' '));
      for (const e of entries) {
        expect((e.match(/\(default|, default:/g) ?? []).length, `${cmd}: ${e}`).toBeLessThanOrEqual(1);
        expect(e, `${cmd}: ${e}`).not.toContain('["');
      }
    }
    const report = (await run('report', '--help')).out.replace(/\s+/g, ' ');
    expect(report).toContain('--db <file> DuckDB warehouse file (default: $BENCH_REPORT_DB, else ./bench-report.duckdb)');
    expect(report).toContain('(default: html,pdf,json,md)');
    const history = (await run('history', '--help')).out.replace(/\s+/g, ' ');
    expect(history).toContain("--noise <pct> noise threshold in % for every metric (default: the catalogue's per metric)");
  });

  it('rejects an unknown option with exit 2, naming it', async () => {
    const r = await run('report', '--baseline', SAMPLES, '--candidate', SAMPLES, '--bogus');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--bogus');
  });

  it('rejects a bad format with exit 2', async () => {
    const r = await run('report', '-b', 'x', '-c', 'y', '--format', 'html,docx');
    expect(r.code).toBe(2);
    expect(r.err).toContain('docx');
  });

  it('names the path when meta.json is missing (exit 2, nothing written)', async () => {
    const dir = join(tmp, 'not-a-run');
    await mkdir(join(dir, 'node-0'), { recursive: true });
    await writeFile(join(dir, 'node-0', 'stdout'), '{}\n');
    const out = join(tmp, 'out-missing-meta');
    const r = await run('report', '--baseline', dir, '--candidate', join(SAMPLES, 'new'), '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toContain(dir);
    expect(r.err).toMatch(/meta\.json/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    await expect(readFile(join(out, 'report.json'))).rejects.toThrow();
  });

  it('names a missing directory (exit 2)', async () => {
    const r = await run('ingest', join(tmp, 'nowhere'), '--db', join(tmp, 'w.duckdb'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('nowhere');
  });

  it('follows symbolic links to runs, and knows a run by its real path', async () => {
    const links = join(tmp, 'links');
    await mkdir(links, { recursive: true });
    await symlink(join(SAMPLES, 'legacy', 'sim-legacy-s1001'), join(links, 'current'));
    await symlink(join(SAMPLES, 'legacy', 'sim-legacy-s1001'), join(links, 'also-current'));
    const db = join(tmp, 'links.duckdb');
    const r = await run('ingest', links, join(SAMPLES, 'legacy', 'sim-legacy-s1001'), '--db', db);
    expect(r.code).toBe(0);
    expect(r.err.match(/\[loaded\]/g)).toHaveLength(1);
    const list = JSON.parse((await run('runs', '--db', db, '--json')).out) as { path: string }[];
    expect(list.map((x) => x.path)).toEqual([join(SAMPLES, 'legacy', 'sim-legacy-s1001')]);
  });

  it('ingests, skips unchanged runs, and lists them', async () => {
    const db = join(tmp, 'w.duckdb');
    const first = await run('ingest', join(SAMPLES, 'legacy'), '--db', db);
    expect(first.code).toBe(0);
    expect(first.err.match(/\[loaded\]/g)).toHaveLength(5);
    const again = await run('ingest', join(SAMPLES, 'legacy'), '--db', db);
    expect(again.err.match(/\[fresh\]/g)).toHaveLength(5);
    const list = await run('runs', '--db', db, '--json');
    const rows = JSON.parse(list.out) as { tag: string; nodes: number; malformed_lines: number }[];
    expect(rows.map((r) => r.tag)).toEqual(['sim-legacy-s1001', 'sim-legacy-s1002', 'sim-legacy-s1003', 'sim-legacy-s1004', 'sim-legacy-s1005']);
    expect(rows.every((r) => r.nodes === 6 && r.malformed_lines === 0)).toBe(true);
  });

  it('writes report.json in the DESIGN §6 shape and gates on regressions', async () => {
    const out = join(tmp, 'report');
    // Legacy as the candidate: new tracing's lower RSS and allocation become regressions.
    const r = await run('report', '-b', join(SAMPLES, 'new'), '-c', join(SAMPLES, 'legacy'), '--out', out, '--format', 'json,md', '--fail-on-regression');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/gate: \d+ metric\(s\) regressed: .*rss_mb/);
    const json = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Record<string, unknown> & {
      metrics: Record<string, unknown>[];
      baseline: { label: string; runs: Record<string, unknown>[] };
    };
    expect(json.schema).toBe('bench-report/report@1');
    expect(json.title).toBe('legacy tracing against new tracing');
    expect(Object.keys(json.baseline.runs[0] ?? {})).toEqual(
      expect.arrayContaining(['tag', 'path', 'tracing_backend', 'rts_flags', 'hosts', 'log_lines', 'malformed_lines']),
    );
    expect(json.baseline.runs).toHaveLength(5);
    expect(json.metrics).toHaveLength(60);
    const rss = json.metrics.find((m) => m.id === 'rss_mb') as Record<string, unknown> & { baseline: { runs: number[]; n: number } };
    for (const k of ['id', 'section', 'unit', 'better', 'baseline', 'candidate', 'delta', 'delta_pct', 'ci95_pct', 'p_value', 'q_value', 'noise_pct', 'mde_pct', 'runs_needed', 'verdict', 'variance']) {
      expect(rss, k).toHaveProperty(k);
    }
    expect(rss.verdict).toBe('regressed');
    expect(rss.baseline.n).toBe(5);
    expect(rss.baseline.runs.every((v) => typeof v === 'number')).toBe(true);
    const md = await readFile(join(out, 'report.md'), 'utf8');
    expect(md).toContain('| RSS `rss_mb`');
    // The trace-frequency table: the simulator's noise messages, counted per run.
    const messages = (json as unknown as { messages: { ns: string; kind: string; baseline: number; candidate: number }[] }).messages;
    const counters = messages.find((m) => m.ns === 'Net.InboundGovernor.Remote.InboundGovernorCounters');
    expect(counters?.baseline).toBeGreaterThan(0); // new tracing is the baseline here
    expect(messages.some((m) => m.ns.startsWith('["cardano.node'))).toBe(true); // legacy runs' messages, by logger name
  });

  it('with one run per side gives labelled within-run verdicts that never pass a gate', async () => {
    const out = join(tmp, 'one-run');
    const r = await run('report', '-b', join(SAMPLES, 'legacy', 'sim-legacy-s1001'), '-c', join(SAMPLES, 'new', 'sim-new-s2001'), '--out', out, '--format', 'json,md', '--fail-on-regression', '--strict-gate');
    // Only within-run evidence: the gate is undecided, and --strict-gate makes that exit 3.
    expect(r.code).toBe(3);
    expect(r.err).toContain('gate: undecided');
    const json = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as {
      metrics: { id: string; verdict: string; method: string; delta_pct: number; within_run: { ci95_pct: [number, number]; windows: number } | null }[];
      undecided: string[];
      gate: { status: string; failed: unknown[] };
    };
    expect(json.gate.status).toBe('undecided');
    expect(json.gate.failed).toEqual([]);
    expect(json.metrics.every((m) => m.method === 'within-run' || m.verdict === 'insufficient-data')).toBe(true);
    expect(json.metrics.find((m) => m.id === 'rss_mb')?.method).toBe('within-run');
    const rss = json.metrics.find((m) => m.id === 'rss_mb');
    expect(rss?.within_run?.windows).toBe(10);
    // The interval brackets the observed Δ% of these two runs.
    expect(rss?.within_run?.ci95_pct[0]).toBeLessThanOrEqual(rss?.delta_pct ?? NaN);
    expect(rss?.within_run?.ci95_pct[1]).toBeGreaterThanOrEqual(rss?.delta_pct ?? NaN);
    expect(json.metrics.find((m) => m.id === 'blocks_forged')?.within_run).toBeNull();
    expect(json.undecided.join(' ')).toContain('within-run verdict');
    expect(await readFile(join(out, 'report.md'), 'utf8')).toContain('† within-run estimate');
  });
});

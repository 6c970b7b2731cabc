// A warehouse the user may only read (issue 23, Hangs and crashes: "`runs` cannot list … one
// the user may only read"): a file of root's, mode 0644, in a 0755 folder of root's, read by
// `nobody`. `runs` and `report --baseline-where … --candidate-where … --out <a folder nobody may
// write>` open it read-only (access_mode READ_ONLY, spills to $TMPDIR), so they work and leave
// it as it was: same md5, nothing added beside it — also when a crash left a committed
// write-ahead log beside it (read-only, DuckDB replays it in memory and keeps the file as is).
// Root reads everything, so this runs the built CLI (npm test builds first) in a child as
// nobody; it is skipped when the suite does not run as root (it cannot make a file of root's).
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'bench-report.js');
const B = join(ROOT, 'samples', 'legacy', 'sim-legacy-s1001');
const C = join(ROOT, 'samples', 'new', 'sim-new-s2001');
const C2 = join(ROOT, 'samples', 'new', 'sim-new-s2002');
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

let tmp: string;
let dir: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bench-report-ro-user-'));
  await chmod(tmp, 0o755);
  dir = join(tmp, 'warehouse');
  await mkdir(dir, { mode: 0o755 });
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const md5 = (file: string): string => createHash('md5').update(readFileSync(file)).digest('hex');
/** Every file of the warehouse's folder with its md5. */
const snapshot = (): [string, string][] => readdirSync(dir).sort().map((f) => [f, md5(join(dir, f))]);

/** `bench-report ARGS…` as nobody, in a folder nobody may write. */
function asNobody(...args: string[]): { code: number | null; out: string; err: string } {
  expect(existsSync(join(ROOT, 'dist', 'pipeline', 'cli.js')), 'run `npm run build` first (npm test does)').toBe(true);
  const r = spawnSync(process.execPath, [BIN, ...args], { uid: NOBODY, gid: NOBODY, cwd: dir, encoding: 'utf8', env: { ...process.env, HOME: tmp } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A folder the user nobody may write, for --out. */
async function outFolder(name: string): Promise<string> {
  const out = join(tmp, name);
  await mkdir(out);
  await chown(out, NOBODY, NOBODY);
  return out;
}

/**
 * As nobody: `runs` lists `tags` from `db`, and `report --*-where` (legacy against new) writes
 * `formats` into a fresh --out folder `name`, whose path it returns.
 */
async function readAsNobody(db: string, tags: string[], name: string, formats: string): Promise<string> {
  const runs = asNobody('runs', '--db', db, '--json');
  expect(runs.code, runs.err).toBe(0);
  expect((JSON.parse(runs.out) as { tag: string }[]).map((r) => r.tag)).toEqual(tags);
  const out = await outFolder(name);
  const rep = asNobody('report', '--db', db, '--baseline-where', 'tracing=legacy', '--candidate-where', 'tracing=new', '--out', out, '--format', formats);
  expect(rep.code, rep.err).toBe(0);
  return out;
}

describe.skipIf(!asRoot)('a warehouse of root\'s, 0644 in a 0755 folder, read by nobody', () => {
  it('runs lists it and report --*-where reports from it, the file untouched', async () => {
    const db = join(dir, 'bench.duckdb');
    expect((await runCli('ingest', B, C, '--db', db)).code).toBe(0);
    await chmod(db, 0o644);
    const before = snapshot();
    expect(before.map(([f]) => f)).toEqual(['bench.duckdb']);

    const out = await readAsNobody(db, ['sim-legacy-s1001', 'sim-new-s2001'], 'out', 'json,md');
    expect(readdirSync(out).sort()).toEqual(['report.json', 'report.md']);
    const report = readFileSync(join(out, 'report.json'), 'utf8');
    expect(report).toContain('"sim-legacy-s1001"');
    expect(report).toContain('"sim-new-s2001"');

    expect(snapshot()).toEqual(before);
  });

  it('likewise with a committed write-ahead log left beside it by a crash', async () => {
    const db = join(dir, 'crashed.duckdb');
    expect((await runCli('ingest', B, '--db', db)).code).toBe(0);
    // kill -9 right after the commit: the run is in the write-ahead log, not yet checkpointed.
    const killed = spawnSync(process.execPath, [BIN, 'ingest', C2, '--db', db], { env: { ...process.env, BENCH_REPORT_FAULT: 'kill:ingest-after-commit' } });
    expect(killed.signal).toBe('SIGKILL');
    await chmod(db, 0o644);
    await chmod(`${db}.wal`, 0o644);
    const before = snapshot().filter(([f]) => f.startsWith('crashed.'));
    expect(before.map(([f]) => f)).toEqual(['crashed.duckdb', 'crashed.duckdb.wal']);

    const out = await readAsNobody(db, ['sim-legacy-s1001', 'sim-new-s2002'], 'out-crashed', 'json');
    expect(readFileSync(join(out, 'report.json'), 'utf8')).toContain('"sim-new-s2002"');

    expect(snapshot().filter(([f]) => f.startsWith('crashed.'))).toEqual(before);
  });
});

// Full and read-only file systems (issue 23, item 2), on real small tmpfs mounts (CI runs as
// root; without the right to mount, these tests fail saying so): every write path leaves the
// previous state whole and says "no space left on <fs>" in one sentence, with no stack; a new
// warehouse begun on a full disk is usable once space is freed; the read-only commands (`runs`,
// a report of warehouse runs into a writable --out) work on a warehouse they may only read.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runChild } from './child.js';

const TINY = join(ROOT, 'test', 'fixtures', 'tiny', 'new', 'run-tiny');
const SAMPLES = join(ROOT, 'samples');
let tmp: string;
const mounts: string[] = [];
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bench-report-disk-'));
});
afterAll(async () => {
  for (const m of mounts.reverse()) execFileSync('umount', [m]);
  await rm(tmp, { recursive: true, force: true });
});

async function tmpfs(name: string, kib: number): Promise<string> {
  const dir = join(tmp, name);
  await mkdir(dir);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k`, 'tmpfs', dir]);
  mounts.push(dir);
  return dir;
}
const remount = (dir: string, how: 'ro' | 'rw'): void => void execFileSync('mount', ['-o', `remount,${how}`, dir]);
/** Fills `dir`'s file system but `freeKib`. */
function fill(dir: string, freeKib: number): void {
  const avail = Number(execFileSync('df', ['-k', '--output=avail', dir], { encoding: 'utf8' }).trim().split('\n')[1]);
  execFileSync('dd', ['if=/dev/zero', `of=${join(dir, 'filler')}`, 'bs=1k', `count=${Math.max(avail - freeKib, 0)}`], { stdio: 'ignore' });
}
const oneSentence = (err: string): string[] => err.split('\n').filter((l) => l.startsWith('bench-report:'));

describe('a full disk', () => {
  it('a new warehouse begun on a full disk: one sentence, and usable once space is freed', async () => {
    const disk = await tmpfs('full-new', 2048);
    for (const free of [8, 40, 120]) {
      fill(disk, free);
      const db = join(disk, 'w.duckdb');
      const r = await runChild(['ingest', TINY, '--db', db]);
      expect(r.code, `${free} KiB free: ${r.err}`).toBe(1);
      expect(oneSentence(r.err), `${free} KiB free`).toEqual([expect.stringMatching(new RegExp(`^bench-report: no space left on ${disk} \\(writing ${disk}/w\\.duckdb(\\.wal)?\\); free some space and run the command again — nothing that was there before was changed\\.$`))]);
      expect(r.err).not.toContain('    at ');
      await rm(join(disk, 'filler'));
      const again = await runChild(['ingest', TINY, '--db', db]);
      expect(again.code, `${free} KiB free, after freeing: ${again.err}`).toBe(0);
      const listed = await runChild(['runs', '--db', db, '--json']);
      expect(JSON.parse(listed.out)).toHaveLength(1);
      for (const f of await readdir(disk)) await rm(join(disk, f), { force: true });
    }
  });

  it('an ingest into a warehouse on a full disk keeps its runs', async () => {
    const disk = await tmpfs('full-old', 4096);
    const db = join(disk, 'w.duckdb');
    expect((await runChild(['ingest', join(SAMPLES, 'legacy', 'sim-legacy-s1001'), '--db', db])).code).toBe(0);
    fill(disk, 16);
    const r = await runChild(['ingest', join(SAMPLES, 'new', 'sim-new-s2001'), '--db', db]);
    expect(r.code).toBe(1);
    expect(oneSentence(r.err)).toHaveLength(1);
    expect(r.err).toContain(`no space left on ${disk}`);
    await rm(join(disk, 'filler'));
    const listed = await runChild(['runs', '--db', db, '--json']);
    expect(listed.code, listed.err).toBe(0);
    expect((JSON.parse(listed.out) as { tag: string }[]).map((x) => x.tag)).toContain('sim-legacy-s1001');
  });
});

describe('history on a full disk', () => {
  it('swaps its files in together or not at all', async () => {
    const disk = await tmpfs('full-history', 8192);
    const out = join(disk, 'h');
    const db = join(tmp, 'history.duckdb');
    const first = await runChild(['history', join(SAMPLES, 'new'), '--db', db, '--out', out, '--format', 'json,md,html']);
    expect(first.code, first.err).toBe(0);
    const before = await Promise.all(['history.json', 'history.md', 'history.html'].map((f) => readFile(join(out, f))));
    // Room for the small files, not for the page: a partial swap would leave new JSON beside old HTML.
    fill(disk, Math.ceil(((before[0]?.length ?? 0) + (before[1]?.length ?? 0)) / 1024) + 12);
    const r = await runChild(['history', '--db', db, '--out', out, '--format', 'json,md,html']);
    expect(r.code).toBe(1);
    expect(oneSentence(r.err)).toEqual([expect.stringContaining(`no space left on ${disk}`)]);
    const after = await Promise.all(['history.json', 'history.md', 'history.html'].map((f) => readFile(join(out, f))));
    expect(after.map((b) => b.toString('base64'))).toEqual(before.map((b) => b.toString('base64')));
    expect((await readdir(out)).sort()).toEqual(['history.html', 'history.json', 'history.md']);
  });
});

describe('a read-only file system', () => {
  let disk: string;
  let db: string;
  beforeAll(async () => {
    disk = await tmpfs('ro', 16384);
    db = join(disk, 'w.duckdb');
    const r = await runChild(['ingest', join(SAMPLES, 'legacy', 'sim-legacy-s1001'), join(SAMPLES, 'new', 'sim-new-s2001'), '--db', db]);
    expect(r.code, r.err).toBe(0);
    remount(disk, 'ro');
  });
  afterAll(() => remount(disk, 'rw'));

  it('runs lists the warehouse', async () => {
    const r = await runChild(['runs', '--db', db, '--json']);
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as { tag: string }[]).map((x) => x.tag).sort()).toEqual(['sim-legacy-s1001', 'sim-new-s2001']);
  });

  it('a report of warehouse runs (--*-where) into a writable --out', async () => {
    const out = join(tmp, 'ro-report');
    const r = await runChild(['report', '--baseline-where', 'tag=sim-legacy-s1001', '--candidate-where', 'tag=sim-new-s2001', '--db', db, '--out', out, '--format', 'json']);
    expect(r.code, r.err).toBe(0);
    expect(existsSync(join(out, 'report.json'))).toBe(true);
  });

  for (const cmd of ['extract', 'history', 'report']) {
    it(`${cmd} --out on it: one sentence, no stack`, async () => {
      const out = join(disk, `out-${cmd}`);
      const wdb = join(tmp, `${cmd}.duckdb`);
      const args = cmd === 'report' ? ['report', '-b', join(SAMPLES, 'legacy', 'sim-legacy-s1001'), '-c', join(SAMPLES, 'new', 'sim-new-s2001')] : [cmd, TINY];
      const r = await runChild([...args, '--out', out, '--db', wdb]);
      expect(r.code, r.err).toBe(2);
      expect(oneSentence(r.err)).toEqual([`bench-report: --out ${out} is on a read-only file system; choose another folder.`]);
    });
  }
});


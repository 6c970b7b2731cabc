// The command line against out-of-range options, hostile config and filter files, an --out
// that cannot be written and folders with bad runs in them (issue 8, items 8, 9, 16): exit 2
// with one sentence naming the option, file or path, before anything is ingested; a bad run
// among good ones is skipped with a warning (or fails the command with --strict).
import { existsSync, readdirSync } from 'node:fs';
import { cp, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from './helpers/cli.js';
import { scratchDir } from './helpers/scratch.js';

const SAMPLES = join(import.meta.dirname, '..', 'samples');
const B = join(SAMPLES, 'legacy', 'sim-legacy-s1001');
const C = join(SAMPLES, 'new', 'sim-new-s2001');

const run = runCli;

const tmp = scratchDir('bench-report-hostile-');
afterEach(() => vi.restoreAllMocks());

/** Exit 2, one line on stderr naming `names`, nothing ingested and no report written. */
async function refused(args: string[], ...names: string[]): Promise<string> {
  const out = join(tmp.dir, `out-${Math.random().toString(36).slice(2)}`);
  const db = join(tmp.dir, `db-${Math.random().toString(36).slice(2)}.duckdb`);
  const r = await run('report', '-b', B, '-c', C, '--out', out, '--db', db, '--format', 'json', ...args);
  expect(r.code, r.err).toBe(2);
  const lines = r.err.trim().split('\n');
  expect(lines.filter((l) => !l.startsWith('discover') && !l.startsWith('(run with --help'))).toHaveLength(1);
  for (const n of names) expect(r.err).toContain(n);
  expect(r.err).not.toMatch(/ingest|\[loaded\]/);
  await expect(stat(db)).rejects.toThrow();
  await expect(stat(join(out, 'report.json'))).rejects.toThrow();
  return r.err;
}

describe('options out of range (item 8)', () => {
  for (const a of ['5', '1', '0', '-0.1', '1.0001']) {
    it(`--alpha ${a} is refused`, async () => {
      await refused(['--alpha', a], '--alpha', 'between 0 and 1');
    });
  }
  it('--noise -1 is refused', async () => {
    await refused(['--noise', '-1'], '--noise');
  });
  it('--fullness-min -0.1 and 1.5 are refused', async () => {
    await refused(['--fullness-min', '-0.1'], '--fullness-min');
    await refused(['--fullness-min', '1.5'], '--fullness-min');
  });
  it('negative slots and epochs are refused', async () => {
    await refused(['--slot-from', '-5'], '--slot-from');
    await refused(['--epoch-from', '-1'], '--epoch-from');
  });
  it('--slot-from after --slot-to is refused, naming both', async () => {
    await refused(['--slot-from', '200', '--slot-to', '100'], '--slot-from', '--slot-to');
  });

  it('a noise config naming an unknown metric is refused, naming the file and the id', async () => {
    const file = join(tmp.dir, 'noise.yaml');
    await writeFile(file, 'noise_pct: 2\nmetrics:\n  cpu_pct: 3\n  cpu_pcnt: 5\n');
    await refused(['--noise-config', file], file, 'cpu_pcnt');
  });
  it('a noise config with alpha 5 is refused', async () => {
    const file = join(tmp.dir, 'noise-alpha.json');
    await writeFile(file, '{"alpha": 5}');
    await refused(['--noise-config', file], file, 'alpha');
  });

  const filters: [name: string, json: string, mention: string][] = [
    ['fullness above 1', '[{"tag":"CBlock","contents":{"tag":"BFullnessGEq","contents":5}}]', 'BFullnessGEq'],
    ['negative fullness', '[{"tag":"CBlock","contents":{"tag":"BFullnessLEq","contents":-0.2}}]', 'BFullnessLEq'],
    ['a negative slot', '[{"tag":"CSlot","contents":{"tag":"SlotGEq","contents":-1}}]', 'SlotGEq'],
    ['a text flag', '[{"tag":"CBlock","contents":{"tag":"BUnitaryChainDelta","contents":"maybe"}}]', 'BUnitaryChainDelta'],
    ['a slot predicate under CBlock', '[{"tag":"CBlock","contents":{"tag":"SlotGEq","contents":10}}]', 'CSlot'],
    ['an extra key', '[{"tag":"CSlot","contents":{"tag":"SlotGEq","contents":10,"extra":1}}]', 'extra'],
  ];
  for (const [name, json, mention] of filters) {
    it(`a chain filter file with ${name} is refused`, async () => {
      const file = join(tmp.dir, `filter-${name.replace(/\W/g, '-')}.json`);
      await writeFile(file, json);
      await refused(['--filter', file], file, mention);
    });
  }
});

describe('--out that cannot be written (item 9)', () => {
  it('refuses an --out that is a file, before ingest', async () => {
    const file = join(tmp.dir, 'a-file');
    await writeFile(file, 'x');
    const r = await run('report', '-b', B, '-c', C, '--out', file, '--db', join(tmp.dir, 'out-file.duckdb'), '--format', 'json');
    expect(r.code).toBe(2);
    expect(r.err).toContain(file);
    expect(r.err).not.toMatch(/\[loaded\]/);
    await expect(stat(join(tmp.dir, 'out-file.duckdb'))).rejects.toThrow();
    expect(await readFile(file, 'utf8')).toBe('x');
  });

  it('refuses an --out below a file, before ingest', async () => {
    const file = join(tmp.dir, 'b-file');
    await writeFile(file, 'x');
    const r = await run('report', '-b', B, '-c', C, '--out', join(file, 'sub'), '--db', join(tmp.dir, 'out-sub.duckdb'), '--format', 'json');
    expect(r.code).toBe(2);
    expect(r.err).toContain(join(file, 'sub'));
    await expect(stat(join(tmp.dir, 'out-sub.duckdb'))).rejects.toThrow();
  });
});

describe('a bad run among good ones (item 16)', () => {
  /** samples/-like folder: two good runs, one with a broken genesis, a README. */
  async function folder(name: string): Promise<string> {
    const root = join(tmp.dir, name);
    await cp(B, join(root, 'good-1'), { recursive: true });
    await cp(join(SAMPLES, 'legacy', 'sim-legacy-s1002'), join(root, 'good-2'), { recursive: true });
    await cp(join(SAMPLES, 'legacy', 'sim-legacy-s1003'), join(root, 'broken'), { recursive: true });
    await writeFile(join(root, 'broken', 'genesis', 'genesis.shelley.json'), '{"systemStart":"2026-01-01T00:00:00Z","slotLength":-1,"epochLength":100}');
    await writeFile(join(root, 'README.md'), '# some runs\n');
    return root;
  }

  it('ingest of the shell glob dir/* skips README.md and the broken run with warnings', async () => {
    const root = await folder('glob');
    const db = join(tmp.dir, 'glob.duckdb');
    const r = await run('ingest', join(root, 'README.md'), join(root, 'broken'), join(root, 'good-1'), join(root, 'good-2'), '--db', db);
    expect(r.code, r.err).toBe(0);
    expect(r.err.match(/\[loaded\]/g)).toHaveLength(2);
    expect(r.err).toMatch(new RegExp(`warning: ${join(root, 'README.md')}: run skipped: .*a file, not a directory`));
    expect(r.err).toMatch(new RegExp(`warning: ${join(root, 'broken')}: run skipped: .*slotLength`));
  });

  it('with --strict the broken run fails the command (exit 2), nothing ingested', async () => {
    const root = await folder('strict');
    const db = join(tmp.dir, 'strict.duckdb');
    const r = await run('ingest', root, '--db', db, '--strict');
    expect(r.code).toBe(2);
    expect(r.err).toContain(join(root, 'broken'));
    expect(r.err).not.toMatch(/\[loaded\]/);
  });

  it('report skips the broken run of a folder and says so in every format', async () => {
    const root = await folder('report');
    const out = join(tmp.dir, 'report-skip');
    const r = await run('report', '-b', root, '-c', join(SAMPLES, 'new'), '--out', out, '--db', join(tmp.dir, 'report-skip.duckdb'), '--format', 'json,md');
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as { baseline: { runs: unknown[] }; warnings: { run: string; code: string; message: string }[] };
    expect(json.baseline.runs).toHaveLength(2);
    const skipped = json.warnings.filter((w) => w.code === 'run-skipped');
    expect(skipped.map((w) => w.run)).toEqual([join(root, 'broken')]);
    expect(skipped[0]?.message).toContain('slotLength');
    expect(await readFile(join(out, 'report.md'), 'utf8')).toContain('run skipped');
  });

  it('README example: ingest samples/* works', async () => {
    // What the shell hands over for samples/*: every name but dotfiles, README.md among them.
    const glob = readdirSync(SAMPLES).filter((f) => !f.startsWith('.')).sort().map((f) => join(SAMPLES, f));
    expect(glob).toContain(join(SAMPLES, 'README.md'));
    const runs = glob.flatMap((g) => (g.endsWith('.md') ? [] : readdirSync(g).filter((r) => existsSync(join(g, r, 'meta.json')))));
    expect(runs.length).toBeGreaterThanOrEqual(15);
    const r = await run('ingest', ...glob, '--db', join(tmp.dir, 'samples-glob.duckdb'));
    expect(r.code, r.err).toBe(0);
    expect(r.err.match(/\[loaded\]/g)).toHaveLength(runs.length);
    expect(r.err).toContain(`${join(SAMPLES, 'README.md')}: run skipped`);
  });
});

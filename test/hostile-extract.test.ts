// Extracts are untrusted input (issue 23, item 5): they travel between machines and teams. A
// manifest's table files must be plain files inside the extract folder, named as the manifest
// schema says (`<table>.parquet`): no `..`, no glob, no link out; and the rows pass the same
// checks as a run folder's (a runs.parquet with slot length 0 is refused as a genesis with
// slotLength 0 is).
import { DuckDBInstance } from '@duckdb/node-api';
import { cp, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../pipeline/warehouse/index.js';
import { runCli } from './helpers/cli.js';

const TINY = join(import.meta.dirname, 'fixtures', 'tiny', 'new', 'run-tiny');
let tmp: string;
let pristine: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bench-report-hostile-ex-'));
  const r = await runCli('extract', TINY, '--out', join(tmp, 'made'), '--db', join(tmp, 'made.duckdb'));
  expect(r.code, r.err).toBe(0);
  pristine = r.out.trim();
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** The error lines (a run given alone that is refused is also named in a run-skipped warning). */
const errors = (err: string): string[] => err.split('\n').filter((l) => l.startsWith('bench-report:'));
const error = (err: string): string => `${errors(err).join('\n')}\n`;

let n = 0;
/** A copy of the tiny run's extract, changed by `edit`, beside a "victim" folder of another run's tables. */
async function crafted(edit: (dir: string, manifest: { tables: { name: string; file: string }[] }) => Promise<void>): Promise<string> {
  const box = join(tmp, `box-${++n}`);
  const dir = join(box, 'ex');
  await cp(pristine, dir, { recursive: true });
  await cp(pristine, join(box, 'victim'), { recursive: true });
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { tables: { name: string; file: string }[] };
  await edit(dir, manifest);
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

const setFile = (m: { tables: { name: string; file: string }[] }, name: string, file: string): void => {
  const t = m.tables.find((x) => x.name === name);
  if (!t) throw new Error(`no ${name}`);
  t.file = file;
};

async function runsIn(db: string): Promise<number> {
  const w = await Warehouse.open(db);
  try {
    return (await w.all<{ n: number }>('SELECT count(*) AS n FROM runs'))[0]?.n ?? -1;
  } finally {
    w.close();
  }
}

describe('an extract names only its own plain files', () => {
  const cases: [string, (dir: string, m: { tables: { name: string; file: string }[] }) => Promise<void>, string][] = [
    ['a path out of the folder', async (_d, m) => setFile(m, 'ev_slot', '../victim/ev_slot.parquet'), '"../victim/ev_slot.parquet"'],
    ['a glob', async (_d, m) => setFile(m, 'ev_slot', '../*/ev_slot.parquet'), '"../*/ev_slot.parquet"'],
    ['a glob inside the folder', async (_d, m) => setFile(m, 'ev_slot', 'ev_*.parquet'), '"ev_*.parquet"'],
    ['an absolute path', async (d, m) => setFile(m, 'ev_slot', join(d, '..', 'victim', 'ev_slot.parquet')), '"/'],
    ['another table\'s file', async (_d, m) => setFile(m, 'ev_slot', 'ev_block.parquet'), '"ev_block.parquet"'],
  ];
  for (const [what, edit, shows] of cases) {
    it(`refuses ${what}, loading nothing`, async () => {
      const dir = await crafted(edit);
      const db = join(tmp, `names-${n}.duckdb`);
      const r = await runCli('ingest', dir, '--db', db);
      expect(r.code).toBe(2);
      const lines = errors(r.err);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`bench-report: ${join(dir, 'manifest.json')}: table ev_slot's file ${shows}`);
      expect(lines[0]).toContain('must be ev_slot.parquet, a plain file in the extract folder');
      expect(await runsIn(db)).toBe(0);
    });
  }

  it('refuses a table file that is a link out of the folder', async () => {
    const dir = await crafted(async (d) => {
      await rm(join(d, 'ev_slot.parquet'));
      await symlink(join(d, '..', 'victim', 'ev_slot.parquet'), join(d, 'ev_slot.parquet'));
    });
    const db = join(tmp, 'link.duckdb');
    const r = await runCli('ingest', dir, '--db', db);
    expect(r.code).toBe(2);
    expect(error(r.err)).toBe(`bench-report: ${join(dir, 'ev_slot.parquet')}: is not a plain file (a link, folder or device); an extract's table files must be plain files in its folder — extract the run again.\n`);
    expect(await runsIn(db)).toBe(0);
  });
});

describe("an extract's rows are checked as a run folder's", () => {
  async function withRuns(sql: string): Promise<string> {
    return crafted(async (d) => {
      const inst = await DuckDBInstance.create(':memory:');
      const conn = await inst.connect();
      try {
        await conn.run(`COPY (${sql.replaceAll('$f', `'${join(d, 'runs.parquet')}'`)}) TO '${join(d, 'runs2.parquet')}' (FORMAT parquet)`);
      } finally {
        conn.closeSync();
        inst.closeSync();
      }
      await rename(join(d, 'runs2.parquet'), join(d, 'runs.parquet'));
    });
  }

  it('refuses runs.parquet with slot length 0, as a genesis with slotLength 0 is', async () => {
    const dir = await withRuns('SELECT * REPLACE (0.0::DOUBLE AS slot_length) FROM read_parquet($f)');
    const db = join(tmp, 'slot0.duckdb');
    const r = await runCli('ingest', dir, '--db', db);
    expect(r.code).toBe(2);
    expect(error(r.err)).toBe(`bench-report: ${join(dir, 'runs.parquet')}: genesis slotLength must be a number of seconds from 0.001 to 3600, got 0.\n`);
    expect(await runsIn(db)).toBe(0);
  });

  it('refuses a manifest whose run genesis has slot length 0', async () => {
    const dir = await crafted(async () => undefined);
    const m = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { run: { genesis: { slotLength: number } } };
    m.run.genesis.slotLength = 0;
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(m));
    const r = await runCli('ingest', dir, '--db', join(tmp, 'm0.duckdb'));
    expect(r.code).toBe(2);
    expect(error(r.err)).toBe(`bench-report: ${join(dir, 'manifest.json')}: genesis slotLength must be a number of seconds from 0.001 to 3600, got 0.\n`);
  });

  it('refuses runs.parquet that names another run than the manifest, or more than one row', async () => {
    const dir = await withRuns("SELECT * REPLACE ('/elsewhere' AS path) FROM read_parquet($f)");
    const r = await runCli('ingest', dir, '--db', join(tmp, 'other.duckdb'));
    expect(r.code).toBe(2);
    expect(error(r.err)).toMatch(/runs\.parquet: holds run \/elsewhere, but the manifest names .*run-tiny; extract the run again\.\n$/);
    const two = await withRuns('SELECT * FROM read_parquet($f) UNION ALL SELECT * FROM read_parquet($f)');
    const r2 = await runCli('ingest', two, '--db', join(tmp, 'two.duckdb'));
    expect(r2.code).toBe(2);
    expect(error(r2.err)).toContain('runs.parquet: holds 2 runs');
  });
});


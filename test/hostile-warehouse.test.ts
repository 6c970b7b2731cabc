// The warehouse file against what is not ours and against compaction (issue 23, items 3–4):
// a file we did not write — an SQLite file, a DuckDB file holding only a view and a macro, or
// tables in another schema — is refused and left byte-for-byte untouched; DuckDB never
// autoloads or installs an extension (the SQLite file made it try to download one); compaction
// writes beside the real file and keeps its mode, owner and the --db symlink.
import { DuckDBInstance } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { chmod, chown, copyFile, lstat, readFile, readlink, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverRuns } from '../pipeline/discover/index.js';
import { silentLogger } from '../pipeline/core/index.js';
import { ingestRuns, Warehouse } from '../pipeline/warehouse/index.js';
import { runCli } from './helpers/cli.js';
import { scratchDir } from './helpers/scratch.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const TINY = join(FIXTURES, 'tiny', 'new', 'run-tiny');
const tmp = scratchDir('bench-report-hostile-wh-');

const md5 = async (path: string): Promise<string> => createHash('md5').update(await readFile(path)).digest('hex');

async function duckdb(path: string, statements: string[]): Promise<void> {
  const inst = await DuckDBInstance.create(path);
  const conn = await inst.connect();
  try {
    for (const s of statements) await conn.run(s);
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

describe('a file that is not ours', () => {
  const foreign: [string, string[]][] = [
    ['a view and a macro only', ['CREATE VIEW answer AS SELECT 42 AS x', 'CREATE MACRO twice(a) AS a * 2']],
    ['tables in another schema only', ['CREATE SCHEMA theirs', 'CREATE TABLE theirs.runs (id INTEGER)', 'INSERT INTO theirs.runs VALUES (1)']],
    ['a sequence and a type only', ['CREATE SEQUENCE ids', "CREATE TYPE mood AS ENUM ('ok')"]],
  ];
  for (const [what, statements] of foreign) {
    it(`a DuckDB file holding ${what} is refused by every command, md5 unchanged`, async () => {
      const path = join(tmp.dir, `${what.replace(/\W+/g, '-')}.duckdb`);
      await duckdb(path, statements);
      const before = await md5(path);
      for (const args of [['runs', '--db', path], ['ingest', TINY, '--db', path]]) {
        const r = await runCli(...args);
        expect(r.code, args[0]).toBe(2);
        expect(r.err).toMatch(new RegExp(`^bench-report: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: this DuckDB file is not a bench-report warehouse \\(it holds [^)]+\\); it was left untouched — name another --db file\\.\\n$`));
      }
      expect(await md5(path)).toBe(before);
    });
  }

  it('an SQLite file is refused untouched, without DuckDB reaching for an extension', async () => {
    const path = join(tmp.dir, 'theirs.sqlite');
    await copyFile(join(FIXTURES, 'hostile', 'sqlite.db'), path);
    const before = await md5(path);
    const r = await runCli('runs', '--db', path);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`bench-report: ${path}: this is an SQLite database, not a bench-report warehouse; it was left untouched — name another --db file.\n`);
    expect(await md5(path)).toBe(before);
  });

  it('DuckDB never autoloads, installs or trusts community extensions', async () => {
    const db = await Warehouse.open(':memory:');
    try {
      const [s] = await db.all<Record<string, boolean>>(
        "SELECT current_setting('autoinstall_known_extensions') AS i, current_setting('autoload_known_extensions') AS l, current_setting('allow_community_extensions') AS c",
      );
      expect(s).toEqual({ i: false, l: false, c: false });
    } finally {
      db.close();
    }
  });
});

describe('compaction', () => {
  async function compacted(path: string): Promise<{ beforeMb: number; afterMb: number } | undefined> {
    const db = await Warehouse.open(path);
    await ingestRuns(db, await discoverRuns([TINY]), silentLogger);
    await db.exec('DELETE FROM malformed_samples');
    return db.closeCompacting({ minFreeBytes: 0, minFreeShare: 0 });
  }

  it('keeps a --db symlink a symlink, and writes the copy beside the real file', async () => {
    const real = join(tmp.dir, 'real.duckdb');
    const link = join(tmp.dir, 'link.duckdb');
    (await Warehouse.open(real)).close();
    await symlink(real, link);
    expect(await compacted(link)).toBeDefined();
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(real);
    const db = await Warehouse.open(real);
    try {
      expect((await db.all<{ n: number }>('SELECT count(*) AS n FROM runs'))[0]?.n).toBe(1);
    } finally {
      db.close();
    }
  });

  it("keeps the file's mode and owner (a private warehouse stays private)", async () => {
    const path = join(tmp.dir, 'private.duckdb');
    (await Warehouse.open(path)).close();
    await chmod(path, 0o600);
    await chown(path, 65534, 65534);
    expect(await compacted(path)).toBeDefined();
    const s = await stat(path);
    expect([s.mode & 0o777, s.uid, s.gid]).toEqual([0o600, 65534, 65534]);
  });
});

// Hostile bytes in the logs and genesis values out of range (issue 8, items 4–6): the line
// census cannot fail on any byte, a line that is not valid UTF-8 is counted (as malformed when
// it begins with '{'), a cut or empty .gz is named in a warning with the lines read, and a
// genesis value the warehouse cannot store is one sentence (exit 2), never a stack trace.
import { cp, readFile, appendFile, writeFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../pipeline/cli.js';
import { Warehouse, ingestRuns } from '../pipeline/warehouse/index.js';
import { discoverRuns } from '../pipeline/discover/index.js';
import { CliError, silentLogger } from '../pipeline/core/index.js';
import { scratchDir } from './helpers/scratch.js';

const TINY = join(import.meta.dirname, 'fixtures', 'tiny', 'new', 'run-tiny');
const tmp = scratchDir('bench-report-input-');

interface FileRow {
  node: string;
  log_lines: number;
  parsed: number;
  malformed: number;
  other_lines: number;
}
const filesOf = (db: Warehouse): Promise<FileRow[]> =>
  db.all<FileRow>('SELECT node, log_lines, parsed, malformed, other_lines FROM files ORDER BY node, file_id');

describe('line census', () => {
  it('counts every line whatever its bytes: lone \\r, NUL, invalid UTF-8, the CSV delimiter', async () => {
    const run = join(tmp.dir, 'bytes');
    await cp(TINY, run, { recursive: true });
    // node-0 is 1 banner line + 76 log lines. Appended: 2 lines beginning with '{' that are not
    // JSON (one of them not UTF-8 either) and 6 other lines ('abc\rdef' is two: a lone \r breaks
    // a line, as it does for the census everywhere).
    const hazards = Buffer.concat([
      Buffer.from('\x00\x00{\x00}\n', 'latin1'), // NUL bytes: other
      Buffer.from('{"at":"2026-01-01T00:00:09Z","ns":"Res'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('ources","data":{}}\n'), // invalid UTF-8, begins with '{': malformed
      Buffer.from('abc\rdef\n'), // lone \r: two other lines
      Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xfe, 0xff, 0x20, 0x0a]), // random bytes: other
      Buffer.from('ab\x01cd\n', 'latin1'), // the census's own delimiter: other
      Buffer.from('{"at":"2026-01-01T00:00:09Z","ns":"Cut\n'), // malformed
    ]);
    await appendFile(join(run, 'node-0', 'stdout'), hazards);
    const db = await Warehouse.open(':memory:');
    try {
      await ingestRuns(db, await discoverRuns([run]), silentLogger);
      const [n0] = await filesOf(db);
      expect(n0).toEqual({ node: 'node-0', log_lines: 78, parsed: 76, malformed: 2, other_lines: 6 });
      const samples = (await db.all<{ line: string }>('SELECT line FROM malformed_samples WHERE file_id = 0')).map((r) => r.line);
      expect(samples).toContain('{"at":"2026-01-01T00:00:09Z","ns":"Cut');
      // The invalid bytes show as '?' (DuckDB's rendering of a line it cannot hold as text).
      expect(samples.some((l) => l.startsWith('{"at":"2026-01-01T00:00:09Z","ns":"Res') && l.endsWith('ources","data":{}}'))).toBe(true);
    } finally {
      db.close();
    }
  });

  it('counts an invalid UTF-8 log line that the head alone would have missed', async () => {
    // One lone-\r line (two other lines to the head) and one invalid UTF-8 line: two unparsed
    // rows, and the head, which cannot hold the invalid line, also counts two. Only its rejects
    // show the counts fall short.
    const run = join(tmp.dir, 'head-coincidence');
    await cp(TINY, run, { recursive: true });
    const log = join(run, 'node-2', 'stdout');
    const body = await readFile(log);
    await writeFile(
      log,
      Buffer.concat([Buffer.from('a\rb\n'), Buffer.from('{"at":"x'), Buffer.from([0xff]), Buffer.from('"}\n'), body]),
    );
    const db = await Warehouse.open(':memory:');
    try {
      await ingestRuns(db, await discoverRuns([run]), silentLogger);
      const n2 = (await filesOf(db)).find((f) => f.node === 'node-2');
      // node-2: 63 log lines and 2 'Listening' lines, plus the two lines above.
      expect(n2).toEqual({ node: 'node-2', log_lines: 64, parsed: 63, malformed: 1, other_lines: 4 });
    } finally {
      db.close();
    }
  });
});

describe('gzip logs', () => {
  it('names a truncated and a header-only .gz in warnings, with the lines read', async () => {
    const run = join(tmp.dir, 'gz');
    await cp(TINY, run, { recursive: true });
    const whole = gzipSync(await readFile(join(run, 'node-1', 'stdout')));
    await writeFile(join(run, 'node-1', 'stdout.gz'), whole.subarray(0, Math.floor(whole.length / 2)));
    await unlink(join(run, 'node-1', 'stdout'));
    const empty = gzipSync(Buffer.alloc(0));
    await writeFile(join(run, 'node-2', 'stdout.gz'), whole.subarray(0, 10)); // the gzip header only
    await unlink(join(run, 'node-2', 'stdout'));
    const db = await Warehouse.open(':memory:');
    try {
      const [res] = await ingestRuns(db, await discoverRuns([run]), silentLogger);
      const files = await filesOf(db);
      const read1 = (files[1]?.log_lines ?? -1) + (files[1]?.other_lines ?? -1);
      expect(read1).toBeGreaterThan(0);
      expect(read1).toBeLessThan(74); // node-1's log has 74 lines; half the stream holds fewer
      expect(res?.warnings).toEqual([
        {
          run: 'tiny',
          code: 'gzip-truncated',
          message: `node-1/stdout.gz is not a complete gzip file (unexpected end of file); only the ${read1} line(s) before the cut were read — copy the log again.`,
        },
        {
          run: 'tiny',
          code: 'gzip-truncated',
          message: 'node-2/stdout.gz is not a complete gzip file (unexpected end of file); only the 0 line(s) before the cut were read — copy the log again.',
        },
      ]);
      // A complete but empty stream is not cut, yet contributes nothing: named too.
      await writeFile(join(run, 'node-2', 'stdout.gz'), empty);
      const [again] = await ingestRuns(db, await discoverRuns([run]), silentLogger);
      expect(again?.status).toBe('loaded');
      expect(again?.warnings.map((w) => [w.code, w.message.split(' ')[0]])).toEqual([
        ['gzip-truncated', 'node-1/stdout.gz'],
        ['log-empty', 'node-2/stdout.gz'],
      ]);
      // Stored with the run: an unchanged run still reports them.
      const [fresh] = await ingestRuns(db, await discoverRuns([run]), silentLogger);
      expect(fresh?.status).toBe('fresh');
      expect(fresh?.warnings).toEqual(again?.warnings);
    } finally {
      db.close();
    }
  });
});

describe('genesis values the warehouse cannot store', () => {
  it('refuses epochLength 1e20 or an unreadable start with one sentence, and stores nothing', async () => {
    const db = await Warehouse.open(':memory:');
    try {
      for (const bad of [{ epochLength: 1e20 }, { systemStart: 'not a time' }, { slotLength: Number.POSITIVE_INFINITY }]) {
        const [run] = await discoverRuns([TINY]);
        if (!run) throw new Error('no run');
        run.genesis = { ...run.genesis, ...bad };
        const err = await ingestRuns(db, [run], silentLogger).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err, JSON.stringify(bad)).toBeInstanceOf(CliError);
        expect((err as CliError).exitCode).toBe(2);
        expect((err as CliError).message).toContain(TINY);
        expect((err as CliError).message).toContain(Object.keys(bad)[0] === 'systemStart' ? 'genesis' : Object.keys(bad)[0]);
        expect(await db.all('SELECT run_id FROM events UNION ALL SELECT run_id FROM files UNION ALL SELECT run_id FROM runs')).toEqual([]);
      }
      // slotLength 1e308 is a DOUBLE like any other: stored, not an internal error.
      const [run] = await discoverRuns([TINY]);
      if (!run) throw new Error('no run');
      run.genesis = { ...run.genesis, slotLength: 1e308 };
      const [res] = await ingestRuns(db, [run], silentLogger);
      expect(res?.status).toBe('loaded');
    } finally {
      db.close();
    }
  });
});

describe('input warnings reach the user', () => {
  it('ingest prints them, and report puts them in report.json', async () => {
    const cut = join(tmp.dir, 'cut');
    await cp(TINY, cut, { recursive: true });
    const whole = gzipSync(await readFile(join(cut, 'node-2', 'stdout')));
    await writeFile(join(cut, 'node-2', 'stdout.gz'), whole.subarray(0, 10));
    await unlink(join(cut, 'node-2', 'stdout'));
    const other = join(tmp.dir, 'other');
    await cp(TINY, other, { recursive: true });
    let err = '';
    const se = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
    const so = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const db = join(tmp.dir, 'warn.duckdb');
      expect(await main(['node', 'bench-report', 'ingest', cut, '--db', db])).toBe(0);
      expect(err).toContain(
        'warning: tiny: node-2/stdout.gz is not a complete gzip file (unexpected end of file); only the 0 line(s) before the cut were read — copy the log again.\n',
      );
      const out = join(tmp.dir, 'warn-report');
      const code = await main(['node', 'bench-report', 'report', '-b', cut, '-c', other, '--db', db, '--out', out, '--format', 'json']);
      expect(code).toBe(0);
      const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as { warnings: { run: string; code: string }[] };
      expect(report.warnings.filter((w) => w.code === 'gzip-truncated')).toEqual([
        { run: 'tiny', code: 'gzip-truncated', message: 'node-2/stdout.gz is not a complete gzip file (unexpected end of file); only the 0 line(s) before the cut were read — copy the log again.' },
      ]);
    } finally {
      se.mockRestore();
      so.mockRestore();
    }
  });
});

describe('a run with no log object at all', () => {
  it('is refused with one sentence even when its lines hold a lone \\r and invalid bytes', async () => {
    const run = join(tmp.dir, 'no-objects');
    await cp(TINY, run, { recursive: true });
    for (const n of ['node-0', 'node-1', 'node-2']) {
      await writeFile(join(run, n, 'stdout'), Buffer.concat([Buffer.from('starting\rup\n'), Buffer.from([0xff, 0xfe, 0x0a])]));
    }
    const db = await Warehouse.open(':memory:');
    try {
      const err = await ingestRuns(db, await discoverRuns([run]), silentLogger).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(CliError);
      expect((err as CliError).exitCode).toBe(2);
      expect((err as CliError).message).toContain(run);
    } finally {
      db.close();
    }
  });
});

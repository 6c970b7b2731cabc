// Issue 20 item 1: messy lines in every node log of a run (a line cut mid-object, as a node
// killed mid-write leaves it, banner lines, blank lines, NULs, invalid UTF-8) are counted and
// the run is read, with every other line's rows exactly those of the clean run — under the
// ingest memory cap. The cap matters through DuckDB's threads: each thread scanning a file
// for the line census held a 256 MiB buffer, so 3 messy logs on 4 threads asked for more than
// the 576 MiB cap ("could not allocate block of size 256.0 MiB") and the run was refused.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse, countLines, ingestRuns } from '../pipeline/warehouse/index.js';
import { discoverRuns } from '../pipeline/discover/index.js';
import { silentLogger } from '../pipeline/core/index.js';
import { simulate } from '../pipeline/simulate/index.js';
import { DEFAULT_FILTERS, computeMetrics } from '../pipeline/metrics/index.js';

const TABLES = ['ev_resources', 'ev_slot', 'ev_block', 'msg_counts'];
const CUT = '{"at":"2026-01-01T00:10:00.00Z","ns":"Resources","data":{"Cent';
let tmp: string;
let clean: string | undefined;
let messy: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bench-report-messy-cap-'));
  // 3 nodes × 1000 slots: about 7 MB of logs.
  [clean] = await simulate({ out: join(tmp, 'clean'), tracing: 'new', rts: '', nodes: 3, slots: 1000, runs: 1, seed: 7 });
  messy = join(tmp, 'messy');
  await cp(clean ?? '', messy, { recursive: true });
  for (const node of ['node-0', 'node-1', 'node-2']) {
    const p = join(messy, node, 'stdout');
    const text = await readFile(p);
    const lines = text.subarray(0, text.length - 1).toString('latin1').split('\n');
    const mid = Math.floor(lines.length / 2);
    // In the middle of the log: a line cut mid-object, a blank line, a line of NULs, a line
    // beginning with '{' that is not UTF-8; a banner line first; a cut line last, no line end.
    const bad = Buffer.concat([Buffer.from(`${CUT}\n\n\0\0\0\n{"at":"`, 'latin1'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]);
    await writeFile(
      p,
      Buffer.concat([
        Buffer.from('Listening on http://127.0.0.1:12798\n'),
        Buffer.from(`${lines.slice(0, mid).join('\n')}\n`, 'latin1'),
        bad,
        Buffer.from(`${lines.slice(mid).join('\n')}\n${CUT}`, 'latin1'),
      ]),
    );
  }
}, 60_000);
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function load(run: string): Promise<{ tables: Record<string, string[]>; files: unknown[]; values: Map<string, number | null> | undefined; samples: string[] }> {
  // 4 threads, as on a machine with 4 cores or more.
  const db = await Warehouse.open(':memory:', { threads: 4 });
  try {
    const [res] = await ingestRuns(db, await discoverRuns([run]), silentLogger);
    const tables: Record<string, string[]> = {};
    for (const t of TABLES) tables[t] = (await db.all(`SELECT * EXCLUDE (run_id) FROM ${t}`)).map((r) => JSON.stringify(r)).sort();
    const files = await db.all('SELECT node, log_lines, parsed, malformed, other_lines FROM files ORDER BY file_id');
    const m = await computeMetrics(db, [res?.runId ?? -1], DEFAULT_FILTERS);
    const samples = (await db.all<{ line: string }>('SELECT line FROM malformed_samples WHERE file_id = 0')).map((r) => r.line);
    return { tables, files, values: m.byRun.get(res?.runId ?? -1)?.values, samples };
  } finally {
    db.close();
  }
}

describe('the line census', () => {
  // What DuckDB's CSV reader (strict_mode = false), which the census replaced, gave for each.
  const cases: [string, number][] = [
    ['a\r\nb\r\n', 2], ['\r\n\r\n', 2], ['a\n\r\nb', 4], ['\n', 1], ['\n\n', 2], ['a', 1], ['a\n\n', 2],
    ['\r', 1], ['a\rb', 2], ['a\r\rb\n', 3], ['\n\rx', 3], ['a\n\rb\n', 3], ['a\r\n\r\nb', 3],
  ];
  it('ends lines where DuckDB did: \\n, \\r\\n, a lone \\r', async () => {
    for (const [text, lines] of cases) {
      const p = join(tmp, 'census.txt');
      await writeFile(p, text);
      const c = await countLines(p, 5);
      expect(c.logLines + c.otherLines, JSON.stringify(text)).toBe(lines);
    }
  });

  it('tells cut log lines and lines not UTF-8 from whole ones, and keeps the first of each', async () => {
    const p = join(tmp, 'cut.txt');
    await writeFile(p, Buffer.concat([Buffer.from('{"a":1}\n{"a":1}  \t\n{"a":\nbanner\n{"a":"'), Buffer.from([0xff]), Buffer.from('"}\n{"b":')]));
    expect(await countLines(p, 5)).toEqual({
      logLines: 5, otherLines: 1, cutLines: 2, badUtf8Lines: 1, cutSamples: ['{"a":', '{"b":'], badUtf8: ['{"a":"?"}'],
    });
  });
});

describe('messy lines under the ingest memory cap', () => {
  it('reads a 7 MB run whose every log holds cut lines, banners, blank lines, NULs and invalid UTF-8', async () => {
    const a = await load(clean ?? '');
    const b = await load(messy);
    expect(b.tables).toEqual(a.tables);
    // Every metric as on the clean run but the line counts: 3 more log lines (malformed) per log.
    const counted = ['log_lines', 'log_rate_hz', 'malformed_lines'];
    const except = (v: Map<string, number | null> | undefined): [string, number | null][] => [...(v ?? [])].filter(([k]) => !counted.includes(k));
    expect(except(b.values)).toEqual(except(a.values));
    expect(b.values?.get('malformed_lines')).toBe(9);
    // The malformed lines verbatim, from the census (the cut ones in file order, then the one
    // that is not UTF-8, its bytes shown as '?').
    expect(b.samples).toEqual([CUT, CUT, '{"at":"??"}']);
    expect(b.values?.get('log_lines')).toBe(Number(a.values?.get('log_lines')) + 9);
    // Per log: 3 malformed lines (the two cut ones, the one not UTF-8) and 3 more other lines
    // (the banner, the blank line, the NULs) than the clean log.
    const want = (a.files as { node: string; log_lines: number; parsed: number; malformed: number; other_lines: number }[]).map((f) => ({
      ...f,
      log_lines: Number(f.log_lines) + 3,
      malformed: 3,
      other_lines: Number(f.other_lines) + 3,
    }));
    expect(b.files.map((f) => Object.fromEntries(Object.entries(f as object).map(([k, v]) => [k, k === 'node' ? v : Number(v)])))).toEqual(
      want.map((f) => ({ ...f, parsed: Number(f.parsed) })),
    );
  }, 120_000);
});

// Ingest reads a run in batches of files, each held in a temporary table; one file too large
// to hold is read in chunks of whole lines (a gzipped one decompressed on the way). Whichever
// path a file takes, the warehouse must hold the same rows: shrinking the limits sends the
// tiny run down each.
import { cp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Warehouse, ingestRuns, type IngestLimits } from '../pipeline/warehouse/index.js';
import { discoverRuns } from '../pipeline/discover/index.js';
import { silentLogger } from '../pipeline/core/index.js';
import { scratchDir } from './helpers/scratch.js';

const TINY = join(import.meta.dirname, 'fixtures', 'tiny', 'new', 'run-tiny');
const TABLES = ['files', 'ev_resources', 'ev_slot', 'ev_block', 'msg_counts', 'malformed_samples'];
const tmp = scratchDir('bench-report-batches-');

/** Every table's rows, sorted, as JSON text: equal snapshots mean an identical warehouse. */
async function snapshot(limits?: IngestLimits, run = TINY): Promise<Record<string, string[]>> {
  const db = await Warehouse.open(':memory:');
  try {
    await ingestRuns(db, await discoverRuns([run]), silentLogger, limits);
    const out: Record<string, string[]> = {};
    for (const t of TABLES) {
      out[t] = (await db.all(`SELECT * EXCLUDE (run_id) FROM ${t}`)).map((r) => JSON.stringify(r)).sort();
    }
    const [c] = await db.all<{ parsed: number; malformed: number; events: number }>(
      'SELECT (SELECT sum(parsed) FROM files) AS parsed, (SELECT sum(malformed) FROM files) AS malformed, (SELECT count(*) FROM events) AS events',
    );
    out.counts = [JSON.stringify(c)];
    return out;
  } finally {
    db.close();
  }
}

describe('ingest batches', () => {
  it('writes the same rows whether files are held together, one per batch, or read in chunks', async () => {
    const held = await snapshot();
    // The figures of test/db.test.ts: 211 parsed lines, 1 malformed, 210 events.
    expect(held.counts).toEqual([JSON.stringify({ parsed: 211, malformed: 1, events: 210 })]);
    expect(held.ev_slot?.length).toBeGreaterThan(0);
    expect(held.ev_block?.length).toBeGreaterThan(0);
    expect(held.malformed_samples?.length).toBe(1);
    // Each file its own batch, still held in a temporary table.
    expect(await snapshot({ batchBytes: 1, chunkAboveBytes: Number.MAX_SAFE_INTEGER })).toEqual(held);
    // Each file too large to hold: read in chunks of ~4 KiB of whole lines (several per file,
    // many of them within one hour, so their msg_counts rows are put together again).
    expect(await snapshot({ batchBytes: 4096, chunkAboveBytes: 0 })).toEqual(held);
    // A chunk per line.
    expect(await snapshot({ batchBytes: 1, chunkAboveBytes: 0 })).toEqual(held);
  });

  it('reads a gzipped file too large to hold in decompressed chunks, with the same rows', async () => {
    const gz = join(tmp.dir, 'run-tiny-gz');
    await cp(TINY, gz, { recursive: true });
    for (const e of await readdir(gz, { recursive: true, withFileTypes: true })) {
      if (e.isFile() && e.name.startsWith('stdout')) {
        const p = join(e.parentPath, e.name);
        await writeFile(`${p}.gz`, gzipSync(await readFile(p)));
        await rm(p);
      }
    }
    const strip = (s: Record<string, string[]>): Record<string, string[]> =>
      Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.map((r) => r.replace(/"path":"[^"]*"/, '').replace(/"line":"[^"]*"/, ''))]));
    const plain = strip(await snapshot());
    expect(strip(await snapshot(undefined, gz))).toEqual(plain);
    expect(strip(await snapshot({ batchBytes: 4096, chunkAboveBytes: 0 }, gz))).toEqual(plain);
    expect(strip(await snapshot({ batchBytes: 1, chunkAboveBytes: 0 }, gz))).toEqual(plain);
  });

  it('reads a cut gzipped file larger than zlib output chunks in chunks up to the cut, every line before it', async () => {
    // Past one zlib output chunk (1 MiB), held and chunked reads still give every line zlib
    // can decompress before the cut (with small read and output chunks, Node's zlib drops what
    // the call meeting the cut produced: measured on the route-experiment branch).
    const cut = join(tmp.dir, 'run-tiny-cut-big');
    await cp(TINY, cut, { recursive: true });
    const p = join(cut, 'node-0', 'stdout');
    const once = await readFile(p);
    const text = Buffer.concat(Array.from({ length: Math.ceil((3 << 20) / once.length) }, () => once));
    const whole = gzipSync(text, { level: 1 });
    const half = whole.subarray(0, Math.floor(whole.length * 0.6));
    await writeFile(`${p}.gz`, half);
    await rm(p);
    const lines = async (limits?: IngestLimits): Promise<number> => {
      const db = await Warehouse.open(':memory:');
      try {
        await ingestRuns(db, await discoverRuns([cut]), silentLogger, limits);
        const [f] = await db.all<{ n: number }>("SELECT parsed + malformed + other_lines AS n FROM files WHERE path LIKE '%.gz'");
        return Number(f?.n);
      } finally {
        db.close();
      }
    };
    const got = gunzipSync(half, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).toString('utf8');
    const before = got.split('\n').length - (got.endsWith('\n') ? 1 : 0);
    expect(got.length).toBeGreaterThan(1 << 20);
    expect(await lines()).toBe(before);
    expect(await lines({ batchBytes: 1 << 20, chunkAboveBytes: 0 })).toBe(before);
  });

  it('reads a cut gzipped file in chunks up to the cut, and warns as when it is held', async () => {
    const cut = join(tmp.dir, 'run-tiny-cut');
    await cp(TINY, cut, { recursive: true });
    const p = join(cut, 'node-0', 'stdout');
    const whole = gzipSync(await readFile(p));
    const half = whole.subarray(0, Math.floor(whole.length / 2));
    await writeFile(`${p}.gz`, half);
    await rm(p);
    const ingest = async (limits?: IngestLimits): Promise<{ warnings: string[]; lines: number }> => {
      const db = await Warehouse.open(':memory:');
      try {
        const [res] = await ingestRuns(db, await discoverRuns([cut]), silentLogger, limits);
        const [f] = await db.all<{ n: number }>("SELECT parsed + malformed + other_lines AS n FROM files WHERE path LIKE '%.gz'");
        return { warnings: (res?.warnings ?? []).filter((w) => w.code === 'gzip-truncated').map((w) => w.message), lines: Number(f?.n) };
      } finally {
        db.close();
      }
    };
    const held = await ingest();
    const chunked = await ingest({ batchBytes: 4096, chunkAboveBytes: 0 });
    // What zlib can give of the cut file: its lines, the last one cut short.
    const text = gunzipSync(half, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).toString('utf8');
    const before = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    expect(before).toBeGreaterThan(10);
    expect(before).toBeLessThan(77);
    const message = `node-0/stdout.gz is not a complete gzip file (unexpected end of file); only the ${before} line(s) before the cut were read — copy the log again.`;
    expect(held).toEqual({ warnings: [message], lines: before });
    expect(chunked).toEqual({ warnings: [message], lines: before });
  });
});

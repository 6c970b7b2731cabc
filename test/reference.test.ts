// Real upstream trace lines (test/fixtures/reference/examples.ndjson, quoted from the
// cardano-node repository): two legacy lines and five new-tracing lines, with a space-style
// timestamp and elided hashes. Each must land as the right canonical event with its fields.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../pipeline/db.js';
import { discoverRuns } from '../pipeline/discover.js';
import { ingestRuns } from '../pipeline/ingest.js';
import { silentLogger } from '../pipeline/log.js';

const EXAMPLES = join(import.meta.dirname, 'fixtures', 'reference', 'examples.ndjson');

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bench-report-ref-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('upstream example lines', () => {
  it('map to canonical events with their fields, in both formats', async () => {
    const run = join(tmp, 'run');
    await mkdir(join(run, 'node-0'), { recursive: true });
    await mkdir(join(run, 'genesis'), { recursive: true });
    await writeFile(join(run, 'meta.json'), '{"meta":{"tag":"ref"}}');
    await writeFile(join(run, 'genesis', 'genesis.shelley.json'), '{"systemStart":"2023-01-01T00:00:00Z","slotLength":1,"epochLength":432000}');
    await copyFile(EXAMPLES, join(run, 'node-0', 'stdout'));
    const db = await Warehouse.open(':memory:');
    try {
      await ingestRuns(db, await discoverRuns([run]), silentLogger);
      const rows = await db.all<{ at: string; ev: string; block: string | null; slot: number | null; size: number | null }>(
        `SELECT strftime("at", '%Y-%m-%d %H:%M:%S.%f') AS "at", ev, block, slot, size FROM events ORDER BY "at", ev`,
      );
      expect(rows).toEqual([
        { at: '2023-05-16 15:02:46.005100', ev: 'adopted_forger', block: '26ab7d....abffa', slot: 627, size: 864 },
        { at: '2023-06-01 21:26:14.002500', ev: 'leader', block: null, slot: 995, size: null },
        { at: '2023-10-04 21:06:08.160000', ev: 'sent', block: 'b30....c60', slot: null, size: null },
        { at: '2023-10-04 21:06:21.030000', ev: 'fetched', block: '944....10a', slot: null, size: 863 },
        { at: '2023-11-02 18:49:00.280200', ev: 'fetched', block: '18c....33d', slot: null, size: 13484 },
        { at: '2024-10-19 10:16:27.459112', ev: 'ledger_snapshot', block: null, slot: null, size: null },
        { at: '2024-10-19 10:16:45.925381', ev: 'ledger_snapshot', block: null, slot: null, size: null },
      ]);
      const [files] = await db.all<{ log_lines: number; malformed: number }>('SELECT log_lines, malformed FROM files');
      expect(files).toEqual({ log_lines: 7, malformed: 0 });
    } finally {
      db.close();
    }
  });
});

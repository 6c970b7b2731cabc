// Issue 20 items 4–6: the real lines added to shared/reference in 2026 (verbatim copies in
// test/fixtures/real-lines, sources in its README) are read right or refused with the right
// diagnosis: a workbench node log excerpt (real Resources lines, every forging step, the
// falling edge of ChainSync.ServerHeader.Update written without `risingEdge`, leads whose
// loop start is not in the excerpt), an 11.0.1 relay, openblockperf relay lines, new
// tracing's human format, and legacy ScText under journald.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Warehouse, ingestRuns } from '../pipeline/warehouse/index.js';
import { discoverRuns } from '../pipeline/discover/index.js';
import { CliError, silentLogger } from '../pipeline/core/index.js';
import { computeMetrics } from '../pipeline/metrics/index.js';
import { scratchDir } from './helpers/scratch.js';

const REAL = join(import.meta.dirname, 'fixtures', 'real-lines');
const tmp = scratchDir('bench-report-real-2026-');

/** A one-node run whose node-0/stdout is the fixture file; genesis start `start` (slotLength 1). */
async function makeRun(name: string, file: string, start = '2022-01-01T00:00:00Z'): Promise<string> {
  const run = join(tmp.dir, name);
  await mkdir(join(run, 'genesis'), { recursive: true });
  await mkdir(join(run, 'node-0'), { recursive: true });
  await writeFile(join(run, 'meta.json'), `{"meta":{"tag":"${name}"}}`);
  await writeFile(join(run, 'genesis', 'genesis.shelley.json'), `{"systemStart":"${start}","slotLength":1,"epochLength":432000}`);
  await copyFile(join(REAL, file), join(run, 'node-0', 'stdout'));
  return run;
}

async function withRun<T>(run: string, f: (db: Warehouse, runId: number) => Promise<T>): Promise<T> {
  const db = await Warehouse.open(':memory:');
  try {
    const [res] = await ingestRuns(db, await discoverRuns([run]), silentLogger);
    return await f(db, res?.runId ?? -1);
  } finally {
    db.close();
  }
}

async function refusal(run: string): Promise<string> {
  const err = await withRun(run, async () => null).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CliError);
  expect((err as CliError).exitCode).toBe(2);
  return (err as CliError).message;
}

const HASH = 'aca25d0ad02e52a80395b4782803758d480db3a2e3c7b3db8c313934f7c912ad';

describe('workbench 2026 node-1 excerpt (locli round-trip fixture)', () => {
  // Slot 109 is logged at 12:36:44.45: the run's genesis starts 109 s before 12:36:44.
  const start = '2026-09-07T12:34:55Z';

  it('reads every line, its real Resources samples among them', async () => {
    const run = await makeRun('workbench', 'workbench-2026-09-07-node-1-locli-roundtrip-fixture.jsonl', start);
    await withRun(run, async (db) => {
      expect(await db.all('SELECT log_lines, parsed, malformed, other_lines FROM files')).toEqual([{ log_lines: 56, parsed: 56, malformed: 0, other_lines: 0 }]);
      // The file's first two lines, as logged: CentiCpu 7912 then 8013, RSS 9599819776 bytes.
      expect(await db.all('SELECT centi_cpu, centi_gc, centi_mut, gcs_minor FROM ev_resources ORDER BY "at"')).toEqual([
        { centi_cpu: 7912, centi_gc: 1212, centi_mut: 6699, gcs_minor: 3524 },
        { centi_cpu: 8013, centi_gc: 1248, centi_mut: 6764, gcs_minor: 3550 },
      ]);
    });
  });

  it('counts the rising edge of a ChainSync server update, not the falling edge written without risingEdge', async () => {
    const run = await makeRun('workbench-edges', 'workbench-2026-09-07-node-1-locli-roundtrip-fixture.jsonl', start);
    await withRun(run, async (db) => {
      // Lines 25 (risingEdge true, 12:37:40.009683381) and 26 (no risingEdge, Debug, .009740385).
      const announced = await db.all<{ t: string; block: string; slot: number }>(
        `SELECT strftime("at", '%H:%M:%S.%f') AS t, block, slot FROM events WHERE ev = 'announced'`,
      );
      expect(announced).toEqual([{ t: '12:37:40.009683', block: HASH, slot: 165 }]);
      expect(await db.all(`SELECT n FROM msg_counts WHERE ns = 'ChainSync.ServerHeader.Update' AND ev IS NULL`)).toEqual([{ n: 1 }]);
    });
  });

  it('counts loop_leads over every slot the node led in, not only between its loop starts', async () => {
    const run = await makeRun('workbench-leads', 'workbench-2026-09-07-node-1-locli-roundtrip-fixture.jsonl', start);
    await withRun(run, async (db, runId) => {
      const m = await computeMetrics(db, [runId], []);
      const v = m.byRun.get(runId)?.values;
      // Loop starts in slots 109 and 110 only: 1 per slot. Leads in slots 1562 and 6720
      // (their loop starts are not in the excerpt): 2 over the 6612 slots 109–6720.
      expect(v?.get('loop_starts')).toBe(1);
      expect(v?.get('loop_leads')).toBeCloseTo(2 / 6612, 12);
    });
  });
});

describe('relays of 2025–2026', () => {
  it('11.0.1: AddedToCurrentChain with newSuffixSelectView is an adoption of its newtip', async () => {
    const run = await makeRun('ade-relay', 'ade-2026-06-07-relay-lfl4-addedtocurrentchain-newSuffixSelectView.jsonl');
    await withRun(run, async (db) => {
      expect(await db.all(`SELECT ev::VARCHAR AS ev, block, slot FROM events`)).toEqual([
        { ev: 'adopted', block: 'db3b5675a441b7b9468a8f5b334a9b7c03164ce41ba742604711bea888e65d17', slot: 421 },
      ]);
      expect(await db.all(`SELECT ns, kind, n FROM msg_counts WHERE ev IS NULL`)).toEqual([
        { ns: 'ChainDB.InitChainSelEvent.Validation.ValidCandidate', kind: 'ValidCandidate', n: 1 },
      ]);
    });
  });

  it('openblockperf: fork switch, detailed adoption, header, fetch request and fetch, each with its block', async () => {
    const run = await makeRun('openblockperf', 'openblockperf-2025-09-preprod-relay.reserialised.jsonl');
    await withRun(run, async (db) => {
      expect(await db.all(`SELECT ev::VARCHAR AS ev, block, slot, block_no FROM events ORDER BY "at"`)).toEqual([
        { ev: 'switched', block: '838498b0cc666026ec366199ec89afd67a2febc932816acef9bbd2a1f59689a5', slot: 91039878, block_no: null },
        { ev: 'adopted', block: '9d096f3fbe809021bcb78d6391751bf2725787380ea367bbe2fb93634ac613b1', slot: 91039899, block_no: null },
        { ev: 'header_seen', block: '9d096f3fbe809021bcb78d6391751bf2725787380ea367bbe2fb93634ac613b1', slot: 91039899, block_no: 3600148 },
        { ev: 'fetch_request', block: 'e175320a3488c661d1b921b9cf4fb81d1c00d1b6650bf27536c859b90a1692b4', slot: null, block_no: null },
        { ev: 'fetched', block: 'e175320a3488c661d1b921b9cf4fb81d1c00d1b6650bf27536c859b90a1692b4', slot: null, block_no: null },
      ]);
    });
  });
});

describe('text formats are refused, naming the format and the setting that gives JSON', () => {
  it("new tracing's human format: HumanFormat, and the MachineFormat backend", async () => {
    const run = await makeRun('human', 'ade-2026-06-04-follower-lfl4-newtracing-human-format.log');
    const msg = await refusal(run);
    expect(msg).toContain(`${run}: node-0/stdout holds 15 lines and none is a JSON log object; they look like new tracing's human-readable text format (HumanFormat: \`[2026-06-04 15:33:07.9556Z][lfl4:`);
    expect(msg).toContain('a MachineFormat backend in TraceOptions');
  });

  it('legacy ScText under journald: legacy text, not a prefix to strip, and ScJson', async () => {
    const run = await makeRun('journald-text', 'journald-legacy-text-mainnet-oberon-2025-10-05.log');
    const msg = await refusal(run);
    expect(msg).toContain(
      `${run}: node-0/stdout holds 3 lines and none is a JSON log object; they look like the legacy text log format (iohk-monitoring ScText) behind a journald prefix (\`Oct 05 04:51:44 oberon block-node-mainnet[216114]: [oberon:cardano.node.`,
    );
    expect(msg).toContain('stripping the prefix would leave text, not JSON; configure the node to write JSON (iohk-monitoring: scFormat ScJson');
    expect(msg).not.toContain('sed');
  });
});

// Real log lines (test/fixtures/real-lines, verbatim, sources in its README) land as the right
// canonical events with the right fields: legacy 1.33–1.35 announcements, wrapped payloads and
// {"unBlockNo": n}; cardano-tracer 10.2.1's array namespaces; upstream example lines of both
// formats. Shapes no public line shows (the older legacy announcement kinds, edge flags, an
// object where text was expected) are checked on lines written here, each in its real envelope.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../pipeline/cli.js';
import { readFileSync } from 'node:fs';
import { Warehouse, ingestRuns } from '../pipeline/warehouse/index.js';
import { discoverRuns } from '../pipeline/discover/index.js';
import { CliError, silentLogger } from '../pipeline/core/index.js';
import { DEFAULT_FILTERS, computeMetrics } from '../pipeline/metrics/index.js';
import { scratchDir } from './helpers/scratch.js';

const REAL = join(import.meta.dirname, 'fixtures', 'real-lines');

const tmp = scratchDir('bench-report-ref-');

/** A run directory whose node-N/stdout is the N-th of `logs` (a fixture file name, or text). */
async function makeRun(name: string, logs: ({ file: string } | { text: string })[]): Promise<string> {
  const run = join(tmp.dir, name);
  await mkdir(join(run, 'genesis'), { recursive: true });
  await writeFile(join(run, 'meta.json'), `{"meta":{"tag":"${name}"}}`);
  await writeFile(join(run, 'genesis', 'genesis.shelley.json'), '{"systemStart":"2022-01-01T00:00:00Z","slotLength":1,"epochLength":432000}');
  for (const [i, log] of logs.entries()) {
    await mkdir(join(run, `node-${i}`), { recursive: true });
    if ('file' in log) await copyFile(join(REAL, log.file), join(run, `node-${i}`, 'stdout'));
    else await writeFile(join(run, `node-${i}`, 'stdout'), log.text);
  }
  return run;
}

interface EventRow {
  node: string;
  ev: string | null;
  ns: string | null;
  kind: string | null;
  slot: number | null;
  block_no: number | null;
  block: string | null;
  block_prev: string | null;
  chain_delta: number | null;
}

async function eventsOf(run: string): Promise<EventRow[]> {
  const db = await Warehouse.open(':memory:');
  try {
    await ingestRuns(db, await discoverRuns([run]), silentLogger);
    // Canonical events are stored (the events view); other messages are only counted, per
    // (ns, kind) with their first time, so each is listed once per line it counts.
    return await db.all<EventRow>(
      `SELECT node, ev, ns, kind, slot, block_no, block, block_prev, chain_delta FROM (
         SELECT node, "at", ev, NULL AS ns, NULL AS kind, slot, block_no, block, block_prev, chain_delta FROM events
         UNION ALL
         SELECT f.node, m.first_at, NULL, m.ns, m.kind, NULL, NULL, NULL, NULL, NULL
         FROM msg_counts AS m JOIN files AS f USING (run_id, file_id), range(m.n)
         WHERE m.ev IS NULL)
       WHERE "at" IS NOT NULL ORDER BY node, "at", ev::VARCHAR`,
    );
  } finally {
    db.close();
  }
}

const row = (node: string, ev: string | null, fields: Partial<EventRow> = {}): EventRow => ({
  node, ev, ns: null, kind: null, slot: null, block_no: null, block: null, block_prev: null, chain_delta: null, ...fields,
});

describe('real log lines, verbatim', () => {
  it('each shape maps to its canonical event and fields', async () => {
    const run = await makeRun('real', [
      { file: 'legacy-1.33.0-sewagema-cardano-node-pr3893.compact.jsonl' },
      { file: 'legacy-1.35.0-node-31-cardano-node-4082.jsonl' },
      { file: 'legacy-1.35.4-relay04-ouroboros-network-4226.jsonl' },
      { file: 'tracer-10.2.1-array-ns.jsonl' },
    ]);
    expect(await eventsOf(run)).toEqual([
      // ≥ 1.35 announcement: the hash and slot come from addBlock (`<hash>@4`), not from tip.
      row('node-0', 'announced', { slot: 4, block: '71e2a42387752e21ecc5b7a612891c09080b6f386554f910602b1e8c7f9a9929' }),
      // Wrapped payload (data.credentials + data.val).
      row('node-1', 'forged', {
        slot: 42943,
        block_no: 2112,
        block: '6057196e24b3294a6b788a077a5471c8dd11dc74b0416e401401c3b824c48a82',
        block_prev: '0c8c28d2f2c79399569d1352ac6106a30068b8cbf9568abf64fd27cf6d3ef99a',
      }),
      // {"unBlockNo": 8133942} is the block number.
      row('node-2', 'fetch_request', { block: 'c10908ea80f1dd92f90566d1c41d54a24100dec5a890da86de94140bbd286e19' }),
      row('node-2', 'header_seen', { slot: 79361282, block_no: 8133942, block: 'c10908ea80f1dd92f90566d1c41d54a24100dec5a890da86de94140bbd286e19' }),
      // Array ns of several parts: a new-tracing namespace joined with dots.
      row('node-3', 'not_leader', { slot: 417 }),
      row('node-3', 'loop_start', { slot: 418 }),
      row('node-3', null, { ns: 'Forge.StateInfo.StateInfo', kind: 'KESInfo' }),
      row('node-3', 'not_leader', { slot: 418 }),
    ]);
  });

  it('upstream example lines of both formats map to canonical events with their fields', async () => {
    const run = await makeRun('examples', [{ file: 'upstream-examples.ndjson' }]);
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

// Envelopes as real nodes write them (legacy: app/env/loc/msg/pid, one-element ns).
const H = 'aa'.repeat(32);
const legacy = (at: string, logger: string, data: string): string =>
  `{"app":[],"at":"${at}","data":${data},"env":"1.35.4:ebc7b","host":"r","loc":null,"msg":"","ns":["cardano.node.${logger}"],"pid":"1","sev":"Info","thread":"7"}`;
const modern = (at: string, ns: string, data: string): string => `{"at":"${at}","ns":${ns},"data":${data},"sev":"Info","thread":"7","host":"r"}`;

describe('log shapes without a public verbatim line', () => {
  it('legacy announcements: both older kinds count, ≥ 1.35 updates only on the rising edge of a blocking read', async () => {
    const run = await makeRun('announce', [
      {
        text: [
          legacy('2022-01-01T00:00:01.00Z', 'ChainSyncHeaderServer', `{"block":"${H}","blockNo":1,"kind":"ChainSyncServerEvent.TraceChainSyncServerReadBlocked.AddBlock","slot":1}`),
          legacy('2022-01-01T00:00:02.00Z', 'ChainSyncHeaderServer', `{"block":"${H}","blockNo":1,"kind":"ChainSyncServerEvent.TraceChainSyncServerRead.AddBlock","slot":2}`),
          legacy('2022-01-01T00:00:03.00Z', 'ChainSyncHeaderServer', `{"addBlock":"${H}@3","blockingRead":true,"kind":"ChainSyncServerEvent.TraceChainSyncServerUpdate","risingEdge":false}`),
          legacy('2022-01-01T00:00:04.00Z', 'ChainSyncHeaderServer', `{"addBlock":"${H}@4","blockingRead":false,"kind":"ChainSyncServerEvent.TraceChainSyncServerUpdate","risingEdge":true}`),
          legacy('2022-01-01T00:00:05.00Z', 'ChainSyncHeaderServer', `{"blockingRead":true,"kind":"ChainSyncServerEvent.TraceChainSyncServerUpdate","risingEdge":true,"rollBackTo":"${H}@0"}`),
          legacy('2022-01-01T00:00:06.00Z', 'ChainSyncHeaderServer', `{"addBlock":"${H}@6","blockingRead":true,"kind":"ChainSyncServerEvent.TraceChainSyncServerUpdate","risingEdge":true}`),
          '',
        ].join('\n'),
      },
    ]);
    const got = (await eventsOf(run)).map((r) => [r.ev ?? r.kind, r.slot]);
    expect(got).toEqual([
      ['announced', 1],
      ['announced', 2],
      ['ChainSyncServerEvent.TraceChainSyncServerUpdate', null],
      ['ChainSyncServerEvent.TraceChainSyncServerUpdate', null],
      ['ChainSyncServerEvent.TraceChainSyncServerUpdate', null],
      ['announced', 6],
    ]);
  });

  it('chainLengthDelta: as logged in legacy, unknown (not 1) in new tracing; string and array ns alike', async () => {
    const run = await makeRun('delta', [
      {
        text: [
          legacy('2022-01-01T00:00:01.00Z', 'ChainDB', `{"chainLengthDelta":2,"kind":"TraceAddBlockEvent.AddedToCurrentChain","newtip":"${H}@1"}`),
          modern('2022-01-01T00:00:02.00Z', '"ChainDB.AddBlockEvent.AddedToCurrentChain"', `{"kind":"AddedToCurrentChain","newtip":"${H}@2"}`),
          modern('2022-01-01T00:00:03.00Z', '["ChainDB","AddBlockEvent","AddedToCurrentChain"]', `{"kind":"AddedToCurrentChain","newtip":"${H}@3"}`),
          modern('2022-01-01T00:00:04.00Z', '["ChainDB","AddBlockEvent","SwitchedToAFork"]', `{"kind":"SwitchedToAFork","newtip":"${H}@4"}`),
          '',
        ].join('\n'),
      },
    ]);
    expect(await eventsOf(run)).toEqual([
      row('node-0', 'adopted', { slot: 1, block: H, chain_delta: 2 }),
      row('node-0', 'adopted', { slot: 2, block: H }),
      row('node-0', 'adopted', { slot: 3, block: H }),
      row('node-0', 'switched', { slot: 4, block: H }),
    ]);
  });

  it('an object where text was expected leaves the field unknown and keeps the line', async () => {
    const run = await makeRun('object-field', [
      {
        text: [
          modern('2022-01-01T00:00:01.00Z', '"Forge.Loop.ForgedBlock"', `{"block":{"hash":"${H}"},"blockNo":{"unBlockNo":7},"blockPrev":"${H}","kind":"TraceForgedBlock","slot":1}`),
          modern('2022-01-01T00:00:02.00Z', '"BlockFetch.Client.CompletedBlockFetch"', `{"block":["${H}"],"kind":"CompletedBlockFetch","size":"big"}`),
          '',
        ].join('\n'),
      },
    ]);
    expect(await eventsOf(run)).toEqual([
      row('node-0', 'forged', { slot: 1, block_no: 7, block_prev: H }),
      row('node-0', 'fetched'),
    ]);
  });
});

/** Ingests a run that must be refused; returns the error and checks nothing was kept. */
async function refused(run: string): Promise<CliError> {
  const db = await Warehouse.open(':memory:');
  try {
    const err = await ingestRuns(db, await discoverRuns([run]), silentLogger).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CliError);
    expect(await db.all('SELECT count(*) AS n FROM events')).toEqual([{ n: 0 }]);
    expect(await db.all('SELECT count(*) AS n FROM runs')).toEqual([{ n: 0 }]);
    return err as CliError;
  } finally {
    db.close();
  }
}

describe('a run whose logs hold no log object', () => {
  it('is refused when written in the legacy text format (1.26.1), saying so', async () => {
    const run = await makeRun('text-format', [{ file: 'legacy-1.26.1-text-format-cardano-node-2583.log' }, { file: 'legacy-1.26.1-text-format-cardano-node-2583.log' }]);
    const err = await refused(run);
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe(
      `${run}: node-0/stdout and 1 other log hold 8 lines and none is a JSON log object; they look like the legacy text log format ` +
        '(`[1fd09c01:cardano.node.ChainDB:Notice:36] [2021-04-07 07:54:05.28 UTC] Chain ext…`); ' +
        'configure the node to write JSON (iohk-monitoring: scFormat ScJson; new tracing: a MachineFormat backend) and run it again.',
    );
  });

  it('is refused when a journald prefix precedes every JSON object, saying how to strip it', async () => {
    const lines = readFileSync(join(REAL, 'tracer-10.2.1-array-ns.jsonl'), 'utf8').trimEnd().split('\n');
    const text = lines.map((l) => `Apr 13 07:47:58 p2 cardano-node[812]: ${l}\n`).join('');
    const err = await refused(await makeRun('journald', [{ text }]));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain('node-0/stdout holds 4 lines and none is a JSON log object; they carry a prefix before the JSON object (`Apr 13 07:47:58 p2 cardano-node[812]: {');
    expect(err.message).toContain("strip it (`journalctl -o cat`, or `sed 's/^[^{]*{/{/'`)");
  });

  it('makes `bench-report ingest` exit 2 with that sentence on stderr', async () => {
    const run = await makeRun('text-cli', [{ file: 'legacy-1.26.1-text-format-cardano-node-2583.log' }]);
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
    try {
      const code = await main(['node', 'bench-report', 'ingest', run, '--db', join(tmp.dir, 'text-cli.duckdb')]);
      expect(code).toBe(2);
    } finally {
      vi.restoreAllMocks();
    }
    expect(err).toContain(`${run}: node-0/stdout holds 4 lines and none is a JSON log object; they look like the legacy text log format`);
  });

  it('is refused when the node logs hold only blank lines', async () => {
    const run = await makeRun('blank', [{ text: '\n\n' }, { text: '\n' }]);
    expect((await refused(run)).message).toBe(
      `${run}: its 2 node logs hold nothing but blank lines, so there is nothing to report; check that the nodes ran and wrote their logs to stdout.`,
    );
  });
});

describe('the unitary filter reads the chain links, not chainLengthDelta', () => {
  it("a forger's own AdoptedBlock, logged before or instead of AddedToCurrentChain, is its new tip", async () => {
    const [A, B, C, G] = ['aa'.repeat(32), 'bb'.repeat(32), 'cc'.repeat(32), '00'.repeat(32)] as const;
    const at = (s: number): string => `2022-01-01T00:00:0${s}Z`;
    const forged = (s: number, h: string, no: number, prev: string): string =>
      modern(at(s), '"Forge.Loop.ForgedBlock"', `{"block":"${h}","blockNo":${no},"blockPrev":"${prev}","kind":"TraceForgedBlock","slot":${s}}`);
    const own = (s: number, h: string): string => modern(at(s), '"Forge.Loop.AdoptedBlock"', `{"blockHash":"${h}","blockSize":800,"kind":"TraceAdoptedBlock","slot":${s}}`);
    const added = (s: number, h: string): string =>
      modern(at(s), '"ChainDB.AddBlockEvent.AddedToCurrentChain"', `{"kind":"AddedToCurrentChain","newtip":"${h}@${s}"}`);
    const run = await makeRun('unitary', [
      // node-0 forges A and logs only AdoptedBlock for it, then adopts B and C from node-1.
      { text: [forged(1, A, 1, G), own(1, A), added(2, B), added(3, C), ''].join('\n') },
      // node-1 adopts A, forges B (AdoptedBlock before AddedToCurrentChain) and C.
      { text: [added(1, A), forged(2, B, 2, A), own(2, B), added(2, B), forged(3, C, 3, B), added(3, C), ''].join('\n') },
      // node-2 adopts C without ever adopting B: its chain grew by 2.
      { text: [added(1, A), added(3, C), ''].join('\n') },
    ]);
    const db = await Warehouse.open(':memory:');
    try {
      const [res] = await ingestRuns(db, await discoverRuns([run]), silentLogger);
      await computeMetrics(db, [res?.runId ?? -1], DEFAULT_FILTERS);
      const rows = await db.all<{ node: string; block: string; unitary: boolean }>(
        "SELECT node, left(block, 2) AS block, unitary FROM stg_block_events WHERE ev = 'adopted' ORDER BY node, block",
      );
      expect(rows).toEqual([
        { node: 'node-0', block: 'bb', unitary: true },
        { node: 'node-0', block: 'cc', unitary: true },
        { node: 'node-1', block: 'aa', unitary: true },
        { node: 'node-1', block: 'bb', unitary: true },
        { node: 'node-1', block: 'cc', unitary: true },
        { node: 'node-2', block: 'aa', unitary: true },
        { node: 'node-2', block: 'cc', unitary: false },
      ]);
      expect(await db.all('SELECT left(block, 2) AS block FROM sel_blocks ORDER BY block')).toEqual([{ block: 'aa' }, { block: 'bb' }]);
    } finally {
      db.close();
    }
  });
});

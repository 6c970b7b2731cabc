// Issue 20, Done when: "the 10.4.1 producer log, reported as it is: forging metrics over the
// 8 blocks the node kept (or say which they are over), no metric silently computed on a
// subset." The log is the whole public one the issue was checked on, copied byte for byte
// (test/fixtures/real-lines/moog-10.4.1-p1-producer-2025-06-04.jsonl; source in that
// folder's README): cardano-node 10.4.1, producer p1 of a 5-pool testnet, cardano-tracer
// file output, Forge.Loop at Info, Resources silenced. Only its genesis is written here by
// hand: systemStart 13:08:00Z and slotLength 1 inferred from the log (slot s's loop start
// is logged at 13:08:00 + s + a few ms), securityParam 432 and epochLength 86400 from the
// testnet's testnet.yaml.
//
// Every number below is computed by hand from the log lines (line numbers of the file;
// times are seconds past the minute, cut to microseconds as DuckDB reads them: 13:08:29.
// 002776819 is .002776). The node forged 9 blocks:
//
//  slot hash     blkNo | loop start     | NodeIsLeader   | ForgedBlock    | AddedToCurr.   | AdoptedBlock size
//   29 6be99e7e  1 | 156 29.002028 | 158 29.002776 | 159 29.003270 | 160 29.005250 | 161  862
//   37 9ed38886  3 | 191 37.000819 | 193 37.002116 | 194 37.003137 | 195 37.005417 | 196 1175
//   41 73ea29e5  5 | 207 41.001757 | 209 41.002514 | 210 41.002825 | 211 41.004092 | 212  862
//  106 0cc8b484 13 | 482 46.002102 | 484 46.002768 | 485 46.003554 | 486 46.005888 | 487 1488
//  115 3ecdca03 15 | 513 55.001840 | 515 55.002978 | 516 55.003533 | 517 55.006049 | 518  862
//  136 9c90a969 20 | 583 16.002408 | 585 16.003037 | 586 16.003517 | 587 16.006401 | 588  862
//  162 771fd6b7 23 | 666 42.001919 | 668 42.003206 | 669 42.003762 | 670 42.005754 | 671  862
//  177 9cadf8b7 26 | 775 57.001833 | 777 57.002522 | 778 57.003032 | 779 57.006032 | 780  863
//  200 ba44ec4d 28 | 855 20.001423 | 857 20.002220 | 858 20.002877 | 859 20.004419 | 860 1177
//
// No BlockContext, ledger, ticked or mempool line: start = loop start − slot start, lead =
// leader − loop start, forge = forged − leader, adoption = the earlier of AddedToCurrentChain
// and AdoptedBlock (here always AddedToCurrentChain) − forged. In µs:
//
//  slot  start  lead  forge  adoption
//   29    2028   748    494    1980
//   37     819  1297   1021    2280
//   41    1757   757    311    1267
//  106    2102   666    786    2334
//  115    1840  1138    555    2516
//  136    2408   629    480    2884
//  162    1919  1287    556    1992
//  177    1833   689    510    3000
//  200    1423   797    657    1542
//
// The chain, from the node's own tips (AddedToCurrentChain / SwitchedToAFork newtip, in
// order): 3002@27, 6be9@29 (own), e799@33, 9ed3@37 (own), 74b9@40, 73ea@41 (own), then line
// 214 SwitchedToAFork to b3af@41 (another pool's, issuer cafa…), then only
// AddedToCurrentChain (2 TrySwitchToAFork lines, 213 at slot 41 and 449 at slot 97; only the
// first is followed by a switch).
//   · 73ea@41 is dropped by the switch (a chain whose tip is at slot 41 holds no other block
//     at slot ≥ 41) and b3af holds its slot: lost.
//   · 9ed3@37 was 2 tips deep (74b9@40, 73ea@41) when the switch came, 6be9@29 4 deep: both
//     fewer than k = 432, so a rollback may have reached them; the lines do not say how deep
//     it went (old and new tip both chainLength 5, no headers at DNormal). Undecided, cause
//     fork_switch — these are "the 2 of the 8 kept blocks left out" of the issue.
//   · 106, 115, 136, 162, 177, 200: tips after the switch and no later switch: on chain.
// So the forging metrics are over 6 of the 9 forged blocks, and the report says so.
import { mkdir, readFile, writeFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Warehouse, ingestRuns } from '../pipeline/warehouse/index.js';
import { discoverRuns } from '../pipeline/discover/index.js';
import { silentLogger } from '../pipeline/core/index.js';
import { computeMetrics, DEFAULT_FILTERS, type MetricsResult } from '../pipeline/metrics/index.js';
import { runCli } from './helpers/cli.js';
import { scratchDir } from './helpers/scratch.js';

const LOG = join(import.meta.dirname, 'fixtures', 'real-lines', 'moog-10.4.1-p1-producer-2025-06-04.jsonl');

const tmp = scratchDir('bench-report-real-1041-');

/** A one-node run around the real log: meta.json and genesis written by hand (k = securityParam). */
async function makeRun(tag: string, k: number): Promise<string> {
  const run = join(tmp.dir, tag);
  await mkdir(join(run, 'genesis'), { recursive: true });
  await mkdir(join(run, 'node-0'), { recursive: true });
  const meta = { meta: { tag, manifest: { 'cardano-node': { version: '10.4.1' } }, profile_content: { composition: { n_hosts: 5 } } } };
  await writeFile(join(run, 'meta.json'), JSON.stringify(meta));
  const genesis = { systemStart: '2025-06-04T13:08:00Z', slotLength: 1, epochLength: 86400, securityParam: k };
  await writeFile(join(run, 'genesis', 'genesis.shelley.json'), JSON.stringify(genesis));
  await copyFile(LOG, join(run, 'node-0', 'stdout'));
  return run;
}

interface Ctx {
  db: Warehouse;
  runId: number;
  m: MetricsResult;
}

async function withMetrics<T>(run: string, f: (ctx: Ctx) => Promise<T>): Promise<T> {
  const db = await Warehouse.open(':memory:');
  try {
    const [res] = await ingestRuns(db, await discoverRuns([run]), silentLogger);
    const runId = res?.runId ?? -1;
    return await f({ db, runId, m: await computeMetrics(db, [runId], DEFAULT_FILTERS) });
  } finally {
    db.close();
  }
}

const value = (ctx: Ctx, id: string): number | null => ctx.m.byRun.get(ctx.runId)?.values.get(id) ?? null;
const samples = (ctx: Ctx, id: string): number | undefined => ctx.m.byRun.get(ctx.runId)?.samples.get(id);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const us = 1e-6;

// Per-block values of the table above, in µs, by slot.
const START: Record<number, number> = { 29: 2028, 37: 819, 41: 1757, 106: 2102, 115: 1840, 136: 2408, 162: 1919, 177: 1833, 200: 1423 };
const LEAD: Record<number, number> = { 29: 748, 37: 1297, 41: 757, 106: 666, 115: 1138, 136: 629, 162: 1287, 177: 689, 200: 797 };
const FORGE: Record<number, number> = { 29: 494, 37: 1021, 41: 311, 106: 786, 115: 555, 136: 480, 162: 556, 177: 510, 200: 657 };
const ADOPT: Record<number, number> = { 29: 1980, 37: 2280, 41: 1267, 106: 2334, 115: 2516, 136: 2884, 162: 1992, 177: 3000, 200: 1542 };
const SIZE: Record<number, number> = { 29: 862, 37: 1175, 41: 862, 106: 1488, 115: 862, 136: 862, 162: 862, 177: 863, 200: 1177 };
const over = (t: Record<number, number>, slots: number[]): number => mean(slots.map((s) => t[s] ?? NaN));

const USED6 = [106, 115, 136, 162, 177, 200];
const KEPT8 = [29, 37, ...USED6];

const CHAIN_INCOMPLETE =
  '2 of 9 forged blocks are neither on the chain nor lost: a node took each as its tip and then switched forks ' +
  '(SwitchedToAFork) within k blocks of it, and its logs do not show how deep the switch rolled back (the forger\'s ' +
  'log is there; a fork switch deeper than the logs show), so blocks_on_chain, chained_ratio, block_battles and ' +
  'block_gap_s are unknown.';

describe('the whole public 10.4.1 producer log, securityParam 432 as its testnet had', () => {
  it('reads all 860 lines: none malformed, none outside the run', async () => {
    const run = await makeRun('p1-1041', 432);
    await withMetrics(run, async ({ db }) => {
      expect(await db.all('SELECT log_lines, parsed, malformed FROM files')).toEqual([{ log_lines: 860, parsed: 860, malformed: 0 }]);
      // 9 ForgedBlock lines (159, 194, 210, 485, 516, 586, 669, 778, 858), 29 AddedToCurrentChain, 1 SwitchedToAFork.
      expect(await db.all(`SELECT ev::VARCHAR AS ev, count(*)::INT AS n FROM events WHERE ev IN ('forged', 'adopted', 'switched') GROUP BY ALL ORDER BY ev`)).toEqual([
        { ev: 'adopted', n: 29 },
        { ev: 'forged', n: 9 },
        { ev: 'switched', n: 1 },
      ]);
    });
  });

  it('places the 9 blocks: 6 on the chain, 41 lost to the switch, 29 and 37 undecided because of the fork switch', async () => {
    const run = await makeRun('p1-1041-chain', 432);
    await withMetrics(run, async (ctx) => {
      const rows = await ctx.db.all<{ slot: number; status: string; cause: string | null }>(
        `SELECT f.slot, m.status, CASE WHEN m.status = 'undecided' THEN m.cause END AS cause
         FROM fct_chain_members m JOIN fct_forged f USING (run_id, block) ORDER BY f.slot`,
      );
      expect(rows).toEqual([
        { slot: 29, status: 'undecided', cause: 'fork_switch' },
        { slot: 37, status: 'undecided', cause: 'fork_switch' },
        { slot: 41, status: 'lost', cause: null },
        ...USED6.map((slot) => ({ slot, status: 'on_chain', cause: null })),
      ]);
      expect(value(ctx, 'blocks_forged')).toBe(9);
      // Unknown, not "6 on chain, 3 lost": two blocks may or may not be on it.
      for (const id of ['blocks_on_chain', 'chained_ratio', 'block_battles', 'block_gap_s']) expect(value(ctx, id), id).toBeNull();
      const incomplete = ctx.m.warnings.filter((w) => w.code === 'chain-incomplete');
      expect(incomplete.map((w) => [w.run, w.message])).toEqual([['p1-1041-chain', CHAIN_INCOMPLETE]]);
    });
  });

  it('computes the forging metrics over exactly the 6 used blocks, and says it is 6 of 9', async () => {
    const run = await makeRun('p1-1041-forging', 432);
    await withMetrics(run, async (ctx) => {
      // Which 3 are left out: 41 (lost) and the 2 undecided, named by slot.
      expect(ctx.m.blocks).toEqual([{ run_id: ctx.runId, forged: 9, undecided: 2, used: 6, undecided_slots: [29, 37] }]);
      // Unitary is the only default filter (no analysis.filters in the profile): it keeps all 6.
      expect(ctx.m.filters.map((f) => [f.name, f.removed.get(ctx.runId)])).toEqual([['unitary', 0]]);
      // start (2102+1840+2408+1919+1833+1423)/6 = 11525/6 µs; lead (666+1138+629+1287+689+797)/6
      // = 5206/6; forge (786+555+480+556+510+657)/6 = 3544/6; adoption (2334+2516+2884+1992+3000+
      // 1542)/6 = 14268/6 = 2378.
      const expected: [string, number][] = [
        ['forge_start_s', (11525 / 6) * us],
        ['forge_lead_s', (5206 / 6) * us],
        ['forge_forge_s', (3544 / 6) * us],
        ['forge_adoption_s', 2378 * us],
      ];
      for (const [id, v] of expected) {
        expect(value(ctx, id), id).toBeCloseTo(v, 12);
        expect(samples(ctx, id), id).toBe(6);
      }
      expect(over(START, USED6) * us).toBeCloseTo((11525 / 6) * us, 12);
      // The forger is the only node: each block's end-to-end adoption is its own, slot start →
      // AddedToCurrentChain = start + lead + forge + adoption; every centile is that, mean over
      // the 6: (11525 + 5206 + 3544 + 14268)/6 = 34543/6 µs.
      for (const c of [50, 80, 90, 100]) expect(value(ctx, `adoption_p${c}_s`), `p${c}`).toBeCloseTo((34543 / 6) * us, 12);
      // Block size is over chain blocks too: (1488+862+862+862+863+1177)/6 = 6114/6 = 1019.
      expect(value(ctx, 'block_size_bytes')).toBeCloseTo(1019, 12);
      // Not per block: 181 loop starts (lines of slots 20–200, slot 20 the plain
      // StartLeadershipCheck, line 17), one per slot, 9 leads: loop_leads 9/181; no slot missed.
      expect(value(ctx, 'loop_starts')).toBe(1);
      expect(value(ctx, 'loop_leads')).toBeCloseTo(9 / 181, 12);
      expect(value(ctx, 'missed_slots')).toBe(0);
      // slot_start_lag_s: the 181 (loop start − slot start) sum to 0.427678 s.
      expect(value(ctx, 'slot_start_lag_s')).toBeCloseTo(0.427678 / 181, 12);
    });
  });

  it('report.json blocks_used {6 of 9, 2 undecided: slots 29 and 37} and the sentence beside the table', async () => {
    const base = await makeRun('p1-1041-base', 432);
    const cand = await makeRun('p1-1041-cand', 432);
    const out = join(tmp.dir, 'out-1041');
    const res = await runCli('report', '--db', join(tmp.dir, 'w-1041.duckdb'), '-o', out, '-f', 'json,md', '-b', base, '-c', cand);
    expect(res.code, res.err).toBe(0);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as {
      blocks_used?: unknown;
      metrics: { id: string; candidate: { runs: (number | null)[] } }[];
    };
    expect(report.blocks_used).toEqual({
      'p1-1041-base': { used: 6, forged: 9, undecided: 2, undecided_slots: [29, 37] },
      'p1-1041-cand': { used: 6, forged: 9, undecided: 2, undecided_slots: [29, 37] },
    });
    const run = (id: string): number | null | undefined => report.metrics.find((m) => m.id === id)?.candidate.runs[0];
    expect(run('forge_forge_s')).toBeCloseTo((3544 / 6) * us, 12);
    expect(await readFile(join(out, 'report.md'), 'utf8')).toContain(
      'Per-block metrics are over the chain blocks the logs place and the filters keep: ' +
        'p1-1041-base: 6 of 9 forged (2 not placed on or off the chain: slots 29, 37); ' +
        'p1-1041-cand: 6 of 9 forged (2 not placed on or off the chain: slots 29, 37).',
    );
  });
});

describe('the same log with securityParam 2 (genesis written by hand, not the testnet\'s): the 8 kept blocks', () => {
  // With k = 2, the switch at slot 41 can reach only tips fewer than 2 deep: 73ea@41 itself
  // (dropped). 9ed3@37 (2 deep) and 6be9@29 (4 deep) are out of its reach: 8 on chain, 1 lost.
  it('computes over the 8 kept blocks the issue\'s independent figures, and the 6-block ones differ by its percentages', async () => {
    const run = await makeRun('p1-1041-k2', 2);
    await withMetrics(run, async (ctx) => {
      expect(ctx.m.blocks).toEqual([{ run_id: ctx.runId, forged: 9, undecided: 0, used: 8, undecided_slots: [] }]);
      expect(ctx.m.warnings.map((w) => w.code)).toEqual(['no-resources']);
      expect(value(ctx, 'blocks_on_chain')).toBe(8);
      expect(value(ctx, 'block_battles')).toBe(1);
      expect(value(ctx, 'chained_ratio')).toBeCloseTo(8 / 9, 12);
      // start (2028+819+11525)/8 = 14372/8 = 1796.5 µs; lead (748+1297+5206)/8 = 7251/8;
      // forge (494+1021+3544)/8 = 5059/8; adoption (1980+2280+14268)/8 = 18528/8 = 2316.
      const eight: [string, number, number][] = [
        ['forge_start_s', 14372 / 8, 11525 / 6],
        ['forge_lead_s', 7251 / 8, 5206 / 6],
        ['forge_forge_s', 5059 / 8, 3544 / 6],
        ['forge_adoption_s', 18528 / 8, 14268 / 6],
      ];
      for (const [id, v8] of eight) {
        expect(value(ctx, id), id).toBeCloseTo(v8 * us, 12);
        expect(samples(ctx, id), id).toBe(8);
      }
      expect(over(START, KEPT8)).toBeCloseTo(14372 / 8, 9);
      expect(over(LEAD, KEPT8)).toBeCloseTo(7251 / 8, 9);
      expect(over(FORGE, KEPT8)).toBeCloseTo(5059 / 8, 9);
      expect(over(ADOPT, KEPT8)).toBeCloseTo(18528 / 8, 9);
      // The issue: "2 of the 8 kept blocks are left out (start +6.9%, lead −4.3%, forge −6.6%,
      // adoption +2.7%)" — 6-block mean / 8-block mean − 1, to one decimal.
      const pct = eight.map(([, v8, v6]) => Math.round((v6 / v8 - 1) * 1000) / 10);
      expect(pct).toEqual([6.9, -4.3, -6.6, 2.7]);
      // Sizes over the 8 chain blocks: (862+1175+6114)/8 = 8151/8.
      expect(value(ctx, 'block_size_bytes')).toBeCloseTo(8151 / 8, 12);
      expect(over(SIZE, KEPT8)).toBeCloseTo(8151 / 8, 9);
    });
  });
});

describe('the note beside the tables names the undecided blocks by slot', () => {
  it('names up to 10 slots, then counts the rest; a run whose blocks are all placed is not named', async () => {
    const { blocksNote } = await import('../pipeline/render/index.js');
    type Report = Parameters<typeof blocksNote>[0];
    const slots = [3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610];
    const report = {
      blocks_used: {
        a: { used: 0, forged: 12, undecided: 12, undecided_slots: slots },
        b: { used: 4, forged: 5, undecided: 1, undecided_slots: [7] },
        c: { used: 3, forged: 3, undecided: 0, undecided_slots: [] },
      },
    } as unknown as Report;
    expect(blocksNote(report)).toBe(
      'Per-block metrics are over the chain blocks the logs place and the filters keep: ' +
        'a: 0 of 12 forged (12 not placed on or off the chain: slots 3, 5, 8, 13, 21, 34, 55, 89, 144, 233 and 2 more); ' +
        'b: 4 of 5 forged (1 not placed on or off the chain: slot 7).',
    );
  });
});

// Chain truth when forgers' logs are missing (issue 7 item 5; test/fixtures/chain/README.md):
// one producer's log of a 5-pool testnet. Its own AddedToCurrentChain / SwitchedToAFork
// lines decide which of its 9 blocks stayed on the chain; without them the chain counts are
// unknown, never "1 on chain and 8 lost battles".
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Warehouse, ingestRuns } from '../pipeline/warehouse/index.js';
import { discoverRuns } from '../pipeline/discover/index.js';
import { DEFAULT_FILTERS, type BlockFilter, computeMetrics, type MetricsResult } from '../pipeline/metrics/index.js';
import { silentLogger } from '../pipeline/core/index.js';

const CHAIN = join(import.meta.dirname, 'fixtures', 'chain');

const load = (name: string, filters: BlockFilter[]): ReturnType<typeof loadPath> => loadPath(join(CHAIN, name), filters);

async function loadPath(path: string, filters: BlockFilter[]): Promise<{ db: Warehouse; runId: number; m: MetricsResult }> {
  const db = await Warehouse.open(':memory:');
  const [res] = await ingestRuns(db, await discoverRuns([path]), silentLogger);
  const runId = res?.runId ?? -1;
  return { db, runId, m: await computeMetrics(db, [runId], filters) };
}

const codes = (ctx: { m: MetricsResult }): string[] => ctx.m.warnings.map((w) => w.code).sort();
const message = (ctx: { m: MetricsResult }, code: string): string => ctx.m.warnings.find((w) => w.code === code)?.message ?? '';

const value = (ctx: { runId: number; m: MetricsResult }, id: string): number | null => ctx.m.byRun.get(ctx.runId)?.values.get(id) ?? null;
const statuses = async (db: Warehouse): Promise<Record<string, string>> =>
  Object.fromEntries((await db.all<{ block: string; status: string }>('SELECT block, status FROM fct_chain_members ORDER BY block')).map((r) => [r.block.slice(0, 4), r.status]));

describe('one producer of five: its own adoptions decide the chain', () => {
  it('8 of its 9 blocks stayed on the chain; the one its node switched away from is the lost battle', async () => {
    const ctx = await load('one-producer', DEFAULT_FILTERS);
    try {
      expect(await statuses(ctx.db)).toEqual({
        b001: 'on_chain', b002: 'on_chain', b003: 'on_chain', b004: 'on_chain', b005: 'lost',
        b006: 'on_chain', b007: 'on_chain', b008: 'on_chain', b009: 'on_chain',
      });
      expect(value(ctx, 'blocks_forged')).toBe(9);
      expect(value(ctx, 'blocks_on_chain')).toBe(8);
      expect(value(ctx, 'block_battles')).toBe(1);
      expect(value(ctx, 'chained_ratio')).toBeCloseTo(8 / 9, 12);
      expect(value(ctx, 'blocks_per_host')).toBe(9);
      // Sizes 1000 + 10·blockNo of the 8 chain blocks (blockNo 2, 4, 6, 8, 11, 13, 15, 17).
      expect(value(ctx, 'block_size_bytes')).toBeCloseTo(8760 / 8, 12);
      // No two known chain blocks have consecutive blockNos: no gap can be measured.
      expect(value(ctx, 'block_gap_s')).toBeNull();
      // The default filter is unitary chain delta alone (the profile names none): the 8 chain
      // blocks are kept although no other node's log adopted them. Resources were silenced.
      expect(codes(ctx)).toEqual(['no-resources']);
      expect(ctx.m.filters.map((f) => [f.name, f.removed.get(ctx.runId)])).toEqual([['unitary', 0]]);
      expect(ctx.m.byRun.get(ctx.runId)?.samples.get('forge_lead_s')).toBe(8);
      expect(message(ctx, 'no-resources')).toBe('no node logged a Resources sample, so every resource metric is unknown.');
      expect(ctx.m.warnings.every((w) => w.run === 'one-producer')).toBe(true);
    } finally {
      ctx.db.close();
    }
  });

  it('without the default filters (no other node adopted them), the forging loop by locli fallbacks', async () => {
    const ctx = await load('one-producer', []);
    try {
      expect(value(ctx, 'forge_start_s')).toBeCloseTo(0.004, 9);
      expect(value(ctx, 'forge_lead_s')).toBeCloseTo(0.002, 9); // NodeIsLeader − StartLeadershipCheckPlus
      expect(value(ctx, 'forge_forge_s')).toBeCloseTo(0.014, 9); // ForgedBlock − NodeIsLeader
      expect(value(ctx, 'forge_blkctx_s')).toBeNull();
      expect(value(ctx, 'forge_adoption_s')).toBeCloseTo(0.005, 9); // AddedToCurrentChain (.025) before AdoptedBlock (.028)
      expect(ctx.m.byRun.get(ctx.runId)?.samples.get('forge_lead_s')).toBe(8);
      expect(value(ctx, 'adoption_p50_s')).toBeCloseTo(0.025, 9);
    } finally {
      ctx.db.close();
    }
  });

  it('with k = 3 the fork switch may have rolled back the block 2 tips deep: that one is undecided', async () => {
    const ctx = await load('one-producer-k3', DEFAULT_FILTERS);
    try {
      const st = await statuses(ctx.db);
      // b004 became the tip at 8.025; then a005 and b005; the switch at 10.300 may undo up to 3.
      expect(st.b004).toBe('undecided');
      expect(Object.entries(st).filter(([, s]) => s === 'on_chain').map(([b]) => b)).toEqual(['b001', 'b002', 'b003', 'b006', 'b007', 'b008', 'b009']);
      expect(st.b005).toBe('lost');
      expect(value(ctx, 'blocks_on_chain')).toBeNull();
      // The cause is the fork switch, not a missing log: b004 was node-0's own tip, then its
      // switch at 10.300 came within k = 3 tip changes of it.
      expect(await ctx.db.all("SELECT block, cause FROM fct_chain_members WHERE status = 'undecided'")).toEqual([{ block: expect.stringMatching(/^b004/) as unknown, cause: 'fork_switch' }]);
      expect(message(ctx, 'chain-incomplete')).toBe(
        '1 of 9 forged blocks are neither on the chain nor lost: a node took each as its tip and then switched forks (SwitchedToAFork) within k blocks of it, ' +
          "and its logs do not show how deep the switch rolled back (the forger's log is there; a fork switch deeper than the logs show), " +
          'so blocks_on_chain, chained_ratio, block_battles and block_gap_s are unknown.',
      );
    } finally {
      ctx.db.close();
    }
  });

  it('with no ChainDB lines the logs cannot decide: chain counts unknown, not 1 on chain and 8 lost', async () => {
    const ctx = await load('one-producer-no-chaindb', DEFAULT_FILTERS);
    try {
      const st = await statuses(ctx.db);
      expect(st.b009).toBe('on_chain');
      expect(Object.values(st).filter((s) => s === 'undecided')).toHaveLength(8);
      // No tip of any node reaches them: the cause is the missing forgers' logs.
      expect(await ctx.db.all("SELECT DISTINCT cause FROM fct_chain_members WHERE status = 'undecided'")).toEqual([{ cause: 'missing_log' }]);
      expect(value(ctx, 'blocks_forged')).toBe(9);
      for (const id of ['blocks_on_chain', 'block_battles', 'chained_ratio', 'block_gap_s']) expect(value(ctx, id), id).toBeNull();
      expect(codes(ctx)).toEqual(['chain-incomplete', 'no-resources']);
      expect(message(ctx, 'chain-incomplete')).toBe(
        "8 of 9 forged blocks are neither on the chain nor lost by any log's evidence (the blocks linking them to the chain were forged by nodes " +
          "whose logs are missing, and no node's AddedToCurrentChain or SwitchedToAFork decides them), " +
          'so blocks_on_chain, chained_ratio, block_battles and block_gap_s are unknown.',
      );
    } finally {
      ctx.db.close();
    }
  });
});

describe("the default filters are the run profile's analysis.filters, else unitary", () => {
  /** one-producer with profile_content.analysis.filters set to `names`. */
  async function withProfile(names: string[], filters: BlockFilter[] = DEFAULT_FILTERS): Promise<{ db: Warehouse; runId: number; m: MetricsResult }> {
    const { cp, mkdtemp, readFile, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = join(await mkdtemp(join(tmpdir(), 'chain-profile-')), 'one-producer');
    await cp(join(CHAIN, 'one-producer'), dir, { recursive: true });
    const meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as { meta: { profile_content: Record<string, unknown> } };
    meta.meta.profile_content.analysis = { filters: names };
    await writeFile(join(dir, 'meta.json'), JSON.stringify(meta));
    return loadPath(dir, filters);
  }

  it('["unitary"] keeps the single producer\'s 8 chain blocks', async () => {
    const ctx = await withProfile(['unitary']);
    try {
      expect(codes(ctx)).toEqual(['no-resources']);
      expect(ctx.m.filters.map((f) => [f.name, f.removed.get(ctx.runId)])).toEqual([['unitary', 0]]);
      expect(ctx.m.byRun.get(ctx.runId)?.samples.get('forge_lead_s')).toBe(8);
    } finally {
      ctx.db.close();
    }
  });

  it('a name locli does not have is left out with a warning that names it; the known ones apply', async () => {
    const ctx = await withProfile(['base', 'unitary']);
    try {
      expect(codes(ctx)).toEqual(['filter-unknown', 'no-resources']);
      expect(message(ctx, 'filter-unknown')).toBe(
        'the run profile\'s analysis.filters names "base", not one of locli\'s chain filters (adopt-10, epoch3+, epoch4+, epoch5+, ' +
          'fromslot-20k, model, no-ebnd, no-rewards, nonnegative, rewards, size-full, size-moderate, size-moderate-2, size-small, unitary), ' +
          'so it is left out; --filter FILE applies one by its definition.',
      );
      expect(ctx.m.filters.map((f) => f.name)).toEqual(['unitary']);
      expect(ctx.m.byRun.get(ctx.runId)?.samples.get('forge_lead_s')).toBe(8);
    } finally {
      ctx.db.close();
    }
  });

  it('a profile filter that removes every block is named, with its count', async () => {
    // No other node's log: no block has 10 adoptions besides its forger's.
    const ctx = await withProfile(['unitary', 'adopt-10']);
    try {
      expect(codes(ctx)).toEqual(['filter-removed-all', 'no-resources']);
      expect(message(ctx, 'filter-removed-all')).toBe(
        'the block filters removed all 8 chain blocks (the last by "adopt-10: adoptions≥10": adopted by at least 10 nodes besides its forger (adopt-10.json)), ' +
          'so the forging, peer and end-to-end propagation metrics have no value; --no-default-filters keeps them.',
      );
      expect(ctx.m.filters.map((f) => [f.name, f.removed.get(ctx.runId)])).toEqual([['unitary', 0], ['adopt-10: adoptions≥10', 8]]);
      expect(ctx.m.byRun.get(ctx.runId)?.samples.get('forge_lead_s') ?? 0).toBe(0);
    } finally {
      ctx.db.close();
    }
  });

  it('--no-default-filters drops the profile\'s filters too', async () => {
    const ctx = await withProfile(['adopt-10'], []);
    try {
      expect(codes(ctx)).toEqual(['no-resources']);
      expect(ctx.m.filters).toEqual([]);
      expect(ctx.m.byRun.get(ctx.runId)?.samples.get('forge_lead_s')).toBe(8);
    } finally {
      ctx.db.close();
    }
  });
});

describe('simulated runs with forgers\' logs removed: the chain is never silently wrong', () => {
  // Six nodes; only the log of a node that forged a lost battle is kept. Seed 13 is the run
  // where that node's highest block was the lost one: taken as the head, it was called on
  // the chain until its own fork switch away from it counted against it.
  for (const seed of [13, 6]) {
    it(`seed ${seed}: every block of the one remaining producer keeps its true status or is undecided`, async () => {
      const { mkdtemp, rm } = await import('node:fs/promises');
      const { tmpdir } = await import('node:os');
      const { simulate } = await import('../pipeline/simulate/index.js');
      const dir = await mkdtemp(join(tmpdir(), 'chain-sim-'));
      try {
        const [run = ''] = await simulate({ out: dir, tracing: 'new', rts: '', nodes: 6, slots: 600, runs: 1, seed });
        const status = async (): Promise<{ block: string; status: string; forger: string }[]> => {
          const ctx = await loadPath(run, []);
          try {
            return await ctx.db.all('SELECT m.block, m.status, f.forger FROM fct_chain_members m JOIN fct_forged f USING (run_id, block) ORDER BY m.block');
          } finally {
            ctx.db.close();
          }
        };
        const full = await status();
        expect(full.filter((r) => r.status === 'undecided')).toEqual([]);
        const loser = full.find((r) => r.status === 'lost')?.forger ?? '';
        expect(loser).not.toBe('');
        for (let n = 0; n < 6; n++) if (`node-${n}` !== loser) await rm(join(run, `node-${n}`), { recursive: true });
        const part = await status();
        const truth = new Map(full.map((r) => [r.block, r.status]));
        expect(part.map((r) => r.block)).toEqual(full.filter((r) => r.forger === loser).map((r) => r.block));
        for (const r of part) expect([truth.get(r.block), 'undecided'], r.block).toContain(r.status);
        expect(part.filter((r) => r.status !== 'undecided').length).toBeGreaterThan(part.length / 2);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('per-block metrics over a subset say over which blocks (n of N forged)', () => {
  it('report.json blocks_used and a footnote beside the forging table, for each chain-incomplete run', async () => {
    const { mkdtemp, readFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { runCli } = await import('./helpers/cli.js');
    const dir = await mkdtemp(join(tmpdir(), 'chain-used-'));
    try {
      const res = await runCli('report', '--db', join(dir, 'w.duckdb'), '-o', join(dir, 'out'), '-f', 'json,md,html',
        '-b', join(CHAIN, 'one-producer-no-chaindb'), '-c', join(CHAIN, 'one-producer-k3'));
      expect(res.code, res.err).toBe(0);
      const report = JSON.parse(await readFile(join(dir, 'out', 'report.json'), 'utf8')) as { blocks_used?: unknown };
      // no-chaindb: only b009 is placed (on the chain), 8 undecided (X1–X8, slots 2, 4, 6, 8,
      // 10, 11, 13, 15); k3: 7 on the chain, b004 (X4, slot 8) undecided, b005 lost. Every
      // chain block passes the unitary default.
      expect(report.blocks_used).toEqual({
        'one-producer-no-chaindb': { used: 1, forged: 9, undecided: 8, undecided_slots: [2, 4, 6, 8, 10, 11, 13, 15] },
        'one-producer-k3': { used: 7, forged: 9, undecided: 1, undecided_slots: [8] },
      });
      const sentence =
        'Per-block metrics are over the chain blocks the logs place and the filters keep: one-producer-no-chaindb: 1 of 9 forged ' +
        '(8 not placed on or off the chain: slots 2, 4, 6, 8, 10, 11, 13, 15); one-producer-k3: 7 of 9 forged (1 not placed on or off the chain: slot 8).';
      expect(await readFile(join(dir, 'out', 'report.md'), 'utf8')).toContain(sentence);
      const html = await readFile(join(dir, 'out', 'report.html'), 'utf8');
      expect(html.slice(html.indexOf('id="section-forging"'))).toContain(`<p class="footnote">${sentence}</p>`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a complete chain: every forged block placed, 8 used (report.json writes blocks_used only when some are not)', async () => {
    const ctx = await load('one-producer', DEFAULT_FILTERS);
    try {
      expect(ctx.m.blocks).toEqual([{ run_id: ctx.runId, forged: 9, undecided: 0, used: 8, undecided_slots: [] }]);
    } finally {
      ctx.db.close();
    }
  });
});

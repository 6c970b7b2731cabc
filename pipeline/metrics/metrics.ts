// metrics: run the SQL layers in queries/ over the selected runs and read back each run's
// metric values, the within-run distributions at locli's centiles, a resource time series
// for charts, and the warnings about what the logs could not answer (DESIGN §6).
//   20 sel_runs (slot clock, run extent, slot bounds of the filters)
//   → 30 staging (resources, spans, block and slot events, tips)
//   → 40 forged, chain members (walk + tip evidence), chain status, chain, adoptions
//   → block filters (TypeScript, data-driven) → 50 samples → 60 run values, centiles, warnings.
import { DOUBLE, LIST, listValue } from '@duckdb/node-api';
import { CATALOGUE, CENTILES } from '../core/index.js';
import type { Warehouse } from '../warehouse/index.js';
import { applyFilters, NAMED_FILTERS, runFilters, slotBounds, type BlockFilter, type ChainBlock, type FilterOutcome } from './filters.js';
import type { Warning, WindowSum } from '../core/index.js';

export interface RunMetrics {
  /** metric id → run value (mean of the within-run distribution, or the count). */
  values: Map<string, number>;
  /** metric id → number of samples behind the run value. */
  samples: Map<string, number>;
}

export interface MetricsResult {
  byRun: Map<number, RunMetrics>;
  centiles: { run_id: number; metric: string; centile: number; value: number }[];
  series: { run_id: number; t: number; cpu_pct: number | null; rss_mb: number | null }[];
  filters: { name: string; description: string; removed: Map<number, number> }[];
  /** Trace frequency: messages that are no canonical event, per run. */
  messages: { run_id: number; ns: string; kind: string; n: number }[];
  /** What the logs could not answer or look wrong in, per run (queries/60_fct_warnings.sql, filters). */
  warnings: Warning[];
  /**
   * Per run: blocks forged, left undecided by the chain (how many, and their slots, ascending),
   * and used (chain blocks that passed the filters).
   */
  blocks?: { run_id: number; forged: number; undecided: number; used: number; undecided_slots: number[] }[];
}

const STAGES = [
  '30_stg_resources.sql',
  '30_stg_cpu85_spans.sql',
  '30_stg_block_events.sql',
  '30_stg_slot_events.sql',
  '30_stg_tips.sql',
  '40_fct_forged.sql',
  '40_fct_chain_members.sql',
  '40_fct_chain_status.sql',
  '40_fct_chain.sql',
  '40_fct_adoptions.sql',
];

export async function computeMetrics(db: Warehouse, runIds: number[], filters: BlockFilter[]): Promise<MetricsResult> {
  // The default filters are each run's profile's (runs.info.analysisFilters), so are its slot bounds.
  const profiles = new Map<number, string[] | null>();
  for (const r of await db.all<{ run_id: number; names: string | null }>(
    "SELECT run_id, CAST(info->'analysisFilters' AS VARCHAR) AS names FROM runs WHERE list_contains($ids, run_id)",
    { ids: listValue(runIds) },
  )) {
    const names: unknown = r.names === null ? null : JSON.parse(r.names);
    profiles.set(r.run_id, Array.isArray(names) ? names.map(String) : null);
  }
  const keys = Object.keys(slotBounds([])) as (keyof ReturnType<typeof slotBounds>)[];
  await db.exec(`CREATE OR REPLACE TEMP TABLE sel_bounds (run_id INTEGER, ${keys.map((k) => `${k} DOUBLE`).join(', ')})`);
  for (const id of runIds) {
    const b = slotBounds(runFilters(filters, profiles.get(id)).filters);
    await db.exec(`INSERT INTO sel_bounds VALUES ($id, ${keys.map((k) => `$${k}`).join(', ')})`, { id, ...b }, Object.fromEntries(keys.map((k) => [k, DOUBLE])));
  }
  await db.runFile('20_sel_runs.sql', { run_ids: listValue(runIds) });
  for (const f of STAGES) await db.runFile(f);

  // Block filters are data (locli filter files), so they are evaluated here on the chain
  // blocks and the survivors handed back to SQL as sel_blocks.
  const chain = await db.all<ChainBlock>(
    'SELECT run_id, block, slot, epoch, epoch_slot, size, max_size, safe_int, adoptions, unitary, nonnegative FROM fct_chain',
  );
  const outcome = applyFilters(chain, filters, profiles);
  await db.exec('CREATE OR REPLACE TEMP TABLE sel_blocks (run_id INTEGER, block VARCHAR)');
  if (outcome.kept.length > 0) {
    await db.exec('INSERT INTO sel_blocks SELECT unnest($runs), unnest($blocks)', {
      runs: listValue(outcome.kept.map((b) => b.run_id)),
      blocks: listValue(outcome.kept.map((b) => b.block)),
    });
  }

  await db.runFile('50_fct_samples.sql');
  const distributionIds = CATALOGUE.filter((m) => m.kind === 'distribution').map((m) => m.id);
  await db.runFile('55_fct_distributions.sql', { metrics: listValue(distributionIds), centiles: listValue(CENTILES) }, { centiles: LIST(DOUBLE) });
  const byRun = new Map<number, RunMetrics>(runIds.map((id) => [id, { values: new Map(), samples: new Map() }]));
  for (const r of await db.queryFile<{ run_id: number; metric: string; n: number; value: number }>('60_fct_run_values.sql')) {
    const m = byRun.get(r.run_id);
    m?.values.set(r.metric, r.value);
    m?.samples.set(r.metric, r.n);
  }
  const centiles = await db.queryFile<MetricsResult['centiles'][number]>('60_fct_centiles.sql', { centiles: listValue(CENTILES) }, { centiles: LIST(DOUBLE) });
  const series = await db.queryFile<MetricsResult['series'][number]>('60_fct_resource_series.sql');
  const messages = await db.queryFile<MetricsResult['messages'][number]>('60_fct_messages.sql');
  const found = await db.queryFile<{ tag: string; code: string; message: string }>('60_fct_warnings.sql');
  const tags = new Map((await db.all<{ run_id: number; tag: string }>('SELECT run_id, tag FROM sel_runs')).map((r) => [r.run_id, r.tag]));
  const warnings: Warning[] = [
    ...found.map((w) => ({ run: w.tag, code: w.code, message: w.message })),
    ...filterWarnings(chain, outcome, tags),
    ...unknownFilterWarnings(filters, profiles, tags),
  ].sort((x, y) => (x.run ?? '').localeCompare(y.run ?? '') || x.code.localeCompare(y.code));

  const blocks = await db.all<{ run_id: number; forged: number; undecided: number; used: number; undecided_slots: number[] }>(
    `SELECT s.run_id, s.forged::INTEGER AS forged, s.undecided::INTEGER AS undecided,
            (SELECT count(*) FROM sel_blocks AS b WHERE b.run_id = s.run_id)::INTEGER AS used,
            coalesce((SELECT list(f.slot::BIGINT ORDER BY f.slot, f.block)
                      FROM fct_chain_members AS m JOIN fct_forged AS f USING (run_id, block)
                      WHERE m.run_id = s.run_id AND m.status = 'undecided' AND f.slot IS NOT NULL), []) AS undecided_slots
     FROM fct_chain_status AS s ORDER BY s.run_id`,
  );

  return {
    byRun,
    blocks,
    centiles,
    series,
    filters: outcome.removed.map((r) => ({ name: r.filter.name, description: r.filter.description, removed: r.byRun })),
    messages,
    warnings,
  };
}

/**
 * `filter-removed-all`: a run whose chain had blocks and whose filters kept none has no
 * forging, peer or end-to-end values; say so and which filter took the last block, rather
 * than leave the comparison to report "fewer than 2 runs".
 */
function filterWarnings(chain: ChainBlock[], outcome: FilterOutcome, tags: Map<number, string>): Warning[] {
  const total = new Map<number, number>();
  for (const b of chain) total.set(b.run_id, (total.get(b.run_id) ?? 0) + 1);
  const kept = new Set(outcome.kept.map((b) => b.run_id));
  const out: Warning[] = [];
  for (const [run, n] of total) {
    if (kept.has(run)) continue;
    // The filter whose removals brought the run's count of kept blocks to 0.
    let removed = 0;
    let last: FilterOutcome['removed'][number] | undefined;
    for (const r of outcome.removed) {
      removed += r.byRun.get(run) ?? 0;
      if (removed >= n) {
        last = r;
        break;
      }
    }
    const byDefault = last?.filter.byDefault === true;
    out.push({
      run: tags.get(run) ?? null,
      code: 'filter-removed-all',
      message:
        `the block filters removed all ${n} chain block${n === 1 ? '' : 's'}` +
        (last ? ` (the last by "${last.filter.name}": ${last.filter.description})` : '') +
        `, so the forging, peer and end-to-end propagation metrics have no value` +
        (byDefault ? '; --no-default-filters keeps them.' : '.'),
    });
  }
  return out;
}

/** `filter-unknown`: a profile naming a filter locli's chain-filters folder does not have. */
function unknownFilterWarnings(filters: readonly BlockFilter[], profiles: Map<number, string[] | null>, tags: Map<number, string>): Warning[] {
  const out: Warning[] = [];
  for (const [run, names] of profiles) {
    const { unknown } = runFilters(filters, names);
    if (unknown.length === 0) continue;
    const list = unknown.map((n) => `"${n}"`).join(', ');
    out.push({
      run: tags.get(run) ?? null,
      code: 'filter-unknown',
      message:
        `the run profile's analysis.filters name${unknown.length === 1 ? 's' : ''} ${list}, not one of locli's chain filters ` +
        `(${NAMED_FILTERS.join(', ')}), so ${unknown.length === 1 ? 'it is' : 'they are'} left out; --filter FILE applies one by its definition.`,
    });
  }
  return out;
}

/** Per run and metric, sample counts and sums in equal time windows (after computeMetrics). */
export async function readWindows(db: Warehouse, windows: number): Promise<Map<string, WindowSum[]>> {
  const rows = await db.queryFile<{ run_id: number; metric: string; w: number; n: number; total: number }>('60_fct_windows.sql', { windows });
  const out = new Map<string, WindowSum[]>();
  for (const r of rows) {
    const key = `${r.run_id}:${r.metric}`;
    const list = out.get(key) ?? [];
    list.push({ n: r.n, total: r.total });
    out.set(key, list);
  }
  return out;
}

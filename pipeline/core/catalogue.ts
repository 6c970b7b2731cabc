// The metric catalogue: every metric of DESIGN §4 described once (id, section, title, unit,
// direction, definition). It drives the SQL outputs that are read back, the report tables
// and the data dictionary, in this order (locli's section order).
import type { MetricDef, Section } from './types.js';

type Entry = [id: string, title: string, unit: string, better: MetricDef['better'], definition: string];

const dist = (section: Section, entries: Entry[]): MetricDef[] =>
  entries.map(([id, title, unit, better, definition]) => ({ id, section, title, unit, better, definition, kind: 'distribution' }));
const count = (section: Section, entries: Entry[]): MetricDef[] =>
  entries.map(([id, title, unit, better, definition]) => ({ id, section, title, unit, better, definition, kind: 'count' }));

export const CATALOGUE: MetricDef[] = [
  ...dist('resources', [
    ['cpu_pct', 'CPU use', '%', 'lower', 'ΔCentiCpu / Δt between consecutive Resources samples of a node, in % of one core; mean over all samples of all nodes.'],
    ['gc_cpu_pct', 'GC CPU use', '%', 'lower', 'ΔCentiGC / Δt: CPU spent in the garbage collector, % of one core.'],
    ['mut_cpu_pct', 'Mutator CPU use', '%', 'lower', 'ΔCentiMut / Δt: CPU spent outside the garbage collector, % of one core.'],
    ['alloc_mb_s', 'Allocation rate', 'MiB/s', 'lower', 'ΔAlloc / 1048576 / Δt.'],
    ['gc_minor_per_s', 'Minor GCs', '1/s', 'lower', 'ΔGcsMinor / Δt.'],
    ['gc_major_per_s', 'Major GCs', '1/s', 'lower', 'ΔGcsMajor / Δt.'],
    ['rss_mb', 'RSS', 'MiB', 'lower', 'Resident set size / 1048576 at every sample.'],
    ['heap_mb', 'Heap', 'MiB', 'lower', 'GHC heap size / 1048576 at every sample.'],
    ['live_mb', 'Live data', 'MiB', 'lower', 'Live bytes / 1048576 at every sample.'],
    ['net_rd_kb_s', 'Network read', 'KiB/s', 'lower', 'ΔNetRd / 1024 / Δt.'],
    ['net_wr_kb_s', 'Network write', 'KiB/s', 'lower', 'ΔNetWr / 1024 / Δt.'],
    ['fs_rd_kb_s', 'Disk read', 'KiB/s', 'lower', 'ΔFsRd / 1024 / Δt.'],
    ['fs_wr_kb_s', 'Disk write', 'KiB/s', 'lower', 'ΔFsWr / 1024 / Δt.'],
    ['blkio_pct', 'Block I/O wait', '%', 'lower', 'ΔCentiBlkIO / Δt: time the node process waited on block (disk) I/O, % of the interval.'],
    ['threads', 'OS threads', 'threads', 'none', 'Threads of the node process at every Resources sample.'],
    ['cpu85_span_s', 'CPU ≥ 85% spans', 's', 'lower', 'Per node, maximal runs of consecutive samples with cpu_pct ≥ 85; a span lasts the sum of its samples’ Δt; mean over spans.'],
  ]),
  ...count('anomaly', [
    ['blocks_forged', 'Blocks forged', 'blocks', 'none', 'Distinct blocks logged as forged.'],
    ['blocks_on_chain', 'Blocks on chain', 'blocks', 'none', 'Blocks on the chain rebuilt from the highest forged block along blockPrev.'],
    ['chained_ratio', 'Chained ratio', 'ratio', 'higher', 'Blocks on chain / blocks forged.'],
    ['block_battles', 'Lost battles', 'blocks', 'lower', 'Blocks forged but not on the chain.'],
    ['blocks_per_host', 'Blocks per host', 'blocks', 'none', 'Blocks forged / nodes.'],
  ]),
  ...dist('anomaly', [
    ['block_size_bytes', 'Block size', 'B', 'none', 'blockSize of the forger’s AdoptedBlock, over chain blocks.'],
    ['block_gap_s', 'Block gap', 's', 'none', 'Slot-start time between consecutive chain blocks.'],
    ['missed_slots', 'Missed slots', 'slots', 'lower', 'Per node, slots between the run’s first and last leadership check with no leadership check on that node; mean over nodes.'],
    ['chain_density', 'Chain density', 'ratio', 'none', 'chainDensity (blocks per slot over the last k slots) at every leadership check that logs it (StartLeadershipCheckPlus, LedgerMetrics); 0 means not logged.'],
    ['utxo_size', 'UTxO size', 'entries', 'none', 'utxoSize at every leadership check that logs it (StartLeadershipCheckPlus, LedgerMetrics); 0 means not logged.'],
  ]),
  ...count('anomaly', [
    ['log_lines', 'Log lines', 'lines', 'none', 'Lines beginning with “{”, over all node logs.'],
    ['malformed_lines', 'Malformed lines', 'lines', 'lower', 'Lines beginning with “{” that do not parse as a log object.'],
    ['log_rate_hz', 'Log rate', 'lines/s', 'none', 'log_lines / nodes / seconds from the first to the last log timestamp.'],
  ]),
  ...dist('forging', [
    ['forge_start_s', 'Loop start', 's', 'lower', 'Leadership check start − slot start, for forged blocks.'],
    ['forge_blkctx_s', 'Block context', 's', 'lower', 'BlockContext − leadership check start.'],
    ['forge_lgrstate_s', 'Ledger state', 's', 'lower', 'LedgerState − BlockContext.'],
    ['forge_lgrview_s', 'Ledger view', 's', 'lower', 'LedgerView − LedgerState.'],
    ['forge_lead_s', 'Leadership', 's', 'lower', 'NodeIsLeader − LedgerView.'],
    ['forge_ticked_s', 'Ticked ledger', 's', 'lower', 'TickedLedgerState − NodeIsLeader.'],
    ['forge_memsnap_s', 'Mempool snapshot', 's', 'lower', 'MempoolSnapshot − TickedLedgerState.'],
    ['forge_forge_s', 'Forging', 's', 'lower', 'ForgedBlock − MempoolSnapshot (− TickedLedgerState when absent).'],
    ['forge_announce_s', 'Announce', 's', 'lower', 'Forger’s first ChainSync announcement − ForgedBlock.'],
    ['forge_send_s', 'Send', 's', 'lower', 'Forger’s first BlockFetch send − its first announcement.'],
    ['forge_adoption_s', 'Self-adoption', 's', 'lower', 'AdoptedBlock − ForgedBlock on the forger.'],
    ['forge_announce_cum_s', 'Announce since slot start', 's', 'lower', 'Forger’s first announcement − slot start.'],
    ['slot_start_lag_s', 'Slot start lag', 's', 'lower', 'Leadership check start − slot start, over all slots of all nodes.'],
    ['loop_starts', 'Loop starts per slot', 'starts', 'none', 'Per node and slot between the run’s first and last leadership check, the leadership checks started (locli’s starts; 0 in a missed slot).'],
    ['loop_leads', 'Leads per slot', 'leads', 'none', 'Per node and slot between the run’s first and last leadership check, the NodeIsLeader decisions (locli’s leads).'],
  ]),
  ...dist('peer', [
    ['peer_notice_s', 'Header notice', 's', 'lower', 'DownloadedHeader − slot start, per block and observing node.'],
    ['peer_request_s', 'Fetch request', 's', 'lower', 'SendFetchRequest − DownloadedHeader.'],
    ['peer_fetch_s', 'Fetch', 's', 'lower', 'CompletedBlockFetch − SendFetchRequest.'],
    ['peer_announce_s', 'Re-announce', 's', 'lower', 'ChainSync announcement − CompletedBlockFetch.'],
    ['peer_send_s', 'Forward send', 's', 'lower', 'First BlockFetch send − CompletedBlockFetch.'],
    ['peer_adoption_s', 'Adoption', 's', 'lower', 'AddedToCurrentChain − CompletedBlockFetch.'],
    ['peer_notice_first_s', 'First notice', 's', 'lower', 'Per block, the earliest observing node’s DownloadedHeader − slot start.'],
    ['peer_fetch_first_s', 'First fetch', 's', 'lower', 'Per block, the earliest observing node’s CompletedBlockFetch − slot start.'],
  ]),
  ...dist(
    'propagation',
    (
      [
        ['50', 0.5],
        ['80', 0.8],
        ['90', 0.9],
        ['92', 0.92],
        ['94', 0.94],
        ['96', 0.96],
        ['98', 0.98],
        ['100', 1.0],
      ] as const
    ).map(([p, c]): Entry => [
      `adoption_p${p}_s`,
      `Adoption, ${p}% of nodes`,
      's',
      'lower',
      `Per block, the ${c} nearest-rank centile of the earliest-adoption delays (AddedToCurrentChain − slot start) over all nodes that adopted it; mean over blocks.`,
    ]),
  ),
];

/**
 * Default noise threshold per metric, in % of the baseline mean (DESIGN §5.1): twice the metric's
 * run-to-run CoV over 12 A/A runs of one simulated configuration (new tracing, default RTS,
 * 6 nodes × 720 slots, ~36 blocks a run), rounded up to 0.5%, at least 1% — measured by
 * `npm run bench:noise -- --runs 12 --slots 720` (bench/noise.ts; method in docs/metrics.md,
 * figures in docs/benchmarks.md). Runs four times longer than the first calibration's (180
 * slots) halved most forging-loop spreads; the propagation ones barely moved. A threshold above
 * TOO_NOISY_PCT (the rarest counts and the per-block send and first-fetch delays here) is not a
 * threshold: those metrics are reported as too noisy to judge at this run count, with the runs
 * that would judge them (DESIGN §5.5). Calibrate real clusters with --noise-from-history or
 * --noise-config. Metrics not listed use 2%.
 */
export const NOISE_PCT: Readonly<Record<string, number>> = {
  cpu_pct: 1, gc_cpu_pct: 1, mut_cpu_pct: 1, alloc_mb_s: 4.5, gc_minor_per_s: 5, gc_major_per_s: 4,
  rss_mb: 6, heap_mb: 6, live_mb: 6, net_rd_kb_s: 4.5, net_wr_kb_s: 4.5, fs_rd_kb_s: 4,
  fs_wr_kb_s: 4, blkio_pct: 1, threads: 1, cpu85_span_s: 1, blocks_forged: 32,
  blocks_on_chain: 31.5, chained_ratio: 4.5, block_battles: 135, blocks_per_host: 32,
  block_size_bytes: 20, block_gap_s: 34, missed_slots: 62, chain_density: 36.5, utxo_size: 1.5,
  log_lines: 4.5, log_rate_hz: 4.5, forge_start_s: 40, forge_blkctx_s: 13.5, forge_lgrstate_s: 8,
  forge_lgrview_s: 10, forge_lead_s: 14, forge_ticked_s: 12, forge_memsnap_s: 11,
  forge_forge_s: 19.5, forge_announce_s: 13.5, forge_send_s: 107.5, forge_adoption_s: 14,
  forge_announce_cum_s: 13, slot_start_lag_s: 6, loop_starts: 1, loop_leads: 32, peer_notice_s: 42,
  peer_request_s: 7, peer_fetch_s: 33, peer_announce_s: 11, peer_send_s: 56.5,
  peer_adoption_s: 11.5, peer_notice_first_s: 55.5, peer_fetch_first_s: 82.5, adoption_p50_s: 37.5,
  adoption_p80_s: 32.5, adoption_p90_s: 35.5, adoption_p92_s: 35.5, adoption_p94_s: 35.5,
  adoption_p96_s: 35.5, adoption_p98_s: 35.5, adoption_p100_s: 35.5,
};

/**
 * The primary metrics (DESIGN §5.5) when no gate names any: what a release or nightly decision
 * rests on — CPU, memory (RSS, heap), allocation, the forger's own adoption delay and the
 * cluster's adoption at 50% and 90% of nodes. They form a Benjamini-Hochberg family of their
 * own, so ~50 exploratory metrics do not dilute them; the others are reported and fail nothing
 * unless a gate names them.
 */
export const PRIMARY_METRICS: readonly string[] = ['cpu_pct', 'rss_mb', 'heap_mb', 'alloc_mb_s', 'forge_adoption_s', 'adoption_p50_s', 'adoption_p90_s'];

/** The equivalence margin's default ceiling in % (DESIGN §5.5; `--max-margin` changes it). */
export const DEFAULT_MAX_MARGIN_PCT = 10;

/** A noise threshold above this is not a threshold: the metric is too noisy to judge (DESIGN §5.5). */
export const TOO_NOISY_PCT = 50;

/**
 * Rare counts judged on their absolute scale (DESIGN §5.5), not as a % of a near-zero mean
 * (+60% of 0.5 missed slots is a third of a slot): the margin of `unchanged` and the size a
 * change must reach, in the metric's own unit per run of the compared configuration (runs of
 * one profile share their length, so a count per run is a rate).
 */
export const ABSOLUTE_MARGIN: Readonly<Record<string, number>> = { block_battles: 1, missed_slots: 1 };

/** locli's centiles (DESIGN §4) for within-run distributions. */
export const CENTILES = [
  0, 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.875, 0.9, 0.925, 0.95, 0.97, 0.98, 0.99,
  0.995, 0.997, 0.998, 0.999, 0.9995, 0.9997, 0.9998, 0.9999, 1,
];

export const metricById = new Map(CATALOGUE.map((m) => [m.id, m]));

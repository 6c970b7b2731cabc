// The effect model: how a configuration (tracing backend, RTS flags) changes resource
// usage, and the run-level noise every run draws. Forging and propagation never depend on it.
import { Rng, STREAM_RUN } from './rng.js';
import type { TracingFormat } from './options.js';

export type Knob = 'mut' | 'gc' | 'alloc' | 'minor' | 'major' | 'rss';

/**
 * Configuration → behaviour. Baseline is legacy tracing with the default RTS flags.
 * Multipliers act on knobs; knobs map to metrics: mut_cpu_pct = mut, gc_cpu_pct = gc,
 * cpu_pct = (1 − gcShare)·mut + gcShare·gc, alloc_mb_s = alloc, gc_minor_per_s = minor,
 * gc_major_per_s = major, rss_mb = heap_mb = live_mb = rss (heap and live are fixed shares
 * of RSS). Effects of several flags multiply. Flags not listed have no effect.
 * Forging and propagation depend on the seed only, never on the configuration.
 */
export const EFFECTS = {
  baseline: {
    /** % of one core between events; snapshot bursts and block work lift run means to ≈ 42. */
    cpu_pct: 40,
    /** Share of CPU spent in GC, in every sample (keeps cpu_pct ratios exact). */
    gcShare: 0.25,
    alloc_mb_s: 200,
    gc_minor_per_s: 5,
    gc_major_per_s: 0.02,
    rss_mb: 2500,
    heapShareOfRss: 0.93,
    liveShareOfRss: 0.45,
    threads: 28,
    net_rd_kb_s: 30,
    net_wr_kb_s: 25,
    fs_rd_kb_s: 4,
    fs_wr_kb_s: 40,
    /**
     * CPU level of the 2 or 3 samples after a ledger snapshot starts (every 100 slots per
     * node), so cpu85_span_s has data.
     */
    snapshotBurstCpuPct: 125,
  },
  /** Run-level factor sd (run-to-run variance), per tracing backend. */
  runSd: {
    legacy: { cpu: 0.03, alloc: 0.025, minor: 0.025, major: 0.025, rss: 0.025, net: 0.025, fs: 0.025 },
    new: { cpu: 0.002, alloc: 0.025, minor: 0.025, major: 0.025, rss: 0.025, net: 0.025, fs: 0.025 },
  },
  /** Per-sample noise sd (within a run). */
  sampleSd: { cpu: 0.06, alloc: 0.1, minor: 0.1, rss: 0.004, net: 0.2, fs: 0.3 },
  tracing: {
    legacy: {},
    new: { mut: 1.08, gc: 1.08, rss: 0.85, alloc: 0.75 },
  } as Record<TracingFormat, Partial<Record<Knob, number>>>,
  rts: {
    '-A64m': { gc: 0.7, minor: 0.3, rss: 1.05 },
    '-N4': { mut: 1.05, gc: 1.05 },
    '-xn': { major: 0.5, rss: 1.1 },
  } as Record<string, Partial<Record<Knob, number>>>,
  /** Additive thread count per RTS flag. */
  threadsAdd: { '-N4': 2 } as Record<string, number>,
} as const;

const RUN_FACTORS = ['cpu', 'alloc', 'minor', 'major', 'rss', 'net', 'fs'] as const;
export type RunFactor = (typeof RUN_FACTORS)[number];

export function rtsFlags(rts: string): string[] {
  return rts.trim().split(/\s+/).filter((f) => f.length > 0);
}

/** Knob multipliers of a configuration (tracing × each RTS flag). */
export function knobMultipliers(tracing: TracingFormat, rts: string): Record<Knob, number> {
  const m: Record<Knob, number> = { mut: 1, gc: 1, alloc: 1, minor: 1, major: 1, rss: 1 };
  const apply = (f: Partial<Record<Knob, number>> | undefined): void => {
    if (!f) return;
    for (const k of Object.keys(f) as Knob[]) m[k] *= f[k] ?? 1;
  };
  apply(EFFECTS.tracing[tracing]);
  for (const flag of rtsFlags(rts)) apply(EFFECTS.rts[flag]);
  return m;
}

/**
 * Expected ratio of run means against legacy tracing with default RTS, per resource metric,
 * before run-level noise. threads is approximate (gauge with rare +1 blips).
 */
export function expectedRatios(tracing: TracingFormat, rts: string): Record<string, number> {
  const k = knobMultipliers(tracing, rts);
  const g = EFFECTS.baseline.gcShare;
  let add = 0;
  for (const flag of rtsFlags(rts)) add += EFFECTS.threadsAdd[flag] ?? 0;
  return {
    cpu_pct: (1 - g) * k.mut + g * k.gc,
    mut_cpu_pct: k.mut,
    gc_cpu_pct: k.gc,
    alloc_mb_s: k.alloc,
    gc_minor_per_s: k.minor,
    gc_major_per_s: k.major,
    rss_mb: k.rss,
    heap_mb: k.rss,
    live_mb: k.rss,
    threads: (EFFECTS.baseline.threads + add) / EFFECTS.baseline.threads,
    net_rd_kb_s: 1,
    net_wr_kb_s: 1,
    fs_rd_kb_s: 1,
    fs_wr_kb_s: 1,
  };
}

/**
 * The run-level factors a run with this seed draws (1 + sd·z, z shared by every
 * configuration with the same seed), so tests can divide them out.
 */
export function runLevelFactors(runSeed: number, tracing: TracingFormat): Record<RunFactor, number> {
  const rng = new Rng(runSeed, STREAM_RUN);
  const sd = EFFECTS.runSd[tracing];
  const out = {} as Record<RunFactor, number>;
  for (const f of RUN_FACTORS) out[f] = Math.max(0.5, 1 + sd[f] * rng.normal());
  return out;
}

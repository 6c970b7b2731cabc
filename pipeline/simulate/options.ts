// Options of a simulation: where, how many, which configuration and which log shape.
export type TracingFormat = 'new' | 'legacy';

export interface SimulateOptions {
  /** Parent folder; each run goes to `<out>/<tag>`. */
  out: string;
  tracing: TracingFormat;
  /** RTS override flags, e.g. "-A64m -N4", or "" for the defaults. */
  rts: string;
  nodes: number;
  slots: number;
  /** K runs; run k uses seed + k. */
  runs: number;
  seed: number;
  gzip?: boolean;
  /** Default `sim-<tracing>[-<rts>]`; run tag = `<prefix>-s<seed+k>`. */
  tagPrefix?: string;
  /**
   * Line format, default = `tracing`. Writing the other format keeps every event identical
   * (resource values included, which follow `tracing`): the format-invariance tests need
   * that. meta.json then names the backend matching the lines actually written.
   */
  format?: TracingFormat;
  /** Older or rarer shapes of real logs, for tests of the reader; default: none. */
  shape?: LogShape;
  /**
   * Node indices whose logs are written (default: all). The others' node-N folders are
   * absent, as when only some producers' logs were collected: the chain must then be
   * rebuilt without their forging lines.
   */
  keepLogs?: number[];
  /**
   * Planted effects on top of the configuration's, as knob multipliers (e.g. `{rss: 1.1}` for
   * RSS +10%): a nightly build with a known regression, for tests and benchmarks.
   */
  plant?: Partial<Record<'mut' | 'gc' | 'alloc' | 'minor' | 'major' | 'rss', number>>;
  onProgress?: (msg: string) => void;
}

/**
 * Shapes real nodes wrote in other versions or settings. The default is what a 10.1 node
 * writes with the benchmarking configuration (every forge-loop step, ≥ 1.35 legacy kinds).
 */
export interface LogShape {
  /** Legacy announcements as before 1.35: `…TraceChainSyncServerReadBlocked.AddBlock` (blocking) and `…Read.AddBlock` (not), no falling edges. */
  readBlocked?: boolean;
  /** New tracing `ns` as an array of parts, as cardano-tracer 10.2.1 wrote it. */
  arrayNs?: boolean;
  /** Legacy `blockNo` of DownloadedHeader as `{"unBlockNo": n}` (1.35.4). */
  unBlockNo?: boolean;
  /** Legacy `at` in centiseconds (`2022-05-23T19:42:21.01Z`), as iohk-monitoring writes it. */
  centiseconds?: boolean;
  /** No BlockContext/LedgerState/LedgerView/ForgeTickedLedgerState/ForgingMempoolSnapshot, as 10.4.1 at its default verbosity. */
  quietForge?: boolean;
}

/** `--shape` names, in the README's order. */
export const SHAPE_NAMES = {
  'read-blocked': 'readBlocked',
  'array-ns': 'arrayNs',
  unblockno: 'unBlockNo',
  'quiet-forge': 'quietForge',
  centiseconds: 'centiseconds',
} as const satisfies Record<string, keyof LogShape>;

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
  onProgress?: (msg: string) => void;
}

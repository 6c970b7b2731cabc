// Run layout: the tag, meta.json and genesis.shelley.json of a run, and option checks.
import { rtsFlags } from './effects.js';
import { ACTIVE_SLOTS, EPOCH_LENGTH, MAX_BODY, NODE_COMMIT, NODE_VERSION, TPS, type Params } from './model.js';
import { SHAPE_NAMES, type LogShape, type SimulateOptions, type TracingFormat } from './options.js';
import { readdir } from 'node:fs/promises';
import { CliError } from '../core/index.js';

/**
 * A folder holding this file was written by `simulate` or `samples`, so they may replace it;
 * any other existing folder may be a real run (issue 8: `samples --out` once deleted them).
 */
export const SIMULATED_MARKER = '.bench-report-simulated';
export const MARKER_TEXT = 'Written by bench-report simulate/samples: the tool may replace this folder.\n';

/** Throws (exit 2) when `dir` exists and was not written by the tool. */
export async function assertReplaceable(dir: string, option: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new CliError(`${dir}: exists and is not a readable folder; choose another ${option}.`);
  }
  if (!names.includes(SIMULATED_MARKER)) {
    throw new CliError(
      `${dir}: already exists and was not written by bench-report (no ${SIMULATED_MARKER}); ` +
        `it is left alone: move it away or choose another ${option}.`,
    );
  }
}

export function defaultTagPrefix(tracing: TracingFormat, rts: string): string {
  const flags = rtsFlags(rts)
    .map((f) => f.replace(/^-+/, '').replace(/[^A-Za-z0-9]+/g, ''))
    .filter((f) => f.length > 0);
  return `sim-${tracing}${flags.length > 0 ? '-' + flags.join('-') : ''}`;
}

export function systemStartOf(runSeed: number): string {
  // Fixed per run seed: 2026-01-01T00:00:00Z plus (seed mod one year) hours.
  const hours = ((runSeed % 8760) + 8760) % 8760;
  return new Date(Date.UTC(2026, 0, 1) + hours * 3600_000).toISOString().replace('.000Z', 'Z');
}

export function metaJson(tag: string, batch: string, p: Params, fmt: TracingFormat, shape: LogShape, keepLogs?: number[]): unknown {
  return {
    meta: {
      tag,
      batch,
      profile: `sim-${p.nodes}n-${p.slots}s`,
      era: 'conway',
      node_ghc_version: '9.6.5',
      manifest: { 'cardano-node': { commit: NODE_COMMIT, branch: 'release/10.1', version: NODE_VERSION } },
      profile_content: {
        composition: { n_hosts: p.nodes },
        node: {
          tracing_backend: fmt === 'new' ? 'trace-dispatcher' : 'iohk-monitoring',
          rts_flags_override: rtsFlags(p.rts),
        },
        generator: { tps: TPS },
      },
      simulator: {
        seed: p.seed,
        effects_of: p.tracing,
        ...(shapeNames(shape).length > 0 ? { shape: shapeNames(shape) } : {}),
        ...(keepLogs ? { logs_kept: keepLogs } : {}),
      },
    },
  };
}

export function genesisJson(systemStart: string): unknown {
  return {
    systemStart,
    slotLength: 1,
    epochLength: EPOCH_LENGTH,
    activeSlotsCoeff: ACTIVE_SLOTS,
    securityParam: 10,
    networkMagic: 42,
    protocolParams: { maxBlockBodySize: MAX_BODY, maxBlockHeaderSize: 1100, maxTxSize: 16384 },
  };
}

export function validate(o: SimulateOptions): void {
  // CliError: the CLI passes these options through, so a bad value is the user's to fix (exit 2).
  const int = (name: string, v: number, min: number): void => {
    if (!Number.isInteger(v) || v < min) throw new CliError(`simulate: --${name} must be an integer ≥ ${min}, got ${v}.`);
  };
  int('nodes', o.nodes, 1);
  int('slots', o.slots, 1);
  int('runs', o.runs, 1);
  if (!Number.isSafeInteger(o.seed)) throw new CliError(`simulate: --seed must be an integer, got ${o.seed}.`);
  if (o.tracing !== 'new' && o.tracing !== 'legacy') throw new CliError(`simulate: --tracing must be new or legacy, got ${String(o.tracing)}.`);
  if (o.keepLogs !== undefined) {
    const bad = o.keepLogs.find((n) => !Number.isInteger(n) || n < 0 || n >= o.nodes);
    if (bad !== undefined) throw new CliError(`simulate: --keep-logs names node ${bad}, but the nodes are 0…${o.nodes - 1}.`);
    if (o.keepLogs.length === 0) throw new CliError('simulate: --keep-logs must name at least one node.');
  }
}

/** `--shape` value → LogShape; unknown names are exit 2. */
export function parseShape(list: string): LogShape {
  const shape: LogShape = {};
  for (const name of list.split(',').map((x) => x.trim()).filter((x) => x.length > 0)) {
    if (!Object.hasOwn(SHAPE_NAMES, name)) {
      throw new CliError(`simulate: --shape ${name} is unknown; use any of ${Object.keys(SHAPE_NAMES).join(', ')}.`);
    }
    shape[SHAPE_NAMES[name as keyof typeof SHAPE_NAMES]] = true;
  }
  return shape;
}

/** The `--shape` names of a LogShape, for meta.json. */
function shapeNames(shape: LogShape): string[] {
  return Object.entries(SHAPE_NAMES)
    .filter(([, key]) => shape[key] === true)
    .map(([name]) => name);
}

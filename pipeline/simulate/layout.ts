// Run layout: the tag, meta.json and genesis.shelley.json of a run, and option checks.
import { rtsFlags } from './effects.js';
import { ACTIVE_SLOTS, EPOCH_LENGTH, MAX_BODY, NODE_COMMIT, NODE_VERSION, TPS, type Params } from './model.js';
import type { SimulateOptions, TracingFormat } from './options.js';
import { readdir } from 'node:fs/promises';
import { CliError } from '../errors.js';

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

export function metaJson(tag: string, batch: string, p: Params, fmt: TracingFormat): unknown {
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
      simulator: { seed: p.seed, effects_of: p.tracing },
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
  const int = (name: string, v: number, min: number): void => {
    if (!Number.isInteger(v) || v < min) throw new RangeError(`simulate: ${name} must be an integer ≥ ${min}, got ${v}.`);
  };
  int('nodes', o.nodes, 1);
  int('slots', o.slots, 1);
  int('runs', o.runs, 1);
  if (!Number.isSafeInteger(o.seed)) throw new RangeError(`simulate: seed must be an integer, got ${o.seed}.`);
  if (o.tracing !== 'new' && o.tracing !== 'legacy') throw new RangeError(`simulate: tracing must be new or legacy, got ${String(o.tracing)}.`);
}

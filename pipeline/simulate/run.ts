// Seeded Cardano cluster simulator: writes benchmark runs in the workbench layout
// (meta.json, genesis/genesis.shelley.json, node-N/stdout[.gz]) in either log format, so
// every stage can be tested and benchmarked without real cluster runs. Events are generated
// first, independent of the log format (chain.ts, node-log.ts), then formatted (writers/);
// the configuration (tracing backend, RTS flags) changes only resource usage, by the
// documented factors in `EFFECTS` (effects.ts).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createGzip } from 'node:zlib';
import { join, resolve } from 'node:path';
import { simulateChain } from './chain.js';
import { EFFECTS, knobMultipliers, rtsFlags, runLevelFactors, type Knob } from './effects.js';
import { MARKER_TEXT, SIMULATED_MARKER, assertReplaceable, defaultTagPrefix, genesisJson, metaJson, systemStartOf, validate } from './layout.js';
import type { Params } from './model.js';
import { nodeChunks, type RunCtx } from './node-log.js';
import { MIB, type ResConfig } from './node-state.js';
import type { SimulateOptions } from './options.js';
import { Rng, STREAM_RUN } from './rng.js';


/** Writes `opts.runs` runs; returns their absolute directories. */
export async function simulate(opts: SimulateOptions): Promise<string[]> {
  validate(opts);
  const fmt = opts.format ?? opts.tracing;
  const shape = opts.shape ?? {};
  const kept = opts.keepLogs ? [...new Set(opts.keepLogs)].sort((a, b) => a - b) : undefined;
  const prefix = opts.tagPrefix ?? defaultTagPrefix(opts.tracing, opts.rts);
  const outDir = resolve(opts.out);
  await mkdir(outDir, { recursive: true });
  let threadsAdd = 0;
  for (const f of rtsFlags(opts.rts)) threadsAdd += EFFECTS.threadsAdd[f] ?? 0;
  // Every target is checked before the first run is written, so a refusal leaves no half set.
  for (let k = 0; k < opts.runs; k++) await assertReplaceable(join(outDir, `${prefix}-s${opts.seed + k}`), '--out');
  const written: string[] = [];
  for (let k = 0; k < opts.runs; k++) {
    const runSeed = opts.seed + k;
    const tag = `${prefix}-s${runSeed}`;
    const systemStart = systemStartOf(runSeed);
    const p: Params = {
      seed: runSeed,
      nodes: opts.nodes,
      slots: opts.slots,
      t0: Date.parse(systemStart) * 1000,
      tracing: opts.tracing,
      rts: opts.rts,
    };
    const started = Date.now();
    const chain = simulateChain(p);
    const cfg: ResConfig = {
      k: planted(knobMultipliers(opts.tracing, opts.rts), opts.plant),
      r: runLevelFactors(runSeed, opts.tracing),
      threadsAdd,
      node: 0,
      nodes: opts.nodes,
      majorPhase: new Rng(runSeed, STREAM_RUN, 1).float(),
      // A fixed phase: the cluster's snapshot count (and its CPU bursts) is then the same in
      // every run of one shape, instead of adding seed-driven spread to cpu_pct that would
      // mask the configuration's run-to-run variance.
      snapPhase: 0.5,
    };
    const ctx: RunCtx = { p, chain, cfg, systemStart, shape };
    // Write into a temporary sibling, then rename: a run directory is whole or absent.
    const final = join(outDir, tag);
    const tmp = join(outDir, `.${tag}.tmp-${process.pid}`);
    await rm(tmp, { recursive: true, force: true });
    await mkdir(join(tmp, 'genesis'), { recursive: true });
    await writeFile(join(tmp, SIMULATED_MARKER), MARKER_TEXT);
    await writeFile(join(tmp, 'meta.json'), JSON.stringify(metaJson(tag, prefix, p, fmt, shape, kept), null, 2) + '\n');
    await writeFile(join(tmp, 'genesis', 'genesis.shelley.json'), JSON.stringify(genesisJson(systemStart), null, 2) + '\n');
    let bytes = 0;
    for (let n = 0; n < opts.nodes; n++) {
      if (kept && !kept.includes(n)) continue;
      const dir = join(tmp, `node-${n}`);
      await mkdir(dir);
      const source = Readable.from(
        (function* () {
          for (const chunk of nodeChunks(ctx, n, fmt)) {
            bytes += chunk.length;
            yield chunk;
          }
        })(),
        { objectMode: false },
      );
      if (opts.gzip) await pipeline(source, createGzip({ level: 6 }), createWriteStream(join(dir, 'stdout.gz')));
      else await pipeline(source, createWriteStream(join(dir, 'stdout')));
    }
    await rm(final, { recursive: true, force: true });
    await rename(tmp, final);
    written.push(final);
    const secs = (Date.now() - started) / 1000;
    opts.onProgress?.(
      `simulate: ${tag}: ${opts.nodes} nodes × ${opts.slots} slots, ${chain.blocksForged} blocks ` +
        `(${chain.blocksOnChain} on chain), ${(bytes / MIB).toFixed(1)} MiB of logs in ${secs.toFixed(1)} s`,
    );
  }
  return written;
}

/** The configuration's knob multipliers times the planted ones (`--plant rss=1.1`). */
function planted(k: Record<Knob, number>, plant: SimulateOptions['plant']): Record<Knob, number> {
  const out = { ...k };
  for (const [knob, f] of Object.entries(plant ?? {}) as [Knob, number][]) out[knob] *= f;
  return out;
}

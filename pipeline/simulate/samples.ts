// Regenerates the committed sample runs under samples/ (`npm run samples`): simulated
// clusters in both log formats and one RTS variant, small enough to commit, large enough for
// the demo comparisons to show real verdicts (planted effects found, the rest unchanged).
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EFFECTS, type Knob } from './effects.js';
import { MARKER_TEXT, SIMULATED_MARKER, assertReplaceable } from './layout.js';
import type { TracingFormat } from './options.js';
import { simulate } from './run.js';

export interface SampleSet {
  /** Folder under the samples directory. */
  dir: string;
  tracing: TracingFormat;
  rts: string;
  /** First run's seed; distinct per set so sets differ the way real batches do. */
  seed: number;
  description: string;
}

export const SAMPLE_SETS: readonly SampleSet[] = [
  { dir: 'legacy', tracing: 'legacy', rts: '', seed: 1001, description: 'legacy tracing (iohk-monitoring), default RTS' },
  { dir: 'new', tracing: 'new', rts: '', seed: 2001, description: 'new tracing (trace-dispatcher), default RTS' },
  { dir: 'new-A64m', tracing: 'new', rts: '-A64m', seed: 3001, description: 'new tracing, RTS override `-A64m`' },
  { dir: 'new-N4', tracing: 'new', rts: '-N4', seed: 4001, description: 'new tracing, RTS override `-N4`' },
  { dir: 'new-xn', tracing: 'new', rts: '-xn', seed: 6001, description: 'new tracing, RTS override `-xn`' },
];

/** Cluster shape of every sample run; all five sets together take about 6 MB. */
export const SAMPLE_SHAPE = { nodes: 6, slots: 180, runs: 5 } as const;

const pct = (x: number): string => `${+(x * 100).toFixed(2)} %`;
const fx = (flag: string, knob: Knob): number => EFFECTS.rts[flag]?.[knob] ?? 1;

function readme(): string {
  const rows = SAMPLE_SETS.map(
    (s) =>
      `| \`${s.dir}/\` | ${s.description} | ${SAMPLE_SHAPE.runs} | ${s.seed}–${s.seed + SAMPLE_SHAPE.runs - 1} |`,
  ).join('\n');
  return `# Sample runs

Simulated Cardano cluster benchmark runs in the workbench layout (\`meta.json\`,
\`genesis/genesis.shelley.json\`, \`node-N/stdout.gz\`), written by the seeded simulator in
\`pipeline/simulate/\`. Each run: ${SAMPLE_SHAPE.nodes} nodes × ${SAMPLE_SHAPE.slots} slots of 1 s,
gzipped logs in the shapes real cardano-node 10.1 nodes write (legacy runs: the ≥ 1.35
legacy kinds; README's \`simulate\` section lists the older shapes it can also write).

| folder | configuration | runs | seeds |
|---|---|---|---|
${rows}

What to expect when comparing them (the simulator's \`EFFECTS\` table, relative to legacy
tracing with the default RTS; effects of several flags multiply):
- \`new/\` against \`legacy/\`: cpu_pct ×1.08, rss_mb (and heap_mb, live_mb) ×0.85,
  alloc_mb_s ×0.75, and a smaller run-to-run spread of CPU (run-level sd ${pct(EFFECTS.runSd.new.cpu)} against
  ${pct(EFFECTS.runSd.legacy.cpu)}).
- \`new-A64m/\` against \`new/\`: gc_minor_per_s ×${fx('-A64m', 'minor')}, gc_cpu_pct ×${fx('-A64m', 'gc')} (so cpu_pct ×0.925),
  rss_mb ×${fx('-A64m', 'rss')}: a larger allocation area, fewer minor collections, a little more memory.
- \`new-N4/\` against \`new/\`: mut_cpu_pct and gc_cpu_pct ×${fx('-N4', 'mut')} (so cpu_pct ×${fx('-N4', 'mut')}),
  threads +${EFFECTS.threadsAdd['-N4'] ?? 0}: four capabilities, more OS threads and the cost of
  coordinating them.
- \`new-xn/\` against \`new/\`: gc_major_per_s ×${fx('-xn', 'major')}, rss_mb (and heap_mb, live_mb)
  ×${fx('-xn', 'rss')}: the non-moving collector, fewer copying major collections and a larger,
  fragmented heap.
- Forging and propagation depend only on the seed, never on the configuration: any
  difference there is run-to-run noise.

Each planted effect touches its own metrics, so a comparison of the four new-tracing
configurations should find each effect in its own column and nothing else. Seeds are
\`k001\` for the k-th set, except \`new-xn/\` (6001, not 5001): with 5001–5005 its comparison
against \`new/\` also flagged forge_lead_s (+28 %), a chance flag of the kind
\`docs/benchmarks.md\` measures in about 7 % of 5-vs-5 comparisons. The samples are meant to
show the planted effects; the false-alarm rates belong to the benchmarks.

Regenerate with \`npm run samples\` (it calls \`makeSamples('samples')\` from
\`pipeline/samples.ts\`); the output is deterministic, so unchanged code gives identical files.
\`samples --out DIR\` replaces only folders that carry its marker file
(\`.bench-report-simulated\`); it refuses any other existing folder of the same name.
`;
}

export type SampleShape = { nodes: number; slots: number; runs: number };

/**
 * Rewrites <outDir>/<set>/ for every sample set; returns the absolute run directories.
 * Refuses (exit 2) before writing anything when a set folder, or the README beside them,
 * exists without the tool's marker: `legacy/`, `new/` are also the names of real runs.
 * `shape` is for tests that need small runs.
 */
export async function makeSamples(
  outDir: string,
  onProgress?: (msg: string) => void,
  shape: SampleShape = SAMPLE_SHAPE,
): Promise<string[]> {
  const root = resolve(outDir);
  const readmeExists = await access(join(root, 'README.md')).then(
    () => true,
    () => false,
  );
  if (readmeExists) await assertReplaceable(root, '--out');
  for (const set of SAMPLE_SETS) await assertReplaceable(join(root, set.dir), '--out');
  await mkdir(root, { recursive: true });
  await writeFile(join(root, SIMULATED_MARKER), MARKER_TEXT);
  const runs: string[] = [];
  for (const set of SAMPLE_SETS) {
    const dir = join(root, set.dir);
    // Stale runs from an older shape or seed would otherwise linger beside the new ones.
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, SIMULATED_MARKER), MARKER_TEXT);
    runs.push(
      ...(await simulate({
        out: dir,
        tracing: set.tracing,
        rts: set.rts,
        nodes: shape.nodes,
        slots: shape.slots,
        runs: shape.runs,
        seed: set.seed,
        gzip: true,
        ...(onProgress ? { onProgress } : {}),
      })),
    );
  }
  await writeFile(join(root, 'README.md'), readme());
  return runs;
}

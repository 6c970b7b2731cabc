// The tree reads like the pipeline (issue 18): each stage of the README's diagram is one folder
// of pipeline/ whose index.ts is its only door, imports go down the layers only, and no module
// outgrows one concern.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const PIPELINE = join(ROOT, 'pipeline');
/** Lowest first: a folder may import only folders before it. */
const LAYERS = ['core', 'warehouse', 'discover', 'metrics', 'analysis', 'gate', 'render', 'history', 'simulate', 'jobs'];

function sources(dir: string, ext = /\.ts$/): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p, ext) : ext.test(f) ? [p] : [];
  });
}

/** Relative import specifiers of a file, resolved to paths relative to the repository. */
function imports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of src.matchAll(/(?:from\s+|import\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
    out.push(posix.normalize(posix.join(posix.dirname(relative(ROOT, file).split('\\').join('/')), m[1] as string)));
  }
  return out;
}

const stageOf = (path: string): string | null => /^pipeline\/([^/]+)\//.exec(path)?.[1] ?? null;

describe('pipeline layout', () => {
  it('has one folder per stage, each with an index.ts door, and only cli.ts beside them', () => {
    const entries = readdirSync(PIPELINE).sort();
    expect(entries).toEqual([...LAYERS, 'cli.ts'].sort());
    for (const stage of LAYERS) {
      const door = readFileSync(join(PIPELINE, stage, 'index.ts'), 'utf8');
      // The door's header says what the stage takes and gives.
      expect(door.split('\n')[0], stage).toMatch(new RegExp(`^// ${stage}\\b`));
    }
  });

  it('crosses a stage boundary only through the door, and only down the layers', () => {
    const bad: string[] = [];
    for (const file of sources(PIPELINE)) {
      const from = relative(ROOT, file).split('\\').join('/');
      const fromStage = stageOf(from);
      for (const target of imports(file)) {
        const toStage = stageOf(target);
        if (toStage === null || toStage === fromStage) continue;
        if (target !== `pipeline/${toStage}/index.js`) bad.push(`${from} → ${target} (not the door)`);
        if (fromStage !== null && LAYERS.indexOf(toStage) >= LAYERS.indexOf(fromStage)) bad.push(`${from} → ${toStage} (up a layer)`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('lets tests and benchmarks in through the doors (or the CLI) only', () => {
    const bad: string[] = [];
    for (const dir of ['test', 'bench']) {
      for (const file of sources(join(ROOT, dir))) {
        for (const target of imports(file)) {
          if (!target.startsWith('pipeline/')) continue;
          if (target !== 'pipeline/cli.js' && !/^pipeline\/[^/]+\/index\.js$/.test(target)) bad.push(`${relative(ROOT, file)} → ${target}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('keeps every module under ~400 lines', () => {
    const long = sources(PIPELINE)
      .map((f) => [relative(ROOT, f), readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > 410);
    expect(long).toEqual([]);
  });

  it('runs every query file: each in queries/ is named by the code that runs it', () => {
    // A query no code runs is dead SQL that still reads as a contract (70_runs_list.sql was one).
    const code = ['pipeline', 'bench', 'scripts', 'bin']
      .flatMap((d) => (statSync(join(ROOT, d), { throwIfNoEntry: false })?.isDirectory() ? sources(join(ROOT, d), /\.(ts|js|mjs)$/) : []))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const unused = readdirSync(join(ROOT, 'queries')).filter((f) => f.endsWith('.sql') && !code.includes(f));
    expect(unused).toEqual([]);
  });
});


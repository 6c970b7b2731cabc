// demo: the sample comparisons a newcomer sees after `npm run setup && npm run demo` —
// new tracing against legacy tracing, an RTS setting against the default, and (when the -N4
// and -xn sample sets are present) four RTS configurations in one matrix report — built from
// the committed runs in samples/ into reports/<comparison>/report.{html,pdf,json,md}.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runReport } from './report.js';
import { PACKAGE_ROOT } from '../warehouse/index.js';
import type { Logger } from '../core/index.js';

export const DEMO_COMPARISONS = [
  {
    dir: 'new-vs-legacy-tracing',
    title: 'New tracing against legacy tracing',
    baseline: 'legacy',
    candidate: 'new',
  },
  {
    dir: 'rts-A64m-vs-default',
    title: 'RTS -A64m against the default allocation area (new tracing)',
    baseline: 'new',
    candidate: 'new-A64m',
  },
] as const;

/** The multi-way demo: one column per RTS setting against the default (DESIGN §5.2). */
export const DEMO_MATRIX = {
  dir: 'rts-matrix',
  title: 'RTS settings against the default (new tracing): -A64m, -N4, -xn',
  baseline: 'new',
  candidates: ['new-A64m', 'new-N4', 'new-xn'],
} as const;

export async function runDemo(out: string, log: Logger, samplesDir = join(PACKAGE_ROOT, 'samples')): Promise<string[]> {
  const written: string[] = [];
  const outDir = resolve(out);
  for (const c of DEMO_COMPARISONS) {
    log.info(`demo: ${c.title}`);
    const res = await runReport(
      {
        baseline: [join(samplesDir, c.baseline)],
        candidate: [join(samplesDir, c.candidate)],
        out: join(outDir, c.dir),
        formats: ['html', 'pdf', 'json', 'md'],
        title: c.title,
        // One warehouse for both comparisons: the shared sample runs are ingested once.
        db: join(outDir, 'bench-report.duckdb'),
      },
      log,
    );
    written.push(...res.written);
  }
  const sets = DEMO_MATRIX.candidates.map((c) => join(samplesDir, c));
  if (sets.every((d) => existsSync(d))) {
    log.info(`demo: ${DEMO_MATRIX.title}`);
    const res = await runReport(
      {
        baseline: [join(samplesDir, DEMO_MATRIX.baseline)],
        candidate: [],
        candidateSets: sets.map((d) => [d]),
        out: join(outDir, DEMO_MATRIX.dir),
        formats: ['html', 'pdf', 'json', 'md'],
        title: DEMO_MATRIX.title,
        db: join(outDir, 'bench-report.duckdb'),
      },
      log,
    );
    written.push(...res.written);
  } else log.info(`demo: ${DEMO_MATRIX.dir} skipped: samples/new-N4 and samples/new-xn are not there (npm run samples writes them).`);
  log.info(`demo: ${written.length} files in ${outDir}`);
  return written;
}

// demo: the sample comparisons a newcomer sees after `npm run setup && npm run demo` —
// new tracing against legacy tracing, and an RTS setting against the default — built from
// the committed runs in samples/ into reports/<comparison>/report.{html,pdf,json,md}.
import { join, resolve } from 'node:path';
import { runReport } from './jobs/report.js';
import { PACKAGE_ROOT } from './db.js';
import type { Logger } from './log.js';

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
  log.info(`demo: ${written.length} files in ${outDir}`);
  return written;
}

// The command line loads only what a command uses (issue 21): `ingest` must not pay for the
// report's renderers (puppeteer, vega, handlebars) nor the statistics (@stdlib) and YAML.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SPLIT_FIELDS } from '../pipeline/analysis/index.js';
import { SPLIT_FIELD_NAMES } from '../pipeline/core/index.js';

const CLI = join(import.meta.dirname, '..', 'dist', 'pipeline', 'cli.js');

describe('lazy command line', () => {
  it('loads no renderer, statistics or YAML package to run `ingest --help`', async () => {
    if (!existsSync(CLI)) throw new Error('dist/ is missing the CLI: run `npm run build` first.');
    const dir = await mkdtemp(join(tmpdir(), 'bench-report-lazy-'));
    try {
      // A module hook (in a child process of its own) writes down every package resolved.
      const seen = join(dir, 'seen.txt');
      const hooks = `import { appendFileSync } from 'node:fs';
        export async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(${JSON.stringify(seen)}, r.url + '\\n'); return r; }`;
      const main = `import { register } from 'node:module';
        register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}));
        const { main } = await import(${JSON.stringify(pathToFileURL(CLI).href)});
        process.exitCode = await main(['node', 'bench-report', 'ingest', '--help']);`;
      execFileSync(process.execPath, ['--input-type=module', '-e', main], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const urls = (await readFile(seen, 'utf8')).split('\n');
      const packages = [...new Set(urls.map((u) => /node_modules\/((@[^/]+\/)?[^/]+)/.exec(u)?.[1]).filter((p) => p !== undefined))].sort();
      expect(packages).toContain('@duckdb/node-api');
      expect(packages.filter((p) => /puppeteer|vega|handlebars|@stdlib|^yaml$/.test(p))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('names the --split-by fields analysis reads', () => {
    expect([...SPLIT_FIELD_NAMES]).toEqual(Object.keys(SPLIT_FIELDS));
  });
});

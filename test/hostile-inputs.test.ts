// Inputs that hung or crashed the tool (issue 23, item 7): a meta.json or genesis that is a
// FIFO hung it (read until a writer came); a meta.json nested 200,000 deep overflowed the
// stack; a 5,000-character tag made `extract` fail with ENAMETOOLONG. Each is now one sentence
// naming the file (exit 2) or, for the tag, a bounded folder name.
import { execFileSync } from 'node:child_process';
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { scratchDir } from './helpers/scratch.js';

const TINY = join(import.meta.dirname, 'fixtures', 'tiny', 'new', 'run-tiny');
const tmp = scratchDir('bench-report-hostile-in-');

let n = 0;
async function runCopy(): Promise<string> {
  const dir = join(tmp.dir, `run-${++n}`);
  await cp(TINY, dir, { recursive: true });
  return dir;
}
const errors = (err: string): string[] => err.split('\n').filter((l) => l.startsWith('bench-report:'));

describe('files that are not plain files', () => {
  for (const which of ['meta.json', join('genesis', 'genesis.shelley.json')]) {
    it(`a ${which} that is a FIFO is refused at once`, async () => {
      const run = await runCopy();
      const file = join(run, which);
      await rm(file);
      execFileSync('mkfifo', [file]);
      const t0 = performance.now();
      const r = await runCli('ingest', run, '--db', join(tmp.dir, `fifo-${n}.duckdb`));
      expect(performance.now() - t0).toBeLessThan(20_000);
      expect(r.code).toBe(2);
      expect(errors(r.err)).toEqual([`bench-report: ${file}: is not a plain file (a FIFO, device or folder); give the file itself.`]);
    });
  }
});

describe('JSON inputs within bounds', () => {
  it('a meta.json nested 200,000 deep is refused with one sentence', async () => {
    const run = await runCopy();
    const file = join(run, 'meta.json');
    await writeFile(file, `${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    const r = await runCli('ingest', run, '--db', join(tmp.dir, 'deep.duckdb'));
    expect(r.code).toBe(2);
    expect(errors(r.err)).toEqual([`bench-report: ${file}: the run metadata nests deeper than 64 levels; a run's JSON files are never this deep.`]);
  });

  it('a meta.json over 16 MiB is refused with one sentence', async () => {
    const run = await runCopy();
    const file = join(run, 'meta.json');
    await writeFile(file, `{"tag":"big","pad":"${'x'.repeat(17 * 1024 * 1024)}"}`);
    const r = await runCli('ingest', run, '--db', join(tmp.dir, 'big.duckdb'));
    expect(r.code).toBe(2);
    expect(errors(r.err)).toEqual([`bench-report: ${file}: the run metadata is larger than 16 MiB; a run's JSON files are never this large.`]);
  });
});

describe('long tags', () => {
  it('a 5,000-character tag is extracted into a bounded folder name', async () => {
    const run = await runCopy();
    const meta = JSON.parse(await readFile(join(run, 'meta.json'), 'utf8')) as Record<string, unknown>;
    const tag = 'T'.repeat(5000);
    const inner = (meta.meta ?? meta) as Record<string, unknown>;
    inner.tag = tag;
    await writeFile(join(run, 'meta.json'), JSON.stringify(meta));
    const out = join(tmp.dir, 'long-out');
    const r = await runCli('extract', run, '--out', out, '--db', join(tmp.dir, 'long.duckdb'));
    expect(r.code, r.err).toBe(0);
    const [name] = await readdir(out);
    expect(name).toMatch(/^T{80}-[0-9a-f]{12}$/);
    const m = JSON.parse(await readFile(join(out, name ?? '', 'manifest.json'), 'utf8')) as { tag: string };
    expect(m.tag).toBe(tag);
  });
});

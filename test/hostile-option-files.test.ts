// The files options name are inputs like meta.json (issue 23, item 7, round two): --gate,
// --noise-config, --filter and --notes were read with a plain readFile, so a FIFO there hung the
// tool, a folder gave "cannot be read (EISDIR)", a 17 MiB file was read whole (a 17 MiB --notes
// was rendered into the report), and a --filter nested 200,000 deep crashed it (RangeError in
// JSON.stringify of the refused value). A --templates chart spec nested 200,000 deep overflowed
// the spec walk and a 17 MiB extra.css was pasted into report.html. Each is now refused before any
// ingest: exit 2, one sentence naming the option and the file, nothing written.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { scratchDir } from './helpers/scratch.js';

const SAMPLES = join(import.meta.dirname, '..', 'samples');
const B = join(SAMPLES, 'legacy', 'sim-legacy-s1001');
const C = join(SAMPLES, 'new', 'sim-new-s2001');
const DEEP = 200_000;
const BIG = 17 * 1024 * 1024;
const tmp = scratchDir('bench-report-hostile-optfile-');

let n = 0;
/** Exit 2 at once, one `bench-report:` line equal to `want`, nothing in --out, no warehouse. */
async function refused(command: 'report' | 'history', args: string[], want: string): Promise<void> {
  const out = join(tmp.dir, `out-${++n}`);
  const db = join(tmp.dir, `db-${n}.duckdb`);
  const runs = command === 'report' ? ['-b', B, '-c', C] : [B, C];
  const t0 = performance.now();
  const r = await runCli(command, ...runs, '--out', out, '--db', db, '--format', 'json', ...args);
  expect(performance.now() - t0).toBeLessThan(20_000);
  expect(r.code, r.err).toBe(2);
  expect(r.err.split('\n').filter((l) => l.startsWith('bench-report:'))).toEqual([`bench-report: ${want}`]);
  expect(r.err).not.toMatch(/\n\s+at /);
  expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  expect(existsSync(db)).toBe(false);
}

async function fifo(name: string): Promise<string> {
  const path = join(tmp.dir, name);
  execFileSync('mkfifo', [path]);
  return path;
}
async function folder(name: string): Promise<string> {
  const path = join(tmp.dir, name);
  await mkdir(path);
  return path;
}
async function file(name: string, text: string): Promise<string> {
  const path = join(tmp.dir, name);
  await writeFile(path, text);
  return path;
}
const nested = (inner: string): string => `${'['.repeat(DEEP)}${inner}${']'.repeat(DEEP)}`;

const OPTIONS = [
  { command: 'report', option: '--gate', what: 'gates file', ext: 'json', deep: `{"metrics":{"cpu_pct":{"max_regression_pct":${nested('1')}}}}` },
  { command: 'history', option: '--gate', what: 'gates file', ext: 'yaml', deep: `metrics: ${nested('1')}\n` },
  { command: 'report', option: '--noise-config', what: 'noise config', ext: 'json', deep: `{"noise_pct":${nested('5')}}` },
  { command: 'history', option: '--noise-config', what: 'noise config', ext: 'json', deep: `{"metrics":${nested('')}}` },
  // The refused value was shown with JSON.stringify, which overflowed the stack (exit 1, a stack).
  { command: 'report', option: '--filter', what: 'chain filter file', ext: 'json', deep: `[{"tag":"CBlock","contents":{"tag":"BFullnessGEq","contents":${nested('')}}}]` },
  { command: 'report', option: '--notes', what: 'notes file', ext: 'md', deep: null },
] as const;

for (const o of OPTIONS) {
  describe(`${o.command} ${o.option}`, () => {
    it('a FIFO is refused at once (it used to hang until a writer came)', async () => {
      const path = await fifo(`fifo-${++n}.${o.ext}`);
      await refused(o.command, [o.option, path], `${o.option} ${path}: is not a plain file (a FIFO, device or folder); give the ${o.what} itself.`);
    });

    it('a folder is refused as not a plain file', async () => {
      const path = await folder(`dir-${++n}.${o.ext}`);
      await refused(o.command, [o.option, path], `${o.option} ${path}: is not a plain file (a FIFO, device or folder); give the ${o.what} itself.`);
    });

    it('a file over 16 MiB is refused without reading it', async () => {
      const path = await file(`big-${++n}.${o.ext}`, o.ext === 'md' ? 'x'.repeat(BIG) : `{"pad":"${'x'.repeat(BIG)}"}`);
      await refused(o.command, [o.option, path], `${o.option} ${path}: is larger than 16 MiB; a ${o.what} is never this large.`);
    });

    if (o.deep !== null) {
      const deep = o.deep;
      it('a file nested 200,000 deep is one sentence, not a stack overflow', async () => {
        const path = await file(`deep-${++n}.${o.ext}`, deep);
        await refused(o.command, [o.option, path], `${o.option} ${path}: nests deeper than 64 levels; a ${o.what} is never this deep.`);
      });
    }
  });
}

describe('a device is not a plain file either', () => {
  it('--gate /dev/zero is refused at once (it used to read without end)', async () => {
    const dev = join(tmp.dir, 'zero.json');
    execFileSync('ln', ['-s', '/dev/zero', dev]);
    await refused('report', ['--gate', dev], `--gate ${dev}: is not a plain file (a FIFO, device or folder); give the gates file itself.`);
  });
});

describe('a missing file keeps its sentence', () => {
  it('--notes that does not exist', async () => {
    const path = join(tmp.dir, 'none.md');
    await refused('report', ['--notes', path], `--notes ${path}: no such file; give a Markdown file.`);
  });
});

describe('--templates files within bounds', () => {
  /** A report into a fresh --out with the templates folder `dir`: exit 2, one sentence `want`, nothing written. */
  async function refusedTemplates(dir: string, want: string): Promise<void> {
    const out = join(tmp.dir, `out-${++n}`);
    const r = await runCli('report', '-b', B, '-c', C, '--out', out, '--db', join(tmp.dir, `db-${n}.duckdb`), '--format', 'html', '--templates', dir);
    expect(r.code, r.err).toBe(2);
    expect(r.err.split('\n').filter((l) => l.startsWith('bench-report:'))).toEqual([`bench-report: ${want}`]);
    expect(existsSync(out) ? readdirSync(out).filter((f) => !f.startsWith('.')) : []).toEqual([]);
  }

  it('a chart spec nested 200,000 deep is refused (it overflowed the spec walk: the chart was left out)', async () => {
    const dir = await folder(`tpl-deep-${++n}`);
    await mkdir(join(dir, 'charts'));
    const spec = join(dir, 'charts', 'run-values.vl.json');
    await writeFile(spec, `{"mark":${nested('')}}`);
    await refusedTemplates(dir, `${spec}: nests deeper than 64 levels; a --templates file is never this deep.`);
  });

  it('an extra.css over 16 MiB is refused (it was pasted into report.html)', async () => {
    const dir = await folder(`tpl-big-${++n}`);
    const css = join(dir, 'extra.css');
    await writeFile(css, `/*${'x'.repeat(BIG)}*/`);
    await refusedTemplates(dir, `${css}: is larger than 16 MiB; a --templates file is never this large.`);
  });
});

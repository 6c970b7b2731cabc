// The package as a user installs it (issue 8, item 14): `npm pack` from a clean copy of the
// sources (so `prepare` must build dist/), installed from the tarball into a temporary prefix,
// then `bench-report demo` run from there, far from the repository. Slow (a full dependency
// install, ~2 min) and it needs the registry's package metadata, so it runs as
// `npm run test:pack` (called by .ci/run), not inside `npm test`.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../pipeline/core/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
let tmp: string;
let tarball: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bench-report-pack-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const sh = (cmd: string, args: string[], cwd: string): string =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });

describe('the npm package', () => {
  it('packs from clean sources with dist/, templates/, queries/ and samples/, and nothing of the tests', async () => {
    // The sources as a fresh clone has them: tracked and not-ignored files, no dist/.
    const src = join(tmp, 'src');
    const files = sh('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], ROOT).split('\0').filter(Boolean);
    for (const f of files) {
      if (!existsSync(join(ROOT, f))) continue; // deleted but not yet committed
      await mkdir(dirname(join(src, f)), { recursive: true });
      await cp(join(ROOT, f), join(src, f));
    }
    expect(existsSync(join(src, 'dist'))).toBe(false);
    await symlink(join(ROOT, 'node_modules'), join(src, 'node_modules'));
    const out = sh('npm', ['pack', '--pack-destination', tmp, '--loglevel', 'error'], src).trim().split('\n');
    tarball = join(tmp, out.at(-1) ?? '');
    const listing = sh('tar', ['tzf', tarball], tmp).split('\n');
    for (const f of ['bin/bench-report.js', 'dist/pipeline/cli.js', 'dist/pipeline/render/pdf.js', 'templates/report.hbs', 'templates/charts/cdf.vl.json', 'queries/00_schema.sql', 'samples/legacy/sim-legacy-s1001/meta.json', 'README.md']) {
      expect(listing, f).toContain(`package/${f}`);
    }
    expect(listing.filter((f) => f.startsWith('package/test/') || f.endsWith('.map') || f.startsWith('package/dist/bench/'))).toEqual([]);
  });

  it('installs from the tarball and runs `bench-report demo` from the install', async () => {
    expect(tarball, 'the pack step must have run').toBeTruthy();
    const prefix = join(tmp, 'prefix');
    sh('npm', ['install', '-g', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error', '--prefix', prefix, tarball], tmp);
    const bin = join(prefix, 'bin', 'bench-report');
    expect(sh(bin, ['--version'], tmp).trim()).toBe(JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')).version);
    // Run from an empty folder: nothing of the repository is within reach.
    const cwd = join(tmp, 'elsewhere');
    await mkdir(cwd);
    const demo = join(cwd, 'demo');
    sh(bin, ['demo', '--out', demo], cwd);
    expect(JSON.parse(await readFile(join(demo, 'rts-matrix', 'report.json'), 'utf8')).schema).toBe('bench-report/matrix@1');
    for (const c of ['new-vs-legacy-tracing', 'rts-A64m-vs-default']) {
      const json = JSON.parse(await readFile(join(demo, c, 'report.json'), 'utf8')) as { schema: string; metrics: unknown[]; baseline: { runs: unknown[] } };
      expect(json.schema).toBe('bench-report/report@1');
      // Every catalogue metric, as the installed tool computes them.
      expect(json.metrics).toHaveLength(CATALOGUE.length);
      expect(json.baseline.runs).toHaveLength(5);
      expect((await readFile(join(demo, c, 'report.pdf'))).subarray(0, 4).toString('latin1')).toBe('%PDF');
      expect(await readFile(join(demo, c, 'report.html'), 'utf8')).toContain('Content-Security-Policy');
      expect(await readFile(join(demo, c, 'report.md'), 'utf8')).toContain('| metric |');
    }
  });
});

// `--templates` is a sandbox and every page carries the Content-Security-Policy (issue 23,
// item 6): a chart spec that loads data (`url`, `file:`) is refused; partials, chart specs and
// CSS are plain files inside the folder (a link out would embed a local secret in the page);
// a partial reference out of the folder (`{{> ../../etc/passwd}}`) is refused; and the CSP is
// injected after the template renders, ahead of anything a custom template puts in the page,
// on the single report, the matrix page and the history page alike.
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../pipeline/core/index.js';
import { CSP_META, renderHtml } from '../pipeline/render/index.js';
import { runCli } from './helpers/cli.js';

const ROOT = join(import.meta.dirname, '..');
const SAMPLES = join(ROOT, 'samples');
let tmp: string;
let secret: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'bench-report-hostile-tpl-'));
  secret = join(tmp, 'secret.txt');
  await writeFile(secret, 'TOP-SECRET-42');
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const report = async (): Promise<Report> => JSON.parse(await readFile(join(ROOT, 'test', 'fixtures', 'render', 'report-model.json'), 'utf8')) as Report;
const META = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'">`;

/** The CSP meta comes before any element that could load or run something. */
function cspFirst(html: string): void {
  const at = html.indexOf(META);
  expect(at).toBeGreaterThanOrEqual(0);
  expect(html.slice(0, at)).toMatch(/^(\s|<!DOCTYPE[^>]*>|<html[^>]*>|<head>|<meta charset="[^"]*">)*$/i);
}

let n = 0;
async function folder(files: Record<string, string>): Promise<string> {
  const dir = join(tmp, `tpl-${++n}`);
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

async function refusedWith(templates: string, want: RegExp): Promise<void> {
  const err = await renderHtml(await report(), { templates }).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(Error);
  expect((err as Error & { exitCode?: number }).exitCode).toBe(2);
  expect((err as Error).message).toMatch(want);
}

describe('every page carries the CSP', () => {
  it('the single report: the built-in template (unchanged)', async () => {
    const html = await renderHtml(await report(), { charts: [] });
    cspFirst(html);
    expect(html.split(META)).toHaveLength(2);
  });

  it('a custom report.hbs without the CSP, with a script, gets it ahead of the script', async () => {
    const built = await readFile(join(ROOT, 'templates', 'report.hbs'), 'utf8');
    const dir = await folder({ 'report.hbs': built.replace(META, '<script>alert(1)</script>') });
    const html = await renderHtml(await report(), { charts: [], templates: dir });
    cspFirst(html);
    expect(html.indexOf(META)).toBeLessThan(html.indexOf('<script>'));
  });

  it('a custom report.hbs that puts a script before its own CSP meta', async () => {
    const dir = await folder({ 'report.hbs': `<!DOCTYPE html>\n<script>alert(1)</script>\n${META}\n<p>{{title}}</p>\n` });
    const html = await renderHtml(await report(), { charts: [], templates: dir });
    cspFirst(html);
    expect(html.indexOf(META)).toBeLessThan(html.indexOf('<script>'));
  });

  it('the matrix page', async () => {
    const out = join(tmp, 'matrix');
    const r = await runCli('report', '-b', join(SAMPLES, 'legacy', 'sim-legacy-s1001'), '-c', join(SAMPLES, 'new', 'sim-new-s2001'), '-c', join(SAMPLES, 'new-N4'), '--out', out, '--db', join(tmp, 'matrix.duckdb'), '--format', 'html');
    expect(r.code, r.err).toBe(0);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('class="verdicts matrix"');
    cspFirst(html);
  });

  it('the history page', async () => {
    const out = join(tmp, 'history');
    const r = await runCli('history', join(SAMPLES, 'new'), '--out', out, '--db', join(tmp, 'history.duckdb'), '--format', 'html');
    expect(r.code, r.err).toBe(0);
    cspFirst(await readFile(join(out, 'history.html'), 'utf8'));
  });

  it('exports the policy it injects', () => {
    expect(CSP_META).toBe(META);
  });
});

describe('--templates is a sandbox', () => {
  it('refuses a chart spec with data.url', async () => {
    const spec = JSON.parse(await readFile(join(ROOT, 'templates', 'charts', 'run-values.vl.json'), 'utf8')) as Record<string, unknown>;
    const dir = await folder({ 'charts/run-values.vl.json': JSON.stringify({ ...spec, data: { url: secret, format: { type: 'csv' } } }) });
    await refusedWith(dir, /charts\/run-values\.vl\.json: a chart spec may not load data \("url" at data\.url\)/);
  });

  it('refuses a chart spec with a lookup from a file: URL', async () => {
    const spec = JSON.parse(await readFile(join(ROOT, 'templates', 'charts', 'run-values.vl.json'), 'utf8')) as Record<string, unknown>;
    const lookup = { lookup: 'x', from: { data: { values: [] as unknown[], format: { parse: { x: `file://${secret}` } } }, key: 'x' } };
    const dir = await folder({ 'charts/run-values.vl.json': JSON.stringify({ ...spec, transform: [lookup] }) });
    await refusedWith(dir, /charts\/run-values\.vl\.json: a chart spec may not load data \("file:\/\/.*" at transform\.0\.from\.data\.format\.parse\.x\)/);
  });

  it('refuses a partial that is a link out of the folder', async () => {
    const dir = await folder({});
    await mkdir(join(dir, 'partials'), { recursive: true });
    await symlink(secret, join(dir, 'partials', 'notes.hbs'));
    await refusedWith(dir, /partials\/notes\.hbs: is not a plain file inside the templates folder \(a link, folder or device\)/);
  });

  it('refuses a link for extra.css (the secret would be inlined in <style>)', async () => {
    const dir = await folder({});
    await symlink(secret, join(dir, 'extra.css'));
    await refusedWith(dir, /extra\.css: is not a plain file inside the templates folder/);
  });

  it('refuses a partial reference out of the folder, whatever Handlebars would do with it', async () => {
    const built = await readFile(join(ROOT, 'templates', 'report.hbs'), 'utf8');
    const dir = await folder({ 'report.hbs': built.replace('</body>', '{{> ../../../../etc/passwd}}</body>') });
    await refusedWith(dir, /report\.hbs: partial "\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd" is not a partial name/);
  });

  it('the page never holds the secret: through the CLI, exit 2 and one sentence', async () => {
    const dir = await folder({});
    await symlink(secret, join(dir, 'extra.css'));
    const out = join(tmp, 'cli-out');
    const r = await runCli('report', '-b', join(SAMPLES, 'legacy', 'sim-legacy-s1001'), '-c', join(SAMPLES, 'new', 'sim-new-s2001'), '--out', out, '--db', join(tmp, 'cli.duckdb'), '--format', 'html', '--templates', dir);
    expect(r.code).toBe(2);
    expect(r.err.split('\n').filter((l) => l.startsWith('bench-report:'))).toHaveLength(1);
    expect(r.err).not.toContain('    at ');
  });
});


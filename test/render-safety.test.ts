// The render stage against hostile text, a failing disk and hostile HTML (issue 8, items 10–12):
// Markdown keeps its structure whatever a label holds; a write that fails leaves the old report
// whole (all formats are written aside and swapped in together) and names the file; the PDF
// printer loads nothing but the report and data: URLs, and its browser never outlives it.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../pipeline/core/index.js';
import { renderHtml, renderReport, mdEscape, renderMarkdown, findChromium, printPdf } from '../pipeline/render/index.js';
import type { Report } from '../pipeline/core/index.js';
import { scratchDir } from './helpers/scratch.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'render');
const ROOT = join(import.meta.dirname, '..');
const loadReport = async (): Promise<Report> => JSON.parse(await readFile(join(FIXTURES, 'report-model.json'), 'utf8')) as Report;

const tmp = scratchDir('bench-report-safety-');

/** Every line break a Markdown viewer might honour. */
const ANY_BREAK = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/;

describe('Markdown with hostile text (item 11)', () => {
  it('turns every kind of line break into a space', () => {
    expect(mdEscape('a\rb\nc\r\nd\u2028e\u2029f\u0085g\vh\fi')).toBe('a b c d e f g h i');
  });

  it('escapes fences, headings and list markers wherever they are', () => {
    expect(mdEscape('```js')).toBe('\\`\\`\\`js');
    expect(mdEscape('~~~')).toBe('\\~\\~\\~');
    expect(mdEscape('# heading')).toBe('\\# heading');
    expect(mdEscape('- item')).toBe('\\- item');
    expect(mdEscape('+ item')).toBe('\\+ item');
    expect(mdEscape('1. item')).toBe('1\\. item');
    expect(mdEscape('=== ')).toBe('\\=== ');
    expect(mdEscape('sim-legacy-s1001')).toBe('sim-legacy-s1001');
  });

  it('keeps the report structure whatever the title, labels, warnings and observations hold', async () => {
    const benign = renderMarkdown(await loadReport());
    const hostile = await loadReport();
    hostile.title = 'Title\r# Injected heading\r```\rcode block';
    hostile.workload = '# workload as heading\u2028## more';
    hostile.warnings = hostile.warnings.map((w) => ({ ...w, run: w.run === null ? null : '- list\ritem', message: `${w.message}\u2029\`\`\`\n| a | b |` }));
    hostile.observations = hostile.observations.map((o) => `${o}\r\n~~~\r\n# obs heading`);
    hostile.undecided = hostile.undecided.map((o) => `${o}\x85=====`);
    const md = renderMarkdown(hostile);
    expect(md.split(ANY_BREAK)).toHaveLength(benign.split(ANY_BREAK).length);
    expect(md).not.toMatch(/[\r\v\f\u0085\u2028\u2029]/);
    expect(md).not.toContain('```');
    expect(md).not.toContain('~~~');
    // The report's own headings, and no other: the title's escaped, the rest the renderer's.
    const headings = md.split('\n').filter((l) => /^\s{0,3}#/.test(l));
    expect(headings).toEqual(['### Title \\# Injected heading \\`\\`\\` code block', '#### Warnings', '#### Observations', '#### Undecided']);
    expect(headings.slice(1)).toEqual(benign.split('\n').filter((l) => /^\s{0,3}#/.test(l)).slice(1));
    expect(md.split('\n').filter((l) => /^\s{0,3}(=+|-+)\s*$/.test(l))).toEqual([]);
  });
});

describe('render writes all formats aside and swaps them in (item 10)', () => {
  it('keeps the old report whole and names the file when a write fails', async () => {
    const out = join(tmp.dir, 'disk-full');
    await mkdir(out, { recursive: true });
    for (const f of ['report.json', 'report.md', 'report.html']) await writeFile(join(out, f), `old ${f}`);
    const failing = async (path: string, data: string | Uint8Array): Promise<void> => {
      if (path.endsWith('report.html')) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      await writeFile(path, data);
    };
    const err = await renderReport(await loadReport(), out, ['json', 'md', 'html'], () => undefined, { writeFile: failing }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).message).toContain('report.html');
    expect((err as CliError).message).toContain('ENOSPC');
    expect((err as CliError).message.split('\n')).toHaveLength(1);
    // json and md were written first, but only aside: the old three are untouched.
    for (const f of ['report.json', 'report.md', 'report.html']) expect(await readFile(join(out, f), 'utf8')).toBe(`old ${f}`);
    expect((await readdir(out)).sort()).toEqual(['report.html', 'report.json', 'report.md']);
  });

  it('replaces all formats when every write succeeds, leaving no temporary folder', async () => {
    const out = join(tmp.dir, 'swap');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'report.json'), 'old');
    await writeFile(join(out, 'keep.txt'), 'not ours');
    const res = await renderReport(await loadReport(), out, ['json', 'md'], () => undefined);
    expect(res.written).toEqual([join(out, 'report.json'), join(out, 'report.md')]);
    expect(JSON.parse(await readFile(join(out, 'report.json'), 'utf8'))).toMatchObject({ schema: 'bench-report/report@1' });
    expect((await readdir(out)).sort()).toEqual(['keep.txt', 'report.json', 'report.md']);
  });

  it('drops an old report.pdf when the new report could not print one, so it cannot pass as new', async () => {
    const out = join(tmp.dir, 'stale-pdf');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'report.pdf'), '%PDF old');
    const res = await renderReport(await loadReport(), out, ['json', 'pdf'], () => undefined, { findChromium: () => null });
    expect(res.warnings.join(' ')).toMatch(/No Chromium/);
    expect((await readdir(out)).sort()).toEqual(['report.json']);
  });
});

describe('report.html Content-Security-Policy (item 12)', () => {
  it('forbids scripts and remote loads, allows inline styles and data: images', async () => {
    const html = await renderHtml(await loadReport());
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
    expect(csp).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'");
    // It comes before anything that could load: right after the charset.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<title>'));
  });
});

describe('printing the PDF (item 12)', () => {
  const chromium = findChromium();

  it('loads no other file: URL than the report (no CSP in this page: interception alone stops it)', async () => {
    expect(chromium, 'this test needs Chromium').not.toBeNull();
    const dir = join(tmp.dir, 'pdf-file-url');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'secret.html'), '<p>SECRET-FRAME-TEXT</p>');
    await writeFile(join(dir, 'secret.css'), 'body::after { content: "SECRET-CSS-TEXT"; }');
    await writeFile(
      join(dir, 'report.html'),
      `<!DOCTYPE html><title>t</title><link rel="stylesheet" href="secret.css"><h1>VISIBLE-REPORT-TEXT</h1>
       <iframe src="file://${join(dir, 'secret.html')}" width="400" height="100"></iframe>
       <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">`,
    );
    await printPdf(join(dir, 'report.html'), join(dir, 'report.pdf'), { chromium: chromium ?? '', timeoutMs: 60_000 });
    const text = execFileSync('pdftotext', [join(dir, 'report.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('VISIBLE-REPORT-TEXT');
    expect(text).not.toContain('SECRET-FRAME-TEXT');
    expect(text).not.toContain('SECRET-CSS-TEXT');
  });

  it('leaves no browser process behind after a failed print', async () => {
    expect(chromium, 'this test needs Chromium').not.toBeNull();
    let pid = 0;
    let profile = '';
    await expect(
      printPdf(join(tmp.dir, 'does-not-exist.html'), join(tmp.dir, 'never.pdf'), {
        chromium: chromium ?? '',
        timeoutMs: 30_000,
        onLaunch: (info) => {
          ({ pid, profile } = info);
        },
      }),
    ).rejects.toThrow(CliError);
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(false);
    expect(processesWith(profile)).toEqual([]);
  });

  it('Chromium dies with us: kill -9 of the printing process leaves no browser', async () => {
    expect(chromium, 'this test needs Chromium').not.toBeNull();
    const dist = join(ROOT, 'dist', 'pipeline', 'render', 'pdf.js');
    expect(existsSync(dist), 'run `npm run build` first (npm test does)').toBe(true);
    const html = join(tmp.dir, 'slow.html');
    await writeFile(html, '<!DOCTYPE html><title>t</title><h1>t</h1>');
    // A child prints, tells us the browser's pid and profile, and is then killed outright.
    const script = `import { printPdf } from ${JSON.stringify(dist)};
      await printPdf(${JSON.stringify(html)}, ${JSON.stringify(join(tmp.dir, 'slow.pdf'))}, {
        chromium: ${JSON.stringify(chromium)}, timeoutMs: 60000,
        onLaunch: (i) => { process.stdout.write(JSON.stringify(i) + '\\n'); setInterval(() => {}, 1000); return new Promise(() => {}); },
      });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const info = await new Promise<{ pid: number; profile: string }>((done, fail) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        if (buf.includes('\n')) done(JSON.parse(buf.split('\n')[0] ?? '') as { pid: number; profile: string });
      });
      child.on('exit', (code) => fail(new Error(`the printing child exited (${code}) before launching Chromium`)));
    });
    expect(alive(info.pid)).toBe(true);
    child.kill('SIGKILL');
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && processesWith(info.profile).length > 0) await new Promise((r) => setTimeout(r, 100));
    expect(processesWith(info.profile)).toEqual([]);
    await rm(info.profile, { recursive: true, force: true });
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie is dead but not yet reaped by its parent.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Live processes whose command line mentions `needle` (the browser's private profile). */
function processesWith(needle: string): number[] {
  if (needle === '') return [];
  const pids: number[] = [];
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(needle) && alive(Number(p))) pids.push(Number(p));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

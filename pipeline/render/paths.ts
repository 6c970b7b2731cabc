// Where the report templates live: `templates/` at the package root, found by walking up from
// this module so it works from the sources (pipeline/render) and the build (dist/pipeline/render).
import { existsSync } from 'node:fs';
import { lstat, readFile, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, readTemplateFile } from '../core/index.js';

let cached: string | null = null;

export function templatesDir(): string {
  if (cached !== null) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'templates', 'report.hbs'))) return (cached = join(dir, 'templates'));
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new CliError(
    `The report templates (templates/report.hbs) were not found above ${fileURLToPath(import.meta.url)}; reinstall bench-report.`,
    1,
  );
}

export async function readTemplate(...parts: string[]): Promise<string> {
  return readFile(join(templatesDir(), ...parts), 'utf8');
}

/**
 * A template file from `--templates DIR` when that folder has it, else the built-in one: a team
 * overrides any partial, chart spec or the CSS without copying the rest.
 */
export async function readTemplateOver(overrides: string | undefined, ...parts: string[]): Promise<string> {
  return (overrides === undefined ? null : await readOverride(overrides, ...parts)) ?? readTemplate(...parts);
}

/**
 * A file of a `--templates` folder, or null when it has none. The folder is a sandbox: it comes
 * from someone else as often as not, and what it holds ends up in a page that is published. So
 * the file must be a plain file inside the folder (a link could pull a local secret into the
 * page), a chart spec may not load data (`url`, `file:`), and a template may name partials only
 * by a plain name (`{{> ../../etc/passwd}}` is refused, whatever Handlebars would do with it).
 */
export async function readOverride(overrides: string, ...parts: string[]): Promise<string | null> {
  const file = join(overrides, ...parts);
  const s = await lstat(file).catch(() => null);
  if (s === null) return null;
  const root = await realpath(overrides);
  const real = await realpath(file).catch(() => '');
  if (!s.isFile() || relative(root, real).startsWith('..') || isAbsolute(relative(root, real))) {
    throw new CliError(`${file}: is not a plain file inside the templates folder (a link, folder or device); --templates reads only its own files.`);
  }
  const text = await readTemplateFile(file, file.endsWith('.json'));
  if (file.endsWith('.json')) refuseLoads(file, text);
  if (file.endsWith('.hbs')) refuseOddPartials(file, text);
  return text;
}

/** A chart spec that would make Vega read a file or the network: a `url` key, a `file:` string. */
function refuseLoads(file: string, text: string): void {
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${file}: the chart spec is not valid JSON (${(err as Error).message}).`);
  }
  const walk = (v: unknown, at: string[]): void => {
    if (typeof v === 'string' && /^\s*file:/i.test(v)) throw loads(JSON.stringify(v), at);
    if (v === null || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'url') throw loads('"url"', [...at, k]);
      walk(x, [...at, k]);
    }
  };
  const loads = (what: string, at: string[]): CliError =>
    new CliError(`${file}: a chart spec may not load data (${what} at ${at.join('.')}); the report gives every chart its data inline.`);
  walk(spec, []);
}

/** `{{> name}}` and `{{#> name}}` with anything but a plain name (a path, a dynamic partial). */
function refuseOddPartials(file: string, text: string): void {
  for (const m of text.matchAll(/\{\{~?#?>\s*("[^"]*"|'[^']*'|\S+?)(?=[\s}~])/g)) {
    const name = (m[1] ?? '').replace(/^["']|["']$/g, '');
    if (!/^[A-Za-z0-9_-]+$/.test(name)) {
      throw new CliError(`${file}: partial "${name}" is not a partial name (letters, digits, "_", "-"); partials are the .hbs files of the partials folder.`);
    }
  }
}

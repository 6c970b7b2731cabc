// Where the report templates live: `templates/` at the package root, found by walking up from
// this module so it works from the sources (pipeline/render) and the build (dist/pipeline/render).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from '../core/index.js';

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
  if (overrides !== undefined && existsSync(join(overrides, ...parts))) return readFile(join(overrides, ...parts), 'utf8');
  return readTemplate(...parts);
}

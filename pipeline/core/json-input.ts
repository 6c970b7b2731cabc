// Reading a JSON input (meta.json, a genesis, an extract manifest) within bounds: a FIFO or a
// device would hang the read, a huge file exhaust memory, and a deeply nested one overflow the
// stack of whatever walks it afterwards. Each is refused with one sentence naming the file.
import { readFile, stat } from 'node:fs/promises';
import { CliError } from './errors.js';

export const JSON_MAX_BYTES = 16 * 1024 * 1024;
export const JSON_MAX_DEPTH = 64;

/**
 * The text of JSON input `path` (`what` names it in messages), refused unless a plain file of
 * at most JSON_MAX_BYTES nesting at most JSON_MAX_DEPTH levels. Read errors are thrown as they
 * are, for the caller to name.
 */
export async function readJsonText(path: string, what: string): Promise<string> {
  const s = await stat(path);
  if (!s.isFile()) throw new CliError(`${path}: is not a plain file (a FIFO, device or folder); give the file itself.`);
  if (s.size > JSON_MAX_BYTES) throw new CliError(`${path}: the ${what} is larger than 16 MiB; a run's JSON files are never this large.`);
  const text = await readFile(path, 'utf8');
  if (nesting(text) > JSON_MAX_DEPTH) throw new CliError(`${path}: the ${what} nests deeper than ${JSON_MAX_DEPTH} levels; a run's JSON files are never this deep.`);
  return text;
}

/** The deepest nesting of `[`/`{` outside strings (stops counting once past the bound). */
function nesting(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) max = depth;
      if (max > JSON_MAX_DEPTH) return max;
    } else if (c === 93 || c === 125) depth--;
  }
  return max;
}

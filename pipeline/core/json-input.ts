// Reading an input file within bounds: a run's JSON files (meta.json, a genesis, an extract
// manifest) and the files options name (--gate, --noise-config, --filter, --notes, a --templates
// folder's files). A FIFO or a device would hang the read, a huge file exhaust memory, and a
// deeply nested one overflow the stack of whatever walks it afterwards. Each is refused with one
// sentence naming the file (and the option, for an option's file).
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { CliError } from './errors.js';

export const JSON_MAX_BYTES = 16 * 1024 * 1024;
export const JSON_MAX_DEPTH = 64;

/** The sentences of a refusal: the file is not plain, too large, too deep. */
interface Refusals {
  notPlain: string;
  tooLarge: string;
  tooDeep: string;
}

/**
 * The text of `path` if it is a plain file of at most JSON_MAX_BYTES nesting (when `nested`) at
 * most JSON_MAX_DEPTH levels. Opened without blocking, so a FIFO is seen for what it is at once,
 * whether or not a writer ever comes. Read errors (ENOENT, EACCES…) are thrown as they are.
 */
async function readBounded(path: string, nested: boolean, say: Refusals): Promise<string> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const s = await fh.stat();
    if (!s.isFile()) throw new CliError(say.notPlain);
    if (s.size > JSON_MAX_BYTES) throw new CliError(say.tooLarge);
    const text = await fh.readFile('utf8');
    // A file that grew after the stat (a log being written): the bound holds all the same.
    if (text.length > JSON_MAX_BYTES) throw new CliError(say.tooLarge);
    if (nested && nesting(text) > JSON_MAX_DEPTH) throw new CliError(say.tooDeep);
    return text;
  } finally {
    await fh.close();
  }
}

/**
 * The text of JSON input `path` (`what` names it in messages), refused unless a plain file of
 * at most JSON_MAX_BYTES nesting at most JSON_MAX_DEPTH levels. Read errors are thrown as they
 * are, for the caller to name.
 */
export async function readJsonText(path: string, what: string): Promise<string> {
  return readBounded(path, true, {
    notPlain: `${path}: is not a plain file (a FIFO, device or folder); give the file itself.`,
    tooLarge: `${path}: the ${what} is larger than 16 MiB; a run's JSON files are never this large.`,
    tooDeep: `${path}: the ${what} nests deeper than ${JSON_MAX_DEPTH} levels; a run's JSON files are never this deep.`,
  });
}

/**
 * The text of the file that `option` names (`--gate`, `--notes`…; `what` is "gates file",
 * "notes file"…), within the same bounds; `nested` (JSON, YAML) also bounds its nesting of
 * `[`/`{`. Read errors are thrown as they are, for the caller to name as it always has.
 */
export async function readOptionFile(path: string, option: string, what: string, nested: boolean): Promise<string> {
  return readBounded(path, nested, {
    notPlain: `${option} ${path}: is not a plain file (a FIFO, device or folder); give the ${what} itself.`,
    tooLarge: `${option} ${path}: is larger than 16 MiB; a ${what} is never this large.`,
    tooDeep: `${option} ${path}: nests deeper than ${JSON_MAX_DEPTH} levels; a ${what} is never this deep.`,
  });
}

/**
 * A file of a `--templates` folder (already known to be a plain file inside it), within the same
 * bounds; `nested` for a chart spec.
 */
export async function readTemplateFile(path: string, nested: boolean): Promise<string> {
  return readBounded(path, nested, {
    notPlain: `${path}: is not a plain file inside the templates folder (a link, folder or device); --templates reads only its own files.`,
    tooLarge: `${path}: is larger than 16 MiB; a --templates file is never this large.`,
    tooDeep: `${path}: nests deeper than ${JSON_MAX_DEPTH} levels; a --templates file is never this deep.`,
  });
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

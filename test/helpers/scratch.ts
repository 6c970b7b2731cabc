// A scratch folder for the tests of one file: made under $TMPDIR before them, removed after.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** `dir` is the folder (prefix + random letters), set once the file's tests start. */
export function scratchDir(prefix: string): { readonly dir: string } {
  const s = { dir: '' };
  beforeAll(async () => {
    s.dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    if (s.dir !== '') await rm(s.dir, { recursive: true, force: true });
  });
  return s;
}

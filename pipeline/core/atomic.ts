// Atomic file writes: content goes to a temporary sibling and is renamed into place, so a
// reader (or an interrupted nightly build) never sees a half-written artefact.
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { CliError } from './errors.js';

export function tempSibling(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
}

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempSibling(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

const DIR_PROBLEMS: Record<string, string> = {
  EEXIST: 'is a file, not a folder',
  ENOTDIR: 'has a file where a folder should be',
  EACCES: 'is not writable (permission denied)',
  EPERM: 'is not writable (permission denied)',
  EROFS: 'is on a read-only file system',
  ENOSPC: 'is on a full disk',
};

/**
 * Makes sure `dir` is a folder we can write in, creating it if needed, so a job fails on a bad
 * output path at once instead of after minutes of ingest. `what` names it (e.g. `--out`).
 */
export async function ensureWritableDir(dir: string, what: string): Promise<void> {
  const fail = (err: unknown): never => {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new CliError(`${what} ${dir} ${DIR_PROBLEMS[code] ?? `cannot be written (${code || (err as Error).message})`}; choose another folder.`);
  };
  await mkdir(dir, { recursive: true }).catch(async (err: unknown) => {
    // A recursive mkdir says ENOENT where the file system is read-only (Node 20): ask the
    // nearest existing folder for the real reason.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      let up = dir;
      while (dirname(up) !== up && !(await stat(dirname(up)).then(() => true, () => false))) up = dirname(up);
      await mkdir(up).catch(fail);
    }
    fail(err);
  });
  const s = await stat(dir).catch(fail);
  if (!s.isDirectory()) fail({ code: 'EEXIST' });
  const probe = tempSibling(join(dir, '.write-probe'));
  await writeFile(probe, '').catch(fail);
  await rm(probe, { force: true });
}

// A write that failed because the disk is full or the file system read-only is neither bad input
// nor a bug: it gets one sentence naming the file system (its mount point) and the file, never
// a stack. DuckDB reports these as text ("Could not write file "…": No space left on device"),
// Node as an errno code; both are recognised here.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The mount point holding `path` (from /proc/self/mounts on Linux), else its folder. */
export function mountOf(path: string): string {
  const p = resolve(path);
  let best = '';
  try {
    for (const line of readFileSync('/proc/self/mounts', 'utf8').split('\n')) {
      const mp = (line.split(' ')[1] ?? '').replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
      const under = mp === '/' || p === mp || p.startsWith(`${mp}/`);
      if (mp !== '' && under && mp.length > best.length) best = mp;
    }
  } catch {
    // not Linux: the folder will do
  }
  return best || dirname(p);
}

/** One sentence for a failure due to a full or read-only file system, or null for anything else. */
export function diskProblem(err: unknown): string | null {
  const e = (err ?? {}) as Partial<NodeJS.ErrnoException>;
  const msg = String(e.message ?? '');
  const full = e.code === 'ENOSPC' || /No space left on device/i.test(msg);
  const readOnly = e.code === 'EROFS' || /Read-only file system/i.test(msg);
  if (!full && !readOnly) return null;
  const file = e.path ?? /(?:file|directory) "([^"]+)"/.exec(msg)?.[1] ?? null;
  const where = file ? mountOf(file) : 'the disk';
  const writing = file ? ` (writing ${file})` : '';
  return full
    ? `no space left on ${where}${writing}; free some space and run the command again — nothing that was there before was changed.`
    : `${where} is a read-only file system${writing}; choose a writable place — nothing that was there before was changed.`;
}

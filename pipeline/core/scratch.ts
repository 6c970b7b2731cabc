// Scratch that must not outlive the process: a private warehouse in $TMPDIR (extract), a
// `.render-*` staging folder in --out (report). `finally` removes them on every normal or failed
// ending; SIGTERM (a cluster's time limit) and SIGINT (Ctrl-C) end the process without running
// it, so a handler removes whatever is registered, then exits as the signal would have (128+n).
import { rmSync } from 'node:fs';

const live = new Set<string>();
let installed = false;

function onSignal(signal: NodeJS.Signals): void {
  for (const path of live) rmSync(path, { recursive: true, force: true });
  process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
}

/** Removes `path` if SIGTERM or SIGINT ends the process; call the result once it is gone anyway. */
export function removeOnSignal(path: string): () => void {
  if (!installed) {
    installed = true;
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  live.add(path);
  return () => void live.delete(path);
}

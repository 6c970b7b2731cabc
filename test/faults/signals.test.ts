// SIGTERM (a cluster's time limit) and SIGINT (Ctrl-C) remove the scratch (issue 23, item 7):
// extract's private warehouse in $TMPDIR and report's `.render-*` staging folder in --out were
// left behind. The process is stalled at a fault point while its scratch exists, then signalled.
import { spawn } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './child.js';
import { scratchDir } from '../helpers/scratch.js';

const BIN = join(ROOT, 'bin', 'bench-report.js');
const TINY = join(ROOT, 'test', 'fixtures', 'tiny', 'new', 'run-tiny');
const SAMPLES = join(ROOT, 'samples');
const tmp = scratchDir('bench-report-signals-');

/** Runs the CLI stalled at `point`, sends `signal` once it says so; resolves with its exit. */
function signalled(args: string[], point: string, signal: NodeJS.Signals, env: Record<string, string>): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env, BENCH_REPORT_FAULT: `stall:${point}` }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes(`stalled at ${point}`)) child.kill(signal);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, err }));
  });
}

describe('a signal during a job', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} during extract removes its scratch warehouse from $TMPDIR`, async () => {
      const own = join(tmp.dir, `tmpdir-${signal}`);
      await mkdir(own);
      const r = await signalled(['extract', TINY, '--out', join(tmp.dir, `ex-${signal}`)], 'extract-ingest', signal, { TMPDIR: own });
      expect(r.code, r.err).toBe(signal === 'SIGTERM' ? 143 : 130);
      expect(await readdir(own)).toEqual([]);
    });

    it(`${signal} during report removes its .render-* staging folder`, async () => {
      const out = join(tmp.dir, `report-${signal}`);
      const r = await signalled(['report', '-b', join(SAMPLES, 'legacy', 'sim-legacy-s1001'), '-c', join(SAMPLES, 'new', 'sim-new-s2001'), '--out', out, '--db', join(tmp.dir, `r-${signal}.duckdb`), '--format', 'json,md'], 'render-staged', signal, {});
      expect(r.code, r.err).toBe(signal === 'SIGTERM' ? 143 : 130);
      expect(await readdir(out)).toEqual([]);
    });
  }
});

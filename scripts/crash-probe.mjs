// Crash probe (issue 8, item 1): kill -9 an `ingest` of a sizeable simulated run at spread-out
// moments and during its commit (when the write-ahead log appears), then ingest again to completion and check that nothing is doubled or lost — the
// counts must equal those of a clean ingest. DuckDB 1.5.6 can bring a transaction killed
// during commit back partly applied; the warehouse repairs that on open (db.ts). Slow (minutes),
// so it is a script, not a unit test: `node scripts/crash-probe.mjs [trials] [nodes] [slots]`
// after `npm run build`. Prints one line per trial and a summary; exit 1 on any mismatch.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { DuckDBInstance } from '@duckdb/node-api';

const [trials = 12, nodes = 20, slots = 600] = process.argv.slice(2).map(Number);
const CLI = join(import.meta.dirname, '..', 'bin', 'bench-report.js');
const work = mkdtempSync(join(tmpdir(), 'bench-report-crash-'));

function cli(args) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench-report ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r;
}

async function counts(db) {
  const inst = await DuckDBInstance.create(db);
  const conn = await inst.connect();
  try {
    const q = async (sql) => Number((await conn.runAndReadAll(sql)).getRows()[0]?.[0]);
    return {
      runs: await q('SELECT count(*) FROM runs'),
      events: await q('SELECT count(*) FROM events'),
      files: await q('SELECT count(*) FROM files'),
      logLines: await q('SELECT coalesce(sum(log_lines), 0) FROM files'),
    };
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

try {
  const run = cli(['simulate', '--out', join(work, 'runs'), '--nodes', String(nodes), '--slots', String(slots), '--seed', '7']).stdout.trim();
  const clean = join(work, 'clean.duckdb');
  const t0 = performance.now();
  cli(['ingest', run, '--db', clean]);
  const ingestMs = performance.now() - t0;
  const want = await counts(clean);
  console.log(`run: ${nodes} nodes × ${slots} slots, ${want.events} events; a clean ingest takes ${(ingestMs / 1000).toFixed(1)} s`);

  let bad = 0;
  let repaired = 0;
  for (let i = 0; i < trials; i++) {
    const db = join(work, `t${i}.duckdb`);
    // Odd trials: kill moments spread over a clean ingest's duration. Even trials aim at the
    // commit: the write-ahead log first holds what opening wrote (schema, ev_map); kill a few
    // ms after it grows again, which is the run's commit.
    const child = spawn(process.execPath, [CLI, 'ingest', run, '--db', db], { stdio: 'ignore' });
    const t1 = performance.now();
    let at;
    if (i % 2 === 0) {
      const wal = () => (existsSync(`${db}.wal`) ? statSync(`${db}.wal`).size : 0);
      while (child.exitCode === null && wal() === 0) await sleep(1);
      await sleep(200); // opening's own writes settle
      const opened = wal();
      while (child.exitCode === null && wal() <= opened) await sleep(1);
      await sleep(Math.floor(i / 2) * 2);
      at = performance.now() - t1;
    } else {
      at = ingestMs * (0.3 + (0.8 * i) / Math.max(trials - 1, 1));
      await sleep(at);
    }
    const killed = child.exitCode === null && child.kill('SIGKILL');
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)));
    const after = cli(['ingest', run, '--db', db]);
    const repair = /removed (\d+) row\(s\)/.exec(after.stderr);
    if (repair) repaired++;
    const got = await counts(db);
    const ok = JSON.stringify(got) === JSON.stringify(want);
    if (!ok) bad++;
    console.log(
      `trial ${i + 1}: kill at ${(at / 1000).toFixed(2)} s${killed ? '' : ' (had finished)'}; ${repair ? `repaired ${repair[1]} orphan rows; ` : ''}${ok ? 'counts equal a clean ingest' : `MISMATCH ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`}`,
    );
  }
  console.log(`summary: ${trials} trials, ${repaired} with orphan rows repaired on open, ${bad} mismatches`);
  process.exitCode = bad > 0 ? 1 : 0;
} finally {
  rmSync(work, { recursive: true, force: true });
}

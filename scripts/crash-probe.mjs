// Crash probe (issue 8 item 1, issue 23 item 1): kill -9 bench-report at random instants of
//   ingest   — a first ingest of a sizeable simulated run (half the kills spread over it, half
//              aimed at its commit, a few ms after the write-ahead log grows): ingest again to
//              completion, and the counts must equal a clean ingest's;
//   reingest — an ingest of the same run, changed (one log line more), over a warehouse that
//              holds it: the warehouse must then hold the old run or the new one, whole —
//              never neither (a crash used to lose the run: its old rows were deleted on open);
//   compact  — the same re-ingest, killed while it compacts the file on close (after the copy
//              beside it appears): old or new, whole, and no copy left after the next open.
// After each kill the warehouse is opened by `bench-report runs` (read-only) and read; then an
// ingest opens it for writing, after which no compaction copy may be left beside it. The
// compaction threshold is lowered (BENCH_REPORT_COMPACT_MIN_FREE_BYTES=1) so a small run
// compacts. Slow (minutes), so a script, not a unit test, after `npm run build`:
//   node scripts/crash-probe.mjs [trials] [nodes] [slots] [ingest,reingest,compact]
// Prints one line per trial and a summary per mode; exit 1 on any run lost or miscounted.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { DuckDBInstance } from '@duckdb/node-api';

const args = process.argv.slice(2);
const [trials = 12, nodes = 20, slots = 600] = args.slice(0, 3).map(Number);
const modes = (args[3] ?? 'ingest').split(',');
const CLI = join(import.meta.dirname, '..', 'bin', 'bench-report.js');
// Compact whenever a fifth of the file is free, however small: a small run then compacts too.
process.env.BENCH_REPORT_COMPACT_MIN_FREE_BYTES = '1';
const work = mkdtempSync(join(tmpdir(), 'bench-report-crash-'));

function cli(argv) {
  const r = spawnSync(process.execPath, [CLI, ...argv], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench-report ${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
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

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
/** Deterministic instants: a small LCG, so a probe can be repeated. */
let seed = 23;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

async function waitExit(child) {
  await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)));
}

const copies = (db) => readdirSync(join(db, '..')).filter((f) => f.startsWith(`.${db.split('/').pop()}.`) && f.endsWith('.tmp'));

try {
  const run = cli(['simulate', '--out', join(work, 'runs'), '--nodes', String(nodes), '--slots', String(slots), '--seed', '7']).stdout.trim();
  const log = join(run, readdirSync(run).find((d) => d.startsWith('node-')), 'stdout');
  const v1Size = statSync(log).size;
  const firstJson = readFileSync(log, 'utf8').split('\n').find((l) => l.startsWith('{'));
  const toV2 = () => appendFileSync(log, `${firstJson}\n`);
  const toV1 = () => truncateSync(log, v1Size);

  const clean = join(work, 'clean.duckdb');
  const t0 = performance.now();
  cli(['ingest', run, '--db', clean]);
  const ingestMs = performance.now() - t0;
  const want = await counts(clean);
  // The changed run over the clean warehouse: how long, and the counts it gives.
  const v2db = join(work, 'v2.duckdb');
  copyFileSync(clean, v2db);
  toV2();
  const t1 = performance.now();
  const compacted = /compacted/.test(cli(['ingest', run, '--db', v2db]).stderr);
  const reingestMs = performance.now() - t1;
  const wantV2 = await counts(v2db);
  toV1();
  console.log(
    `run: ${nodes} nodes × ${slots} slots, ${want.events} events; a clean ingest takes ${(ingestMs / 1000).toFixed(1)} s, a re-ingest of it changed ${(reingestMs / 1000).toFixed(1)} s (${compacted ? 'compacts' : 'does NOT compact'} on close)`,
  );

  let failed = 0;
  for (const mode of modes) {
    let bad = 0;
    let killedN = 0;
    let oldN = 0;
    let newN = 0;
    for (let i = 0; i < trials; i++) {
      const db = join(work, `${mode}-${i}.duckdb`);
      if (mode !== 'ingest') {
        copyFileSync(clean, db);
        toV2();
      }
      const child = spawn(process.execPath, [CLI, 'ingest', run, '--db', db], { stdio: 'ignore' });
      const tStart = performance.now();
      let at;
      if (mode === 'ingest' && i % 2 === 0) {
        // At the commit: the write-ahead log first holds what opening wrote; kill a few ms after it grows again.
        const wal = () => (existsSync(`${db}.wal`) ? statSync(`${db}.wal`).size : 0);
        while (child.exitCode === null && wal() === 0) await sleep(1);
        await sleep(200);
        const opened = wal();
        while (child.exitCode === null && wal() <= opened) await sleep(1);
        await sleep(Math.floor(random() * 20));
      } else if (mode === 'compact') {
        // While compacting: once the copy beside the file appears, within the copy's duration.
        while (child.exitCode === null && copies(db).length === 0) await sleep(1);
        await sleep(random() * 400);
      } else {
        // Over the whole command: load, commit, then the compaction on close.
        await sleep(random() * (mode === 'ingest' ? ingestMs : reingestMs) * 1.3);
      }
      at = performance.now() - tStart;
      const killed = child.exitCode === null && child.kill('SIGKILL');
      if (killed) killedN++;
      await waitExit(child);
      let ok;
      let what;
      if (mode === 'ingest') {
        cli(['ingest', run, '--db', db]);
        const got = await counts(db);
        ok = same(got, want);
        what = ok ? 'counts equal a clean ingest' : `MISMATCH ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`;
      } else {
        cli(['runs', '--db', db]); // a read-only open, as `runs` does: nothing repaired
        const got = await counts(db);
        const isOld = same(got, want);
        const isNew = same(got, wantV2);
        if (isOld) oldN++;
        if (isNew) newN++;
        cli(['ingest', run, '--db', db]); // a writing open removes a killed compaction's copy
        const left = copies(db);
        ok = (isOld || isNew) && left.length === 0;
        what = isOld ? 'the old run, whole' : isNew ? 'the new run, whole' : `RUN LOST OR MIXED ${JSON.stringify(got)}`;
        if (left.length > 0) what += `; copies left: ${left.join(', ')}`;
        toV1();
      }
      if (!ok) bad++;
      console.log(`${mode} trial ${i + 1}: kill at ${(at / 1000).toFixed(2)} s${killed ? '' : ' (had finished)'}; ${what}`);
      rmSync(db, { force: true });
      rmSync(`${db}.wal`, { force: true });
    }
    const split = mode === 'ingest' ? '' : `, ${oldN} left the old run, ${newN} the new`;
    console.log(`summary ${mode}: ${trials} trials, ${killedN} killed before finishing${split}, ${bad} lost or miscounted`);
    failed += bad;
  }
  process.exitCode = failed > 0 ? 1 : 0;
} finally {
  rmSync(work, { recursive: true, force: true });
}

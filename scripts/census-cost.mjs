// Cost of the line census that cannot fail (issue 8, item 5) against the census it replaced,
// and of the gzip integrity pass (item 6) against DuckDB reading the same .gz, on one log file
// of about 100 MB built from a simulated node log. Medians of alternating repeats, in-process.
// `node scripts/census-cost.mjs [MB] [repeats]`; prints a Markdown table for docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { createGzip, gunzipSync } from 'node:zlib';
import { DuckDBInstance, listValue } from '@duckdb/node-api';

const [mb = 100, repeats = 5] = process.argv.slice(2).map(Number);
const ROOT = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'bench-report-census-'));
const OLD = `SELECT filename AS path, count(*) FILTER (WHERE starts_with(line, '{')) AS log_lines,
  count(*) FILTER (WHERE NOT starts_with(line, '{')) AS other_lines
FROM read_csv($files, columns = {'line': 'VARCHAR'}, delim = '\\x01', quote = '', escape = '',
  header = false, auto_detect = false, filename = true, max_line_size = 16777216, ignore_errors = true)
GROUP BY filename`;
const NEW = readFileSync(join(ROOT, 'queries', '10_log_lines.sql'), 'utf8');
const REJECTS = readFileSync(join(ROOT, 'queries', '10_log_rejects.sql'), 'utf8');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  // One simulated node log, repeated to the size asked for.
  const sim = spawnSync(process.execPath, [join(ROOT, 'bin', 'bench-report.js'), 'simulate', '--out', join(work, 'sim'), '--nodes', '2', '--slots', '1200'], { encoding: 'utf8' });
  if (sim.status !== 0) throw new Error(sim.stderr);
  const dir = join(sim.stdout.trim(), 'node-0');
  const name = readdirSync(dir).find((f) => f.startsWith('stdout'));
  let chunk = readFileSync(join(dir, name));
  if (name.endsWith('.gz')) chunk = gunzipSync(chunk);
  const log = join(work, 'stdout');
  const out = createWriteStream(log);
  for (let size = 0; size < mb * 1024 * 1024; size += chunk.length) out.write(chunk);
  await new Promise((r) => out.end(r));
  await pipeline(createReadStream(log), createGzip(), createWriteStream(`${log}.gz`));
  const bytes = statSync(log).size;

  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  const time = async (fn) => {
    const t0 = performance.now();
    await fn();
    return (performance.now() - t0) / 1000;
  };
  const census = (sql, file) => async () => {
    await conn.runAndReadAll(sql, { files: listValue([file]) });
    if (sql === NEW) await conn.runAndReadAll(REJECTS);
  };
  const gzipCheck = async () => {
    const { gzipProblem } = await import(join(ROOT, 'dist', 'pipeline', 'gzip.js'));
    if ((await gzipProblem(`${log}.gz`)) !== null) throw new Error('gzip check failed');
  };
  const t = { old: [], new: [], oldGz: [], newGz: [], zlib: [] };
  for (let i = 0; i < repeats; i++) {
    t.old.push(await time(census(OLD, log)));
    t.new.push(await time(census(NEW, log)));
    t.oldGz.push(await time(census(OLD, `${log}.gz`)));
    t.newGz.push(await time(census(NEW, `${log}.gz`)));
    t.zlib.push(await time(gzipCheck));
  }
  conn.closeSync();
  inst.closeSync();
  const row = (label, xs) => `| ${label} | ${median(xs).toFixed(3)} s | ${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)} s |`;
  console.log(`${(bytes / 1024 / 1024).toFixed(0)} MiB plain, ${(statSync(`${log}.gz`).size / 1024 / 1024).toFixed(0)} MiB gzipped; medians of ${repeats}\n`);
  console.log('| pass | median | min–max |\n|---|---|---|');
  console.log(row('census before (strict read_csv, ignore_errors), plain', t.old));
  console.log(row('census now (strict_mode=false, store_rejects + rejects query), plain', t.new));
  console.log(row('census before, .gz', t.oldGz));
  console.log(row('census now, .gz', t.newGz));
  console.log(row('gzip integrity pass in Node (zlib, output discarded), .gz', t.zlib));
} finally {
  rmSync(work, { recursive: true, force: true });
}

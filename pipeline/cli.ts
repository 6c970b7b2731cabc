// Command line: wires commander to the stage functions and maps errors to exit codes
// (0 ok, 2 usage or input error, 1 internal failure, 3 a gate failed). Nothing else.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { resolve } from 'node:path';
// Only what builds the program and what `ingest` uses is loaded up front: the other commands
// import their stages when they run (render and history load puppeteer, vega, handlebars:
// about 0.7 CPU-s a process that `ingest` does not pay; issue 21).
import { defaultDb, ingestRuns, TOOL_VERSION, Warehouse } from './warehouse/index.js';
import { discoverRuns } from './discover/index.js';
import { CliError, diskProblem, DEFAULT_FORMATS, DEFAULT_HISTORY_FORMATS, FORMATS, HISTORY_FORMATS, SPLIT_FIELD_NAMES, stderrLogger } from './core/index.js';
import type { Format, GateResult, HistoryFormat, Warning } from './core/index.js';
import type { BlockFilter } from './metrics/index.js';
import type { ReportOptions, HistoryOptions } from './jobs/index.js';
import { SHAPE_NAMES } from './simulate/index.js';

const num = (what: string) => (v: string): number => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${what} must be a number, got "${v}".`);
  return n;
};
/** A number within [lo, hi], or strictly inside (lo, hi) when `open`: out of range is exit 2. */
const ranged = (what: string, lo: number, hi: number, open = false) => (v: string): number => {
  const n = num(what)(v);
  if (open ? !(n > lo && n < hi) : !(n >= lo && n <= hi)) {
    const range = hi === Infinity ? `at least ${lo}` : `between ${lo} and ${hi}${open ? ' (exclusive)' : ''}`;
    throw new InvalidArgumentError(`${what} must be ${range}, got ${v}.`);
  }
  return n;
};
const nonNegative = (what: string) => ranged(what, 0, Infinity);
/** A whole number from 1 to `max`: an absurd count (--permutations 1e12, --slots 1e15) is exit 2, not a hang or a crash. */
const whole = (what: string, max: number) => (v: string): number => {
  const n = num(what)(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`${what} must be a whole number from 1 to ${max}, got "${v}".`);
  return n;
};
/** Bounds of counts (docs/reliability.md): far beyond any real use, well below a hang. */
const MAX = { permutations: 100_000, nodes: 1000, slots: 1_000_000, runs: 1000, seed: Number.MAX_SAFE_INTEGER } as const;
const formats = (v: string): Format[] => {
  const out = v.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = out.filter((f) => !FORMATS.includes(f as Format));
  if (bad.length > 0 || out.length === 0) throw new InvalidArgumentError(`unknown format "${bad.join(',') || v}"; use any of ${FORMATS.join(',')}.`);
  return out as Format[];
};
const historyFormats = (v: string): HistoryFormat[] => {
  const out = v.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = out.filter((f) => !HISTORY_FORMATS.includes(f as HistoryFormat));
  if (bad.length > 0 || out.length === 0) throw new InvalidArgumentError(`unknown format "${bad.join(',') || v}"; use any of ${HISTORY_FORMATS.join(',')}.`);
  return out as HistoryFormat[];
};
const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** What commander parses for `report`: the report options, with filters still as flags. */
interface ReportFlags extends Omit<ReportOptions, 'formats' | 'filters' | 'generatedAt' | 'candidateSets' | 'candidateLabel'> {
  candidateLabel?: string[];
  format: Format[];
  filter?: string[];
  defaultFilters: boolean;
  epochFrom?: number;
  slotFrom?: number;
  slotTo?: number;
  fullnessMin?: number;
  strictGate?: boolean;
}

/** Exit code of a gate: fail → 3, undecided → 0 with a warning (3 with --strict-gate). */
async function gateExit(g: GateResult | null, strict: boolean): Promise<number> {
  if (g === null) return 0;
  const { gateMessage } = await import('./gate/index.js');
  if (g.status === 'pass') stderrLogger.info(gateMessage(g));
  else stderrLogger.warn(gateMessage(g));
  return g.status === 'fail' || (g.status === 'undecided' && strict) ? 3 : 0;
}

async function blockFilters(f: ReportFlags): Promise<BlockFilter[]> {
  const { DEFAULT_FILTERS, loadChainFilterFile, parseChainFilters } = await import('./metrics/index.js');
  if (f.slotFrom !== undefined && f.slotTo !== undefined && f.slotFrom > f.slotTo) {
    throw new CliError(`--slot-from ${f.slotFrom} is after --slot-to ${f.slotTo}; no block could pass, swap them.`);
  }
  const out = f.defaultFilters ? [...DEFAULT_FILTERS] : [];
  const inline = (tag: string, contents: number): BlockFilter[] =>
    parseChainFilters(JSON.stringify([{ tag: tag.startsWith('B') ? 'CBlock' : 'CSlot', contents: { tag, contents } }]), 'command line');
  if (f.epochFrom !== undefined) out.push(...inline('EpochGEq', f.epochFrom));
  if (f.slotFrom !== undefined) out.push(...inline('SlotGEq', f.slotFrom));
  if (f.slotTo !== undefined) out.push(...inline('SlotLEq', f.slotTo));
  if (f.fullnessMin !== undefined) out.push(...inline('BFullnessGEq', f.fullnessMin));
  for (const file of f.filter ?? []) out.push(...(await loadChainFilterFile(file)));
  return out;
}

/** `argv` is what main parses: the report command reads its -c occurrences from it. */
export function buildProgram(setExit: (code: number) => void, argv: readonly string[] = process.argv): Command {
  const program = new Command('bench-report')
    .description('Compare Cardano node cluster benchmark runs: DuckDB metrics, run-to-run statistics, HTML/PDF/JSON/Markdown reports.')
    .version(TOOL_VERSION)
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('report')
    .description('Compare a baseline set of runs with a candidate set and write the report.')
    .option('-b, --baseline <path...>', 'baseline run directories, or folders of them')
    .option('-c, --candidate <path...>', 'candidate run directories, or folders of them; repeat -c for each further candidate set (-c a b -c d: two sets)')
    .option('--baseline-where <k=v>', 'baseline = warehouse runs matching KEY=VALUE or KEY!=VALUE (repeatable; keys: tag, batch, profile, tracing, rts, commit, branch)', collect)
    .option('--candidate-where <k=v>', 'candidate = warehouse runs matching KEY=VALUE (repeatable), instead of paths', collect)
    .option('--split-by <field>', `split each candidate set into one set per value of: ${SPLIT_FIELD_NAMES.join(', ')}`)
    .option('-o, --out <dir>', 'output folder for report.{html,pdf,json,md}', 'report')
    .addOption(new Option('-f, --format <list>', 'comma-separated formats from html, pdf, json, md, junit (report.junit.xml), summary (report-summary.md)').argParser(formats).default([...DEFAULT_FORMATS], DEFAULT_FORMATS.join(',')))
    .option('-t, --title <text>', 'report title (default: "<candidate> against <baseline>")')
    .addOption(new Option('--db <file>', 'DuckDB warehouse file').default(defaultDb(), '$BENCH_REPORT_DB, else ./bench-report.duckdb'))
    .option('--baseline-label <label>', 'name of the baseline set (default: from what its runs share)')
    .option('--candidate-label <label>', 'name of the candidate set; repeat once per candidate set (default: from what its runs share)', collect)
    .option('--noise <pct>', 'noise threshold in % for every metric (default: the catalogue\'s per metric)', nonNegative('--noise'))
    .option('--noise-config <file>', 'JSON or YAML with noise_pct, alpha and per-metric thresholds')
    .option('--noise-from-history', 'per-metric thresholds from the spread of the warehouse runs of the baseline configuration (at least 5)')
    .option('--templates <dir>', 'a folder of partials/*.hbs, charts/*.vl.json or report.css that replace the built-in ones, and extra.css added after the stylesheet')
    .option('--notes <file>', 'the reviewer\'s notes (Markdown), rendered in the report; raw HTML is shown as text')
    .option('--md-brief', 'write report.md as a brief: only what changed, the decision, the runs needed')
    .option('--alpha <q>', 'false discovery rate for verdicts, between 0 and 1 (default 0.05)', ranged('--alpha', 0, 1, true))
    .option('--filter <file>', 'a locli chain-filter JSON file (repeatable)', collect)
    .option('--no-default-filters', "do not apply the default block filters (each run profile's analysis.filters, else unitary chain delta)")
    .option('--epoch-from <n>', 'only blocks from this epoch on', nonNegative('--epoch-from'))
    .option('--slot-from <n>', 'only blocks from this slot on', nonNegative('--slot-from'))
    .option('--slot-to <n>', 'only blocks up to this slot', nonNegative('--slot-to'))
    .option('--fullness-min <f>', 'only blocks fuller than this fraction (0–1) of the maximum body size (locli BFullnessGEq)', ranged('--fullness-min', 0, 1))
    .option('--strict', 'fail on a bad run instead of skipping it with a warning')
    .option('--fail-on-regression', 'exit with code 3 when a primary metric (CPU, RSS, heap, allocation, forge-to-adoption, adoption p50/p90) regressed beyond its noise threshold')
    .option('--max-margin <pct>', 'ceiling of the equivalence margin that "unchanged" needs, in % (default 10)', ranged('--max-margin', 0, 100, true))
    .option('--gate <file>', 'gates file (YAML or JSON): budgets, waivers, require_decided; exit 3 when it fails')
    .option('--strict-gate', 'an undecided gate exits with code 3 too')
    .action(async (f: ReportFlags, cmd: Command) => {
      // commander pools every -c value into one list; each occurrence is its own set.
      const { optionOccurrences } = await import('./analysis/index.js');
      const { runReport } = await import('./jobs/index.js');
      const sets = optionOccurrences(argv.slice(argv.indexOf(cmd.name()) + 1), '-c', '--candidate');
      const candidateSets = f.candidate !== undefined && sets.flat().length === f.candidate.length && sets.length > 1 ? sets : undefined;
      const outcome = await runReport({ ...f, candidateSets, formats: f.format, filters: await blockFilters(f) }, stderrLogger);
      for (const w of outcome.written) process.stdout.write(`${w}\n`);
      setExit(await gateExit(outcome.report.gate ?? null, f.strictGate ?? false));
    });

  program
    .command('history')
    .description('Trends across builds from the warehouse: change points per metric, the latest build judged against the builds since the last change point.')
    .argument('[path...]', 'run directories to ingest first (optional: history reads the warehouse)')
    .option('-o, --out <dir>', 'output folder for history.{html,pdf,json,md}', 'history')
    .addOption(new Option('-f, --format <list>', 'comma-separated formats from html, pdf, json, md, junit (history.junit.xml)').argParser(historyFormats).default([...DEFAULT_HISTORY_FORMATS], DEFAULT_HISTORY_FORMATS.join(',')))
    .addOption(new Option('--db <file>', 'DuckDB warehouse file (default: $BENCH_REPORT_DB, else ./bench-report.duckdb)'))
    .option('--where <k=v>', 'only runs matching KEY=VALUE or KEY!=VALUE (repeatable; keys: tag, batch, profile, tracing, rts, commit, branch)', collect)
    .option('--since <date>', 'only runs whose genesis systemStart is at or after this date')
    .option('--noise <pct>', 'noise threshold in % for every metric (default: the catalogue\'s per metric)', nonNegative('--noise'))
    .option('--noise-config <file>', 'JSON or YAML with noise_pct, alpha and per-metric thresholds')
    .option('--alpha <q>', 'false discovery rate for the latest-build verdicts, between 0 and 1 (default 0.05)', ranged('--alpha', 0, 1, true))
    .option('--significance <p>', 'significance level of the change-point test per family of metrics, between 0 and 1 (default 0.05)', ranged('--significance', 0, 1, true))
    .option('--permutations <n>', `permutations per change-point test, 1 to ${MAX.permutations} (default 1999)`, whole('--permutations', MAX.permutations))
    .option('--seed <x>', 'seed of the permutation test (default 1)', whole('--seed', MAX.seed))
    .option('--fail-on-change', 'exit with code 3 when the latest build of a series regressed in a primary metric')
    .option('--fail-on-regression', 'gate the latest builds: exit 3 when a primary metric regressed beyond its noise threshold (as report does)')
    .option('--max-margin <pct>', 'ceiling of the equivalence margin that "unchanged" needs, in % (default 10)', ranged('--max-margin', 0, 100, true))
    .option('--gate <file>', 'gates file (YAML or JSON) applied to the latest builds; exit 3 when it fails')
    .option('--strict-gate', 'an undecided gate exits with code 3 too')
    .action(async (paths: string[], f: Omit<HistoryOptions, 'paths' | 'formats'> & { format: HistoryFormat[]; failOnChange?: boolean; strictGate?: boolean }) => {
      const { latestRegressions, runHistory } = await import('./jobs/index.js');
      const { history, written } = await runHistory({ ...f, paths, formats: f.format }, stderrLogger);
      for (const w of written) process.stdout.write(`${w}\n`);
      let code = await gateExit(history.gate, f.strictGate ?? false);
      const regressed = latestRegressions(history);
      if (f.failOnChange && regressed.length > 0) {
        stderrLogger.warn(`history: the latest build regressed in ${regressed.join(', ')}.`);
        code = 3;
      }
      setExit(code);
    });

  program
    .command('ingest')
    .description('Load runs into the warehouse (skips runs whose files are unchanged).')
    .argument('<path...>', 'run directories, or folders of them')
    .addOption(new Option('--db <file>', 'DuckDB warehouse file').default(defaultDb(), '$BENCH_REPORT_DB, else ./bench-report.duckdb'))
    .option('--strict', 'fail on a bad run instead of skipping it with a warning')
    .action(async (paths: string[], f: { db: string; strict?: boolean }) => {
      const onSkip = (w: Warning) => stderrLogger.warn(`${w.run}: ${w.message}`);
      const runs = await discoverRuns(paths, f.strict ? {} : { onSkip });
      const db = await Warehouse.open(resolve(f.db), { onWarn: (m) => stderrLogger.warn(m) });
      try {
        for (const r of await ingestRuns(db, runs, stderrLogger)) {
          for (const w of r.warnings) stderrLogger.warn(`${w.run}: ${w.message}`);
        }
        const c = await db.closeCompacting();
        if (c) stderrLogger.info(`ingest: compacted ${f.db} from ${c.beforeMb.toFixed(1)} to ${c.afterMb.toFixed(1)} MiB (free blocks left by appends).`);
      } finally {
        db.close();
      }
    });

  program
    .command('extract')
    .description('Write each run as a Parquet extract folder, to be used wherever a run directory is (fan-out over machines).')
    .argument('<path...>', 'run directories, or folders of them; or part extracts (or a folder of them) to merge into whole runs')
    .requiredOption('-o, --out <dir>', 'folder that receives one extract folder per run (<out>/<tag>/)')
    .option('--db <file>', 'ingest into this DuckDB warehouse and keep it (default: a private temporary one)')
    .option('--part <K/N>', "extract only part K of N of each run's nodes (contiguous, in node order) as <out>/<tag>.part-K-of-N/: one task per node log of a huge run; merge the N parts with `extract <parts> --out DIR`")
    .action(async (paths: string[], f: { out: string; db?: string; part?: string }) => {
      const { parsePart, runExtract } = await import('./jobs/index.js');
      const part = f.part === undefined ? undefined : parsePart(f.part);
      for (const d of await runExtract({ runs: paths, out: f.out, db: f.db, part }, stderrLogger)) process.stdout.write(`${d}\n`);
    });

  program
    .command('runs')
    .description('List the runs in the warehouse: build, date, commit, branch, configuration.')
    .addOption(new Option('--db <file>', 'DuckDB warehouse file').default(defaultDb(), '$BENCH_REPORT_DB, else ./bench-report.duckdb'))
    .option('--where <k=v>', 'only runs matching KEY=VALUE or KEY!=VALUE (repeatable; keys: tag, batch, profile, tracing, rts, commit, branch)', collect)
    .option('--since <date>', 'only runs whose genesis systemStart is at or after this date')
    .option('--json', 'print JSON')
    .option('--tsv', 'print tab-separated values (what is printed when the output is not a terminal)')
    .option('--table', 'print an aligned table (what is printed on a terminal)')
    .action(async (f: { db: string; json?: boolean; tsv?: boolean; table?: boolean; where?: string[]; since?: string }) => {
      if ([f.json, f.tsv, f.table].filter(Boolean).length > 1) throw new CliError('runs takes one of --json, --tsv and --table.', 2);
      const { listWarehouseRuns, parseSince, parseWhere, selectRuns } = await import('./history/index.js');
      const { alignedTable } = await import('./render/index.js');
      const filters = parseWhere(f.where ?? [], '--where');
      const since = f.since === undefined ? undefined : parseSince(f.since);
      const db = await Warehouse.open(resolve(f.db), { onWarn: (m) => stderrLogger.warn(m), readOnly: true });
      try {
        const rows = selectRuns(await listWarehouseRuns(db), filters, since).map(({ info: _info, run_id: _id, fingerprint: _fp, ...r }) => r);
        if (f.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        else {
          const cols = ['tag', 'batch', 'start', 'profile', 'tracing_backend', 'rts_flags', 'commit', 'branch', 'nodes', 'log_lines', 'malformed_lines', 'ingested_at', 'path'] as const;
          const cells = rows.map((r) => cols.map((c) => (Array.isArray(r[c]) ? (r[c] as string[]).join(' ') : String(r[c] ?? '—'))));
          // On a terminal the commit is shortened to 12 characters, as git's short form.
          const at = cols.indexOf('commit');
          if (f.table || (!f.tsv && process.stdout.isTTY === true)) process.stdout.write(alignedTable(cols, cells.map((c) => c.map((x, i) => (i === at ? x.slice(0, 12) : x)))));
          else process.stdout.write([cols, ...cells].map((c) => `${c.join('\t')}\n`).join(''));
        }
      } finally {
        db.close();
      }
    });

  program
    .command('simulate')
    .description('Write seeded, simulated cluster runs in the workbench layout.')
    .requiredOption('-o, --out <dir>', 'parent folder for the run directories')
    .addOption(new Option('--tracing <backend>', 'log format and tracing backend').choices(['new', 'legacy']).default('new'))
    .option('--rts <flags>', 'RTS flags appended to the defaults, e.g. "-A64m -N4"', '')
    .option('--nodes <n>', `nodes in the cluster, 1 to ${MAX.nodes}`, whole('--nodes', MAX.nodes), 6)
    .option('--slots <n>', `slots (seconds) per run, 1 to ${MAX.slots}`, whole('--slots', MAX.slots), 300)
    .option('--runs <k>', `runs to write (seeds seed … seed+k−1), 1 to ${MAX.runs}`, whole('--runs', MAX.runs), 1)
    .option('--seed <x>', 'first seed', whole('--seed', MAX.seed), 1)
    .option('--gzip', 'gzip the node logs')
    .option('--shape <list>', `older log shapes, comma-separated: ${Object.keys(SHAPE_NAMES).join(', ')}`, '')
    .option('--keep-logs <list>', 'write only these nodes\' logs, e.g. "0" or "0,3"')
    .option('--tag-prefix <p>', 'run tags <p>-s<seed>; also the build (meta.batch) the runs belong to')
    .option('--plant <list>', 'planted effects as multipliers of mut, gc, alloc, minor, major, rss, e.g. "rss=1.1" (RSS +10%)')
    .action(async (f: { out: string; tracing: 'new' | 'legacy'; rts: string; nodes: number; slots: number; runs: number; seed: number; gzip?: boolean; shape: string; keepLogs?: string; tagPrefix?: string; plant?: string }) => {
      const { parseShape, simulate } = await import('./simulate/index.js');
      const { shape, keepLogs, plant, ...rest } = f;
      if (f.tagPrefix !== undefined) tagPrefix(f.tagPrefix);
      const dirs = await simulate({
        ...rest,
        ...(plant !== undefined ? { plant: parsePlant(plant) } : {}),
        gzip: f.gzip ?? false,
        shape: parseShape(shape),
        ...(keepLogs !== undefined ? { keepLogs: nodeList(keepLogs) } : {}),
        onProgress: (m) => stderrLogger.info(m),
      });
      for (const d of dirs) process.stdout.write(`${d}\n`);
    });

  program
    .command('samples')
    .description('Regenerate the committed sample runs (samples/).')
    .option('-o, --out <dir>', 'output folder', 'samples')
    .action(async (f: { out: string }) => {
      const { makeSamples } = await import('./simulate/index.js');
      for (const d of await makeSamples(f.out)) process.stdout.write(`${d}\n`);
    });

  program
    .command('demo')
    .description('Build the sample comparisons from samples/ into reports/ (all four formats).')
    .option('-o, --out <dir>', 'output folder', 'reports')
    .action(async (f: { out: string }) => {
      const { runDemo } = await import('./jobs/index.js');
      await runDemo(f.out, stderrLogger);
    });

  return program;
}

/** A --tag-prefix names folders inside --out: no `/`, no `..`, no leading dot, bounded. */
function tagPrefix(p: string): void {
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/.test(p)) {
    throw new CliError(`simulate: --tag-prefix ${JSON.stringify(p.length > 120 ? `${p.slice(0, 120)}…` : p)} must be letters, digits, ".", "_" or "-" (at most 100, not starting with "."), as it names the run folders inside --out.`);
  }
}

/** `--keep-logs 0,3` → [0, 3]. */
function nodeList(list: string): number[] {
  const parts = list.split(',').map((x) => x.trim());
  if (parts.some((x) => !/^\d+$/.test(x))) throw new CliError(`simulate: --keep-logs takes node numbers such as 0 or 0,3, got "${list}".`);
  return parts.map(Number);
}

/** Runs the CLI and returns the exit code (bin/bench-report.js sets process.exitCode). */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => (code = c), argv);
  program.exitOverride();
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return 2; // commander already printed the message
    }
    if (err instanceof CliError) {
      process.stderr.write(`bench-report: ${err.message}\n`);
      return err.exitCode;
    }
    const disk = diskProblem(err);
    if (disk !== null) {
      process.stderr.write(`bench-report: ${disk}\n`);
      return 1;
    }
    process.stderr.write(`bench-report: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return 1;
  }
}

/** `--plant rss=1.1,alloc=0.9`: knob multipliers, each a known knob and a positive number. */
function parsePlant(text: string): Partial<Record<'mut' | 'gc' | 'alloc' | 'minor' | 'major' | 'rss', number>> {
  const knobs = ['mut', 'gc', 'alloc', 'minor', 'major', 'rss'] as const;
  const out: Partial<Record<(typeof knobs)[number], number>> = {};
  for (const part of text.split(',').filter((p) => p.trim() !== '')) {
    const [k, v] = part.split('=').map((x) => x.trim());
    const knob = knobs.find((x) => x === k);
    const f = Number(v);
    if (knob === undefined || v === undefined || v === '' || !Number.isFinite(f) || f <= 0 || f > 100) {
      throw new CliError(`--plant ${text}: expected KNOB=FACTOR pairs (knobs ${knobs.join(', ')}; factor a positive number such as 1.1), got "${part}".`);
    }
    out[knob] = f;
  }
  return out;
}

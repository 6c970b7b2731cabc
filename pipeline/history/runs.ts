// The warehouse as the history store (DESIGN §5.3): every ingested run with its build
// (meta.batch), date (genesis systemStart), commit and branch (meta.manifest) and configuration,
// and the `--where KEY=VALUE` / `--since DATE` selection that `runs`, `report --baseline-where`
// and `history` share. Selecting is over run metadata only; no log is read.
import { CliError } from '../core/index.js';
import type { Warehouse } from '../warehouse/index.js';
import type { RunInfo } from '../core/index.js';

export interface WarehouseRun {
  run_id: number;
  tag: string;
  path: string;
  fingerprint: string;
  batch: string | null;
  /** Genesis systemStart, RFC 3339. */
  start: string;
  commit: string | null;
  branch: string | null;
  profile: string | null;
  tracing_backend: string | null;
  rts_flags: string[];
  nodes: number;
  log_lines: number;
  malformed_lines: number;
  ingested_at: string;
  /** The RunInfo discover made when the run was ingested. */
  info: RunInfo;
}

export async function listWarehouseRuns(db: Warehouse): Promise<WarehouseRun[]> {
  const rows = await db.queryFile<Omit<WarehouseRun, 'info'> & { info: string }>('70_runs_history.sql');
  return rows.map((r) => ({ ...r, info: JSON.parse(r.info) as RunInfo }));
}

/** One `KEY=VALUE` (or `KEY!=VALUE`) condition of `--where`. */
export interface RunFilter {
  key: WhereKey;
  value: string;
  negate: boolean;
}

export const WHERE_KEYS = ['tag', 'batch', 'profile', 'tracing', 'rts', 'commit', 'branch'] as const;
export type WhereKey = (typeof WHERE_KEYS)[number];

/** Short names for the tracing backends, as `simulate --tracing` spells them. */
const TRACING_ALIASES: Record<string, string> = { new: 'trace-dispatcher', legacy: 'iohk-monitoring' };

/** Parses `--where` values; `option` names the flag in errors (exit 2). */
export function parseWhere(items: readonly string[], option: string): RunFilter[] {
  return items.map((item) => {
    const eq = item.indexOf('=');
    const negate = eq > 0 && item[eq - 1] === '!';
    const key = item.slice(0, Math.max(0, negate ? eq - 1 : eq)).trim();
    if (eq < 1 || !(WHERE_KEYS as readonly string[]).includes(key)) {
      throw new CliError(`${option} "${item}" must be KEY=VALUE or KEY!=VALUE with KEY one of ${WHERE_KEYS.join(', ')}.`);
    }
    return { key: key as WhereKey, value: item.slice(eq + 1).trim(), negate };
  });
}

/** Parses `--since`: a date or an instant; the error names the option. */
export function parseSince(v: string, option = '--since'): string {
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new CliError(`${option} "${v}" is not a date; use e.g. 2026-01-31 or 2026-01-31T12:00:00Z.`);
  return new Date(t).toISOString();
}

function matches(r: WarehouseRun, f: RunFilter): boolean {
  switch (f.key) {
    case 'tracing':
      return r.tracing_backend === (TRACING_ALIASES[f.value] ?? f.value);
    case 'rts': {
      // Every flag given must be among the run's effective flags ("-A64m" matches "-N2 … -A64m").
      const want = f.value.split(/\s+/).filter(Boolean);
      return want.every((x) => r.rts_flags.includes(x));
    }
    default:
      return r[f.key] === f.value;
  }
}

/** The runs every filter matches, started at or after `since`; order kept (date, then tag). */
export function selectRuns(runs: readonly WarehouseRun[], filters: readonly RunFilter[], since?: string): WarehouseRun[] {
  const from = since === undefined ? -Infinity : Date.parse(since);
  return runs.filter((r) => Date.parse(r.start) >= from && filters.every((f) => matches(r, f) !== f.negate));
}

/**
 * A report's set taken from the warehouse instead of paths (`--baseline-where`): the stored
 * RunInfo of every matching run, so the run folders need not exist any more.
 */
export async function runsFromWarehouse(db: Warehouse, where: readonly string[], option: string): Promise<RunInfo[]> {
  const filters = parseWhere(where, option);
  const picked = selectRuns(await listWarehouseRuns(db), filters);
  if (picked.length === 0) {
    throw new CliError(`${option} ${where.join(' ')}: no run in the warehouse ${db.path} matches; list them with \`bench-report runs --db ${db.path}\`.`);
  }
  return picked.map((r) => r.info);
}

// Candidate sets of a multi-way report (DESIGN §5.2): each `--candidate` occurrence is one set;
// `--split-by FIELD` splits a set into one set per value of a configuration field; a set whose
// runs differ in configuration gets a `mixed-configuration` warning (pooling them silently
// would report one verdict for several settings); labels are made unique for legends.
import { CliError } from '../core/index.js';
import type { RunInfo, Warning } from '../core/index.js';

/** Split-by fields: the name users type → how to read it from a run. */
export const SPLIT_FIELDS: Record<string, (r: RunInfo) => string | null> = {
  tracing: (r) => r.tracingBackend,
  rts: (r) => r.rtsOverride.join(' '),
  profile: (r) => r.profile,
  node_version: (r) => r.nodeVersion,
  node_commit: (r) => r.nodeCommit,
  ghc_version: (r) => r.ghcVersion,
  era: (r) => r.era,
  batch: (r) => r.batch,
};

/** What makes two runs a different configuration (DESIGN §5.2). */
const CONFIG_FIELDS: { name: string; read: (r: RunInfo) => string | null }[] = [
  { name: 'tracing backend', read: (r) => r.tracingBackend },
  { name: 'RTS flags', read: (r) => r.rtsFlags.join(' ') },
  { name: 'profile', read: (r) => r.profile },
  { name: 'node version', read: (r) => r.nodeVersion },
];

/** Splits every set by the field's value (sets keep their order; values in first-seen order). */
export function splitSets(sets: RunInfo[][], field: string | undefined): RunInfo[][] {
  if (field === undefined) return sets;
  const read = SPLIT_FIELDS[field];
  if (!read) {
    throw new CliError(`--split-by ${field}: unknown field; use one of ${Object.keys(SPLIT_FIELDS).join(', ')}.`);
  }
  return sets.flatMap((runs) => {
    const groups = new Map<string, RunInfo[]>();
    for (const r of runs) {
      const key = read(r) ?? '';
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    return [...groups.values()];
  });
}

/** One warning per set whose runs differ in a configuration field, naming the fields. */
export function mixedConfigurationWarnings(sets: { name: string; runs: RunInfo[] }[]): Warning[] {
  const out: Warning[] = [];
  for (const s of sets) {
    const mixed = CONFIG_FIELDS.filter((f) => new Set(s.runs.map((r) => f.read(r) ?? '')).size > 1);
    if (mixed.length === 0) continue;
    const detail = mixed
      .map((f) => `${f.name} (${[...new Set(s.runs.map((r) => f.read(r) || '—'))].join(' / ')})`)
      .join(', ');
    out.push({
      run: null,
      code: 'mixed-configuration',
      message:
        `The ${s.name} set mixes configurations in ${detail}; its statistics pool different settings — ` +
        `give each configuration its own --candidate, or use --split-by.`,
    });
  }
  return out;
}

/** Labels made unique by a numeric suffix, so each set keeps its own column and colour. */
export function uniqueLabels(labels: string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return n === 1 ? l : `${l} (${n})`;
  });
}

/** A run named in two sets is an input error: it would be compared with itself. */
export function assertDisjoint(sets: { name: string; runs: RunInfo[] }[]): void {
  const owner = new Map<string, string>();
  for (const s of sets) {
    for (const r of s.runs) {
      const other = owner.get(r.path);
      if (other !== undefined && other !== s.name) {
        throw new CliError(`${r.path}: the same run is in both the ${other} and the ${s.name} set.`);
      }
      owner.set(r.path, s.name);
    }
  }
}

/**
 * The groups of a repeatable variadic option in raw arguments: `-c a b -c d` → [[a, b], [d]].
 * commander collects every value of a variadic option into one list; this recovers where each
 * occurrence begins (`-c x`, `--candidate x`, `--candidate=x`, `-cx`), and a value list ends at
 * the next option, as commander's own parser does.
 */
export function optionOccurrences(args: readonly string[], short: string, long: string): string[][] {
  const groups: string[][] = [];
  let current: string[] | null = null;
  for (const a of args) {
    if (a === '--') break;
    if (a === short || a === long) {
      current = [];
      groups.push(current);
    } else if (a.startsWith(`${long}=`)) {
      current = [a.slice(long.length + 1)];
      groups.push(current);
    } else if (a.startsWith(short) && !a.startsWith('--') && a.length > short.length) {
      current = [a.slice(short.length)];
      groups.push(current);
    } else if (a.startsWith('-') && a.length > 1) {
      current = null;
    } else if (current !== null) {
      current.push(a);
    }
  }
  return groups;
}

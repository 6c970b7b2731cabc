// Block filters, following locli's chain filters (shared/reference/cardano-node/chain-filters):
// a filter file is a JSON list of {tag: "CBlock"|"CSlot", contents: {tag, contents}}, and a
// block must pass every filter (a conjunction, as in locli). The default is unitary chain
// delta plus at least one adoption. Filters run in order over each run's chain blocks, and
// each one's count of removed blocks is reported. Predicates keep locli's exact comparisons
// (fullness is strict against floor(maxBlockBodySize · f); an epoch's safe intervals are
// k/f slots long, 10 per epoch in the standard Praos setup).
import { basename } from 'node:path';
import { CliError, readOptionFile } from '../core/index.js';

/** What a filter can look at: one chain block (a row of queries/40_fct_chain.sql) and its run. */
export interface ChainBlock {
  run_id: number;
  block: string;
  slot: number;
  epoch: number;
  epoch_slot: number;
  size: number | null;
  /** maxBlockBodySize from genesis, when known. */
  max_size: number | null;
  adoptions: number;
  unitary: boolean;
  nonnegative: boolean;
  /** Index of the block's safe interval (k/f slots) within its epoch, when genesis gives k and f. */
  safe_int: number | null;
}

export interface BlockFilter {
  name: string;
  description: string;
  keep(b: ChainBlock): boolean;
  /** A slot condition (locli's CSlot) as a bound, so SQL can trim slots and resource samples too. */
  slots?: SlotBound;
  /** Set on the placeholder for the default filters: each run's profile filters, else unitary. */
  profileDefault?: true;
  /** Set on the filters the placeholder stood for (what --no-default-filters drops). */
  byDefault?: true;
}

/** One bound on a slot: on the slot itself, its epoch, its slot within the epoch, or its epoch's safe interval. */
export interface SlotBound {
  field: 'slot' | 'epoch' | 'epoch_slot' | 'safe_int';
  min?: number;
  max?: number;
}

/** The conjunction of the filters' slot bounds, per field (null: unbounded), for queries/20_sel_runs.sql. */
export function slotBounds(filters: BlockFilter[]): Record<`${SlotBound['field']}_${'min' | 'max'}`, number | null> {
  const out = {
    slot_min: null, slot_max: null, epoch_min: null, epoch_max: null,
    epoch_slot_min: null, epoch_slot_max: null, safe_int_min: null, safe_int_max: null,
  } as Record<`${SlotBound['field']}_${'min' | 'max'}`, number | null>;
  for (const f of filters) {
    const b = f.slots;
    if (!b) continue;
    if (b.min !== undefined) out[`${b.field}_min`] = Math.max(out[`${b.field}_min`] ?? -Infinity, b.min);
    if (b.max !== undefined) out[`${b.field}_max`] = Math.min(out[`${b.field}_max`] ?? Infinity, b.max);
  }
  return out;
}

/** Unitary chain delta alone: the default when a run's profile names no filters. */
export const UNITARY_FILTER: BlockFilter = {
  name: 'unitary',
  description: 'every adoption of the block extended the chain by exactly one block',
  keep: (b) => b.unitary,
};

/**
 * The default block filters: a placeholder that stands, per run, for the filters its profile
 * names (profile_content.analysis.filters), else for unitary chain delta alone.
 */
export const PROFILE_FILTERS: BlockFilter = {
  name: 'profile',
  description: "the run profile's analysis.filters, else unitary chain delta",
  keep: () => true,
  profileDefault: true,
};

export const DEFAULT_FILTERS: BlockFilter[] = [PROFILE_FILTERS];

/**
 * locli's named chain filters (nix/workbench/analyse/chain-filters/<name>.json, copied in
 * test/fixtures/reference/chain-filters), as a profile's analysis.filters names them.
 */
const NAMED: Record<string, [string, string | number | boolean][]> = {
  'adopt-10': [['BMinimumAdoptions', 10]],
  'epoch3+': [['EpochGEq', 2]],
  'epoch4+': [['EpochGEq', 3]],
  'epoch5+': [['EpochGEq', 4]],
  'fromslot-20k': [['SlotGEq', 20000]],
  model: [['SlotLEq', 56000], ['BMinimumAdoptions', 50], ['BUnitaryChainDelta', true]],
  'no-ebnd': [['EpSlotGEq', 200]],
  'no-rewards': [['EpochSafeIntLEq', 3], ['EpochSafeIntGEq', 8]],
  nonnegative: [['BNonNegatives', true]],
  rewards: [['EpochSafeIntGEq', 4], ['EpochSafeIntLEq', 7]],
  'size-full': [['BFullnessGEq', 0.9]],
  'size-moderate-2': [['BFullnessGEq', 0.076], ['BFullnessLEq', 0.105]],
  'size-moderate': [['BFullnessGEq', 0.08], ['BFullnessLEq', 0.112]],
  'size-small': [['BFullnessGEq', 0.03], ['BFullnessLEq', 0.1]],
  unitary: [['BUnitaryChainDelta', true]],
};

export const NAMED_FILTERS: readonly string[] = Object.keys(NAMED).sort();

/** The filters of one of locli's named chain filters, or null for a name it does not have. */
export function namedFilter(name: string): BlockFilter[] | null {
  const preds = Object.hasOwn(NAMED, name) ? NAMED[name] : undefined;
  if (!preds) return null;
  const json = preds.map(([tag, contents]) => ({ tag: tag.startsWith('B') ? 'CBlock' : 'CSlot', contents: { tag, contents } }));
  return parseChainFilters(JSON.stringify(json), `${name}.json`);
}

/** What the default filters stand for in one run: its profile's named filters, else unitary. */
export interface RunFilters {
  filters: BlockFilter[];
  /** Names in the profile that are no locli chain filter known here (left out, with a warning). */
  unknown: string[];
}

/**
 * The filters that apply to one run: `filters` with the default placeholder replaced by the
 * run profile's `analysis.filters` (null or absent: unitary chain delta alone).
 */
export function runFilters(filters: readonly BlockFilter[], profile: readonly string[] | null | undefined): RunFilters {
  const out: BlockFilter[] = [];
  const unknown: string[] = [];
  for (const f of filters) {
    if (!f.profileDefault) {
      out.push(f);
      continue;
    }
    if (!profile) {
      out.push({ ...UNITARY_FILTER, byDefault: true });
      continue;
    }
    for (const name of profile) {
      const named = namedFilter(name);
      if (named === null) unknown.push(name);
      // "size-full: fullness≥0.9": the profile's name, then the predicate's, unless they agree.
      else out.push(...named.map((x) => ({ ...x, name: named.length === 1 && name === x.name ? name : `${name}: ${x.name}`, byDefault: true as const })));
    }
  }
  return { filters: out, unknown };
}

type Pred = { tag: string; contents: unknown };

function predicate(p: Pred, source: string): BlockFilter {
  const v = p.contents;
  const n = typeof v === 'number' ? v : NaN;
  const need = (ok: boolean): void => {
    if (!ok) throw new CliError(`${source}: filter ${p.tag} needs a ${typeof v === 'boolean' ? 'number' : 'value'} argument, got ${JSON.stringify(v)}.`);
  };
  const num = (): number => (need(Number.isFinite(n)), n);
  const bound = (b: ChainBlock, f: number): number | null => (b.max_size ? Math.floor(b.max_size * f) : null);
  switch (p.tag) {
    case 'BUnitaryChainDelta':
      return { name: 'unitary', description: 'unitary chain delta', keep: (b) => (v === false ? true : b.unitary) };
    case 'BMinimumAdoptions': {
      const k = num();
      return { name: `adoptions≥${k}`, description: `adopted by at least ${k} nodes besides its forger`, keep: (b) => b.adoptions >= k };
    }
    case 'BNonNegatives':
      return { name: 'nonnegative', description: 'no adoption before its slot start', keep: (b) => (v === false ? true : b.nonnegative) };
    case 'BFullnessGEq': {
      const f = num();
      return { name: `fullness≥${f}`, description: `block body over ${f * 100}% of the maximum size`, keep: (b) => b.size !== null && b.size > (bound(b, f) ?? Infinity) };
    }
    case 'BFullnessLEq': {
      const f = num();
      return { name: `fullness≤${f}`, description: `block body under ${f * 100}% of the maximum size`, keep: (b) => b.size !== null && b.size < (bound(b, f) ?? -Infinity) };
    }
    case 'BSizeGEq': {
      const s = num();
      return { name: `size≥${s}`, description: `block size at least ${s} bytes`, keep: (b) => b.size !== null && b.size >= s };
    }
    case 'BSizeLEq': {
      const s = num();
      return { name: `size≤${s}`, description: `block size at most ${s} bytes`, keep: (b) => b.size !== null && b.size <= s };
    }
    case 'SlotGEq': {
      const s = num();
      return { name: `slot≥${s}`, description: `slot ${s} or later`, keep: (b) => b.slot >= s, slots: { field: 'slot', min: s } };
    }
    case 'SlotLEq': {
      const s = num();
      return { name: `slot≤${s}`, description: `slot ${s} or earlier`, keep: (b) => b.slot <= s, slots: { field: 'slot', max: s } };
    }
    case 'EpochGEq': {
      const e = num();
      return { name: `epoch≥${e}`, description: `epoch ${e} or later`, keep: (b) => b.epoch >= e, slots: { field: 'epoch', min: e } };
    }
    case 'EpochLEq': {
      const e = num();
      return { name: `epoch≤${e}`, description: `epoch ${e} or earlier`, keep: (b) => b.epoch <= e, slots: { field: 'epoch', max: e } };
    }
    case 'EpSlotGEq': {
      const s = num();
      return { name: `epoch-slot≥${s}`, description: `slot within its epoch ${s} or later`, keep: (b) => b.epoch_slot >= s, slots: { field: 'epoch_slot', min: s } };
    }
    case 'EpSlotLEq': {
      const s = num();
      return { name: `epoch-slot≤${s}`, description: `slot within its epoch ${s} or earlier`, keep: (b) => b.epoch_slot <= s, slots: { field: 'epoch_slot', max: s } };
    }
    case 'EpochSafeIntGEq': {
      const i = num();
      return { name: `safe-interval≥${i}`, description: `safe interval (k/f slots) of the epoch ${i} or later`, keep: (b) => (b.safe_int ?? -1) >= i, slots: { field: 'safe_int', min: i } };
    }
    case 'EpochSafeIntLEq': {
      const i = num();
      return { name: `safe-interval≤${i}`, description: `safe interval (k/f slots) of the epoch ${i} or earlier`, keep: (b) => (b.safe_int ?? Infinity) <= i, slots: { field: 'safe_int', max: i } };
    }
    default:
      throw new CliError(`${source}: unknown chain filter ${JSON.stringify(p.tag)}; known: BUnitaryChainDelta, BMinimumAdoptions, BNonNegatives, BFullnessGEq/LEq, BSizeGEq/LEq, SlotGEq/LEq, EpochGEq/LEq, EpSlotGEq/LEq, EpochSafeIntGEq/LEq.`);
  }
}

const FLAG_PREDICATES = new Set(['BUnitaryChainDelta', 'BNonNegatives']);

/**
 * Checks one filter's shape before it becomes a predicate, so a file that would filter by
 * nonsense (fullness 5, slot −1, "maybe", a block predicate under CSlot, a misspelt key) is
 * refused instead of quietly keeping or dropping every block.
 */
function checkFilter(o: Record<string, unknown>, inner: Record<string, unknown>, source: string): void {
  const tag = String(inner.tag);
  const fail = (what: string): never => {
    throw new CliError(`${source}: filter ${tag} ${what}.`);
  };
  for (const k of [...Object.keys(o), ...Object.keys(inner)]) {
    if (k !== 'tag' && k !== 'contents') fail(`has an unknown key "${k}" (a filter is {"tag", "contents"})`);
  }
  const wrapper = tag.startsWith('B') ? 'CBlock' : 'CSlot';
  if (o.tag !== wrapper) fail(`belongs under "${wrapper}", not "${String(o.tag)}"`);
  const v = inner.contents;
  if (FLAG_PREDICATES.has(tag)) {
    if (typeof v !== 'boolean') fail(`needs true or false, got ${JSON.stringify(v)}`);
  } else if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    fail(`needs a number ≥ 0, got ${JSON.stringify(v)}`);
  } else if (tag.startsWith('BFullness') && v > 1) {
    fail(`needs a fraction of the maximum block size from 0 to 1, got ${v}`);
  }
}

/** Parse the text of a locli chain-filter file; `source` names it in errors. */
export function parseChainFilters(text: string, source: string): BlockFilter[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${source}: chain filter file is not valid JSON (${(err as Error).message}).`);
  }
  if (!Array.isArray(json)) throw new CliError(`${source}: a chain filter file must be a JSON list of filters.`);
  return json.map((item: unknown) => {
    const o = item as { tag?: unknown; contents?: unknown } | null;
    const inner = o?.contents as Pred | undefined;
    if (!o || (o.tag !== 'CBlock' && o.tag !== 'CSlot') || !inner || typeof inner.tag !== 'string') {
      throw new CliError(`${source}: each filter must look like {"tag": "CBlock"|"CSlot", "contents": {"tag": …, "contents": …}}.`);
    }
    const f = predicate(inner, source);
    checkFilter(o as Record<string, unknown>, inner as unknown as Record<string, unknown>, source);
    return { ...f, description: `${f.description} (${basename(source)})` };
  });
}

export async function loadChainFilterFile(path: string): Promise<BlockFilter[]> {
  let text: string;
  try {
    text = await readOptionFile(path, '--filter', 'chain filter file', true);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`${path}: cannot read the chain filter file.`);
  }
  return parseChainFilters(text, path);
}

export interface FilterOutcome {
  kept: ChainBlock[];
  /** Blocks each filter removed, per run_id, in filter order. */
  removed: { filter: BlockFilter; byRun: Map<number, number> }[];
}

/**
 * Applies the filters to each run's blocks: the default placeholder stands for that run's
 * profile filters (`profiles`: run_id → analysis.filters; absent: unitary chain delta).
 * Removed counts are per filter, in order of first appearance across runs.
 */
export function applyFilters(
  blocks: ChainBlock[],
  filters: readonly BlockFilter[],
  profiles: ReadonlyMap<number, readonly string[] | null> = new Map(),
): FilterOutcome {
  const runs = [...new Set([...blocks.map((b) => b.run_id), ...profiles.keys()])];
  const kept: ChainBlock[] = [];
  const removed: FilterOutcome['removed'] = [];
  const slot = new Map<string, FilterOutcome['removed'][number]>();
  for (const run of runs) {
    let mine = blocks.filter((b) => b.run_id === run);
    for (const filter of runFilters(filters, profiles.get(run)).filters) {
      const key = `${filter.name}\u0000${filter.description}`;
      let r = slot.get(key);
      if (!r) {
        r = { filter, byRun: new Map() };
        slot.set(key, r);
        removed.push(r);
      }
      const before = mine.length;
      mine = mine.filter((b) => filter.keep(b));
      r.byRun.set(run, (r.byRun.get(run) ?? 0) + before - mine.length);
    }
    kept.push(...mine);
  }
  // Every run has a count under every filter (0 where it did not apply).
  for (const r of removed) for (const run of runs) if (!r.byRun.has(run)) r.byRun.set(run, 0);
  const survivors = new Set(kept);
  return { kept: blocks.filter((b) => survivors.has(b)), removed };
}

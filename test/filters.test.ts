// locli's chain-filter files (test/fixtures/reference/chain-filters) parse as they are and
// keep exactly the blocks their predicates describe; removed counts are per filter; slot
// conditions also become the slot bounds SQL trims every section with.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../pipeline/core/index.js';
import { applyFilters, DEFAULT_FILTERS, loadChainFilterFile, parseChainFilters, slotBounds, type ChainBlock } from '../pipeline/metrics/index.js';

// Copied from upstream into the repository (test/fixtures/reference/README.md says from where).
const REF = join(import.meta.dirname, 'fixtures', 'reference', 'chain-filters');

const block = (over: Partial<ChainBlock>): ChainBlock => ({
  run_id: 1,
  block: 'b',
  slot: 100,
  epoch: 1,
  epoch_slot: 0,
  size: 1000,
  max_size: 1000,
  adoptions: 5,
  unitary: true,
  nonnegative: true,
  safe_int: 0,
  ...over,
});

describe('locli chain-filter files', () => {
  const files = readdirSync(REF).filter((f) => f.endsWith('.json'));

  it('finds the reference files', () => expect(files.length).toBeGreaterThanOrEqual(15));

  for (const f of files) {
    it(`${f} parses`, async () => {
      const filters = await loadChainFilterFile(join(REF, f));
      expect(filters.length).toBeGreaterThan(0);
      for (const x of filters) expect(x.description).toContain(f);
    });
  }

  // Each case: a file, a block it must keep, a block it must drop.
  const cases: [file: string, keep: Partial<ChainBlock>, drop: Partial<ChainBlock>][] = [
    ['unitary.json', { unitary: true }, { unitary: false }],
    ['adopt-10.json', { adoptions: 10 }, { adoptions: 9 }],
    ['epoch3+.json', { epoch: 2 }, { epoch: 1 }],
    ['epoch5+.json', { epoch: 4 }, { epoch: 3 }],
    ['fromslot-20k.json', { slot: 20000 }, { slot: 19999 }],
    ['no-ebnd.json', { epoch_slot: 200 }, { epoch_slot: 199 }],
    ['nonnegative.json', { nonnegative: true }, { nonnegative: false }],
    // locli: size > floor(max · f) and size < floor(max · f), strictly; max here is 1000.
    ['size-full.json', { size: 901 }, { size: 900 }],
    ['size-small.json', { size: 99 }, { size: 100 }],
    ['size-moderate.json', { size: 81 }, { size: 80 }],
    ['model.json', { slot: 56000, adoptions: 50, unitary: true }, { slot: 56001, adoptions: 50, unitary: true }],
    ['rewards.json', { safe_int: 4 }, { safe_int: 8 }],
  ];
  it('no-rewards.json is, as in locli, a conjunction (interval ≤ 3 and ≥ 8) that keeps no block', async () => {
    const filters = await loadChainFilterFile(join(REF, 'no-rewards.json'));
    const out = applyFilters([0, 2, 4, 8, 9].map((i) => block({ block: String(i), safe_int: i })), filters);
    expect(out.kept).toEqual([]);
  });

  for (const [file, keep, drop] of cases) {
    it(`${file} keeps and drops the right blocks`, async () => {
      const filters = await loadChainFilterFile(join(REF, file));
      const out = applyFilters([block({ block: 'keep', ...keep }), block({ block: 'drop', ...drop })], filters);
      expect(out.kept.map((b) => b.block)).toEqual(['keep']);
      expect(out.removed.reduce((n, r) => n + (r.byRun.get(1) ?? 0), 0)).toBe(1);
    });
  }
});

describe('block filters', () => {
  it('default: unitary chain delta alone, or per run the filters its profile names', () => {
    const blocks = [
      block({ block: 'a' }),
      block({ block: 'b', unitary: false }),
      block({ block: 'c', adoptions: 0 }),
      block({ block: 'd', run_id: 2, unitary: false, adoptions: 0 }),
      block({ block: 'e', run_id: 2, size: 950 }),
      block({ block: 'f', run_id: 2, size: 900 }),
    ];
    // No profile filters: unitary alone; c, with no adoption besides its forger's, stays.
    const out = applyFilters(blocks, DEFAULT_FILTERS);
    expect(out.kept.map((b) => b.block)).toEqual(['a', 'c', 'e', 'f']);
    expect(out.removed.map((r) => [r.filter.name, r.byRun.get(1), r.byRun.get(2)])).toEqual([['unitary', 1, 1]]);
    // Run 2's profile says size-full (body > floor(1000 · 0.9) = 900): f goes, d is kept (not unitary, but unitary is not asked).
    const per = applyFilters(blocks, DEFAULT_FILTERS, new Map([[2, ['size-full']]]));
    expect(per.kept.map((b) => b.block)).toEqual(['a', 'c', 'd', 'e']);
    expect(per.removed.map((r) => [r.filter.name, r.byRun.get(1), r.byRun.get(2), r.filter.byDefault])).toEqual([
      ['unitary', 1, 0, true],
      ['size-full: fullness≥0.9', 0, 1, true],
    ]);
    // An explicit filter stays for every run, after the defaults.
    const extra = parseChainFilters('[{"tag":"CBlock","contents":{"tag":"BMinimumAdoptions","contents":1}}]', 'adopted.json');
    expect(applyFilters(blocks, [...DEFAULT_FILTERS, ...extra], new Map([[2, ['size-full']]])).kept.map((b) => b.block)).toEqual(['a', 'e']);
  });

  it('rejects unknown predicates and malformed files with a sentence naming the file', () => {
    expect(() => parseChainFilters('[{"tag":"CBlock","contents":{"tag":"BWhatever","contents":1}}]', 'x.json')).toThrow(/x\.json: unknown chain filter "BWhatever"/);
    expect(() => parseChainFilters('{"tag":"CBlock"}', 'y.json')).toThrow(CliError);
    expect(() => parseChainFilters('[{"tag":"CSlot","contents":{"tag":"SlotGEq","contents":"ten"}}]', 'z.json')).toThrow(/z\.json/);
    expect(() => parseChainFilters('not json', 'w.json')).toThrow(/w\.json: chain filter file is not valid JSON/);
  });
});

describe('slot bounds for SQL', () => {
  it('intersects the slot conditions per field and ignores block conditions', async () => {
    const filters = [
      ...DEFAULT_FILTERS,
      ...(await loadChainFilterFile(join(REF, 'fromslot-20k.json'))),
      ...(await loadChainFilterFile(join(REF, 'epoch3+.json'))),
      ...parseChainFilters(
        JSON.stringify([
          { tag: 'CSlot', contents: { tag: 'SlotGEq', contents: 100 } },
          { tag: 'CSlot', contents: { tag: 'SlotLEq', contents: 56000 } },
          { tag: 'CSlot', contents: { tag: 'SlotLEq', contents: 50000 } },
          { tag: 'CSlot', contents: { tag: 'EpSlotGEq', contents: 200 } },
          { tag: 'CSlot', contents: { tag: 'EpochSafeIntLEq', contents: 7 } },
        ]),
        'inline',
      ),
    ];
    expect(slotBounds(filters)).toEqual({
      slot_min: 20000, slot_max: 50000, epoch_min: 2, epoch_max: null,
      epoch_slot_min: 200, epoch_slot_max: null, safe_int_min: null, safe_int_max: 7,
    });
    expect(slotBounds(DEFAULT_FILTERS)).toEqual({
      slot_min: null, slot_max: null, epoch_min: null, epoch_max: null,
      epoch_slot_min: null, epoch_slot_max: null, safe_int_min: null, safe_int_max: null,
    });
  });
});

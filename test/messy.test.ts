// Messy real-world logs (test/fixtures/messy/*, one hazard per run, expectations in each
// case.json): every case alone, through discover → ingest → metrics with default filters.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Warehouse, ingestRuns } from '../pipeline/warehouse/index.js';
import { discoverRuns } from '../pipeline/discover/index.js';
import { CliError, silentLogger } from '../pipeline/core/index.js';
import { DEFAULT_FILTERS, computeMetrics } from '../pipeline/metrics/index.js';

const MESSY = join(import.meta.dirname, 'fixtures', 'messy');
interface Case {
  case: string;
  expect: Record<string, number | null | string>;
  expect_samples?: Record<string, number[]>;
  /** The warning codes the run must raise, and nothing else (none when absent). */
  warnings?: string[];
  /** Fragments each warning's message must contain, by code. */
  warning_text?: Record<string, string[]>;
}
const cases = readdirSync(MESSY, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => ({ dir: join(MESSY, d.name), spec: JSON.parse(readFileSync(join(MESSY, d.name, 'case.json'), 'utf8')) as Case }));

describe('messy logs', () => {
  it('has the fixture cases', () => expect(cases.length).toBeGreaterThanOrEqual(16));

  for (const { dir, spec } of cases) {
    it(spec.case, async () => {
      const db = await Warehouse.open(':memory:');
      try {
        if (typeof spec.expect.error_contains === 'string') {
          const err = await discoverRuns([dir]).then(
            () => null,
            (e: unknown) => e,
          );
          expect(err).toBeInstanceOf(CliError);
          expect((err as CliError).exitCode).toBe(2);
          expect((err as CliError).message).toContain(spec.expect.error_contains);
          return;
        }
        const runs = await discoverRuns([dir]);
        const [res] = await ingestRuns(db, runs, silentLogger);
        const runId = res?.runId ?? -1;
        const m = await computeMetrics(db, [runId], DEFAULT_FILTERS);
        const values = m.byRun.get(runId)?.values;
        expect(m.warnings.map((w) => w.code).sort(), JSON.stringify(m.warnings)).toEqual([...(spec.warnings ?? [])].sort());
        for (const w of m.warnings) expect(w.run).toBe(runs[0]?.tag);
        for (const [code, parts] of Object.entries(spec.warning_text ?? {})) {
          const text = m.warnings.find((w) => w.code === code)?.message ?? '';
          for (const part of parts) expect(text, code).toContain(part);
        }
        for (const [id, want] of Object.entries(spec.expect)) {
          const got = values?.get(id) ?? null;
          if (want === null) expect(got, id).toBeNull();
          else expect(got, id).toBeCloseTo(Number(want), 8);
        }
        for (const [key, want] of Object.entries(spec.expect_samples ?? {})) {
          const sql = key.startsWith('adoption_delays_')
            ? `SELECT (x.t - b.slot_t) / 1e6 AS value FROM fct_chain b JOIN fct_adoptions x USING (run_id, block)
               WHERE starts_with(b.block, $k) ORDER BY value`
            : 'SELECT value FROM fct_samples WHERE metric = $k AND value IS NOT NULL ORDER BY value';
          const rows = await db.all<{ value: number }>(sql, { k: key.replace('adoption_delays_', '') });
          expect(rows.map((r) => r.value), key).toHaveLength(want.length);
          rows.forEach((r, i) => expect(r.value, `${key}[${i}]`).toBeCloseTo(want[i] ?? NaN, 8));
        }
        if (Number(spec.expect.malformed_lines ?? 0) > 0) {
          const samples = await db.all<{ line: string }>('SELECT line FROM malformed_samples');
          expect(samples).toHaveLength(Number(spec.expect.malformed_lines));
          for (const s of samples) expect(s.line.startsWith('{')).toBe(true);
        }
      } finally {
        db.close();
      }
    });
  }
});

// The resource time series of report.json (60_fct_resource_series.sql) must not depend on the
// order rows reach the query: a parallel scan hands them over in any order, and a mean summed
// in arrival order then differs in its last bits from one report to the next (seen on six
// 180 MiB runs: 300 of 360 points differed between two passes over the same warehouse).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../pipeline/warehouse/index.js';

let db: Warehouse;
beforeAll(async () => {
  db = await Warehouse.open(':memory:');
});
afterAll(() => db.close());

type Point = { run_id: number; t: number; cpu_pct: number; rss_mb: number };

async function seriesOf(rows: [number, number, number][]): Promise<Point[]> {
  await db.exec('CREATE OR REPLACE TEMP TABLE stg_resources (run_id INTEGER, t BIGINT, cpu_pct DOUBLE, rss_mb DOUBLE)');
  // Numbers written as SQL literals: a DOUBLE prints as the shortest text that reads back exact.
  await db.exec(`INSERT INTO stg_resources VALUES ${rows.map(([t, cpu, rss]) => `(1, ${t}, ${cpu}::DOUBLE, ${rss}::DOUBLE)`).join(', ')}`);
  return db.queryFile<Point>('60_fct_resource_series.sql');
}

describe('resource series', () => {
  it('gives bit-identical means whatever order the samples arrive in', async () => {
    // One bucket of three samples (the run spans 0.6 s: its only bucket is kept); in this order
    // 0.1 + 0.2 + 0.3 sums to 0.6000000000000001, in the reverse order to 0.6.
    const rows: [number, number, number][] = [
      [0, 0.1, 0.3],
      [300_000, 0.2, 0.2],
      [600_000, 0.3, 0.1],
    ];
    const forward = await seriesOf(rows);
    const backward = await seriesOf([...rows].reverse());
    expect(forward).toEqual(backward);
    expect(forward).toHaveLength(1);
    // Summed in ascending order of the values: (0.1 + 0.2) + 0.3, over 3.
    expect(forward[0]?.cpu_pct).toBe((0.1 + 0.2 + 0.3) / 3);
    expect(forward[0]?.rss_mb).toBe((0.1 + 0.2 + 0.3) / 3);
  });
});

-- Resource samples per node in time order, paired with the previous sample (DESIGN §4).
-- Reads events (ev = 'resources') and sel_runs. A pair is valid when time advanced and no
-- cumulative counter went backwards; a counter that drops (node restart) starts a new
-- series, so the pair across it yields no rate. Gauges are kept for every sample.
CREATE OR REPLACE TEMP TABLE stg_resources AS
WITH s AS (
  SELECT e.run_id, e.node, epoch_us(e."at") AS t,
         e.centi_cpu, e.centi_gc, e.centi_mut, e.centi_blkio, e.alloc, e.gcs_major, e.gcs_minor,
         e.net_rd, e.net_wr, e.fs_rd, e.fs_wr, e.rss, e.heap, e.live, e.threads,
         lag(epoch_us(e."at")) OVER w AS t0,
         lag(e.centi_cpu) OVER w AS centi_cpu0, lag(e.centi_gc) OVER w AS centi_gc0,
         lag(e.centi_mut) OVER w AS centi_mut0, lag(e.centi_blkio) OVER w AS centi_blkio0,
         lag(e.alloc) OVER w AS alloc0, lag(e.gcs_major) OVER w AS gcs_major0,
         lag(e.gcs_minor) OVER w AS gcs_minor0, lag(e.net_rd) OVER w AS net_rd0,
         lag(e.net_wr) OVER w AS net_wr0, lag(e.fs_rd) OVER w AS fs_rd0, lag(e.fs_wr) OVER w AS fs_wr0
  FROM events AS e JOIN sel_runs USING (run_id)
  WHERE e.ev = 'resources' AND e."at" IS NOT NULL
  WINDOW w AS (PARTITION BY e.run_id, e.node ORDER BY e."at", e.centi_cpu)
), p AS (
  SELECT *, (t - t0) / 1e6 AS dt,
         t0 IS NOT NULL AND t > t0
         AND coalesce(centi_cpu >= centi_cpu0, true) AND coalesce(centi_gc >= centi_gc0, true)
         AND coalesce(centi_mut >= centi_mut0, true) AND coalesce(centi_blkio >= centi_blkio0, true)
         AND coalesce(alloc >= alloc0, true) AND coalesce(gcs_major >= gcs_major0, true)
         AND coalesce(gcs_minor >= gcs_minor0, true) AND coalesce(net_rd >= net_rd0, true)
         AND coalesce(net_wr >= net_wr0, true) AND coalesce(fs_rd >= fs_rd0, true)
         AND coalesce(fs_wr >= fs_wr0, true) AS valid
  FROM s
)
SELECT run_id, node, t, dt, valid,
       CASE WHEN valid THEN (centi_cpu - centi_cpu0) / dt END AS cpu_pct,
       CASE WHEN valid THEN (centi_gc - centi_gc0) / dt END AS gc_cpu_pct,
       CASE WHEN valid THEN (centi_mut - centi_mut0) / dt END AS mut_cpu_pct,
       CASE WHEN valid THEN (alloc - alloc0) / 1048576 / dt END AS alloc_mb_s,
       CASE WHEN valid THEN (gcs_minor - gcs_minor0) / dt END AS gc_minor_per_s,
       CASE WHEN valid THEN (gcs_major - gcs_major0) / dt END AS gc_major_per_s,
       CASE WHEN valid THEN (net_rd - net_rd0) / 1024 / dt END AS net_rd_kb_s,
       CASE WHEN valid THEN (net_wr - net_wr0) / 1024 / dt END AS net_wr_kb_s,
       CASE WHEN valid THEN (fs_rd - fs_rd0) / 1024 / dt END AS fs_rd_kb_s,
       CASE WHEN valid THEN (fs_wr - fs_wr0) / 1024 / dt END AS fs_wr_kb_s,
       -- CentiBlkIO counts centiseconds blocked on disk I/O: like CPU, a share of the interval.
       CASE WHEN valid THEN (centi_blkio - centi_blkio0) / dt END AS blkio_pct,
       rss / 1048576 AS rss_mb, heap / 1048576 AS heap_mb, live / 1048576 AS live_mb,
       threads::DOUBLE AS threads
FROM p

-- Resource samples per node in time order, paired with the previous sample (DESIGN §4).
-- Reads events (ev = 'resources') and sel_runs. A pair is valid when time advanced, no
-- cumulative counter went backwards and none jumped absurdly:
--   · a counter that drops (node restart) starts a new series, so the pair across it
--     yields no rate;
--   · a counter whose rise over the pair implies more than 100 cores (Centi* > 10000/s),
--     more than 1 TB/s (Alloc, Net*, Fs* > 1e12 B/s) or more than 1e6 GCs/s is a corrupt
--     sample, not a measurement: the pair gives no rate and is flagged `jump` (counted in
--     the counter-jump warning). Differences are taken in DOUBLE, so counters near ±9e18
--     cannot overflow.
-- Gauges are kept for every sample; a gauge below 0 or above 1 PiB is an out-of-range
-- field (NULL, flagged `bad_gauge`). Samples outside the run's extent are left out before
-- pairing; samples whose slot (by time) the slot filters exclude are left out after it.
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
  FROM events AS e JOIN sel_runs AS r USING (run_id)
  WHERE e.ev = 'resources' AND e."at" IS NOT NULL AND epoch_us(e."at") BETWEEN r.lo_us AND r.hi_us
  WINDOW w AS (PARTITION BY e.run_id, e.node ORDER BY e."at", e.centi_cpu)
), d AS (
  SELECT *, (t - t0) / 1e6 AS dt,
         t0 IS NOT NULL AND t > t0
         AND coalesce(centi_cpu >= centi_cpu0, true) AND coalesce(centi_gc >= centi_gc0, true)
         AND coalesce(centi_mut >= centi_mut0, true) AND coalesce(centi_blkio >= centi_blkio0, true)
         AND coalesce(alloc >= alloc0, true) AND coalesce(gcs_major >= gcs_major0, true)
         AND coalesce(gcs_minor >= gcs_minor0, true) AND coalesce(net_rd >= net_rd0, true)
         AND coalesce(net_wr >= net_wr0, true) AND coalesce(fs_rd >= fs_rd0, true)
         AND coalesce(fs_wr >= fs_wr0, true) AS monotone,
         centi_cpu::DOUBLE - centi_cpu0 AS d_cpu, centi_gc::DOUBLE - centi_gc0 AS d_gc,
         centi_mut::DOUBLE - centi_mut0 AS d_mut, centi_blkio::DOUBLE - centi_blkio0 AS d_blkio,
         alloc::DOUBLE - alloc0 AS d_alloc, gcs_major::DOUBLE - gcs_major0 AS d_major,
         gcs_minor::DOUBLE - gcs_minor0 AS d_minor, net_rd::DOUBLE - net_rd0 AS d_net_rd,
         net_wr::DOUBLE - net_wr0 AS d_net_wr, fs_rd::DOUBLE - fs_rd0 AS d_fs_rd,
         fs_wr::DOUBLE - fs_wr0 AS d_fs_wr
  FROM s
), p AS (
  SELECT *,
         monotone AND (greatest(d_cpu, d_gc, d_mut, d_blkio) / dt > 10000
                       OR greatest(d_alloc, d_net_rd, d_net_wr, d_fs_rd, d_fs_wr) / dt > 1e12
                       OR greatest(d_major, d_minor) / dt > 1e6) AS jump
  FROM d
)
SELECT p.run_id, p.node, p.t, p.dt, p.monotone AND NOT coalesce(p.jump, false) AS valid,
       coalesce(p.jump, false) AS jump,
       (p.rss NOT BETWEEN 0 AND 1125899906842624) OR (p.heap NOT BETWEEN 0 AND 1125899906842624)
         OR (p.live NOT BETWEEN 0 AND 1125899906842624) AS bad_gauge,
       CASE WHEN valid THEN d_cpu / dt END AS cpu_pct,
       CASE WHEN valid THEN d_gc / dt END AS gc_cpu_pct,
       CASE WHEN valid THEN d_mut / dt END AS mut_cpu_pct,
       CASE WHEN valid THEN d_alloc / 1048576 / dt END AS alloc_mb_s,
       CASE WHEN valid THEN d_minor / dt END AS gc_minor_per_s,
       CASE WHEN valid THEN d_major / dt END AS gc_major_per_s,
       CASE WHEN valid THEN d_net_rd / 1024 / dt END AS net_rd_kb_s,
       CASE WHEN valid THEN d_net_wr / 1024 / dt END AS net_wr_kb_s,
       CASE WHEN valid THEN d_fs_rd / 1024 / dt END AS fs_rd_kb_s,
       CASE WHEN valid THEN d_fs_wr / 1024 / dt END AS fs_wr_kb_s,
       -- CentiBlkIO counts centiseconds blocked on disk I/O: like CPU, a share of the interval.
       CASE WHEN valid THEN d_blkio / dt END AS blkio_pct,
       CASE WHEN p.rss BETWEEN 0 AND 1125899906842624 THEN p.rss / 1048576 END AS rss_mb,
       CASE WHEN p.heap BETWEEN 0 AND 1125899906842624 THEN p.heap / 1048576 END AS heap_mb,
       CASE WHEN p.live BETWEEN 0 AND 1125899906842624 THEN p.live / 1048576 END AS live_mb,
       p.threads::DOUBLE AS threads
FROM p JOIN sel_runs AS r USING (run_id)
WHERE (p.t - r.start_us) // r.slot_us BETWEEN r.slot_lo AND r.slot_hi
  AND ((p.t - r.start_us) // r.slot_us) % r.epoch_length BETWEEN r.eps_lo AND r.eps_hi

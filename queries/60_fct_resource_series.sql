-- Resource time series for charts: per run, about 60 time buckets from its first sample,
-- each the mean over nodes and samples of cpu_pct and rss_mb. Reads stg_resources.
-- The bucket that starts at or after the run's last full width holds only the leftover
-- samples (often one per node at the very end): its mean would draw a spike or a dip from a
-- handful of samples, so it is left out unless it is the run's only bucket.
-- The means are summed in sorted order, so a report does not change in its last digits with
-- the order a parallel scan hands the samples over (test/resource-series.test.ts).
WITH b AS (
  SELECT run_id, min(t) AS t0, max(t) AS t1, greatest((max(t) - min(t)) / 60, 1000000) AS width
  FROM stg_resources GROUP BY run_id
)
SELECT r.run_id,
       (floor((r.t - b.t0) / b.width) * b.width / 1e6)::DOUBLE AS t,
       sum(r.cpu_pct ORDER BY r.cpu_pct) / count(r.cpu_pct) AS cpu_pct,
       sum(r.rss_mb ORDER BY r.rss_mb) / count(r.rss_mb) AS rss_mb
FROM stg_resources AS r JOIN b USING (run_id)
WHERE floor((r.t - b.t0) / b.width) < greatest(floor((b.t1 - b.t0) / b.width), 1)
GROUP BY ALL
ORDER BY r.run_id, t

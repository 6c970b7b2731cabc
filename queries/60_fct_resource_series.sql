-- Resource time series for charts: per run, about 60 time buckets from its first sample,
-- each the mean over nodes and samples of cpu_pct and rss_mb. Reads stg_resources.
-- The bucket that starts at or after the run's last full width holds only the leftover
-- samples (often one per node at the very end): its mean would draw a spike or a dip from a
-- handful of samples, so it is left out unless it is the run's only bucket.
WITH b AS (
  SELECT run_id, min(t) AS t0, max(t) AS t1, greatest((max(t) - min(t)) / 60, 1000000) AS width
  FROM stg_resources GROUP BY run_id
)
SELECT r.run_id,
       (floor((r.t - b.t0) / b.width) * b.width / 1e6)::DOUBLE AS t,
       avg(r.cpu_pct) AS cpu_pct,
       avg(r.rss_mb) AS rss_mb
FROM stg_resources AS r JOIN b USING (run_id)
WHERE floor((r.t - b.t0) / b.width) < greatest(floor((b.t1 - b.t0) / b.width), 1)
GROUP BY ALL
ORDER BY r.run_id, t

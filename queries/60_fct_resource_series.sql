-- Resource time series for charts: per run, about 60 time buckets from its first sample,
-- each the mean over nodes and samples of cpu_pct and rss_mb. Reads stg_resources.
WITH b AS (
  SELECT run_id, min(t) AS t0, greatest((max(t) - min(t)) / 60, 1000000) AS width
  FROM stg_resources GROUP BY run_id
)
SELECT r.run_id,
       (floor((r.t - b.t0) / b.width) * b.width / 1e6)::DOUBLE AS t,
       avg(r.cpu_pct) AS cpu_pct,
       avg(r.rss_mb) AS rss_mb
FROM stg_resources AS r JOIN b USING (run_id)
GROUP BY ALL
ORDER BY r.run_id, t

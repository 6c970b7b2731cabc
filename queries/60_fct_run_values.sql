-- A metric's run value is the mean of its within-run distribution (locli's cdfAverageVal).
-- Summed in sorted order, so the result does not depend on the order rows arrive in
-- (parallel scans): the same events in either log format give bit-identical values.
-- Reads fct_samples. Returns (run_id, metric, n, value).
SELECT run_id, metric, count(value) AS n, sum(value ORDER BY value) / count(value) AS value
FROM fct_samples
WHERE value IS NOT NULL AND isfinite(value)
GROUP BY run_id, metric
ORDER BY run_id, metric

-- Each metric's within-run distribution, sorted once: its sample count, its run value and,
-- for the distribution metrics, its centiles. Reads fct_samples; params: $metrics (the
-- distribution metrics to summarise at centiles), $centiles (list of DOUBLE).
--   value    the mean of the distribution (locli's cdfAverageVal), summed in sorted order so
--            that it does not depend on the order rows arrive in (parallel scans): the same
--            events in either log format give bit-identical values.
--   centiles locli's centiles, nearest rank: x[min(n−1, floor(n·c))] of the sorted sample
--            (1e-9 absorbs float error in n·c); NULL for the other metrics.
-- One sort serves both: the run value's ordered sum and the centiles each sorted all of
-- fct_samples before (docs/benchmarks.md).
CREATE OR REPLACE TEMP TABLE fct_distributions AS
SELECT run_id, metric, len(xs) AS n, list_sum(xs) / len(xs) AS value,
       CASE WHEN list_contains($metrics, metric)
            THEN list_transform($centiles, c -> xs[least(len(xs) - 1, floor(len(xs) * c + 1e-9)::BIGINT) + 1]) END AS centiles
FROM (
  SELECT run_id, metric, list_sort(list(value)) AS xs
  FROM fct_samples
  WHERE value IS NOT NULL AND isfinite(value)
  GROUP BY run_id, metric
)

-- Each metric's within-run distribution at locli's centiles, nearest rank:
-- x[min(n−1, floor(n·c))] of the sorted sample (1e-9 absorbs float error in n·c). Reads fct_samples; params: $metrics
-- (distribution metrics to summarise), $centiles (list of DOUBLE).
WITH d AS (
  SELECT run_id, metric, list_sort(list(value)) AS xs
  FROM fct_samples
  WHERE value IS NOT NULL AND isfinite(value) AND list_contains($metrics, metric)
  GROUP BY run_id, metric
)
SELECT run_id, metric, c AS centile,
       xs[least(len(xs) - 1, floor(len(xs) * c + 1e-9)::BIGINT) + 1] AS value
FROM d, unnest($centiles) AS u(c)
ORDER BY run_id, metric, c

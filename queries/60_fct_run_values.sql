-- A metric's run value (the mean of its within-run distribution) and sample count, from
-- 55_fct_distributions.sql (which holds the rule). Returns (run_id, metric, n, value).
SELECT run_id, metric, n, value
FROM fct_distributions
ORDER BY run_id, metric

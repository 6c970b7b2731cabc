-- Each distribution metric's within-run centiles, one row per centile, from
-- 55_fct_distributions.sql (which holds the rule). Params: $centiles, the same list.
SELECT run_id, metric, unnest($centiles) AS centile, unnest(centiles) AS value
FROM fct_distributions
WHERE centiles IS NOT NULL
ORDER BY run_id, metric, centile

-- Spans of high CPU: per node, maximal runs of consecutive valid sample pairs with
-- cpu_pct ≥ 85; a span lasts the sum of its pairs' Δt. An invalid pair (restart) or a
-- pair below 85 ends a span. Reads stg_resources.
CREATE OR REPLACE TEMP TABLE stg_cpu85_spans AS
WITH f AS (
  SELECT run_id, node, t, dt, coalesce(valid AND cpu_pct >= 85, false) AS hi,
         sum(CASE WHEN coalesce(valid AND cpu_pct >= 85, false) THEN 0 ELSE 1 END)
           OVER (PARTITION BY run_id, node ORDER BY t ROWS UNBOUNDED PRECEDING) AS grp
  FROM stg_resources
)
SELECT run_id, node, grp, sum(dt) AS span_s, max(t) AS t_end
FROM f WHERE hi
GROUP BY run_id, node, grp

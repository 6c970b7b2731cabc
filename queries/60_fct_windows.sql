-- Within-run time windows: each run's span (first to last sample time) cut into $windows
-- equal windows, and per metric and window the sample count and sum. The block bootstrap
-- of a one-run comparison resamples these windows (compare.ts); counts have no windows.
-- Reads fct_samples; params: $windows.
WITH span AS (
  SELECT run_id, min(t) AS t0, max(t) AS t1 FROM fct_samples WHERE t IS NOT NULL GROUP BY run_id
)
SELECT s.run_id, s.metric,
       least($windows - 1, floor((s.t - span.t0) * $windows / greatest(span.t1 - span.t0, 1)))::INTEGER AS w,
       count(*) AS n,
       sum(s.value ORDER BY s.value) AS total
FROM fct_samples AS s JOIN span USING (run_id)
WHERE s.t IS NOT NULL AND s.value IS NOT NULL AND isfinite(s.value)
GROUP BY ALL
ORDER BY s.run_id, s.metric, w

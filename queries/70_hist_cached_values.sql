-- Cached run values (00_hist_schema.sql) still valid for the runs' current fingerprints.
-- Params: $run_ids (list of run_id), $calc (tool version + filters key).
-- Returns (run_id, metric, value); a run with no rows is not cached.
SELECT v.run_id, v.metric, v.value
FROM hist_run_values AS v
JOIN runs AS r ON r.run_id = v.run_id AND r.fingerprint = v.fingerprint
WHERE list_contains($run_ids, v.run_id) AND v.calc = $calc

-- Drops cached run values (00_hist_schema.sql) of runs about to be stored again.
-- Params: $ids (list of run_id), $calc (tool version + filters key).
DELETE FROM hist_run_values WHERE list_contains($ids, run_id) AND calc = $calc

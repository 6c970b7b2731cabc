-- Stores computed run values in history's cache (00_hist_schema.sql), one row per value.
-- Params: parallel lists $run_ids, $fps (run fingerprints), $metrics, $values; $calc.
INSERT INTO hist_run_values SELECT unnest($run_ids), unnest($fps), $calc, unnest($metrics), unnest($values)

-- The malformed lines kept verbatim for the report's appendix, with their file, for the
-- selected runs. Reads malformed_samples, files, sel_runs; params: $limit.
SELECT m.run_id, f.path, m.line
FROM malformed_samples AS m
JOIN files AS f USING (run_id, file_id)
JOIN sel_runs USING (run_id)
ORDER BY m.run_id, m.file_id
LIMIT $limit

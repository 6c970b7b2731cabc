-- The warehouse's runs with what history and `runs --where` select on: the build (meta.batch),
-- the date (genesis systemStart), commit and branch (meta.manifest), the configuration
-- (profile, tracing backend, effective RTS flags), plus line counts and the stored RunInfo
-- (`info`, so a report can take its sets from the warehouse without the run folders).
-- The line counts are summed per run before the join: joining every file row to its run and
-- grouping by all columns hashed a copy of `info` (one entry per node) per file — a run of 1,500
-- node directories ran DuckDB out of memory (issue 23).
-- Reads runs, files. Ordered by date, then tag.
WITH lines AS (
  SELECT run_id, sum(log_lines) AS log_lines, sum(malformed) AS malformed_lines
  FROM files
  GROUP BY run_id
)
SELECT r.run_id, r.tag, r.path, r.fingerprint,
       r.info->>'batch' AS batch,
       strftime(r.system_start, '%Y-%m-%dT%H:%M:%SZ') AS start,
       r.info->>'nodeCommit' AS commit,
       r.info->>'nodeBranch' AS branch,
       r.info->>'profile' AS profile,
       r.info->>'tracingBackend' AS tracing_backend,
       coalesce(from_json(r.info->'rtsFlags', '["VARCHAR"]'), []::VARCHAR[]) AS rts_flags,
       r.nodes,
       coalesce(l.log_lines, 0) AS log_lines,
       coalesce(l.malformed_lines, 0) AS malformed_lines,
       strftime(r.ingested_at, '%Y-%m-%dT%H:%M:%SZ') AS ingested_at,
       r.info::VARCHAR AS info
FROM runs AS r
LEFT JOIN lines AS l USING (run_id)
ORDER BY start, tag

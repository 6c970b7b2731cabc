-- The warehouse's runs with what history and `runs --where` select on: the build (meta.batch),
-- the date (genesis systemStart), commit and branch (meta.manifest), the configuration
-- (profile, tracing backend, effective RTS flags), plus line counts and the stored RunInfo
-- (`info`, so a report can take its sets from the warehouse without the run folders).
-- Reads runs, files. Ordered by date, then tag.
SELECT r.run_id, r.tag, r.path, r.fingerprint,
       r.info->>'batch' AS batch,
       strftime(r.system_start, '%Y-%m-%dT%H:%M:%SZ') AS start,
       r.info->>'nodeCommit' AS commit,
       r.info->>'nodeBranch' AS branch,
       r.info->>'profile' AS profile,
       r.info->>'tracingBackend' AS tracing_backend,
       coalesce(from_json(r.info->'rtsFlags', '["VARCHAR"]'), []::VARCHAR[]) AS rts_flags,
       r.nodes,
       coalesce(sum(f.log_lines), 0) AS log_lines,
       coalesce(sum(f.malformed), 0) AS malformed_lines,
       strftime(r.ingested_at, '%Y-%m-%dT%H:%M:%SZ') AS ingested_at,
       r.info::VARCHAR AS info
FROM runs AS r
LEFT JOIN files AS f USING (run_id)
GROUP BY ALL
ORDER BY start, tag

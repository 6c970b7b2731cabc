-- The warehouse's runs for `bench-report runs`: tag, path, nodes, line counts and when each
-- was ingested. Reads runs, files.
SELECT r.tag, r.path, r.nodes, sum(f.log_lines) AS log_lines, sum(f.malformed) AS malformed_lines,
       strftime(r.ingested_at, '%Y-%m-%dT%H:%M:%SZ') AS ingested_at
FROM runs AS r
LEFT JOIN files AS f USING (run_id)
GROUP BY ALL
ORDER BY r.tag

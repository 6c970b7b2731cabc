-- The lines the census (10_log_lines.sql) could not hold as text, per file: invalid UTF-8 or
-- over-long lines. Reads census_rejects and census_scans, the temporary tables the census
-- scan just wrote; no params. A rejected line is counted once (one row per error), as a log
-- line when it begins with '{' (it cannot be a parsed event, so it counts as malformed), else
-- as an other line; bad_lines are the first such '{' lines as DuckDB shows them (an invalid
-- byte becomes '?').
SELECT s.file_path AS path,
       count(DISTINCT r.line) FILTER (WHERE starts_with(r.csv_line, '{')) AS log_lines,
       count(DISTINCT r.line) FILTER (WHERE NOT starts_with(r.csv_line, '{') OR r.csv_line IS NULL) AS other_lines,
       coalesce(list(DISTINCT r.csv_line) FILTER (WHERE starts_with(r.csv_line, '{')), []) AS bad_lines
FROM census_rejects AS r
JOIN census_scans AS s USING (scan_id, file_id)
GROUP BY s.file_path

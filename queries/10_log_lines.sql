-- Line census of one run's log files, without parsing JSON: lines beginning with '{' are log
-- objects (log_lines); any other line is counted and skipped.
-- Params: $files (list of paths). Reads the files as one-column CSV; .gz is decompressed.
-- Settings chosen so that no byte can fail the scan: strict_mode = false (a lone '\r' is a line
-- break, not an invalid state), a delimiter inside a line only cuts the value (the first byte
-- is all we look at). Lines DuckDB cannot hold as text (invalid UTF-8, longer than
-- max_line_size) are skipped here but stored in census_rejects, so 10_log_rejects.sql adds
-- them to the counts: nothing is left out.
SELECT filename AS path,
       count(*) FILTER (WHERE starts_with(line, '{')) AS log_lines,
       count(*) FILTER (WHERE NOT starts_with(line, '{') OR line IS NULL) AS other_lines
FROM read_csv($files, columns = {'line': 'VARCHAR'}, delim = '\x01', quote = '', escape = '',
              header = false, auto_detect = false, filename = true, max_line_size = 16777216,
              strict_mode = false, ignore_errors = true,
              store_rejects = true, rejects_table = 'census_rejects', rejects_scan = 'census_scans')
GROUP BY filename

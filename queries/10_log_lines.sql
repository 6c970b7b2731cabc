-- Line census of one run's log files, without parsing JSON: lines beginning with '{' are log
-- objects (log_lines); any other line is counted and skipped.
-- Params: $files (list of paths). Reads the files as one-column CSV; .gz is decompressed.
SELECT filename AS path,
       count(*) FILTER (WHERE starts_with(line, '{')) AS log_lines,
       count(*) FILTER (WHERE NOT starts_with(line, '{')) AS other_lines
FROM read_csv($files, columns = {'line': 'VARCHAR'}, delim = '\x01', quote = '', escape = '',
              header = false, auto_detect = false, filename = true, max_line_size = 16777216,
              ignore_errors = true)
GROUP BY filename

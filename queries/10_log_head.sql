-- The head of one log file, read in order: how many of its first $n lines are not log
-- objects (other) or begin with '{' but are not JSON (bad), and the first bad lines
-- verbatim. When other + bad equals the file's unparsed rows, the head holds every such
-- line and the full line census (10_log_lines.sql) is not needed. Params: $file, $n.
-- Lines DuckDB cannot hold as text (invalid UTF-8) go to head_rejects (10_log_head_rejects.sql):
-- if there are any, the head's counts are not trusted and the census runs.
SELECT count(*) FILTER (WHERE NOT starts_with(line, '{')) AS other,
       count(*) FILTER (WHERE starts_with(line, '{') AND NOT json_valid(line)) AS bad,
       coalesce(list(line) FILTER (WHERE starts_with(line, '{') AND NOT json_valid(line)), []) AS bad_lines
FROM (SELECT line
      FROM read_csv($file, columns = {'line': 'VARCHAR'}, delim = '\x01', quote = '', escape = '',
                    header = false, auto_detect = false, ignore_errors = true, parallel = false,
                    strict_mode = false, -- a lone '\r' is a line break, not a failure
                    -- Small buffers: only the head is read. A longer line is skipped, so the
                    -- counts fall short and the full census runs instead.
                    max_line_size = 1048576, buffer_size = 2097152,
                    store_rejects = true, rejects_table = 'head_rejects', rejects_scan = 'head_scans')
      LIMIT $n)

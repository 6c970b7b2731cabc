-- The first malformed lines of one file, verbatim: they begin with '{' but are not JSON.
-- Params: $file (path), $limit. Run only for files whose census shows malformed lines.
-- One thread and a 32 MiB buffer: DuckDB sizes the buffer from max_line_size otherwise
-- (256 MiB per thread), past ingest's memory cap on a machine with a few cores.
SELECT line
FROM read_csv($file, columns = {'line': 'VARCHAR'}, delim = '\x01', quote = '', escape = '',
              header = false, auto_detect = false, max_line_size = 16777216, ignore_errors = true,
              buffer_size = 33554432, parallel = false,
              strict_mode = false) -- a lone '\r' is a line break, not a failure
WHERE starts_with(line, '{') AND NOT json_valid(line)
LIMIT $limit

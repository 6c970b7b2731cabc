-- What the lines of a run's log files look like, read only when none of them gave a log
-- object (pipeline/sniff.ts words the refusal from this). Params: $files (list of paths).
-- Reads the files as one-column CSV, like 10_malformed_lines.sql. Per file: its non-blank lines, and how
-- many look like
--   legacy_text  the legacy text format: `[host:cardano.node.ChainDB:Notice:36] [date] …`;
--   prefixed     a JSON object after a prefix (journald, `docker logs --timestamps`);
--   json         a JSON object (that carried no `at`, `ns` or `data.kind`),
-- with one line of each shape as an example (the least, so the message is reproducible).
SELECT filename AS path,
       count(*) FILTER (WHERE coalesce(trim(line), '') <> '') AS lines,
       count(*) FILTER (WHERE legacy_text) AS legacy_text,
       count(*) FILTER (WHERE prefixed) AS prefixed,
       count(*) FILTER (WHERE starts_with(line, '{')) AS json,
       min(line) FILTER (WHERE legacy_text) AS legacy_text_line,
       min(line) FILTER (WHERE prefixed) AS prefixed_line,
       min(line) FILTER (WHERE starts_with(line, '{')) AS json_line,
       min(line) FILTER (WHERE coalesce(trim(line), '') <> '') AS any_line
FROM (SELECT filename, line,
             regexp_matches(line, '^\[[^\]\[]*:[A-Za-z]+:[0-9]+\] \[') AS legacy_text,
             NOT starts_with(line, '{') AND contains(line, '{"') AS prefixed
      FROM read_csv($files, columns = {'line': 'VARCHAR'}, delim = '\x01', quote = '', escape = '',
                    header = false, auto_detect = false, filename = true, max_line_size = 16777216,
                    buffer_size = 33554432, -- not the 256 MiB per thread max_line_size implies
                    ignore_errors = true, strict_mode = false)) -- a lone '\r' must not fail it
GROUP BY filename

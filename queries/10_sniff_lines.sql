-- What the lines of a run's log files look like, read only when none of them gave a log
-- object (pipeline/sniff.ts words the refusal from this). Params: $files (list of paths).
-- Reads the files as one-column CSV, like 10_malformed_lines.sql. Per file: its non-blank lines, and how
-- many look like
--   legacy_text  the legacy text format (iohk-monitoring ScText):
--                `[host:cardano.node.ChainDB:Notice:36] [date] …`, first on the line or after
--                a prefix (legacy_prefixed: journald, `journald-legacy-text-mainnet-….log`);
--   human        new tracing's HumanFormat text: `[2026-06-04 15:33:07.9556Z][host:ns](Info,442) …`;
--   prefixed     a JSON object after a prefix (journald, `docker logs --timestamps`), when the
--                line is none of the above;
--   json         a JSON object (that carried no `at`, `ns` or `data.kind`),
-- with one line of each shape as an example (the least, so the message is reproducible).
SELECT filename AS path,
       count(*) FILTER (WHERE coalesce(trim(line), '') <> '') AS lines,
       count(*) FILTER (WHERE legacy_text) AS legacy_text,
       count(*) FILTER (WHERE legacy_text AND NOT starts_with(line, '[')) AS legacy_prefixed,
       count(*) FILTER (WHERE human) AS human,
       count(*) FILTER (WHERE prefixed AND NOT legacy_text AND NOT human) AS prefixed,
       count(*) FILTER (WHERE starts_with(line, '{')) AS json,
       min(line) FILTER (WHERE legacy_text) AS legacy_text_line,
       min(line) FILTER (WHERE human) AS human_line,
       min(line) FILTER (WHERE prefixed AND NOT legacy_text AND NOT human) AS prefixed_line,
       min(line) FILTER (WHERE starts_with(line, '{')) AS json_line,
       min(line) FILTER (WHERE coalesce(trim(line), '') <> '') AS any_line
FROM (SELECT filename, line,
             regexp_matches(line, '\[[^\]\[]*:[A-Za-z]+:[0-9]+\] \[') AS legacy_text,
             regexp_matches(line, '\[[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9:.]+Z?\]\[[^\]]*\]\([A-Za-z]+,[0-9]+\)') AS human,
             NOT starts_with(line, '{') AND contains(line, '{"') AS prefixed
      FROM read_csv($files, columns = {'line': 'VARCHAR'}, delim = '\x01', quote = '', escape = '',
                    header = false, auto_detect = false, filename = true, max_line_size = 16777216,
                    buffer_size = 33554432, -- not the 256 MiB per thread max_line_size implies
                    ignore_errors = true, strict_mode = false)) -- a lone '\r' must not fail it
GROUP BY filename

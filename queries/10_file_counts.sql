-- Rows one run's load wrote per file: all of them, and those of lines that did not parse
-- (the all-NULL rows 10_events.sql keeps for this count). Reads events; params: $run_id.
SELECT file_id, count(*) AS total,
       count(*) FILTER (WHERE ev IS NULL AND ns IS NULL AND kind IS NULL AND "at" IS NULL) AS unparsed
FROM events
WHERE run_id = $run_id
GROUP BY file_id

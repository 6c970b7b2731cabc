-- Rows the scan of one batch (load_scan) holds per file: all of them, and those of lines that
-- did not parse (all-NULL rows of 10_load_scan.sql). No params.
SELECT file_id, count(*) AS total,
       count(*) FILTER (WHERE ns IS NULL AND kind IS NULL AND "at" IS NULL) AS unparsed
FROM load_scan
GROUP BY file_id

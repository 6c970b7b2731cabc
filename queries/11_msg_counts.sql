-- Every parsed message of the scanned batch (load_scan), counted per file and (ns, kind), with
-- its first and last time: the trace-frequency table and each node's log span. Canonical
-- events are counted too (ev set). Unparsed lines are not messages. Params: $run_id.
INSERT INTO msg_counts
SELECT $run_id, file_id, ns, kind, ev, count(*), min("at"), max("at")
FROM load_scan
WHERE ns IS NOT NULL OR kind IS NOT NULL OR "at" IS NOT NULL
GROUP BY ALL

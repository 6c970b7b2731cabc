-- Every parsed message of the scanned batch (load_scan), counted per file, (ns, kind) and hour,
-- with its first and last time: the trace-frequency table, each node's log span, and the lines
-- dated outside the run (a clock gone wrong lands in an hour of its own; 20_sel_runs' extent
-- reaches a day past the run, so an hour rarely straddles it). Canonical events are counted
-- too (ev set). Unparsed lines are not messages. Params: $run_id.
INSERT INTO msg_counts
SELECT $run_id, file_id, ns, kind, ev, date_trunc('hour', "at") AS hour, count(*), min("at"), max("at")
FROM load_scan
WHERE ns IS NOT NULL OR kind IS NOT NULL OR "at" IS NOT NULL
GROUP BY ALL

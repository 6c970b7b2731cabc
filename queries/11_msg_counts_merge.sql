-- The msg_counts rows of one file read in chunks (pipeline/ingest.ts), put back to one row per
-- (ns, kind, ev, hour), as a file read whole gives them: the counts summed, first and last
-- time the extremes. Params: $run_id, $file_id.
CREATE OR REPLACE TEMP TABLE msg_counts_file AS
SELECT run_id, file_id, ns, kind, ev, hour, sum(n)::BIGINT AS n, min(first_at) AS first_at, max(last_at) AS last_at
FROM msg_counts WHERE run_id = $run_id AND file_id = $file_id
GROUP BY ALL;
DELETE FROM msg_counts WHERE run_id = $run_id AND file_id = $file_id;
INSERT INTO msg_counts SELECT * FROM msg_counts_file;
DROP TABLE msg_counts_file;

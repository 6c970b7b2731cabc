-- The trace-frequency table (DESIGN §2): every message that is not a canonical event,
-- counted by (ns, kind) per run. Reads msg_counts, sel_runs. Unparsed lines are not messages.
-- Ordered fully (ties by ns, kind): the report keeps this order among equal counts.
SELECT m.run_id, coalesce(m.ns, '') AS ns, coalesce(m.kind, '') AS kind, sum(m.n) AS n
FROM msg_counts AS m JOIN sel_runs USING (run_id)
WHERE m.ev IS NULL AND (m.ns IS NOT NULL OR m.kind IS NOT NULL)
GROUP BY ALL
ORDER BY m.run_id, n DESC, ns, kind

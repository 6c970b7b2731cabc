-- The trace-frequency table (DESIGN §2): every message that is not a canonical event,
-- counted by (ns, kind) per run. Reads events, sel_runs. Unparsed lines are not messages.
-- Ordered fully (ties by ns, kind): the report keeps this order among equal counts.
SELECT e.run_id, coalesce(e.ns, '') AS ns, coalesce(e.kind, '') AS kind, count(*) AS n
FROM events AS e JOIN sel_runs USING (run_id)
WHERE e.ev IS NULL AND (e.ns IS NOT NULL OR e.kind IS NOT NULL)
GROUP BY ALL
ORDER BY e.run_id, n DESC, ns, kind

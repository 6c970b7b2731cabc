-- One scan of a batch of one run's log files (DESIGN §2, §9), kept in a temporary table for the
-- inserts that split it by event family (11_ev_*.sql, 11_msg_counts.sql) and for the per-file
-- counts (10_file_counts.sql). Params: $files (paths, each in `files` for $run_id), $run_id.
-- DuckDB parses each line once with `data` left as JSON; only canonical events keep it, and
-- each family's inserts then read just the fields that family carries — the typed read of
-- every field for every line was most of the cost of ingest.
-- Naming: legacy lines have ns = '["cardano.node.X"]' and are named by data.kind; new-tracing
-- lines by ns (ev_map). A wrapped payload (data.credentials + data.val) is data.val.
-- A line that does not parse (not JSON, or malformed) is an all-NULL row, kept for the counts.
CREATE OR REPLACE TEMP TABLE load_scan AS
WITH src AS (
  SELECT l.filename, l."at", l.ns, starts_with(l.ns, '[') AS legacy, l.data
  FROM read_ndjson($files, columns = {'at': 'VARCHAR', 'ns': 'VARCHAR', 'data': 'JSON'},
                   ignore_errors = true, filename = true, maximum_object_size = 16777216) AS l
),
-- New-tracing lines are named by ns alone, so only legacy lines pay for reading data.kind
-- here (from data.val for a wrapped payload); the family inserts unwrap payloads themselves.
-- Other new-tracing messages read kind for the trace-frequency table below.
legacy AS (
  SELECT filename, "at", ns, legacy, data, data->>'kind' AS kind FROM src WHERE legacy
),
unwrapped AS (
  SELECT filename, "at", ns, legacy, data,
         CASE WHEN kind IS NULL AND json_exists(data, '$.val') THEN data->'val'->>'kind' ELSE kind END AS kind
  FROM legacy
  UNION ALL
  SELECT filename, "at", ns, legacy, data, NULL AS kind FROM src WHERE legacy IS NOT true
),
named AS (
  SELECT u.*, m.ev, m.family,
         CASE WHEN m.ev = 'announced' AND NOT u.legacy
              THEN json_transform(u.data, '{"risingEdge": "BOOLEAN", "blockingRead": "BOOLEAN", "rollBackTo": "VARCHAR",
                                            "addBlock": "VARCHAR", "block": "VARCHAR"}') END AS edge
  FROM unwrapped AS u
  LEFT JOIN ev_map AS m ON m.legacy = u.legacy AND m.msg = CASE WHEN u.legacy THEN u.kind ELSE u.ns END
),
-- Only the rising edge of a ChainSync server update is an announcement; other updates are
-- plain messages.
edged AS (
  SELECT * REPLACE (CASE WHEN NOT announces THEN NULL ELSE ev END AS ev,
                    CASE WHEN NOT announces THEN NULL ELSE family END AS family)
  FROM (SELECT *, edge IS NULL OR (coalesce(edge.risingEdge, true) AND coalesce(edge.blockingRead, true)
                                   AND edge.rollBackTo IS NULL
                                   AND coalesce(edge.addBlock, edge.block) IS NOT NULL) AS announces
        FROM named)
)
SELECT f.file_id, try_cast(e."at" AS TIMESTAMP) AS "at", e.ev, e.family, e.ns,
       CASE WHEN e.legacy OR e.ev IS NOT NULL THEN e.kind ELSE e.data->>'kind' END AS kind,
       CASE WHEN e.family IN ('resources', 'slot', 'block') THEN e.data END AS data
FROM edged AS e
JOIN files AS f ON f.run_id = $run_id AND f.path = e.filename

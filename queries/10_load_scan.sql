-- The scan of a batch of one run's log files (DESIGN §2, §9) as a view, `load_rows`, that the
-- inserts splitting it by event family (11_ev_*.sql, 11_msg_counts.sql) and the per-file counts
-- (10_file_counts.sql) read through `load_scan`: a temporary table filled from it once per batch,
-- or, for one file too large to hold, the view itself (each statement then reads the file again:
-- slower, but memory stays flat; docs/storage.md). No params: a view cannot hold them, so the
-- batch comes in the session variable `load_files` (its paths) set just before, and in the
-- temporary table `load_paths` (path, file_id): a path is a log file of the run, or a chunk of
-- one too large to hold (pipeline/ingest.ts), whose rows are that file's.
-- DuckDB parses each line once with `data` left as JSON; only canonical events keep it, and
-- each family's insert then reads just the fields that family carries — the typed read of
-- every field for every line was most of the cost of ingest (docs/benchmarks.md).
-- A line that does not parse (not JSON, or malformed) is an all-NULL row, kept for the counts.
-- The rules, each listed with the real line it comes from in docs/metrics.md ("How each
-- real log shape is read"); the field rules are in 11_ev_*.sql:
--   format  `ns` read as text: a string is new tracing; a JSON array of one element is a
--           legacy logger name (`["cardano.node.ChainDB"]`, message named by data.kind);
--           an array of several parts is a new-tracing namespace written by cardano-tracer
--           10.2 (`["Forge","Loop","NodeNotLeader"]`), joined with dots. Logger names hold
--           no comma, so a comma in the text means several parts.
--   naming  new-tracing lines are named by ns alone, so only legacy lines pay for reading
--           data.kind here (from data.val for a wrapped payload: data.credentials + data.val);
--           other new-tracing messages read it for the trace-frequency table.
--   edge    an announcement counts on the rising edge only, in both formats: a line with
--           risingEdge:false, blockingRead:false or a rollBackTo is none, just a message
--           (locli's rule; legacy kinds older than 1.35 carry no flags and always count).
--           A line with the flags but no risingEdge is a falling edge too: real nodes write
--           the falling edge that way (workbench 2026 node-1, Debug level), not as false.
CREATE OR REPLACE TEMP VIEW load_rows AS
WITH src AS (
  SELECT l.filename, l."at", l.data,
         starts_with(l.ns, '[') AND NOT contains(l.ns, ',') AS legacy,
         CASE WHEN starts_with(l.ns, '[') AND contains(l.ns, ',') AND json_valid(l.ns)
              THEN array_to_string(from_json(l.ns, '["VARCHAR"]'), '.')
              ELSE l.ns END AS ns
  FROM read_ndjson(getvariable('load_files'), columns = {'at': 'VARCHAR', 'ns': 'VARCHAR', 'data': 'JSON'},
                   ignore_errors = true, filename = true, maximum_object_size = 16777216) AS l
),
-- src is read once (a CTE read twice is materialised whole: a 2 GB log held 3 GB), and the
-- CASE evaluates data.kind for legacy lines only.
kinded AS (
  SELECT filename, "at", ns, legacy, data,
         CASE WHEN legacy THEN coalesce(json_extract_string(data, '$.kind'), json_extract_string(data, '$.val.kind')) END AS kind
  FROM src
),
named AS (
  SELECT k.*, m.ev, m.family,
         CASE WHEN m.ev = 'announced'
              THEN json_transform(CASE WHEN json_extract_string(k.data, '$.kind') IS NULL AND json_exists(k.data, '$.val')
                                       THEN json_extract(k.data, '$.val') ELSE k.data END,
                                  '{"risingEdge": "BOOLEAN", "blockingRead": "BOOLEAN", "rollBackTo": "JSON",
                                    "addBlock": "VARCHAR", "block": "VARCHAR"}') END AS edge
  FROM kinded AS k
  LEFT JOIN ev_map AS m ON m.legacy = k.legacy AND m.msg = CASE WHEN k.legacy THEN k.kind ELSE k.ns END
),
edged AS (
  SELECT * REPLACE (CASE WHEN announces THEN ev END AS ev, CASE WHEN announces THEN family END AS family)
  FROM (SELECT *, edge IS NULL OR (coalesce(edge.risingEdge, edge.blockingRead IS NULL) AND coalesce(edge.blockingRead, true)
                                   AND edge.rollBackTo IS NULL
                                   AND coalesce(edge.addBlock, edge.block) IS NOT NULL) AS announces
        FROM named)
)
SELECT f.file_id, try_cast(e."at" AS TIMESTAMP) AS "at", e.ev, e.family, e.ns,
       CASE WHEN e.legacy OR e.ev IS NOT NULL THEN e.kind ELSE json_extract_string(e.data, '$.kind') END AS kind,
       CASE WHEN e.family IN ('resources', 'slot', 'block') THEN e.data END AS data
FROM edged AS e
JOIN load_paths AS f ON f.path = e.filename

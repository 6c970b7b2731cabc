-- Load one run's logs into `events`, normalising every log shape (DESIGN §2) in one pass.
-- Params: $run_id, $files (list of paths; each must be in `files` for this run).
-- DuckDB parses the JSON itself; `data` is a typed STRUCT of just the fields the metrics
-- read (a field of another type becomes NULL). A line that does not parse (not JSON, or
-- malformed) yields an all-NULL row; it is kept, with ev, ns, kind and "at" all NULL, so the
-- ingest stage can count such lines per file without reading the file again.
-- The rules, each listed with the real line it comes from in docs/metrics.md ("How each
-- real log shape is read"):
--   format  `ns` read as text: a string is new tracing; a JSON array of one element is a
--           legacy logger name (`["cardano.node.ChainDB"]`, message named by data.kind);
--           an array of several parts is a new-tracing namespace written by cardano-tracer
--           10.2 (`["Forge","Loop","NodeNotLeader"]`), joined with dots. Logger names hold
--           no comma, so a comma in the text means several parts.
--   payload a wrapped payload (data.credentials + data.val) is swapped in whole as a struct:
--           only those rare rows pay for the cast, where coalescing every field would cost
--           every row.
--   edge    an announcement counts on the rising edge only, in both formats: a line with
--           risingEdge:false, blockingRead:false or a rollBackTo is none (locli's rule;
--           legacy kinds older than 1.35 carry no flags and always count).
--   ids     block identifiers are the first 64 characters (`<hash>@<slot>` gives the hash);
--           one that arrives as JSON text (an object or array where text was expected) is
--           NULL, so it never joins another block's events.
--   blockNo a number, or legacy 1.35's {"unBlockNo": n}.
--   delta   chainLengthDelta as logged (legacy only; new tracing does not log it: NULL,
--           unknown). The unitary block filter does not read it (30_stg_block_events.sql).
INSERT INTO events
WITH src AS (
  SELECT l.filename, l."at",
         starts_with(l.ns, '[') AND NOT contains(l.ns, ',') AS legacy,
         CASE WHEN starts_with(l.ns, '[') AND contains(l.ns, ',') AND json_valid(l.ns)
              THEN array_to_string(from_json(l.ns, '["VARCHAR"]'), '.')
              ELSE l.ns END AS ns,
         CASE WHEN l.data.kind IS NULL AND l.data.val IS NOT NULL THEN l.data.val::log_data ELSE l.data END AS d
  FROM read_ndjson($files, columns = {'at': 'VARCHAR', 'ns': 'VARCHAR', 'host': 'VARCHAR', 'data': 'log_data'},
                   ignore_errors = true, filename = true, maximum_object_size = 16777216) AS l
),
named AS (
  SELECT s.*,
         CASE WHEN m.ev = 'announced'
                   AND NOT (coalesce(s.d.risingEdge, true) AND coalesce(s.d.blockingRead, true)
                            AND s.d.rollBackTo IS NULL AND coalesce(s.d.addBlock, s.d.block) IS NOT NULL)
              THEN NULL -- only the rising edge of a ChainSync server update is an announcement
              ELSE m.ev END AS ev
  FROM src AS s
  LEFT JOIN ev_map AS m ON m.legacy = s.legacy AND m.msg = CASE WHEN s.legacy THEN s.d.kind ELSE s.ns END
),
ids AS (
  SELECT n.*,
         CASE n.ev WHEN 'adopted_forger' THEN n.d.blockHash
                   WHEN 'fetch_request' THEN n.d.head
                   WHEN 'announced' THEN coalesce(n.d.addBlock, n.d.block)
                   WHEN 'adopted' THEN n.d.newtip
                   WHEN 'switched' THEN n.d.newtip
                   ELSE n.d.block END AS raw_block
  FROM named AS n
)
SELECT $run_id AS run_id, f.file_id, f.node,
       try_cast(n."at" AS TIMESTAMP) AS "at",
       n.ev,
       CASE WHEN n.ev IS NULL THEN n.ns END AS ns,
       CASE WHEN n.ev IS NULL THEN n.d.kind END AS kind,
       CASE WHEN n.ev = 'block_context' THEN coalesce(n.d."current slot", n.d.slot)
            WHEN n.ev IN ('adopted', 'switched', 'announced') AND contains(n.raw_block, '@')
              THEN try_cast(split_part(n.raw_block, '@', 2) AS BIGINT)
            ELSE n.d.slot END AS slot,
       CASE WHEN starts_with(n.d.blockNo, '{') THEN try_cast(json_extract_string(n.d.blockNo, '$.unBlockNo') AS BIGINT)
            ELSE try_cast(n.d.blockNo AS BIGINT) END AS block_no,
       CASE WHEN NOT (starts_with(n.raw_block, '{') OR starts_with(n.raw_block, '[')) THEN left(n.raw_block, 64) END AS block,
       CASE WHEN NOT (starts_with(n.d.blockPrev, '{') OR starts_with(n.d.blockPrev, '[')) THEN left(n.d.blockPrev, 64) END AS block_prev,
       CASE n.ev WHEN 'adopted_forger' THEN n.d.blockSize ELSE n.d.size END AS size,
       CASE n.ev WHEN 'adopted' THEN n.d.chainLengthDelta END AS chain_delta,
       n.d.Alloc, n.d.CentiCpu, n.d.CentiGC, n.d.CentiMut, n.d.CentiBlkIO, n.d.GcsMajor, n.d.GcsMinor,
       n.d.Live, n.d.RSS,
       -- Optional resource fields default to 0 (DESIGN §2).
       CASE WHEN n.ev = 'resources' THEN coalesce(n.d.Heap, 0) END,
       n.d.Threads,
       CASE WHEN n.ev = 'resources' THEN coalesce(n.d.NetRd, 0) END,
       CASE WHEN n.ev = 'resources' THEN coalesce(n.d.NetWr, 0) END,
       CASE WHEN n.ev = 'resources' THEN coalesce(n.d.FsRd, 0) END,
       CASE WHEN n.ev = 'resources' THEN coalesce(n.d.FsWr, 0) END,
       n.d.mempoolSize.numTxs,
       n.d.utxoSize, n.d.chainDensity
FROM ids AS n
JOIN files AS f ON f.run_id = $run_id AND f.path = n.filename

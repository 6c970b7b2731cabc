-- Load one run's logs into `events`, normalising both log formats (DESIGN §2) in one pass.
-- Params: $run_id, $files (list of paths; each must be in `files` for this run).
-- DuckDB parses the JSON itself; `data` is a typed STRUCT of just the fields the metrics
-- read (a field of another type becomes NULL). A line that does not parse (not JSON, or
-- malformed) yields an all-NULL row; it is kept, with ev, ns, kind and "at" all NULL, so the
-- ingest stage can count such lines per file without reading the file again.
-- Legacy lines have ns = '["cardano.node.X"]' (a JSON array read as text) and are named by
-- data.kind; new-tracing lines by ns (ev_map). A wrapped payload (data.credentials +
-- data.val) is swapped in whole as a struct: only those rare rows pay for the cast, where
-- coalescing every field would cost every row.
INSERT INTO events
WITH src AS (
  SELECT l.filename, l."at", l.ns, starts_with(l.ns, '[') AS legacy,
         CASE WHEN l.data.kind IS NULL AND l.data.val IS NOT NULL THEN l.data.val::log_data ELSE l.data END AS d
  FROM read_ndjson($files, columns = {'at': 'VARCHAR', 'ns': 'VARCHAR', 'host': 'VARCHAR', 'data': 'log_data'},
                   ignore_errors = true, filename = true, maximum_object_size = 16777216) AS l
),
named AS (
  SELECT s.*,
         CASE WHEN m.ev = 'announced' AND NOT s.legacy
                   AND NOT (coalesce(s.d.risingEdge, true) AND coalesce(s.d.blockingRead, true)
                            AND s.d.rollBackTo IS NULL AND coalesce(s.d.addBlock, s.d.block) IS NOT NULL)
              THEN NULL -- only the rising edge of a ChainSync server update is an announcement
              ELSE m.ev END AS ev
  FROM src AS s
  LEFT JOIN ev_map AS m ON m.legacy = s.legacy AND m.msg = CASE WHEN s.legacy THEN s.d.kind ELSE s.ns END
)
SELECT $run_id AS run_id, f.file_id, f.node,
       try_cast(n."at" AS TIMESTAMP) AS "at",
       n.ev,
       CASE WHEN n.ev IS NULL THEN n.ns END AS ns,
       CASE WHEN n.ev IS NULL THEN n.d.kind END AS kind,
       CASE n.ev WHEN 'block_context' THEN coalesce(n.d."current slot", n.d.slot)
                 WHEN 'adopted' THEN try_cast(split_part(n.d.newtip, '@', 2) AS BIGINT)
                 WHEN 'switched_fork' THEN try_cast(split_part(n.d.newtip, '@', 2) AS BIGINT)
                 ELSE n.d.slot END AS slot,
       n.d.blockNo AS block_no,
       left(CASE n.ev WHEN 'adopted_forger' THEN n.d.blockHash
                      WHEN 'fetch_request' THEN n.d.head
                      WHEN 'announced' THEN coalesce(n.d.addBlock, n.d.block)
                      WHEN 'adopted' THEN n.d.newtip
                      WHEN 'switched_fork' THEN n.d.newtip
                      ELSE n.d.block END, 64) AS block,
       left(n.d.blockPrev, 64) AS block_prev,
       CASE n.ev WHEN 'adopted_forger' THEN n.d.blockSize ELSE n.d.size END AS size,
       CASE n.ev WHEN 'adopted' THEN coalesce(n.d.chainLengthDelta, 1) END AS chain_delta,
       n.d.Alloc, n.d.CentiCpu, n.d.CentiGC, n.d.CentiMut, n.d.CentiBlkIO, n.d.GcsMajor, n.d.GcsMinor,
       n.d.Live, n.d.RSS,
       -- Optional resource fields default to 0 (DESIGN §2).
       CASE WHEN n.ev = 'resources' THEN coalesce(n.d.Heap, 0) END,
       n.d.Threads,
       CASE WHEN n.ev = 'resources' THEN coalesce(n.d.NetRd, 0) END,
       CASE WHEN n.ev = 'resources' THEN coalesce(n.d.NetWr, 0) END,
       CASE WHEN n.ev = 'resources' THEN coalesce(n.d.FsRd, 0) END,
       CASE WHEN n.ev = 'resources' THEN coalesce(n.d.FsWr, 0) END,
       n.d.mempoolSize.numTxs
FROM named AS n
JOIN files AS f ON f.run_id = $run_id AND f.path = n.filename

-- Load one run's logs into `events`, normalising both log formats (DESIGN §2) in one pass.
-- Params: $run_id, $files (list of paths; each must be in `files` for this run).
-- DuckDB parses the JSON itself; `data` is a typed STRUCT of just the fields the metrics
-- read (a field of another type becomes NULL). A line that does not parse yields an all-NULL
-- row, which is dropped here and counted as malformed by the ingest stage.
-- Legacy lines have ns = '["cardano.node.X"]' (a JSON array read as text) and are
-- identified by data.kind; new-tracing lines by ns. Wrapped payloads (data.credentials +
-- data.val) are unwrapped field by field.
INSERT INTO events
WITH src AS (
  SELECT l.filename, l."at", l.ns,
         starts_with(l.ns, '[') AS legacy,
         coalesce(l.data.kind, l.data.val.kind) AS kind,
         coalesce(l.data.slot, l.data.val.slot) AS slot,
         coalesce(l.data."current slot", l.data.val."current slot") AS cur_slot,
         coalesce(l.data.blockNo, l.data.val.blockNo) AS block_no,
         coalesce(l.data.block, l.data.val.block) AS block,
         coalesce(l.data.blockPrev, l.data.val.blockPrev) AS block_prev,
         coalesce(l.data.blockHash, l.data.val.blockHash) AS block_hash,
         coalesce(l.data.blockSize, l.data.val.blockSize) AS block_size,
         coalesce(l.data.head, l.data.val.head) AS head,
         coalesce(l.data.size, l.data.val.size) AS size,
         coalesce(l.data.addBlock, l.data.val.addBlock) AS add_block,
         coalesce(l.data.risingEdge, l.data.val.risingEdge) AS rising_edge,
         coalesce(l.data.blockingRead, l.data.val.blockingRead) AS blocking_read,
         coalesce(l.data.rollBackTo, l.data.val.rollBackTo) AS roll_back_to,
         coalesce(l.data.newtip, l.data.val.newtip) AS newtip,
         coalesce(l.data.chainLengthDelta, l.data.val.chainLengthDelta) AS chain_delta,
         coalesce(l.data.Alloc, l.data.val.Alloc) AS alloc,
         coalesce(l.data.CentiCpu, l.data.val.CentiCpu) AS centi_cpu,
         coalesce(l.data.CentiGC, l.data.val.CentiGC) AS centi_gc,
         coalesce(l.data.CentiMut, l.data.val.CentiMut) AS centi_mut,
         coalesce(l.data.CentiBlkIO, l.data.val.CentiBlkIO) AS centi_blkio,
         coalesce(l.data.GcsMajor, l.data.val.GcsMajor) AS gcs_major,
         coalesce(l.data.GcsMinor, l.data.val.GcsMinor) AS gcs_minor,
         coalesce(l.data.Live, l.data.val.Live) AS live,
         coalesce(l.data.RSS, l.data.val.RSS) AS rss,
         coalesce(l.data.Heap, l.data.val.Heap) AS heap,
         coalesce(l.data.Threads, l.data.val.Threads) AS threads,
         coalesce(l.data.NetRd, l.data.val.NetRd) AS net_rd,
         coalesce(l.data.NetWr, l.data.val.NetWr) AS net_wr,
         coalesce(l.data.FsRd, l.data.val.FsRd) AS fs_rd,
         coalesce(l.data.FsWr, l.data.val.FsWr) AS fs_wr,
         coalesce(l.data.mempoolSize.numTxs, l.data.val.mempoolSize.numTxs) AS mempool_txs
  FROM read_ndjson($files, columns = {
         'at': 'VARCHAR', 'ns': 'VARCHAR', 'host': 'VARCHAR',
         'data': 'STRUCT(kind VARCHAR, slot BIGINT, "current slot" BIGINT, blockNo BIGINT, block VARCHAR, blockPrev VARCHAR, blockHash VARCHAR, blockSize BIGINT, head VARCHAR, size BIGINT, addBlock VARCHAR, risingEdge BOOLEAN, blockingRead BOOLEAN, rollBackTo VARCHAR, newtip VARCHAR, chainLengthDelta BIGINT, Alloc BIGINT, CentiCpu BIGINT, CentiGC BIGINT, CentiMut BIGINT, CentiBlkIO BIGINT, GcsMajor BIGINT, GcsMinor BIGINT, Live BIGINT, RSS BIGINT, Heap BIGINT, Threads BIGINT, NetRd BIGINT, NetWr BIGINT, FsRd BIGINT, FsWr BIGINT, mempoolSize STRUCT(numTxs BIGINT), val STRUCT(kind VARCHAR, slot BIGINT, "current slot" BIGINT, blockNo BIGINT, block VARCHAR, blockPrev VARCHAR, blockHash VARCHAR, blockSize BIGINT, head VARCHAR, size BIGINT, addBlock VARCHAR, risingEdge BOOLEAN, blockingRead BOOLEAN, rollBackTo VARCHAR, newtip VARCHAR, chainLengthDelta BIGINT, Alloc BIGINT, CentiCpu BIGINT, CentiGC BIGINT, CentiMut BIGINT, CentiBlkIO BIGINT, GcsMajor BIGINT, GcsMinor BIGINT, Live BIGINT, RSS BIGINT, Heap BIGINT, Threads BIGINT, NetRd BIGINT, NetWr BIGINT, FsRd BIGINT, FsWr BIGINT, mempoolSize STRUCT(numTxs BIGINT)))'
       }, ignore_errors = true, filename = true, maximum_object_size = 16777216) AS l
  WHERE l."at" IS NOT NULL OR l.ns IS NOT NULL OR l.data IS NOT NULL OR l.host IS NOT NULL
),
named AS (
  SELECT *,
    CASE WHEN legacy THEN CASE kind
        WHEN 'Resources' THEN 'resources'
        WHEN 'ResourceStats' THEN 'resources'
        WHEN 'TraceStartLeadershipCheck' THEN 'loop_start'
        WHEN 'TraceStartLeadershipCheckPlus' THEN 'loop_start'
        WHEN 'TraceBlockContext' THEN 'block_context'
        WHEN 'TraceLedgerState' THEN 'ledger_state'
        WHEN 'TraceLedgerView' THEN 'ledger_view'
        WHEN 'TraceNodeIsLeader' THEN 'leader'
        WHEN 'TraceNodeNotLeader' THEN 'not_leader'
        WHEN 'TraceForgeTickedLedgerState' THEN 'ticked'
        WHEN 'TraceForgingMempoolSnapshot' THEN 'mempool_snapshot'
        WHEN 'TraceForgedBlock' THEN 'forged'
        WHEN 'TraceAdoptedBlock' THEN 'adopted_forger'
        WHEN 'ChainSyncClientEvent.TraceDownloadedHeader' THEN 'header_seen'
        WHEN 'SendFetchRequest' THEN 'fetch_request'
        WHEN 'CompletedBlockFetch' THEN 'fetched'
        WHEN 'ChainSyncServerEvent.TraceChainSyncServerReadBlocked.AddBlock' THEN 'announced'
        WHEN 'TraceBlockFetchServerSendBlock' THEN 'sent'
        WHEN 'TraceAddBlockEvent.AddedToCurrentChain' THEN 'adopted'
        WHEN 'TraceSnapshotEvent.TookSnapshot' THEN 'ledger_snapshot'
        WHEN 'TraceMempoolAddedTx' THEN 'mempool'
        WHEN 'TraceMempoolRemoveTxs' THEN 'mempool'
      END
    ELSE CASE ns
        WHEN 'Resources' THEN 'resources'
        WHEN 'Forge.Loop.StartLeadershipCheck' THEN 'loop_start'
        WHEN 'Forge.Loop.StartLeadershipCheckPlus' THEN 'loop_start'
        WHEN 'Forge.Loop.BlockContext' THEN 'block_context'
        WHEN 'Forge.Loop.LedgerState' THEN 'ledger_state'
        WHEN 'Forge.Loop.LedgerView' THEN 'ledger_view'
        WHEN 'Forge.Loop.NodeIsLeader' THEN 'leader'
        WHEN 'Forge.Loop.NodeNotLeader' THEN 'not_leader'
        -- DESIGN's short names and the upstream namespaces (newNamespaces.txt) alike.
        WHEN 'Forge.Loop.TickedLedgerState' THEN 'ticked'
        WHEN 'Forge.Loop.ForgeTickedLedgerState' THEN 'ticked'
        WHEN 'Forge.Loop.MempoolSnapshot' THEN 'mempool_snapshot'
        WHEN 'Forge.Loop.ForgingMempoolSnapshot' THEN 'mempool_snapshot'
        WHEN 'Forge.Loop.ForgedBlock' THEN 'forged'
        WHEN 'Forge.Loop.AdoptedBlock' THEN 'adopted_forger'
        WHEN 'ChainSync.Client.DownloadedHeader' THEN 'header_seen'
        WHEN 'BlockFetch.Client.SendFetchRequest' THEN 'fetch_request'
        WHEN 'BlockFetch.Client.CompletedBlockFetch' THEN 'fetched'
        WHEN 'ChainSync.ServerHeader.Update' THEN
          CASE WHEN coalesce(rising_edge, true) AND coalesce(blocking_read, true)
                    AND roll_back_to IS NULL AND coalesce(add_block, block) IS NOT NULL
               THEN 'announced' END
        WHEN 'BlockFetch.Server.SendBlock' THEN 'sent'
        WHEN 'ChainDB.AddBlockEvent.AddedToCurrentChain' THEN 'adopted'
        WHEN 'ChainDB.LedgerEvent.TookSnapshot' THEN 'ledger_snapshot'
        WHEN 'ChainDB.LedgerEvent.Snapshot.TookSnapshot' THEN 'ledger_snapshot'
        WHEN 'Mempool.AddedTx' THEN 'mempool'
        WHEN 'Mempool.RemoveTxs' THEN 'mempool'
      END
    END AS ev
  FROM src
)
SELECT $run_id AS run_id, f.file_id, f.node,
       try_cast(n."at" AS TIMESTAMP) AS "at",
       n.ev,
       CASE WHEN n.ev IS NULL THEN n.ns END AS ns,
       CASE WHEN n.ev IS NULL THEN n.kind END AS kind,
       CASE n.ev WHEN 'block_context' THEN coalesce(n.cur_slot, n.slot)
                 WHEN 'adopted' THEN try_cast(split_part(n.newtip, '@', 2) AS BIGINT)
                 ELSE n.slot END AS slot,
       n.block_no,
       left(CASE n.ev WHEN 'adopted_forger' THEN n.block_hash
                      WHEN 'fetch_request' THEN n.head
                      WHEN 'announced' THEN coalesce(n.add_block, n.block)
                      WHEN 'adopted' THEN n.newtip
                      ELSE n.block END, 64) AS block,
       left(n.block_prev, 64) AS block_prev,
       CASE n.ev WHEN 'adopted_forger' THEN n.block_size ELSE n.size END AS size,
       CASE n.ev WHEN 'adopted' THEN coalesce(n.chain_delta, 1) END AS chain_delta,
       n.alloc, n.centi_cpu, n.centi_gc, n.centi_mut, n.centi_blkio, n.gcs_major, n.gcs_minor,
       n.live, n.rss,
       -- Optional resource fields default to 0 (DESIGN §2).
       CASE WHEN n.ev = 'resources' THEN coalesce(n.heap, 0) END,
       n.threads,
       CASE WHEN n.ev = 'resources' THEN coalesce(n.net_rd, 0) END,
       CASE WHEN n.ev = 'resources' THEN coalesce(n.net_wr, 0) END,
       CASE WHEN n.ev = 'resources' THEN coalesce(n.fs_rd, 0) END,
       CASE WHEN n.ev = 'resources' THEN coalesce(n.fs_wr, 0) END,
       n.mempool_txs
FROM named AS n
JOIN files AS f ON f.run_id = $run_id AND f.path = n.filename

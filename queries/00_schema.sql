-- Warehouse schema. Reads nothing; creates the tables every later query uses.
-- runs: one row per ingested run directory (fingerprint decides whether re-ingest is needed).
-- files: each log file of a run with its line counts (log_lines = lines beginning with '{').
-- events: every parsed log object, canonical events named in `ev` (DESIGN §2); other
--         messages keep ns/kind only, for the trace-frequency table.
-- ev_map: which message is which canonical event, per format (new: by ns; legacy: by
--         data.kind) — the one place the DESIGN §2 table lives in SQL. docs/metrics.md
--         ("How each real log shape is read") lists the shapes each row covers.
CREATE TABLE IF NOT EXISTS runs (
  run_id        INTEGER PRIMARY KEY,
  path          VARCHAR UNIQUE NOT NULL,
  tag           VARCHAR NOT NULL,
  fingerprint   VARCHAR NOT NULL,
  info          JSON NOT NULL,
  system_start  TIMESTAMP NOT NULL,
  slot_length   DOUBLE NOT NULL,
  epoch_length  BIGINT NOT NULL,
  max_block_size BIGINT,
  nodes         INTEGER NOT NULL,
  ingested_at   TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS files (
  run_id      INTEGER NOT NULL,
  file_id     INTEGER NOT NULL,
  node        VARCHAR NOT NULL,
  path        VARCHAR NOT NULL,
  log_lines   BIGINT NOT NULL,
  parsed      BIGINT NOT NULL,
  malformed   BIGINT NOT NULL,
  other_lines BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS malformed_samples (
  run_id  INTEGER NOT NULL,
  file_id INTEGER NOT NULL,
  line    VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS events (
  run_id      INTEGER NOT NULL,
  file_id     INTEGER NOT NULL,
  node        VARCHAR NOT NULL,
  "at"        TIMESTAMP,
  ev          VARCHAR,
  ns          VARCHAR,
  kind        VARCHAR,
  slot        BIGINT,
  block_no    BIGINT,
  block       VARCHAR,
  block_prev  VARCHAR,
  size        BIGINT,
  chain_delta BIGINT,
  alloc       BIGINT,
  centi_cpu   BIGINT,
  centi_gc    BIGINT,
  centi_mut   BIGINT,
  centi_blkio BIGINT,
  gcs_major   BIGINT,
  gcs_minor   BIGINT,
  live        BIGINT,
  rss         BIGINT,
  heap        BIGINT,
  threads     BIGINT,
  net_rd      BIGINT,
  net_wr      BIGINT,
  fs_rd       BIGINT,
  fs_wr       BIGINT,
  mempool_txs BIGINT,
  utxo_size   BIGINT,
  chain_density DOUBLE
);

-- The typed `data` of a log line: just the fields the metrics read (DESIGN §9: a typed
-- STRUCT parses much faster than JSON extraction). log_data adds `val`, the payload of a
-- wrapped line (data.credentials + data.val), which has the same fields. No table uses
-- these types, so they are recreated on every open and can change between versions.
-- A field of another JSON type than declared never drops the line: a number or string that
-- does not convert becomes NULL, and an object or array read as VARCHAR arrives as its JSON
-- text (10_events.sql turns that to NULL where an identifier is expected). `blockNo` is
-- VARCHAR because legacy 1.35 writes it as {"unBlockNo": n}.
DROP TYPE IF EXISTS log_data;
DROP TYPE IF EXISTS log_payload;
CREATE TYPE log_payload AS STRUCT(kind VARCHAR, slot BIGINT, "current slot" BIGINT, blockNo VARCHAR, block VARCHAR, blockPrev VARCHAR, blockHash VARCHAR, blockSize BIGINT, head VARCHAR, size BIGINT, addBlock VARCHAR, risingEdge BOOLEAN, blockingRead BOOLEAN, rollBackTo VARCHAR, newtip VARCHAR, chainLengthDelta BIGINT, Alloc BIGINT, CentiCpu BIGINT, CentiGC BIGINT, CentiMut BIGINT, CentiBlkIO BIGINT, GcsMajor BIGINT, GcsMinor BIGINT, Live BIGINT, RSS BIGINT, Heap BIGINT, Threads BIGINT, NetRd BIGINT, NetWr BIGINT, FsRd BIGINT, FsWr BIGINT, mempoolSize STRUCT(numTxs BIGINT), utxoSize BIGINT, chainDensity DOUBLE);
CREATE TYPE log_data AS STRUCT(kind VARCHAR, slot BIGINT, "current slot" BIGINT, blockNo VARCHAR, block VARCHAR, blockPrev VARCHAR, blockHash VARCHAR, blockSize BIGINT, head VARCHAR, size BIGINT, addBlock VARCHAR, risingEdge BOOLEAN, blockingRead BOOLEAN, rollBackTo VARCHAR, newtip VARCHAR, chainLengthDelta BIGINT, Alloc BIGINT, CentiCpu BIGINT, CentiGC BIGINT, CentiMut BIGINT, CentiBlkIO BIGINT, GcsMajor BIGINT, GcsMinor BIGINT, Live BIGINT, RSS BIGINT, Heap BIGINT, Threads BIGINT, NetRd BIGINT, NetWr BIGINT, FsRd BIGINT, FsWr BIGINT, mempoolSize STRUCT(numTxs BIGINT), utxoSize BIGINT, chainDensity DOUBLE, val log_payload);

CREATE TABLE IF NOT EXISTS ev_map (legacy BOOLEAN NOT NULL, msg VARCHAR NOT NULL, ev VARCHAR NOT NULL);
DELETE FROM ev_map;
INSERT INTO ev_map VALUES
  (false, 'Resources', 'resources'),
  (false, 'Forge.Loop.StartLeadershipCheck', 'loop_start'),
  (false, 'Forge.Loop.StartLeadershipCheckPlus', 'loop_start'),
  (false, 'Forge.Loop.BlockContext', 'block_context'),
  (false, 'Forge.Loop.LedgerState', 'ledger_state'),
  (false, 'Forge.Loop.LedgerView', 'ledger_view'),
  (false, 'Forge.Loop.NodeIsLeader', 'leader'),
  (false, 'Forge.Loop.NodeNotLeader', 'not_leader'),
  -- DESIGN's short names and the upstream namespaces (newNamespaces.txt) alike.
  (false, 'Forge.Loop.TickedLedgerState', 'ticked'),
  (false, 'Forge.Loop.ForgeTickedLedgerState', 'ticked'),
  (false, 'Forge.Loop.MempoolSnapshot', 'mempool_snapshot'),
  (false, 'Forge.Loop.ForgingMempoolSnapshot', 'mempool_snapshot'),
  (false, 'Forge.Loop.ForgedBlock', 'forged'),
  (false, 'Forge.Loop.AdoptedBlock', 'adopted_forger'),
  (false, 'ChainSync.Client.DownloadedHeader', 'header_seen'),
  (false, 'BlockFetch.Client.SendFetchRequest', 'fetch_request'),
  (false, 'BlockFetch.Client.CompletedBlockFetch', 'fetched'),
  (false, 'ChainSync.ServerHeader.Update', 'announced'),
  (false, 'BlockFetch.Server.SendBlock', 'sent'),
  (false, 'ChainDB.AddBlockEvent.AddedToCurrentChain', 'adopted'),
  (false, 'ChainDB.AddBlockEvent.SwitchedToAFork', 'switched'),
  (false, 'LedgerMetrics', 'ledger_metrics'),
  (false, 'ChainDB.LedgerEvent.TookSnapshot', 'ledger_snapshot'),
  (false, 'ChainDB.LedgerEvent.Snapshot.TookSnapshot', 'ledger_snapshot'),
  (false, 'Mempool.AddedTx', 'mempool'),
  (false, 'Mempool.RemoveTxs', 'mempool'),
  (true, 'Resources', 'resources'),
  (true, 'ResourceStats', 'resources'),
  (true, 'TraceStartLeadershipCheck', 'loop_start'),
  (true, 'TraceStartLeadershipCheckPlus', 'loop_start'),
  (true, 'TraceBlockContext', 'block_context'),
  (true, 'TraceLedgerState', 'ledger_state'),
  (true, 'TraceLedgerView', 'ledger_view'),
  (true, 'TraceNodeIsLeader', 'leader'),
  (true, 'TraceNodeNotLeader', 'not_leader'),
  (true, 'TraceForgeTickedLedgerState', 'ticked'),
  (true, 'TraceForgingMempoolSnapshot', 'mempool_snapshot'),
  (true, 'TraceForgedBlock', 'forged'),
  (true, 'TraceAdoptedBlock', 'adopted_forger'),
  (true, 'ChainSyncClientEvent.TraceDownloadedHeader', 'header_seen'),
  (true, 'SendFetchRequest', 'fetch_request'),
  (true, 'CompletedBlockFetch', 'fetched'),
  -- Nodes ≥ 1.35 write TraceChainSyncServerUpdate (edge flags as in new tracing); older
  -- ones ReadBlocked.AddBlock, or Read.AddBlock for a non-blocking read, which locli
  -- counts as an announcement too.
  (true, 'ChainSyncServerEvent.TraceChainSyncServerUpdate', 'announced'),
  (true, 'ChainSyncServerEvent.TraceChainSyncServerReadBlocked.AddBlock', 'announced'),
  (true, 'ChainSyncServerEvent.TraceChainSyncServerRead.AddBlock', 'announced'),
  (true, 'TraceBlockFetchServerSendBlock', 'sent'),
  (true, 'TraceAddBlockEvent.AddedToCurrentChain', 'adopted'),
  (true, 'TraceAddBlockEvent.SwitchedToAFork', 'switched'),
  (true, 'LedgerMetrics', 'ledger_metrics'),
  (true, 'TraceSnapshotEvent.TookSnapshot', 'ledger_snapshot'),
  (true, 'TraceMempoolAddedTx', 'mempool'),
  (true, 'TraceMempoolRemoveTxs', 'mempool');

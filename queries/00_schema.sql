-- Warehouse schema. Reads nothing; creates the tables every later query uses.
-- runs: one row per ingested run directory (fingerprint decides whether re-ingest is needed).
-- files: each log file of a run with its line counts (log_lines = lines beginning with '{').
-- ev_*, msg_counts: the parsed log objects, by family (below); `events` is a view over them.
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

-- The canonical events, stored narrow: one table per event family, each with only the columns
-- its events carry (a wide table of every field cost more to write than to parse; issue 11).
-- `file_id` names the node through `files`.
--   ev_resources: Resources samples;  ev_slot: forging-loop steps by slot, with the loop
--                 start's UTxO size and chain density (and ledger snapshots, ledger metrics);
--   ev_block: block-level events (forged … adopted) with hash, slot, number, size, delta;
--   msg_counts: every message per file × (ns, kind) × hour: count and first/last time — the
--               trace frequency table, the log span and the lines dated outside the run.
-- ev_name: the canonical event names (ev_map below gives each its messages), stored as an ENUM:
-- a byte per row instead of a string, cheaper to write and to compare (issue 11). A new name is
-- a new layout (pipeline/db.ts SCHEMA_VERSION): the rebuild drops the type with the tables.
CREATE TYPE IF NOT EXISTS ev_name AS ENUM (
  'resources', 'loop_start', 'block_context', 'ledger_state', 'ledger_view', 'leader', 'not_leader',
  'ticked', 'mempool_snapshot', 'ledger_metrics', 'ledger_snapshot', 'forged', 'adopted_forger',
  'header_seen', 'fetch_request', 'fetched', 'announced', 'sent', 'adopted', 'switched', 'mempool');

CREATE TABLE IF NOT EXISTS ev_resources (
  run_id INTEGER NOT NULL, file_id INTEGER NOT NULL, "at" TIMESTAMP,
  alloc BIGINT, centi_cpu BIGINT, centi_gc BIGINT, centi_mut BIGINT, centi_blkio BIGINT,
  gcs_major BIGINT, gcs_minor BIGINT, live BIGINT, rss BIGINT, heap BIGINT, threads BIGINT,
  net_rd BIGINT, net_wr BIGINT, fs_rd BIGINT, fs_wr BIGINT
);

CREATE TABLE IF NOT EXISTS ev_slot (
  run_id INTEGER NOT NULL, file_id INTEGER NOT NULL, "at" TIMESTAMP, ev ev_name NOT NULL, slot BIGINT,
  utxo_size BIGINT, chain_density DOUBLE
);

CREATE TABLE IF NOT EXISTS ev_block (
  run_id INTEGER NOT NULL, file_id INTEGER NOT NULL, "at" TIMESTAMP, ev ev_name NOT NULL,
  slot BIGINT, block VARCHAR, block_prev VARCHAR, block_no BIGINT, size BIGINT, chain_delta BIGINT
);

CREATE TABLE IF NOT EXISTS msg_counts (
  run_id INTEGER NOT NULL, file_id INTEGER NOT NULL, ns VARCHAR, kind VARCHAR, ev ev_name,
  hour TIMESTAMP, n BIGINT NOT NULL, first_at TIMESTAMP, last_at TIMESTAMP
);

-- `events`: the canonical events as one relation, the shape every metric query reads.
-- A view over the narrow tables: a filter on `ev` reaches only the tables that can hold it.
CREATE OR REPLACE VIEW events AS
SELECT e.run_id, e.file_id, f.node, e."at", 'resources'::ev_name AS ev,
       e.alloc, e.centi_cpu, e.centi_gc, e.centi_mut, e.centi_blkio, e.gcs_major, e.gcs_minor,
       e.live, e.rss, e.heap, e.threads, e.net_rd, e.net_wr, e.fs_rd, e.fs_wr
FROM ev_resources AS e JOIN files AS f USING (run_id, file_id)
UNION ALL BY NAME
SELECT e.run_id, e.file_id, f.node, e."at", e.ev, e.slot, e.utxo_size, e.chain_density
FROM ev_slot AS e JOIN files AS f USING (run_id, file_id)
UNION ALL BY NAME
SELECT e.run_id, e.file_id, f.node, e."at", e.ev, e.slot, e.block, e.block_prev, e.block_no, e.size, e.chain_delta
FROM ev_block AS e JOIN files AS f USING (run_id, file_id);

-- What each family reads of a line's `data` (cast from JSON: a missing field, or a number or
-- string that does not convert, is NULL; an object or array read as VARCHAR arrives as its
-- JSON text, which 11_ev_block.sql turns to NULL where an identifier is expected). `blockNo`
-- is VARCHAR because legacy 1.35 writes it as {"unBlockNo": n}. `kind` and `val` find a
-- wrapped payload (data.credentials + data.val). No table uses these types, so they are
-- recreated on every open.
DROP TYPE IF EXISTS log_data;
DROP TYPE IF EXISTS log_payload;
DROP TYPE IF EXISTS resources_data;
DROP TYPE IF EXISTS slot_data;
DROP TYPE IF EXISTS block_data;
CREATE TYPE resources_data AS STRUCT(
  Alloc BIGINT, CentiCpu BIGINT, CentiGC BIGINT, CentiMut BIGINT, CentiBlkIO BIGINT, GcsMajor BIGINT,
  GcsMinor BIGINT, Live BIGINT, RSS BIGINT, Heap BIGINT, Threads BIGINT, NetRd BIGINT, NetWr BIGINT,
  FsRd BIGINT, FsWr BIGINT, kind VARCHAR, val JSON);
CREATE TYPE slot_data AS STRUCT(slot BIGINT, "current slot" BIGINT, utxoSize BIGINT, chainDensity DOUBLE,
                                kind VARCHAR, val JSON);
CREATE TYPE block_data AS STRUCT(
  slot BIGINT, blockNo VARCHAR, block VARCHAR, blockPrev VARCHAR, blockHash VARCHAR, blockSize BIGINT,
  head VARCHAR, size BIGINT, addBlock VARCHAR, newtip VARCHAR, chainLengthDelta BIGINT,
  kind VARCHAR, val JSON);

-- family: the narrow table that holds the event; 'count': only counted, in msg_counts (the
-- mempool events: no metric reads their fields, and they are among the most frequent lines).
DROP TABLE IF EXISTS ev_map;
CREATE TABLE ev_map (legacy BOOLEAN NOT NULL, msg VARCHAR NOT NULL, ev ev_name NOT NULL, family VARCHAR);
INSERT INTO ev_map (legacy, msg, ev) VALUES
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
UPDATE ev_map SET family = CASE
  WHEN ev = 'resources' THEN 'resources'
  WHEN ev IN ('loop_start', 'block_context', 'ledger_state', 'ledger_view', 'leader', 'not_leader',
              'ticked', 'mempool_snapshot', 'ledger_snapshot', 'ledger_metrics') THEN 'slot'
  WHEN ev IN ('forged', 'adopted_forger', 'header_seen', 'fetch_request', 'fetched', 'announced',
              'sent', 'adopted', 'switched') THEN 'block'
  ELSE 'count' END;

-- Warehouse schema. Reads nothing; creates the tables every later query uses.
-- runs: one row per ingested run directory (fingerprint decides whether re-ingest is needed).
-- files: each log file of a run with its line counts (log_lines = lines beginning with '{').
-- events: every parsed log object, canonical events named in `ev` (DESIGN §2); other
--         messages keep ns/kind only, for the trace-frequency table.
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
  mempool_txs BIGINT
);

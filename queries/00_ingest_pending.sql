-- Runs whose ingest has begun and not finished: ingest writes the id here, in a transaction of
-- its own, before loading the run, and deletes it once the run's transaction has committed.
-- Reads nothing; no params. An id left here after a crash names the run Warehouse.open must
-- clear, without scanning every table (a full scan for orphans grows with the warehouse).
-- The column is not called run_id on purpose: this table is not per-run data, and clearing a
-- run (every table with a run_id) must not clear its marker.
CREATE TABLE IF NOT EXISTS ingest_pending (pending_id INTEGER NOT NULL);

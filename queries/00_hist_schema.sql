-- History's cache of run values (DESIGN §5.3): `history` reads metrics from here instead of
-- recomputing them from events for every build on every night. Reads nothing.
-- A row is valid while its run keeps the same fingerprint and the same `calc` key (tool
-- version and block filters); a re-ingested or re-computed run simply misses the cache.
-- Kept outside the ingest tables so re-ingest and layout resets never leave it inconsistent:
-- lookups join on the fingerprint, not on run_id alone.
CREATE TABLE IF NOT EXISTS hist_run_values (
  run_id      INTEGER NOT NULL,
  fingerprint VARCHAR NOT NULL,
  calc        VARCHAR NOT NULL,
  metric      VARCHAR NOT NULL,
  value       DOUBLE
);

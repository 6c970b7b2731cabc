// warehouse (the ingest stage): run folders' node logs → the DuckDB warehouse. Takes discovered
// runs (core's RunInfo); gives the warehouse file with one canonical event table per family,
// the message census and malformed-line counts per file, and Parquet extracts of runs.
// Owns the file: its lock, layout version, compaction, and the sniffing of log formats.
export * from './db.js';
export * from './ingest.js';
export * from './sniff.js';
export * from './gzip.js';
export * from './extract.js';
export * from './version.js';
export * from './log-files.js';
export * from './census.js';

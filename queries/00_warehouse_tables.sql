-- The tables of the open warehouse file (main schema, not temporary) and whether each has a
-- run_id column. Reads the DuckDB catalogue; no params. db.ts uses it to tell our file from
-- someone else's, to find every table that holds per-run rows (for run-id allocation, deleting
-- a run before it is written again and repairing rows left by a crash) and, on a layout
-- change, which tables to rebuild. Listing them here, not by name in code, means a new table
-- with a run_id column is covered without touching db.ts.
SELECT t.table_name,
       bool_or(c.column_name = 'run_id') AS has_run_id,
       bool_or(c.column_name = 'schema_version') AS has_schema_version
FROM duckdb_tables() AS t
JOIN duckdb_columns() AS c USING (database_name, schema_name, table_name)
WHERE t.database_name = current_database() AND t.schema_name = 'main' AND NOT t.temporary
GROUP BY t.table_name
ORDER BY t.table_name

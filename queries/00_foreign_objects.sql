-- Everything in the open file that is not a table of the main schema: views, macros, sequences,
-- types, and schemas with their tables. Reads the DuckDB catalogue; no params. db.ts asks only
-- when the file has no `warehouse` table: a file without one that holds anything at all (a
-- view and a macro, tables in another schema) is someone else's, refused untouched. In our
-- own warehouse the `events` view and the `ev_name` type are expected and never asked about.
SELECT kind || ' ' || name AS object
FROM (
  SELECT 'schema' AS kind, schema_name AS name FROM duckdb_schemas() WHERE database_name = current_database() AND NOT internal
  UNION ALL
  SELECT 'table', schema_name || '.' || table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name <> 'main' AND NOT temporary
  UNION ALL
  SELECT 'view', view_name FROM duckdb_views() WHERE database_name = current_database() AND NOT internal AND NOT temporary
  UNION ALL
  SELECT 'macro', function_name FROM duckdb_functions() WHERE database_name = current_database() AND NOT internal
  UNION ALL
  SELECT 'sequence', sequence_name FROM duckdb_sequences() WHERE database_name = current_database() AND NOT temporary
  UNION ALL
  SELECT 'type', type_name FROM duckdb_types() WHERE database_name = current_database() AND NOT internal
)
ORDER BY kind, name

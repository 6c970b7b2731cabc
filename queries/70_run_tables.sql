-- The warehouse tables that hold rows per run: every base table of the main schema with a
-- `run_id` column, read from the catalogue so extracts follow the layout without a list in
-- code. Takes no parameters. Reads duckdb_columns(), duckdb_tables().
SELECT c.table_name
FROM duckdb_columns() AS c
JOIN duckdb_tables() AS t USING (database_name, schema_name, table_name)
WHERE c.database_name = current_database()
  AND c.schema_name = 'main'
  AND c.column_name = 'run_id'
  AND NOT t.temporary
ORDER BY c.table_name

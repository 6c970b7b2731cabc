-- How many lines the head scan just read (10_log_head.sql) could not hold as text: invalid
-- UTF-8, or longer than its max_line_size. Reads head_rejects, the temporary table that scan
-- wrote; no params. Any such line means the head's counts fall short: the census decides.
SELECT count(*) AS n FROM head_rejects

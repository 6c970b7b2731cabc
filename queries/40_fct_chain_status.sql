-- Per run: forged blocks by chain status (40_fct_chain_members), and contradictions (two
-- forged chain blocks at one slot or one blockNo): the chain is complete when neither
-- undecided blocks nor contradictions remain. Reads fct_chain_members, fct_forged, sel_runs.
CREATE OR REPLACE TEMP TABLE fct_chain_status AS
SELECT s.run_id,
       count(m.block) AS forged,
       count(m.block) FILTER (WHERE m.status = 'on_chain') AS on_chain,
       count(m.block) FILTER (WHERE m.status = 'lost') AS lost,
       count(m.block) FILTER (WHERE m.status = 'undecided') AS undecided,
       count(m.block) FILTER (WHERE m.status = 'undecided' AND m.cause = 'fork_switch') AS undecided_switch,
       (SELECT count(*) FROM fct_chain_members AS a JOIN fct_forged AS fa USING (run_id, block)
        JOIN fct_chain_members AS b ON b.run_id = a.run_id AND b.block > a.block
        JOIN fct_forged AS fb ON fb.run_id = b.run_id AND fb.block = b.block
        WHERE a.run_id = s.run_id AND a.status = 'on_chain' AND b.status = 'on_chain'
          AND (fa.slot = fb.slot OR fa.block_no = fb.block_no)) AS contradictions
FROM sel_runs AS s LEFT JOIN fct_chain_members AS m USING (run_id)
GROUP BY s.run_id

-- The forged blocks on the chain (40_fct_chain_members), one row each, with what the block
-- filters need. Reads fct_chain_members, fct_forged, stg_block_events, sel_runs.
CREATE OR REPLACE TEMP TABLE fct_chain AS
WITH adoptions AS (
  SELECT run_id, block,
         count(DISTINCT node) AS adopters,
         bool_and(unitary) AS unitary,
         min(t) AS first_adopted_t,
         list(node) AS adopter_nodes
  FROM stg_block_events WHERE ev = 'adopted' GROUP BY run_id, block
), sizes AS (
  SELECT b.run_id, b.block, b.size
  FROM stg_block_events AS b JOIN fct_forged AS f USING (run_id, block)
  WHERE b.ev = 'adopted_forger' AND b.node = f.forger
)
SELECT f.run_id, f.block, f.forger, f.slot, f.block_no, f.forged_t,
       s.start_us + f.slot * s.slot_us AS slot_t,
       f.slot // s.epoch_length AS epoch,
       f.slot % s.epoch_length AS epoch_slot,
       z.size,
       (f.slot % s.epoch_length) // nullif(s.safe_interval, 0) AS safe_int,
       s.max_block_size AS max_size,
       coalesce(len(list_filter(a.adopter_nodes, x -> x <> f.forger)), 0) AS adoptions,
       coalesce(a.unitary, true) AS unitary,
       coalesce(a.first_adopted_t >= s.start_us + f.slot * s.slot_us, true) AS nonnegative
FROM fct_chain_members AS c
JOIN fct_forged AS f USING (run_id, block)
JOIN sel_runs AS s USING (run_id)
LEFT JOIN adoptions AS a USING (run_id, block)
LEFT JOIN sizes AS z USING (run_id, block)
WHERE c.status = 'on_chain'

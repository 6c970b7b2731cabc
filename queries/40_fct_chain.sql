-- The chain, rebuilt from the highest forged block (greatest blockNo; ties: earliest slot,
-- then earliest forged, then hash)
-- backwards along blockPrev while the predecessor was forged in the run (DESIGN §4).
-- Blocks forged but not on it are lost battles. Reads fct_forged, stg_block_events, sel_runs.
-- One row per chain block with what the block filters need.
CREATE OR REPLACE TEMP TABLE fct_chain AS
WITH RECURSIVE heads AS (
  SELECT run_id, first(block ORDER BY block_no DESC, slot, forged_t, block) AS block
  FROM fct_forged WHERE block_no IS NOT NULL GROUP BY run_id
), chain(run_id, block, depth) AS (
  SELECT run_id, block, 0 FROM heads
  UNION ALL
  SELECT f.run_id, f.block_prev, c.depth + 1
  FROM chain AS c
  JOIN fct_forged AS f ON f.run_id = c.run_id AND f.block = c.block
  JOIN fct_forged AS p ON p.run_id = f.run_id AND p.block = f.block_prev
), adoptions AS (
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
FROM (SELECT DISTINCT run_id, block FROM chain) AS c
JOIN fct_forged AS f USING (run_id, block)
JOIN sel_runs AS s USING (run_id)
LEFT JOIN adoptions AS a USING (run_id, block)
LEFT JOIN sizes AS z USING (run_id, block)

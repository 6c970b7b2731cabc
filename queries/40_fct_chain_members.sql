-- Which forged blocks are on the chain (DESIGN §4). The chain is rebuilt from the highest forged block (greatest blockNo; ties:
-- earliest slot, then earliest forged, then hash) backwards along blockPrev while the
-- predecessor was forged in the run. Where that walk stops at a block no log forged while
-- forged blocks remain below it (their forgers' logs are missing), the nodes' own tips
-- (stg_tips) decide, by these rules:
--   · kept: block B was a node's tip and no later fork switch on that node could have
--     rolled it back. A switch to a tip at slot s ≠ B drops B when slot(B) ≥ s (a chain
--     whose tip is at slot s holds no other block at or after s); it may roll back B when
--     B was fewer than k tip changes deep (Praos never rolls back more than k blocks; k unknown:
--     any later switch may).
--   · on chain: the walk, plus forged blocks kept by some node and dropped by none, plus
--     the forged blocks their blockPrev walks reach.
--   · lost: not on chain, and another chain block (kept tips of unforged blocks included)
--     holds its slot or blockNo, or its blockNo is within the walked segment, or a node
--     dropped it and none kept it.
--   · undecided: the rest. Two chain blocks at one slot or blockNo are a contradiction.
-- When any block is undecided, the chain counts are unknown (40_fct_chain_status,
-- 50_fct_samples) and a `chain-incomplete` warning says why (60_fct_warnings).
-- Reads fct_forged, stg_tips, sel_runs. One row per forged block with its status.
CREATE OR REPLACE TEMP TABLE fct_chain_members AS
WITH RECURSIVE heads AS (
  SELECT run_id, first(block ORDER BY block_no DESC, slot, forged_t, block) AS block
  FROM fct_forged WHERE block_no IS NOT NULL GROUP BY run_id
), walk(run_id, block) AS MATERIALIZED (
  SELECT run_id, block FROM heads
  UNION
  SELECT f.run_id, f.block_prev
  FROM walk AS c
  JOIN fct_forged AS f ON f.run_id = c.run_id AND f.block = c.block
  JOIN fct_forged AS p ON p.run_id = f.run_id AND p.block = f.block_prev
), walk_span AS MATERIALIZED (
  SELECT w.run_id, min(f.block_no) AS lo FROM walk AS w JOIN fct_forged AS f USING (run_id, block) GROUP BY w.run_id
), needy AS (
  -- Runs where the walk left forged blocks below it (or without a blockNo): only these need
  -- the evidence; with every forger's log present the walk reaches the bottom.
  SELECT DISTINCT f.run_id FROM fct_forged AS f LEFT JOIN walk_span AS ws USING (run_id)
  WHERE (f.block_no IS NULL OR ws.lo IS NULL OR f.block_no < ws.lo)
    AND NOT EXISTS (SELECT 1 FROM walk AS w WHERE w.run_id = f.run_id AND w.block = f.block)
), last_tip AS (
  -- A block's latest time as a node's tip: a later return to it undoes earlier switches.
  SELECT run_id, node, block, max(seq) AS seq, arg_max(slot, seq) AS slot
  FROM stg_tips JOIN needy USING (run_id) GROUP BY ALL
), later_switch AS (
  -- Each later fork switch on the same node to another tip, with how many tip changes
  -- deep the block was by then.
  SELECT l.run_id, l.node, l.block, l.slot, s.slot AS switch_slot, s.seq - l.seq - 1 AS depth
  FROM last_tip AS l
  JOIN stg_tips AS s ON s.run_id = l.run_id AND s.node = l.node AND s.switched AND s.seq > l.seq
                    AND s.block <> l.block
), judged AS (
  SELECT l.run_id, l.node, l.block, l.slot,
         coalesce(bool_or(w.slot >= w.switch_slot) FILTER (WHERE w.depth IS NOT NULL), false) AS dropped,
         coalesce(bool_or(w.slot IS NULL OR w.switch_slot IS NULL OR r.k IS NULL OR w.depth < r.k)
                    FILTER (WHERE w.depth IS NOT NULL), false) AS clouded
  FROM last_tip AS l
  JOIN sel_runs AS r USING (run_id)
  LEFT JOIN later_switch AS w USING (run_id, node, block)
  GROUP BY ALL
), evidence AS MATERIALIZED (
  SELECT run_id, block, any_value(slot) AS slot,
         bool_or(NOT dropped AND NOT clouded) AS kept_by_one,
         bool_or(dropped) AS dropped_by_one
  FROM judged GROUP BY run_id, block
), seeds AS (
  SELECT run_id, block FROM walk
  UNION
  SELECT e.run_id, e.block FROM evidence AS e JOIN fct_forged USING (run_id, block)
  WHERE e.kept_by_one AND NOT e.dropped_by_one
), reach(run_id, block) AS MATERIALIZED (
  SELECT run_id, block FROM seeds
  UNION
  SELECT f.run_id, f.block_prev
  FROM reach AS c
  JOIN fct_forged AS f ON f.run_id = c.run_id AND f.block = c.block
  JOIN fct_forged AS p ON p.run_id = f.run_id AND p.block = f.block_prev
), members AS MATERIALIZED (
  -- Every block known to be on the chain, forged in the run or only seen as a kept tip.
  SELECT r.run_id, r.block, f.slot, f.block_no, true AS forged FROM reach AS r JOIN fct_forged AS f USING (run_id, block)
  UNION ALL
  SELECT e.run_id, e.block, e.slot, NULL, false FROM evidence AS e
  WHERE e.kept_by_one AND NOT e.dropped_by_one
    AND NOT EXISTS (SELECT 1 FROM fct_forged AS f WHERE f.run_id = e.run_id AND f.block = e.block)
)
SELECT f.run_id, f.block,
       CASE WHEN m.block IS NOT NULL THEN 'on_chain'
            WHEN f.block_no >= ws.lo
              OR EXISTS (SELECT 1 FROM members AS o WHERE o.run_id = f.run_id AND o.block <> f.block
                           AND (o.slot = f.slot OR o.block_no = f.block_no))
              OR (coalesce(e.dropped_by_one, false) AND NOT coalesce(e.kept_by_one, false))
              THEN 'lost'
            ELSE 'undecided' END AS status
FROM fct_forged AS f
LEFT JOIN members AS m ON m.run_id = f.run_id AND m.block = f.block
LEFT JOIN walk_span AS ws ON ws.run_id = f.run_id
LEFT JOIN evidence AS e ON e.run_id = f.run_id AND e.block = f.block

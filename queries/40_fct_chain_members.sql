-- Which forged blocks are on the chain (DESIGN §4). locli's rule: from the highest forged
-- block (greatest blockNo; ties: earliest slot, then earliest forged, then hash) backwards
-- along blockPrev while the predecessor was forged in the run. When forgers' logs are
-- missing that walk stops at a block no log forged with forged blocks left below it, and
-- the highest block a log holds may itself have lost its battle; the nodes' own tips
-- (stg_tips) then decide, by these rules:
--   · kept: block B was a node's tip and no later fork switch on that node can have
--     undone it. A switch to a tip at slot s ≠ B drops B when slot(B) ≥ s (a chain whose
--     tip is at slot s holds no other block at or after s); it may undo B when B was fewer
--     than k tip changes deep (Praos never rolls back more than k blocks; k unknown: any
--     later switch may).
--   · the head is the highest forged block that some node dropped and none kept — never.
--   · on chain: the walk; where the walk left forged blocks below it, also the forged
--     blocks kept by some node and dropped by none, and the forged blocks their blockPrev
--     walks reach.
--   · lost: not on chain, and another chain block (kept tips nobody's log forged included)
--     holds its slot or blockNo, or its blockNo is within the walked segment, or a node
--     dropped it and none kept it.
--   · undecided: the rest. Two chain blocks at one slot or blockNo are a contradiction.
-- With every forger's log present the walk covers every height and this is locli's rule.
-- When any block is undecided, the chain counts are unknown (40_fct_chain_status,
-- 50_fct_samples) and a `chain-incomplete` warning says why (60_fct_warnings).
-- Reads fct_forged, stg_tips, sel_runs. One row per forged block with its status (and, for
-- an undecided one, its cause: fork_switch or missing_log; other statuses carry it unused).
CREATE OR REPLACE TEMP TABLE fct_chain_members AS
WITH RECURSIVE last_tip AS (
  -- A block's latest time as a node's tip: a later return to it undoes earlier switches.
  SELECT run_id, node, block, max(seq) AS seq, arg_max(slot, seq) AS slot
  FROM stg_tips GROUP BY ALL
), later_switch AS (
  -- Each later fork switch on the same node to another tip that can drop or undo the
  -- block, with how many tip changes deep the block was by then. Only switches within k
  -- tip changes, or to a slot at or before the block's, can: the join stays small.
  SELECT l.run_id, l.node, l.block, l.slot, s.slot AS switch_slot, s.seq - l.seq - 1 AS depth
  FROM last_tip AS l
  JOIN sel_runs AS r USING (run_id)
  JOIN stg_tips AS s ON s.run_id = l.run_id AND s.node = l.node AND s.switched AND s.seq > l.seq
                    AND s.block <> l.block
                    AND (r.k IS NULL OR l.slot IS NULL OR s.slot IS NULL
                         OR s.seq - l.seq <= r.k OR l.slot >= s.slot)
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
         bool_or(dropped) AS dropped_by_one,
         bool_or(clouded) AS clouded_by_one
  FROM judged GROUP BY run_id, block
), heads AS (
  SELECT f.run_id, first(f.block ORDER BY f.block_no DESC, f.slot, f.forged_t, f.block) AS block
  FROM fct_forged AS f LEFT JOIN evidence AS e USING (run_id, block)
  WHERE f.block_no IS NOT NULL AND NOT (coalesce(e.dropped_by_one, false) AND NOT coalesce(e.kept_by_one, false))
  GROUP BY f.run_id
), walk(run_id, block) AS MATERIALIZED (
  SELECT run_id, block FROM heads
  UNION
  SELECT f.run_id, f.block_prev
  FROM walk AS c
  JOIN fct_forged AS f ON f.run_id = c.run_id AND f.block = c.block
  JOIN fct_forged AS p ON p.run_id = f.run_id AND p.block = f.block_prev
), walk_span AS MATERIALIZED (
  SELECT w.run_id, min(f.block_no) AS lo, max(f.block_no) AS hi
  FROM walk AS w JOIN fct_forged AS f USING (run_id, block) GROUP BY w.run_id
), needy AS MATERIALIZED (
  -- Runs where the walk left forged blocks below it (or without a blockNo): only there do
  -- kept tips add to the chain; with every forger's log present the walk reaches the bottom.
  SELECT DISTINCT f.run_id FROM fct_forged AS f LEFT JOIN walk_span AS ws USING (run_id)
  WHERE (f.block_no IS NULL OR ws.lo IS NULL OR f.block_no < ws.lo)
    AND NOT EXISTS (SELECT 1 FROM walk AS w WHERE w.run_id = f.run_id AND w.block = f.block)
), kept AS (
  SELECT e.* FROM evidence AS e JOIN needy USING (run_id)
  WHERE e.kept_by_one AND NOT e.dropped_by_one
), seeds AS (
  SELECT run_id, block FROM walk
  UNION
  SELECT k.run_id, k.block FROM kept AS k JOIN fct_forged USING (run_id, block)
), reach(run_id, block) AS MATERIALIZED (
  SELECT run_id, block FROM seeds
  UNION
  SELECT f.run_id, f.block_prev
  FROM reach AS c
  JOIN fct_forged AS f ON f.run_id = c.run_id AND f.block = c.block
  JOIN fct_forged AS p ON p.run_id = f.run_id AND p.block = f.block_prev
), members AS MATERIALIZED (
  -- Every block known to be on the chain, forged in the run or only seen as a kept tip.
  SELECT r.run_id, r.block, f.slot, f.block_no FROM reach AS r JOIN fct_forged AS f USING (run_id, block)
  UNION ALL
  SELECT k.run_id, k.block, k.slot, NULL FROM kept AS k
  WHERE NOT EXISTS (SELECT 1 FROM fct_forged AS f WHERE f.run_id = k.run_id AND f.block = k.block)
)
SELECT f.run_id, f.block,
       CASE WHEN m.block IS NOT NULL THEN 'on_chain'
            WHEN f.block_no BETWEEN ws.lo AND ws.hi
              OR EXISTS (SELECT 1 FROM members AS o WHERE o.run_id = f.run_id AND o.block <> f.block
                           AND (o.slot = f.slot OR o.block_no = f.block_no))
              OR (coalesce(e.dropped_by_one, false) AND NOT coalesce(e.kept_by_one, false))
              THEN 'lost'
            ELSE 'undecided' END AS status,
       -- Why an undecided block is: a node took it as its tip and then switched forks within
       -- k tip changes of it (the logs do not show how deep the switch rolled back), else no
       -- log's tips reach it (the forgers' logs of the blocks around it are missing).
       CASE WHEN coalesce(e.clouded_by_one, false) THEN 'fork_switch' ELSE 'missing_log' END AS cause
FROM fct_forged AS f
LEFT JOIN members AS m ON m.run_id = f.run_id AND m.block = f.block
LEFT JOIN walk_span AS ws ON ws.run_id = f.run_id
LEFT JOIN evidence AS e ON e.run_id = f.run_id AND e.block = f.block

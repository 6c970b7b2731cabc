-- Earliest time each node logged each block-level event (DESIGN §2: where a node logs the
-- same event for the same block more than once, the earliest counts). For `adopted`, also
-- whether the node's adoption of the block was unitary: it extended the node's chain by
-- exactly one block, i.e. the node's tip just before was the block's blockPrev. A node's
-- tips are the blocks it took as its chain's head, each at the first time it logged so:
-- AddedToCurrentChain, SwitchedToAFork, or the forger's own AdoptedBlock (a forger may log
-- either of AdoptedBlock and AddedToCurrentChain, in either order). This is derived from
-- the chain links, never from chainLengthDelta, which new tracing does not log: the same
-- events in either format then filter alike. Where the logs cannot tell (the block or its
-- predecessor forged by no log of the run) the adoption counts as unitary, as locli's
-- default delta of 1 does. Reads events, sel_runs. Times are epoch microseconds; events
-- outside the run's extent (20_sel_runs) are left out.
CREATE OR REPLACE TEMP TABLE stg_block_events AS
WITH links AS (
  SELECT e.run_id, e.block, arg_min(e.block_prev, e."at") AS block_prev
  FROM events AS e JOIN sel_runs AS r USING (run_id)
  WHERE e.ev = 'forged' AND e.block IS NOT NULL AND epoch_us(e."at") BETWEEN r.lo_us AND r.hi_us
  GROUP BY ALL
), heads AS (
  SELECT e.run_id, e.node, e.block, min(e."at") AS "at"
  FROM events AS e JOIN sel_runs AS r USING (run_id)
  WHERE e.ev IN ('adopted', 'switched', 'adopted_forger') AND e.block IS NOT NULL AND epoch_us(e."at") BETWEEN r.lo_us AND r.hi_us
  GROUP BY ALL
), tips AS (
  SELECT h.*, lag(h.block) OVER (PARTITION BY h.run_id, h.node ORDER BY h."at", h.block) AS prev_tip
  FROM heads AS h
), unitary AS (
  SELECT t.run_id, t.node, t.block,
         l.block_prev IS NULL OR p.block IS NULL OR t.prev_tip IS NOT DISTINCT FROM l.block_prev AS unitary
  FROM tips AS t
  LEFT JOIN links AS l ON l.run_id = t.run_id AND l.block = t.block
  LEFT JOIN links AS p ON p.run_id = t.run_id AND p.block = l.block_prev
)
SELECT e.run_id, e.node, e.block, e.ev,
       min(epoch_us(e."at")) AS t,
       coalesce(any_value(u.unitary), true) AS unitary,
       max(e.size) AS size
FROM events AS e JOIN sel_runs AS r USING (run_id)
LEFT JOIN unitary AS u ON e.ev = 'adopted' AND u.run_id = e.run_id AND u.node = e.node AND u.block = e.block
WHERE e.ev IN ('forged', 'adopted_forger', 'header_seen', 'fetch_request', 'fetched',
               'announced', 'sent', 'adopted')
  AND e.block IS NOT NULL AND epoch_us(e."at") BETWEEN r.lo_us AND r.hi_us
GROUP BY e.run_id, e.node, e.block, e.ev

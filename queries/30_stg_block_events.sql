-- Earliest time each node logged each block-level event (DESIGN §2: where a node logs the
-- same event for the same block more than once, the earliest counts). For `adopted`, also
-- whether every adoption of the block on that node had chainLengthDelta = 1.
-- Reads events, sel_runs. Times are epoch microseconds; events outside the run's extent are left out.
CREATE OR REPLACE TEMP TABLE stg_block_events AS
SELECT e.run_id, e.node, e.block, e.ev,
       min(epoch_us(e."at")) AS t,
       bool_and(coalesce(e.chain_delta, 1) = 1) AS unitary,
       max(e.size) AS size
FROM events AS e JOIN sel_runs AS r USING (run_id)
WHERE e.ev IN ('forged', 'adopted_forger', 'header_seen', 'fetch_request', 'fetched',
               'announced', 'sent', 'adopted')
  AND e.block IS NOT NULL AND epoch_us(e."at") BETWEEN r.lo_us AND r.hi_us
GROUP BY e.run_id, e.node, e.block, e.ev

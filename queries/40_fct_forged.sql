-- Every block forged in the run, once: its forger (the node that logged `forged` first),
-- slot, block number and predecessor. Reads events, sel_runs. Events outside the run's
-- extent are left out; an out-of-range slot is unknown (NULL).
CREATE OR REPLACE TEMP TABLE fct_forged AS
SELECT e.run_id, e.block,
       arg_min(e.node, e."at") AS forger,
       min(epoch_us(e."at")) AS forged_t,
       arg_min(CASE WHEN e.slot BETWEEN 0 AND r.max_slot THEN e.slot END, e."at") AS slot,
       arg_min(e.block_no, e."at") AS block_no,
       arg_min(e.block_prev, e."at") AS block_prev
FROM events AS e JOIN sel_runs AS r USING (run_id)
WHERE e.ev = 'forged' AND e.block IS NOT NULL AND epoch_us(e."at") BETWEEN r.lo_us AND r.hi_us
GROUP BY e.run_id, e.block

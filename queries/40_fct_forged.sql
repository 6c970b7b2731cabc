-- Every block forged in the run, once: its forger (the node that logged `forged` first),
-- slot, block number and predecessor. Reads events, sel_runs.
CREATE OR REPLACE TEMP TABLE fct_forged AS
SELECT e.run_id, e.block,
       arg_min(e.node, e."at") AS forger,
       min(epoch_us(e."at")) AS forged_t,
       arg_min(e.slot, e."at") AS slot,
       arg_min(e.block_no, e."at") AS block_no,
       arg_min(e.block_prev, e."at") AS block_prev
FROM events AS e JOIN sel_runs USING (run_id)
WHERE e.ev = 'forged' AND e.block IS NOT NULL AND e."at" IS NOT NULL
GROUP BY e.run_id, e.block
